/**
 * The documented requests of DingTalk's workbook (钉钉表格) and knowledge-base APIs, for the fake's spec
 * checks (docs/research/dingtalk-workbook.md §2–§5). No runtime imports, so that spec.ts can include them.
 */
import type { RouteSpec } from './spec';
import { int, str } from './values';

const WB = '/v1.0/doc/workbooks/{workbookId}';
const SHEET = `${WB}/sheets/{sheetId}`;
const OPERATOR = { operatorId: str(true) };

export const WORKBOOK_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.workbook.create',
		method: 'POST',
		path: '/v1.0/doc/workspaces/{workspaceId}/docs',
		auth: 'dingtalkHeader',
		body: {
			name: str(true),
			docType: str(true, { enum: ['DOC', 'WORKBOOK', 'MIND', 'FOLDER'] }),
			operatorId: str(true),
			parentNodeId: str(),
			templateId: str(),
			templateType: str(false, { enum: ['public_template', 'team_template', 'user_template'] }),
		},
	},
	{
		key: 'dingtalk.workbook.getNode',
		method: 'GET',
		path: '/v2.0/wiki/nodes/{nodeId}',
		auth: 'dingtalkHeader',
		query: { ...OPERATOR, withStatisticalInfo: str(), withPermissionRole: str() },
	},
	{
		key: 'dingtalk.workbookSheet.getAll',
		method: 'GET',
		path: `${WB}/sheets`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
	},
	{
		key: 'dingtalk.workbookSheet.get',
		method: 'GET',
		path: SHEET,
		auth: 'dingtalkHeader',
		query: OPERATOR,
	},
	{
		key: 'dingtalk.workbookSheet.create',
		method: 'POST',
		path: `${WB}/sheets`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: { name: str(true) },
	},
	{
		key: 'dingtalk.workbookSheet.remove',
		method: 'DELETE',
		path: SHEET,
		auth: 'dingtalkHeader',
		query: OPERATOR,
	},
	{
		key: 'dingtalk.workbookSheet.readRange',
		method: 'GET',
		path: `${SHEET}/ranges/{rangeAddress}`,
		auth: 'dingtalkHeader',
		query: { ...OPERATOR, select: str() },
	},
	{
		key: 'dingtalk.workbookSheet.writeRange',
		method: 'PUT',
		path: `${SHEET}/ranges/{rangeAddress}`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: {
			values: { type: 'array', of: 'array' },
			numberFormat: str(),
			hyperlinks: { type: 'array', of: 'array' },
		},
	},
	{
		key: 'dingtalk.workbookSheet.append',
		method: 'POST',
		path: `${SHEET}/appendRows`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: { values: { type: 'array', required: true, of: 'array' } },
	},
	{
		key: 'dingtalk.workbookSheet.clear',
		method: 'POST',
		path: `${SHEET}/ranges/{rangeAddress}/clearData`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
	},
	{
		key: 'dingtalk.workbookSheet.deleteRows',
		method: 'POST',
		path: `${SHEET}/deleteRows`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: { row: int(true), rowCount: int(true) },
	},
	{
		key: 'dingtalk.workbookSheet.deleteColumns',
		method: 'POST',
		path: `${SHEET}/deleteColumns`,
		auth: 'dingtalkHeader',
		query: OPERATOR,
		body: { column: int(true), columnCount: int(true) },
	},
];
