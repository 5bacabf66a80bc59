/**
 * The table-driven operation cases of both platforms: each row's documented request, its output and one
 * documented error; each list's pages, Return All and Limit. test/dingtalk/operations.test.ts and
 * test/feishu/operations.test.ts hold the rows.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Answer } from './fake-api/server';
import type { RunOptions } from './harness';
import type { Env } from './helpers';

export const rl = (value: string | number) => ({ __rl: true, mode: 'id', value });

export interface Row {
	name: string;
	run: RunOptions;
	route: string;
	request: { method: string; path: string; query?: Record<string, string>; body?: unknown };
	output: IDataObject[] | ((json: IDataObject[]) => void);
	/** A documented error: scripted answer, expected code, and a fragment of its documented meaning. */
	error: [Answer, string, RegExp];
}

export const dNew = (status: number, code: string, message = code): Answer => ({
	status,
	body: { code, message, requestid: 'r1' },
});
export const dOld = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: 'r1' },
});
export const fErr = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg },
});

export interface ListCase {
	name: string;
	route: string;
	run: (extra: IDataObject) => RunOptions;
	seed: (count: number) => void;
	/** Records the seed adds on top of what is already there. */
	base: number;
	maxPage: number;
	pageSizeOf: (call: { query: Record<string, string>; body: unknown }) => number;
	/** The first record of the seeded data, as the node outputs it. */
	first: IDataObject;
	/** A documented error of this list API: answer, code, fragment of its meaning. */
	error: [Answer, string, RegExp];
}

/** Each row: the documented request and output, then a documented error with its meaning. */
export function describeRows(env: Env, rows: Row[]): void {
	describe.each(rows)('$name', (row) => {
		it('sends the documented request and returns its output', async () => {
			const result = await env.bench.run(row.run);
			expect(result.error).toBeUndefined();
			const calls = env.fake.calls(row.route);
			expect(calls).toHaveLength(1);
			const [call] = calls;
			expect({ method: call.method, path: call.path }).toEqual({
				method: row.request.method,
				path: row.request.path,
			});
			const { access_token: _token, ...query } = call.query;
			expect(query).toEqual(row.request.query ?? {});
			if (row.request.body === undefined) expect(call.rawBody).toBe('');
			else expect(call.body).toEqual(row.request.body);
			if (typeof row.output === 'function') row.output(result.json);
			else expect(result.json).toEqual(row.output);
			expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('surfaces a documented error with its meaning', async () => {
			const [answer, code, meaning] = row.error;
			// Idempotent requests are retried 3 times on a 5xx answer before it is reported.
			const idempotent =
				['GET', 'PUT', 'DELETE'].includes(row.request.method) ||
				/\/(get|list|simplelist|getrole|getrolegroup|getbymobile|getbyunionid|batch_get_id)/.test(
					row.request.path,
				);
			env.fake.script(
				row.route,
				...Array.from({ length: answer.status >= 500 && idempotent ? 4 : 1 }, () => answer),
			);
			const result = await env.bench.run(row.run);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toContain(`error ${code}:`);
			expect(result.error?.description).toMatch(meaning);
			expect(result.error?.httpCode).toBe(String(answer.status));
		});
	});
}

/** Each list: one full page, several pages with Return All, an error, and a Limit that lands mid-page. */
export function describeLists(env: Env, lists: ListCase[]): void {
	describe.each(lists)('paging: $name', (list) => {
		it('returns exactly one full page in one request', async () => {
			list.seed(list.maxPage - list.base);
			const result = await env.bench.run(list.run({ returnAll: true }));
			expect(result.error).toBeUndefined();
			expect(result.json).toHaveLength(list.maxPage);
			expect(result.json[0]).toEqual(list.first);
			const calls = env.fake.calls(list.route);
			expect(calls.map((c) => list.pageSizeOf(c))).toEqual([list.maxPage]);
		});

		it('follows the cursor across several pages with Return All', async () => {
			const total = list.maxPage * 2 + 7;
			list.seed(total - list.base);
			const result = await env.bench.run(list.run({ returnAll: true }));
			expect(result.json).toHaveLength(total);
			expect(new Set(result.json.map((j) => JSON.stringify(j))).size).toBe(total);
			expect(env.fake.calls(list.route)).toHaveLength(3);
			expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('surfaces a documented error with its meaning', async () => {
			const [answer, code, meaning] = list.error;
			env.fake.script(list.route, answer);
			const result = await env.bench.run(list.run({ returnAll: true }));
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toContain(`error ${code}:`);
			expect(result.error?.description).toMatch(meaning);
		});

		it('stops at a limit that lands mid-page, asking for no more than it needs', async () => {
			list.seed(list.maxPage * 2 - list.base);
			const limit = list.maxPage + 3;
			const result = await env.bench.run(list.run({ returnAll: false, limit }));
			expect(result.json).toHaveLength(limit);
			expect(env.fake.calls(list.route).map((c) => list.pageSizeOf(c))).toEqual([list.maxPage, 3]);
		});
	});
}
