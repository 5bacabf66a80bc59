import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listProperties } from './description';
import { lookup } from './lookup';
import type { ParamReader } from './params';
import type { ReadMode, RowFilter, WriteMode } from './sheets';
import {
	chunkRows,
	fromCell,
	isEmptyRow,
	itemOf,
	headerOf,
	keyIndex,
	keyOf,
	parseA1,
	passes,
	rowOf,
} from './sheets';
import type { BatchSpec, OperationStep, OutputItem } from './types';

/**
 * Rows of a spreadsheet as items, the way n8n's Google Sheets node has them, for both platforms: the
 * header row read once per run, Get Rows in blocks, and Append, Update and Append or Update by a key
 * column, checked before any write and written in the documented sizes. A platform gives its requests
 * (a SheetApi); everything else is here.
 */

/** A sheet as one run of the node knows it: its size, header and (for key matching) a key column's rows. */
export interface SheetState {
	/** The spreadsheet (Feishu's token, DingTalk's workbookId). */
	book: string;
	sheetId: string;
	title: string;
	/** The last row to read: the grid's size, or the last row with data where the platform says it. */
	rowCount: number;
	columnCount: number;
	headerRow: number;
	/** Column names, as wide as the last non-blank header cell (empty: a sheet without a header yet). */
	header: string[];
	/** A header to write before the first rows (an empty sheet, auto-mapped from the first item). */
	pendingHeader?: boolean;
	/** Per key column: its values' rows. */
	keys: Map<string, Map<string, number[]>>;
}

export interface CellBlock {
	startRow: number;
	endRow: number;
	startColumn: number;
	endColumn: number;
}

/** One platform's requests for rows. */
export interface SheetApi {
	/** The item's sheet with its header, once per run (shared by the items: lookup). */
	state(step: OperationStep): Promise<SheetState>;
	/** One rectangle of cells (rows of cells; a row or cell past the data may be missing). */
	readBlock(
		step: OperationStep,
		state: SheetState,
		block: CellBlock,
		mode: ReadMode,
	): Promise<unknown[][]>;
	/** Writes the pending header (row `headerRow`, the header's width). */
	writeHeader(step: OperationStep, state: SheetState): Promise<void>;
	/** Appends rows after the data; answers the first row written (1-based), if the platform says it. */
	append(
		step: OperationStep,
		state: SheetState,
		rows: unknown[][],
		itemIndexes: number[],
	): Promise<number | undefined>;
	/** Writes each row's defined cells (undefined: left as it is). */
	update(
		step: OperationStep,
		state: SheetState,
		updates: Array<{ row: number; cells: unknown[] }>,
	): Promise<void>;
	/** Runs a write after the writes to the same spreadsheet this process already started. */
	oneWrite<T>(state: SheetState, work: () => Promise<T>): Promise<T>;
	/** How an item's value goes into a cell (after the shared conversions of toCell). */
	encode?(cell: unknown): unknown;
	/** Dates as the sheet's serial numbers (Feishu's documented way), or as the ISO text a user would type. */
	dates: 'serial' | 'text';
	/** The documented sizes: columns and rows of one write, bytes of a request, cells and rows of one read. */
	limits: {
		maxColumns: number;
		maxRows: number;
		maxBytes: number;
		cellsPerRead: number;
		rowsPerRead: number;
	};
	/** The resource mapper's method, and the fields it depends on. */
	mapper: { method: string; dependsOn: string[] };
}

export const headerRowOption: INodeProperties = {
	displayName: 'Header Row',
	name: 'headerRow',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1,
	description: 'The row whose cells name the columns; the rows below it are the data',
};

export const headerRowOf = (p: ParamReader) => p.integer('options.headerRow', 1, 1);

export const READ_MODES: readonly ReadMode[] = ['unformatted', 'formatted', 'raw', 'formula'];

export const readModeOf = (p: ParamReader) =>
	p.choice<ReadMode>('options.valueRender', READ_MODES, 'unformatted');

export const readModeOption = (raw: string): INodeProperties => ({
	displayName: 'Values',
	name: 'valueRender',
	type: 'options',
	options: [
		{
			name: 'Values (Dates as ISO Text)',
			value: 'unformatted',
			description:
				'Numbers as numbers, formulas as their results, dates as 2024-01-05 (or 2024-01-05T09:30:00)',
		},
		{
			name: 'As Shown',
			value: 'formatted',
			description: "Formatted as the sheet shows them (the cells' number and date formats)",
		},
		{ name: 'Raw', value: 'raw', description: raw },
		{
			name: 'Formulas',
			value: 'formula',
			description: 'A formula cell as its formula (=SUM(A1:A3))',
		},
	],
	default: 'unformatted',
});

export const columnsProperty = (
	api: SheetApi,
	mode: 'add' | 'update' | 'upsert',
): INodeProperties => ({
	displayName: 'Columns',
	name: 'columns',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description:
		mode === 'add'
			? 'The columns of the new row, named by the header row'
			: 'The values to write; the Column to Match On finds the row',
	typeOptions: {
		loadOptionsDependsOn: api.mapper.dependsOn,
		resourceMapper: {
			resourceMapperMethod: api.mapper.method,
			mode,
			fieldWords: { singular: 'column', plural: 'columns' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: true,
			...(mode === 'add'
				? {}
				: {
						matchingFieldsLabels: {
							title: 'Column to Match On',
							description:
								mode === 'update'
									? "The rows whose value in this column equals the item's are updated"
									: "The rows whose value in this column equals the item's are updated; with none, a row is appended",
						},
					}),
		},
	},
});

export const cellValuesOption = (typed: string): INodeProperties => ({
	displayName: 'Cell Values',
	name: 'cellValues',
	type: 'options',
	options: [
		{ name: 'As Typed (User Entered)', value: 'userEntered', description: typed },
		{ name: 'As Given (Raw)', value: 'raw', description: 'Text stays text, as it is' },
	],
	default: 'userEntered',
});

export const extraFieldsOption: INodeProperties = {
	displayName: 'Fields the Sheet Lacks',
	name: 'extraFields',
	type: 'options',
	options: [
		{ name: 'Ignore Them', value: 'ignore' },
		{ name: 'Fail the Item', value: 'error' },
	],
	default: 'ignore',
	description: "What to do with an item's fields that no header cell names (Map Automatically)",
};

const STATES = new WeakMap<object, Map<string, Promise<SheetState>>>();

/**
 * The sheet as this run knows it, made once per execution and shared by every item: its size, and its
 * header read (as shown) through the platform's readBlock, `headerWidth` columns wide.
 */
export async function sheetStateOnce(
	api: SheetApi,
	step: OperationStep,
	sheet: Omit<SheetState, 'headerRow' | 'header' | 'keys'> & { headerWidth: number },
): Promise<SheetState> {
	const headerRow = headerRowOf(step.params);
	const { headerWidth, ...known } = sheet;
	return await lookup(
		STATES,
		step.ctx,
		`${sheet.book}\u0000${sheet.sheetId}\u0000${headerRow}`,
		step.params.itemIndex,
		async () => {
			const state: SheetState = { ...known, headerRow, header: [], keys: new Map() };
			if (headerRow <= sheet.rowCount && headerWidth > 0) {
				const block = {
					startRow: headerRow,
					endRow: headerRow,
					startColumn: 1,
					endColumn: headerWidth,
				};
				const [cells = []] = await api.readBlock(step, state, block, 'formatted');
				state.header = headerOf(cells);
			}
			return state;
		},
	);
}

/** After a change to the sheets or their rows and columns, this execution reads them again. */
export function forgetSheetStates(ctx: object): void {
	STATES.delete(ctx);
}

/**
 * Reads rows `first`…`last` of columns `startColumn`…`endColumn` in blocks of at most the platform's
 * cells per read, one block after the other, handing each row to `each` (false stops the read).
 */
export async function readRows(
	api: SheetApi,
	step: OperationStep,
	state: SheetState,
	bounds: { first: number; last: number; startColumn: number; endColumn: number },
	mode: ReadMode,
	each: (rowNumber: number, cells: unknown[]) => boolean | void,
): Promise<void> {
	const width = bounds.endColumn - bounds.startColumn + 1;
	const block = Math.max(
		1,
		Math.min(api.limits.rowsPerRead, Math.floor(api.limits.cellsPerRead / width)),
	);
	for (let start = bounds.first; start <= bounds.last; start += block) {
		const end = Math.min(bounds.last, start + block - 1);
		const values = await api.readBlock(
			step,
			state,
			{
				startRow: start,
				endRow: end,
				startColumn: bounds.startColumn,
				endColumn: bounds.endColumn,
			},
			mode,
		);
		for (let row = start; row <= end; row++) {
			const cells = values[row - start];
			if (each(row, Array.isArray(cells) ? cells : []) === false) return;
		}
	}
}

/** A key column's values, read once per execution (in blocks), as key → row numbers. */
async function keyRows(
	api: SheetApi,
	step: OperationStep,
	state: SheetState,
	column: string,
): Promise<Map<string, number[]>> {
	const known = state.keys.get(column);
	if (known) return known;
	const index = state.header.indexOf(column) + 1;
	const first = state.headerRow + 1;
	const cells: unknown[] = [];
	if (index > 0 && first <= state.rowCount)
		await readRows(
			api,
			step,
			state,
			{ first, last: state.rowCount, startColumn: index, endColumn: index },
			'unformatted',
			(_row, values) => void cells.push(fromCell(values[0], 'unformatted')),
		);
	const built = keyIndex(cells, first);
	state.keys.set(column, built);
	return built;
}

const filtersProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Filter',
	default: {},
	description: 'Only rows whose column holds this value (as text)',
	options: [
		{
			displayName: 'Filter',
			name: 'conditions',
			values: [
				{
					displayName: 'Column',
					name: 'column',
					type: 'string',
					default: '',
					placeholder: 'Status',
					description: 'A column name of the header row',
				},
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** Get Rows' fields below the spreadsheet and sheet pickers. */
export const readProperties: INodeProperties[] = [filtersProperty, ...listProperties()];

export const readOptions = (raw: string): INodeProperties[] => [
	headerRowOption,
	{
		displayName: 'First Data Row',
		name: 'firstDataRow',
		type: 'number',
		typeOptions: { minValue: 2 },
		default: 2,
		description: 'The first row of data (default: the row below the header)',
	},
	{
		displayName: 'Range',
		name: 'range',
		type: 'string',
		default: '',
		placeholder: 'A:F',
		description: 'Only these columns (A:F) or cells (A2:F500) of the sheet, in A1 notation',
	},
	{
		displayName: 'Match Any Filter',
		name: 'anyFilter',
		type: 'boolean',
		default: false,
		description: 'Whether a row passes when any filter matches (default: all of them)',
	},
	readModeOption(raw),
];

/** The rows of a read: the header's columns, or those of a range (A:F, A2:F500). */
function readBounds(p: ParamReader, state: SheetState) {
	const width = state.header.length;
	const first = p.integer('options.firstDataRow', state.headerRow + 1, 1);
	if (first <= state.headerRow)
		p.fail(
			'options.firstDataRow',
			`must be below the header row (${state.headerRow})`,
			'First Data Row',
		);
	const text = p.optionalString('options.range');
	const bounds = { first, last: state.rowCount, startColumn: 1, endColumn: width };
	if (text === undefined) return bounds;
	const range = parseA1(text);
	if (!range) p.fail('options.range', `not an A1 range (A:F, A2:F500), got "${text}"`, 'Range');
	bounds.startColumn = range.startColumn;
	bounds.endColumn = Math.min(range.endColumn ?? width, width);
	if (range.startRow !== undefined) bounds.first = Math.max(first, range.startRow);
	if (range.endRow !== undefined) bounds.last = Math.min(state.rowCount, range.endRow);
	return bounds;
}

/** Get Rows: each row an item keyed by the header, with its row_number; empty rows are skipped. */
export async function getRows(api: SheetApi, step: OperationStep): Promise<OutputItem[]> {
	const p: ParamReader = step.params;
	const state = await api.state(step);
	if (state.header.length === 0) return [];
	const mode = readModeOf(p);
	const filters = ((p.raw('filters.conditions', []) as RowFilter[] | undefined) ?? []).filter(
		(f) => String(f.column ?? '').trim() !== '',
	);
	for (const f of filters)
		if (!state.header.includes(f.column))
			p.fail(
				'filters',
				`"${f.column}" is not a column of the header row; its columns are ${state.header.map((h) => `"${h}"`).join(', ')}`,
				'Filters',
			);
	const any = p.boolean('options.anyFilter', false);
	const limit = p.boolean('returnAll', false) ? Infinity : p.integer('limit', 50, 1);
	const bounds = readBounds(p, state);
	const header = state.header.slice(bounds.startColumn - 1, bounds.endColumn);
	const out: OutputItem[] = [];
	if (bounds.first > bounds.last || header.length === 0) return out;
	await readRows(api, step, state, bounds, mode, (row, cells) => {
		if (isEmptyRow(cells)) return;
		const item = itemOf(header, cells, row, mode);
		if (!passes(item, filters, any)) return;
		out.push({ json: item });
		return out.length < limit;
	});
	return out;
}

type Kind = 'append' | 'appendOrUpdate' | 'update';

interface RowEntry {
	state: SheetState;
	/** As wide as the header; undefined where the item gives nothing. */
	cells: unknown[];
	/** The item's values of the header's columns, for its output. */
	values: IDataObject;
	keyColumn?: string;
	key?: string;
}

async function prepareRow(
	api: SheetApi,
	step: OperationStep,
	kind: Kind,
): Promise<{ group: string; entry: RowEntry }> {
	const p: ParamReader = step.params;
	const state = await api.state(step);
	const mapper = (p.raw('columns', {}) ?? {}) as {
		mappingMode?: string;
		value?: IDataObject | null;
		matchingColumns?: string[];
	};
	const auto = mapper.mappingMode === 'autoMapInputData';
	const source: IDataObject = {
		...(auto ? (step.ctx.getInputData()[p.itemIndex]?.json ?? {}) : (mapper.value ?? {})),
	};
	// A row read earlier carries its number: not a column.
	if (auto) delete source.row_number;
	for (const [k, v] of Object.entries(source)) if (v === undefined) delete source[k];
	if (state.header.length === 0) {
		if (kind === 'update')
			p.fail(
				'columns',
				`row ${state.headerRow} of sheet "${state.title}" is empty: there is no header to match on`,
				'Columns',
			);
		// An empty sheet: the first item's fields become its header, as Google Sheets does.
		state.header = Object.keys(source);
		state.pendingHeader = true;
		if (state.header.length === 0) p.fail('columns', 'the item has no fields to write', 'Columns');
	}
	if (state.header.length > api.limits.maxColumns)
		p.fail(
			'columns',
			`the header has ${state.header.length} columns; a write takes at most ${api.limits.maxColumns} columns per call`,
			'Columns',
		);
	const mode = p.choice<WriteMode>('options.cellValues', ['userEntered', 'raw'], 'userEntered');
	const ignoreExtra = p.choice('options.extraFields', ['ignore', 'error'], 'ignore') === 'ignore';
	const cells = rowOf(
		state.header,
		source,
		{ mode, ignoreExtra, dates: api.dates },
		(column, problem) => p.fail('columns', `column "${column}": ${problem}`, 'Columns'),
	);
	if (cells.every((c) => c === undefined))
		p.fail('columns', `none of the item's fields is a column of sheet "${state.title}"`, 'Columns');
	const encode = api.encode;
	const entry: RowEntry = {
		state,
		cells: encode ? cells.map((c) => (c === undefined ? c : encode(c))) : cells,
		values: {},
	};
	for (const name of state.header) if (name in source) entry.values[name] = source[name];
	if (kind !== 'append') {
		const keyColumn = mapper.matchingColumns?.[0];
		if (!keyColumn) p.fail('columns', 'choose the Column to Match On', 'Column to Match On');
		if (!state.header.includes(keyColumn))
			p.fail(
				'columns',
				`the column to match on "${keyColumn}" is not in the header row; its columns are ${state.header.map((h) => `"${h}"`).join(', ')}`,
				'Column to Match On',
			);
		entry.keyColumn = keyColumn;
		entry.key = keyOf(source[keyColumn]);
		if (kind === 'update' && entry.key === '')
			p.fail(
				'columns',
				`the item has no value in the column to match on "${keyColumn}"`,
				'Column to Match On',
			);
	}
	return { group: `${state.book}\u0000${state.sheetId}\u0000${state.headerRow}`, entry };
}

/** One item's output: its row number(s) and the values written. */
const outputOf = (entry: RowEntry, rows: Array<number | undefined>): IDataObject => ({
	row_number: rows[0] ?? null,
	...(rows.length > 1 ? { matched_rows: rows as number[] } : {}),
	...entry.values,
});

/** Rows inserted above others move them down: the key rows known to this run follow. */
function shiftKeys(state: SheetState, start: number, count: number): void {
	for (const index of state.keys.values())
		for (const list of index.values())
			list.forEach((row, i) => {
				if (row >= start) list[i] = row + count;
			});
}

async function sendRows(
	api: SheetApi,
	kind: Kind,
	steps: OperationStep[],
	entries: RowEntry[],
): Promise<Array<IDataObject | Error>> {
	const state = entries[0].state;
	const step = steps[0];
	const out: Array<IDataObject | Error> = new Array(entries.length);
	return await api.oneWrite(state, async () => {
		if (state.pendingHeader) {
			await api.writeHeader(step, state);
			state.pendingHeader = false;
		}
		// Update and Append or Update: find each item's rows by its key, read once per run.
		const appends: Array<{ k: number; cells: unknown[] }> = [];
		const updates: Array<{ row: number; cells: unknown[] }> = [];
		const targets: Array<number[] | undefined> = new Array(entries.length);
		if (kind === 'append') entries.forEach((entry, k) => appends.push({ k, cells: entry.cells }));
		else {
			const index = await keyRows(api, step, state, entries[0].keyColumn!);
			// A key appended earlier in this call: the later item updates that pending row.
			const pending = new Map<string, number>();
			entries.forEach((entry, k) => {
				const key = entry.key ?? '';
				const rows = key === '' ? undefined : index.get(key);
				if (rows && rows.length > 0) {
					targets[k] = rows;
					for (const row of rows) updates.push({ row, cells: entry.cells });
				} else if (kind === 'update') {
					out[k] = new NodeOperationError(
						step.ctx.getNode(),
						`No row of sheet "${state.title}" has "${key}" in column "${entry.keyColumn}" (item ${steps[k].itemIndex})`,
						{
							itemIndex: steps[k].itemIndex,
							description:
								'Update changes rows that exist. Use Append or Update to add a row when none matches.',
						},
					);
				} else if (key !== '' && pending.has(key)) {
					const at = appends[pending.get(key)!];
					at.cells = at.cells.map((c, i) => (entry.cells[i] === undefined ? c : entry.cells[i]));
					targets[k] = [-1 - pending.get(key)!];
				} else {
					if (key !== '') pending.set(key, appends.length);
					appends.push({ k, cells: entry.cells });
				}
			});
		}
		const stopOnFailure = !step.ctx.continueOnFail();
		let failed: Error | undefined;
		try {
			if (updates.length > 0) await api.update(step, state, updates);
		} catch (error) {
			failed = error as Error;
			entries.forEach((_e, k) => {
				if (targets[k] && targets[k]![0] >= 0) out[k] = failed!;
			});
		}
		const appendedAt: Array<number | undefined> = new Array(appends.length);
		for (const chunk of chunkRows(
			appends.map((a, j) => ({ ...a, j })),
			(a) => a.cells,
			api.limits.maxRows,
			api.limits.maxBytes,
		)) {
			if (failed && stopOnFailure) {
				for (const a of chunk) out[a.k] = failed;
				continue;
			}
			try {
				const rows = chunk.map((a) => a.cells.map((c) => (c === undefined ? '' : c)));
				const start = await api.append(
					step,
					state,
					rows,
					chunk.map((a) => steps[a.k].itemIndex),
				);
				state.rowCount = Math.max(state.rowCount, (start ?? state.rowCount) + rows.length - 1);
				if (start !== undefined) shiftKeys(state, start, rows.length);
				chunk.forEach((a, i) => {
					appendedAt[a.j] = start === undefined ? undefined : start + i;
					const column = entries[a.k].keyColumn;
					const key = entries[a.k].key;
					if (column && key && start !== undefined) {
						const index = state.keys.get(column)!;
						index.set(key, [...(index.get(key) ?? []), start + i]);
					}
				});
			} catch (error) {
				failed = error as Error;
				for (const a of chunk) out[a.k] = failed;
			}
		}
		const appendOf = new Map(appends.map((a, j) => [a.k, j]));
		entries.forEach((entry, k) => {
			if (out[k]) return;
			const rows = targets[k];
			if (rows && rows[0] < 0) {
				const j = -1 - rows[0];
				if (out[appends[j].k] instanceof Error) out[k] = out[appends[j].k];
				else out[k] = outputOf(entry, [appendedAt[j]]);
			} else if (rows) out[k] = outputOf(entry, rows);
			else out[k] = outputOf(entry, [appendedAt[appendOf.get(k)!]]);
		});
		return out;
	});
}

/** Append, Append or Update, or Update as a batch: every item checked first, then the writes. */
export const rowBatch = (api: SheetApi, kind: Kind): BatchSpec => ({
	prepare: async (step) => await prepareRow(api, step, kind),
	size: () => api.limits.maxRows,
	send: async (steps, entries) => await sendRows(api, kind, steps, entries as RowEntry[]),
});
