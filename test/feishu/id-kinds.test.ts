/**
 * An ID plainly of another kind than the one chosen (Feishu's IDs show their kind: ou_ open_id, on_
 * union_id, oc_ chat_id, omm_ room, cli_ app) is bad input naming the field and the item, before any
 * request: Feishu itself would answer only "invalid parameter". A user_id is the tenant's own, so
 * under "User ID" only a full-length Open or Union ID is refused.
 */
import type { IDataObject } from 'n8n-workflow';

import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const OPEN_ID = 'ou_7d8a6e6df7621556ce0d21922b676706';
const event = {
	calendarId: { __rl: true, mode: 'list', value: 'primary' },
	summary: 'Kick-off',
	start: '2026-12-01T09:00:00',
	end: '2026-12-01T10:00:00',
	timeZone: 'Asia/Shanghai',
};

const apiCalls = () => env.fake.requests.filter((r) => !/token/i.test(r.key));

describe('Feishu: an ID of the wrong kind', () => {
	it.each<[string, string, string, IDataObject, RegExp]>([
		[
			'a user ID as a chat',
			'message',
			'send',
			{ receiveIdType: 'chat_id', receiveId: byId('ou_2'), messageType: 'text', text: 'hi' },
			/"Receive ID" \(receiveId\) in item 0: "ou_2" is an Open ID \(ou_…\), but the chosen ID type in "Receive ID Type" is Chat ID: choose "Open ID" in "Receive ID Type", or give a Chat ID/,
		],
		[
			'a Union ID under Open ID',
			'message',
			'send',
			{ receiveIdType: 'open_id', receiveId: 'on_3', messageType: 'text', text: 'hi' },
			/"on_3" is a Union ID \(on_…\), but the chosen ID type in "Receive ID Type" is Open ID: choose "Union ID"/,
		],
		[
			'a chat under Email',
			'message',
			'send',
			{ receiveIdType: 'email', receiveId: 'oc_sandbox_ops', messageType: 'text', text: 'hi' },
			/"oc_sandbox_ops" is not an email/,
		],
		[
			'a full Open ID under User ID',
			'user',
			'get',
			{ userId: OPEN_ID, userIdType: 'user_id' },
			/"User ID" \(userId\) in item 0: ".+" is an Open ID \(ou_…\), but the chosen ID type in "User ID Type" is User ID: choose "Open ID"/,
		],
		[
			'a chat among the attendees',
			'calendarEvent',
			'create',
			{ ...event, userIds: 'ou_2, oc_sandbox_ops' },
			/"User IDs" \(userIds\) in item 0: "oc_sandbox_ops" is a chat ID/,
		],
		[
			'a user among the chats',
			'calendarEvent',
			'create',
			{ ...event, chatIds: 'ou_2' },
			/"Chat IDs" \(chatIds\) in item 0: "ou_2" is an Open ID/,
		],
		[
			'a user among the rooms',
			'calendar',
			'getFreeBusy',
			{ roomIds: 'ou_2', after: '2026-12-01T00:00:00', before: '2026-12-02T00:00:00' },
			/"Room IDs" \(roomIds\) in item 0: "ou_2" is an Open ID/,
		],
		[
			'a Union ID among the assignees',
			'task',
			'create',
			{ summary: 'Onboard', assigneeIds: 'ou_2, on_3' },
			/"Assignee IDs" \(assigneeIds\) in item 0: "on_3" is a Union ID/,
		],
		[
			'a room among the members of a chat',
			'chat',
			'addMembers',
			{ chatId: byId('oc_sandbox_ops'), memberIdType: 'open_id', memberIds: 'omm_abc' },
			/"Member IDs" \(memberIds\) in item 0: "omm_abc" is a meeting room ID/,
		],
		[
			'a user as a bot of a new chat',
			'chat',
			'create',
			{ name: 'Launch', botIds: 'ou_2' },
			/"Bot App IDs" \(botIds\) in item 0: "ou_2" is an Open ID \(ou_…\), but the chosen ID type is App ID/,
		],
		[
			'a Union ID under Open ID in a user group',
			'userGroupMember',
			'add',
			{ groupId: byId('g1837191'), memberIdType: 'open_id', memberId: 'on_1' },
			/"Member ID" \(memberId\) in item 0: "on_1" is a Union ID/,
		],
	])('%s: bad input, nothing sent', async (_what, resource, operation, parameters, message) => {
		const r = await env.bench.run(feishu(resource, operation, parameters));
		expect(r.error?.name).toBe('NodeOperationError');
		expect(r.error?.message).toMatch(message);
		expect(apiCalls()).toEqual([]);
	});

	it("IDs of the chosen kind, and a tenant's user_id that only looks like one, go through", async () => {
		const sent = await env.bench.run(
			feishu('message', 'send', {
				receiveIdType: 'chat_id',
				receiveId: byId('oc_sandbox_ops'),
				messageType: 'text',
				text: 'hi',
			}),
		);
		expect(sent.error).toBeUndefined();
		// "ou_1" is short for an Open ID: as a user_id it is the tenant's business, and Feishu answers for it.
		const asUserId = await env.bench.run(
			feishu('user', 'get', { userId: 'ou_1', userIdType: 'user_id' }),
		);
		expect(asUserId.error?.name).not.toBe('NodeOperationError');
		expect(env.fake.calls('feishu.user.get')).toHaveLength(1);
	});
});
