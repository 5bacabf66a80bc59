import type { OperationDefinition } from '../../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, oneWriteAtATime, tableLocator, tableOf } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { recordIdProperty } from './fields';
import { recordId } from './prepare';

export const remove: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete',
	action: 'Delete a record',
	lane: FEISHU_RATE_LIMITS['bitableRecord.delete'],
	description: 'Delete one record by its ID',
	properties: [baseLocator, tableLocator, recordIdProperty('The record to delete (rec…)')],
	errors: BITABLE_ERRORS,
	async run(step) {
		const id = recordId(step);
		const table = await tableOf(step);
		// Not sent again after a lost answer (a repeat would answer "not found" for a record the first deleted).
		const data = await oneWriteAtATime(
			table,
			async () =>
				await step.send({
					method: 'DELETE',
					path: `${table.path}/records/${encodeURIComponent(id)}`,
					idempotent: false,
				}),
		);
		return [{ json: { id: data.record_id ?? id, deleted: data.deleted !== false } }];
	},
};
