/**
 * Feishu departments and the users of a department (contact v3), and user search (search v1, the user
 * identity only), through n8n's engine against the fake's organisation: the documented requests, paging,
 * ID types, Return All over a tree of 3 levels and 1,000 users, and the documented errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { eventItem } from '../../nodes/FeishuTrigger/events';
import { feishu, useFakeApi } from '../helpers';
import { connect, REDIRECT, SCOPES } from '../user-connect';

const env = useFakeApi();
const dept = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const org = () => env.fake.orgs.feishu;

describe('Feishu departments', () => {
	it('Get: the documented request, in the chosen ID types', async () => {
		const r = await env.bench.run(
			feishu('department', 'get', { departmentId: dept('od-backend'), userIdType: 'union_id' }),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.department.get');
		expect(call.path).toBe('/open-apis/contact/v3/departments/od-backend');
		expect(call.query).toEqual({
			department_id_type: 'open_department_id',
			user_id_type: 'union_id',
		});
		expect(r.json[0]).toMatchObject({
			name: 'Backend',
			open_department_id: 'od-backend',
			department_id: 'D110',
			parent_department_id: 'od-eng',
		});
		const custom = await env.bench.run(
			feishu('department', 'get', {
				departmentId: dept('D100'),
				departmentIdType: 'department_id',
				userIdType: 'union_id',
			}),
		);
		expect(custom.json[0]).toMatchObject({ name: 'Engineering', leader_user_id: 'on_1' });
	});

	it('Get Children: one level, or every level (fetch_child), 50 a page with Return All', async () => {
		const one = await env.bench.run(
			feishu('department', 'getChildren', { departmentId: dept('0'), returnAll: true }),
		);
		expect(one.json.map((d) => d.name)).toEqual(['Engineering', 'Sales']);
		const all = await env.bench.run(
			feishu('department', 'getChildren', {
				departmentId: dept('0'),
				allLevels: true,
				returnAll: true,
			}),
		);
		expect(all.json.map((d) => d.name)).toEqual(['Engineering', 'Backend', 'Sales']);
		expect(env.fake.calls('feishu.department.children').map((c) => c.query)).toEqual([
			expect.objectContaining({ fetch_child: 'false', page_size: '50' }),
			expect.objectContaining({ fetch_child: 'true', page_size: '50' }),
		]);
	});

	it('Get Parents: nearest first, without the root, as the page documents', async () => {
		const r = await env.bench.run(
			feishu('department', 'getParents', { departmentId: dept('od-backend'), returnAll: true }),
		);
		expect(r.json.map((d) => d.open_department_id)).toEqual(['od-eng']);
		expect(env.fake.calls('feishu.department.parent')[0].query).toMatchObject({
			department_id: 'od-backend',
			page_size: '50',
		});
	});

	it('an unknown department is the documented 40015 with its meaning; an ID cannot leave the path', async () => {
		const r = await env.bench.run(feishu('department', 'get', { departmentId: dept('od-nope') }));
		expect(r.error?.message).toMatch(/40015/);
		expect(r.error?.description).toMatch(/does not exist/);
		const before = env.fake.requests.length;
		const bad = await env.bench.run(
			feishu('department', 'get', { departmentId: dept('../users/ou_1') }),
		);
		expect(bad.error?.message).toMatch(/Department.*must not contain/);
		expect(env.fake.requests.length).toBe(before);
	});
});

describe('Feishu users of a department', () => {
	it("Get Many: the department's direct members; with sub-departments every user below, each once", async () => {
		const direct = await env.bench.run(
			feishu('user', 'getAll', { departmentId: dept('od-eng'), returnAll: true }),
		);
		expect(direct.json.map((u) => u.open_id)).toEqual(['ou_1', 'ou_2']);
		expect(env.fake.calls('feishu.user.findByDepartment')[0].query).toEqual({
			department_id: 'od-eng',
			department_id_type: 'open_department_id',
			user_id_type: 'open_id',
			page_size: '50',
		});
		const all = await env.bench.run(
			feishu('user', 'getAll', {
				departmentId: dept('0'),
				includeSubDepartments: true,
				returnAll: true,
			}),
		);
		// ou_2 is in Engineering and Backend: listed once.
		expect(all.json.map((u) => u.open_id)).toEqual(['ou_1', 'ou_2', 'ou_3']);
	});

	it('Return All over 3 levels and 1,000 users: every user once, in pages of 50; a Limit asks for no more pages than it needs', async () => {
		const made = org().grow({ levels: 3, fanout: 5, users: 1000 });
		expect(made).toHaveLength(5 + 25 + 125);
		const r = await env.bench.run(
			feishu('user', 'getAll', {
				departmentId: dept('0'),
				includeSubDepartments: true,
				returnAll: true,
				options: { requestsPerSecond: 1000 },
			}),
		);
		expect(r.error).toBeUndefined();
		const ids = r.json.map((u) => String(u.open_id));
		expect(ids).toHaveLength(1003);
		expect(new Set(ids).size).toBe(1003);
		// The tree: 158 departments below the root in pages of 50 (4 calls); each department's members.
		expect(env.fake.calls('feishu.department.children')).toHaveLength(4);
		const limited = await env.bench.run(
			feishu('user', 'getAll', {
				departmentId: dept('0'),
				includeSubDepartments: true,
				limit: 5,
			}),
		);
		expect(limited.json).toHaveLength(5);
	});

	it('with Continue On Fail, an unknown department fails its own item only', async () => {
		const r = await env.bench.run({
			...feishu('user', 'getAll', { departmentId: dept('={{ $json.d }}'), returnAll: true }),
			items: [{ d: 'od-sales' }, { d: 'od-nope' }],
			continueOnFail: true,
		});
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(r.json[0]).toMatchObject({ open_id: 'ou_3' });
		expect(String(r.json[1].error)).toMatch(/40015/);
	});
});

describe('Feishu user search (the user identity only)', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url, { scopes: [...SCOPES, 'contact:user:search'] });
	});

	it('searches by name with the user token, 200 a page', async () => {
		const r = await env.bench.run(
			feishu('user', 'search', { authentication: 'oAuth2', query: 'li', returnAll: true }),
		);
		expect(r.error).toBeUndefined();
		expect(r.json.map((u: IDataObject) => u.open_id)).toEqual(['ou_2']);
		const [call] = env.fake.calls('feishu.user.search');
		expect(call.headers.authorization).toMatch(/^Bearer u-/);
		expect(call.query).toEqual({ query: 'li', page_size: '200' });
	});

	it.each([
		['department', 'get', { departmentId: dept('od-eng') }],
		['department', 'getChildren', { departmentId: dept('0'), allLevels: true, returnAll: true }],
		['department', 'getParents', { departmentId: dept('od-backend'), returnAll: true }],
		['user', 'getAll', { departmentId: dept('0'), includeSubDepartments: true, returnAll: true }],
	])(
		'%s %s runs as the connected user (what the user may see in the org chart)',
		async (resource, operation, rest) => {
			const r = await env.bench.run(
				feishu(resource, operation, { authentication: 'oAuth2', ...rest }),
			);
			expect(r.error).toBeUndefined();
			expect(r.json.length).toBeGreaterThan(0);
			const calls = env.fake.requests.filter(
				(c) => c.key.startsWith('feishu.department') || c.key.startsWith('feishu.user'),
			);
			expect(calls.length).toBeGreaterThan(0);
			for (const call of calls) expect(call.headers.authorization).toMatch(/^Bearer u-/);
		},
	);

	it('is not offered to the app identity, whose token the page refuses', async () => {
		const r = await env.bench.run(feishu('user', 'search', { query: 'li' }));
		expect(r.error?.message).toMatch(/Unknown operation "search" for resource "user"/);
		expect(env.fake.calls('feishu.user.search')).toHaveLength(0);
	});
});

describe('Feishu contact events, shaped for the next node', () => {
	const payload = (type: string, event: IDataObject) => ({
		schema: '2.0',
		header: { event_id: 'ev1', event_type: type, create_time: '1700000000000', app_id: 'cli_x' },
		event,
	});

	it("a new user's open_id and departments, wherever the page's two readings put them; a department's IDs", () => {
		expect(
			eventItem(
				payload('contact.user.created_v3', {
					object: {
						open_id: 'ou_9',
						union_id: 'on_9',
						name: 'New Hire',
						department_ids: ['od-eng'],
					},
				}),
			),
		).toMatchObject({ open_id: 'ou_9', name: 'New Hire', department_ids: ['od-eng'] });
		expect(
			eventItem(
				payload('contact.user.updated_v3', {
					object: { open_id: 'ou_9', department_ids: [] },
					old_object: { department_ids: ['od-sales'] },
				}),
			),
		).toMatchObject({ open_id: 'ou_9', department_ids: ['od-sales'] });
		expect(
			eventItem(
				payload('contact.department.created_v3', {
					object: { open_department_id: 'od-new', parent_department_id: 'od-eng', name: 'QA' },
				}),
			),
		).toMatchObject({ open_department_id: 'od-new', parent_department_id: 'od-eng', name: 'QA' });
		expect(
			eventItem(
				payload('contact.department.deleted_v3', {
					object: {},
					old_object: { open_department_id: 'od-gone', status: { is_deleted: true } },
				}),
			),
		).toMatchObject({ open_department_id: 'od-gone' });
	});
});
