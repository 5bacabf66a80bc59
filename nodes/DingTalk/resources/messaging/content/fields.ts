import type { INodeProperties } from 'n8n-workflow';

import { show } from './types';

/**
 * The content fields the three channels share, each shown for the message types given. Where a channel
 * documents something of its own, the field takes it as an argument.
 */

export const titleField = (types: string[]): INodeProperties => ({
	displayName: 'Title',
	name: 'title',
	type: 'string',
	required: true,
	default: '',
	displayOptions: show(types),
	description:
		'The title: shown in the chat list and notifications (for Markdown), or at the top of the card',
});

export const textField = (types: string[]): INodeProperties => ({
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	required: true,
	default: '',
	displayOptions: show(types),
	description:
		'The message text. Markdown for Markdown and Action Card messages (DingTalk supports headings, bold, links, images and lists).',
});

export const messageUrlField = (types: string[]): INodeProperties => ({
	displayName: 'Message URL',
	name: 'messageUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'https://example.com/report',
	displayOptions: show(types),
	description: "Opened when the card is clicked (in DingTalk's own browser)",
});

export const picUrlField = (required: boolean, description: string): INodeProperties => ({
	displayName: 'Picture URL',
	name: 'picUrl',
	type: 'string',
	required,
	default: '',
	placeholder: 'https://example.com/cover.png',
	displayOptions: show(['link']),
	description,
});

/** An action card's buttons, and how several are laid out. */
export const actionCardFields = (
	buttonsDescription: string,
	sideBySideDescription: string,
): INodeProperties[] => [
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		displayOptions: show(['actionCard']),
		description: buttonsDescription,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: "The button's label",
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/approve',
						description: 'Opened when the button is clicked',
					},
				],
			},
		],
	},
	{
		displayName: 'Button Layout',
		name: 'buttonOrientation',
		type: 'options',
		options: [
			{ name: 'Vertical', value: 'vertical', description: 'One button under the other' },
			{ name: 'Horizontal', value: 'horizontal', description: sideBySideDescription },
		],
		default: 'vertical',
		displayOptions: show(['actionCard']),
		description: 'How several buttons are laid out (btnOrientation)',
	},
];

/** A file from the item's binary data (uploaded first through Media › Upload) or a media ID. */
export const mediaFields = (types: string[], mediaIdDescription: string): INodeProperties[] => [
	{
		displayName: 'File Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{
				name: 'Binary Data',
				value: 'binary',
				description: "Upload the input item's binary data first (Media › Upload)",
			},
			{
				name: 'Media ID',
				value: 'mediaId',
				description: 'A media_id uploaded before (Media › Upload)',
			},
		],
		default: 'binary',
		displayOptions: show(types),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		displayOptions: show(types, { mediaSource: ['binary'] }),
		description: "The name of the input item's binary property that holds the file",
	},
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '@lADPDe7s…',
		displayOptions: show(types, { mediaSource: ['mediaId'] }),
		description: mediaIdDescription,
	},
];

export const durationField = (types: string[], description: string): INodeProperties => ({
	displayName: 'Duration (Seconds)',
	name: 'durationSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	required: true,
	default: 1,
	displayOptions: show(types),
	description,
});

/** Custom JSON: the documented body (or msgParam) whole, as an object or as JSON text. */
export const jsonField = (
	displayName: string,
	defaultJson: string,
	description: string,
): INodeProperties => ({
	displayName,
	name: 'messageJson',
	type: 'json',
	required: true,
	default: defaultJson,
	displayOptions: show(['json']),
	description,
});

export const DOCUMENTED_JSON =
	'The documented JSON, as an object from an expression or as JSON text';
export const TEXT_MESSAGE_JSON = '{\n  "msgtype": "text",\n  "text": { "content": "Hello" }\n}';
