/**
 * DingTalk to-dos (待办) in the fake (docs/research/calendar-tasks.md §4): work to-dos with executors and
 * participants, the one-a-to-do sourceId ("task exist"), the documented field limits, and the list of
 * to-dos created with a detail link.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';

const fail = (code: string, message: string, status = 400): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});

export class DingTalkTodos {
	readonly todos = new Map<string, Record<string, unknown>>();

	constructor(private readonly fake: FakeApi) {}

	seed(): void {
		this.todos.clear();
	}

	private known(unionId: string) {
		return this.fake.state.dingUsers.some((u) => u.unionid === unionId);
	}

	handlers(): Record<string, Handler> {
		return {
			'dingtalk.todo.create': ({ params, query, body }) => {
				if (!this.known(params.unionId) || !this.known(query.operatorId))
					return fail('todo.taskCreate.paramError', 'todo.taskCreate.paramError');
				if (String(body.subject).length > 1024)
					return fail('todo.taskCreate.paramError', 'subject is oversize');
				if (body.description !== undefined && String(body.description).length > 4096)
					return fail('todo.taskCreate.paramError', 'description is oversize');
				if (
					body.sourceId !== undefined &&
					[...this.todos.values()].some((t) => t.sourceId === body.sourceId)
				)
					return fail('todo.taskCreate.paramError', 'task exist');
				if (body.dueTime !== undefined && Number(body.dueTime) <= 0)
					return fail('todo.taskCreate.paramError', 'dueTime is invalid');
				const id = `task${randomBytes(8).toString('hex')}`;
				const todo = {
					id,
					...body,
					executorIds: body.executorIds ?? [],
					participantIds: body.participantIds ?? [],
					done: false,
					createdTime: Date.now(),
					modifiedTime: Date.now(),
					creatorId: body.creatorId ?? query.operatorId,
					bizTag: 'sandbox',
					requestId: randomBytes(6).toString('hex'),
				};
				this.todos.set(id, todo);
				return { status: 200, body: todo };
			},
			'dingtalk.todo.get': ({ params }) => {
				const todo = this.todos.get(params.taskId);
				return todo
					? { status: 200, body: todo }
					: fail('todo.taskUpdate.paramError', 'task not exist');
			},
			'dingtalk.todo.query': ({ params, body }) => {
				const mine = [...this.todos.values()].filter(
					(t) =>
						t.detailUrl !== undefined &&
						(t.creatorId === params.unionId ||
							(t.executorIds as string[]).includes(params.unionId) ||
							(t.participantIds as string[]).includes(params.unionId)) &&
						(body.isDone === undefined || t.done === body.isDone),
				);
				const start = body.nextToken
					? Number(Buffer.from(String(body.nextToken), 'base64url').toString())
					: 0;
				if (!Number.isInteger(start))
					return fail('todo.orgTaskQuery.paramError', 'nextToken is invalid');
				const page = mine.slice(start, start + 20);
				const more = start + 20 < mine.length;
				return {
					status: 200,
					body: {
						todoCards: page.map((t) => ({
							taskId: t.id,
							subject: t.subject,
							dueTime: t.dueTime,
							detailUrl: t.detailUrl,
							priority: t.priority,
							createdTime: t.createdTime,
							creatorId: t.creatorId,
							sourceId: t.sourceId,
							isDone: t.done,
						})),
						...(more ? { nextToken: Buffer.from(String(start + 20)).toString('base64url') } : {}),
					},
				};
			},
			'dingtalk.todo.update': ({ params, body }) => {
				const todo = this.todos.get(params.taskId);
				if (!todo) return fail('todo.taskUpdate.paramError', 'task not exist');
				if (body.subject !== undefined && String(body.subject).length > 1024)
					return fail('todo.taskUpdate.paramError', 'subject is oversize');
				Object.assign(todo, body, { modifiedTime: Date.now() });
				return { status: 200, body: { result: true } };
			},
			'dingtalk.todo.delete': ({ params }) => {
				if (!this.todos.delete(params.taskId))
					return fail('todo.taskDelete.paramError', 'task not exist');
				return { status: 200, body: { result: true, requestId: randomBytes(6).toString('hex') } };
			},
		};
	}
}
