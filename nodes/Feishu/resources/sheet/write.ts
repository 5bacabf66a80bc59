import type { ParamReader } from '../../../shared/params';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { OUTCOME_UNKNOWN } from '../../../shared/retry';
import { passedOn } from '../../../shared/tokens';
import type { WriteMode } from '../../../shared/sheets';
import {
	chunkRows,
	columnLetter,
	definedRuns,
	fromCell,
	keyIndex,
	keyOf,
	rowOf,
} from '../../../shared/sheets';
import type { BatchSpec, OperationStep } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import type { SheetState } from './common';
import {
	keyRows,
	MAX_DIMENSION,
	MAX_WRITE_BYTES,
	MAX_WRITE_COLUMNS,
	MAX_WRITE_ROWS,
	oneSheetWrite,
	rowsRange,
	sheetState,
	SHEETS_ERRORS,
	valuesPath,
} from './common';

/**
 * Rows written from items: Append, Append or Update and Update, as n8n's Google Sheets node has them.
 * Every item is checked first; then the rows of one sheet go in calls of the documented size, one
 * spreadsheet write at a time. Append uses Feishu's own append (values_append), which finds the end of
 * the data itself, so two runs appending at once do not write over each other.
 */

export const columnsProperty = (mode: 'add' | 'update' | 'upsert'): INodeProperties => ({
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
		loadOptionsDependsOn: ['spreadsheet.value', 'sheet.value'],
		resourceMapper: {
			resourceMapperMethod: 'getSheetColumns',
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

export const writeOptions: INodeProperties[] = [
	{
		displayName: 'Cell Values',
		name: 'cellValues',
		type: 'options',
		options: [
			{
				name: 'As Typed (User Entered)',
				value: 'userEntered',
				description:
					'As a user typing them: "12" becomes a number, "=A1*2" a formula, 2024-01-05 a date (a serial number; give the column a date format to show it as one)',
			},
			{ name: 'As Given (Raw)', value: 'raw', description: 'Text stays text, as it is' },
		],
		default: 'userEntered',
	},
	{
		displayName: 'Fields the Sheet Lacks',
		name: 'extraFields',
		type: 'options',
		options: [
			{ name: 'Ignore Them', value: 'ignore' },
			{ name: 'Fail the Item', value: 'error' },
		],
		default: 'ignore',
		description: "What to do with an item's fields that no header cell names (Map Automatically)",
	},
];

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

const groupOf = (state: SheetState) =>
	`${state.token}\u0000${state.sheet.sheetId}\u0000${state.headerRow}`;

async function prepareRow(
	step: OperationStep,
	kind: Kind,
): Promise<{ group: string; entry: RowEntry }> {
	const p: ParamReader = step.params;
	const state = await sheetState(step);
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
				`row ${state.headerRow} of sheet "${state.sheet.title}" is empty: there is no header to match on`,
				'Columns',
			);
		// An empty sheet: the first item's fields become its header, as Google Sheets does.
		state.header = Object.keys(source);
		state.pendingHeader = true;
		if (state.header.length === 0) p.fail('columns', 'the item has no fields to write', 'Columns');
	}
	if (state.header.length > MAX_WRITE_COLUMNS)
		p.fail(
			'columns',
			`the header has ${state.header.length} columns; Feishu writes at most ${MAX_WRITE_COLUMNS} columns per call ("单次写入数据不得超过 5000 行、100列")`,
			'Columns',
		);
	const mode = p.choice<WriteMode>('options.cellValues', ['userEntered', 'raw'], 'userEntered');
	const ignoreExtra = p.choice('options.extraFields', ['ignore', 'error'], 'ignore') === 'ignore';
	const cells = rowOf(state.header, source, { mode, ignoreExtra }, (column, problem) =>
		p.fail('columns', `column "${column}": ${problem}`, 'Columns'),
	);
	if (cells.every((c) => c === undefined))
		p.fail(
			'columns',
			`none of the item's fields is a column of sheet "${state.sheet.title}"`,
			'Columns',
		);
	const values: IDataObject = {};
	for (const name of state.header) if (name in source) values[name] = source[name];
	const entry: RowEntry = { state, cells, values };
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
	return { group: groupOf(state), entry };
}

/** The steps grid writes need: rows or columns added at the end (POST dimension_range, at most 5,000 a call). */
async function growGrid(
	step: OperationStep,
	state: SheetState,
	rows: number,
	columns: number,
): Promise<void> {
	for (const [dimension, wanted, have] of [
		['ROWS', rows, state.sheet.rowCount],
		['COLUMNS', columns, state.sheet.columnCount],
	] as const) {
		for (let missing = wanted - have; missing > 0; missing -= MAX_DIMENSION) {
			const length = Math.min(MAX_DIMENSION, missing);
			await step.send(
				{
					method: 'POST',
					path: `${valuesPath(state.token)}/dimension_range`,
					body: { dimension: { sheetId: state.sheet.sheetId, majorDimension: dimension, length } },
				},
				FEISHU_RATE_LIMITS['sheet.addDimension'],
				SHEETS_ERRORS,
			);
			if (dimension === 'ROWS') state.sheet.rowCount += length;
			else state.sheet.columnCount += length;
		}
	}
}

/** An empty sheet's header, from the first item, written before its first rows. */
async function writePendingHeader(step: OperationStep, state: SheetState): Promise<void> {
	if (!state.pendingHeader) return;
	await growGrid(step, state, state.headerRow, state.header.length);
	await step.send(
		{
			method: 'PUT',
			path: `${valuesPath(state.token)}/values`,
			body: {
				valueRange: {
					range: rowsRange(state, state.headerRow, state.headerRow),
					values: [state.header],
				},
			},
		},
		FEISHU_RATE_LIMITS['sheet.writeRange'],
		SHEETS_ERRORS,
	);
	state.pendingHeader = false;
}

const filled = (cells: unknown[]) => cells.map((c) => (c === undefined ? '' : c));

/**
 * POST values_append with INSERT_ROWS: Feishu walks down the first column from the first data row to
 * its first empty cell, inserts the rows there and fills them. Returns the first row written.
 */
async function appendRows(
	step: OperationStep,
	state: SheetState,
	rows: unknown[][],
	itemIndexes: number[],
): Promise<number | undefined> {
	const first = state.headerRow + 1;
	let data: IDataObject;
	try {
		data = await step.send(
			{
				method: 'POST',
				path: `${valuesPath(state.token)}/values_append`,
				qs: { insertDataOption: 'INSERT_ROWS' },
				body: {
					valueRange: {
						range: rowsRange(state, first, first + rows.length - 1),
						values: rows.map(filled),
					},
				},
			},
			FEISHU_RATE_LIMITS['sheet.append'],
			SHEETS_ERRORS,
		);
	} catch (error) {
		const described = error as Error & { description?: string };
		if (described.description?.includes(OUTCOME_UNKNOWN))
			described.description += ` The ${rows.length} row(s) of items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]} may already be in sheet "${state.sheet.title}": Feishu documents no idempotency key for an append, so it was not sent again.`;
		throw passedOn(error);
	}
	const updates = (data.updates ?? {}) as IDataObject;
	const match = /!\$?[A-Za-z]+\$?(\d+)/.exec(String(updates.updatedRange ?? data.tableRange ?? ''));
	const start = match ? Number(match[1]) : undefined;
	state.sheet.rowCount += rows.length;
	// Rows inserted above others move them down: the key rows known to this run follow.
	if (start !== undefined)
		for (const index of state.keys.values())
			for (const list of index.values())
				list.forEach((row, i) => {
					if (row >= start) list[i] = row + rows.length;
				});
	return start;
}

/** POST values_batch_update: each row's mapped columns, in calls of at most 5,000 rows. */
async function updateRows(
	step: OperationStep,
	state: SheetState,
	updates: Array<{ row: number; cells: unknown[] }>,
): Promise<void> {
	const ranges = updates.flatMap(({ row, cells }) =>
		definedRuns(cells).map((run) => ({
			range: `${state.sheet.sheetId}!${columnLetter(run.start + 1)}${row}:${columnLetter(run.start + run.cells.length)}${row}`,
			values: [run.cells],
		})),
	);
	for (const chunk of chunkRows(ranges, (r) => r.values[0], MAX_WRITE_ROWS, MAX_WRITE_BYTES)) {
		await step.send(
			{
				method: 'POST',
				path: `${valuesPath(state.token)}/values_batch_update`,
				body: { valueRanges: chunk },
				// The same values written again leave the same cells: safe to send twice.
				idempotent: true,
			},
			FEISHU_RATE_LIMITS['sheet.writeRanges'],
			SHEETS_ERRORS,
		);
	}
}

/** One item's output: its row number(s) and the values written. */
const outputOf = (entry: RowEntry, rows: Array<number | undefined>): IDataObject => ({
	row_number: rows[0] ?? null,
	...(rows.length > 1 ? { matched_rows: rows as number[] } : {}),
	...entry.values,
});

async function sendRows(
	kind: Kind,
	steps: OperationStep[],
	entries: RowEntry[],
): Promise<Array<IDataObject | Error>> {
	const state = entries[0].state;
	const step = steps[0];
	const out: Array<IDataObject | Error> = new Array(entries.length);
	return await oneSheetWrite(state.token, async () => {
		await writePendingHeader(step, state);
		// Update and Append or Update: find each item's rows by its key, read once per run.
		const appends: Array<{ k: number; cells: unknown[] }> = [];
		const updates: Array<{ row: number; cells: unknown[] }> = [];
		const targets: Array<number[] | undefined> = new Array(entries.length);
		if (kind === 'append') entries.forEach((entry, k) => appends.push({ k, cells: entry.cells }));
		else {
			const column = entries[0].keyColumn!;
			const index = await keyRows(step, state, column, (cells, first) =>
				keyIndex(
					cells.map((c) => fromCell(c, 'unformatted')),
					first,
				),
			);
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
						`No row of sheet "${state.sheet.title}" has "${key}" in column "${entry.keyColumn}" (item ${steps[k].itemIndex})`,
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
			if (updates.length > 0) await updateRows(step, state, updates);
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
			MAX_WRITE_ROWS,
			MAX_WRITE_BYTES,
		)) {
			if (failed && stopOnFailure) {
				for (const a of chunk) out[a.k] = failed;
				continue;
			}
			try {
				const start = await appendRows(
					step,
					state,
					chunk.map((a) => a.cells),
					chunk.map((a) => steps[a.k].itemIndex),
				);
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

export const rowBatch = (kind: Kind): BatchSpec => ({
	prepare: async (step) => await prepareRow(step, kind),
	size: () => MAX_WRITE_ROWS,
	send: async (steps, entries) => await sendRows(kind, steps, entries as RowEntry[]),
});
