/**
 * The organisation directories (通讯录) of both fake platforms: a department tree with its members, as
 * the contact pages describe them (docs/research/contacts.md). Feishu's root is "0" and a department has
 * two IDs (open_department_id od-…, and the custom department_id); DingTalk's root is 1 and a department
 * has one numeric dept_id. A user may belong to several departments. `grow` builds a bigger organisation
 * (tests and the benchmark): levels of departments under the root and users spread over them.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';

export interface OrgDepartment {
	/** Feishu: the open_department_id; DingTalk: the dept_id (as text). */
	id: string;
	/** Feishu's custom department_id (DingTalk has none). */
	customId?: string;
	name: string;
	parent: string;
	order: number;
	leader?: string;
	/** User keys (Feishu open_id, DingTalk userid), direct members only. */
	members: string[];
}

export interface OrgUser {
	key: string;
	name: string;
	/** Feishu: union_id and user_id; DingTalk: unionid. */
	unionId: string;
	userId?: string;
	email?: string;
	mobile?: string;
}

const FEISHU_ROOT = '0';
const DINGTALK_ROOT = '1';

export class Org {
	readonly departments = new Map<string, OrgDepartment>();
	readonly users = new Map<string, OrgUser>();
	private next = 0;

	constructor(
		readonly platform: 'feishu' | 'dingtalk',
		private readonly fake: FakeApi,
	) {}

	get root(): string {
		return this.platform === 'feishu' ? FEISHU_ROOT : DINGTALK_ROOT;
	}

	seed(): void {
		this.departments.clear();
		this.users.clear();
		this.next = 0;
		const s = this.fake.state;
		if (this.platform === 'feishu') {
			for (const u of s.feishuUsers)
				this.users.set(u.open_id, {
					key: u.open_id,
					name: u.name,
					unionId: u.union_id,
					userId: u.user_id,
					email: u.email,
					mobile: u.mobile,
				});
			this.add({ id: FEISHU_ROOT, customId: FEISHU_ROOT, name: 'Sandbox Inc.', parent: '' });
			this.add({ id: 'od-eng', customId: 'D100', name: 'Engineering', leader: 'ou_1' }, [
				'ou_1',
				'ou_2',
			]);
			this.add({ id: 'od-backend', customId: 'D110', name: 'Backend', parent: 'od-eng' }, ['ou_2']);
			this.add({ id: 'od-sales', customId: 'D200', name: 'Sales', leader: 'ou_3' }, ['ou_3']);
		} else {
			for (const u of s.dingUsers)
				this.users.set(u.userid, {
					key: u.userid,
					name: u.name,
					unionId: u.unionid,
					mobile: u.mobile,
				});
			this.add({ id: DINGTALK_ROOT, name: 'Sandbox Inc.', parent: '' });
			this.add({ id: '100', name: 'Engineering', leader: 'manager4220' }, [
				'manager4220',
				'staff0002',
			]);
			this.add({ id: '110', name: 'Backend', parent: '100' }, ['staff0002']);
			this.add({ id: '200', name: 'Sales' }, ['staff0003']);
		}
	}

	private add(d: Partial<OrgDepartment> & { id: string; name: string }, members: string[] = []) {
		this.departments.set(d.id, {
			parent: this.root,
			order: this.departments.size,
			members,
			...d,
		});
	}

	/**
	 * `levels` of departments under the root, `fanout` under each, and `users` spread over all of them
	 * (every 20th also in a second department). Returns the new departments' IDs, top-down.
	 */
	grow(options: { levels: number; fanout: number; users: number }): string[] {
		const made: string[] = [];
		let layer = [this.root];
		for (let level = 1; level <= options.levels; level++) {
			const below: string[] = [];
			for (const parent of layer)
				for (let i = 0; i < options.fanout; i++) {
					const n = ++this.next;
					const id = this.platform === 'feishu' ? `od-g${n}` : String(5000 + n);
					this.add({
						id,
						...(this.platform === 'feishu' ? { customId: `G${n}` } : {}),
						name: `Unit ${n}`,
						parent,
					});
					below.push(id);
				}
			made.push(...below);
			layer = below;
		}
		for (let i = 0; i < options.users; i++) {
			const key = this.platform === 'feishu' ? `ou_g${i}` : `user${10000 + i}`;
			this.users.set(key, {
				key,
				name: `Employee ${i}`,
				unionId: this.platform === 'feishu' ? `on_g${i}` : `union-g${i}`,
				...(this.platform === 'feishu' ? { userId: `g${i}` } : {}),
			});
			this.departments.get(made[i % made.length])!.members.push(key);
			if (i % 20 === 0) this.departments.get(made[(i + 1) % made.length])!.members.push(key);
		}
		return made;
	}

	childrenOf(id: string): OrgDepartment[] {
		return [...this.departments.values()]
			.filter((d) => d.parent === id && d.id !== this.root)
			.sort((a, b) => a.order - b.order);
	}

	/** Every department below `id`, parents before their children. */
	below(id: string): OrgDepartment[] {
		const out: OrgDepartment[] = [];
		const walk = (parent: string) => {
			for (const child of this.childrenOf(parent)) {
				out.push(child);
				walk(child.id);
			}
		};
		walk(id);
		return out;
	}

	/** The departments above `id`, nearest first, the root last. */
	parentsOf(id: string): OrgDepartment[] {
		const out: OrgDepartment[] = [];
		let d = this.departments.get(id);
		while (d && d.id !== this.root) {
			d = this.departments.get(d.parent);
			if (d) out.push(d);
		}
		return out;
	}

	departmentsOf(user: string): OrgDepartment[] {
		return [...this.departments.values()].filter((d) => d.members.includes(user));
	}

	/** Members of `id` and below (each user once). */
	memberCount(id: string, direct = false): number {
		const keys = new Set(this.departments.get(id)?.members ?? []);
		if (!direct) for (const d of this.below(id)) for (const m of d.members) keys.add(m);
		return keys.size;
	}

	/** A Feishu department given in the chosen ID type (department_id_type). */
	feishuFind(id: string, type: string | undefined): OrgDepartment | undefined {
		if (type === 'department_id')
			return [...this.departments.values()].find((d) => d.customId === id);
		return this.departments.get(id);
	}
}

const feishuOk = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
const feishuFail = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg, error: { log_id: randomBytes(6).toString('hex') } },
});
const legacyOk = (body: Record<string, unknown>): Answer => ({
	status: 200,
	body: { errcode: 0, errmsg: 'ok', ...body, request_id: randomBytes(6).toString('hex') },
});
const legacyFail = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: randomBytes(6).toString('hex') },
});

/** page_size / page_token paging (the token is the next record's index, opaque to the caller). */
function feishuPage<T>(
	all: T[],
	query: Record<string, string>,
	defaultSize: number,
	maxSize: number,
): { error: Answer } | { items: T[]; has_more: boolean; page_token?: string } {
	const size = query.page_size === undefined ? defaultSize : Number(query.page_size);
	if (!Number.isInteger(size) || size < 1 || size > maxSize)
		return { error: feishuFail(400, 40011, 'page size is invalid') };
	let start = 0;
	if (query.page_token) {
		const decoded = /^pt(\d+)$/.exec(Buffer.from(query.page_token, 'base64url').toString());
		if (!decoded) return { error: feishuFail(400, 40012, 'page token is invalid error') };
		start = Number(decoded[1]);
	}
	const items = all.slice(start, start + size);
	const more = start + size < all.length;
	return {
		items,
		has_more: more,
		...(more ? { page_token: Buffer.from(`pt${start + size}`).toString('base64url') } : {}),
	};
}

/** Feishu's directory handlers (contact v3 and search v1). */
export function feishuOrgHandlers(org: Org): Record<string, Handler> {
	const idOf = (d: OrgDepartment, type: string | undefined) =>
		type === 'department_id' ? (d.customId ?? d.id) : d.id;
	const userId = (key: string, type: string | undefined): string | undefined => {
		const u = org.users.get(key);
		if (!u) return undefined;
		return type === 'union_id' ? u.unionId : type === 'user_id' ? u.userId : u.key;
	};
	const department = (d: OrgDepartment, query: Record<string, string>) => {
		const type = query.department_id_type;
		const parent = org.departments.get(d.parent);
		return {
			name: d.name,
			i18n_name: { zh_cn: d.name, en_us: d.name, ja_jp: '' },
			parent_department_id: d.id === org.root ? '' : parent ? idOf(parent, type) : org.root,
			department_id: d.customId ?? d.id,
			open_department_id: d.id,
			...(d.leader ? { leader_user_id: userId(d.leader, query.user_id_type) } : {}),
			order: String(d.order),
			member_count: org.memberCount(d.id),
			primary_member_count: org.memberCount(d.id),
			status: { is_deleted: false },
		};
	};
	const user = (key: string, query: Record<string, string>) => {
		const u = org.users.get(key)!;
		return {
			open_id: u.key,
			union_id: u.unionId,
			...(u.userId ? { user_id: u.userId } : {}),
			name: u.name,
			...(u.email ? { email: u.email } : {}),
			...(u.mobile ? { mobile: u.mobile } : {}),
			department_ids: org.departmentsOf(key).map((d) => idOf(d, query.department_id_type)),
			status: {
				is_frozen: false,
				is_resigned: false,
				is_activated: true,
				is_exited: false,
				is_unjoin: false,
			},
		};
	};
	const notFound = () => feishuFail(400, 40015, 'department not exist');
	return {
		'feishu.department.get': ({ params, query }) => {
			const d = org.feishuFind(params.department_id, query.department_id_type);
			return d ? feishuOk({ department: department(d, query) }) : notFound();
		},
		'feishu.department.children': ({ params, query }) => {
			const d = org.feishuFind(params.department_id, query.department_id_type);
			if (!d) return notFound();
			const all = query.fetch_child === 'true' ? org.below(d.id) : org.childrenOf(d.id);
			const page = feishuPage(all, query, 10, 50);
			if ('error' in page) return page.error;
			return feishuOk({ ...page, items: page.items.map((c) => department(c, query)) });
		},
		'feishu.department.parent': ({ query }) => {
			const d = org.feishuFind(query.department_id, query.department_id_type);
			if (!d) return notFound();
			// "根部门不会返回": the root is never listed; nearest parent first.
			const all = org.parentsOf(d.id).filter((p) => p.id !== org.root);
			const page = feishuPage(all, query, 20, 50);
			if ('error' in page) return page.error;
			return feishuOk({ ...page, items: page.items.map((c) => department(c, query)) });
		},
		'feishu.user.findByDepartment': ({ query }) => {
			const d = org.feishuFind(query.department_id, query.department_id_type);
			if (!d) return notFound();
			const page = feishuPage(d.members, query, 10, 50);
			if ('error' in page) return page.error;
			return feishuOk({ ...page, items: page.items.map((key) => user(key, query)) });
		},
		'feishu.user.search': ({ query, caller }) => {
			// The page supports the user identity only.
			if (caller === 'app') return feishuFail(400, 99991668, 'tenant access token not support');
			const wanted = query.query.toLowerCase();
			const all = [...org.users.values()].filter((u) => u.name.toLowerCase().includes(wanted));
			const page = feishuPage(all, query, 20, 200);
			if ('error' in page) return page.error;
			return feishuOk({
				has_more: page.has_more,
				...(page.page_token ? { page_token: page.page_token } : {}),
				users: page.items.map((u) => ({
					name: u.name,
					open_id: u.key,
					...(u.userId ? { user_id: u.userId } : {}),
					department_ids: org.departmentsOf(u.key).map((d) => d.id),
					avatar: { avatar_72: `https://fake.feishu.example/avatar/${u.key}/72` },
				})),
			});
		},
	};
}

/** DingTalk's directory handlers (the legacy topapi and v1.0 search). */
export function dingTalkOrgHandlers(org: Org): Record<string, Handler> {
	const deptOf = (body: Record<string, unknown>) => org.departments.get(String(body.dept_id));
	const notFound = () => legacyFail(60003, '未找到对应部门');
	const summary = (d: OrgDepartment) => ({
		dept_id: Number(d.id),
		name: d.name,
		parent_id: Number(d.parent || 0),
		create_dept_group: false,
		auto_add_user: true,
	});
	return {
		'dingtalk.department.get': ({ body }) => {
			const d = deptOf(body);
			if (!d) return notFound();
			return legacyOk({
				result: {
					...summary(d),
					...(d.id === org.root ? { parent_id: undefined } : {}),
					order: d.order,
					dept_manager_userid_list: d.leader ? [d.leader] : [],
					member_count: org.memberCount(d.id),
					owning_member_count: org.memberCount(d.id, true),
					outer_dept: false,
					hide_dept: false,
				},
			});
		},
		'dingtalk.department.listsub': ({ body }) => {
			const d = body.dept_id === undefined ? org.departments.get(org.root) : deptOf(body);
			if (!d) return notFound();
			return legacyOk({ result: org.childrenOf(d.id).map(summary) });
		},
		'dingtalk.department.listparentbydept': ({ body }) => {
			const d = deptOf(body);
			if (!d) return notFound();
			// The department itself first, then up to the root (1).
			return legacyOk({
				result: { parent_id_list: [d, ...org.parentsOf(d.id)].map((p) => Number(p.id)) },
			});
		},
		'dingtalk.user.list': ({ body }) => {
			const d = deptOf(body);
			if (!d) return legacyFail(40035, '参数非法');
			const cursor = Number(body.cursor);
			const size = Number(body.size);
			if (!Number.isInteger(size) || size < 1) return legacyFail(40035, '参数非法');
			if (!Number.isInteger(cursor) || cursor < 0) return legacyFail(40035, '参数非法');
			const list = d.members.slice(cursor, cursor + size).map((key) => {
				const u = org.users.get(key)!;
				return {
					userid: u.key,
					unionid: u.unionId,
					name: u.name,
					...(u.mobile ? { mobile: u.mobile } : {}),
					dept_id_list: org.departmentsOf(key).map((x) => Number(x.id)),
					leader: d.leader === key,
					admin: false,
					boss: false,
					active: true,
				};
			});
			const more = cursor + size < d.members.length;
			return legacyOk({
				result: { has_more: more, ...(more ? { next_cursor: cursor + size } : {}), list },
			});
		},
		'dingtalk.user.search': ({ body }) => {
			const word = String(body.queryWord).toLowerCase();
			const all = [...org.users.values()].filter((u) =>
				body.fullMatchField === 1
					? u.name.toLowerCase() === word
					: u.name.toLowerCase().includes(word),
			);
			// "offset: 分页页码" (a page number, the example's 0 the first page).
			const size = Number(body.size);
			const offset = Number(body.offset);
			if (size < 1 || offset < 0)
				return {
					status: 400,
					body: {
						code: 'parameter.error',
						message: '参数错误',
						requestid: randomBytes(6).toString('hex'),
					},
				};
			const start = offset * size;
			return {
				status: 200,
				body: {
					hasMore: start + size < all.length,
					totalCount: all.length,
					list: all.slice(start, start + size).map((u) => u.key),
				},
			};
		},
	};
}
