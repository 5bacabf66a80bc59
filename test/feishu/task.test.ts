/**
 * Feishu tasks and tasklists (Task v2) through n8n's engine against the fake: the documented create
 * (members, due as milliseconds, an all-day date, the client_token), the tasklist's tasks, update,
 * complete, delete, and the errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_TASKLIST } from '../fake-api/feishu-task';
import { feishu, useFakeApi } from '../helpers';
import { connect, REDIRECT } from '../user-connect';

const env = useFakeApi();
const create = (rest: IDataObject = {}) =>
	feishu('task', 'create', {
		summary: 'Send the welcome pack',
		due: '2026-12-09T18:00:00',
		timeZone: 'Asia/Shanghai',
		assigneeIds: 'ou_1',
		followerIds: 'ou_2, ou_1',
		additionalFields: { tasklistGuid: SANDBOX_TASKLIST, reminder: 30 },
		...rest,
	});

describe('Feishu tasks', () => {
	it('Create: members by role, due in milliseconds (the zone’s 18:00), the tasklist, one reminder, a client_token', async () => {
		const r = await env.bench.run(create());
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.task.create');
		expect(call.query).toEqual({ user_id_type: 'open_id' });
		expect(call.body).toEqual({
			summary: 'Send the welcome pack',
			due: { timestamp: String(Date.UTC(2026, 11, 9, 10)), is_all_day: false },
			members: [
				{ id: 'ou_1', type: 'user', role: 'assignee' },
				{ id: 'ou_2', type: 'user', role: 'follower' },
			],
			tasklists: [{ tasklist_guid: SANDBOX_TASKLIST }],
			reminders: [{ relative_fire_minute: 30 }],
			client_token: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(r.json[0]).toMatchObject({
			summary: 'Send the welcome pack',
			dueAt: '2026-12-09T10:00:00.000Z',
			completed: false,
		});
	});

	it('an all-day due date is the date at midnight UTC (the same day everywhere); a reminder without a due date is bad input', async () => {
		const r = await env.bench.run(
			create({ due: '2026-12-09T23:30:00-08:00', dueAllDay: true, additionalFields: {} }),
		);
		expect((env.fake.calls('feishu.task.create')[0].body as IDataObject).due).toEqual({
			timestamp: String(Date.UTC(2026, 11, 10)),
			is_all_day: true,
		});
		expect(r.json[0].dueAt).toBe('2026-12-10');
		const bad = await env.bench.run(create({ due: '', additionalFields: { reminder: 15 } }));
		expect(bad.error?.message).toMatch(/Reminder.*needs Due/);
		expect(env.fake.calls('feishu.task.create')).toHaveLength(1);
	});

	it('a lost answer is sent again with the same client_token: one task', async () => {
		env.fake.faults.loseAnswers['feishu.task.create'] = 1;
		const r = await env.bench.run(create());
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('feishu.task.create');
		expect(calls).toHaveLength(2);
		expect((calls[1].body as IDataObject).client_token).toBe(
			(calls[0].body as IDataObject).client_token,
		);
		expect(env.fake.tasks.tasks.size).toBe(1);
	});

	it('Get, Get Many of the tasklist (completed or open), Update, Complete, Delete; completing twice is the documented 1470400', async () => {
		const made = await env.bench.run(create());
		await env.bench.run(create({ summary: 'Book the laptop' }));
		const guid = String(made.json[0].guid);
		const got = await env.bench.run(feishu('task', 'get', { taskGuid: guid }));
		expect(got.json[0]).toMatchObject({ guid, summary: 'Send the welcome pack' });
		const updated = await env.bench.run(
			feishu('task', 'update', {
				taskGuid: guid,
				updateFields: { summary: 'Send the welcome pack (v2)' },
			}),
		);
		expect(env.fake.calls('feishu.task.patch')[0].body).toEqual({
			task: { summary: 'Send the welcome pack (v2)' },
			update_fields: ['summary'],
		});
		expect(updated.json[0].summary).toBe('Send the welcome pack (v2)');
		const done = await env.bench.run(feishu('task', 'complete', { taskGuid: guid }));
		expect(done.json[0]).toMatchObject({ completed: true, status: 'done' });
		const again = await env.bench.run(feishu('task', 'complete', { taskGuid: guid }));
		expect(again.error?.message).toMatch(/1470400/);
		const open = await env.bench.run(
			feishu('task', 'getAll', {
				tasklistGuid: SANDBOX_TASKLIST,
				completed: 'open',
				returnAll: true,
			}),
		);
		expect(open.json.map((t) => t.summary)).toEqual(['Book the laptop']);
		expect(env.fake.calls('feishu.tasklist.tasks')[0].query).toMatchObject({
			completed: 'false',
			page_size: '100',
		});
		const del = await env.bench.run(feishu('task', 'delete', { taskGuid: guid }));
		expect(del.json[0]).toEqual({ guid, deleted: true });
		const gone = await env.bench.run(feishu('task', 'get', { taskGuid: guid }));
		expect(gone.error?.message).toMatch(/1470404/);
		expect(gone.error?.description).toMatch(/does not exist/);
	});

	it('Tasklist › Create and Get Many', async () => {
		const made = await env.bench.run(feishu('tasklist', 'create', { name: 'Hiring' }));
		expect(made.json[0]).toMatchObject({ name: 'Hiring', guid: expect.any(String) });
		const all = await env.bench.run(feishu('tasklist', 'getAll', { returnAll: true }));
		expect(all.json.map((l) => l.name)).toEqual(['Onboarding', 'Hiring']);
	});
});

describe('Feishu tasks as the connected user', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});

	it('every operation runs with the user token', async () => {
		const as = (resource: string, operation: string, rest: IDataObject) =>
			env.bench.run(feishu(resource, operation, { authentication: 'oAuth2', ...rest }));
		const made = await as('task', 'create', {
			summary: 'Mine',
			additionalFields: { tasklistGuid: SANDBOX_TASKLIST },
		});
		const guid = String(made.json[0].guid);
		for (const r of [
			made,
			await as('task', 'get', { taskGuid: guid }),
			await as('task', 'getAll', { tasklistGuid: SANDBOX_TASKLIST, returnAll: true }),
			await as('task', 'update', { taskGuid: guid, updateFields: { description: 'notes' } }),
			await as('task', 'complete', { taskGuid: guid }),
			await as('task', 'delete', { taskGuid: guid }),
			await as('tasklist', 'create', { name: 'Mine' }),
			await as('tasklist', 'getAll', { returnAll: true }),
		])
			expect(r.error).toBeUndefined();
		const calls = env.fake.requests.filter((c) => c.key.startsWith('feishu.task'));
		expect(calls.length).toBe(8);
		for (const c of calls) expect(c.headers.authorization).toMatch(/^Bearer u-/);
	});
});

describe('Feishu tasks: My Tasks (the user identity only)', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});

	it("lists the tasks the connected user is responsible for, open or completed; the app identity is told to use the user's", async () => {
		await env.bench.run(create({ assigneeIds: 'ou_1', followerIds: '' }));
		await env.bench.run(create({ summary: 'Not mine', assigneeIds: 'ou_2', followerIds: '' }));
		const r = await env.bench.run(
			feishu('task', 'getAll', {
				authentication: 'oAuth2',
				source: 'myTasks',
				completed: 'open',
				returnAll: true,
			}),
		);
		expect(r.error).toBeUndefined();
		expect(r.json.map((t) => t.summary)).toEqual(['Send the welcome pack']);
		const [call] = env.fake.calls('feishu.task.list');
		expect(call.query).toEqual({
			type: 'my_tasks',
			page_size: '100',
			completed: 'false',
			user_id_type: 'open_id',
		});
		expect(call.headers.authorization).toMatch(/^Bearer u-/);
		const asApp = await env.bench.run(
			feishu('task', 'getAll', { source: 'myTasks', returnAll: true }),
		);
		expect(asApp.error?.message).toMatch(/Source.*User \(OAuth2\)/);
		expect(env.fake.calls('feishu.task.list')).toHaveLength(1);
	});
});
