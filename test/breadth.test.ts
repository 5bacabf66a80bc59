/**
 * Every operation beyond the five seed operations, through n8n's engine against the stateful fake:
 * the request it sends, the output it returns, one documented error each, and Return All / Limit paging.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Answer } from './fake-api/server';
import { USERS } from './fake-api/server';
import type { RunOptions } from './harness';
import { ding, feishu, useFakeApi } from './helpers';

const env = useFakeApi();
const rl = (value: string | number) => ({ __rl: true, mode: 'id', value });
const CONF = '644272f14ba331014abcdef';

interface Row {
	name: string;
	run: RunOptions;
	route: string;
	request: { method: string; path: string; query?: Record<string, string>; body?: unknown };
	output: IDataObject[] | ((json: IDataObject[]) => void);
	/** A documented error: scripted answer, expected code, and a fragment of its documented meaning. */
	error: [Answer, string, RegExp];
}

const dNew = (status: number, code: string, message = code): Answer => ({
	status,
	body: { code, message, requestid: 'r1' },
});
const dOld = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: 'r1' },
});
const fErr = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg },
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

describe.each(ROWS)('$name', (row) => {
	it('sends the documented request and returns its output', async () => {
		const result = await env.bench.run(row.run);
		expect(result.error).toBeUndefined();
		const calls = env.fake.calls(row.route);
		expect(calls).toHaveLength(1);
		const [call] = calls;
		expect({ method: call.method, path: call.path }).toEqual({
			method: row.request.method,
			path: row.request.path,
		});
		const { access_token: _token, ...query } = call.query;
		expect(query).toEqual(row.request.query ?? {});
		if (row.request.body === undefined) expect(call.rawBody).toBe('');
		else expect(call.body).toEqual(row.request.body);
		if (typeof row.output === 'function') row.output(result.json);
		else expect(result.json).toEqual(row.output);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('surfaces a documented error with its meaning', async () => {
		const [answer, code, meaning] = row.error;
		// Idempotent requests are retried 3 times on a 5xx answer before it is reported.
		const idempotent =
			['GET', 'PUT', 'DELETE'].includes(row.request.method) ||
			/\/(get|list|simplelist|getrole|getrolegroup|getbymobile|getbyunionid|batch_get_id)/.test(
				row.request.path,
			);
		env.fake.script(
			row.route,
			...Array.from({ length: answer.status >= 500 && idempotent ? 4 : 1 }, () => answer),
		);
		const result = await env.bench.run(row.run);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toContain(`error ${code}:`);
		expect(result.error?.description).toMatch(meaning);
		expect(result.error?.httpCode).toBe(String(answer.status));
	});
});

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

/** Return All / Limit against the fake's real cursors. */
interface ListCase {
	name: string;
	route: string;
	run: (extra: IDataObject) => RunOptions;
	seed: (count: number) => void;
	/** Records the seed adds on top of what is already there. */
	base: number;
	maxPage: number;
	pageSizeOf: (call: { query: Record<string, string>; body: unknown }) => number;
	/** The first record of the seeded data, as the node outputs it. */
	first: IDataObject;
	/** A documented error of this list API: answer, code, fragment of its meaning. */
	error: [Answer, string, RegExp];
}

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

describe.each(LISTS)('paging: $name', (list) => {
	it('returns exactly one full page in one request', async () => {
		list.seed(list.maxPage - list.base);
		const result = await env.bench.run(list.run({ returnAll: true }));
		expect(result.error).toBeUndefined();
		expect(result.json).toHaveLength(list.maxPage);
		expect(result.json[0]).toEqual(list.first);
		const calls = env.fake.calls(list.route);
		expect(calls.map((c) => list.pageSizeOf(c))).toEqual([list.maxPage]);
	});

	it('follows the cursor across several pages with Return All', async () => {
		const total = list.maxPage * 2 + 7;
		list.seed(total - list.base);
		const result = await env.bench.run(list.run({ returnAll: true }));
		expect(result.json).toHaveLength(total);
		expect(new Set(result.json.map((j) => JSON.stringify(j))).size).toBe(total);
		expect(env.fake.calls(list.route)).toHaveLength(3);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('surfaces a documented error with its meaning', async () => {
		const [answer, code, meaning] = list.error;
		env.fake.script(list.route, answer);
		const result = await env.bench.run(list.run({ returnAll: true }));
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toContain(`error ${code}:`);
		expect(result.error?.description).toMatch(meaning);
	});

	it('stops at a limit that lands mid-page, asking for no more than it needs', async () => {
		list.seed(list.maxPage * 2 - list.base);
		const limit = list.maxPage + 3;
		const result = await env.bench.run(list.run({ returnAll: false, limit }));
		expect(result.json).toHaveLength(limit);
		expect(env.fake.calls(list.route).map((c) => list.pageSizeOf(c))).toEqual([list.maxPage, 3]);
	});
});

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
