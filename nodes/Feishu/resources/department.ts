import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listProperties, locator } from '../../shared/description';
import { limitOf, membersOf, pagesOf } from '../../shared/org';
import type { ParamReader } from '../../shared/params';
import type {
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../shared/types';
import { FEISHU_RATE_LIMITS } from '../transport';
import { feishuPage, ID_TYPES, idType } from './common';

/**
 * Departments (部门) of the contact v3 API (docs/research/contacts.md §1): a department, its children
 * (one level or all), its parents; and, as User › Get Many, the users of a department and optionally of
 * everything below it. The root department is "0".
 */

const DEPARTMENT_ID_TYPES = ['open_department_id', 'department_id'] as const;

/** The department pages' codes (get, children, parent, find_by_department), with their meanings. */
export const DEPARTMENT_ERRORS = {
	'40001': 'A parameter is invalid.',
	'40002': 'This is not supported for the root department (0).',
	'40003': 'Feishu had an internal error. Retry, or report it with the request ID.',
	'40004':
		"The department is outside the app's contacts range (通讯录权限范围). The root (0) needs the range All members.",
	'40008': 'The department information is empty.',
	'40011': 'The page size is invalid (at most 50).',
	'40012': 'The page token is invalid: it must come from the previous page.',
	'40014':
		'No permission on the parent department: outside the contacts range, or not visible to the user.',
	'40015': 'The department does not exist: check the Department ID and its ID type.',
	'41050':
		"A user is outside the app's contacts range (tenant token) or the user's org-chart visibility (user token).",
	'42008': "The token's tenant is not the department's tenant.",
	'43007': 'The custom department ID is used twice in the tenant.',
	'43010': 'The department is too large to be walked recursively: list its levels one at a time.',
	'44102': 'Department ID is required.',
};

export const departmentIdType: INodeProperties = {
	displayName: 'Department ID Type',
	name: 'departmentIdType',
	type: 'options',
	options: [
		{
			name: 'Open Department ID',
			value: 'open_department_id',
			description: 'The ID Feishu gives every department (od-…)',
		},
		{
			name: 'Department ID',
			value: 'department_id',
			description: "The tenant's own department ID, set in the admin console or by the API",
		},
	],
	default: 'open_department_id',
	description:
		'The kind of department ID given and returned. The root department is 0 in either kind.',
};

export const departmentLocator = (description: string): INodeProperties => ({
	...locator({
		name: 'departmentId',
		displayName: 'Department',
		description: `${description}. From List shows the departments in the app's contacts range; By ID takes an open_department_id (od-…) or, with Department ID Type Department ID, the tenant's own ID. 0 is the whole organisation (the root).`,
		searchListMethod: 'searchDepartments',
		placeholder: 'od-4e6ac4d14bcd5071a37a39de902c7141',
	}),
});

const idTypes = (p: ParamReader) => ({
	department_id_type: p.choice('departmentIdType', DEPARTMENT_ID_TYPES, 'open_department_id'),
	user_id_type: p.choice('userIdType', ID_TYPES, 'open_id'),
});

const CONTACT = '/open-apis/contact/v3';

/** The departments below one (all levels with fetch_child), 50 a page. */
export const childrenList = (all: (p: ParamReader) => boolean, id?: string): ListSpec => ({
	maxPageSize: 50,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: `${CONTACT}/departments/${id ?? p.pathId('departmentId')}/children`,
		qs: {
			...idTypes(p),
			fetch_child: all(p),
			page_size: pageSize,
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => feishuPage(response, 'items'),
});

/** For the picker: every department in the app's range, under the root. */
export const departmentPickerList = childrenList(() => true, '0');

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a department',
	lane: FEISHU_RATE_LIMITS['department.get'],
	description:
		"Get a department's name, parent, leader and member counts (needs contact:contact.base:readonly)",
	properties: [
		departmentLocator('The department to get'),
		departmentIdType,
		idType('userIdType', 'User ID Type', 'The kind of ID the leader is returned as'),
	],
	errors: DEPARTMENT_ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `${CONTACT}/departments/${p.pathId('departmentId')}`,
		qs: idTypes(p),
	}),
	output: (response) => (response.department as IDataObject) ?? {},
};

const getChildren: OperationDefinition = {
	value: 'getChildren',
	actsAs: ['app', 'user'],
	name: 'Get Children',
	action: 'Get the child departments of a department',
	lane: FEISHU_RATE_LIMITS['department.getChildren'],
	description:
		'List the departments directly below a department, or every level below it (50 a page)',
	properties: [
		departmentLocator('The department whose children to list'),
		{
			displayName: 'All Levels',
			name: 'allLevels',
			type: 'boolean',
			default: false,
			description:
				'Whether to list every department below (fetch_child), not only the direct children. With a user identity Feishu returns at most 1,000.',
		},
		departmentIdType,
		idType('userIdType', 'User ID Type', 'The kind of ID the leaders are returned as'),
	],
	errors: DEPARTMENT_ERRORS,
	list: childrenList((p) => p.boolean('allLevels', false)),
};

const getParents: OperationDefinition = {
	value: 'getParents',
	actsAs: ['app', 'user'],
	name: 'Get Parents',
	action: 'Get the parent departments of a department',
	lane: FEISHU_RATE_LIMITS['department.getParents'],
	description:
		'List the departments above a department, nearest first. Feishu leaves out the root (0) and the departments outside the range the identity may see.',
	properties: [
		departmentLocator('The department whose parents to list'),
		departmentIdType,
		idType('userIdType', 'User ID Type', 'The kind of ID the leaders are returned as'),
	],
	errors: DEPARTMENT_ERRORS,
	list: {
		maxPageSize: 50,
		page: (p, cursor, pageSize) => ({
			method: 'GET',
			path: `${CONTACT}/departments/parent`,
			qs: {
				...idTypes(p),
				department_id: p.requiredString('departmentId'),
				page_size: pageSize,
				...(cursor ? { page_token: cursor } : {}),
			},
		}),
		read: (response) => feishuPage(response, 'items'),
	},
};

/** The users directly in one department, 50 a page. */
const membersList = (department: string): ListSpec => ({
	maxPageSize: 50,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: `${CONTACT}/users/find_by_department`,
		qs: {
			...idTypes(p),
			department_id: department,
			page_size: pageSize,
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => feishuPage(response, 'items'),
});

/**
 * User › Get Many: the department's direct members (find_by_department), and with Include
 * Sub-Departments those of every department below it (children with fetch_child, in the children
 * API's lane), each user once.
 */
export const getAllUsers: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many users of a department',
	lane: FEISHU_RATE_LIMITS['user.getAll'],
	description:
		'List the users of a department (部门直属用户), optionally with those of every department below it, each user once',
	properties: [
		departmentLocator('The department whose users to list'),
		{
			displayName: 'Include Sub-Departments',
			name: 'includeSubDepartments',
			type: 'boolean',
			default: false,
			description:
				'Whether to list the users of every department below too. A user in several departments is listed once.',
		},
		departmentIdType,
		idType('userIdType', 'User ID Type', 'The kind of user ID to return'),
		...listProperties(),
	],
	errors: DEPARTMENT_ERRORS,
	async run(step: OperationStep) {
		const p = step.params;
		// The root's ID goes into the children path (checked to stay inside it) and into the members query.
		const rootPath = p.pathId('departmentId');
		const root = p.requiredString('departmentId');
		const limit = limitOf(p);
		const below = p.boolean('includeSubDepartments', false);
		const custom =
			p.choice('departmentIdType', DEPARTMENT_ID_TYPES, 'open_department_id') === 'department_id';
		const departments = async function* () {
			yield root;
			if (!below) return;
			const children = childrenList(() => true, rootPath);
			for await (const page of pagesOf(children, p, (r) =>
				step.send(r, FEISHU_RATE_LIMITS['department.getChildren']),
			))
				for (const d of page) yield String(custom ? d.department_id : d.open_department_id);
		};
		const users = await membersOf(
			departments(),
			(department) => pagesOf(membersList(department), p, (r) => step.send(r)),
			(u) => String(u.open_id ?? u.union_id ?? u.user_id),
			limit,
		);
		return users.map((json) => ({ json }));
	},
};

/** User › Search: 搜索用户, the user identity only (the page supports no tenant token). */
export const searchUsers: OperationDefinition = {
	value: 'search',
	actsAs: ['user'],
	name: 'Search',
	action: 'Search users by name',
	lane: FEISHU_RATE_LIMITS['user.search'],
	description:
		"Search the tenant's users by name (needs contact:user:search; Feishu offers it to a user's identity only: use the User (OAuth2) Authentication)",
	properties: [
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Zhang',
			description:
				"Part of the user's name. Resigned users and users of other tenants are not found.",
		},
	],
	// The page lists no codes of its own (it points to the generic ones): the scope it needs, by name.
	errors: {
		'99991679':
			'The user has not granted contact:user:search. Add it to the credential’s Scopes (the app must have it enabled), then reconnect the credential.',
		'99991676':
			'The user’s token lacks contact:user:search. Add it to the credential’s Scopes and reconnect the credential.',
	},
	list: {
		maxPageSize: 200,
		page: (p, cursor, pageSize) => ({
			method: 'GET',
			path: '/open-apis/search/v1/user',
			qs: {
				query: p.requiredString('query'),
				page_size: pageSize,
				...(cursor ? { page_token: cursor } : {}),
			},
		}),
		read: (response) => feishuPage(response, 'users'),
	},
};

export const department: ResourceDefinition = {
	value: 'department',
	name: 'Department',
	description: 'Departments of the organisation (部门): one, its children, its parents',
	operations: [get, getChildren, getParents],
	defaultOperation: 'get',
};
