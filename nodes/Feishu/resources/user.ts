import { FEISHU_RATE_LIMITS } from '../transport';
import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition, ResourceDefinition } from '../../shared/types';
import { checkIdKinds, ID_TYPES, idType } from './common';
import { getAllUsers, searchUsers } from './department';

const USER_ERRORS = {
	'40001': 'A parameter is invalid.',
	'40003': 'Feishu had an internal error. Try again later.',
	'41012': 'The user ID is invalid for the chosen User ID Type.',
	'41050': "The user is outside the app's contacts range.",
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a user',
	lane: FEISHU_RATE_LIMITS['user.get'],
	description: "Get a user's profile and all of their IDs",
	properties: [
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			description: "The user's ID, of the type chosen below",
		},
		idType('userIdType', 'User ID Type', 'The kind of ID given in User ID'),
	],
	errors: USER_ERRORS,
	build(p) {
		const userId = p.pathId('userId');
		const userIdType = p.choice('userIdType', ID_TYPES, 'open_id');
		checkIdKinds(p, 'userId', [userId], userIdType, 'userIdType');
		return {
			method: 'GET',
			path: `/open-apis/contact/v3/users/${userId}`,
			qs: { user_id_type: userIdType },
		};
	},
	output: (response) => (response.user as IDataObject) ?? {},
};

const getIdsByEmailOrMobile: OperationDefinition = {
	value: 'getIdsByEmailOrMobile',
	actsAs: ['app'],
	name: 'Get IDs by Email or Mobile',
	action: 'Get user IDs by email or mobile',
	lane: FEISHU_RATE_LIMITS['user.getIdsByEmailOrMobile'],
	description: "Find users' IDs from their emails or mobile numbers (up to 50 of each)",
	properties: [
		{
			displayName: 'Emails',
			name: 'emails',
			type: 'string',
			default: '',
			description: 'Comma-separated emails (not enterprise mailboxes), at most 50',
		},
		{
			displayName: 'Mobiles',
			name: 'mobiles',
			type: 'string',
			default: '',
			description:
				'Comma-separated mobile numbers, at most 50; outside mainland China prefix +country code',
		},
		idType('userIdType', 'User ID Type', 'The kind of ID to return'),
		{
			displayName: 'Include Resigned',
			name: 'includeResigned',
			type: 'boolean',
			default: false,
			description: 'Whether resigned users are included',
		},
	],
	errors: USER_ERRORS,
	build(p) {
		const emails = p.stringList('emails');
		const mobiles = p.stringList('mobiles');
		if (emails.length === 0 && mobiles.length === 0)
			p.fail('emails', 'give at least one email or mobile');
		if (emails.length > 50) p.fail('emails', `at most 50 per call, got ${emails.length}`);
		if (mobiles.length > 50) p.fail('mobiles', `at most 50 per call, got ${mobiles.length}`);
		const body: Record<string, unknown> = { include_resigned: p.boolean('includeResigned') };
		if (emails.length > 0) body.emails = emails;
		if (mobiles.length > 0) body.mobiles = mobiles;
		return {
			method: 'POST',
			path: '/open-apis/contact/v3/users/batch_get_id',
			idempotent: true,
			qs: { user_id_type: p.choice('userIdType', ID_TYPES, 'open_id') },
			body,
		};
	},
	// One item per email or mobile asked for; user_id is absent when nobody matched.
	output: (response) =>
		((response.user_list as IDataObject[] | undefined) ?? []).map((u) => ({ user_id: null, ...u })),
};

export const user: ResourceDefinition = {
	value: 'user',
	name: 'User',
	description: 'Look up users and their IDs, list the users of a department, search users by name',
	operations: [get, getIdsByEmailOrMobile, getAllUsers, searchUsers],
	defaultOperation: 'get',
};
