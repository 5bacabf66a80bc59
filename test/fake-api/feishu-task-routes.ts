/**
 * The documented requests of Feishu Task v2 (docs/research/calendar-tasks.md §2), for the fake's spec
 * checks. No runtime imports, so that spec.ts can include them. Create, get, patch and delete state 10 a
 * second; the lists level 4.
 */
import type { RouteSpec } from './spec';
import { int, str } from './values';

export const TASKS = '/open-apis/task/v2/tasks';
const TASKLISTS = '/open-apis/task/v2/tasklists';
const ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const TIME = {
	type: 'object' as const,
	fields: { timestamp: { type: 'digits' as const }, is_all_day: { type: 'boolean' as const } },
};

export const FEISHU_TASK_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.task.create',
		method: 'POST',
		path: TASKS,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			summary: str(true),
			description: str(),
			due: TIME,
			start: TIME,
			members: { type: 'array', of: 'object' },
			tasklists: { type: 'array', of: 'object' },
			reminders: { type: 'array', of: 'object' },
			client_token: str(),
		},
	},
	{
		// "仅支持 user_access_token".
		key: 'feishu.task.list',
		method: 'GET',
		path: TASKS,
		auth: 'feishuBearer',
		userToken: {},
		query: {
			page_size: int(),
			page_token: str(),
			completed: str(false, { enum: ['true', 'false'] }),
			type: str(false, { enum: ['my_tasks'] }),
			user_id_type: ID_TYPE,
		},
	},
	{
		key: 'feishu.task.get',
		method: 'GET',
		path: `${TASKS}/{task_guid}`,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
	},
	{
		key: 'feishu.task.patch',
		method: 'PATCH',
		path: `${TASKS}/{task_guid}`,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			task: { type: 'object', required: true },
			update_fields: { type: 'array', of: 'string', required: true },
		},
	},
	{
		key: 'feishu.task.delete',
		method: 'DELETE',
		path: `${TASKS}/{task_guid}`,
		auth: 'feishuBearer',
		userToken: {},
	},
	{
		key: 'feishu.tasklist.tasks',
		method: 'GET',
		path: `${TASKLISTS}/{tasklist_guid}/tasks`,
		auth: 'feishuBearer',
		userToken: {},
		query: {
			page_size: int(),
			page_token: str(),
			completed: str(false, { enum: ['true', 'false'] }),
			user_id_type: ID_TYPE,
		},
	},
	{
		key: 'feishu.tasklist.list',
		method: 'GET',
		path: TASKLISTS,
		auth: 'feishuBearer',
		userToken: {},
		query: { page_size: int(), page_token: str(), user_id_type: ID_TYPE },
	},
	{
		key: 'feishu.tasklist.create',
		method: 'POST',
		path: TASKLISTS,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: { name: str(true), members: { type: 'array', of: 'object' } },
	},
];
