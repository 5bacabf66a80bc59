import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeProperties,
	INodeListSearchResult,
} from 'n8n-workflow';

import { listProperties, locator } from '../../shared/description';
import { departmentsBelow, limitOf, membersOf, pagesOf } from '../../shared/org';
import type { ParamReader } from '../../shared/params';
import { withEditorStep } from '../../shared/sheetEditor';
import type {
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../shared/types';
import { createDingTalkTransport, DINGTALK_RATE_LIMITS } from '../transport';

/**
 * Departments (部门) of DingTalk's contacts (docs/research/contacts.md §2): a department, its children
 * (listsub answers one level; all levels are walked level by level), its parents; and, as User › Get
 * Many, the users of a department and optionally of everything below it. The root department is 1.
 */

/** The department and member pages' codes, with their meanings (and the global table's for these APIs). */
export const DEPARTMENT_ERRORS = {
	'60003': 'The department does not exist: check the Department ID (the root is 1).',
	'60004': 'The parent department does not exist.',
	'50004': "The department is outside the app's visible range or contacts authorization scope.",
	'60011': "The app lacks this API's permission: add it under the app's Permissions (权限管理).",
	'60019': 'DingTalk could not read the users of the department.',
	'40009': 'The department ID is not valid: a number greater than 0.',
	'40035': 'A parameter is invalid: check the Department ID.',
	'43007': 'The call needs authorization: the app token lacks the permission.',
	'33012': 'The user ID is invalid.',
	'400002': 'A parameter is invalid.',
	'-1': 'DingTalk is busy. Try again later.',
};

/** 通讯录搜索用户 (v1.0): its documented codes. */
const SEARCH_ERRORS = {
	'parameter.error': 'A parameter is invalid: check Query.',
	'system.busy': 'DingTalk had a system error. Try again later.',
};

const LANGUAGE: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'Chinese', value: 'zh_CN' },
		{ name: 'English', value: 'en_US' },
	],
	default: 'zh_CN',
	description: 'Language of the department names in the answer',
};
const language = (p: ParamReader) => p.choice('language', ['zh_CN', 'en_US'], 'zh_CN');

export const departmentLocator = (description: string): INodeProperties =>
	locator({
		name: 'departmentId',
		displayName: 'Department',
		description: `${description}. From List shows the organisation's departments; By ID takes a dept_id (a number, in the admin console's department settings or from Get Children). 1 is the whole organisation (the root).`,
		searchListMethod: 'searchDepartments',
		placeholder: '432825033',
	});

/** listsub: a department's direct children, with their names (no paging). */
export async function childrenOf(
	step: OperationStep,
	department: string | number,
): Promise<IDataObject[]> {
	const answer = await step.send(
		{
			method: 'POST',
			path: '/topapi/v2/department/listsub',
			style: 'legacy',
			idempotent: true,
			body: { dept_id: Number(department), language: language(step.params) },
		},
		DINGTALK_RATE_LIMITS['department.getChildren'],
	);
	return (answer.result as IDataObject[] | undefined) ?? [];
}

const deptId = (d: IDataObject) => String(d.dept_id);

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a department',
	lane: DINGTALK_RATE_LIMITS['department.get'],
	description:
		"Get a department's name, parent, managers and member counts (needs qyapi_get_department_list)",
	properties: [departmentLocator('The department to get'), LANGUAGE],
	errors: DEPARTMENT_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: '/topapi/v2/department/get',
		style: 'legacy',
		idempotent: true,
		body: { dept_id: p.requiredLong('departmentId'), language: language(p) },
	}),
	output: (response) => (response.result as IDataObject) ?? {},
};

const getChildren: OperationDefinition = {
	value: 'getChildren',
	name: 'Get Children',
	action: 'Get the child departments of a department',
	lane: DINGTALK_RATE_LIMITS['department.getChildren'],
	description:
		'List the departments directly below a department, or every level below it (one call per department walked)',
	properties: [
		departmentLocator('The department whose children to list'),
		{
			displayName: 'All Levels',
			name: 'allLevels',
			type: 'boolean',
			default: false,
			description:
				'Whether to list every department below, not only the direct children. DingTalk lists one level a call, so each department below is asked for its children.',
		},
		LANGUAGE,
		...listProperties(),
	],
	errors: DEPARTMENT_ERRORS,
	async run(step) {
		const p = step.params;
		const root = String(p.requiredLong('departmentId'));
		const limit = limitOf(p);
		const out: IDataObject[] = [];
		if (!p.boolean('allLevels', false)) {
			for (const d of await childrenOf(step, root)) if (out.length < limit) out.push(d);
		} else {
			for await (const d of departmentsBelow(root, (id) => childrenOf(step, id), deptId, limit))
				out.push(d);
		}
		return out.map((json) => ({ json }));
	},
};

const getParents: OperationDefinition = {
	value: 'getParents',
	name: 'Get Parents',
	action: 'Get the parent departments of a department',
	lane: DINGTALK_RATE_LIMITS['department.getParents'],
	description:
		'List the departments above a department, nearest first, up to the root (1), with their details',
	properties: [
		departmentLocator('The department whose parents to list'),
		{
			displayName: 'Include Details',
			name: 'includeDetails',
			type: 'boolean',
			default: true,
			description:
				'Whether to get each parent (Department › Get: its name, managers and counts). Off: only their dept_ids, in one call.',
		},
		LANGUAGE,
	],
	errors: DEPARTMENT_ERRORS,
	async run(step) {
		const p = step.params;
		const department = p.requiredLong('departmentId');
		const answer = await step.send({
			method: 'POST',
			path: '/topapi/v2/department/listparentbydept',
			style: 'legacy',
			idempotent: true,
			body: { dept_id: department },
		});
		// The list starts with the department itself, then its parents up to the root.
		const ids =
			(((answer.result ?? {}) as IDataObject).parent_id_list as number[] | undefined) ?? [];
		const parents = ids.filter((id) => String(id) !== String(department));
		if (!p.boolean('includeDetails', true))
			return parents.map((id, level) => ({ json: { dept_id: id, level: level + 1 } }));
		const out = [];
		for (const [level, id] of parents.entries()) {
			const detail = await step.send(
				{
					method: 'POST',
					path: '/topapi/v2/department/get',
					style: 'legacy',
					idempotent: true,
					body: { dept_id: id, language: language(p) },
				},
				DINGTALK_RATE_LIMITS['department.get'],
			);
			out.push({ json: { ...((detail.result as IDataObject) ?? {}), level: level + 1 } });
		}
		return out;
	},
};

/** user/list: one department's own members with their details, 100 a page by cursor. */
const membersList = (department: string): ListSpec => ({
	// The page states no maximum; its sibling listsimple states 100.
	maxPageSize: 100,
	page: (p, cursor) => ({
		method: 'POST',
		path: '/topapi/v2/user/list',
		style: 'legacy',
		body: {
			dept_id: Number(department),
			cursor: cursor === undefined ? 0 : Number(cursor),
			size: 100,
			language: language(p),
			...(p.boolean('options.containAccessLimit', false) ? { contain_access_limit: true } : {}),
		},
	}),
	read: (response) => {
		const result = (response.result ?? {}) as IDataObject;
		return {
			records: (result.list as IDataObject[] | undefined) ?? [],
			next:
				result.has_more === true && result.next_cursor !== undefined
					? String(result.next_cursor)
					: undefined,
		};
	},
});

/** User › Get Many: a department's members (user/list), optionally with every department below it. */
export const getAllUsers: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many users of a department',
	lane: DINGTALK_RATE_LIMITS['user.getAll'],
	description:
		'List the users of a department with their details (needs qyapi_get_department_member), optionally with those of every department below it, each user once',
	properties: [
		departmentLocator('The department whose users to list'),
		{
			displayName: 'Include Sub-Departments',
			name: 'includeSubDepartments',
			type: 'boolean',
			default: false,
			description:
				'Whether to list the users of every department below too (each department is asked for its children, then its users). A user in several departments is listed once.',
		},
		LANGUAGE,
		...listProperties(),
	],
	extraOptions: [
		{
			displayName: 'Include Access-Restricted Users',
			name: 'containAccessLimit',
			type: 'boolean',
			default: false,
			description: 'Whether users whose visibility is restricted are listed (contain_access_limit)',
		},
	],
	errors: DEPARTMENT_ERRORS,
	async run(step) {
		const p = step.params;
		const root = String(p.requiredLong('departmentId'));
		const below = p.boolean('includeSubDepartments', false);
		const departments = async function* () {
			yield root;
			if (!below) return;
			for await (const d of departmentsBelow(root, (id) => childrenOf(step, id), deptId))
				yield deptId(d);
		};
		const users = await membersOf(
			departments(),
			(department) => pagesOf(membersList(department), p, (r) => step.send(r)),
			(u) => String(u.userid),
			limitOf(p),
		);
		return users.map((json) => ({ json }));
	},
};

/** The search page's size: it states none; the contact list pages' 100. */
const SEARCH_PAGE = 100;

/** User › Search: 搜索用户userId, by name, pinyin or English name; outputs userIds. */
export const searchUsers: OperationDefinition = {
	value: 'search',
	name: 'Search',
	action: 'Search users by name',
	lane: DINGTALK_RATE_LIMITS['user.search'],
	description:
		"Search the organisation's users by name, its pinyin or English name, and output their user IDs (needs qyapi_addresslist_search); User › Get gives the details",
	properties: [
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Han Meimei',
			description: "The user's name, its pinyin, or the English name (queryWord)",
		},
		{
			displayName: 'Exact Match',
			name: 'exactMatch',
			type: 'boolean',
			default: false,
			description:
				'Whether only users whose name is the query exactly are found (fullMatchField 1)',
		},
	],
	errors: SEARCH_ERRORS,
	list: {
		maxPageSize: SEARCH_PAGE,
		// offset is the page number ("分页页码", the example's 0 the first), so every page has the same size.
		page: (p, cursor) => ({
			method: 'POST',
			path: '/v1.0/contact/users/search',
			body: {
				queryWord: p.requiredString('query'),
				offset: cursor === undefined ? 0 : Number(cursor),
				size: SEARCH_PAGE,
				...(p.boolean('exactMatch', false) ? { fullMatchField: 1 } : {}),
			},
		}),
		read: (response, request) => ({
			records: ((response.list as unknown[] | undefined) ?? []).map((userId) => ({
				userId: String(userId),
			})),
			next:
				response.hasMore === true
					? String(Number((request.body as IDataObject).offset) + 1)
					: undefined,
		}),
	},
};

export const department: ResourceDefinition = {
	value: 'department',
	name: 'Department',
	description: 'Departments of the organisation (部门): one, its children, its parents',
	operations: [get, getChildren, getParents],
	defaultOperation: 'get',
};

/** The picker: the organisation's departments, level by level from the root (the first 200). */
export const departmentListSearch = {
	async searchDepartments(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createDingTalkTransport(this);
		return await withEditorStep(this, transport, [LANGUAGE], DEPARTMENT_ERRORS, async (step) => {
			const wanted = (filter ?? '').trim().toLowerCase();
			const found = [{ name: 'Whole Organisation (1)', value: '1' }];
			for await (const d of departmentsBelow('1', (id) => childrenOf(step, id), deptId, 200))
				found.push({ name: String(d.name ?? d.dept_id), value: deptId(d) });
			return {
				results: found.filter(
					(d) => wanted === '' || d.name.toLowerCase().includes(wanted) || d.value.includes(wanted),
				),
			};
		});
	},
};
