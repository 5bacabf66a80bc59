import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { forget, recordFirst } from '../shared/dedup';

/**
 * DingTalk deliveries (over Stream or HTTP) into one n8n item each, and whether they start an execution:
 * the chosen kinds and event types, and never twice (by the event ID or message ID DingTalk sends again
 * with a redelivery).
 */

export type Kind = 'robotMessage' | 'event' | 'cardCallback';

/** The robot message topic and the card callback topic (Stream CALLBACK subscriptions). */
export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
export const CARD_TOPIC = '/v1.0/card/instances/callback';

const parse = (text: unknown): unknown => {
	if (typeof text !== 'string') return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
};

/** The plain text of a robot message: text.content, or the text parts of rich text. */
function textOf(payload: IDataObject): string | undefined {
	const text = (payload.text as IDataObject | undefined)?.content;
	if (typeof text === 'string') return text.trim();
	const content = (payload.content as IDataObject | undefined) ?? {};
	const rich = content.richText as IDataObject[] | undefined;
	if (Array.isArray(rich))
		return rich
			.map((part) => (typeof part.text === 'string' ? part.text : ''))
			.join('')
			.trim();
	if (typeof content.recognition === 'string') return content.recognition;
	return undefined;
}

/**
 * A message's file, for Robot Message › Download File: the temporary downloadCode of a file, picture,
 * audio or video message (content.downloadCode), and a file's name.
 */
function fileOf(payload: IDataObject): IDataObject {
	const content = parse(payload.content) as IDataObject | undefined;
	if (!content || typeof content !== 'object' || typeof content.downloadCode !== 'string')
		return {};
	return {
		downloadCode: content.downloadCode,
		...(typeof content.fileName === 'string' ? { fileName: content.fileName } : {}),
	};
}

/** A robot message (Stream `data`, or an HTTP callback's body) as an item. */
export function robotMessageItem(payload: IDataObject): IDataObject {
	const type = String(payload.conversationType ?? '');
	return {
		kind: 'robotMessage',
		text: textOf(payload),
		msgtype: payload.msgtype,
		msgId: payload.msgId,
		createAt: payload.createAt,
		senderStaffId: payload.senderStaffId,
		senderUnionId: payload.senderUnionId,
		senderNick: payload.senderNick,
		senderId: payload.senderId,
		senderCorpId: payload.senderCorpId,
		isAdmin: payload.isAdmin,
		conversationType: type === '1' ? 'oneOnOne' : type === '2' ? 'group' : type,
		conversationId: payload.conversationId,
		conversationTitle: payload.conversationTitle,
		isInAtList: payload.isInAtList === true,
		atUsers: payload.atUsers ?? [],
		robotCode: payload.robotCode,
		chatbotUserId: payload.chatbotUserId,
		sessionWebhook: payload.sessionWebhook,
		sessionWebhookExpiredTime: payload.sessionWebhookExpiredTime,
		...(payload.content !== undefined ? { content: payload.content } : {}),
		...fileOf(payload),
		raw: payload,
	};
}

/** A Stream EVENT: its headers and `data` (a JSON string). */
export function streamEventItem(headers: IDataObject, data: unknown): IDataObject {
	return {
		kind: 'event',
		eventType: headers.eventType,
		eventId: headers.eventId,
		corpId: headers.eventCorpId,
		eventTime: headers.eventBornTime !== undefined ? Number(headers.eventBornTime) : undefined,
		unifiedAppId: headers.eventUnifiedAppId,
		data: parse(data) as IDataObject,
		...approvalFields(headers.eventType, parse(data)),
		...contactFields(headers.eventType, parse(data)),
	};
}

const USER_EVENTS = new Set(['user_add_org', 'user_modify_org', 'user_leave_org']);
const DEPARTMENT_EVENTS = new Set(['org_dept_create', 'org_dept_modify', 'org_dept_remove']);

/**
 * The contact events (通讯录事件, docs/research/contacts.md §2.6) for the next node: an internal app's carry
 * IDs only, `userId` or `deptId` lists (the HTTP overview spells them `UserId`), so `userIds` and
 * `deptIds` are always lists, for User › Get or Department › Get.
 */
function contactFields(type: unknown, data: unknown): IDataObject {
	if (!data || typeof data !== 'object') return {};
	const d = data as IDataObject;
	const list = (value: unknown) =>
		(Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(
			String,
		);
	if (USER_EVENTS.has(String(type))) return { userIds: list(d.userId ?? d.UserId) };
	if (DEPARTMENT_EVENTS.has(String(type))) return { deptIds: list(d.deptId ?? d.DeptId) };
	return {};
}

const isoMs = (ms: unknown): string | undefined => {
	const n = Number(ms);
	return ms !== undefined && ms !== '' && Number.isFinite(n) && n > 0
		? new Date(n).toISOString()
		: undefined;
};

/**
 * bpms_instance_change and bpms_task_change (docs/research/dingtalk-approval.md §2) for the next node:
 * the instance, its form, what happened and the outcome (agreed, refused, terminated, redirected). They
 * carry no form data: Approval › Get Instance reads it.
 */
function approvalFields(type: unknown, data: unknown): IDataObject {
	if ((type !== 'bpms_instance_change' && type !== 'bpms_task_change') || !data) return {};
	const d = data as IDataObject;
	const outcome =
		d.type === 'terminate'
			? 'terminated'
			: d.type === 'cancel'
				? 'cancelled'
				: d.type === 'finish'
					? d.result === 'agree'
						? 'agreed'
						: d.result === 'refuse'
							? 'refused'
							: d.result === 'redirect'
								? 'redirected'
								: 'finished'
					: 'started';
	const fields: IDataObject = {
		instanceId: d.processInstanceId,
		processCode: d.processCode,
		approvalEvent: d.type,
		outcome,
		...(d.result !== undefined ? { result: d.result } : {}),
		...(d.taskId !== undefined ? { taskId: String(d.taskId) } : {}),
		staffId: d.staffId,
		title: d.title,
		...(d.url !== undefined ? { url: d.url } : {}),
		...(d.remark !== undefined ? { remark: d.remark } : {}),
		createTime: isoMs(d.createTime),
		finishTime: isoMs(d.finishTime ?? d.finshTime),
	};
	for (const [key, value] of Object.entries(fields)) if (value === undefined) delete fields[key];
	return fields;
}

/** An HTTP-pushed event: flat, {EventType, EventTime or TimeStamp, CorpId, eventId, …fields}. */
export function httpEventItem(payload: IDataObject): IDataObject {
	const { EventType, EventTime, TimeStamp, CorpId, eventId, EventId, ...data } = payload;
	return {
		kind: 'event',
		eventType: EventType,
		eventId: eventId ?? EventId ?? httpEventId(payload),
		corpId: CorpId,
		eventTime:
			EventTime !== undefined
				? Number(EventTime)
				: TimeStamp !== undefined
					? Number(TimeStamp)
					: undefined,
		data,
		...approvalFields(EventType, data),
		...contactFields(EventType, data),
	};
}

/** An HTTP event without an ID of its own: a hash of its content, the same when DingTalk sends it again. */
function httpEventId(payload: IDataObject): string {
	return `sha256:${createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 32)}`;
}

/** A card action (Stream CALLBACK on the card topic). */
export function cardCallbackItem(data: unknown, headers: IDataObject): IDataObject {
	const payload = (parse(data) ?? {}) as IDataObject;
	return {
		kind: 'cardCallback',
		outTrackId: payload.outTrackId,
		userId: payload.userId,
		corpId: payload.corpId,
		content: parse(payload.content) as IDataObject,
		messageId: headers.messageId,
		raw: payload,
	};
}

/** Which event types the trigger takes: the chosen ones, the free-text ones, or any with "*". */
export const wantsEvent = (type: unknown, chosen: string[]) =>
	chosen.includes('*') || chosen.includes(String(type));

/** The key that tells a delivery from its redelivery. */
function deliveryId(item: IDataObject): string | undefined {
	const id =
		item.kind === 'robotMessage'
			? item.msgId
			: item.kind === 'event'
				? item.eventId
				: item.messageId;
	return typeof id === 'string' && id !== '' ? `${String(item.kind)}:${id}` : undefined;
}

/** Undoes firstDelivery for a delivery whose execution could not be started. */
export function forgetDelivery(
	staticData: IDataObject,
	item: IDataObject,
	trigger = 'default',
): void {
	const id = deliveryId(item);
	if (id !== undefined) forget(staticData, 'dingTalkEventIds', id, trigger);
}

/** True when this delivery starts an execution (and records it); false for a redelivery. */
export function firstDelivery(
	staticData: IDataObject,
	item: IDataObject,
	now = Date.now(),
	trigger = 'default',
): boolean {
	const id = deliveryId(item);
	return id === undefined || recordFirst(staticData, 'dingTalkEventIds', id, now, trigger);
}
