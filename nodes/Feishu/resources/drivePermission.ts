import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';
import type {
	ErrorMeanings,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../shared/types';
import { FEISHU_RATE_LIMITS } from '../transport';
import type { DocType } from './drive/common';
import { driveItem, itemLocator, typeField } from './drive/common';

/**
 * Drive permissions (权限): collaborators (add, remove, list), the public link settings, and the owner.
 * Source: docs/research/feishu-drive.md §10 (S24–S29).
 */

/** The error table every permission page shares (S24–S29). */
const PERMISSION_ERRORS: ErrorMeanings = {
	'1063001':
		'A parameter is invalid: the token and type do not match, the document or member does not exist, the member ID does not fit its type, or a department was given with the app’s token (departments need User (OAuth2)).',
	'1063002':
		'Permission denied: the identity is not a collaborator with manage (or, for the owner, owner) rights on the document.',
	'1063003':
		'Not allowed: the collaborator limit is reached, a policy or visibility rule blocks it, the member is the owner, or the member already has a higher permission than the one asked for.',
	'1063004': 'The identity may not share this document.',
	'1063005': 'The document has been deleted.',
	'1063006': 'Too many requests. Try again later.',
	'1066001': 'Feishu had an internal error. Retry later.',
	'1066002': 'Concurrent changes to the permissions: retry.',
};

/** The `type` query of the permission pages (S24–S28); list and public settings do not take folders. */
const MEMBER_TYPES: readonly DocType[] = [
	'file',
	'docx',
	'doc',
	'sheet',
	'bitable',
	'mindnote',
	'slides',
	'wiki',
	'minutes',
	'folder',
];
const NOT_FOLDERS = MEMBER_TYPES.filter((t) => t !== 'folder');

const DESCRIPTION =
	'The file, document, sheet, base, folder or wiki page: paste its link or give its token (then its Type)';

const target = (types: readonly DocType[]): INodeProperties[] => [
	itemLocator(DESCRIPTION),
	typeField(types),
];

const MEMBER_ID_TYPES = [
	'openid',
	'unionid',
	'userid',
	'email',
	'openchat',
	'opendepartmentid',
	'groupid',
	'wikispaceid',
] as const;

const memberFields = (types: readonly string[]): INodeProperties[] => [
	{
		displayName: 'Member Type',
		name: 'memberType',
		type: 'options',
		options: [
			{ name: 'Open ID', value: 'openid', description: 'A user’s open_id (ou_…)' },
			{ name: 'Union ID', value: 'unionid', description: 'A user’s union_id (on_…)' },
			{ name: 'User ID', value: 'userid', description: 'A user’s employee ID' },
			{ name: 'Email', value: 'email', description: 'A user’s e-mail address' },
			{
				name: 'Group Chat',
				value: 'openchat',
				description: 'A chat_id (oc_…); the app must be in the chat',
			},
			{
				name: 'Department',
				value: 'opendepartmentid',
				description: 'An open_department_id; only as the connected user',
			},
			{ name: 'User Group', value: 'groupid', description: 'A user group ID' },
			{ name: 'Wiki Space', value: 'wikispaceid', description: 'A wiki space ID (its members)' },
		].filter((o) => types.includes(o.value)),
		default: 'openid',
	},
	{
		displayName: 'Member ID',
		name: 'memberId',
		type: 'string',
		required: true,
		default: '',
		description: 'The ID of the user, chat, department, group or space, of the Member Type',
	},
];

const wikiSpaceRole: INodeProperties = {
	displayName: 'Wiki Space Role',
	name: 'wikiSpaceRole',
	type: 'options',
	options: [
		{ name: 'Members', value: 'wiki_space_member' },
		{ name: 'Viewers', value: 'wiki_space_viewer' },
		{ name: 'Editors', value: 'wiki_space_editor' },
	],
	default: 'wiki_space_member',
	displayOptions: { show: { memberType: ['wikispaceid'] } },
	description: 'Which of the wiki space’s members (required for a wiki space)',
};

/** The `type` body field that goes with a member type (required with wikispaceid). */
function memberKind(p: ParamReader, memberType: string): string {
	if (memberType === 'wikispaceid')
		return p.choice(
			'wikiSpaceRole',
			['wiki_space_member', 'wiki_space_viewer', 'wiki_space_editor'] as const,
			'wiki_space_member',
		);
	if (memberType === 'openchat') return 'chat';
	if (memberType === 'opendepartmentid') return 'department';
	if (memberType === 'groupid') return 'group';
	return 'user';
}

const permissionsPath = (token: string) =>
	`/open-apis/drive/v1/permissions/${encodeURIComponent(token)}`;

const add: OperationDefinition = {
	value: 'add',
	actsAs: ['app', 'user'],
	name: 'Add',
	action: 'Add a collaborator',
	description:
		'Give a user, group chat, department, user group or wiki space view, edit or full access to a document or folder',
	lane: FEISHU_RATE_LIMITS['drivePermission.add'],
	errors: PERMISSION_ERRORS,
	properties: [
		...target(MEMBER_TYPES),
		...memberFields(MEMBER_ID_TYPES),
		wikiSpaceRole,
		{
			displayName: 'Permission',
			name: 'perm',
			type: 'options',
			options: [
				{ name: 'Can View', value: 'view' },
				{ name: 'Can Edit', value: 'edit' },
				{ name: 'Full Access', value: 'full_access', description: 'Manage, share and delete' },
			],
			default: 'view',
		},
	],
	extraOptions: [
		{
			displayName: 'Notify',
			name: 'notify',
			type: 'boolean',
			default: false,
			description: 'Whether Feishu tells the member (only as the connected user)',
		},
		{
			displayName: 'Wiki Scope',
			name: 'permType',
			type: 'options',
			options: [
				{ name: 'Page and Its Children', value: 'container' },
				{ name: 'This Page Only', value: 'single_page' },
			],
			default: 'container',
			description: 'For a wiki page: whether the permission covers its child pages',
		},
	],
	async run(step) {
		const p = step.params;
		const item = await driveItem(step, MEMBER_TYPES);
		const memberType = p.choice('memberType', MEMBER_ID_TYPES, 'openid');
		// "opendepartmentid … 仅当使用 user_access_token 调用时" : the app's token cannot add a department.
		if (memberType === 'opendepartmentid' && p.raw('authentication', 'app') !== 'oAuth2')
			p.fail('memberType', 'a department can be added only as the connected user (User (OAuth2))');
		const memberId = p.requiredString('memberId');
		const perm = p.choice('perm', ['view', 'edit', 'full_access'] as const, 'view');
		const body: IDataObject = {
			member_type: memberType,
			member_id: memberId,
			perm,
			type: memberKind(p, memberType),
		};
		if (item.type === 'wiki')
			body.perm_type = p.choice(
				'options.permType',
				['container', 'single_page'] as const,
				'container',
			);
		const data = await step.send({
			method: 'POST',
			path: `${permissionsPath(item.token)}/members`,
			qs: {
				type: item.type,
				...(p.boolean('options.notify', false) ? { need_notification: true } : {}),
			},
			body,
		});
		return [{ json: (data.member as IDataObject | undefined) ?? {} }];
	},
};

const remove: OperationDefinition = {
	value: 'remove',
	actsAs: ['app', 'user'],
	name: 'Remove',
	action: 'Remove a collaborator',
	description: 'Take a collaborator’s access to a document or folder away',
	lane: FEISHU_RATE_LIMITS['drivePermission.remove'],
	errors: PERMISSION_ERRORS,
	properties: [...target(MEMBER_TYPES), ...memberFields(MEMBER_ID_TYPES), wikiSpaceRole],
	async run(step) {
		const p = step.params;
		const item = await driveItem(step, MEMBER_TYPES);
		const memberType = p.choice('memberType', MEMBER_ID_TYPES, 'openid');
		const memberId = p.pathId('memberId');
		await step.send({
			method: 'DELETE',
			path: `${permissionsPath(item.token)}/members/${memberId}`,
			qs: { type: item.type, member_type: memberType },
			// The page lists Content-Type: application/json as required; the body's fields are optional.
			body: memberType === 'wikispaceid' ? { type: memberKind(p, memberType) } : {},
			// Sent again after a lost answer, it would be answered 1063001 (no such member): reported instead.
			idempotent: false,
		});
		return [
			{
				json: {
					token: item.token,
					type: item.type,
					memberType,
					memberId: decodeURIComponent(memberId),
					removed: true,
				},
			},
		];
	},
};

const FIELD_NAMES = ['name', 'type', 'avatar', 'external_label'] as const;

const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: "Get a document's collaborators",
	description:
		"List a document's collaborators and their permissions (one item each; folders are not listed by Feishu)",
	lane: FEISHU_RATE_LIMITS['drivePermission.getAll'],
	errors: PERMISSION_ERRORS,
	properties: [
		...target(NOT_FOLDERS),
		{
			displayName: 'Include',
			name: 'fields',
			type: 'multiOptions',
			options: [
				{ name: 'Avatar', value: 'avatar' },
				{ name: 'External Label', value: 'external_label' },
				{ name: 'Name', value: 'name', description: 'Needs a contact scope for users' },
				{ name: 'Type', value: 'type' },
			],
			default: [],
			description: 'Which details to return beside the member, its ID and permission',
		},
	],
	async run(step: OperationStep) {
		const p = step.params;
		const item = await driveItem(step, NOT_FOLDERS);
		const fields = p.stringList('fields', p.raw('fields', []));
		for (const field of fields)
			if (!(FIELD_NAMES as readonly string[]).includes(field))
				p.fail('fields', `"${field}" is not one of ${FIELD_NAMES.join(', ')}`);
		const data = await step.send({
			method: 'GET',
			path: `${permissionsPath(item.token)}/members`,
			qs: { type: item.type, ...(fields.length > 0 ? { fields: fields.join(',') } : {}) },
		});
		return ((data.items as IDataObject[] | undefined) ?? []).map((json) => ({ json }));
	},
};

const PUBLIC_SETTINGS: Array<{
	name: string;
	displayName: string;
	values: Array<[string, string]>;
	description: string;
}> = [
	{
		name: 'link_share_entity',
		displayName: 'Link Sharing',
		description:
			'Who can open the document with its link. Anyone on the internet needs External Access on.',
		values: [
			['Off', 'closed'],
			['Organization: Can View', 'tenant_readable'],
			['Organization: Can Edit', 'tenant_editable'],
			['Partner Organizations: Can View', 'partner_tenant_readable'],
			['Partner Organizations: Can Edit', 'partner_tenant_editable'],
			['Anyone: Can View', 'anyone_readable'],
			['Anyone: Can Edit', 'anyone_editable'],
		],
	},
	{
		name: 'external_access_entity',
		displayName: 'External Access',
		description: 'Whether people outside the organization may be given access',
		values: [
			['Open', 'open'],
			['Closed', 'closed'],
			['Partner Organizations Only', 'allow_share_partner_tenant'],
		],
	},
	{
		name: 'share_entity',
		displayName: 'Who Can Share',
		description: 'Who may add collaborators and share the document',
		values: [
			['Anyone With Access', 'anyone'],
			['Same Organization Only', 'same_tenant'],
		],
	},
	{
		name: 'manage_collaborator_entity',
		displayName: 'Who Can Manage Collaborators',
		description: 'Which collaborators may add and remove others',
		values: [
			['Collaborators Who Can View', 'collaborator_can_view'],
			['Collaborators Who Can Edit', 'collaborator_can_edit'],
			['Collaborators With Full Access', 'collaborator_full_access'],
		],
	},
	{
		name: 'comment_entity',
		displayName: 'Who Can Comment',
		description: 'Who may comment',
		values: [
			['Anyone Who Can View', 'anyone_can_view'],
			['Anyone Who Can Edit', 'anyone_can_edit'],
		],
	},
	{
		name: 'security_entity',
		displayName: 'Who Can Copy, Print and Download',
		description: 'Who may copy, print, download and make copies',
		values: [
			['Anyone Who Can View', 'anyone_can_view'],
			['Anyone Who Can Edit', 'anyone_can_edit'],
			['Full Access Only', 'only_full_access'],
		],
	},
	{
		name: 'copy_entity',
		displayName: 'Who Can Copy Content',
		description: 'Who may copy the content',
		values: [
			['Anyone Who Can View', 'anyone_can_view'],
			['Anyone Who Can Edit', 'anyone_can_edit'],
			['Full Access Only', 'only_full_access'],
		],
	},
];

const update: OperationDefinition = {
	value: 'update',
	actsAs: ['app', 'user'],
	name: 'Update',
	action: "Update a document's sharing settings",
	description:
		"Change a document's public settings: link sharing, external access, who can share, comment, copy and download (only the settings given change)",
	lane: FEISHU_RATE_LIMITS['drivePermission.update'],
	errors: PERMISSION_ERRORS,
	properties: [
		...target(NOT_FOLDERS),
		{
			displayName: 'Settings',
			name: 'settings',
			type: 'collection',
			placeholder: 'Add Setting',
			default: {},
			options: PUBLIC_SETTINGS.map((setting) => ({
				displayName: setting.displayName,
				name: setting.name,
				type: 'options' as const,
				options: setting.values.map(([name, value]) => ({ name, value })),
				default: setting.values[0][1],
				description: setting.description,
			})).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	],
	async run(step) {
		const p = step.params;
		const item = await driveItem(step, NOT_FOLDERS);
		const body: IDataObject = {};
		for (const setting of PUBLIC_SETTINGS) {
			const value = p.raw(`settings.${setting.name}`, '');
			if (value === undefined || value === '') continue;
			body[setting.name] = p.choice(
				`settings.${setting.name}`,
				setting.values.map(([, v]) => v),
			);
		}
		if (Object.keys(body).length === 0) p.fail('settings', 'add at least one setting to change');
		const anyone = String(body.link_share_entity ?? '').startsWith('anyone_');
		if (
			anyone &&
			body.external_access_entity !== undefined &&
			body.external_access_entity !== 'open'
		)
			p.fail('settings', 'link sharing with anyone needs External Access open');
		const data = await step.send({
			method: 'PATCH',
			path: `/open-apis/drive/v2/permissions/${encodeURIComponent(item.token)}/public`,
			qs: { type: item.type },
			body,
			// Sets the given settings: the same request again changes nothing.
			idempotent: true,
		});
		return [{ json: (data.permission_public as IDataObject | undefined) ?? {} }];
	},
};

const transferOwner: OperationDefinition = {
	value: 'transferOwner',
	actsAs: ['app', 'user'],
	name: 'Transfer Owner',
	action: "Transfer a document's ownership",
	description: 'Make another user the owner of a document or folder (the caller must be its owner)',
	lane: FEISHU_RATE_LIMITS['drivePermission.transferOwner'],
	errors: PERMISSION_ERRORS,
	properties: [
		...target(MEMBER_TYPES),
		...memberFields(['openid', 'userid', 'email']),
		{
			displayName: 'Old Owner Keeps',
			name: 'oldOwnerPerm',
			type: 'options',
			options: [
				{ name: 'Full Access', value: 'full_access' },
				{ name: 'Can Edit', value: 'edit' },
				{ name: 'Can View', value: 'view' },
				{ name: 'Nothing', value: 'remove' },
			],
			default: 'full_access',
		},
	],
	extraOptions: [
		{
			displayName: 'Notify',
			name: 'notify',
			type: 'boolean',
			default: true,
			description: 'Whether Feishu tells the new owner (only as the connected user)',
		},
		{
			displayName: 'Stay Put',
			name: 'stayPut',
			type: 'boolean',
			default: false,
			description:
				"Whether a document in the old owner's personal folder stays there (rather than moving to the new owner's)",
		},
	],
	async run(step) {
		const p = step.params;
		const item = await driveItem(step, MEMBER_TYPES);
		const memberType = p.choice('memberType', ['openid', 'userid', 'email'] as const, 'openid');
		const memberId = p.requiredString('memberId');
		const keeps = p.choice(
			'oldOwnerPerm',
			['full_access', 'edit', 'view', 'remove'] as const,
			'full_access',
		);
		await step.send({
			method: 'POST',
			path: `${permissionsPath(item.token)}/members/transfer_owner`,
			qs: {
				type: item.type,
				need_notification: p.boolean('options.notify', true),
				remove_old_owner: keeps === 'remove',
				stay_put: p.boolean('options.stayPut', false),
				...(keeps === 'remove' ? {} : { old_owner_perm: keeps }),
			},
			body: { member_type: memberType, member_id: memberId },
		});
		return [
			{
				json: {
					token: item.token,
					type: item.type,
					owner: { member_type: memberType, member_id: memberId },
				},
			},
		];
	},
};

export const drivePermission: ResourceDefinition = {
	value: 'drivePermission',
	name: 'Drive Permission',
	description: 'Collaborators, sharing settings and owners of Drive files, documents and folders',
	operations: [add, remove, getAll, update, transferOwner],
	defaultOperation: 'add',
};
