import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import {
	cellValuesOption,
	columnsProperty,
	extraFieldsOption,
	getRows,
	headerRowOption,
	readModeOf,
	readModeOption,
	readOptions,
	readProperties,
	readRows,
	rowBatch,
} from '../../../shared/sheetRows';
import type { SheetState } from '../../../shared/sheetRows';
import { a1, columnIndex, columnLetter, parseA1, toCell } from '../../../shared/sheets';
import type { OperationDefinition, OperationStep, ResourceDefinition } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import { feishuSheets } from './api';
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
 * keyed by the header row, plus tabs and A1 ranges for those who want them.
 */

const BOTH = ['app', 'user'] as const;
const RAW = 'As the sheet stores them: a date is the days since 1899-12-30 (45296 is 2024-01-05)';
const readMode = (step: OperationStep) => readModeOf(step.params);
const writeOptions: INodeProperties[] = [
	cellValuesOption(
		'As a user typing them: "12" becomes a number, "=A1*2" a formula, 2024-01-05 a date (a serial number; give the column a date format to show it as one)',
	),
	extraFieldsOption,
];

const append: OperationDefinition = {
	value: 'append',
	actsAs: BOTH,
	name: 'Append Row',
	action: 'Append rows to a sheet',
	description:
		'Add each item as a row after the last row with data, its fields matched to the header row',
	lane: FEISHU_RATE_LIMITS['sheet.append'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator, sheetLocator, columnsProperty(feishuSheets, 'add')],
	extraOptions: [headerRowOption, ...writeOptions],
	batch: rowBatch(feishuSheets, 'append'),
};

const appendOrUpdate: OperationDefinition = {
	value: 'appendOrUpdate',
	actsAs: BOTH,
	name: 'Append or Update Row',
	action: 'Append or update rows in a sheet',
	description:
		'Update the rows whose key column matches the item, or append a row when none does (upsert)',
	lane: FEISHU_RATE_LIMITS['sheet.writeRanges'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator, sheetLocator, columnsProperty(feishuSheets, 'upsert')],
	extraOptions: [headerRowOption, ...writeOptions],
	batch: rowBatch(feishuSheets, 'appendOrUpdate'),
};

const update: OperationDefinition = {
	value: 'update',
	actsAs: BOTH,
	name: 'Update Row',
	action: 'Update rows in a sheet',
	description:
		'Update the rows whose key column matches the item (every matching row); an item that matches none fails',
	lane: FEISHU_RATE_LIMITS['sheet.writeRanges'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator, sheetLocator, columnsProperty(feishuSheets, 'update')],
	extraOptions: [headerRowOption, ...writeOptions],
	batch: rowBatch(feishuSheets, 'update'),
};

const read: OperationDefinition = {
	value: 'read',
	actsAs: BOTH,
	name: 'Get Rows',
	action: 'Get rows from a sheet',
	description: 'Each row becomes an item keyed by the header row, with its row_number',
	lane: FEISHU_RATE_LIMITS['sheet.readRange'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator, sheetLocator, ...readProperties],
	extraOptions: readOptions(RAW),
	run: async (step) => await getRows(feishuSheets, step),
};

/** Writes "" over a rectangle in blocks of at most 5,000 rows and 100 columns (PUT values, safe to send twice). */
async function clearCells(
	step: OperationStep,
	token: string,
	sheetId: string,
	range: { startRow: number; endRow: number; startColumn: number; endColumn: number },
): Promise<void> {
	for (let row = range.startRow; row <= range.endRow; row += MAX_WRITE_ROWS) {
		const lastRow = Math.min(range.endRow, row + MAX_WRITE_ROWS - 1);
		for (let col = range.startColumn; col <= range.endColumn; col += MAX_WRITE_COLUMNS) {
			const lastCol = Math.min(range.endColumn, col + MAX_WRITE_COLUMNS - 1);
			const values = Array.from({ length: lastRow - row + 1 }, () =>
				new Array(lastCol - col + 1).fill(''),
			);
			await step.send(
				{
					method: 'PUT',
					path: `${valuesPath(token)}/values`,
					body: { valueRange: { range: `${sheetId}!${a1(row, col, lastRow, lastCol)}`, values } },
				},
				FEISHU_RATE_LIMITS['sheet.writeRange'],
			);
		}
	}
}

const clear: OperationDefinition = {
	value: 'clear',
	actsAs: BOTH,
	name: 'Clear',
	action: 'Clear a sheet',
	description:
		"Empty the sheet's cells (or a range's), keeping the header row if asked; formats stay",
	lane: FEISHU_RATE_LIMITS['sheet.writeRange'],
	errors: SHEETS_ERRORS,
	properties: [
		spreadsheetLocator,
		sheetLocator,
		{
			displayName: 'Clear',
			name: 'clear',
			type: 'options',
			options: [
				{ name: 'Whole Sheet', value: 'wholeSheet' },
				{ name: 'A Range', value: 'range' },
			],
			default: 'wholeSheet',
		},
		{
			displayName: 'Keep Header Row',
			name: 'keepHeader',
			type: 'boolean',
			default: false,
			description: 'Whether to keep the first row (the header)',
			displayOptions: { show: { clear: ['wholeSheet'] } },
		},
		{
			displayName: 'Range',
			name: 'range',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'A2:F100',
			description: 'The cells to empty, in A1 notation (A2:F100, A:C, A5:F)',
			displayOptions: { show: { clear: ['range'] } },
		},
	],
	async run(step) {
		const p: ParamReader = step.params;
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		let range = {
			startRow: 1,
			endRow: sheet.rowCount,
			startColumn: 1,
			endColumn: sheet.columnCount,
		};
		if (p.choice('clear', ['wholeSheet', 'range'], 'wholeSheet') === 'range') {
			const text = p.requiredString('range');
			const given = parseA1(text);
			if (!given) p.fail('range', `not an A1 range (A2:F100, A:C), got "${text}"`);
			range = {
				startRow: given.startRow ?? 1,
				endRow: Math.min(given.endRow ?? sheet.rowCount, sheet.rowCount),
				startColumn: given.startColumn,
				endColumn: Math.min(given.endColumn ?? sheet.columnCount, sheet.columnCount),
			};
		} else if (p.boolean('keepHeader', false)) range.startRow = 2;
		const empty = range.startRow > range.endRow || range.startColumn > range.endColumn;
		if (!empty)
			await oneSheetWrite(token, async () => await clearCells(step, token, sheet.sheetId, range));
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					cleared: empty
						? null
						: `${sheet.sheetId}!${a1(range.startRow, range.startColumn, range.endRow, range.endColumn)}`,
				},
			},
		];
	},
};

const deleteDimension: OperationDefinition = {
	value: 'delete',
	actsAs: BOTH,
	name: 'Delete Rows or Columns',
	action: 'Delete rows or columns',
	description: 'Delete rows or columns by position; those below or to the right move up or left',
	lane: FEISHU_RATE_LIMITS['sheet.deleteDimension'],
	errors: SHEETS_ERRORS,
	properties: [
		spreadsheetLocator,
		sheetLocator,
		{
			displayName: 'To Delete',
			name: 'toDelete',
			type: 'options',
			options: [
				{ name: 'Rows', value: 'rows' },
				{ name: 'Columns', value: 'columns' },
			],
			default: 'rows',
		},
		{
			displayName: 'Start Row Number',
			name: 'startRow',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 2,
			description:
				'The first row to delete (1 is the top row; a row read earlier has it as row_number)',
			displayOptions: { show: { toDelete: ['rows'] } },
		},
		{
			displayName: 'Start Column',
			name: 'startColumn',
			type: 'string',
			default: 'A',
			placeholder: 'C',
			description: 'The first column to delete, by its letter',
			displayOptions: { show: { toDelete: ['columns'] } },
		},
		{
			displayName: 'Number to Delete',
			name: 'count',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
		},
	],
	async run(step) {
		const p: ParamReader = step.params;
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const rows = p.choice('toDelete', ['rows', 'columns'], 'rows') === 'rows';
		let start: number;
		if (rows) start = p.integer('startRow', 2, 1);
		else {
			const letters = p.requiredString('startColumn');
			const index = columnIndex(letters);
			if (index === undefined)
				p.fail('startColumn', `not a column letter (A, C, AB), got "${letters}"`);
			start = index;
		}
		const count = p.integer('count', 1, 1);
		const size = rows ? sheet.rowCount : sheet.columnCount;
		const field = rows ? 'startRow' : 'startColumn';
		const end = start + count - 1;
		if (end > size)
			p.fail(
				field,
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
};

/** Sheet titles: "长度不超过 100 个字符", none of / \ ? * [ ] : (更新工作表属性). */
function sheetTitle(step: OperationStep): string {
	const p: ParamReader = step.params;
	const title = p.requiredString('title');
	if (title.length > 100)
		p.fail('title', `${title.length} characters; a sheet title has at most 100`);
	if (/[/\\?*[\]:]/.test(title)) p.fail('title', 'must not contain / \\ ? * [ ] or :');
	return title;
}

const createTab: OperationDefinition = {
	value: 'create',
	actsAs: BOTH,
	name: 'Create',
	action: 'Create a sheet',
	description: 'Add a sheet (a tab) to the spreadsheet',
	lane: FEISHU_RATE_LIMITS['sheet.batchUpdate'],
	errors: SHEETS_ERRORS,
	properties: [
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
	async run(step) {
		const token = await spreadsheetTokenOf(step);
		const title = sheetTitle(step);
		const index = step.params.integer('index', 0, 0);
		const data = await oneSheetWrite(
			token,
			async () =>
				await step.send({
					method: 'POST',
					path: `${valuesPath(token)}/sheets_batch_update`,
					body: { requests: [{ addSheet: { properties: { title, index } } }] },
				}),
		);
		forgetSheets(step);
		const replies = (data.replies as IDataObject[] | undefined) ?? [];
		const added = (replies.find((r) => r.addSheet)?.addSheet ?? {}) as IDataObject;
		return [{ json: { spreadsheetToken: token, ...((added.properties ?? {}) as IDataObject) } }];
	},
};

const removeTab: OperationDefinition = {
	value: 'remove',
	actsAs: BOTH,
	name: 'Delete',
	action: 'Delete a sheet',
	description: 'Remove a sheet (a tab) and its cells from the spreadsheet',
	lane: FEISHU_RATE_LIMITS['sheet.batchUpdate'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator, sheetLocator],
	async run(step) {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const data = await oneSheetWrite(
			token,
			async () =>
				await step.send({
					method: 'POST',
					path: `${valuesPath(token)}/sheets_batch_update`,
					body: { requests: [{ deleteSheet: { sheetId: sheet.sheetId } }] },
				}),
		);
		forgetSheets(step);
		const replies = (data.replies as IDataObject[] | undefined) ?? [];
		const removed = (replies.find((r) => r.deleteSheet)?.deleteSheet ?? {}) as IDataObject;
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
};

const rangeField = (description: string, placeholder: string): INodeProperties => ({
	displayName: 'Range',
	name: 'range',
	type: 'string',
	default: '',
	required: true,
	placeholder,
	description,
});

const readRange: OperationDefinition = {
	value: 'readRange',
	actsAs: BOTH,
	name: 'Get Range',
	action: 'Get the cells of a range',
	description: "A range's cells as a 2-D array (rows of cells), in A1 notation",
	lane: FEISHU_RATE_LIMITS['sheet.readRange'],
	errors: SHEETS_ERRORS,
	properties: [
		spreadsheetLocator,
		sheetLocator,
		rangeField('The cells in A1 notation: A1:C10, or A:C (columns, to the last row)', 'A1:C10'),
	],
	extraOptions: [readModeOption(RAW)],
	async run(step) {
		const p: ParamReader = step.params;
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const text = p.requiredString('range');
		const given = parseA1(text);
		if (!given) p.fail('range', `not an A1 range (A1:C10, A:C), got "${text}"`);
		const bounds = {
			first: given.startRow ?? 1,
			last: Math.min(given.endRow ?? sheet.rowCount, sheet.rowCount),
			startColumn: given.startColumn,
			endColumn: Math.min(given.endColumn ?? sheet.columnCount, sheet.columnCount),
		};
		const mode = readMode(step);
		const values: unknown[][] = [];
		if (bounds.first <= bounds.last && bounds.startColumn <= bounds.endColumn)
			await readRows(
				feishuSheets,
				step,
				{ book: token, sheetId: sheet.sheetId } as SheetState,
				bounds,
				mode,
				(_row, cells) => {
					const width = bounds.endColumn - bounds.startColumn + 1;
					values.push(Array.from({ length: width }, (_, i) => cells[i] ?? null));
				},
			);
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					range:
						values.length === 0
							? null
							: `${sheet.sheetId}!${a1(bounds.first, bounds.startColumn, bounds.last, bounds.endColumn)}`,
					values: values as unknown as IDataObject[],
				},
			},
		];
	},
};

const writeRange: OperationDefinition = {
	value: 'writeRange',
	actsAs: BOTH,
	name: 'Update Range',
	action: 'Write cells of a range',
	description:
		'Write a 2-D array (rows of cells) from a cell on, in A1 notation; the cells it covers are overwritten',
	lane: FEISHU_RATE_LIMITS['sheet.writeRange'],
	errors: SHEETS_ERRORS,
	properties: [
		spreadsheetLocator,
		sheetLocator,
		rangeField(
			'Where to write: its top-left cell (B2), or a range the values must fit (B2:D10)',
			'A1',
		),
		{
			displayName: 'Values',
			name: 'values',
			type: 'json',
			default: '[["Name", "Amount"], ["Ada", 12]]',
			required: true,
			description: 'A JSON array of rows, each an array of cells',
		},
	],
	extraOptions: [writeOptions[0]],
	async run(step) {
		const p: ParamReader = step.params;
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		const text = p.requiredString('range');
		const given = parseA1(text);
		if (!given || given.startRow === undefined)
			p.fail('range', `not a cell or range in A1 notation (B2, B2:D10), got "${text}"`);
		let rows = p.raw('values') as unknown;
		if (typeof rows === 'string') {
			try {
				rows = JSON.parse(rows);
			} catch (error) {
				p.fail('values', `is not valid JSON (${(error as Error).message})`);
			}
		}
		if (!Array.isArray(rows) || rows.length === 0 || !rows.every(Array.isArray))
			p.fail(
				'values',
				'must be a non-empty array of rows, each an array of cells ([["a", 1], ["b", 2]])',
			);
		const grid = rows as unknown[][];
		const width = Math.max(...grid.map((r) => r.length));
		if (width === 0) p.fail('values', 'every row is empty');
		const mode = p.choice('options.cellValues', ['userEntered', 'raw'], 'userEntered');
		const cells = grid.map((row, r) =>
			Array.from({ length: width }, (_, c) =>
				toCell(row[c], mode, (problem) =>
					p.fail('values', `row ${r + 1}, cell ${c + 1}: ${problem}`),
				),
			),
		);
		const lastRow = given.startRow + cells.length - 1;
		const lastColumn = given.startColumn + width - 1;
		const fitsRows = given.endRow === given.startRow && given.endColumn === given.startColumn;
		if (
			!fitsRows &&
			((given.endRow !== undefined && lastRow > given.endRow) ||
				(given.endColumn !== undefined && lastColumn > given.endColumn))
		)
			p.fail('values', `${cells.length} rows × ${width} columns do not fit in ${text}`);
		const written = await oneSheetWrite(token, async () => {
			// A write past the grid's edge: the rows or columns are added first.
			for (const [dimension, missing] of [
				['ROWS', lastRow - sheet.rowCount],
				['COLUMNS', lastColumn - sheet.columnCount],
			] as const) {
				for (let left = missing; left > 0; left -= MAX_DIMENSION) {
					await step.send(
						{
							method: 'POST',
							path: `${valuesPath(token)}/dimension_range`,
							body: {
								dimension: {
									sheetId: sheet.sheetId,
									majorDimension: dimension,
									length: Math.min(MAX_DIMENSION, left),
								},
							},
						},
						FEISHU_RATE_LIMITS['sheet.addDimension'],
					);
				}
			}
			let updatedCells = 0;
			for (let r = 0; r < cells.length; r += MAX_WRITE_ROWS) {
				for (let c = 0; c < width; c += MAX_WRITE_COLUMNS) {
					const block = cells
						.slice(r, r + MAX_WRITE_ROWS)
						.map((row) => row.slice(c, c + MAX_WRITE_COLUMNS));
					const top = given.startRow! + r;
					const left = given.startColumn + c;
					const data = await step.send({
						method: 'PUT',
						path: `${valuesPath(token)}/values`,
						body: {
							valueRange: {
								range: `${sheet.sheetId}!${a1(top, left, top + block.length - 1, left + block[0].length - 1)}`,
								values: block,
							},
						},
					});
					updatedCells += Number(data.updatedCells ?? block.length * block[0].length);
				}
			}
			return updatedCells;
		});
		if (lastRow > sheet.rowCount || lastColumn > sheet.columnCount) forgetSheets(step);
		return [
			{
				json: {
					spreadsheetToken: token,
					sheetId: sheet.sheetId,
					updatedRange: `${sheet.sheetId}!${a1(given.startRow, given.startColumn, lastRow, lastColumn)}`,
					updatedRows: cells.length,
					updatedColumns: width,
					updatedCells: written,
				},
			},
		];
	},
};

export const sheet: ResourceDefinition = {
	value: 'sheet',
	name: 'Sheet',
	description: 'Rows of a sheet (工作表) keyed by its header row, its tabs and A1 ranges',
	operations: [
		append,
		appendOrUpdate,
		clear,
		createTab,
		removeTab,
		deleteDimension,
		read,
		readRange,
		update,
		writeRange,
	],
	defaultOperation: 'read',
};
