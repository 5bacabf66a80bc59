import type { INodeProperties } from 'n8n-workflow';

/**
 * Message content: each message type turns its fields (or an object / JSON text from an expression)
 * into the documented `content` JSON string.
 * https://open.feishu.cn/document/server-docs/im-v1/message-content-description/create_json
 */
export const MESSAGE_TYPES = [
	'text',
	'post',
	'interactive',
	'image',
	'file',
	'audio',
	'media',
	'sticker',
	'share_chat',
	'share_user',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Documented content limits (message/create): text 150 KB, post and card 30 KB. */
export const CONTENT_LIMITS: Partial<Record<MessageType, number>> = {
	text: 150 * 1024,
	post: 30 * 1024,
	interactive: 30 * 1024,
};

/** Types whose file can come from an input binary property (uploaded first). */
export const UPLOADABLE = ['image', 'file', 'audio', 'media'] as const;

const show = (
	types: readonly string[],
	more: Record<string, string[]> = {},
): INodeProperties['displayOptions'] => ({ show: { messageType: [...types], ...more } });

export const messageTypeProperty = (
	types: readonly MessageType[],
	displayName = 'Message Type',
): INodeProperties => ({
	displayName,
	name: 'messageType',
	type: 'options',
	options: types.map((value) => ({
		name: TYPE_NAMES[value],
		value,
		description: TYPE_DESCRIPTIONS[value],
	})),
	default: 'text',
	description: 'The kind of message (msg_type)',
});

const TYPE_NAMES: Record<MessageType, string> = {
	text: 'Text',
	post: 'Rich Text (Post)',
	interactive: 'Card (Interactive)',
	image: 'Image',
	file: 'File',
	audio: 'Audio',
	media: 'Video (Media)',
	sticker: 'Sticker',
	share_chat: 'Share Chat',
	share_user: 'Share User',
};
const TYPE_DESCRIPTIONS: Record<MessageType, string> = {
	text: 'Plain text, with optional @-mentions',
	post: 'A title and formatted paragraphs',
	interactive: 'A message card from JSON or a card template',
	image: 'An image, uploaded from binary data or by image key',
	file: 'A file, uploaded from binary data or by file key',
	audio: 'An OPUS audio file, uploaded from binary data or by file key',
	media: 'An MP4 video, uploaded from binary data or by file key',
	sticker: 'A sticker the bot has received (by file key)',
	share_chat: 'A card that invites to a group chat',
	share_user: "A card of a user's profile",
};

/** The content fields of `types`, shown per message type. */
export function contentProperties(types: readonly MessageType[]): INodeProperties[] {
	const has = (t: MessageType) => types.includes(t);
	const uploadable = UPLOADABLE.filter(has);
	const properties: INodeProperties[] = [];
	if (has('text')) {
		properties.push({
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			displayOptions: show(['text']),
			description: 'The message text. New lines are kept; up to 150 KB.',
		});
	}
	if (has('post')) {
		properties.push(
			{
				displayName: 'Post Content Format',
				name: 'postFormat',
				type: 'options',
				options: [
					{
						name: 'Text',
						value: 'text',
						description: 'A title and Markdown-like text, sent as one paragraph',
					},
					{
						name: 'JSON',
						value: 'json',
						description: 'The documented post structure with zh_cn / en_us content',
					},
				],
				default: 'text',
				displayOptions: show(['post']),
			},
			{
				displayName: 'Title',
				name: 'postTitle',
				type: 'string',
				default: '',
				displayOptions: show(['post'], { postFormat: ['text'] }),
			},
			{
				displayName: 'Content',
				name: 'postText',
				type: 'string',
				typeOptions: { rows: 4 },
				required: true,
				default: '',
				displayOptions: show(['post'], { postFormat: ['text'] }),
				description: 'Markdown-like text (bold, links, lists), sent as one md paragraph',
			},
			{
				displayName: 'Post (JSON)',
				name: 'postJson',
				type: 'json',
				required: true,
				default:
					'{\n  "zh_cn": {\n    "title": "",\n    "content": [[{ "tag": "text", "text": "" }]]\n  }\n}',
				displayOptions: show(['post'], { postFormat: ['json'] }),
				description:
					'An object with zh_cn and/or en_us, each {title, content: [[elements]]}; up to 30 KB',
			},
		);
	}
	if (has('interactive')) {
		properties.push(...cardProperties({ show: { messageType: ['interactive'] } }));
	}
	if (uploadable.length > 0) {
		properties.push(
			{
				displayName: 'File Source',
				name: 'fileSource',
				type: 'options',
				options: [
					{
						name: 'Binary Data',
						value: 'binary',
						description: 'Upload a file from the input item first',
					},
					{ name: 'Key', value: 'key', description: 'An image_key or file_key you already have' },
				],
				default: 'binary',
				displayOptions: show(uploadable),
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				required: true,
				default: 'data',
				displayOptions: show(uploadable, { fileSource: ['binary'] }),
				description: "The name of the input item's binary property that holds the file",
			},
		);
	}
	if (has('image')) {
		properties.push({
			displayName: 'Image Key',
			name: 'imageKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'img_v2_…',
			displayOptions: show(['image'], { fileSource: ['key'] }),
			description: 'An image_key from Image › Upload (image type Message)',
		});
	}
	const fileKeyTypes = [...uploadable.filter((t) => t !== 'image')];
	if (fileKeyTypes.length > 0) {
		properties.push({
			displayName: 'File Key',
			name: 'fileKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'file_v2_…',
			displayOptions: show(fileKeyTypes, { fileSource: ['key'] }),
			description: 'A file_key from File › Upload. The bot can only send files it uploaded.',
		});
	}
	if (has('media')) {
		properties.push({
			displayName: 'Cover Image Key',
			name: 'coverImageKey',
			type: 'string',
			default: '',
			displayOptions: show(['media']),
			description: "Optional image_key shown as the video's cover",
		});
	}
	if (has('sticker')) {
		properties.push({
			displayName: 'Sticker File Key',
			name: 'stickerKey',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show(['sticker']),
			description: 'The file_key of a sticker the bot has received (from a message event)',
		});
	}
	if (has('share_chat')) {
		properties.push({
			displayName: 'Shared Chat ID',
			name: 'shareChatId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'oc_…',
			displayOptions: show(['share_chat']),
			description: 'The chat_id of the group to share; the bot must be in it',
		});
	}
	if (has('share_user')) {
		properties.push({
			displayName: 'Shared User Open ID',
			name: 'shareUserId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'ou_…',
			displayOptions: show(['share_user']),
			description: 'The open_id of the user whose card to share',
		});
	}
	if (has('text') || has('post')) {
		properties.push(
			{
				displayName: 'Mention User IDs',
				name: 'mentionUserIds',
				type: 'string',
				default: '',
				placeholder: 'ou_1…, ou_2…',
				displayOptions: show(['text', 'post'].filter((t) => has(t as MessageType))),
				description:
					'Users to @-mention at the start of the message: open_id, union_id or user_id, separated by commas',
			},
			{
				displayName: 'Mention All',
				name: 'mentionAll',
				type: 'boolean',
				default: false,
				displayOptions: show(['text', 'post'].filter((t) => has(t as MessageType))),
				description: 'Whether to @-mention everyone (groups only, where the group allows it)',
			},
		);
	}
	return properties;
}

/** A card from JSON (as exported from the card builder) or a template with its version and variables. */
export function cardProperties(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties[] {
	const sub = (more: Record<string, string[]>): INodeProperties['displayOptions'] => ({
		show: { ...displayOptions?.show, ...more },
	});
	return [
		{
			displayName: 'Card Source',
			name: 'cardSource',
			type: 'options',
			options: [
				{
					name: 'Card JSON',
					value: 'json',
					description: 'Card JSON as exported from the Feishu card builder (卡片搭建工具)',
				},
				{ name: 'Template', value: 'template', description: 'A published card template by ID' },
			],
			default: 'json',
			displayOptions,
		},
		{
			displayName: 'Card (JSON)',
			name: 'card',
			type: 'json',
			required: true,
			default:
				'{\n  "schema": "2.0",\n  "body": { "elements": [{ "tag": "markdown", "content": "Hello" }] }\n}',
			displayOptions: sub({ cardSource: ['json'] }),
			description:
				'The card object; up to 30 KB. For later updates, set config.update_multi to true.',
		},
		{
			displayName: 'Template ID',
			name: 'templateId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'AAqk…',
			displayOptions: sub({ cardSource: ['template'] }),
			description: 'The template ID, shown in the card builder',
		},
		{
			displayName: 'Template Version',
			name: 'templateVersion',
			type: 'string',
			default: '',
			placeholder: '1.0.0',
			displayOptions: sub({ cardSource: ['template'] }),
			description: 'The published version to use. Left empty, the latest.',
		},
		{
			displayName: 'Template Variables (JSON)',
			name: 'templateVariables',
			type: 'json',
			default: '{}',
			displayOptions: sub({ cardSource: ['template'] }),
			description: "An object of the template's variables and their values",
		},
	];
}

/** The card object of the card fields: JSON, or the documented template form. */
