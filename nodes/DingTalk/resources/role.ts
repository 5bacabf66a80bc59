import type { OperationDefinition, ResourceDefinition } from '../../shared/types';

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a role',
	description: 'Delete a role (角色). Remove it from every employee first; roles in the Default group cannot be deleted.',
	properties: [
		{
			displayName: 'Role ID',
			name: 'roleId',
			type: 'string',
			required: true,
			default: '',
			description:
				'ID of the role to delete (a number). Get it from the role list (Get role list API). Roles in the Default group (Owner, Manager, Super Admin, Sub Admin) cannot be deleted.',
		},
	],
	errors: {
		'33011': 'The role ID is invalid. Check Role ID.',
		'23004': 'System roles cannot be edited or deleted. Check Role ID.',
		'1002': 'DingTalk is busy. Try again later.',
	},
	build(p) {
		return { method: 'POST', path: '/topapi/role/deleterole', style: 'legacy', body: { role_id: p.requiredLong('roleId') } };
	},
	output(response, _request, p) {
		return {
			roleId: p.requiredLong('roleId').value(),
			deleted: true,
			requestId: response.request_id ?? null,
		};
	},
};

export const role: ResourceDefinition = {
	value: 'role',
	name: 'Role',
	description: 'Roles in the organization\'s contacts (角色, legacy API)',
	operations: [remove],
};
