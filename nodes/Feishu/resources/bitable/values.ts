import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { describeValue } from '../../../shared/params';
import type { CellOptions, ColumnKind, Fail, TableColumn } from '../../../shared/tableModel';
import {
	isoDate,
	mapperField as sharedMapperField,
	SKIP,
	toCell,
} from '../../../shared/tableModel';
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

/** Each writable Bitable type's kind in the shared table model; every other type is read only. */
const KINDS: Record<number, ColumnKind> = {
	1: 'text',
	2: 'number',
	3: 'singleSelect',
	4: 'multiSelect',
	5: 'date',
	7: 'checkbox',
	11: 'person',
	13: 'phone',
	15: 'url',
	17: 'attachment',
	18: 'link',
	21: 'link',
	22: 'location',
	23: 'groupChat',
};

/** A Bitable field as a column of the shared table model. */
export function columnOf(field: BitableField): TableColumn {
	return {
		name: field.field_name,
		kind: (isWritable(field) && KINDS[field.type]) || 'readOnly',
		typeName: typeName(field),
		options: (field.property?.options ?? []).map((o) => String(o.name)),
		primary: field.is_primary === true,
		recordId: { pattern: /^rec[A-Za-z0-9]+$/, hint: 'rec…' },
		matchable: canMatchOn(field),
	};
}

/** How a field is offered in n8n's column mapper (the shared model's rules). */
export const mapperField = (field: BitableField, forUpsert: boolean): ResourceMapperField =>
	sharedMapperField(columnOf(field), forUpsert);

export { SKIP };

/**
 * One n8n value as the documented write value of its field. `null` clears the field (the update pages:
 * "可将字段设为 null"); undefined and empty text leave it unchanged. Attachments are handled by the caller
 * (they are uploaded first).
 */
export function toApiValue(
	field: BitableField,
	value: unknown,
	options: CellOptions,
	fail: Fail,
): unknown {
	const cell = toCell(columnOf(field), value, options, fail);
	if (cell === SKIP || cell === null) return cell;
	switch (cell.kind) {
		case 'number':
			return cell.number;
		case 'singleSelect':
			return cell.option;
		case 'multiSelect':
			return cell.options;
		case 'date':
			return cell.ms;
		case 'checkbox':
			return cell.checked;
		case 'person':
		case 'department':
		case 'groupChat':
			return cell.ids.map((id) => ({ id }));
		case 'link':
			return cell.ids;
		case 'url':
			return { text: cell.text, link: cell.link };
		default:
			return cell.text;
	}
}

/** A filter condition's value for a key field (the record filter guide's value formats). */
export function filterValue(field: BitableField, value: unknown, fail: Fail): string[] {
	const empty = () => fail('the key field is empty: an upsert needs a value to find the record by');
	// An auto number is read only, but a record can be found by it: its value as text.
	if (field.type === 1005) {
		if (value === undefined || value === null || String(value).trim() === '') return empty();
		if (typeof value !== 'string' && typeof value !== 'number')
			fail(`expected an auto number, got ${describeValue(value)}`);
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

export { isoDate };
