/**
 * The documented requests of DingTalk's to-do v1.0 (docs/research/calendar-tasks.md §4), for the fake's
 * spec checks. No runtime imports. No page states a limit of its own: 20 a second per app and API.
 */
import type { RouteSpec } from './spec';
import { bool, int, str } from './values';

const USER = '/v1.0/todo/users/{unionId}';
const OPERATOR = { operatorId: str(true) };

export const DINGTALK_TODO_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.todo.create',
		method: 'POST',
		path: `${USER}/tasks`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: {
			subject: str(true),
			description: str(),
			sourceId: str(),
			creatorId: str(),
			dueTime: int(),
			executorIds: { type: 'array', of: 'string' },
			participantIds: { type: 'array', of: 'string' },
			detailUrl: { type: 'object', fields: { appUrl: str(), pcUrl: str() } },
			priority: int(false, { enum: [10, 20, 30, 40] }),
			isOnlyShowExecutor: bool(),
			notifyConfigs: { type: 'object' },
		},
	},
	{
		key: 'dingtalk.todo.get',
		method: 'GET',
		path: `${USER}/tasks/{taskId}`,
		auth: 'dingtalkHeader',
	},
	{
		key: 'dingtalk.todo.query',
		method: 'POST',
		path: `${USER}/org/tasks/query`,
		auth: 'dingtalkHeader',
		body: { nextToken: str(), isDone: bool(), roleTypes: { type: 'array' }, todoType: str() },
	},
	{
		key: 'dingtalk.todo.update',
		method: 'PUT',
		path: `${USER}/tasks/{taskId}`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: {
			subject: str(),
			description: str(),
			dueTime: int(),
			done: bool(),
			executorIds: { type: 'array', of: 'string' },
			participantIds: { type: 'array', of: 'string' },
		},
	},
	{
		key: 'dingtalk.todo.delete',
		method: 'DELETE',
		path: `${USER}/tasks/{taskId}`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
	},
];
