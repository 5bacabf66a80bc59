/**
 * Every Feishu operation, through n8n's engine against the stateful fake: the request it sends (method, path,
 * token placement, query, body with JSON types), the output it returns, one documented error each, and
 * Return All / Limit paging.
 */
import type { IDataObject } from 'n8n-workflow';

import { feishu, useFakeApi } from '../helpers';
import type { ListCase, Row } from '../operation-cases';
import { describeLists, describeRows, fErr, rl } from '../operation-cases';

const env = useFakeApi();

describe('Feishu › User Group › Delete', () => {
	it('DELETEs /open-apis/contact/v3/group/:group_id with a Bearer tenant token', async () => {
		const result = await env.bench.run(feishu('userGroup', 'delete', { groupId: 'g1837191' }));
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.userGroup.delete');
		expect(call.method).toBe('DELETE');
		expect(call.path).toBe('/open-apis/contact/v3/group/g1837191');
		expect(call.query).toEqual({});
		expect(call.rawBody).toBe('');
		expect(call.headers.authorization).toBe(`Bearer ${env.fake.issuedTokens('feishu')[0]}`);
		expect(result.json).toEqual([{ groupId: 'g1837191', deleted: true }]);
		expect(env.fake.feishuGroups.has('g1837191')).toBe(false);
	});

	it('URL-encodes IDs so that they stay one path segment', async () => {
		env.fake.feishuGroups.set('g 1&x', { name: 'odd', members: [] });
		const result = await env.bench.run(feishu('userGroup', 'delete', { groupId: 'g 1&x' }));
		expect(result.error).toBeUndefined();
		expect(env.fake.calls('feishu.userGroup.delete')[0].path).toBe(
			'/open-apis/contact/v3/group/g%201%26x',
		);
	});
});

const ROWS: Row[] = [
	{
		name: 'Feishu user group create',
		run: feishu('userGroup', 'create', {
			name: 'Designers',
			additionalFields: { description: 'UI and UX', group_id: 'design01' },
		}),
		route: 'feishu.userGroup.create',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/group',
			body: { name: 'Designers', description: 'UI and UX', group_id: 'design01' },
		},
		output: [
			{ groupId: 'design01', name: 'Designers', description: 'UI and UX', group_id: 'design01' },
		],
		error: [fErr(400, 47009, 'duplicated name error'), '47009', /already exists/],
	},
	{
		name: 'Feishu user group get',
		run: feishu('userGroup', 'get', { groupId: rl('g-with-members') }),
		route: 'feishu.userGroup.get',
		request: { method: 'GET', path: '/open-apis/contact/v3/group/g-with-members' },
		output: [
			{
				id: 'g-with-members',
				name: 'Busy group',
				description: '',
				member_user_count: 1,
				member_department_count: 0,
				type: 1,
			},
		],
		error: [fErr(400, 42029, 'exist some field openapi not support'), '42029', /admin console/],
	},
	{
		name: 'Feishu user group update',
		run: feishu('userGroup', 'update', {
			groupId: rl('g1837191'),
			updateFields: { description: 'Now with text' },
		}),
		route: 'feishu.userGroup.update',
		request: {
			method: 'PATCH',
			path: '/open-apis/contact/v3/group/g1837191',
			body: { description: 'Now with text' },
		},
		output: [{ groupId: 'g1837191', description: 'Now with text', updated: true }],
		error: [fErr(400, 42013, 'group name exceed limit'), '42013', /longer than 100/],
	},
	{
		name: 'Feishu user group member add',
		run: feishu('userGroupMember', 'add', {
			groupId: rl('g1837191'),
			memberId: 'u002',
			memberIdType: 'user_id',
		}),
		route: 'feishu.userGroupMember.add',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/group/g1837191/member/add',
			body: { member_type: 'user', member_id_type: 'user_id', member_id: 'u002' },
		},
		output: [{ groupId: 'g1837191', memberId: 'u002', added: true }],
		error: [fErr(400, 42005, 'member exist in group error'), '42005', /already a member/],
	},
	{
		name: 'Feishu user group member add many',
		run: feishu('userGroupMember', 'addMany', {
			groupId: rl('g-with-members'),
			memberIds: 'ou_1, ou_2',
			memberIdType: 'open_id',
		}),
		route: 'feishu.userGroupMember.addMany',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/group/g-with-members/member/batch_add',
			body: {
				members: [
					{ member_id: 'ou_1', member_type: 'user', member_id_type: 'open_id' },
					{ member_id: 'ou_2', member_type: 'user', member_id_type: 'open_id' },
				],
			},
		},
		output: [
			{ groupId: 'g-with-members', added: ['ou_2'], failed: [{ memberId: 'ou_1', code: 42005 }] },
		],
		error: [
			fErr(400, 42012, 'group member user reached the upper limit'),
			'42012',
			/maximum number of users/,
		],
	},
	{
		name: 'Feishu user group member remove',
		run: feishu('userGroupMember', 'remove', {
			groupId: rl('g-with-members'),
			memberId: 'on_1',
			memberIdType: 'union_id',
		}),
		route: 'feishu.userGroupMember.remove',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/group/g-with-members/member/remove',
			body: { member_type: 'user', member_id_type: 'union_id', member_id: 'on_1' },
		},
		output: [{ groupId: 'g-with-members', memberId: 'on_1', removed: true }],
		error: [fErr(403, 41050, 'no user authority error'), '41050', /outside the app/],
	},
	{
		name: 'Feishu user group member remove many',
		run: feishu('userGroupMember', 'removeMany', {
			groupId: rl('g-with-members'),
			memberIds: 'ou_1',
			memberIdType: 'open_id',
		}),
		route: 'feishu.userGroupMember.removeMany',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/group/g-with-members/member/batch_remove',
			body: { members: [{ member_id: 'ou_1', member_type: 'user', member_id_type: 'open_id' }] },
		},
		output: [{ groupId: 'g-with-members', removed: ['ou_1'], calls: 1 }],
		error: [fErr(400, 40022, 'partial failed'), '40022', /could not be removed/],
	},
	{
		name: 'Feishu user get',
		run: feishu('user', 'get', { userId: 'on_3', userIdType: 'union_id' }),
		route: 'feishu.user.get',
		request: {
			method: 'GET',
			path: '/open-apis/contact/v3/users/on_3',
			query: { user_id_type: 'union_id' },
		},
		output: (json) =>
			expect(json).toEqual([expect.objectContaining({ open_id: 'ou_3', name: 'Chen Jing' })]),
		error: [fErr(400, 41012, 'user id invalid error'), '41012', /user ID is invalid/],
	},
	{
		name: 'Feishu user IDs by email or mobile',
		run: feishu('user', 'getIdsByEmailOrMobile', {
			emails: 'liu.yang@example.com',
			mobiles: '+8613900000003, +8613999999999',
			userIdType: 'user_id',
		}),
		route: 'feishu.user.getIdsByEmailOrMobile',
		request: {
			method: 'POST',
			path: '/open-apis/contact/v3/users/batch_get_id',
			query: { user_id_type: 'user_id' },
			body: {
				include_resigned: false,
				emails: ['liu.yang@example.com'],
				mobiles: ['+8613900000003', '+8613999999999'],
			},
		},
		output: [
			{ user_id: 'u002', email: 'liu.yang@example.com' },
			{ user_id: 'u003', mobile: '+8613900000003' },
			{ user_id: null, mobile: '+8613999999999' },
		],
		error: [fErr(400, 40001, 'param error'), '40001', /parameter is invalid/],
	},
	{
		name: 'Feishu API request',
		run: feishu('apiRequest', 'call', {
			method: 'GET',
			path: '/open-apis/contact/v3/group/simplelist',
			query: '{"page_size": 2}',
		}),
		route: 'feishu.userGroup.getAll',
		request: {
			method: 'GET',
			path: '/open-apis/contact/v3/group/simplelist',
			query: { page_size: '2' },
		},
		output: (json) =>
			expect(json[0]).toEqual(expect.objectContaining({ has_more: true, page_token: 'pt-2' })),
		error: [fErr(400, 40011, 'page size is invalid'), '40011', /page size/],
	},
];

describeRows(env, ROWS);

describe('body-level failures and batching', () => {
	it('Feishu add many: more than 100 members go in calls of 100', async () => {
		const ids = Array.from({ length: 230 }, (_, i) => `ou_x${i}`);
		env.fake.state.feishuUsers.push(
			...ids.map((open_id) => ({
				open_id,
				union_id: `on_${open_id}`,
				user_id: open_id,
				name: open_id,
				email: '',
				mobile: '',
			})),
		);
		const result = await env.bench.run(
			feishu('userGroupMember', 'addMany', {
				groupId: rl('g1837191'),
				memberIds: ids.join(','),
				memberIdType: 'open_id',
			}),
		);
		expect(result.error).toBeUndefined();
		expect(
			env.fake
				.calls('feishu.userGroupMember.addMany')
				.map((c) => ((c.body as IDataObject).members as unknown[]).length),
		).toEqual([100, 100, 30]);
		expect((result.json[0].added as string[]).length).toBe(230);
	});
	it('API request refuses a path that could leave the API', async () => {
		const result = await env.bench.run(
			feishu('apiRequest', 'call', { method: 'GET', path: '/open-apis/../admin', query: '{}' }),
		);
		expect(result.error?.message).toMatch(
			/"Path" \(path\) in item 0: must start with \/ and must not contain/,
		);
		expect(env.fake.requests).toHaveLength(0);
	});
});

const LISTS: ListCase[] = [
	{
		name: 'Feishu user groups (page_token / page_size)',
		route: 'feishu.userGroup.getAll',
		run: (extra) => feishu('userGroup', 'getAll', extra),
		seed: (n) => {
			for (let i = 0; i < n; i++)
				env.fake.feishuGroups.set(`bulk${i}`, { name: `Bulk ${i}`, members: [] });
		},
		base: 3,
		maxPage: 100,
		pageSizeOf: (c) => Number(c.query.page_size),
		first: {
			id: 'g1837191',
			name: 'Empty group',
			description: '',
			member_user_count: 0,
			member_department_count: 0,
			type: 1,
		},
		error: [fErr(400, 40012, 'page token is invalid error'), '40012', /page token is invalid/],
	},
	{
		name: 'Feishu group members (page_token / page_size)',
		route: 'feishu.userGroupMember.getAll',
		run: (extra) =>
			feishu('userGroupMember', 'getAll', {
				groupId: rl('g1837191'),
				memberIdType: 'open_id',
				...extra,
			}),
		seed: (n) => {
			for (let i = 0; i < n; i++)
				env.fake.state.feishuUsers.push({
					open_id: `ou_m${i}`,
					union_id: '',
					user_id: '',
					name: '',
					email: '',
					mobile: '',
				});
			env.fake.feishuGroups
				.get('g1837191')!
				.members.push(...Array.from({ length: n }, (_, i) => `ou_m${i}`));
		},
		base: 0,
		maxPage: 100,
		pageSizeOf: (c) => Number(c.query.page_size),
		first: { member_id: 'ou_m0', member_type: 'user' },
		error: [fErr(400, 41072, 'member_type not match member_id_type'), '41072', /does not match/],
	},
	{
		name: 'Feishu memberships (page_token / page_size)',
		route: 'feishu.userGroup.getMemberships',
		run: (extra) =>
			feishu('userGroup', 'getMemberships', {
				memberId: 'ou_2',
				memberIdType: 'open_id',
				...extra,
			}),
		seed: (n) => {
			for (let i = 0; i < n; i++)
				env.fake.feishuGroups.set(`mine${i}`, { name: `Mine ${i}`, members: ['ou_2'] });
		},
		base: 0,
		maxPage: 1000,
		pageSizeOf: (c) => Number(c.query.page_size),
		first: { groupId: 'mine0' },
		error: [fErr(403, 41050, 'no user authority error'), '41050', /outside the app/],
	},
];

describeLists(env, LISTS);
