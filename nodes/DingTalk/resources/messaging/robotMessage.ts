import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { busyBackoff } from '../../../shared/transport';
import type { OperationDefinition, OperationStep, OutputItem, ResourceDefinition } from '../../../shared/types';
import type { MediaKeys, MessageType } from './content';
import { contentProperties, MEDIA_TYPES, messageTypeProperty, robotTemplate, uploadTypeOf } from './content';
import { ROBOT_GROUP_SEND_ERRORS, ROBOT_OTO_SEND_ERRORS, ROBOT_READ_ERRORS, ROBOT_RECALL_ERRORS } from './errors';
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
		'The robot\'s robotCode, shown in the developer console under the app\'s Robot (机器人) settings. Empty: the credential\'s Client ID (AppKey), which is the robotCode of an internal app\'s robot.',
};

export const userIdsProperty: INodeProperties = {
	displayName: 'User IDs',
	name: 'userIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'manager4220, staff0002',
	description: 'The recipients\' user IDs (userid, not unionid), separated by commas; User › Get returns them. More than 20 are sent in calls of 20.',
};

export const openConversationIdProperty: INodeProperties = {
	displayName: 'Open Conversation ID',
	name: 'openConversationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'cidXXXXXXXXXXXX==',
	description: 'The group\'s openConversationId (cid…). The robot must be in the group. The DingTalk Trigger\'s robot messages carry it as conversationId.',
};

export const robotCodeOf = (step: OperationStep): string => step.params.optionalString('robotCode') ?? step.credential('appKey');

/** A failed call of a batch: its error, telling what earlier calls of the same item already sent. */
export function alreadySent(error: unknown, note: string | undefined): Error {
	if (note && error instanceof NodeApiError) error.description = `${error.description ?? ''} ${note}`.trim();
	return error as Error;
}

const chunk = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** Uploads the item's binary data first when the message carries a file from it. */
export async function robotMediaFor(step: OperationStep, type: MessageType): Promise<MediaKeys> {
	const p = step.params;
	if (!(MEDIA_TYPES as readonly string[]).includes(type) || p.choice('mediaSource', ['binary', 'mediaId'] as const, 'binary') !== 'binary') return {};
	const file = await mediaInput(step, 'binaryPropertyName', uploadTypeOf(type));
	const keys: MediaKeys = { fileName: file.fileName, mediaId: await uploadMedia(step, file, uploadTypeOf(type)) };
	if (type === 'video') keys.coverMediaId = await uploadMedia(step, await mediaInput(step, 'coverBinaryPropertyName', 'image'), 'image');
	return keys;
}

/** The message of this item as the robot APIs take it: msgKey and msgParam as a JSON string. */
async function templateOf(step: OperationStep): Promise<{ msgKey: string; msgParam: string }> {
	const type = step.params.choice('messageType', ['text', 'markdown', 'image', 'link', 'actionCard', 'audio', 'file', 'video', 'json'] as const, 'text');
	// Everything is checked before the first request (an upload included).
	robotTemplate(step.params, { mediaId: 'pending', coverMediaId: 'pending', fileName: type === 'file' ? step.params.optionalString('fileName') ?? 'pending.pdf' : undefined });
	const { msgKey, msgParam } = robotTemplate(step.params, await robotMediaFor(step, type));
	return { msgKey, msgParam: JSON.stringify(msgParam) };
}

/**
 * Sends to users in calls of 20. Users DingTalk left out by flow control are sent again after backing
 * off (they were not sent); those still left out, and invalid users, are in the output. A failed call
 * after earlier ones were sent says which users already have the message.
 */
export async function sendToUsers(step: OperationStep, userIds: string[], template: { msgKey: string; msgParam: string }, api: string): Promise<IDataObject> {
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
					{ method: 'POST', path: '/v1.0/robot/oToMessages/batchSend', body: { robotCode, userIds: pending, ...template } },
					api,
					ROBOT_OTO_SEND_ERRORS,
				);
			} catch (error) {
				throw alreadySent(error, sentTo.length === 0 ? undefined : `Already sent before this failure, to ${sentTo.length} users: ${sentTo.join(', ')} (processQueryKey ${processQueryKeys.join(', ')}). Do not send to them again.`);
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
	description: 'Send a one-on-one message from the app\'s robot to users (batchSend, 20 per call)',
	properties: [robotCodeProperty, userIdsProperty, messageTypeProperty('robot'), ...contentProperties('robot')],
	errors: ROBOT_OTO_SEND_ERRORS,
	async run(step) {
		const userIds = [...new Set(step.params.stringList('userIds'))];
		if (userIds.length === 0) step.params.fail('userIds', 'is empty');
		const result = await sendToUsers(step, userIds, await templateOf(step), 'robotMessage.sendToUsers');
		if ((result.sentUserIds as string[]).length === 0) {
			step.params.fail(
				'userIds',
				`no user received the message: invalid user IDs ${JSON.stringify(result.invalidStaffIdList)}, left out by DingTalk's flow control ${JSON.stringify(result.flowControlledStaffIdList)}`,
			);
		}
		return [{ json: result }];
	},
};

export function groupSendRequest(step: OperationStep, template: { msgKey: string; msgParam: string }) {
	const p = step.params;
	const size = Buffer.byteLength(template.msgParam, 'utf8');
	if (size > GROUP_MSG_PARAM_MAX) p.fail('messageType', `the message is ${size} bytes as msgParam; a group message can be at most ${GROUP_MSG_PARAM_MAX}`, 'Message Type');
	const coolAppCode = p.optionalString('options.coolAppCode');
	return {
		method: 'POST' as const,
		path: '/v1.0/robot/groupMessages/send',
		body: { msgParam: template.msgParam, msgKey: template.msgKey, openConversationId: p.requiredString('openConversationId'), robotCode: robotCodeOf(step), ...(coolAppCode ? { coolAppCode } : {}) },
	};
}

export const coolAppCodeOption: INodeProperties = {
	displayName: 'Cool App Code',
	name: 'coolAppCode',
	type: 'string',
	default: '',
	description: 'Only when the robot was added to the group through a cool app (酷应用): its coolAppCode',
};

const sendToGroupOperation: OperationDefinition = {
	value: 'sendToGroup',
	name: 'Send to Group',
	action: 'Send a robot message to a group',
	description: 'Send a message from the app\'s robot to a group it is in',
	properties: [robotCodeProperty, openConversationIdProperty, messageTypeProperty('robot'), ...contentProperties('robot')],
	extraOptions: [coolAppCodeOption],
	errors: ROBOT_GROUP_SEND_ERRORS,
	async run(step) {
		const template = await templateOf(step);
		const answer = await step.send(groupSendRequest(step, template));
		return [{ json: { processQueryKey: answer.processQueryKey, openConversationId: step.params.requiredString('openConversationId') } }];
	},
};

const processQueryKeysProperty: INodeProperties = {
	displayName: 'Process Query Keys',
	name: 'processQueryKeys',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'P4VJAJxLs8CdqTrPfE9HyQ…',
	description: 'The processQueryKey of each message to recall, separated by commas: Send to Users and Send to Group output it. Messages can be recalled within 24 hours.',
};

const recall: OperationDefinition = {
	value: 'recall',
	name: 'Recall',
	action: 'Recall robot messages',
	description: 'Recall (withdraw) messages the robot sent, one-on-one or in a group, within 24 hours',
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
		const group = p.choice('conversationType', ['oneOnOne', 'group'] as const, 'oneOnOne') === 'group';
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
				body: group ? { openConversationId, robotCode, processQueryKeys } : { robotCode, processQueryKeys },
				idempotent: true,
			});
			successResult.push(...((answer.successResult as string[] | undefined) ?? []));
			Object.assign(failedResult, (answer.failedResult as IDataObject | undefined) ?? {});
		}
		return [{ json: { successResult, failedResult, recalled: successResult.length, failed: Object.keys(failedResult).length } }];
	},
};

const getReadStatus: OperationDefinition = {
	value: 'getReadStatus',
	name: 'Get Read Status',
	action: 'Get the read status of a robot message',
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
			qs: { robotCode: robotCodeOf(step), processQueryKey: step.params.requiredString('processQueryKey') },
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

export const robotMessageOperations = (sendAndWait: OperationDefinition): ResourceDefinition => ({
	value: 'robotMessage',
	name: 'Robot Message',
	description: 'Messages from the app\'s robot (企业机器人): one-on-one and to groups',
	operations: [sendToUsersOperation, sendToGroupOperation, sendAndWait, recall, getReadStatus],
	defaultOperation: 'sendToUsers',
});
