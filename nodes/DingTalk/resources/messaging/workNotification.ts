import { DINGTALK_RATE_LIMITS } from '../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { Long } from '../../../shared/params';
import type {
	ApiRequest,
	OperationDefinition,
	PacingLane,
	OperationStep,
	ResourceDefinition,
} from '../../../shared/types';
import type { MediaKeys } from './content';
import {
	contentProperties,
	MEDIA_TYPES,
	messageTypeProperty,
	uploadTypeOf,
	workNotificationMsg,
} from './content';
import { FORBIDDEN_CODES, WORK_QUERY_ERRORS, WORK_SEND_ERRORS } from './errors';
import { mediaInput, uploadMedia, WORK_FILE_MAX } from './media';
import { alreadySent, chunk, PENDING_MEDIA_ID } from './robotMessage';

/** asyncsend_v2: "userid_list … 最大列表长度100", "dept_id_list … 最大列表长度20", "msg … 最长不超过2048个字节". */
export const WORK_USERS_PER_CALL = 100;
export const WORK_DEPTS_PER_CALL = 20;
export const WORK_MSG_MAX_BYTES = 2048;
const BASE = '/topapi/message/corpconversation';

/** The credential's AgentId, required by every work notification API. */
export function agentIdOf(step: OperationStep): Long {
	const raw = step.credential('agentId').trim();
	if (!/^\d+$/.test(raw)) {
		throw new NodeOperationError(
			step.ctx.getNode(),
			`Invalid "AgentId" (agentId) of the DingTalk credential, for item ${step.itemIndex}: ${raw ? `"${raw}" is not a number` : 'it is empty'}. Work notifications need the app's AgentId: copy it from Credentials & Basic Info in the DingTalk developer console.`,
			{ itemIndex: step.itemIndex },
		);
	}
	return new Long(raw);
}

const taskIdProperty = (description: string): INodeProperties => ({
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '256271667526',
	description,
});

const query = (
	step: OperationStep,
	path: string,
	body: Record<string, unknown>,
	lane: PacingLane,
): Promise<IDataObject> =>
	step.send(
		{ method: 'POST', path: `${BASE}/${path}`, style: 'legacy', body, idempotent: true },
		lane,
		WORK_QUERY_ERRORS,
	);

const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** A getsendresult answer, in the node's words; forbidden users carry the documented reason of their code. */
export function deliveryOf(result: IDataObject): IDataObject {
	const send = (result.send_result ?? {}) as IDataObject;
	const forbidden = ((send.forbidden_list as IDataObject[] | undefined) ?? []).map((f) => ({
		userId: String(f.userid ?? ''),
		code: String(f.code ?? ''),
		reason: FORBIDDEN_CODES[String(f.code ?? '')] ?? 'not sent (undocumented code)',
	}));
	const read = listOf(send.read_user_id_list);
	const unread = listOf(send.unread_user_id_list);
	return {
		delivered: read.length + unread.length > 0,
		invalidUserIds: listOf(send.invalid_user_id_list),
		forbiddenUserIds: [
			...new Set([
				...listOf(send.forbidden_user_id_list),
				...forbidden.map((f) => f.userId).filter(Boolean),
			]),
		],
		failedUserIds: listOf(send.failed_user_id_list),
		readUserIds: read,
		unreadUserIds: unread,
		invalidDeptIds: listOf(send.invalid_dept_id_list),
		forbidden,
	};
}

/** Every listed user is accounted for in one of the result's lists. */
function settled(delivery: IDataObject, userIds: string[]): boolean {
	const seen = new Set(
		['invalidUserIds', 'forbiddenUserIds', 'failedUserIds', 'readUserIds', 'unreadUserIds'].flatMap(
			(k) => delivery[k] as string[],
		),
	);
	return userIds.every((u) => seen.has(u));
}

const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 8000;

/**
 * Polls, after 0.5 s and then backing off up to 8 s between calls, until the delivery result is final,
 * or until `deadline`. For a list of users (at most 100 per
 * task), getsendresult is final once every user is in one of its lists. For departments or everyone, the
 * recipients are not known here: getsendprogress is polled until the task is done (status 2), then the
 * result is read once (DingTalk documents that it may time out above 100 recipients).
 */
async function awaitDelivery(
	step: OperationStep,
	agentId: Long,
	taskId: Long,
	userIds: string[] | undefined,
	deadline: number,
): Promise<IDataObject> {
	const body = { agent_id: agentId, task_id: taskId };
	let delivery: IDataObject | undefined;
	for (let attempt = 0; ; attempt++) {
		// DingTalk sends asynchronously: asking at once would only cost a call of the API's 20 a second.
		const wait = Math.min(MAX_POLL_MS, FIRST_POLL_MS * 2 ** attempt);
		if (Date.now() + wait > deadline) return { ...(delivery ?? { delivered: null }), final: false };
		await sleep(wait);
		if (userIds) {
			delivery = deliveryOf(
				await query(
					step,
					'getsendresult',
					body,
					DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
				),
			);
			if (settled(delivery, userIds)) return { ...delivery, final: true };
		} else {
			const progress = ((
				await query(
					step,
					'getsendprogress',
					body,
					DINGTALK_RATE_LIMITS['workNotification.getSendProgress'],
				)
			).progress ?? {}) as IDataObject;
			if (Number(progress.status) === 2) {
				try {
					return {
						...deliveryOf(
							await query(
								step,
								'getsendresult',
								body,
								DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
							),
						),
						final: true,
					};
				} catch (error) {
					return { delivered: null, final: true, resultError: (error as Error).message };
				}
			}
		}
	}
}

function merge(results: IDataObject[]): IDataObject {
	if (results.length === 1) return results[0];
	const merged: IDataObject = {
		delivered: results.some((r) => r.delivered === true),
		final: results.every((r) => r.final === true),
	};
	for (const key of [
		'invalidUserIds',
		'forbiddenUserIds',
		'failedUserIds',
		'readUserIds',
		'unreadUserIds',
		'invalidDeptIds',
		'forbidden',
	]) {
		merged[key] = results.flatMap((r) => (r[key] as unknown[] | undefined) ?? []);
	}
	return merged;
}

async function mediaFor(step: OperationStep): Promise<MediaKeys> {
	const p = step.params;
	const type = p.choice(
		'messageType',
		['text', 'markdown', 'image', 'voice', 'file', 'link', 'oa', 'actionCard', 'json'] as const,
		'text',
	);
	if (
		!(MEDIA_TYPES as readonly string[]).includes(type) ||
		p.choice('mediaSource', ['binary', 'mediaId'] as const, 'binary') !== 'binary'
	)
		return {};
	const file = await mediaInput(
		step,
		'binaryPropertyName',
		uploadTypeOf(type),
		type === 'file' ? WORK_FILE_MAX : undefined,
	);
	return { mediaId: await uploadMedia(step, file, uploadTypeOf(type)), fileName: file.fileName };
}

const recipientProperties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'recipientType',
		type: 'options',
		options: [
			{
				name: 'Users',
				value: 'users',
				description: 'By user ID; more than 100 are sent as several tasks',
			},
			{
				name: 'Departments',
				value: 'departments',
				description: 'Everyone in these departments and their sub-departments',
			},
			{
				name: 'Everyone',
				value: 'all',
				description: 'The whole organization (DingTalk allows 3 a day)',
			},
		],
		default: 'users',
	},
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'manager4220, staff0002',
		displayOptions: { show: { recipientType: ['users'] } },
		description:
			"The recipients' user IDs (userid), separated by commas; User › Get returns them. They must be in the app's visible range.",
	},
	{
		displayName: 'Department IDs',
		name: 'deptIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1, 421897262',
		displayOptions: { show: { recipientType: ['departments'] } },
		description:
			'Department IDs separated by commas (1 is the whole organization); more than 20 are sent as several tasks',
	},
];

/**
 * POST asyncsend_v2. DingTalk accepts a send and answers a task_id even when it will deliver nothing
 * (the same content to the same user within a day, over a user's daily limit, outside the app's
 * visible range), so Wait for Delivery Result reads what happened. There is no idempotency key: a send
 * whose answer is lost is not sent again.
 */
const send: OperationDefinition = {
	value: 'send',
	name: 'Send',
	action: 'Send a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.send'],
	description:
		'Send a work notification (工作通知) from the app to users, departments or everyone, and report who received it',
	properties: [
		...recipientProperties,
		messageTypeProperty('workNotification'),
		...contentProperties('workNotification'),
		{
			displayName: 'Wait for Delivery Result',
			name: 'waitForDelivery',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until DingTalk reports who received the notification (getsendresult). DingTalk accepts sends it will not deliver, e.g. the same content to the same user twice a day.',
		},
	],
	extraOptions: [
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'With Wait for Delivery Result: how long to wait for a final result; the item then outputs what is known (final: false)',
		},
		{
			displayName: 'Fail When No One Received It',
			name: 'failWhenUndelivered',
			type: 'boolean',
			default: true,
			description:
				'Whether the item fails when the final result shows that no recipient received the notification',
		},
	],
	errors: WORK_SEND_ERRORS,
	async run(step) {
		const p = step.params;
		const recipientType = p.choice(
			'recipientType',
			['users', 'departments', 'all'] as const,
			'users',
		);
		const agentId = agentIdOf(step);
		const userIds = recipientType === 'users' ? [...new Set(p.stringList('userIds'))] : [];
		const deptIds = recipientType === 'departments' ? [...new Set(p.stringList('deptIds'))] : [];
		if (recipientType === 'users' && userIds.length === 0) p.fail('userIds', 'is empty');
		if (recipientType === 'departments' && deptIds.length === 0) p.fail('deptIds', 'is empty');
		for (const [i, id] of deptIds.entries())
			if (!/^\d+$/.test(id))
				p.fail('deptIds', `entry ${i + 1} "${id}" is not a department ID (digits)`);
		const wait = p.boolean('waitForDelivery', true);
		const maxWaitMs = p.number('options.maxWaitSeconds', 60, 1) * 1000;
		const failWhenUndelivered = p.boolean('options.failWhenUndelivered', true);
		// Checked in full before any request, the upload included.
		checkMsg(step, workNotificationMsg(p, { mediaId: PENDING_MEDIA_ID }));
		const msg = workNotificationMsg(p, await mediaFor(step));
		checkMsg(step, msg);

		const requests: Array<{ request: ApiRequest; users?: string[] }> =
			recipientType === 'all'
				? [{ request: sendRequest({ agent_id: agentId, to_all_user: true, msg }) }]
				: recipientType === 'users'
					? chunk(userIds, WORK_USERS_PER_CALL).map((users) => ({
							request: sendRequest({ agent_id: agentId, userid_list: users.join(','), msg }),
							users,
						}))
					: chunk(deptIds, WORK_DEPTS_PER_CALL).map((depts) => ({
							request: sendRequest({ agent_id: agentId, dept_id_list: depts.join(','), msg }),
						}));
		const taskIds: Long[] = [];
		for (const { request } of requests) {
			try {
				const answer = await step.send(
					request,
					DINGTALK_RATE_LIMITS['workNotification.send'],
					WORK_SEND_ERRORS,
				);
				taskIds.push(new Long(String(answer.task_id)));
			} catch (error) {
				throw alreadySent(
					error,
					taskIds.length === 0
						? undefined
						: `Tasks already sent before this failure: ${taskIds.join(', ')}. Do not send them again.`,
				);
			}
		}
		const head: IDataObject = {
			taskId: taskIds[0].value(),
			...(taskIds.length > 1 ? { taskIds: taskIds.map((t) => t.value()) } : {}),
		};
		if (!wait) return [{ json: head }];
		const deadline = Date.now() + maxWaitMs;
		const results: IDataObject[] = [];
		for (const [i, taskId] of taskIds.entries())
			results.push(await awaitDelivery(step, agentId, taskId, requests[i].users, deadline));
		const delivery = merge(results);
		if (failWhenUndelivered && delivery.final === true && delivery.delivered === false) {
			throw new NodeOperationError(
				step.ctx.getNode(),
				`The work notification (task ${taskIds.join(', ')}) reached no one, in item ${step.itemIndex}`,
				{
					itemIndex: step.itemIndex,
					description: undeliveredReasons(delivery),
				},
			);
		}
		return [{ json: { ...head, ...delivery } }];
	},
};

function sendRequest(body: Record<string, unknown>): ApiRequest {
	return { method: 'POST', path: `${BASE}/asyncsend_v2`, style: 'legacy', body };
}

function checkMsg(step: OperationStep, msg: Record<string, unknown>): void {
	const size = Buffer.byteLength(JSON.stringify(msg), 'utf8');
	if (size > WORK_MSG_MAX_BYTES)
		step.params.fail(
			'messageType',
			`the message (msg) is ${size} bytes as JSON; a work notification can be at most ${WORK_MSG_MAX_BYTES}`,
			'Message Type',
		);
}

/** Why no one got it, from the documented lists and forbidden codes. */
export function undeliveredReasons(delivery: IDataObject): string {
	const parts: string[] = [];
	const ids = (key: string) => (delivery[key] as string[] | undefined) ?? [];
	if (ids('invalidUserIds').length > 0)
		parts.push(
			`invalid users or users outside the app's visible range: ${ids('invalidUserIds').join(', ')}`,
		);
	for (const f of (delivery.forbidden as IDataObject[] | undefined) ?? [])
		parts.push(`${String(f.userId)}: ${String(f.reason)} (code ${String(f.code)})`);
	const unexplained = ids('forbiddenUserIds').filter(
		(u) => !((delivery.forbidden as IDataObject[] | undefined) ?? []).some((f) => f.userId === u),
	);
	if (unexplained.length > 0)
		parts.push(`held back by DingTalk (rate or quota limits): ${unexplained.join(', ')}`);
	if (ids('failedUserIds').length > 0)
		parts.push(`delivery failed, send again: ${ids('failedUserIds').join(', ')}`);
	if (ids('invalidDeptIds').length > 0)
		parts.push(`invalid departments: ${ids('invalidDeptIds').join(', ')}`);
	return `DingTalk accepted the send but delivered it to no one. ${parts.join('; ') || 'DingTalk gave no reason.'} Turn off Options › Fail When No One Received It to output the result instead.`;
}

const getSendResult: OperationDefinition = {
	value: 'getSendResult',
	name: 'Get Send Result',
	action: 'Get the result of a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
	description:
		'Who received, read, or did not get a work notification (within 24 hours; up to 100 recipients)',
	properties: [taskIdProperty('The taskId that Send output')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		const result = await query(
			step,
			'getsendresult',
			{ agent_id: agentIdOf(step), task_id: taskId },
			DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
		);
		return [{ json: { taskId: taskId.value(), ...deliveryOf(result) } }];
	},
};

const STATUS = ['notStarted', 'processing', 'done'];

const getSendProgress: OperationDefinition = {
	value: 'getSendProgress',
	name: 'Get Send Progress',
	action: 'Get the progress of a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.getSendProgress'],
	description: 'How far DingTalk is with sending a work notification',
	properties: [taskIdProperty('The taskId that Send output')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		const progress = ((
			await query(
				step,
				'getsendprogress',
				{ agent_id: agentIdOf(step), task_id: taskId },
				DINGTALK_RATE_LIMITS['workNotification.getSendProgress'],
			)
		).progress ?? {}) as IDataObject;
		const status = Number(progress.status);
		return [
			{
				json: {
					taskId: taskId.value(),
					progressInPercent: progress.progress_in_percent,
					status,
					statusName: STATUS[status] ?? 'unknown',
				},
			},
		];
	},
};

const recall: OperationDefinition = {
	value: 'recall',
	name: 'Recall',
	action: 'Recall a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.recall'],
	description: 'Withdraw a work notification within 24 hours of sending',
	properties: [taskIdProperty('The taskId that Send output for the notification to recall')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		await query(
			step,
			'recall',
			{ agent_id: agentIdOf(step), msg_task_id: taskId },
			DINGTALK_RATE_LIMITS['workNotification.recall'],
		);
		return [{ json: { taskId: taskId.value(), recalled: true } }];
	},
};

export const workNotification: ResourceDefinition = {
	value: 'workNotification',
	name: 'Work Notification',
	description: 'Work notifications (工作通知) from the app, with their delivery results',
	operations: [send, getSendResult, getSendProgress, recall],
	defaultOperation: 'send',
};
