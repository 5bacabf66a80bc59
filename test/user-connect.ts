/**
 * Connecting the Feishu user credential (feishuOAuth2Api) as n8n's callback connects it: the authorization
 * page, then n8n's own OAuth2 client exchanging the code with the credential's fields.
 */
import { ClientOAuth2 } from '@n8n/client-oauth2';
import type { IDataObject } from 'n8n-workflow';

import { APPS } from './fake-api/server';
import type { Bench } from './harness';

export const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
export const USER = 'feishuUser';
export const SCOPES = [
	'offline_access',
	'im:message',
	'im:message.send_as_user',
	'im:chat',
	'bitable:app',
	'contact:user.base:readonly',
];

/** The credential as the user fills it in (n8n computes the hidden URLs and scope from it). */
export function credentialFields(url: string): IDataObject {
	return {
		clientId: APPS.feishu.appId,
		clientSecret: APPS.feishu.appSecret,
		domain: 'custom',
		baseUrl: url,
		accountsUrl: url,
		userScopes: SCOPES.filter((s) => s !== 'offline_access').join(' '),
	};
}

/**
 * "Connect my account": the browser visits the authorization page the credential names, the fake sends it
 * back with a code, and n8n's client exchanges it with the credential's settings ("Send credentials in
 * body"); n8n saves the whole token answer as oauthTokenData.
 */
export async function connect(
	bench: Bench,
	url: string,
	options: { scopes?: string[]; id?: string } = {},
): Promise<IDataObject> {
	const fields = credentialFields(url);
	const scopes = options.scopes ?? SCOPES;
	const client = new ClientOAuth2({
		clientId: String(fields.clientId),
		accessTokenUri: `${url}/open-apis/authen/v2/oauth/token`,
		authorizationUri: `${url}/open-apis/authen/v1/authorize`,
		redirectUri: REDIRECT,
		scopes,
		scopesSeparator: ' ',
		state: 'state-1',
	});
	const page = await fetch(client.code.getUri(), { redirect: 'manual' });
	const location = page.headers.get('location');
	if (!location) throw new Error(`the authorization page did not redirect: ${await page.text()}`);
	const token = await client.code.getToken(location, {
		body: { client_id: APPS.feishu.appId, client_secret: APPS.feishu.appSecret },
	});
	const data = { ...fields, oauthTokenData: token.data as IDataObject };
	bench.store.set(options.id ?? USER, 'feishuOAuth2Api', data as never);
	return token.data as IDataObject;
}
