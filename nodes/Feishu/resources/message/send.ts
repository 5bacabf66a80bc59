import { FEISHU_RATE_LIMITS } from '../../transport';
import type { INodeProperties } from 'n8n-workflow';

import { binaryInput } from '../../../shared/binary';
import type { ParamReader } from '../../../shared/params';
import type {
	ApiRequest,
	OperationDefinition,
	OperationStep,
	PacingLane,
} from '../../../shared/types';
import { checkIdKinds } from '../common';
import { FILE_LIMIT, fileTypeOf, IMAGE_LIMIT, uploadFile, uploadImage } from '../upload';
import type { ContentKeys, MessageType } from './content';
import {
	buildContent,
	contentProperties,
	MESSAGE_TYPES,
	messageTypeProperty,
	UPLOADABLE,
} from './content';
import { FORWARD_ERRORS, REPLY_ERRORS, SEND_ERRORS } from './errors';

const IM_DOCS = 'https://open.feishu.cn/document/server-docs/im-v1/message';
export const RECEIVE_ID_TYPES = ['open_id', 'union_id', 'user_id', 'email', 'chat_id'] as const;

/** Receive ID Type and Receive ID, an ID plainly of another kind refused before any request. */
export function receiverOf<E extends string = never>(
	p: ParamReader,
	extra: readonly E[] = [],
): { receiveIdType: (typeof RECEIVE_ID_TYPES)[number] | E; receiveId: string } {
	const receiveIdType = p.choice('receiveIdType', [...RECEIVE_ID_TYPES, ...extra], 'chat_id');
	const receiveId = p.requiredString('receiveId');
	checkIdKinds(p, 'receiveId', [receiveId], receiveIdType, 'receiveIdType');
	return { receiveIdType, receiveId };
}

export const receiveIdTypeProperty = (
	extra: Array<{ name: string; value: string }> = [],
): INodeProperties => ({
	displayName: 'Receive ID Type',
	name: 'receiveIdType',
	type: 'options',
	options: [
		{
			name: 'Chat ID',
			value: 'chat_id',
			description: 'A group or one-to-one chat (oc_…): Chat › Get Many lists them',
		},
		{ name: 'Email', value: 'email', description: "A user's email address" },
		{ name: 'Open ID', value: 'open_id', description: "A user's per-app ID (ou_…)" },
		{ name: 'Union ID', value: 'union_id', description: "A user's per-developer ID (on_…)" },
		{ name: 'User ID', value: 'user_id', description: "A user's employee ID in the tenant" },
		...extra,
	],
	default: 'chat_id',
	description: 'What kind of ID Receive ID is (receive_id_type)',
});

const RECEIVE_ID_DESCRIPTION =
	"Who receives the message: a chat (the bot must be in it), or a user's ID of the chosen type (the user must be in the app's availability range)";

/**
 * Receive ID: for a chat, a picker of the bot's chats (or the chat_id by ID); for a user, the ID as text.
 * Two fields of one name, shown by the ID type: a value saved as text before the picker existed still works
 * (n8n shows it as it was, and reads it as the ID).
 */
export const receiveIdProperty: INodeProperties[] = [
	{
		displayName: 'Receive ID',
		name: 'receiveId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: `${RECEIVE_ID_DESCRIPTION}. The list shows the chats the bot is in.`,
		displayOptions: { show: { receiveIdType: ['chat_id'] } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchChats', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'oc_a0553eda9014c201e6969b478895c230',
			},
		],
	},
	{
		displayName: 'Receive ID',
		name: 'receiveId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ou_7d8a6e6df7621556ce0d21922b676706',
		description: `${RECEIVE_ID_DESCRIPTION}. User IDs come from the trigger's sender, User › Get or User › Get IDs by Email or Mobile.`,
		displayOptions: { hide: { receiveIdType: ['chat_id'] } },
	},
];

export const messageIdProperty = (description: string): INodeProperties => ({
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'om_dc13264520392913993dd051dba21dcf',
	description,
});

/** The Idempotency Key option (Feishu's uuid): at most one message per key within an hour. */
export const uuidOption: INodeProperties = {
	displayName: 'Idempotency Key (UUID)',
	name: 'uuid',
	type: 'string',
	default: '',
	description:
		'Feishu sends at most one message per key within an hour. Left empty, the node derives one from the execution, node and item, so a retry of the same item is never sent twice. Up to 50 characters.',
};

/** "5 QPS to the same user, and to the same group" (message/create, reply and forward pages). */
export const receiverLane = (type: string, id: string): PacingLane => ({
	key: `im.receiver:${type}:${id}`,
	limit: { perSecond: 5, doc: `${IM_DOCS}/create` },
});

/** The uuid of this item: the user's, or the derived one. */
export function uuidOf(p: ParamReader, purpose: string): string {
	const given = p.optionalString('options.uuid');
	if (given !== undefined && given.length > 50)
		p.fail(
			'options.uuid',
			`at most 50 characters, got ${given.length}`,
			'Options › Idempotency Key (UUID)',
		);
	return given ?? p.idempotencyKey(purpose);
}

/** Uploads the item's binary data first when the message type carries a file from it. */
async function uploadsFor(step: OperationStep, type: MessageType): Promise<ContentKeys> {
	const p = step.params;
	if (
		!(UPLOADABLE as readonly string[]).includes(type) ||
		p.choice('fileSource', ['binary', 'key'] as const, 'binary') !== 'binary'
	)
		return {};
	// The image and file upload pages take the app's token only (docs/research/feishu-oauth2.md, A.6).
	if (step.ctx.getNode().parameters.authentication === 'oAuth2')
		p.fail(
			'fileSource',
			"is Binary Data, which needs an upload, and Feishu's upload takes the app's token only: send this message with the App authentication",
		);
	if (type === 'image') {
		const image = await binaryInput(step.ctx, p, 'binaryPropertyName', IMAGE_LIMIT);
		return { imageKey: await uploadImage(step, image, 'message') };
	}
	const file = await binaryInput(step.ctx, p, 'binaryPropertyName', FILE_LIMIT);
	const fileType = type === 'audio' ? 'opus' : type === 'media' ? 'mp4' : fileTypeOf(file.fileName);
	return { fileKey: await uploadFile(step, file, fileType, file.fileName) };
}

const contentTypes = MESSAGE_TYPES;

const send: OperationDefinition = {
	value: 'send',
	actsAs: ['app', 'user'],
	name: 'Send',
	action: 'Send a message',
	lane: FEISHU_RATE_LIMITS['message.send'],
	description: "Send a message as the app's bot to a user or a chat (needs im:message:send_as_bot)",
	properties: [
		receiveIdTypeProperty(),
		...receiveIdProperty,
		messageTypeProperty(contentTypes),
		...contentProperties(contentTypes),
	],
	extraOptions: [uuidOption],
	errors: SEND_ERRORS,
	async run(step) {
		const p = step.params;
		const { receiveIdType, receiveId } = receiverOf(p);
		const type = p.choice('messageType', contentTypes, 'text');
		// Everything is checked before the upload, so bad input sends nothing.
		if (!(UPLOADABLE as readonly string[]).includes(type)) buildContent(p, type);
		const uuid = uuidOf(p, 'message.send');
		const content = buildContent(p, type, await uploadsFor(step, type));
		const request: ApiRequest = {
			method: 'POST',
			path: '/open-apis/im/v1/messages',
			qs: { receive_id_type: receiveIdType },
			body: { receive_id: receiveId, ...content, uuid },
			idempotencyKey: uuid,
			lanes: [receiverLane(receiveIdType, receiveId)],
		};
		return [{ json: await step.send(request) }];
	},
};

const reply: OperationDefinition = {
	value: 'reply',
	actsAs: ['app', 'user'],
	name: 'Reply',
	action: 'Reply to a message',
	lane: FEISHU_RATE_LIMITS['message.reply'],
	description: 'Reply to a message, in the chat or in a thread',
	properties: [
		messageIdProperty(
			'The message to reply to: the message_id of a Send output or of a message event',
		),
		{
			displayName: 'Reply in Thread',
			name: 'replyInThread',
			type: 'boolean',
			default: false,
			description: 'Whether to reply in a thread (topic) instead of in the chat',
		},
		messageTypeProperty(contentTypes),
		...contentProperties(contentTypes),
	],
	extraOptions: [uuidOption],
	errors: REPLY_ERRORS,
	async run(step) {
		const p = step.params;
		const messageId = p.pathId('messageId');
		const type = p.choice('messageType', contentTypes, 'text');
		if (!(UPLOADABLE as readonly string[]).includes(type)) buildContent(p, type);
		const uuid = uuidOf(p, 'message.reply');
		const replyInThread = p.boolean('replyInThread');
		const content = buildContent(p, type, await uploadsFor(step, type));
		const request: ApiRequest = {
			method: 'POST',
			path: `/open-apis/im/v1/messages/${messageId}/reply`,
			body: { ...content, ...(replyInThread ? { reply_in_thread: true } : {}), uuid },
			idempotencyKey: uuid,
			// The chat is not known from the message ID; replies to one message share a lane.
			lanes: [receiverLane('reply_to', messageId)],
		};
		return [{ json: await step.send(request) }];
	},
};

const forward: OperationDefinition = {
	value: 'forward',
	actsAs: ['app'],
	name: 'Forward',
	action: 'Forward a message',
	lane: FEISHU_RATE_LIMITS['message.forward'],
	description: 'Forward a message to a user, a chat or a thread',
	properties: [
		messageIdProperty('The message to forward'),
		receiveIdTypeProperty([{ name: 'Thread ID', value: 'thread_id' }]),
		...receiveIdProperty,
	],
	extraOptions: [uuidOption],
	errors: FORWARD_ERRORS,
	build(p) {
		const messageId = p.pathId('messageId');
		const { receiveIdType, receiveId } = receiverOf(p, ['thread_id']);
		const uuid = uuidOf(p, 'message.forward');
		return {
			method: 'POST',
			path: `/open-apis/im/v1/messages/${messageId}/forward`,
			qs: { receive_id_type: receiveIdType, uuid },
			body: { receive_id: receiveId },
			idempotencyKey: uuid,
			lanes: [receiverLane(receiveIdType, receiveId)],
		};
	},
	output: (response) => response,
};

export const sendOperations = [send, reply, forward];
