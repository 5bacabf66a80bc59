/**
 * What the API documents say each endpoint accepts. The fake server checks every request
 * against these and records any deviation as a violation (which fails the test).
 * Sources: ../shared/api-docs/ and the platforms' published references.
 */

import { DINGTALK_IM_ROUTES } from './dingtalk-im-routes';
import { WORKBOOK_ROUTES } from './dingtalk-workbook-routes';
import { BITABLE_ROUTES } from './feishu-bitable/routes';
import { DRIVE_ROUTES, PERMISSION_ROUTES } from './feishu-drive/routes';
import { DOCX_ROUTES, WIKI_ROUTES } from './feishu-docx/routes';
import { SHEETS_ROUTES } from './feishu-sheets/routes';
import { APPROVAL_ROUTES } from './feishu-approval/routes';
import { DING_APPROVAL_ROUTES } from './dingtalk-approval-routes';
import { NOTABLE_ROUTES } from './dingtalk-notable-routes';
import { ORG_ROUTES } from './org-routes';
import { FEISHU_CALENDAR_ROUTES } from './feishu-calendar-routes';
import { DINGTALK_CALENDAR_ROUTES } from './dingtalk-calendar-routes';
import { FEISHU_TASK_ROUTES } from './feishu-task-routes';
import { DINGTALK_TODO_ROUTES } from './dingtalk-todo-routes';
import { str, int, bool } from './values';

export type FieldType = 'string' | 'integer' | 'boolean' | 'array' | 'object' | 'digits';

export interface FieldSpec {
	type: FieldType;
	required?: boolean;
	/** For arrays of objects: the fields of each element. */
	items?: Record<string, FieldSpec>;
	/** For arrays of scalars: the type of each element. */
	of?: FieldType;
	/** For objects: their fields. */
	fields?: Record<string, FieldSpec>;
	/** Allowed values. */
	enum?: Array<string | number>;
}

const ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const FEISHU_MEMBER = {
	member_id: str(true),
	member_type: str(true, { enum: ['user'] }),
	member_id_type: ID_TYPE,
};
const ROOM_FIELDS: Record<string, FieldSpec> = {
	roomName: str(),
	roomCapacity: int(),
	roomPicture: str(),
	roomStatus: int(false, { enum: [0, 1, 2] }),
	roomLocation: { type: 'object', fields: { title: str(), desc: str() } },
	roomLabelIds: { type: 'array', of: 'integer' },
	isvRoomId: str(),
	groupId: int(),
	reservationAuthority: { type: 'object' },
	enableCycleReservation: bool(),
	openReservation: bool(),
	roomDescription: str(),
};
const conference = '/v1.0/conference/videoConferences/{conferenceId}';

/** How the request must carry its access token. */
/** robotWebhook: a custom robot's own access_token in the query (not an app token). */
export type AuthStyle =
	'dingtalkHeader' | 'dingtalkQuery' | 'feishuBearer' | 'robotWebhook' | 'none';

export interface RouteSpec {
	/** A stable name for tests: platform.resource.operation */
	key: string;
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Path with {param} placeholders. */
	path: string;
	pathParams?: Record<string, FieldType>;
	auth: AuthStyle;
	query?: Record<string, FieldSpec>;
	/** undefined: the request has no body. */
	body?: Record<string, FieldSpec>;
	/** The documented rate limits (per app and per API), enforced when the fake's documentedLimits is on. Default: see below. */
	limits?: RateRule[];
	/** A multipart/form-data body instead of JSON: its text fields and its file fields. */
	multipart?: { fields: Record<string, FieldSpec>; files: string[] };
	/** The answer is a file (a download), not JSON. */
	binaryAnswer?: boolean;
	/** The body is a file's bytes as they are (a signed upload URL's PUT), with its Content-Type. */
	rawUpload?: boolean;
	/**
	 * A JSON body as documented, or the same fields form-urlencoded (the OAuth token endpoint: see
	 * feishu-oauth.ts for why).
	 */
	formAccepted?: boolean;
	/**
	 * The page recognises an HTTP Basic header (the token endpoint answers 20070 to Basic plus a body
	 * secret); it documents the body's client_id and client_secret, which stay required.
	 */
	basicAuthRecognised?: boolean;
	/**
	 * The page accepts a user_access_token too (its Authorization row), with these scopes granted by the user
	 * (all of them); a route without it answers a user token as one it does not support.
	 */
	userToken?: { allOf?: string[] };
}

/** No more than `limit` accepted requests in a window of `windowMs`. */
export interface RateRule {
	limit: number;
	windowMs: number;
}

/** Feishu frequency-control level 4 (1000/min and 50/s) and level 3 (100/min); DingTalk's 20 calls/s per app and API. */
const FEISHU_LEVEL_4: RateRule[] = [
	{ limit: 50, windowMs: 1000 },
	{ limit: 1000, windowMs: 60_000 },
];
const FEISHU_LEVEL_3: RateRule[] = [{ limit: 100, windowMs: 60_000 }];
const DINGTALK_QPS: RateRule[] = [{ limit: 20, windowMs: 1000 }];
/** The Feishu APIs whose pages state 100 a minute; every other Feishu API here states level 4. */
const FEISHU_LEVEL_3_ROUTES = [
	'feishu.userGroup.create',
	'feishu.userGroup.update',
	'feishu.userGroup.delete',
	'feishu.userGroupMember.addMany',
	'feishu.userGroupMember.removeMany',
];

export const ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.token',
		method: 'POST',
		path: '/v1.0/oauth2/accessToken',
		auth: 'none',
		body: {
			appKey: { type: 'string', required: true },
			appSecret: { type: 'string', required: true },
		},
	},
	{
		key: 'dingtalk.meetingRoomGroup.create',
		method: 'POST',
		path: '/v1.0/rooms/groups',
		auth: 'dingtalkHeader',
		body: {
			unionId: { type: 'string', required: true },
			groupName: { type: 'string' },
			parentGroupId: { type: 'integer', required: true },
		},
	},
	{
		key: 'dingtalk.meetingRoomGroup.delete',
		method: 'DELETE',
		path: '/v1.0/rooms/groups/{groupId}',
		pathParams: { groupId: 'digits' },
		auth: 'dingtalkHeader',
		query: { unionId: { type: 'string', required: true } },
	},
	{
		key: 'dingtalk.videoConference.kickMembers',
		method: 'POST',
		path: '/v1.0/conference/videoConferences/{conferenceId}/members/kick',
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		body: {
			userList: {
				type: 'array',
				required: true,
				items: { unionId: { type: 'string', required: true }, participantId: { type: 'string' } },
			},
			forbiddenRejoin: { type: 'boolean' },
		},
	},
	{
		key: 'dingtalk.role.delete',
		method: 'POST',
		path: '/topapi/role/deleterole',
		auth: 'dingtalkQuery',
		body: { role_id: { type: 'integer', required: true } },
	},
	{
		key: 'dingtalk.meetingRoomGroup.update',
		method: 'PUT',
		path: '/v1.0/rooms/groups',
		auth: 'dingtalkHeader',
		body: { unionId: str(true), groupName: str(), groupId: int(true) },
	},
	{
		key: 'dingtalk.meetingRoomGroup.get',
		method: 'GET',
		path: '/v1.0/rooms/groups/{groupId}',
		pathParams: { groupId: 'digits' },
		auth: 'dingtalkHeader',
		query: { unionId: str(true) },
	},
	{
		key: 'dingtalk.meetingRoomGroup.getAll',
		method: 'GET',
		path: '/v1.0/rooms/groupLists',
		auth: 'dingtalkHeader',
		query: { unionId: str(true) },
	},
	{
		key: 'dingtalk.meetingRoom.create',
		method: 'POST',
		path: '/v1.0/rooms/meetingrooms',
		auth: 'dingtalkHeader',
		body: {
			...ROOM_FIELDS,
			unionId: str(true),
			roomName: str(true),
			roomStatus: int(true, { enum: [0, 1, 2] }),
			isvRoomId: str(true),
		},
	},
	{
		key: 'dingtalk.meetingRoom.get',
		method: 'GET',
		path: '/v1.0/rooms/meetingRooms/{roomId}',
		pathParams: { roomId: 'string' },
		auth: 'dingtalkHeader',
		query: { unionId: str(true) },
	},
	{
		key: 'dingtalk.meetingRoom.getAll',
		method: 'GET',
		path: '/v1.0/rooms/meetingRoomLists',
		auth: 'dingtalkHeader',
		query: { nextToken: int(), maxResults: int(), unionId: str(true) },
	},
	{
		key: 'dingtalk.meetingRoom.update',
		method: 'PUT',
		path: '/v1.0/rooms/meetingRooms',
		auth: 'dingtalkHeader',
		body: { ...ROOM_FIELDS, unionId: str(true), roomId: str(true) },
	},
	{
		key: 'dingtalk.meetingRoom.delete',
		method: 'DELETE',
		path: '/v1.0/rooms/meetingRooms/{roomId}',
		pathParams: { roomId: 'string' },
		auth: 'dingtalkHeader',
		query: { unionId: str(true) },
	},
	{
		key: 'dingtalk.videoConference.create',
		method: 'POST',
		path: '/v1.0/conference/videoConferences',
		auth: 'dingtalkHeader',
		body: {
			userId: str(true),
			confTitle: str(true),
			inviteUserIds: { type: 'array', of: 'string' },
			inviteCaller: bool(),
		},
	},
	{
		key: 'dingtalk.videoConference.get',
		method: 'GET',
		path: conference,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
	},
	{
		key: 'dingtalk.videoConference.close',
		method: 'DELETE',
		path: conference,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		query: { unionId: str(true) },
	},
	{
		key: 'dingtalk.videoConference.getParticipants',
		method: 'GET',
		path: `${conference}/members`,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		query: { nextToken: str(), maxResults: int() },
	},
	{
		key: 'dingtalk.videoConference.inviteUsers',
		method: 'POST',
		path: `${conference}/users/invite`,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		body: {
			unionId: str(),
			inviteeList: { type: 'array', items: { unionId: str(), nick: str(true) } },
			phoneInviteeList: { type: 'array', items: { phoneNumber: str(), nick: str() } },
		},
	},
	{
		key: 'dingtalk.videoConference.muteMember',
		method: 'POST',
		path: `${conference}/members/mute`,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		body: {
			action: str(true, { enum: ['mute', 'un_mute'] }),
			userList: {
				type: 'array',
				required: true,
				items: { unionId: str(true), participantId: str() },
			},
		},
	},
	{
		key: 'dingtalk.videoConference.muteAll',
		method: 'POST',
		path: `${conference}/allMembers/mute`,
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		body: { action: str(true, { enum: ['mute', 'un_mute'] }), forceMute: bool() },
	},
	{
		key: 'dingtalk.role.getAll',
		method: 'POST',
		path: '/topapi/role/list',
		auth: 'dingtalkQuery',
		body: { size: int(), offset: int() },
	},
	{
		key: 'dingtalk.role.get',
		method: 'POST',
		path: '/topapi/role/getrole',
		auth: 'dingtalkQuery',
		body: { roleId: int(true) },
	},
	{
		key: 'dingtalk.role.create',
		method: 'POST',
		path: '/role/add_role',
		auth: 'dingtalkQuery',
		body: { roleName: str(true), groupId: int(true) },
	},
	{
		key: 'dingtalk.role.update',
		method: 'POST',
		path: '/role/update_role',
		auth: 'dingtalkQuery',
		body: { roleId: int(true), roleName: str(true) },
	},
	{
		key: 'dingtalk.role.createGroup',
		method: 'POST',
		path: '/role/add_role_group',
		auth: 'dingtalkQuery',
		body: { name: str(true) },
	},
	{
		key: 'dingtalk.role.getGroup',
		method: 'POST',
		path: '/topapi/role/getrolegroup',
		auth: 'dingtalkQuery',
		body: { group_id: int(true) },
	},
	{
		key: 'dingtalk.role.addToUsers',
		method: 'POST',
		path: '/topapi/role/addrolesforemps',
		auth: 'dingtalkQuery',
		body: { roleIds: str(true), userIds: str(true) },
	},
	{
		key: 'dingtalk.role.removeFromUsers',
		method: 'POST',
		path: '/topapi/role/removerolesforemps',
		auth: 'dingtalkQuery',
		body: { roleIds: str(true), userIds: str(true) },
	},
	{
		key: 'dingtalk.role.getUsers',
		method: 'POST',
		path: '/topapi/role/simplelist',
		auth: 'dingtalkQuery',
		body: { role_id: int(true), size: int(), offset: int() },
	},
	{
		key: 'dingtalk.user.get',
		method: 'POST',
		path: '/topapi/v2/user/get',
		auth: 'dingtalkQuery',
		body: { userid: str(true), language: str(false, { enum: ['zh_CN', 'en_US'] }) },
	},
	{
		key: 'dingtalk.user.getByMobile',
		method: 'POST',
		path: '/topapi/v2/user/getbymobile',
		auth: 'dingtalkQuery',
		body: { mobile: str(true) },
	},
	{
		key: 'dingtalk.user.getByUnionId',
		method: 'POST',
		path: '/topapi/user/getbyunionid',
		auth: 'dingtalkQuery',
		body: { unionid: str(true) },
	},
	// Feishu / Lark user OAuth2 (docs/research/feishu-oauth2.md A.1 and A.2): the authorization page lives on
	// the accounts host and the token endpoint on the API host; the fake serves both.
	{
		key: 'feishu.oauth.authorize',
		method: 'GET',
		path: '/open-apis/authen/v1/authorize',
		auth: 'none',
		query: {
			client_id: str(true),
			response_type: str(true, { enum: ['code'] }),
			redirect_uri: str(true),
			scope: str(),
			state: str(),
			code_challenge: str(),
			code_challenge_method: str(false, { enum: ['S256', 'plain'] }),
			prompt: str(false, { enum: ['consent'] }),
		},
	},
	{
		key: 'feishu.oauth.token',
		method: 'POST',
		path: '/open-apis/authen/v2/oauth/token',
		auth: 'none',
		formAccepted: true,
		basicAuthRecognised: true,
		limits: FEISHU_LEVEL_4,
		body: {
			// Any value: the endpoint answers 20036 to a grant type it does not support.
			grant_type: str(true),
			client_id: str(true),
			client_secret: str(true),
			code: str(),
			redirect_uri: str(),
			code_verifier: str(),
			refresh_token: str(),
			scope: str(),
		},
	},
	{
		key: 'feishu.token',
		method: 'POST',
		path: '/open-apis/auth/v3/tenant_access_token/internal',
		auth: 'none',
		body: {
			app_id: { type: 'string', required: true },
			app_secret: { type: 'string', required: true },
		},
	},
	{
		key: 'feishu.userGroup.getAll',
		method: 'GET',
		path: '/open-apis/contact/v3/group/simplelist',
		auth: 'feishuBearer',
		query: { page_size: int(), page_token: str(), type: int(false, { enum: [1, 2] }) },
	},
	{
		key: 'feishu.userGroup.getMemberships',
		method: 'GET',
		path: '/open-apis/contact/v3/group/member_belong',
		auth: 'feishuBearer',
		query: {
			member_id: str(true),
			member_id_type: ID_TYPE,
			group_type: int(false, { enum: [1, 2] }),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		key: 'feishu.userGroup.create',
		method: 'POST',
		path: '/open-apis/contact/v3/group',
		auth: 'feishuBearer',
		query: { user_id_type: ID_TYPE, department_id_type: str() },
		body: { name: str(true), description: str(), type: int(false, { enum: [1] }), group_id: str() },
	},
	{
		key: 'feishu.userGroup.get',
		method: 'GET',
		path: '/open-apis/contact/v3/group/{group_id}',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		query: { user_id_type: ID_TYPE, department_id_type: str() },
	},
	{
		key: 'feishu.userGroup.update',
		method: 'PATCH',
		path: '/open-apis/contact/v3/group/{group_id}',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		query: { user_id_type: ID_TYPE, department_id_type: str() },
		body: { name: str(), description: str() },
	},
	{
		key: 'feishu.userGroupMember.add',
		method: 'POST',
		path: '/open-apis/contact/v3/group/{group_id}/member/add',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		body: { ...FEISHU_MEMBER, member_id_type: { ...ID_TYPE, required: true } },
	},
	{
		key: 'feishu.userGroupMember.addMany',
		method: 'POST',
		path: '/open-apis/contact/v3/group/{group_id}/member/batch_add',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		body: { members: { type: 'array', required: true, items: FEISHU_MEMBER } },
	},
	{
		key: 'feishu.userGroupMember.remove',
		method: 'POST',
		path: '/open-apis/contact/v3/group/{group_id}/member/remove',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		body: { ...FEISHU_MEMBER, member_id_type: { ...ID_TYPE, required: true } },
	},
	{
		key: 'feishu.userGroupMember.removeMany',
		method: 'POST',
		path: '/open-apis/contact/v3/group/{group_id}/member/batch_remove',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		body: { members: { type: 'array', required: true, items: FEISHU_MEMBER } },
	},
	{
		key: 'feishu.userGroupMember.getAll',
		method: 'GET',
		path: '/open-apis/contact/v3/group/{group_id}/member/simplelist',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
		query: {
			page_size: int(),
			page_token: str(),
			member_id_type: str(false, { enum: ['open_id', 'union_id', 'user_id', 'department_id'] }),
			member_type: str(false, { enum: ['user', 'department'] }),
		},
	},
	{
		key: 'feishu.user.getIdsByEmailOrMobile',
		method: 'POST',
		path: '/open-apis/contact/v3/users/batch_get_id',
		auth: 'feishuBearer',
		query: { user_id_type: ID_TYPE },
		body: {
			emails: { type: 'array', of: 'string' },
			mobiles: { type: 'array', of: 'string' },
			include_resigned: bool(),
		},
	},
	{
		key: 'feishu.user.get',
		method: 'GET',
		path: '/open-apis/contact/v3/users/{user_id}',
		pathParams: { user_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE, department_id_type: str() },
	},
	{
		key: 'feishu.userGroup.delete',
		method: 'DELETE',
		path: '/open-apis/contact/v3/group/{group_id}',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
	},
];

const RECEIVE_ID_TYPE = str(true, { enum: ['open_id', 'union_id', 'user_id', 'email', 'chat_id'] });
const MSG_TYPE = str(true, {
	enum: [
		'text',
		'post',
		'image',
		'file',
		'audio',
		'media',
		'sticker',
		'interactive',
		'share_chat',
		'share_user',
		'system',
	],
});
const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const message = '/open-apis/im/v1/messages/{message_id}';
const chat = '/open-apis/im/v1/chats/{chat_id}';
const CHAT_BODY: Record<string, FieldSpec> = {
	avatar: str(),
	name: str(),
	description: str(),
	i18n_names: { type: 'object' },
	owner_id: str(),
	user_id_list: { type: 'array', of: 'string' },
	bot_id_list: { type: 'array', of: 'string' },
	group_message_type: str(false, { enum: ['chat', 'thread'] }),
	chat_mode: str(false, { enum: ['group'] }),
	chat_type: str(false, { enum: ['private', 'public'] }),
	join_message_visibility: str(false, { enum: ['only_owner', 'all_members', 'not_anyone'] }),
	leave_message_visibility: str(false, { enum: ['only_owner', 'all_members', 'not_anyone'] }),
	membership_approval: str(false, { enum: ['no_approval_required', 'approval_required'] }),
	restricted_mode_setting: { type: 'object' },
	urgent_setting: str(),
	video_conference_setting: str(),
	edit_permission: str(),
	hide_member_count_setting: str(),
};

/** Feishu messaging (im/v1) and the custom bot webhook, from their pages (docs/research/feishu-im.md). */
export const IM_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.message.send',
		method: 'POST',
		path: '/open-apis/im/v1/messages',
		auth: 'feishuBearer',
		userToken: { allOf: ['im:message', 'im:message.send_as_user'] },
		query: { receive_id_type: RECEIVE_ID_TYPE },
		body: { receive_id: str(true), msg_type: MSG_TYPE, content: str(true), uuid: str() },
	},
	{
		key: 'feishu.message.getAll',
		method: 'GET',
		path: '/open-apis/im/v1/messages',
		auth: 'feishuBearer',
		userToken: {},
		query: {
			container_id_type: str(true, { enum: ['chat', 'thread'] }),
			container_id: str(true),
			start_time: int(),
			end_time: int(),
			sort_type: str(false, { enum: ['ByCreateTimeAsc', 'ByCreateTimeDesc'] }),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		key: 'feishu.message.reply',
		method: 'POST',
		path: `${message}/reply`,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		userToken: { allOf: ['im:message', 'im:message.send_as_user'] },
		body: { content: str(true), msg_type: MSG_TYPE, reply_in_thread: bool(), uuid: str() },
	},
	{
		key: 'feishu.message.updateCard',
		method: 'PATCH',
		path: message,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		body: { content: str(true) },
	},
	{
		key: 'feishu.message.edit',
		method: 'PUT',
		path: message,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		body: { msg_type: str(true, { enum: ['text', 'post'] }), content: str(true) },
	},
	{
		key: 'feishu.message.delete',
		method: 'DELETE',
		path: message,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
	},
	{
		key: 'feishu.message.get',
		method: 'GET',
		path: message,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: USER_ID_TYPE },
	},
	{
		key: 'feishu.message.forward',
		method: 'POST',
		path: `${message}/forward`,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		query: {
			receive_id_type: str(true, {
				enum: ['open_id', 'union_id', 'user_id', 'email', 'chat_id', 'thread_id'],
			}),
			uuid: str(),
		},
		body: { receive_id: str(true) },
	},
	{
		key: 'feishu.message.downloadResource',
		method: 'GET',
		path: `${message}/resources/{file_key}`,
		pathParams: { message_id: 'string', file_key: 'string' },
		auth: 'feishuBearer',
		query: { type: str(true, { enum: ['image', 'file'] }) },
		binaryAnswer: true,
	},
	{
		key: 'feishu.message.addReaction',
		// The page's Authorization row: a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'POST',
		path: `${message}/reactions`,
		pathParams: { message_id: 'string' },
		auth: 'feishuBearer',
		body: { reaction_type: { type: 'object', required: true, fields: { emoji_type: str(true) } } },
	},
	{
		key: 'feishu.message.removeReaction',
		// The page's Authorization row: a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'DELETE',
		path: `${message}/reactions/{reaction_id}`,
		pathParams: { message_id: 'string', reaction_id: 'string' },
		auth: 'feishuBearer',
	},
	{
		key: 'feishu.image.upload',
		method: 'POST',
		path: '/open-apis/im/v1/images',
		auth: 'feishuBearer',
		multipart: {
			fields: { image_type: str(true, { enum: ['message', 'avatar'] }) },
			files: ['image'],
		},
	},
	{
		key: 'feishu.file.upload',
		method: 'POST',
		path: '/open-apis/im/v1/files',
		auth: 'feishuBearer',
		multipart: {
			fields: {
				file_type: str(true, { enum: ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'] }),
				file_name: str(true),
				duration: int(),
			},
			files: ['file'],
		},
	},
	{
		key: 'feishu.chat.create',
		method: 'POST',
		path: '/open-apis/im/v1/chats',
		auth: 'feishuBearer',
		query: { user_id_type: USER_ID_TYPE, set_bot_manager: bool(), uuid: str() },
		body: CHAT_BODY,
	},
	{
		key: 'feishu.chat.getAll',
		method: 'GET',
		path: '/open-apis/im/v1/chats',
		auth: 'feishuBearer',
		userToken: {},
		query: {
			user_id_type: USER_ID_TYPE,
			sort_type: str(false, { enum: ['ByCreateTimeAsc', 'ByActiveTimeDesc'] }),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		key: 'feishu.chat.search',
		method: 'GET',
		path: '/open-apis/im/v1/chats/search',
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: USER_ID_TYPE, query: str(), page_size: int(), page_token: str() },
	},
	{
		key: 'feishu.chat.get',
		method: 'GET',
		path: chat,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: USER_ID_TYPE },
	},
	{
		key: 'feishu.chat.update',
		method: 'PUT',
		path: chat,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: USER_ID_TYPE },
		body: CHAT_BODY,
	},
	{
		key: 'feishu.chat.delete',
		method: 'DELETE',
		path: chat,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
	},
	{
		key: 'feishu.chat.addMembers',
		method: 'POST',
		path: `${chat}/members`,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: {
			member_id_type: str(false, { enum: ['open_id', 'union_id', 'user_id', 'app_id'] }),
			succeed_type: int(false, { enum: [0, 1, 2] }),
		},
		body: { id_list: { type: 'array', required: true, of: 'string' } },
	},
	{
		key: 'feishu.chat.removeMembers',
		method: 'DELETE',
		path: `${chat}/members`,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { member_id_type: str(false, { enum: ['open_id', 'union_id', 'user_id', 'app_id'] }) },
		body: { id_list: { type: 'array', required: true, of: 'string' } },
	},
	{
		key: 'feishu.chat.getMembers',
		method: 'GET',
		path: `${chat}/members`,
		pathParams: { chat_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { member_id_type: USER_ID_TYPE, page_size: int(), page_token: str() },
	},
	{
		key: 'feishu.customBot.send',
		method: 'POST',
		path: '/open-apis/bot/v2/hook/{token}',
		pathParams: { token: 'string' },
		auth: 'none',
		body: {
			msg_type: str(true, { enum: ['text', 'post', 'image', 'share_chat', 'interactive'] }),
			content: { type: 'object' },
			card: { type: 'object' },
			timestamp: str(),
			sign: str(),
		},
		// "100 次/分钟，5 次/秒" per bot.
		limits: [
			{ limit: 5, windowMs: 1000 },
			{ limit: 100, windowMs: 60_000 },
		],
	},
];
ROUTES.push(...IM_ROUTES, ...DINGTALK_IM_ROUTES, {
	// The long connection's endpoint (the SDKs' pullConnectConfig / getConnURL): app ID and secret in the body.
	key: 'feishu.wsEndpoint',
	method: 'POST',
	path: '/callback/ws/endpoint',
	auth: 'none',
	body: { AppID: str(true), AppSecret: str(true) },
});
// Feishu Bitable, drive media and wiki nodes (docs/research/feishu-bitable.md), each with its documented limits.
ROUTES.push(
	...BITABLE_ROUTES,
	...DRIVE_ROUTES,
	...PERMISSION_ROUTES,
	...DOCX_ROUTES,
	...WIKI_ROUTES,
	...SHEETS_ROUTES,
	...APPROVAL_ROUTES,
	...DING_APPROVAL_ROUTES,
	...NOTABLE_ROUTES,
	...WORKBOOK_ROUTES,
	...ORG_ROUTES,
	...FEISHU_CALENDAR_ROUTES,
	...DINGTALK_CALENDAR_ROUTES,
	...FEISHU_TASK_ROUTES,
	...DINGTALK_TODO_ROUTES,
);

// Task v2: create, get, patch and delete state 10 a second.
for (const route of FEISHU_TASK_ROUTES)
	if (
		['feishu.task.create', 'feishu.task.get', 'feishu.task.patch', 'feishu.task.delete'].includes(
			route.key,
		)
	)
		route.limits = [{ limit: 10, windowMs: 1000 }];

for (const route of ROUTES) {
	if (route.limits !== undefined || route.auth === 'none' || route.auth === 'robotWebhook')
		continue;
	route.limits =
		route.auth === 'feishuBearer'
			? FEISHU_LEVEL_3_ROUTES.includes(route.key)
				? FEISHU_LEVEL_3
				: FEISHU_LEVEL_4
			: DINGTALK_QPS;
}

/** Matches a concrete path to a route; returns the decoded path parameters. */
export function matchRoute(
	method: string,
	path: string,
): { route: RouteSpec; params: Record<string, string> } | undefined {
	// The most specific route wins: /users/find_by_department before /users/{user_id}.
	let best: { route: RouteSpec; params: Record<string, string> } | undefined;
	for (const route of ROUTES) {
		if (route.method !== method) continue;
		const names: string[] = [];
		const pattern = new RegExp(
			'^' +
				route.path
					.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
					.replace(/\{(\w+)\}/g, (_m, name: string) => {
						names.push(name);
						return '([^/]+)';
					}) +
				'$',
		);
		const m = pattern.exec(path);
		if (!m) continue;
		const params: Record<string, string> = {};
		names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
		if (!best || names.length < Object.keys(best.params).length) best = { route, params };
	}
	return best;
}

function typeOf(value: unknown): string {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

/** Checks a JSON value against field specs; returns human-readable deviations. */
export function checkFields(
	where: string,
	value: unknown,
	fields: Record<string, FieldSpec>,
): string[] {
	const problems: string[] = [];
	if (typeOf(value) !== 'object') return [`${where} must be a JSON object, got ${typeOf(value)}`];
	const object = value as Record<string, unknown>;
	for (const key of Object.keys(object)) {
		if (!(key in fields)) problems.push(`${where} has undocumented field "${key}"`);
	}
	for (const [name, spec] of Object.entries(fields)) {
		const v = object[name];
		if (v === undefined) {
			if (spec.required) problems.push(`${where} is missing required field "${name}"`);
			continue;
		}
		const actual = typeOf(v);
		if (spec.type === 'digits') {
			if (typeof v !== 'string' || !/^\d+$/.test(v))
				problems.push(`${where}.${name} must be a digit string`);
		} else if (actual !== spec.type) {
			problems.push(`${where}.${name} must be JSON ${spec.type}, got ${actual}`);
		} else if (spec.type === 'string' && (v as string).length === 0 && spec.required) {
			problems.push(`${where}.${name} must not be empty`);
		}
		if (spec.enum && !spec.enum.includes(v as string | number))
			problems.push(
				`${where}.${name} must be one of ${spec.enum.join(', ')}, got ${JSON.stringify(v)}`,
			);
		if (spec.type === 'array' && Array.isArray(v)) {
			if (spec.required && v.length === 0) problems.push(`${where}.${name} must not be empty`);
			if (spec.items)
				v.forEach((element, i) =>
					problems.push(...checkFields(`${where}.${name}[${i}]`, element, spec.items!)),
				);
			if (spec.of)
				v.forEach(
					(element, i) =>
						typeOf(element) !== spec.of &&
						problems.push(`${where}.${name}[${i}] must be JSON ${spec.of}, got ${typeOf(element)}`),
				);
		}
		if (spec.type === 'object' && spec.fields && actual === 'object')
			problems.push(...checkFields(`${where}.${name}`, v, spec.fields));
	}
	return problems;
}

export function checkScalar(
	where: string,
	value: string,
	type: FieldType,
	allowed?: Array<string | number>,
): string[] {
	if (allowed && !allowed.map(String).includes(value))
		return [`${where} must be one of ${allowed.join(', ')}, got "${value}"`];
	if (type === 'digits' || type === 'integer')
		return /^-?\d+$/.test(value) ? [] : [`${where} must be an integer, got "${value}"`];
	if (type === 'boolean')
		return value === 'true' || value === 'false'
			? []
			: [`${where} must be a boolean, got "${value}"`];
	return value.length > 0 ? [] : [`${where} must not be empty`];
}
