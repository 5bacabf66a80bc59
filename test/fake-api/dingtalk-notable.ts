/**
 * The fake DingTalk AI tables (AI表格, formerly 多维表 Notable): bases (an AI table document, its ID the
 * node ID of its link), each with sheets (数据表) of typed fields; the operator (operatorId, a unionId)
 * checked against the base's collaborators; sheets and fields addressed by ID or by name; a field's type
 * and property checked as the field-type page documents them; at least one sheet kept in a base.
 * Source: docs/research/dingtalk-notable.md.
 */

import { randomBytes, randomUUID } from 'crypto';

import type { Answer, Handler } from './server';
import { USERS } from './server';

export interface NotableField {
	id: string;
	name: string;
	type: string;
	property: Record<string, unknown>;
}

export interface NotableRecord {
	id: string;
	fields: Record<string, unknown>;
	createdBy: string;
	lastModifiedBy: string;
	createdTime: number;
	lastModifiedTime: number;
}

export interface NotableSheet {
	id: string;
	name: string;
	/** The first is the primary field (主字段), which cannot be deleted. */
	fields: NotableField[];
	records: Map<string, NotableRecord>;
}

export interface NotableBase {
	id: string;
	name: string;
	/** The unionIds that may open it. */
	collaborators: Set<string>;
	sheets: NotableSheet[];
}

/** The sandbox's AI table (its link: https://alidocs.dingtalk.com/i/nodes/<this>). */
export const NOTABLE_BASE = 'QG53mjyd80eaqaLZSnYdoqb0W6zbX04v';
export const NOTABLE_TASKS = 'stNotableTasks01';
/** A base the sandbox's operators cannot open. */
export const NOTABLE_PRIVATE = 'Pr1vAteAiTable0000000000000000x1';

const fail = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});
const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body });

/** The common error rows of every AI-table page (§0), by code. */
const NOT_FOUND_BASE =
	'Fail to find the requested resource by the given baseId. Please make sure the given baseId is valid, and the operatorId has permission to access it.';
const invalid = (message: string) => fail(400, 'invalidRequest.inputArgs.invalid', message);
const resourceNotFound = (what: string) =>
	fail(404, 'invalidRequest.resource.notFound', `${what} not found`);

const NUMBER_FORMATS = [
	'INT',
	'FLOAT_1',
	'FLOAT_2',
	'FLOAT_3',
	'FLOAT_4',
	'THOUSAND',
	'THOUSAND_FLOAT',
	'PERCENT',
	'PERCENT_FLOAT',
];
const CURRENCY_FORMATS = ['INT', 'FLOAT_1', 'FLOAT_2', 'FLOAT_3', 'FLOAT_4'];
const CURRENCIES = [
	'CNY',
	'HKD',
	'USD',
	'EUR',
	'GBP',
	'MOP',
	'VND',
	'JPY',
	'KRW',
	'AED',
	'AUD',
	'BRL',
	'CAD',
	'CHF',
	'INR',
	'IDR',
	'MXN',
	'MYR',
	'PHP',
	'PLN',
	'RUB',
	'SGD',
	'THB',
	'TRY',
	'TWD',
];
const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY-MM-DD HH:mm', 'YYYY/MM/DD', 'YYYY/MM/DD HH:mm'];

/** A UUID v4 (clientToken: 「格式为标准的 UUID v4」). */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const isObject = (v: unknown): v is Record<string, unknown> =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with a value written to a field (the write shapes of §16.2), or undefined. */
function valueProblem(
	field: NotableField,
	value: unknown,
	base: NotableBase,
	resources: Map<string, NotableResource>,
): string | undefined {
	const choices = ((field.property.choices ?? []) as Array<{ name: string }>).map((c) => c.name);
	const expected = (what: string) =>
		`field ${field.name} (${field.type}) expects ${what}, got ${JSON.stringify(value)}`;
	switch (field.type) {
		case 'text':
			return typeof value === 'string' ? undefined : expected('a string');
		case 'number':
		case 'currency':
			return typeof value === 'number' ||
				(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
				? undefined
				: expected('a number');
		case 'singleSelect':
			if (typeof value !== 'string') return expected('an option name');
			return choices.includes(value) ? undefined : `field ${field.name}: no option ${value}`;
		case 'multipleSelect':
			if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
				return expected('a list of option names');
			return value.every((v) => choices.includes(v as string))
				? undefined
				: `field ${field.name}: not all of ${JSON.stringify(value)} are options`;
		case 'date':
			return (typeof value === 'number' && Number.isInteger(value)) ||
				(typeof value === 'string' && !Number.isNaN(Date.parse(value)))
				? undefined
				: expected('a timestamp in ms or an ISO 8601 string');
		case 'user':
			return Array.isArray(value) &&
				value.every((u) => isObject(u) && typeof u.unionId === 'string')
				? undefined
				: expected('[{"unionId"}]');
		case 'department':
			return Array.isArray(value) && value.every((d) => isObject(d) && d.deptId !== undefined)
				? undefined
				: expected('[{"deptId"}]');
		case 'url':
			return isObject(value) &&
				typeof value.link === 'string' &&
				typeof (value.text ?? '') === 'string'
				? undefined
				: expected('{"text", "link"}');
		case 'attachment': {
			if (
				!Array.isArray(value) ||
				!value.every(
					(a) =>
						isObject(a) &&
						typeof a.url === 'string' &&
						typeof a.filename === 'string' &&
						typeof a.resourceId === 'string',
				)
			)
				return expected('[{"filename", "size", "type", "url", "resourceId"}]');
			for (const a of value as Array<Record<string, unknown>>) {
				const resource = resources.get(String(a.resourceId));
				if (!resource?.bytes || resource.baseId !== base.id)
					return `field ${field.name}: resource ${String(a.resourceId)} was not uploaded to this AI table`;
				// 「url…第一步返回的 resourceUrl，注意不是uploadUrl」; filename, size and type as in step 1.
				if (a.url !== resource.resourceUrl)
					return `field ${field.name}: url must be the resourceUrl of step 1, got ${String(a.url)}`;
				if (
					a.filename !== resource.resourceName ||
					Number(a.size) !== resource.size ||
					a.type !== resource.mediaType
				)
					return `field ${field.name}: filename, size and type must be those of step 1`;
			}
			return undefined;
		}
		case 'unidirectionalLink':
		case 'bidirectionalLink': {
			if (!isObject(value) || !Array.isArray(value.linkedRecordIds))
				return expected('{"linkedRecordIds": […]}');
			const linked = base.sheets.find((s) => s.id === field.property.linkedSheetId);
			const missing = (value.linkedRecordIds as unknown[]).find(
				(id) => typeof id !== 'string' || !linked?.records.has(id),
			);
			return missing === undefined
				? undefined
				: `field ${field.name}: no record ${String(missing)} in the linked sheet`;
		}
		default:
			return `field ${field.name} cannot be written`;
	}
}

/** A stored value as the API answers it (the read shapes of §16.2). */
function readShape(
	field: NotableField | undefined,
	value: unknown,
	download: (resourceId: string) => string,
): unknown {
	if (!field) return value;
	if (field.type === 'attachment')
		// 「url是附件访问链接…有访问时效的下载链接」; `type` reads back like an extension ("xls").
		return (value as Array<Record<string, unknown>>).map((a) => ({
			filename: a.filename,
			size: a.size,
			type: String(a.filename).includes('.') ? String(a.filename).split('.').pop() : a.type,
			url: download(String(a.resourceId)),
		}));
	const choices = (field.property.choices ?? []) as Array<{ id: string; name: string }>;
	const option = (name: unknown) => choices.find((c) => c.name === name) ?? { id: '', name };
	switch (field.type) {
		case 'number':
		case 'currency':
			// 「数字值，以字符串形式返回」.
			return String(value);
		case 'singleSelect':
			return option(value);
		case 'multipleSelect':
			return (value as unknown[]).map(option);
		case 'date':
			return typeof value === 'number' ? value : Date.parse(String(value));
		default:
			return value;
	}
}

/** A file uploaded through an upload URL (§18), by its resourceId. */
export interface NotableResource {
	baseId: string;
	resourceName: string;
	size: number;
	mediaType: string;
	signature: string;
	resourceUrl: string;
	bytes?: Buffer;
}

export class DingTalkNotables {
	readonly bases = new Map<string, NotableBase>();
	readonly resources = new Map<string, NotableResource>();

	constructor(private readonly fake: { url: string }) {
		this.seed();
	}

	seed(): void {
		this.bases.clear();
		this.tokens.clear();
		this.resources.clear();
		const tasks: NotableSheet = {
			id: NOTABLE_TASKS,
			name: 'Tasks',
			fields: [],
			records: new Map(),
		};
		const field = (name: string, type: string, property: Record<string, unknown> = {}) =>
			tasks.fields.push({ id: `fld${randomBytes(4).toString('hex')}`, name, type, property });
		field('Name', 'text');
		field('Count', 'number', { formatter: 'INT' });
		field('Budget', 'currency', { currencyType: 'CNY', formatter: 'FLOAT_2' });
		field('Status', 'singleSelect', {
			choices: [
				{ id: 'optTodo', name: 'Todo' },
				{ id: 'optDoing', name: 'Doing' },
				{ id: 'optDone', name: 'Done' },
			],
		});
		field('Tags', 'multipleSelect', {
			choices: [
				{ id: 'optRed', name: 'red' },
				{ id: 'optGreen', name: 'green' },
			],
		});
		field('Due', 'date', { formatter: 'YYYY-MM-DD' });
		field('Owner', 'user', { multiple: true });
		field('Team', 'department', { multiple: false });
		field('Files', 'attachment');
		field('Related', 'unidirectionalLink', { multiple: true, linkedSheetId: NOTABLE_TASKS });
		field('Website', 'url');
		const seeded = Date.UTC(2026, 0, 5, 1);
		const record = (id: string, fields: Record<string, unknown>) =>
			tasks.records.set(id, {
				id,
				fields,
				createdBy: USERS.member,
				lastModifiedBy: USERS.member,
				createdTime: seeded,
				lastModifiedTime: seeded,
			});
		record('recNotableTask01', {
			Name: 'Write the report',
			Count: 3,
			Status: 'Doing',
			Tags: ['red'],
			Due: Date.UTC(2026, 0, 9, 16),
			Owner: [{ unionId: USERS.member }],
		});
		record('recNotableTask02', { Name: 'Review the draft', Count: 5, Status: 'Todo' });
		record('recNotableTask03', {
			Name: 'Ship it',
			Count: 8,
			Status: 'Done',
			Related: { linkedRecordIds: ['recNotableTask01'] },
			Website: { text: 'Release notes', link: 'https://example.com/notes' },
		});
		const notes: NotableSheet = {
			id: 'stNotableNotes01',
			name: 'Notes',
			fields: [{ id: 'fldNoteTitle1', name: 'Title', type: 'text', property: {} }],
			records: new Map(),
		};
		this.bases.set(NOTABLE_BASE, {
			id: NOTABLE_BASE,
			name: 'Sandbox AI table',
			collaborators: new Set([USERS.admin, USERS.member]),
			sheets: [tasks, notes],
		});
		this.bases.set(NOTABLE_PRIVATE, {
			id: NOTABLE_PRIVATE,
			name: 'Private AI table',
			collaborators: new Set([USERS.admin]),
			sheets: [
				{
					id: 'stPrivate00001',
					name: 'Secret',
					fields: [{ id: 'fldSecret0001', name: 'Name', type: 'text', property: {} }],
					records: new Map(),
				},
			],
		});
	}

	/** A base the operator may open, or the documented 404 (an unknown base and a base without access answer alike). */
	base(baseId: string, operatorId: string | undefined): NotableBase | Answer {
		const base = this.bases.get(baseId);
		if (!base || !base.collaborators.has(String(operatorId)))
			return fail(404, 'invalidRequest.document.notFound', NOT_FOUND_BASE);
		return base;
	}

	/** A sheet by ID or name (「数据表ID或数据表名称」). */
	sheet(base: NotableBase, idOrName: string): NotableSheet | undefined {
		return (
			base.sheets.find((s) => s.id === idOrName) ?? base.sheets.find((s) => s.name === idOrName)
		);
	}

	/** What is wrong with a field definition (type and property, §16.3), or undefined. */
	private fieldProblem(
		f: Record<string, unknown>,
		sheet: NotableSheet | undefined,
		base: NotableBase,
	): string | undefined {
		const p = (f.property ?? {}) as Record<string, unknown>;
		const oneOf = (key: string, allowed: string[]) =>
			p[key] !== undefined && !allowed.includes(String(p[key]))
				? `property.${key} "${String(p[key])}" is not one of ${allowed.join(', ')}`
				: undefined;
		switch (f.type) {
			case 'number':
				return oneOf('formatter', NUMBER_FORMATS);
			case 'currency':
				return oneOf('currencyType', CURRENCIES) ?? oneOf('formatter', CURRENCY_FORMATS);
			case 'date':
				return oneOf('formatter', DATE_FORMATS);
			case 'singleSelect':
			case 'multipleSelect': {
				if (p.choices === undefined) return undefined;
				if (
					!Array.isArray(p.choices) ||
					!p.choices.every(
						(c) => c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string',
					)
				)
					return 'property.choices must be [{"name": …}]';
				return undefined;
			}
			case 'user':
			case 'department':
				return p.multiple !== undefined && typeof p.multiple !== 'boolean'
					? 'property.multiple must be a boolean'
					: undefined;
			case 'unidirectionalLink':
			case 'bidirectionalLink': {
				if (typeof p.linkedSheetId !== 'string') return 'property.linkedSheetId is required';
				if (!base.sheets.some((s) => s.id === p.linkedSheetId) && p.linkedSheetId !== sheet?.id)
					return `property.linkedSheetId "${p.linkedSheetId}" is not a sheet of this base`;
				return undefined;
			}
			default:
				return undefined;
		}
	}

	private newField(f: Record<string, unknown>): NotableField {
		const property = { ...((f.property ?? {}) as Record<string, unknown>) };
		if (Array.isArray(property.choices))
			property.choices = (property.choices as Array<{ name: string }>).map((c) => ({
				id: `opt${randomBytes(4).toString('hex')}`,
				name: c.name,
			}));
		if ((f.type === 'user' || f.type === 'department') && property.multiple === undefined)
			property.multiple = true;
		return {
			id: `fld${randomBytes(4).toString('hex')}`,
			name: String(f.name),
			type: String(f.type),
			property,
		};
	}

	/** Insert answers by clientToken: a repeat with the same token is not carried out again (§9). */
	readonly tokens = new Map<string, { body: string; ids: string[] }>();

	private checkFields(
		fields: unknown,
		sheet: NotableSheet,
		base: NotableBase,
	): Record<string, unknown> | Answer {
		if (!isObject(fields)) return invalid('fields must be an object');
		for (const [name, value] of Object.entries(fields)) {
			const field = sheet.fields.find((f) => f.name === name || f.id === name);
			if (!field) return invalid(`field ${name} not found in sheet ${sheet.name}`);
			const problem = valueProblem(field, value, base, this.resources);
			if (problem) return invalid(problem);
		}
		return fields;
	}

	private recordOut(sheet: NotableSheet, r: NotableRecord, only?: string[]) {
		const fields: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(r.fields)) {
			if (only && !only.includes(name)) continue;
			fields[name] = readShape(
				sheet.fields.find((f) => f.name === name),
				value,
				(id) => {
					const resource = this.resources.get(id);
					return `${this.fake.url}/oss/notable/${id}/download?Expires=${Date.now() + 3600_000}&Signature=${resource?.signature ?? ''}`;
				},
			);
		}
		return {
			id: r.id,
			fields,
			createdBy: { unionId: r.createdBy },
			lastModifiedBy: { unionId: r.lastModifiedBy },
			createdTime: r.createdTime,
			lastModifiedTime: r.lastModifiedTime,
		};
	}

	/** Whether a record meets one condition of the list's filter (§17), on comparable values. */
	private meets(sheet: NotableSheet, r: NotableRecord, c: Record<string, unknown>): boolean {
		const field = sheet.fields.find((f) => f.name === c.field || f.id === c.field);
		const stored = field ? r.fields[field.name] : undefined;
		const comparable = (v: unknown): unknown =>
			field?.type === 'date' && typeof v === 'string' ? Date.parse(v) : v;
		const has =
			stored !== undefined &&
			stored !== null &&
			stored !== '' &&
			!(Array.isArray(stored) && stored.length === 0);
		const values = ((c.value ?? []) as unknown[]).map(comparable);
		const mine = comparable(stored);
		const asNumber = (v: unknown) => (typeof v === 'number' ? v : Number(v));
		switch (c.operator) {
			case 'empty':
				return !has;
			case 'notEmpty':
				return has;
			case 'equal':
				return has && values.some((v) => String(v) === String(mine));
			case 'notEqual':
				return !values.some((v) => String(v) === String(mine));
			case 'greater':
				return has && asNumber(mine) > asNumber(values[0]);
			case 'greaterEqual':
				return has && asNumber(mine) >= asNumber(values[0]);
			case 'less':
				return has && asNumber(mine) < asNumber(values[0]);
			case 'lessEqual':
				return has && asNumber(mine) <= asNumber(values[0]);
			case 'contain':
				return (
					has &&
					values.some((v) =>
						Array.isArray(mine) ? mine.includes(v) : String(mine).includes(String(v)),
					)
				);
			case 'notContain':
				return !values.some((v) =>
					Array.isArray(mine) ? mine.includes(v) : String(mine).includes(String(v)),
				);
			default:
				return false;
		}
	}

	handlers(): Record<string, Handler> {
		const at = (params: Record<string, string>, query: Record<string, string>) => {
			const base = this.base(params.baseId, query.operatorId);
			if (!('sheets' in base)) return { answer: base };
			if (params.sheetIdOrName === undefined) return { base };
			const sheet = this.sheet(base, params.sheetIdOrName);
			if (!sheet) return { answer: resourceNotFound(`sheet ${params.sheetIdOrName}`) };
			return { base, sheet };
		};
		const fieldOut = (f: NotableField) => ({
			id: f.id,
			name: f.name,
			type: f.type,
			property: f.property,
		});
		return {
			'dingtalk.notableSheet.getAll': ({ params, query }) => {
				const { answer, base } = at(params, query);
				if (answer) return answer;
				return ok({ value: base!.sheets.map((s) => ({ id: s.id, name: s.name })) });
			},
			'dingtalk.notableSheet.get': ({ params, query }) => {
				const { answer, sheet } = at(params, query);
				if (answer) return answer;
				return ok({ id: sheet!.id, name: sheet!.name });
			},
			'dingtalk.notableSheet.create': ({ params, query, body }) => {
				const { answer, base } = at(params, query);
				if (answer) return answer;
				const fields = (body.fields ?? []) as Array<Record<string, unknown>>;
				const names = new Set<string>();
				for (const f of fields) {
					if (names.has(String(f.name))) return invalid(`duplicate field name ${String(f.name)}`);
					names.add(String(f.name));
					const problem = this.fieldProblem(f, undefined, base!);
					if (problem) return invalid(`field ${String(f.name)}: ${problem}`);
				}
				let name = typeof body.name === 'string' && body.name !== '' ? body.name : '数据表';
				if (base!.sheets.some((s) => s.name === name))
					return invalid(`a sheet named ${name} already exists`);
				const sheet: NotableSheet = {
					id: `st${randomBytes(5).toString('hex')}`,
					name,
					fields: fields.map((f) => this.newField(f)),
					records: new Map(),
				};
				// A new sheet without fields gets a primary text field, as the product makes one.
				if (sheet.fields.length === 0)
					sheet.fields.push(this.newField({ name: '标题', type: 'text' }));
				base!.sheets.push(sheet);
				name = sheet.name;
				return ok({ id: sheet.id, name });
			},
			'dingtalk.notableSheet.delete': ({ params, query }) => {
				const { answer, base, sheet } = at(params, query);
				if (answer) return answer;
				// 「一篇AI表格文档中…至少有一个数据表」.
				if (base!.sheets.length === 1)
					return fail(403, 'forbidden.operationIllegal', 'an AI table keeps at least one sheet');
				base!.sheets = base!.sheets.filter((s) => s !== sheet);
				return ok({ success: true });
			},
			'dingtalk.notableField.getAll': ({ params, query }) => {
				const { answer, sheet } = at(params, query);
				if (answer) return answer;
				return ok({ value: sheet!.fields.map(fieldOut) });
			},
			'dingtalk.notableRecord.insert': ({ params, query, body }) => {
				const { answer, base, sheet } = at(params, query);
				if (answer) return answer;
				const token = query.clientToken;
				if (token !== undefined && !UUID_V4.test(token))
					return invalid('clientToken must be a UUID v4');
				const sent = JSON.stringify(body.records);
				if (token !== undefined && this.tokens.has(token)) {
					const earlier = this.tokens.get(token)!;
					// 「相同值的重复请求不会重复执行」; a token reused for other records is refused.
					if (earlier.body !== sent)
						return fail(
							409,
							'invalidRequest.duplicateClientToken',
							'Duplicate ClientToken detected. Please generate a new client token and retry.',
						);
					return ok({ value: earlier.ids.map((id) => ({ id })) });
				}
				const records = body.records as Array<{ fields: unknown }>;
				const checked: Array<Record<string, unknown>> = [];
				for (const r of records) {
					const fields = this.checkFields(r.fields, sheet!, base!);
					if ('status' in fields && 'body' in fields) return fields as Answer;
					checked.push(fields);
				}
				const now = Date.now();
				const ids = checked.map((fields) => {
					const id = `rec${randomBytes(5).toString('hex')}`;
					sheet!.records.set(id, {
						id,
						fields: { ...fields },
						createdBy: query.operatorId,
						lastModifiedBy: query.operatorId,
						createdTime: now,
						lastModifiedTime: now,
					});
					return id;
				});
				if (token !== undefined) this.tokens.set(token, { body: sent, ids });
				return ok({ value: ids.map((id) => ({ id })) });
			},
			'dingtalk.notable.uploadInfo': ({ params, query, body }) => {
				const base = this.bases.get(params.docId);
				if (!base || !base.collaborators.has(String(query.operatorId)))
					return fail(404, 'docNotExist', 'document not found');
				const size = Number(body.size);
				if (!Number.isInteger(size) || size <= 0)
					return fail(400, 'paramError', 'size must be positive');
				const id = randomUUID();
				const signature = randomBytes(8).toString('hex');
				const resourceUrl = `/core/api/resources/img/${id}`;
				this.resources.set(id, {
					baseId: base.id,
					resourceName: String(body.resourceName),
					size,
					mediaType: String(body.mediaType),
					signature,
					resourceUrl,
				});
				return ok({
					success: true,
					result: {
						uploadUrl: `${this.fake.url}/oss/notable/${id}?Expires=${Date.now() + 3600_000}&Signature=${signature}`,
						resourceId: id,
						resourceUrl,
					},
				});
			},
			'dingtalk.notable.upload': ({ params, query, upload }) => {
				const resource = this.resources.get(params.resourceId);
				if (!resource || query.Signature !== resource.signature)
					return { status: 403, body: '<Error><Code>SignatureDoesNotMatch</Code></Error>' };
				if (upload!.bytes.length !== resource.size)
					return {
						status: 400,
						body: `<Error><Code>InvalidArgument</Code><Message>size ${upload!.bytes.length}, announced ${resource.size}</Message></Error>`,
					};
				resource.bytes = upload!.bytes;
				return { status: 200, body: '' };
			},
			'dingtalk.notable.download': ({ params, query }) => {
				const resource = this.resources.get(params.resourceId);
				if (!resource?.bytes || query.Signature !== resource.signature)
					return { status: 403, body: '<Error><Code>AccessDenied</Code></Error>' };
				return {
					status: 200,
					body: undefined,
					bytes: resource.bytes,
					headers: {
						'Content-Type': resource.mediaType,
						'Content-Disposition': `attachment; filename="${resource.resourceName}"`,
					},
				};
			},
			'dingtalk.notableRecord.get': ({ params, query }) => {
				const { answer, sheet } = at(params, query);
				if (answer) return answer;
				const record = sheet!.records.get(params.recordId);
				if (!record) return resourceNotFound(`record ${params.recordId}`);
				return ok(this.recordOut(sheet!, record));
			},
			'dingtalk.notableRecord.list': ({ params, query, body }) => {
				const { answer, sheet } = at(params, query);
				if (answer) return answer;
				const max = body.maxResults === undefined ? 100 : Number(body.maxResults);
				if (!Number.isInteger(max) || max < 1 || max > 100)
					return invalid('maxResults must be between 1 and 100');
				const filter = body.filter as
					{ combination?: string; conditions: Array<Record<string, unknown>> } | undefined;
				for (const c of filter?.conditions ?? [])
					if (!sheet!.fields.some((f) => f.name === c.field || f.id === c.field))
						return invalid(`field ${String(c.field)} not found in sheet ${sheet!.name}`);
				const matching = [...sheet!.records.values()].filter((r) => {
					if (!filter || filter.conditions.length === 0) return true;
					const results = filter.conditions.map((c) => this.meets(sheet!, r, c));
					return filter.combination === 'or' ? results.some(Boolean) : results.every(Boolean);
				});
				const from =
					body.nextToken === undefined ? 0 : Number(String(body.nextToken).replace(/^page-/, ''));
				if (!Number.isInteger(from) || from < 0) return invalid('nextToken is not valid');
				const page = matching.slice(from, from + max);
				const more = from + max < matching.length;
				const only = body.fieldIdOrNames as string[] | undefined;
				return ok({
					hasMore: more,
					...(more ? { nextToken: `page-${from + max}` } : {}),
					records: page.map((r) => this.recordOut(sheet!, r, only)),
				});
			},
			'dingtalk.notableRecord.update': ({ params, query, body }) => {
				const { answer, base, sheet } = at(params, query);
				if (answer) return answer;
				const records = body.records as Array<{ id: string; fields: unknown }>;
				for (const r of records) {
					if (!sheet!.records.has(r.id)) return resourceNotFound(`record ${r.id}`);
					const fields = this.checkFields(r.fields, sheet!, base!);
					if ('status' in fields && 'body' in fields) return fields as Answer;
				}
				const now = Date.now();
				for (const r of records) {
					const record = sheet!.records.get(r.id)!;
					Object.assign(record.fields, r.fields);
					record.lastModifiedBy = query.operatorId;
					record.lastModifiedTime = now;
				}
				return ok({ value: records.map((r) => ({ id: r.id })) });
			},
			'dingtalk.notableRecord.delete': ({ params, query, body }) => {
				const { answer, sheet } = at(params, query);
				if (answer) return answer;
				const ids = body.recordIds as string[];
				const missing = ids.find((id) => !sheet!.records.has(id));
				if (missing) return resourceNotFound(`record ${missing}`);
				for (const id of ids) sheet!.records.delete(id);
				return ok({ success: true });
			},
			'dingtalk.notableField.create': ({ params, query, body }) => {
				const { answer, base, sheet } = at(params, query);
				if (answer) return answer;
				if (sheet!.fields.some((f) => f.name === body.name))
					return invalid(`a field named ${String(body.name)} already exists`);
				const problem = this.fieldProblem(body, sheet, base!);
				if (problem) return invalid(problem);
				const created = this.newField(body);
				sheet!.fields.push(created);
				return ok(fieldOut(created));
			},
		};
	}
}
