import { FEISHU_RATE_LIMITS } from '../../transport';
import type { INodeProperties } from 'n8n-workflow';
import type { ParamReader } from '../../../shared/params';
import type { OperationDefinition } from '../../../shared/types';
import { feishuList, ID_TYPES, idType } from '../common';
import { checkIdKinds } from '../common';
import { CHAT_ERRORS, chatPath, chatId, MEMBER_ID_TYPE } from './common';

const memberIds: INodeProperties = {
	displayName: 'Member IDs',
	name: 'memberIds',
	type: 'string',
	required: true,
	default: '',
	description: 'IDs of the chosen type, separated by commas: at most 50 users or 5 bots per item',
};

function membersRequest(p: ParamReader, method: 'POST' | 'DELETE') {
	const ids = p.stringList('memberIds');
	const type = p.choice(
		'memberIdType',
		['open_id', 'union_id', 'user_id', 'app_id'] as const,
		'open_id',
	);
	if (ids.length === 0) p.failEmpty('memberIds');
	checkIdKinds(p, 'memberIds', ids, type, 'memberIdType');
	const max = type === 'app_id' ? 5 : 50;
	if (ids.length > max)
		p.fail(
			'memberIds',
			`at most ${max} ${type === 'app_id' ? 'bots' : 'users'} per item, got ${ids.length}`,
		);
	return {
		method,
		path: `${chatPath(p)}/members`,
		qs: { member_id_type: type },
		body: { id_list: ids },
	};
}

export const addMembers: OperationDefinition = {
	value: 'addMembers',
	actsAs: ['app', 'user'],
	name: 'Add Members',
	action: 'Add members to a chat',
	lane: FEISHU_RATE_LIMITS['chat.addMembers'],
	description:
		'Add users or bots to a group chat; IDs that cannot be added are listed in the output',
	properties: [chatId, MEMBER_ID_TYPE, memberIds],
	errors: {
		...CHAT_ERRORS,
		'232013': 'The chat has reached its member limit.',
		'232017': 'Only the owner or admins may add members to this chat.',
		'232024': 'No visibility or collaboration permission.',
		'232027': 'None of the members are valid.',
		'232028': 'External users cannot join an internal chat.',
		'232043': 'Some IDs are not available to the app.',
		'232044': 'The admin-set member limit is reached.',
		'232090': 'This chat type does not support adding members.',
		'99992351': 'Some open_ids do not exist.',
		'99992360': 'Some user_ids do not exist.',
		'99992364': 'Some union_ids do not exist.',
	},
	// Adding someone who is already a member changes nothing: safe to send again.
	build: (p) => ({
		...membersRequest(p, 'POST'),
		qs: { ...membersRequest(p, 'POST').qs, succeed_type: 1 },
		idempotent: true,
	}),
	output: (response, _request, p) => ({ chat_id: p.requiredString('chatId'), ...response }),
};

export const removeMembers: OperationDefinition = {
	value: 'removeMembers',
	actsAs: ['app', 'user'],
	name: 'Remove Members',
	action: 'Remove members from a chat',
	lane: FEISHU_RATE_LIMITS['chat.removeMembers'],
	description: 'Remove users or bots from a group chat (the bot must own or administer it)',
	properties: [chatId, MEMBER_ID_TYPE, memberIds],
	errors: {
		...CHAT_ERRORS,
		'232007': 'The chat ID or a user ID is invalid.',
		'232014': 'The bot lacks permission to remove members.',
		'232027': 'None of the members are valid.',
		'232029': 'No member can become the new owner.',
		'232076': 'The owner cannot be removed.',
	},
	build: (p) => membersRequest(p, 'DELETE'),
	output: (response, _request, p) => ({ chat_id: p.requiredString('chatId'), ...response }),
};

export const getMembers: OperationDefinition = {
	value: 'getMembers',
	actsAs: ['app', 'user'],
	name: 'Get Members',
	action: 'Get the members of a chat',
	lane: FEISHU_RATE_LIMITS['chat.getMembers'],
	description: "List a chat's users (bots are not listed)",
	properties: [
		chatId,
		idType('memberIdType', 'Member ID Type', 'The kind of member IDs to return'),
	],
	errors: CHAT_ERRORS,
	list: feishuList(
		100,
		'items',
		(p) => `${chatPath(p)}/members`,
		(p) => ({ member_id_type: p.choice('memberIdType', ID_TYPES, 'open_id') }),
	),
};
