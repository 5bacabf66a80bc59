import type { FieldType, IDataObject, INodeProperties, ResourceMapperField } from 'n8n-workflow';

import type { ParamReader } from './params';
import { describeValue } from './params';

/**
 * Approval forms (Feishu 审批 v4 and DingTalk OA审批), one model for both platforms: each widget of a
 * definition's form becomes a typed column of n8n's column mapper, and an item's value is converted to a
 * typed value by one table of converters, the same on both platforms. Each platform then writes that value
 * in its documented shape (Feishu: the `form` JSON, docs/research/feishu-approval.md §4.2; DingTalk:
 * `formComponentValues`, where every value is text, docs/research/dingtalk-approval.md §1.1) and reads its
 * answer back through the same kinds.
 */

/** What a widget holds, whatever the platform calls it. */
export type WidgetKind =
	| 'text'
	| 'textarea'
	| 'number'
	| 'amount'
	| 'date'
	| 'dateRange'
	| 'select'
	| 'multiSelect'
	| 'contact'
	| 'department'
	| 'attachment'
	| 'image'
	| 'table'
	| 'phone'
	/** A widget the API takes in a documented JSON shape we do not convert (the value is passed on as JSON). */
	| 'json'
	/** Shown on the form but never written by the API (说明 text, serial numbers, unsupported groups). */
	| 'readOnly';

export interface WidgetOption {
	/** What users see, and what they give. */
	name: string;
	/** What the API takes (Feishu's option value; DingTalk takes the text itself). */
	value: string;
}

export interface FormWidget {
	/** The platform's widget ID (Feishu `id`, DingTalk `props.id`). */
	id: string;
	/** Its label: the column's name. */
	name: string;
	/** The platform's type name (Feishu `type`, DingTalk `componentName`). */
	type: string;
	kind: WidgetKind;
	required: boolean;
	options?: WidgetOption[];
	/** Detail tables (明细): the child widgets of each row. */
	children?: FormWidget[];
	/** Amounts: the currencies the widget allows, the first being its default. */
	currencies?: string[];
	/** Why a read-only widget cannot be written (for the error). */
	reason?: string;
}

/** One widget's value, converted and checked, before the platform writes it. */
export type TypedValue =
	| { kind: 'text' | 'textarea' | 'phone'; text: string }
	| { kind: 'number'; number: number }
	| { kind: 'amount'; number: number; currency?: string }
	| { kind: 'date'; ms: number }
	| { kind: 'dateRange'; start: number; end: number; days: number }
	| { kind: 'select'; option: WidgetOption }
	| { kind: 'multiSelect'; options: WidgetOption[] }
	| { kind: 'contact' | 'department'; ids: string[] }
	| { kind: 'attachment' | 'image'; files: unknown[] }
	| { kind: 'table'; rows: Array<Array<{ widget: FormWidget; value: TypedValue }>> }
	| { kind: 'json'; json: unknown };

/** Where a conversion failure is reported: the column, the item, and what was expected. */
export type Fail = (problem: string) => never;

const DAY = 86_400_000;

const describe = describeValue;

/** The short hint after a column's name in the mapper. */
const HINTS: Partial<Record<WidgetKind, string>> = {
	amount: 'amount, or {"amount","currency"}',
	dateRange: 'start and end',
	multiSelect: 'list',
	contact: 'user IDs',
	department: 'department IDs',
	attachment: 'binary properties',
	image: 'binary properties',
	table: 'list of rows',
	json: 'JSON',
};

const MAPPER_TYPES: Partial<Record<WidgetKind, FieldType>> = {
	text: 'string',
	textarea: 'string',
	number: 'number',
	date: 'dateTime',
	select: 'options',
	phone: 'string',
};

/** The mapper's column ID of each widget: its label, or the label and ID where two widgets share a label. */
export function columnIds(widgets: FormWidget[]): Map<string, FormWidget> {
	const counts = new Map<string, number>();
	for (const w of widgets) counts.set(w.name, (counts.get(w.name) ?? 0) + 1);
	return new Map(
		widgets.map((w) => [(counts.get(w.name) ?? 0) > 1 ? `${w.name} (${w.id})` : w.name, w]),
	);
}

/** How each widget is offered in n8n's column mapper: typed, with its options; read-only ones are not offered. */
export function mapperFields(widgets: FormWidget[]): ResourceMapperField[] {
	return [...columnIds(widgets)].map(([id, w]) => {
		const writable = w.kind !== 'readOnly';
		const hint = HINTS[w.kind];
		return {
			id,
			displayName: hint ? `${id} (${hint})` : id,
			required: writable && w.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: writable,
			type: MAPPER_TYPES[w.kind] ?? 'string',
			...(w.kind === 'select' && w.options
				? { options: w.options.map((o) => ({ name: o.name, value: o.name })) }
				: {}),
			readOnly: !writable,
			removed: !writable,
		};
	});
}

/** A widget as Get Definition outputs it: what the user needs to fill it, without the model's kind. */
export function publicWidget(widget: FormWidget): IDataObject {
	const out: IDataObject = {
		id: widget.id,
		name: widget.name,
		type: widget.type,
		required: widget.required,
	};
	if (widget.kind === 'readOnly') out.writable = false;
	if (widget.options) out.options = widget.options.map((o) => o.name);
	if (widget.currencies) out.currencies = widget.currencies;
	if (widget.children) out.children = widget.children.map(publicWidget);
	return out;
}

/** Milliseconds from a number (ms), an ISO text, a JS Date or an n8n (Luxon) DateTime. */
export function millis(value: unknown, fail: Fail): number {
	if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
	if (value && typeof value === 'object' && typeof (value as IDataObject).toMillis === 'function') {
		const ms = (value as unknown as { toMillis(): number }).toMillis();
		if (Number.isFinite(ms)) return ms;
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (/^-?\d{10,}$/.test(text)) return Number(text);
		// A date alone is that day at midnight in the workflow's zone, never a moment in UTC (see dayStart).
		const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Number.NaN : Date.parse(text);
		if (!Number.isNaN(ms)) return ms;
	}
	return fail(
		`expected a date (2026-12-01, an ISO date-time like 2026-12-01T09:00:00+08:00, or milliseconds), got ${describe(value)}`,
	);
}

/** The offset of a time zone at a moment, in minutes east of UTC (Intl, no dependency). */
export function zoneOffset(ms: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
	return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** A moment from a date or date-time value; a bare date is midnight of that day in `timeZone`. */
export function momentOf(value: unknown, timeZone: string, fail: Fail): number {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
		const utcMidnight = Date.parse(`${value.trim()}T00:00:00Z`);
		if (Number.isNaN(utcMidnight)) fail(`"${value}" is not a date`);
		return utcMidnight - zoneOffset(utcMidnight, timeZone) * 60_000;
	}
	return millis(value, fail);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** RFC 3339 with the zone's offset, e.g. 2026-12-01T09:00:00+08:00 (Feishu's date widgets). */
export function rfc3339(ms: number, timeZone: string): string {
	const offset = zoneOffset(ms, timeZone);
	const local = new Date(ms + offset * 60_000);
	const sign = offset < 0 ? '-' : '+';
	return (
		`${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
		`T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
		`${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
	);
}

/** The day of a moment in a zone, as yyyy-MM-dd (and HH:mm with `withTime`) (DingTalk's date widgets). */
export function localDate(ms: number, timeZone: string, withTime = false): string {
	const local = new Date(ms + zoneOffset(ms, timeZone) * 60_000);
	const day = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
	return withTime ? `${day} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` : day;
}

/** A list from an array, or text separated by commas or new lines. */
export function listOf(value: unknown, fail: Fail, what: string): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed)) return parsed;
			} catch {
				// Not JSON: a list separated by commas.
			}
		}
		return text
			.split(/[,\n]/)
			.map((s) => s.trim())
			.filter((s) => s !== '');
	}
	if (typeof value === 'number') return [String(value)];
	return fail(`expected ${what}, got ${describe(value)}`);
}

function textsOf(value: unknown, fail: Fail, what: string): string[] {
	return listOf(value, fail, what).map((part) => {
		if (typeof part === 'string' || typeof part === 'number') return String(part).trim();
		return fail(`expected ${what}, got a list with ${describe(part)}`);
	});
}

function numberOf(value: unknown, fail: Fail): number {
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== '' && !/[^\d.eE+-]/.test(value.trim())
				? Number(value)
				: Number.NaN;
	if (!Number.isFinite(n)) fail(`expected a number, got ${describe(value)}`);
	return n;
}

function optionOf(widget: FormWidget, given: string, fail: Fail): WidgetOption {
	const options = widget.options ?? [];
	const found = options.find((o) => o.name === given) ?? options.find((o) => o.value === given);
	if (!found)
		fail(`"${given}" is not an option (${options.map((o) => `"${o.name}"`).join(', ') || 'none'})`);
	return found;
}

/** The widget's converter context: the workflow's time zone and the platform's own checks. */
export interface ConvertContext {
	timeZone: string;
	/** Checks one ID of a contact or department widget (the platform's ID shape), or undefined. */
	checkId?(kind: 'contact' | 'department', id: string): string | undefined;
	/** Attachments: the value's files as the platform takes them (binary property names, or documented JSON). */
	files(widget: FormWidget, value: unknown, fail: Fail): unknown[];
}

/**
 * One n8n value as the widget's typed value: the one table of converters for both platforms. Undefined,
 * null and empty text leave the widget out (both platforms: an empty widget is not sent). A value that
 * does not fit is bad input, before any request.
 */
export function toTyped(
	widget: FormWidget,
	value: unknown,
	context: ConvertContext,
	fail: Fail,
): TypedValue | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return undefined;
	if (Array.isArray(value) && value.length === 0) return undefined;
	switch (widget.kind) {
		case 'readOnly':
			return fail(
				`this widget (${widget.type}) cannot be written through the API${widget.reason ? `: ${widget.reason}` : ''}`,
			);
		case 'text':
		case 'textarea':
		case 'phone': {
			if (typeof value === 'object') fail(`expected text, got ${describe(value)}`);
			const text = String(value);
			if (widget.kind === 'phone' && !/^\+?[\d\s-]{3,}$/.test(text.trim()))
				fail(
					`expected a phone number (digits, with an optional +country code), got ${describe(value)}`,
				);
			return { kind: widget.kind, text: widget.kind === 'phone' ? text.trim() : text };
		}
		case 'number':
			return { kind: 'number', number: numberOf(value, fail) };
		case 'amount': {
			let number: unknown = value;
			let currency: string | undefined;
			if (value && typeof value === 'object' && !Array.isArray(value)) {
				number = (value as IDataObject).amount;
				currency =
					(value as IDataObject).currency === undefined
						? undefined
						: String((value as IDataObject).currency).toUpperCase();
			} else if (typeof value === 'string') {
				const m = /^\s*([\d.]+)\s*([A-Za-z]{3})?\s*$/.exec(value);
				if (m) {
					number = m[1];
					currency = m[2]?.toUpperCase();
				}
			}
			const n = numberOf(number, fail);
			if (currency && widget.currencies?.length && !widget.currencies.includes(currency))
				fail(`the currency ${currency} is not allowed here (${widget.currencies.join(', ')})`);
			return { kind: 'amount', number: n, ...(currency ? { currency } : {}) };
		}
		case 'date':
			return { kind: 'date', ms: momentOf(value, context.timeZone, fail) };
		case 'dateRange': {
			let start: unknown;
			let end: unknown;
			if (Array.isArray(value) || (typeof value === 'string' && value.trim().startsWith('['))) {
				[start, end] = listOf(value, fail, 'a start and an end');
			} else if (value && typeof value === 'object') {
				({ start, end } = value as IDataObject);
			} else if (typeof value === 'string') {
				[start, end] = value.split(/\s*(?:,|\/| to )\s*/);
			}
			if (start === undefined || end === undefined)
				fail(
					`expected a start and an end ({"start","end"}, [start, end] or "start,end"), got ${describe(value)}`,
				);
			const s = momentOf(start, context.timeZone, fail);
			const e = momentOf(end, context.timeZone, fail);
			if (e < s) fail('the end is before the start');
			const given = value && typeof value === 'object' ? (value as IDataObject).days : undefined;
			const days =
				given === undefined ? Math.round(((e - s) / DAY) * 100) / 100 : numberOf(given, fail);
			return { kind: 'dateRange', start: s, end: e, days };
		}
		case 'select': {
			const [one, ...more] = textsOf(value, fail, 'an option');
			if (more.length > 0) fail('expected one option, got a list');
			return { kind: 'select', option: optionOf(widget, one, fail) };
		}
		case 'multiSelect':
			return {
				kind: 'multiSelect',
				options: textsOf(value, fail, 'options').map((o) => optionOf(widget, o, fail)),
			};
		case 'contact':
		case 'department': {
			const ids = textsOf(value, fail, widget.kind === 'contact' ? 'user IDs' : 'department IDs');
			for (const id of ids) {
				const problem = context.checkId?.(widget.kind, id);
				if (problem) fail(problem);
			}
			return { kind: widget.kind, ids };
		}
		case 'attachment':
		case 'image':
			return { kind: widget.kind, files: context.files(widget, value, fail) };
		case 'table': {
			const rows = listOf(value, fail, 'a list of rows');
			const children = columnIds(widget.children ?? []);
			return {
				kind: 'table',
				rows: rows.map((row, r) => {
					if (!row || typeof row !== 'object' || Array.isArray(row))
						fail(`row ${r + 1}: expected an object of the row's fields, got ${describe(row)}`);
					const cells: Array<{ widget: FormWidget; value: TypedValue }> = [];
					for (const [name, cell] of Object.entries(row as IDataObject)) {
						const child = children.get(name);
						if (!child)
							fail(
								`row ${r + 1}: "${name}" is not a field of this table (${[...children.keys()].map((k) => `"${k}"`).join(', ')})`,
							);
						const typed = toTyped(child, cell, context, (problem) =>
							fail(`row ${r + 1}, "${name}": ${problem}`),
						);
						if (typed) cells.push({ widget: child, value: typed });
					}
					return cells;
				}),
			};
		}
		case 'json': {
			if (typeof value !== 'string') return { kind: 'json', json: value };
			try {
				return { kind: 'json', json: JSON.parse(value) as unknown };
			} catch {
				return fail(`expected this widget's documented JSON value, got text that is not JSON`);
			}
		}
	}
}

/** The values of one item for a form: its mapped columns, or its own JSON with "Map Automatically". */
export function formValues(
	widgets: FormWidget[],
	source: IDataObject,
	auto: boolean,
	context: ConvertContext,
	fail: (column: string, problem: string) => never,
): Array<{ widget: FormWidget; value: TypedValue }> {
	const columns = columnIds(widgets);
	const out: Array<{ widget: FormWidget; value: TypedValue }> = [];
	for (const [column, given] of Object.entries(source)) {
		const widget = columns.get(column);
		if (!widget) {
			// Map Automatically: the item's other fields are not the form's.
			if (auto) continue;
			return fail(
				column,
				`"${column}" is not a widget of this form; its widgets are ${[...columns.keys()].map((c) => `"${c}"`).join(', ')}`,
			);
		}
		if (auto && widget.kind === 'readOnly') continue;
		const typed = toTyped(widget, given, context, (problem) =>
			fail(column, `"${column}" (${widget.type}): ${problem}`),
		);
		if (typed) out.push({ widget, value: typed });
	}
	return out;
}

/** A read value parsed from JSON text where it is JSON (DingTalk's values are text), else as it is. */
export function parsedJson(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!/^[[{]/.test(text)) return value;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return value;
	}
}

/** Create Instance's Wait for Decision fields: the switch and the trigger that resumes the execution. */
export function waitProperties(trigger: string, placeholder: string): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Decision',
			name: 'waitForDecision',
			type: 'boolean',
			default: false,
			description: `Whether to pause the execution until every approval this run started has ended (approved, rejected or withdrawn), then go on with each one's result. The ${trigger} of the same app, active in a workflow and receiving the approval events, resumes it; Options › Limit Wait Time bounds the wait.`,
		},
		{
			displayName: 'Trigger URL',
			name: 'triggerUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder,
			description: `The Production URL of the ${trigger} (same app) that receives the approval events: it is told which approvals this execution waits for`,
			displayOptions: { show: { waitForDecision: [true] } },
		},
	];
}

/** The Trigger URL: an http(s) address. */
export function triggerUrlOf(p: ParamReader): string {
	const url = p.requiredString('triggerUrl', undefined, 'Trigger URL').trim();
	if (!/^https?:\/\/[^\s]+$/.test(url))
		p.fail('triggerUrl', 'is not an http(s) address', 'Trigger URL');
	return url;
}

/**
 * Get Many Instances' range: Start Time and End Time (n8n date-times, ISO text or milliseconds), shown
 * with the platform's labels; the end after the start.
 */
export function timeRange(
	p: ParamReader,
	after: string,
	before: string,
): { start: number; end: number } {
	const at = (name: string, label: string) => {
		const text = p.requiredString(name, undefined, label);
		const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
		if (!Number.isFinite(ms)) p.fail(name, `"${text}" is not a date`, label);
		return ms;
	};
	const start = at('startTime', after);
	const end = at('endTime', before);
	if (end <= start) p.fail('endTime', `is not after ${after}`, before);
	return { start, end };
}
