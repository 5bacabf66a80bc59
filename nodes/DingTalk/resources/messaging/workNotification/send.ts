import { DINGTALK_RATE_LIMITS } from '../../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { Long } from '../../../../shared/params';
import type { ApiRequest, OperationDefinition, OperationStep } from '../../../../shared/types';
import { contentProperties, messageTypeProperty, workNotificationMsg } from '../content';
import { WORK_SEND_ERRORS } from '../errors';
import { alreadySent, chunk, PENDING_MEDIA_ID } from '../robotMessage';
import {
	WORK_USERS_PER_CALL,
	WORK_DEPTS_PER_CALL,
	WORK_MSG_MAX_BYTES,
	BASE,
	agentIdOf,
	awaitDelivery,
	merge,
	mediaFor,
} from './delivery';

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
export const send: OperationDefinition = {
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
function undeliveredReasons(delivery: IDataObject): string {
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
