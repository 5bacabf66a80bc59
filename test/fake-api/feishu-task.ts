/**
 * Feishu Task v2 in the fake (docs/research/calendar-tasks.md §2): tasks with members, due dates and
 * completion, tasklists, client_token (per API and caller, 5 minutes after a success), and the documented
 * refusals (a reminder without a due date, more than 50 members, completing a completed task).
 */
import { randomBytes, randomUUID } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';

export const SANDBOX_TASKLIST = 'd300a75f-c56a-4be9-80d1-e47653028ceb';

const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
const fail = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg, error: { log_id: randomBytes(6).toString('hex') } },
});
const PATCHABLE = [
	'summary',
	'description',
	'start',
	'due',
	'completed_at',
	'extra',
	'custom_complete',
	'repeat_rule',
	'mode',
	'is_milestone',
	'custom_fields',
];

export class FeishuTasks {
	readonly tasks = new Map<string, Record<string, unknown>>();
	readonly tasklists = new Map<string, { guid: string; name: string; tasks: string[] }>();
	private readonly tokens = new Map<string, { guid: string; at: number }>();

	constructor(private readonly fake: FakeApi) {}

	seed(): void {
		this.tasks.clear();
		this.tokens.clear();
		this.tasklists.clear();
		this.tasklists.set(SANDBOX_TASKLIST, { guid: SANDBOX_TASKLIST, name: 'Onboarding', tasks: [] });
	}

	private out(task: Record<string, unknown>) {
		const completed = Number(task.completed_at ?? 0);
		return { ...task, completed_at: String(completed), status: completed > 0 ? 'done' : 'todo' };
	}

	handlers(): Record<string, Handler> {
		return {
			'feishu.task.create': ({ body, caller }) => {
				const token = body.client_token as string | undefined;
				if (token !== undefined && (token.length < 10 || token.length > 100))
					return fail(400, 1470400, 'client_token length');
				const scoped = `${caller}/${token}`;
				const kept = token ? this.tokens.get(scoped) : undefined;
				if (kept && Date.now() - kept.at < 300_000)
					return ok({ task: this.out(this.tasks.get(kept.guid)!) });
				if (String(body.summary).length > 3000) return fail(400, 1470400, 'summary too long');
				const members = (body.members as Array<Record<string, unknown>> | undefined) ?? [];
				if (members.length > 50) return fail(400, 1470400, 'too many members');
				for (const m of members) {
					if (!['assignee', 'follower'].includes(String(m.role)))
						return fail(400, 1470400, 'member role');
					if (
						(m.type ?? 'user') === 'user' &&
						!this.fake.state.feishuUsers.some((u) => u.open_id === m.id)
					)
						return fail(500, 1470500, 'create failed: check the member id type');
				}
				const reminders = (body.reminders as unknown[] | undefined) ?? [];
				if (reminders.length > 1) return fail(400, 1470400, 'at most 1 reminder');
				if (reminders.length > 0 && !body.due) return fail(400, 1470400, 'reminder needs due');
				for (const list of (body.tasklists as Array<{ tasklist_guid: string }> | undefined) ?? [])
					if (!this.tasklists.has(list.tasklist_guid))
						return fail(404, 1470404, 'tasklist not found');
				const guid = randomUUID();
				const task = {
					guid,
					task_id: `t${Math.floor(Math.random() * 1e6)}`,
					summary: body.summary,
					...(body.description !== undefined ? { description: body.description } : {}),
					...(body.due ? { due: body.due } : {}),
					members,
					tasklists: body.tasklists ?? [],
					completed_at: '0',
					creator: {
						id: caller === 'app' ? 'cli_test_app' : String(caller).slice(5),
						type: caller === 'app' ? 'app' : 'user',
					},
					url: `https://applink.feishu.cn/client/todo/detail?guid=${guid}`,
					created_at: String(Date.now()),
				};
				this.tasks.set(guid, task);
				for (const list of (body.tasklists as Array<{ tasklist_guid: string }> | undefined) ?? [])
					this.tasklists.get(list.tasklist_guid)!.tasks.push(guid);
				if (token) this.tokens.set(scoped, { guid, at: Date.now() });
				return ok({ task: this.out(task) });
			},
			'feishu.task.list': ({ query, caller }) => {
				if (caller === 'app') return fail(400, 99991668, 'tenant access token not support');
				const me = String(caller).slice(5);
				let all = [...this.tasks.values()].filter((t) =>
					(t.members as Array<{ id: string; role: string }>).some(
						(m) => m.id === me && m.role === 'assignee',
					),
				);
				if (query.completed !== undefined)
					all = all.filter((t) => Number(t.completed_at) > 0 === (query.completed === 'true'));
				const size = Number(query.page_size ?? 50);
				if (size < 1 || size > 100) return fail(400, 1470400, 'page_size');
				const start = query.page_token ? Number(query.page_token) : 0;
				const more = start + size < all.length;
				return ok({
					items: all.slice(start, start + size).map((t) => this.out(t)),
					has_more: more,
					page_token: more ? String(start + size) : '',
				});
			},
			'feishu.task.get': ({ params }) => {
				const task = this.tasks.get(params.task_guid);
				return task ? ok({ task: this.out(task) }) : fail(404, 1470404, 'task not found');
			},
			'feishu.task.patch': ({ params, body }) => {
				const task = this.tasks.get(params.task_guid);
				if (!task) return fail(404, 1470404, 'task not found');
				const fields = body.update_fields as string[];
				const changes = body.task as Record<string, unknown>;
				if (fields.some((f) => !PATCHABLE.includes(f))) return fail(400, 1470400, 'update_fields');
				if (fields.includes('summary') && !changes.summary)
					return fail(400, 1470400, 'summary cannot be empty');
				if (
					fields.includes('completed_at') &&
					Number(changes.completed_at) > 0 &&
					Number(task.completed_at) > 0
				)
					return fail(400, 1470400, 'cannot set non-zero completed_at for a completed task');
				for (const f of fields) {
					if (changes[f] === undefined) delete task[f];
					else task[f] = changes[f];
				}
				return ok({ task: this.out(task) });
			},
			'feishu.task.delete': ({ params }) => {
				if (!this.tasks.delete(params.task_guid)) return fail(404, 1470404, 'task not found');
				for (const list of this.tasklists.values())
					list.tasks = list.tasks.filter((g) => g !== params.task_guid);
				return ok();
			},
			'feishu.tasklist.tasks': ({ params, query }) => {
				const list = this.tasklists.get(params.tasklist_guid);
				if (!list) return fail(404, 1470404, 'tasklist not found');
				const size = Number(query.page_size ?? 50);
				if (size < 1 || size > 100) return fail(400, 1470400, 'page_size');
				let all = list.tasks.map((g) => this.tasks.get(g)!).filter(Boolean);
				if (query.completed !== undefined)
					all = all.filter((t) => Number(t.completed_at) > 0 === (query.completed === 'true'));
				const start = query.page_token ? Number(query.page_token) : 0;
				const page = all.slice(start, start + size);
				const more = start + size < all.length;
				return ok({
					items: page.map((t) => ({
						guid: t.guid,
						summary: t.summary,
						completed_at: String(t.completed_at ?? '0'),
						due: t.due,
						members: t.members,
					})),
					has_more: more,
					page_token: more ? String(start + size) : '',
				});
			},
			'feishu.tasklist.list': () =>
				ok({
					items: [...this.tasklists.values()].map((l) => ({ guid: l.guid, name: l.name })),
					has_more: false,
					page_token: '',
				}),
			'feishu.tasklist.create': ({ body }) => {
				if (String(body.name).length > 100) return fail(400, 1470400, 'name too long');
				const guid = randomUUID();
				this.tasklists.set(guid, { guid, name: String(body.name), tasks: [] });
				return ok({
					tasklist: {
						guid,
						name: body.name,
						url: `https://applink.feishu.cn/client/todo/task_list?guid=${guid}`,
					},
				});
			},
		};
	}
}
