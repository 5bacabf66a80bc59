import { createHmac } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
	INodeProperties,
} from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import { nonJsonFailure } from '../../../shared/platform';
import { busyBackoff } from '../../../shared/retry';
import { PlatformTransport } from '../../../shared/transport';
import type { Outcome } from '../../../shared/platform';
import type { ApiContext, ApiRequest, OperationDefinition } from '../../../shared/types';
import { contentProperties, customRobotBody, messageTypeProperty } from './content';
import { CUSTOM_ROBOT_ERRORS } from './errors';

const CUSTOM_ROBOT_CREDENTIAL = 'dingTalkRobotApi';
const ROBOT_DOCS =
	'https://open.dingtalk.com/document/development/custom-robots-send-group-messages';
const PLATFORM = 'DingTalk custom robot';

/** The documented webhook form: https://oapi.dingtalk.com/robot/send?access_token=<token> (any host, for the international site and proxies). */
const WEBHOOK_PATTERN = /^https?:\/\/[^/\s?#]+\/robot\/send\?access_token=([A-Za-z0-9_-]+)$/;

/** {errcode, errmsg} with HTTP 200; errcode 0 is success. */
export function classifyCustomRobot(status: number, rawBody: unknown): Outcome {
	const body =
		rawBody !== null && typeof rawBody === 'object' && !Array.isArray(rawBody)
			? (rawBody as IDataObject)
			: undefined;
	if (!body || body.errcode === undefined) return nonJsonFailure(PLATFORM, status, rawBody);
	if (Number(body.errcode) === 0 && status >= 200 && status < 300)
		return { kind: 'ok', data: body };
	return {
		kind: 'failure',
		tokenInvalid: false,
		failure: {
			platform: PLATFORM,
			httpStatus: status,
			code: String(body.errcode),
			message: String(body.errmsg ?? ''),
		},
	};
}

/**
 * The documented signature: HmacSHA256 keyed with the secret over `timestamp + "\n" + secret`, base64.
 * It goes into the query with the timestamp (milliseconds); the query encoding URL-encodes it once.
 */
export function customRobotSign(secret: string, timestampMs: number): string {
	return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/**
 * One lane per robot (per webhook URL) at the documented 20 messages a minute, shared by every item and
 * execution in this process. Going over blocks the robot for 10 minutes, so a "too fast" answer is
 * reported, not retried, and a refused request keeps its place in the window.
 */
/**
 * A custom robot's one pacing lane: "每个机器人每分钟最多发送20条消息", per robot (the transport's lanes are
 * per credential, so per webhook), for Send and Send and Wait alike.
 */
export const CUSTOM_ROBOT_LANE = {
	key: 'customRobot.send',
	limit: { perMinute: 20, doc: ROBOT_DOCS },
};

export async function createCustomRobotTransport(ctx: ApiContext): Promise<PlatformTransport> {
	const credentials = await ctx.getCredentials(CUSTOM_ROBOT_CREDENTIAL);
	const url = String(credentials.webhookUrl ?? '').trim();
	const token = WEBHOOK_PATTERN.exec(url)?.[1] ?? '';
	const secret = String(credentials.signingSecret ?? '').trim();
	return new PlatformTransport(
		ctx,
		{
			platform: PLATFORM,
			credentialType: CUSTOM_ROBOT_CREDENTIAL,
			baseUrl: () => (WEBHOOK_PATTERN.test(url) ? url : 'invalid webhook URL'),
			classify: classifyCustomRobot,
			cacheKey: [url],
			secrets: [url, token, secret].filter((s) => s.length > 0),
			globalErrors: CUSTOM_ROBOT_ERRORS,
			defaultLimit: CUSTOM_ROBOT_LANE.limit,
			transientCodes: [],
			refusedCounts: true,
			strictLimits: true,
			decorateQuery: () => {
				if (!secret) return {};
				const timestamp = Date.now();
				return { timestamp: String(timestamp), sign: customRobotSign(secret, timestamp) };
			},
			// "-1 系统繁忙": retried with the same msgUuid. 410100 (too fast) is not: it would extend the block.
			rateLimitWait: (_status, body, _headers, _style, attempt) => {
				const code =
					body !== null && typeof body === 'object'
						? String((body as IDataObject).errcode)
						: undefined;
				return code === '-1' ? busyBackoff(attempt) : undefined;
			},
		},
		credentials,
	);
}

/** The node's credential test: the URL's documented form only; nothing is sent to the group. */
export async function testCustomRobot(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as ICredentialDataDecryptedObject;
	const url = String(data.webhookUrl ?? '').trim();
	if (!WEBHOOK_PATTERN.test(url)) {
		return {
			status: 'Error',
			message:
				"The Webhook URL must have the form https://oapi.dingtalk.com/robot/send?access_token=<token>; copy it from the robot's settings in the group.",
		};
	}
	const secret = String(data.signingSecret ?? '').trim();
	if (secret && !secret.startsWith('SEC'))
		return {
			status: 'Error',
			message:
				"The Signing Secret starts with SEC: copy it from the robot's security settings (加签).",
		};
	return {
		status: 'OK',
		message: 'The webhook URL has the documented form. Nothing was sent to the group.',
	};
}

export const msgUuidOption: INodeProperties = {
	displayName: 'Idempotency Key (msgUuid)',
	name: 'msgUuid',
	type: 'string',
	default: '',
	description:
		'DingTalk sends a message once per key, so a retry after a timeout never posts twice. Left empty, the node derives one from the execution, node and item.',
};

/**
 * The msgUuid of this item: the derived one, or the user's. A key the user typed in is the same for every
 * item, and DingTalk would drop items 2…N as repeats: with several items each gets its own, `key-index`.
 */
export function msgUuidOf(p: ParamReader, purpose: string, items = 1): string {
	const given = p.optionalString('options.msgUuid');
	if (given === undefined) return p.idempotencyKey(purpose);
	return items > 1 ? `${given}-${p.itemIndex}` : given;
}

/** A post of `body` with its msgUuid (retried with it after a lost answer). */
export function robotPost(body: Record<string, unknown>, msgUuid: string): ApiRequest {
	return {
		method: 'POST',
		path: '',
		style: 'legacy',
		body: { ...body, msgUuid },
		idempotencyKey: msgUuid,
	};
}

export const customRobotSend: OperationDefinition = {
	value: 'send',
	name: 'Send',
	action: 'Send a message with a custom robot',
	lane: CUSTOM_ROBOT_LANE,
	description: "Post a message to the custom robot's group (20 a minute per robot)",
	properties: [messageTypeProperty('customRobot'), ...contentProperties('customRobot')],
	extraOptions: [msgUuidOption],
	errors: CUSTOM_ROBOT_ERRORS,
	async run(step) {
		const body = customRobotBody(step.params);
		const msgUuid = msgUuidOf(step.params, 'customRobot.send', step.ctx.getInputData().length);
		await step.send(robotPost(body, msgUuid), CUSTOM_ROBOT_LANE);
		return [{ json: { sent: true, msgtype: String(body.msgtype), msgUuid } }];
	},
};
