import { FEISHU_RATE_LIMITS } from '../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';
import type {
	ErrorMeanings,
	ListSpec,
	OperationDefinition,
	ResourceDefinition,
} from '../../shared/types';
import { chatLocator, feishuList, ID_TYPES, idType } from './common';
import { uuidOf, uuidOption } from './message/send';

/** Errors every chat API documents (group/chat pages). */
const CHAT_ERRORS: ErrorMeanings = {
	'232001': 'A parameter is invalid.',
	'232004': 'The app does not exist.',
	'232006': 'The chat ID is invalid.',
	'232009': 'The chat has been dissolved.',
	'232010': 'The bot and the chat belong to different tenants.',
	'232011': 'The bot is not in this chat. Add the bot to the group first.',
	'232019': 'Too many changes to this chat at once: Feishu asks to call serially per chat.',
	'232025': "The app's bot capability is not enabled.",
	'232033': 'No permission for this external chat.',
	'232034': 'The app is not installed or not enabled in this tenant.',
};

const chatPath = (p: ParamReader) => `/open-apis/im/v1/chats/${p.pathId('chatId')}`;

const chatId = chatLocator(
	'The group chat: pick one of the chats the bot is in, or enter its chat_id',
);

const USER_ID_TYPE = idType(
	'userIdType',
	'User ID Type',
	'The kind of user IDs given and returned',
);
const userIdType = (p: ParamReader) => p.choice('userIdType', ID_TYPES, 'open_id');

/** Member IDs to add or remove: users, or bots by their App ID. */
const MEMBER_ID_TYPE: INodeProperties = {
	...idType('memberIdType', 'Member ID Type', 'The kind of IDs in Member IDs'),
	options: [
		...(idType('', '', '').options ?? []),
		{ name: 'App ID (Bots)', value: 'app_id', description: "A bot's app ID (cli_…)" },
	],
};

/** Who sees "X joined" / "X left" notices in the chat. */
const visibility = (name: string, displayName: string): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	options: [
		{ name: 'All Members', value: 'all_members' },
		{ name: 'Not Anyone', value: 'not_anyone' },
		{ name: 'Only Owner', value: 'only_owner' },
	],
	default: 'all_members',
});

/** Chat settings shared by create and update. */
const chatFields = (forUpdate: boolean): INodeProperties[] => [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'Up to 60 characters suggested; public chats need at least 2',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'Up to 100 characters suggested',
	},
	{
		displayName: 'Avatar Image Key',
		name: 'avatar',
		type: 'string',
		default: '',
		description: 'An image_key from Image › Upload with image type Avatar',
	},
	{
		displayName: forUpdate ? 'New Owner ID' : 'Owner ID',
		name: 'owner_id',
		type: 'string',
		default: '',
		description: forUpdate
			? 'Transfer ownership to this user (a member of the chat)'
			: 'The owner; left empty, the bot owns the chat',
	},
	{
		displayName: 'Chat Type',
		name: 'chat_type',
		type: 'options',
		options: [
			{ name: 'Private', value: 'private' },
			{ name: 'Public', value: 'public' },
		],
		default: 'private',
	},
	visibility('join_message_visibility', 'Join Message Visibility'),
	visibility('leave_message_visibility', 'Leave Message Visibility'),
	{
		displayName: 'Membership Approval',
		name: 'membership_approval',
		type: 'options',
		options: [
			{ name: 'No Approval Required', value: 'no_approval_required' },
			{ name: 'Approval Required', value: 'approval_required' },
		],
		default: 'no_approval_required',
	},
];

const STRING_FIELDS = [
	'name',
	'description',
	'avatar',
	'owner_id',
	'chat_type',
	'join_message_visibility',
	'leave_message_visibility',
	'membership_approval',
];

function chatBody(p: ParamReader, collection: string, label: string): Record<string, unknown> {
	const fields = (p.raw(collection, {}) ?? {}) as IDataObject;
	const body: Record<string, unknown> = {};
	for (const key of STRING_FIELDS) {
		const value = p.optionalString(`${collection}.${key}`, fields[key], `${label} › ${key}`);
		if (value !== undefined) body[key] = value;
	}
	return body;
}

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a group chat',
	lane: FEISHU_RATE_LIMITS['chat.create'],
	description: 'Create a group chat with the bot in it, optionally with users and bots',
	properties: [
		USER_ID_TYPE,
		{
			displayName: 'User IDs',
			name: 'userIds',
			type: 'string',
			default: '',
			description: 'Users to invite, separated by commas (at most 50)',
		},
		{
			displayName: 'Bot App IDs',
			name: 'botIds',
			type: 'string',
			default: '',
			description: 'App IDs (cli_…) of bots to add, separated by commas (at most 5)',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: chatFields(false),
		},
	],
	extraOptions: [
		{
			...uuidOption,
			description:
				'Feishu creates at most one chat per key and owner within 10 hours. Left empty, the node derives one from the execution, node and item. Up to 50 characters.',
		},
	],
	errors: {
		...CHAT_ERRORS,
		'232020': "A public chat's name must be at least 2 characters.",
		'232021': 'A bot was not found.',
		'232022': 'An invited user has resigned.',
		'232023': 'The content review failed.',
		'232030': 'A user ID is invalid.',
		'232032': 'The owner is in a different tenant.',
		'232042': 'A public chat needs a name.',
		'232043': 'Some IDs in the lists are not available to the app.',
		'232068': 'The chat is still being created.',
		'232069': 'External chats cannot be public.',
		'232091': 'The tenant does not allow public chats.',
	},
	build(p) {
		const users = p.stringList('userIds');
		const bots = p.stringList('botIds');
		if (users.length > 50)
			p.fail('userIds', `at most 50 users per chat creation, got ${users.length}`);
		if (bots.length > 5) p.fail('botIds', `at most 5 bots per chat creation, got ${bots.length}`);
		const body = chatBody(p, 'additionalFields', 'Additional Fields');
		if (users.length > 0) body.user_id_list = users;
		if (bots.length > 0) body.bot_id_list = bots;
		const uuid = uuidOf(p, 'chat.create');
		return {
			method: 'POST',
			path: '/open-apis/im/v1/chats',
			qs: { user_id_type: userIdType(p), uuid },
			body,
			idempotencyKey: uuid,
		};
	},
	output: (response) => response,
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a chat',
	lane: FEISHU_RATE_LIMITS['chat.get'],
	description: "Get a chat's name, owner, settings and member counts",
	properties: [chatId, USER_ID_TYPE],
	errors: CHAT_ERRORS,
	build: (p) => ({ method: 'GET', path: chatPath(p), qs: { user_id_type: userIdType(p) } }),
	output: (response, _request, p) => ({ chat_id: p.requiredString('chatId'), ...response }),
};

export const chatList: ListSpec = feishuList(
	100,
	'items',
	() => '/open-apis/im/v1/chats',
	(p) => ({ user_id_type: userIdType(p) }),
);

const getAll: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many chats',
	lane: FEISHU_RATE_LIMITS['chat.getAll'],
	description: 'List the group chats the bot is in (one-to-one chats are not listed)',
	properties: [USER_ID_TYPE],
	errors: CHAT_ERRORS,
	list: chatList,
};

const search: OperationDefinition = {
	value: 'search',
	name: 'Search',
	action: 'Search chats',
	lane: FEISHU_RATE_LIMITS['chat.search'],
	description: 'Find group chats the bot can see by a keyword in their name or members',
	properties: [
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			required: true,
			default: '',
			description: 'The keyword, up to 64 characters',
		},
		USER_ID_TYPE,
	],
	errors: CHAT_ERRORS,
	list: feishuList(
		100,
		'items',
		() => '/open-apis/im/v1/chats/search',
		(p) => {
			const query = p.requiredString('query');
			if (query.length > 64)
				p.fail(
					'query',
					`at most 64 characters (Feishu returns nothing for longer keywords), got ${query.length}`,
				);
			return { query, user_id_type: userIdType(p) };
		},
	),
};

const update: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Update a chat',
	lane: FEISHU_RATE_LIMITS['chat.update'],
	description: "Change a chat's name, description, avatar, owner or settings",
	properties: [
		chatId,
		USER_ID_TYPE,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: chatFields(true),
		},
	],
	errors: {
		...CHAT_ERRORS,
		'232002': 'Only the owner or an admin may change this.',
		'232008': 'This chat type does not support the change.',
		'232012': 'The new owner is not in the chat.',
		'232016': 'Members who are not admins can change only the avatar, name and description.',
		'232026': 'A public chat with this name already exists.',
		'232031': 'Ownership cannot move to another tenant.',
		'232035': 'The owner ID is invalid.',
		'232041': 'The avatar image key is invalid.',
	},
	build(p) {
		const body = chatBody(p, 'updateFields', 'Update Fields');
		if (Object.keys(body).length === 0) p.fail('updateFields', 'add at least one field to update');
		return { method: 'PUT', path: chatPath(p), qs: { user_id_type: userIdType(p) }, body };
	},
	output: (_response, request, p) => ({
		chat_id: p.requiredString('chatId'),
		...(request.body as IDataObject),
		updated: true,
	}),
};

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete (Dissolve)',
	action: 'Dissolve a chat',
	lane: FEISHU_RATE_LIMITS['chat.delete'],
	description: 'Dissolve (解散) a group chat the bot owns or created. Its history is not kept.',
	properties: [chatId],
	errors: {
		...CHAT_ERRORS,
		'232008': 'Only group chats can be dissolved.',
		'232017': "The bot is not the chat's owner or creator.",
		'232024': 'No visibility or collaboration permission.',
	},
	build: (p) => ({ method: 'DELETE', path: chatPath(p) }),
	output: (_response, _request, p) => ({ chat_id: p.requiredString('chatId'), deleted: true }),
};

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

const addMembers: OperationDefinition = {
	value: 'addMembers',
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

const removeMembers: OperationDefinition = {
	value: 'removeMembers',
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

const getMembers: OperationDefinition = {
	value: 'getMembers',
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

export const chat: ResourceDefinition = {
	value: 'chat',
	name: 'Chat',
	description: 'Group chats the bot is in (群组)',
	operations: [create, get, getAll, search, update, remove, addMembers, removeMembers, getMembers],
	defaultOperation: 'create',
};
