import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { busyBackoff } from '../../../../shared/retry';
import type { PacingLane, OperationStep } from '../../../../shared/types';
import type { MediaKeys, MessageType } from '../content';
import { MEDIA_TYPES, robotTemplate, uploadTypeOf } from '../content';
import { ROBOT_OTO_SEND_ERRORS } from '../errors';
import { mediaInput, uploadMedia } from '../media';

/** "userIds … 最多20个" (batchSend); recall and read status take at most 20 keys or recipients too. */
const USERS_PER_CALL = 20;
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
async function robotMediaFor(step: OperationStep, type: MessageType): Promise<MediaKeys> {
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
export async function templateOf(
	step: OperationStep,
): Promise<{ msgKey: string; msgParam: string }> {
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
