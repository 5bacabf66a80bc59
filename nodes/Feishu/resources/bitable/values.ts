import type { FieldType, IDataObject, ResourceMapperField } from 'n8n-workflow';

import { describeValue } from '../../../shared/params';
import type { BitableField } from './common';

/**
 * n8n values into the documented write shape of each Bitable field type, and the read shape back into
 * plain values. Source: the record data structure page (bitable-record-data-structure-overview) and the
 * field guide (app-table-field/guide), summarised in docs/research/feishu-bitable.md §4–5.
 */

export const FIELD_TYPES: Record<number, string> = {
	1: 'text',
	2: 'number',
	3: 'single select',
	4: 'multiple select',
	5: 'date',
	7: 'checkbox',
	11: 'person',
	13: 'phone',
	15: 'URL',
	17: 'attachment',
	18: 'link',
	19: 'lookup',
	20: 'formula',
	21: 'two-way link',
	22: 'location',
	23: 'group chat',
	24: 'workflow',
	1001: 'created time',
	1002: 'modified time',
	1003: 'created by',
	1004: 'modified by',
	1005: 'auto number',
	3001: 'button',
};

/** The types the record write pages list as writable (plus group chat, which their examples write). */
const WRITABLE = new Set([1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 21, 22, 23]);

export const isWritable = (field: BitableField) => WRITABLE.has(field.type);
export const typeName = (field: BitableField) =>
	field.ui_type && field.type === 1 && field.ui_type !== 'Text'
		? `text (${field.ui_type})`
		: (FIELD_TYPES[field.type] ?? `type ${field.type}`);

/** Types whose values can find a record with the documented `is` filter, for upsert's key fields. */
const MATCHABLE = new Set([1, 2, 3, 7, 13, 15, 1005]);
export const canMatchOn = (field: BitableField) => MATCHABLE.has(field.type);

/** The short type hint after a column's name in the mapper (the field's documentation says the rest). */
const MAPPER_HINTS: Record<number, string> = {
	4: 'list',
	11: 'user IDs',
	17: 'binary properties',
	18: 'record IDs',
	21: 'record IDs',
	22: 'lng,lat',
	23: 'chat IDs',
};

/**
 * How a column is offered in n8n's column mapper. A single select offers the column's options (a value the
 * column lacks still comes in through an expression, with Allow New Options). A read-only column (formula,
 * created time, …) is not offered at all: nothing can be written to it. Upsert may still match on one
 * (an auto number): there it is offered to match on, and never written.
 */
export function mapperField(field: BitableField, forUpsert: boolean): ResourceMapperField {
	// A checkbox is offered as a choice, not as n8n's boolean: the mapper fills every boolean column with false,
	// which would untick every checkbox of the record on an update; an unset choice is left out.
	const types: Record<number, FieldType> = {
		1: 'string',
		2: 'number',
		3: 'options',
		5: 'dateTime',
		7: 'options',
	};
	const writable = isWritable(field);
	const matchable = forUpsert && canMatchOn(field);
	const options =
		field.type === 7
			? [
					{ name: 'Checked', value: true },
					{ name: 'Unchecked', value: false },
				]
			: field.type === 3
				? (field.property?.options ?? []).map((o) => ({ name: o.name, value: o.name }))
				: undefined;
	return {
		id: field.field_name,
		displayName: MAPPER_HINTS[field.type]
			? `${field.field_name} (${MAPPER_HINTS[field.type]})`
			: field.field_name,
		required: false,
		defaultMatch: forUpsert && field.is_primary === true && canMatchOn(field),
		canBeUsedToMatch: matchable,
		display: writable || matchable,
		type: types[field.type] ?? 'string',
		...(options ? { options } : {}),
		readOnly: !writable && !matchable,
		removed: !writable,
	};
}

/** Where a conversion failure is reported: the column, the item and the expected type. */
type Fail = (problem: string) => never;

interface WriteOptions {
	/** Single and multiple select: an option the field lacks is created (the API's behaviour) instead of refused. */
	allowNewOptions: boolean;
}

/** Nothing to write: the column is left as it is. */
export const SKIP = Symbol('skip');

const describe = describeValue;

/** A list from an array, or from text separated by commas or new lines. */
function listOf(value: unknown, fail: Fail, what: string): string[] {
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
			if (part && typeof part === 'object' && typeof (part as IDataObject).id === 'string')
				return String((part as IDataObject).id).trim();
			return fail(`expected ${what}, got a list with ${describe(part)}`);
		})
		.filter((s) => s !== '');
}

/** Milliseconds from a number (ms), an ISO date string, a JS Date or an n8n (Luxon) DateTime. */
function millis(value: unknown, fail: Fail): number {
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

function optionsOf(field: BitableField): string[] {
	return (field.property?.options ?? []).map((o) => String(o.name));
}

function checkOption(
	field: BitableField,
	option: string,
	options: WriteOptions,
	fail: Fail,
): string {
	const known = optionsOf(field);
	if (!options.allowNewOptions && !known.includes(option)) {
		fail(
			`"${option}" is not an option of this field (${known.map((o) => `"${o}"`).join(', ') || 'none yet'}); turn on Options › Allow New Options to create it`,
		);
	}
	return option;
}

/**
 * One n8n value as the documented write value of its field. `null` clears the field (the update pages:
 * "可将字段设为 null"); undefined and empty text leave it unchanged. Attachments are handled by the caller
 * (they are uploaded first).
 */
export function toApiValue(
	field: BitableField,
	value: unknown,
	options: WriteOptions,
	fail: Fail,
): unknown {
	if (value === undefined || (typeof value === 'string' && value.trim() === '' && field.type !== 1))
		return SKIP;
	if (value === null) return null;
	if (!isWritable(field))
		fail(`the field is a ${typeName(field)} field, which the API cannot write`);
	switch (field.type) {
		case 1: {
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			// The read shape (text segments) written back.
			if (
				Array.isArray(value) &&
				value.every(
					(s) => s && typeof s === 'object' && typeof (s as IDataObject).text === 'string',
				)
			) {
				return value.map((s) => (s as IDataObject).text).join('');
			}
			return fail(`expected text, got ${describe(value)}`);
		}
		case 2: {
			const n = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
			if (typeof n !== 'number' || !Number.isFinite(n))
				fail(`expected a number, got ${describe(value)}`);
			return n;
		}
		case 3: {
			if (typeof value !== 'string' && typeof value !== 'number')
				fail(`expected one option's name, got ${describe(value)}`);
			return checkOption(field, String(value).trim(), options, fail);
		}
		case 4:
			return listOf(value, fail, 'option names').map((o) => checkOption(field, o, options, fail));
		case 5:
			return millis(value, fail);
		case 7: {
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 'false') return value === 'true';
			return fail(`expected true or false, got ${describe(value)}`);
		}
		case 11:
			return listOf(value, fail, 'user IDs').map((id) => ({ id }));
		case 13: {
			if (typeof value !== 'string' && typeof value !== 'number')
				fail(`expected a phone number, got ${describe(value)}`);
			const phone = String(value).trim().replace(/[\s-]/g, '');
			if (!/^\+?\d*$/.test(phone) || phone.length > 64)
				fail(`expected digits, optionally starting with "+", at most 64, got "${String(value)}"`);
			return phone;
		}
		case 15: {
			if (typeof value === 'string') {
				const link = value.trim();
				if (!/^[a-z][a-z0-9+.-]*:/i.test(link)) fail(`expected a URL (https://…), got "${link}"`);
				return { text: link, link };
			}
			if (value && typeof value === 'object' && typeof (value as IDataObject).link === 'string') {
				const v = value as IDataObject;
				return { text: String(v.text ?? v.link), link: String(v.link) };
			}
			return fail(`expected a URL, or {"link", "text"}, got ${describe(value)}`);
		}
		case 18:
		case 21: {
			const ids =
				value &&
				typeof value === 'object' &&
				!Array.isArray(value) &&
				Array.isArray((value as IDataObject).link_record_ids)
					? ((value as IDataObject).link_record_ids as string[])
					: listOf(value, fail, 'record IDs');
			for (const id of ids)
				if (!/^rec[A-Za-z0-9]+$/.test(id)) fail(`expected record IDs (rec…), got "${id}"`);
			return ids;
		}
		case 22: {
			const text =
				value && typeof value === 'object' && typeof (value as IDataObject).location === 'string'
					? String((value as IDataObject).location)
					: value;
			const m =
				typeof text === 'string'
					? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
					: null;
			if (!m || Math.abs(Number(m[1])) > 180 || Math.abs(Number(m[2])) > 90)
				fail(`expected "longitude,latitude" (e.g. "116.397755,39.903179"), got ${describe(value)}`);
			return `${m[1]},${m[2]}`;
		}
		case 23:
			return listOf(value, fail, 'chat IDs').map((id) => ({ id }));
		default:
			return fail(`the field is a ${typeName(field)} field, which the node cannot write`);
	}
}

/** A filter condition's value for a key field (the record filter guide's value formats). */
export function filterValue(field: BitableField, value: unknown, fail: Fail): string[] {
	const empty = () => fail('the key field is empty: an upsert needs a value to find the record by');
	// An auto number is read only, but a record can be found by it: its value as text.
	if (field.type === 1005) {
		if (value === undefined || value === null || String(value).trim() === '') return empty();
		if (typeof value !== 'string' && typeof value !== 'number')
			fail(`expected an auto number, got ${describe(value)}`);
		return [String(value).trim()];
	}
	const written = toApiValue(field, value, { allowNewOptions: true }, fail);
	if (written === SKIP || written === null) return empty();
	// URL fields are filtered by their shown text ("超链接…按显示名称筛选"), the record filter guide says.
	if (typeof written === 'object') return [String((written as IDataObject).text)];
	return [String(written)];
}

const plainText = (segments: unknown): string | unknown =>
	Array.isArray(segments) &&
	segments.every((s) => s && typeof s === 'object' && 'text' in (s as object))
		? segments.map((s) => String((s as IDataObject).text ?? '')).join('')
		: segments;

const person = (list: unknown) =>
	Array.isArray(list)
		? list.map((u) => {
				const p = u as IDataObject;
				return { id: p.id, name: p.name, ...(p.email ? { email: p.email } : {}) };
			})
		: list;

/** A read value as a plain n8n value: text as a string, links as record IDs, people and files without their avatar or download URLs. */
export function fromApiValue(field: BitableField | undefined, value: unknown): unknown {
	const type = field?.type;
	if (type === 1 || (type === undefined && Array.isArray(value))) return plainText(value);
	switch (type) {
		case 11:
		case 1003:
		case 1004:
			return person(value);
		case 17:
			return Array.isArray(value)
				? value.map((f) => {
						const a = f as IDataObject;
						return { file_token: a.file_token, name: a.name, type: a.type, size: a.size };
					})
				: value;
		case 18:
		case 21:
			return value &&
				typeof value === 'object' &&
				Array.isArray((value as IDataObject).link_record_ids)
				? (value as IDataObject).link_record_ids
				: value;
		case 19:
		case 20: {
			const inner =
				value && typeof value === 'object' && 'value' in (value as object)
					? (value as IDataObject).value
					: value;
			const plain = plainText(inner);
			return Array.isArray(plain) && plain.length === 1 ? plain[0] : plain;
		}
		case 23:
			return Array.isArray(value)
				? value.map((c) => ({ id: (c as IDataObject).id, name: (c as IDataObject).name }))
				: value;
		case 5:
		case 1001:
		case 1002:
			return isoDate(value);
		default:
			return value;
	}
}

/** A date as n8n shows dates: ISO 8601 in UTC (Feishu answers milliseconds; Raw output keeps them). */
export function isoDate(value: unknown): unknown {
	return typeof value === 'number' && Number.isFinite(value)
		? new Date(value).toISOString()
		: value;
}
