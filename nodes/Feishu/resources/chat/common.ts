import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { ParamReader } from '../../../shared/params';
import type { ErrorMeanings } from '../../../shared/types';
import { chatLocator, ID_TYPES, idType } from '../common';

/** Errors every chat API documents (group/chat pages). */
export const CHAT_ERRORS: ErrorMeanings = {
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

export const chatPath = (p: ParamReader) => `/open-apis/im/v1/chats/${p.pathId('chatId')}`;

export const chatId = chatLocator(
	'The group chat: pick one of the chats the bot is in, or enter its chat_id',
);

export const USER_ID_TYPE = idType(
	'userIdType',
	'User ID Type',
	'The kind of user IDs given and returned',
);
export const userIdType = (p: ParamReader) => p.choice('userIdType', ID_TYPES, 'open_id');

/** Member IDs to add or remove: users, or bots by their App ID. */
export const MEMBER_ID_TYPE: INodeProperties = {
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
export const chatFields = (forUpdate: boolean): INodeProperties[] => [
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

export function chatBody(
	p: ParamReader,
	collection: string,
	label: string,
): Record<string, unknown> {
	const fields = (p.raw(collection, {}) ?? {}) as IDataObject;
	const body: Record<string, unknown> = {};
	for (const key of STRING_FIELDS) {
		const value = p.optionalString(`${collection}.${key}`, fields[key], `${label} › ${key}`);
		if (value !== undefined) body[key] = value;
	}
	return body;
}
