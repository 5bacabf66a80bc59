import { createHmac } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ParamReader } from '../../shared/params';
import { nonJsonFailure } from '../../shared/platform';
import { busyBackoff } from '../../shared/retry';
import { stepFor } from '../../shared/runner';
import {
	answerButtons,
	checkForm,
	FORM_OPTIONS,
	LIMIT_WAIT_TIME,
	questionProperties,
	resumeUrl,
	waitTill,
} from '../../shared/sendAndWait';
import { PlatformTransport } from '../../shared/transport';
import type { Outcome } from '../../shared/platform';
import type {
	ApiContext,
	ErrorMeanings,
	OperationDefinition,
	ResourceDefinition,
} from '../../shared/types';
import {
	buildCard,
	cardProperties,
	contentObject,
	contentProperties,
	messageTypeProperty,
} from './message/content';

const CUSTOM_BOT_CREDENTIAL = 'feishuCustomBotApi';
const BOT_DOCS = 'https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot';

/** The documented webhook form: https://<host>/open-apis/bot/v2/hook/<token>. */
const WEBHOOK_PATTERN = /^https?:\/\/[^/\s?#]+\/open-apis\/bot\/v2\/hook\/([A-Za-z0-9-]+)$/;

/** The custom bot's documented answers (add-custom-bot guide, generic error codes). */
const CUSTOM_BOT_ERRORS: ErrorMeanings = {
	'9499': 'The request is malformed (Bad Request): check the message content.',
	'11232':
		'Too many messages: the custom bot allows 100 a minute and 5 a second (and avoid sending exactly on the hour or half hour).',
	'19001': 'The webhook URL is invalid: the bot may have been removed from the group.',
	'19002': 'The body has a wrong format or no msg_type.',
	'19021':
		"The signature does not match, or the timestamp is more than an hour from Feishu's time: check the Signing Secret and the server clock.",
	'19022': "This server's IP address is not in the bot's IP allow-list.",
	'19024':
		"The message does not contain any of the bot's keywords (set under the bot's security settings).",
	'19036': 'The message is over the size limit.',
};

/** Webhook answers: {code, msg, data}, with the legacy StatusCode / StatusMessage beside them. */
function classifyCustomBot(status: number, rawBody: unknown): Outcome {
	const body =
		rawBody !== null && typeof rawBody === 'object' && !Array.isArray(rawBody)
			? (rawBody as IDataObject)
			: undefined;
	const code =
		typeof body?.code === 'number'
			? body.code
			: typeof body?.StatusCode === 'number'
				? body.StatusCode
				: undefined;
	if (!body || code === undefined) return nonJsonFailure('Feishu custom bot', status, rawBody);
	if (code === 0 && status >= 200 && status < 300)
		return { kind: 'ok', data: (body.data as IDataObject) ?? {} };
	return {
		kind: 'failure',
		tokenInvalid: false,
		failure: {
			platform: 'Feishu custom bot',
			httpStatus: status,
			code: String(code),
			message: String(body.msg ?? body.StatusMessage ?? ''),
		},
	};
}

/** A custom bot's one pacing lane: "100 次/分钟，5 次/秒" per bot (the transport's lanes are per credential, so per webhook). */
const CUSTOM_BOT_LANE = {
	key: 'customBot.send',
	limit: { perMinute: 100, perSecond: 5, doc: BOT_DOCS },
};

export async function createCustomBotTransport(ctx: ApiContext): Promise<PlatformTransport> {
	const credentials = await ctx.getCredentials(CUSTOM_BOT_CREDENTIAL);
	const url = String(credentials.webhookUrl ?? '').trim();
	const token = WEBHOOK_PATTERN.exec(url)?.[1] ?? '';
	return new PlatformTransport(
		ctx,
		{
			platform: 'Feishu custom bot',
			credentialType: CUSTOM_BOT_CREDENTIAL,
			// The whole webhook URL; requests have an empty path.
			baseUrl: () => (WEBHOOK_PATTERN.test(url) ? url : 'invalid webhook URL'),
			classify: classifyCustomBot,
			cacheKey: [url],
			secrets: [url, token, String(credentials.signingSecret ?? '')].filter((s) => s.length > 0),
			globalErrors: CUSTOM_BOT_ERRORS,
			// "100 次/分钟，5 次/秒" per bot: the lane is per credential, so per webhook.
			defaultLimit: CUSTOM_BOT_LANE.limit,
			transientCodes: [],
			// With a signing secret, every post carries timestamp (seconds) and sign, made when it is sent.
			decorateBody: (body) => {
				const secret = String(credentials.signingSecret ?? '');
				if (!secret) return body;
				const timestamp = Math.floor(Date.now() / 1000);
				return { ...body, timestamp: String(timestamp), sign: customBotSign(secret, timestamp) };
			},
			rateLimitWait: (status, body, _headers, _style, attempt) => {
				const code =
					body !== null && typeof body === 'object' ? (body as IDataObject).code : undefined;
				return status === 429 || code === 11232 || code === 99991400
					? busyBackoff(attempt)
					: undefined;
			},
		},
		credentials,
	);
}

/**
 * The documented signature: HMAC-SHA256 keyed with `timestamp + "\n" + secret` over an empty message,
 * base64; the timestamp in seconds.
 */
export function customBotSign(secret: string, timestampSeconds: number): string {
	return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The node's credential test: the URL's documented form only; nothing is sent to the group. */
export async function testCustomBot(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as ICredentialDataDecryptedObject;
	const url = String(data.webhookUrl ?? '').trim();
	if (!WEBHOOK_PATTERN.test(url)) {
		return {
			status: 'Error',
			message:
				"The Webhook URL must have the form https://open.feishu.cn/open-apis/bot/v2/hook/<token> (or the same on open.larksuite.com); copy it from the bot's settings in the group.",
		};
	}
	return {
		status: 'OK',
		message: 'The webhook URL has the documented form. Nothing was sent to the group.',
	};
}

const BOT_TYPES = ['text', 'post', 'image', 'share_chat', 'interactive'] as const;

/** The custom bot's body shapes: `content` is an object here; cards go in `card`; a shared chat is share_chat_id. */
const send: OperationDefinition = {
	value: 'send',
	name: 'Send',
	action: 'Send a message with a custom bot',
	lane: CUSTOM_BOT_LANE,
	description: "Post a message to the custom bot's group (100 a minute, 5 a second per bot)",
	properties: [
		messageTypeProperty(BOT_TYPES),
		...contentProperties(['text', 'post', 'share_chat']),
		{
			displayName: 'Image Key',
			name: 'imageKey',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'img_v2_…',
			displayOptions: { show: { messageType: ['image'] } },
			description:
				'An image_key uploaded by an app (Image › Upload with the app credential); custom bots cannot upload',
		},
		...cardProperties({ show: { messageType: ['interactive'] } }),
	],
	errors: CUSTOM_BOT_ERRORS,
	async run(step) {
		const p = step.params;
		const type = p.choice('messageType', BOT_TYPES, 'text');
		const body: Record<string, unknown> = { msg_type: type };
		if (type === 'interactive') {
			body.card = buildCard(p);
		} else if (type === 'image') {
			body.content = { image_key: p.requiredString('imageKey') };
		} else if (type === 'share_chat') {
			body.content = { share_chat_id: p.requiredString('shareChatId') };
		} else if (type === 'post') {
			// The custom bot's post knows the text, a, at and img tags (no md).
			body.content = { post: contentObject(p, 'post', {}, 'text') };
		} else {
			body.content = contentObject(p, 'text');
		}
		// "请求体大小不能超过 20 KB" for custom bots.
		const size = Buffer.byteLength(JSON.stringify(body), 'utf8');
		if (size > 20 * 1024)
			p.fail(
				type === 'interactive' ? 'card' : type === 'post' ? 'postText' : 'text',
				`the request body is ${(size / 1024).toFixed(1)} KB; a custom bot accepts at most 20 KB`,
			);
		const response = await step.send({ method: 'POST', path: '', body }, CUSTOM_BOT_LANE);
		return [{ json: { sent: true, msg_type: type, ...response } }];
	},
};

/**
 * Send and Wait with a custom bot: a card whose buttons open this execution's signed resume URL, as the
 * app's Message › Send and Wait does, so teams without an app get it too. A custom bot gets no message ID
 * back, so the card cannot be updated after the answer. The card is in card JSON 1.0 (`elements`, a
 * button's `url`), the form the custom bot guide documents.
 */
const sendAndWait: OperationDefinition = {
	value: 'sendAndWait',
	name: 'Send and Wait for Response',
	action: 'Send a custom bot card and wait for response',
	lane: CUSTOM_BOT_LANE,
	description:
		"Post a card to the custom bot's group and pause the workflow until someone answers it: approve or decline, a text reply, or a form",
	properties: questionProperties(
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			description: "The card's title (optional; also the form page's title)",
		},
		'Markdown is shown as in Feishu cards',
	),
	extraOptions: [LIMIT_WAIT_TIME, ...FORM_OPTIONS],
	errors: CUSTOM_BOT_ERRORS,
	wait: async (ctx, transport) => await customBotSendAndWait(ctx, transport),
};

const urlButton = (label: string, url: string, type: 'primary' | 'danger'): IDataObject => ({
	tag: 'button',
	text: { tag: 'plain_text', content: label },
	type,
	url,
});

async function customBotSendAndWait(
	ctx: IExecuteFunctions,
	transport: PlatformTransport,
): Promise<INodeExecutionData[][]> {
	const p = ParamReader.forItem(ctx, 0, sendAndWait.properties);
	let until: Date;
	try {
		const subject = p.optionalString('subject');
		const message = p.requiredString('message');
		until = waitTill(p);
		checkForm(p);
		const buttons = answerButtons(p, (approved) => resumeUrl(ctx, approved), urlButton);
		const card: IDataObject = {
			config: { wide_screen_mode: true },
			...(subject
				? { header: { title: { tag: 'plain_text', content: subject }, template: 'blue' } }
				: {}),
			elements: [
				{ tag: 'markdown', content: message },
				{ tag: 'action', actions: buttons },
			],
		};
		const body = { msg_type: 'interactive', card };
		const size = Buffer.byteLength(JSON.stringify(body), 'utf8');
		if (size > 20 * 1024)
			p.fail(
				'message',
				`the request body is ${(size / 1024).toFixed(1)} KB; a custom bot accepts at most 20 KB`,
			);
		const step = stepFor(ctx, p, transport, { errors: CUSTOM_BOT_ERRORS, lane: CUSTOM_BOT_LANE });
		await step.send({ method: 'POST', path: '', body }, CUSTOM_BOT_LANE);
	} catch (error) {
		throw transport.scrub(
			error instanceof Error ? error : new NodeOperationError(ctx.getNode(), String(error)),
		);
	}
	await ctx.putExecutionToWait(until);
	return [ctx.getInputData()];
}

export const customBot: ResourceDefinition = {
	value: 'customBot',
	name: 'Custom Bot',
	description: "A group's custom bot (自定义机器人), by its webhook URL",
	operations: [send, sendAndWait],
	defaultOperation: 'send',
};
