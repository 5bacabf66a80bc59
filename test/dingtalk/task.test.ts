/**
 * DingTalk to-dos (待办, todo v1.0) as Task through n8n's engine against the fake: the documented create
 * (creator and operator, executors and participants as unionIds, dueTime in milliseconds, the detail
 * link, a sourceId per run and item), the list, update, complete, delete, and the errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { USERS } from '../fake-api/server';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const creator = USERS.admin;
const create = (rest: IDataObject = {}) =>
	ding('task', 'create', {
		unionId: creator,
		summary: 'Send the welcome pack',
		due: '2026-12-09T18:00:00',
		timeZone: 'Asia/Shanghai',
		assigneeIds: USERS.guest,
		followerIds: USERS.member,
		detailUrl: 'https://example.com/onboarding/42',
		...rest,
	});

describe('DingTalk to-dos', () => {
	it('Create: the documented body, due in milliseconds (the zone’s 18:00), one source ID per run and item', async () => {
		const r = await env.bench.run(create({ additionalFields: { priority: 30 } }));
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.todo.create');
		expect(call.path).toBe(`/v1.0/todo/users/${creator}/tasks`);
		expect(call.query).toEqual({ operatorId: creator });
		expect(call.body).toEqual({
			subject: 'Send the welcome pack',
			sourceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			creatorId: creator,
			dueTime: Date.UTC(2026, 11, 9, 10),
			executorIds: [USERS.guest],
			participantIds: [USERS.member],
			detailUrl: {
				appUrl: 'https://example.com/onboarding/42',
				pcUrl: 'https://example.com/onboarding/42',
			},
			priority: 30,
		});
		expect(r.json[0]).toMatchObject({
			subject: 'Send the welcome pack',
			dueAt: '2026-12-09T10:00:00.000Z',
			completed: false,
		});
	});

	it('a lost answer is not sent again: the error says the outcome is unknown', async () => {
		env.fake.faults.loseAnswers['dingtalk.todo.create'] = 1;
		const r = await env.bench.run(create());
		expect(r.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('dingtalk.todo.create')).toHaveLength(1);
	});

	it('bad input before any request: no detail link, a subject over 1,024 characters', async () => {
		for (const [rest, message] of [
			[{ detailUrl: '={{ "" }}' }, /Detail URL/],
			[{ detailUrl: 'not a link' }, /Detail URL.*not a link/],
			[{ summary: 'x'.repeat(1025) }, /Summary.*1,024/],
		] as const) {
			const r = await env.bench.run(create(rest as IDataObject));
			expect(r.error?.message).toMatch(message);
		}
		expect(env.fake.calls('dingtalk.todo.create')).toHaveLength(0);
	});

	it('Get, Get Many (open, then completed), Update, Complete, Delete; a deleted to-do is the documented "task not exist"', async () => {
		const made = await env.bench.run(create());
		await env.bench.run({ ...create({ summary: 'Book the laptop' }), items: [{ second: true }] });
		const id = String(made.json[0].id);
		const at = { unionId: creator, taskId: id };
		const got = await env.bench.run(ding('task', 'get', at));
		expect(got.json[0]).toMatchObject({ id, subject: 'Send the welcome pack' });
		await env.bench.run(
			ding('task', 'update', { ...at, updateFields: { summary: 'Send the pack (v2)' } }),
		);
		expect(env.fake.calls('dingtalk.todo.update')[0].body).toEqual({
			subject: 'Send the pack (v2)',
		});
		const done = await env.bench.run(ding('task', 'complete', at));
		expect(done.json[0]).toEqual({ id, completed: true });
		expect(env.fake.calls('dingtalk.todo.update')[1].body).toEqual({ done: true });
		const open = await env.bench.run(
			ding('task', 'getAll', { unionId: USERS.guest, completed: 'open', returnAll: true }),
		);
		expect(open.json.map((t) => t.subject)).toEqual(['Book the laptop']);
		expect(env.fake.calls('dingtalk.todo.query')[0].body).toEqual({ isDone: false });
		const closed = await env.bench.run(
			ding('task', 'getAll', { unionId: USERS.guest, completed: 'completed', returnAll: true }),
		);
		expect(closed.json).toMatchObject([{ id, completed: true }]);
		const del = await env.bench.run(ding('task', 'delete', at));
		expect(del.json[0]).toEqual({ id, deleted: true });
		const gone = await env.bench.run(ding('task', 'get', at));
		expect(gone.error?.message).toMatch(/todo\.taskUpdate\.paramError/);
	});

	it('Get Many follows nextToken over 45 to-dos', async () => {
		const r = await env.bench.run({
			...create({ summary: '={{ "Item " + $json.i }}' }),
			items: Array.from({ length: 45 }, (_, i) => ({ i })),
		});
		expect(r.error).toBeUndefined();
		const all = await env.bench.run(
			ding('task', 'getAll', { unionId: USERS.guest, returnAll: true }),
		);
		expect(all.json).toHaveLength(45);
		expect(env.fake.calls('dingtalk.todo.query')).toHaveLength(3);
	});
});
