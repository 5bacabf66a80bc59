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
/** A v2 write of a spreadsheet: …/:spreadsheetToken/<tail>, 100 a second. */
const v2 = (
	key: string,
	method: 'POST' | 'PUT' | 'DELETE',
	tail: string,
	body: Record<string, FieldSpec>,
): RouteSpec => ({
	key,
	...both,
	method,
	path: `${V2}/${tail}`,
	pathParams: { spreadsheetToken: 'string' },
	body,
	limits: PER_SECOND_100,
});
/** The dimension_range body: a sheet, rows or columns, and the fields of the call. */
const dimension = (fields: Record<string, FieldSpec>): FieldSpec => ({
	type: 'object',
	required: true,
	fields: { sheetId: str(true), majorDimension: MAJOR, ...fields },
});

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
	v2('feishu.sheet.writeRange', 'PUT', 'values', { valueRange: VALUE_RANGE }),
	v2('feishu.sheet.writeRanges', 'POST', 'values_batch_update', {
		valueRanges: {
			type: 'array',
			required: true,
			items: { range: str(true), values: { type: 'array', required: true, of: 'array' } },
		},
	}),
	{
		...v2('feishu.sheet.append', 'POST', 'values_append', { valueRange: VALUE_RANGE }),
		query: { insertDataOption: str(false, { enum: ['OVERWRITE', 'INSERT_ROWS'] }) },
	},
	v2('feishu.sheet.addDimension', 'POST', 'dimension_range', {
		dimension: dimension({ length: int(true) }),
	}),
	v2('feishu.sheet.deleteDimension', 'DELETE', 'dimension_range', {
		dimension: dimension({ startIndex: int(true), endIndex: int(true) }),
	}),
	v2('feishu.sheet.batchUpdate', 'POST', 'sheets_batch_update', {
		requests: { type: 'array', required: true, of: 'object' },
	}),
];
