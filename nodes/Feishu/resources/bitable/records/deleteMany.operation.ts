import type { OperationDefinition } from '../../../../shared/types';
import type { IDataObject } from 'n8n-workflow';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, oneWriteAtATime, tableLocator, tableOf } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { MAX_DELETE_BATCH, recordIdProperty } from './fields';
import { recordId } from './prepare';
import type { ManyEntry } from './many';
import { BATCH_SIZE, groupOf } from './many';

export const deleteMany: OperationDefinition = {
	value: 'deleteMany',
	actsAs: ['app', 'user'],
	name: 'Delete Many',
	action: 'Delete many records',
	lane: FEISHU_RATE_LIMITS['bitableRecord.deleteMany'],
	description:
		'Delete records by their IDs, one per input item, sent in batches (up to 500 per call)',
	properties: [baseLocator, tableLocator, recordIdProperty('The record each item deletes (rec…)')],
	extraOptions: [BATCH_SIZE(MAX_DELETE_BATCH, MAX_DELETE_BATCH)],
	errors: BITABLE_ERRORS,
	batch: {
		size: (p) => p.integer('options.batchSize', MAX_DELETE_BATCH, 1, MAX_DELETE_BATCH),
		async prepare(step) {
			const id = recordId(step);
			const table = await tableOf(step);
			return {
				group: groupOf(table),
				entry: { table, schema: [], recordId: id } satisfies ManyEntry,
			};
		},
		async send(steps, raw) {
			const entries = raw as ManyEntry[];
			const { table } = entries[0];
			// Not sent again after a lost answer: the repeat would answer "not found" (1254043) for records the
			// first call deleted, and report them failed. The error says the outcome is unknown instead.
			const data = await oneWriteAtATime(
				table,
				async () =>
					await steps[0].send({
						method: 'POST',
						path: `${table.path}/records/batch_delete`,
						body: { records: entries.map((e) => e.recordId!) },
						idempotent: false,
					}),
			);
			const results = (data.records as IDataObject[] | undefined) ?? [];
			return entries.map((e) => {
				const result = results.find((r) => r.record_id === e.recordId);
				return { id: e.recordId, deleted: result ? result.deleted !== false : false };
			});
		},
	},
};
