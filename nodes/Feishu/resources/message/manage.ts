import { FEISHU_RATE_LIMITS } from '../../transport';
import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import type { ListSpec, OperationDefinition } from '../../../shared/types';
import { chatLocator, feishuList } from '../common';
import {
	buildCard,
	cardProperties,
	checkSize,
	contentObject,
	contentProperties,
	messageTypeProperty,
} from './content';
import {
	EDIT_ERRORS,
	LIST_ERRORS,
	REACTION_ERRORS,
	RECALL_ERRORS,
	RESOURCE_ERRORS,
	UPDATE_CARD_ERRORS,
} from './errors';
import { messageIdProperty } from './send';

const messagePath = (p: ParamReader) => `/open-apis/im/v1/messages/${p.pathId('messageId')}`;

const updateCard: OperationDefinition = {
	value: 'updateCard',
	actsAs: ['app', 'user'],
	name: 'Update Card',
	action: 'Update a card message',
	lane: FEISHU_RATE_LIMITS['message.updateCard'],
	description:
		'Replace the content of a card the bot sent (within 14 days; the card needs config.update_multi set to true)',
	properties: [
		messageIdProperty('The card message to update: the message_id of its Send output'),
		...cardProperties(undefined),
	],
	errors: UPDATE_CARD_ERRORS,
	build(p) {
		const content = JSON.stringify(buildCard(p));
		checkSize(p, 'interactive', content);
		return {
			method: 'PATCH',
			path: messagePath(p),
			body: { content },
			// The same card again is the same end state.
			idempotent: true,
			lanes: [
				{
					key: `im.card:${p.requiredString('messageId')}`,
					limit: {
						perSecond: 5,
						doc: 'https://open.feishu.cn/document/server-docs/im-v1/message-card/patch',
					},
				},
			],
		};
	},
	output: (_response, _request, p) => ({ messageId: p.requiredString('messageId'), updated: true }),
};

const EDITABLE = ['text', 'post'] as const;
const edit: OperationDefinition = {
	value: 'edit',
	actsAs: ['app'],
	name: 'Edit',
	action: 'Edit a message',
	lane: FEISHU_RATE_LIMITS['message.edit'],
	description: 'Change the text or rich text of a message the bot sent (at most 20 edits)',
	properties: [
		messageIdProperty('The message to edit'),
		messageTypeProperty(EDITABLE, 'New Message Type'),
		...contentProperties(EDITABLE),
	],
	errors: EDIT_ERRORS,
	build(p) {
		const type = p.choice('messageType', EDITABLE, 'text');
		const content = JSON.stringify(contentObject(p, type));
		checkSize(p, type, content);
		return { method: 'PUT', path: messagePath(p), body: { msg_type: type, content } };
	},
	output: (response) => response,
};

const remove: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete (Recall)',
	action: 'Recall a message',
	lane: FEISHU_RATE_LIMITS['message.delete'],
	description:
		"Recall (撤回) a message. The bot can recall its own messages, and others' in groups it owns or administers.",
	properties: [messageIdProperty('The message to recall')],
	errors: RECALL_ERRORS,
	build: (p) => ({ method: 'DELETE', path: messagePath(p) }),
	output: (_response, _request, p) => ({ messageId: p.requiredString('messageId'), deleted: true }),
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a message',
	lane: FEISHU_RATE_LIMITS['message.get'],
	description: "Get a message's content and details. The bot must be in its chat.",
	properties: [messageIdProperty('The message to get')],
	errors: { ...LIST_ERRORS, '230110': 'The message was deleted.' },
	build: (p) => ({ method: 'GET', path: messagePath(p) }),
	// The answer lists the message (and, for merged forwards, its sub-messages).
	output: (response) => (response.items as IDataObject[] | undefined) ?? [],
};

/** A time filter in seconds, from a date (ISO text or n8n date) or a number of seconds. */
function seconds(p: ParamReader, field: string): string | undefined {
	const value = p.raw(field, '');
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value === 'number' || /^\d+$/.test(String(value).trim())) {
		const n = Number(value);
		// Milliseconds are recognisable by their size (after the year 2286 in seconds).
		return String(n > 1e11 ? Math.floor(n / 1000) : n);
	}
	const ms = Date.parse(String(value));
	if (Number.isNaN(ms)) p.fail(field, `is not a date or a time in seconds, got "${String(value)}"`);
	return String(Math.floor(ms / 1000));
}

const historyList: ListSpec = feishuList(
	50,
	'items',
	() => '/open-apis/im/v1/messages',
	(p) => {
		const qs: IDataObject = {
			container_id_type: 'chat',
			container_id: p.requiredString('chatId'),
			sort_type: p.choice(
				'sortType',
				['ByCreateTimeAsc', 'ByCreateTimeDesc'] as const,
				'ByCreateTimeAsc',
			),
		};
		const start = seconds(p, 'startTime');
		const end = seconds(p, 'endTime');
		if (start !== undefined) qs.start_time = start;
		if (end !== undefined) qs.end_time = end;
		if (start !== undefined && end !== undefined && Number(start) > Number(end))
			p.fail('startTime', 'is after End Time');
		return qs;
	},
);

const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many messages',
	lane: FEISHU_RATE_LIMITS['message.getAll'],
	description: "Get a chat's message history (the bot must be in the chat)",
	properties: [
		chatLocator(
			'The chat whose history to read: pick one of the chats the bot is in, or enter its chat_id',
		),
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			description: 'Only messages sent at or after this time',
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			default: '',
			description: 'Only messages sent at or before this time',
		},
		{
			displayName: 'Sort',
			name: 'sortType',
			type: 'options',
			options: [
				{ name: 'Oldest First', value: 'ByCreateTimeAsc' },
				{ name: 'Newest First', value: 'ByCreateTimeDesc' },
			],
			default: 'ByCreateTimeAsc',
		},
	],
	errors: LIST_ERRORS,
	list: historyList,
};

const downloadResource: OperationDefinition = {
	value: 'downloadResource',
	actsAs: ['app'],
	name: 'Download Resource',
	action: 'Download a file or image from a message',
	lane: FEISHU_RATE_LIMITS['message.downloadResource'],
	description:
		'Download an image, file, audio or video in a message as binary data (up to 100 MB; needs im:message:readonly)',
	properties: [
		messageIdProperty('The message that holds the file'),
		{
			displayName: 'File Key',
			name: 'fileKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'img_v2_… or file_v2_…',
			description: "The image_key or file_key in the message's content (Message › Get shows it)",
		},
		{
			displayName: 'Resource Type',
			name: 'resourceType',
			type: 'options',
			options: [
				{ name: 'Image', value: 'image', description: 'Images, including images in rich text' },
				{ name: 'File', value: 'file', description: 'Files, audio and video' },
			],
			default: 'image',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description: 'The name of the output binary property for the file',
		},
	],
	errors: RESOURCE_ERRORS,
	async run(step) {
		const p = step.params;
		const fileKey = p.pathId('fileKey');
		const property = p.requiredString('binaryPropertyName');
		const type = p.choice('resourceType', ['image', 'file'] as const, 'image');
		const file = await step.download({
			method: 'GET',
			path: `${messagePath(p)}/resources/${fileKey}`,
			qs: { type },
		});
		const fileName = file.fileName ?? p.requiredString('fileKey');
		const binary = await step.ctx.helpers.prepareBinaryData(file.data, fileName, file.mimeType);
		return [
			{
				json: {
					messageId: p.requiredString('messageId'),
					fileKey: p.requiredString('fileKey'),
					fileName: binary.fileName,
					mimeType: binary.mimeType,
					size: file.data.length,
				},
				binary: { [property]: binary },
			},
		];
	},
};

const addReaction: OperationDefinition = {
	value: 'addReaction',
	actsAs: ['app', 'user'],
	name: 'Add Reaction',
	action: 'Add a reaction to a message',
	lane: FEISHU_RATE_LIMITS['message.addReaction'],
	description: 'Add an emoji reaction to a message as the bot',
	properties: [
		messageIdProperty('The message to react to'),
		{
			displayName: 'Emoji Type',
			name: 'emojiType',
			type: 'string',
			required: true,
			default: 'THUMBSUP',
			placeholder: 'THUMBSUP',
			description:
				'The emoji_type, e.g. THUMBSUP, SMILE, OK, DONE, HEART, Get; see the emoji list at open.feishu.cn/document/server-docs/im-v1/message-reaction/emojis-introduce',
		},
	],
	errors: REACTION_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: `${messagePath(p)}/reactions`,
		body: { reaction_type: { emoji_type: p.requiredString('emojiType') } },
	}),
	output: (response) => response,
};

const removeReaction: OperationDefinition = {
	value: 'removeReaction',
	actsAs: ['app', 'user'],
	name: 'Remove Reaction',
	action: 'Remove a reaction from a message',
	lane: FEISHU_RATE_LIMITS['message.removeReaction'],
	description: 'Remove a reaction the bot added',
	properties: [
		messageIdProperty('The message the reaction is on'),
		{
			displayName: 'Reaction ID',
			name: 'reactionId',
			type: 'string',
			required: true,
			default: '',
			description: 'The reaction_id returned by Add Reaction',
		},
	],
	errors: REACTION_ERRORS,
	build: (p) => ({
		method: 'DELETE',
		path: `${messagePath(p)}/reactions/${p.pathId('reactionId')}`,
	}),
	output: (response) => response,
};

export const manageOperations = [
	updateCard,
	edit,
	remove,
	get,
	getAll,
	downloadResource,
	addReaction,
	removeReaction,
];
