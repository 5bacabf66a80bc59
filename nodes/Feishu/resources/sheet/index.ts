import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import type { SheetResourceBase } from '../../../shared/sheetOperations';
import {
	clearBlock,
	deletePosition,
	readOperation,
	readRange,
	rowOperation,
	sheetOperation,
	writeGrid,
	writtenOutput,
} from '../../../shared/sheetOperations';
import { cellValuesOption, extraFieldsOption } from '../../../shared/sheetRows';
import type { CellBlock } from '../../../shared/sheetRows';
import { a1, columnLetter } from '../../../shared/sheets';
import type { OperationStep, ResourceDefinition } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import { feishuSheets, growGrid } from './api';
import {
	forgetSheets,
	MAX_DIMENSION,
	MAX_WRITE_COLUMNS,
	MAX_WRITE_ROWS,
	oneSheetWrite,
	sheetLocator,
	sheetOf,
	SHEETS_ERRORS,
	spreadsheetLocator,
	spreadsheetTokenOf,
	valuesPath,
} from './common';

export { spreadsheet } from './spreadsheet';

/**
 * Sheets (工作表) of a spreadsheet, the way n8n's Google Sheets node has them: rows in and out as items
 * keyed by the header row, plus tabs and A1 ranges for those who want them. The records and their fields
 * are shared with DingTalk's workbooks (nodes/shared/sheetOperations.ts); these are Feishu's requests.
 */

const base: SheetResourceBase = {
	errors: SHEETS_ERRORS,
	actsAs: ['app', 'user'],
	sheetFields: [spreadsheetLocator, sheetLocator],
	raw: 'As the sheet stores them: a date is the days since 1899-12-30 (45296 is 2024-01-05)',
	cellValues: cellValuesOption(
		'As a user typing them: "12" becomes a number, "=A1*2" a formula, 2024-01-05 a date (a serial number; give the column a date format to show it as one)',
	),
	extraFields: extraFieldsOption,
};

const text = (sheetId: string, block: CellBlock) =>
	`${sheetId}!${a1(block.startRow, block.startColumn, block.endRow, block.endColumn)}`;

/** PUT values over a rectangle in blocks of at most 5,000 rows and 100 columns (safe to send twice). */
async function putBlocks(
	step: OperationStep,
	token: string,
	sheetId: string,
	block: CellBlock,
	cellAt: (row: number, column: number) => unknown,
): Promise<number> {
	let updated = 0;
	for (let row = block.startRow; row <= block.endRow; row += MAX_WRITE_ROWS) {
		const lastRow = Math.min(block.endRow, row + MAX_WRITE_ROWS - 1);
		for (let col = block.startColumn; col <= block.endColumn; col += MAX_WRITE_COLUMNS) {
			const lastCol = Math.min(block.endColumn, col + MAX_WRITE_COLUMNS - 1);
			const values = Array.from({ length: lastRow - row + 1 }, (_, r) =>
				Array.from({ length: lastCol - col + 1 }, (_, c) => cellAt(row + r, col + c)),
			);
			const range = { startRow: row, endRow: lastRow, startColumn: col, endColumn: lastCol };
			const data = await step.send(
				{
					method: 'PUT',
					path: `${valuesPath(token)}/values`,
					body: { valueRange: { range: text(sheetId, range), values } },
				},
				FEISHU_RATE_LIMITS['sheet.writeRange'],
			);
			updated += Number(data.updatedCells ?? values.length * values[0].length);
		}
	}
	return updated;
}

const clear = sheetOperation(
	base,
	'clear',
	FEISHU_RATE_LIMITS['sheet.writeRange'],
	async (step) => {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const block = clearBlock(step.params, { rows: sheet.rowCount, columns: sheet.columnCount });
		// Feishu documents no clear call: empty values are written over the cells (formats stay).
		if (block)
			await oneSheetWrite(
				token,
				async () => await putBlocks(step, token, sheet.sheetId, block, () => ''),
			);
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					cleared: block ? text(sheet.sheetId, block) : null,
				},
			},
		];
	},
);

const deleteDimension = sheetOperation(
	base,
	'delete',
	FEISHU_RATE_LIMITS['sheet.deleteDimension'],
	async (step) => {
		const p: ParamReader = step.params;
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const { rows, start, count } = deletePosition(p);
		const size = rows ? sheet.rowCount : sheet.columnCount;
		const end = start + count - 1;
		if (end > size)
			p.fail(
				rows ? 'startRow' : 'startColumn',
				`the sheet has ${size} ${rows ? 'rows' : 'columns'}; ${count} from ${rows ? start : columnLetter(start)} go past its end`,
			);
		if (start === 1 && end === size)
			p.fail(
				'count',
				`a sheet keeps at least one ${rows ? 'row' : 'column'} ("一个工作表最少需有一行一列")`,
				'Number to Delete',
			);
		let deleted = 0;
		await oneSheetWrite(token, async () => {
			// Bottom up, at most 5,000 a call, so that the positions still to delete do not move.
			for (let last = end; last >= start; last -= MAX_DIMENSION) {
				const first = Math.max(start, last - MAX_DIMENSION + 1);
				await step.send({
					method: 'DELETE',
					path: `${valuesPath(token)}/dimension_range`,
					body: {
						dimension: {
							sheetId: sheet.sheetId,
							majorDimension: rows ? 'ROWS' : 'COLUMNS',
							startIndex: first,
							endIndex: last,
						},
					},
					// Sent again after a lost answer, it would delete the next rows too.
					idempotent: false,
				});
				deleted += last - first + 1;
			}
		});
		forgetSheets(step);
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					majorDimension: rows ? 'ROWS' : 'COLUMNS',
					startIndex: start,
					deleted,
				},
			},
		];
	},
);

/** Sheet titles: "长度不超过 100 个字符", none of / \ ? * [ ] : (更新工作表属性). */
function sheetTitle(p: ParamReader): string {
	const title = p.requiredString('title');
	if (title.length > 100)
		p.fail('title', `${title.length} characters; a sheet title has at most 100`);
	if (/[/\\?*[\]:]/.test(title)) p.fail('title', 'must not contain / \\ ? * [ ] or :');
	return title;
}

/** POST sheets_batch_update with one request; its reply of that kind. */
async function batchUpdate(
	step: OperationStep,
	token: string,
	request: IDataObject,
): Promise<IDataObject> {
	const data = await oneSheetWrite(
		token,
		async () =>
			await step.send({
				method: 'POST',
				path: `${valuesPath(token)}/sheets_batch_update`,
				body: { requests: [request] },
			}),
	);
	forgetSheets(step);
	const kind = Object.keys(request)[0];
	const replies = (data.replies as IDataObject[] | undefined) ?? [];
	return (replies.find((r) => r[kind])?.[kind] ?? {}) as IDataObject;
}

const createTab = sheetOperation(
	base,
	'create',
	FEISHU_RATE_LIMITS['sheet.batchUpdate'],
	async (step) => {
		const token = await spreadsheetTokenOf(step);
		const title = sheetTitle(step.params);
		const index = step.params.integer('index', 0, 0);
		const added = await batchUpdate(step, token, { addSheet: { properties: { title, index } } });
		return [{ json: { spreadsheetToken: token, ...((added.properties ?? {}) as IDataObject) } }];
	},
	{
		fields: [
			spreadsheetLocator,
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				required: true,
				description: 'At most 100 characters, none of / \\ ? * [ ] :',
			},
			{
				displayName: 'Position',
				name: 'index',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: "Where the tab goes: 0 is first (Feishu's default)",
			},
		],
	},
);

const removeTab = sheetOperation(
	base,
	'remove',
	FEISHU_RATE_LIMITS['sheet.batchUpdate'],
	async (step) => {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const removed = await batchUpdate(step, token, { deleteSheet: { sheetId: sheet.sheetId } });
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					title: sheet.title,
					deleted: removed.result !== false,
				},
			},
		];
	},
);

const getRange = sheetOperation(
	base,
	'readRange',
	FEISHU_RATE_LIMITS['sheet.readRange'],
	async (step) => {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const { range, values } = await readRange(
			feishuSheets,
			step,
			{ book: token, sheetId: sheet.sheetId },
			{ rows: sheet.rowCount, columns: sheet.columnCount },
		);
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					range: range ? text(sheet.sheetId, range) : null,
					values: values as unknown as IDataObject[],
				},
			},
		];
	},
);

const updateRange = sheetOperation(
	base,
	'writeRange',
	FEISHU_RATE_LIMITS['sheet.writeRange'],
	async (step) => {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const { cells, block } = writeGrid(step.params, feishuSheets);
		const written = await oneSheetWrite(token, async () => {
			// A write past the grid's edge: the rows or columns are added first.
			await growGrid(
				step,
				{
					book: token,
					sheetId: sheet.sheetId,
					rowCount: sheet.rowCount,
					columnCount: sheet.columnCount,
				},
				block.endRow,
				block.endColumn,
			);
			return await putBlocks(
				step,
				token,
				sheet.sheetId,
				block,
				(row, column) => cells[row - block.startRow][column - block.startColumn],
			);
		});
		if (block.endRow > sheet.rowCount || block.endColumn > sheet.columnCount) forgetSheets(step);
		return [
			{
				json: writtenOutput(
					{ spreadsheetToken: token, sheetId: sheet.sheetId },
					text(sheet.sheetId, block),
					block,
					written,
				),
			},
		];
	},
);

export const sheet: ResourceDefinition = {
	value: 'sheet',
	name: 'Sheet',
	description: 'Rows of a sheet (工作表) keyed by its header row, its tabs and A1 ranges',
	operations: [
		rowOperation(feishuSheets, base, 'append', FEISHU_RATE_LIMITS['sheet.append']),
		rowOperation(feishuSheets, base, 'appendOrUpdate', FEISHU_RATE_LIMITS['sheet.writeRanges']),
		clear,
		createTab,
		removeTab,
		deleteDimension,
		readOperation(feishuSheets, base, FEISHU_RATE_LIMITS['sheet.readRange']),
		getRange,
		rowOperation(feishuSheets, base, 'update', FEISHU_RATE_LIMITS['sheet.writeRanges']),
		updateRange,
	],
	defaultOperation: 'read',
};
