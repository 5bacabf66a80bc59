import type { IDataObject } from 'n8n-workflow';

import { recordFirst } from '../shared/dedup';

/**
 * Turning a delivered Feishu event (schema 2.0 or 1.0, from a webhook or the long connection) into one
 * n8n item, and deciding whether it starts an execution: the chosen types, the options, and never twice.
 */

/** The event's own ID: schema 2.0 `header.event_id`, schema 1.0 `uuid` (Feishu redelivers with the same). */
export function eventIdOf(payload: IDataObject): string | undefined {
	const id = (payload.header as IDataObject | undefined)?.event_id ?? payload.uuid;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/** schema 2.0 `header.event_type`; schema 1.0 `event.type`. */
export function eventTypeOf(payload: IDataObject): string {
	const header = payload.header as IDataObject | undefined;
	return String(header?.event_type ?? (payload.event as IDataObject | undefined)?.type ?? '');
}

/** One output item: the header fields and the event body (never the verification token). */
export function eventItem(payload: IDataObject): IDataObject {
	const header = (payload.header as IDataObject | undefined) ?? {};
	const event = (payload.event as IDataObject | undefined) ?? {};
	const item: IDataObject = {
		event_id: eventIdOf(payload) ?? '',
		event_type: eventTypeOf(payload),
		create_time: String(
			header.create_time ?? (payload.ts !== undefined ? Math.round(Number(payload.ts) * 1000) : ''),
		),
		app_id: String(header.app_id ?? event.app_id ?? ''),
		tenant_key: String(header.tenant_key ?? event.tenant_key ?? ''),
		schema: String(payload.schema ?? '1.0'),
		event,
	};
	if (item.event_type === 'im.message.receive_v1') Object.assign(item, messageFields(event));
	if (APPROVAL_EVENTS.has(String(item.event_type))) Object.assign(item, approvalFields(event));
	if (String(item.event_type).startsWith('contact.')) Object.assign(item, contactFields(event));
	if (item.event_type === 'calendar.calendar.event.changed_v4')
		Object.assign(item, calendarFields(event));
	return item;
}

/**
 * calendar.calendar.event.changed_v4 (docs/research/calendar-tasks.md §1.5) for the next node: the
 * calendar, the subscribed users' open_ids (whose tokens can read the change), and, where Feishu has
 * turned on the fields in grey release for the tenant, the event and the kind of change.
 */
function calendarFields(event: IDataObject): IDataObject {
	const users = Array.isArray(event.user_id_list) ? (event.user_id_list as IDataObject[]) : [];
	return {
		calendar_id: event.calendar_id,
		open_ids: users.map((u) => u.open_id).filter((id) => typeof id === 'string'),
		...(event.calendar_event_id !== undefined
			? { calendar_event_id: event.calendar_event_id }
			: {}),
		...(event.change_type !== undefined ? { change_type: event.change_type } : {}),
	};
}

/**
 * The contact events (docs/research/contacts.md §1.6) for the next node: the user's open_id and
 * departments, or the department's IDs. The user-event pages say object.department_ids is not filled and
 * to read old_object's, while their examples fill object's: the first list that has IDs is taken.
 */
function contactFields(event: IDataObject): IDataObject {
	const object = (event.object as IDataObject | undefined) ?? {};
	const old = (event.old_object as IDataObject | undefined) ?? {};
	if (object.open_department_id !== undefined || old.open_department_id !== undefined)
		return {
			open_department_id: object.open_department_id ?? old.open_department_id,
			...(object.department_id !== undefined ? { department_id: object.department_id } : {}),
			...(object.parent_department_id !== undefined
				? { parent_department_id: object.parent_department_id }
				: {}),
			...(object.name !== undefined ? { name: object.name } : {}),
		};
	const ids = [object.department_ids, old.department_ids].find(
		(v) => Array.isArray(v) && v.length > 0,
	);
	return {
		open_id: object.open_id ?? old.open_id,
		...(object.union_id !== undefined ? { union_id: object.union_id } : {}),
		...(object.user_id !== undefined ? { user_id: object.user_id } : {}),
		...(object.name !== undefined ? { name: object.name } : {}),
		department_ids: (ids as string[] | undefined) ?? [],
	};
}

/** The approval events (docs/research/feishu-approval.md §5.1–5.2): schema 1.0 and their 2.0 twins. */
const APPROVAL_EVENTS = new Set([
	'approval_instance',
	'approval_task',
	'approval.instance.status_changed_v4',
	'approval.task.status_changed_v4',
]);

/** Milliseconds (a string, or an int64 for REVERTED, §5.1) as ISO text. */
const isoMs = (ms: unknown): string | undefined => {
	const n = Number(ms);
	return ms !== undefined && ms !== '' && Number.isFinite(n) && n > 0
		? new Date(n).toISOString()
		: undefined;
};

/**
 * An approval event's fields for the next node: the codes, the status, when, and who. It carries no form
 * data: Approval › Get Instance reads it.
 */
function approvalFields(event: IDataObject): IDataObject {
	const user = ((event.assigned_user ?? event.start_user) as IDataObject | undefined) ?? {};
	const fields: IDataObject = {
		approval_code: event.approval_code,
		instance_code: event.instance_code,
		status: event.status,
		operate_time: isoMs(event.operate_time),
	};
	if (event.task_id !== undefined) fields.task_id = String(event.task_id);
	const openId = event.open_id ?? user.open_id;
	const userId = event.user_id ?? user.user_id;
	if (openId) fields.open_id = openId;
	if (userId) fields.user_id = userId;
	// 1.0: the uuid the instance was created with (not the event's ID, which is the top-level uuid).
	if (typeof event.uuid === 'string' && event.uuid !== '') fields.instance_uuid = event.uuid;
	if (event.custom_key) fields.node_custom_id = event.custom_key;
	if (event.def_key) fields.node_id = event.def_key;
	return fields;
}

/**
 * A received message's content without its JSON wrapper: `text` for text (and the plain text of rich
 * text), the parsed `content`, and the mentions as a list.
 */
function messageFields(event: IDataObject): IDataObject {
	const message = (event.message as IDataObject | undefined) ?? {};
	let content: unknown = message.content;
	try {
		content = typeof message.content === 'string' ? JSON.parse(message.content) : message.content;
	} catch {
		// Not JSON: kept as the text it is.
	}
	const mentions = ((message.mentions as IDataObject[] | undefined) ?? []).map((m) => {
		const id = (m.id as IDataObject | undefined) ?? {};
		return {
			key: m.key,
			name: m.name,
			open_id: id.open_id,
			union_id: id.union_id,
			user_id: id.user_id,
		};
	});
	const sender =
		((event.sender as IDataObject | undefined)?.sender_id as IDataObject | undefined) ?? {};
	return {
		message_id: message.message_id,
		chat_id: message.chat_id,
		chat_type: message.chat_type,
		message_type: message.message_type,
		text: textOf(message.message_type, content),
		content: content as IDataObject,
		mentions,
		sender_open_id: sender.open_id,
	};
}

function textOf(type: unknown, content: unknown): string | undefined {
	if (content === null || typeof content !== 'object')
		return typeof content === 'string' ? content : undefined;
	const c = content as IDataObject;
	if (type === 'text') return typeof c.text === 'string' ? c.text : undefined;
	if (type === 'post') {
		// Rich text: its title and the text of its text, link and @ elements, paragraph by paragraph.
		const body =
			(c.content !== undefined
				? c
				: ((c.zh_cn ?? c.en_us ?? Object.values(c)[0]) as IDataObject | undefined)) ?? {};
		const paragraphs = ((body.content as IDataObject[][] | undefined) ?? []).map((p) =>
			p
				.map((e) =>
					String(e.text ?? (e.tag === 'at' ? `@${String(e.user_name ?? e.user_id ?? '')}` : '')),
				)
				.join(''),
		);
		return [body.title, ...paragraphs].filter((t) => typeof t === 'string' && t !== '').join('\n');
	}
	return undefined;
}

/** Which event types the trigger takes: the chosen ones, the free-text ones, or any with "*". */
export function wantsType(type: string, chosen: string[]): boolean {
	return chosen.includes('*') || chosen.includes(type);
}

/** Options that drop events before they start an execution. */
interface EventFilters {
	ignoreBotEvents: boolean;
	mentionedOnly: boolean;
	/** The app's bot open_id (for "only when the bot is @-mentioned"), when known. */
	botOpenId?: string;
}

/** Why an event is dropped by the options, or undefined when it goes on. */
export function filteredOut(item: IDataObject, filters: EventFilters): string | undefined {
	const event = (item.event as IDataObject | undefined) ?? {};
	if (filters.ignoreBotEvents) {
		const senderType = (event.sender as IDataObject | undefined)?.sender_type;
		if (senderType === 'app' || senderType === 'bot' || event.operator_type === 'app')
			return 'sent by a bot';
	}
	if (
		filters.mentionedOnly &&
		item.event_type === 'im.message.receive_v1' &&
		item.chat_type === 'group'
	) {
		const mentions =
			((event.message as IDataObject | undefined)?.mentions as IDataObject[] | undefined) ?? [];
		const mentioned = mentions.some(
			(m) =>
				m.mentioned_type === 'bot' ||
				(filters.botOpenId !== undefined &&
					(m.id as IDataObject | undefined)?.open_id === filters.botOpenId),
		);
		if (!mentioned) return 'the bot is not @-mentioned';
	}
	return undefined;
}

/** Redeliveries come within about 7 hours (15 s, 5 min, 1 h, 6 h); IDs are kept a little longer. */
export { processMemory } from '../shared/dedup';

/** Feishu's events: recorded under `feishuEventIds` in the trigger's static data (see shared/dedup). */
export function firstDelivery(
	staticData: IDataObject,
	id: string,
	now = Date.now(),
	trigger = 'default',
): boolean {
	return recordFirst(staticData, 'feishuEventIds', id, now, trigger);
}
