import { Bench } from '../../test/harness';
import { NOTABLE_BASE } from '../../test/fake-api/dingtalk-notable';
import { USERS } from '../../test/fake-api/server';
import type { BenchTable } from './common';
import { dingTalkToken, f, limitBound, startFake } from './common';

/**
 * DingTalk AI tables against the fake enforcing the documented limits (DingTalk's 20 a second per app and
 * API: no AI-table page states one of its own): 10,000 records created by Create Many (auto-map, 100 a
 * call), read back by Search with Return All (100 a page), and 1,000 upserts, as the Bitable table reports
 * them. A batch's calls to one sheet go one after another, so the limit-bound minimum of Create Many is its
 * calls in sequence at the answer time with the 20 a second holding too; for search, the pages likewise.
 */
async function notableTable(): Promise<void> {
	const n = Number(process.env.BENCH_NOTABLE_RECORDS ?? 10_000);
	const upserts = Number(process.env.BENCH_NOTABLE_UPSERTS ?? 1000);
	const batchSize = 100;
	const base = { __rl: true, mode: 'id', value: NOTABLE_BASE };
	const sheet = { __rl: true, mode: 'name', value: 'Bench' };
	const at = { unionId: USERS.member, base, sheet };
	const items = Array.from({ length: n }, (_, i) => ({ Name: `row ${i}`, N: i }));
	const makeSheet = (bench: Bench) =>
		bench.run({
			node: 'dingTalk',
			parameters: {
				resource: 'notableSheet',
				operation: 'create',
				unionId: USERS.member,
				base,
				name: 'Bench',
				fields: {
					field: [
						{ name: 'Name', type: 'text' },
						{ name: 'N', type: 'number' },
					],
				},
			},
		});
	const createMany = (bench: Bench) =>
		bench.run({
			node: 'dingTalk',
			parameters: {
				resource: 'notableRecord',
				operation: 'createMany',
				...at,
				columns: { mappingMode: 'autoMapInputData', value: null },
			},
			items,
			continueOnFail: true,
		});
	process.stdout.write(
		`\nDingTalk AI tables (fake enforcing the documented limits: 20 a second per API):\n`,
	);

	for (const latency of [50, 200]) {
		const fake = await startFake({ latencyMs: latency, documentedLimits: true });
		try {
			const bench = new Bench(fake.url);
			// A warm process: the token is cached (the run still reads the sheet's fields).
			await makeSheet(bench);
			let started = process.hrtime.bigint();
			const created = await createMany(bench);
			const wall = Number(process.hrtime.bigint() - started) / 1e9;
			const seconds =
				(created.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
			const stats = await fake.stats();
			const calls = stats.calls['dingtalk.notableRecord.insert'] ?? 0;
			const failed = created.json.filter((j) => j.error !== undefined).length;
			const ids = created.json.map((j) => String(j.id));
			const bound = limitBound(Math.ceil(n / batchSize) + 1, 1, latency, [
				{ limit: 20, windowMs: 1000 },
			]);
			// The floor: a bare client sending the same calls, bodies built beforehand, one after another.
			const token = await dingTalkToken(fake.url);
			const bodies = Array.from({ length: Math.ceil(n / batchSize) }, (_, b) =>
				JSON.stringify({
					records: items.slice(b * batchSize, (b + 1) * batchSize).map((fields) => ({ fields })),
				}),
			);
			started = process.hrtime.bigint();
			for (const body of bodies) {
				const answer = await fetch(
					`${fake.url}/v1.0/notable/bases/${NOTABLE_BASE}/sheets/Bench/records?operatorId=${USERS.member}`,
					{
						method: 'POST',
						headers: { 'x-acs-dingtalk-access-token': token, 'content-type': 'application/json' },
						body,
					},
				);
				if (answer.status !== 200) throw new Error(`floor call failed: ${await answer.text()}`);
			}
			const floor = Number(process.hrtime.bigint() - started) / 1e9;
			process.stdout.write(
				`  ${n} records by Create Many (batch ${batchSize}), answer time ${latency} ms: the node ${f(seconds)} s (whole run ${f(wall)} s); calls ${calls} (target ${Math.ceil(n / batchSize)}); ` +
					`limit-bound minimum ${f(bound)} s (the fields list and the writes one after another, 20 a second) → ratio ${f(bound / seconds)}; ` +
					`floor (a bare client, the same writes) ${f(floor)} s + ${f(latency / 1000)} s for the fields → the node reaches ${f((floor + latency / 1000) / seconds)} of it; ` +
					`failed ${failed}, duplicated ${ids.length - new Set(ids).size}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
		} finally {
			await fake.stop();
		}
	}

	const latency = 50;
	const fake = await startFake({ latencyMs: latency, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		await makeSheet(bench);
		await createMany(bench);
		let stats = await fake.stats();
		const pagesBefore = stats.calls['dingtalk.notableRecord.list'] ?? 0;
		let started = process.hrtime.bigint();
		const found = await bench.run({
			node: 'dingTalk',
			parameters: { resource: 'notableRecord', operation: 'search', ...at, returnAll: true },
		});
		const searchSeconds = Number(process.hrtime.bigint() - started) / 1e9;
		stats = await fake.stats();
		const pages = (stats.calls['dingtalk.notableRecord.list'] ?? 0) - pagesBefore;
		const searchBound = limitBound(Math.ceil(n / 100) + 1, 1, latency, [
			{ limit: 20, windowMs: 1000 },
		]);
		process.stdout.write(
			`  ${n} records by Search, Return All, answer time ${latency} ms: ${f(searchSeconds)} s; pages ${pages} (target ${Math.ceil(n / 100)}); records out ${found.json.length}; ` +
				`limit-bound minimum ${f(searchBound)} s (the fields list and the pages one after another) → ratio ${f(searchBound / searchSeconds)}\n`,
		);

		const before = Object.values(stats.calls).reduce((a, b) => a + b, 0);
		started = process.hrtime.bigint();
		const upserted = await bench.run({
			node: 'dingTalk',
			parameters: {
				resource: 'notableRecord',
				operation: 'upsert',
				...at,
				columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: ['Name'] },
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
		const all = await bench.run({
			node: 'dingTalk',
			parameters: { resource: 'notableRecord', operation: 'search', ...at, returnAll: true },
		});
		const names = all.json.map((r) => String(r.Name));
		const upsertBound = limitBound(upserts, 5, latency, [{ limit: 20, windowMs: 1000 }]);
		process.stdout.write(
			`  ${upserts} upserts (half matching), concurrency 5: ${f(upsertSeconds)} s; requests per item ${f((after - before) / upserts)} (a search, a create or an update, the record read back); ` +
				`each lane at 20/s bounds it at ${f(upsertBound)} s → ratio ${f(upsertBound / upsertSeconds)}; failed ${upsertFailed}; records ${names.length} (target ${n + upserts / 2}), duplicated ${names.length - new Set(names).size}; violations ${stats.violations.length}\n`,
		);
	} finally {
		await fake.stop();
	}
}

export const notable: BenchTable = {
	name: 'notable',
	description:
		'DingTalk AI tables: 10,000 records by Create Many, read back by Search, and 1,000 upserts',
	run: notableTable,
};
