/**
 * Each documented operation, run through n8n's engine against the fake API:
 * the exact request it sends (method, path, token placement, query, body with JSON types)
 * and the output items it returns.
 */
import { USERS } from './fake-api/server';
import { ding, feishu, useFakeApi } from './helpers';

const env = useFakeApi();

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
