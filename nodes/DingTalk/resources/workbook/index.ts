import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { lookup } from '../../../shared/lookup';
import type { ParamReader } from '../../../shared/params';
import { OUTCOME_UNKNOWN } from '../../../shared/retry';
import type { SheetApi, SheetState } from '../../../shared/sheetRows';
import {
	cellValuesOption,
	columnsProperty,
	extraFieldsOption,
	getRows,
	headerRowOf,
	headerRowOption,
	readModeOf,
	readModeOption,
	readOptions,
	readProperties,
	readRows,
	rowBatch,
} from '../../../shared/sheetRows';
import {
	a1,
	columnIndex,
	columnLetter,
	definedRuns,
	headerNames,
	isEmptyRow,
	parseA1,
	toCell,
} from '../../../shared/sheets';
import { passedOn } from '../../../shared/tokens';
import type { OperationDefinition, OperationStep, ResourceDefinition } from '../../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../../transport';
import {
	CELLS_PER_READ,
	forgetSheets,
	MAX_APPEND_ROWS,
	MAX_WRITE_BYTES,
	MAX_WRITE_COLUMNS,
	oneWorkbookWrite,
	operatorField,
	operatorOf,
	readValues,
	ROWS_PER_READ,
	sheetInfo,
	sheetOf,
	sheetsPath,
	STATES,
	WORKBOOK_ERRORS,
	workbookIdOf,
	workbookLocator,
	workbookSend,
	workbookSheetLocator,
} from './common';

/**
 * DingTalk workbooks (钉钉表格): the same rows model as Feishu Sheets (nodes/shared/sheetRows.ts) over
 * DingTalk's documented workbook APIs, with the operator's unionId they require.
 */

/** A cell as DingTalk's write pages take it: the SDK types `values` as rows of strings, read as typed. */
function encode(cell: unknown): unknown {
	if (cell === null || cell === undefined) return '';
	if (typeof cell === 'string') return cell;
	if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
	const typed = cell as IDataObject;
	if (typed.type === 'formula' && typeof typed.text === 'string') return typed.text;
	if (typed.type === 'url') return String(typed.link ?? typed.text ?? '');
	if (typeof typed.text === 'string') return typed.text;
	return JSON.stringify(cell);
}

/** A rectangle's A1 address: rows first…last of columns start…end. */
const address = (startRow: number, startColumn: number, endRow: number, endColumn: number) =>
	a1(startRow, startColumn, endRow, endColumn);

async function putRange(
	step: OperationStep,
	state: { book: string; sheetId: string },
	at: { row: number; column: number },
	values: unknown[][],
): Promise<IDataObject> {
	const range = address(
		at.row,
		at.column,
		at.row + values.length - 1,
		at.column + values[0].length - 1,
	);
	return await workbookSend(
		step,
		state.book,
		{
			method: 'PUT',
			path: `${sheetsPath(state.book)}/${encodeURIComponent(state.sheetId)}/ranges/${encodeURIComponent(range)}`,
			qs: { operatorId: operatorOf(step.params) },
			body: { values },
		},
		DINGTALK_RATE_LIMITS['workbookSheet.writeRange'],
	);
}

export const dingTalkSheets: SheetApi = {
	async state(step) {
		const workbookId = workbookIdOf(step.params);
		const sheet = await sheetOf(step, workbookId);
		const headerRow = headerRowOf(step.params);
		return await lookup(
			STATES,
			step.ctx,
			`${workbookId}\u0000${sheet.id}\u0000${headerRow}`,
			step.params.itemIndex,
			async () => {
				let header: string[] = [];
				if (headerRow <= sheet.lastRow && sheet.lastColumn > 0) {
					const [cells = []] = await readValues(
						step,
						workbookId,
						sheet.id,
						{ startRow: headerRow, endRow: headerRow, startColumn: 1, endColumn: sheet.lastColumn },
						'formatted',
					);
					let width = cells.length;
					while (width > 0 && isEmptyRow([cells[width - 1]])) width--;
					header = headerNames(cells.slice(0, width));
				}
				// DingTalk says where the data ends (lastNonEmptyRow): reads stop there, not at the grid's edge.
				return {
					book: workbookId,
					sheetId: sheet.id,
					title: sheet.name,
					rowCount: sheet.lastRow,
					columnCount: sheet.columnCount,
					headerRow,
					header,
					keys: new Map(),
				};
			},
		);
	},

	async readBlock(step, state, block, mode) {
		return await readValues(step, state.book, state.sheetId, block, mode);
	},

	async writeHeader(step, state) {
		await putRange(step, state, { row: state.headerRow, column: 1 }, [state.header]);
		state.rowCount = Math.max(state.rowCount, state.headerRow);
	},

	/** POST …/appendRows: "finds the last row that has data and writes below it"; answers the range written. */
	async append(step, state, rows, itemIndexes) {
		let data: IDataObject;
		try {
			data = await workbookSend(
				step,
				state.book,
				{
					method: 'POST',
					path: `${sheetsPath(state.book)}/${encodeURIComponent(state.sheetId)}/appendRows`,
					qs: { operatorId: operatorOf(step.params) },
					body: { values: rows },
				},
				DINGTALK_RATE_LIMITS['workbookSheet.append'],
			);
		} catch (error) {
			const described = error as Error & { description?: string };
			if (described.description?.includes(OUTCOME_UNKNOWN))
				described.description += ` The ${rows.length} row(s) of items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]} may already be in sheet "${state.title}": DingTalk documents no idempotency key for appendRows, so it was not sent again.`;
			throw passedOn(error);
		}
		const match = /^(?:[^!]*!)?\$?[A-Za-z]+\$?(\d+)/.exec(String(data.a1Notation ?? ''));
		return match ? Number(match[1]) : undefined;
	},

	/**
	 * PUT …/ranges/{A1} per rectangle: consecutive rows whose mapped columns are the same go in one call
	 * (DingTalk documents no batch write; its `batch` endpoint has no page).
	 */
	async update(step, state, updates) {
		const sorted = [...updates].sort((a, b) => a.row - b.row);
		const blocks: Array<{ row: number; column: number; values: unknown[][] }> = [];
		// The block each column span is growing, while the rows stay consecutive.
		const open = new Map<string, { row: number; column: number; values: unknown[][] }>();
		for (const { row, cells } of sorted) {
			for (const run of definedRuns(cells)) {
				const span = `${run.start}:${run.cells.length}`;
				const last = open.get(span);
				if (last && last.row + last.values.length === row && last.values.length < MAX_APPEND_ROWS)
					last.values.push(run.cells);
				else {
					const block = { row, column: run.start + 1, values: [run.cells] };
					blocks.push(block);
					open.set(span, block);
				}
			}
		}
		for (const block of blocks) await putRange(step, state, block, block.values);
	},

	oneWrite: async (state, work) => await oneWorkbookWrite(state.book, work),
	encode,
	dates: 'text',
	limits: {
		maxColumns: MAX_WRITE_COLUMNS,
		maxRows: MAX_APPEND_ROWS,
		maxBytes: MAX_WRITE_BYTES,
		cellsPerRead: CELLS_PER_READ,
		rowsPerRead: ROWS_PER_READ,
	},
	mapper: {
		method: 'getWorkbookSheetColumns',
		dependsOn: ['workbook.value', 'sheet.value', 'unionId'],
	},
};

const RAW = 'The cell values as DingTalk answers them (values), formulas computed';
const writeOptions: INodeProperties[] = [
	cellValuesOption(
		'As a user typing them: DingTalk reads "12" as a number, "=A1*2" as a formula and 2024-01-05 as a date',
	),
	extraFieldsOption,
];
const rows = [operatorField, workbookLocator, workbookSheetLocator];

const rowOperation = (
	value: 'append' | 'appendOrUpdate' | 'update',
	name: string,
	action: string,
	description: string,
	mode: 'add' | 'upsert' | 'update',
	lane: keyof typeof DINGTALK_RATE_LIMITS,
): OperationDefinition => ({
	value,
	name,
	action,
	description,
	lane: DINGTALK_RATE_LIMITS[lane],
	errors: WORKBOOK_ERRORS,
	properties: [...rows, columnsProperty(dingTalkSheets, mode)],
	extraOptions: [headerRowOption, ...writeOptions],
	batch: rowBatch(dingTalkSheets, value),
});

const sheetOperations: OperationDefinition[] = [
	rowOperation(
		'append',
		'Append Row',
		'Append rows to a sheet',
		'Add each item as a row after the last row with data, its fields matched to the header row',
		'add',
		'workbookSheet.append',
	),
	rowOperation(
		'appendOrUpdate',
		'Append or Update Row',
		'Append or update rows in a sheet',
		'Update the rows whose key column matches the item, or append a row when none does (upsert)',
		'upsert',
		'workbookSheet.writeRange',
	),
	rowOperation(
		'update',
		'Update Row',
		'Update rows in a sheet',
		'Update the rows whose key column matches the item (every matching row); an item that matches none fails',
		'update',
		'workbookSheet.writeRange',
	),
	{
		value: 'read',
		name: 'Get Rows',
		action: 'Get rows from a sheet',
		description: 'Each row becomes an item keyed by the header row, with its row_number',
		lane: DINGTALK_RATE_LIMITS['workbookSheet.readRange'],
		errors: WORKBOOK_ERRORS,
		properties: [...rows, ...readProperties],
		extraOptions: readOptions(RAW),
		run: async (step) => await getRows(dingTalkSheets, step),
	},
	{
		value: 'clear',
		name: 'Clear',
		action: 'Clear a sheet',
		description:
			"Empty the sheet's cells (or a range's), keeping the header row if asked; formats stay",
		lane: DINGTALK_RATE_LIMITS['workbookSheet.clear'],
		errors: WORKBOOK_ERRORS,
		properties: [
			...rows,
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
				description: 'The cells to empty, in A1 notation (A2:F100)',
				displayOptions: { show: { clear: ['range'] } },
			},
		],
		async run(step) {
			const p: ParamReader = step.params;
			const workbookId = workbookIdOf(p);
			const sheet = await sheetOf(step, workbookId);
			let range = {
				startRow: 1,
				endRow: sheet.lastRow,
				startColumn: 1,
				endColumn: sheet.lastColumn,
			};
			if (p.choice('clear', ['wholeSheet', 'range'], 'wholeSheet') === 'range') {
				const text = p.requiredString('range');
				const given = parseA1(text);
				if (!given) p.fail('range', `not an A1 range (A2:F100, A:C), got "${text}"`);
				range = {
					startRow: given.startRow ?? 1,
					endRow: given.endRow ?? Math.max(1, sheet.lastRow),
					startColumn: given.startColumn,
					endColumn: given.endColumn ?? Math.max(1, sheet.lastColumn),
				};
			} else if (p.boolean('keepHeader', false)) range.startRow = 2;
			const empty = range.startRow > range.endRow || range.startColumn > range.endColumn;
			const text = empty
				? null
				: address(range.startRow, range.startColumn, range.endRow, range.endColumn);
			if (text)
				await oneWorkbookWrite(
					workbookId,
					async () =>
						await workbookSend(
							step,
							workbookId,
							{
								method: 'POST',
								path: `${sheetsPath(workbookId)}/${encodeURIComponent(sheet.id)}/ranges/${encodeURIComponent(text)}/clearData`,
								qs: { operatorId: operatorOf(p) },
								// Clearing the same cells again leaves them as they are.
								idempotent: true,
							},
							DINGTALK_RATE_LIMITS['workbookSheet.clear'],
						),
				);
			return [{ json: { workbookId, sheetId: sheet.id, cleared: text } }];
		},
	},
	{
		value: 'delete',
		name: 'Delete Rows or Columns',
		action: 'Delete rows or columns',
		description: 'Delete rows or columns by position; those below or to the right move up or left',
		lane: DINGTALK_RATE_LIMITS['workbookSheet.deleteDimension'],
		errors: WORKBOOK_ERRORS,
		properties: [
			...rows,
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
			const workbookId = workbookIdOf(p);
			const sheet = await sheetOf(step, workbookId);
			const byRows = p.choice('toDelete', ['rows', 'columns'], 'rows') === 'rows';
			let start: number;
			if (byRows) start = p.integer('startRow', 2, 1);
			else {
				const letters = p.requiredString('startColumn');
				const index = columnIndex(letters);
				if (index === undefined)
					p.fail('startColumn', `not a column letter (A, C, AB), got "${letters}"`);
				start = index;
			}
			const count = p.integer('count', 1, 1);
			// The pages' cursors are 0-based ("游标，从0开始").
			await oneWorkbookWrite(
				workbookId,
				async () =>
					await workbookSend(
						step,
						workbookId,
						{
							method: 'POST',
							path: `${sheetsPath(workbookId)}/${encodeURIComponent(sheet.id)}/${byRows ? 'deleteRows' : 'deleteColumns'}`,
							qs: { operatorId: operatorOf(p) },
							body: byRows
								? { row: start - 1, rowCount: count }
								: { column: start - 1, columnCount: count },
						},
						DINGTALK_RATE_LIMITS['workbookSheet.deleteDimension'],
					),
			);
			forgetSheets(step);
			return [
				{
					json: {
						workbookId,
						sheetId: sheet.id,
						majorDimension: byRows ? 'ROWS' : 'COLUMNS',
						startIndex: start,
						startColumn: byRows ? undefined : columnLetter(start),
						deleted: count,
					},
				},
			];
		},
	},
	{
		value: 'create',
		name: 'Create',
		action: 'Create a sheet',
		description: 'Add a sheet (a tab) to the workbook; a name in use is renamed by DingTalk',
		lane: DINGTALK_RATE_LIMITS['workbookSheet.create'],
		errors: WORKBOOK_ERRORS,
		properties: [
			operatorField,
			workbookLocator,
			{ displayName: 'Name', name: 'title', type: 'string', default: '', required: true },
		],
		async run(step) {
			const p: ParamReader = step.params;
			const workbookId = workbookIdOf(p);
			const name = p.requiredString('title');
			const data = await oneWorkbookWrite(
				workbookId,
				async () =>
					await workbookSend(
						step,
						workbookId,
						{
							method: 'POST',
							path: sheetsPath(workbookId),
							qs: { operatorId: operatorOf(p) },
							body: { name },
						},
						DINGTALK_RATE_LIMITS['workbookSheet.create'],
					),
			);
			forgetSheets(step);
			return [{ json: { workbookId, ...data } }];
		},
	},
	{
		value: 'remove',
		name: 'Delete',
		action: 'Delete a sheet',
		description: 'Remove a sheet (a tab) and its cells from the workbook',
		lane: DINGTALK_RATE_LIMITS['workbookSheet.remove'],
		errors: WORKBOOK_ERRORS,
		properties: rows,
		async run(step) {
			const p: ParamReader = step.params;
			const workbookId = workbookIdOf(p);
			const sheet = await sheetOf(step, workbookId);
			const data = await oneWorkbookWrite(
				workbookId,
				async () =>
					await workbookSend(
						step,
						workbookId,
						{
							method: 'DELETE',
							path: `${sheetsPath(workbookId)}/${encodeURIComponent(sheet.id)}`,
							qs: { operatorId: operatorOf(p) },
							// Sent again after a lost answer, it would be answered "not found".
							idempotent: false,
						},
						DINGTALK_RATE_LIMITS['workbookSheet.remove'],
					),
			);
			forgetSheets(step);
			return [
				{
					json: {
						workbookId,
						sheetId: sheet.id,
						name: sheet.name,
						deleted: data.success !== false,
					},
				},
			];
		},
	},
	{
		value: 'readRange',
		name: 'Get Range',
		action: 'Get the cells of a range',
		description: "A range's cells as a 2-D array (rows of cells), in A1 notation",
		lane: DINGTALK_RATE_LIMITS['workbookSheet.readRange'],
		errors: WORKBOOK_ERRORS,
		properties: [
			...rows,
			{
				displayName: 'Range',
				name: 'range',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'A1:C10',
				description:
					'The cells in A1 notation: A1:C10, or A:C (columns, to the last row with data)',
			},
		],
		extraOptions: [readModeOption(RAW)],
		async run(step) {
			const p: ParamReader = step.params;
			const workbookId = workbookIdOf(p);
			const sheet = await sheetOf(step, workbookId);
			const text = p.requiredString('range');
			const given = parseA1(text);
			if (!given) p.fail('range', `not an A1 range (A1:C10, A:C), got "${text}"`);
			const bounds = {
				first: given.startRow ?? 1,
				last: given.endRow ?? sheet.lastRow,
				startColumn: given.startColumn,
				endColumn: given.endColumn ?? sheet.lastColumn,
			};
			const values: unknown[][] = [];
			const width = bounds.endColumn - bounds.startColumn + 1;
			if (bounds.first <= bounds.last && width > 0)
				await readRows(
					dingTalkSheets,
					step,
					{ book: workbookId, sheetId: sheet.id } as SheetState,
					bounds,
					readModeOf(p),
					(_row, cells) =>
						void values.push(Array.from({ length: width }, (_, i) => cells[i] ?? null)),
				);
			return [
				{
					json: {
						workbookId,
						sheetId: sheet.id,
						range:
							values.length === 0
								? null
								: address(bounds.first, bounds.startColumn, bounds.last, bounds.endColumn),
						values: values as unknown as IDataObject[],
					},
				},
			];
		},
	},
	{
		value: 'writeRange',
		name: 'Update Range',
		action: 'Write cells of a range',
		description:
			'Write a 2-D array (rows of cells) from a cell on, in A1 notation; the cells it covers are overwritten',
		lane: DINGTALK_RATE_LIMITS['workbookSheet.writeRange'],
		errors: WORKBOOK_ERRORS,
		properties: [
			...rows,
			{
				displayName: 'Range',
				name: 'range',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'A1',
				description:
					'Where to write: its top-left cell (B2), or a range the values must fit (B2:D10)',
			},
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
			const workbookId = workbookIdOf(p);
			const sheet = await sheetOf(step, workbookId);
			const text = p.requiredString('range');
			const given = parseA1(text);
			if (!given || given.startRow === undefined)
				p.fail('range', `not a cell or range in A1 notation (B2, B2:D10), got "${text}"`);
			let grid = p.raw('values') as unknown;
			if (typeof grid === 'string') {
				try {
					grid = JSON.parse(grid);
				} catch (error) {
					p.fail('values', `is not valid JSON (${(error as Error).message})`);
				}
			}
			if (!Array.isArray(grid) || grid.length === 0 || !grid.every(Array.isArray))
				p.fail(
					'values',
					'must be a non-empty array of rows, each an array of cells ([["a", 1], ["b", 2]])',
				);
			const lines = grid as unknown[][];
			const width = Math.max(...lines.map((r) => r.length));
			if (width === 0) p.fail('values', 'every row is empty');
			const mode = p.choice('options.cellValues', ['userEntered', 'raw'], 'userEntered');
			const cells = lines.map((line, r) =>
				Array.from({ length: width }, (_, c) =>
					encode(
						toCell(
							line[c],
							mode,
							(problem) => p.fail('values', `row ${r + 1}, cell ${c + 1}: ${problem}`),
							'text',
						),
					),
				),
			);
			const lastRow = given.startRow + cells.length - 1;
			const lastColumn = given.startColumn + width - 1;
			const single = given.endRow === given.startRow && given.endColumn === given.startColumn;
			if (
				!single &&
				((given.endRow !== undefined && lastRow > given.endRow) ||
					(given.endColumn !== undefined && lastColumn > given.endColumn))
			)
				p.fail('values', `${cells.length} rows × ${width} columns do not fit in ${text}`);
			await oneWorkbookWrite(workbookId, async () => {
				for (let r = 0; r < cells.length; r += MAX_APPEND_ROWS)
					await putRange(
						step,
						{ book: workbookId, sheetId: sheet.id },
						{ row: given.startRow! + r, column: given.startColumn },
						cells.slice(r, r + MAX_APPEND_ROWS),
					);
			});
			forgetSheets(step);
			return [
				{
					json: {
						workbookId,
						sheetId: sheet.id,
						updatedRange: address(given.startRow, given.startColumn, lastRow, lastColumn),
						updatedRows: cells.length,
						updatedColumns: width,
						updatedCells: cells.length * width,
					},
				},
			];
		},
	},
];

export const workbookSheet: ResourceDefinition = {
	value: 'workbookSheet',
	name: 'Workbook Sheet',
	description:
		'Rows of a workbook sheet (钉钉表格 工作表) keyed by its header row, its tabs and A1 ranges',
	operations: sheetOperations,
	defaultOperation: 'read',
};

const workbookOperations: OperationDefinition[] = [
	{
		value: 'create',
		name: 'Create',
		action: 'Create a workbook',
		description:
			'Create a workbook (钉钉表格) in a knowledge base (知识库), optionally in one of its folders',
		lane: DINGTALK_RATE_LIMITS['workbook.create'],
		errors: WORKBOOK_ERRORS,
		properties: [
			operatorField,
			{
				displayName: 'Knowledge Base ID',
				name: 'workspaceId',
				type: 'string',
				default: '',
				required: true,
				description:
					'The knowledge base (知识库) to create it in: its workspaceId, from its link (…/i/spaces/WORKSPACE_ID/overview)',
			},
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
			{
				displayName: 'Parent Folder ID',
				name: 'parentNodeId',
				type: 'string',
				default: '',
				description: "A folder's node ID in the knowledge base; empty: its top level (根目录)",
			},
		],
		async run(step) {
			const p: ParamReader = step.params;
			const workspaceId = p.pathId('workspaceId');
			const parent = p.optionalString('parentNodeId');
			const data = await step.send({
				method: 'POST',
				path: `/v1.0/doc/workspaces/${workspaceId}/docs`,
				body: {
					name: p.requiredString('name'),
					docType: 'WORKBOOK',
					operatorId: operatorOf(p),
					...(parent ? { parentNodeId: parent } : {}),
				},
			});
			// The sheet pages take the node's dentryUuid as the workbookId.
			return [{ json: { workbookId: String(data.dentryUuid ?? data.nodeId ?? ''), ...data } }];
		},
	},
	{
		value: 'get',
		name: 'Get',
		action: 'Get a workbook',
		description:
			'A workbook’s name, link and owner, and its sheets with their IDs, names and sizes',
		lane: DINGTALK_RATE_LIMITS['workbook.get'],
		errors: WORKBOOK_ERRORS,
		properties: [operatorField, workbookLocator],
		async run(step) {
			const p: ParamReader = step.params;
			const workbookId = workbookIdOf(p);
			const node = await step.send({
				method: 'GET',
				path: `/v2.0/wiki/nodes/${encodeURIComponent(workbookId)}`,
				qs: { operatorId: operatorOf(p) },
			});
			const list = await workbookSend(
				step,
				workbookId,
				{ method: 'GET', path: sheetsPath(workbookId), qs: { operatorId: operatorOf(p) } },
				DINGTALK_RATE_LIMITS['workbookSheet.getAll'],
			);
			const sheets = [];
			for (const s of (list.value as IDataObject[] | undefined) ?? [])
				sheets.push(await sheetInfo(step, workbookId, String(s.id)));
			return [
				{
					json: {
						workbookId,
						...((node.node ?? {}) as IDataObject),
						sheets: sheets.map((s) => ({
							sheetId: s.id,
							name: s.name,
							visibility: s.visibility,
							rowCount: s.rowCount,
							columnCount: s.columnCount,
							lastRowWithData: s.lastRow,
							lastColumnWithData: s.lastColumn,
						})) as IDataObject[],
					},
				},
			];
		},
	},
];

export const workbook: ResourceDefinition = {
	value: 'workbook',
	name: 'Workbook',
	description: 'Workbooks (钉钉表格): create one in a knowledge base, get it with its sheets',
	operations: workbookOperations,
	defaultOperation: 'get',
};
