import type { OperationDefinition } from '../../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, clientToken, tableLocator } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { columnsProperty, DEFAULT_BATCH, MAX_BATCH, writeOptions } from './fields';
import { prepareWrite, writeQuery } from './prepare';
import type { ManyEntry } from './many';
import { BATCH_SIZE, groupOf, writeMany } from './many';

export const createMany: OperationDefinition = {
	value: 'createMany',
	actsAs: ['app', 'user'],
	name: 'Create Many',
	action: 'Create many records',
	lane: FEISHU_RATE_LIMITS['bitableRecord.createMany'],
	description:
		'Add a record per input item, sent in batches (up to 1,000 per call) with an idempotency key each',
	properties: [
		baseLocator,
		tableLocator,
		columnsProperty(
			'add',
			"Each record's values, by column. Attachment columns take binary property names (e.g. data).",
		),
	],
	extraOptions: [BATCH_SIZE(MAX_BATCH, DEFAULT_BATCH), ...writeOptions],
	errors: BITABLE_ERRORS,
	batch: {
		size: (p) => p.integer('options.batchSize', DEFAULT_BATCH, 1, MAX_BATCH),
		async prepare(step) {
			const { table, schema, record } = await prepareWrite(step);
			return { group: groupOf(table), entry: { table, schema, record } satisfies ManyEntry };
		},
		send: async (steps, raw) =>
			await writeMany(steps, raw as ManyEntry[], async (table, sent, records) => {
				// One key per call, derived from its items: a retried call is never created twice.
				const token = clientToken(
					sent[0].params,
					`bitableRecord.createMany:${sent.map((x) => x.itemIndex).join(',')}`,
				);
				return await sent[0].send({
					method: 'POST',
					path: `${table.path}/records/batch_create`,
					qs: { ...writeQuery(sent[0]), client_token: token },
					body: { records: records.map((r) => ({ fields: r.fields })) },
					idempotencyKey: token,
				});
			}),
	},
};
