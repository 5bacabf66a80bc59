import type { IDataObject } from 'n8n-workflow';

import type {
	FormWidget,
	TypedValue,
	WidgetKind,
	WidgetOption,
} from '../../../shared/approvalForm';

/**
 * Feishu's approval form (审批 v4): the definition's widgets as the shared model, the typed values as the
 * `form` JSON of createInstance, and an instance's `form` read back as typed fields. Sources:
 * docs/research/feishu-approval.md §4.2 (create shapes), §4.3 (unsupported), §4.5 (definition), §4.6 (reads).
 */

const KINDS: Record<string, WidgetKind> = {
	input: 'text',
	textarea: 'textarea',
	number: 'number',
	amount: 'amount',
	date: 'date',
	dateInterval: 'dateRange',
	radio: 'select',
	radioV2: 'select',
	checkbox: 'multiSelect',
	checkboxV2: 'multiSelect',
	contact: 'contact',
	department: 'department',
	attachmentV2: 'attachment',
	image: 'image',
	imageV2: 'image',
	fieldList: 'table',
	telephone: 'phone',
	// Documented JSON shapes passed on as given (§4.2): linked instances, documents, addresses, groups.
	connect: 'json',
	document: 'json',
	address: 'json',
	shiftGroup: 'json',
	shiftGroupV2: 'json',
	leaveGroupV2: 'json',
	workGroup: 'json',
	outGroup: 'json',
};

/** §4.3: 「以下控件不支持通过 API 创建审批实例」, and types whose create shape no page documents. */
const NOT_WRITABLE: Record<string, string> = {
	text: 'a description (说明) is fixed text on the form',
	serialNumber: 'serial numbers are given by Feishu',
	formula: 'a formula is computed by Feishu from the other widgets',
	mutableGroup: 'Feishu does not support it in createInstance',
	account: 'Feishu does not support it in createInstance',
	tripGroup: 'Feishu does not support it in createInstance',
	remedyGroupV2: 'Feishu does not support it in createInstance',
	attachment: 'only attachmentV2 widgets are documented for createInstance',
	location: 'no page documents its value for createInstance',
};

/** The options of a radio or checkbox widget: `option: [{value, text}]` or `value: [{key, text}]` (§4.5). */
function optionsOf(raw: IDataObject): WidgetOption[] {
	const list = Array.isArray(raw.option)
		? raw.option
		: Array.isArray(raw.value)
			? raw.value
			: Array.isArray(raw.options)
				? raw.options
				: [];
	return (list as IDataObject[])
		.filter((o) => o && typeof o === 'object')
		.map((o) => {
			const value = String(o.value ?? o.key ?? o.id ?? '');
			return { name: String(o.text ?? o.name ?? value), value };
		})
		.filter((o) => o.value !== '');
}

/** One widget of a definition's form as the shared model. */
function widgetOf(raw: IDataObject): FormWidget {
	const type = String(raw.type ?? '');
	const reason =
		NOT_WRITABLE[type] ??
		(type.startsWith('apaascorehr') ? 'Feishu does not support it in createInstance' : undefined);
	const kind: WidgetKind = reason ? 'readOnly' : (KINDS[type] ?? 'json');
	const widget: FormWidget = {
		id: String(raw.id ?? ''),
		name: String(raw.name ?? raw.id ?? ''),
		type,
		kind,
		required: raw.required === true,
		...(reason ? { reason } : {}),
	};
	if (kind === 'select' || kind === 'multiSelect') widget.options = optionsOf(raw);
	if (kind === 'amount') {
		const option = (raw.option ?? {}) as IDataObject;
		const range = Array.isArray(option.currencyRange) ? option.currencyRange.map(String) : [];
		const first = typeof raw.value === 'string' && raw.value ? [raw.value] : [];
		widget.currencies = [...new Set([...first, ...range])];
	}
	if (kind === 'table') {
		const children = Array.isArray(raw.children)
			? raw.children
			: Array.isArray(raw.value)
				? raw.value
				: [];
		widget.children = (children as IDataObject[]).map(widgetOf);
	}
	return widget;
}

/** The widgets of a definition's `form` (a JSON string holding an array). */
export function widgetsOf(form: unknown): FormWidget[] {
	let list: unknown = form;
	if (typeof form === 'string') {
		try {
			list = JSON.parse(form) as unknown;
		} catch {
			list = [];
		}
	}
	return Array.isArray(list) ? (list as IDataObject[]).map(widgetOf) : [];
}

/** +86 13800000000, +1-555-0100, 13800000000 (China by default) as {countryCode, nationalNumber}. */
function phoneOf(text: string): IDataObject {
	const m = /^\+(\d{1,4})[\s-]*(.+)$/.exec(text);
	const national = (m ? m[2] : text).replace(/[\s-]/g, '');
	return { countryCode: m ? `+${m[1]}` : '+86', nationalNumber: national };
}

/** One typed value as the widget's entry of `form` ({id, type, value}, §4.2). */
export function widgetJson(
	widget: FormWidget,
	value: TypedValue,
	dates: (ms: number) => string,
): IDataObject {
	const entry: IDataObject = { id: widget.id, type: widget.type };
	switch (value.kind) {
		case 'text':
		case 'textarea':
			entry.value = value.text;
			break;
		case 'phone':
			entry.value = phoneOf(value.text);
			break;
		case 'number':
			entry.value = value.number;
			break;
		case 'amount':
			entry.value = value.number;
			entry.currency = value.currency ?? widget.currencies?.[0] ?? 'CNY';
			break;
		case 'date':
			entry.value = dates(value.ms);
			break;
		case 'dateRange':
			entry.value = { start: dates(value.start), end: dates(value.end), interval: value.days };
			break;
		case 'select':
			entry.value = value.option.value;
			break;
		case 'multiSelect':
			entry.value = value.options.map((o) => o.value);
			break;
		case 'contact':
			// 「value: user_id[] and/or open_ids: open_id[]」: open IDs (ou_…) go in open_ids, the rest are user IDs.
			entry.value = value.ids.filter((id) => !id.startsWith('ou_'));
			entry.open_ids = value.ids.filter((id) => id.startsWith('ou_'));
			break;
		case 'department':
			entry.value = value.ids.map((id) => ({ open_id: id }));
			break;
		case 'attachment':
		case 'image':
			entry.value = value.files;
			break;
		case 'table':
			entry.value = value.rows.map((row) => row.map((c) => widgetJson(c.widget, c.value, dates)));
			break;
		case 'json':
			entry.value = value.json as IDataObject;
			break;
	}
	return entry;
}

const iso = (ms: unknown): string | null => {
	const n = Number(ms);
	return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : null;
};
const isoOf = (text: unknown): unknown => {
	if (typeof text !== 'string' || text === '') return text;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? text : new Date(ms).toISOString();
};

/** One widget of an instance's `form` read back as a plain value (§4.6: options as their text, files as URLs). */
function readValue(raw: IDataObject): unknown {
	const value = raw.value;
	switch (KINDS[String(raw.type)] ?? String(raw.type)) {
		case 'date':
			return isoOf(value);
		case 'dateRange': {
			const v = (value ?? {}) as IDataObject;
			return { start: isoOf(v.start), end: isoOf(v.end), interval: v.interval };
		}
		case 'contact':
			return { userIds: value ?? [], openIds: raw.open_ids ?? [] };
		case 'department':
			return Array.isArray(value) ? value.map((d) => (d as IDataObject)?.open_id ?? d) : value;
		case 'attachment':
		case 'image':
			return { urls: value ?? [], names: raw.ext ?? '' };
		case 'table':
			return Array.isArray(value)
				? value.map((row) => fieldsOf(Array.isArray(row) ? (row as IDataObject[]) : []))
				: value;
		default:
			return value;
	}
}

/** An instance's `form` (JSON text) as {widget name: value}; two widgets of one name are told apart by ID. */
export function fieldsOf(form: unknown): IDataObject {
	let list: unknown = form;
	if (typeof form === 'string') {
		try {
			list = JSON.parse(form) as unknown;
		} catch {
			return {};
		}
	}
	if (!Array.isArray(list)) return {};
	const widgets = list as IDataObject[];
	const counts = new Map<string, number>();
	for (const w of widgets) counts.set(String(w.name), (counts.get(String(w.name)) ?? 0) + 1);
	const out: IDataObject = {};
	for (const w of widgets) {
		const name = String(w.name ?? w.id);
		out[(counts.get(name) ?? 0) > 1 ? `${name} (${String(w.id)})` : name] = readValue(w) as never;
	}
	return out;
}

/** getInstance's answer for the next node: times as ISO text, the form as typed fields. */
export function instanceOutput(data: IDataObject, raw: boolean): IDataObject {
	const tasks = ((data.task_list as IDataObject[] | undefined) ?? []).map((t) => ({
		...t,
		start_time: iso(t.start_time),
		end_time: iso(t.end_time),
	}));
	const timeline = ((data.timeline as IDataObject[] | undefined) ?? []).map((t) => ({
		...t,
		create_time: iso(t.create_time),
	}));
	const comments = ((data.comment_list as IDataObject[] | undefined) ?? []).map((c) => ({
		...c,
		create_time: iso(c.create_time),
	}));
	return {
		instanceCode: data.instance_code,
		approvalCode: data.approval_code,
		approvalName: data.approval_name,
		status: data.status,
		serialNumber: data.serial_number,
		userId: data.user_id,
		openId: data.open_id,
		departmentId: data.department_id,
		uuid: data.uuid,
		startTime: iso(data.start_time),
		endTime: iso(data.end_time),
		reverted: data.reverted,
		fields: fieldsOf(data.form),
		tasks,
		timeline,
		comments,
		...(raw ? { raw: data } : {}),
	};
}
