import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DINGTALK_ISSUE_PATH, requestDingTalkToken, TOKEN_ERROR_MEANINGS } from './platformAuth';
import { credentialFields } from '../nodes/shared/tokens';

/** New-style APIs live under /v1.0/, /v2.0/ …; everything else is the legacy oapi style. */
const NEW_STYLE_PATH = /^\/v\d+\.\d+\//;

function pathOf(options: IHttpRequestOptions): string {
	const url = options.url ?? '';
	try {
		return new URL(url, options.baseURL ?? 'http://placeholder').pathname;
	} catch {
		return url;
	}
}

export class DingTalkApi implements ICredentialType {
	name = 'dingTalkApi';

	displayName = 'DingTalk API';

	icon: Icon = {
		light: 'file:../nodes/DingTalk/dingtalk.svg',
		dark: 'file:../nodes/DingTalk/dingtalk.dark.svg',
	};

	documentationUrl =
		'https://open.dingtalk.com/document/orgapp/obtain-the-access_token-of-an-internal-app';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID (AppKey)',
			name: 'appKey',
			type: 'string',
			required: true,
			default: '',
			description:
				'The Client ID of your DingTalk app (钉钉应用), shown under Credentials & Basic Info in the DingTalk developer console',
		},
		{
			displayName: 'Client Secret (AppSecret)',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The Client Secret of the same app',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'China (api.dingtalk.com)', value: 'china' },
				{ name: 'International (api.dingtalk.io)', value: 'international' },
				{ name: 'Custom Host', value: 'custom' },
			],
			default: 'china',
			description: 'Which DingTalk hosts to call',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.dingtalk.com',
			description: 'Host of the new-style APIs (/v1.0/…), without a trailing slash',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Legacy Base URL',
			name: 'legacyBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://oapi.dingtalk.com',
			description: 'Host of the legacy oapi APIs (/topapi/…), without a trailing slash',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'AgentId',
			name: 'agentId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1234567890',
			description:
				"Only for Work Notification (工作通知): the app's AgentId, shown under Credentials & Basic Info in the DingTalk developer console. Other resources do not use it.",
		},
		{
			displayName: 'Callback Token',
			name: 'callbackToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only for the DingTalk Trigger with HTTP callbacks: the Token (签名 Token) on the app's Event Subscription (事件订阅) page, HTTP push mode",
		},
		{
			displayName: 'Callback AES Key',
			name: 'callbackAesKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the DingTalk Trigger with HTTP callbacks: the aes_key (加密 aes_key, 43 characters) on the same page. Events arrive encrypted with it.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		// When the stored token is due for refresh and when it expires (ms since the epoch), saved with it.
		{ displayName: 'Renew At', name: 'renewAt', type: 'hidden', default: '' },
		{ displayName: 'Expires At', name: 'expiresAt', type: 'hidden', default: '' },
	];

	/** Gets an access token from the app key and secret (n8n calls this when the stored token is empty or rejected). */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return credentialFields(await requestDingTalkToken(this, credentials));
	}

	/** New-style APIs take the token in the x-acs-dingtalk-access-token header; legacy APIs in the access_token query parameter. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const path = pathOf(requestOptions);
		if (path === DINGTALK_ISSUE_PATH) return requestOptions;
		const token = String(credentials.accessToken ?? '');
		if (NEW_STYLE_PATH.test(path)) {
			requestOptions.headers = { ...requestOptions.headers, 'x-acs-dingtalk-access-token': token };
		} else {
			requestOptions.qs = { ...requestOptions.qs, access_token: token };
		}
		return requestOptions;
	}

	/** Exchanging the key and secret for a token is the test: DingTalk answers 400 invalidClientIdOrSecret when either is wrong. */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL:
				'={{$credentials.region === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.region === "international" ? "https://api.dingtalk.io" : "https://api.dingtalk.com")}}',
			url: DINGTALK_ISSUE_PATH,
			body: { appKey: '={{$credentials.appKey}}', appSecret: '={{$credentials.appSecret}}' },
		},
		// preAuthentication runs first and fails a refused secret with the same sentence; this rule reads an
		// answer that reaches the test request itself (the endpoint's documented refusal is HTTP 400).
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: `DingTalk error invalidClientIdOrSecret · ${TOKEN_ERROR_MEANINGS.invalidClientIdOrSecret}`,
				},
			},
		],
	};
}
