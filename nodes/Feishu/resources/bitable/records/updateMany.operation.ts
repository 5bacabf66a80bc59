import type { OperationDefinition } from '../../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, tableLocator } from '../common';
import { BITABLE_ERRORS } from '../errors';
import {
	columnsProperty,
	DEFAULT_BATCH,
	MAX_BATCH,
	recordIdProperty,
	writeOptions,
} from './fields';
import { prepareWrite, recordId, writeQuery } from './prepare';
import type { ManyEntry } from './many';
import { BATCH_SIZE, groupOf, writeMany } from './many';

export const updateMany: OperationDefinition = {
	value: 'updateMany',
	actsAs: ['app', 'user'],
	name: 'Update Many',
	action: 'Update many records',
	lane: FEISHU_RATE_LIMITS['bitableRecord.updateMany'],
	description:
		'Change records by their IDs, one per input item, sent in batches (up to 1,000 per call)',
	properties: [
		baseLocator,
		tableLocator,
		recordIdProperty('The record each item updates (rec…), e.g. the ID a search returned'),
		columnsProperty(
			'add',
			'The columns to change. An empty value leaves the column as it is; null clears it.',
		),
	],
	extraOptions: [BATCH_SIZE(MAX_BATCH, DEFAULT_BATCH), ...writeOptions],
	errors: BITABLE_ERRORS,
	batch: {
		size: (p) => p.integer('options.batchSize', DEFAULT_BATCH, 1, MAX_BATCH),
		async prepare(step) {
			const id = recordId(step);
			const { table, schema, record } = await prepareWrite(step);
			return {
				group: groupOf(table),
				entry: { table, schema, record, recordId: id } satisfies ManyEntry,
			};
		},
		send: async (steps, raw) =>
			await writeMany(
				steps,
				raw as ManyEntry[],
				async (table, sent, records) =>
					// An update sets the same values again when repeated: safe to retry.
					await sent[0].send({
						method: 'POST',
						path: `${table.path}/records/batch_update`,
						qs: writeQuery(sent[0]),
						body: { records: records.map((r) => ({ record_id: r.recordId!, fields: r.fields })) },
						idempotent: true,
					}),
			),
	},
};
