import { FEISHU_RATE_LIMITS } from '../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';

import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { feishuPage, GROUP_ERRORS, ID_TYPES, idType, userGroupLocator } from './common';

const NAME_ERRORS = {
	'42001': 'The group name is required.',
	'42013': 'The group name is longer than 100 characters.',
	'42014': 'The description is longer than 500 characters.',
	'47009': 'A group with this name already exists.',
};

const groupPath = (id: string) => `/open-apis/contact/v3/group/${id}`;

/** Normal (1) or dynamic (2) groups, for the list APIs that filter by it. */
const GROUP_TYPE: INodeProperties = {
	displayName: 'Group Type',
	name: 'groupType',
	type: 'options',
	options: [
		{ name: 'Normal', value: '1' },
		{ name: 'Dynamic', value: '2' },
	],
	default: '1',
};
const groupType = (p: ParamReader) =>
	p.choice('groupType', ['1', '2'] as const, '1') === '2' ? 2 : 1;

/** GET /open-apis/contact/v3/group/simplelist: pages of up to 100 with page_token / has_more. */
export const userGroupList: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: '/open-apis/contact/v3/group/simplelist',
		qs: { page_size: pageSize, type: groupType(p), ...(cursor ? { page_token: cursor } : {}) },
	}),
	read: (response) => feishuPage(response, 'grouplist'),
};

const create: OperationDefinition = {
	value: 'create',
	actsAs: ['app'],
	name: 'Create',
	action: 'Create a user group',
	lane: FEISHU_RATE_LIMITS['userGroup.create'],
	description: "Create a user group (用户组). The app's contacts range must be all members.",
	properties: [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			description: 'Unique in the tenant, up to 100 characters',
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
					default: '',
					description: 'Up to 500 characters',
				},
				{
					displayName: 'Custom Group ID',
					name: 'group_id',
					type: 'string',
					default: '',
					description:
						'Your own ID for the group: letters and digits, up to 64. Left empty, Feishu generates one.',
				},
			],
		},
	],
	errors: {
		...GROUP_ERRORS,
		...NAME_ERRORS,
		'42002': 'The custom group ID is invalid (letters and digits only, up to 64).',
		'42003': 'Only normal groups (type 1) can be created by API.',
		'42010': "The app's contacts range is not all members.",
		'47005': 'A group with this custom ID already exists.',
		'42016': 'The tenant already has 500 user groups.',
	},
	build(p) {
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const body: Record<string, unknown> = { name: p.requiredString('name') };
		const description = p.optionalString(
			'additionalFields.description',
			extra.description,
			'Additional Fields › Description',
		);
		if (description !== undefined) body.description = description;
		const groupId = p.optionalString(
			'additionalFields.group_id',
			extra.group_id,
			'Additional Fields › Custom Group ID',
		);
		if (groupId !== undefined) body.group_id = groupId;
		return { method: 'POST', path: '/open-apis/contact/v3/group', body };
	},
	output: (response, request) => ({
		groupId: response.group_id as string,
		...(request.body as IDataObject),
	}),
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app'],
	name: 'Get',
	action: 'Get a user group',
	lane: FEISHU_RATE_LIMITS['userGroup.get'],
	description: "Get a user group's name, description and member counts",
	properties: [userGroupLocator('The user group to get')],
	errors: {
		...GROUP_ERRORS,
		'42029': 'The group uses settings the API does not support; manage it in the admin console.',
	},
	build: (p) => ({ method: 'GET', path: groupPath(p.pathId('groupId')) }),
	output: (response) => (response.group as IDataObject) ?? {},
};

const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app'],
	name: 'Get Many',
	action: 'Get many user groups',
	lane: FEISHU_RATE_LIMITS['userGroup.getAll'],
	description: "List the tenant's user groups",
	properties: [GROUP_TYPE],
	errors: GROUP_ERRORS,
	list: userGroupList,
};

const update: OperationDefinition = {
	value: 'update',
	actsAs: ['app'],
	name: 'Update',
	action: 'Update a user group',
	lane: FEISHU_RATE_LIMITS['userGroup.update'],
	description: "Change a user group's name or description (not for dynamic groups)",
	properties: [
		userGroupLocator('The user group to update'),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			],
		},
	],
	errors: { ...GROUP_ERRORS, ...NAME_ERRORS },
	build(p) {
		const fields = (p.raw('updateFields', {}) ?? {}) as IDataObject;
		const body: Record<string, unknown> = {};
		const name = p.optionalString('updateFields.name', fields.name, 'Update Fields › Name');
		const description = p.optionalString(
			'updateFields.description',
			fields.description,
			'Update Fields › Description',
		);
		if (name !== undefined) body.name = name;
		if (description !== undefined) body.description = description;
		if (Object.keys(body).length === 0) p.fail('updateFields', 'add at least one field to update');
		return { method: 'PATCH', path: groupPath(p.pathId('groupId')), body };
	},
	output: (_response, request, p) => ({
		groupId: p.requiredString('groupId'),
		...(request.body as IDataObject),
		updated: true,
	}),
};

const remove: OperationDefinition = {
	value: 'delete',
	actsAs: ['app'],
	name: 'Delete',
	action: 'Delete a user group',
	lane: FEISHU_RATE_LIMITS['userGroup.delete'],
	description:
		'Delete a user group (用户组). It must have no members; dynamic groups cannot be deleted by API.',
	properties: [
		userGroupLocator('The user group to delete. It is returned by Create and listed by Get Many.'),
	],
	errors: {
		...GROUP_ERRORS,
		'42009':
			'The app\'s contacts permission scope is not "All members". Set the app\'s contact range to all members in the developer console.',
		'42017': 'The group still has members and cannot be deleted. Remove its members first.',
	},
	build: (p) => ({ method: 'DELETE', path: groupPath(p.pathId('groupId')) }),
	output: (_response, _request, p) => ({ groupId: p.requiredString('groupId'), deleted: true }),
};

/** GET /open-apis/contact/v3/group/member_belong: group IDs only, pages of up to 1000. */
const membershipList: ListSpec = {
	maxPageSize: 1000,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: '/open-apis/contact/v3/group/member_belong',
		qs: {
			member_id: p.requiredString('memberId'),
			member_id_type: p.choice('memberIdType', ID_TYPES, 'open_id'),
			group_type: groupType(p),
			page_size: pageSize,
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => {
		const page = feishuPage(response, 'group_list');
		// member_belong lists bare group IDs.
		return {
			...page,
			records: (page.records as unknown as string[]).map((groupId) => ({ groupId })),
		};
	},
};

const getMemberships: OperationDefinition = {
	value: 'getMemberships',
	actsAs: ['app'],
	name: 'Get Memberships',
	action: 'Get the user groups of a member',
	lane: FEISHU_RATE_LIMITS['userGroup.getMemberships'],
	description: 'List the IDs of the user groups a user belongs to',
	properties: [
		{
			displayName: 'Member ID',
			name: 'memberId',
			type: 'string',
			required: true,
			default: '',
			description: "The user's ID, of the type chosen below",
		},
		idType('memberIdType', 'Member ID Type', 'The kind of ID given in Member ID'),
		GROUP_TYPE,
	],
	errors: {
		...GROUP_ERRORS,
		'41071': 'The member ID type is invalid.',
		'41073': 'The member ID is invalid.',
		'41074': 'The group type is invalid.',
		'41050': "The user is outside the app's contacts range.",
	},
	list: membershipList,
};

export const userGroup: ResourceDefinition = {
	value: 'userGroup',
	name: 'User Group',
	description: 'User groups in contacts (用户组)',
	operations: [create, remove, get, getAll, getMemberships, update],
	defaultOperation: 'delete',
};
