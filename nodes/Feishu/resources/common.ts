import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { locator } from '../../shared/description';
import type { ParamReader } from '../../shared/params';
import { uuidKey } from '../../shared/params';
import type { ListSpec } from '../../shared/types';

export const ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;

/** Which kind of user ID the user gives or gets back (user_id_type / member_id_type). */
export const idType = (
	name: string,
	displayName: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'options',
	options: [
		{ name: 'Open ID', value: 'open_id', description: 'Per-app user ID (ou_…)' },
		{ name: 'Union ID', value: 'union_id', description: 'Per-developer user ID (on_…)' },
		{
			name: 'User ID',
			value: 'user_id',
			description: "The tenant's employee ID; needs the contact:user.employee_id:readonly scope",
		},
	],
	default: 'open_id',
	description,
});

export const userGroupLocator = (description: string): INodeProperties =>
	locator({
		name: 'groupId',
		displayName: 'User Group',
		description,
		searchListMethod: 'searchUserGroups',
		placeholder: 'g1837191',
	});

/** A group chat: From List (the chats the bot is in, searchable) or By ID (oc_…). */
export const chatLocator = (description: string): INodeProperties =>
	locator({
		name: 'chatId',
		displayName: 'Chat',
		description,
		searchListMethod: 'searchChats',
		placeholder: 'oc_a0553eda9014c201e6969b478895c230',
	});

export const GROUP_ERRORS = {
	'40001': 'A parameter is invalid.',
	'40003': 'Feishu had an internal error. Retry, or contact Feishu support with the request ID.',
	'40011': 'The page size is invalid.',
	'40012': 'The page token is invalid.',
	'42002': 'The user group ID is invalid. Check it against the user group list.',
	'42009':
		"The app's contacts permission scope does not cover this group. Set the app's contact range to all members in the developer console.",
	'42015': 'The user group feature is not enabled for this tenant. Contact Feishu support.',
};

/** Feishu list answers: the records under `field`, and page_token while has_more is true. */
export function feishuPage(
	response: IDataObject,
	field: string,
): { records: IDataObject[]; next?: string } {
	return {
		records: (response[field] as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	};
}

/** A GET list with page_size / page_token, whose records are under `field` (the im/v1 lists). */
export function feishuList(
	maxPageSize: number,
	field: string,
	path: (p: ParamReader) => string,
	qs: (p: ParamReader) => IDataObject,
): ListSpec {
	return {
		maxPageSize,
		page: (p, cursor, pageSize) => ({
			method: 'GET',
			path: path(p),
			qs: { ...qs(p), page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
		}),
		read: (response) => feishuPage(response, field),
	};
}

/** A uuidv4-shaped idempotency key (client_token), derived from this run, item and purpose: the same for every attempt. */
export const clientToken = (p: ParamReader, purpose: string): string => uuidKey(p, purpose);
