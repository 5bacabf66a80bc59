import { pacingClock } from '../../nodes/shared/pacing';
import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, limitBound, startFake } from './common';

interface MessagingResult {
	tooFastBy: Record<string, number>;
	seconds: number;
	failed: number;
	delivered: number;
	duplicated: number;
	tooFast: number;
}

/** N text messages through Message › Send against the fake enforcing the documented limits; receivers round-robin. */
async function measureMessaging(
	n: number,
	receivers: number,
	latencyMs: number,
	scale: number,
	concurrency: number,
): Promise<MessagingResult> {
	const fake = await startFake({ latencyMs, documentedLimits: true, timeScale: scale });
	pacingClock.scale = scale;
	try {
		const bench = new Bench(fake.url);
		const started = process.hrtime.bigint();
		const result = await bench.run({
			node: 'feishu',
			parameters: {
				resource: 'message',
				operation: 'send',
				receiveIdType: 'chat_id',
				receiveId: '={{ $json.chat }}',
				messageType: 'text',
				text: '={{ "message " + $json.i }}',
				options: { concurrency },
			},
			items: Array.from({ length: n }, (_, i) => ({
				i,
				chat: `oc_bench_${String(i % receivers).padStart(2, '0')}`,
			})),
			continueOnFail: true,
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		if (result.json.length !== n)
			throw new Error(`expected ${n} outputs, got ${result.json.length}`);
		const stats = await fake.stats();
		if (stats.violations.length > 0)
			throw new Error(`spec violations: ${stats.violations.join('; ')}`);
		const { messages } = (await (await fetch(`${fake.url}/__fake/messages`)).json()) as {
			messages: Array<{ body: { content: string } }>;
		};
		const texts = messages.map((m) => m.body.content);
		return {
			seconds,
			failed: result.json.filter((j) => j.error !== undefined).length,
			delivered: messages.length,
			duplicated: texts.length - new Set(texts).size,
			tooFast: Object.values(stats.tooFast).reduce((a, b) => a + b, 0),
			tooFastBy: stats.tooFast,
		};
	} finally {
		pacingClock.scale = 1;
		await fake.stop();
	}
}

/**
 * Messaging at the documented limits: 1,000 sends to 50 chats (the app-wide 50/s and 1000/min bind) and
 * 200 sends to one chat (5 a second to the same chat binds), at real time by default (BENCH_MSG_SCALE).
 */
async function messagingTable(): Promise<void> {
	const scale = Number(process.env.BENCH_MSG_SCALE ?? 1);
	const latency = 50;
	const concurrency = 10;
	process.stdout.write(
		`\nMessaging (Message › Send, fake enforcing 50/s + 1000/min per app and 5/s per chat; answer time ${latency} ms; concurrency ${concurrency}${scale !== 1 ? `; windows ×${scale}` : ''}):\n`,
	);
	const all: Array<[string, number, number, Array<{ limit: number; windowMs: number }>, number]> = [
		[
			'1,000 sends to 50 chats',
			1000,
			50,
			[
				{ limit: 50, windowMs: 1000 },
				{ limit: 1000, windowMs: 60_000 },
			],
			50,
		],
		['200 sends to one chat', 200, 1, [{ limit: 5, windowMs: 1000 }], 5],
	];
	// BENCH_MSG_CASE=1 or =2: one of them.
	const cases = process.env.BENCH_MSG_CASE ? [all[Number(process.env.BENCH_MSG_CASE) - 1]] : all;
	for (const [label, n, receivers, windows, documentedRate] of cases) {
		await measureMessaging(20, receivers, latency, scale, concurrency); // warm-up
		const r = await measureMessaging(n, receivers, latency, scale, concurrency);
		const scaled = windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs * scale }));
		const bound = Math.max(
			(n * latency) / 1000 / concurrency,
			limitBound(n, concurrency, latency, scaled),
		);
		const rate = n / r.seconds;
		const limitRate = documentedRate / scale;
		process.stdout.write(
			`  ${label}: ${f(r.seconds)} s, ${f(rate, 1)} messages/s → ${f(rate / limitRate)} of the documented ${f(limitRate, 0)}/s; ` +
				`limit-bound minimum ${f(bound)} s → ratio ${f(bound / r.seconds)}; delivered ${r.delivered} of ${n}, failed ${r.failed}, duplicated ${r.duplicated}, too fast ${r.tooFast}${r.tooFast ? ` (${JSON.stringify(r.tooFastBy)})` : ''}\n`,
		);
	}
}

export const messaging: BenchTable = {
	name: 'messaging',
	description:
		'Feishu Message › Send at the documented limits: 1,000 sends to 50 chats, 200 to one chat',
	run: messagingTable,
};
