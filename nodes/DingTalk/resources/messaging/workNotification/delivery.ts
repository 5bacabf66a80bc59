import { DINGTALK_RATE_LIMITS } from '../../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';
import { Long } from '../../../../shared/params';
import type { PacingLane, OperationStep } from '../../../../shared/types';
import type { MediaKeys } from '../content';
import { MEDIA_TYPES, uploadTypeOf } from '../content';
import { FORBIDDEN_CODES, WORK_QUERY_ERRORS } from '../errors';
import { mediaInput, uploadMedia, WORK_FILE_MAX } from '../media';

/** asyncsend_v2: "userid_list … 最大列表长度100", "dept_id_list … 最大列表长度20", "msg … 最长不超过2048个字节". */
export const WORK_USERS_PER_CALL = 100;
export const WORK_DEPTS_PER_CALL = 20;
export const WORK_MSG_MAX_BYTES = 2048;
export const BASE = '/topapi/message/corpconversation';

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

export const taskIdProperty = (description: string): INodeProperties => ({
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '256271667526',
	description,
});

export const query = (
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
export async function awaitDelivery(
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

export function merge(results: IDataObject[]): IDataObject {
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

export async function mediaFor(step: OperationStep): Promise<MediaKeys> {
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
