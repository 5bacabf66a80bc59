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
import { NodeConnectionTypes, OperationalError } from 'n8n-workflow';

import {
	cachedCredentials,
	connectionReports,
	NOTHING_TO_REGISTER,
	rawDeliveryOf,
	runtimeSocket,
	triggerKey,
} from '../shared/triggers';
import { acceptRegistration, instanceEnded, WAIT_HEADER, waitKey } from '../shared/approvalWait';
import { feishuBaseUrl } from '../../credentials/platformAuth';
import { eventIdOf, eventItem, eventTypeOf, filteredOut, firstDelivery, wantsType } from './events';
import { readDelivery } from './verify';
import type { Endpoint, Socket } from './ws/connection';
import { LongConnection } from './ws/connection';

/** The common event types; any other goes in Other Event Types, or "*" takes every event. */
const EVENT_TYPES: Array<{ name: string; value: string; description: string }> = [
	{ name: 'Any Event (*)', value: '*', description: 'Every event the app is subscribed to' },
	{
		name: 'Approval Instance Status Changed',
		value: 'approval_instance',
		description:
			'Schema 1.0 event approval_instance: an approval instance changed status (PENDING, APPROVED, REJECTED, CANCELED, DELETED, REVERTED…); the approval must be subscribed first (Feishu › Approval › Subscribe to Events)',
	},
	{
		name: 'Approval Task Status Changed',
		value: 'approval_task',
		description:
			'Schema 1.0 event approval_task: an approval task was created, approved, rejected, transferred or closed; the approval must be subscribed first',
	},
	{
		name: 'Bitable Record Changed',
		value: 'drive.file.bitable_record_changed_v1',
		description: 'Records of a subscribed Bitable (多维表格) changed',
	},
	{
		name: 'Bot Added to Chat',
		value: 'im.chat.member.bot.added_v1',
		description: 'The bot was added to a group chat',
	},
	{
		name: 'Bot Menu Clicked',
		value: 'application.bot.menu_v6',
		description: 'A user clicked a bot menu item of type "event"',
	},
	{
		name: 'Calendar Event Changed',
		value: 'calendar.calendar.event.changed_v4',
		description:
			"An event of a calendar a user subscribed to (Feishu node › Calendar › Subscribe to Event Changes, as the user) changed; the item carries calendar_id and the subscribers' open_ids",
	},
	{
		name: 'Card Action',
		value: 'card.action.trigger',
		description: 'A button or input in a card was used (回调: subscribe under Callbacks)',
	},
	{
		name: 'Department Created',
		value: 'contact.department.created_v3',
		description: 'A department was created (通讯录)',
	},
	{
		name: 'Department Deleted',
		value: 'contact.department.deleted_v3',
		description: 'A department was deleted',
	},
	{
		name: 'Department Updated',
		value: 'contact.department.updated_v3',
		description: "A department's name, parent, leader or order changed",
	},
	{
		name: 'Message Reaction Added',
		value: 'im.message.reaction.created_v1',
		description: 'Someone added a reaction to a message',
	},
	{
		name: 'Message Received',
		value: 'im.message.receive_v1',
		description: 'A user sent the bot a message, or @-mentioned it in a group',
	},
	{
		name: 'Task Changed (App’s Tasks)',
		value: 'task.task.updated_v1',
		description:
			'A task this app created with its own identity changed: task_id and obj_type (details, collaborators, followers, reminder, completed, uncompleted, deleted)',
	},
	{
		name: 'Task Changed (Tenant)',
		value: 'task.task.update_tenant_v1',
		description:
			'Any task of the tenant was created, changed or deleted (needs task:task.event_update_tenant:readonly)',
	},
	{
		name: 'User Created',
		value: 'contact.user.created_v3',
		description: 'A new employee joined the contacts',
	},
	{ name: 'User Deleted', value: 'contact.user.deleted_v3', description: 'An employee left' },
	{
		name: 'User Updated',
		value: 'contact.user.updated_v3',
		description: "An employee's profile changed",
	},
];

interface TriggerSettings {
	events: string[];
	ignoreBotEvents: boolean;
	mentionedOnly: boolean;
	cardResponse?: string;
}

function settingsOf(ctx: IWebhookFunctions | ITriggerFunctions): TriggerSettings {
	const chosen = ctx.getNodeParameter('events', []) as string[];
	const other = String(ctx.getNodeParameter('otherEvents', '') ?? '')
		.split(/[,\s]+/)
		.map((s) => s.trim())
		.filter(Boolean);
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const cardResponse = options.cardResponse;
	return {
		events: [...chosen, ...other],
		ignoreBotEvents: options.ignoreBotEvents !== false,
		mentionedOnly: options.mentionedOnly === true,
		cardResponse:
			typeof cardResponse === 'string'
				? cardResponse
				: cardResponse && typeof cardResponse === 'object'
					? JSON.stringify(cardResponse)
					: undefined,
	};
}

/**
 * The answer to a card action (toast and/or card), from the option's JSON. `{{ $event.path }}` inserts a
 * value of the event (e.g. {{ $event.action.value.choice }}); the answer is built without waiting for the workflow.
 */
export function cardAnswer(
	template: string | undefined,
	payload: IDataObject,
): IDataObject | undefined {
	if (template === undefined || template.trim() === '') return undefined;
	const event = (payload.event as IDataObject | undefined) ?? {};
	const filled = template.replace(/\{\{\s*\$event\.([\w.]+)\s*\}\}/g, (_m, path: string) => {
		let value: unknown = event;
		for (const part of path.split('.'))
			value =
				value !== null && typeof value === 'object' ? (value as IDataObject)[part] : undefined;
		return value === undefined || value === null ? '' : JSON.stringify(value).replace(/^"|"$/g, '');
	});
	try {
		const answer = JSON.parse(filled) as unknown;
		return answer !== null && typeof answer === 'object' && !Array.isArray(answer)
			? (answer as IDataObject)
			: undefined;
	} catch {
		return undefined;
	}
}

/** One delivered event: the item to emit and the answer to give, or why it starts nothing. */
export function handleEvent(
	payload: IDataObject,
	settings: TriggerSettings,
	staticData: IDataObject,
	trigger = 'default',
): { item?: IDataObject; answer?: IDataObject; dropped?: string } {
	const type = eventTypeOf(payload);
	const answer =
		type === 'card.action.trigger' ? cardAnswer(settings.cardResponse, payload) : undefined;
	if (!wantsType(type, settings.events))
		return { answer, dropped: `event type ${type} is not chosen` };
	const item = eventItem(payload);
	const filtered = filteredOut(item, {
		ignoreBotEvents: settings.ignoreBotEvents,
		mentionedOnly: settings.mentionedOnly,
	});
	if (filtered) return { answer, dropped: filtered };
	const id = eventIdOf(payload);
	// An event without an ID cannot be told from its redelivery; it still starts one execution.
	if (id !== undefined && !firstDelivery(staticData, id, Date.now(), trigger))
		return { answer, dropped: `event ${id} was delivered before` };
	return { item, answer };
}

/** The final statuses of an approval instance (its events, §5.1): the waits for it can end. */
const APPROVAL_ENDED = new Set(['APPROVED', 'REJECTED', 'CANCELED', 'DELETED']);

/**
 * An approval instance's event that ends it resumes the executions waiting for it (Create Instance with
 * Wait for Decision), whichever event types the trigger starts executions for.
 */
async function resumeWaits(
	ctx: IWebhookFunctions | ITriggerFunctions,
	payload: IDataObject,
	staticData: IDataObject,
	trigger: string,
): Promise<void> {
	const type = eventTypeOf(payload);
	if (type !== 'approval_instance' && type !== 'approval.instance.status_changed_v4') return;
	const event = (payload.event as IDataObject | undefined) ?? {};
	const status = String(event.status ?? '');
	if (!APPROVAL_ENDED.has(status) || typeof event.instance_code !== 'string') return;
	await instanceEnded(ctx, staticData, trigger, event.instance_code, status, (message) =>
		ctx.logger.warn(`Feishu Trigger: ${message}`),
	);
}

async function endpointOf(
	ctx: ITriggerFunctions,
	credentials: ICredentialDataDecryptedObject,
): Promise<Endpoint> {
	const response = (await ctx.helpers.httpRequest({
		method: 'POST',
		url: `${feishuBaseUrl(credentials)}/callback/ws/endpoint`,
		headers: { locale: 'zh' },
		body: { AppID: credentials.appId, AppSecret: credentials.appSecret },
		json: true,
		timeout: 15_000,
		ignoreHttpStatusErrors: true,
	})) as IDataObject;
	const code = Number(response?.code);
	const data = (response?.data as IDataObject | undefined) ?? {};
	if (code === 0 && typeof data.URL === 'string')
		return { url: data.URL, config: (data.ClientConfig as IDataObject) ?? {} };
	// 1 (busy) and 1000040343 (internal error) are worth retrying; other codes are the app's problem.
	const retry = code === 1 || code === 1000040343 || !Number.isFinite(code);
	throw Object.assign(
		new OperationalError(
			`Feishu refused the long connection (code ${String(response?.code)}: ${String(response?.msg ?? '')})`,
		),
		{ retry },
	);
}

export class FeishuTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu Trigger',
		name: 'feishuTrigger',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["connection"] === "longConnection" ? "long connection" : "webhook"}}',
		// n8n's node creator shows a trigger's description for the app as a whole (the Feishu node's actions
		// and this trigger in one entry), so it speaks of both.
		description:
			'Feishu / Lark (飞书): send messages and cards, work with Bitable (多维表格), chats and user groups, and start workflows on events',
		defaults: { name: 'Feishu Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'feishuApi', required: true }],
		// The URL matters only in webhook mode; over the long connection n8n needs none, so none is shown.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
				ndvHideUrl: '={{ $parameter["connection"] === "longConnection" }}',
			},
		],
		properties: [
			{
				displayName: 'Connection',
				name: 'connection',
				type: 'options',
				options: [
					{
						name: 'Webhook',
						value: 'webhook',
						description:
							"Feishu sends events to this node's URL: paste it under Events & Callbacks › Request URL",
					},
					{
						name: 'Long Connection (长连接)',
						value: 'longConnection',
						description:
							'The node connects to Feishu itself: no public URL needed (custom apps; n8n on Node.js 22 or later)',
					},
				],
				default: 'webhook',
			},
			{
				displayName:
					"In the developer console, under Events & Callbacks, set the Request URL to this node's Production URL (above), and add the events chosen here. Set an Encrypt Key or the Verification Token in the credential.",
				name: 'webhookNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { connection: ['webhook'] } },
			},
			{
				displayName:
					'In the developer console, under Events & Callbacks, choose "Receive events through persistent connection" (使用长连接接收事件). Feishu gives each event to one connection of the app: let one active workflow per app hold the trigger.',
				name: 'longConnectionNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { connection: ['longConnection'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_TYPES,
				default: ['im.message.receive_v1'],
				description:
					'The event types that start the workflow; the app must be subscribed to them in the developer console',
			},
			{
				displayName: 'Other Event Types',
				name: 'otherEvents',
				type: 'string',
				default: '',
				placeholder: 'im.chat.disbanded_v1, calendar.calendar.event.changed_v4',
				description:
					'More event types, separated by commas, exactly as the event list of the developer console names them',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Card Action Response (JSON)',
						name: 'cardResponse',
						type: 'json',
						default: '{\n  "toast": { "type": "success", "content": "Received" }\n}',
						description:
							'For card actions: the answer Feishu shows at once (within its 3 seconds), a toast and/or a new card ({"card": {"type": "raw", "data": {…}}}). {{ $event.action.value.key }} inserts a value of the event.',
					},
					{
						displayName: 'Ignore Events From Bots',
						name: 'ignoreBotEvents',
						type: 'boolean',
						default: true,
						description:
							"Whether to skip events caused by a bot or app (such as this app's own messages and reactions)",
					},
					{
						displayName: 'Only When the Bot Is Mentioned',
						name: 'mentionedOnly',
						type: 'boolean',
						default: false,
						description:
							'Whether group messages start the workflow only when they @-mention the bot (one-to-one messages always do)',
					},
				],
			},
		],
	};

	/** Feishu has no API that registers a Request URL: the user pastes it into the developer console once. */
	webhookMethods = NOTHING_TO_REGISTER;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const waitSignature = (this.getHeaderData() as IDataObject)[WAIT_HEADER];
		if (waitSignature !== undefined) {
			// Approval › Create Instance with Wait for Decision tells the trigger what it waits for (either connection).
			const credentials = await cachedCredentials(this, 'feishuApi');
			const { raw } = rawDeliveryOf(this);
			const answer = acceptRegistration(
				raw,
				waitSignature,
				waitKey(String(credentials.appSecret ?? '')),
				'feishu',
				this.getWorkflowStaticData('node'),
				triggerKey(this),
			);
			res.status(answer.status).json(answer.body);
			return { noWebhookResponse: true };
		}
		if (this.getNodeParameter('connection', 'webhook') !== 'webhook') {
			res.status(404).json({ msg: 'this trigger receives events over the long connection' });
			return { noWebhookResponse: true };
		}
		const credentials = await cachedCredentials(this, 'feishuApi');
		const { raw, headers } = rawDeliveryOf(this);
		const delivery = readDelivery(raw, headers, {
			encryptKey: String(credentials.encryptKey ?? '') || undefined,
			verificationToken: String(credentials.verificationToken ?? '') || undefined,
		});
		if (delivery.kind === 'rejected') {
			res.status(delivery.status).json({ msg: `rejected: ${delivery.reason}` });
			return { noWebhookResponse: true };
		}
		if (delivery.kind === 'challenge') {
			res.status(200).json({ challenge: delivery.challenge });
			return { noWebhookResponse: true };
		}
		const { item, answer } = handleEvent(
			delivery.payload,
			settingsOf(this),
			this.getWorkflowStaticData('node'),
			triggerKey(this),
		);
		// Answered at once (a card action with its configured answer); the workflow runs after the answer.
		res.status(200).json(answer ?? { msg: 'success' });
		await resumeWaits(this, delivery.payload, this.getWorkflowStaticData('node'), triggerKey(this));
		if (!item) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('connection', 'webhook') !== 'longConnection') return {};
		const socket = runtimeSocket<Socket>(this, 'The long connection', 'the webhook connection');
		const credentials = await this.getCredentials('feishuApi');
		const settings = settingsOf(this);
		const staticData = this.getWorkflowStaticData('node');
		const connection = new LongConnection({
			endpoint: async () => await endpointOf(this, credentials),
			onEvent: async (payload) => {
				const { item, answer } = handleEvent(payload, settings, staticData, triggerKey(this));
				if (item) this.emit([[{ json: item }]]);
				void resumeWaits(this, payload, staticData, triggerKey(this)).catch((error: Error) =>
					this.logger.warn(`Feishu Trigger: ${error.message}`),
				);
				return answer;
			},
			...connectionReports(this, 'Feishu Trigger'),
			socket,
		});
		connection.start();
		return { closeFunction: async () => await connection.stop() };
	}
}
