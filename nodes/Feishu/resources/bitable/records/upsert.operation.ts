import type { OperationDefinition, OperationStep, OutputItem } from '../../../../shared/types';
import type { IDataObject } from 'n8n-workflow';
import { mapperSource } from '../../../../shared/tableModel';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import type { BitableField, TableRef } from '../common';
import { baseLocator, oneUpsertPerKey, tableLocator, userIdTypeOf } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { canMatchOn, filterValue, typeName } from '../values';
import { columnsProperty, writeOptions } from './fields';
import type { PreparedRecord } from './prepare';
import { prepareWrite, withUploads } from './prepare';
import { createOne, updateOne } from './write';

/** Upsert's key columns: the mapper's "Columns to Match On", each a field whose values the `is` filter can match. */
function keyConditions(
	step: OperationStep,
	schema: BitableField[],
): Array<{ field_name: string; operator: 'is'; value: string[] }> {
	const p = step.params;
	const { source, keys } = mapperSource(step);
	if (keys.length === 0) p.fail('columns', 'choose at least one of Columns to Match On', 'Columns');
	return keys.map((key) => {
		const field = schema.find((f) => f.field_name === key);
		if (!field)
			return p.fail(
				'columns',
				`the key column "${key}" is not a field of the table`,
				'Columns to Match On',
			);
		if (!canMatchOn(field))
			p.fail(
				'columns',
				`the key column "${key}" is a ${typeName(field)} field; upsert matches on text, number, single select, checkbox, phone, URL or auto number columns`,
				'Columns to Match On',
			);
		return {
			field_name: key,
			operator: 'is' as const,
			value: filterValue(field, source[key], (problem) =>
				p.fail('columns', `key column "${key}": ${problem}`, 'Columns to Match On'),
			),
		};
	});
}

export const upsert: OperationDefinition = {
	value: 'upsert',
	actsAs: ['app', 'user'],
	name: 'Create or Update',
	action: 'Create or update a record',
	lane: FEISHU_RATE_LIMITS['bitableRecord.create'],
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	properties: [
		baseLocator,
		tableLocator,
		columnsProperty(
			'upsert',
			"The record's values; the Columns to Match On find the record to update",
		),
	],
	extraOptions: writeOptions,
	errors: BITABLE_ERRORS,
	async run(step) {
		const { table, schema, record } = await prepareWrite(step);
		const conditions = keyConditions(step, schema);
		return await oneUpsertPerKey(
			table,
			JSON.stringify(conditions),
			async () => await upsertOne(step, table, schema, record, conditions),
		);
	},
};

/** One upsert: find by the key columns, then update the single match or create. */
async function upsertOne(
	step: OperationStep,
	table: TableRef & { path: string },
	schema: BitableField[],
	record: PreparedRecord,
	conditions: Array<{ field_name: string; operator: 'is'; value: string[] }>,
): Promise<OutputItem[]> {
	// Two at most: enough to tell none, one and several apart.
	const found = await step.send(
		{
			method: 'POST',
			path: `${table.path}/records/search`,
			qs: { user_id_type: userIdTypeOf(step.params), page_size: 2 },
			body: {
				filter: { conjunction: 'and', conditions },
				field_names: conditions.map((c) => c.field_name),
			},
			idempotent: true,
		},
		FEISHU_RATE_LIMITS['bitableRecord.search'],
	);
	const matches = (found.items as IDataObject[] | undefined) ?? [];
	if (matches.length > 1) {
		const total = typeof found.total === 'number' ? found.total : `${matches.length} or more`;
		step.params.fail(
			'columns',
			`${total} records match ${conditions.map((c) => `${c.field_name} = "${c.value[0]}"`).join(' and ')} (e.g. ${matches.map((m) => m.record_id).join(', ')}); upsert updates only a single match. Choose more Columns to Match On.`,
			'Columns to Match On',
		);
	}
	const fields = await withUploads(step, record, table.appToken);
	if (matches.length === 1)
		return await updateOne(
			step,
			table,
			schema,
			String(matches[0].record_id),
			fields,
			FEISHU_RATE_LIMITS['bitableRecord.update'],
		);
	return await createOne(
		step,
		table,
		schema,
		fields,
		'bitableRecord.upsert',
		FEISHU_RATE_LIMITS['bitableRecord.create'],
	);
}
