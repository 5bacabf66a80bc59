import type { ResourceDefinition } from '../../../../shared/types';
import { create } from './create.operation';
import { createMany } from './createMany.operation';
import { remove } from './delete.operation';
import { deleteMany } from './deleteMany.operation';
import { get } from './get.operation';
import { search } from './search.operation';
import { update } from './update.operation';
import { updateMany } from './updateMany.operation';
import { upsert } from './upsert.operation';

/**
 * Bitable records, one operation a file: one at a time (create, get, update, delete, upsert), searched, and
 * many at once in batches (create, update and delete many).
 */
export const bitableRecord: ResourceDefinition = {
	value: 'bitableRecord',
	name: 'Bitable Record',
	description: 'Records (行) of a Bitable (多维表格) table',
	operations: [create, createMany, remove, deleteMany, get, search, update, updateMany, upsert],
	defaultOperation: 'search',
};
