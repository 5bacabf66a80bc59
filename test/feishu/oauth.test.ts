/**
 * The fake's Feishu / Lark user OAuth2 (test/fake-api/feishu-oauth.ts), driven by n8n's own OAuth2 client
 * (@n8n/client-oauth2, what n8n's credential callback and n8n-core's refresh use) and by plain JSON
 * requests as the pages document them: the authorization page, codes valid once and for 5 minutes, PKCE,
 * rotating refresh tokens, the documented token-endpoint codes, and user tokens on OpenAPI routes.
 * The user OAuth2 credential of issue 22 is built on this; these tests pin the platform it will meet.
 */
import { createHash, randomBytes } from 'crypto';

import { ClientOAuth2, type ClientOAuth2Token } from '@n8n/client-oauth2';

import { APPS, FakeApi } from '../fake-api/server';

let fake: FakeApi;
const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
const SCOPES = ['offline_access', 'im:message', 'contact:user.base:readonly'];

beforeEach(async () => {
	fake = await new FakeApi().start();
	fake.oauth.redirectUris.add(REDIRECT);
});
afterEach(async () => await fake.stop());

/** n8n's client as its credential controller sets it up for "Send credentials in body". */
function n8nClient(scopes = SCOPES, state = 'n8n-state-1') {
	return new ClientOAuth2({
		clientId: APPS.feishu.appId,
		accessTokenUri: `${fake.url}/open-apis/authen/v2/oauth/token`,
		authorizationUri: `${fake.url}/open-apis/authen/v1/authorize`,
		redirectUri: REDIRECT,
		scopes,
		scopesSeparator: ' ',
		state,
	});
}
const BODY_AUTH = { client_id: APPS.feishu.appId, client_secret: APPS.feishu.appSecret };

/** The browser's visit to the authorization page: where it is sent back to, or the page it shows. */
async function visit(url: string): Promise<{ location?: URL; page?: string }> {
	const response = await fetch(url, { redirect: 'manual' });
	const location = response.headers.get('location');
	if (response.status === 302 && location) return { location: new URL(location) };
	return { page: await response.text() };
}

async function connect(scopes = SCOPES): Promise<ClientOAuth2Token> {
	const client = n8nClient(scopes);
	const { location } = await visit(client.code.getUri());
	return await client.code.getToken(location!.toString(), { body: BODY_AUTH });
}

async function tokenJson(body: Record<string, string>) {
	const response = await fetch(`${fake.url}/open-apis/authen/v2/oauth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json; charset=utf-8' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function asUser(token: string, method: string, path: string, body?: unknown) {
	const response = await fetch(`${fake.url}${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return {
		status: response.status,
		json: (await response.json()) as {
			code: number;
			msg: string;
			error?: { permission_violations?: Array<{ subject: string }> };
		},
	};
}

/** A text message to ou_2, sent as the token's user. */
async function sendAsUser(token: string) {
	return await asUser(token, 'POST', '/open-apis/im/v1/messages?receive_id_type=open_id', {
		receive_id: 'ou_2',
		msg_type: 'text',
		content: JSON.stringify({ text: 'hi' }),
	});
}

describe('Feishu user OAuth2 in the fake', () => {
	it("n8n's client connects (form body, client credentials in it) and each refresh rotates the refresh token", async () => {
		const first = await connect();
		expect(first.accessToken).toMatch(/^u-/);
		expect(first.refreshToken).toBeTruthy();
		expect(first.data).toMatchObject({ code: 0, token_type: 'Bearer', scope: SCOPES.join(' ') });
		expect(first.data.expires_in).toBeGreaterThan(0);
		expect(first.data.refresh_token_expires_in).toBeGreaterThan(0);
		const exchange = fake.requests.find((r) => r.key === 'feishu.oauth.token')!;
		expect(exchange.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(exchange.headers.authorization).toBeUndefined();

		const second = await first.refresh({
			clientId: APPS.feishu.appId,
			clientSecret: APPS.feishu.appSecret,
			accessTokenUri: `${fake.url}/open-apis/authen/v2/oauth/token`,
			authentication: 'body',
		});
		expect(second.refreshToken).not.toBe(first.refreshToken);
		expect(fake.oauth.liveRefreshTokens()).toEqual([second.refreshToken]);
		// The old access token lives out its time; the old refresh token is dead at once.
		expect(
			(await asUser(first.accessToken, 'GET', '/open-apis/contact/v3/users/ou_1')).json.code,
		).toBe(0);
		const again = await tokenJson({
			grant_type: 'refresh_token',
			...BODY_AUTH,
			refresh_token: first.refreshToken!,
		});
		expect(again).toMatchObject({ status: 400, json: { code: 20073 } });
		expect(fake.violations).toEqual([]);
	});

	it('the documented JSON body works the same; Basic is recognised, and with a body secret too answers 20070', async () => {
		const code = async () =>
			(await visit(n8nClient().code.getUri())).location!.searchParams.get('code')!;
		const answer = await tokenJson({
			grant_type: 'authorization_code',
			...BODY_AUTH,
			code: await code(),
			redirect_uri: REDIRECT,
		});
		expect(answer.status).toBe(200);
		expect(answer.json.access_token).toMatch(/^u-/);

		const basic = `Basic ${Buffer.from(`${APPS.feishu.appId}:${APPS.feishu.appSecret}`).toString('base64')}`;
		const both = await fetch(`${fake.url}/open-apis/authen/v2/oauth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: basic },
			body: JSON.stringify({ grant_type: 'authorization_code', ...BODY_AUTH, code: await code() }),
		});
		expect(both.status).toBe(400);
		expect(((await both.json()) as { code: number }).code).toBe(20070);
		expect(fake.violations).toEqual([]);

		// n8n's "Basic Auth header" choice leaves client_id and client_secret out of the body, which the page requires.
		const viaHeader = n8nClient();
		const { location } = await visit(viaHeader.code.getUri());
		const refused = await viaHeader.code
			.getToken(location!.toString(), { clientSecret: APPS.feishu.appSecret })
			.then(
				() => 'accepted',
				() => 'refused',
			);
		expect(refused).toBe('refused');
		expect(fake.violations.join('\n')).toMatch(/missing required field "client_secret"/);
		fake.violations.length = 0;
	});

	it('a code works once and for 5 minutes, for its redirect URL, and PKCE is checked', async () => {
		const client = n8nClient();
		const newCode = async (query?: Record<string, string>) =>
			(await visit(client.code.getUri(query ? { query } : {}))).location!.searchParams.get('code')!;
		const exchange = async (code: string, extra: Record<string, string> = {}) =>
			(await tokenJson({ grant_type: 'authorization_code', ...BODY_AUTH, code, ...extra })).json
				.code;
		expect(await exchange(await newCode(), { redirect_uri: 'http://127.0.0.1:9/other' })).toBe(
			20071,
		);
		const once = await newCode();
		expect(await exchange(once)).toBe(0);
		expect(await exchange(once)).toBe(20065);
		expect(await exchange('nope')).toBe(20003);
		expect(await exchange('')).toBe(20001);

		fake.oauth.lifetimes.codeMs = 0;
		const late = await newCode();
		expect(await exchange(late)).toBe(20004);
		fake.oauth.lifetimes.codeMs = 5 * 60 * 1000;

		const verifier = randomBytes(32).toString('base64url');
		const pkce = {
			code_challenge: createHash('sha256').update(verifier).digest('base64url'),
			code_challenge_method: 'S256',
		};
		expect(
			await exchange(await newCode(pkce), { code_verifier: randomBytes(32).toString('base64url') }),
		).toBe(20049);
		expect(await exchange(await newCode(pkce))).toBe(20049);
		expect(await exchange(await newCode(pkce), { code_verifier: verifier })).toBe(0);
		expect(fake.violations).toEqual([]);
	});

	it('grants accumulate over authorizations; a scope parameter narrows one token, never the grant', async () => {
		const grant = ['offline_access', 'im:message', 'im:message.send_as_user'];
		await connect(grant);
		const later = await connect(['contact:user.base:readonly']);
		expect(later.data.scope).toBe([...grant, 'contact:user.base:readonly'].join(' '));
		const refresh = async (refreshToken: string, scope?: string) =>
			await tokenJson({
				grant_type: 'refresh_token',
				...BODY_AUTH,
				refresh_token: refreshToken,
				...(scope === undefined ? {} : { scope }),
			});
		const send = async (token: string) => (await sendAsUser(token)).json.code;
		const narrowed = await refresh(later.refreshToken!, 'contact:user.base:readonly');
		expect(narrowed.json).toMatchObject({ code: 0, scope: 'contact:user.base:readonly' });
		expect(await send(String(narrowed.json.access_token))).toBe(99991679);
		const whole = await refresh(String(narrowed.json.refresh_token));
		expect(whole.json.scope).toBe([...grant, 'contact:user.base:readonly'].join(' '));
		expect(await send(String(whole.json.access_token))).toBe(0);
		const next = String(whole.json.refresh_token);
		expect((await refresh(next, 'im:message im:message')).json.code).toBe(20067);
		expect((await refresh(next, 'drive:drive')).json.code).toBe(20068);
	});

	it('without offline_access there is no refresh token', async () => {
		const token = await connect(['im:message']);
		expect(token.refreshToken).toBeUndefined();
		expect(token.data.scope).toBe('im:message');
	});

	it('a refresh token expired, revoked, or refused by the app switch answers its documented code (HTTP 400)', async () => {
		const refresh = async (value: string) =>
			await tokenJson({ grant_type: 'refresh_token', ...BODY_AUTH, refresh_token: value });
		const expired = await connect();
		fake.oauth.expireRefreshTokens();
		expect(await refresh(expired.refreshToken!)).toMatchObject({
			status: 400,
			json: { code: 20037 },
		});

		const revoked = await connect();
		fake.oauth.revoke('ou_1');
		expect(await refresh(revoked.refreshToken!)).toMatchObject({
			status: 400,
			json: { code: 20064 },
		});
		expect(
			(await asUser(revoked.accessToken, 'GET', '/open-apis/contact/v3/users/ou_1')).json.code,
		).toBe(99991668);

		const switchedOff = await connect();
		fake.oauth.refreshAllowed = false;
		expect(await refresh(switchedOff.refreshToken!)).toMatchObject({
			status: 400,
			json: { code: 20074 },
		});
		expect(await refresh('ur-unknown')).toMatchObject({ status: 400, json: { code: 20026 } });
		expect(await tokenJson({ grant_type: 'password', ...BODY_AUTH })).toMatchObject({
			status: 400,
			json: { code: 20036 },
		});
		expect(await refresh('')).toMatchObject({ status: 400, json: { code: 20001 } });
		expect(
			await tokenJson({
				grant_type: 'refresh_token',
				...BODY_AUTH,
				client_secret: 'wrong',
				refresh_token: 'x',
			}),
		).toMatchObject({ status: 400, json: { code: 20002 } });
	});

	it("n8n's client reports a refused refresh as an error carrying Feishu's code", async () => {
		const token = await connect();
		fake.oauth.expireRefreshTokens();
		const refused = await token
			.refresh({
				clientId: APPS.feishu.appId,
				clientSecret: APPS.feishu.appSecret,
				accessTokenUri: `${fake.url}/open-apis/authen/v2/oauth/token`,
				authentication: 'body',
			})
			.then(
				() => undefined,
				(error: { body?: { code?: number } }) => error,
			);
		expect(refused?.body?.code).toBe(20037);
	});

	it('user tokens on OpenAPI routes: accepted where the page allows them, expired, unsupported, or missing a scope', async () => {
		const token = await connect();
		expect(
			(await asUser(token.accessToken, 'GET', '/open-apis/contact/v3/users/ou_1')).json.code,
		).toBe(0);
		// Creating a user group takes a tenant token only.
		const unsupported = await asUser(token.accessToken, 'POST', '/open-apis/contact/v3/group', {
			name: 'x',
		});
		expect(unsupported.json).toMatchObject({ code: 99991668 });
		expect(unsupported.json.msg).toMatch(/user access token not support/);
		// Sending as the user needs im:message and im:message.send_as_user; this user granted only the first.
		const send = await sendAsUser(token.accessToken);
		expect(send.json.code).toBe(99991679);
		expect(send.json.msg).toMatch(/im:message\.send_as_user/);
		expect(send.json.error?.permission_violations?.map((v) => v.subject)).toEqual([
			'im:message.send_as_user',
		]);

		const sender = await connect([...SCOPES, 'im:message.send_as_user']);
		const sent = await sendAsUser(sender.accessToken);
		expect(sent.json.code).toBe(0);

		fake.oauth.expireAccessTokens();
		const expired = await asUser(token.accessToken, 'GET', '/open-apis/contact/v3/users/ou_1');
		expect(expired.json.code).toBe(99991677);
		expect(fake.violations).toEqual([]);
	});

	it('the authorization page: an unregistered redirect URL or a scope the app lacks stays on the page; a refusal goes back with access_denied', async () => {
		const elsewhere = new ClientOAuth2({
			...n8nClient().options,
			redirectUri: 'http://127.0.0.1:9/not-registered',
		});
		expect((await visit(elsewhere.code.getUri())).page).toMatch(/20029/);
		expect((await visit(n8nClient(['drive:drive']).code.getUri())).page).toMatch(/20027/);

		fake.oauth.signIn.agrees = false;
		const { location } = await visit(n8nClient().code.getUri());
		expect(location!.searchParams.get('error')).toBe('access_denied');
		expect(location!.searchParams.get('state')).toBe('n8n-state-1');
		expect(location!.searchParams.get('code')).toBeNull();
	});
});
