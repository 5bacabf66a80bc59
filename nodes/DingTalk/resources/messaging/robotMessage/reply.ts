import { DINGTALK_DEFAULT_LIMIT, DINGTALK_RATE_LIMITS } from '../../../transport';
import { PlatformTransport } from '../../../../shared/transport';
import type { OperationDefinition, OperationStep } from '../../../../shared/types';
import { contentProperties, customRobotBody } from '../content';
import { classifyCustomRobot } from '../customRobot';
import { CUSTOM_ROBOT_ERRORS } from '../errors';

const SESSION_WEBHOOK = /^https?:\/\/[^/\s?#]+\/robot\/sendBySession\?session=[^&\s#]+$/;

/** One tokenless transport per session webhook in this run: the URL is the whole authorisation, and a secret. */
const sessionTransports = new WeakMap<object, Map<string, PlatformTransport>>();
function sessionTransport(step: OperationStep, url: string): PlatformTransport {
	let byUrl = sessionTransports.get(step.ctx);
	if (!byUrl) {
		byUrl = new Map();
		sessionTransports.set(step.ctx, byUrl);
	}
	let transport = byUrl.get(url);
	if (!transport) {
		transport = new PlatformTransport(
			step.ctx,
			{
				platform: 'DingTalk session webhook',
				credentialType: 'dingTalkApi',
				baseUrl: () => url,
				classify: classifyCustomRobot,
				cacheKey: ['sessionWebhook', url],
				secrets: [url, new URL(url).searchParams.get('session') ?? url],
				globalErrors: CUSTOM_ROBOT_ERRORS,
				// No page states a limit for session webhooks: DingTalk's 20 calls a second per API.
				defaultLimit: DINGTALK_DEFAULT_LIMIT,
				transientCodes: [],
				rateLimitWait: () => undefined,
			},
			{},
		);
		byUrl.set(url, transport);
	}
	return transport;
}

/** A session webhook answers like a custom robot; an unknown token there means the session is gone. */
const SESSION_ERRORS = {
	...CUSTOM_ROBOT_ERRORS,
	'400101':
		'The session webhook is unknown: it has expired (about 90 minutes after the message) or is not a session of this robot. Reply with Send to Users or Send to Group instead.',
};

export const reply: OperationDefinition = {
	value: 'reply',
	name: 'Reply',
	action: 'Reply to a robot message',
	lane: DINGTALK_RATE_LIMITS['robotMessage.reply'],
	description:
		'Answer a message the DingTalk Trigger received, through its session webhook (about 90 minutes after the message)',
	properties: [
		{
			displayName: 'Session Webhook',
			name: 'sessionWebhook',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '={{ $json.sessionWebhook }}',
			description:
				"The received message's sessionWebhook, from the DingTalk Trigger's output. It lets anyone answer in that conversation, so it is kept out of errors.",
		},
		{
			displayName: 'Session Webhook Expires At',
			name: 'sessionWebhookExpiredTime',
			type: 'string',
			default: '={{ $json.sessionWebhookExpiredTime }}',
			description:
				'The sessionWebhookExpiredTime of the message (milliseconds): an expired webhook is reported before sending. Empty: not checked.',
		},
		{
			displayName: 'Message Type',
			name: 'messageType',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'Markdown', value: 'markdown' },
				{ name: 'Action Card', value: 'actionCard' },
			],
			default: 'text',
			description: 'The kind of reply (msgtype)',
		},
		...contentProperties('customRobot').filter((p) =>
			['title', 'text', 'buttons', 'buttonOrientation'].includes(p.name),
		),
		{
			displayName: 'Mention the Sender',
			name: 'mentionSender',
			type: 'boolean',
			default: true,
			description: 'Whether to @-mention the person who wrote (in groups; at.atUserIds)',
		},
		{
			displayName: 'Sender Staff ID',
			name: 'senderStaffId',
			type: 'string',
			default: '={{ $json.senderStaffId }}',
			displayOptions: { show: { mentionSender: [true] } },
			description: "The sender's user ID (senderStaffId in the trigger's output)",
		},
	],
	errors: SESSION_ERRORS,
	async run(step) {
		const p = step.params;
		const url = p.requiredString('sessionWebhook');
		if (!SESSION_WEBHOOK.test(url))
			p.fail(
				'sessionWebhook',
				"is not a DingTalk session webhook (https://oapi.dingtalk.com/robot/sendBySession?session=…): map the trigger's sessionWebhook",
			);
		const expires = p.optionalString('sessionWebhookExpiredTime');
		if (expires !== undefined) {
			if (!/^\d+$/.test(expires))
				p.fail('sessionWebhookExpiredTime', `must be a time in milliseconds, got "${expires}"`);
			if (Number(expires) <= Date.now()) {
				p.fail(
					'sessionWebhook',
					`the session webhook expired at ${new Date(Number(expires)).toISOString()} (DingTalk keeps it about 90 minutes after the message). Reply with Send to Users or Send to Group instead`,
				);
			}
		}
		const type = p.choice('messageType', ['text', 'markdown', 'actionCard'] as const, 'text');
		const staffId = p.boolean('mentionSender', true)
			? p.optionalString('senderStaffId')
			: undefined;
		const body = customRobotBody(p, { userIds: staffId ? [staffId] : [] });
		if (!['text', 'markdown', 'actionCard'].includes(String(body.msgtype)))
			p.fail('messageType', `must be text, markdown or actionCard, got ${type}`);
		const transport = sessionTransport(step, url);
		try {
			await transport.send({ method: 'POST', path: '', style: 'legacy', body }, step.itemIndex, {
				errors: SESSION_ERRORS,
				lane: DINGTALK_RATE_LIMITS['robotMessage.reply'],
			});
		} catch (error) {
			throw transport.scrub(error as Error);
		}
		return [{ json: { replied: true, msgtype: type, ...(staffId ? { mentioned: staffId } : {}) } }];
	},
};
