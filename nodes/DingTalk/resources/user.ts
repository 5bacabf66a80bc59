import { DINGTALK_RATE_LIMITS } from '../transport';
import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition, ResourceDefinition } from '../../shared/types';
import { getAllUsers, searchUsers } from './department';

const USER_ERRORS = {
	'33012': 'The user ID is invalid. Check User ID.',
	'400002': 'A parameter is invalid.',
	'40104': 'The mobile number is not valid in this organization.',
	'60121': 'No employee was found.',
	'-1': 'DingTalk is busy. Try again later.',
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a user',
	lane: DINGTALK_RATE_LIMITS['user.get'],
	description:
		"Get a user's details by userId, including the unionid that the rooms and conference APIs need",
	properties: [
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			description:
				"The employee's userId: from Get by Mobile, Get by Union ID, or the DingTalk admin console (员工UserID)",
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			options: [
				{ name: 'Chinese', value: 'zh_CN' },
				{ name: 'English', value: 'en_US' },
			],
			default: 'zh_CN',
			description: 'Language of the department and role names in the answer',
		},
	],
	errors: USER_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: '/topapi/v2/user/get',
		style: 'legacy',
		idempotent: true,
		body: {
			userid: p.requiredString('userId'),
			language: p.choice('language', ['zh_CN', 'en_US'], 'zh_CN'),
		},
	}),
	output: (response) => (response.result as IDataObject) ?? {},
};

const getByMobile: OperationDefinition = {
	value: 'getByMobile',
	name: 'Get by Mobile',
	action: 'Get a user ID by mobile number',
	lane: DINGTALK_RATE_LIMITS['user.getByMobile'],
	description: "Find an active employee's userId from a mobile number (internal apps only)",
	properties: [
		{
			displayName: 'Mobile',
			name: 'mobile',
			type: 'string',
			required: true,
			default: '',
			placeholder: '13800000000',
		},
	],
	errors: USER_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: '/topapi/v2/user/getbymobile',
		style: 'legacy',
		idempotent: true,
		body: { mobile: p.requiredString('mobile') },
	}),
	output: (response, _request, p) => ({
		mobile: p.requiredString('mobile'),
		userId: ((response.result ?? {}) as IDataObject).userid ?? null,
	}),
};

const getByUnionId: OperationDefinition = {
	value: 'getByUnionId',
	name: 'Get by Union ID',
	action: 'Get a user ID by union ID',
	lane: DINGTALK_RATE_LIMITS['user.getByUnionId'],
	description: 'Find a userId from a unionId',
	properties: [
		{
			displayName: 'Union ID',
			name: 'unionId',
			type: 'string',
			required: true,
			default: '',
			description: "The user's unionId",
		},
	],
	errors: USER_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: '/topapi/user/getbyunionid',
		style: 'legacy',
		idempotent: true,
		body: { unionid: p.requiredString('unionId') },
	}),
	output: (response, _request, p) => {
		const result = (response.result ?? {}) as IDataObject;
		return {
			unionId: p.requiredString('unionId'),
			userId: result.userid ?? null,
			contactType: result.contact_type ?? null,
		};
	},
};

export const user: ResourceDefinition = {
	value: 'user',
	name: 'User',
	description:
		'Look up the IDs other operations need (用户), list the users of a department, search users by name',
	operations: [get, getByMobile, getByUnionId, getAllUsers, searchUsers],
	defaultOperation: 'get',
};
