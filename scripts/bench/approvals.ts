import { pacingClock } from '../../nodes/shared/pacing';
import { APPROVAL_EXPENSE } from '../../test/fake-api/feishu-approval';
import { DING_PROCESS_EXPENSE } from '../../test/fake-api/dingtalk-approval';
import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, limitBound, startFake } from './common';

/**
 * Approvals: 500 instances started from items with a 10-field form (text, textarea, number, amount, date,
 * date range, single and multiple choice, contacts, a detail table), on each platform, against the fake
 * enforcing the documented limits with 50 ms answers:
 * - Feishu's create is 100 a minute (创建审批实例, 100 次/分钟), so 500 take at least four full windows;
 *   BENCH_APPROVAL_SCALE=0.25 makes a minute 15 s.
 * - DingTalk documents no per-API limit for its workflow APIs, so its default of 20 a second per app and
 *   API binds.
 * The limit-bound minimum is the definition read once, then the creates at the documented windows with
 * the node's concurrency (5). Failed and duplicated are counted in the fake (one instance per item: the
 * titles are distinct). The node's own CPU time per item for the form mapping is the process's CPU per
 * item with the 10-field form, less the same with the form's 5 required fields alone, both against an instant fake
 * without limits and the node's pacing windows shrunk (so that only the node's work is measured).
 */
async function approvalsTable(): Promise<void> {
	const n = Number(process.env.BENCH_APPROVALS ?? 500);
	const scale = Number(process.env.BENCH_APPROVAL_SCALE ?? 1);
	const latency = 50;
	const concurrency = 5;
	process.stdout.write(
		`\nApprovals (fake enforcing the documented limits, answers ${latency} ms${scale !== 1 ? `; windows ×${scale}` : ''}; ${n} instances, 10-field form):\n`,
	);
	const TZ = 'Asia/Shanghai';
	const auto = { mappingMode: 'autoMapInputData', value: null };

	const feishuItems = (count: number) =>
		Array.from({ length: count }, (_, i) => ({
			Title: `Trip ${i}`,
			Reason: 'Client visit',
			Nights: String(1 + (i % 5)),
			'Total amount': `${100 + i}.5 USD`,
			'Expense date': '2026-12-01',
			'Trip period': { start: '2026-12-01', end: '2026-12-03' },
			Category: i % 2 ? 'Meals' : 'Travel',
			Tags: 'Urgent, Client related',
			Attendees: 'ou_2, ou_3',
			Items: [
				{ Item: 'Taxi', Cost: 35 },
				{ Item: 'Hotel', Cost: '85.5' },
			],
		}));
	const dingItems = (count: number) =>
		Array.from({ length: count }, (_, i) => ({
			Title: `Trip ${i}`,
			Reason: 'Client visit',
			Nights: String(1 + (i % 5)),
			'Amount (CNY)': 100 + i,
			Category: i % 2 ? 'Meals' : 'Travel',
			Tags: ['Client', 'Urgent'],
			'Expense date': '2026-12-01',
			'["Start","End"]': { start: '2026-12-01', end: '2026-12-03' },
			'Travel companions': 'manager4220, staff0002',
			Items: [
				{ Item: 'Taxi', Cost: 35 },
				{ Item: 'Hotel', Cost: '85.5' },
			],
		}));
	const feishuRun = (bench: Bench, items: object[], approvalCode: string) =>
		bench.run({
			node: 'feishu',
			parameters: {
				resource: 'approval',
				operation: 'createInstance',
				approvalCode: { __rl: true, mode: 'id', value: approvalCode },
				userId: 'ou_1',
				form: auto,
				options: { concurrency },
			},
			items: items as never,
			continueOnFail: true,
			timezone: TZ,
		});
	const dingRun = (bench: Bench, items: object[]) =>
		bench.run({
			node: 'dingTalk',
			parameters: {
				resource: 'approval',
				operation: 'createInstance',
				processCode: { __rl: true, mode: 'id', value: DING_PROCESS_EXPENSE },
				originatorUserId: 'staff0003',
				deptId: '-1',
				form: auto,
				options: { concurrency },
			},
			items: items as never,
			continueOnFail: true,
			timezone: TZ,
		});

	type Run = Awaited<ReturnType<Bench['run']>>;
	const nodeSeconds = (result: Run, wall: number) =>
		(result.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
	const timed = async (work: () => Promise<Run>): Promise<[Run, number]> => {
		const started = process.hrtime.bigint();
		const result = await work();
		return [result, Number(process.hrtime.bigint() - started) / 1e9];
	};
	/** The process's CPU per item (ms) of a run against an instant fake without limits, after a warm-up run. */
	const cpuPerItem = async (work: (bench: Bench) => Promise<Run>, count: number) => {
		const fake = await startFake({ latencyMs: 0 });
		// The node paces itself at the documented windows; shrink them so that the run is the node's work.
		pacingClock.scale = 0.0001;
		try {
			const bench = new Bench(fake.url);
			await work(bench);
			global.gc?.();
			const before = process.cpuUsage();
			const result = await work(bench);
			const used = process.cpuUsage(before);
			const failed = result.json.filter((j) => j.error !== undefined).length;
			if (failed > 0)
				throw new Error(
					`the CPU run failed ${failed} items: ${JSON.stringify(result.json.find((j) => j.error))}`,
				);
			return (used.user + used.system) / 1000 / count;
		} finally {
			pacingClock.scale = 1;
			await fake.stop();
		}
	};
	const messages = async (url: string) =>
		(
			(await (await fetch(`${url}/__fake/messages`)).json()) as {
				approvals: {
					feishu: Array<{ approvalCode: string; form: Array<{ id: string; value: unknown }> }>;
					dingtalk: Array<{ formComponentValues: Array<{ name: string; value: string }> }>;
				};
			}
		).approvals;

	/** One platform's case: a warm-up read (the token cached), then the N creates, counted in the fake. */
	const measure = async (c: {
		label: string;
		scale: number;
		warmUp: (bench: Bench) => Promise<unknown>;
		run: (bench: Bench) => Promise<Run>;
		titles: (approvals: Awaited<ReturnType<typeof messages>>) => unknown[];
		window: { limit: number; windowMs: number };
		limitText: string;
	}) => {
		const fake = await startFake({
			latencyMs: latency,
			documentedLimits: true,
			timeScale: c.scale,
		});
		pacingClock.scale = c.scale;
		try {
			const bench = new Bench(fake.url);
			await c.warmUp(bench);
			const before = c.titles(await messages(fake.url)).length;
			const [result, wall] = await timed(() => c.run(bench));
			const seconds = nodeSeconds(result, wall);
			const stats = await fake.stats();
			const titles = c.titles(await messages(fake.url)).slice(before);
			const failed = result.json.filter((j) => j.error !== undefined).length;
			// The definition read once, then the creates at the documented window.
			const bound = latency / 1000 + limitBound(n, concurrency, latency, [c.window]);
			process.stdout.write(
				`  ${c.label}: ${n} instances in ${f(seconds)} s (whole run ${f(wall)} s); limit-bound minimum ${f(bound)} s (${c.limitText}) → ratio ${f(bound / seconds)} (target ≥ 0.9); ` +
					`created ${titles.length}, failed ${failed}, duplicated ${titles.length - new Set(titles).size}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
		} finally {
			pacingClock.scale = 1;
			await fake.stop();
		}
	};
	await measure({
		label: 'Feishu',
		scale,
		warmUp: (bench) =>
			bench.run({
				node: 'feishu',
				parameters: {
					resource: 'approval',
					operation: 'getDefinition',
					approvalCode: { __rl: true, mode: 'id', value: APPROVAL_EXPENSE },
				},
			}),
		run: (bench) => feishuRun(bench, feishuItems(n), APPROVAL_EXPENSE),
		titles: (a) => a.feishu.map((i) => i.form.find((w) => w.id === 'widget_title')?.value),
		window: { limit: 100, windowMs: 60_000 * scale },
		limitText: `the definition, then 100 a${scale !== 1 ? ' (scaled)' : ''} minute`,
	});
	await measure({
		label: 'DingTalk',
		scale: 1,
		warmUp: (bench) =>
			bench.run({
				node: 'dingTalk',
				parameters: {
					resource: 'approval',
					operation: 'getDefinition',
					processCode: { __rl: true, mode: 'id', value: DING_PROCESS_EXPENSE },
				},
			}),
		run: (bench) => dingRun(bench, dingItems(n)),
		titles: (a) =>
			a.dingtalk.map((i) => i.formComponentValues.find((c) => c.name === 'Title')?.value),
		window: { limit: 20, windowMs: 1000 },
		limitText: 'the form, then 20 a second',
	});

	// The node's own CPU per item for the form mapping.
	const count = 500;
	const feishuTen = await cpuPerItem(
		(bench) => feishuRun(bench, feishuItems(count), APPROVAL_EXPENSE),
		count,
	);
	// The baseline fills the form's 5 required widgets alone (same definition, same path).
	const pick = (items: Array<Record<string, unknown>>, keys: string[]) =>
		items.map((i) => Object.fromEntries(keys.map((k) => [k, i[k]])));
	const feishuFive = await cpuPerItem(
		(bench) =>
			feishuRun(
				bench,
				pick(feishuItems(count), ['Title', 'Reason', 'Total amount', 'Expense date', 'Category']),
				APPROVAL_EXPENSE,
			),
		count,
	);
	const dingTen = await cpuPerItem((bench) => dingRun(bench, dingItems(count)), count);
	const dingFive = await cpuPerItem(
		(bench) =>
			dingRun(
				bench,
				pick(dingItems(count), ['Title', 'Reason', 'Amount (CNY)', 'Category', 'Expense date']),
			),
		count,
	);
	process.stdout.write(
		`  CPU per item (this process, ${count} items, instant fake without limits): Feishu 10 fields ${f(feishuTen, 3)} ms, 5 fields ${f(feishuFive, 3)} ms → 5 more fields cost ${f(feishuTen - feishuFive, 3)} ms; ` +
			`DingTalk 10 fields ${f(dingTen, 3)} ms, 5 fields ${f(dingFive, 3)} ms → 5 more fields cost ${f(dingTen - dingFive, 3)} ms\n`,
	);
}

export const approvals: BenchTable = {
	name: 'approvals',
	description:
		'Approvals: 500 instances with a 10-field form on each platform at the documented limits, and the CPU of the form mapping',
	run: approvalsTable,
};
