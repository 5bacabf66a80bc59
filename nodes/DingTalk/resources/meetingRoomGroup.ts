import { DINGTALK_RATE_LIMITS } from '../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { locator } from '../../shared/description';
import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { answeredFalse, operatorUnionId } from './common';

const GROUP_ERRORS = {
	'param.error': 'A required parameter is missing or invalid.',
	'group.not.found': 'The group does not exist. Check Group ID.',
	'org.not.found': 'The organization was not found.',
	'user.not.admin': 'The operator (unionId) is not a DingTalk admin.',
	'user.not.employee': 'The operator (unionId) is not an employee of this organization.',
	'group.query.error':
		'DingTalk could not find or query the group (分组查询错误): the group may not exist or may have been deleted. Check Group ID (Get Many lists the groups); if it is right, try again later.',
	'system.error': 'DingTalk had an internal error. Try again later.',
};

const groupLocator = (description: string): INodeProperties =>
	locator({
		name: 'groupId',
		displayName: 'Group',
		description,
		searchListMethod: 'searchRoomGroups',
		placeholder: '172',
	});

/** GET /v1.0/rooms/groupLists?unionId=: the whole list in one answer (no paging). */
export const roomGroupList: ListSpec = {
	maxPageSize: Number.MAX_SAFE_INTEGER,
	page: (p) => ({
		method: 'GET',
		path: '/v1.0/rooms/groupLists',
		qs: { unionId: p.requiredString('unionId') },
	}),
	read: (response) => ({ records: (response.result as IDataObject[] | undefined) ?? [] }),
};

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a meeting room group',
	lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.create'],
	description: 'Create a meeting room group (会议室分组)',
	properties: [
		operatorUnionId(),
		{
			displayName: 'Parent Group Name or ID',
			name: 'parentGroupId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getParentRoomGroups', loadOptionsDependsOn: ['unionId'] },
			required: true,
			default: 0,
			description:
				'The parent group; Root (0) creates the group at the top. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Group Name',
			name: 'groupName',
			type: 'string',
			default: '',
			description: 'Name of the new group. Left empty, it is not sent.',
		},
	],
	errors: {
		...GROUP_ERRORS,
		'group.too.much': 'The organization already has the maximum number of room groups.',
		'group.not.found': 'The parent group does not exist. Check Parent Group ID (0 is the root).',
		'depth.over.limit': 'The group would be nested deeper than DingTalk allows.',
	},
	build(p) {
		const body: Record<string, unknown> = {
			unionId: p.requiredString('unionId'),
			parentGroupId: p.requiredLong('parentGroupId'),
		};
		const groupName = p.optionalString('groupName');
		if (groupName !== undefined) body.groupName = groupName;
		return { method: 'POST', path: '/v1.0/rooms/groups', body };
	},
	output(response, _request, p) {
		return {
			groupId: response.result as number,
			groupName: p.optionalString('groupName') ?? null,
			parentGroupId: p.requiredLong('parentGroupId').value(),
		};
	},
};

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a meeting room group',
	lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.delete'],
	description: 'Delete a meeting room group; it must have no sub-groups',
	properties: [
		groupLocator(
			'The room group to delete. A group with sub-groups cannot be deleted. IDs come from Get Many or Create.',
		),
		operatorUnionId(),
	],
	errors: GROUP_ERRORS,
	check: answeredFalse('result', 'The group deletion'),
	build(p) {
		return {
			method: 'DELETE',
			path: `/v1.0/rooms/groups/${p.pathLong('groupId')}`,
			qs: { unionId: p.requiredString('unionId') },
		};
	},
	output(response, _request, p) {
		return { groupId: p.requiredLong('groupId').value(), deleted: response.result === true };
	},
};

const update: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Rename a meeting room group',
	lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.update'],
	description: 'Change the name of a meeting room group (the API cannot move it to another parent)',
	properties: [
		groupLocator('The room group to rename. IDs come from Get Many or Create.'),
		operatorUnionId(),
		{
			displayName: 'Group Name',
			name: 'groupName',
			type: 'string',
			required: true,
			default: '',
			description: 'The new name',
		},
	],
	errors: GROUP_ERRORS,
	check: answeredFalse('result', 'The group update'),
	build(p) {
		return {
			method: 'PUT',
			path: '/v1.0/rooms/groups',
			body: {
				unionId: p.requiredString('unionId'),
				groupName: p.requiredString('groupName'),
				groupId: p.requiredLong('groupId'),
			},
		};
	},
	output(response, _request, p) {
		return {
			groupId: p.requiredLong('groupId').value(),
			groupName: p.requiredString('groupName'),
			updated: response.result === true,
		};
	},
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a meeting room group',
	lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.get'],
	description: "Get a meeting room group's name and parent",
	properties: [groupLocator('The room group to get'), operatorUnionId()],
	errors: GROUP_ERRORS,
	build(p) {
		return {
			method: 'GET',
			path: `/v1.0/rooms/groups/${p.pathLong('groupId')}`,
			qs: { unionId: p.requiredString('unionId') },
		};
	},
	// The answer is flat: {groupId, groupName, parentId}.
	output: (response) => response,
};

const getAll: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many meeting room groups',
	lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.getAll'],
	description: "List the organization's meeting room groups",
	properties: [operatorUnionId()],
	errors: GROUP_ERRORS,
	list: roomGroupList,
};

export const meetingRoomGroup: ResourceDefinition = {
	value: 'meetingRoomGroup',
	name: 'Meeting Room Group',
	description: 'Groups of meeting rooms (会议室分组)',
	operations: [create, remove, get, getAll, update],
	defaultOperation: 'create',
};
