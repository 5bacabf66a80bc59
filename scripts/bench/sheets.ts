import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, feishuToken, startFake } from './common';

/**
 * Feishu Sheets against the fake enforcing the documented limits (answer time 50 ms): 10,000 rows appended,
 * 50,000 cells read back as rows, and 1,000 rows appended-or-updated against those 10,000. Writes to one
 * spreadsheet go one at a time ("单个文档只能串行调用"), so each case's limit-bound minimum is its calls in
 * sequence at the answer time: the sheet list, the header, then its reads and writes (100 a second does not
 * bind at these counts). Beside it, a bare client's floor: the same calls with bodies built beforehand.
 */
async function sheetsTable(): Promise<void> {
	const n = Number(process.env.BENCH_SHEET_ROWS ?? 10_000);
	const upserts = Number(process.env.BENCH_SHEET_UPSERTS ?? 1000);
	const latency = 50;
	const book = { __rl: true, mode: 'id', value: 'shtcnSandboxSheet00000001' };
	const sheet = { __rl: true, mode: 'id', value: 'e5f6g7' };
	const auto = { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] };
	const items = Array.from({ length: n }, (_, i) => ({
		Key: `k${i}`,
		Name: `row ${i}`,
		N: i,
		Date: '2024-01-05',
		Note: 'x',
	}));
	const run = (bench: Bench, operation: string, extra: Record<string, unknown>, input?: object[]) =>
		bench.run({
			node: 'feishu',
			parameters: { resource: 'sheet', operation, spreadsheet: book, sheet, ...extra },
			...(input ? { items: input as never } : {}),
			continueOnFail: true,
		});
	const nodeSeconds = (result: Awaited<ReturnType<Bench['run']>>, wall: number) =>
		(result.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
	const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
		const started = process.hrtime.bigint();
		const result = await work();
		return [result, Number(process.hrtime.bigint() - started) / 1e9];
	};
	process.stdout.write(
		`\nFeishu Sheets (fake enforcing the documented limits, answers ${latency} ms):\n`,
	);

	const fake = await startFake({ latencyMs: latency, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		// A warm process: the credential's token is cached (the run still lists the sheets and reads the header).
		await bench.run({
			node: 'feishu',
			parameters: { resource: 'spreadsheet', operation: 'get', spreadsheet: book },
		});
		const token = await feishuToken(fake.url);
		const call = async (method: string, path: string, body?: unknown) => {
			const answer = await fetch(`${fake.url}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${token}`,
					'content-type': 'application/json; charset=utf-8',
				},
				...(body ? { body: JSON.stringify(body) } : {}),
			});
			const json = (await answer.json()) as { code: number };
			if (json.code !== 0) throw new Error(`floor call failed: ${JSON.stringify(json)}`);
		};

		// 1. Append 10,000 rows: the sheet list, the (empty) header, the header written, two appends of 5,000.
		let stats = await fake.stats();
		let before = { ...stats.calls };
		const [appended, appendWall] = await timed(() =>
			run(bench, 'append', { columns: auto }, items),
		);
		stats = await fake.stats();
		const appendCalls = Object.entries(stats.calls).reduce(
			(s, [k, v]) => s + v - (before[k] ?? 0),
			0,
		);
		const appendSeconds = nodeSeconds(appended, appendWall);
		const appendBound = (appendCalls * latency) / 1000;
		const failed = appended.json.filter((j) => j.error !== undefined).length;
		// The floor: the same two appends from a bare client, into another sheet (Orders) so as to leave this one as is.
		const header = Object.keys(items[0]);
		const bodies = [0, 1].map((b) => ({
			valueRange: {
				range: 'a1b2c3!A2:E5001',
				values: items
					.slice(b * 5000, (b + 1) * 5000)
					.map((item) => header.map((h) => (item as Record<string, unknown>)[h])),
			},
		}));
		const [, appendFloor] = await timed(async () => {
			for (const body of bodies)
				await call(
					'POST',
					'/open-apis/sheets/v2/spreadsheets/shtcnSandboxSheet00000001/values_append?insertDataOption=INSERT_ROWS',
					body,
				);
		});
		process.stdout.write(
			`  append ${n} rows: the node ${f(appendSeconds)} s (whole run ${f(appendWall)} s); calls ${appendCalls}; limit-bound minimum ${f(appendBound)} s → ratio ${f(appendBound / appendSeconds)}; ` +
				`floor (a bare client, the 2 appends alone) ${f(appendFloor)} s → the node reaches ${f((appendFloor + ((appendCalls - 2) * latency) / 1000) / appendSeconds)} of it; failed ${failed}; too fast ${JSON.stringify(stats.tooFast)}\n`,
		);

		// (The dates went in as serial numbers, as the sheet stores them; this column has no date format, so they
		// read back as the numbers.)
		// 2. Read 50,000 cells (10,000 rows × 5 columns) back as rows.
		stats = await fake.stats();
		before = { ...stats.calls };
		const [read, readWall] = await timed(() => run(bench, 'read', { returnAll: true }));
		stats = await fake.stats();
		const readCalls = Object.entries(stats.calls).reduce(
			(s, [k, v]) => s + v - (before[k] ?? 0),
			0,
		);
		const readSeconds = nodeSeconds(read, readWall);
		const readBound = (readCalls * latency) / 1000;
		const equal = read.json.every(
			(row, i) => row.Key === `k${i}` && row.N === i && row.Date === 45296,
		);
		process.stdout.write(
			`  read ${n * 5} cells (${read.json.length} rows): the node ${f(readSeconds)} s; calls ${readCalls}; limit-bound minimum ${f(readBound)} s → ratio ${f(readBound / readSeconds)}; read back equal ${equal}\n`,
		);

		// 3. Append or update 1,000 rows against the sheet's rows: half match (updated), half are new (appended).
		const mixed = Array.from({ length: upserts }, (_, i) =>
			i % 2 ? { Key: `k${i}`, Note: 'updated' } : { Key: `new${i}`, Name: 'new', N: -i },
		);
		before = { ...stats.calls };
		const [upserted, upsertWall] = await timed(() =>
			run(bench, 'appendOrUpdate', { columns: { ...auto, matchingColumns: ['Key'] } }, mixed),
		);
		stats = await fake.stats();
		const upsertCalls = Object.entries(stats.calls).reduce(
			(s, [k, v]) => s + v - (before[k] ?? 0),
			0,
		);
		const upsertSeconds = nodeSeconds(upserted, upsertWall);
		const upsertBound = (upsertCalls * latency) / 1000;
		const upsertFailed = upserted.json.filter((j) => j.error !== undefined).length;
		const all = await run(bench, 'read', { returnAll: true });
		const keys = all.json.map((r) => String(r.Key));
		const duplicated = keys.length - new Set(keys).size;
		process.stdout.write(
			`  append or update ${upserts} rows against ${n}: the node ${f(upsertSeconds)} s; calls ${upsertCalls} (the key column read once); limit-bound minimum ${f(upsertBound)} s → ratio ${f(upsertBound / upsertSeconds)}; ` +
				`failed ${upsertFailed}; duplicated rows ${duplicated}; violations ${stats.violations.length}\n`,
		);
	} finally {
		await fake.stop();
	}
	await dingTalkWorkbookCases(n, upserts, latency, items, auto);
}

/**
 * The same three cases on a DingTalk workbook: appendRows, reads in blocks up to the last row with data,
 * and Append or Update (the first half of the items match consecutive rows: one PUT; the rest are new).
 * Every call is paced in the workbook's lane too (the FAQ's 100 a minute), which these counts do not reach.
 */
async function dingTalkWorkbookCases(
	n: number,
	upserts: number,
	latency: number,
	items: object[],
	auto: object,
): Promise<void> {
	const workbook = { __rl: true, mode: 'id', value: 'Zr2Zx7DwTb0RWnDgyXq3mqNLOGGE1L5k' };
	const sheet = { __rl: true, mode: 'id', value: 'st-empty-0001' };
	const fake = await startFake({ latencyMs: latency, documentedLimits: true });
	process.stdout.write(
		`\nDingTalk workbooks (fake enforcing the documented limits, answers ${latency} ms):\n`,
	);
	try {
		const bench = new Bench(fake.url);
		await bench.run({
			node: 'dingTalk',
			parameters: { resource: 'workbook', operation: 'get', unionId: 'union-member-002', workbook },
		});
		const run = (operation: string, extra: Record<string, unknown>, input?: object[]) =>
			bench.run({
				node: 'dingTalk',
				parameters: {
					resource: 'workbookSheet',
					operation,
					unionId: 'union-member-002',
					workbook,
					sheet,
					...extra,
				},
				...(input ? { items: input as never } : {}),
				continueOnFail: true,
			});
		const measure = async (label: string, work: () => ReturnType<typeof run>) => {
			const before = { ...(await fake.stats()).calls };
			const started = process.hrtime.bigint();
			const result = await work();
			const wall = Number(process.hrtime.bigint() - started) / 1e9;
			const stats = await fake.stats();
			const calls = Object.entries(stats.calls).reduce((s, [k, v]) => s + v - (before[k] ?? 0), 0);
			const seconds =
				(result.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
			const bound = (calls * latency) / 1000;
			const failed = result.json.filter((j) => j.error !== undefined).length;
			process.stdout.write(
				`  ${label}: the node ${f(seconds)} s; calls ${calls}; limit-bound minimum ${f(bound)} s → ratio ${f(bound / seconds)}; failed ${failed}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
			return result;
		};
		await measure(`append ${n} rows`, () => run('append', { columns: auto }, items));
		const read = await measure(`read ${n * 5} cells`, () => run('read', { returnAll: true }));
		const equal =
			read.json.length === n && read.json.every((row, i) => row.Key === `k${i}` && row.N === i);
		process.stdout.write(`    read back equal ${equal}\n`);
		const mixed = Array.from({ length: upserts }, (_, i) =>
			i < upserts / 2 ? { Key: `k${i}`, Note: 'updated' } : { Key: `new${i}`, Name: 'new', N: -i },
		);
		await measure(`append or update ${upserts} rows against ${n}`, () =>
			run('appendOrUpdate', { columns: { ...auto, matchingColumns: ['Key'] } }, mixed),
		);
		const all = await run('read', { returnAll: true });
		const keys = all.json.map((r) => String(r.Key));
		process.stdout.write(
			`    rows ${keys.length} (target ${n + upserts / 2}); duplicated rows ${keys.length - new Set(keys).size}\n`,
		);
	} finally {
		await fake.stop();
	}
}

export const sheets: BenchTable = {
	name: 'sheets',
	description:
		'Feishu Sheets and DingTalk workbooks: 10,000 rows appended, 50,000 cells read, 1,000 appended or updated',
	run: sheetsTable,
};
