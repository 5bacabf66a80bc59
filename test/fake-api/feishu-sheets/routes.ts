/**
 * The documented requests of Sheets (电子表格: v3 spreadsheets and sheets, v2 values and dimensions), for the
 * fake's spec checks (docs/research/feishu-sheets.md §1–§7). Only type imports from the rest of the fake.
 */

import type { FieldSpec, RateRule, RouteSpec } from '../spec';
import { int, str } from '../values';

const both = { userToken: {}, auth: 'feishuBearer' as const };
/** The overview's table: 100 a second for values, dimensions and sheets (plus one call at a time per document). */
const PER_SECOND_100: RateRule[] = [{ limit: 100, windowMs: 1000 }];
const PER_MINUTE_100: RateRule[] = [{ limit: 100, windowMs: 60_000 }];
const V3 = '/open-apis/sheets/v3/spreadsheets';
const V2 = '/open-apis/sheets/v2/spreadsheets/{spreadsheetToken}';
const VALUE_RANGE: FieldSpec = {
	type: 'object',
	required: true,
	fields: { range: str(true), values: { type: 'array', required: true, of: 'array' } },
};
const MAJOR = str(true, { enum: ['ROWS', 'COLUMNS'] });

export const SHEETS_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.spreadsheet.create',
		...both,
		method: 'POST',
		path: V3,
		body: { title: str(), folder_token: str() },
		limits: [{ limit: 20, windowMs: 60_000 }],
	},
	{
		key: 'feishu.spreadsheet.get',
		...both,
		method: 'GET',
		path: `${V3}/{spreadsheet_token}`,
		pathParams: { spreadsheet_token: 'string' },
		query: { user_id_type: str(false, { enum: ['open_id', 'union_id', 'user_id'] }) },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.sheet.query',
		...both,
		method: 'GET',
		path: `${V3}/{spreadsheet_token}/sheets/query`,
		pathParams: { spreadsheet_token: 'string' },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.sheet.readRange',
		...both,
		method: 'GET',
		path: `${V2}/values/{range}`,
		pathParams: { spreadsheetToken: 'string', range: 'string' },
		query: {
			valueRenderOption: str(false, {
				enum: ['ToString', 'Formula', 'FormattedValue', 'UnformattedValue'],
			}),
			dateTimeRenderOption: str(false, { enum: ['FormattedString'] }),
			user_id_type: str(false, { enum: ['open_id', 'union_id'] }),
		},
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.writeRange',
		...both,
		method: 'PUT',
		path: `${V2}/values`,
		pathParams: { spreadsheetToken: 'string' },
		body: { valueRange: VALUE_RANGE },
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.writeRanges',
		...both,
		method: 'POST',
		path: `${V2}/values_batch_update`,
		pathParams: { spreadsheetToken: 'string' },
		body: {
			valueRanges: {
				type: 'array',
				required: true,
				items: { range: str(true), values: { type: 'array', required: true, of: 'array' } },
			},
		},
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.append',
		...both,
		method: 'POST',
		path: `${V2}/values_append`,
		pathParams: { spreadsheetToken: 'string' },
		query: { insertDataOption: str(false, { enum: ['OVERWRITE', 'INSERT_ROWS'] }) },
		body: { valueRange: VALUE_RANGE },
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.addDimension',
		...both,
		method: 'POST',
		path: `${V2}/dimension_range`,
		pathParams: { spreadsheetToken: 'string' },
		body: {
			dimension: {
				type: 'object',
				required: true,
				fields: { sheetId: str(true), majorDimension: MAJOR, length: int(true) },
			},
		},
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.deleteDimension',
		...both,
		method: 'DELETE',
		path: `${V2}/dimension_range`,
		pathParams: { spreadsheetToken: 'string' },
		body: {
			dimension: {
				type: 'object',
				required: true,
				fields: {
					sheetId: str(true),
					majorDimension: MAJOR,
					startIndex: int(true),
					endIndex: int(true),
				},
			},
		},
		limits: PER_SECOND_100,
	},
	{
		key: 'feishu.sheet.batchUpdate',
		...both,
		method: 'POST',
		path: `${V2}/sheets_batch_update`,
		pathParams: { spreadsheetToken: 'string' },
		body: { requests: { type: 'array', required: true, of: 'object' } },
		limits: PER_SECOND_100,
	},
];
