import { OPTION_DEFAULTS } from '../../nodes/shared/description';
import { pacingClock } from '../../nodes/shared/pacing';
import { USERS } from '../../test/fake-api/server';
import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { dingTalkToken, f, feishuToken, limitBound, startFake } from './common';

/** One API under its documented limit: the node's operation, and the same request for a plain client. */
interface PacedCase {
	label: string;
	route: string;
	node: 'dingTalk' | 'feishu';
	parameters: Record<string, unknown>;
	/** The documented windows, as the fake enforces them (before scaling). */
	windows: Array<{ limit: number; windowMs: number }>;
	/** The same request, for the plain client: method, path, headers from the token. */
	plain(
		url: string,
		token: string,
	): { method: 'GET' | 'PATCH'; url: string; headers: Record<string, string>; body?: unknown };
	token(url: string): Promise<string>;
}

const PACED_CASES: Record<string, PacedCase> = {
	feishuPerSecond: {
		label: 'Feishu › User › Get (1000/min and 50/s)',
		route: 'feishu.user.get',
		node: 'feishu',
		parameters: { resource: 'user', operation: 'get', userId: 'ou_1', userIdType: 'open_id' },
		windows: [
			{ limit: 50, windowMs: 1000 },
			{ limit: 1000, windowMs: 60_000 },
		],
		plain: (url, token) => ({
			method: 'GET',
			url: `${url}/open-apis/contact/v3/users/ou_1?user_id_type=open_id`,
			headers: { Authorization: `Bearer ${token}` },
		}),
		token: feishuToken,
	},
	feishuPerMinute: {
		label: 'Feishu › User Group › Update (100/min only)',
		route: 'feishu.userGroup.update',
		node: 'feishu',
		parameters: {
			resource: 'userGroup',
			operation: 'update',
			groupId: 'g1837191',
			updateFields: { description: 'bench' },
		},
		windows: [{ limit: 100, windowMs: 60_000 }],
		plain: (url, token) => ({
			method: 'PATCH',
			url: `${url}/open-apis/contact/v3/group/g1837191`,
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: { description: 'bench' },
		}),
		token: feishuToken,
	},
	dingTalkPerSecond: {
		label: 'DingTalk › Meeting Room Group › Get (20/s)',
		route: 'dingtalk.meetingRoomGroup.get',
		node: 'dingTalk',
		parameters: {
			resource: 'meetingRoomGroup',
			operation: 'get',
			groupId: '172',
			unionId: USERS.member,
		},
		windows: [{ limit: 20, windowMs: 1000 }],
		plain: (url, token) => ({
			method: 'GET',
			url: `${url}/v1.0/rooms/groups/172?unionId=${USERS.member}`,
			headers: { 'x-acs-dingtalk-access-token': token },
		}),
		token: dingTalkToken,
	},
};

interface PacedResult {
	seconds: number;
	tooFast: number;
	failed: number;
	calls: number;
}

/** The node, at its documented pacing, against the fake enforcing the documented windows (scaled by `scale`). */
async function measurePaced(
	c: PacedCase,
	n: number,
	latencyMs: number,
	scale: number,
): Promise<PacedResult> {
	const fake = await startFake({ latencyMs, documentedLimits: true, timeScale: scale });
	pacingClock.scale = scale;
	try {
		const bench = new Bench(fake.url);
		const started = process.hrtime.bigint();
		const result = await bench.run({
			node: c.node,
			parameters: { ...c.parameters, options: { concurrency: OPTION_DEFAULTS.concurrency } },
			items: Array.from({ length: n }, (_, i) => ({ i })),
			continueOnFail: true,
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		if (result.json.length !== n)
			throw new Error(`expected ${n} outputs, got ${result.json.length}`);
		const stats = await fake.stats();
		if (stats.violations.length > 0)
			throw new Error(`spec violations: ${stats.violations.join('; ')}`);
		return {
			seconds,
			tooFast: stats.tooFast[c.route] ?? 0,
			failed: result.json.filter((j) => j.error !== undefined).length,
			calls: stats.calls[c.route] ?? 0,
		};
	} finally {
		pacingClock.scale = 1;
		await fake.stop();
	}
}

/**
 * A node with no pacing and no retry: the same requests through n8n's own `httpRequest` helper at the
 * same concurrency, in the same engine (test/harness.ts, PlainHttp), the way an unpaced node sends: fast
 * while the limits allow, then failed items. `limited`: the fake enforces the documented windows;
 * otherwise it is the floor, the fastest any node can send these requests on this machine.
 */
async function measurePlain(
	c: PacedCase,
	n: number,
	latencyMs: number,
	scale: number,
	limited: boolean,
): Promise<PacedResult> {
	const fake = await startFake({ latencyMs, documentedLimits: limited, timeScale: scale });
	try {
		const token = await c.token(fake.url);
		const bench = new Bench(fake.url);
		const started = process.hrtime.bigint();
		const result = await bench.run({
			node: 'plainHttp',
			parameters: {
				request: JSON.stringify({
					...c.plain(fake.url, token),
					concurrency: OPTION_DEFAULTS.concurrency,
					ok: c.node,
				}),
			},
			items: Array.from({ length: n }, (_, i) => ({ i })),
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		if (result.json.length !== n)
			throw new Error(`expected ${n} outputs, got ${result.json.length}`);
		const stats = await fake.stats();
		return {
			seconds,
			tooFast: stats.tooFast[c.route] ?? 0,
			failed: result.json.filter((j) => j.error !== undefined).length,
			calls: stats.calls[c.route] ?? 0,
		};
	} finally {
		await fake.stop();
	}
}

/** The pacing table: each case at 0 ms and 50 ms of answer time. */
async function pacingTable(): Promise<void> {
	const scale = Number(process.env.BENCH_SCALE ?? 0.25);
	const concurrency = OPTION_DEFAULTS.concurrency;
	process.stdout.write(
		`\nPacing at the documented limits (fake enforces them in sliding windows; concurrency ${concurrency}). ` +
			`Limit-bound minimum: the windows and the concurrency together, each request taking what it takes a bare ` +
			`n8n node (httpRequest, no pacing) on the same fake without limits (the floor). Sustained runs scale every window in the fake and the node together.\n`,
	);
	// [case, N, window scale, latency]: bursts within the windows at real time, sustained loads scaled.
	const rows: Array<[PacedCase, number, number, number]> = [];
	for (const latency of [0, 50]) {
		rows.push(
			[PACED_CASES.feishuPerSecond, 100, 1, latency],
			[PACED_CASES.feishuPerMinute, 100, 1, latency],
			[PACED_CASES.dingTalkPerSecond, 100, 1, latency],
			[PACED_CASES.feishuPerSecond, 2000, scale, latency],
			[PACED_CASES.feishuPerMinute, 250, scale / 2.5, latency],
		);
	}
	let worst = Infinity;
	let tooFastTotal = 0;
	let failedTotal = 0;
	for (const [c, n, rowScale, latency] of rows) {
		// Short runs vary by tens of percent while the JIT warms up: warm both up, then take the median of five.
		const repeat = n <= 100 ? 5 : 1;
		if (n <= 100) {
			await measurePaced(c, n, latency, rowScale);
			await measurePlain(c, n, latency, rowScale, false);
		}
		const median = async (measure: () => Promise<PacedResult>) => {
			const runs: PacedResult[] = [];
			for (let r = 0; r < repeat; r++) runs.push(await measure());
			const middle = runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(repeat / 2)];
			// Time: the median; "too fast" answers and failures: the worst run.
			return {
				...middle,
				tooFast: Math.max(...runs.map((r) => r.tooFast)),
				failed: Math.max(...runs.map((r) => r.failed)),
			};
		};
		const floor = await median(async () => await measurePlain(c, n, latency, rowScale, false));
		const windows = c.windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs * rowScale }));
		const serviceMs = Math.max(latency, (floor.seconds * 1000 * concurrency) / n);
		const simple = Math.max((n * latency) / 1000 / concurrency, limitBound(n, n, latency, windows));
		const bound = Math.max(simple, limitBound(n, concurrency, serviceMs, windows));
		const node = await median(async () => await measurePaced(c, n, latency, rowScale));
		const plain = await measurePlain(c, n, latency, rowScale, true);
		const ratio = bound / node.seconds;
		worst = Math.min(worst, ratio);
		tooFastTotal += node.tooFast;
		failedTotal += node.failed;
		process.stdout.write(
			`  ${c.label}, N=${n}, ${latency} ms${rowScale !== 1 ? `, windows ×${rowScale}` : ''}: ${f(node.seconds)} s; ` +
				`limit-bound ${f(bound)} s (max(N × latency / C, windows alone) = ${f(simple)} s) → ratio ${f(ratio)}; ` +
				`too fast ${node.tooFast}, failed ${node.failed}` +
				` | unpaced node: ${f(plain.seconds)} s, too fast ${plain.tooFast}, failed ${plain.failed} of ${n}\n`,
		);
	}
	process.stdout.write(
		`  worst ratio ${f(worst)} (target ≥ 0.9); too fast ${tooFastTotal} (target 0); failed ${failedTotal} (target 0)\n`,
	);
	process.stdout.write(
		'  DingTalk documents no per-minute-only limit for the APIs this package calls, so it has no per-minute case.\n',
	);
}

export const pacing: BenchTable = {
	name: 'pacing',
	description:
		'pacing at the documented limits: a per-second and a per-minute-only API, bursts and sustained loads, beside an unpaced node',
	run: pacingTable,
};
