import type { IDataObject } from 'n8n-workflow';

import { whereToLook } from '../../../shared/retry';
import type { SheetApi, SheetState } from '../../../shared/sheetRows';
import { sheetStateOnce } from '../../../shared/sheetRows';
import { chunkRows, columnLetter, definedRuns } from '../../../shared/sheets';
import { passedOn } from '../../../shared/tokens';
import type { OperationStep } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import {
	CELLS_PER_READ,
	MAX_DIMENSION,
	MAX_WRITE_BYTES,
	MAX_WRITE_COLUMNS,
	MAX_WRITE_ROWS,
	oneSheetWrite,
	readValues,
	ROWS_PER_READ,
	sheetOf,
	SHEETS_ERRORS,
	spreadsheetTokenOf,
	valuesPath,
} from './common';

/**
 * Feishu's requests for the shared rows model (nodes/shared/sheetRows.ts): the header read with the sheet
 * list, blocks read with GET values, appends through values_append (INSERT_ROWS, so that Feishu finds the
 * end of the data itself), updates through values_batch_update.
 */

/** The A1 text of a row span of the header's columns: A5:F9. */
const rowsRange = (state: SheetState, first: number, last: number) =>
	`${state.sheetId}!A${first}:${columnLetter(Math.max(1, state.header.length))}${last}`;

/**
 * Rows or columns added at the end of the grid until it has `rows` × `columns` (POST dimension_range, at
 * most 5,000 a call); the sizes in `state` follow.
 */
export async function growGrid(
	step: OperationStep,
	state: Pick<SheetState, 'book' | 'sheetId' | 'rowCount' | 'columnCount'>,
	rows: number,
	columns: number,
): Promise<void> {
	for (const [dimension, wanted, have] of [
		['ROWS', rows, state.rowCount],
		['COLUMNS', columns, state.columnCount],
	] as const) {
		for (let missing = wanted - have; missing > 0; missing -= MAX_DIMENSION) {
			const length = Math.min(MAX_DIMENSION, missing);
			await step.send(
				{
					method: 'POST',
					path: `${valuesPath(state.book)}/dimension_range`,
					body: { dimension: { sheetId: state.sheetId, majorDimension: dimension, length } },
				},
				FEISHU_RATE_LIMITS['sheet.addDimension'],
				SHEETS_ERRORS,
			);
			if (dimension === 'ROWS') state.rowCount += length;
			else state.columnCount += length;
		}
	}
}

export const feishuSheets: SheetApi = {
	async state(step) {
		const token = await spreadsheetTokenOf(step);
		const sheet = await sheetOf(step, token);
		return await sheetStateOnce(feishuSheets, step, {
			book: token,
			sheetId: sheet.sheetId,
			title: sheet.title,
			rowCount: sheet.rowCount,
			columnCount: sheet.columnCount,
			headerWidth: sheet.columnCount,
		});
	},

	async readBlock(step, state, block, mode) {
		return await readValues(step, state.book, state.sheetId, block, mode);
	},

	async writeHeader(step, state) {
		await growGrid(step, state, state.headerRow, state.header.length);
		await step.send(
			{
				method: 'PUT',
				path: `${valuesPath(state.book)}/values`,
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
	},

	/**
	 * POST values_append with INSERT_ROWS: Feishu walks down the first column from the first data row to
	 * its first empty cell, inserts the rows there and fills them.
	 */
	async append(step, state, rows, itemIndexes) {
		const first = state.headerRow + 1;
		let data: IDataObject;
		try {
			data = await step.send(
				{
					method: 'POST',
					path: `${valuesPath(state.book)}/values_append`,
					qs: { insertDataOption: 'INSERT_ROWS' },
					body: {
						valueRange: { range: rowsRange(state, first, first + rows.length - 1), values: rows },
					},
				},
				FEISHU_RATE_LIMITS['sheet.append'],
				SHEETS_ERRORS,
			);
		} catch (error) {
			throw passedOn(
				whereToLook(
					error,
					`The ${rows.length} row(s) of items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]} may already be in sheet "${state.title}": Feishu documents no idempotency key for an append, so it was not sent again.`,
				),
			);
		}
		// INSERT_ROWS grows the grid by the rows inserted.
		state.rowCount += rows.length;
		const updates = (data.updates ?? {}) as IDataObject;
		const match = /!\$?[A-Za-z]+\$?(\d+)/.exec(
			String(updates.updatedRange ?? data.tableRange ?? ''),
		);
		return match ? Number(match[1]) : undefined;
	},

	/** POST values_batch_update: each row's mapped columns, in calls of at most 5,000 rows. */
	async update(step, state, updates) {
		const ranges = updates.flatMap(({ row, cells }) =>
			definedRuns(cells).map((run) => ({
				range: `${state.sheetId}!${columnLetter(run.start + 1)}${row}:${columnLetter(run.start + run.cells.length)}${row}`,
				values: [run.cells],
			})),
		);
		for (const chunk of chunkRows(ranges, (r) => r.values[0], MAX_WRITE_ROWS, MAX_WRITE_BYTES)) {
			await step.send(
				{
					method: 'POST',
					path: `${valuesPath(state.book)}/values_batch_update`,
					body: { valueRanges: chunk },
					// The same values written again leave the same cells: safe to send twice.
					idempotent: true,
				},
				FEISHU_RATE_LIMITS['sheet.writeRanges'],
				SHEETS_ERRORS,
			);
		}
	},

	oneWrite: async (state, work) => await oneSheetWrite(state.book, work),
	dates: 'serial',

	limits: {
		maxColumns: MAX_WRITE_COLUMNS,
		maxRows: MAX_WRITE_ROWS,
		maxBytes: MAX_WRITE_BYTES,
		cellsPerRead: CELLS_PER_READ,
		rowsPerRead: ROWS_PER_READ,
	},
	mapper: { method: 'getSheetColumns', dependsOn: ['spreadsheet.value', 'sheet.value'] },
};
