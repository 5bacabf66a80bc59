import { DINGTALK_DEFAULT_LIMIT, DINGTALK_RATE_LIMITS } from '../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { busyBackoff, PlatformTransport } from '../../../shared/transport';
import type {
	OperationDefinition,
	PacingLane,
	OperationStep,
	OutputItem,
	ResourceDefinition,
} from '../../../shared/types';
import type { MediaKeys, MessageType } from './content';
import {
	contentProperties,
	customRobotBody,
	MEDIA_TYPES,
	messageTypeProperty,
	robotTemplate,
	uploadTypeOf,
} from './content';
import { classifyCustomRobot } from './customRobot';
import {
	CUSTOM_ROBOT_ERRORS,
	ROBOT_GROUP_SEND_ERRORS,
	ROBOT_OTO_SEND_ERRORS,
	ROBOT_READ_ERRORS,
	ROBOT_RECALL_ERRORS,
} from './errors';
import { mediaInput, uploadMedia } from './media';

/** "userIds … 最多20个" (batchSend); recall and read status take at most 20 keys or recipients too. */
export const USERS_PER_CALL = 20;
export const KEYS_PER_CALL = 20;
/** "msgParam … 最大长度15000字节" (groupMessages/send). */
export const GROUP_MSG_PARAM_MAX = 15000;
/** Users left out by flow control (flowControlledStaffIdList) are sent again this many times, after backing off. */
const FLOW_CONTROL_RETRIES = 3;

export const robotCodeProperty: INodeProperties = {
	displayName: 'Robot Code',
	name: 'robotCode',
	type: 'string',
	default: '',
	placeholder: 'dingyxxxxxxxxxxxx',
	description:
		"The robot's robotCode, shown in the developer console under the app's Robot (机器人) settings. Empty: the credential's Client ID (AppKey), which is the robotCode of an internal app's robot.",
};

export const userIdsProperty: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'manager4220, staff0002',
	description:
		"The recipients' user IDs (userid, not unionid), separated by commas; User › Get returns them. More than 20 are sent in calls of 20.",
};

export const openConversationIdProperty: INodeProperties = {
	displayName: 'Open Conversation ID',
	name: 'openConversationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'cidXXXXXXXXXXXX==',
	description:
		"The group's openConversationId (cid…). The robot must be in the group. The DingTalk Trigger's robot messages carry it as conversationId.",
};

export const robotCodeOf = (step: OperationStep): string =>
	step.params.optionalString('robotCode') ?? step.credential('appKey');

/** A failed call of a batch: its error, telling what earlier calls of the same item already sent. */
export function alreadySent(error: unknown, note: string | undefined): Error {
	if (note && error instanceof NodeApiError)
		error.description = `${error.description ?? ''} ${note}`.trim();
	return error as Error;
}

/** A list in consecutive pieces of at most `size` (the documented per-call maximums). */
export const chunk = <T>(list: T[], size: number): T[][] =>
	Array.from({ length: Math.ceil(list.length / size) }, (_, i) =>
		list.slice(i * size, (i + 1) * size),
	);

/** Uploads the item's binary data first when the message carries a file from it. */
export async function robotMediaFor(step: OperationStep, type: MessageType): Promise<MediaKeys> {
	const p = step.params;
	if (
		!(MEDIA_TYPES as readonly string[]).includes(type) ||
		p.choice('mediaSource', ['binary', 'mediaId'] as const, 'binary') !== 'binary'
	)
		return {};
	const file = await mediaInput(step, 'binaryPropertyName', uploadTypeOf(type));
	const keys: MediaKeys = {
		fileName: file.fileName,
		mediaId: await uploadMedia(step, file, uploadTypeOf(type)),
	};
	if (type === 'video')
		keys.coverMediaId = await uploadMedia(
			step,
			await mediaInput(step, 'coverBinaryPropertyName', 'image'),
			'image',
		);
	return keys;
}

/** Stands in for a media ID not uploaded yet, as long as a real one, so that size checks come out the same. */
export const PENDING_MEDIA_ID = '@lADPDe7s0000000000000000000000000000000000000';

/** The file name of the item's binary property, when the file comes from binary data. */
function binaryFileName(step: OperationStep): string | undefined {
	if (step.params.choice('mediaSource', ['binary', 'mediaId'] as const, 'binary') !== 'binary')
		return undefined;
	const property = step.params.optionalString('binaryPropertyName') ?? 'data';
	return step.ctx.getInputData()[step.itemIndex]?.binary?.[property]?.fileName;
}

/** The message of this item as the robot APIs take it: msgKey and msgParam as a JSON string. */
async function templateOf(step: OperationStep): Promise<{ msgKey: string; msgParam: string }> {
	const type = step.params.choice(
		'messageType',
		['text', 'markdown', 'image', 'link', 'actionCard', 'audio', 'file', 'video', 'json'] as const,
		'text',
	);
	// Everything is checked before the first request (an upload included).
	robotTemplate(step.params, {
		mediaId: PENDING_MEDIA_ID,
		coverMediaId: PENDING_MEDIA_ID,
		fileName:
			type === 'file'
				? (step.params.optionalString('fileName') ?? binaryFileName(step) ?? 'pending.pdf')
				: undefined,
	});
	const { msgKey, msgParam } = robotTemplate(step.params, await robotMediaFor(step, type));
	return { msgKey, msgParam: JSON.stringify(msgParam) };
}

/**
 * Sends to users in calls of 20. Users DingTalk left out by flow control are sent again after backing
 * off (they were not sent); those still left out, and invalid users, are in the output. A failed call
 * after earlier ones were sent says which users already have the message.
 */
export async function sendToUsers(
	step: OperationStep,
	userIds: string[],
	template: { msgKey: string; msgParam: string },
	lane: PacingLane,
): Promise<IDataObject> {
	const robotCode = robotCodeOf(step);
	const processQueryKeys: string[] = [];
	const invalid: string[] = [];
	const sentTo: string[] = [];
	let flowControlled: string[] = [];
	for (const users of chunk(userIds, USERS_PER_CALL)) {
		let pending = users;
		for (let attempt = 0; pending.length > 0; attempt++) {
			let answer: IDataObject;
			try {
				answer = await step.send(
					{
						method: 'POST',
						path: '/v1.0/robot/oToMessages/batchSend',
						body: { robotCode, userIds: pending, ...template },
					},
					lane,
					ROBOT_OTO_SEND_ERRORS,
				);
			} catch (error) {
				throw alreadySent(
					error,
					sentTo.length === 0
						? undefined
						: `Already sent before this failure, to ${sentTo.length} users: ${sentTo.join(', ')} (processQueryKey ${processQueryKeys.join(', ')}). Do not send to them again.`,
				);
			}
			if (typeof answer.processQueryKey === 'string') processQueryKeys.push(answer.processQueryKey);
			const invalidHere = (answer.invalidStaffIdList as string[] | undefined) ?? [];
			const limited = (answer.flowControlledStaffIdList as string[] | undefined) ?? [];
			invalid.push(...invalidHere);
			sentTo.push(...pending.filter((u) => !invalidHere.includes(u) && !limited.includes(u)));
			if (limited.length === 0 || attempt >= FLOW_CONTROL_RETRIES) {
				flowControlled = [...flowControlled, ...limited];
				break;
			}
			await sleep(busyBackoff(attempt));
			pending = limited;
		}
	}
	return {
		processQueryKey: processQueryKeys[0],
		processQueryKeys,
		sentUserIds: sentTo,
		invalidStaffIdList: invalid,
		flowControlledStaffIdList: flowControlled,
	};
}

const sendToUsersOperation: OperationDefinition = {
	value: 'sendToUsers',
	name: 'Send to Users',
	action: 'Send a robot message to users',
	lane: DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
	description: "Send a one-on-one message from the app's robot to users (batchSend, 20 per call)",
	properties: [
		robotCodeProperty,
		userIdsProperty,
		messageTypeProperty('robot'),
		...contentProperties('robot'),
	],
	errors: ROBOT_OTO_SEND_ERRORS,
	async run(step) {
		const userIds = [...new Set(step.params.stringList('userIds'))];
		if (userIds.length === 0) step.params.fail('userIds', 'is empty');
		const result = await sendToUsers(
			step,
			userIds,
			await templateOf(step),
			DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
		);
		if ((result.sentUserIds as string[]).length === 0) {
			step.params.fail(
				'userIds',
				`no user received the message: invalid user IDs ${JSON.stringify(result.invalidStaffIdList)}, left out by DingTalk's flow control ${JSON.stringify(result.flowControlledStaffIdList)}`,
			);
		}
		return [{ json: result }];
	},
};

export function groupSendRequest(
	step: OperationStep,
	template: { msgKey: string; msgParam: string },
) {
	const p = step.params;
	const size = Buffer.byteLength(template.msgParam, 'utf8');
	if (size > GROUP_MSG_PARAM_MAX)
		p.fail(
			'messageType',
			`the message is ${size} bytes as msgParam; a group message can be at most ${GROUP_MSG_PARAM_MAX}`,
			'Message Type',
		);
	const coolAppCode = p.optionalString('options.coolAppCode');
	return {
		method: 'POST' as const,
		path: '/v1.0/robot/groupMessages/send',
		body: {
			msgParam: template.msgParam,
			msgKey: template.msgKey,
			openConversationId: p.requiredString('openConversationId'),
			robotCode: robotCodeOf(step),
			...(coolAppCode ? { coolAppCode } : {}),
		},
	};
}

export const coolAppCodeOption: INodeProperties = {
	displayName: 'Cool App Code',
	name: 'coolAppCode',
	type: 'string',
	default: '',
	description:
		'Only when the robot was added to the group through a cool app (酷应用): its coolAppCode',
};

const sendToGroupOperation: OperationDefinition = {
	value: 'sendToGroup',
	name: 'Send to Group',
	action: 'Send a robot message to a group',
	lane: DINGTALK_RATE_LIMITS['robotMessage.sendToGroup'],
	description: "Send a message from the app's robot to a group it is in",
	properties: [
		robotCodeProperty,
		openConversationIdProperty,
		messageTypeProperty('robot'),
		...contentProperties('robot'),
	],
	extraOptions: [coolAppCodeOption],
	errors: ROBOT_GROUP_SEND_ERRORS,
	async run(step) {
		const template = await templateOf(step);
		const answer = await step.send(
			groupSendRequest(step, template),
			DINGTALK_RATE_LIMITS['robotMessage.sendToGroup'],
		);
		return [
			{
				json: {
					processQueryKey: answer.processQueryKey,
					openConversationId: step.params.requiredString('openConversationId'),
				},
			},
		];
	},
};

const processQueryKeysProperty: INodeProperties = {
	displayName: 'Process Query Keys',
	name: 'processQueryKeys',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'P4VJAJxLs8CdqTrPfE9HyQ…',
	description:
		'The processQueryKey of each message to recall, separated by commas: Send to Users and Send to Group output it. Messages can be recalled within 24 hours.',
};

const recall: OperationDefinition = {
	value: 'recall',
	name: 'Recall',
	action: 'Recall robot messages',
	lane: DINGTALK_RATE_LIMITS['robotMessage.recall'],
	description:
		'Recall (withdraw) messages the robot sent, one-on-one or in a group, within 24 hours',
	properties: [
		{
			displayName: 'Conversation Type',
			name: 'conversationType',
			type: 'options',
			options: [
				{ name: 'One-on-One', value: 'oneOnOne', description: 'Messages from Send to Users' },
				{ name: 'Group', value: 'group', description: 'Messages from Send to Group' },
			],
			default: 'oneOnOne',
		},
		robotCodeProperty,
		{ ...openConversationIdProperty, displayOptions: { show: { conversationType: ['group'] } } },
		processQueryKeysProperty,
	],
	errors: ROBOT_RECALL_ERRORS,
	async run(step) {
		const p = step.params;
		const group =
			p.choice('conversationType', ['oneOnOne', 'group'] as const, 'oneOnOne') === 'group';
		const keys = [...new Set(p.stringList('processQueryKeys'))];
		if (keys.length === 0) p.fail('processQueryKeys', 'is empty');
		const robotCode = robotCodeOf(step);
		const openConversationId = group ? p.requiredString('openConversationId') : undefined;
		const successResult: string[] = [];
		const failedResult: IDataObject = {};
		for (const processQueryKeys of chunk(keys, KEYS_PER_CALL)) {
			// Recalling a recalled message changes nothing more, so a lost answer is asked again.
			const answer = await step.send({
				method: 'POST',
				path: group ? '/v1.0/robot/groupMessages/recall' : '/v1.0/robot/otoMessages/batchRecall',
				body: group
					? { openConversationId, robotCode, processQueryKeys }
					: { robotCode, processQueryKeys },
				idempotent: true,
			});
			successResult.push(...((answer.successResult as string[] | undefined) ?? []));
			Object.assign(failedResult, (answer.failedResult as IDataObject | undefined) ?? {});
		}
		return [
			{
				json: {
					successResult,
					failedResult,
					recalled: successResult.length,
					failed: Object.keys(failedResult).length,
				},
			},
		];
	},
};

const getReadStatus: OperationDefinition = {
	value: 'getReadStatus',
	name: 'Get Read Status',
	action: 'Get the read status of a robot message',
	lane: DINGTALK_RATE_LIMITS['robotMessage.getReadStatus'],
	description: 'Who has read a one-on-one robot message (within 24 hours of sending)',
	properties: [
		robotCodeProperty,
		{
			displayName: 'Process Query Key',
			name: 'processQueryKey',
			type: 'string',
			required: true,
			default: '',
			description: 'The processQueryKey that Send to Users output for the message',
		},
	],
	errors: ROBOT_READ_ERRORS,
	async run(step): Promise<OutputItem[]> {
		const answer = await step.send({
			method: 'GET',
			path: '/v1.0/robot/oToMessages/readStatus',
			qs: {
				robotCode: robotCodeOf(step),
				processQueryKey: step.params.requiredString('processQueryKey'),
			},
		});
		const list = (answer.messageReadInfoList as IDataObject[] | undefined) ?? [];
		return [
			{
				json: {
					sendStatus: answer.sendStatus,
					readUserIds: list.filter((r) => r.readStatus === 'READ').map((r) => r.userId),
					unreadUserIds: list.filter((r) => r.readStatus !== 'READ').map((r) => r.userId),
					messageReadInfoList: list,
				},
			},
		];
	},
};

/** The documented session webhook form (robot message callbacks): …/robot/sendBySession?session=… */
const SESSION_WEBHOOK = /^https?:\/\/[^/\s?#]+\/robot\/sendBySession\?session=[^&\s#]+$/;

/** One tokenless transport per session webhook in this run: the URL is the whole authorisation, and a secret. */
const sessionTransports = new WeakMap<object, Map<string, PlatformTransport>>();
function sessionTransport(step: OperationStep, url: string): PlatformTransport {
	let byUrl = sessionTransports.get(step.ctx);
	if (!byUrl) {
		byUrl = new Map();
		sessionTransports.set(step.ctx, byUrl);
	}
	let transport = byUrl.get(url);
	if (!transport) {
		transport = new PlatformTransport(
			step.ctx,
			{
				platform: 'DingTalk session webhook',
				credentialType: 'dingTalkApi',
				baseUrl: () => url,
				classify: classifyCustomRobot,
				cacheKey: ['sessionWebhook', url],
				secrets: [url, new URL(url).searchParams.get('session') ?? url],
				globalErrors: CUSTOM_ROBOT_ERRORS,
				// No page states a limit for session webhooks: DingTalk's 20 calls a second per API.
				defaultLimit: DINGTALK_DEFAULT_LIMIT,
				transientCodes: [],
				rateLimitWait: () => undefined,
			},
			{},
		);
		byUrl.set(url, transport);
	}
	return transport;
}

/** A session webhook answers like a custom robot; an unknown token there means the session is gone. */
const SESSION_ERRORS = {
	...CUSTOM_ROBOT_ERRORS,
	'400101':
		'The session webhook is unknown: it has expired (about 90 minutes after the message) or is not a session of this robot. Reply with Send to Users or Send to Group instead.',
};

const reply: OperationDefinition = {
	value: 'reply',
	name: 'Reply',
	action: 'Reply to a robot message',
	lane: DINGTALK_RATE_LIMITS['robotMessage.reply'],
	description:
		'Answer a message the DingTalk Trigger received, through its session webhook (about 90 minutes after the message)',
	properties: [
		{
			displayName: 'Session Webhook',
			name: 'sessionWebhook',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '={{ $json.sessionWebhook }}',
			description:
				"The received message's sessionWebhook, from the DingTalk Trigger's output. It lets anyone answer in that conversation, so it is kept out of errors.",
		},
		{
			displayName: 'Session Webhook Expires At',
			name: 'sessionWebhookExpiredTime',
			type: 'string',
			default: '={{ $json.sessionWebhookExpiredTime }}',
			description:
				'The sessionWebhookExpiredTime of the message (milliseconds): an expired webhook is reported before sending. Empty: not checked.',
		},
		{
			displayName: 'Message Type',
			name: 'messageType',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'Markdown', value: 'markdown' },
				{ name: 'Action Card', value: 'actionCard' },
			],
			default: 'text',
			description: 'The kind of reply (msgtype)',
		},
		...contentProperties('customRobot').filter((p) =>
			['title', 'text', 'buttons', 'buttonOrientation'].includes(p.name),
		),
		{
			displayName: 'Mention the Sender',
			name: 'mentionSender',
			type: 'boolean',
			default: true,
			description: 'Whether to @-mention the person who wrote (in groups; at.atUserIds)',
		},
		{
			displayName: 'Sender Staff ID',
			name: 'senderStaffId',
			type: 'string',
			default: '={{ $json.senderStaffId }}',
			displayOptions: { show: { mentionSender: [true] } },
			description: "The sender's user ID (senderStaffId in the trigger's output)",
		},
	],
	errors: SESSION_ERRORS,
	async run(step) {
		const p = step.params;
		const url = p.requiredString('sessionWebhook');
		if (!SESSION_WEBHOOK.test(url))
			p.fail(
				'sessionWebhook',
				"is not a DingTalk session webhook (https://oapi.dingtalk.com/robot/sendBySession?session=…): map the trigger's sessionWebhook",
			);
		const expires = p.optionalString('sessionWebhookExpiredTime');
		if (expires !== undefined) {
			if (!/^\d+$/.test(expires))
				p.fail('sessionWebhookExpiredTime', `must be a time in milliseconds, got "${expires}"`);
			if (Number(expires) <= Date.now()) {
				p.fail(
					'sessionWebhook',
					`the session webhook expired at ${new Date(Number(expires)).toISOString()} (DingTalk keeps it about 90 minutes after the message). Reply with Send to Users or Send to Group instead`,
				);
			}
		}
		const type = p.choice('messageType', ['text', 'markdown', 'actionCard'] as const, 'text');
		const staffId = p.boolean('mentionSender', true)
			? p.optionalString('senderStaffId')
			: undefined;
		const body = customRobotBody(p, { userIds: staffId ? [staffId] : [] });
		if (!['text', 'markdown', 'actionCard'].includes(String(body.msgtype)))
			p.fail('messageType', `must be text, markdown or actionCard, got ${type}`);
		const transport = sessionTransport(step, url);
		try {
			await transport.send({ method: 'POST', path: '', style: 'legacy', body }, step.itemIndex, {
				errors: SESSION_ERRORS,
				lane: DINGTALK_RATE_LIMITS['robotMessage.reply'],
			});
		} catch (error) {
			throw transport.scrub(error as Error);
		}
		return [{ json: { replied: true, msgtype: type, ...(staffId ? { mentioned: staffId } : {}) } }];
	},
};

export const robotMessageOperations = (sendAndWait: OperationDefinition): ResourceDefinition => ({
	value: 'robotMessage',
	name: 'Robot Message',
	description: "Messages from the app's robot (企业机器人): one-on-one and to groups",
	operations: [
		sendToUsersOperation,
		sendToGroupOperation,
		sendAndWait,
		reply,
		recall,
		getReadStatus,
	],
	defaultOperation: 'sendToUsers',
});
