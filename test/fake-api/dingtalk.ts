/**
 * The fake DingTalk platform's behaviour: state changes and the documented answers, per endpoint.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';
import { USERS } from './server';

const requestId = () => randomBytes(6).toString('hex');
const fail = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: requestId() },
});
const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body });
const legacyOk = (body: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { errcode: 0, errmsg: 'ok', ...body, request_id: requestId() },
});
const legacyFail = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: requestId() },
});

const isAdmin = (unionId: unknown) => unionId === USERS.admin;
const isEmployee = (unionId: unknown) => Object.values(USERS).includes(unionId as string);

/** Offset/size paging as the legacy list APIs do it. */
function offsetPage<T>(
	all: T[],
	body: Record<string, unknown>,
	defaultSize = 20,
): { list: T[]; hasMore: boolean } {
	const offset = (body.offset as number | undefined) ?? 0;
	const size = (body.size as number | undefined) ?? defaultSize;
	return { list: all.slice(offset, offset + size), hasMore: offset + size < all.length };
}

export function dingTalkHandlers(fake: FakeApi): Record<string, Handler> {
	const s = fake.state;
	return {
		'dingtalk.meetingRoomGroup.create': ({ body }) => {
			if (!isAdmin(body.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			const parentId = body.parentGroupId as number;
			if (parentId !== 0 && !s.roomGroups.has(parentId))
				return fail(400, 'group.not.found', 'Parent Group Not Found');
			const groupId = s.nextId++;
			s.roomGroups.set(groupId, { groupId, groupName: String(body.groupName ?? ''), parentId });
			return ok({ result: groupId });
		},
		'dingtalk.meetingRoomGroup.delete': ({ params, query }) => {
			if (!isAdmin(query.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			const groupId = Number(params.groupId);
			if (!s.roomGroups.has(groupId)) return fail(400, 'group.not.found', 'Group Not Found');
			if ([...s.roomGroups.values()].some((g) => g.parentId === groupId))
				return fail(400, 'param.error', 'Param Error');
			s.roomGroups.delete(groupId);
			return ok({ result: true });
		},
		'dingtalk.meetingRoomGroup.update': ({ body }) => {
			if (!isAdmin(body.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			const group = s.roomGroups.get(body.groupId as number);
			if (!group) return fail(400, 'group.not.found', 'Group Not Found');
			if (body.groupName !== undefined) group.groupName = String(body.groupName);
			return ok({ result: true });
		},
		'dingtalk.meetingRoomGroup.get': ({ params, query }) => {
			if (!isEmployee(query.unionId)) return fail(400, 'user.not.employee', 'User Not Employee');
			const group = s.roomGroups.get(Number(params.groupId));
			if (!group) return fail(500, 'group.query.error', 'Group Query Error');
			return ok({ ...group });
		},
		'dingtalk.meetingRoomGroup.getAll': ({ query }) => {
			if (!isEmployee(query.unionId)) return fail(400, 'user.not.employee', 'User Not Employee');
			return ok({ result: [...s.roomGroups.values()].map((g) => ({ ...g })) });
		},
		'dingtalk.meetingRoom.create': ({ body }) => {
			if (!isAdmin(body.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			if ([...s.rooms.values()].some((r) => r.roomName === body.roomName))
				return fail(400, 'room.exist', 'Room Exsit');
			const roomId = `room${s.nextId++}`;
			const { unionId: _operator, ...room } = body;
			s.rooms.set(roomId, { roomId, ...room });
			return ok({ result: roomId });
		},
		'dingtalk.meetingRoom.get': ({ params, query }) => {
			if (!isEmployee(query.unionId)) return fail(400, 'user.not.employee', 'User Not Employee');
			const room = s.rooms.get(params.roomId);
			return room ? ok({ result: { ...room } }) : fail(400, 'param.error', 'Param Error');
		},
		'dingtalk.meetingRoom.getAll': ({ query }) => {
			if (!isEmployee(query.unionId)) return fail(400, 'user.not.employee', 'User Not Employee');
			const all = [...s.rooms.values()];
			const start = query.nextToken === undefined ? 0 : Number(query.nextToken);
			const size = query.maxResults === undefined ? 20 : Number(query.maxResults);
			if (size > 100) return fail(400, 'param.error', 'Error:maxResults over 100');
			const page = all.slice(start, start + size);
			const hasMore = start + size < all.length;
			return ok({
				result: page.map((r) => ({ ...r })),
				hasMore,
				...(hasMore ? { nextToken: start + size } : {}),
			});
		},
		'dingtalk.meetingRoom.update': ({ body }) => {
			if (!isAdmin(body.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			const room = s.rooms.get(body.roomId as string);
			if (!room) return fail(400, 'room.not.found', 'Room Not Found');
			const { unionId: _operator, roomId: _id, ...changes } = body;
			Object.assign(room, changes);
			return ok({ result: true });
		},
		'dingtalk.meetingRoom.delete': ({ params, query }) => {
			if (!isAdmin(query.unionId)) return fail(400, 'user.not.admin', 'User Not Admin');
			if (!s.rooms.delete(params.roomId)) return fail(400, 'room.not.found', 'Room Not Found');
			return ok({ result: true });
		},
		'dingtalk.videoConference.create': ({ body }) => {
			if (!isEmployee(body.userId)) return fail(400, 'unknownUserError', 'unknownUserError');
			if (String(body.confTitle).length > 256)
				return fail(400, 'paramsTitleError', 'error:title too long');
			const conferenceId = randomBytes(12).toString('hex');
			const members = new Set<string>([
				...(body.inviteCaller === false ? [] : [body.userId as string]),
				...((body.inviteUserIds as string[]) ?? []),
			]);
			s.conferences.set(conferenceId, {
				title: String(body.confTitle).slice(0, 50),
				host: body.userId as string,
				members,
				status: 2,
			});
			return ok({
				conferenceId,
				conferencePassword: '1234',
				hostPassword: '5678',
				externalLinkUrl: `https://meeting.dingtalk.com/j/${conferenceId}`,
				phoneNumbers: [],
				roomCode: '123456789',
			});
		},
		'dingtalk.videoConference.get': ({ params }) => {
			const c = s.conferences.get(params.conferenceId);
			if (!c) return fail(404, 'roomNotFound', 'ROOM NOT FOUND');
			return ok({
				confInfo: {
					conferenceId: params.conferenceId,
					title: c.title,
					creatorId: c.host,
					status: c.status,
					activeNum: c.members.size,
					attendNum: c.members.size,
					invitedNum: c.members.size,
				},
			});
		},
		'dingtalk.videoConference.close': ({ params, query }) => {
			const c = s.conferences.get(params.conferenceId);
			if (!c) return fail(400, 'paramsError', 'error:conference not found');
			if (c.status === 1) return fail(400, 'resourceClose', 'The meeting has ended');
			if (c.host !== query.unionId)
				return ok({ code: 403, cause: 'only the host can close the conference' });
			c.status = 1;
			return ok({ code: 200, cause: 'success' });
		},
		'dingtalk.videoConference.getParticipants': ({ params, query }) => {
			const c = s.conferences.get(params.conferenceId);
			if (!c) return fail(404, 'roomNotFound', 'ROOM NOT FOUND');
			const all = [...c.members].map((unionId) => ({
				unionId,
				conferenceId: params.conferenceId,
				userNick: unionId,
				attendStatus: 3,
				host: unionId === c.host,
			}));
			const start =
				query.nextToken === undefined || query.nextToken === '0' ? 0 : Number(query.nextToken);
			const size = query.maxResults === undefined ? 128 : Number(query.maxResults);
			const end = start + size;
			return ok({
				memberModels: all.slice(start, end),
				totalCount: all.length,
				...(end < all.length ? { nextToken: String(end) } : {}),
			});
		},
		'dingtalk.videoConference.inviteUsers': ({ params, body }) => {
			const c = s.conferences.get(params.conferenceId);
			if (!c) return fail(400, 'paramsError', 'error:conference not found');
			const invitees = (body.inviteeList as Array<{ unionId: string }>) ?? [];
			if (invitees.some((i) => !isEmployee(i.unionId)))
				return fail(400, 'unknownUserError', 'unknownUserError');
			for (const i of invitees) c.members.add(i.unionId);
			return ok({ success: true });
		},
		'dingtalk.videoConference.muteMember': ({ params, body }) => {
			const users = body.userList as Array<{ unionId: string }>;
			if (users.length !== 1)
				fake.violations.push(
					`dingtalk.videoConference.muteMember: userList takes exactly one user, got ${users.length}`,
				);
			if (!s.conferences.has(params.conferenceId))
				return fail(400, 'paramsError', 'error:conference not found');
			if (!isEmployee(users[0]?.unionId)) return fail(400, 'unknownUserError', 'unknownUserError');
			return ok({ success: true });
		},
		'dingtalk.videoConference.muteAll': ({ params }) =>
			s.conferences.has(params.conferenceId)
				? ok({ success: true })
				: fail(400, 'paramsError', 'error:conference not found'),
		'dingtalk.videoConference.kickMembers': ({ params, body }) => {
			const c = s.conferences.get(params.conferenceId);
			if (!c) return fail(400, 'paramsError', 'error:conference not found');
			const users = body.userList as Array<{ unionId: string }>;
			if (users.some((u) => !isEmployee(u.unionId)))
				return fail(400, 'unknownUserError', 'unknownUserError');
			for (const u of users) c.members.delete(u.unionId);
			return ok({ success: true });
		},
		'dingtalk.role.delete': ({ body }) => {
			const role = s.roles.get(body.role_id as number);
			if (!role) return legacyFail(33011, 'Invalid role_id');
			if (role.system) return legacyFail(23004, '不允许编辑系统标签');
			s.roles.delete(body.role_id as number);
			// The documented example answers errcode as the string "0".
			return { status: 200, body: { errcode: '0', errmsg: 'ok', request_id: requestId() } };
		},
		'dingtalk.role.getAll': ({ body }) => {
			if (((body.size as number) ?? 20) > 200) return legacyFail(40069, '非法的size');
			const groups = [...s.roleGroups.entries()].map(([groupId, name]) => ({
				groupId,
				name,
				roles: [...s.roles.entries()]
					.filter(([, r]) => r.groupId === groupId)
					.map(([id, r]) => ({ id, name: r.name })),
			}));
			return legacyOk({ result: offsetPage(groups, body) });
		},
		'dingtalk.role.get': ({ body }) => {
			const role = s.roles.get(body.roleId as number);
			return role
				? legacyOk({ role: { name: role.name, groupId: role.groupId } })
				: legacyFail(33011, '无效的roleId');
		},
		'dingtalk.role.create': ({ body }) => {
			if (!s.roleGroups.has(body.groupId as number)) return legacyFail(34020, '无效的groupId');
			if ([...s.roles.values()].some((r) => r.name === body.roleName))
				return legacyFail(34021, '角色名称已存在');
			const roleId = s.nextId++;
			s.roles.set(roleId, {
				name: String(body.roleName),
				groupId: body.groupId as number,
				system: false,
				users: new Set(),
			});
			return legacyOk({ roleId });
		},
		'dingtalk.role.update': ({ body }) => {
			const role = s.roles.get(body.roleId as number);
			if (!role) return legacyFail(33011, '无效的roleId');
			role.name = String(body.roleName);
			return legacyOk();
		},
		'dingtalk.role.createGroup': ({ body }) => {
			const groupId = s.nextId++;
			s.roleGroups.set(groupId, String(body.name));
			return legacyOk({ groupId });
		},
		'dingtalk.role.getGroup': ({ body }) => {
			const name = s.roleGroups.get(body.group_id as number);
			if (name === undefined) return legacyFail(400002, '无效的参数');
			const roles = [...s.roles.entries()]
				.filter(([, r]) => r.groupId === body.group_id)
				.map(([role_id, r]) => ({ role_id, role_name: r.name }));
			return legacyOk({ role_group: { group_name: name, roles } });
		},
		'dingtalk.role.addToUsers': (ctx) => assign(fake, ctx.body, 20, 20, true),
		'dingtalk.role.removeFromUsers': (ctx) => assign(fake, ctx.body, 20, 100, false),
		'dingtalk.role.getUsers': ({ body }) => {
			const role = s.roles.get(body.role_id as number);
			if (!role) return legacyFail(33011, '无效的roleId');
			if (((body.size as number) ?? 20) > 100) return legacyFail(40069, '无效的size');
			const users = [...role.users].map((userid) => ({
				userid,
				name: s.dingUsers.find((u) => u.userid === userid)?.name ?? userid,
			}));
			return legacyOk({ result: offsetPage(users, body) });
		},
		'dingtalk.user.get': ({ body }) => {
			const u = s.dingUsers.find((x) => x.userid === body.userid);
			if (!u) return legacyFail(33012, '无效的userId');
			return legacyOk({
				result: {
					userid: u.userid,
					unionid: u.unionid,
					name: u.name,
					mobile: u.mobile,
					admin: u.unionid === USERS.admin,
					active: true,
					dept_id_list: fake.orgs.dingtalk.departmentsOf(u.userid).map((d) => Number(d.id)),
				},
			});
		},
		'dingtalk.user.getByMobile': ({ body }) => {
			const u = s.dingUsers.find((x) => x.mobile === body.mobile);
			return u ? legacyOk({ result: { userid: u.userid } }) : legacyFail(60121, '找不到该用户');
		},
		'dingtalk.user.getByUnionId': ({ body }) => {
			const u = s.dingUsers.find((x) => x.unionid === body.unionid);
			return u
				? legacyOk({ result: { contact_type: 0, userid: u.userid } })
				: legacyFail(60121, '找不到该用户');
		},
	};
}

/** addrolesforemps / removerolesforemps: comma-separated IDs, with the documented per-call limits. */
function assign(
	fake: FakeApi,
	body: Record<string, unknown>,
	maxRoles: number,
	maxUsers: number,
	adding: boolean,
): Answer {
	const roleIds = String(body.roleIds).split(',').map(Number);
	const userIds = String(body.userIds).split(',');
	if (roleIds.length > maxRoles)
		fake.violations.push(`roleIds: at most ${maxRoles} per call, got ${roleIds.length}`);
	if (userIds.length > maxUsers)
		fake.violations.push(`userIds: at most ${maxUsers} per call, got ${userIds.length}`);
	if (roleIds.some((id) => !fake.state.roles.has(id))) return legacyFail(33011, '无效的roleIds');
	if (userIds.some((id) => !fake.state.dingUsers.some((u) => u.userid === id)))
		return legacyFail(33012, '无效的userIds');
	for (const id of roleIds) {
		const users = fake.state.roles.get(id)!.users;
		for (const u of userIds) {
			if (adding) users.add(u);
			else users.delete(u);
		}
	}
	return legacyOk();
}
