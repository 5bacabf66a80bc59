import type { ResourceDefinition } from '../../../shared/types';
import { create, get, getAll, search, update, remove } from './chats';
import { addMembers, removeMembers, getMembers } from './members';

export const chat: ResourceDefinition = {
	value: 'chat',
	name: 'Chat',
	description: 'Group chats the bot is in (群组)',
	operations: [create, get, getAll, search, update, remove, addMembers, removeMembers, getMembers],
	defaultOperation: 'create',
};
export { chatList } from './chats';
