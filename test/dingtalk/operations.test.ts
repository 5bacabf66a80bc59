/**
 * Every DingTalk operation, through n8n's engine against the stateful fake: the request it sends (method, path,
 * token placement, query, body with JSON types), the output it returns, one documented error each, and
 * Return All / Limit paging.
 */
import type { IDataObject } from 'n8n-workflow';

import { USERS } from '../fake-api/server';
import { ding, useFakeApi } from '../helpers';
import type { ListCase, Row } from '../operation-cases';
import { describeLists, describeRows, dNew, dOld, rl } from '../operation-cases';

const env = useFakeApi();
const CONF = '644272f14ba331014abcdef';

describe('DingTalk › Meeting Room Group › Create', () => {
	it('POSTs the documented body with a Long parentGroupId and returns the new group ID', async () => {
		const result = await env.bench.run(
			ding('meetingRoomGroup', 'create', {
				unionId: USERS.admin,
				parentGroupId: 172,
				groupName: 'Room A',
			}),
		);
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.meetingRoomGroup.create');
		expect(call.method).toBe('POST');
		expect(call.path).toBe('/v1.0/rooms/groups');
		expect(call.query).toEqual({});
		expect(call.headers['x-acs-dingtalk-access-token']).toBe(env.fake.issuedTokens('dingtalk')[0]);
		expect(call.headers['content-type']).toMatch(/^application\/json/);
		expect(call.rawBody).toBe(
			`{"unionId":"${USERS.admin}","parentGroupId":172,"groupName":"Room A"}`,
		);
		expect(result.json).toEqual([{ groupId: 1000, groupName: 'Room A', parentGroupId: 172 }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(env.fake.roomGroups.get(1000)).toMatchObject({ groupName: 'Room A', parentId: 172 });
	});

	it('defaults to the root group, does not send an empty group name, and accepts digit strings', async () => {
		const result = await env.bench.run(
			ding('meetingRoomGroup', 'create', {
				unionId: USERS.admin,
				groupName: '',
				parentGroupId: '={{ "0" }}',
			}),
		);
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.meetingRoomGroup.create');
		expect(JSON.parse(call.rawBody)).toEqual({ unionId: USERS.admin, parentGroupId: 0 });
		expect(result.json).toEqual([{ groupId: 1000, groupName: null, parentGroupId: 0 }]);
	});

	it('keeps the exact digits of a Long beyond 2^53', async () => {
		const result = await env.bench.run({
			...ding('meetingRoomGroup', 'create', {
				unionId: USERS.admin,
				parentGroupId: '={{ "9007199254740993" }}',
			}),
			continueOnFail: true,
		});
		const [call] = env.fake.calls('dingtalk.meetingRoomGroup.create');
		expect(call.rawBody).toContain('"parentGroupId":9007199254740993');
		expect(result.json[0].code).toBe('group.not.found');
	});

	it('creates one group per input item, reading fields from each item', async () => {
		const result = await env.bench.run({
			...ding('meetingRoomGroup', 'create', {
				unionId: USERS.admin,
				parentGroupId: '={{ $json.parent }}',
				groupName: '={{ $json.name }}',
			}),
			items: [
				{ name: 'A', parent: 172 },
				{ name: 'B', parent: 0 },
				{ name: 'C', parent: '173' },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.json.map((j) => [j.groupName, j.parentGroupId])).toEqual([
			['A', 172],
			['B', 0],
			['C', 173],
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(new Set(result.json.map((j) => j.groupId)).size).toBe(3);
	});
});

describe('DingTalk › Meeting Room Group › Delete', () => {
	it('DELETEs /v1.0/rooms/groups/{groupId}?unionId= and says what was deleted', async () => {
		const result = await env.bench.run(
			ding('meetingRoomGroup', 'delete', { groupId: '173', unionId: USERS.admin }),
		);
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.meetingRoomGroup.delete');
		expect(call.method).toBe('DELETE');
		expect(call.path).toBe('/v1.0/rooms/groups/173');
		expect(call.query).toEqual({ unionId: USERS.admin });
		expect(call.rawBody).toBe('');
		expect(call.headers['x-acs-dingtalk-access-token']).toBeTruthy();
		expect(result.json).toEqual([{ groupId: 173, deleted: true }]);
		expect(env.fake.roomGroups.has(173)).toBe(false);
	});
});

describe('DingTalk › Video Conference › Kick Members', () => {
	it('POSTs userList (participantId only when set) and forbiddenRejoin as a boolean', async () => {
		const result = await env.bench.run(
			ding('videoConference', 'kickMembers', {
				conferenceId: '644272f14ba331014abcdef',
				members: {
					member: [
						{ unionId: USERS.member, participantId: 'p-1' },
						{ unionId: USERS.guest, participantId: '' },
					],
				},
				forbiddenRejoin: true,
			}),
		);
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.videoConference.kickMembers');
		expect(call.path).toBe(
			'/v1.0/conference/videoConferences/644272f14ba331014abcdef/members/kick',
		);
		expect(JSON.parse(call.rawBody)).toEqual({
			userList: [{ unionId: USERS.member, participantId: 'p-1' }, { unionId: USERS.guest }],
			forbiddenRejoin: true,
		});
		expect(result.json).toEqual([
			{
				conferenceId: '644272f14ba331014abcdef',
				kicked: [{ unionId: USERS.member, participantId: 'p-1' }, { unionId: USERS.guest }],
				forbiddenRejoin: true,
				success: true,
			},
		]);
		expect([...env.fake.conferences.get('644272f14ba331014abcdef')!.members]).toEqual([
			USERS.admin,
		]);
	});

	it('sends forbiddenRejoin false by default', async () => {
		await env.bench.run(
			ding('videoConference', 'kickMembers', {
				conferenceId: '644272f14ba331014abcdef',
				members: { member: [{ unionId: USERS.member }] },
			}),
		);
		expect(JSON.parse(env.fake.calls('dingtalk.videoConference.kickMembers')[0].rawBody)).toEqual({
			userList: [{ unionId: USERS.member }],
			forbiddenRejoin: false,
		});
	});
});

describe('DingTalk › Role › Delete (legacy API)', () => {
	it('POSTs role_id as a JSON integer with the token in the access_token query parameter', async () => {
		const result = await env.bench.run(ding('role', 'delete', { roleId: '1581321999' }));
		expect(result.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.role.delete');
		expect(call.method).toBe('POST');
		expect(call.path).toBe('/topapi/role/deleterole');
		expect(call.query).toEqual({ access_token: env.fake.issuedTokens('dingtalk')[0] });
		expect(call.headers['x-acs-dingtalk-access-token']).toBeUndefined();
		expect(call.rawBody).toBe('{"role_id":1581321999}');
		expect(result.json).toEqual([
			{ roleId: 1581321999, deleted: true, requestId: expect.any(String) },
		]);
		expect(env.fake.roles.has(1581321999)).toBe(false);
	});
});

const ROWS: Row[] = [
	{
		name: 'DingTalk meeting room group update',
		run: ding('meetingRoomGroup', 'update', {
			groupId: rl('173'),
			unionId: USERS.admin,
			groupName: 'Floor 3 (new)',
		}),
		route: 'dingtalk.meetingRoomGroup.update',
		request: {
			method: 'PUT',
			path: '/v1.0/rooms/groups',
			body: { unionId: USERS.admin, groupName: 'Floor 3 (new)', groupId: 173 },
		},
		output: [{ groupId: 173, groupName: 'Floor 3 (new)', updated: true }],
		error: [
			dNew(400, 'group.not.found', 'Group Not Found'),
			'group.not.found',
			/group does not exist/,
		],
	},
	{
		name: 'DingTalk meeting room group get',
		run: ding('meetingRoomGroup', 'get', { groupId: rl(172), unionId: USERS.member }),
		route: 'dingtalk.meetingRoomGroup.get',
		request: { method: 'GET', path: '/v1.0/rooms/groups/172', query: { unionId: USERS.member } },
		output: [{ groupId: 172, groupName: 'Headquarters', parentId: 0 }],
		error: [
			dNew(500, 'group.query.error', 'Group Query Error'),
			'group.query.error',
			/group may not exist or may have been deleted\. Check Group ID/,
		],
	},
	{
		name: 'DingTalk meeting room create',
		run: ding('meetingRoom', 'create', {
			unionId: USERS.admin,
			roomName: 'Pearl',
			roomStatus: 0,
			isvRoomId: 'HQ-201',
			additionalFields: {
				roomCapacity: 8,
				roomLabelIds: [1, 5],
				locationTitle: 'Building A',
				groupId: '172',
				openReservation: true,
			},
		}),
		route: 'dingtalk.meetingRoom.create',
		request: {
			method: 'POST',
			path: '/v1.0/rooms/meetingrooms',
			body: {
				unionId: USERS.admin,
				roomName: 'Pearl',
				roomStatus: 0,
				isvRoomId: 'HQ-201',
				roomCapacity: 8,
				openReservation: true,
				roomLabelIds: [1, 5],
				groupId: 172,
				roomLocation: { title: 'Building A' },
			},
		},
		output: (json) =>
			expect(json).toEqual([
				expect.objectContaining({
					roomId: 'room1000',
					roomName: 'Pearl',
					groupId: 172,
					roomLabelIds: [1, 5],
				}),
			]),
		error: [dNew(400, 'num.over.limit', 'Number Over Limit'), 'num.over.limit', /quota/],
	},
	{
		name: 'DingTalk meeting room get',
		run: ding('meetingRoom', 'get', { roomId: rl('room-hq-101'), unionId: USERS.member }),
		route: 'dingtalk.meetingRoom.get',
		request: {
			method: 'GET',
			path: '/v1.0/rooms/meetingRooms/room-hq-101',
			query: { unionId: USERS.member },
		},
		output: (json) =>
			expect(json).toEqual([
				expect.objectContaining({ roomId: 'room-hq-101', roomName: 'Great Wall' }),
			]),
		error: [
			dNew(400, 'org.not.found', 'Org Not Found'),
			'org.not.found',
			/organization was not found/,
		],
	},
	{
		name: 'DingTalk meeting room update',
		run: ding('meetingRoom', 'update', {
			roomId: rl('room-hq-102'),
			unionId: USERS.admin,
			updateFields: { roomName: 'Yangtze', roomStatus: 1 },
		}),
		route: 'dingtalk.meetingRoom.update',
		request: {
			method: 'PUT',
			path: '/v1.0/rooms/meetingRooms',
			body: { unionId: USERS.admin, roomId: 'room-hq-102', roomName: 'Yangtze', roomStatus: 1 },
		},
		output: [{ roomId: 'room-hq-102', updated: true }],
		error: [dNew(400, 'room.exist', 'Room Exsit'), 'room.exist', /already exists/],
	},
	{
		name: 'DingTalk meeting room delete',
		run: ding('meetingRoom', 'delete', { roomId: rl('room-hq-102'), unionId: USERS.admin }),
		route: 'dingtalk.meetingRoom.delete',
		request: {
			method: 'DELETE',
			path: '/v1.0/rooms/meetingRooms/room-hq-102',
			query: { unionId: USERS.admin },
		},
		output: [{ roomId: 'room-hq-102', deleted: true }],
		error: [dNew(400, 'room.not.found', 'Room Not Found'), 'room.not.found', /does not exist/],
	},
	{
		name: 'DingTalk video conference create',
		run: ding('videoConference', 'create', {
			unionId: USERS.admin,
			confTitle: 'Standup',
			additionalFields: { inviteUserIds: `${USERS.member}, ${USERS.guest}`, inviteCaller: false },
		}),
		route: 'dingtalk.videoConference.create',
		request: {
			method: 'POST',
			path: '/v1.0/conference/videoConferences',
			body: {
				userId: USERS.admin,
				confTitle: 'Standup',
				inviteUserIds: [USERS.member, USERS.guest],
				inviteCaller: false,
			},
		},
		output: (json) =>
			expect(json[0]).toEqual(
				expect.objectContaining({ conferenceId: expect.any(String), roomCode: '123456789' }),
			),
		error: [
			dNew(404, 'waterLimitError', 'waterLimitError:busy'),
			'waterLimitError',
			/Too many participants/,
		],
	},
	{
		name: 'DingTalk video conference get',
		run: ding('videoConference', 'get', { conferenceId: CONF }),
		route: 'dingtalk.videoConference.get',
		request: { method: 'GET', path: `/v1.0/conference/videoConferences/${CONF}` },
		output: (json) =>
			expect(json).toEqual([
				expect.objectContaining({ conferenceId: CONF, title: 'Weekly sync', status: 2 }),
			]),
		error: [
			dNew(404, 'roomNotFound', 'ROOM NOT FOUND'),
			'roomNotFound',
			/conference was not found/,
		],
	},
	{
		name: 'DingTalk video conference close',
		run: ding('videoConference', 'close', { conferenceId: CONF, unionId: USERS.admin }),
		route: 'dingtalk.videoConference.close',
		request: {
			method: 'DELETE',
			path: `/v1.0/conference/videoConferences/${CONF}`,
			query: { unionId: USERS.admin },
		},
		output: [{ conferenceId: CONF, closed: true }],
		error: [dNew(400, 'resourceClose', 'The meeting has ended'), 'resourceClose', /already ended/],
	},
	{
		name: 'DingTalk video conference invite users',
		run: ding('videoConference', 'inviteUsers', {
			conferenceId: CONF,
			unionId: USERS.admin,
			invitees: { invitee: [{ unionId: USERS.guest, nick: 'Wang' }] },
		}),
		route: 'dingtalk.videoConference.inviteUsers',
		request: {
			method: 'POST',
			path: `/v1.0/conference/videoConferences/${CONF}/users/invite`,
			body: { unionId: USERS.admin, inviteeList: [{ unionId: USERS.guest, nick: 'Wang' }] },
		},
		output: [
			{ conferenceId: CONF, invited: [{ unionId: USERS.guest, nick: 'Wang' }], success: true },
		],
		error: [dNew(400, 'unknownUserError'), 'unknownUserError', /not recognised/],
	},
	{
		name: 'DingTalk video conference mute member',
		run: ding('videoConference', 'muteMember', {
			conferenceId: CONF,
			action: 'mute',
			memberUnionId: USERS.member,
			participantId: 'dev-1',
		}),
		route: 'dingtalk.videoConference.muteMember',
		request: {
			method: 'POST',
			path: `/v1.0/conference/videoConferences/${CONF}/members/mute`,
			body: { action: 'mute', userList: [{ unionId: USERS.member, participantId: 'dev-1' }] },
		},
		output: [{ conferenceId: CONF, action: 'mute', unionId: USERS.member, success: true }],
		error: [dNew(500, 'systemError', 'systemError:x'), 'systemError', /internal error/],
	},
	{
		name: 'DingTalk video conference mute all',
		run: ding('videoConference', 'muteAll', {
			conferenceId: CONF,
			action: 'mute',
			forceMute: true,
		}),
		route: 'dingtalk.videoConference.muteAll',
		request: {
			method: 'POST',
			path: `/v1.0/conference/videoConferences/${CONF}/allMembers/mute`,
			body: { action: 'mute', forceMute: true },
		},
		output: [{ conferenceId: CONF, action: 'mute', forceMute: true, success: true }],
		error: [
			dNew(400, 'paramsError', 'error:conference id missing'),
			'paramsError',
			/parameter is wrong/,
		],
	},
	{
		name: 'DingTalk role get',
		run: ding('role', 'get', { roleId: rl('1581321999') }),
		route: 'dingtalk.role.get',
		request: { method: 'POST', path: '/topapi/role/getrole', body: { roleId: 1581321999 } },
		output: [{ roleId: 1581321999, name: 'Finance', groupId: 1507113578 }],
		error: [dOld(43007, '需要操作权限'), '43007', /lacks the permission/],
	},
	{
		name: 'DingTalk role create',
		run: ding('role', 'create', { roleName: 'Legal', groupId: '1507113578' }),
		route: 'dingtalk.role.create',
		request: {
			method: 'POST',
			path: '/role/add_role',
			body: { roleName: 'Legal', groupId: 1507113578 },
		},
		output: [{ roleId: 1000, roleName: 'Legal', groupId: 1507113578 }],
		error: [dOld(34021, '角色名称已存在'), '34021', /already exists/],
	},
	{
		name: 'DingTalk role update',
		run: ding('role', 'update', { roleId: rl(1581322000), roleName: 'Sales East' }),
		route: 'dingtalk.role.update',
		request: {
			method: 'POST',
			path: '/role/update_role',
			body: { roleId: 1581322000, roleName: 'Sales East' },
		},
		output: [{ roleId: 1581322000, roleName: 'Sales East', updated: true }],
		error: [dOld(660000, '参数为空'), '660000', /parameter is empty/],
	},
	{
		name: 'DingTalk role create group',
		run: ding('role', 'createGroup', { name: 'Projects' }),
		route: 'dingtalk.role.createGroup',
		request: { method: 'POST', path: '/role/add_role_group', body: { name: 'Projects' } },
		output: [{ groupId: 1000, name: 'Projects' }],
		error: [dOld(90020, 'ApiCountLimitForOrg'), '90020', /monthly API call quota/],
	},
	{
		name: 'DingTalk role get group',
		run: ding('role', 'getGroup', { groupId: '1507113578' }),
		route: 'dingtalk.role.getGroup',
		request: { method: 'POST', path: '/topapi/role/getrolegroup', body: { group_id: 1507113578 } },
		output: [
			{
				groupId: 1507113578,
				groupName: 'Departments',
				roles: [
					{ role_id: 1581321999, role_name: 'Finance' },
					{ role_id: 1581322000, role_name: 'Sales' },
				],
			},
		],
		error: [dOld(400002, '无效的参数'), '400002', /role group ID is invalid/],
	},
	{
		name: 'DingTalk role add to users',
		run: ding('role', 'addToUsers', {
			roleIds: '1581321999,1581322000',
			userIds: 'staff0002, staff0003',
		}),
		route: 'dingtalk.role.addToUsers',
		request: {
			method: 'POST',
			path: '/topapi/role/addrolesforemps',
			body: { roleIds: '1581321999,1581322000', userIds: 'staff0002,staff0003' },
		},
		output: [
			{
				roleIds: ['1581321999', '1581322000'],
				userIds: ['staff0002', 'staff0003'],
				added: true,
				calls: 1,
			},
		],
		error: [dOld(33012, '无效的userIds'), '33012', /user ID is invalid/],
	},
	{
		name: 'DingTalk role remove from users',
		run: ding('role', 'removeFromUsers', { roleIds: '1581321999', userIds: 'staff0002' }),
		route: 'dingtalk.role.removeFromUsers',
		request: {
			method: 'POST',
			path: '/topapi/role/removerolesforemps',
			body: { roleIds: '1581321999', userIds: 'staff0002' },
		},
		output: [{ roleIds: ['1581321999'], userIds: ['staff0002'], removed: true, calls: 1 }],
		error: [dOld(33011, '无效的roleIds'), '33011', /role ID is invalid/],
	},
	{
		name: 'DingTalk user get',
		run: ding('user', 'get', { userId: 'staff0002', language: 'en_US' }),
		route: 'dingtalk.user.get',
		request: {
			method: 'POST',
			path: '/topapi/v2/user/get',
			body: { userid: 'staff0002', language: 'en_US' },
		},
		output: (json) =>
			expect(json).toEqual([
				expect.objectContaining({ userid: 'staff0002', unionid: USERS.member }),
			]),
		error: [dOld(33012, '无效的userId'), '33012', /user ID is invalid/],
	},
	{
		name: 'DingTalk user get by mobile',
		run: ding('user', 'getByMobile', { mobile: '13800000003' }),
		route: 'dingtalk.user.getByMobile',
		request: {
			method: 'POST',
			path: '/topapi/v2/user/getbymobile',
			body: { mobile: '13800000003' },
		},
		output: [{ mobile: '13800000003', userId: 'staff0003' }],
		error: [dOld(40104, '企业中无效的手机号'), '40104', /mobile number is not valid/],
	},
	{
		name: 'DingTalk user get by union ID',
		run: ding('user', 'getByUnionId', { unionId: USERS.admin }),
		route: 'dingtalk.user.getByUnionId',
		request: { method: 'POST', path: '/topapi/user/getbyunionid', body: { unionid: USERS.admin } },
		output: [{ unionId: USERS.admin, userId: 'manager4220', contactType: 0 }],
		error: [dOld(60121, '找不到该用户'), '60121', /No employee/],
	},
	{
		name: 'DingTalk API request (legacy style)',
		run: ding('apiRequest', 'call', {
			style: 'legacy',
			method: 'POST',
			path: '/topapi/v2/user/get',
			query: '{}',
			body: '{"userid": "staff0003"}',
		}),
		route: 'dingtalk.user.get',
		request: { method: 'POST', path: '/topapi/v2/user/get', body: { userid: 'staff0003' } },
		output: (json) =>
			expect(json[0]).toEqual(
				expect.objectContaining({
					errcode: 0,
					result: expect.objectContaining({ unionid: USERS.guest }),
				}),
			),
		error: [dOld(33012, '无效的userId'), '33012', /./],
	},
];

describeRows(env, ROWS);

describe('body-level failures and batching', () => {
	it('close conference: HTTP 200 with a code other than 200 is an error', async () => {
		const result = await env.bench.run(
			ding('videoConference', 'close', { conferenceId: CONF, unionId: USERS.member }),
		);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'DingTalk error 403: only the host can close the conference',
		);
		expect(env.fake.conferences.get(CONF)!.status).toBe(2);
	});
	it('add roles to users: more than 20 users go in calls of 20, more than 20 roles is refused before sending', async () => {
		const userIds = Array.from({ length: 45 }, (_, i) => `bulk${i}`);
		env.fake.state.dingUsers.push(
			...userIds.map((userid) => ({ userid, unionid: `u-${userid}`, name: userid, mobile: '' })),
		);
		const result = await env.bench.run(
			ding('role', 'addToUsers', { roleIds: '1581322000', userIds: userIds.join(',') }),
		);
		expect(result.error).toBeUndefined();
		expect(
			env.fake
				.calls('dingtalk.role.addToUsers')
				.map((c) => (c.body as IDataObject).userIds as string)
				.map((u) => u.split(',').length),
		).toEqual([20, 20, 5]);
		expect(result.json[0].calls).toBe(3);
		expect(env.fake.roles.get(1581322000)!.users.size).toBe(45);

		const tooMany = Array.from({ length: 21 }, (_, i) => String(1000 + i)).join(',');
		const refused = await env.bench.run(
			ding('role', 'removeFromUsers', { roleIds: tooMany, userIds: 'staff0002' }),
		);
		expect(refused.error?.message).toMatch(
			/"Role IDs" \(roleIds\) in item 0: at most 20 roles per call, got 21/,
		);
		expect(env.fake.calls('dingtalk.role.removeFromUsers')).toHaveLength(0);
	});
});

const LISTS: ListCase[] = [
	{
		name: 'DingTalk meeting rooms (nextToken / maxResults)',
		route: 'dingtalk.meetingRoom.getAll',
		run: (extra) => ding('meetingRoom', 'getAll', { unionId: USERS.member, ...extra }),
		seed: (n) => {
			for (let i = 0; i < n; i++)
				env.fake.rooms.set(`r${i}`, {
					roomId: `r${i}`,
					roomName: `Room ${i}`,
					roomStatus: 0,
					isvRoomId: `X${i}`,
				});
		},
		base: 2,
		maxPage: 100,
		pageSizeOf: (c) => Number(c.query.maxResults),
		first: {
			roomId: 'room-hq-101',
			roomName: 'Great Wall',
			roomCapacity: 12,
			roomStatus: 0,
			isvRoomId: 'HQ-101',
		},
		error: [
			dNew(400, 'user.not.employee', 'User Not Employee'),
			'user.not.employee',
			/not an employee/,
		],
	},
	{
		name: 'DingTalk roles (offset / size)',
		route: 'dingtalk.role.getAll',
		run: (extra) => ding('role', 'getAll', extra),
		seed: (n) => {
			// One role per role group, so that records and groups page alike.
			env.fake.state.roles.clear();
			env.fake.state.roleGroups.clear();
			for (let i = 0; i < n; i++) {
				env.fake.state.roleGroups.set(9000 + i, `Group ${i}`);
				env.fake.roles.set(5000 + i, {
					name: `Role ${i}`,
					system: false,
					groupId: 9000 + i,
					users: new Set(),
				});
			}
		},
		base: 0,
		maxPage: 200,
		pageSizeOf: (c) => (c.body as IDataObject).size as number,
		first: { roleId: 5000, roleName: 'Role 0', groupId: 9000, groupName: 'Group 0' },
		error: [dOld(40068, '无效的偏移量'), '40068', /offset is invalid/],
	},
	{
		name: 'DingTalk role users (offset / size)',
		route: 'dingtalk.role.getUsers',
		run: (extra) => ding('role', 'getUsers', { roleId: rl(1581322000), ...extra }),
		seed: (n) => {
			for (let i = 0; i < n; i++) env.fake.roles.get(1581322000)!.users.add(`user${i}`);
		},
		base: 0,
		maxPage: 100,
		pageSizeOf: (c) => (c.body as IDataObject).size as number,
		first: { userid: 'user0', name: 'user0' },
		error: [dOld(33011, '无效的roleId'), '33011', /role ID is invalid/],
	},
	{
		name: 'DingTalk conference participants (nextToken / maxResults)',
		route: 'dingtalk.videoConference.getParticipants',
		run: (extra) => ding('videoConference', 'getParticipants', { conferenceId: CONF, ...extra }),
		seed: (n) => {
			for (let i = 0; i < n; i++) env.fake.conferences.get(CONF)!.members.add(`p${i}`);
		},
		base: 3,
		maxPage: 128,
		pageSizeOf: (c) => Number(c.query.maxResults),
		first: {
			unionId: USERS.admin,
			conferenceId: CONF,
			userNick: USERS.admin,
			attendStatus: 3,
			host: true,
		},
		error: [dNew(403, 'noPermission', 'NO PERMISSION'), 'noPermission', /no right to read/],
	},
];

describeLists(env, LISTS);

describe('the room group list, which has no paging', () => {
	it('returns all groups with Return All and cuts at the limit', async () => {
		for (let i = 0; i < 8; i++)
			env.fake.roomGroups.set(500 + i, { groupId: 500 + i, groupName: `G${i}`, parentId: 0 });
		const all = await env.bench.run(
			ding('meetingRoomGroup', 'getAll', { unionId: USERS.member, returnAll: true }),
		);
		expect(all.json).toHaveLength(10);
		const limited = await env.bench.run(
			ding('meetingRoomGroup', 'getAll', { unionId: USERS.member, returnAll: false, limit: 4 }),
		);
		expect(limited.json.map((g) => g.groupId)).toEqual([172, 173, 500, 501]);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.getAll').map((c) => c.query)).toEqual([
			{ unionId: USERS.member },
			{ unionId: USERS.member },
		]);
	});
});
