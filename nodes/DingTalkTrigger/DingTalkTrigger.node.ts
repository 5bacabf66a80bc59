import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, OperationalError } from 'n8n-workflow';

import {
	cachedCredentials,
	connectionReports,
	NOTHING_TO_REGISTER,
	rawDeliveryOf,
	runtimeSocket,
	triggerKey,
} from '../shared/triggers';
import { acceptRegistration, instanceEnded, WAIT_HEADER, waitKey } from '../shared/approvalWait';
import { dingTalkHosts } from '../../credentials/platformAuth';
import type { Kind } from './events';
import {
	CARD_TOPIC,
	cardCallbackItem,
	firstDelivery,
	forgetDelivery,
	httpEventItem,
	ROBOT_TOPIC,
	robotMessageItem,
	streamEventItem,
	wantsEvent,
} from './events';
import type { Socket, StreamFrame } from './stream/connection';
import { StreamConnection } from './stream/connection';
import { readDelivery } from './verify';

/** The common event types; any other goes in Other Event Types, or "*" takes every event. */
const EVENT_TYPES: Array<{ name: string; value: string; description: string }> = [
	{
		name: 'Any Event (*)',
		value: '*',
		description: 'Every event the app subscribes to in the developer console',
	},
	{
		name: 'Approval Instance Changed',
		value: 'bpms_instance_change',
		description: 'An approval (审批) instance started, finished or was terminated',
	},
	{
		name: 'Approval Task Changed',
		value: 'bpms_task_change',
		description: 'An approval task started, was done or was cancelled',
	},
	{
		name: 'Calendar Event Changed',
		value: 'calendar_event_change',
		description:
			'An event (日程) of a user the app may see was created or changed: calendarEventId, calendarId, changeType, unionIdList',
	},
	{ name: 'Department Created', value: 'org_dept_create', description: 'A department was created' },
	{
		name: 'Department Modified',
		value: 'org_dept_modify',
		description: 'A department was changed',
	},
	{ name: 'Department Removed', value: 'org_dept_remove', description: 'A department was deleted' },
	{
		name: 'Group Member Added',
		value: 'chat_add_member',
		description: 'Members joined a group chat',
	},
	{
		name: 'Group Member Removed',
		value: 'chat_remove_member',
		description: 'Members left or were removed from a group chat',
	},
	{
		name: 'To-Do Created',
		value: 'todo_task_create',
		description: 'A to-do (待办) was created: taskId, unionIdList',
	},
	{
		name: 'To-Do Deleted',
		value: 'todo_task_delete',
		description: 'A to-do was deleted: taskId, unionIdList',
	},
	{
		name: 'To-Do Updated',
		value: 'todo_task_update',
		description: 'A to-do changed: its status, executors, participants or an executor’s status',
	},
	{
		name: 'User Joined',
		value: 'user_add_org',
		description: 'An employee joined the organization',
	},
	{ name: 'User Left', value: 'user_leave_org', description: 'An employee left the organization' },
	{ name: 'User Modified', value: 'user_modify_org', description: "An employee's profile changed" },
];

interface Settings {
	kinds: Kind[];
	eventTypes: string[];
}

function settingsOf(ctx: IWebhookFunctions | ITriggerFunctions): Settings {
	const kinds = ctx.getNodeParameter('triggerOn', ['robotMessage']) as Kind[];
	const chosen = kinds.includes('event')
		? (ctx.getNodeParameter('eventTypes', ['*']) as string[])
		: [];
	const other = kinds.includes('event')
		? String(ctx.getNodeParameter('otherEventTypes', '') ?? '')
				.split(/[,\s]+/)
				.map((s) => s.trim())
				.filter(Boolean)
		: [];
	return { kinds, eventTypes: [...chosen, ...other] };
}

/** One delivery (already verified): the item to emit, or why it starts nothing. */
export function handleDelivery(
	item: IDataObject,
	settings: Settings,
	staticData: IDataObject,
	trigger: string,
): { item?: IDataObject; dropped?: string } {
	const kind = item.kind as Kind;
	if (!settings.kinds.includes(kind)) return { dropped: `${kind} is not chosen` };
	if (kind === 'event' && !wantsEvent(item.eventType, settings.eventTypes))
		return { dropped: `event type ${String(item.eventType)} is not chosen` };
	if (!firstDelivery(staticData, item, Date.now(), trigger)) return { dropped: 'delivered before' };
	return { item };
}

/** A Stream frame as an item (EVENT, robot or card CALLBACK). */
export function itemOfFrame(frame: StreamFrame): IDataObject | undefined {
	const topic = String(frame.headers.topic ?? '');
	if (frame.type === 'EVENT') return streamEventItem(frame.headers, frame.data);
	if (topic === ROBOT_TOPIC) {
		const payload = JSON.parse(frame.data ?? '{}') as IDataObject;
		return { ...robotMessageItem(payload), msgId: payload.msgId ?? frame.headers.messageId };
	}
	if (topic === CARD_TOPIC) return cardCallbackItem(frame.data, frame.headers);
	return undefined;
}

/** The Stream subscriptions of the chosen kinds. */
export function subscriptionsOf(
	kinds: Kind[],
): Array<{ type: 'EVENT' | 'CALLBACK'; topic: string }> {
	const subscriptions: Array<{ type: 'EVENT' | 'CALLBACK'; topic: string }> = [];
	if (kinds.includes('event')) subscriptions.push({ type: 'EVENT', topic: '*' });
	if (kinds.includes('robotMessage')) subscriptions.push({ type: 'CALLBACK', topic: ROBOT_TOPIC });
	if (kinds.includes('cardCallback')) subscriptions.push({ type: 'CALLBACK', topic: CARD_TOPIC });
	return subscriptions;
}

async function openStream(
	ctx: ITriggerFunctions,
	credentials: ICredentialDataDecryptedObject,
	kinds: Kind[],
): Promise<{ endpoint: string; ticket: string }> {
	const response = (await ctx.helpers.httpRequest({
		method: 'POST',
		url: `${dingTalkHosts(credentials).baseUrl}/v1.0/gateway/connections/open`,
		// Without Accept: application/json the gateway answers XML.
		headers: { Accept: 'application/json' },
		body: {
			clientId: String(credentials.appKey ?? ''),
			clientSecret: String(credentials.appSecret ?? ''),
			subscriptions: subscriptionsOf(kinds),
			ua: 'n8n-nodes-dingtalk-feishu',
		},
		json: true,
		timeout: 15_000,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	})) as { statusCode: number; body: IDataObject };
	const body = response.body ?? {};
	if (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		typeof body.endpoint === 'string' &&
		typeof body.ticket === 'string'
	) {
		return { endpoint: body.endpoint, ticket: body.ticket };
	}
	// A 4xx is the app's problem (wrong client ID or secret, Stream mode off): no point retrying.
	const retry =
		response.statusCode >= 500 || response.statusCode === 429 || response.statusCode === 0;
	throw Object.assign(
		new OperationalError(
			`DingTalk refused the Stream connection (HTTP ${response.statusCode}, ${String(body.code ?? '')}: ${String(body.message ?? '')})`,
		),
		{ retry },
	);
}

/**
 * An approval instance that finished or was terminated (bpms_instance_change) resumes the executions
 * waiting for it (Create Instance with Wait for Decision), whichever events the trigger starts executions for.
 */
async function resumeWaits(
	ctx: IWebhookFunctions | ITriggerFunctions,
	item: IDataObject,
	staticData: IDataObject,
	trigger: string,
): Promise<void> {
	if (item.eventType !== 'bpms_instance_change') return;
	if (item.approvalEvent !== 'finish' && item.approvalEvent !== 'terminate') return;
	if (typeof item.instanceId !== 'string') return;
	await instanceEnded(ctx, staticData, trigger, item.instanceId, String(item.outcome), (message) =>
		ctx.logger.warn(`DingTalk Trigger: ${message}`),
	);
}

export class DingTalkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk Trigger',
		name: 'dingTalkTrigger',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["connection"] === "stream" ? "Stream mode" : "HTTP callback"}}',
		// n8n's node creator shows a trigger's description for the app as a whole (the DingTalk node's actions
		// and this trigger in one entry), so it speaks of both.
		description:
			'DingTalk (钉钉): send robot messages and work notifications, manage meeting rooms, conferences and roles, and start workflows on events',
		defaults: { name: 'DingTalk Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dingTalkApi', required: true }],
		// The URL matters only for HTTP callbacks; Stream mode needs none, so none is shown.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'callback',
				ndvHideUrl: '={{ $parameter["connection"] === "stream" }}',
			},
		],
		properties: [
			{
				displayName: 'Connection',
				name: 'connection',
				type: 'options',
				options: [
					{
						name: 'Stream Mode',
						value: 'stream',
						description:
							'The node connects to DingTalk itself: no public URL needed (n8n on Node.js 22 or later)',
					},
					{
						name: 'HTTP Callback',
						value: 'httpCallback',
						description: "DingTalk posts to this node's URL: paste it into the developer console",
					},
				],
				default: 'stream',
			},
			{
				displayName:
					'In the developer console: for events, Event Subscription (事件订阅) › push mode "Stream 模式推送"; for robot messages, the robot\'s message receiving mode (消息接收模式) "Stream 模式". DingTalk gives each push to one connection of the app.',
				name: 'streamNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { connection: ['stream'] } },
			},
			{
				displayName:
					'In the developer console: for events, Event Subscription › "HTTP 推送" with this node\'s Production URL as the request URL, and the Token and aes_key copied into the credential; for robot messages, the robot\'s message receiving mode "HTTP 模式" with the same URL.',
				name: 'httpNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { connection: ['httpCallback'] } },
			},
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'multiOptions',
				options: [
					{
						name: 'Robot Message',
						value: 'robotMessage',
						description: "A message to the app's robot, one-on-one or @-mentioning it in a group",
					},
					{
						name: 'Event',
						value: 'event',
						description: 'Platform events: contacts, approvals, groups …',
					},
					{
						name: 'Card Callback',
						value: 'cardCallback',
						description:
							'An action on an interactive card sent with callbackType STREAM (Stream mode only)',
					},
				],
				default: ['robotMessage'],
				description: 'What starts the workflow',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'multiOptions',
				options: EVENT_TYPES,
				default: ['*'],
				displayOptions: { show: { triggerOn: ['event'] } },
				description:
					'The events that start the workflow; the app must subscribe to them in the developer console',
			},
			{
				displayName: 'Other Event Types',
				name: 'otherEventTypes',
				type: 'string',
				default: '',
				placeholder: 'attendance_check_record, chat_disband',
				displayOptions: { show: { triggerOn: ['event'] } },
				description: 'More event types, separated by commas, as DingTalk names them (EventType)',
			},
		],
	};

	/** DingTalk has no API that registers the callback URL: the user pastes it into the developer console. */
	webhookMethods = NOTHING_TO_REGISTER;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const waitSignature = (this.getHeaderData() as IDataObject)[WAIT_HEADER];
		if (waitSignature !== undefined) {
			// Approval › Create Instance with Wait for Decision tells the trigger what it waits for (either connection).
			const credentials = await cachedCredentials(this, 'dingTalkApi');
			const { raw } = rawDeliveryOf(this);
			const answer = acceptRegistration(
				raw,
				waitSignature,
				waitKey(String(credentials.appSecret ?? '')),
				'dingtalk',
				this.getWorkflowStaticData('node'),
				triggerKey(this),
			);
			res.status(answer.status).json(answer.body);
			return { noWebhookResponse: true };
		}
		if (this.getNodeParameter('connection', 'stream') !== 'httpCallback') {
			res.status(404).json({ message: 'this trigger receives over Stream mode' });
			return { noWebhookResponse: true };
		}
		const credentials = await cachedCredentials(this, 'dingTalkApi');
		const { raw, query, headers } = rawDeliveryOf(this);
		const delivery = readDelivery(raw, query, headers, {
			token: String(credentials.callbackToken ?? '') || undefined,
			aesKey: String(credentials.callbackAesKey ?? '') || undefined,
			appKey: String(credentials.appKey ?? ''),
			appSecret: String(credentials.appSecret ?? ''),
		});
		if (delivery.kind === 'rejected') {
			res.status(delivery.status).json({ message: `rejected: ${delivery.reason}` });
			return { noWebhookResponse: true };
		}
		if (delivery.kind === 'event') {
			// Answered at once (DingTalk waits 1.5 s); check_url starts nothing.
			res.status(200).json(delivery.reply);
			if (delivery.payload.EventType === 'check_url') return { noWebhookResponse: true };
			const event = httpEventItem(delivery.payload);
			const { item } = handleDelivery(
				event,
				settingsOf(this),
				this.getWorkflowStaticData('node'),
				triggerKey(this),
			);
			await resumeWaits(this, event, this.getWorkflowStaticData('node'), triggerKey(this));
			return item
				? { noWebhookResponse: true, workflowData: [[{ json: item }]] }
				: { noWebhookResponse: true };
		}
		// A robot message in HTTP mode: {"msgtype": "empty"} sends no reply (the workflow replies itself).
		res.status(200).json({ msgtype: 'empty' });
		const { item } = handleDelivery(
			robotMessageItem(delivery.payload),
			settingsOf(this),
			this.getWorkflowStaticData('node'),
			triggerKey(this),
		);
		return item
			? { noWebhookResponse: true, workflowData: [[{ json: item }]] }
			: { noWebhookResponse: true };
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('connection', 'stream') !== 'stream') return {};
		const socket = runtimeSocket<Socket>(this, 'Stream mode', 'HTTP Callback');
		const credentials = await this.getCredentials('dingTalkApi');
		const settings = settingsOf(this);
		if (settings.kinds.length === 0)
			throw new NodeOperationError(this.getNode(), 'Choose at least one kind under Trigger On');
		const staticData = this.getWorkflowStaticData('node');
		const connection = new StreamConnection({
			open: async () => await openStream(this, credentials, settings.kinds),
			onMessage: async (frame) => {
				const item = itemOfFrame(frame);
				if (!item) return undefined;
				const handled = handleDelivery(item, settings, staticData, triggerKey(this));
				void resumeWaits(this, item, staticData, triggerKey(this)).catch((error: Error) =>
					this.logger.warn(`DingTalk Trigger: ${error.message}`),
				);
				if (!handled.item) return undefined;
				try {
					this.emit([[{ json: handled.item }]]);
				} catch (error) {
					// Not started: acked LATER (the connection does that on a throw), and the redelivery must count.
					forgetDelivery(staticData, item, triggerKey(this));
					throw new NodeOperationError(
						this.getNode(),
						`the execution could not be started: ${(error as Error).message}`,
					);
				}
				return undefined;
			},
			...connectionReports(this, 'DingTalk Trigger'),
			socket,
		});
		connection.start();
		return { closeFunction: async () => await connection.stop() };
	}
}
