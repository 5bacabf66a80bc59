import type { IBinaryKeyData, IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binaryProperty } from '../../../shared/binary';
import type {
	ListSpec,
	OperationDefinition,
	OperationStep,
	OutputItem,
	ResourceDefinition,
} from '../../../shared/types';
import type { BitableField, TableRef } from './common';
import {
	BITABLE_ERRORS,
	baseLocator,
	clientToken,
	oneUpsertPerKey,
	oneWriteAtATime,
	schemaOf,
	tableLocator,
	tableOf,
	userIdTypeOf,
	userIdTypeProperty,
	viewLocator,
} from './common';
import {
	canMatchOn,
	filterValue,
	fromApiValue,
	isoDate,
	isWritable,
	SKIP,
	toApiValue,
	typeName,
} from './values';

/**
 * Bitable records: one at a time (create, get, update, delete, upsert), searched (filter, sort, view, Return
 * All at 500 a page), and many at once (createMany, updateMany, deleteMany: the run's items in the documented
 * batches). Every write of one table goes one at a time, as the docs ask (1254291 otherwise).
 */

/** batch_create / batch_update: 1,000 per call on Feishu's current pages, 500 on Lark's (and older Feishu). */
const MAX_BATCH = 1000;
const DEFAULT_BATCH = 500;
/** batch_delete: "单次调用中最多删除 500 条记录". */
const MAX_DELETE_BATCH = 500;
/** search: "分页大小。最大值为 500". */
const SEARCH_PAGE = 500;
/** Attachments: "素材大小不得超过 20 MB" for upload_all. */
const ATTACHMENT_LIMIT = { maxBytes: 20 * 1024 * 1024, what: 'an attachment' };

const columnsProperty = (mode: 'add' | 'upsert', description: string): INodeProperties => ({
	displayName: 'Columns',
	name: 'columns',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description,
	hint: 'Lists (multiple select, person, link, group chat) take values separated by commas; an attachment column takes binary property names (data, doc); a location "longitude,latitude"',
	typeOptions: {
		loadOptionsDependsOn: ['base.value', 'table.value'],
		resourceMapper: {
			resourceMapperMethod: mode === 'upsert' ? 'getBitableColumnsForUpsert' : 'getBitableColumns',
			mode,
			fieldWords: { singular: 'column', plural: 'columns' },
			addAllFields: true,
			multiKeyMatch: true,
			supportAutoMap: true,
			...(mode === 'upsert'
				? {
						matchingFieldsLabels: {
							title: 'Columns to Match On',
							description:
								"The record whose values in these columns equal the item's is updated; with none, one is created",
						},
					}
				: {}),
		},
	},
});

const recordIdProperty = (description: string): INodeProperties => ({
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	required: true,
	default: '={{ $json.id }}',
	placeholder: 'recXXXXXXXXXX',
	description,
});

const ALLOW_NEW_OPTIONS: INodeProperties = {
	displayName: 'Allow New Options',
	name: 'allowNewOptions',
	type: 'boolean',
	default: false,
	description:
		'Whether a select value the field does not have yet creates that option (as Feishu does) instead of failing the item',
};

const OUTPUT_FORMAT: INodeProperties = {
	displayName: 'Output',
	name: 'outputFormat',
	type: 'options',
	options: [
		{
			name: 'Simple',
			value: 'simple',
			description: '{ ID, ...fields }, with text, people, links and files as plain values',
		},
		{ name: 'Raw', value: 'raw', description: 'The record as the API answers it' },
	],
	default: 'simple',
};

const DOWNLOAD: INodeProperties[] = [
	{
		displayName: 'Download Attachments',
		name: 'downloadAttachments',
		type: 'boolean',
		default: false,
		description:
			"Whether to download the records' attachments into binary data (attachment_0, attachment_1, …)",
	},
];

const writeOptions: INodeProperties[] = [ALLOW_NEW_OPTIONS, OUTPUT_FORMAT, userIdTypeProperty];

/** The record as n8n users see it: { id, ...fields } (simple) or the API's shape (raw). */
function shape(
	record: IDataObject,
	schema: BitableField[],
	p: OperationStep['params'],
): IDataObject {
	if (p.choice('options.outputFormat', ['simple', 'raw'] as const, 'simple') === 'raw')
		return record;
	const byName = new Map(schema.map((f) => [f.field_name, f]));
	const fields = (record.fields ?? {}) as IDataObject;
	const out: IDataObject = { id: record.record_id };
	for (const [name, value] of Object.entries(fields))
		out[name] = fromApiValue(byName.get(name), value) as IDataObject[keyof IDataObject];
	for (const key of [
		'created_time',
		'last_modified_time',
		'created_by',
		'last_modified_by',
	] as const) {
		if (record[key] !== undefined)
			out[`_${key}`] = key.endsWith('_by')
				? (
						fromApiValue({ field_id: '', field_name: key, type: 1003 }, [
							record[key],
						]) as IDataObject[]
					)[0]
				: (isoDate(record[key]) as string);
	}
	return out;
}

interface PreparedRecord {
	fields: Record<string, unknown>;
	/** Attachment columns from binary data: uploaded to the base right before the write. */
	uploads: Array<{ column: string; properties: string[]; tokens: Array<{ file_token: string }> }>;
}

/**
 * An item's columns as the documented write values: mapped columns, or the item's JSON with "auto-map
 * input data". A value that cannot fit its field fails the item naming the column, before any request.
 */
function recordOf(step: OperationStep, schema: BitableField[], table: TableRef): PreparedRecord {
	const p = step.params;
	const mapper = (p.raw('columns', {}) ?? {}) as {
		mappingMode?: string;
		value?: IDataObject | null;
		matchingColumns?: string[];
	};
	const auto = mapper.mappingMode === 'autoMapInputData';
	// Upsert's key columns find the record; a read-only one (an auto number) is not written.
	const keys = new Set(p.raw('operation', '') === 'upsert' ? (mapper.matchingColumns ?? []) : []);
	const byName = new Map(schema.map((f) => [f.field_name, f]));
	const source: IDataObject = auto
		? (step.ctx.getInputData()[p.itemIndex]?.json ?? {})
		: (mapper.value ?? {});
	const options = { allowNewOptions: p.boolean('options.allowNewOptions', false) };
	const prepared: PreparedRecord = { fields: {}, uploads: [] };
	for (const [column, value] of Object.entries(source)) {
		const found = byName.get(column);
		if (!found) {
			// Auto-map: a record read earlier carries its ID as "id" (and automatic fields as "_…"): not columns.
			if (auto && (column === 'id' || column.startsWith('_'))) continue;
			return p.fail(
				'columns',
				`"${column}" is not a field of table ${table.tableId}; its fields are ${schema.map((f) => `"${f.field_name}"`).join(', ')}`,
				'Columns',
			);
		}
		const field: BitableField = found;
		// Auto-map: read-only fields (formulas, created time …) that a search returned are left out.
		if ((auto || keys.has(column)) && !isWritable(field)) continue;
		const fail = (problem: string): never =>
			p.fail('columns', `column "${column}" (${typeName(field)}): ${problem}`, 'Columns');
		if (field.type === 17) {
			const upload = attachmentOf(value, fail);
			if (upload === SKIP) continue;
			if (upload === null) prepared.fields[column] = null;
			else prepared.uploads.push({ column, ...upload });
			continue;
		}
		const written = toApiValue(field, value, options, fail);
		if (written !== SKIP) prepared.fields[column] = written;
	}
	return prepared;
}

/** An attachment column: binary property names of the item (uploaded), or file tokens already in this base. */
function attachmentOf(
	value: unknown,
	fail: (problem: string) => never,
): { properties: string[]; tokens: Array<{ file_token: string }> } | null | typeof SKIP {
	if (value === undefined || value === '') return SKIP;
	if (value === null) return null;
	const list = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: fail(`expected binary property names, or [{"file_token"}], got ${typeof value}`);
	const properties: string[] = [];
	const tokens: Array<{ file_token: string }> = [];
	for (const entry of list) {
		if (typeof entry === 'string' && entry.trim() !== '') properties.push(entry.trim());
		else if (
			entry &&
			typeof entry === 'object' &&
			typeof (entry as IDataObject).file_token === 'string'
		)
			tokens.push({ file_token: String((entry as IDataObject).file_token) });
		else
			fail(
				'expected binary property names (e.g. "data"), or [{"file_token"}] of files in this base',
			);
	}
	return { properties, tokens };
}

/** Checks the item's binary files exist and fit, before any request. */
async function checkUploads(step: OperationStep, record: PreparedRecord): Promise<void> {
	for (const upload of record.uploads) {
		for (const property of upload.properties)
			await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${upload.column}`,
			);
	}
}

/**
 * Uploads an item's attachment files to the base (drive media upload_all, parent type bitable_image for
 * images, else bitable_file) and writes them as [{file_token}]. A repeated upload only leaves an unused
 * token behind, so it is retried like a read.
 */
async function withUploads(
	step: OperationStep,
	record: PreparedRecord,
	appToken: string,
): Promise<Record<string, unknown>> {
	const fields = { ...record.fields };
	for (const upload of record.uploads) {
		const tokens = [...upload.tokens];
		for (const property of upload.properties) {
			const file = await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${upload.column}`,
			);
			const data = await step.send(
				{
					method: 'POST',
					path: '/open-apis/drive/v1/medias/upload_all',
					multipart: {
						fields: [
							['file_name', file.fileName.slice(0, 250)],
							[
								'parent_type',
								file.mimeType.startsWith('image/') ? 'bitable_image' : 'bitable_file',
							],
							['parent_node', appToken],
							['size', String(file.size)],
						],
						file: { field: 'file', ...file },
					},
					idempotent: true,
				},
				'bitableMedia.upload',
				BITABLE_ERRORS,
			);
			tokens.push({ file_token: String(data.file_token) });
		}
		fields[upload.column] = tokens;
	}
	return fields;
}

const writeQuery = (step: OperationStep): IDataObject => ({
	user_id_type: userIdTypeOf(step.params),
});

async function prepareWrite(
	step: OperationStep,
): Promise<{ table: TableRef & { path: string }; schema: BitableField[]; record: PreparedRecord }> {
	const table = await tableOf(step);
	const schema = await schemaOf(step, table);
	const record = recordOf(step, schema, table);
	await checkUploads(step, record);
	return { table, schema, record };
}

const recordId = (step: OperationStep) => decodeURIComponent(step.params.pathId('recordId'));

/** Creates one record (POST …/records with its client_token, so a resend creates nothing twice); the record as output. */
async function createOne(
	step: OperationStep,
	table: TableRef & { path: string },
	schema: BitableField[],
	fields: Record<string, unknown>,
	purpose: string,
	api?: string,
): Promise<OutputItem[]> {
	const token = clientToken(step.params, purpose);
	const data = await oneWriteAtATime(
		table,
		async () =>
			await step.send(
				{
					method: 'POST',
					path: `${table.path}/records`,
					qs: { ...writeQuery(step), client_token: token },
					body: { fields },
					idempotencyKey: token,
				},
				api,
			),
	);
	return [{ json: shape((data.record ?? {}) as IDataObject, schema, step.params) }];
}

/** Updates the given columns of one record (PUT …/records/:record_id); the record as output. */
async function updateOne(
	step: OperationStep,
	table: TableRef & { path: string },
	schema: BitableField[],
	id: string,
	fields: Record<string, unknown>,
	api?: string,
): Promise<OutputItem[]> {
	const data = await oneWriteAtATime(
		table,
		async () =>
			await step.send(
				{
					method: 'PUT',
					path: `${table.path}/records/${encodeURIComponent(id)}`,
					qs: writeQuery(step),
					body: { fields },
				},
				api,
			),
	);
	return [{ json: shape((data.record ?? {}) as IDataObject, schema, step.params) }];
}

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a record',
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

const update: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Update a record',
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

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a record',
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

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a record',
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

/** Files of the record's attachment fields, into binary data (attachment_0, …), when asked for. */
async function withDownloads(
	step: OperationStep,
	json: IDataObject,
	record: IDataObject,
): Promise<OutputItem> {
	if (!step.params.boolean('options.downloadAttachments', false)) return { json };
	const binary: IBinaryKeyData = {};
	let n = 0;
	for (const value of Object.values((record.fields ?? {}) as IDataObject)) {
		if (!Array.isArray(value)) continue;
		for (const file of value as IDataObject[]) {
			if (
				!file ||
				typeof file !== 'object' ||
				typeof file.file_token !== 'string' ||
				!('size' in file)
			)
				continue;
			// Bases with advanced permissions need the `extra` of the attachment's own URL (the media download page).
			const extra =
				typeof file.url === 'string'
					? (new URL(file.url, 'https://open.feishu.cn').searchParams.get('extra') ?? undefined)
					: undefined;
			const downloaded = await step.download(
				{
					method: 'GET',
					path: `/open-apis/drive/v1/medias/${encodeURIComponent(file.file_token)}/download`,
					...(extra ? { qs: { extra } } : {}),
					binaryResponse: true,
				},
				'bitableMedia.download',
				BITABLE_ERRORS,
			);
			binary[`attachment_${n++}`] = await step.ctx.helpers.prepareBinaryData(
				downloaded.data,
				String(file.name ?? downloaded.fileName ?? file.file_token),
				String(file.type ?? downloaded.mimeType ?? 'application/octet-stream'),
			);
		}
	}
	return n > 0 ? { json, binary } : { json };
}

const OPERATORS = [
	'is',
	'isNot',
	'contains',
	'doesNotContain',
	'isEmpty',
	'isNotEmpty',
	'isGreater',
	'isGreaterEqual',
	'isLess',
	'isLessEqual',
] as const;

const fieldNameOptions = {
	loadOptionsMethod: 'getBitableFieldNames',
	loadOptionsDependsOn: ['base.value', 'table.value'],
};

const searchProperties: INodeProperties[] = [
	baseLocator,
	tableLocator,
	viewLocator,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		description:
			'Conditions on the columns (at most 50). Dates allow Is, Is Empty, Is Not Empty, Is Greater and Is Less, with a value like ExactDate,1767225600000 or Today.',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: fieldNameOptions,
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Does Not Contain', value: 'doesNotContain' },
							{ name: 'Is', value: 'is' },
							{ name: 'Is Empty', value: 'isEmpty' },
							{ name: 'Is Greater', value: 'isGreater' },
							{ name: 'Is Greater or Equal', value: 'isGreaterEqual' },
							{ name: 'Is Less', value: 'isLess' },
							{ name: 'Is Less or Equal', value: 'isLessEqual' },
							{ name: 'Is Not', value: 'isNot' },
							{ name: 'Is Not Empty', value: 'isNotEmpty' },
						],
						default: 'is',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							"Text, a number, an option's name, true/false, user IDs or record IDs; several separated by commas",
					},
				],
			},
		],
	},
	{
		displayName: 'Match',
		name: 'conjunction',
		type: 'options',
		options: [
			{ name: 'All Conditions (AND)', value: 'and' },
			{ name: 'Any Condition (OR)', value: 'or' },
		],
		default: 'and',
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Sort Rule',
		default: {},
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: fieldNameOptions,
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Descending',
						name: 'desc',
						type: 'boolean',
						default: false,
						description: 'Whether to sort from the largest (latest, last) down',
					},
				],
			},
		],
	},
];

const CONDITION_VALUES_FREE = new Set(['isEmpty', 'isNotEmpty']);

/** The documented search body: view, filter, sort, fields to return, automatic fields. */
function searchBody(step: OperationStep): Record<string, unknown> {
	const p = step.params;
	const body: Record<string, unknown> = {};
	const view = p.optionalString('view');
	if (view !== undefined) body.view_id = decodeURIComponent(p.pathId('view', view));
	const conditions =
		((p.raw('filter', {}) as IDataObject).conditions as IDataObject[] | undefined) ?? [];
	if (conditions.length > 50) p.fail('filter', `at most 50 conditions, got ${conditions.length}`);
	const advanced = p.jsonObject('options.filterJson');
	if (advanced && conditions.length > 0)
		p.fail('options.filterJson', 'use either Filter or Options › Filter (JSON), not both');
	if (advanced) body.filter = advanced;
	else if (conditions.length > 0) {
		body.filter = {
			conjunction: p.choice('conjunction', ['and', 'or'] as const, 'and'),
			conditions: conditions.map((c, i) => {
				const label = `Filter › Condition ${i + 1}`;
				const field_name = p.requiredString(
					`filter.conditions[${i}].field`,
					c.field,
					`${label} › Field`,
				);
				const operator = String(c.operator ?? 'is');
				if (!(OPERATORS as readonly string[]).includes(operator))
					p.fail(
						`filter.conditions[${i}].operator`,
						`must be one of ${OPERATORS.join(', ')}`,
						`${label} › Operator`,
					);
				const value = CONDITION_VALUES_FREE.has(operator)
					? []
					: p.stringList(`filter.conditions[${i}].value`, c.value ?? '', `${label} › Value`);
				return { field_name, operator, value };
			}),
		};
	}
	const rules = ((p.raw('sort', {}) as IDataObject).rules as IDataObject[] | undefined) ?? [];
	if (rules.length > 0)
		body.sort = rules.map((r, i) => ({
			field_name: p.requiredString(
				`sort.rules[${i}].field`,
				r.field,
				`Sort › Rule ${i + 1} › Field`,
			),
			desc: r.desc === true,
		}));
	const names = p.stringList('options.fieldNames', p.raw('options.fieldNames', ''));
	if (names.length > 200) p.fail('options.fieldNames', `at most 200 fields, got ${names.length}`);
	if (names.length > 0) body.field_names = names;
	if (p.boolean('options.automaticFields', false)) body.automatic_fields = true;
	return body;
}

const searchList = (
	table: TableRef & { path: string },
	body: Record<string, unknown>,
	userIdType: string,
): ListSpec => ({
	maxPageSize: SEARCH_PAGE,
	page: (_p, cursor, pageSize) => ({
		method: 'POST',
		path: `${table.path}/records/search`,
		qs: {
			user_id_type: userIdType,
			page_size: pageSize,
			...(cursor ? { page_token: cursor } : {}),
		},
		body,
		idempotent: true,
	}),
	read: (response) => ({
		records: (response.items as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	}),
});

const search: OperationDefinition = {
	value: 'search',
	name: 'Search',
	action: 'Search records',
	description:
		'Find records by conditions, sorted, in a view; Return All pages through 500 at a time',
	properties: searchProperties,
	paged: true,
	extraOptions: [
		OUTPUT_FORMAT,
		userIdTypeProperty,
		...DOWNLOAD,
		{
			displayName: 'Fields to Return',
			name: 'fieldNames',
			type: 'string',
			default: '',
			description: 'Column names, separated by commas (at most 200); empty returns every column',
		},
		{
			displayName: 'Include Automatic Fields',
			name: 'automaticFields',
			type: 'boolean',
			default: false,
			description: 'Whether to add created and modified time and by whom (as _created_time …)',
		},
		{
			displayName: 'Filter (JSON)',
			name: 'filterJson',
			type: 'json',
			default: '',
			description:
				'A filter in the API\'s own shape, with children (one level), instead of Filter: {"conjunction":"and","conditions":[{"field_name":"Status","operator":"is","value":["Done"]}]}',
		},
	],
	errors: BITABLE_ERRORS,
	async run(step) {
		const table = await tableOf(step);
		const body = searchBody(step);
		const schema =
			step.params.choice('options.outputFormat', ['simple', 'raw'] as const, 'simple') === 'simple'
				? await schemaOf(step, table)
				: [];
		const list = searchList(table, body, userIdTypeOf(step.params));
		// Page by page (500, the maximum, for Return All; no more than the Limit needs otherwise): each page is
		// shaped into output items before the next is asked for, so no more than one raw page is held.
		const p = step.params;
		const limit = p.boolean('returnAll', false) ? Infinity : p.integer('limit', 50, 1);
		const out: OutputItem[] = [];
		let cursor: string | undefined;
		for (;;) {
			const request = list.page(p, cursor, Math.min(list.maxPageSize, limit - out.length));
			const page = list.read(await step.send({ ...request, idempotent: true }), request);
			for (const record of page.records.slice(0, limit - out.length))
				out.push(await withDownloads(step, shape(record, schema, p), record));
			if (
				page.next === undefined ||
				page.next === cursor ||
				page.records.length === 0 ||
				out.length >= limit
			)
				return out;
			cursor = page.next;
		}
	},
};

/** Upsert's key columns: the mapper's "Columns to Match On", each a field whose values the `is` filter can match. */
function keyConditions(
	step: OperationStep,
	schema: BitableField[],
): Array<{ field_name: string; operator: 'is'; value: string[] }> {
	const p = step.params;
	const mapper = (p.raw('columns', {}) ?? {}) as {
		matchingColumns?: string[];
		mappingMode?: string;
		value?: IDataObject | null;
	};
	const keys = mapper.matchingColumns ?? [];
	if (keys.length === 0) p.fail('columns', 'choose at least one of Columns to Match On', 'Columns');
	const source: IDataObject =
		mapper.mappingMode === 'autoMapInputData'
			? (step.ctx.getInputData()[p.itemIndex]?.json ?? {})
			: (mapper.value ?? {});
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

const upsert: OperationDefinition = {
	value: 'upsert',
	name: 'Create or Update',
	action: 'Create or update a record',
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
		'bitableRecord.search',
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
			'bitableRecord.update',
		);
	return await createOne(
		step,
		table,
		schema,
		fields,
		'bitableRecord.upsert',
		'bitableRecord.create',
	);
}

const BATCH_SIZE = (max: number, fallback: number): INodeProperties => ({
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: max },
	default: fallback,
	description:
		max === MAX_BATCH
			? 'Records per call. Feishu takes up to 1,000; Lark (larksuite.com) up to 500, the default.'
			: `Records per call, up to ${max} (the documented maximum)`,
});

interface ManyEntry {
	table: TableRef & { path: string };
	schema: BitableField[];
	record?: PreparedRecord;
	recordId?: string;
}

const groupOf = (table: TableRef) => `${table.appToken}\u0000${table.tableId}`;

/** The outputs of a batch write, in the order of its entries; Feishu answers one record per record sent, in order. */
function batchOutputs(
	data: IDataObject,
	entries: ManyEntry[],
	steps: OperationStep[],
): IDataObject[] {
	const records = (data.records as IDataObject[] | undefined) ?? [];
	if (records.length !== entries.length) {
		throw new NodeOperationError(
			steps[0].ctx.getNode(),
			`Feishu answered ${records.length} records for the ${entries.length} sent in one call (items ${steps[0].itemIndex}–${steps[steps.length - 1].itemIndex}); check the table before running these items again`,
			{ itemIndex: steps[0].itemIndex },
		);
	}
	return entries.map((entry, k) => shape(records[k], entry.schema, steps[k].params));
}

/**
 * One batch write (Create Many, Update Many): each item's attachments are uploaded first, and an item whose
 * file cannot be uploaded fails alone (its error in its place) and is left out of the call; the others go in
 * one call, after the writes to the table already started here.
 */
async function writeMany(
	steps: OperationStep[],
	entries: ManyEntry[],
	call: (
		table: ManyEntry['table'],
		sent: OperationStep[],
		records: Array<{ recordId?: string; fields: Record<string, unknown> }>,
	) => Promise<IDataObject>,
): Promise<Array<IDataObject | Error>> {
	const results: Array<IDataObject | Error> = new Array(entries.length);
	const ready: number[] = [];
	const records: Array<{ recordId?: string; fields: Record<string, unknown> }> = [];
	for (let k = 0; k < entries.length; k++) {
		try {
			records.push({
				recordId: entries[k].recordId,
				fields: await withUploads(steps[k], entries[k].record!, entries[k].table.appToken),
			});
			ready.push(k);
		} catch (error) {
			results[k] = error instanceof Error ? error : new Error(String(error));
		}
	}
	if (ready.length > 0) {
		const sent = ready.map((k) => steps[k]);
		const { table } = entries[0];
		const data = await oneWriteAtATime(table, async () => await call(table, sent, records));
		const outputs = batchOutputs(
			data,
			ready.map((k) => entries[k]),
			sent,
		);
		ready.forEach((k, j) => (results[k] = outputs[j]));
	}
	return results;
}

const createMany: OperationDefinition = {
	value: 'createMany',
	name: 'Create Many',
	action: 'Create many records',
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

const updateMany: OperationDefinition = {
	value: 'updateMany',
	name: 'Update Many',
	action: 'Update many records',
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

const deleteMany: OperationDefinition = {
	value: 'deleteMany',
	name: 'Delete Many',
	action: 'Delete many records',
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

export const bitableRecord: ResourceDefinition = {
	value: 'bitableRecord',
	name: 'Bitable Record',
	description: 'Records (行) of a Bitable (多维表格) table',
	operations: [create, createMany, remove, deleteMany, get, search, update, updateMany, upsert],
	defaultOperation: 'search',
};
