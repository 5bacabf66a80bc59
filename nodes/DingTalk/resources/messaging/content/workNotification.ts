import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../../shared/params';
import {
	actionCardFields,
	DOCUMENTED_JSON,
	durationField,
	jsonField,
	mediaFields,
	messageUrlField,
	picUrlField,
	TEXT_MESSAGE_JSON,
	textField,
	titleField,
} from './fields';
import { durationOf } from './robot';
import type { Button, MediaKeys } from './types';
import { buttonsOf, MESSAGE_TYPES, show } from './types';

/**
 * A work notification's content (工作通知): msg with its msgtype and the documented snake_case fields.
 * https://open.dingtalk.com/document/development/message-types-and-data-format
 */
export function workNotificationContentProperties(): INodeProperties[] {
	return [
		titleField(['markdown', 'link', 'actionCard']),
		textField(['text', 'markdown', 'link', 'actionCard']),
		messageUrlField(['link', 'oa']),
		picUrlField(true, "The card's picture: an image URL or a media ID (Media › Upload)"),
		...actionCardFields(
			'Buttons, each opening a URL. One button makes the whole card open it (singleTitle / singleURL).',
			'Side by side',
		),
		...mediaFields(['image', 'voice', 'file'], 'The media_id from Media › Upload'),
		durationField(['voice'], 'How long the voice message is: a whole number of seconds under 60'),
		...OA_FIELDS,
		jsonField('Message (msg)', TEXT_MESSAGE_JSON, DOCUMENTED_JSON),
	];
}

/** An OA card's body, form rows and head. */
const OA_FIELDS: INodeProperties[] = [
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
				description: "The head's text (head.text); work notifications show the app's name instead",
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
];

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
function workActionCard(
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
