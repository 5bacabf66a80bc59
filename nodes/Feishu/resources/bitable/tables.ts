import { FEISHU_RATE_LIMITS } from '../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../../shared/types';
import {
	baseLocator,
	clientToken,
	listFields,
	resolveBase,
	tableIdOf,
	tableLocator,
	tablePath,
} from './common';
import { BITABLE_ERRORS } from './errors';
import { FIELD_TYPES } from './values';

/** Bitable tables (数据表) of a base, and fields (字段) of a table. Source: docs/research/feishu-bitable.md §4. */

/** Both resources open on their list (a variable: the linter reads a literal here as an operation option). */
const GET_MANY = 'getAll';

const appsPath = (appToken: string) =>
	`/open-apis/bitable/v1/apps/${encodeURIComponent(appToken)}/tables`;

/** Field types the create-field API accepts ("不支持新增 19 查找引用字段类型"; 24 and 3001 are read-only; 1001–1005 have no value to set but can be created). */
const CREATABLE_TYPES = [
	1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 20, 21, 22, 23, 1001, 1002, 1003, 1004, 1005,
];

const FIELD_TYPE_PROPERTY: INodeProperties = {
	displayName: 'Field Type',
	name: 'fieldType',
	type: 'options',
	options: CREATABLE_TYPES.map((type) => ({
		name: `${FIELD_TYPES[type][0].toUpperCase()}${FIELD_TYPES[type].slice(1)}`,
		value: type,
	})).sort((a, b) => a.name.localeCompare(b.name)),
	default: 1,
	description: 'The kind of column (字段类型)',
};

/** The tables of a base (page size 100, the documented maximum). */
export const tableList = (appToken: (p: Parameters<ListSpec['page']>[0]) => string): ListSpec => ({
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: appsPath(appToken(p)),
		qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
	}),
	read: (response) => ({
		records: (response.items as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	}),
});

const createTable: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a table',
	lane: FEISHU_RATE_LIMITS['bitableTable.create'],
	description:
		'Add a table to a base, optionally with its first columns (a base holds at most 100 tables and dashboards)',
	properties: [
		baseLocator,
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			description: "The table's name, unique in the base",
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field',
			default: {},
			description:
				"The table's columns; the first one is the primary column. Without any, Feishu adds its default columns.",
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						FIELD_TYPE_PROPERTY,
					],
				},
			],
		},
		{
			displayName: 'Default View Name',
			name: 'defaultViewName',
			type: 'string',
			default: '',
			description: "The name of the table's first view (optional)",
		},
	],
	errors: BITABLE_ERRORS,
	async run(step) {
		const p = step.params;
		const name = p.requiredString('name');
		const fields = (
			((p.raw('fields', {}) as IDataObject).field as IDataObject[] | undefined) ?? []
		).map((f, i) => ({
			field_name: p.requiredString(
				`fields.field[${i}].name`,
				f.name,
				`Fields › Field ${i + 1} › Name`,
			),
			type: p.integer(`fields.field[${i}].fieldType`, Number(f.fieldType ?? 1), 1),
		}));
		const table: Record<string, unknown> = { name };
		const view = p.optionalString('defaultViewName');
		if (view) table.default_view_name = view;
		if (fields.length > 0) table.fields = fields;
		const appToken = await resolveBase(step);
		// Not idempotent and without a documented idempotency key: a lost answer is reported, not retried.
		const data = await step.send({ method: 'POST', path: appsPath(appToken), body: { table } });
		return [{ json: { ...data, name } }];
	},
};

const deleteTable: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete',
	action: 'Delete a table',
	lane: FEISHU_RATE_LIMITS['bitableTable.delete'],
	description: 'Delete a table and its records (the last table of a base cannot be deleted)',
	properties: [baseLocator, tableLocator],
	errors: BITABLE_ERRORS,
	async run(step) {
		const tableId = tableIdOf(step.params);
		const appToken = await resolveBase(step);
		await step.send({ method: 'DELETE', path: tablePath(appToken, tableId) });
		return [{ json: { table_id: tableId, deleted: true } }];
	},
};

const getAllTables: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many tables',
	lane: FEISHU_RATE_LIMITS['bitableTable.getAll'],
	description: 'List the tables of a base',
	properties: [baseLocator],
	errors: BITABLE_ERRORS,
	async list(step) {
		const appToken = await resolveBase(step);
		return tableList(() => appToken);
	},
};

export const bitableTable: ResourceDefinition = {
	value: 'bitableTable',
	name: 'Bitable Table',
	description: 'Tables (数据表) of a Bitable base',
	operations: [createTable, deleteTable, getAllTables],
	defaultOperation: GET_MANY,
};

const getAllFields: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many fields',
	lane: FEISHU_RATE_LIMITS['bitableField.getAll'],
	description: 'List the columns of a table with their types and options',
	properties: [baseLocator, tableLocator],
	errors: BITABLE_ERRORS,
	async run(step) {
		const tableId = tableIdOf(step.params);
		const appToken = await resolveBase(step);
		const fields = await listFields(
			async (request) => await step.send(request),
			{ appToken, tableId },
			step.params,
		);
		return fields.map((f) => ({
			json: {
				...(f as unknown as IDataObject),
				type_name: FIELD_TYPES[f.type] ?? `type ${f.type}`,
			},
		}));
	},
};

const createField: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a field',
	lane: FEISHU_RATE_LIMITS['bitableField.create'],
	description: 'Add a column to a table',
	properties: [
		baseLocator,
		tableLocator,
		{
			displayName: 'Field Name',
			name: 'fieldName',
			type: 'string',
			required: true,
			default: '',
			description: "The column's name, unique in the table (spaces around it are removed)",
		},
		FIELD_TYPE_PROPERTY,
		{
			displayName: 'Options',
			name: 'selectOptions',
			type: 'string',
			default: '',
			displayOptions: { show: { fieldType: [3, 4] } },
			description: 'The choices of a single or multiple select column, separated by commas',
		},
		{
			displayName: 'Property (JSON)',
			name: 'property',
			type: 'json',
			default: '',
			description:
				'The type\'s settings as the API documents them (e.g. {"formatter":"0.00"} for a number, {"table_id":"tbl…"} for a link); replaces Options',
		},
	],
	extraOptions: [
		{
			displayName: 'Idempotency Key (UUID)',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			description:
				'A uuidv4; Feishu creates at most one field per key. Left empty, the node derives one from the execution, node and item.',
		},
	],
	errors: BITABLE_ERRORS,
	async run(step) {
		const p = step.params;
		const tableId = tableIdOf(p);
		const body: Record<string, unknown> = {
			field_name: p.requiredString('fieldName'),
			type: p.integer('fieldType', 1, 1),
		};
		if (!CREATABLE_TYPES.includes(body.type as number))
			p.fail('fieldType', `the API cannot create fields of type ${String(body.type)}`);
		const property = p.jsonObject('property');
		const options = [3, 4].includes(body.type as number) ? p.stringList('selectOptions') : [];
		if (property) body.property = property;
		else if (options.length > 0) body.property = { options: options.map((name) => ({ name })) };
		const given = p.optionalString('options.idempotencyKey');
		if (
			given !== undefined &&
			!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(given)
		)
			p.fail(
				'options.idempotencyKey',
				'must be a uuidv4 (xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx)',
				'Options › Idempotency Key (UUID)',
			);
		const token = given ?? clientToken(p, 'bitableField.create');
		const appToken = await resolveBase(step);
		const data = await step.send({
			method: 'POST',
			path: `${tablePath(appToken, tableId)}/fields`,
			qs: { client_token: token },
			body,
			idempotencyKey: token,
		});
		const field = (data.field ?? data) as IDataObject;
		return [{ json: { ...field, type_name: FIELD_TYPES[Number(field.type)] ?? undefined } }];
	},
};

export const bitableField: ResourceDefinition = {
	value: 'bitableField',
	name: 'Bitable Field',
	description: 'Fields (字段, columns) of a Bitable table',
	operations: [createField, getAllFields],
	defaultOperation: GET_MANY,
};
