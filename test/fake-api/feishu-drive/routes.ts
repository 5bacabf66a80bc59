/**
 * The documented requests of Drive (云空间): upload (whole and in parts), download, list, root folder,
 * metadata, folders, copy, move, delete, task status, import and export (docs/research/feishu-drive.md
 * §1–§9), for the fake's spec checks. Only type imports from the rest of the fake, so that spec.ts can
 * include DRIVE_ROUTES without a cycle.
 */

import type { RateRule, RouteSpec } from '../spec';
import { bool, int, str } from '../values';

const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
/** "5 QPS，10000 次/天" (the node-changing APIs and download). */
const DRIVE_CHANGE: RateRule[] = [
	{ limit: 5, windowMs: 1000 },
	{ limit: 10_000, windowMs: 86_400_000 },
];
const LEVEL_4: RateRule[] = [
	{ limit: 50, windowMs: 1000 },
	{ limit: 1000, windowMs: 60_000 },
];
const LEVEL_3: RateRule[] = [{ limit: 100, windowMs: 60_000 }];

export const COPY_TYPES = ['file', 'doc', 'sheet', 'bitable', 'docx', 'mindnote', 'slides'];
export const MOVE_TYPES = [
	'file',
	'docx',
	'bitable',
	'doc',
	'sheet',
	'mindnote',
	'folder',
	'slides',
];
export const DELETE_TYPES = [...MOVE_TYPES, 'shortcut'];
export const META_TYPES = [
	'doc',
	'sheet',
	'bitable',
	'mindnote',
	'file',
	'wiki',
	'docx',
	'folder',
	'synced_block',
	'slides',
];

// Every Drive page's Authorization row takes a user_access_token too (S2–S23).
const both = { userToken: {}, auth: 'feishuBearer' as const };

export const DRIVE_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.drive.uploadAll',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/upload_all',
		multipart: {
			fields: {
				file_name: str(true),
				parent_type: str(true, { enum: ['explorer'] }),
				parent_node: str(true),
				size: int(true),
				checksum: str(),
			},
			files: ['file'],
		},
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.uploadPrepare',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/upload_prepare',
		body: {
			file_name: str(true),
			parent_type: str(true, { enum: ['explorer'] }),
			parent_node: str(true),
			size: int(true),
		},
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.uploadPart',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/upload_part',
		multipart: {
			fields: { upload_id: str(true), seq: int(true), size: int(true), checksum: str() },
			files: ['file'],
		},
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.uploadFinish',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/upload_finish',
		body: { upload_id: str(true), block_num: int(true) },
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.taskCheck',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/files/task_check',
		query: { task_id: str(true) },
		limits: LEVEL_4,
	},
	{
		key: 'feishu.drive.download',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/files/{file_token}/download',
		pathParams: { file_token: 'string' },
		binaryAnswer: true,
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.list',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/files',
		query: {
			page_size: int(),
			page_token: str(),
			folder_token: str(),
			order_by: str(false, { enum: ['EditedTime', 'CreatedTime'] }),
			direction: str(false, { enum: ['ASC', 'DESC'] }),
			user_id_type: USER_ID_TYPE,
		},
		limits: [{ limit: 20, windowMs: 1000 }],
	},
	{
		key: 'feishu.drive.rootFolder',
		...both,
		method: 'GET',
		path: '/open-apis/drive/explorer/v2/root_folder/meta',
		limits: LEVEL_4,
	},
	{
		key: 'feishu.drive.meta',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/metas/batch_query',
		query: { user_id_type: USER_ID_TYPE },
		body: {
			request_docs: {
				type: 'array',
				required: true,
				items: { doc_token: str(true), doc_type: str(true, { enum: META_TYPES }) },
			},
			with_url: bool(),
		},
		limits: LEVEL_4,
	},
	{
		key: 'feishu.drive.createFolder',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/create_folder',
		body: { name: str(true), folder_token: str(true) },
		limits: [{ limit: 5, windowMs: 1000 }],
	},
	{
		key: 'feishu.drive.copy',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/{file_token}/copy',
		pathParams: { file_token: 'string' },
		query: { user_id_type: USER_ID_TYPE },
		body: {
			name: str(true),
			// Marked optional in the table, "该参数为必填" in its note.
			type: str(true, { enum: COPY_TYPES }),
			folder_token: str(true),
			extra: { type: 'array', items: { key: str(true), value: str(true) } },
		},
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.move',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/files/{file_token}/move',
		pathParams: { file_token: 'string' },
		body: { type: str(true, { enum: MOVE_TYPES }), folder_token: str() },
		limits: [...DRIVE_CHANGE, { limit: 20, windowMs: 60_000 }],
	},
	{
		key: 'feishu.drive.delete',
		...both,
		method: 'DELETE',
		path: '/open-apis/drive/v1/files/{file_token}',
		pathParams: { file_token: 'string' },
		query: { type: str(true, { enum: DELETE_TYPES }) },
		limits: DRIVE_CHANGE,
	},
	{
		key: 'feishu.drive.importCreate',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/import_tasks',
		body: {
			file_extension: str(true),
			file_token: str(true),
			type: str(true, { enum: ['docx', 'sheet', 'bitable'] }),
			file_name: str(),
			point: {
				type: 'object',
				required: true,
				fields: { mount_type: int(true, { enum: [1] }), mount_key: str(true) },
			},
		},
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drive.importGet',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/import_tasks/{ticket}',
		pathParams: { ticket: 'string' },
		limits: LEVEL_4,
	},
	{
		key: 'feishu.drive.exportCreate',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/export_tasks',
		body: {
			file_extension: str(true, { enum: ['docx', 'pdf', 'xlsx', 'csv'] }),
			token: str(true),
			type: str(true, { enum: ['doc', 'sheet', 'bitable', 'docx'] }),
			sub_id: str(),
		},
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drive.exportGet',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/export_tasks/{ticket}',
		pathParams: { ticket: 'string' },
		query: { token: str(true) },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drive.exportDownload',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/export_tasks/file/{file_token}/download',
		pathParams: { file_token: 'string' },
		binaryAnswer: true,
		limits: LEVEL_3,
	},
];

/** The permission pages' `type` (S24–S28): list and public settings leave folders out. */
export const PERMISSION_TYPES = [
	'doc',
	'sheet',
	'file',
	'wiki',
	'bitable',
	'docx',
	'folder',
	'mindnote',
	'minutes',
	'slides',
];
const NOT_FOLDERS = PERMISSION_TYPES.filter((t) => t !== 'folder');
const MEMBER_TYPE = str(true, {
	enum: [
		'email',
		'openid',
		'unionid',
		'openchat',
		'opendepartmentid',
		'userid',
		'groupid',
		'wikispaceid',
	],
});
const MEMBER_KIND = str(false, {
	enum: [
		'user',
		'chat',
		'department',
		'group',
		'wiki_space_member',
		'wiki_space_viewer',
		'wiki_space_editor',
	],
});
const PERM_TYPE = str(false, { enum: ['container', 'single_page'] });
const ANYONE_CAN = ['anyone_can_view', 'anyone_can_edit'];

export const PERMISSION_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.drivePermission.add',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/permissions/{token}/members',
		pathParams: { token: 'string' },
		query: { type: str(true, { enum: PERMISSION_TYPES }), need_notification: bool() },
		body: {
			member_type: MEMBER_TYPE,
			member_id: str(true),
			perm: str(true, { enum: ['view', 'edit', 'full_access'] }),
			perm_type: PERM_TYPE,
			type: MEMBER_KIND,
		},
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drivePermission.remove',
		...both,
		method: 'DELETE',
		path: '/open-apis/drive/v1/permissions/{token}/members/{member_id}',
		pathParams: { token: 'string', member_id: 'string' },
		query: { type: str(true, { enum: PERMISSION_TYPES }), member_type: MEMBER_TYPE },
		body: { type: MEMBER_KIND, perm_type: PERM_TYPE },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drivePermission.transferOwner',
		...both,
		method: 'POST',
		path: '/open-apis/drive/v1/permissions/{token}/members/transfer_owner',
		pathParams: { token: 'string' },
		query: {
			type: str(true, { enum: PERMISSION_TYPES }),
			need_notification: bool(),
			remove_old_owner: bool(),
			stay_put: bool(),
			old_owner_perm: str(false, { enum: ['view', 'edit', 'full_access'] }),
		},
		body: { member_type: str(true, { enum: ['email', 'openid', 'userid'] }), member_id: str(true) },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.drivePermission.getAll',
		...both,
		method: 'GET',
		path: '/open-apis/drive/v1/permissions/{token}/members',
		pathParams: { token: 'string' },
		query: { type: str(true, { enum: NOT_FOLDERS }), fields: str(), perm_type: PERM_TYPE },
		limits: LEVEL_4,
	},
	{
		key: 'feishu.drivePermission.update',
		...both,
		method: 'PATCH',
		path: '/open-apis/drive/v2/permissions/{token}/public',
		pathParams: { token: 'string' },
		query: { type: str(true, { enum: NOT_FOLDERS }) },
		body: {
			external_access_entity: str(false, {
				enum: ['open', 'closed', 'allow_share_partner_tenant'],
			}),
			security_entity: str(false, { enum: [...ANYONE_CAN, 'only_full_access'] }),
			comment_entity: str(false, { enum: ANYONE_CAN }),
			share_entity: str(false, { enum: ['anyone', 'same_tenant'] }),
			manage_collaborator_entity: str(false, {
				enum: ['collaborator_can_view', 'collaborator_can_edit', 'collaborator_full_access'],
			}),
			link_share_entity: str(false, {
				enum: [
					'tenant_readable',
					'tenant_editable',
					'partner_tenant_readable',
					'partner_tenant_editable',
					'anyone_readable',
					'anyone_editable',
					'closed',
				],
			}),
			copy_entity: str(false, { enum: [...ANYONE_CAN, 'only_full_access'] }),
		},
		limits: LEVEL_3,
	},
];
