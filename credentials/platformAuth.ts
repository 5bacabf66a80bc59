import type {
	ICredentialDataDecryptedObject,
	IDataObject,
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
