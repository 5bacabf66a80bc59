/**
 * The fake Feishu platform's behaviour: state changes and the documented answers, per endpoint.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, FeishuUser, Handler } from './server';

const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
const fail = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg, error: { log_id: randomBytes(6).toString('hex') } },
});

/** page_token paging: the token is the index of the next record. */
function tokenPage<T>(
	all: T[],
	query: Record<string, string>,
	defaultSize: number,
	maxSize: number,
) {
	const size = query.page_size === undefined ? defaultSize : Number(query.page_size);
	if (size < 1 || size > maxSize) return { error: fail(400, 40011, 'page size is invalid') };
	const start = query.page_token ? Number(query.page_token.replace(/^pt-/, '')) : 0;
	if (!Number.isInteger(start)) return { error: fail(400, 40012, 'page token is invalid error') };
	const end = start + size;
	return {
		items: all.slice(start, end),
		has_more: end < all.length,
		...(end < all.length ? { page_token: `pt-${end}` } : {}),
	};
}

export function feishuHandlers(fake: FakeApi): Record<string, Handler> {
	const s = fake.state;
	const findUser = (id: string, type = 'open_id'): FeishuUser | undefined =>
		s.feishuUsers.find((u) => u[type as keyof FeishuUser] === id);
	const groupOr404 = (id: string) => s.feishuGroups.get(id);

	/** Add or remove one user; answers the per-member code. */
	const changeMember = (
		groupId: string,
		member: Record<string, string>,
		adding: boolean,
	): number => {
		const group = s.feishuGroups.get(groupId)!;
		const user = findUser(member.member_id, member.member_id_type ?? 'open_id');
		if (!user) return 41073;
		const has = group.members.includes(user.open_id);
		if (adding) {
			if (has) return 42005;
			group.members.push(user.open_id);
		} else if (has) {
			group.members.splice(group.members.indexOf(user.open_id), 1);
		}
		return 0;
	};

	return {
		'feishu.userGroup.delete': ({ params }) => {
			const group = groupOr404(params.group_id);
			if (!group) return fail(400, 42002, 'invalid group_id');
			if (group.members.length > 0) return fail(400, 42017, 'group has member not allow delete');
			s.feishuGroups.delete(params.group_id);
			return ok();
		},
		'feishu.userGroup.create': ({ body }) => {
			if ([...s.feishuGroups.values()].some((g) => g.name === body.name))
				return fail(400, 47009, 'duplicated name error');
			if (String(body.name).length > 100) return fail(400, 42013, 'group name exceed limit');
			const id = (body.group_id as string | undefined) ?? `g${s.nextId++}`;
			if (s.feishuGroups.has(id)) return fail(400, 47005, 'duplicate group id error');
			s.feishuGroups.set(id, {
				name: String(body.name),
				description: String(body.description ?? ''),
				members: [],
			});
			return ok({ group_id: id });
		},
		'feishu.userGroup.get': ({ params }) => {
			const group = groupOr404(params.group_id);
			if (!group) return fail(400, 42002, 'invalid group_id');
			return ok({
				group: {
					id: params.group_id,
					name: group.name,
					description: group.description ?? '',
					member_user_count: group.members.length,
					member_department_count: 0,
					type: 1,
				},
			});
		},
		'feishu.userGroup.getAll': ({ query }) => {
			const all = [...s.feishuGroups.entries()].map(([id, g]) => ({
				id,
				name: g.name,
				description: g.description ?? '',
				member_user_count: g.members.length,
				member_department_count: 0,
				type: 1,
			}));
			const page = tokenPage(Number(query.type ?? 1) === 2 ? [] : all, query, 50, 100);
			if (page.error) return page.error;
			return ok({
				grouplist: page.items,
				has_more: page.has_more,
				...(page.page_token ? { page_token: page.page_token } : {}),
			});
		},
		'feishu.userGroup.update': ({ params, body }) => {
			const group = groupOr404(params.group_id);
			if (!group) return fail(400, 42002, 'invalid group_id');
			if (
				body.name !== undefined &&
				[...s.feishuGroups.entries()].some(
					([id, g]) => id !== params.group_id && g.name === body.name,
				)
			) {
				return fail(400, 47009, 'duplicated name error');
			}
			if (body.name !== undefined) group.name = String(body.name);
			if (body.description !== undefined) group.description = String(body.description);
			return ok();
		},
		'feishu.userGroup.getMemberships': ({ query }) => {
			const user = findUser(query.member_id, query.member_id_type ?? 'open_id');
			if (!user) return fail(400, 41073, 'invalid member_id');
			const ids = [...s.feishuGroups.entries()]
				.filter(([, g]) => g.members.includes(user.open_id))
				.map(([id]) => id);
			const page = tokenPage(ids, query, 500, 1000);
			if (page.error) return page.error;
			return ok({
				group_list: page.items,
				has_more: page.has_more,
				...(page.page_token ? { page_token: page.page_token } : {}),
			});
		},
		'feishu.userGroupMember.add': ({ params, body }) => {
			if (!groupOr404(params.group_id)) return fail(400, 42002, 'invalid group_id');
			const code = changeMember(params.group_id, body as Record<string, string>, true);
			if (code === 42005) return fail(400, 42005, 'member exist in group error');
			if (code !== 0) return fail(400, code, 'invalid member_id');
			return ok();
		},
		'feishu.userGroupMember.remove': ({ params, body }) => {
			if (!groupOr404(params.group_id)) return fail(400, 42002, 'invalid group_id');
			const code = changeMember(params.group_id, body as Record<string, string>, false);
			return code === 0 ? ok() : fail(400, code, 'invalid member_id');
		},
		'feishu.userGroupMember.addMany': ({ params, body }) => {
			if (!groupOr404(params.group_id)) return fail(400, 42002, 'invalid group_id');
			const members = body.members as Array<Record<string, string>>;
			if (members.length > 100)
				fake.violations.push(`batch_add: at most 100 members per call, got ${members.length}`);
			const results = members.map((m) => ({
				member_id: m.member_id,
				code: changeMember(params.group_id, m, true),
			}));
			return ok({ results });
		},
		'feishu.userGroupMember.removeMany': ({ params, body }) => {
			if (!groupOr404(params.group_id)) return fail(400, 42002, 'invalid group_id');
			const members = body.members as Array<Record<string, string>>;
			if (members.length > 100)
				fake.violations.push(`batch_remove: at most 100 members per call, got ${members.length}`);
			if (members.some((m) => !findUser(m.member_id, m.member_id_type ?? 'open_id')))
				return fail(400, 41073, 'invalid member_id');
			for (const m of members) changeMember(params.group_id, m, false);
			return ok();
		},
		'feishu.userGroupMember.getAll': ({ params, query }) => {
			const group = groupOr404(params.group_id);
			if (!group) return fail(400, 42002, 'invalid group_id');
			const type = (query.member_id_type ?? 'open_id') as keyof FeishuUser;
			const members =
				query.member_type === 'department'
					? []
					: group.members.map((openId) => ({
							member_id: findUser(openId)?.[type] ?? openId,
							member_type: 'user',
						}));
			const page = tokenPage(members, query, 50, 100);
			if (page.error) return page.error;
			return ok({
				memberlist: page.items,
				has_more: page.has_more,
				...(page.page_token ? { page_token: page.page_token } : {}),
			});
		},
		'feishu.user.get': ({ params, query }) => {
			const user = findUser(params.user_id, query.user_id_type ?? 'open_id');
			if (!user) return fail(400, 41012, 'user id invalid error');
			return ok({ user: { ...user } });
		},
		'feishu.user.getIdsByEmailOrMobile': ({ query, body }) => {
			const emails = (body.emails as string[] | undefined) ?? [];
			const mobiles = (body.mobiles as string[] | undefined) ?? [];
			if (emails.length > 50 || mobiles.length > 50) return fail(400, 40001, 'param error');
			const type = (query.user_id_type ?? 'open_id') as keyof FeishuUser;
			const user_list = [
				...emails.map((email) => {
					const u = s.feishuUsers.find((x) => x.email === email);
					return { email, ...(u ? { user_id: u[type] } : {}) };
				}),
				...mobiles.map((mobile) => {
					const u = s.feishuUsers.find((x) => x.mobile === mobile);
					return { mobile, ...(u ? { user_id: u[type] } : {}) };
				}),
			];
			return ok({ user_list });
		},
	};
}
