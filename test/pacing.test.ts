/**
 * Pacing in the windows the platforms document, through n8n's engine against the fake enforcing those
 * windows as the platform would. The windows are scaled down together in the node and the fake
 * (pacingClock.scale and faults.timeScale), so that a minute of pacing takes seconds.
 *
 * What must hold: never more requests in any window than the documented limit (no "too fast" answer, and
 * the fake's arrival times show it), a burst within the limits is not slowed, concurrent executions with
 * one credential share the lane, and the Max Requests per Second override still applies.
 */
import * as http from 'node:http';

import { Pacer, pacingClock } from '../nodes/shared/pacing';
import type { RecordedRequest } from './fake-api/server';
import { APPS } from './fake-api/server';
import type { RunOptions } from './harness';
import type { Env } from './helpers';
import { feishu, freshFake } from './helpers';

/** A fresh fake per test: a new host is a new credential, so a new pacing lane. */
let env: Env & { close(): Promise<void> };
beforeEach(async () => {
	env = await freshFake();
});
afterEach(async () => {
	pacingClock.scale = 1;
	expect(env.fake.violations).toEqual([]);
	await env.close();
});

/** Scale both clocks: the node's pacing windows and the fake's. */
function scaleWindows(scale: number): void {
	pacingClock.scale = scale;
	env.fake.faults.timeScale = scale;
	env.fake.faults.documentedLimits = true;
}

/** Feishu user-group deletes (documented: 100 a minute) of `count` seeded groups. */
function deletes(count: number, prefix = 'del', options: Record<string, unknown> = {}): RunOptions {
	for (let i = 0; i < count; i++)
		env.fake.feishuGroups.set(`${prefix}${i}`, { name: `${prefix}${i}`, members: [] });
	return {
		...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}', options: { ...options } }),
		items: Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}` })),
		continueOnFail: true,
	};
}

/** Feishu user gets (documented: 1000 a minute and 50 a second). */
function userGets(count: number, options: Record<string, unknown> = {}): RunOptions {
	return {
		...feishu('user', 'get', { userId: 'ou_1', userIdType: 'open_id', options: { ...options } }),
		items: Array.from({ length: count }, (_, i) => ({ i })),
		continueOnFail: true,
	};
}

/** The most requests that arrived within any span of `windowMs`. */
function busiestWindow(calls: RecordedRequest[], windowMs: number): number {
	const times = calls.map((c) => c.sentAt).sort((a, b) => a - b);
	let most = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= windowMs) j++;
		most = Math.max(most, i - j + 1);
	}
	return most;
}

describe('a per-minute-only limit (Feishu user-group delete, 100 a minute)', () => {
	it('a burst within the window is not slowed: 30 deletes go at once, not one every 0.6 s', async () => {
		const result = await env.bench.run(deletes(30));
		expect(result.json.filter((j) => j.deleted === true)).toHaveLength(30);
		const times = env.fake.calls('feishu.userGroup.delete').map((c) => c.sentAt);
		// Evenly spaced at 100 a minute they would span 17.4 s.
		expect(Math.max(...times) - Math.min(...times)).toBeLessThan(5000);
	});

	it.each(['sliding', 'fixed'] as const)(
		'150 deletes: 100 in the first window, the rest when it allows, never one too many (fake counts %s windows)',
		async (counting) => {
			scaleWindows(0.1); // a minute lasts 6 s
			env.fake.faults.counting = counting;
			const result = await env.bench.run(deletes(150));
			expect(result.json.filter((j) => j.deleted === true)).toHaveLength(150);
			expect(env.fake.tooFastAnswers['feishu.userGroup.delete'] ?? 0).toBe(0);
			const calls = env.fake.calls('feishu.userGroup.delete');
			expect(calls).toHaveLength(150);
			expect(busiestWindow(calls, 6000)).toBeLessThanOrEqual(100);
			// The 101st waited for the first one to leave the window, and not much longer.
			const times = calls.map((c) => c.sentAt).sort((a, b) => a - b);
			expect(times[100] - times[0]).toBeGreaterThanOrEqual(6000);
			expect(times[99] - times[0]).toBeLessThan(6000);
		},
	);

	it('the request that fetched the token counts from its answer, not from its start: a slow token does not cost the next minute one too many', async () => {
		scaleWindows(0.1); // a minute lasts 6 s; the node's margin on it is about 170 ms
		// The first request waits for the token inside its own exchange, 400 ms here: it reaches the platform
		// that much after the pacer let it start, so counting it from its start would let the 101st in early.
		env.fake.faults.tokenDelayMs = 400;
		const result = await env.bench.run(deletes(101));
		expect(result.json.filter((j) => j.deleted === true)).toHaveLength(101);
		expect(env.fake.tooFastLog).toEqual([]);
		const calls = env.fake.calls('feishu.userGroup.delete');
		expect(calls).toHaveLength(101);
		const times = calls.map((c) => c.sentAt).sort((a, b) => a - b);
		expect(times[100] - times[0]).toBeGreaterThanOrEqual(6000);
	});

	it('requests refused for a revoked token give their places back: a run that begins with one fits the same minute as one that does not', async () => {
		scaleWindows(0.2); // a minute lasts 12 s
		// A warm process: its cached token is then revoked, so the run's first requests are refused, and sent again.
		await env.bench.run(deletes(1, 'warm'));
		env.fake.expireTokens('feishu');
		const result = await env.bench.run(deletes(99));
		expect(result.json.filter((j) => j.deleted === true)).toHaveLength(99);
		expect(env.fake.tokenRejections.length).toBeGreaterThan(0);
		expect(env.fake.tooFastLog).toEqual([]);
		// 1 + 99 deletes are the minute's 100: counting the refused ones too would hold the last for the next minute.
		const times = env.fake
			.calls('feishu.userGroup.delete')
			.map((c) => c.sentAt)
			.sort((a, b) => a - b);
		expect(times).toHaveLength(100 + env.fake.tokenRejections.length);
		expect(times[times.length - 1] - times[0]).toBeLessThan(12_000);
	});

	it('concurrent executions with one credential share the lane', async () => {
		scaleWindows(0.1);
		const [first, second] = await Promise.all([
			env.bench.run(deletes(70, 'a')),
			env.bench.run(deletes(70, 'b')),
		]);
		expect(first.json.filter((j) => j.deleted === true)).toHaveLength(70);
		expect(second.json.filter((j) => j.deleted === true)).toHaveLength(70);
		expect(env.fake.tooFastAnswers['feishu.userGroup.delete'] ?? 0).toBe(0);
		const calls = env.fake.calls('feishu.userGroup.delete');
		expect(calls).toHaveLength(140);
		expect(busiestWindow(calls, 6000)).toBeLessThanOrEqual(100);
	});
});

describe('a per-second and per-minute limit (Feishu user get, 1000 a minute and 50 a second)', () => {
	it('both windows hold: never more than 50 in a second nor 1000 in a minute', async () => {
		scaleWindows(0.1); // a second lasts 100 ms, a minute 6 s
		const result = await env.bench.run(userGets(1100));
		expect(result.json.filter((j) => j.open_id === 'ou_1')).toHaveLength(1100);
		expect(env.fake.tooFastLog).toEqual([]);
		const calls = env.fake.calls('feishu.user.get');
		expect(busiestWindow(calls, 6000)).toBeLessThanOrEqual(1000);
		expect(busiestWindow(calls, 100)).toBeLessThanOrEqual(50);
		// The 1001st waited for the minute.
		const times = calls.map((c) => c.sentAt).sort((a, b) => a - b);
		expect(times[1000] - times[0]).toBeGreaterThanOrEqual(6000);
	});

	it('the Max Requests per Second override replaces the documented limit', async () => {
		scaleWindows(0.5); // a second lasts 500 ms
		env.fake.faults.documentedLimits = false;
		// The fake allows 12 where the node is told 10: the fake runs in the node's own process, so a pause of its
		// event loop (a garbage collection after a large suite) can bunch one window's arrivals into the next; the
		// documented 50 a second, were the override ignored, would still exceed 12 many times over.
		env.fake.faults.rateLimits['feishu.user.get'] = { limit: 12, windowMs: 1000 };
		const result = await env.bench.run(userGets(35, { requestsPerSecond: 10 }));
		expect(result.json.filter((j) => j.open_id === 'ou_1')).toHaveLength(35);
		expect(env.fake.tooFastAnswers['feishu.user.get'] ?? 0).toBe(0);
		const calls = env.fake.calls('feishu.user.get');
		expect(busiestWindow(calls, 500)).toBeLessThanOrEqual(12);
		// Were the override ignored, the documented 50 a second would have met the fake's 10 a second with
		// "too fast" answers. 35 at 10 per (scaled) second: the 31st arrives at least three windows after the first.
		const times = calls.map((c) => c.sentAt).sort((a, b) => a - b);
		expect(times[30] - times[0]).toBeGreaterThanOrEqual(3 * 500);
	});
});

describe("a request's place in the windows", () => {
	const minute = [{ limit: 2, windowMs: 60_000 }];
	it('counts from its start plus the margin while in flight, then from its answer if that came sooner; a token refresh counts from its answer, however late', async () => {
		const pacer = new Pacer(['test', `lane-${Date.now()}-${Math.random()}`]);
		const fast = await pacer.acquire('api', minute);
		// In flight: it may reach the platform up to 2% of the window and 50 ms after its start.
		expect(fast.entries.map((e) => e.value)).toEqual([fast.start + 1250]);
		pacer.answered(fast, fast.start + 30, false);
		expect(fast.entries.map((e) => e.value)).toEqual([fast.start + 30]);
		// An answer later than the margin changes nothing (the margin already covers it)...
		const slow = await pacer.acquire('api', minute);
		pacer.answered(slow, slow.start + 5000, false);
		expect(slow.entries.map((e) => e.value)).toEqual([slow.start + 1250]);
		// ...except for the request that waited for a token first: it left this process that much later.
		expect(slow.entries[0].starts).toEqual([fast.start + 30, slow.start + 1250]);
		pacer.release(slow);
		const refreshed = await pacer.acquire('api', minute);
		pacer.answered(refreshed, refreshed.start + 5000, true);
		expect(refreshed.entries.map((e) => e.value)).toEqual([refreshed.start + 5000]);
		// Refused as too fast: its places are given back.
		expect(refreshed.entries[0].starts).toEqual([fast.start + 30, refreshed.start + 5000]);
		pacer.release(refreshed);
		expect(fast.entries[0].starts).toEqual([fast.start + 30]);
	});
});

describe('a request refused as too fast', () => {
	it('takes no place in the windows: the platform did not count it, so the run still fits its minute', async () => {
		// Beside the documented 100 a minute, the fake allows only 20 in any 200 ms (a limit the node does not
		// know), so a burst meets "too fast" answers, which the fake does not count.
		scaleWindows(0.1); // a minute lasts 6 s
		env.fake.faults.rateLimits['feishu.userGroup.update'] = { limit: 20, windowMs: 2000 };
		const result = await env.bench.run({
			...feishu('userGroup', 'update', {
				groupId: 'g1837191',
				updateFields: { description: '={{ "d" + $json.i }}' },
			}),
			items: Array.from({ length: 100 }, (_, i) => ({ i })),
		});
		expect(result.error).toBeUndefined();
		expect(env.fake.tooFastAnswers['feishu.userGroup.update']).toBeGreaterThan(0);
		expect(env.fake.executed['feishu.userGroup.update']).toBe(100);
		// Had every refused attempt kept its place in the (6 s) minute window, the last updates would have
		// waited for it to pass.
		const accepted = env.fake.calls('feishu.userGroup.update').map((c) => c.sentAt);
		expect(Math.max(...accepted) - Math.min(...accepted)).toBeLessThan(5000);
	});
});

describe('another process using the same app (n8n queue-mode workers pace alone)', () => {
	it('"too fast" answers cut this process\'s share of the limit, which grows back: few refusals, every item done', async () => {
		scaleWindows(0.5); // a second lasts 500 ms
		// Another worker of the deployment reads users with the same app at about 30% of the limit meanwhile.
		const token = (
			(await (
				await fetch(`${env.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						app_id: 'cli_test_app',
						app_secret: env.bench.store.records.get('feishu')!.data.appSecret,
					}),
				})
			).json()) as { tenant_access_token: string }
		).tenant_access_token;
		let running = true;
		let other = 0;
		const otherWorker = (async () => {
			while (running) {
				const started = Date.now();
				await Promise.all(
					Array.from({ length: 15 }, async () => {
						const answer = await fetch(
							`${env.fake.url}/open-apis/contact/v3/users/ou_2?user_id_type=open_id`,
							{ headers: { authorization: `Bearer ${token}` } },
						);
						if (answer.status === 200) other++;
					}),
				);
				await new Promise((resolve) =>
					setTimeout(resolve, Math.max(0, 500 * 1.05 - (Date.now() - started))),
				);
			}
		})();
		const result = await env.bench.run(userGets(300));
		running = false;
		await otherWorker;
		expect(result.json.filter((j) => j.open_id === 'ou_1')).toHaveLength(300);
		// This process's requests (the other reads ou_2): each was carried out once, or refused and sent again.
		const refused =
			env.fake.calls('feishu.user.get').filter((c) => c.path.endsWith('/ou_1')).length - 300;
		// Without adapting, this process would keep asking for the whole 50 a (scaled) second beside the other's
		// 15: a good share of its requests refused, again and again. Adapting, it settles below the rest.
		expect(refused).toBeLessThan(30);
		expect(other).toBeGreaterThan(0);
	});
});

describe('the fake counts a request when this process sent it, not when its own loop got to it', () => {
	it("a stall between the hand-off and the handler is the host's, and a burst the node sends is still too fast", async () => {
		env.fake.faults.rateLimits['feishu.user.get'] = { limit: 2, windowMs: 1000 };
		// A valid token: one the fake refuses is not counted by its frequency control.
		const token = (
			(await (
				await fetch(`${env.fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ app_id: APPS.feishu.appId, app_secret: APPS.feishu.appSecret }),
				})
			).json()) as { tenant_access_token: string }
		).tenant_access_token;
		const get = (before?: (request: http.ClientRequest) => void): Promise<number> =>
			new Promise((resolve, reject) => {
				const request = http.request(
					`${env.fake.url}/open-apis/contact/v3/users/ou_1?user_id_type=open_id`,
					{ headers: { authorization: `Bearer ${token}` } },
					(answer) => {
						answer.resume();
						answer.on('end', () => resolve(answer.statusCode ?? 0));
					},
				);
				request.on('error', reject);
				before?.(request);
				request.end();
			});
		// Handed to the network, then this process stalls for 300 ms before the fake reads it.
		const stalling = get((request) =>
			request.once('finish', () => {
				const until = Date.now() + 300;
				while (Date.now() < until);
			}),
		);
		await stalling;
		const stalled = env.fake.requests[env.fake.requests.length - 1];
		expect(stalled.receivedAt - stalled.sentAt).toBeGreaterThanOrEqual(290);
		// Two more at once: with the one before, three sent within the window of two.
		await Promise.all([get(), get()]);
		expect(env.fake.tooFastAnswers['feishu.user.get']).toBe(1);
	});
});
