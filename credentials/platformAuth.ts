import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeProperties,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { IssuedToken } from '../nodes/shared/tokens';
import { TokenRequestError } from '../nodes/shared/tokens';

/**
 * Host selection and token requests for both platforms. Shared by the credential types
 * (preAuthentication, credential test) and the nodes' transports, so there is one way to get a token.
 */

interface HttpHelper {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

/**
 * What the token endpoints' documented refusals mean and what to do. The nodes' errors and the
 * credential test say the same sentence.
 */
export const TOKEN_ERROR_MEANINGS: Record<string, string> = {
	invalidClientIdOrSecret:
		'The Client ID (AppKey) or Client Secret (AppSecret) is wrong. Copy both from the app in the DingTalk developer console.',
	'10003':
		'The App ID or App Secret is wrong or missing. Copy both from the app in the Feishu / Lark developer console.',
	'10014':
		'The app is unavailable or disabled, or the App Secret is wrong. Check the app in the Feishu / Lark developer console.',
	'10015': 'The App Secret is wrong. Copy it from the app in the Feishu / Lark developer console.',
};

/** The token endpoint's refusal, with its documented meaning. */
const refused = (
	platform: string,
	code: string,
	message: string,
	status: number,
	transient: boolean,
) => new TokenRequestError(platform, code, message, status, transient, TOKEN_ERROR_MEANINGS[code]);

const trimSlash = (url: string) => url.trim().replace(/\/+$/, '');

const DINGTALK_REGIONS: Record<string, { baseUrl: string; legacyBaseUrl: string }> = {
	china: { baseUrl: 'https://api.dingtalk.com', legacyBaseUrl: 'https://oapi.dingtalk.com' },
	international: { baseUrl: 'https://api.dingtalk.io', legacyBaseUrl: 'https://oapi.dingtalk.io' },
};

const FEISHU_DOMAINS: Record<string, string> = {
	feishu: 'https://open.feishu.cn',
	lark: 'https://open.larksuite.com',
};

export function dingTalkHosts(credentials: ICredentialDataDecryptedObject): {
	baseUrl: string;
	legacyBaseUrl: string;
} {
	const region = String(credentials.region ?? 'china');
	if (region === 'custom') {
		return {
			baseUrl: trimSlash(String(credentials.baseUrl ?? '')),
			legacyBaseUrl: trimSlash(String(credentials.legacyBaseUrl ?? '')),
		};
	}
	return DINGTALK_REGIONS[region] ?? DINGTALK_REGIONS.china;
}

export function feishuBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const domain = String(credentials.domain ?? 'feishu');
	if (domain === 'custom') return trimSlash(String(credentials.baseUrl ?? ''));
	return FEISHU_DOMAINS[domain] ?? FEISHU_DOMAINS.feishu;
}

/** Feishu's web host for the domain (the approval file upload, 审批文件上传, is there, not on open.*). */
export function feishuWebUrl(credentials: ICredentialDataDecryptedObject): string {
	const domain = String(credentials.domain ?? 'feishu');
	if (domain === 'custom') return feishuBaseUrl(credentials);
	return domain === 'lark' ? 'https://www.larksuite.com' : 'https://www.feishu.cn';
}

/** Token endpoints: requests to these never carry a token themselves. */
export const DINGTALK_ISSUE_PATH = '/v1.0/oauth2/accessToken';
export const FEISHU_ISSUE_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

const asObject = (body: unknown): IDataObject =>
	body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};

/** What to say of an answer that has no message of its own: an excerpt of a page that is not JSON. */
function unexpected(body: unknown): string {
	if (typeof body !== 'string' || body.trim() === '')
		return 'unexpected answer from the token endpoint';
	const excerpt = body
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
	return `the token endpoint's answer was not JSON: ${excerpt}`;
}

/** A token answer that is no verdict on the key and secret: a server error, "too fast", or not JSON at all. */
const isTransient = (response: IN8nHttpFullResponse, code: unknown) =>
	response.statusCode >= 500 ||
	response.statusCode === 429 ||
	code === 99991400 ||
	response.body === null ||
	typeof response.body !== 'object';

/** POST {baseUrl}/v1.0/oauth2/accessToken with {appKey, appSecret}; answers {accessToken, expireIn}. */
export async function requestDingTalkToken(
	http: HttpHelper,
	credentials: ICredentialDataDecryptedObject,
	timeout?: number,
): Promise<IssuedToken> {
	const response = (await http.helpers.httpRequest({
		method: 'POST',
		url: dingTalkHosts(credentials).baseUrl + DINGTALK_ISSUE_PATH,
		body: {
			appKey: String(credentials.appKey ?? ''),
			appSecret: String(credentials.appSecret ?? ''),
		},
		json: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		timeout,
	})) as IN8nHttpFullResponse;
	const body = asObject(response.body);
	if (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		typeof body.accessToken === 'string'
	) {
		return { token: body.accessToken, expiresIn: Number(body.expireIn ?? 7200) };
	}
	throw refused(
		'DingTalk',
		String(body.code ?? `HTTP ${response.statusCode}`),
		String(body.message ?? unexpected(response.body)),
		response.statusCode,
		isTransient(response, body.code),
	);
}

/** POST {baseUrl}/open-apis/auth/v3/tenant_access_token/internal; answers {code, tenant_access_token, expire}. */
export async function requestFeishuToken(
	http: HttpHelper,
	credentials: ICredentialDataDecryptedObject,
	timeout?: number,
): Promise<IssuedToken> {
	const response = (await http.helpers.httpRequest({
		method: 'POST',
		url: feishuBaseUrl(credentials) + FEISHU_ISSUE_PATH,
		body: {
			app_id: String(credentials.appId ?? ''),
			app_secret: String(credentials.appSecret ?? ''),
		},
		json: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		timeout,
	})) as IN8nHttpFullResponse;
	const body = asObject(response.body);
	if (body.code === 0 && typeof body.tenant_access_token === 'string') {
		return { token: body.tenant_access_token, expiresIn: Number(body.expire ?? 7200) };
	}
	throw refused(
		'Feishu',
		String(body.code ?? `HTTP ${response.statusCode}`),
		String(body.msg ?? unexpected(response.body)),
		response.statusCode,
		isTransient(response, body.code),
	);
}

/**
 * A Feishu user's OAuth2 (feishuOAuth2Api): the scopes asked for by default, one per kind of operation the
 * node offers as the user (messages, chats, Bitable, user look-ups). offline_access is always added.
 */
export const FEISHU_USER_SCOPES = [
	'im:message',
	'im:message.send_as_user',
	'im:chat',
	'bitable:app',
	'contact:contact.base:readonly',
];

const RECONNECT = 'Reconnect the credential in n8n (open it and click Connect my account).';

/**
 * The documented codes of the user token endpoint (obtain and refresh user_access_token), with what they
 * mean and what to do. A refresh fails with one of these; the code exchange's own failures show on n8n's
 * callback page.
 */
export const USER_TOKEN_ERROR_MEANINGS: Record<string, string> = {
	'20001': 'The token request is missing a required parameter.',
	'20002': `The Client Secret (App Secret) is wrong. Correct it in the credential, then ${RECONNECT.toLowerCase()}`,
	'20003': `The authorization code was not found (a code works once). ${RECONNECT}`,
	'20004': `The authorization code expired (it lasts 5 minutes). ${RECONNECT}`,
	'20008': `The user no longer exists. ${RECONNECT}`,
	'20009': 'The app is not installed in the user’s tenant.',
	'20010': 'The user may not use this app: check its availability range in the developer console.',
	'20024': `The refresh token belongs to another app (Client ID). ${RECONNECT}`,
	'20026': `The refresh token is invalid. ${RECONNECT}`,
	'20036': 'The token endpoint does not support this grant type.',
	'20037': `The connection expired: the refresh token outlived its lifetime (about 7 days unused, and at most 365 days after the user agreed). ${RECONNECT}`,
	'20048': 'The app (Client ID) does not exist.',
	'20049': `The PKCE check failed. ${RECONNECT}`,
	'20050': 'Feishu had an internal error while refreshing the token. Retry.',
	'20063': 'The token request is malformed.',
	'20064': `The refresh token was revoked (the user withdrew the authorization, or it was already used). ${RECONNECT}`,
	'20065': `The authorization code was already used. ${RECONNECT}`,
	'20066': 'The user’s status is invalid (for example, the account is suspended or has left).',
	'20067': 'The scope list has duplicates.',
	'20068': `A scope asked for is not among those the user granted. ${RECONNECT}`,
	'20069': 'The app is not enabled.',
	'20070':
		'Both an HTTP Basic header and a client secret in the body were sent: the credential must send them in the body only.',
	'20071': `The redirect URL does not match the one used to authorize. ${RECONNECT}`,
	'20072': 'The token endpoint is temporarily unavailable. Retry.',
	'20073': `The refresh token was already used (each one works once) and no newer one was saved. ${RECONNECT}`,
	'20074':
		'The app may not refresh user tokens: turn on "Refresh user_access_token" (刷新 user_access_token) under Security Settings in the developer console and publish a version.',
	'20027':
		'The app has not enabled a scope the credential asks for: enable it under Permissions & Scopes, or remove it from the credential’s Scopes.',
	'20029':
		'The redirect URL is not registered: add n8n’s OAuth Redirect URL under Security Settings › Redirect URLs.',
};

/** The Domain choice of both Feishu credentials (the host of the APIs; feishuBaseUrl reads it). */
export const FEISHU_DOMAIN: INodeProperties = {
	displayName: 'Domain',
	name: 'domain',
	type: 'options',
	options: [
		{ name: 'Feishu (open.feishu.cn)', value: 'feishu' },
		{ name: 'Lark (open.larksuite.com)', value: 'lark' },
		{ name: 'Custom Host', value: 'custom' },
	],
	default: 'feishu',
	description: 'Feishu for tenants in China, Lark for international tenants',
};
