import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';

/**
 * Message content for the three ways DingTalk sends: the group custom robot (webhook body formats),
 * the app robot (msgKey templates with msgParam) and work notifications (msg with msgtype). Each
 * message type has fields, so users never hand-write the documented JSON; Custom JSON takes it whole,
 * as an object or as JSON text.
 * https://open.dingtalk.com/document/development/robot-message-type
 * https://open.dingtalk.com/document/development/message-types-and-data-format
 */
export type Flavour = 'customRobot' | 'robot' | 'workNotification';

export const MESSAGE_TYPES = {
	customRobot: ['text', 'markdown', 'link', 'actionCard', 'feedCard', 'json'],
	robot: ['text', 'markdown', 'image', 'link', 'actionCard', 'audio', 'file', 'video', 'json'],
	workNotification: [
		'text',
		'markdown',
		'image',
		'voice',
		'file',
		'link',
		'oa',
		'actionCard',
		'json',
	],
} as const;

export type MessageType = (typeof MESSAGE_TYPES)[Flavour][number];

/** Types whose file comes from a media ID or from an input binary property (uploaded first). */
export const MEDIA_TYPES = ['image', 'audio', 'voice', 'file', 'video'] as const;

const TYPE_INFO: Record<MessageType, { name: string; description: Record<Flavour, string> }> = {
	text: {
		name: 'Text',
		description: {
			customRobot: 'Plain text (text), with optional @-mentions',
			robot: 'Plain text (sampleText)',
			workNotification: 'Plain text (text)',
		},
	},
	markdown: {
		name: 'Markdown',
		description: {
			customRobot: 'A title and Markdown text (markdown), with optional @-mentions',
			robot: 'A title and Markdown text (sampleMarkdown)',
			workNotification: 'A title and Markdown text (markdown)',
		},
	},
	image: {
		name: 'Image',
		description: {
			customRobot: '',
			robot: 'An image (sampleImageMsg), uploaded from binary data, or by media ID or URL',
			workNotification: 'An image (image), uploaded from binary data or by media ID',
		},
	},
	link: {
		name: 'Link',
		description: {
			customRobot: 'A link card: title, text, picture (link)',
			robot: 'A link card: title, text, picture (sampleLink)',
			workNotification: 'A link card: title, text, picture (link)',
		},
	},
	actionCard: {
		name: 'Action Card',
		description: {
			customRobot: 'Markdown with one button or several (actionCard)',
			robot:
				'Markdown with 1 to 5 buttons (sampleActionCard, sampleActionCard2…5, or sampleActionCard6 for 2 side by side)',
			workNotification: 'Markdown with one button or several (action_card)',
		},
	},
	feedCard: {
		name: 'Feed Card',
		description: {
			customRobot: 'A list of links with pictures (feedCard)',
			robot: '',
			workNotification: '',
		},
	},
	audio: {
		name: 'Audio',
		description: {
			customRobot: '',
			robot: 'An AMR or OGG voice message (sampleAudio), uploaded from binary data or by media ID',
			workNotification: '',
		},
	},
	voice: {
		name: 'Voice',
		description: {
			customRobot: '',
			robot: '',
			workNotification:
				'An AMR voice message under 60 seconds (voice), uploaded from binary data or by media ID',
		},
	},
	file: {
		name: 'File',
		description: {
			customRobot: '',
			robot: 'A file (sampleFile), uploaded from binary data or by media ID',
			workNotification: 'A file of up to 10 MB (file), uploaded from binary data or by media ID',
		},
	},
	video: {
		name: 'Video',
		description: {
			customRobot: '',
			robot:
				'An MP4 video with a cover image (sampleVideo), uploaded from binary data or by media ID',
			workNotification: '',
		},
	},
	oa: {
		name: 'OA',
		description: {
			customRobot: '',
			robot: '',
			workNotification:
				'An OA card: a coloured head, a title, form rows and text, opening a URL (oa)',
		},
	},
	json: {
		name: 'Custom JSON',
		description: {
			customRobot: 'The whole documented body ({"msgtype": …}) as JSON',
			robot: 'Any documented msgKey with its msgParam as JSON',
			workNotification: 'The whole documented msg ({"msgtype": …}) as JSON',
		},
	},
};

const show = (
	types: readonly string[],
	more: Record<string, Array<string | boolean>> = {},
): INodeProperties['displayOptions'] => ({
	show: { messageType: [...types], ...more },
});

export const messageTypeProperty = (flavour: Flavour): INodeProperties => ({
	displayName: 'Message Type',
	name: 'messageType',
	type: 'options',
	options: MESSAGE_TYPES[flavour].map((value) => ({
		name: TYPE_INFO[value].name,
		value,
		description: TYPE_INFO[value].description[flavour],
	})),
	default: 'text',
	description:
		flavour === 'robot'
			? 'The kind of message: which documented msgKey template is sent'
			: 'The kind of message (msgtype)',
});

/** The content fields of one flavour, shown per message type. */
export function contentProperties(flavour: Flavour): INodeProperties[] {
	const types = MESSAGE_TYPES[flavour] as readonly string[];
	const has = (t: MessageType) => types.includes(t);
	const pick = (...list: MessageType[]) => list.filter(has);
	const media = pick(...MEDIA_TYPES);
	const properties: INodeProperties[] = [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show(pick('markdown', 'link', 'actionCard')),
			description:
				'The title: shown in the chat list and notifications (for Markdown), or at the top of the card',
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			displayOptions: show(pick('text', 'markdown', 'link', 'actionCard')),
			description:
				'The message text. Markdown for Markdown and Action Card messages (DingTalk supports headings, bold, links, images and lists).',
		},
		{
			displayName: 'Message URL',
			name: 'messageUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://example.com/report',
			displayOptions: show(pick('link', 'oa')),
			description: "Opened when the card is clicked (in DingTalk's own browser)",
		},
		{
			displayName: 'Picture URL',
			name: 'picUrl',
			type: 'string',
			required: flavour !== 'customRobot',
			default: '',
			placeholder: 'https://example.com/cover.png',
			displayOptions: show(pick('link')),
			description:
				flavour === 'workNotification'
					? "The card's picture: an image URL or a media ID (Media › Upload)"
					: "The card's picture: an image URL",
		},
	];
	if (has('actionCard')) {
		properties.push(
			{
				displayName: 'Buttons',
				name: 'buttons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Button',
				default: {},
				displayOptions: show(['actionCard']),
				description:
					flavour === 'robot'
						? 'One to five buttons, each opening a URL. One button makes the whole card open it.'
						: 'Buttons, each opening a URL. One button makes the whole card open it (singleTitle / singleURL).',
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
					{
						name: 'Horizontal',
						value: 'horizontal',
						description:
							flavour === 'robot'
								? 'Side by side (exactly 2 buttons: sampleActionCard6)'
								: 'Side by side',
					},
				],
				default: 'vertical',
				displayOptions: show(['actionCard']),
				description: 'How several buttons are laid out (btnOrientation)',
			},
		);
	}
	if (has('feedCard')) {
		properties.push({
			displayName: 'Links',
			name: 'feedLinks',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Link',
			default: {},
			displayOptions: show(['feedCard']),
			description: 'The links of the feed card; each needs a title, a URL and a picture',
			options: [
				{
					displayName: 'Link',
					name: 'link',
					values: [
						{ displayName: 'Title', name: 'title', type: 'string', default: '' },
						{
							displayName: 'Message URL',
							name: 'messageUrl',
							type: 'string',
							default: '',
							placeholder: 'https://example.com/news/1',
						},
						{
							displayName: 'Picture URL',
							name: 'picUrl',
							type: 'string',
							default: '',
							placeholder: 'https://example.com/news/1.png',
						},
					],
				},
			],
		});
	}
	if (media.length > 0) {
		properties.push(
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
				displayOptions: show(media),
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				required: true,
				default: 'data',
				displayOptions: show(media, { mediaSource: ['binary'] }),
				description: "The name of the input item's binary property that holds the file",
			},
			{
				displayName: 'Media ID',
				name: 'mediaId',
				type: 'string',
				required: true,
				default: '',
				placeholder: '@lADPDe7s…',
				displayOptions: show(media, { mediaSource: ['mediaId'] }),
				description:
					flavour === 'robot'
						? 'The media_id from Media › Upload (for images, an image URL also works)'
						: 'The media_id from Media › Upload',
			},
		);
	}
	if (has('audio') || has('voice') || has('video')) {
		properties.push({
			displayName: 'Duration (Seconds)',
			name: 'durationSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			required: true,
			default: 1,
			displayOptions: show(pick('audio', 'voice', 'video')),
			description:
				flavour === 'workNotification'
					? 'How long the voice message is: a whole number of seconds under 60'
					: 'How long the recording is, in seconds',
		});
	}
	if (has('file') && flavour === 'robot') {
		properties.push({
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'report.pdf',
			displayOptions: show(['file']),
			description:
				flavour === 'robot'
					? "The name shown in the chat, with its extension (xlsx, pdf, zip, rar, doc or docx). Empty: the binary file's name."
					: "The name the upload gets. Empty: the binary file's name.",
		});
	}
	if (has('video')) {
		properties.push(
			{
				displayName: 'Cover Image Binary Field',
				name: 'coverBinaryPropertyName',
				type: 'string',
				required: true,
				default: 'cover',
				displayOptions: show(['video'], { mediaSource: ['binary'] }),
				description: "The binary property with the video's cover image (picMediaId), uploaded too",
			},
			{
				displayName: 'Cover Media ID',
				name: 'coverMediaId',
				type: 'string',
				required: true,
				default: '',
				displayOptions: show(['video'], { mediaSource: ['mediaId'] }),
				description: "The media_id of the video's cover image (picMediaId)",
			},
			{
				displayName: 'Width',
				name: 'videoWidth',
				type: 'number',
				default: 0,
				displayOptions: show(['video']),
				description: "The video's width in pixels (0: not given)",
			},
			{
				displayName: 'Height',
				name: 'videoHeight',
				type: 'number',
				default: 0,
				displayOptions: show(['video']),
				description: "The video's height in pixels (0: not given)",
			},
		);
	}
	if (has('oa')) {
		properties.push(
			{
				displayName: 'Body Title',
				name: 'oaTitle',
				type: 'string',
				default: '',
				displayOptions: show(['oa']),
				description: 'The title inside the OA card (body.title)',
			},
			{
				displayName: 'Body Text',
				name: 'oaContent',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				displayOptions: show(['oa']),
				description: "The card's text (body.content); DingTalk shows three lines",
			},
			{
				displayName: 'Form Rows',
				name: 'oaForm',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Row',
				default: {},
				displayOptions: show(['oa']),
				description: 'Key / value rows of the card (body.form); DingTalk shows six',
				options: [
					{
						displayName: 'Row',
						name: 'row',
						values: [
							{
								displayName: 'Key',
								name: 'key',
								type: 'string',
								default: '',
								placeholder: 'Applicant:',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'OA Options',
				name: 'oaOptions',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				displayOptions: show(['oa']),
				options: [
					{
						displayName: 'Author',
						name: 'author',
						type: 'string',
						default: '',
						description: 'Shown at the bottom of the card (body.author)',
					},
					{
						displayName: 'Head Background (ARGB)',
						name: 'headBackground',
						type: 'string',
						default: 'FFBBBBBB',
						description: "The head's background, 8 hex digits alpha-red-green-blue (head.bgcolor)",
					},
					{
						displayName: 'Head Text',
						name: 'headText',
						type: 'string',
						default: '',
						description:
							"The head's text (head.text); work notifications show the app's name instead",
					},
					{
						displayName: 'Image Media ID',
						name: 'image',
						type: 'string',
						default: '',
						description: 'A picture in the card (body.image), a media_id from Media › Upload',
					},
					{
						displayName: 'PC Message URL',
						name: 'pcMessageUrl',
						type: 'string',
						default: '',
						description: 'Opened instead of Message URL on the desktop client (pc_message_url)',
					},
				],
			},
		);
	}
	if (flavour === 'robot') {
		properties.push({
			displayName: 'Message Key (msgKey)',
			name: 'msgKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'sampleText',
			displayOptions: show(['json']),
			description: 'A documented msgKey, e.g. sampleText, sampleMarkdown, sampleActionCard3',
		});
	}
	const jsonDescription =
		flavour === 'robot'
			? 'The msgParam object of the chosen msgKey (an object or JSON text; the node sends it as the documented JSON string)'
			: 'The documented JSON, as an object from an expression or as JSON text';
	if (flavour === 'robot') {
		properties.push({
			displayName: 'Message Parameters (msgParam)',
			name: 'messageJson',
			type: 'json',
			required: true,
			default: '{\n  "content": "Hello"\n}',
			displayOptions: show(['json']),
			description: jsonDescription,
		});
	} else {
		properties.push({
			displayName: flavour === 'customRobot' ? 'Message Body' : 'Message (msg)',
			name: 'messageJson',
			type: 'json',
			required: true,
			default: '{\n  "msgtype": "text",\n  "text": { "content": "Hello" }\n}',
			displayOptions: show(['json']),
			description: jsonDescription,
		});
	}
	if (flavour === 'customRobot')
		properties.push(...mentionProperties(['text', 'markdown', 'actionCard']));
	return properties;
}

/** @-mentions of the custom robot: by mobile number, by user ID, or everyone. */
function mentionProperties(types: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Mention Mobile Numbers',
			name: 'atMobiles',
			type: 'string',
			default: '',
			placeholder: '13800000001, 13800000002',
			displayOptions: show(types),
			description:
				'Group members to @-mention by mobile number, separated by commas (at.atMobiles). Markdown and action cards also get "@number" in the text.',
		},
		{
			displayName: 'Mention User IDs',
			name: 'atUserIds',
			type: 'string',
			default: '',
			placeholder: 'manager4220',
			displayOptions: show(types),
			description:
				'Group members to @-mention by user ID (userid), separated by commas (at.atUserIds)',
		},
		{
			displayName: 'Mention Everyone',
			name: 'atAll',
			type: 'boolean',
			default: false,
			displayOptions: show(types),
			description: 'Whether to @-mention everyone in the group (at.isAtAll)',
		},
	];
}

/** What earlier steps uploaded for a message: media IDs from binary data. */
export interface MediaKeys {
	mediaId?: string;
	coverMediaId?: string;
	fileName?: string;
}

export interface Button {
	title: string;
	url: string;
}

/** The buttons of an action card, each with a title and a URL. */
export function buttonsOf(p: ParamReader, max?: number): Button[] {
	const list = (
		((p.raw('buttons', {}) as IDataObject | undefined)?.button ?? []) as IDataObject[]
	).map((b, i) => ({
		title: p.requiredString(
			`buttons.button[${i}].title`,
			b.title,
			`Buttons › Button ${i + 1} › Title`,
		),
		url: p.requiredString(`buttons.button[${i}].url`, b.url, `Buttons › Button ${i + 1} › URL`),
	}));
	if (list.length === 0) p.fail('buttons', 'an action card needs at least one button');
	if (max !== undefined && list.length > max)
		p.fail('buttons', `at most ${max} buttons, got ${list.length}`);
	return list;
}

const MAX_MENTIONS = 50;

/** The custom robot's body (also a session webhook reply's): {msgtype, <type>: {...}, at}. */
export function customRobotBody(
	p: ParamReader,
	given?: { userIds: string[] },
): Record<string, unknown> {
	const type = p.choice('messageType', MESSAGE_TYPES.customRobot, 'text');
	if (type === 'json') {
		const body = p.jsonObject('messageJson') ?? p.fail('messageJson', 'is empty');
		if (typeof body.msgtype !== 'string')
			p.fail('messageJson', 'must have a "msgtype" (text, markdown, link, actionCard or feedCard)');
		return body;
	}
	if (type === 'feedCard') {
		const links = (
			((p.raw('feedLinks', {}) as IDataObject | undefined)?.link ?? []) as IDataObject[]
		).map((l, i) => ({
			title: p.requiredString(
				`feedLinks.link[${i}].title`,
				l.title,
				`Links › Link ${i + 1} › Title`,
			),
			messageURL: p.requiredString(
				`feedLinks.link[${i}].messageUrl`,
				l.messageUrl,
				`Links › Link ${i + 1} › Message URL`,
			),
			picURL: p.requiredString(
				`feedLinks.link[${i}].picUrl`,
				l.picUrl,
				`Links › Link ${i + 1} › Picture URL`,
			),
		}));
		if (links.length === 0) p.fail('feedLinks', 'a feed card needs at least one link');
		return { msgtype: 'feedCard', feedCard: { links } };
	}
	if (type === 'link') {
		const picUrl = p.optionalString('picUrl');
		return {
			msgtype: 'link',
			link: {
				title: p.requiredString('title'),
				text: p.requiredString('text'),
				messageUrl: p.requiredString('messageUrl'),
				...(picUrl ? { picUrl } : {}),
			},
		};
	}
	// A reply mentions whom it is told to (the sender); other messages read the mention fields.
	const mobiles = given ? [] : p.stringList('atMobiles');
	const userIds = given ? given.userIds : p.stringList('atUserIds');
	const atAll = given ? false : p.boolean('atAll', false);
	if (mobiles.length + userIds.length > MAX_MENTIONS)
		p.fail(
			'atMobiles',
			`at most ${MAX_MENTIONS} people can be @-mentioned in one message, got ${mobiles.length + userIds.length}`,
		);
	// Markdown and action cards show a mention only where the text has "@mobile" / "@userId".
	const withMentions = (text: string) => {
		const missing = [...mobiles, ...userIds].filter((who) => !text.includes(`@${who}`));
		return missing.length > 0 ? `${text}\n\n${missing.map((who) => `@${who}`).join(' ')}` : text;
	};
	const at: IDataObject = {};
	if (mobiles.length > 0) at.atMobiles = mobiles;
	if (userIds.length > 0) at.atUserIds = userIds;
	if (atAll) at.isAtAll = true;
	const mention = Object.keys(at).length > 0 ? { at } : {};
	if (type === 'text')
		return { msgtype: 'text', text: { content: p.requiredString('text') }, ...mention };
	if (type === 'markdown')
		return {
			msgtype: 'markdown',
			markdown: { title: p.requiredString('title'), text: withMentions(p.requiredString('text')) },
			...mention,
		};
	const buttons = buttonsOf(p);
	const card: IDataObject = {
		title: p.requiredString('title'),
		text: withMentions(p.requiredString('text')),
	};
	if (buttons.length === 1) {
		card.singleTitle = buttons[0].title;
		card.singleURL = buttons[0].url;
	} else {
		card.btnOrientation =
			p.choice('buttonOrientation', ['vertical', 'horizontal'] as const, 'vertical') ===
			'horizontal'
				? '1'
				: '0';
		card.btns = buttons.map((b) => ({ title: b.title, actionURL: b.url }));
	}
	return { msgtype: 'actionCard', actionCard: card, ...mention };
}

/** The file types a robot file message documents (sampleFile.fileType). */
export const ROBOT_FILE_TYPES = ['xlsx', 'pdf', 'zip', 'rar', 'doc', 'docx'];

const extensionOf = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** The app robot's template: its msgKey and the msgParam object. */
export function robotTemplate(
	p: ParamReader,
	keys: MediaKeys = {},
): { msgKey: string; msgParam: Record<string, unknown> } {
	const type = p.choice('messageType', MESSAGE_TYPES.robot, 'text');
	const media = () => keys.mediaId ?? p.requiredString('mediaId');
	switch (type) {
		case 'json':
			return {
				msgKey: p.requiredString('msgKey'),
				msgParam: p.jsonObject('messageJson') ?? p.fail('messageJson', 'is empty'),
			};
		case 'text':
			return { msgKey: 'sampleText', msgParam: { content: p.requiredString('text') } };
		case 'markdown':
			return {
				msgKey: 'sampleMarkdown',
				msgParam: { title: p.requiredString('title'), text: p.requiredString('text') },
			};
		case 'image':
			return { msgKey: 'sampleImageMsg', msgParam: { photoURL: media() } };
		case 'link':
			return {
				msgKey: 'sampleLink',
				msgParam: {
					text: p.requiredString('text'),
					title: p.requiredString('title'),
					picUrl: p.requiredString('picUrl'),
					messageUrl: p.requiredString('messageUrl'),
				},
			};
		case 'actionCard':
			return robotActionCard(
				p,
				p.requiredString('title'),
				p.requiredString('text'),
				buttonsOf(p, 5),
				p.choice('buttonOrientation', ['vertical', 'horizontal'] as const, 'vertical'),
			);
		case 'audio':
			// sampleAudio's duration is in milliseconds, as a string.
			return {
				msgKey: 'sampleAudio',
				msgParam: { mediaId: media(), duration: String(Math.round(durationOf(p) * 1000)) },
			};
		case 'file': {
			const fileName =
				p.optionalString('fileName') ??
				keys.fileName ??
				p.fail('fileName', 'is empty: give the name shown in the chat, with its extension');
			const fileType = extensionOf(fileName);
			if (!ROBOT_FILE_TYPES.includes(fileType))
				p.fail(
					'fileName',
					`a robot file message documents the types ${ROBOT_FILE_TYPES.join(', ')}; "${fileName}" has ${fileType ? `"${fileType}"` : 'no extension'}`,
				);
			return { msgKey: 'sampleFile', msgParam: { mediaId: media(), fileName, fileType } };
		}
		case 'video': {
			const width = p.integer('videoWidth', 0, 0);
			const height = p.integer('videoHeight', 0, 0);
			return {
				msgKey: 'sampleVideo',
				msgParam: {
					duration: String(Math.round(durationOf(p))),
					videoMediaId: media(),
					videoType: 'mp4',
					picMediaId: keys.coverMediaId ?? p.requiredString('coverMediaId'),
					...(width > 0 ? { width: String(width) } : {}),
					...(height > 0 ? { height: String(height) } : {}),
				},
			};
		}
	}
}

/** The stacked-button templates by number of buttons. */
const STACKED_CARDS = [
	'',
	'sampleActionCard',
	'sampleActionCard2',
	'sampleActionCard3',
	'sampleActionCard4',
	'sampleActionCard5',
];

const SIDE_BY_SIDE_CARD = 'sampleActionCard6';

/** sampleActionCard (1 button), sampleActionCard2…5 (2 to 5 stacked), sampleActionCard6 (2 side by side). */
export function robotActionCard(
	p: ParamReader,
	title: string,
	text: string,
	buttons: Button[],
	orientation: 'vertical' | 'horizontal',
): { msgKey: string; msgParam: Record<string, unknown> } {
	if (buttons.length === 1)
		return {
			msgKey: 'sampleActionCard',
			msgParam: { title, text, singleTitle: buttons[0].title, singleURL: buttons[0].url },
		};
	if (orientation === 'horizontal') {
		if (buttons.length !== 2)
			p.fail(
				'buttonOrientation',
				`side-by-side buttons (sampleActionCard6) take exactly 2 buttons, got ${buttons.length}`,
				'Button Layout',
			);
		return {
			msgKey: SIDE_BY_SIDE_CARD,
			msgParam: {
				title,
				text,
				buttonTitle1: buttons[0].title,
				buttonUrl1: buttons[0].url,
				buttonTitle2: buttons[1].title,
				buttonUrl2: buttons[1].url,
			},
		};
	}
	const msgParam: Record<string, unknown> = { title, text };
	buttons.forEach((b, i) => {
		msgParam[`actionTitle${i + 1}`] = b.title;
		msgParam[`actionURL${i + 1}`] = b.url;
	});
	return { msgKey: STACKED_CARDS[buttons.length], msgParam };
}

function durationOf(p: ParamReader): number {
	const seconds = p.number('durationSeconds', 1, 0);
	if (seconds <= 0) p.fail('durationSeconds', 'must be more than 0 seconds');
	return seconds;
}

/** Work notification limits (message types and data format page). */
const ACTION_TITLE_MAX = 20;
const SINGLE_URL_MAX = 500;
const ACTION_URL_MAX = 700;
const BUTTON_LIST_MAX = 1000;
const MARKDOWN_MAX = 5000;

/** The work notification's msg: {msgtype, <type>: {...}} with the documented snake_case fields. */
export function workNotificationMsg(p: ParamReader, keys: MediaKeys = {}): Record<string, unknown> {
	const type = p.choice('messageType', MESSAGE_TYPES.workNotification, 'text');
	const media = () => keys.mediaId ?? p.requiredString('mediaId');
	switch (type) {
		case 'json': {
			const msg = p.jsonObject('messageJson') ?? p.fail('messageJson', 'is empty');
			if (typeof msg.msgtype !== 'string')
				p.fail(
					'messageJson',
					'must have a "msgtype" (text, image, voice, file, link, oa, markdown or action_card)',
				);
			return msg;
		}
		case 'text':
			return { msgtype: 'text', text: { content: p.requiredString('text') } };
		case 'markdown': {
			const text = p.requiredString('text');
			if (text.length > MARKDOWN_MAX)
				p.fail(
					'text',
					`Markdown text can be at most ${MARKDOWN_MAX} characters, got ${text.length}`,
				);
			return { msgtype: 'markdown', markdown: { title: p.requiredString('title'), text } };
		}
		case 'image':
			return { msgtype: 'image', image: { media_id: media() } };
		case 'voice': {
			const seconds = durationOf(p);
			if (!Number.isInteger(seconds) || seconds >= 60)
				p.fail(
					'durationSeconds',
					`a voice message's duration is a whole number of seconds under 60, got ${seconds}`,
				);
			return { msgtype: 'voice', voice: { media_id: media(), duration: String(seconds) } };
		}
		case 'file':
			return { msgtype: 'file', file: { media_id: media() } };
		case 'link':
			return {
				msgtype: 'link',
				link: {
					messageUrl: p.requiredString('messageUrl'),
					picUrl: p.requiredString('picUrl'),
					title: p.requiredString('title'),
					text: p.requiredString('text'),
				},
			};
		case 'oa':
			return { msgtype: 'oa', oa: oaOf(p) };
		case 'actionCard':
			return {
				msgtype: 'action_card',
				action_card: workActionCard(
					p,
					p.requiredString('title'),
					p.requiredString('text'),
					buttonsOf(p),
					p.choice('buttonOrientation', ['vertical', 'horizontal'] as const, 'vertical'),
				),
			};
	}
}

/** The action_card of a work notification, with the documented length limits. */
export function workActionCard(
	p: ParamReader,
	title: string,
	markdown: string,
	buttons: Button[],
	orientation: 'vertical' | 'horizontal',
): IDataObject {
	for (const [i, b] of buttons.entries()) {
		if (b.title.length > ACTION_TITLE_MAX)
			p.fail(
				`buttons.button[${i}].title`,
				`a button title can be at most ${ACTION_TITLE_MAX} characters, got ${b.title.length}`,
				`Buttons › Button ${i + 1} › Title`,
			);
	}
	if (buttons.length === 1) {
		if (buttons[0].url.length > SINGLE_URL_MAX)
			p.fail(
				'buttons.button[0].url',
				`a single button's URL can be at most ${SINGLE_URL_MAX} characters, got ${buttons[0].url.length}`,
				'Buttons › Button 1 › URL',
			);
		return { title, markdown, single_title: buttons[0].title, single_url: buttons[0].url };
	}
	const list = buttons.map((b) => ({ title: b.title, action_url: b.url }));
	for (const [i, b] of buttons.entries()) {
		if (b.url.length > ACTION_URL_MAX)
			p.fail(
				`buttons.button[${i}].url`,
				`a button's URL can be at most ${ACTION_URL_MAX} characters, got ${b.url.length}`,
				`Buttons › Button ${i + 1} › URL`,
			);
	}
	const size = JSON.stringify(list).length;
	if (size > BUTTON_LIST_MAX)
		p.fail(
			'buttons',
			`the buttons (btn_json_list) can be at most ${BUTTON_LIST_MAX} characters as JSON, got ${size}`,
		);
	return {
		title,
		markdown,
		btn_orientation: orientation === 'horizontal' ? '1' : '0',
		btn_json_list: list,
	};
}

function oaOf(p: ParamReader): IDataObject {
	const options = (p.raw('oaOptions', {}) as IDataObject | undefined) ?? {};
	const bgcolor = String(options.headBackground || 'FFBBBBBB');
	if (!/^[0-9A-Fa-f]{8}$/.test(bgcolor))
		p.fail(
			'oaOptions.headBackground',
			`must be 8 hex digits (ARGB, e.g. FFBBBBBB), got "${bgcolor}"`,
			'OA Options › Head Background (ARGB)',
		);
	const rows = (((p.raw('oaForm', {}) as IDataObject | undefined)?.row ?? []) as IDataObject[]).map(
		(r) => ({ key: String(r.key ?? ''), value: String(r.value ?? '') }),
	);
	const body: IDataObject = {};
	const title = p.optionalString('oaTitle');
	const content = p.optionalString('oaContent');
	if (title) body.title = title;
	if (rows.length > 0) body.form = rows;
	if (content) body.content = content;
	if (options.image) body.image = String(options.image);
	if (options.author) body.author = String(options.author);
	if (Object.keys(body).length === 0)
		p.fail('oaTitle', 'an OA card needs a body: a title, form rows or text');
	const oa: IDataObject = {
		message_url: p.requiredString('messageUrl'),
		head: { bgcolor, text: String(options.headText ?? '') },
		body,
	};
	if (options.pcMessageUrl) oa.pc_message_url = String(options.pcMessageUrl);
	return oa;
}

/** Which media upload type a message type's file is. */
export function uploadTypeOf(type: MessageType): 'image' | 'voice' | 'video' | 'file' {
	if (type === 'audio' || type === 'voice') return 'voice';
	if (type === 'video') return 'video';
	if (type === 'image') return 'image';
	return 'file';
}
