/**
 * API errors become NodeApiErrors with the platform's code and message, the HTTP status and the
 * documented meaning; bad input is a NodeOperationError naming the field and item, with no request sent;
 * Continue On Fail yields exactly one error item per failed input, paired to it.
 */
import type { Answer } from './fake-api/server';
import { USERS } from './fake-api/server';
import type { RunOptions } from './harness';
import { ding, feishu, UNPACED, useFakeApi } from './helpers';

const env = useFakeApi();

const create = ding('meetingRoomGroup', 'create', {
	unionId: USERS.admin,
	parentGroupId: 0,
	groupName: 'X',
});
const remove = ding('meetingRoomGroup', 'delete', { groupId: '172', unionId: USERS.admin });
const kick = ding('videoConference', 'kickMembers', {
	conferenceId: '644272f14ba331014abcdef',
	members: { member: [{ unionId: USERS.member }] },
});
const deleteRole = ding('role', 'delete', { roleId: '1581321999' });
const deleteUserGroup = feishu('userGroup', 'delete', { groupId: 'g1837191' });

const dingNew = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: 'req-123' },
});
const dingLegacy = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: 'req-123' },
});
const feishuError = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg, error: { log_id: 'req-123' } },
});

/** Every error code in the API documents: [operation, route, answer, code, platform message, documented meaning]. */
const DOCUMENTED: Array<[string, RunOptions, string, Answer, string, string, RegExp]> = [
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'param.error', 'Param Error'),
		'param.error',
		'Param Error',
		/parameter is missing/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'user.not.admin', 'User Not Admin'),
		'user.not.admin',
		'User Not Admin',
		/not a DingTalk admin/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'group.too.much', 'Group Too Much'),
		'group.too.much',
		'Group Too Much',
		/maximum number of room groups/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'org.not.found', 'Org Not Found'),
		'org.not.found',
		'Org Not Found',
		/organization was not found/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'group.not.found', 'Parent Group Not Found'),
		'group.not.found',
		'Parent Group Not Found',
		/parent group does not exist/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(400, 'depth.over.limit', 'Group Depth Over Limit'),
		'depth.over.limit',
		'Group Depth Over Limit',
		/nested deeper/,
	],
	[
		'room group create',
		create,
		'dingtalk.meetingRoomGroup.create',
		dingNew(500, 'system.error', 'System Error'),
		'system.error',
		'System Error',
		/internal error/,
	],
	[
		'room group delete',
		remove,
		'dingtalk.meetingRoomGroup.delete',
		dingNew(400, 'param.error', 'Param Error'),
		'param.error',
		'Param Error',
		/parameter is missing/,
	],
	[
		'room group delete',
		remove,
		'dingtalk.meetingRoomGroup.delete',
		dingNew(400, 'group.not.found', 'Group Not Found'),
		'group.not.found',
		'Group Not Found',
		/group does not exist/,
	],
	[
		'room group delete',
		remove,
		'dingtalk.meetingRoomGroup.delete',
		dingNew(400, 'org.not.found', 'Org Not Found'),
		'org.not.found',
		'Org Not Found',
		/organization was not found/,
	],
	[
		'room group delete',
		remove,
		'dingtalk.meetingRoomGroup.delete',
		dingNew(400, 'user.not.admin', 'User Not Admin'),
		'user.not.admin',
		'User Not Admin',
		/not a DingTalk admin/,
	],
	[
		'room group delete',
		remove,
		'dingtalk.meetingRoomGroup.delete',
		dingNew(500, 'system.error', 'System Error'),
		'system.error',
		'System Error',
		/internal error/,
	],
	[
		'kick members',
		kick,
		'dingtalk.videoConference.kickMembers',
		dingNew(400, 'unknownUserError', 'unknownUserError'),
		'unknownUserError',
		'unknownUserError',
		/not recognised as a user/,
	],
	[
		'kick members',
		kick,
		'dingtalk.videoConference.kickMembers',
		dingNew(400, 'paramsError', 'error:conferenceId missing'),
		'paramsError',
		'error:conferenceId missing',
		/parameter is wrong/,
	],
	[
		'kick members',
		kick,
		'dingtalk.videoConference.kickMembers',
		dingNew(500, 'systemError', 'systemError:timeout'),
		'systemError',
		'systemError:timeout',
		/internal error/,
	],
	[
		'role delete',
		deleteRole,
		'dingtalk.role.delete',
		dingLegacy(33011, 'Invalid role_id'),
		'33011',
		'Invalid role_id',
		/role ID is invalid/,
	],
	[
		'role delete',
		deleteRole,
		'dingtalk.role.delete',
		dingLegacy(23004, 'Editing system tags is not allowed'),
		'23004',
		'Editing system tags is not allowed',
		/System roles cannot be edited/,
	],
	[
		'role delete',
		deleteRole,
		'dingtalk.role.delete',
		dingLegacy(1002, 'System busy'),
		'1002',
		'System busy',
		/busy/,
	],
	[
		'user group delete',
		deleteUserGroup,
		'feishu.userGroup.delete',
		feishuError(500, 40003, 'internal error'),
		'40003',
		'internal error',
		/internal error/,
	],
	[
		'user group delete',
		deleteUserGroup,
		'feishu.userGroup.delete',
		feishuError(400, 42002, 'invalid group_id'),
		'42002',
		'invalid group_id',
		/user group ID is invalid/,
	],
	[
		'user group delete',
		deleteUserGroup,
		'feishu.userGroup.delete',
		feishuError(403, 42009, 'no user group authority error'),
		'42009',
		'no user group authority error',
		/All members/,
	],
	[
		'user group delete',
		deleteUserGroup,
		'feishu.userGroup.delete',
		feishuError(400, 42017, 'group has member not allow delete'),
		'42017',
		'group has member not allow delete',
		/still has members/,
	],
	[
		'user group delete',
		deleteUserGroup,
		'feishu.userGroup.delete',
		feishuError(400, 42015, 'user group disable'),
		'42015',
		'user group disable',
		/not enabled/,
	],
];

describe('every documented error code surfaces as a NodeApiError with its meaning', () => {
	it.each(DOCUMENTED)('%s: %s → %s', async (_name, run, route, answer, code, message, meaning) => {
		// A 5xx answer to an idempotent request (GET, PUT, DELETE) is retried 3 times before it is reported.
		const idempotent = /\.delete$/.test(route) && run.parameters.resource !== 'role';
		const attempts = answer.status >= 500 && idempotent ? 4 : 1;
		env.fake.script(route, ...Array.from({ length: attempts }, () => answer));
		const result = await env.bench.run(run);
		const error = result.error!;
		expect(error).toBeDefined();
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(
			`${run.node === 'feishu' ? 'Feishu' : 'DingTalk'} error ${code}: ${message}`,
		);
		expect(error.description).toMatch(meaning);
		expect(error.description).toContain(`HTTP ${answer.status}`);
		expect(error.description).toContain('request ID req-123');
		expect(error.httpCode).toBe(String(answer.status));
		expect(error.context?.itemIndex).toBe(0);
		expect(result.json).toEqual([]);
		expect(env.fake.calls(route)).toHaveLength(attempts);
		if (answer.status >= 500 && !idempotent)
			expect(error.description).toMatch(/^The outcome is unknown/);
	});
});

describe("errors that come from the fake platform's state", () => {
	it.each([
		[
			'deleting a missing room group',
			ding('meetingRoomGroup', 'delete', { groupId: '999', unionId: USERS.admin }),
			'group.not.found',
		],
		[
			'creating a group as a non-admin',
			ding('meetingRoomGroup', 'create', { unionId: USERS.member, parentGroupId: 0 }),
			'user.not.admin',
		],
		[
			'creating under a missing parent',
			ding('meetingRoomGroup', 'create', { unionId: USERS.admin, parentGroupId: 5 }),
			'group.not.found',
		],
		[
			'kicking an unknown user',
			ding('videoConference', 'kickMembers', {
				conferenceId: '644272f14ba331014abcdef',
				members: { member: [{ unionId: 'nobody' }] },
			}),
			'unknownUserError',
		],
		['deleting a missing role', ding('role', 'delete', { roleId: '42' }), '33011'],
		['deleting a system role', ding('role', 'delete', { roleId: '1' }), '23004'],
		['deleting a missing user group', feishu('userGroup', 'delete', { groupId: 'nope' }), '42002'],
		[
			'deleting a user group that has members',
			feishu('userGroup', 'delete', { groupId: 'g-with-members' }),
			'42017',
		],
	])('%s', async (_name, run, code) => {
		const result = await env.bench.run({ ...run, continueOnFail: true });
		expect(result.json).toHaveLength(1);
		expect(result.json[0]).toMatchObject({ code, error: expect.stringContaining(code) });
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it("reads the legacy API's HTTP-200 error body, not the status", async () => {
		const result = await env.bench.run(ding('role', 'delete', { roleId: '42' }));
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('200');
	});

	it('turns an HTML answer into a clear NodeApiError instead of a parse crash', async () => {
		const page = { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
		env.fake.script('feishu.userGroup.delete', page, page, page, page);
		const result = await env.bench.run(deleteUserGroup);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(
			'Feishu error NON_JSON_RESPONSE: The answer was not JSON: 502 Bad Gateway',
		);
		expect(result.error?.httpCode).toBe('502');
	});
});

describe('a change answered HTTP 200 with result/success false was not made, and fails the item', () => {
	const updateGroup = ding('meetingRoomGroup', 'update', {
		groupId: '172',
		unionId: USERS.admin,
		groupName: 'Y',
	});
	const removeLeaf = ding('meetingRoomGroup', 'delete', { groupId: '173', unionId: USERS.admin });
	it.each([
		[
			'room group delete',
			removeLeaf,
			'dingtalk.meetingRoomGroup.delete',
			'result',
			'The group deletion',
		],
		[
			'room group update',
			updateGroup,
			'dingtalk.meetingRoomGroup.update',
			'result',
			'The group update',
		],
		['kick members', kick, 'dingtalk.videoConference.kickMembers', 'success', 'The removal'],
	] as const)('%s', async (_name, run, route, field, change) => {
		env.fake.script(route, { status: 200, body: { [field]: false } });
		// One at a time, so that the scripted answer is item 0's.
		const parameters = { ...run.parameters, options: { concurrency: 1 } };
		const result = await env.bench.run({
			...run,
			parameters,
			items: [{ n: 0 }, { n: 1 }],
			continueOnFail: true,
		});
		expect(result.json).toHaveLength(2);
		expect(result.json[0]).toEqual({
			error: `DingTalk error ${field}=false: ${change} was not made: DingTalk answered ${field}: false`,
			code: `${field}=false`,
			httpCode: '200',
			description: 'HTTP 200',
		});
		expect(result.json[1].error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// Not retried: the platform said no, it did not fail to answer.
		expect(env.fake.calls(route)).toHaveLength(2);
	});
});

describe('bad input fails before any request, naming the field and the item', () => {
	// Literal empty required fields are stopped by n8n itself ("the workflow has issues");
	// at run time they arrive empty from expressions, which is what these cases use.
	const cases: Array<[string, RunOptions, RegExp]> = [
		[
			'empty operator union ID',
			ding('meetingRoomGroup', 'create', { unionId: '={{ $json.missing }}', parentGroupId: 0 }),
			/"Operator Union ID" \(unionId\) in item 0: is required/,
		],
		[
			'non-integer parent group ID',
			ding('meetingRoomGroup', 'create', { unionId: USERS.admin, parentGroupId: '={{ "12a" }}' }),
			/"Parent Group Name or ID" \(parentGroupId\) in item 0: must be a whole number/,
		],
		[
			'fractional parent group ID',
			ding('meetingRoomGroup', 'create', { unionId: USERS.admin, parentGroupId: 1.5 }),
			/"Parent Group Name or ID" \(parentGroupId\) in item 0: must be a whole number/,
		],
		[
			'empty group ID',
			ding('meetingRoomGroup', 'delete', { groupId: '={{ $json.missing }}', unionId: USERS.admin }),
			/"Group" \(groupId\) in item 0: is required, but its expression \{\{ \$json\.missing \}\} gave an empty value for this item/,
		],
		[
			'group ID with a slash',
			ding('meetingRoomGroup', 'delete', { groupId: '172/../1', unionId: USERS.admin }),
			/"Group" \(groupId\) in item 0: must be a whole number/,
		],
		[
			'empty delete union ID',
			ding('meetingRoomGroup', 'delete', { groupId: '172', unionId: ' ' }),
			/"Operator Union ID" \(unionId\) in item 0: is required but empty$/,
		],
		[
			'conference ID with a slash',
			ding('videoConference', 'kickMembers', {
				conferenceId: 'a/b',
				members: { member: [{ unionId: 'u' }] },
			}),
			/"Conference ID" \(conferenceId\) in item 0: must not contain/,
		],
		[
			'conference ID with a question mark',
			ding('videoConference', 'kickMembers', {
				conferenceId: 'a?b=1',
				members: { member: [{ unionId: 'u' }] },
			}),
			/"Conference ID" \(conferenceId\) in item 0: must not contain/,
		],
		[
			'conference ID with a hash',
			ding('videoConference', 'kickMembers', {
				conferenceId: 'a#b',
				members: { member: [{ unionId: 'u' }] },
			}),
			/"Conference ID" \(conferenceId\) in item 0: must not contain/,
		],
		[
			'conference ID with dot-dot',
			ding('videoConference', 'kickMembers', {
				conferenceId: '..',
				members: { member: [{ unionId: 'u' }] },
			}),
			/"Conference ID" \(conferenceId\) in item 0: must not contain/,
		],
		[
			'empty conference ID',
			ding('videoConference', 'kickMembers', {
				conferenceId: '={{ $json.missing }}',
				members: { member: [{ unionId: 'u' }] },
			}),
			/"Conference ID" \(conferenceId\) in item 0: is required/,
		],
		[
			'no members',
			ding('videoConference', 'kickMembers', { conferenceId: 'c1', members: {} }),
			/"Members" \(members\) in item 0: add at least one member/,
		],
		[
			'a member without union ID',
			ding('videoConference', 'kickMembers', {
				conferenceId: 'c1',
				members: { member: [{ unionId: 'u' }, { unionId: '={{ $json.missing }}' }] },
			}),
			/"Members › Union ID \(member 2\)" \(members\.member\.unionId\) in item 0: is required/,
		],
		[
			'empty role ID',
			ding('role', 'delete', { roleId: '={{ $json.missing }}' }),
			/"Role" \(roleId\) in item 0: is required/,
		],
		[
			'non-integer role ID',
			ding('role', 'delete', { roleId: 'role-1' }),
			/"Role" \(roleId\) in item 0: must be a whole number/,
		],
		[
			'empty user group ID',
			feishu('userGroup', 'delete', { groupId: '={{ "" }}' }),
			/"User Group" \(groupId\) in item 0: is required/,
		],
		[
			'user group ID with a path',
			feishu('userGroup', 'delete', { groupId: '../../auth' }),
			/"User Group" \(groupId\) in item 0: must not contain/,
		],
		[
			'user group ID with a query',
			feishu('userGroup', 'delete', { groupId: 'g1?x=1' }),
			/"User Group" \(groupId\) in item 0: must not contain/,
		],
	];

	it.each(cases)('%s', async (_name, run, message) => {
		const result = await env.bench.run(run);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(env.fake.requests).toHaveLength(0);
	});

	it('names the failing item when it is not the first', async () => {
		const result = await env.bench.run({
			...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}' }),
			items: [{ id: 'g1837191' }, { id: 'a/b' }, { id: 'g1837192' }],
		});
		expect(result.error?.message).toMatch(/in item 1: must not contain/);
		expect(result.error?.context?.itemIndex).toBe(1);
		// Item 1 sent nothing; the run stops at the first failure.
		expect(env.fake.calls('feishu.userGroup.delete').map((c) => c.path)).not.toContain(
			'/open-apis/contact/v3/group/a%2Fb',
		);
	});
});

describe('Continue On Fail', () => {
	it('yields exactly one item per input, errors paired to their inputs, and the rest go on', async () => {
		const result = await env.bench.run({
			...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}' }),
			items: [
				{ id: 'g1837191' },
				{ id: 'nope' },
				{ id: '../x' },
				{ id: 'g-with-members' },
				{ id: 'g1837192' },
			],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(result.json[0]).toEqual({ groupId: 'g1837191', deleted: true });
		expect(result.json[1]).toMatchObject({
			code: '42002',
			httpCode: '400',
			error: 'Feishu error 42002: invalid group_id',
		});
		expect(result.json[1].description).toMatch(/user group ID is invalid/);
		expect(result.json[2]).toEqual({
			error: expect.stringMatching(/"User Group" \(groupId\) in item 2: must not contain/),
		});
		expect(result.json[3]).toMatchObject({ code: '42017' });
		expect(result.json[4]).toEqual({ groupId: 'g1837192', deleted: true });
		// Four requests reached the API (the bad ID sent none).
		expect(env.fake.calls('feishu.userGroup.delete')).toHaveLength(4);
	});

	it('pairs every item in a larger concurrent run, in input order', async () => {
		const ids = Array.from({ length: 30 }, (_, i) => `bulk-${i}`);
		ids.forEach((id, i) => i % 3 !== 0 && env.fake.feishuGroups.set(id, { name: id, members: [] }));
		const result = await env.bench.run({
			...feishu('userGroup', 'delete', { groupId: '={{ $json.id }}', ...UNPACED }),
			items: ids.map((id) => ({ id })),
			continueOnFail: true,
		});
		expect(result.json).toHaveLength(30);
		result.json.forEach((json, i) => {
			expect(result.items[i].pairedItem).toEqual({ item: i });
			if (i % 3 === 0) expect(json.code).toBe('42002');
			else expect(json).toEqual({ groupId: ids[i], deleted: true });
		});
	});
});

describe('a documented business error with HTTP 500 is not retried as if it were transient', () => {
	it('DingTalk room group Get on a group that does not exist: one request, and the meaning says to check the Group ID', async () => {
		const result = await env.bench.run({
			...ding('meetingRoomGroup', 'get', { groupId: '999999', unionId: USERS.member }),
			continueOnFail: true,
		});
		expect(result.json).toEqual([
			expect.objectContaining({
				code: 'group.query.error',
				httpCode: '500',
				error: 'DingTalk error group.query.error: Group Query Error',
				description: expect.stringMatching(
					/^DingTalk could not find or query the group \(分组查询错误\): the group may not exist/,
				),
			}),
		]);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.get')).toHaveLength(1);
	});

	it('the documented system error (system.error, HTTP 500) is still retried on a read', async () => {
		env.fake.script('dingtalk.meetingRoomGroup.get', dingNew(500, 'system.error', 'System Error'));
		const result = await env.bench.run(
			ding('meetingRoomGroup', 'get', { groupId: '172', unionId: USERS.member }),
		);
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ groupId: 172, groupName: 'Headquarters', parentId: 0 }]);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.get')).toHaveLength(2);
	});
});
