import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	FEISHU_DOMAIN,
	FEISHU_ISSUE_PATH,
	requestFeishuToken,
	TOKEN_ERROR_MEANINGS,
} from './platformAuth';
import { credentialFields } from '../nodes/shared/tokens';

export class FeishuApi implements ICredentialType {
	name = 'feishuApi';

	displayName = 'Feishu / Lark API';

	icon: Icon = {
		light: 'file:../nodes/Feishu/feishu.svg',
		dark: 'file:../nodes/Feishu/feishu.dark.svg',
	};

	documentationUrl =
		'https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal';

	properties: INodeProperties[] = [
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'cli_a1b2c3d4e5f6',
			description:
				'The App ID of your custom app (自建应用), shown under Credentials & Basic Info in the Feishu / Lark developer console',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The App Secret of the same app',
		},
		FEISHU_DOMAIN,
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://open.feishu.cn',
			description: 'Host of the Open Platform APIs, without a trailing slash',
			displayOptions: { show: { domain: ['custom'] } },
		},
		{
			displayName: 'Encrypt Key',
			name: 'encryptKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only for the Feishu Trigger in webhook mode: the Encrypt Key on the app's Events & Callbacks › Encryption Strategy page. With it, events arrive encrypted and signed, and the trigger checks every signature.",
		},
		{
			displayName: 'Verification Token',
			name: 'verificationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Feishu Trigger in webhook mode: the Verification Token on the same page. Without an Encrypt Key, the trigger accepts only events that carry this token.',
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

	/** Gets a tenant_access_token for the app (n8n calls this when the stored token is empty or rejected). */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return credentialFields(await requestFeishuToken(this, credentials));
	}

	/** Every API but the token endpoint takes Authorization: Bearer <tenant_access_token>. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if ((requestOptions.url ?? '').includes(FEISHU_ISSUE_PATH)) return requestOptions;
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
		};
		return requestOptions;
	}

	/** Feishu answers a wrong secret with a non-zero code; preAuthentication checks the body and fails the test. */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL:
				'={{$credentials.domain === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.domain === "lark" ? "https://open.larksuite.com" : "https://open.feishu.cn")}}',
			url: FEISHU_ISSUE_PATH,
			body: { app_id: '={{$credentials.appId}}', app_secret: '={{$credentials.appSecret}}' },
		},
		// preAuthentication runs first and fails a refused secret with the same sentence; these rules read an
		// answer that reaches the test request itself.
		rules: (['10003', '10014', '10015'] as const).map((code) => ({
			type: 'responseSuccessBody' as const,
			properties: {
				key: 'code',
				value: Number(code),
				message: `Feishu error ${code} · ${TOKEN_ERROR_MEANINGS[code]}`,
			},
		})),
	};
}
