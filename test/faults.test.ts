/**
 * Faults at the platforms' limits, through n8n's engine against the fake with faults switched on.
 * Every case must end with exactly one output per input item (success, or an error item with
 * Continue On Fail), and no non-idempotent create may be carried out twice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Answer } from './fake-api/server';
import { tooFastAnswer, USERS } from './fake-api/server';
import type { RunOptions, RunResult } from './harness';
import { ding, feishu, UNPACED, useFakeApi } from './helpers';

const env = useFakeApi();
const N = 8;

/** Non-idempotent creates, one per platform style, each item with its own name. */
const CREATES = {
	new: (options: IDataObject = UNPACED.options): RunOptions => ({
		...ding('meetingRoomGroup', 'create', {
			unionId: USERS.admin,
			parentGroupId: 0,
			groupName: '={{ $json.name }}',
			options,
		}),
		items: names(),
		continueOnFail: true,
	}),
	legacy: (options: IDataObject = UNPACED.options): RunOptions => ({
		...ding('role', 'create', { roleName: '={{ $json.name }}', groupId: '1507113578', options }),
		items: names(),
		continueOnFail: true,
	}),
	feishu: (options: IDataObject = UNPACED.options): RunOptions => ({
		...feishu('userGroup', 'create', { name: '={{ $json.name }}', options }),
		items: names(),
		continueOnFail: true,
	}),
};
const CREATE_ROUTES = {
	new: 'dingtalk.meetingRoomGroup.create',
	legacy: 'dingtalk.role.create',
	feishu: 'feishu.userGroup.create',
};

/** An idempotent DELETE of N seeded Feishu groups. */
function deletes(options: IDataObject = UNPACED.options): RunOptions {
	for (let i = 0; i < N; i++)
		env.fake.feishuGroups.set(`del${i}`, { name: `del${i}`, members: [] });
	return {
		...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}', options }),
		items: Array.from({ length: N }, (_, i) => ({ id: `del${i}` })),
		continueOnFail: true,
	};
}

function names(): IDataObject[] {
	return Array.from({ length: N }, (_, i) => ({ name: `Item ${i}` }));
}

/** Exactly one output per input, paired to it, in input order. */
function expectOnePerItem(result: RunResult): void {
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.pairedItem)).toEqual(
		Array.from({ length: N }, (_, item) => ({ item })),
	);
}

const succeeded = (result: RunResult) => result.json.filter((j) => j.error === undefined).length;

describe('rate-limit answers of every documented shape are waited out and retried', () => {
	const shapes: Array<[string, keyof typeof CREATES, Answer]> = [
		[
			'Feishu HTTP 429, code 99991400 with x-ogw-ratelimit-reset',
			'feishu',
			tooFastAnswer('feishu', 200),
		],
		[
			'Feishu HTTP 400, code 99991400 (older APIs)',
			'feishu',
			{ status: 400, body: { code: 99991400, msg: 'request trigger frequency limit' } },
		],
		['DingTalk 403 QpsLimitForAppkeyAndApi', 'new', tooFastAnswer('new', 0)],
		[
			'DingTalk 403 QpmLimitForAppkeyAndApi',
			'new',
			{
				status: 403,
				body: { code: 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', message: 'limited' },
			},
		],
		[
			'DingTalk 403 QpsLimitForApi',
			'new',
			{ status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'limited' } },
		],
		[
			'DingTalk 429 system.busy',
			'new',
			{ status: 429, body: { code: 'system.busy', message: 'system busy, request too frequest' } },
		],
		[
			'DingTalk new-style code -1 (busy)',
			'new',
			{ status: 400, body: { code: '-1', message: '系统繁忙' } },
		],
		['DingTalk legacy errcode 90018', 'legacy', tooFastAnswer('legacy', 0)],
		[
			'DingTalk legacy errcode 90002',
			'legacy',
			{ status: 200, body: { errcode: 90002, errmsg: 'api qps limit' } },
		],
		[
			'DingTalk legacy errcode -1 (busy)',
			'legacy',
			{ status: 200, body: { errcode: -1, errmsg: '系统繁忙' } },
		],
	];

	it.each(shapes)('%s', async (_name, style, answer) => {
		env.fake.script(CREATE_ROUTES[style], answer, answer);
		const result = await env.bench.run(CREATES[style]());
		expectOnePerItem(result);
		expect(succeeded(result)).toBe(N);
		// A rate-limited request was not carried out: each create ran exactly once.
		expect(env.fake.executed[CREATE_ROUTES[style]]).toBe(N);
		expect(env.fake.calls(CREATE_ROUTES[style])).toHaveLength(N + 2);
	});

	it('a gateway window stricter than the documented limit: every item still completes, none twice', async () => {
		env.fake.faults.rateLimits['feishu.userGroup.create'] = { limit: 3, windowMs: 300 };
		const result = await env.bench.run(CREATES.feishu());
		expectOnePerItem(result);
		expect(succeeded(result)).toBe(N);
		expect(env.fake.executed['feishu.userGroup.create']).toBe(N);
		expect(env.fake.calls('feishu.userGroup.create').length).toBeGreaterThan(N);
	});

	it('a platform that rejects more than 2 requests in flight: every item still completes, none twice', async () => {
		env.fake.faults.maxConcurrent = 2;
		env.fake.faults.latencyMs = 30;
		const result = await env.bench.run(CREATES.new());
		expectOnePerItem(result);
		expect(succeeded(result)).toBe(N);
		expect(env.fake.executed['dingtalk.meetingRoomGroup.create']).toBe(N);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.create').length).toBeGreaterThan(N);
	});
});

describe.each([
	[
		'5xx burst',
		{ status: 500, body: { code: 40003, msg: 'internal error' } } as Answer,
		{ status: 500, body: { code: 'system.error', message: 'System Error' } } as Answer,
	],
	[
		'connection reset',
		{ status: 0, body: null, destroy: true } as Answer,
		{ status: 0, body: null, destroy: true } as Answer,
	],
	[
		'HTML error page',
		{ status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' } as Answer,
		{ status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' } as Answer,
	],
	[
		'answer slower than the timeout',
		{ status: 200, body: { code: 0, msg: 'success', data: {} }, delayMs: 2500 } as Answer,
		{ status: 200, body: { result: 1 }, delayMs: 2500 } as Answer,
	],
])('%s', (name, forDelete, forCreate) => {
	// Only the slow answers may reach the timeout: on a loaded machine a tight timeout would also cut off
	// answers the fake had carried out, and a retried delete of a deleted group answers 42002.
	const options = {
		...UNPACED.options,
		timeout: name === 'answer slower than the timeout' ? 1000 : 30_000,
	};

	it('idempotent deletes are retried with backoff and all complete', async () => {
		env.fake.script('feishu.userGroup.delete', forDelete, forDelete, forDelete);
		const result = await env.bench.run(deletes(options));
		expectOnePerItem(result);
		expect(result.json.filter((j) => j.deleted !== true)).toEqual([]);
		expect(env.fake.executed['feishu.userGroup.delete']).toBe(N);
		expect(env.fake.feishuGroups.has('del0')).toBe(false);
	});

	it('a create whose outcome is unknown is not retried and says so; the rest complete', async () => {
		env.fake.script('dingtalk.meetingRoomGroup.create', forCreate, forCreate);
		const result = await env.bench.run(CREATES.new(options));
		expectOnePerItem(result);
		const failed = result.json.filter((j) => j.error !== undefined);
		expect(failed).toHaveLength(2);
		for (const item of failed)
			expect(item.description).toMatch(
				/^The outcome is unknown: the platform may have carried out this request\. It was not retried/,
			);
		expect(succeeded(result)).toBe(N - 2);
		// Exactly one request per item: nothing was sent twice.
		expect(env.fake.calls('dingtalk.meetingRoomGroup.create')).toHaveLength(N);
	});
});

describe('a token that dies mid-batch under concurrency', () => {
	it.each(['new', 'legacy', 'feishu'] as const)(
		'%s: one refresh, every create carried out exactly once',
		async (style) => {
			env.fake.expireTokensAfter(3);
			const result = await env.bench.run(CREATES[style]());
			expectOnePerItem(result);
			expect(succeeded(result)).toBe(N);
			expect(env.fake.executed[CREATE_ROUTES[style]]).toBe(N);
			expect(env.fake.tokenRejections.length).toBeGreaterThan(0);
		},
	);
});
