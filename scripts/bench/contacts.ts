import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, limitBound, startFake } from './common';

/**
 * An organisation of 10,000 users (3 levels of departments under the root, every 20th user in two of
 * them) read with User › Get Many, Include Sub-Departments and Return All, on both platforms, against
 * the fake enforcing the documented limits with 50 ms answers. The limit-bound minimum is the same calls
 * at the documented limits and the answer time with as many in flight as the limits allow, except that
 * a department's pages follow one another (a cursor) and DingTalk's levels follow one another (a level's
 * departments come from the level above).
 */
async function contactsTable(): Promise<void> {
	const users = Number(process.env.BENCH_CONTACT_USERS ?? 10_000);
	const fanout = Number(process.env.BENCH_CONTACT_FANOUT ?? 6);
	const latency = 50;
	process.stdout.write(
		`\nContacts (fake enforcing the documented limits; ${users} users under 3 levels of ${fanout} departments each; ${latency} ms answers):\n`,
	);
	for (const platform of ['feishu', 'dingtalk'] as const) {
		const fake = await startFake({ latencyMs: latency, documentedLimits: true });
		try {
			const grown = (await (
				await fetch(`${fake.url}/__fake/org/grow`, {
					method: 'POST',
					body: JSON.stringify({ platform, levels: 3, fanout, users }),
				})
			).json()) as { departments: number; users: number };
			const bench = new Bench(fake.url);
			const root = { __rl: true, mode: 'id', value: platform === 'feishu' ? '0' : '1' };
			// A warm process: the token is cached.
			await bench.run({
				node: platform === 'feishu' ? 'feishu' : 'dingTalk',
				parameters: { resource: 'department', operation: 'get', departmentId: root },
			});
			const before = await fake.stats();
			const started = process.hrtime.bigint();
			const run = await bench.run({
				node: platform === 'feishu' ? 'feishu' : 'dingTalk',
				parameters: {
					resource: 'user',
					operation: 'getAll',
					departmentId: root,
					includeSubDepartments: true,
					returnAll: true,
				},
			});
			const wall = Number(process.hrtime.bigint() - started) / 1e9;
			const seconds =
				(run.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
			const stats = await fake.stats();
			const delta = (key: string) => (stats.calls[key] ?? 0) - (before.calls[key] ?? 0);
			const ids = run.json.map((u) => String(u.open_id ?? u.userid));
			const failed = run.error ? 1 : 0;
			let bound: number;
			let calls: string;
			if (platform === 'feishu') {
				const walk = delta('feishu.department.children');
				const members = delta('feishu.user.findByDepartment');
				// The walk's pages one after another; the members' calls (which start with the root's, during the
				// walk) at level 4 (50/s, 1000/min).
				bound = Math.max(
					limitBound(walk, 1, latency, [{ limit: 50, windowMs: 1000 }]),
					limitBound(members, 50, latency, [
						{ limit: 50, windowMs: 1000 },
						{ limit: 1000, windowMs: 60_000 },
					]),
				);
				calls = `${walk} children pages + ${members} find_by_department`;
			} else {
				const walk = delta('dingtalk.department.listsub');
				const members = delta('dingtalk.user.list');
				// listsub one level at a time (4 levels: the root's, then 3 below), each level's calls at 20/s;
				// the members' calls at 20/s.
				let levelCalls = 1;
				let levelBound = 0;
				for (let level = 0; level <= 3; level++) {
					levelBound += limitBound(levelCalls, 20, latency, [{ limit: 20, windowMs: 1000 }]);
					levelCalls *= fanout;
				}
				bound = Math.max(
					levelBound,
					limitBound(walk, 20, latency, [{ limit: 20, windowMs: 1000 }]),
				);
				bound = Math.max(bound, limitBound(members, 20, latency, [{ limit: 20, windowMs: 1000 }]));
				calls = `${walk} listsub + ${members} user/list`;
			}
			process.stdout.write(
				`  ${platform === 'feishu' ? 'Feishu' : 'DingTalk'}: ${grown.departments} departments, ${grown.users} users: ${f(seconds)} s (whole run ${f(wall)} s); ${calls}; users out ${ids.length}, each once: ${new Set(ids).size === ids.length}; ` +
					`limit-bound minimum ${f(bound)} s → ratio ${f(bound / seconds)}; failed ${failed}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
		} finally {
			await fake.stop();
		}
	}
	await eventsCase();
}

/**
 * 500 Feishu calendar events with 5 attendees each (Calendar Event › Create: the create, then the
 * attendee API), against level 4 on each API with 50 ms answers, at the default Concurrency (5) and at 10.
 * The limit-bound minimum: each item's two calls one after the other, that many items at a time, each API
 * at 50 a second and 1,000 a minute. At 5, the answer time alone allows exactly 50 items a second (5 items
 * each 2 × 50 ms), the limit itself: the pacer's sliding windows give no credit for a slot left unused, so
 * every late answer is lost for good. At 10 the answers leave room, and the windows alone bind.
 */
async function eventsCase(): Promise<void> {
	const n = Number(process.env.BENCH_EVENTS_CREATED ?? 500);
	const latency = 50;
	for (const concurrency of [5, 10]) {
		// A fake of its own per round: fresh windows, and a fresh lane in the node's pacer (another host).
		const fake = await startFake({ latencyMs: latency, documentedLimits: true });
		try {
			const bench = new Bench(fake.url);
			const primary = { __rl: true, mode: 'list', value: 'primary' };
			const run = (items: number) =>
				bench.run({
					node: 'feishu',
					parameters: {
						resource: 'calendarEvent',
						operation: 'create',
						calendarId: primary,
						summary: '={{ "Review " + $json.i }}',
						start:
							'={{ DateTime.fromISO("2027-01-04T09:00:00+08:00").plus({ hours: $json.i }).toISO() }}',
						end: '={{ DateTime.fromISO("2027-01-04T09:30:00+08:00").plus({ hours: $json.i }).toISO() }}',
						timeZone: 'Asia/Shanghai',
						userIds: 'ou_1, ou_2, ou_3',
						chatIds: 'oc_sandbox_ops, oc_sandbox_general',
						options: { concurrency },
					},
					items: Array.from({ length: items }, (_, i) => ({ i })),
					continueOnFail: true,
				});
			await run(1);
			const before = await fake.stats();
			const started = process.hrtime.bigint();
			const made = await run(n);
			const wall = Number(process.hrtime.bigint() - started) / 1e9;
			const seconds =
				(made.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
			const stats = await fake.stats();
			const delta = (key: string) => (stats.calls[key] ?? 0) - (before.calls[key] ?? 0);
			const failed = made.json.filter((j) => j.error !== undefined).length;
			const ids = made.json.map((j) => String(j.event_id));
			const level4 = [
				{ limit: 50, windowMs: 1000 },
				{ limit: 1000, windowMs: 60_000 },
			];
			// Each item: a create, then its attendees; `concurrency` items at a time. Both lanes bind alike.
			const bound = Math.max(
				limitBound(n, concurrency, 2 * latency, level4),
				limitBound(n, concurrency, latency, level4) + latency / 1000,
			);
			process.stdout.write(
				`  Feishu: ${n} events with 5 attendees (3 users, 2 chats), concurrency ${concurrency}${concurrency === 5 ? ' (the default)' : ''}: ${f(seconds)} s (whole run ${f(wall)} s); ${delta('feishu.calendarEvent.create')} creates + ${delta('feishu.calendarEvent.addAttendees')} attendee calls; ` +
					`limit-bound minimum ${f(bound)} s → ratio ${f(bound / seconds)}; failed ${failed}; duplicated ${ids.length - new Set(ids).size}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
			);
		} finally {
			await fake.stop();
		}
	}
	await dingTalkEventsCase();
}

/**
 * DingTalk calendar events with 5 attendees each: the attendees go in the create itself (up to 500), so
 * one call an event, at DingTalk's 20 a second per API. DingTalk lets a user create 100 events a day, so
 * the events are spread over the sandbox's 3 users as organisers: 300 events.
 */
async function dingTalkEventsCase(): Promise<void> {
	const organisers = ['union-admin-001', 'union-member-002', 'union-guest-003'];
	const n = 300;
	const latency = 50;
	const fake = await startFake({ latencyMs: latency, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		const run = (items: number, from = 0) =>
			bench.run({
				node: 'dingTalk',
				parameters: {
					resource: 'calendarEvent',
					operation: 'create',
					unionId: '={{ $json.organiser }}',
					summary: '={{ "Review " + $json.i }}',
					start:
						'={{ DateTime.fromISO("2027-01-04T09:00:00+08:00").plus({ hours: $json.i }).toISO() }}',
					end: '={{ DateTime.fromISO("2027-01-04T09:30:00+08:00").plus({ hours: $json.i }).toISO() }}',
					timeZone: 'Asia/Shanghai',
					attendeeIds: 'u-a1, u-a2, u-a3, u-a4, u-a5',
				},
				items: Array.from({ length: items }, (_, k) => ({
					i: from + k,
					organiser: organisers[(from + k) % organisers.length],
				})),
				continueOnFail: true,
			});
		// A warm process: the token cached (one event of the day's 100 for the first organiser).
		await run(1, 10_000);
		const before = await fake.stats();
		const started = process.hrtime.bigint();
		const made = await run(n - 3);
		const wall = Number(process.hrtime.bigint() - started) / 1e9;
		const seconds =
			(made.run.data.resultData.runData.Subject?.[0]?.executionTime ?? wall * 1000) / 1000;
		const stats = await fake.stats();
		const calls =
			(stats.calls['dingtalk.calendarEvent.create'] ?? 0) -
			(before.calls['dingtalk.calendarEvent.create'] ?? 0);
		const failed = made.json.filter((j) => j.error !== undefined).length;
		const ids = made.json.map((j) => String(j.id));
		const bound = limitBound(n - 3, 5, latency, [{ limit: 20, windowMs: 1000 }]);
		process.stdout.write(
			`  DingTalk: ${n - 3} events with 5 attendees (in the create), 3 organisers (100 a user a day), concurrency 5: ${f(seconds)} s (whole run ${f(wall)} s); ${calls} creates; ` +
				`limit-bound minimum ${f(bound)} s → ratio ${f(bound / seconds)}; failed ${failed}; duplicated ${ids.length - new Set(ids).size}; too fast ${JSON.stringify(stats.tooFast)}; violations ${stats.violations.length}\n`,
		);
	} finally {
		await fake.stop();
	}
}

export const contacts: BenchTable = {
	name: 'contacts',
	description:
		'Contacts: a 10,000-user organisation read with User › Get Many (sub-departments, Return All), on both platforms',
	run: contactsTable,
};
