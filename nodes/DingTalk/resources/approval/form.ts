import type { IDataObject } from 'n8n-workflow';

import type { FormWidget, TypedValue, WidgetKind } from '../../../shared/approvalForm';
import { localDate, parsedJson } from '../../../shared/approvalForm';

/**
 * DingTalk's approval form (OA审批): the schema's components as the shared model, the typed values as
 * `formComponentValues` (every value is text, JSON where the component takes a list), and an instance's
 * values read back. Sources: docs/research/dingtalk-approval.md §1.1 (values), §1.2 (schema), A3 (reads).
 */

const KINDS: Record<string, WidgetKind> = {
	TextField: 'text',
	TextareaField: 'textarea',
	NumberField: 'number',
	MoneyField: 'amount',
	DDSelectField: 'select',
	DDMultiSelectField: 'multiSelect',
	DDDateField: 'date',
	DDDateRangeField: 'dateRange',
	InnerContactField: 'contact',
	DepartmentField: 'department',
	DDAttachment: 'attachment',
	DDPhotoField: 'image',
	TableField: 'table',
	PhoneField: 'phone',
	// "北京,北京市,河东区" and "5": text as the page writes it.
	AddressField: 'text',
	StarRatingField: 'number',
	// JSON arrays in text (related instances, time and place): passed on as given.
	RelateField: 'json',
	FormRelateField: 'json',
	TimeAndLocationField: 'json',
};

const NOT_WRITABLE: Record<string, string> = {
	TextNote: 'a description (文字说明) is set on the template; 「不支持发起审批实例时修改」',
};

/** Options are plain labels in the schema's example; a {"value","key"} JSON text is read too (§1.2). */
function optionsOf(props: IDataObject) {
	const list = Array.isArray(props.options) ? props.options : [];
	return list.map((o) => {
		const parsed = parsedJson(o);
		const text =
			parsed && typeof parsed === 'object'
				? String((parsed as IDataObject).value ?? (parsed as IDataObject).key ?? '')
				: String(o);
		return { name: text, value: text };
	});
}

function widgetOf(item: IDataObject): FormWidget & { withTime?: boolean } {
	const type = String(item.componentName ?? '');
	const props = (item.props ?? {}) as IDataObject;
	const reason = NOT_WRITABLE[type];
	const kind: WidgetKind = reason ? 'readOnly' : (KINDS[type] ?? 'json');
	const widget: FormWidget & { withTime?: boolean } = {
		id: String(props.id ?? ''),
		name: String(props.label ?? props.id ?? ''),
		type,
		kind,
		required: props.required === true,
		...(reason ? { reason } : {}),
	};
	if (kind === 'select' || kind === 'multiSelect') widget.options = optionsOf(props);
	// "unit 小时 → yyyy-MM-dd HH:mm" (S2); otherwise 「value 仅支持 yyyy-MM-dd 一种格式」 (S7).
	if (kind === 'date' || kind === 'dateRange')
		widget.withTime = props.unit === '小时' || /HH:mm/.test(String(props.format ?? ''));
	if (kind === 'table')
		widget.children = ((item.children as IDataObject[] | undefined) ?? []).map(widgetOf);
	return widget;
}

/** The components of a schema (schemaContent.items). */
export function widgetsOf(schema: unknown): FormWidget[] {
	const items = ((schema ?? {}) as IDataObject).items;
	return Array.isArray(items) ? (items as IDataObject[]).map(widgetOf) : [];
}

const withTime = (widget: FormWidget) => (widget as { withTime?: boolean }).withTime === true;

/** One typed value as its component's text (§1.1). */
function textOf(widget: FormWidget, value: TypedValue, timeZone: string): string {
	switch (value.kind) {
		case 'text':
		case 'textarea':
		case 'phone':
			return value.text;
		case 'number':
		case 'amount':
			return String(value.number);
		case 'date':
			return localDate(value.ms, timeZone, withTime(widget));
		case 'dateRange':
			return JSON.stringify([
				localDate(value.start, timeZone, withTime(widget)),
				localDate(value.end, timeZone, withTime(widget)),
			]);
		case 'select':
			return value.option.name;
		case 'multiSelect':
			// 「即使只有一个选项也需要是数组形式」.
			return JSON.stringify(value.options.map((o) => o.name));
		case 'contact':
			return JSON.stringify(value.ids);
		case 'department':
			// 「部门ID1,部门ID2」: comma-separated, not JSON.
			return value.ids.join(',');
		case 'attachment':
		case 'image':
			return JSON.stringify(value.files);
		case 'table':
			return JSON.stringify(
				value.rows.map((row) =>
					row.map((c) => ({ name: c.widget.name, value: textOf(c.widget, c.value, timeZone) })),
				),
			);
		case 'json':
			return typeof value.json === 'string' ? value.json : JSON.stringify(value.json);
	}
}

/** One typed value as its formComponentValues entry: the label as `name`, its ID and type beside. */
export function componentValue(
	widget: FormWidget,
	value: TypedValue,
	timeZone: string,
): IDataObject {
	return {
		name: widget.name,
		value: textOf(widget, value, timeZone),
		...(widget.id ? { id: widget.id } : {}),
		componentType: widget.type,
	};
}

/** DDAttachment: 「每个文件都必须包含 spaceId、fileName、fileSize、fileType 和 fileId 字段」. */
export function attachmentFiles(value: unknown, fail: (problem: string) => never): unknown[] {
	const parsed = parsedJson(value);
	const list = Array.isArray(parsed) ? parsed : [parsed];
	return list.map((file) => {
		if (!file || typeof file !== 'object')
			fail(
				'DingTalk documents no server-side upload of approval attachments (「目前尚未支持通过调用服务端API添加审批附件」): give files already in the approval space as [{"spaceId","fileId","fileName","fileSize","fileType"}]',
			);
		const f = file as IDataObject;
		const out: IDataObject = {};
		for (const key of ['spaceId', 'fileName', 'fileSize', 'fileType', 'fileId']) {
			if (f[key] === undefined || f[key] === '')
				fail(`each file needs spaceId, fileName, fileSize, fileType and fileId; ${key} is missing`);
			out[key] = String(f[key]);
		}
		return out;
	});
}

/** DDPhotoField: a JSON array of image URLs. */
export function photoUrls(value: unknown, fail: (problem: string) => never): unknown[] {
	const parsed = parsedJson(value);
	const list = Array.isArray(parsed)
		? parsed
		: String(value)
				.split(',')
				.map((s) => s.trim());
	return list.map((url) => {
		if (typeof url !== 'string' || !/^https?:\/\//.test(url))
			fail(`expected image URLs (https://…), got ${JSON.stringify(url)}`);
		return url;
	});
}

/** One value of an instance read back: numbers as numbers, JSON text as what it holds, tables as rows. */
function readValue(component: IDataObject): unknown {
	const type = String(component.componentType ?? '');
	const value = component.value;
	if (type === 'NumberField' || type === 'MoneyField' || type === 'StarRatingField') {
		const n = Number(value);
		return value === '' || value === null || value === undefined || Number.isNaN(n) ? value : n;
	}
	if (type === 'DepartmentField' && typeof value === 'string' && !value.startsWith('['))
		return value.split(',').filter((s) => s !== '');
	const parsed = parsedJson(value);
	if (type === 'DDDateRangeField' && Array.isArray(parsed))
		return { start: parsed[0], end: parsed[1] };
	if (type === 'TableField' && Array.isArray(parsed))
		return parsed.map((row) =>
			Array.isArray(row)
				? Object.fromEntries(
						(row as IDataObject[]).map((c) => [
							String(c.label ?? c.name ?? c.key ?? ''),
							parsedJson(c.value),
						]),
					)
				: row,
		);
	return parsed;
}

/** formComponentValues as {label: value}; a component's extValue (user IDs and such) is kept beside it. */
export function fieldsOf(values: unknown): IDataObject {
	const list = Array.isArray(values) ? (values as IDataObject[]) : [];
	const counts = new Map<string, number>();
	for (const c of list) counts.set(String(c.name), (counts.get(String(c.name)) ?? 0) + 1);
	const out: IDataObject = {};
	for (const c of list) {
		const name = String(c.name ?? c.id);
		out[(counts.get(name) ?? 0) > 1 ? `${name} (${String(c.id)})` : name] = readValue(c) as never;
	}
	return out;
}

const isoOf = (text: unknown): string | null => {
	if (typeof text === 'number') return new Date(text).toISOString();
	if (typeof text !== 'string' || text === '') return null;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? text : new Date(ms).toISOString();
};

/** getInstance's `result` for the next node. */
export function instanceOutput(id: string, result: IDataObject, raw: boolean): IDataObject {
	return {
		instanceId: id,
		title: result.title,
		status: result.status,
		result: result.result,
		businessId: result.businessId,
		originatorUserId: result.originatorUserId,
		originatorDeptId: result.originatorDeptId,
		createTime: isoOf(result.createTime),
		finishTime: isoOf(result.finishTime),
		fields: fieldsOf(result.formComponentValues),
		tasks: ((result.tasks as IDataObject[] | undefined) ?? []).map((t) => ({
			...t,
			createTime: isoOf(t.createTime),
			finishTime: isoOf(t.finishTime),
		})),
		operationRecords: ((result.operationRecords as IDataObject[] | undefined) ?? []).map((r) => ({
			...r,
			date: isoOf(r.date),
		})),
		approverUserIds: result.approverUserIds,
		ccUserIds: result.ccUserIds,
		...(raw ? { raw: result } : {}),
	};
}
