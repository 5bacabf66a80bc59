import type { OperationDefinition } from '../../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import { baseLocator, tableLocator } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { columnsProperty, recordIdProperty, writeOptions } from './fields';
import { prepareWrite, recordId, withUploads } from './prepare';
import { updateOne } from './write';

export const update: OperationDefinition = {
	value: 'update',
	actsAs: ['app', 'user'],
	name: 'Update',
	action: 'Update a record',
	lane: FEISHU_RATE_LIMITS['bitableRecord.update'],
	description:
		'Change the given columns of one record; others keep their values (null clears a column)',
	properties: [
		baseLocator,
		tableLocator,
		recordIdProperty('The record to update (rec…), e.g. the ID a search or a create returned'),
		columnsProperty(
			'add',
			'The columns to change. An empty value leaves the column as it is; null clears it.',
		),
	],
	extraOptions: writeOptions,
	errors: BITABLE_ERRORS,
	async run(step) {
		const id = recordId(step);
		const { table, schema, record } = await prepareWrite(step);
		return await updateOne(
			step,
			table,
			schema,
			id,
			await withUploads(step, record, table.appToken),
		);
	},
};
