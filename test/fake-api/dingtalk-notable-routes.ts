/**
 * The documented requests of DingTalk AI tables (AI表格, `/v1.0/notable/…`): sheets, fields and records,
 * for the fake's spec checks (docs/research/dingtalk-notable.md §1–§13). No runtime imports, so that spec.ts can
 * include them. No page states a per-API limit (§0), so `limits` stays unset and spec.ts gives these routes
 * DingTalk's default of 20 calls a second per app and API.
 */
import type { FieldSpec, RouteSpec } from './spec';
import { int, str } from './values';

/** The 12 field types of the field-type page (§16.1). */
export const NOTABLE_FIELD_TYPES = [
	'text',
	'number',
	'currency',
	'singleSelect',
	'multipleSelect',
	'date',
	'user',
	'department',
	'attachment',
	'unidirectionalLink',
	'bidirectionalLink',
	'url',
];

/** The list page's operators (§17). */
export const NOTABLE_OPERATORS = [
	'equal',
	'notEqual',
	'greater',
	'greaterEqual',
	'less',
	'lessEqual',
	'contain',
	'notContain',
	'empty',
	'notEmpty',
];

const BASE = '/v1.0/notable/bases/{baseId}';
const SHEET = `${BASE}/sheets/{sheetIdOrName}`;
/** 「操作人的unionId」, required on every page (§0). */
const OPERATOR = { operatorId: str(true) };
const auth = 'dingtalkHeader' as const;
const FIELD: Record<string, FieldSpec> = {
	name: str(true),
	type: str(true, { enum: NOTABLE_FIELD_TYPES }),
	property: { type: 'object' },
};

export const NOTABLE_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.notableSheet.getAll',
		method: 'GET',
		path: `${BASE}/sheets`,
		auth,
		query: OPERATOR,
	},
	{
		key: 'dingtalk.notableSheet.get',
		method: 'GET',
		path: SHEET,
		auth,
		query: OPERATOR,
	},
	{
		key: 'dingtalk.notableSheet.create',
		method: 'POST',
		path: `${BASE}/sheets`,
		auth,
		query: OPERATOR,
		body: {
			name: str(),
			fields: { type: 'array', items: FIELD },
		},
	},
	{
		key: 'dingtalk.notableSheet.delete',
		method: 'DELETE',
		path: SHEET,
		auth,
		query: OPERATOR,
	},
	{
		key: 'dingtalk.notableField.getAll',
		method: 'GET',
		path: `${SHEET}/fields`,
		auth,
		query: OPERATOR,
	},
	{
		key: 'dingtalk.notableField.create',
		method: 'POST',
		path: `${SHEET}/fields`,
		auth,
		query: OPERATOR,
		body: FIELD,
	},
	{
		key: 'dingtalk.notableRecord.insert',
		method: 'POST',
		path: `${SHEET}/records`,
		auth,
		// 「格式为标准的 UUID v4，用于操作幂等性控制」 (§9).
		query: {
			...OPERATOR,
			clientToken: str(),
		},
		body: {
			records: {
				type: 'array',
				required: true,
				items: { fields: { type: 'object', required: true } },
			},
		},
	},
	{
		key: 'dingtalk.notableRecord.get',
		method: 'GET',
		path: `${SHEET}/records/{recordId}`,
		auth,
		query: OPERATOR,
	},
	{
		key: 'dingtalk.notableRecord.list',
		method: 'POST',
		path: `${SHEET}/records/list`,
		auth,
		query: OPERATOR,
		body: {
			filter: {
				type: 'object',
				fields: {
					combination: str(false, { enum: ['and', 'or'] }),
					conditions: {
						type: 'array',
						required: true,
						items: {
							field: str(true),
							operator: str(true, { enum: NOTABLE_OPERATORS }),
							value: { type: 'array' },
						},
					},
				},
			},
			maxResults: int(),
			nextToken: str(),
			fieldIdOrNames: { type: 'array', of: 'string' },
		},
	},
	{
		key: 'dingtalk.notableRecord.update',
		method: 'PUT',
		path: `${SHEET}/records`,
		auth,
		query: OPERATOR,
		body: {
			records: {
				type: 'array',
				required: true,
				items: { id: str(true), fields: { type: 'object', required: true } },
			},
		},
	},
	{
		// 获取资源上传信息 (§18 step 1): the docId of an AI table is its baseId.
		key: 'dingtalk.notable.uploadInfo',
		method: 'POST',
		path: '/v1.0/doc/docs/resources/{docId}/uploadInfos/query',
		auth,
		query: OPERATOR,
		body: { size: int(true), mediaType: str(true), resourceName: str(true) },
	},
	{
		// §18 step 2: the bytes PUT to the uploadUrl of step 1 (signed; no DingTalk token).
		key: 'dingtalk.notable.upload',
		method: 'PUT',
		path: '/oss/notable/{resourceId}',
		auth: 'none',
		query: { Expires: str(true), Signature: str(true) },
		rawUpload: true,
	},
	{
		// An attachment's read `url`: a download link valid for a while (§16.2).
		key: 'dingtalk.notable.download',
		method: 'GET',
		path: '/oss/notable/{resourceId}/download',
		auth: 'none',
		query: { Expires: str(true), Signature: str(true) },
		binaryAnswer: true,
	},
	{
		key: 'dingtalk.notableRecord.delete',
		method: 'POST',
		path: `${SHEET}/records/delete`,
		auth,
		query: OPERATOR,
		body: { recordIds: { type: 'array', of: 'string', required: true } },
	},
];
