import { pacingClock } from '../../nodes/shared/pacing';
import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, limitBound, startFake } from './common';

/**
 * DingTalk messaging at the documented limits, at real time by default (BENCH_DING_SCALE):
 * - 60 custom-robot messages from 3 executions running at once (20 items each, concurrency 5), against a
 *   robot that allows 20 a minute and blocks for 10 minutes beyond. The first 20 go at once (the window
 *   is empty), so the rate is measured after them: (60 − 20) messages over the time from the first to the
 *   last, ÷ 20 a minute.
 * - 500 work notifications (one user each, distinct text), waiting for the delivery result, against
 *   asyncsend_v2's 20 a second and 1500 a minute and getsendresult's 20 a second.
 */
async function dingTalkTable(): Promise<void> {
	const scale = Number(process.env.BENCH_DING_SCALE ?? 1);
	const latency = 50;
	process.stdout.write(
		`\nDingTalk messaging (fake enforcing the documented limits; answer time ${latency} ms${scale !== 1 ? `; windows ×${scale}` : ''}):\n`,
	);

	// Custom robot.
	{
		const fake = await startFake({ latencyMs: latency, documentedLimits: true, timeScale: scale });
		pacingClock.scale = scale;
		try {
			const bench = new Bench(fake.url);
			const run = (from: number) =>
				bench.run({
					node: 'dingTalk',
					parameters: {
						authentication: 'customRobot',
						resource: 'customRobot',
						operation: 'send',
						messageType: 'text',
						text: '={{ "alert " + $json.i }}',
						options: { concurrency: 5 },
					},
					items: Array.from({ length: 20 }, (_, i) => ({ i: from + i })),
					continueOnFail: true,
				});
			const started = process.hrtime.bigint();
			const results = await Promise.all([run(0), run(20), run(40)]);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const failed = results.flatMap((r) => r.json).filter((j) => j.error !== undefined).length;
			const { dingtalk } = (await (await fetch(`${fake.url}/__fake/messages`)).json()) as {
				dingtalk: {
					customRobot: Array<{ body: { text: { content: string } }; receivedAt: number }>;
					customRobotTooFast: Record<string, number>;
				};
			};
			const times = dingtalk.customRobot.map((p) => p.receivedAt).sort((a, b) => a - b);
			const texts = dingtalk.customRobot.map((p) => p.body.text.content);
			const minute = 60 * scale;
			const perMinute =
				((times.length - 20) / ((times[times.length - 1] - times[0]) / 1000)) * minute;
			const tooFast = Object.values(dingtalk.customRobotTooFast).reduce((a, b) => a + b, 0);
			process.stdout.write(
				`  60 custom-robot messages from 3 concurrent executions: ${f(seconds)} s; after the first 20, ${f(perMinute, 2)} messages a${scale !== 1 ? ' (scaled)' : ''} minute → ` +
					`ratio ${f(perMinute / 20)} of the documented 20 (target 0.9–1.0); "too fast" answers ${tooFast} (target 0); delivered ${times.length} of 60, ` +
					`failed ${failed}, duplicated ${texts.length - new Set(texts).size}\n`,
			);
		} finally {
			pacingClock.scale = 1;
			await fake.stop();
		}
	}

	// Work notifications.
	{
		const n = 500;
		const concurrency = 20;
		const fake = await startFake({ latencyMs: latency, documentedLimits: true, timeScale: scale });
		pacingClock.scale = scale;
		try {
			const bench = new Bench(fake.url);
			const users = ['manager4220', 'staff0002', 'staff0003'];
			const started = process.hrtime.bigint();
			const result = await bench.run({
				node: 'dingTalk',
				parameters: {
					resource: 'workNotification',
					operation: 'send',
					recipientType: 'users',
					userIds: '={{ $json.user }}',
					messageType: 'text',
					text: '={{ "notification " + $json.i }}',
					options: { concurrency },
				},
				items: Array.from({ length: n }, (_, i) => ({ i, user: users[i % users.length] })),
				continueOnFail: true,
			});
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const stats = await fake.stats();
			if (stats.violations.length > 0)
				throw new Error(`spec violations: ${stats.violations.join('; ')}`);
			const failed = result.json.filter((j) => j.error !== undefined).length;
			const delivered = result.json.filter((j) => j.delivered === true).length;
			const rate = n / seconds;
			const limitRate = 20 / scale;
			const bound = limitBound(n, concurrency, latency, [
				{ limit: 20, windowMs: 1000 * scale },
				{ limit: 1500, windowMs: 60_000 * scale },
			]);
			process.stdout.write(
				`  ${n} work notifications, Wait for Delivery Result on, concurrency ${concurrency}: ${f(seconds)} s, ${f(rate, 1)}/s → ${f(rate / limitRate)} of the documented ${f(limitRate, 0)}/s; ` +
					`limit-bound minimum ${f(bound)} s (sends alone; each item also waits 0.5 s before reading its result) → ratio ${f(bound / seconds)}; ` +
					`delivered ${delivered}, failed ${failed}; calls ${JSON.stringify(stats.calls)}; too fast ${JSON.stringify(stats.tooFast)}\n`,
			);
		} finally {
			pacingClock.scale = 1;
			await fake.stop();
		}
	}
}

export const dingtalk: BenchTable = {
	name: 'dingtalk',
	description:
		'DingTalk messaging at the documented limits: 60 custom-robot messages from 3 executions, 500 work notifications',
	run: dingTalkTable,
};
