/**
 * The fake DingTalk AI tables (AI表格, formerly 多维表 Notable): bases (an AI table document, its ID the
 * node ID of its link), each with sheets (数据表) of typed fields; the operator (operatorId, a unionId)
 * checked against the base's collaborators; sheets and fields addressed by ID or by name; a field's type
 * and property checked as the field-type page documents them; at least one sheet kept in a base.
 * Source: docs/research/dingtalk-notable.md.
 */

import { randomBytes } from 'crypto';

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

export class DingTalkNotables {
	readonly bases = new Map<string, NotableBase>();

	constructor() {
		this.seed();
	}

	seed(): void {
		this.bases.clear();
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
