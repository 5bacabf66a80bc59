import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../../shared/params';

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

export const show = (
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

/** Which media upload type a message type's file is. */
export function uploadTypeOf(type: MessageType): 'image' | 'voice' | 'video' | 'file' {
	if (type === 'audio' || type === 'voice') return 'voice';
	if (type === 'video') return 'video';
	if (type === 'image') return 'image';
	return 'file';
}
