/**
 * Pickers (resource locators) and option lists, called the way the editor calls them:
 * through n8n-core's LoadOptionsContext, against the fake API.
 */
import { USERS } from './fake-api/server';
import { useFakeApi } from './helpers';

const env = useFakeApi();

describe('pickers', () => {
	it('room groups: lists them for the operator in the node, filtered by the search text', async () => {
		const all = (await env.bench.loadOptions('dingTalk', 'listSearch', 'searchRoomGroups', {
			unionId: USERS.member,
		})) as { results: unknown[] };
		expect(all.results).toEqual([
			{ name: 'Headquarters (172)', value: '172' },
			{ name: 'Floor 3 (173)', value: '173' },
		]);
		const found = (await env.bench.loadOptions(
			'dingTalk',
			'listSearch',
			'searchRoomGroups',
			{ unionId: USERS.member },
			'floor',
		)) as { results: unknown[] };
		expect(found.results).toEqual([{ name: 'Floor 3 (173)', value: '173' }]);
		expect(env.fake.calls('dingtalk.meetingRoomGroup.getAll').map((c) => c.query)).toEqual([
			{ unionId: USERS.member },
			{ unionId: USERS.member },
		]);
	});

	it('room groups: says which field is missing when there is no operator yet', async () => {
		await expect(
			env.bench.loadOptions('dingTalk', 'listSearch', 'searchRoomGroups', {}),
		).rejects.toThrow(/"Operator Union ID" \(unionId\).*is required/);
		expect(env.fake.requests).toHaveLength(0);
	});

	it('meeting rooms: pages with the platform cursor', async () => {
		for (let i = 0; i < 150; i++)
			env.fake.rooms.set(`r${i}`, {
				roomId: `r${i}`,
				roomName: `Room ${i}`,
				roomStatus: 0,
				isvRoomId: `X${i}`,
			});
		const first = (await env.bench.loadOptions('dingTalk', 'listSearch', 'searchMeetingRooms', {
			unionId: USERS.member,
		})) as {
			results: Array<{ name: string; value: string }>;
			paginationToken?: string;
		};
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({ name: 'Great Wall', value: 'room-hq-101' });
		expect(first.paginationToken).toBe('100');
		const second = (await env.bench.loadOptions(
			'dingTalk',
			'listSearch',
			'searchMeetingRooms',
			{ unionId: USERS.member },
			undefined,
			first.paginationToken,
		)) as {
			results: unknown[];
			paginationToken?: string;
		};
		expect(second.results).toHaveLength(52);
		expect(second.paginationToken).toBeUndefined();
	});

	it('roles: name and role group, searchable', async () => {
		const found = (await env.bench.loadOptions(
			'dingTalk',
			'listSearch',
			'searchRoles',
			{},
			'sales',
		)) as { results: unknown[] };
		expect(found.results).toEqual([{ name: 'Sales (Departments)', value: '1581322000' }]);
	});

	it('search text matches any part of the ID too, as of the name', async () => {
		const byRoleId = (await env.bench.loadOptions(
			'dingTalk',
			'listSearch',
			'searchRoles',
			{},
			'13219',
		)) as { results: unknown[] };
		expect(byRoleId.results).toEqual([{ name: 'Finance (Departments)', value: '1581321999' }]);
		const byGroupId = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchUserGroups',
			{},
			'WITH-MEM',
		)) as { results: unknown[] };
		expect(byGroupId.results).toEqual([{ name: 'Busy group', value: 'g-with-members' }]);
	});

	it('Feishu user groups: searchable by name', async () => {
		const found = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchUserGroups',
			{},
			'busy',
		)) as { results: unknown[] };
		expect(found.results).toEqual([{ name: 'Busy group', value: 'g-with-members' }]);
		expect(env.fake.calls('feishu.userGroup.getAll')[0].query).toEqual({
			page_size: '100',
			type: '1',
		});
	});
});

describe('option lists', () => {
	it('parent groups for Create: the root, then every group', async () => {
		const options = await env.bench.loadOptions('dingTalk', 'loadOptions', 'getParentRoomGroups', {
			unionId: USERS.admin,
		});
		expect(options).toEqual([
			{ name: 'Root (0)', value: 0 },
			{ name: 'Headquarters (172)', value: 172 },
			{ name: 'Floor 3 (173)', value: 173 },
		]);
	});
});
