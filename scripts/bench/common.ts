/**
 * What the benchmark tables share: the fake API in a process of its own, tokens for a plain client, the
 * limit-bound minimum, number formatting, and the shape of a table (see ./registry.ts).
 */
import axios from 'axios';
import { spawn } from 'child_process';
import * as path from 'path';

import type { Faults } from '../../test/fake-api/server';
import { APPS } from '../../test/fake-api/server';
import { freePort, sleep } from '../lib/n8n';

/** One benchmark table: `BENCH_ONLY=<name> npm run bench` runs it alone; the full run runs them all in the registry's order. */
export interface BenchTable {
	/** The BENCH_ONLY value that runs this table alone. */
	name: string;
	/** false: no BENCH_ONLY value runs this table alone; it runs in the full run only. */
	selectable?: boolean;
	/** What it measures, in one line. */
	description: string;
	/** Measures, and prints the table to stdout. */
	run(): Promise<void>;
}

/**
 * The fake API in its own process, as a real API is: its work does not compete with the node's
 * event loop. A fresh process (new port) per run also means a fresh token.
 */
export async function startFake(faults: Partial<Faults>) {
	const port = await freePort();
	const child = spawn(process.execPath, [path.join(__dirname, '..', 'sandbox.js')], {
		env: {
			...process.env,
			SANDBOX_PORT: String(port),
			SANDBOX_QUIET: '1',
			SANDBOX_FAULTS: JSON.stringify(faults),
		},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	// A real platform is warm: warm the fake's JIT on its token endpoint (no rate limit) before measuring.
	await Promise.all(
		Array.from({ length: 5 }, async () => {
			for (let i = 0; i < 60; i++) await feishuToken(url);
		}),
	);
	return {
		url,
		stats: async () =>
			(await (await fetch(`${url}/__fake/stats`)).json()) as {
				calls: Record<string, number>;
				tooFast: Record<string, number>;
				violations: string[];
			},
		stop: async () => {
			child.kill('SIGTERM');
			await sleep(50);
		},
	};
}

export const f = (n: number, digits = 2) => n.toFixed(digits);

export const dingTalkToken = async (url: string) =>
	(
		await axios.post<{ accessToken: string }>(`${url}/v1.0/oauth2/accessToken`, {
			appKey: APPS.dingtalk.appKey,
			appSecret: APPS.dingtalk.appSecret,
		})
	).data.accessToken;
export const feishuToken = async (url: string) =>
	(
		await axios.post<{ tenant_access_token: string }>(
			`${url}/open-apis/auth/v3/tenant_access_token/internal`,
			{
				app_id: APPS.feishu.appId,
				app_secret: APPS.feishu.appSecret,
			},
		)
	).data.tenant_access_token;

/**
 * The earliest the last of N requests can finish: each request takes `serviceMs` (the answer time plus what
 * one request costs on this machine, measured by the floor), at most `concurrency` at once, and starts only
 * when every documented window allows it. Both limits bind in turn (a burst fills the first second at the
 * concurrency's pace, then waits for the window), so this is at least the largest of the two alone.
 */
export function limitBound(
	n: number,
	concurrency: number,
	serviceMs: number,
	windows: Array<{ limit: number; windowMs: number }>,
): number {
	const slots = new Array<number>(Math.min(concurrency, n)).fill(0);
	const starts: number[] = [];
	let end = 0;
	for (let k = 0; k < n; k++) {
		const slot = slots.indexOf(Math.min(...slots));
		let start = Math.max(slots[slot], k > 0 ? starts[k - 1] : 0);
		for (const w of windows)
			if (k >= w.limit) start = Math.max(start, starts[k - w.limit] + w.windowMs);
		starts.push(start);
		slots[slot] = start + serviceMs;
		end = Math.max(end, slots[slot]);
	}
	return end / 1000;
}
