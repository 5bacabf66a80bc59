import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeProperties,
	ResourceMapperFields,
} from 'n8n-workflow';

import { lookup } from '../../../shared/lookup';
import type { ParamReader } from '../../../shared/params';
import { uuidKey } from '../../../shared/params';
import { withEditorStep } from '../../../shared/sheetEditor';
import type { TableColumn, TypedCell } from '../../../shared/tableModel';
import { isoDate, mapperField, mapperSource, SKIP, toCell } from '../../../shared/tableModel';
import type {
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../../shared/types';
import { whereToLook } from '../../../shared/retry';
import { oneAtATime } from '../../../shared/serial';
import type { AttachmentValue } from './attachments';
import {
	attachmentOf,
	checkAttachments,
	downloads,
	UPLOAD_ERRORS,
	withAttachments,
} from './attachments';
import { passedOn } from '../../../shared/tokens';
import { createDingTalkTransport, DINGTALK_RATE_LIMITS } from '../../transport';
import type { NotableField } from './common';
import {
	baseIdOf,
	columnOf,
	NOTABLE_ERRORS,
	notableBaseLocator,
	notableOperatorField,
	notableSheetLocator,
	operatorOf,
	sheetPath,
} from './common';

/**
 * The records (记录) of an AI-table sheet: create, get, update, delete and search, with the record's columns
 * through n8n's column mapper on the shared table model. Source: docs/research/dingtalk-notable.md §9–§17.
 */

/** 「每页获取的数据量，默认值为100，最小值为1，最大值为100」 (§11). */
const LIST_PAGE = 100;

const FIELDS = new WeakMap<object, Map<string, Promise<TableColumn[]>>>();

/** The sheet's fields as columns, read once per run and sheet. */
async function columnsOf(step: OperationStep): Promise<TableColumn[]> {
	const p = step.params;
	const baseId = baseIdOf(p);
	const path = `${sheetPath(p, baseId)}/fields`;
	return await lookup(FIELDS, step.ctx, path, p.itemIndex, async () => {
		const data = await step.send(
			{ method: 'GET', path, qs: { operatorId: operatorOf(p) } },
			DINGTALK_RATE_LIMITS['notableField.getAll'],
			NOTABLE_ERRORS,
		);
		return ((data.value as NotableField[] | undefined) ?? []).map((f, i) => columnOf(f, i === 0));
	});
}

const columnsProperty = (description: string, mode: 'add' | 'upsert' = 'add'): INodeProperties => ({
	displayName: 'Columns',
	name: 'columns',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description,
	hint: 'Lists (multiple select, person, department, link) take values separated by commas: persons by unionId, departments by deptId, links by record ID',
	typeOptions: {
		loadOptionsDependsOn: ['base.value', 'sheet.value', 'unionId'],
		resourceMapper: {
			resourceMapperMethod: mode === 'upsert' ? 'getNotableColumnsForUpsert' : 'getNotableColumns',
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
	placeholder: 'recXXXXXXXX',
	description,
});

const DOWNLOAD: INodeProperties = {
	displayName: 'Download Attachments',
	name: 'downloadAttachments',
	type: 'boolean',
	default: false,
	description:
		"Whether to download the records' attachments into binary data (attachment_0, attachment_1, …)",
};

const OUTPUT_FORMAT: INodeProperties = {
	displayName: 'Output',
	name: 'outputFormat',
	type: 'options',
	options: [
		{
			name: 'Simple',
			value: 'simple',
			description:
				'{ ID, ...fields }, with selects as option names, numbers as numbers, dates as ISO text, persons and departments as IDs',
		},
		{ name: 'Raw', value: 'raw', description: 'The record as the API answers it' },
	],
	default: 'simple',
};

/** An item's columns in the documented write shapes, and its attachment columns, to upload before the write. */
interface Prepared {
	fields: Record<string, unknown>;
	attachments: AttachmentValue[];
}

/** An item's columns in the documented write shapes (§16.2), checked (files too) before any request. */
async function fieldsOf(step: OperationStep): Promise<Prepared> {
	const p = step.params;
	const columns = await columnsOf(step);
	const { auto, source } = mapperSource(step);
	const byName = new Map(columns.map((c) => [c.name, c]));
	const fields: Record<string, unknown> = {};
	const attachments: AttachmentValue[] = [];
	for (const [name, value] of Object.entries(source)) {
		const column = byName.get(name);
		if (!column) {
			// Auto-map: a record read earlier carries its ID as "id" and its automatic fields as "_…".
			if (auto && (name === 'id' || name.startsWith('_'))) continue;
			return p.fail(
				'columns',
				`"${name}" is not a field of this sheet; its fields are ${columns.map((c) => `"${c.name}"`).join(', ')}`,
				'Columns',
			);
		}
		if (auto && column.kind === 'readOnly') continue;
		const fail = (problem: string): never =>
			p.fail('columns', `column "${name}" (${column.typeName}): ${problem}`, 'Columns');
		if (column.kind === 'attachment') {
			const files = attachmentOf(name, value, fail);
			if (files) attachments.push(files);
			continue;
		}
		if (value === null)
			fail('DingTalk documents no way to clear a field: leave the column out to keep its value');
		const cell = toCell(column, value, { allowNewOptions: false }, fail);
		if (cell === SKIP || cell === null) continue;
		switch (cell.kind) {
			case 'number':
				fields[name] = cell.number;
				break;
			case 'singleSelect':
				fields[name] = cell.option;
				break;
			case 'multiSelect':
				fields[name] = cell.options;
				break;
			case 'date':
				fields[name] = cell.ms;
				break;
			case 'person':
				fields[name] = cell.ids.map((unionId) => ({ unionId }));
				break;
			case 'department':
				fields[name] = cell.ids.map((deptId) => ({ deptId }));
				break;
			case 'link':
				fields[name] = { linkedRecordIds: cell.ids };
				break;
			case 'url':
				fields[name] = { text: cell.text, link: cell.link };
				break;
			case 'checkbox':
				fields[name] = cell.checked;
				break;
			case 'groupChat':
				fields[name] = cell.ids;
				break;
			default:
				fields[name] = cell.text;
		}
	}
	await checkAttachments(step, attachments);
	return { fields, attachments };
}

/** The item's fields with its attachments uploaded (right before its write). */
const ready = async (step: OperationStep, prepared: Prepared) =>
	await withAttachments(step, baseIdOf(step.params), prepared.fields, prepared.attachments);

/** A read value (§16.2) as a plain n8n value. */
function plain(column: TableColumn | undefined, value: unknown): unknown {
	switch (column?.kind) {
		case 'number': {
			// 「数字值，以字符串形式返回」, though the list page's example answers a number.
			const n = typeof value === 'string' ? Number(value) : value;
			return typeof n === 'number' && Number.isFinite(n) ? n : value;
		}
		case 'singleSelect':
			return value && typeof value === 'object' ? (value as IDataObject).name : value;
		case 'multiSelect':
			return Array.isArray(value)
				? value.map((v) => (v && typeof v === 'object' ? (v as IDataObject).name : v))
				: value;
		case 'date':
			return isoDate(value);
		case 'person':
			return Array.isArray(value) ? value.map((u) => (u as IDataObject).unionId) : value;
		case 'department':
			return Array.isArray(value) ? value.map((d) => (d as IDataObject).deptId) : value;
		case 'link':
			return value && typeof value === 'object' && !Array.isArray(value)
				? (value as IDataObject).linkedRecordIds
				: value;
		case 'attachment':
			// The files without their download link, which is valid for a while only (Raw keeps it).
			return Array.isArray(value)
				? value.map((f) => {
						const a = f as IDataObject;
						return { filename: a.filename, size: a.size, type: a.type };
					})
				: value;
		default:
			return value;
	}
}

/** A record as output: { id, ...columns, _createdTime, … } (simple), or the API's (raw). */
function shape(record: IDataObject, columns: TableColumn[], p: ParamReader): IDataObject {
	if (p.choice('options.outputFormat', ['simple', 'raw'] as const, 'simple') === 'raw')
		return record;
	const byName = new Map(columns.map((c) => [c.name, c]));
	const out: IDataObject = { id: record.id };
	for (const [name, value] of Object.entries((record.fields ?? {}) as IDataObject))
		out[name] = plain(byName.get(name), value) as IDataObject[keyof IDataObject];
	if (record.createdTime !== undefined) out._createdTime = isoDate(record.createdTime) as string;
	if (record.lastModifiedTime !== undefined)
		out._lastModifiedTime = isoDate(record.lastModifiedTime) as string;
	const by = (key: string) => ((record[key] ?? {}) as IDataObject).unionId;
	if (by('createdBy') !== undefined) out._createdBy = by('createdBy');
	if (by('lastModifiedBy') !== undefined) out._lastModifiedBy = by('lastModifiedBy');
	return out;
}

const recordPath = (p: ParamReader) => `${sheetPath(p, baseIdOf(p))}/records`;

/** Reads one record (GET …/records/:recordId). */
async function readRecord(step: OperationStep, id: string): Promise<IDataObject> {
	const p = step.params;
	return await step.send(
		{
			method: 'GET',
			path: `${recordPath(p)}/${p.pathId('recordId', id, 'Record ID')}`,
			qs: { operatorId: operatorOf(p) },
		},
		DINGTALK_RATE_LIMITS['notableRecord.get'],
	);
}

const at = [notableOperatorField, notableBaseLocator, notableSheetLocator];
/** The write pages' codes, and the attachment upload's. */
const WRITE_ERRORS = { ...NOTABLE_ERRORS, ...UPLOAD_ERRORS };

/** The list page's operators (§17), as the search conditions offer them. */
const OPERATORS = [
	{ name: 'Equal', value: 'equal' },
	{ name: 'Not Equal', value: 'notEqual' },
	{ name: 'Greater', value: 'greater' },
	{ name: 'Greater or Equal', value: 'greaterEqual' },
	{ name: 'Less', value: 'less' },
	{ name: 'Less or Equal', value: 'lessEqual' },
	{ name: 'Contains', value: 'contain' },
	{ name: 'Does Not Contain', value: 'notContain' },
	{ name: 'Is Empty', value: 'empty' },
	{ name: 'Is Not Empty', value: 'notEmpty' },
];

/**
 * A typed cell as a condition's value (「参考记录值格式」, the field's write shape): a number, a date in ms, a
 * select by its option name, text or a URL's text, a list's first entry.
 */
function conditionValue(cell: TypedCell, cannot: () => never): string | number {
	switch (cell.kind) {
		case 'number':
			return cell.number;
		case 'date':
			return cell.ms;
		case 'singleSelect':
			return cell.option;
		case 'multiSelect':
			return cell.options[0] ?? cannot();
		case 'checkbox':
			return cannot();
		default:
			return 'ids' in cell ? (cell.ids[0] ?? cannot()) : cell.text;
	}
}

/** POST …/records/list: the filter's conditions, 100 a page, nextToken until hasMore is false. */
async function searchList(step: OperationStep): Promise<ListSpec> {
	const p = step.params;
	const columns = await columnsOf(step);
	const path = `${recordPath(p)}/list`;
	const operatorId = operatorOf(p);
	const given = ((p.raw('filters', {}) as IDataObject | undefined)?.condition ??
		[]) as IDataObject[];
	const conditions = given.map((c, i) => {
		const label = `Filters › Condition ${i + 1}`;
		const field = p.requiredString(`filters.condition[${i}].field`, c.field, `${label} › Field`);
		const found = columns.find((col) => col.name === field);
		if (!found)
			return p.fail(
				'filters',
				`"${field}" is not a field of this sheet; its fields are ${columns.map((col) => `"${col.name}"`).join(', ')}`,
				label,
			);
		const column: TableColumn = found;
		const operator = String(c.operator ?? 'equal');
		if (operator === 'empty' || operator === 'notEmpty') return { field, operator };
		const fail = (problem: string): never =>
			p.fail('filters', `${label}: column "${field}" (${column.typeName}): ${problem}`, label);
		// The value in the field's write shape (「参考记录值格式」): a select by its option name, a date in ms.
		const cell = toCell(column, c.value, { allowNewOptions: true }, fail);
		if (cell === SKIP || cell === null) return fail('a value is needed for this operator');
		const value = conditionValue(cell, () => fail('this column cannot be filtered by a value'));
		return { field, operator, value: [value] };
	});
	const combination = p.choice('combination', ['and', 'or'] as const, 'and');
	const only = p.stringList('options.fields', p.raw('options.fields', ''), 'Options › Fields');
	if (only.length > 100) p.fail('options.fields', 'at most 100 fields (单次最多 100 个)');
	return {
		maxPageSize: LIST_PAGE,
		page: (_p, cursor, pageSize) => ({
			method: 'POST',
			path,
			qs: { operatorId },
			body: {
				maxResults: pageSize,
				...(cursor ? { nextToken: cursor } : {}),
				...(conditions.length > 0 ? { filter: { combination, conditions } } : {}),
				...(only.length > 0 ? { fieldIdOrNames: only } : {}),
			},
			// A read, safe to send again.
			idempotent: true,
		}),
		read: (response) => ({
			records: (response.records as IDataObject[] | undefined) ?? [],
			next:
				response.hasMore === true && response.nextToken ? String(response.nextToken) : undefined,
		}),
		shape: async (record) => {
			const binary = await downloads(step, record);
			return { json: shape(record, columns, p), ...(binary ? { binary } : {}) };
		},
	};
}

/**
 * Records per batch call. The insert, update and delete pages state no maximum (§9, §12, §13); a user of
 * the API reports 100 for insert, and the list page's pages are 100: the node sends at most 100.
 */
const MAX_BATCH = 100;

const BATCH_SIZE: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_BATCH },
	default: MAX_BATCH,
	description: `Records per call, up to ${MAX_BATCH} (the pages state no maximum; 100 is what DingTalk is reported to take)`,
};

interface ManyEntry {
	path: string;
	operatorId: string;
	columns: TableColumn[];
	prepared?: Prepared;
	/** Set by `writeMany`: the fields with the attachments uploaded. */
	fields?: Record<string, unknown>;
	recordId?: string;
}

/**
 * One batch write (Create Many, Update Many): each item's attachments are uploaded first, and an item whose
 * file cannot be uploaded fails alone (its error in its place) and is left out of the call; the others go in
 * one call, which answers their IDs in order. Each output is the record as written.
 */
async function writeMany(
	steps: OperationStep[],
	raw: unknown[],
	call: (sent: OperationStep[], entries: ManyEntry[]) => Promise<string[]>,
): Promise<Array<IDataObject | Error>> {
	const all = raw as ManyEntry[];
	const results: Array<IDataObject | Error> = new Array(all.length);
	const places: number[] = [];
	for (let k = 0; k < all.length; k++) {
		try {
			all[k].fields = await ready(steps[k], all[k].prepared!);
			places.push(k);
		} catch (error) {
			results[k] = error instanceof Error ? error : new Error(String(error));
		}
	}
	if (places.length === 0) return results;
	const ids = await call(
		places.map((k) => steps[k]),
		places.map((k) => all[k]),
	);
	places.forEach(
		(k, j) =>
			(results[k] = shape({ id: ids[j], fields: all[k].fields }, all[k].columns, steps[k].params)),
	);
	return results;
}

/** A batch's items: one group per sheet (a call never mixes two sheets or operators). */
async function manyEntry(step: OperationStep, withFields: boolean, withId: boolean) {
	const p = step.params;
	const recordId = withId ? p.requiredString('recordId') : undefined;
	if (recordId !== undefined) p.pathId('recordId', recordId, 'Record ID');
	const entry: ManyEntry = {
		path: recordPath(p),
		operatorId: operatorOf(p),
		columns: withFields ? await columnsOf(step) : [],
		...(withFields ? { prepared: await fieldsOf(step) } : {}),
		...(recordId !== undefined ? { recordId } : {}),
	};
	return { group: `${entry.path}\u0000${entry.operatorId}`, entry };
}

/** The IDs a write answered (`value: [{id}]`), one per record sent and in order, or an error naming the items. */
function answeredIds(data: IDataObject, steps: OperationStep[], sent: number): string[] {
	const ids = ((data.value as IDataObject[] | undefined) ?? []).map((v) => String(v.id));
	if (ids.length !== sent)
		steps[0].params.fail(
			'columns',
			`DingTalk answered ${ids.length} record IDs for the ${sent} sent in one call (items ${steps[0].itemIndex}–${steps[steps.length - 1].itemIndex}); check the sheet before running these items again`,
		);
	return ids;
}

/** Upsert's key columns: the mapper's Columns to Match On, each an `equal` condition on the item's value. */
function keyConditions(step: OperationStep, columns: TableColumn[]) {
	const p = step.params;
	const { source, keys } = mapperSource(step);
	if (keys.length === 0) p.fail('columns', 'choose at least one of Columns to Match On', 'Columns');
	return keys.map((key) => {
		const found = columns.find((c) => c.name === key);
		if (!found)
			return p.fail(
				'columns',
				`the key column "${key}" is not a field of the sheet`,
				'Columns to Match On',
			);
		const column: TableColumn = found;
		if (column.matchable !== true)
			p.fail(
				'columns',
				`the key column "${key}" is a ${column.typeName} field; upsert matches on text, number, currency, single select, date or URL columns`,
				'Columns to Match On',
			);
		const fail = (problem: string): never =>
			p.fail('columns', `key column "${key}": ${problem}`, 'Columns to Match On');
		const cell = toCell(column, source[key], { allowNewOptions: false }, fail);
		if (cell === SKIP || cell === null)
			return fail('the key is empty: an upsert needs a value to find the record by');
		const value = conditionValue(cell, () => fail('this column cannot be matched on'));
		return { field: key, operator: 'equal', value: [value] };
	});
}

const recordOperations: OperationDefinition[] = [
	{
		value: 'create',
		name: 'Create',
		action: 'Create a record',
		description:
			'Add one record (记录) to a sheet, its columns from the mapper; sent again after a lost answer with the same clientToken, so it exists once',
		lane: DINGTALK_RATE_LIMITS['notableRecord.create'],
		errors: WRITE_ERRORS,
		properties: [...at, columnsProperty("The record's values, by column")],
		extraOptions: [OUTPUT_FORMAT],
		async run(step) {
			const p: ParamReader = step.params;
			const fields = await ready(step, await fieldsOf(step));
			// 「相同值的重复请求不会重复执行」: one key per execution, node, run and item.
			const token = uuidKey(p, 'notableRecord.create');
			const data = await step.send({
				method: 'POST',
				path: recordPath(p),
				qs: { operatorId: operatorOf(p), clientToken: token },
				body: { records: [{ fields }] },
				idempotencyKey: token,
			});
			const id = String(((data.value as IDataObject[] | undefined) ?? [])[0]?.id ?? '');
			const record = await readRecord(step, id);
			return [{ json: shape(record, await columnsOf(step), p) }];
		},
	},
	{
		value: 'get',
		name: 'Get',
		action: 'Get a record',
		description: 'One record of a sheet by its ID',
		lane: DINGTALK_RATE_LIMITS['notableRecord.get'],
		errors: NOTABLE_ERRORS,
		properties: [...at, recordIdProperty('The record (from Search, or Create’s output)')],
		extraOptions: [OUTPUT_FORMAT, DOWNLOAD],
		async run(step) {
			const p: ParamReader = step.params;
			const columns = await columnsOf(step);
			const record = await readRecord(step, p.requiredString('recordId'));
			const binary = await downloads(step, record);
			return [{ json: shape(record, columns, p), ...(binary ? { binary } : {}) }];
		},
	},
	{
		value: 'update',
		name: 'Update',
		action: 'Update a record',
		description: 'Change the mapped columns of one record; the columns left out keep their values',
		lane: DINGTALK_RATE_LIMITS['notableRecord.update'],
		errors: WRITE_ERRORS,
		properties: [
			...at,
			recordIdProperty('The record to update (from Search, or Create’s output)'),
			columnsProperty('The columns to change'),
		],
		extraOptions: [OUTPUT_FORMAT],
		async run(step) {
			const p: ParamReader = step.params;
			const id = p.requiredString('recordId');
			p.pathId('recordId', id, 'Record ID');
			const fields = await ready(step, await fieldsOf(step));
			// Writing the same values again leaves the record as it is: safe to send twice.
			await step.send({
				method: 'PUT',
				path: recordPath(p),
				qs: { operatorId: operatorOf(p) },
				body: { records: [{ id, fields }] },
			});
			return [{ json: shape(await readRecord(step, id), await columnsOf(step), p) }];
		},
	},
	{
		value: 'delete',
		name: 'Delete',
		action: 'Delete a record',
		description: 'Delete one record of a sheet by its ID',
		lane: DINGTALK_RATE_LIMITS['notableRecord.delete'],
		errors: NOTABLE_ERRORS,
		properties: [...at, recordIdProperty('The record to delete')],
		async run(step) {
			const p: ParamReader = step.params;
			const id = p.requiredString('recordId');
			p.pathId('recordId', id, 'Record ID');
			try {
				// A lost answer is not sent again: a repeat would be answered "not found".
				const data = await step.send({
					method: 'POST',
					path: `${recordPath(p)}/delete`,
					qs: { operatorId: operatorOf(p) },
					body: { recordIds: [id] },
				});
				return [{ json: { id, deleted: data.success !== false } }];
			} catch (error) {
				throw passedOn(
					whereToLook(error, `Get the record ${id}: "not found" means it was deleted.`),
				);
			}
		},
	},
	{
		value: 'search',
		name: 'Search',
		action: 'Search records',
		description:
			'Records of a sheet matching the conditions (all or any of them), with Return All or a Limit; DingTalk documents no sort',
		lane: DINGTALK_RATE_LIMITS['notableRecord.search'],
		errors: NOTABLE_ERRORS,
		properties: [
			...at,
			{
				displayName: 'Match',
				name: 'combination',
				type: 'options',
				options: [
					{ name: 'All Conditions', value: 'and' },
					{ name: 'Any Condition', value: 'or' },
				],
				default: 'and',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Condition',
				description: 'None: every record of the sheet',
				options: [
					{
						displayName: 'Condition',
						name: 'condition',
						values: [
							{
								displayName: 'Field',
								name: 'field',
								type: 'string',
								default: '',
								required: true,
								description: 'The field’s name',
							},
							{
								displayName: 'Operator',
								name: 'operator',
								type: 'options',
								options: OPERATORS,
								default: 'equal',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								displayOptions: { hide: { operator: ['empty', 'notEmpty'] } },
								description:
									'As the column takes it: a select’s option name, a date, a number, a person’s unionId',
							},
						],
					},
				],
			},
		],
		extraOptions: [
			OUTPUT_FORMAT,
			DOWNLOAD,
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: 'Name, Status',
				description: 'Only these fields, by name, separated by commas (at most 100). Empty: all.',
			},
		],
		list: searchList,
	},
	{
		value: 'upsert',
		name: 'Create or Update',
		action: 'Create or update a record',
		// Found by its key columns; upserts of one key run one at a time.
		description: 'Create a new record, or update the current one if it already exists (upsert)',
		lane: DINGTALK_RATE_LIMITS['notableRecord.create'],
		errors: WRITE_ERRORS,
		properties: [
			...at,
			columnsProperty(
				"The record's values; the Columns to Match On find the record to update",
				'upsert',
			),
		],
		extraOptions: [OUTPUT_FORMAT],
		async run(step) {
			const p: ParamReader = step.params;
			const columns = await columnsOf(step);
			const conditions = keyConditions(step, columns);
			const prepared = await fieldsOf(step);
			const path = recordPath(p);
			const operatorId = operatorOf(p);
			// DingTalk has no upsert (§14): a search, then an update or a create, after any upsert of the same key here.
			return await oneAtATime(
				`notable-upsert\u0000${path}\u0000${JSON.stringify(conditions)}`,
				async () => {
					const found = await step.send(
						{
							method: 'POST',
							path: `${path}/list`,
							qs: { operatorId },
							// Two at most: enough to tell none, one and several apart.
							body: {
								maxResults: 2,
								filter: { combination: 'and', conditions },
								fieldIdOrNames: conditions.map((c) => c.field),
							},
							idempotent: true,
						},
						DINGTALK_RATE_LIMITS['notableRecord.search'],
					);
					const matches = (found.records as IDataObject[] | undefined) ?? [];
					if (matches.length > 1)
						p.fail(
							'columns',
							`several records match ${conditions.map((c) => `${c.field} = "${String(c.value[0])}"`).join(' and ')} (e.g. ${matches.map((m) => String(m.id)).join(', ')}); upsert updates only a single match. Choose more Columns to Match On.`,
							'Columns to Match On',
						);
					const fields = await ready(step, prepared);
					let id: string;
					if (matches.length === 1) {
						id = String(matches[0].id);
						await step.send(
							{ method: 'PUT', path, qs: { operatorId }, body: { records: [{ id, fields }] } },
							DINGTALK_RATE_LIMITS['notableRecord.update'],
						);
					} else {
						const token = uuidKey(p, 'notableRecord.upsert');
						const data = await step.send({
							method: 'POST',
							path,
							qs: { operatorId, clientToken: token },
							body: { records: [{ fields }] },
							idempotencyKey: token,
						});
						id = answeredIds(data, [step], 1)[0];
					}
					return [{ json: shape(await readRecord(step, id), columns, p) }];
				},
			);
		},
	},
	{
		value: 'createMany',
		name: 'Create Many',
		action: 'Create many records',
		description:
			'Add a record per input item, every item checked first, then sent in batches (up to 100 per call) with a clientToken each',
		lane: DINGTALK_RATE_LIMITS['notableRecord.create'],
		errors: WRITE_ERRORS,
		properties: [...at, columnsProperty("Each record's values, by column")],
		extraOptions: [BATCH_SIZE, OUTPUT_FORMAT],
		batch: {
			size: (p) => p.integer('options.batchSize', MAX_BATCH, 1, MAX_BATCH),
			prepare: async (step) => await manyEntry(step, true, false),
			send: async (steps, raw) =>
				await writeMany(steps, raw, async (sent, entries) => {
					const { path, operatorId } = entries[0];
					// One key per call, derived from its items: a retried call is never created twice.
					const token = uuidKey(
						sent[0].params,
						`notableRecord.createMany:${sent.map((x) => x.itemIndex).join(',')}`,
					);
					const data = await sent[0].send({
						method: 'POST',
						path,
						qs: { operatorId, clientToken: token },
						body: { records: entries.map((e) => ({ fields: e.fields })) },
						idempotencyKey: token,
					});
					return answeredIds(data, sent, entries.length);
				}),
		},
	},
	{
		value: 'updateMany',
		name: 'Update Many',
		action: 'Update many records',
		description:
			'Change the mapped columns of a record per input item (its Record ID), every item checked first, then sent in batches (up to 100 per call)',
		lane: DINGTALK_RATE_LIMITS['notableRecord.update'],
		errors: WRITE_ERRORS,
		properties: [
			...at,
			recordIdProperty('The record each item updates'),
			columnsProperty('The columns to change'),
		],
		extraOptions: [BATCH_SIZE, OUTPUT_FORMAT],
		batch: {
			size: (p) => p.integer('options.batchSize', MAX_BATCH, 1, MAX_BATCH),
			prepare: async (step) => await manyEntry(step, true, true),
			send: async (steps, raw) =>
				await writeMany(steps, raw, async (sent, entries) => {
					const { path, operatorId } = entries[0];
					// The same values written again leave the records as they are: safe to send twice.
					const data = await sent[0].send({
						method: 'PUT',
						path,
						qs: { operatorId },
						body: { records: entries.map((e) => ({ id: e.recordId, fields: e.fields })) },
					});
					answeredIds(data, sent, entries.length);
					return entries.map((e) => String(e.recordId));
				}),
		},
	},
	{
		value: 'deleteMany',
		name: 'Delete Many',
		action: 'Delete many records',
		description:
			'Delete a record per input item (its Record ID), sent in batches (up to 100 per call)',
		lane: DINGTALK_RATE_LIMITS['notableRecord.delete'],
		errors: NOTABLE_ERRORS,
		properties: [...at, recordIdProperty('The record each item deletes')],
		extraOptions: [BATCH_SIZE],
		batch: {
			size: (p) => p.integer('options.batchSize', MAX_BATCH, 1, MAX_BATCH),
			prepare: async (step) => await manyEntry(step, false, true),
			async send(steps, raw) {
				const entries = raw as ManyEntry[];
				const { path, operatorId } = entries[0];
				// Not sent again after a lost answer: the repeat would answer "not found" for records the first
				// call deleted. The error says the outcome is unknown instead.
				const data = await steps[0].send({
					method: 'POST',
					path: `${path}/delete`,
					qs: { operatorId },
					body: { recordIds: entries.map((e) => e.recordId) },
				});
				return entries.map((e) => ({ id: e.recordId, deleted: data.success !== false }));
			},
		},
	},
];

export const notableRecord: ResourceDefinition = {
	value: 'notableRecord',
	name: 'AI Table Record',
	description: 'The records (记录) of an AI-table sheet, their columns through the column mapper',
	operations: recordOperations,
	defaultOperation: 'search',
};

/** The sheet's columns for the mapper (an attachment column takes binary property names). */
async function mapperColumns(
	ctx: ILoadOptionsFunctions,
	forUpsert: boolean,
): Promise<ResourceMapperFields> {
	const transport = await createDingTalkTransport(ctx);
	return await withEditorStep(ctx, transport, at, NOTABLE_ERRORS, async (step) => ({
		fields: (await columnsOf(step)).map((c) => mapperField(c, forUpsert)),
	}));
}

export const notableResourceMapping = {
	async getNotableColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return await mapperColumns(this, false);
	},
	async getNotableColumnsForUpsert(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return await mapperColumns(this, true);
	},
};
