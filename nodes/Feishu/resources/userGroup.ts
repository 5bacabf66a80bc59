import type { OperationDefinition, ResourceDefinition } from '../../shared/types';

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a user group',
	description: 'Delete a user group (用户组). It must have no members; dynamic groups cannot be deleted by API.',
	properties: [
		{
			displayName: 'Group ID',
			name: 'groupId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'g1837191',
			description:
				'ID of the user group to delete. It is returned when the group is created, and listed by the user group list (simplelist) API.',
		},
	],
	errors: {
		'40003': 'Feishu had an internal error. Retry, or contact Feishu support with the request ID.',
		'42002': 'The user group ID is invalid. Check Group ID against the user group list.',
		'42009':
			'The app\'s contacts permission scope is not "All members". Set the app\'s contact range to all members in the developer console.',
		'42017': 'The group still has members and cannot be deleted. Remove its members first.',
		'42015': 'The user group feature is not enabled for this tenant. Contact Feishu support.',
	},
	build(p) {
		return { method: 'DELETE', path: `/open-apis/contact/v3/group/${p.pathId('groupId')}` };
	},
	output(_response, _request, p) {
		return { groupId: p.requiredString('groupId'), deleted: true };
	},
};

export const userGroup: ResourceDefinition = {
	value: 'userGroup',
	name: 'User Group',
	description: 'User groups in contacts (用户组)',
	operations: [remove],
};
