import type { OperationDefinition } from '../../../../shared/types';
import type { IDataObject } from 'n8n-workflow';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import {
	baseLocator,
	schemaOf,
	tableLocator,
	tableOf,
	userIdTypeOf,
	userIdTypeProperty,
} from '../common';
import { BITABLE_ERRORS } from '../errors';
import { DOWNLOAD, OUTPUT_FORMAT, recordIdProperty } from './fields';
import { shape, withDownloads } from './shape';
import { recordId } from './prepare';

export const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a record',
	lane: FEISHU_RATE_LIMITS['bitableRecord.get'],
	description: 'Get one record by its ID',
	properties: [
		baseLocator,
		tableLocator,
		recordIdProperty("The record (rec…), e.g. from a search or from the record's link"),
	],
	extraOptions: [
		OUTPUT_FORMAT,
		userIdTypeProperty,
		...DOWNLOAD,
		{
			displayName: 'Include Automatic Fields',
			name: 'automaticFields',
			type: 'boolean',
			default: false,
			description: 'Whether to add created and modified time and by whom (as _created_time …)',
		},
	],
	errors: BITABLE_ERRORS,
	async run(step) {
		const id = recordId(step);
		const table = await tableOf(step);
		const schema = await schemaOf(step, table);
		const data = await step.send({
			method: 'POST',
			path: `${table.path}/records/batch_get`,
			body: {
				record_ids: [id],
				user_id_type: userIdTypeOf(step.params),
				automatic_fields: step.params.boolean('options.automaticFields', false),
			},
			idempotent: true,
		});
		const found = ((data.records as IDataObject[] | undefined) ?? []).find(
			(r) => r.record_id === id,
		);
		if (found === undefined) {
			const why = ((data.forbidden_record_ids as string[] | undefined) ?? []).includes(id)
				? 'the app may not see it (advanced permissions)'
				: 'it is not in this table (absent_record_ids)';
			return step.params.fail('recordId', `record ${id} was not found: ${why}`);
		}
		return [await withDownloads(step, shape(found, schema, step.params), found)];
	},
};
