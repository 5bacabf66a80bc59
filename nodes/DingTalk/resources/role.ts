import { DINGTALK_RATE_LIMITS } from '../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { locator } from '../../shared/description';
import type { ParamReader } from '../../shared/params';
import type {
	ApiRequest,
	ListSpec,
	OperationDefinition,
	ResourceDefinition,
} from '../../shared/types';

const BUSY = {
	'-1': 'DingTalk is busy. Try again later.',
	'1002': 'DingTalk is busy. Try again later.',
	'400001': 'DingTalk had a system error. Try again later.',
};

const roleLocator = (description: string): INodeProperties =>
	locator({
		name: 'roleId',
		displayName: 'Role',
		description,
		searchListMethod: 'searchRoles',
		placeholder: '1581321999',
	});

/** The legacy APIs page by offset/size; the next offset follows from the request that was sent. */
function nextOffset(response: IDataObject, request: ApiRequest): string | undefined {
	const result = (response.result ?? {}) as IDataObject;
	if (result.hasMore !== true) return undefined;
	const body = request.body as { offset: number; size: number };
	return String(body.offset + body.size);
}

/** POST topapi/role/list: role groups with their roles, flattened to one record per role. */
export const roleList: ListSpec = {
	maxPageSize: 200,
	page: (_p, cursor, pageSize) => ({
		method: 'POST',
		path: '/topapi/role/list',
		style: 'legacy',
		body: { size: pageSize, offset: cursor === undefined ? 0 : Number(cursor) },
	}),
	read: (response, request) => {
		const groups =
			(((response.result ?? {}) as IDataObject).list as IDataObject[] | undefined) ?? [];
		const records = groups.flatMap((group) =>
			((group.roles as IDataObject[] | undefined) ?? []).map((r) => ({
				roleId: r.id,
				roleName: r.name,
				groupId: group.groupId,
				groupName: group.name,
			})),
		);
		return { records, next: nextOffset(response, request) };
	},
};

/** POST topapi/role/simplelist: the employees who have a role. */
const roleUserList: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'POST',
		path: '/topapi/role/simplelist',
		style: 'legacy',
		body: {
			role_id: p.requiredLong('roleId'),
			size: pageSize,
			offset: cursor === undefined ? 0 : Number(cursor),
		},
	}),
	read: (response, request) => ({
		records: (((response.result ?? {}) as IDataObject).list as IDataObject[] | undefined) ?? [],
		next: nextOffset(response, request),
	}),
};

const getAll: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many roles',
	lane: DINGTALK_RATE_LIMITS['role.getAll'],
	description: "List the organization's roles, one item per role with its role group",
	properties: [],
	errors: {
		...BUSY,
		'400043': "The organization ID is invalid: check the access token's app.",
		'40069': 'The page size is invalid.',
		'40068': 'The offset is invalid.',
	},
	list: roleList,
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a role',
	lane: DINGTALK_RATE_LIMITS['role.get'],
	description: "Get a role's name and role group",
	properties: [roleLocator('The role to get')],
	errors: {
		...BUSY,
		'33011': 'The role ID is invalid. Check Role.',
		'43007': 'The app lacks the permission for this API.',
	},
	build: (p) => ({
		method: 'POST',
		path: '/topapi/role/getrole',
		style: 'legacy',
		idempotent: true,
		body: { roleId: p.requiredLong('roleId') },
	}),
	output: (response, _request, p) => ({
		roleId: p.requiredLong('roleId').value(),
		...((response.role as IDataObject) ?? {}),
	}),
};

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a role',
	lane: DINGTALK_RATE_LIMITS['role.create'],
	description: 'Create a role in a role group',
	properties: [
		{ displayName: 'Role Name', name: 'roleName', type: 'string', required: true, default: '' },
		{
			displayName: 'Role Group ID',
			name: 'groupId',
			type: 'string',
			required: true,
			default: '',
			description: 'ID of the role group (a number): from Get Many (groupId) or Create Group',
		},
	],
	errors: {
		...BUSY,
		'34018': 'The role name and role group are required.',
		'34020': 'The role group ID is invalid.',
		'34021': 'A role with this name already exists.',
	},
	build: (p) => ({
		method: 'POST',
		path: '/role/add_role',
		style: 'legacy',
		body: { roleName: p.requiredString('roleName'), groupId: p.requiredLong('groupId') },
	}),
	output: (response, _request, p) => ({
		roleId: response.roleId as number,
		roleName: p.requiredString('roleName'),
		groupId: p.requiredLong('groupId').value(),
	}),
};

const update: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Rename a role',
	lane: DINGTALK_RATE_LIMITS['role.update'],
	description: "Change a role's name. Roles in the Default group cannot be changed.",
	properties: [
		roleLocator('The role to rename'),
		{
			displayName: 'Role Name',
			name: 'roleName',
			type: 'string',
			required: true,
			default: '',
			description: 'The new name',
		},
	],
	errors: {
		...BUSY,
		'660000': 'A parameter is empty.',
		'33011': 'The role ID is invalid. Check Role.',
	},
	build: (p) => ({
		method: 'POST',
		path: '/role/update_role',
		style: 'legacy',
		body: { roleId: p.requiredLong('roleId'), roleName: p.requiredString('roleName') },
	}),
	output: (_response, _request, p) => ({
		roleId: p.requiredLong('roleId').value(),
		roleName: p.requiredString('roleName'),
		updated: true,
	}),
};

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a role',
	lane: DINGTALK_RATE_LIMITS['role.delete'],
	description:
		'Delete a role (角色). Remove it from every employee first; roles in the Default group cannot be deleted.',
	properties: [
		roleLocator(
			'The role to delete. Roles in the Default group (Owner, Manager, Super Admin, Sub Admin) cannot be deleted. IDs come from Get Many.',
		),
	],
	errors: {
		'33011': 'The role ID is invalid. Check Role ID.',
		'23004': 'System roles cannot be edited or deleted. Check Role ID.',
		'1002': 'DingTalk is busy. Try again later.',
	},
	build: (p) => ({
		method: 'POST',
		path: '/topapi/role/deleterole',
		style: 'legacy',
		body: { role_id: p.requiredLong('roleId') },
	}),
	output: (response, _request, p) => ({
		roleId: p.requiredLong('roleId').value(),
		deleted: true,
		requestId: response.request_id ?? null,
	}),
};

const createGroup: OperationDefinition = {
	value: 'createGroup',
	name: 'Create Group',
	action: 'Create a role group',
	lane: DINGTALK_RATE_LIMITS['role.createGroup'],
	description: 'Create a role group (角色组)',
	properties: [
		{ displayName: 'Group Name', name: 'name', type: 'string', required: true, default: '' },
	],
	errors: BUSY,
	build: (p) => ({
		method: 'POST',
		path: '/role/add_role_group',
		style: 'legacy',
		body: { name: p.requiredString('name') },
	}),
	output: (response, _request, p) => ({
		groupId: response.groupId as number,
		name: p.requiredString('name'),
	}),
};

const getGroup: OperationDefinition = {
	value: 'getGroup',
	name: 'Get Group',
	action: 'Get a role group',
	lane: DINGTALK_RATE_LIMITS['role.getGroup'],
	description: 'Get a role group and its roles',
	properties: [
		{
			displayName: 'Role Group ID',
			name: 'groupId',
			type: 'string',
			required: true,
			default: '',
			description: 'ID of the role group: from Get Many (groupId) or Create Group',
		},
	],
	errors: { ...BUSY, '400002': 'The role group ID is invalid.' },
	build: (p) => ({
		method: 'POST',
		path: '/topapi/role/getrolegroup',
		style: 'legacy',
		idempotent: true,
		body: { group_id: p.requiredLong('groupId') },
	}),
	output: (response, _request, p) => {
		const group = (response.role_group ?? {}) as IDataObject;
		return {
			groupId: p.requiredLong('groupId').value(),
			groupName: group.group_name ?? null,
			roles: group.roles ?? [],
		};
	},
};

const ASSIGN_ERRORS = {
	...BUSY,
	'33011': 'A role ID is invalid.',
	'33012': 'A user ID is invalid.',
	'12012': "The organization does not exist: check the access token's app.",
};

/** Role IDs (at most 20, as the API allows) and user IDs, chunked to the API's per-call user limit. */
function assignments(p: ParamReader, path: string, usersPerCall: number): ApiRequest[] {
	const roleIds = p.stringList('roleIds').map((id) => p.requiredLong('roleIds', id).digits);
	if (roleIds.length === 0) p.failEmpty('roleIds');
	if (roleIds.length > 20) p.fail('roleIds', `at most 20 roles per call, got ${roleIds.length}`);
	const userIds = p.stringList('userIds');
	if (userIds.length === 0) p.failEmpty('userIds');
	const requests: ApiRequest[] = [];
	for (let i = 0; i < userIds.length; i += usersPerCall) {
		requests.push({
			method: 'POST',
			path,
			style: 'legacy',
			body: { roleIds: roleIds.join(','), userIds: userIds.slice(i, i + usersPerCall).join(',') },
		});
	}
	return requests;
}

const assignmentFields = (userLimit: number): INodeProperties[] => [
	{
		displayName: 'Role IDs',
		name: 'roleIds',
		type: 'string',
		required: true,
		default: '',
		description:
			'Comma-separated role IDs (at most 20), from Get Many. Roles in the Default group cannot be assigned.',
	},
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		required: true,
		default: '',
		description: `Comma-separated userIds (not unionIds). More than ${userLimit} are sent in several calls of ${userLimit}.`,
	},
];

const addToUsers: OperationDefinition = {
	value: 'addToUsers',
	name: 'Add to Users',
	action: 'Add roles to users',
	lane: DINGTALK_RATE_LIMITS['role.addToUsers'],
	description: 'Give users one or more roles',
	properties: assignmentFields(20),
	errors: ASSIGN_ERRORS,
	build: (p) => assignments(p, '/topapi/role/addrolesforemps', 20),
	output: (_response, _request, p, responses) => ({
		roleIds: p.stringList('roleIds'),
		userIds: p.stringList('userIds'),
		added: true,
		calls: responses.length,
	}),
};

const removeFromUsers: OperationDefinition = {
	value: 'removeFromUsers',
	name: 'Remove From Users',
	action: 'Remove roles from users',
	lane: DINGTALK_RATE_LIMITS['role.removeFromUsers'],
	description: 'Take one or more roles away from users',
	properties: assignmentFields(100),
	errors: ASSIGN_ERRORS,
	build: (p) => assignments(p, '/topapi/role/removerolesforemps', 100),
	output: (_response, _request, p, responses) => ({
		roleIds: p.stringList('roleIds'),
		userIds: p.stringList('userIds'),
		removed: true,
		calls: responses.length,
	}),
};

const getUsers: OperationDefinition = {
	value: 'getUsers',
	name: 'Get Users',
	action: 'Get the users of a role',
	lane: DINGTALK_RATE_LIMITS['role.getUsers'],
	description: 'List the employees who have a role',
	properties: [roleLocator('The role whose users to list')],
	errors: {
		...BUSY,
		'33011': 'The role ID is invalid. Check Role.',
		'40069': 'The page size is invalid.',
		'40068': 'The offset is invalid.',
	},
	list: roleUserList,
};

export const role: ResourceDefinition = {
	value: 'role',
	name: 'Role',
	description: "Roles in the organization's contacts (角色, legacy API)",
	operations: [
		addToUsers,
		create,
		createGroup,
		remove,
		get,
		getGroup,
		getAll,
		getUsers,
		removeFromUsers,
		update,
	],
	defaultOperation: 'delete',
};
