import { DINGTALK_RATE_LIMITS } from '../../transport';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ParamReader } from '../../../shared/params';
import { stepFor } from '../../../shared/runner';
import {
	answerButtons,
	checkForm,
	FORM_OPTIONS,
	LIMIT_WAIT_TIME,
	questionProperties,
	readResumeRequest,
	RECORDED_PAGE,
	resumeUrl,
	waitTill,
} from '../../../shared/sendAndWait';
import type { PlatformTransport } from '../../../shared/transport';
import type { OperationDefinition } from '../../../shared/types';
import type { Button } from './content';
import { robotActionCard } from './content';
import { CUSTOM_ROBOT_LANE, msgUuidOf, msgUuidOption, robotPost } from './customRobot';
import { CUSTOM_ROBOT_ERRORS, ROBOT_GROUP_SEND_ERRORS, ROBOT_OTO_SEND_ERRORS } from './errors';
import {
	coolAppCodeOption,
	groupSendRequest,
	openConversationIdProperty,
	robotCodeProperty,
	sendToUsers,
	userIdsProperty,
} from './robotMessage';

/**
 * Send and Wait (as n8n's Slack and Telegram nodes do it): an action card whose buttons open this
 * execution's resume URL, signed where n8n signs them, and the execution waits for the click.
 *
 * How DingTalk opens a card's link: a plain URL opens in DingTalk's own browser, full screen on mobile
 * and in the side panel on the desktop client. `dingtalk://dingtalkclient/page/link?url=…&pc_slide=false`
 * opens the system browser on the desktop client; its effect on mobile is not documented. The plain URL
 * works on both, so it is the default; the resume page needs no login, so either browser records the answer.
 */
const linkOpeningOption: INodeProperties = {
	displayName: 'Open Buttons In',
	name: 'linkOpening',
	type: 'options',
	options: [
		{
			name: 'DingTalk (Desktop Side Panel, Mobile Full Screen)',
			value: 'dingTalk',
			description: 'A plain URL: works on desktop and mobile',
		},
		{
			name: 'System Browser on Desktop',
			value: 'browser',
			description:
				'As dingtalk://dingtalkclient/page/link?…&pc_slide=false; on mobile DingTalk opens it itself',
		},
	],
	default: 'dingTalk',
	description: "Where the buttons' page opens when clicked",
};

const messageProperties: INodeProperties[] = questionProperties(
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: 'Approval requested',
		description: "The card's title (also shown in the chat list, and the form page's title)",
	},
	'Markdown as in DingTalk action cards',
);

const DESCRIPTION =
	'Send an action card and pause the workflow until someone answers it: approve or decline, a text reply, or a form';

export const robotSendAndWait: OperationDefinition = {
	value: 'sendAndWait',
	name: 'Send and Wait for Response',
	action: 'Send a robot message and wait for response',
	lane: DINGTALK_RATE_LIMITS['robotMessage.sendAndWait'],
	description: DESCRIPTION,
	properties: [
		{
			displayName: 'Send To',
			name: 'sendTo',
			type: 'options',
			options: [
				{ name: 'Users (One-on-One)', value: 'users' },
				{ name: 'Group', value: 'group' },
			],
			default: 'users',
		},
		robotCodeProperty,
		{ ...userIdsProperty, displayOptions: { show: { sendTo: ['users'] } } },
		{ ...openConversationIdProperty, displayOptions: { show: { sendTo: ['group'] } } },
		...messageProperties,
	],
	extraOptions: [LIMIT_WAIT_TIME, ...FORM_OPTIONS, linkOpeningOption, coolAppCodeOption],
	errors: ROBOT_OTO_SEND_ERRORS,
	wait: async (ctx, transport) => await executeSendAndWait(ctx, transport, 'robot'),
};

export const customRobotSendAndWait: OperationDefinition = {
	value: 'sendAndWait',
	name: 'Send and Wait for Response',
	action: 'Send a custom robot message and wait for response',
	lane: CUSTOM_ROBOT_LANE,
	description: DESCRIPTION,
	properties: messageProperties,
	extraOptions: [LIMIT_WAIT_TIME, ...FORM_OPTIONS, linkOpeningOption, msgUuidOption],
	errors: CUSTOM_ROBOT_ERRORS,
	wait: async (ctx, transport) => await executeSendAndWait(ctx, transport, 'customRobot'),
};

function buttonsFor(ctx: IExecuteFunctions, p: ParamReader): Button[] {
	const browser =
		p.choice('options.linkOpening', ['dingTalk', 'browser'] as const, 'dingTalk') === 'browser';
	const link = (approved: boolean) => {
		const url = resumeUrl(ctx, approved);
		return browser
			? `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}&pc_slide=false`
			: url;
	};
	return answerButtons(p, link, (title, url) => ({ title, url }));
}

/** Sends the card for the first item and puts the execution to wait (one message per execution, as n8n's Slack node). */
async function executeSendAndWait(
	ctx: IExecuteFunctions,
	transport: PlatformTransport,
	via: 'robot' | 'customRobot',
): Promise<INodeExecutionData[][]> {
	const operation = via === 'robot' ? robotSendAndWait : customRobotSendAndWait;
	const p = ParamReader.forItem(ctx, 0, operation.properties);
	let until: Date;
	try {
		const title = p.optionalString('subject') ?? 'Approval requested';
		const text = p.requiredString('message');
		until = waitTill(p);
		checkForm(p);
		const buttons = buttonsFor(ctx, p);
		if (via === 'customRobot') {
			const step = stepFor(ctx, p, transport, {
				errors: CUSTOM_ROBOT_ERRORS,
				lane: CUSTOM_ROBOT_LANE,
			});
			const card = {
				title,
				text,
				btnOrientation: '1',
				btns: buttons.map((b) => ({ title: b.title, actionURL: b.url })),
			};
			await step.send(
				robotPost(
					{ msgtype: 'actionCard', actionCard: card },
					msgUuidOf(p, 'customRobot.sendAndWait'),
				),
			);
		} else {
			const template = robotActionCard(p, title, text, buttons, 'horizontal');
			const template2 = { msgKey: template.msgKey, msgParam: JSON.stringify(template.msgParam) };
			if (p.choice('sendTo', ['users', 'group'] as const, 'users') === 'users') {
				const userIds = [...new Set(p.stringList('userIds'))];
				if (userIds.length === 0) p.fail('userIds', 'is empty');
				// Paced in the lanes of the APIs it calls, shared with Send to Users / Send to Group.
				const step = stepFor(ctx, p, transport, {
					errors: ROBOT_OTO_SEND_ERRORS,
					lane: DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
				});
				const sent = await sendToUsers(
					step,
					userIds,
					template2,
					DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
				);
				if ((sent.sentUserIds as string[]).length === 0)
					p.fail(
						'userIds',
						`no user received the card: invalid user IDs ${JSON.stringify(sent.invalidStaffIdList)}, left out by DingTalk's flow control ${JSON.stringify(sent.flowControlledStaffIdList)}`,
					);
			} else {
				const step = stepFor(ctx, p, transport, {
					errors: ROBOT_GROUP_SEND_ERRORS,
					lane: DINGTALK_RATE_LIMITS['robotMessage.sendToGroup'],
				});
				await step.send(groupSendRequest(step, template2));
			}
		}
	} catch (error) {
		throw transport.scrub(
			error instanceof Error ? error : new NodeOperationError(ctx.getNode(), String(error)),
		);
	}
	await ctx.putExecutionToWait(until);
	return [ctx.getInputData()];
}

/**
 * The resume URL was opened: the execution continues with `{ data: { approved } }`, `{ data: { text } }`
 * or `{ data: { <label>: value, … } }` (each with `respondedAt`); a GET of a form's URL shows the form.
 */
export async function sendAndWaitWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const read = readResumeRequest(ctx);
	if ('respond' in read) return read.respond;
	return { webhookResponse: RECORDED_PAGE, workflowData: [[{ json: { data: read.answer } }]] };
}
