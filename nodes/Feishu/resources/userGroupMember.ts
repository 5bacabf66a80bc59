import { FEISHU_RATE_LIMITS } from '../transport';
import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';
import type {
	ApiRequest,
	ListSpec,
	OperationDefinition,
	ResourceDefinition,
} from '../../shared/types';
import {
	checkIdKinds,
	feishuPage,
	GROUP_ERRORS,
	ID_TYPES,
	idType,
	userGroupLocator,
} from './common';

const MEMBER_ERRORS = {
	...GROUP_ERRORS,
	'40004': 'The app has no authority over the department.',
	'41050': "The user is outside the app's contacts range.",
	'41071': 'The member ID type is invalid.',
	'41072': 'The member type does not match the member ID type.',
	'41073': 'The member ID is invalid. Check it against the chosen Member ID Type.',
	'41074': 'The member type is invalid (only users can be added or removed).',
	'42005': 'The user is already a member of the group.',
	'42006': 'The user has resigned.',
	'42011': 'The group already has the maximum number of departments.',
	'42012': 'The group already has the maximum number of users.',
	'40022': 'Some members could not be removed.',
};

const memberPath = (p: ParamReader, action: string) =>
	`/open-apis/contact/v3/group/${p.pathId('groupId')}/member/${action}`;

const memberIdField = {
	displayName: 'Member ID',
	name: 'memberId',
	type: 'string' as const,
	required: true,
	default: '',
	description: "The user's ID, of the type chosen below",
};
const memberIdsField = {
	displayName: 'Member IDs',
	name: 'memberIds',
	type: 'string' as const,
	required: true,
	default: '',
	description:
		'Comma-separated user IDs, of the type chosen below. More than 100 are sent in several calls of 100.',
};
const memberIdTypeField = idType('memberIdType', 'Member ID Type', 'The kind of user ID given');

/** batch_add / batch_remove take 1 to 100 members per call. */
function batches(p: ParamReader, action: string): ApiRequest[] {
	const ids = p.stringList('memberIds');
	if (ids.length === 0) p.failEmpty('memberIds');
	const memberIdType = p.choice('memberIdType', ID_TYPES, 'open_id');
	checkIdKinds(p, 'memberIds', ids, memberIdType, 'memberIdType');
	const requests: ApiRequest[] = [];
	for (let i = 0; i < ids.length; i += 100) {
		const members = ids
			.slice(i, i + 100)
			.map((member_id) => ({ member_id, member_type: 'user', member_id_type: memberIdType }));
		requests.push({ method: 'POST', path: memberPath(p, action), body: { members } });
	}
	return requests;
}

function single(p: ParamReader, action: string): ApiRequest {
	const memberIdType = p.choice('memberIdType', ID_TYPES, 'open_id');
	const memberId = p.requiredString('memberId');
	checkIdKinds(p, 'memberId', [memberId], memberIdType, 'memberIdType');
	return {
		method: 'POST',
		path: memberPath(p, action),
		body: { member_type: 'user', member_id_type: memberIdType, member_id: memberId },
	};
}

const add: OperationDefinition = {
	value: 'add',
	actsAs: ['app'],
	name: 'Add',
	action: 'Add a member to a user group',
	lane: FEISHU_RATE_LIMITS['userGroupMember.add'],
	description: 'Add one user to a normal user group',
	properties: [
		userGroupLocator('The user group to add the user to'),
		memberIdField,
		memberIdTypeField,
	],
	errors: MEMBER_ERRORS,
	build: (p) => single(p, 'add'),
	output: (_response, _request, p) => ({
		groupId: p.requiredString('groupId'),
		memberId: p.requiredString('memberId'),
		added: true,
	}),
};

const addMany: OperationDefinition = {
	value: 'addMany',
	actsAs: ['app'],
	name: 'Add Many',
	action: 'Add members to a user group',
	lane: FEISHU_RATE_LIMITS['userGroupMember.addMany'],
	description: "Add up to 100 users per call to a normal user group; reports each member's result",
	properties: [
		userGroupLocator('The user group to add the users to'),
		memberIdsField,
		memberIdTypeField,
	],
	errors: MEMBER_ERRORS,
	build: (p) => batches(p, 'batch_add'),
	output: (_response, _request, p, responses) => {
		const results = responses.flatMap((r) => (r.results as IDataObject[] | undefined) ?? []);
		return {
			groupId: p.requiredString('groupId'),
			added: results.filter((r) => r.code === 0).map((r) => r.member_id),
			failed: results
				.filter((r) => r.code !== 0)
				.map((r) => ({ memberId: r.member_id, code: r.code })),
		};
	},
};

const remove: OperationDefinition = {
	value: 'remove',
	actsAs: ['app'],
	name: 'Remove',
	action: 'Remove a member from a user group',
	lane: FEISHU_RATE_LIMITS['userGroupMember.remove'],
	description: 'Remove one user from a normal user group',
	properties: [
		userGroupLocator('The user group to remove the user from'),
		memberIdField,
		memberIdTypeField,
	],
	errors: MEMBER_ERRORS,
	build: (p) => single(p, 'remove'),
	output: (_response, _request, p) => ({
		groupId: p.requiredString('groupId'),
		memberId: p.requiredString('memberId'),
		removed: true,
	}),
};

const removeMany: OperationDefinition = {
	value: 'removeMany',
	actsAs: ['app'],
	name: 'Remove Many',
	action: 'Remove members from a user group',
	lane: FEISHU_RATE_LIMITS['userGroupMember.removeMany'],
	description: 'Remove up to 100 users per call from a normal user group',
	properties: [
		userGroupLocator('The user group to remove the users from'),
		memberIdsField,
		memberIdTypeField,
	],
	errors: MEMBER_ERRORS,
	build: (p) => batches(p, 'batch_remove'),
	output: (_response, _request, p, responses) => ({
		groupId: p.requiredString('groupId'),
		removed: p.stringList('memberIds'),
		calls: responses.length,
	}),
};

/** GET …/member/simplelist: users or departments, pages of up to 100. */
const memberList: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => {
		const memberType = p.choice('memberType', ['user', 'department'] as const, 'user');
		return {
			method: 'GET',
			path: memberPath(p, 'simplelist'),
			qs: {
				page_size: pageSize,
				member_type: memberType,
				member_id_type:
					memberType === 'department' ? 'open_id' : p.choice('memberIdType', ID_TYPES, 'open_id'),
				...(cursor ? { page_token: cursor } : {}),
			},
		};
	},
	read: (response) => feishuPage(response, 'memberlist'),
};

const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app'],
	name: 'Get Many',
	action: 'Get many members of a user group',
	lane: FEISHU_RATE_LIMITS['userGroupMember.getAll'],
	description: "List a user group's users or departments",
	properties: [
		userGroupLocator('The user group whose members to list'),
		{
			displayName: 'Member Type',
			name: 'memberType',
			type: 'options',
			options: [
				{ name: 'Users', value: 'user' },
				{
					name: 'Departments',
					value: 'department',
					description: 'Listed with their open department IDs',
				},
			],
			default: 'user',
		},
		{
			...memberIdTypeField,
			description: 'The kind of user ID to return',
			displayOptions: { show: { memberType: ['user'] } },
		},
	],
	errors: MEMBER_ERRORS,
	list: memberList,
};

export const userGroupMember: ResourceDefinition = {
	value: 'userGroupMember',
	name: 'User Group Member',
	description: 'Members of user groups',
	operations: [add, addMany, getAll, remove, removeMany],
	defaultOperation: 'add',
};
