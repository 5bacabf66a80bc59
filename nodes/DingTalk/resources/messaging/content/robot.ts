import type { INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../../shared/params';
import {
	actionCardFields,
	durationField,
	jsonField,
	mediaFields,
	messageUrlField,
	picUrlField,
	textField,
	titleField,
} from './fields';
import type { Button, MediaKeys } from './types';
import { buttonsOf, MESSAGE_TYPES, show } from './types';

/**
 * The app robot's content (企业机器人): the documented msgKey templates, with msgParam sent as a JSON string.
 * https://open.dingtalk.com/document/development/robot-message-type
 */
export function robotContentProperties(): INodeProperties[] {
	return [
		titleField(['markdown', 'link', 'actionCard']),
		textField(['text', 'markdown', 'link', 'actionCard']),
		messageUrlField(['link']),
		picUrlField(true, "The card's picture: an image URL"),
		...actionCardFields(
			'One to five buttons, each opening a URL. One button makes the whole card open it.',
			'Side by side (exactly 2 buttons: sampleActionCard6)',
		),
		...mediaFields(
			['image', 'audio', 'file', 'video'],
			'The media_id from Media › Upload (for images, an image URL also works)',
		),
		durationField(['audio', 'video'], 'How long the recording is, in seconds'),
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'report.pdf',
			displayOptions: show(['file']),
			description:
				"The name shown in the chat, with its extension (xlsx, pdf, zip, rar, doc or docx). Empty: the binary file's name.",
		},
		...VIDEO_FIELDS,
		{
			displayName: 'Message Key (msgKey)',
			name: 'msgKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'sampleText',
			displayOptions: show(['json']),
			description: 'A documented msgKey, e.g. sampleText, sampleMarkdown, sampleActionCard3',
		},
		jsonField(
			'Message Parameters (msgParam)',
			'{\n  "content": "Hello"\n}',
			'The msgParam object of the chosen msgKey (an object or JSON text; the node sends it as the documented JSON string)',
		),
	];
}

/** A video's cover image and size. */
const VIDEO_FIELDS: INodeProperties[] = [
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
];

/** The file types a robot file message documents (sampleFile.fileType). */
const ROBOT_FILE_TYPES = ['xlsx', 'pdf', 'zip', 'rar', 'doc', 'docx'];

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

export function durationOf(p: ParamReader): number {
	const seconds = p.number('durationSeconds', 1, 0);
	if (seconds <= 0) p.fail('durationSeconds', 'must be more than 0 seconds');
	return seconds;
}
