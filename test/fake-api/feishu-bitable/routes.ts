/**
 * The documented requests of Bitable, drive media and wiki (§1, §2, §4, §6, §7 of
 * docs/research/feishu-bitable.md), for the fake's spec checks. Only type imports from the rest of the fake,
 * so that spec.ts can include BITABLE_ROUTES without a cycle.
 */

import type { FieldSpec, RateRule, RouteSpec } from '../spec';
import { bool, int, str } from '../values';

// ---------------------------------------------------------------------------------------------
// The documented requests (§1, §2, §4, §6, §7).

export const obj = (required = false, fields?: Record<string, FieldSpec>): FieldSpec => ({
	type: 'object',
	required,
	...(fields ? { fields } : {}),
});
export const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
export const perSecond = (limit: number): RateRule[] => [{ limit, windowMs: 1000 }];
/** upload_all / download: "5 QPS，10000 次/天". */
export const MEDIA_LIMITS: RateRule[] = [
	{ limit: 5, windowMs: 1000 },
	{ limit: 10_000, windowMs: 86_400_000 },
];
export const UI_TYPES = [
	'Text',
	'Barcode',
	'Email',
	'Number',
	'Progress',
	'Currency',
	'Rating',
	'SingleSelect',
	'MultiSelect',
	'DateTime',
	'Checkbox',
	'User',
	'Phone',
	'Url',
	'Attachment',
	'SingleLink',
	'Lookup',
	'Formula',
	'DuplexLink',
	'Location',
	'GroupChat',
	'CreatedTime',
	'ModifiedTime',
	'CreatedUser',
	'ModifiedUser',
	'AutoNumber',
	'Button',
];
/** Field description (create field body): {disable_sync, text}. */
export const DESCRIPTION = obj(false, { disable_sync: bool(), text: str() });
export const FIELD_DEFINITION: Record<string, FieldSpec> = {
	field_name: str(true),
	type: int(true),
	ui_type: str(false, { enum: UI_TYPES }),
	property: obj(),
	description: DESCRIPTION,
};
export const CONDITION: Record<string, FieldSpec> = {
	field_name: str(),
	operator: str(),
	value: { type: 'array', of: 'string' },
};
/** Search filter_info. `conjunction` is required by the guide; a missing one is answered 1254018 (InvalidFilter) by the handler. */
export const FILTER = obj(false, {
	conjunction: str(),
	conditions: { type: 'array', items: CONDITION },
	// "目前仅支持使用一层 children 参数": children have no children of their own.
	children: {
		type: 'array',
		items: { conjunction: str(), conditions: { type: 'array', items: CONDITION } },
	},
});
export const PARENT_TYPES = [
	'doc_image',
	'docx_image',
	'sheet_image',
	'doc_file',
	'docx_file',
	'sheet_file',
	'vc_virtual_background',
	'bitable_image',
	'bitable_file',
	'moments',
	'ccm_import_open',
];
export const WIKI_OBJ_TYPES = [
	'doc',
	'docx',
	'sheet',
	'mindnote',
	'bitable',
	'file',
	'slides',
	'wiki',
];

export const APP_PATH = '/open-apis/bitable/v1/apps/{app_token}';
export const TABLES = `${APP_PATH}/tables`;
export const TABLE = `${TABLES}/{table_id}`;
export const RECORDS = `${TABLE}/records`;
export const APP_PARAMS = { app_token: 'string' } as const;
export const TABLE_PARAMS = { app_token: 'string', table_id: 'string' } as const;
export const RECORD_PARAMS = {
	app_token: 'string',
	table_id: 'string',
	record_id: 'string',
} as const;
export const WRITE_QUERY = {
	user_id_type: USER_ID_TYPE,
	client_token: str(),
	ignore_consistency_check: bool(),
};
export const UPDATE_QUERY = { user_id_type: USER_ID_TYPE, ignore_consistency_check: bool() };

/** Bitable, drive media and wiki node routes, with their documented rate limits. */
export const BITABLE_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.bitableRecord.search',
		method: 'POST',
		path: `${RECORDS}/search`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: USER_ID_TYPE, page_token: str(), page_size: int() },
		body: {
			view_id: str(),
			field_names: { type: 'array', of: 'string' },
			sort: { type: 'array', items: { field_name: str(), desc: bool() } },
			filter: FILTER,
			automatic_fields: bool(),
		},
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableRecord.create',
		method: 'POST',
		path: RECORDS,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		query: WRITE_QUERY,
		body: { fields: obj(true) },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchCreate',
		method: 'POST',
		path: `${RECORDS}/batch_create`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		query: WRITE_QUERY,
		body: { records: { type: 'array', required: true, items: { fields: obj(true) } } },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.update',
		method: 'PUT',
		path: `${RECORDS}/{record_id}`,
		pathParams: RECORD_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		// The update page (2025-07) lists no client_token.
		query: UPDATE_QUERY,
		body: { fields: obj(true) },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchUpdate',
		method: 'POST',
		path: `${RECORDS}/batch_update`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		query: UPDATE_QUERY,
		body: {
			records: {
				type: 'array',
				required: true,
				items: { record_id: str(true), fields: obj(true) },
			},
		},
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.delete',
		method: 'DELETE',
		path: `${RECORDS}/{record_id}`,
		pathParams: RECORD_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchDelete',
		method: 'POST',
		path: `${RECORDS}/batch_delete`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		body: { records: { type: 'array', required: true, of: 'string' } },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchGet',
		method: 'POST',
		path: `${RECORDS}/batch_get`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		userToken: {},
		// user_id_type goes in the body here.
		body: {
			record_ids: { type: 'array', required: true, of: 'string' },
			user_id_type: USER_ID_TYPE,
			with_shared_url: bool(),
			automatic_fields: bool(),
		},
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableTable.list',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'GET',
		path: TABLES,
		pathParams: APP_PARAMS,
		auth: 'feishuBearer',
		query: { page_size: int(), page_token: str() },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableTable.create',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'POST',
		path: TABLES,
		pathParams: APP_PARAMS,
		auth: 'feishuBearer',
		body: {
			table: obj(true, {
				name: str(true),
				default_view_name: str(),
				fields: { type: 'array', items: FIELD_DEFINITION },
			}),
		},
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableTable.delete',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'DELETE',
		path: TABLE,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableView.list',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'GET',
		path: `${TABLE}/views`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { page_size: int(), page_token: str(), user_id_type: USER_ID_TYPE },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableField.list',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'GET',
		path: `${TABLE}/fields`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { view_id: str(), text_field_as_array: bool(), page_size: int(), page_token: str() },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableField.create',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'POST',
		path: `${TABLE}/fields`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { client_token: str() },
		body: FIELD_DEFINITION,
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableMedia.upload',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'POST',
		path: '/open-apis/drive/v1/medias/upload_all',
		auth: 'feishuBearer',
		multipart: {
			fields: {
				file_name: str(true),
				parent_type: str(true, { enum: PARENT_TYPES }),
				// Required by the reference, "无需填写" for ccm_import_open (the import guide, whose example
				// omits it): the handler requires it for every other parent type.
				parent_node: str(),
				size: int(true),
				checksum: str(),
				extra: str(),
			},
			files: ['file'],
		},
		limits: MEDIA_LIMITS,
	},
	{
		key: 'feishu.bitableMedia.download',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'GET',
		path: '/open-apis/drive/v1/medias/{file_token}/download',
		pathParams: { file_token: 'string' },
		auth: 'feishuBearer',
		query: { extra: str() },
		binaryAnswer: true,
		limits: MEDIA_LIMITS,
	},
	{
		key: 'feishu.wiki.getNode',
		// The page's Authorization row takes a user_access_token too (docs/research/feishu-oauth2.md, A.6).
		userToken: {},
		method: 'GET',
		path: '/open-apis/wiki/v2/spaces/get_node',
		auth: 'feishuBearer',
		query: { token: str(true), obj_type: str(false, { enum: WIKI_OBJ_TYPES }) },
		limits: [{ limit: 100, windowMs: 60_000 }],
	},
];
