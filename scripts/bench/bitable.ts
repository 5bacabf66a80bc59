import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, feishuToken, limitBound, startFake } from './common';

/**
 * Feishu Bitable against the fake enforcing the documented limits (answer time 50 ms): 10,000 records created
 * by Create Many (auto-map), read back by Search with Return All, and 1,000 upserts. A table's writes go one at
 * a time (as the docs ask), so the limit-bound minimum of Create Many is its calls in sequence at the answer time,
 * with the 50 a second of batch_create holding too; for search, the pages in sequence at 20 a second.
 */
async function bitableTable(): Promise<void> {
	const n = Number(process.env.BENCH_BITABLE_RECORDS ?? 10_000);
	const upserts = Number(process.env.BENCH_BITABLE_UPSERTS ?? 1000);
	const batchSize = 500;
	const base = { __rl: true, mode: 'id', value: 'bascnBenchBase00001' };
	const table = { __rl: true, mode: 'id', value: 'tblBench000000001' };
	const auto = { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] };
	// The column mapper with an expression per column, as users map fields from an earlier node.
	const mapped = {
		mappingMode: 'defineBelow',
		value: { Name: '={{ $json.Name }}', N: '={{ $json.N }}' },
		matchingColumns: [],
		schema: [],
	};
	const rows = (count: number) =>
		Array.from({ length: count }, (_, i) => ({ Name: `row ${i}`, N: i }));
	const items = rows(n);
	const createMany = (bench: Bench, columns: object = auto, input = items) =>
		bench.run({
			node: 'feishu',
			parameters: {
				resource: 'bitableRecord',
				operation: 'createMany',
				base,
				table,
				columns,
			},
			items: input,
			continueOnFail: true,
		});
	process.stdout.write(`\nFeishu Bitable (fake enforcing the documented limits):\n`);

	// Create Many at two answer times: 50 ms, and 200 ms, nearer what a 500-record write takes on the platform;
	// and 1,000 records at 50 ms, by auto-map and by the column mapper, beside a bare client sending the same bodies.
	const cases = [
		{ records: n, latency: 50, columns: auto, how: 'auto-map' },
		{ records: n, latency: 200, columns: auto, how: 'auto-map' },
		{ records: 1000, latency: 50, columns: auto, how: 'auto-map' },
		{ records: 1000, latency: 50, columns: mapped, how: 'column mapper, an expression per column' },
	];
	for (const { records, latency, columns, how } of cases) {
		const input = records === n ? items : rows(records);
		const fake = await startFake({ latencyMs: latency, documentedLimits: true });
		try {
			const bench = new Bench(fake.url);
			// A warm process: the credential's token is already cached (the run still reads the table's fields).
			await bench.run({
				node: 'feishu',
				parameters: { resource: 'bitableTable', operation: 'getAll', base, returnAll: true },
			});
			let started = process.hrtime.bigint();
			const created = await createMany(bench, columns, input);
			const wall = Number(process.hrtime.bigint() - started) / 1e9;
			// The node's own time, as n8n records it (the whole run also builds the 10,000 input items).
			const seconds =
				(created.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
			const stats = await fake.stats();
			const calls = stats.calls['feishu.bitableRecord.batchCreate'] ?? 0;
			const failed = created.json.filter((j) => j.error !== undefined).length;
			// One fields list (the columns' types), then the writes, one at a time; the 50 a second does not bind.
			const bound = limitBound(Math.ceil(records / batchSize) + 1, 1, latency, [
				{ limit: 50, windowMs: 1000 },
			]);
			// The floor: a bare client (no n8n, no node) sending the same calls, bodies built beforehand, one after
			// another, to the same fake: the answer time plus what the fake spends on 500 records.
			const token = await feishuToken(fake.url);
			const bodies = Array.from({ length: Math.ceil(records / batchSize) }, (_, b) =>
				JSON.stringify({
					records: input.slice(b * batchSize, (b + 1) * batchSize).map((fields) => ({ fields })),
				}),
			);
			await fetch(`${fake.url}/__fake/reset`, {
				method: 'POST',
				body: JSON.stringify({ latencyMs: latency, documentedLimits: true }),
			});
			started = process.hrtime.bigint();
			for (const body of bodies) {
				const answer = await fetch(
					`${fake.url}/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001/records/batch_create?client_token=${crypto.randomUUID()}`,
					{
						method: 'POST',
						headers: {
							authorization: `Bearer ${token}`,
							'content-type': 'application/json; charset=utf-8',
						},
						body,
					},
				);
				if (((await answer.json()) as { code: number }).code !== 0)
					throw new Error('floor call failed');
			}
			const floor = Number(process.hrtime.bigint() - started) / 1e9;
			process.stdout.write(
				`  ${records} records by Create Many (batch ${batchSize}, ${how}), answer time ${latency} ms: the node ${f(seconds)} s (whole run ${f(wall)} s); calls ${calls} (target ${Math.ceil(records / batchSize)}); ` +
					`limit-bound minimum ${f(bound)} s (the fields list and the writes one at a time × ${latency} ms) → ratio ${f(bound / seconds)}; ` +
					`floor (a bare client, the same writes) ${f(floor)} s + ${f(latency / 1000)} s for the fields → the node reaches ${f((floor + latency / 1000) / seconds)} of it; failed ${failed}; ` +
					`too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
		} finally {
			await fake.stop();
		}
	}

	const latency = 50;
	const fake = await startFake({ latencyMs: latency, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		await createMany(bench);
		let stats = await fake.stats();
		const searchesBefore = stats.calls['feishu.bitableRecord.search'] ?? 0;
		const heapBefore = process.memoryUsage().heapUsed;
		let peak = heapBefore;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
		let started = process.hrtime.bigint();
		const found = await bench.run({
			node: 'feishu',
			parameters: { resource: 'bitableRecord', operation: 'search', base, table, returnAll: true },
		});
		const searchSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		clearInterval(sampler);
		stats = await fake.stats();
		const pages = (stats.calls['feishu.bitableRecord.search'] ?? 0) - searchesBefore;
		const searchBound = limitBound(Math.ceil(n / 500), 1, latency, [{ limit: 20, windowMs: 1000 }]);
		process.stdout.write(
			`  ${n} records by Search, Return All, answer time ${latency} ms: ${f(searchSeconds)} s; pages ${pages} (target ${Math.ceil(n / 500)}); records out ${found.json.length}; ` +
				`limit-bound minimum ${f(searchBound)} s → ratio ${f(searchBound / searchSeconds)}; peak heap growth ${f((peak - heapBefore) / 1024 / 1024, 1)} MB ` +
				`(the output itself is ${n} items)\n`,
		);

		const before = Object.values(stats.calls).reduce((a, b) => a + b, 0);
		started = process.hrtime.bigint();
		const upserted = await bench.run({
			node: 'feishu',
			parameters: {
				resource: 'bitableRecord',
				operation: 'upsert',
				base,
				table,
				columns: {
					mappingMode: 'autoMapInputData',
					value: null,
					matchingColumns: ['Name'],
					schema: [],
				},
				options: { concurrency: 5 },
			},
			// Half update existing rows, half create new ones.
			items: Array.from({ length: upserts }, (_, i) => ({
				Name: i % 2 ? `row ${i}` : `new ${i}`,
				N: -i,
			})),
			continueOnFail: true,
		});
		const upsertSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		stats = await fake.stats();
		const after = Object.values(stats.calls).reduce((a, b) => a + b, 0);
		const upsertFailed = upserted.json.filter((j) => j.error !== undefined).length;
		const upsertBound = limitBound(upserts, 5, latency, [{ limit: 20, windowMs: 1000 }]);
		process.stdout.write(
			`  ${upserts} upserts (half matching), concurrency 5: ${f(upsertSeconds)} s; requests per item ${f((after - before) / upserts)} (a search, then a create or an update); ` +
				`search at 20/s bounds it at ${f(upsertBound)} s → ratio ${f(upsertBound / upsertSeconds)}; failed ${upsertFailed}; violations ${stats.violations.length}\n`,
		);
	} finally {
		await fake.stop();
	}
}

export const bitable: BenchTable = {
	name: 'bitable',
	description:
		'Feishu Bitable: 10,000 records by Create Many, read back by Search, and 1,000 upserts',
	run: bitableTable,
};
