/**
 * Token lifecycle: one token request per credential per token lifetime (shared by concurrent items and
 * by executions), refresh before the reported expiry, and on the platform's invalid/expired-token
 * answers exactly one refresh and one retry. Each test uses a fresh fake host, so a fresh cache entry.
 */
import { USERS } from './fake-api/server';
import type { RunOptions } from './harness';
import { ding, feishu, freshFake, UNPACED } from './helpers';

type Env = Awaited<ReturnType<typeof freshFake>>;
let env: Env;
afterEach(async () => {
	expect(env.fake.violations).toEqual([]);
	await env.close();
});

const tokenCalls = (platform: 'dingtalk' | 'feishu') => env.fake.calls(`${platform}.token`).length;

function manyRoomGroups(count: number): RunOptions {
	return {
		...ding('meetingRoomGroup', 'create', {
			unionId: USERS.admin,
			parentGroupId: 0,
			groupName: '={{ $json.name }}',
			...UNPACED,
		}),
		items: Array.from({ length: count }, (_, i) => ({ name: `Room ${i}` })),
	};
}

function manyUserGroups(count: number): RunOptions {
	for (let i = 0; i < count; i++)
		env.fake.feishuGroups.set(`bulk-${i}`, { name: `bulk-${i}`, members: [] });
	return {
		...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}', ...UNPACED }),
		items: Array.from({ length: count }, (_, i) => ({ id: `bulk-${i}` })),
	};
}

function manyRoles(count: number): RunOptions {
	for (let i = 0; i < count; i++)
		env.fake.roles.set(5000 + i, {
			name: `r${i}`,
			system: false,
			groupId: 1507113578,
			users: new Set<string>(),
		});
	return {
		...ding('role', 'delete', { roleId: '={{ $json.id }}', ...UNPACED }),
		items: Array.from({ length: count }, (_, i) => ({ id: 5000 + i })),
	};
}

describe('one token per credential per lifetime', () => {
	it('DingTalk: 25 items and a second execution share one token request', async () => {
		env = await freshFake();
		const first = await env.bench.run(manyRoomGroups(25));
		expect(first.error).toBeUndefined();
		expect(first.json).toHaveLength(25);
		expect(tokenCalls('dingtalk')).toBe(1);
		const second = await env.bench.run(manyRoles(5));
		expect(second.error).toBeUndefined();
		expect(tokenCalls('dingtalk')).toBe(1);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.create')).toHaveLength(25);
	});

	it('Feishu: 25 items and a second execution share one token request', async () => {
		env = await freshFake();
		const first = await env.bench.run(manyUserGroups(25));
		expect(first.error).toBeUndefined();
		expect(tokenCalls('feishu')).toBe(1);
		await env.bench.run(manyUserGroups(3));
		expect(tokenCalls('feishu')).toBe(1);
	});

	it('refreshes before the expiry the platform reported, without waiting to be rejected', async () => {
		env = await freshFake({ tokenTtlSeconds: 2 });
		await env.bench.run(manyRoomGroups(3));
		expect(tokenCalls('dingtalk')).toBe(1);
		// The token has 2 s to live and is refreshed in its last fifth: at 1.7 s it is due.
		await new Promise((resolve) => setTimeout(resolve, 1700));
		const result = await env.bench.run(manyRoomGroups(3));
		expect(result.error).toBeUndefined();
		expect(tokenCalls('dingtalk')).toBe(2);
		expect(env.fake.tokenRejections).toHaveLength(0);
	});
});

describe('a token that dies in the middle of a run is refreshed once and the items retried once', () => {
	it.each([
		[
			'DingTalk new-style, HTTP 401 InvalidAuthentication',
			{ newStyleInvalidTokenStatus: 401 as const },
			manyRoomGroups,
			'dingtalk',
		],
		[
			'DingTalk new-style, HTTP 400 InvalidAuthentication',
			{ newStyleInvalidTokenStatus: 400 as const },
			manyRoomGroups,
			'dingtalk',
		],
		[
			'DingTalk legacy, errcode 42001',
			{ legacyInvalidTokenStyle: 'direct' as const },
			manyRoles,
			'dingtalk',
		],
		[
			'DingTalk legacy, errcode 88 with sub_code 42001',
			{ legacyInvalidTokenStyle: 'errcode88' as const },
			manyRoles,
			'dingtalk',
		],
		['Feishu, code 99991663', {}, manyUserGroups, 'feishu'],
	] as const)('%s', async (_name, options, workload, platform) => {
		env = await freshFake(options);
		const run = workload(20);
		env.fake.expireTokensAfter(8);
		const result = await env.bench.run(run);
		expect(result.error).toBeUndefined();
		expect(result.json).toHaveLength(20);
		expect(result.json.every((j) => j.error === undefined)).toBe(true);
		expect(tokenCalls(platform)).toBe(2);
		// Every rejected request was retried exactly once, with the new token.
		const rejected = env.fake.tokenRejections.length;
		expect(rejected).toBeGreaterThan(0);
		// At most the items in flight when the token died (the default concurrency, 5) were rejected.
		expect(rejected).toBeLessThanOrEqual(5);
		const apiCalls = env.fake.requests.filter((r) => !r.key.endsWith('.token'));
		expect(apiCalls).toHaveLength(20 + rejected);
	});

	it('gives up after one refresh and one retry when the new token is rejected too', async () => {
		env = await freshFake();
		const rejection = {
			status: 401,
			body: { code: 'InvalidAuthentication', message: '不合法的access_token' },
		};
		env.fake.script('dingtalk.meetingRoomGroup.delete', rejection, rejection);
		const result = await env.bench.run(
			ding('meetingRoomGroup', 'delete', { groupId: '173', unionId: USERS.admin }),
		);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'DingTalk error InvalidAuthentication: 不合法的access_token',
		);
		expect(result.error?.description).toMatch(/invalid or expired, even after one refresh/);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.delete')).toHaveLength(2);
		expect(tokenCalls('dingtalk')).toBe(2);
	});
});

describe('a wrong app secret', () => {
	it('DingTalk: fails every item with invalidClientIdOrSecret after a single token request', async () => {
		env = await freshFake();
		env.bench.store.set('ding-bad', 'dingTalkApi', {
			appKey: 'ding-test-key',
			appSecret: 'wrong-secret-value',
			region: 'custom',
			baseUrl: env.fake.url,
			legacyBaseUrl: env.fake.url,
		});
		const result = await env.bench.run({
			...manyRoomGroups(6),
			credentialId: 'ding-bad',
			continueOnFail: true,
		});
		expect(result.json).toHaveLength(6);
		for (const json of result.json) {
			expect(json.error).toBe(
				'DingTalk error invalidClientIdOrSecret: 无效的clientId或clientSecret',
			);
			expect(json.description).toMatch(
				/Client ID \(AppKey\) or Client Secret \(AppSecret\) is wrong/,
			);
			expect(JSON.stringify(json)).not.toContain('wrong-secret-value');
		}
		expect(tokenCalls('dingtalk')).toBe(1);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.create')).toHaveLength(0);
	});

	it('Feishu: reads the non-zero code in an HTTP 200 body and fails clearly', async () => {
		env = await freshFake();
		env.bench.store.set('feishu-bad', 'feishuApi', {
			appId: 'cli_test_app',
			appSecret: 'wrong-secret-value',
			domain: 'custom',
			baseUrl: env.fake.url,
		});
		const result = await env.bench.run({
			...feishu('userGroup', 'delete', { groupId: 'g1837191' }),
			credentialId: 'feishu-bad',
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Feishu error 10015: wrong app secret');
		expect(result.error?.description).toMatch(/App Secret is wrong/);
		expect(JSON.stringify(result.error)).not.toContain('wrong-secret-value');
		expect(tokenCalls('feishu')).toBe(1);
	});
});

describe('a token request that meets a transient failure is retried like any idempotent request', () => {
	const gatewayPage = {
		status: 503,
		body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
	};
	const reset = { status: 0, body: null, destroy: true };

	it.each([
		['DingTalk', 'dingtalk' as const, () => manyRoomGroups(5)],
		['Feishu', 'feishu' as const, () => manyUserGroups(5)],
	])(
		'%s: a 503 page, then a reset, with 5 items in flight: every item succeeds after 3 token requests',
		async (_name, platform, workload) => {
			env = await freshFake();
			env.fake.script(`${platform}.token`, gatewayPage, reset);
			const run = workload();
			const result = await env.bench.run({
				...run,
				parameters: { ...run.parameters, options: { ...UNPACED.options, concurrency: 5 } },
			});
			expect(result.error).toBeUndefined();
			expect(result.json).toHaveLength(5);
			expect(result.json.every((j) => j.error === undefined)).toBe(true);
			// The two failures and the success, shared by the five items in flight.
			expect(tokenCalls(platform)).toBe(3);
		},
	);

	it('a token endpoint that keeps failing fails the run after 3 retries, not once per item', async () => {
		env = await freshFake();
		env.fake.script(
			'feishu.token',
			gatewayPage,
			gatewayPage,
			gatewayPage,
			gatewayPage,
			gatewayPage,
		);
		const result = await env.bench.run({ ...manyUserGroups(6), continueOnFail: true });
		expect(result.json).toHaveLength(6);
		for (const json of result.json) {
			expect(json.error).toBe(
				"Feishu error HTTP 503: the token endpoint's answer was not JSON: 503 Service Temporarily Unavailable",
			);
			expect(json.description).toMatch(/kept failing after 3 retries/);
		}
		expect(tokenCalls('feishu')).toBe(4);
		expect(env.fake.calls('feishu.userGroup.delete')).toHaveLength(0);
	});

	it('a refusal is not retried: a wrong secret is asked once', async () => {
		env = await freshFake();
		env.fake.script('dingtalk.token', {
			status: 400,
			body: { code: 'invalidClientIdOrSecret', message: '无效的clientId或clientSecret' },
		});
		const result = await env.bench.run({ ...manyRoomGroups(3), continueOnFail: true });
		expect(result.json.map((j) => j.code)).toEqual([
			'invalidClientIdOrSecret',
			'invalidClientIdOrSecret',
			'invalidClientIdOrSecret',
		]);
		expect(tokenCalls('dingtalk')).toBe(1);
	});
});

/**
 * The token shared by a whole deployment: n8n saves what the credential's preAuthentication gets in the
 * credential (its hidden field, with the times to renew it and when it expires), where every process and
 * worker reads it. A process whose own cache is empty takes the stored token instead of asking again.
 */
describe('the token stored in the credential (shared by every process of a deployment)', () => {
	const issueAtFake = async () => {
		const answer = await fetch(`${env.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				app_id: 'cli_test_app',
				app_secret: env.bench.store.records.get('feishu')!.data.appSecret,
			}),
		});
		return ((await answer.json()) as { tenant_access_token: string }).tenant_access_token;
	};

	it('n8n saves the token the run got, with when to renew it and when it expires', async () => {
		env = await freshFake();
		const started = Date.now();
		const result = await env.bench.run(feishu('userGroup', 'get', { groupId: 'g1837191' }));
		expect(result.error).toBeUndefined();
		expect(tokenCalls('feishu')).toBe(1);
		const stored = env.bench.store.records.get('feishu')!.data;
		expect(env.fake.issuedTokens('feishu')).toEqual([stored.accessToken]);
		const renewAt = Number(stored.renewAt);
		const expiresAt = Number(stored.expiresAt);
		// The fake's tokens last 7,200 s: renewal is due 5 minutes before.
		expect(expiresAt - renewAt).toBe(5 * 60 * 1000);
		expect(expiresAt).toBeGreaterThanOrEqual(started + 7200 * 1000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7200 * 1000);
	});

	it('a process with an empty cache takes the stored token: no token request', async () => {
		env = await freshFake();
		// Another process of the deployment got this token and n8n saved it.
		const token = await issueAtFake();
		const data = env.bench.store.records.get('feishu')!.data;
		Object.assign(data, {
			accessToken: token,
			renewAt: String(Date.now() + 3_600_000),
			expiresAt: String(Date.now() + 3_900_000),
		});
		const before = env.fake.calls('feishu.token').length;
		const result = await env.bench.run({
			...manyUserGroups(10),
			items: Array.from({ length: 10 }, (_, i) => ({ id: `bulk-${i}` })),
		});
		expect(result.json.filter((j) => j.error !== undefined)).toEqual([]);
		expect(env.fake.calls('feishu.token').length - before).toBe(0);
		expect(
			env.fake
				.calls('feishu.userGroup.delete')
				.every((c) => c.headers.authorization === `Bearer ${token}`),
		).toBe(true);
	});

	it('a stored token due for renewal is renewed once, and the new one is saved for the others', async () => {
		env = await freshFake();
		const old = await issueAtFake();
		const data = env.bench.store.records.get('feishu')!.data;
		Object.assign(data, {
			accessToken: old,
			renewAt: String(Date.now() - 1000),
			expiresAt: String(Date.now() + 299_000),
		});
		const before = env.fake.calls('feishu.token').length;
		const updates = env.bench.store.updates;
		await env.bench.run(manyUserGroups(8));
		expect(env.fake.calls('feishu.token').length - before).toBe(1);
		expect(env.bench.store.updates - updates).toBe(1);
		// (Feishu answers the same token while it has more than 30 minutes left, as the fake does.)
		const saved = env.bench.store.records.get('feishu')!.data;
		expect(env.fake.issuedTokens('feishu')).toContain(saved.accessToken);
		expect(Number(saved.renewAt)).toBeGreaterThan(Date.now());
	});

	it('a stored token the platform rejects is replaced once; the run goes on', async () => {
		env = await freshFake();
		const old = await issueAtFake();
		env.fake.expireTokens('feishu');
		const data = env.bench.store.records.get('feishu')!.data;
		Object.assign(data, {
			accessToken: old,
			renewAt: String(Date.now() + 3_600_000),
			expiresAt: String(Date.now() + 3_900_000),
		});
		const before = env.fake.calls('feishu.token').length;
		const result = await env.bench.run(manyUserGroups(5));
		expect(result.json.filter((j) => j.error !== undefined)).toEqual([]);
		expect(env.fake.calls('feishu.token').length - before).toBe(1);
		expect(env.bench.store.records.get('feishu')!.data.accessToken).not.toBe(old);
	});
});
