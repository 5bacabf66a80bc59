import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listProperties } from '../../shared/description';
import type { ParamReader } from '../../shared/params';
import { collectList } from '../../shared/runner';
import { dateOf, givenTexts, instantOf, zoneOf } from '../../shared/time';
import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { FEISHU_RATE_LIMITS } from '../transport';
import { checkIdKinds, clientToken, feishuPage, ID_TYPES, idType } from './common';

/**
 * Tasks (任务, Task v2; docs/research/calendar-tasks.md §2): tasks with assignees and followers, a due
 * date, in a tasklist; and tasklists. Times are milliseconds; the task system keeps no time zone, so an
 * all-day due date is a date everywhere.
 */

const TASKS = '/open-apis/task/v2/tasks';
const TASKLISTS = '/open-apis/task/v2/tasklists';

const ERRORS = {
	'1470400':
		'A parameter is invalid: see the message (for example a summary that is too long, a reminder without a due date, or completing a task that is already completed).',
	'1470403': 'No permission: the identity may not read or edit this task or tasklist.',
	'1470404': 'The task or tasklist does not exist, or was deleted: check its GUID.',
	'1470422': 'The same request (client_token) is being processed at the same time: try again.',
	'1470500': 'Feishu had a server error or was briefly throttled: try again.',
};

const taskGuidField: INodeProperties = {
	displayName: 'Task GUID',
	name: 'taskGuid',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e297ddff-06ca-4166-b917-4ce57cd3a7a0',
	description:
		"The task's guid, which Create and Get Many output (not the task_id shown in the app)",
};

const tasklistField = (required: boolean): INodeProperties => ({
	displayName: 'Tasklist GUID',
	name: 'tasklistGuid',
	type: 'string',
	required,
	default: '',
	placeholder: 'd300a75f-c56a-4be9-80d1-e47653028ceb',
	description: "The tasklist's guid, which Tasklist › Get Many and Create output",
});

const dueFields: INodeProperties[] = [
	{
		displayName: 'Due',
		name: 'due',
		type: 'dateTime',
		default: '',
		description:
			'When the task is due: a date and time, ISO text (without an offset: in Time Zone), or milliseconds',
	},
	{
		displayName: 'Due All Day',
		name: 'dueAllDay',
		type: 'boolean',
		default: false,
		description: 'Whether Due is a date (the same day in every time zone), not a time',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Asia/Shanghai',
		description: "The time zone of a Due without an offset. Empty: the workflow's.",
	},
];

/** due as the page documents it: {timestamp (milliseconds, seconds precision), is_all_day}. */
function dueOf(p: ParamReader, workflowZone: string, prefix = ''): IDataObject | undefined {
	const raw = p.raw(`${prefix}due`, '');
	if (raw === undefined || raw === null || raw === '') return undefined;
	const zone = zoneOf(p, `${prefix}timeZone`, workflowZone, 'Time Zone');
	if (p.boolean(`${prefix}dueAllDay`, false)) {
		// "全天任务在各时区看到的日期一致": the date's midnight in UTC.
		const date = dateOf(p, `${prefix}due`, zone, 'Due');
		return { timestamp: String(Date.parse(`${date}T00:00:00Z`)), is_all_day: true };
	}
	const ms = instantOf(p, `${prefix}due`, zone, 'Due');
	if (ms < 0) return p.fail(`${prefix}due`, 'is before 1970', 'Due');
	return { timestamp: String(Math.floor(ms / 1000) * 1000), is_all_day: false };
}

/** "每次请求最多 50 个成员（去重后）". */
const MEMBERS_PER_REQUEST = 50;

/** A task for the next node: due as ISO text (all-day: the date), completed or not. */
function taskOut(task: IDataObject): IDataObject {
	const due = task.due as IDataObject | undefined;
	const ms = Number(due?.timestamp);
	const completed = Number(task.completed_at ?? 0);
	return {
		...task,
		...(due && Number.isFinite(ms) && ms > 0
			? {
					dueAt:
						due.is_all_day === true
							? new Date(ms).toISOString().slice(0, 10)
							: new Date(ms).toISOString(),
				}
			: {}),
		completed: completed > 0,
		...(completed > 0 ? { completedAt: new Date(completed).toISOString() } : {}),
	};
}

const createTask: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a task',
	lane: FEISHU_RATE_LIMITS['task.create'],
	description:
		'Create a task with assignees, followers, a due date and a reminder, in a tasklist (needs task:task:write)',
	properties: [
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			required: true,
			default: '',
			description: "The task's title (up to 3,000 characters)",
		},
		...dueFields,
		{
			displayName: 'Assignee IDs',
			name: 'assigneeIds',
			type: 'string',
			default: '',
			placeholder: 'ou_7d8a6e6df7621556ce0d21922b676706ccs',
			description: 'Users responsible for the task, separated by commas, of the User ID Type below',
		},
		{
			displayName: 'Follower IDs',
			name: 'followerIds',
			type: 'string',
			default: '',
			description:
				'Users who follow the task, separated by commas (assignees and followers: 50 at most)',
		},
		idType('userIdType', 'User ID Type', 'The kind of ID given in Assignee IDs and Follower IDs'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
				},
				{
					displayName: 'Reminder (Minutes Before Due)',
					name: 'reminder',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description: 'One reminder, minutes before Due (which it needs)',
				},
				{
					...tasklistField(false),
					description: 'The tasklist to put the task in (its default section)',
				},
			],
		},
	],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const summary = p.requiredString('summary');
		if (summary.length > 3000) p.fail('summary', 'is longer than 3,000 characters');
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const assignees = [...new Set(p.stringList('assigneeIds'))];
		const followers = [...new Set(p.stringList('followerIds'))].filter(
			(id) => !assignees.includes(id),
		);
		const memberKind = p.choice('userIdType', ID_TYPES, 'open_id');
		checkIdKinds(p, 'assigneeIds', assignees, memberKind, 'userIdType');
		checkIdKinds(p, 'followerIds', followers, memberKind, 'userIdType');
		if (assignees.length + followers.length > MEMBERS_PER_REQUEST)
			p.fail(
				'followerIds',
				`has too many members: assignees and followers are 50 at most, got ${assignees.length + followers.length}`,
			);
		const due = dueOf(p, step.ctx.getTimezone());
		const description = p.optionalString(
			'additionalFields.description',
			extra.description,
			'Additional Fields › Description',
		);
		const tasklist = p.optionalString(
			'additionalFields.tasklistGuid',
			extra.tasklistGuid,
			'Additional Fields › Tasklist GUID',
		);
		const reminder =
			extra.reminder === undefined ? undefined : p.integer('additionalFields.reminder', 0, 0);
		if (reminder !== undefined && reminder > 0 && !due)
			p.fail('additionalFields.reminder', 'needs Due', 'Additional Fields › Reminder');
		// The page's idempotency key (client_token, 10–100 characters): a lost answer is sent again with it.
		const key = clientToken(p, 'task.create');
		const answer = await step.send({
			method: 'POST',
			path: TASKS,
			qs: { user_id_type: p.choice('userIdType', ID_TYPES, 'open_id') },
			idempotencyKey: key,
			body: {
				summary,
				...(description ? { description } : {}),
				...(due ? { due } : {}),
				...(assignees.length + followers.length > 0
					? {
							members: [
								...assignees.map((id) => ({ id, type: 'user', role: 'assignee' })),
								...followers.map((id) => ({ id, type: 'user', role: 'follower' })),
							],
						}
					: {}),
				...(tasklist ? { tasklists: [{ tasklist_guid: tasklist }] } : {}),
				...(reminder !== undefined && reminder > 0
					? { reminders: [{ relative_fire_minute: reminder }] }
					: {}),
				client_token: key,
			},
		});
		return [{ json: taskOut((answer.task as IDataObject) ?? {}) }];
	},
};

const getTask: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a task',
	lane: FEISHU_RATE_LIMITS['task.get'],
	description: 'Get a task with its members, due date and status',
	properties: [
		taskGuidField,
		idType('userIdType', 'User ID Type', 'The kind of ID the members are returned as'),
	],
	errors: ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `${TASKS}/${p.pathId('taskGuid')}`,
		qs: { user_id_type: p.choice('userIdType', ID_TYPES, 'open_id') },
	}),
	output: (response) => taskOut((response.task as IDataObject) ?? {}),
};

const completedQs = (p: ParamReader) => {
	const which = p.choice('completed', ['all', 'completed', 'open'] as const, 'all');
	return which === 'all' ? {} : { completed: which === 'completed' };
};

const tasklistTasks: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: `${TASKLISTS}/${p.pathId('tasklistGuid')}/tasks`,
		qs: {
			page_size: pageSize,
			...completedQs(p),
			user_id_type: p.choice('userIdType', ID_TYPES, 'open_id'),
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => feishuPage(response, 'items'),
};

/** GET /tasks: the tasks the user is responsible for (type my_tasks; the page takes a user's token only). */
const myTasks: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: TASKS,
		qs: {
			type: 'my_tasks',
			page_size: pageSize,
			...completedQs(p),
			user_id_type: p.choice('userIdType', ID_TYPES, 'open_id'),
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => feishuPage(response, 'items'),
};

const getAllTasks: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many tasks',
	lane: FEISHU_RATE_LIMITS['task.getAll'],
	description:
		"List a tasklist's tasks, or (as the connected user) the user's own, completed or open (100 a page)",
	properties: [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'A Tasklist', value: 'tasklist', description: "The tasklist's tasks" },
				{
					name: 'My Tasks',
					value: 'myTasks',
					description:
						'The tasks the connected user is responsible for (the page takes a user’s token only: User (OAuth2) Authentication)',
				},
			],
			default: 'tasklist',
		},
		{ ...tasklistField(true), displayOptions: { show: { source: ['tasklist'] } } },
		{
			displayName: 'Completed',
			name: 'completed',
			type: 'options',
			options: [
				{ name: 'All', value: 'all' },
				{ name: 'Completed Only', value: 'completed' },
				{ name: 'Open Only', value: 'open' },
			],
			default: 'all',
		},
		idType('userIdType', 'User ID Type', 'The kind of ID the members are returned as'),
		...listProperties(),
	],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const mine = p.choice('source', ['tasklist', 'myTasks'] as const, 'tasklist') === 'myTasks';
		if (mine && step.ctx.getNodeParameter('authentication', 0, 'app') !== 'oAuth2')
			p.fail(
				'source',
				"My Tasks needs a user's identity (Feishu's task list takes a user's token only): choose the User (OAuth2) Authentication",
			);
		const tasks = await collectList(
			mine ? myTasks : tasklistTasks,
			p,
			async (r) => await step.send(r),
			{
				each: (record) => taskOut(record),
			},
		);
		return tasks.map((json) => ({ json }));
	},
};

const updateTask: OperationDefinition = {
	value: 'update',
	actsAs: ['app', 'user'],
	name: 'Update',
	action: 'Update a task',
	lane: FEISHU_RATE_LIMITS['task.update'],
	description: "Change a task's summary, description or due date: only the fields given change",
	properties: [
		taskGuidField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
				},
				...dueFields,
				{ displayName: 'Summary', name: 'summary', type: 'string', default: '' },
			],
		},
	],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const task: IDataObject = { ...givenTexts(p, ['summary', 'description']) };
		const due = dueOf(p, step.ctx.getTimezone(), 'updateFields.');
		if (due) task.due = due;
		// "update_fields 中的字段在 task 中未设置值则会被清空": only the fields given are listed.
		const fieldsToUpdate = Object.keys(task);
		if (fieldsToUpdate.length === 0) p.fail('updateFields', 'add at least one field to update');
		const answer = await step.send({
			method: 'PATCH',
			path: `${TASKS}/${p.pathId('taskGuid')}`,
			body: { task, update_fields: fieldsToUpdate },
			idempotent: true,
		});
		return [{ json: taskOut((answer.task as IDataObject) ?? {}) }];
	},
};

const completeTask: OperationDefinition = {
	value: 'complete',
	actsAs: ['app', 'user'],
	name: 'Complete',
	action: 'Complete a task',
	lane: FEISHU_RATE_LIMITS['task.update'],
	description:
		'Mark a task completed (completed_at now); Feishu refuses to complete a completed task',
	properties: [taskGuidField],
	errors: ERRORS,
	build: (p) => ({
		method: 'PATCH',
		path: `${TASKS}/${p.pathId('taskGuid')}`,
		// A repeat would be refused (a completed task cannot be completed again): not sent twice.
		body: { task: { completed_at: String(Date.now()) }, update_fields: ['completed_at'] },
	}),
	output: (response) => taskOut((response.task as IDataObject) ?? {}),
};

const deleteTask: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete',
	action: 'Delete a task',
	lane: FEISHU_RATE_LIMITS['task.delete'],
	description: 'Delete a task (it can no longer be read)',
	properties: [taskGuidField],
	errors: ERRORS,
	build: (p) => ({
		method: 'DELETE',
		path: `${TASKS}/${p.pathId('taskGuid')}`,
		// A repeat would be "not found" (1470404): a lost answer is not sent again.
		idempotent: false,
	}),
	output: (_response, _request, p) => ({ guid: p.requiredString('taskGuid'), deleted: true }),
};

export const task: ResourceDefinition = {
	value: 'task',
	name: 'Task',
	description:
		'Tasks (任务): create with assignees and a due date, get, list a tasklist’s, update, complete, delete',
	operations: [createTask, getTask, getAllTasks, updateTask, completeTask, deleteTask],
	defaultOperation: 'create',
};

/** A released value: n8n's Get Many rule wants the const. */
const GET_MANY = 'getAll';

export const tasklist: ResourceDefinition = {
	value: 'tasklist',
	name: 'Tasklist',
	description: 'Tasklists (任务清单) of the app or the user',
	operations: [
		{
			value: 'getAll',
			actsAs: ['app', 'user'],
			name: 'Get Many',
			action: 'Get many tasklists',
			lane: FEISHU_RATE_LIMITS['tasklist.getAll'],
			description: 'List the tasklists the identity can see (100 a page)',
			properties: [],
			errors: ERRORS,
			list: {
				maxPageSize: 100,
				page: (_p, cursor, pageSize) => ({
					method: 'GET',
					path: TASKLISTS,
					qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
				}),
				read: (response) => feishuPage(response, 'items'),
			},
		},
		{
			value: 'create',
			actsAs: ['app', 'user'],
			name: 'Create',
			action: 'Create a tasklist',
			lane: FEISHU_RATE_LIMITS['tasklist.create'],
			description: 'Create a tasklist; the identity becomes its owner (needs task:tasklist:write)',
			properties: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					required: true,
					default: '',
					description: 'Up to 100 characters',
				},
			],
			errors: ERRORS,
			build(p) {
				const name = p.requiredString('name');
				if (name.length > 100) p.fail('name', 'is longer than 100 characters');
				// The page documents no idempotency key: a create whose answer was lost is not sent again.
				return { method: 'POST', path: TASKLISTS, body: { name } };
			},
			output: (response) => (response.tasklist as IDataObject) ?? {},
		},
	],
	defaultOperation: GET_MANY,
};
