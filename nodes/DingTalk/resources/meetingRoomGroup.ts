import type { OperationDefinition, ResourceDefinition } from '../../shared/types';

const UNION_ID_DESCRIPTION =
	'The unionId of the operator, who must be a DingTalk admin. Get it from the DingTalk node\'s user lookup (Query user details, field unionid).';

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a meeting room group',
	description: 'Create a meeting room group (会议室分组)',
	properties: [
		{
			displayName: 'Operator Union ID',
			name: 'unionId',
			type: 'string',
			required: true,
			default: '',
			description: UNION_ID_DESCRIPTION,
		},
		{
			displayName: 'Parent Group ID',
			name: 'parentGroupId',
			type: 'number',
			required: true,
			default: 0,
			description:
				'ID of the parent group; 0 creates the group at the root. Get group IDs from the room group list (Query the room group list API).',
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
		'param.error': 'A required parameter is missing or invalid.',
		'user.not.admin': 'The operator (unionId) is not a DingTalk admin.',
		'group.too.much': 'The organization already has the maximum number of room groups.',
		'org.not.found': 'The organization was not found.',
		'group.not.found': 'The parent group does not exist. Check Parent Group ID (0 is the root).',
		'depth.over.limit': 'The group would be nested deeper than DingTalk allows.',
		'system.error': 'DingTalk had an internal error. Try again later.',
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
	description: 'Delete a meeting room group; it must have no sub-groups',
	properties: [
		{
			displayName: 'Group ID',
			name: 'groupId',
			type: 'string',
			required: true,
			default: '',
			description:
				'ID of the room group to delete. Get it from the room group list (Query the room group list API) or from Create\'s groupId. A group with sub-groups cannot be deleted.',
		},
		{
			displayName: 'Operator Union ID',
			name: 'unionId',
			type: 'string',
			required: true,
			default: '',
			description: UNION_ID_DESCRIPTION,
		},
	],
	errors: {
		'param.error': 'A required parameter is missing or invalid.',
		'group.not.found': 'The group does not exist. Check Group ID.',
		'org.not.found': 'The organization was not found.',
		'user.not.admin': 'The operator (unionId) is not a DingTalk admin.',
		'system.error': 'DingTalk had an internal error. Try again later.',
	},
	build(p) {
		const groupId = p.pathLong('groupId');
		return {
			method: 'DELETE',
			path: `/v1.0/rooms/groups/${groupId}`,
			qs: { unionId: p.requiredString('unionId') },
		};
	},
	output(response, _request, p) {
		return { groupId: p.requiredLong('groupId').value(), deleted: response.result === true };
	},
};

export const meetingRoomGroup: ResourceDefinition = {
	value: 'meetingRoomGroup',
	name: 'Meeting Room Group',
	description: 'Groups of meeting rooms (会议室分组)',
	operations: [create, remove],
};
