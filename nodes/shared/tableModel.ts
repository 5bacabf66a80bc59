import type { FieldType, IDataObject, ResourceMapperField } from 'n8n-workflow';

import type { ParamReader } from './params';
import { describeValue } from './params';
import type { OperationStep } from './types';

/**
 * Tables on both platforms (Feishu Bitable 多维表格, DingTalk AI tables AI表格), one model: each platform
 * says what kind each of its field types is, and the n8n value of a cell is checked and converted by one
 * table of converters, the same on both platforms, into a typed cell. Each platform then writes the typed
 * cell in its documented shape (Bitable: docs/research/feishu-bitable.md §4–5; AI tables:
 * docs/research/dingtalk-notable.md §16) and reads its answers back through the same kinds.
 */

/** What a column holds, whatever the platform calls its type. */
export type ColumnKind =
	| 'text'
	| 'number'
	| 'singleSelect'
	| 'multiSelect'
	| 'date'
	| 'checkbox'
	| 'person'
	| 'department'
	| 'phone'
	| 'url'
	| 'attachment'
	| 'link'
	| 'location'
	| 'groupChat'
	/** Computed or system columns (formula, created time, auto number …): never written. */
	| 'readOnly';

/** A table's column as the model sees it. */
export interface TableColumn {
	/** The column's name: the key of a record's fields on both platforms, and the mapper's column ID. */
	name: string;
	kind: ColumnKind;
	/** The platform's type, as users know it (for messages). */
	typeName: string;
	/** Select columns: the option names. */
	options?: string[];
	/** The table's primary (first) column. */
	primary?: boolean;
	/** Link columns: what a record ID looks like on this platform (else any non-empty text), and its hint. */
	recordId?: { pattern: RegExp; hint: string };
	/** Whether upsert can find a record by this column (the platform's filter supports it). */
	matchable?: boolean;
}

/** One cell's value, checked and converted, before the platform writes it. */
export type TypedCell =
	| { kind: 'text' | 'phone' | 'location'; text: string }
	| { kind: 'number'; number: number }
	| { kind: 'singleSelect'; option: string }
	| { kind: 'multiSelect'; options: string[] }
	| { kind: 'date'; ms: number }
	| { kind: 'checkbox'; checked: boolean }
	| { kind: 'person' | 'department' | 'groupChat' | 'link'; ids: string[] }
	| { kind: 'url'; text: string; link: string };

/** Where a conversion failure is reported: the column, the item and the expected type. */
export type Fail = (problem: string) => never;

export interface CellOptions {
	/** Select columns: an option the column lacks is created (the platform's behaviour) instead of refused. */
	allowNewOptions: boolean;
}

/** Nothing to write: the column is left as it is. */
export const SKIP = Symbol('skip');

const describe = describeValue;

/** A list from an array, or from text separated by commas or new lines; `{id}` objects give their ID. */
export function idList(value: unknown, fail: Fail, what: string): string[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[,\n]/)
			: typeof value === 'number'
				? [String(value)]
				: fail(`expected ${what}, got ${describe(value)}`);
	return parts
		.map((part) => {
			if (typeof part === 'string' || typeof part === 'number') return String(part).trim();
			if (part && typeof part === 'object' && typeof (part as { id?: unknown }).id === 'string')
				return String((part as { id: string }).id).trim();
			return fail(`expected ${what}, got a list with ${describe(part)}`);
		})
		.filter((s) => s !== '');
}

/** Milliseconds from a number (ms), an ISO date string, a JS Date or an n8n (Luxon) DateTime. */
export function millis(value: unknown, fail: Fail): number {
	if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	) {
		const ms = (value as { toMillis(): number }).toMillis();
		if (Number.isFinite(ms)) return ms;
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (/^-?\d+$/.test(text)) return Number(text);
		const ms = Date.parse(text);
		if (!Number.isNaN(ms)) return ms;
	}
	return fail(
		`expected a date (an ISO date like 2026-12-01T09:00:00Z, or a timestamp in milliseconds), got ${describe(value)}`,
	);
}

function checkOption(column: TableColumn, option: string, options: CellOptions, fail: Fail) {
	const known = column.options ?? [];
	if (!options.allowNewOptions && !known.includes(option))
		fail(
			`"${option}" is not an option of this field (${known.map((o) => `"${o}"`).join(', ') || 'none yet'}); turn on Options › Allow New Options to create it`,
		);
	return option;
}

/**
 * One n8n value as a typed cell of its column. `null` clears the cell; undefined and empty text (except in
 * a text column) leave it unchanged (SKIP). Attachments are the caller's (they are uploaded first).
 */
export function toCell(
	column: TableColumn,
	value: unknown,
	options: CellOptions,
	fail: Fail,
): TypedCell | null | typeof SKIP {
	if (
		value === undefined ||
		(typeof value === 'string' && value.trim() === '' && column.kind !== 'text')
	)
		return SKIP;
	if (value === null) return null;
	switch (column.kind) {
		case 'text': {
			if (typeof value === 'string') return { kind: 'text', text: value };
			if (typeof value === 'number' || typeof value === 'boolean')
				return { kind: 'text', text: String(value) };
			// Bitable's read shape (text segments) written back.
			if (
				Array.isArray(value) &&
				value.every(
					(s) => s && typeof s === 'object' && typeof (s as { text?: unknown }).text === 'string',
				)
			)
				return { kind: 'text', text: value.map((s) => (s as { text: string }).text).join('') };
			return fail(`expected text, got ${describe(value)}`);
		}
		case 'number': {
			const n = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
			if (typeof n !== 'number' || !Number.isFinite(n))
				fail(`expected a number, got ${describe(value)}`);
			return { kind: 'number', number: n };
		}
		case 'singleSelect': {
			// The read shape ({id, name}) written back.
			const given =
				value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string'
					? (value as { name: string }).name
					: value;
			if (typeof given !== 'string' && typeof given !== 'number')
				fail(`expected one option's name, got ${describe(value)}`);
			return {
				kind: 'singleSelect',
				option: checkOption(column, String(given).trim(), options, fail),
			};
		}
		case 'multiSelect': {
			const given = Array.isArray(value)
				? value.map((v) =>
						v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string'
							? (v as { name: string }).name
							: v,
					)
				: value;
			return {
				kind: 'multiSelect',
				options: idList(given, fail, 'option names').map((o) =>
					checkOption(column, o, options, fail),
				),
			};
		}
		case 'date':
			return { kind: 'date', ms: millis(value, fail) };
		case 'checkbox': {
			if (typeof value === 'boolean') return { kind: 'checkbox', checked: value };
			if (value === 'true' || value === 'false')
				return { kind: 'checkbox', checked: value === 'true' };
			return fail(`expected true or false, got ${describe(value)}`);
		}
		case 'person':
			return { kind: 'person', ids: idList(value, fail, 'user IDs') };
		case 'department':
			return { kind: 'department', ids: idList(value, fail, 'department IDs') };
		case 'groupChat':
			return { kind: 'groupChat', ids: idList(value, fail, 'chat IDs') };
		case 'phone': {
			if (typeof value !== 'string' && typeof value !== 'number')
				fail(`expected a phone number, got ${describe(value)}`);
			const phone = String(value).trim().replace(/[\s-]/g, '');
			if (!/^\+?\d*$/.test(phone) || phone.length > 64)
				fail(`expected digits, optionally starting with "+", at most 64, got "${String(value)}"`);
			return { kind: 'phone', text: phone };
		}
		case 'url': {
			if (typeof value === 'string') {
				const link = value.trim();
				if (!/^[a-z][a-z0-9+.-]*:/i.test(link)) fail(`expected a URL (https://…), got "${link}"`);
				return { kind: 'url', text: link, link };
			}
			if (
				value &&
				typeof value === 'object' &&
				typeof (value as { link?: unknown }).link === 'string'
			) {
				const v = value as { link: string; text?: unknown };
				return { kind: 'url', text: String(v.text ?? v.link), link: v.link };
			}
			return fail(`expected a URL, or {"link", "text"}, got ${describe(value)}`);
		}
		case 'link': {
			// The read shapes written back: Bitable's {link_record_ids}, AI tables' {linkedRecordIds}.
			const o = value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
			const listed =
				(o as { link_record_ids?: unknown; linkedRecordIds?: unknown } | undefined) ?? {};
			const given = Array.isArray(listed.link_record_ids)
				? listed.link_record_ids
				: Array.isArray(listed.linkedRecordIds)
					? listed.linkedRecordIds
					: value;
			const ids = idList(given, fail, 'record IDs');
			const form = column.recordId;
			if (form)
				for (const id of ids)
					if (!form.pattern.test(id)) fail(`expected record IDs (${form.hint}), got "${id}"`);
			return { kind: 'link', ids };
		}
		case 'location': {
			const text =
				value &&
				typeof value === 'object' &&
				typeof (value as { location?: unknown }).location === 'string'
					? (value as { location: string }).location
					: value;
			const m =
				typeof text === 'string'
					? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
					: null;
			if (!m || Math.abs(Number(m[1])) > 180 || Math.abs(Number(m[2])) > 90)
				fail(`expected "longitude,latitude" (e.g. "116.397755,39.903179"), got ${describe(value)}`);
			return { kind: 'location', text: `${m[1]},${m[2]}` };
		}
		case 'attachment':
			// Uploaded by the caller first; a value here has come past it.
			return fail(`the field is a ${column.typeName} field, which the node cannot write`);
		default:
			return fail(`the field is a ${column.typeName} field, which the API cannot write`);
	}
}

/** The short type hint after a column's name in the mapper (the field's documentation says the rest). */
const MAPPER_HINTS: Partial<Record<ColumnKind, string>> = {
	multiSelect: 'list',
	person: 'user IDs',
	department: 'department IDs',
	attachment: 'binary properties',
	link: 'record IDs',
	location: 'lng,lat',
	groupChat: 'chat IDs',
};

/**
 * How a column is offered in n8n's column mapper. A single select offers the column's options (a value the
 * column lacks still comes in through an expression, with Allow New Options). A read-only column is not
 * offered at all: nothing can be written to it. Upsert may still match on one (an auto number): there it
 * is offered to match on, and never written.
 */
export function mapperField(column: TableColumn, forUpsert: boolean): ResourceMapperField {
	// A checkbox is offered as a choice, not as n8n's boolean: the mapper fills every boolean column with false,
	// which would untick every checkbox of the record on an update; an unset choice is left out.
	const types: Partial<Record<ColumnKind, FieldType>> = {
		text: 'string',
		number: 'number',
		singleSelect: 'options',
		date: 'dateTime',
		checkbox: 'options',
	};
	const writable = column.kind !== 'readOnly';
	const matchable = forUpsert && column.matchable === true;
	const options =
		column.kind === 'checkbox'
			? [
					{ name: 'Checked', value: true },
					{ name: 'Unchecked', value: false },
				]
			: column.kind === 'singleSelect'
				? (column.options ?? []).map((o) => ({ name: o, value: o }))
				: undefined;
	const hint = MAPPER_HINTS[column.kind];
	return {
		id: column.name,
		displayName: hint ? `${column.name} (${hint})` : column.name,
		required: false,
		defaultMatch: forUpsert && column.primary === true && column.matchable === true,
		canBeUsedToMatch: matchable,
		display: writable || matchable,
		type: types[column.kind] ?? 'string',
		...(options ? { options } : {}),
		readOnly: !writable && !matchable,
		removed: !writable,
	};
}

/** A date as n8n shows dates: ISO 8601 in UTC (both platforms answer milliseconds; Raw output keeps them). */
export function isoDate(value: unknown): unknown {
	return typeof value === 'number' && Number.isFinite(value)
		? new Date(value).toISOString()
		: value;
}

/**
 * The column mapper's values for an item: the mapped values, or the item's JSON with Map Automatically;
 * and its Columns to Match On (upsert).
 */
export function mapperSource(step: Pick<OperationStep, 'ctx'> & { params: ParamReader }): {
	auto: boolean;
	source: IDataObject;
	keys: string[];
} {
	const p = step.params;
	const mapper = (p.raw('columns', {}) ?? {}) as {
		mappingMode?: string;
		value?: IDataObject | null;
		matchingColumns?: string[];
	};
	const auto = mapper.mappingMode === 'autoMapInputData';
	return {
		auto,
		source: auto ? (step.ctx.getInputData()[p.itemIndex]?.json ?? {}) : (mapper.value ?? {}),
		keys: mapper.matchingColumns ?? [],
	};
}
