import type { IDataObject } from 'n8n-workflow';

import { linkOrIdLocator, sheetTabLocator } from '../../../shared/description';
import { lookup } from '../../../shared/lookup';
import { passedOn } from '../../../shared/tokens';
import type { ParamReader } from '../../../shared/params';
import { oneAtATime } from '../../../shared/serial';
import type { ReadMode } from '../../../shared/sheets';
import { a1 } from '../../../shared/sheets';
import type { ErrorMeanings, OperationStep } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import { forgetSheetStates } from '../../../shared/sheetRows';
import { parseDriveLink, resolveWiki, TOKEN, WIKI_LINK_ERRORS } from '../drive/common';

/**
 * Feishu Sheets (电子表格) basics: the spreadsheet and sheet pickers, links and wiki links resolved, the
 * documented error codes, reads in blocks, and writes to one spreadsheet one at a time.
 * Source: docs/research/feishu-sheets.md.
 */

/** The v2 codes (服务端错误码说明) and the v3 pages' codes, each with its documented meaning. */
export const SHEETS_ERRORS: ErrorMeanings = {
	...WIKI_LINK_ERRORS,
	'90201': 'The request body is not JSON.',
	'90202': 'The range is not valid (请求中range格式有误): check the sheet ID and the A1 range.',
	'90203': 'Feishu had an internal error: retry later.',
	'90204': 'The request body is not valid.',
	'90205': 'A user in the request is not valid.',
	'90206': 'A sheet ID is required.',
	'90207': 'The sheet name is empty.',
	'90208': 'The request names the same sheet ID or title twice.',
	'90209': 'The sheet ID already exists.',
	'90210': 'A sheet with this title already exists: give a title the spreadsheet does not have.',
	'90211': 'The sheet ID is wrong.',
	'90212': 'The rows or columns are not valid.',
	'90213':
		'No permission on the spreadsheet. As the app: add it to the spreadsheet (… › 添加文档应用) or share its folder with a group the app is a bot in.',
	'90214': 'The spreadsheet was not found: check its token or link.',
	'90215': 'The sheet (工作表) was not found in the spreadsheet.',
	'90216': 'A parameter is wrong, or the request changed nothing.',
	'90217': 'Too many requests: lower the call rate.',
	'90218': 'The cells are protected (单元格被保护).',
	'90219': 'Too many cells: a sheet holds at most 5,000,000 cells.',
	'90221': 'The answer would be too large (over 10 MB): read a smaller range.',
	'90222': 'A cell holds too much: at most 50,000 characters (40,000 recommended).',
	'90223': 'A column ID is not set.',
	'90224': 'A row ID is not set.',
	'90225': 'The spreadsheet is not linked to an ISV app.',
	'90226':
		'Over a limit: adjust the request to the message (at most 5,000 rows and 100 columns per write).',
	'90227': 'The request is too large: send less data.',
	'90228': 'The spreadsheet is being imported: wait for the import to finish.',
	'90229': 'A URL parameter is wrong.',
	'90235':
		'Retry later: an earlier operation has not finished, or the operation was too large (the sheet is processed one version at a time).',
	'90242': 'The spreadsheet is still loading: retry when it has loaded.',
	'1310202': 'The range is wrong (区域范围错误).',
	'1310204': 'The request body is wrong.',
	'1310211': 'The sheet ID is wrong.',
	'1310213':
		'No permission on the spreadsheet. As the app: add it to the spreadsheet (… › 添加文档应用), or share it with the user.',
	'1310214': 'The spreadsheet was not found: check its token or link.',
	'1310215': 'The sheet (工作表) was not found in the spreadsheet.',
	'1310217': 'Too many requests: lower the call rate.',
	'1310218': 'The cells are protected (单元格被保护).',
	'1310226': 'Over a limit: see the message.',
	'1310229': 'A URL parameter is wrong.',
	'1310235': 'Retry later (稍后重试).',
	'1310242': 'The spreadsheet is being restored: retry later.',
	'1310248': 'The regular expression is wrong.',
	'1310249': 'The spreadsheet was deleted: restore it from the trash and retry.',
	'1310250': 'The title did not pass the content check (标题违规).',
	'1310251': 'A parameter is invalid.',
	'1315201': 'Feishu had an internal error (服务内部错误).',
	'1315203': 'Feishu had an internal error (服务内部错误).',
	'1315210': 'Feishu had an internal error (服务内部错误).',
	'91402':
		'The document does not exist: a …/wiki/… link names a wiki node, not the spreadsheet (its token is resolved through the wiki).',
	'91403': 'No permission on the document.',
};

/** Writes and appends: "单次写入数据不得超过 5000 行、100列". */
export const MAX_WRITE_ROWS = 5000;
export const MAX_WRITE_COLUMNS = 100;
/** Writes stay under the 10 MB request limit, with room for the envelope. */
export const MAX_WRITE_BYTES = 9 * 1024 * 1024;
/** Reads: only "该接口返回数据的最大限制为 10 MB" is documented; a block asks for at most this many cells. */
export const CELLS_PER_READ = 100_000;
export const ROWS_PER_READ = 20_000;
/** Rows or columns added, inserted or deleted per call: "最多支持 … 5000 行或列". */
export const MAX_DIMENSION = 5000;

const LINK_PATTERN = 'https?://[^/]+/(sheets|wiki)/[A-Za-z0-9_-]+.*';

export const spreadsheetLocator = linkOrIdLocator({
	name: 'spreadsheet',
	displayName: 'Spreadsheet',
	description:
		'The spreadsheet (电子表格): paste its link (…/sheets/…, or a wiki link …/wiki/… to a spreadsheet) or give its token. An app sees only spreadsheets shared with it (… › 添加文档应用).',
	urlPlaceholder: 'https://example.feishu.cn/sheets/shtcnmBA6PkJPLyyoEHn1ZjAbc',
	pattern: LINK_PATTERN,
	patternError: 'Not a spreadsheet link (…/sheets/… or …/wiki/…)',
	idPlaceholder: 'shtcnmBA6PkJPLyyoEHn1ZjAbc',
});

export const sheetLocator = sheetTabLocator({
	description:
		"The sheet (工作表, a tab): pick one, or give its ID (the link's ?sheet=…) or its name",
	searchListMethod: 'searchSheets',
	dependsOn: ['spreadsheet.value'],
	idPlaceholder: '0b6377',
});

/** A sheet of a spreadsheet, as the query answers it (grid sizes for a grid sheet only). */
export interface SheetInfo {
	sheetId: string;
	title: string;
	index: number;
	hidden: boolean;
	/** `sheet`, or `bitable` / `#UNSUPPORTED_TYPE` (no cells). */
	resourceType: string;
	rowCount: number;
	columnCount: number;
}

type Step = Pick<OperationStep, 'ctx' | 'params' | 'send'>;

const SPREADSHEETS = new WeakMap<object, Map<string, Promise<{ token: string; type: string }>>>();

/** The spreadsheet token of the Spreadsheet field: a sheets link, a wiki link (resolved) or a token. */
export async function spreadsheetTokenOf(step: Step, field = 'spreadsheet'): Promise<string> {
	const p: ParamReader = step.params;
	const text = p.requiredString(field);
	if (!/^https?:\/\//i.test(text)) {
		if (!TOKEN.test(text))
			p.fail(field, `a spreadsheet token has only letters, digits, "_" and "-", got "${text}"`);
		return text;
	}
	const link = parseDriveLink(text);
	if (!link || (link.type !== 'sheet' && link.type !== 'wiki'))
		p.fail(field, `not a spreadsheet link (…/sheets/<token> or …/wiki/<node>), got "${text}"`);
	if (link.type === 'sheet') return link.token;
	const node = await lookup(SPREADSHEETS, step.ctx, link.token, p.itemIndex, async () => {
		return await resolveWiki(step, link.token);
	});
	if (node.type !== 'sheet')
		p.fail(field, `the wiki page is a ${node.type || 'page'}, not a spreadsheet (sheet)`);
	if (!TOKEN.test(node.token)) p.fail(field, 'the wiki page resolved to an invalid token');
	return node.token;
}

const spreadsheetPath = (token: string) =>
	`/open-apis/sheets/v3/spreadsheets/${encodeURIComponent(token)}`;
export const valuesPath = (token: string) =>
	`/open-apis/sheets/v2/spreadsheets/${encodeURIComponent(token)}`;

export function sheetInfoOf(raw: IDataObject): SheetInfo {
	const grid = (raw.grid_properties ?? {}) as IDataObject;
	return {
		sheetId: String(raw.sheet_id ?? ''),
		title: String(raw.title ?? ''),
		index: Number(raw.index ?? 0),
		hidden: raw.hidden === true,
		resourceType: String(raw.resource_type ?? 'sheet'),
		rowCount: Number(grid.row_count ?? 0),
		columnCount: Number(grid.column_count ?? 0),
	};
}

/** GET …/sheets/query: every sheet of the spreadsheet. */
export async function querySheets(send: Step['send'], token: string): Promise<SheetInfo[]> {
	const data = await send(
		{ method: 'GET', path: `${spreadsheetPath(token)}/sheets/query` },
		FEISHU_RATE_LIMITS['sheet.query'],
		SHEETS_ERRORS,
	);
	return ((data.sheets as IDataObject[] | undefined) ?? []).map(sheetInfoOf);
}

const SHEET_LISTS = new WeakMap<object, Map<string, Promise<SheetInfo[]>>>();

/**
 * The sheet the Sheet field names (its ID, else its name), from the spreadsheet's sheets, listed once per
 * execution. A sheet without cells (a base inside the spreadsheet) is bad input.
 */
export async function sheetOf(step: Step, token: string, field = 'sheet'): Promise<SheetInfo> {
	const p: ParamReader = step.params;
	const given = p.requiredString(field);
	const sheets = await lookup(
		SHEET_LISTS,
		step.ctx,
		token,
		p.itemIndex,
		async () => await querySheets(step.send, token),
	);
	const found = sheets.find((s) => s.sheetId === given) ?? sheets.find((s) => s.title === given);
	if (!found)
		p.fail(
			field,
			`the spreadsheet has no sheet with the ID or name "${given}"; its sheets are ${sheets.map((s) => `"${s.title}" (${s.sheetId})`).join(', ')}`,
		);
	if (found.resourceType !== 'sheet')
		p.fail(field, `"${found.title}" is a ${found.resourceType}, not a sheet of cells`);
	return found;
}

/** The sheet lists of this execution are stale after a tab was added or removed. */
/** The sheets and headers this execution knows are stale after a tab, rows or columns were added or removed. */
export function forgetSheets(step: Step): void {
	SHEET_LISTS.delete(step.ctx);
	forgetSheetStates(step.ctx);
}

/** Writes to one spreadsheet go one at a time in this process: "单个文档只能串行调用". */
export async function oneSheetWrite<T>(token: string, work: () => Promise<T>): Promise<T> {
	return await oneAtATime(`sheets\u0000${token}`, work);
}

/** The documented render options of each read mode. Users are always answered as open_id. */
export function renderQuery(mode: ReadMode): IDataObject {
	const byMode: Record<ReadMode, IDataObject> = {
		unformatted: { valueRenderOption: 'UnformattedValue', dateTimeRenderOption: 'FormattedString' },
		formatted: { valueRenderOption: 'FormattedValue', dateTimeRenderOption: 'FormattedString' },
		raw: { valueRenderOption: 'UnformattedValue' },
		formula: { valueRenderOption: 'Formula' },
	};
	return { ...byMode[mode], user_id_type: 'open_id' };
}

/**
 * GET …/values/<sheetId>!<range>: one rectangle of cells. Each block of a larger read is one of these; an
 * answer over the 10 MB limit (90221) is read again in halves.
 */
export async function readValues(
	step: Step,
	token: string,
	sheetId: string,
	range: { startRow: number; endRow: number; startColumn: number; endColumn: number },
	mode: ReadMode,
): Promise<unknown[][]> {
	const text = `${sheetId}!${a1(range.startRow, range.startColumn, range.endRow, range.endColumn)}`;
	try {
		const data = await step.send(
			{
				method: 'GET',
				path: `${valuesPath(token)}/values/${encodeURIComponent(text)}`,
				qs: renderQuery(mode),
			},
			FEISHU_RATE_LIMITS['sheet.readRange'],
			SHEETS_ERRORS,
		);
		const values = ((data.valueRange ?? {}) as IDataObject).values;
		return Array.isArray(values) ? (values as unknown[][]) : [];
	} catch (error) {
		const code = (error as { platformCode?: string }).platformCode;
		const rows = range.endRow - range.startRow + 1;
		if ((code === '90221' || code === '1310221') && rows > 1) {
			const middle = range.startRow + Math.floor(rows / 2) - 1;
			return [
				...(await readValues(step, token, sheetId, { ...range, endRow: middle }, mode)),
				...(await readValues(step, token, sheetId, { ...range, startRow: middle + 1 }, mode)),
			];
		}
		throw passedOn(error);
	}
}
