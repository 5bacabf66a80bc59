import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { FEISHU_DOMAIN, FEISHU_USER_SCOPES } from './platformAuth';

/**
 * A Feishu / Lark user's own identity (user_access_token), through n8n's OAuth2 flow ("Connect my
 * account"). Facts and sources: docs/research/feishu-oauth2.md.
 * - The authorization page is on the accounts host, the token endpoint on the Open Platform host.
 * - Client ID and secret go in the body ("Send credentials in body"): the page documents them there and
 *   answers 20070 to a Basic header plus a body secret.
 * - `offline_access` is always asked for: without it Feishu issues no refresh token, and the connection
 *   ends with the first access token (about 2 hours).
 * - The user edits Scopes; the hidden `scope` is computed from it. n8n replaces a user-stored `scope` of a
 *   credential named "…OAuth2…" with its default, so the editable field has another name.
 */
export class FeishuOAuth2Api implements ICredentialType {
	name = 'feishuOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Feishu / Lark User OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/Feishu/feishu.svg',
		dark: 'file:../nodes/Feishu/feishu.dark.svg',
	};

	documentationUrl =
		'https://open.feishu.cn/document/authentication-management/access-token/obtain-oauth-code';

	properties: INodeProperties[] = [
		{
			displayName:
				'Use the App ID and App Secret of your custom app (自建应用) as Client ID and Client Secret. Register the OAuth Redirect URL above under Security Settings › Redirect URLs (安全设置 › 重定向 URL), and enable the scopes below, offline_access among them, under Permissions & Scopes (权限管理).',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		FEISHU_DOMAIN,
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://open.feishu.cn',
			description:
				'Host of the Open Platform APIs and the token endpoint, without a trailing slash',
			displayOptions: { show: { domain: ['custom'] } },
		},
		{
			displayName: 'Accounts URL',
			name: 'accountsUrl',
			type: 'string',
			default: '',
			placeholder: 'https://accounts.feishu.cn',
			description: 'Host of the authorization page, without a trailing slash',
			displayOptions: { show: { domain: ['custom'] } },
		},
		{
			displayName: 'Scopes',
			name: 'userScopes',
			type: 'string',
			default: FEISHU_USER_SCOPES.join(' '),
			description:
				'The permissions the user grants, separated by spaces. Each must be enabled for the app. offline_access is always added: it lets n8n renew the connection.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		// n8n 2.x adds PKCE (S256) to the authorization code flow with this; 1.x ignores it.
		{ displayName: 'Use PKCE', name: 'usePkce', type: 'hidden', default: true },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				'={{($self["domain"] === "custom" ? String($self["accountsUrl"] || "").replace(/\\/+$/, "") : ($self["domain"] === "lark" ? "https://accounts.larksuite.com" : "https://accounts.feishu.cn")) + "/open-apis/authen/v1/authorize"}}',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{($self["domain"] === "custom" ? String($self["baseUrl"] || "").replace(/\\/+$/, "") : ($self["domain"] === "lark" ? "https://open.larksuite.com" : "https://open.feishu.cn")) + "/open-apis/authen/v2/oauth/token"}}',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default:
				'={{("offline_access " + String($self["userScopes"] || "").replace(/(^|[\\s,]+)offline_access(?=[\\s,]|$)/g, " ")).trim().split(/[\\s,]+/).join(" ")}}',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];
}
