import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../../shared/params';
import {
	actionCardFields,
	DOCUMENTED_JSON,
	jsonField,
	messageUrlField,
	picUrlField,
	TEXT_MESSAGE_JSON,
	textField,
	titleField,
} from './fields';
import { buttonsOf, MESSAGE_TYPES, show } from './types';

/**
 * The group custom robot's content (自定义机器人): the webhook body formats, with @-mentions.
 * https://open.dingtalk.com/document/development/robot-message-type
 */
export function customRobotContentProperties(): INodeProperties[] {
	return [
		titleField(['markdown', 'link', 'actionCard']),
		textField(['text', 'markdown', 'link', 'actionCard']),
		messageUrlField(['link']),
		picUrlField(false, "The card's picture: an image URL"),
		...actionCardFields(
			'Buttons, each opening a URL. One button makes the whole card open it (singleTitle / singleURL).',
			'Side by side',
		),
		FEED_LINKS,
		jsonField('Message Body', TEXT_MESSAGE_JSON, DOCUMENTED_JSON),
		...mentionProperties(['text', 'markdown', 'actionCard']),
	];
}

const FEED_LINKS: INodeProperties = {
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
};

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
