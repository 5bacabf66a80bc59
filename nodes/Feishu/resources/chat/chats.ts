import { FEISHU_RATE_LIMITS } from '../../transport';
import type { IDataObject } from 'n8n-workflow';
import type { ListSpec, OperationDefinition } from '../../../shared/types';
import { checkIdKinds, feishuList } from '../common';
import { uuidOf, uuidOption } from '../message/send';
import {
	CHAT_ERRORS,
	chatPath,
	chatId,
	USER_ID_TYPE,
	userIdType,
	chatFields,
	chatBody,
} from './common';

export const create: OperationDefinition = {
	value: 'create',
	actsAs: ['app'],
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
		checkIdKinds(p, 'userIds', users, userIdType(p), 'userIdType');
		checkIdKinds(p, 'botIds', bots, 'app_id');
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

export const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
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

export const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many chats',
	lane: FEISHU_RATE_LIMITS['chat.getAll'],
	description: 'List the group chats the bot is in (one-to-one chats are not listed)',
	properties: [USER_ID_TYPE],
	errors: CHAT_ERRORS,
	list: chatList,
};

export const search: OperationDefinition = {
	value: 'search',
	actsAs: ['app', 'user'],
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

export const update: OperationDefinition = {
	value: 'update',
	actsAs: ['app', 'user'],
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

export const remove: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
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
