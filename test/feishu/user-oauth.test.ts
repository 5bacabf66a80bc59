/**
 * The Feishu node as a user (Authentication "User (OAuth2)", credential feishuOAuth2Api), through n8n's
 * engine against the fake's user OAuth2 (test/fake-api/feishu-oauth.ts). The credential is connected the
 * way n8n's callback connects it: the authorization page, then n8n's own OAuth2 client exchanging the code
 * with the credential's fields; the refreshes are n8n-core's own (helpers.refreshOAuth2Token), saved
 * through the credentials helper as n8n saves them.
 */
import type { IDataObject } from 'n8n-workflow';

import { feishuNode } from '../../nodes/Feishu/Feishu.node';
import { pacingClock } from '../../nodes/shared/pacing';
import type { Answer, RecordedRequest } from '../fake-api/server';
import { APPS } from '../fake-api/server';
import { freshFake } from '../helpers';
import { connect, credentialFields, REDIRECT, SCOPES, USER } from '../user-connect';

type Env = Awaited<ReturnType<typeof freshFake>>;

const CHAT = 'oc_sandbox_general';
let env: Env;
afterEach(async () => {
	if (env) {
		expect(env.fake.violations).toEqual([]);
		await env.close();
	}
});

async function connected(): Promise<IDataObject> {
	env = await freshFake();
	env.fake.oauth.redirectUris.add(REDIRECT);
	return await connect(env.bench, env.fake.url);
}

const asUser = (resource: string, operation: string, rest: IDataObject = {}) => ({
	node: 'feishu' as const,
	parameters: { authentication: 'oAuth2', resource, operation, ...rest },
});
const sendText = (rest: IDataObject = {}) =>
	asUser('message', 'send', {
		receiveIdType: 'chat_id',
		receiveId: CHAT,
		messageType: 'text',
		text: '={{ "hello " + $json.i }}',
		...rest,
	});

const refreshes = () =>
	env.fake
		.calls('feishu.oauth.token')
		.filter((r) => (r.body as IDataObject)?.grant_type === 'refresh_token');
const stored = () => env.bench.store.records.get(USER)!.data.oauthTokenData as IDataObject;
const bearer = (r: RecordedRequest) => String(r.headers.authorization ?? '');
const secretsOf = (...tokens: IDataObject[]) => [
	APPS.feishu.appSecret,
	...tokens.flatMap((t) => [String(t.access_token), String(t.refresh_token)]),
];

describe('Feishu as the connected user', () => {
	it("sends as the user: the user's token, no app token asked for, and n8n's hidden fields resolved", async () => {
		const token = await connected();
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error).toBeUndefined();
		expect(r.json[0]).toMatchObject({ chat_id: CHAT });
		const sends = env.fake.calls('feishu.message.send');
		expect(sends.map(bearer)).toEqual([`Bearer ${String(token.access_token)}`]);
		expect(env.fake.calls('feishu.token')).toHaveLength(0);
		expect(refreshes()).toHaveLength(0);
	});

	it('an expired user token: one refresh through n8n, the request sent once more, the rotated refresh token saved', async () => {
		const first = await connected();
		env.fake.oauth.expireAccessTokens();
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(1);
		expect(refreshes()).toHaveLength(1);
		// The refresh carried the client credentials in a form body, never a Basic header (20070).
		const refresh = refreshes()[0];
		expect(refresh.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(refresh.headers.authorization).toBeUndefined();
		expect(refresh.body).toMatchObject({ refresh_token: first.refresh_token });
		const sends = env.fake.calls('feishu.message.send');
		expect(sends).toHaveLength(2);
		expect(sends.map(bearer)).toEqual([
			`Bearer ${String(first.access_token)}`,
			`Bearer ${String(stored().access_token)}`,
		]);
		expect(stored().refresh_token).not.toBe(first.refresh_token);
		expect(env.fake.oauth.liveRefreshTokens()).toEqual([stored().refresh_token]);
		expect(env.bench.store.oauthSaves).toBe(1);
	});

	it('10 items meeting the same expiry share one refresh', async () => {
		await connected();
		env.fake.oauth.expireAccessTokens();
		const r = await env.bench.run({
			...asUser('user', 'get', {
				userId: 'ou_1',
				userIdType: 'open_id',
				options: { concurrency: 10 },
			}),
			items: Array.from({ length: 10 }, (_, i) => ({ i })),
		});
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(10);
		expect(refreshes()).toHaveLength(1);
		expect(env.fake.calls('feishu.user.get')).toHaveLength(20);
		expect(env.bench.store.oauthSaves).toBe(1);
		expect(env.fake.oauth.liveRefreshTokens()).toEqual([stored().refresh_token]);
		// The next execution starts with the saved token: no refresh.
		const again = await env.bench.run({ ...sendText(), items: [{ i: 11 }] });
		expect(again.error).toBeUndefined();
		expect(refreshes()).toHaveLength(1);
	});

	it('another process refreshed and saved while this one met the expiry: its token is taken, no refresh of our own', async () => {
		const other: { save?: () => void } = {};
		env = await freshFake({
			// The other process saves its refresh as Feishu tells this one that its token expired.
			onAnswer: (request, answer: Answer) => {
				if ((answer.body as IDataObject)?.code === 99991677) other.save?.();
			},
		});
		env.fake.oauth.redirectUris.add(REDIRECT);
		const first = await connect(env.bench, env.fake.url);
		env.fake.oauth.expireAccessTokens();
		const theirs = await refreshElsewhere(String(first.refresh_token));
		other.save = () =>
			env.bench.store.set(USER, 'feishuOAuth2Api', {
				...env.bench.store.records.get(USER)!.data,
				oauthTokenData: { ...first, ...theirs },
			});
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error).toBeUndefined();
		// The expired token first, then the other process's: one refresh in all, theirs.
		expect(env.fake.calls('feishu.message.send').map(bearer)).toEqual([
			`Bearer ${String(first.access_token)}`,
			`Bearer ${String(theirs.access_token)}`,
		]);
		expect(refreshes()).toHaveLength(1);
	});

	it('"refresh token already used" (20073) while another process saves its refresh: that token is taken, no item fails', async () => {
		const winner: { save?: () => void } = {};
		env = await freshFake({
			// The other process saves its refresh at the moment Feishu refuses ours.
			onAnswer: (request, answer: Answer) => {
				if (request.path.endsWith('/oauth/token') && (answer.body as IDataObject)?.code === 20073)
					winner.save?.();
			},
		});
		env.fake.oauth.redirectUris.add(REDIRECT);
		const first = await connect(env.bench, env.fake.url);
		env.fake.oauth.expireAccessTokens();
		const other = await refreshElsewhere(String(first.refresh_token));
		winner.save = () =>
			env.bench.store.set(USER, 'feishuOAuth2Api', {
				...env.bench.store.records.get(USER)!.data,
				oauthTokenData: { ...first, ...other },
			});
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }, { i: 2 }] });
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(2);
		// The other process's refresh, and ours that was refused.
		expect(refreshes()).toHaveLength(2);
		expect(stored().refresh_token).toBe(other.refresh_token);
		expect(env.fake.oauth.liveRefreshTokens()).toEqual([other.refresh_token]);
	});

	it('"refresh token already used" and no newer token saved anywhere: reconnect, in one sentence, with no secret', async () => {
		const first = await connected();
		env.fake.oauth.expireAccessTokens();
		const other = await refreshElsewhere(String(first.refresh_token));
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('error 20073');
		expect(r.error?.description).toContain('Reconnect the credential in n8n');
		expectNoSecret(r.error, secretsOf(first, other));
	});

	it('an expired refresh token (20037): the error says the connection expired and to reconnect; Continue On Fail pairs one error per item', async () => {
		const first = await connected();
		env.fake.oauth.expireAccessTokens();
		env.fake.oauth.expireRefreshTokens();
		const r = await env.bench.run({
			...sendText(),
			items: [{ i: 1 }, { i: 2 }, { i: 3 }],
			continueOnFail: true,
		});
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(3);
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const item of r.json) {
			expect(String(item.error)).toContain('error 20037');
			expect(JSON.stringify(item)).toContain('Reconnect the credential in n8n');
		}
		// One refresh tried, for all three.
		expect(refreshes()).toHaveLength(1);
		expectNoSecret(r.json, secretsOf(first));
	});

	it('a failed refresh is remembered: items one at a time after an expired (20037) or revoked (20064) grant make one refresh in all', async () => {
		await connected();
		env.fake.oauth.expireAccessTokens();
		env.fake.oauth.expireRefreshTokens();
		const expired = await env.bench.run({
			...sendText({ options: { concurrency: 1 } }),
			items: [{ i: 1 }, { i: 2 }, { i: 3 }],
			continueOnFail: true,
		});
		expect(expired.json.map((j) => String(j.error).includes('error 20037'))).toEqual([
			true,
			true,
			true,
		]);
		expect(refreshes()).toHaveLength(1);

		await env.close();
		await connected();
		env.fake.oauth.revoke('ou_1');
		const revoked = await env.bench.run({
			...sendText({ options: { concurrency: 1 } }),
			items: [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }],
			continueOnFail: true,
		});
		expect(revoked.json.every((j) => String(j.error).includes('error 20064'))).toBe(true);
		expect(refreshes()).toHaveLength(1);
	});

	it('a token refused right after its refresh is no expiry: no second refresh, the answer stands with its meaning', async () => {
		await connected();
		env.fake.oauth.expireAccessTokens();
		const invalid = {
			status: 400,
			body: { code: 99991668, msg: 'Invalid access token for authorization.', error: {} },
		};
		env.fake.script('feishu.message.send', invalid, invalid);
		const r = await env.bench.run({
			...sendText({ options: { concurrency: 1 } }),
			items: [{ i: 1 }, { i: 2 }],
			continueOnFail: true,
		});
		expect(r.json.map((j) => String(j.error))).toEqual([
			expect.stringContaining('99991668'),
			expect.stringContaining('99991668'),
		]);
		expect(refreshes()).toHaveLength(1);
		// "Expired" is another matter: a token that expires right after its refresh is refreshed again.
		env.fake.oauth.expireAccessTokens();
		const again = await env.bench.run({ ...sendText(), items: [{ i: 3 }] });
		expect(again.error).toBeUndefined();
		expect(refreshes()).toHaveLength(2);
	});

	it.each([
		[20050, 500],
		[20072, 503],
	])(
		'the token endpoint says %s (HTTP %s, "retry"): the refresh is tried again and the item succeeds',
		async (code, status) => {
			await connected();
			env.fake.oauth.expireAccessTokens();
			env.fake.script('feishu.oauth.token', {
				status,
				body: { code, error: 'server_error', error_description: 'Please retry your request.' },
			});
			const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
			expect(r.error).toBeUndefined();
			expect(refreshes()).toHaveLength(2);
			expect(env.fake.oauth.liveRefreshTokens()).toEqual([stored().refresh_token]);
		},
	);

	it('a refresh whose answer is lost (connection reset): not tried again, the error says the outcome is unknown', async () => {
		const first = await connected();
		env.fake.oauth.expireAccessTokens();
		env.fake.script('feishu.oauth.token', { status: 200, body: {}, destroy: true });
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('failed before its answer was read');
		expect(r.error?.description).toContain('The outcome is unknown');
		expect(refreshes()).toHaveLength(1);
		expectNoSecret(r.error, secretsOf(first));
	});

	it('a refresh that never ends: the items fail after the deadline, saying the outcome is unknown', async () => {
		await connected();
		env.fake.oauth.expireAccessTokens();
		env.fake.script('feishu.oauth.token', {
			status: 500,
			body: { code: 20050, error: 'server_error' },
			delayMs: 20_000,
		});
		pacingClock.scale = 0.02; // a deadline of 1.2 s
		try {
			const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
			expect(r.error?.message).toContain('did not answer in time');
			expect(r.error?.description).toContain('The outcome is unknown');
		} finally {
			pacingClock.scale = 1;
		}
		expect(refreshes()).toHaveLength(1);
	});

	it('a connection without offline_access has no refresh token: the expiry says to reconnect with offline_access', async () => {
		env = await freshFake();
		env.fake.oauth.redirectUris.add(REDIRECT);
		const first = await connect(env.bench, env.fake.url, {
			scopes: SCOPES.filter((s) => s !== 'offline_access'),
		});
		expect(first.refresh_token).toBeUndefined();
		env.fake.oauth.expireAccessTokens();
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('holds no refresh token');
		expect(r.error?.description).toContain('offline_access');
		expect(refreshes()).toHaveLength(0);
		expectNoSecret(r.error, secretsOf(first));
	});

	it('a scope the user has not granted (99991679): the error names it, and no refresh is made', async () => {
		env = await freshFake();
		env.fake.oauth.redirectUris.add(REDIRECT);
		const first = await connect(env.bench, env.fake.url, {
			scopes: SCOPES.filter((s) => s !== 'im:message.send_as_user'),
		});
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('99991679');
		expect(r.error?.description).toContain('Scopes: im:message.send_as_user');
		expect(r.error?.description).toContain('reconnect the credential');
		expect(refreshes()).toHaveLength(0);
		expectNoSecret(r.error, secretsOf(first));
	});

	it('an API that takes no user token (99991668 "not support") fails at once: no needless refresh', async () => {
		const first = await connected();
		const r = await env.bench.run(
			asUser('apiRequest', 'call', {
				method: 'GET',
				path: '/open-apis/contact/v3/group/simplelist',
			}),
		);
		expect(r.error?.message).toContain('99991668');
		expect(r.error?.description).toContain('use the App authentication');
		expect(refreshes()).toHaveLength(0);
		expectNoSecret(r.error, secretsOf(first));
	});

	it('a grant revoked right after a refresh: the invalid token is not refreshed again, and the error says to reconnect', async () => {
		await connected();
		env.fake.oauth.expireAccessTokens();
		const refreshed = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(refreshed.error).toBeUndefined();
		env.fake.oauth.revoke('ou_1');
		const r = await env.bench.run({ ...sendText(), items: [{ i: 2 }] });
		expect(r.error?.message).toContain('99991668');
		expect(r.error?.description).toContain('reconnect the credential in n8n');
		expect(refreshes()).toHaveLength(1);
	});

	it('a revoked authorization: one refresh tried (20064), then reconnect', async () => {
		const first = await connected();
		env.fake.oauth.revoke('ou_1');
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('error 20064');
		expect(r.error?.description).toContain('Reconnect the credential in n8n');
		expect(refreshes()).toHaveLength(1);
		expectNoSecret(r.error, secretsOf(first));
	});

	it("pickers under User (OAuth2) list with the user's token: chats and a base's tables", async () => {
		const token = await connected();
		const chats = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchChats',
			{ authentication: 'oAuth2', resource: 'message', operation: 'getAll' },
			'ops',
		)) as { results: IDataObject[] };
		expect(chats.results).toEqual([{ name: 'Ops alerts', value: 'oc_sandbox_ops' }]);
		const tables = (await env.bench.loadOptions('feishu', 'listSearch', 'searchBitableTables', {
			authentication: 'oAuth2',
			resource: 'bitableRecord',
			operation: 'search',
			base: { __rl: true, mode: 'id', value: 'bascnSandboxBase0001' },
		})) as { results: IDataObject[] };
		expect(tables.results.map((t) => t.name)).toContain('Tasks');
		const listed = [
			...env.fake.calls('feishu.chat.getAll'),
			...env.fake.calls('feishu.bitableTable.list'),
		];
		expect(listed.length).toBeGreaterThanOrEqual(2);
		for (const request of listed)
			expect(bearer(request)).toBe(`Bearer ${String(token.access_token)}`);
	});

	it('whatever HTTP status Feishu gives its token codes (400 or 401), only "expired" refreshes: a missing scope never does', async () => {
		env = await freshFake();
		env.fake.oauth.redirectUris.add(REDIRECT);
		await connect(env.bench, env.fake.url, {
			scopes: SCOPES.filter((s) => s !== 'im:message.send_as_user'),
		});
		env.fake.oauth.userTokenErrorStatus = 401;
		env.fake.oauth.expireAccessTokens();
		const expired = await env.bench.run(
			asUser('user', 'get', { userId: 'ou_1', userIdType: 'open_id' }),
		);
		expect(expired.error).toBeUndefined();
		expect(refreshes()).toHaveLength(1);
		// 99991679 with HTTP 401 (n8n's own OAuth2 refresh would react to the status): no refresh.
		const missing = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(missing.error?.message).toContain('99991679');
		expect(missing.error?.httpCode).toBe('401');
		expect(refreshes()).toHaveLength(1);
	});

	it('an image from binary data as the user: refused by field and item before any request (the upload takes the app token only)', async () => {
		await connected();
		const r = await env.bench.run({
			...asUser('message', 'send', {
				receiveIdType: 'chat_id',
				receiveId: CHAT,
				messageType: 'image',
				fileSource: 'binary',
			}),
			items: [
				{ $binary: { data: { base64: 'iVBORw0KGgo=', fileName: 'a.png', mimeType: 'image/png' } } },
			],
		});
		expect(r.error?.message).toBe(
			'Invalid "File Source" (fileSource) in item 0: is Binary Data, which needs an upload, and Feishu\'s upload takes the app\'s token only: send this message with the App authentication',
		);
		expect(env.fake.requests.filter((q) => !q.key.startsWith('feishu.oauth'))).toHaveLength(0);
	});

	it('a credential never connected: a clear error before any request', async () => {
		env = await freshFake();
		env.bench.store.set(USER, 'feishuOAuth2Api', credentialFields(env.fake.url) as never);
		const r = await env.bench.run({ ...sendText(), items: [{ i: 1 }] });
		expect(r.error?.message).toContain('not connected');
		expect(env.fake.requests).toHaveLength(0);
	});

	it("Bitable and user look-ups as the user carry the user's token", async () => {
		const token = await connected();
		const r = await env.bench.run(asUser('user', 'get', { userId: 'ou_1', userIdType: 'open_id' }));
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.user.get').map(bearer)).toEqual([
			`Bearer ${String(token.access_token)}`,
		]);
	});
});

describe('which operations the user identity offers', () => {
	const identity = (value: string) => feishuNode.identities.find((i) => i.value === value)!;
	const operations = (value: string) =>
		identity(value).resources.flatMap((r) => r.operations.map((o) => `${r.value}.${o.value}`));

	it('only those whose page takes a user token, each saying it acts as the user', () => {
		const user = operations('oAuth2');
		for (const allowed of [
			'message.send',
			'message.reply',
			'message.get',
			'chat.get',
			'chat.addMembers',
			'user.get',
			'bitableRecord.search',
			'bitableRecord.createMany',
			'bitableTable.getAll',
		])
			expect(user).toContain(allowed);
		for (const appOnly of [
			'message.forward',
			'message.edit',
			'message.downloadResource',
			'chat.create',
			'image.upload',
			'file.upload',
			'user.getIdsByEmailOrMobile',
			'userGroup.get',
			'userGroupMember.add',
		])
			expect(user).not.toContain(appOnly);
		for (const resource of identity('oAuth2').resources)
			for (const operation of resource.operations)
				expect(operation.description).toMatch(/\(as the connected user\)$/);
		for (const resource of identity('app').resources)
			for (const operation of resource.operations)
				expect(operation.description).toMatch(/\(as the app\)$/);
	});

	it('an operation the user identity does not offer is refused by name, before any request', async () => {
		await connected();
		const r = await env.bench.run(
			asUser('message', 'forward', {
				messageId: 'om_1',
				receiveIdType: 'chat_id',
				receiveId: CHAT,
			}),
		);
		expect(r.error?.message).toContain('Unknown operation "forward"');
		expect(env.fake.requests.filter((q) => !q.key.startsWith('feishu.oauth'))).toHaveLength(0);
	});
});

/** Another n8n process refreshes the token (and has not saved yet): the refresh token it used is spent. */
async function refreshElsewhere(refreshToken: string): Promise<IDataObject> {
	const response = await fetch(`${env.fake.url}/open-apis/authen/v2/oauth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json; charset=utf-8' },
		body: JSON.stringify({
			grant_type: 'refresh_token',
			client_id: APPS.feishu.appId,
			client_secret: APPS.feishu.appSecret,
			refresh_token: refreshToken,
		}),
	});
	const body = (await response.json()) as IDataObject;
	if (body.code !== 0) throw new Error(`refresh elsewhere failed: ${JSON.stringify(body)}`);
	return body;
}

function expectNoSecret(value: unknown, secrets: string[]): void {
	const text = JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}));
	const all = JSON.stringify(value) + text;
	for (const secret of secrets.filter((s) => s && s !== 'undefined'))
		expect(all).not.toContain(secret);
}

describe('every operation the user identity offers, run as the user', () => {
	const rl = (value: string) => ({ __rl: true, mode: 'id', value });
	const BASE = 'bascnSandboxBase0001';
	const TASKS = 'tblSandboxTasks01';
	const at = (table = TASKS) => ({ base: rl(BASE), table: rl(table) });
	const columns = (value: IDataObject, matchingColumns: string[] = []) => ({
		columns: { mappingMode: 'defineBelow', value, matchingColumns, schema: [] },
	});
	let userToken = '';

	/** Runs one operation as the user: it succeeds, and every request it made carried the user's token. */
	async function ok(resource: string, operation: string, rest: IDataObject, items?: IDataObject[]) {
		const before = env.fake.requests.length;
		const r = await env.bench.run({
			...asUser(resource, operation, rest),
			...(items ? { items } : {}),
		});
		expect({ resource, operation, error: r.error?.message }).toEqual({
			resource,
			operation,
			error: undefined,
		});
		const made = env.fake.requests.slice(before).filter((q) => !q.key.startsWith('feishu.oauth'));
		expect(made.length).toBeGreaterThan(0);
		for (const request of made) expect(bearer(request)).toBe(`Bearer ${userToken}`);
		return r.json;
	}

	beforeEach(async () => {
		userToken = String((await connected()).access_token);
	});

	it('messages: send, reply, get, list, react, unreact, update a card, recall', async () => {
		const [sent] = await ok('message', 'send', {
			receiveIdType: 'chat_id',
			receiveId: CHAT,
			messageType: 'text',
			text: 'from the user',
		});
		const id = String(sent.message_id);
		await ok('message', 'reply', { messageId: id, messageType: 'text', text: 're' });
		expect((await ok('message', 'get', { messageId: id }))[0]).toMatchObject({ message_id: id });
		expect((await ok('message', 'getAll', { chatId: CHAT, limit: 3 })).length).toBeGreaterThan(0);
		const [reaction] = await ok('message', 'addReaction', { messageId: id, emojiType: 'THUMBSUP' });
		await ok('message', 'removeReaction', { messageId: id, reactionId: reaction.reaction_id });
		const [card] = await ok('message', 'send', {
			receiveIdType: 'chat_id',
			receiveId: CHAT,
			messageType: 'interactive',
			card: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"go"}]}}',
		});
		await ok('message', 'updateCard', {
			messageId: card.message_id,
			card: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"done"}]}}',
		});
		expect(await ok('message', 'delete', { messageId: id })).toEqual([
			{ messageId: id, deleted: true },
		]);
	});

	it('chats: get, list, search, update, members in and out, dissolve (the chat made by the app)', async () => {
		const made = await env.bench.run(
			feishuAsApp('chat', 'create', {
				userIds: 'ou_1,ou_2',
				additionalFields: { name: 'Launch room' },
			}),
		);
		expect(made.error).toBeUndefined();
		const chatId = String(made.json[0].chat_id);
		expect((await ok('chat', 'get', { chatId }))[0]).toMatchObject({ chat_id: chatId });
		expect((await ok('chat', 'getAll', { returnAll: true })).map((c) => c.chat_id)).toContain(
			chatId,
		);
		expect(
			(await ok('chat', 'search', { query: 'launch', returnAll: true })).map((c) => c.chat_id),
		).toContain(chatId);
		await ok('chat', 'update', { chatId, updateFields: { name: 'Launch room (T-1)' } });
		await ok('chat', 'addMembers', { chatId, memberIds: 'ou_3' });
		expect(
			(await ok('chat', 'getMembers', { chatId, returnAll: true })).map((m) => m.member_id),
		).toContain('ou_3');
		await ok('chat', 'removeMembers', { chatId, memberIds: 'ou_3' });
		expect(await ok('chat', 'delete', { chatId })).toEqual([{ chat_id: chatId, deleted: true }]);
	});

	it('Bitable: records one and many, search, upsert; tables and fields', async () => {
		const [created] = await ok('bitableRecord', 'create', {
			...at(),
			...columns({ Name: 'By the user' }),
		});
		const recordId = String(created.id ?? created.record_id);
		await ok('bitableRecord', 'get', { ...at(), recordId });
		await ok('bitableRecord', 'update', {
			...at(),
			recordId,
			...columns({ Name: 'Renamed by the user' }),
		});
		expect(
			(await ok('bitableRecord', 'search', { ...at(), returnAll: true })).length,
		).toBeGreaterThan(0);
		await ok('bitableRecord', 'upsert', { ...at(), ...columns({ Name: 'Upserted' }, ['Name']) });
		await ok('bitableRecord', 'delete', { ...at(), recordId });
		const many = await ok(
			'bitableRecord',
			'createMany',
			{ ...at(), ...columns({ Name: '={{ $json.name }}' }) },
			[{ name: 'M1' }, { name: 'M2' }],
		);
		await ok(
			'bitableRecord',
			'updateMany',
			{ ...at(), recordId: '={{ $json.id }}', ...columns({ Name: '={{ $json.Name + "!" }}' }) },
			many.map((m) => ({ id: m.id ?? m.record_id, Name: String(m.Name ?? 'M') })),
		);
		await ok(
			'bitableRecord',
			'deleteMany',
			at(),
			many.map((m) => ({ id: m.id ?? m.record_id })),
		);
		const [table] = await ok('bitableTable', 'create', {
			base: rl(BASE),
			name: 'Leads',
			fields: { field: [{ name: 'Company', fieldType: 1 }] },
		});
		const tableId = String(table.table_id);
		await ok('bitableField', 'create', { ...at(tableId), fieldName: 'Stage', fieldType: 1 });
		expect((await ok('bitableField', 'getAll', at(tableId))).map((f) => f.field_name)).toEqual([
			'Company',
			'Stage',
		]);
		expect((await ok('bitableTable', 'getAll', { base: rl(BASE) })).map((t) => t.name)).toContain(
			'Leads',
		);
		await ok('bitableTable', 'delete', at(tableId));
	});

	it('API Request: any API whose page takes a user token, with the user’s token', async () => {
		const [answer] = await ok('apiRequest', 'call', {
			method: 'GET',
			path: '/open-apis/contact/v3/users/ou_1',
		});
		expect(answer).toBeDefined();
	});
});

const feishuAsApp = (resource: string, operation: string, rest: IDataObject = {}) => ({
	node: 'feishu' as const,
	parameters: { resource, operation, ...rest },
});
