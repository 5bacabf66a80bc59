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

/**
 * The kinds of Feishu ID that show what they are: an open_id starts "ou_", a union_id "on_", a chat_id
 * "oc_", an open_department_id "od-", an app_id "cli_" and a meeting room's ID "omm_" (the ID pages'
 * formats). A user_id is the tenant's own employee ID, which may look like anything.
 */
const ID_PREFIXES: Array<{ prefix: string; kind: string; name: string }> = [
	{ prefix: 'ou_', kind: 'open_id', name: 'an Open ID (ou_…)' },
	{ prefix: 'on_', kind: 'union_id', name: 'a Union ID (on_…)' },
	{ prefix: 'oc_', kind: 'chat_id', name: 'a chat ID (oc_…)' },
	{ prefix: 'od-', kind: 'open_department_id', name: 'a department ID (od-…)' },
	{ prefix: 'cli_', kind: 'app_id', name: 'an app ID (cli_…)' },
	{ prefix: 'omm_', kind: 'room_id', name: 'a meeting room ID (omm_…)' },
];

const KIND_NAMES: Record<string, string> = {
	open_id: 'Open ID',
	union_id: 'Union ID',
	user_id: 'User ID',
	chat_id: 'Chat ID',
	email: 'Email',
	app_id: 'App ID',
	room_id: 'Room ID',
};

/**
 * Refuses, before any request, an ID that is plainly of another kind than the one chosen (for example a
 * Union ID under User ID Type "Open ID", or a user's ID as a chat): Feishu would answer only "invalid
 * parameter". A user_id may be anything the tenant chose, so under "User ID" only a full-length Open,
 * Union or chat ID is refused; an email must have an "@". Where the kinds cannot be told apart, Feishu's
 * error (with its meaning) explains it.
 */
export function checkIdKinds(
	p: ParamReader,
	field: string,
	ids: readonly string[],
	kind: string,
	kindField?: string,
): void {
	const chosen = KIND_NAMES[kind] ?? kind;
	const choose = kindField ? ` in ${p.labelOf(kindField)}` : '';
	for (const id of ids) {
		if (kind === 'email') {
			if (!id.includes('@'))
				p.fail(field, `"${id}" is not an email, but the chosen ID type${choose} is Email`);
			continue;
		}
		const seen = ID_PREFIXES.find((k) => id.startsWith(k.prefix));
		if (seen === undefined || seen.kind === kind) continue;
		if (kind === 'user_id' && !/^(ou|on|oc)_[0-9a-z]{20,}$/.test(id)) continue;
		const other = KIND_NAMES[seen.kind];
		p.fail(
			field,
			`"${id}" is ${seen.name}, but the chosen ID type${choose} is ${chosen}` +
				(other && kindField
					? `: choose "${other}"${choose}, or give ${article(chosen)} ${chosen}`
					: ''),
		);
	}
}

const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');
