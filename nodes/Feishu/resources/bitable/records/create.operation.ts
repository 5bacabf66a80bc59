import type { OperationDefinition } from '../../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, tableLocator } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { columnsProperty, writeOptions } from './fields';
import { prepareWrite, withUploads } from './prepare';
import { createOne } from './write';

export const create: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a record',
	lane: FEISHU_RATE_LIMITS['bitableRecord.create'],
	description: "Add one record (行) to a table; attachments come from the item's binary data",
	properties: [
		baseLocator,
		tableLocator,
		columnsProperty(
			'add',
			"The record's values, by column. Attachment columns take binary property names (e.g. data).",
		),
	],
	extraOptions: writeOptions,
	errors: BITABLE_ERRORS,
	async run(step) {
		const { table, schema, record } = await prepareWrite(step);
		return await createOne(
			step,
			table,
			schema,
			await withUploads(step, record, table.appToken),
			'bitableRecord.create',
		);
	},
};
