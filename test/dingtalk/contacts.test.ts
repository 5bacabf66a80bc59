/**
 * DingTalk departments and the users of a department (topapi v2), and user search (v1.0), through n8n's
 * engine against the fake's organisation: the documented requests (the legacy token in the query),
 * listsub's one level walked for all levels, cursors, Return All over a tree of 3 levels and 1,000 users,
 * and the documented errors.
 */
import { httpEventItem, streamEventItem } from '../../nodes/DingTalkTrigger/events';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const dept = (value: string) => ({ __rl: true, mode: 'id', value });
const org = () => env.fake.orgs.dingtalk;

describe('DingTalk departments', () => {
	it('Get: dept_id as a number, the token in the query', async () => {
		const r = await env.bench.run(ding('department', 'get', { departmentId: dept('110') }));
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.department.get');
		expect(call.body).toEqual({ dept_id: 110, language: 'zh_CN' });
		expect(call.query.access_token).toBeDefined();
		expect(r.json[0]).toMatchObject({
			dept_id: 110,
			name: 'Backend',
			parent_id: 100,
			owning_member_count: 1,
		});
	});

	it('Get Children: one level (listsub), or every level walked one department at a time', async () => {
		const one = await env.bench.run(
			ding('department', 'getChildren', { departmentId: dept('1'), returnAll: true }),
		);
		expect(one.json.map((d) => d.name)).toEqual(['Engineering', 'Sales']);
		expect(env.fake.calls('dingtalk.department.listsub')).toHaveLength(1);
		const all = await env.bench.run(
			ding('department', 'getChildren', {
				departmentId: dept('1'),
				allLevels: true,
				returnAll: true,
			}),
		);
		expect(all.json.map((d) => d.name)).toEqual(['Engineering', 'Sales', 'Backend']);
		// The root, then each department found (a level's departments are asked at once, so in any order).
		expect(
			env.fake
				.calls('dingtalk.department.listsub')
				.slice(1)
				.map((c) => (c.body as { dept_id: number }).dept_id)
				.sort((a, b) => a - b),
		).toEqual([1, 100, 110, 200]);
		const limited = await env.bench.run(
			ding('department', 'getChildren', { departmentId: dept('1'), allLevels: true, limit: 2 }),
		);
		expect(limited.json).toHaveLength(2);
	});

	it('Get Parents: nearest first, up to the root, with their details or their IDs only', async () => {
		const r = await env.bench.run(ding('department', 'getParents', { departmentId: dept('110') }));
		expect(r.json.map((d) => [d.dept_id, d.name, d.level])).toEqual([
			[100, 'Engineering', 1],
			[1, 'Sandbox Inc.', 2],
		]);
		expect(env.fake.calls('dingtalk.department.listparentbydept')[0].body).toEqual({
			dept_id: 110,
		});
		const ids = await env.bench.run(
			ding('department', 'getParents', { departmentId: dept('110'), includeDetails: false }),
		);
		expect(ids.json).toEqual([
			{ dept_id: 100, level: 1 },
			{ dept_id: 1, level: 2 },
		]);
	});

	it('an unknown department is the documented 60003 with its meaning; a non-number is bad input before any request', async () => {
		const r = await env.bench.run(ding('department', 'get', { departmentId: dept('999') }));
		expect(r.error?.message).toMatch(/60003/);
		expect(r.error?.description).toMatch(/does not exist/);
		const before = env.fake.requests.length;
		const bad = await env.bench.run(
			ding('department', 'get', { departmentId: dept('={{ "sales" }}') }),
		);
		expect(bad.error?.message).toMatch(/Department/);
		expect(env.fake.requests.length).toBe(before);
	});
});

describe('DingTalk users of a department', () => {
	it("Get Many: the department's members (user/list, cursor 0 then next_cursor); with sub-departments every user below, each once", async () => {
		const direct = await env.bench.run(
			ding('user', 'getAll', { departmentId: dept('100'), returnAll: true }),
		);
		expect(direct.json.map((u) => u.userid)).toEqual(['manager4220', 'staff0002']);
		expect(env.fake.calls('dingtalk.user.list')[0].body).toEqual({
			dept_id: 100,
			cursor: 0,
			size: 100,
			language: 'zh_CN',
		});
		const all = await env.bench.run(
			ding('user', 'getAll', {
				departmentId: dept('1'),
				includeSubDepartments: true,
				returnAll: true,
			}),
		);
		expect(all.json.map((u) => u.userid)).toEqual(['manager4220', 'staff0002', 'staff0003']);
	});

	it('Return All over 3 levels and 1,000 users: every user once, each department paged by cursor', async () => {
		org().grow({ levels: 3, fanout: 4, users: 1000 });
		const r = await env.bench.run(
			ding('user', 'getAll', {
				departmentId: dept('1'),
				includeSubDepartments: true,
				returnAll: true,
				options: { requestsPerSecond: 1000 },
			}),
		);
		expect(r.error).toBeUndefined();
		const ids = r.json.map((u) => String(u.userid));
		expect(ids).toHaveLength(1003);
		expect(new Set(ids).size).toBe(1003);
		// 4 + 16 + 64 grown departments and the 3 seeded ones, each asked for its children.
		expect(env.fake.calls('dingtalk.department.listsub')).toHaveLength(1 + 3 + 84);
	});
});

describe('DingTalk users: a failure while reading', () => {
	it('a department outside the range fails the item with 50004 and its meaning, the walk and the other reads stopped', async () => {
		org().grow({ levels: 2, fanout: 4, users: 100 });
		env.fake.script('dingtalk.user.list', {
			status: 200,
			body: { errcode: 50004, errmsg: '部门不在权限范围内', request_id: 'r' },
		});
		const r = await env.bench.run(
			ding('user', 'getAll', {
				departmentId: dept('1'),
				includeSubDepartments: true,
				returnAll: true,
			}),
		);
		expect(r.error?.message).toMatch(/50004/);
		expect(r.error?.description).toMatch(/outside the app's visible range/);
		// Stopped: not every one of the 24 departments was read.
		expect(env.fake.calls('dingtalk.user.list').length).toBeLessThan(24);
	});
});

describe('DingTalk users of a large department', () => {
	it('250 members: cursors 0, 100 and 200 as the answers give them; a Limit of 150 stops after two pages', async () => {
		const [big] = org().grow({ levels: 1, fanout: 1, users: 250 });
		const r = await env.bench.run(
			ding('user', 'getAll', { departmentId: dept(big), returnAll: true }),
		);
		expect(r.json).toHaveLength(250);
		expect(
			env.fake.calls('dingtalk.user.list').map((c) => (c.body as { cursor: number }).cursor),
		).toEqual([0, 100, 200]);
		const limited = await env.bench.run(
			ding('user', 'getAll', { departmentId: dept(big), limit: 150 }),
		);
		expect(limited.json).toHaveLength(150);
		expect(env.fake.calls('dingtalk.user.list')).toHaveLength(5);
	});
});

describe('DingTalk user search', () => {
	it('outputs the user IDs found, asking page by page (offset the page number, size 100)', async () => {
		org().grow({ levels: 1, fanout: 2, users: 250 });
		const r = await env.bench.run(ding('user', 'search', { query: 'Employee', returnAll: true }));
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(250);
		expect(new Set(r.json.map((u) => u.userId)).size).toBe(250);
		expect(env.fake.calls('dingtalk.user.search').map((c) => c.body)).toEqual([
			{ queryWord: 'Employee', offset: 0, size: 100 },
			{ queryWord: 'Employee', offset: 1, size: 100 },
			{ queryWord: 'Employee', offset: 2, size: 100 },
		]);
		const exact = await env.bench.run(
			ding('user', 'search', { query: 'Han Meimei', exactMatch: true, returnAll: true }),
		);
		expect(exact.json).toEqual([{ userId: 'staff0002' }]);
		expect(env.fake.calls('dingtalk.user.search')[3].body).toMatchObject({ fullMatchField: 1 });
	});
});

describe('DingTalk contact events, shaped for the next node', () => {
	it('user and department events carry their ID lists as userIds and deptIds, over Stream and HTTP (either spelling)', () => {
		expect(
			streamEventItem(
				{ eventType: 'user_add_org', eventId: 'e1', eventBornTime: '1700000000000' },
				JSON.stringify({ timeStamp: '1700000000000', userId: ['staff0009'] }),
			),
		).toMatchObject({ kind: 'event', eventType: 'user_add_org', userIds: ['staff0009'] });
		expect(
			httpEventItem({
				EventType: 'user_leave_org',
				TimeStamp: '1700000000000',
				UserId: ['staff0003'],
			}),
		).toMatchObject({ eventType: 'user_leave_org', userIds: ['staff0003'] });
		expect(
			streamEventItem(
				{ eventType: 'org_dept_create', eventId: 'e2' },
				JSON.stringify({ deptId: [5001] }),
			),
		).toMatchObject({ deptIds: ['5001'] });
		expect(streamEventItem({ eventType: 'chat_disband', eventId: 'e3' }, '{}')).not.toHaveProperty(
			'userIds',
		);
	});
});
