import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from './params';
import type { CellBlock, SheetApi, SheetState } from './sheetRows';
import {
	columnsProperty,
	getRows,
	headerRowOption,
	readModeOf,
	readModeOption,
	readOptions,
	readProperties,
	readRows,
	rowBatch,
} from './sheetRows';
import type { WriteMode } from './sheets';
import { columnIndex, parseA1, toCell } from './sheets';
import type { Actor, ErrorMeanings, OperationDefinition, OperationStep, PacingLane } from './types';

/**
 * The sheet operations both platforms offer under the same names, as records: their fields, and what their
 * fields mean (a position, a range, a 2-D array of values). Each platform gives only its requests.
 */

/** What every operation record of one platform's sheet resource shares. */
export interface SheetResourceBase {
	errors: ErrorMeanings;
	actsAs?: readonly Actor[];
	/** The fields before the operation's own: the spreadsheet and the sheet (and the operator). */
	sheetFields: INodeProperties[];
	/** The Raw read mode's description on this platform. */
	raw: string;
	/** Cell Values, with As Typed said as this platform reads it. */
	cellValues: INodeProperties;
	extraFields: INodeProperties;
}

const ROWS = {
	append: {
		name: 'Append Row',
		action: 'Append rows to a sheet',
		description:
			'Add each item as a row after the last row with data, its fields matched to the header row',
		mode: 'add',
	},
	appendOrUpdate: {
		name: 'Append or Update Row',
		action: 'Append or update rows in a sheet',
		description:
			'Update the rows whose key column matches the item, or append a row when none does (upsert)',
		mode: 'upsert',
	},
	update: {
		name: 'Update Row',
		action: 'Update rows in a sheet',
		description:
			'Update the rows whose key column matches the item (every matching row); an item that matches none fails',
		mode: 'update',
	},
} as const;

/** Append Row, Append or Update Row or Update Row of a platform, in its lane. */
export function rowOperation(
	api: SheetApi,
	base: SheetResourceBase,
	value: keyof typeof ROWS,
	lane: PacingLane,
): OperationDefinition {
	const text = ROWS[value];
	return {
		value,
		...(base.actsAs ? { actsAs: base.actsAs } : {}),
		name: text.name,
		action: text.action,
		description: text.description,
		lane,
		errors: base.errors,
		properties: [...base.sheetFields, columnsProperty(api, text.mode)],
		extraOptions: [headerRowOption, base.cellValues, base.extraFields],
		batch: rowBatch(api, value),
	};
}

/** Get Rows of a platform, in its lane. */
export function readOperation(
	api: SheetApi,
	base: SheetResourceBase,
	lane: PacingLane,
): OperationDefinition {
	return {
		value: 'read',
		...(base.actsAs ? { actsAs: base.actsAs } : {}),
		name: 'Get Rows',
		action: 'Get rows from a sheet',
		description: 'Each row becomes an item keyed by the header row, with its row_number',
		lane,
		errors: base.errors,
		properties: [...base.sheetFields, ...readProperties],
		extraOptions: readOptions(base.raw),
		run: async (step) => await getRows(api, step),
	};
}

export const clearProperties: INodeProperties[] = [
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
];

/** The cells Clear empties, within a sheet of `size` (its grid, or its data); undefined when none. */
export function clearBlock(
	p: ParamReader,
	size: { rows: number; columns: number },
): CellBlock | undefined {
	let block: CellBlock = {
		startRow: 1,
		endRow: size.rows,
		startColumn: 1,
		endColumn: size.columns,
	};
	if (p.choice('clear', ['wholeSheet', 'range'], 'wholeSheet') === 'range') {
		const text = p.requiredString('range');
		const given = parseA1(text);
		if (!given) p.fail('range', `not an A1 range (A2:F100, A:C), got "${text}"`);
		block = {
			startRow: given.startRow ?? 1,
			endRow: Math.min(given.endRow ?? size.rows, size.rows),
			startColumn: given.startColumn,
			endColumn: Math.min(given.endColumn ?? size.columns, size.columns),
		};
	} else if (p.boolean('keepHeader', false)) block.startRow = 2;
	return block.startRow > block.endRow || block.startColumn > block.endColumn ? undefined : block;
}

export const deleteProperties: INodeProperties[] = [
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
];

/** What Delete Rows or Columns deletes: rows or columns, from a 1-based start, how many. */
export function deletePosition(p: ParamReader): { rows: boolean; start: number; count: number } {
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
	return { rows, start, count: p.integer('count', 1, 1) };
}

export const rangeProperty = (description: string, placeholder: string): INodeProperties => ({
	displayName: 'Range',
	name: 'range',
	type: 'string',
	default: '',
	required: true,
	placeholder,
	description,
});

export const readRangeProperty = (to: string) =>
	rangeProperty(`The cells in A1 notation: A1:C10, or A:C (columns, ${to})`, 'A1:C10');

export const writeRangeProperties: INodeProperties[] = [
	rangeProperty(
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
];

/**
 * Get Range: the Range field's cells within a sheet of `size`, read in blocks, each row as wide as the
 * range (a cell the platform left out is null). The range is null when it holds no cell.
 */
export async function readRange(
	api: SheetApi,
	step: OperationStep,
	sheet: { book: string; sheetId: string },
	size: { rows: number; columns: number },
): Promise<{ range: CellBlock | null; values: unknown[][] }> {
	const p: ParamReader = step.params;
	const text = p.requiredString('range');
	const given = parseA1(text);
	if (!given) p.fail('range', `not an A1 range (A1:C10, A:C), got "${text}"`);
	const bounds = {
		first: given.startRow ?? 1,
		last: Math.min(given.endRow ?? size.rows, size.rows),
		startColumn: given.startColumn,
		endColumn: Math.min(given.endColumn ?? size.columns, size.columns),
	};
	const width = bounds.endColumn - bounds.startColumn + 1;
	const values: unknown[][] = [];
	if (bounds.first <= bounds.last && width > 0)
		await readRows(api, step, sheet as SheetState, bounds, readModeOf(p), (_row, cells) => {
			values.push(Array.from({ length: width }, (_, i) => cells[i] ?? null));
		});
	return {
		range:
			values.length === 0
				? null
				: {
						startRow: bounds.first,
						endRow: bounds.last,
						startColumn: bounds.startColumn,
						endColumn: bounds.endColumn,
					},
		values,
	};
}

/**
 * Update Range's cells: the Values field as rows of cells (converted as Cell Values says, and as the
 * platform takes them), where they go, checked to fit a closed Range before any request.
 */
export function writeGrid(
	p: ParamReader,
	api: Pick<SheetApi, 'dates' | 'encode'>,
): { cells: unknown[][]; block: CellBlock; width: number } {
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
	const mode = p.choice<WriteMode>('options.cellValues', ['userEntered', 'raw'], 'userEntered');
	const encode = api.encode ?? ((cell: unknown) => cell);
	const cells = lines.map((line, r) =>
		Array.from({ length: width }, (_, c) =>
			encode(
				toCell(
					line[c],
					mode,
					(problem) => p.fail('values', `row ${r + 1}, cell ${c + 1}: ${problem}`),
					api.dates,
				),
			),
		),
	);
	const block = {
		startRow: given.startRow,
		startColumn: given.startColumn,
		endRow: given.startRow + cells.length - 1,
		endColumn: given.startColumn + width - 1,
	};
	// A single cell is where the values start; a larger range is where they must fit.
	const single = given.endRow === given.startRow && given.endColumn === given.startColumn;
	if (
		!single &&
		((given.endRow !== undefined && block.endRow > given.endRow) ||
			(given.endColumn !== undefined && block.endColumn > given.endColumn))
	)
		p.fail('values', `${cells.length} rows × ${width} columns do not fit in ${text}`);
	return { cells, block, width };
}

const OTHER = {
	clear: {
		name: 'Clear',
		action: 'Clear a sheet',
		description:
			"Empty the sheet's cells (or a range's), keeping the header row if asked; formats stay",
	},
	delete: {
		name: 'Delete Rows or Columns',
		action: 'Delete rows or columns',
		description: 'Delete rows or columns by position; those below or to the right move up or left',
	},
	create: { name: 'Create', action: 'Create a sheet', description: 'Add a sheet (a tab)' },
	remove: {
		name: 'Delete',
		action: 'Delete a sheet',
		description: 'Remove a sheet (a tab) and its cells',
	},
	readRange: {
		name: 'Get Range',
		action: 'Get the cells of a range',
		description: "A range's cells as a 2-D array (rows of cells), in A1 notation",
	},
	writeRange: {
		name: 'Update Range',
		action: 'Write cells of a range',
		description:
			'Write a 2-D array (rows of cells) from a cell on, in A1 notation; the cells it covers are overwritten',
	},
} as const;

/**
 * Clear, Delete Rows or Columns, Create and Delete (a tab), Get Range and Update Range of a platform: the
 * shared names and fields, the platform's lane and run. `fields` replaces the operation's own fields after
 * the sheet fields (Create's, which name no sheet, replace them all).
 */
export function sheetOperation(
	base: SheetResourceBase,
	value: keyof typeof OTHER,
	lane: PacingLane,
	run: NonNullable<Extract<OperationDefinition, { run: unknown }>['run']>,
	options: { fields?: INodeProperties[]; to?: string } = {},
): OperationDefinition {
	const own: Record<keyof typeof OTHER, INodeProperties[]> = {
		clear: [...base.sheetFields, ...clearProperties],
		delete: [...base.sheetFields, ...deleteProperties],
		create: options.fields ?? [],
		remove: base.sheetFields,
		readRange: [...base.sheetFields, readRangeProperty(options.to ?? 'to the last row')],
		writeRange: [...base.sheetFields, ...writeRangeProperties],
	};
	const extraOptions: Partial<Record<keyof typeof OTHER, INodeProperties[]>> = {
		readRange: [readModeOption(base.raw)],
		writeRange: [base.cellValues],
	};
	return {
		value,
		...(base.actsAs ? { actsAs: base.actsAs } : {}),
		...OTHER[value],
		lane,
		errors: base.errors,
		properties: own[value],
		...(extraOptions[value] ? { extraOptions: extraOptions[value] } : {}),
		run,
	};
}

/** The output of a write of `block`: where, how many rows, columns and cells. */
export const writtenOutput = (
	where: IDataObject,
	updatedRange: string,
	block: CellBlock,
	updatedCells: number,
): IDataObject => ({
	...where,
	updatedRange,
	updatedRows: block.endRow - block.startRow + 1,
	updatedColumns: block.endColumn - block.startColumn + 1,
	updatedCells,
});
