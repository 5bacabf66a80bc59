import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listProperties } from '../../shared/description';
import type { ParamReader } from '../../shared/params';
import { uuidKey } from '../../shared/params';
import { collectList } from '../../shared/runner';
import { givenTexts, instantOf, zoneOf } from '../../shared/time';
import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../transport';

/**
 * To-dos (待办, todo v1.0; docs/research/calendar-tasks.md §4), under the same names as Feishu's tasks.
 * The path names the creator by unionId and `operatorId` the user acting; executors and participants are
 * unionIds. Since 2024-02-01 the create API makes work to-dos only, which need a detail link.
 */

const ERRORS = {
	'todo.taskCreate.paramError':
		'A parameter is invalid: see the message (a subject or description too long, too many executors, an invalid due time, or "task exist": a to-do with this source ID exists).',
	'todo.taskCreate.lockError': 'DingTalk could not lock the source ID: try again.',
	'todo.taskCreate.flowControlError':
		'Too many to-dos for an executor or for the organisation: DingTalk throttles them; try later.',
	'todo.taskCreate.systemError': 'DingTalk had a system error creating the to-do.',
	'todo.taskUpdate.paramError':
		'A parameter is invalid, or the to-do does not exist, or it belongs to another app ("task not belong to bizTag").',
	'todo.taskUpdate.systemError': 'DingTalk had a system error updating the to-do.',
	'todo.taskDelete.paramError':
		'The to-do does not exist ("task not exist") or a parameter is invalid.',
	'todo.taskDelete.systemError': 'DingTalk had a system error deleting the to-do.',
	'todo.orgTaskQuery.paramError': 'A parameter is invalid (for example the page token).',
	'todo.orgTaskQuery.systemError': 'DingTalk had a system error listing the to-dos.',
};

const unionIdField: INodeProperties = {
	displayName: 'Creator Union ID',
	name: 'unionId',
	type: 'string',
	required: true,
	default: '',
	description:
		"The unionId of the to-do's creator, who also acts (operatorId). User › Get returns a user's unionid.",
};

const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	description: 'The to-do’s ID, which Create and Get Many output',
};

const path = (p: ParamReader) => `/v1.0/todo/users/${p.pathId('unionId')}`;
const operator = (p: ParamReader) => ({ operatorId: p.requiredString('unionId') });

/** A to-do for the next node: dueAt as ISO text in UTC. */
function todoOut(todo: IDataObject): IDataObject {
	const due = Number(todo.dueTime);
	return {
		...todo,
		...(Number.isFinite(due) && due > 0 ? { dueAt: new Date(due).toISOString() } : {}),
		completed: todo.done === true || todo.isDone === true,
	};
}

const dueFields: INodeProperties[] = [
	{
		displayName: 'Due',
		name: 'due',
		type: 'dateTime',
		default: '',
		description:
			'When the to-do is due: a date and time, ISO text (without an offset: in Time Zone), or milliseconds',
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

const dueOf = (p: ParamReader, zone: string, prefix = ''): number | undefined => {
	const raw = p.raw(`${prefix}due`, '');
	if (raw === undefined || raw === null || raw === '') return undefined;
	return instantOf(p, `${prefix}due`, zoneOf(p, `${prefix}timeZone`, zone, 'Time Zone'), 'Due');
};

/** priority: 10 low, 20 normal, 30 high, 40 urgent. */
function priorityOf(p: ParamReader, value: unknown): number {
	const priority = Number(value);
	if (![10, 20, 30, 40].includes(priority))
		p.fail('additionalFields.priority', 'must be 10, 20, 30 or 40', 'Additional Fields › Priority');
	return priority;
}

const createTask: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a to-do',
	lane: DINGTALK_RATE_LIMITS['task.create'],
	description:
		'Create a work to-do (待办) with executors, participants and a due time (needs Todo.Todo.Write)',
	properties: [
		unionIdField,
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			required: true,
			default: '',
			description: "The to-do's subject (up to 1,024 characters)",
		},
		...dueFields,
		{
			displayName: 'Assignee Union IDs',
			name: 'assigneeIds',
			type: 'string',
			default: '',
			description: 'The executors’ unionIds, separated by commas (DingTalk suggests 100 or fewer)',
		},
		{
			displayName: 'Follower Union IDs',
			name: 'followerIds',
			type: 'string',
			default: '',
			description: 'The participants’ unionIds, separated by commas: they can view and comment',
		},
		{
			displayName: 'Detail URL',
			name: 'detailUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://example.com/tickets/42',
			description:
				'The link the to-do opens (detailUrl, on mobile and desktop). DingTalk’s create API makes work to-dos only, which need one; only to-dos with one are listed by Get Many.',
		},
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
					displayName: 'Priority',
					name: 'priority',
					type: 'options',
					options: [
						{ name: 'Low', value: 10 },
						{ name: 'Normal', value: 20 },
						{ name: 'High', value: 30 },
						{ name: 'Urgent', value: 40 },
					],
					default: 20,
				},
			],
		},
	],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const subject = p.requiredString('summary');
		if (subject.length > 1024) p.fail('summary', 'is longer than 1,024 characters');
		const description = p.optionalString(
			'additionalFields.description',
			undefined,
			'Additional Fields › Description',
		);
		if (description && description.length > 4096)
			p.fail(
				'additionalFields.description',
				'is longer than 4,096 characters',
				'Additional Fields › Description',
			);
		const link = p.requiredString('detailUrl');
		if (!/^(https?|dingtalk):\/\/\S+$/.test(link))
			p.fail('detailUrl', 'is not a link (https://… or dingtalk://…)');
		const due = dueOf(p, step.ctx.getTimezone());
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		// DingTalk documents no idempotency key: a source ID (one a to-do) derived from this run and item makes
		// a repeat of the same create "task exist", not a second to-do; a lost answer is not sent again.
		const sourceId = uuidKey(p, 'task.create');
		const answer = await step.send({
			method: 'POST',
			path: `${path(p)}/tasks`,
			qs: operator(p),
			body: {
				subject,
				...(description ? { description } : {}),
				sourceId,
				creatorId: p.requiredString('unionId'),
				...(due !== undefined ? { dueTime: due } : {}),
				...(p.stringList('assigneeIds').length > 0
					? { executorIds: [...new Set(p.stringList('assigneeIds'))] }
					: {}),
				...(p.stringList('followerIds').length > 0
					? { participantIds: [...new Set(p.stringList('followerIds'))] }
					: {}),
				detailUrl: { appUrl: link, pcUrl: link },
				...(extra.priority !== undefined ? { priority: priorityOf(p, extra.priority) } : {}),
			},
		});
		return [{ json: todoOut(answer) }];
	},
};

const getTask: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a to-do',
	lane: DINGTALK_RATE_LIMITS['task.get'],
	description: 'Get a to-do (the API of DingTalk’s SDK, GetTodoTask: no page of its own)',
	properties: [unionIdField, taskIdField],
	errors: ERRORS,
	build: (p) => ({ method: 'GET', path: `${path(p)}/tasks/${p.pathId('taskId')}` }),
	output: (response) => todoOut(response),
};

const todoList: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor) => {
		const which = p.choice('completed', ['all', 'completed', 'open'] as const, 'all');
		return {
			method: 'POST',
			path: `${path(p)}/org/tasks/query`,
			idempotent: true,
			body: {
				...(which === 'all' ? {} : { isDone: which === 'completed' }),
				...(cursor ? { nextToken: cursor } : {}),
			},
		};
	},
	read: (response) => ({
		records: (response.todoCards as IDataObject[] | undefined) ?? [],
		next:
			typeof response.nextToken === 'string' && response.nextToken ? response.nextToken : undefined,
	}),
};

const getAllTasks: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many to-dos',
	lane: DINGTALK_RATE_LIMITS['task.getAll'],
	description:
		"A user's work to-dos, completed or open (only those created with a detail link; completed ones of the last 180 days)",
	properties: [
		{
			...unionIdField,
			displayName: 'User Union ID',
			description:
				"The unionId of the user whose to-dos to list. User › Get returns a user's unionid.",
		},
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
		...listProperties(),
	],
	errors: ERRORS,
	async run(step) {
		const cards = await collectList(todoList, step.params, async (r) => await step.send(r), {
			each: (card) => todoOut({ ...card, id: card.taskId }),
		});
		return cards.map((json) => ({ json }));
	},
};

const updateTask: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Update a to-do',
	lane: DINGTALK_RATE_LIMITS['task.update'],
	description: "Change a to-do's subject, description or due time: only the fields given change",
	properties: [
		unionIdField,
		taskIdField,
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
		const { summary, description } = givenTexts(p, ['summary', 'description']);
		const body: IDataObject = {
			...(summary !== undefined ? { subject: summary } : {}),
			...(description !== undefined ? { description } : {}),
		};
		const due = dueOf(p, step.ctx.getTimezone(), 'updateFields.');
		if (due !== undefined) body.dueTime = due;
		if (Object.keys(body).length === 0) p.fail('updateFields', 'add at least one field to update');
		// The same fields again leave the same to-do: a lost answer is sent again.
		await step.send({
			method: 'PUT',
			path: `${path(p)}/tasks/${p.pathId('taskId')}`,
			qs: operator(p),
			body,
		});
		return [{ json: { id: p.requiredString('taskId'), updated: true, ...body } }];
	},
};

const completeTask: OperationDefinition = {
	value: 'complete',
	name: 'Complete',
	action: 'Complete a to-do',
	lane: DINGTALK_RATE_LIMITS['task.update'],
	description: 'Mark a to-do done for everyone (done: true, as its creator)',
	properties: [unionIdField, taskIdField],
	errors: ERRORS,
	build: (p) => ({
		method: 'PUT',
		path: `${path(p)}/tasks/${p.pathId('taskId')}`,
		qs: operator(p),
		body: { done: true },
	}),
	output: (_response, _request, p) => ({ id: p.requiredString('taskId'), completed: true }),
};

const deleteTask: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a to-do',
	lane: DINGTALK_RATE_LIMITS['task.delete'],
	description: 'Delete a to-do',
	properties: [unionIdField, taskIdField],
	errors: ERRORS,
	build: (p) => ({
		method: 'DELETE',
		path: `${path(p)}/tasks/${p.pathId('taskId')}`,
		qs: operator(p),
		// A repeat would be "task not exist": a lost answer is not sent again.
		idempotent: false,
	}),
	output: (_response, _request, p) => ({ id: p.requiredString('taskId'), deleted: true }),
};

export const task: ResourceDefinition = {
	value: 'task',
	name: 'Task',
	description:
		'To-dos (待办): create with executors and a due time, get, list a user’s, update, complete, delete',
	operations: [createTask, getTask, getAllTasks, updateTask, completeTask, deleteTask],
	defaultOperation: 'create',
};
