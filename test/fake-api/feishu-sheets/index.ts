/**
 * The fake Feishu Sheets (电子表格): spreadsheets as Drive files of type sheet, each with sheets holding a
 * real grid of cells. A1 ranges with the sheet ID, the render options (formulas, formatted dates, serial
 * numbers), the documented per-call limits (5,000 rows and 100 columns a write, 10 MB an answer), append
 * that walks down the first column to its first empty cell, rows and columns added and deleted, sheets
 * added and deleted, and one write at a time per spreadsheet (a write while another is in flight answers
 * 90235). Source: docs/research/feishu-sheets.md.
 */

import type { Answer, FakeApi, Handler } from '../server';
import { alnum, fail, ok } from '../feishu-bitable/model';
import { DRIVE_ROOT, DRIVE_SHEET } from '../feishu-drive';

export interface FakeSheet {
	sheetId: string;
	title: string;
	resourceType: 'sheet' | 'bitable';
	rowCount: number;
	columnCount: number;
	/** Rows of cells, 0-based; a missing row or cell is empty. */
	cells: unknown[][];
	/** 1-based columns with a date format (yyyy/MM/dd): numbers there are dates. */
	dateColumns: Set<number>;
}

export interface FakeSpreadsheet {
	token: string;
	title: string;
	owner: string;
	sheets: FakeSheet[];
	revision: number;
	/** Until when (ms) a write is still being processed: another write before then answers 90235. */
	busyUntil: number;
}

export const SHEET_ORDERS = 'a1b2c3';
export const SHEET_EMPTY = 'e5f6g7';
export const SHEET_BASE = 'b8s9t0';
export const WIKI_SHEET_NODE = 'wikcnSandboxSheet01';
const MAX_ROWS = 5000;
const MAX_COLUMNS = 100;
const MAX_BYTES = 10 * 1024 * 1024;
const MAX_CELL = 50_000;
const MAX_SHEETS = 300;
const MAX_DIMENSION = 5000;

export const letters = (n: number): string => {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
		s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
};
export const column = (text: string) =>
	[...text.toUpperCase()].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0);

/**
 * The formulas the fakes compute: a cell reference (=B2), a sum of references and numbers (=C2+C3+1) and
 * SUM over a rectangle; anything else has no value (null). A formula cell is {type: "formula", text}.
 */
export function evaluateFormula(
	cellAt: (row: number, column: number) => unknown,
	text: string,
	depth = 0,
): unknown {
	if (depth > 10) return null;
	const value = (r: number, c: number): unknown => {
		const cell = cellAt(r, c);
		return typeof cell === 'object' &&
			cell !== null &&
			(cell as { type?: string }).type === 'formula'
			? evaluateFormula(cellAt, String((cell as { text: string }).text), depth + 1)
			: cell;
	};
	const ref = /^([A-Z]+)(\d+)$/;
	const term = (t: string): number | undefined => {
		const m = ref.exec(t.trim());
		if (m) {
			const v = value(Number(m[2]), column(m[1]));
			return typeof v === 'number' ? v : v === null || v === '' ? 0 : undefined;
		}
		return /^-?\d+(\.\d+)?$/.test(t.trim()) ? Number(t) : undefined;
	};
	const body = text.replace(/^=/, '').trim();
	const sum = /^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$/i.exec(body);
	if (sum) {
		let total = 0;
		for (let r = Number(sum[2]); r <= Number(sum[4]); r++)
			for (let c = column(sum[1]); c <= column(sum[3]); c++) {
				const v = value(r, c);
				if (typeof v === 'number') total += v;
			}
		return total;
	}
	const terms = body.split('+').map(term);
	if (terms.some((t) => t === undefined)) return null;
	return (terms as number[]).reduce((a, b) => a + b, 0);
}

interface Range {
	sheetId: string;
	startRow: number;
	startColumn: number;
	/** Open ends: undefined (to the sheet's last row or column). */
	endRow?: number;
	endColumn?: number;
	/** The <开始单元格>:<结束列> and <开始列>:<结束列> forms ("仅支持获取 100 列数据"). */
	open: boolean;
}

/** The four documented forms: id!A1:B5, id!A:B, id!A2:B, id (the whole sheet). */
function parseRange(text: string): Range | undefined {
	const [sheetId, cells, extra] = text.split('!');
	if (!sheetId || extra !== undefined) return undefined;
	if (cells === undefined) return { sheetId, startRow: 1, startColumn: 1, open: false };
	const m = /^([A-Z]{1,3})(\d*):([A-Z]{1,3})(\d*)$/.exec(cells);
	if (!m) return undefined;
	const startRow = m[2] ? Number(m[2]) : 1;
	const endRow = m[4] ? Number(m[4]) : undefined;
	if (!m[2] && m[4]) return undefined;
	const range = {
		sheetId,
		startRow,
		startColumn: column(m[1]),
		endRow,
		endColumn: column(m[3]),
		open: endRow === undefined,
	};
	if (
		range.startRow < 1 ||
		(endRow !== undefined && endRow < startRow) ||
		range.endColumn < range.startColumn
	)
		return undefined;
	return range;
}

const isEmpty = (cell: unknown) => cell === null || cell === undefined || cell === '';
const WRITABLE_TYPES = ['url', 'mention', 'formula', 'multipleValue', 'text'];

/** A serial number as the sheet's yyyy/MM/dd (with the time when it has one). */
function dateText(serial: number): string {
	const ms = Math.round(((serial - 25569) * 86_400_000) / 1000) * 1000;
	const iso = new Date(ms).toISOString();
	const date = iso.slice(0, 10).replace(/-/g, '/');
	return Number.isInteger(serial) ? date : `${date} ${iso.slice(11, 19)}`;
}

export class FeishuSheets {
	readonly spreadsheets = new Map<string, FakeSpreadsheet>();
	/** Writes refused with 90235 because another write to the same spreadsheet was in flight. */
	writeConflicts = 0;

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.spreadsheets.clear();
		this.writeConflicts = 0;
		const orders = this.sheet(SHEET_ORDERS, 'Orders');
		orders.cells = [
			['Order', 'Customer', 'Amount', 'Date', 'Status', null, 'Customer'],
			['A-1', 'Ada', 120, 45296, 'paid', null, 'x'],
			['A-2', 'Grace', 80.5, 45297, 'open'],
			['A-3', 'Linus', { type: 'formula', text: '=C2+C3' }, 45298.5, 'open'],
		];
		orders.dateColumns.add(4);
		this.spreadsheets.set(DRIVE_SHEET, {
			token: DRIVE_SHEET,
			title: 'Budget',
			owner: 'ou_1',
			sheets: [
				orders,
				this.sheet(SHEET_EMPTY, 'Empty'),
				{ ...this.sheet(SHEET_BASE, 'Base'), resourceType: 'bitable' },
			],
			revision: 1,
			busyUntil: 0,
		});
		this.fake.bitable.wikiNodes.set(WIKI_SHEET_NODE, {
			space_id: '7300000000000000001',
			node_token: WIKI_SHEET_NODE,
			obj_token: DRIVE_SHEET,
			obj_type: 'sheet',
			title: 'Budget',
		});
	}

	/** A new grid sheet of the default size (200 rows × 20 columns, the query page's example). */
	sheet(sheetId: string, title: string): FakeSheet {
		return {
			sheetId,
			title,
			resourceType: 'sheet',
			rowCount: 200,
			columnCount: 20,
			cells: [],
			dateColumns: new Set(),
		};
	}

	/** The cells of a sheet as the tests read them: rows × columns up to the last non-empty row. */
	grid(token: string, sheetId: string): unknown[][] {
		const sheet = this.spreadsheets.get(token)?.sheets.find((s) => s.sheetId === sheetId);
		if (!sheet) throw new Error(`no sheet ${token}/${sheetId}`);
		let last = sheet.cells.length;
		while (last > 0 && (sheet.cells[last - 1] ?? []).every(isEmpty)) last--;
		return sheet.cells.slice(0, last).map((row) => Array.from(row ?? [], (cell) => cell ?? null));
	}

	/** The spreadsheet a request names: it must be a Drive file of type sheet the caller may use. */
	private book(token: string, v3: boolean): FakeSpreadsheet | Answer {
		const node = this.fake.drive.nodes.get(token);
		const book = this.spreadsheets.get(token);
		if (!node || node.type !== 'sheet' || !book)
			return v3
				? fail(1310214, 'SpreadSheet Not Found', 400)
				: fail(90214, 'SpreadSheetNotFound', 400);
		if (!node.shared)
			return v3 ? fail(1310213, 'Permission Fail', 400) : fail(90213, 'PermissionFail', 400);
		return book;
	}

	/** Starts a write to a spreadsheet: one at a time ("单个文档只能串行调用"). */
	private write(token: string, run: (book: FakeSpreadsheet) => Answer): Answer {
		const found = this.book(token, false);
		if ('status' in found) return found;
		const now = Date.now();
		if (now < found.busyUntil - 2) {
			this.writeConflicts++;
			return fail(90235, 'Retry later');
		}
		found.busyUntil = Math.max(found.busyUntil, now + this.fake.faults.latencyMs);
		const answer = run(found);
		if ((answer.body as { code?: number }).code === 0) found.revision++;
		return answer;
	}

	private locate(book: FakeSpreadsheet, text: string): { sheet: FakeSheet; range: Range } | Answer {
		const range = parseRange(text);
		if (!range) return fail(90202, 'validate RangeVal fail', 400);
		const sheet = book.sheets.find((s) => s.sheetId === range.sheetId);
		if (!sheet) return fail(90215, 'SheetIdNotFound', 400);
		if (sheet.resourceType !== 'sheet') return fail(90211, 'WrongSheetId', 400);
		return { sheet, range };
	}

	private cell(sheet: FakeSheet, row: number, col: number): unknown {
		return sheet.cells[row - 1]?.[col - 1] ?? null;
	}

	private evaluate(sheet: FakeSheet, text: string): unknown {
		return evaluateFormula((r, c) => this.cell(sheet, r, c), text);
	}

	/** A cell as a read renders it (valueRenderOption, dateTimeRenderOption). */
	private render(
		sheet: FakeSheet,
		cell: unknown,
		col: number,
		query: Record<string, string>,
	): unknown {
		if (isEmpty(cell)) return null;
		const option = query.valueRenderOption;
		let value: unknown = cell;
		if (typeof cell === 'object' && cell !== null) {
			const typed = cell as { type?: string; text?: string; link?: string };
			if (typed.type === 'formula') {
				// "默认不进行公式计算，返回公式本身".
				if (option === undefined || option === 'Formula') return typed.text;
				value = this.evaluate(sheet, String(typed.text));
			} else if (typed.type === 'url') return [{ type: 'url', text: typed.text, link: typed.link }];
			else if (typed.type === 'mention') return [{ ...typed }];
			else if (typed.type === 'multipleValue') return (cell as { values: unknown[] }).values;
			else return cell;
		}
		if (typeof value === 'number') {
			if (sheet.dateColumns.has(col) && query.dateTimeRenderOption === 'FormattedString')
				return dateText(value);
			return value;
		}
		return value;
	}

	/** A written cell as stored: "" empties it; the documented typed objects are kept. */
	private stored(value: unknown): { cell: unknown } | Answer {
		if (value === '' || value === null) return { cell: null };
		if (typeof value === 'string') {
			if (value.length > MAX_CELL) return fail(90222, 'TooLargeCell', 400);
			return { cell: value };
		}
		if (typeof value === 'number' || typeof value === 'boolean') return { cell: value };
		if (Array.isArray(value)) return { cell: value };
		if (
			typeof value === 'object' &&
			WRITABLE_TYPES.includes(String((value as { type?: unknown }).type))
		)
			return { cell: value };
		return fail(90204, 'WrongRequestBody', 400);
	}

	private put(sheet: FakeSheet, row: number, col: number, values: unknown[][]): Answer | undefined {
		const prepared: unknown[][] = [];
		for (const line of values) {
			if (!Array.isArray(line)) return fail(90204, 'WrongRequestBody', 400);
			const out: unknown[] = [];
			for (const value of line) {
				const stored = this.stored(value);
				if ('status' in stored) return stored;
				out.push(stored.cell);
			}
			prepared.push(out);
		}
		prepared.forEach((line, r) => {
			const at = row - 1 + r;
			while (sheet.cells.length <= at) sheet.cells.push([]);
			const target = sheet.cells[at] ?? (sheet.cells[at] = []);
			line.forEach((cell, c) => (target[col - 1 + c] = cell));
		});
		return undefined;
	}

	/** A write's checks: the range names cells of the grid, is at least the data's size, within the per-call limits. */
	private checkWrite(sheet: FakeSheet, range: Range, values: unknown[][]): Answer | undefined {
		const width = Math.max(0, ...values.map((r) => (Array.isArray(r) ? r.length : 0)));
		if (values.length > MAX_ROWS || width > MAX_COLUMNS) return fail(90226, 'ExcessLimit', 400);
		const endRow = range.endRow ?? sheet.rowCount;
		const endColumn = range.endColumn ?? sheet.columnCount;
		if (endRow - range.startRow + 1 < values.length || endColumn - range.startColumn + 1 < width)
			return fail(90202, 'validate RangeVal fail: range smaller than the values', 400);
		if (
			range.startRow + values.length - 1 > sheet.rowCount ||
			range.startColumn + width - 1 > sheet.columnCount
		)
			return fail(90202, 'validate RangeVal fail: beyond the sheet', 400);
		return undefined;
	}

	private shapedSheet(sheet: FakeSheet, index: number): Record<string, unknown> {
		return {
			sheet_id: sheet.sheetId,
			title: sheet.title,
			index,
			hidden: false,
			resource_type: sheet.resourceType,
			...(sheet.resourceType === 'sheet'
				? {
						grid_properties: {
							frozen_row_count: 0,
							frozen_column_count: 0,
							row_count: sheet.rowCount,
							column_count: sheet.columnCount,
						},
					}
				: {}),
		};
	}

	handlers(): Record<string, Handler> {
		return {
			'feishu.spreadsheet.create': ({ body }) => {
				const title = body.title === undefined ? '未命名表格' : String(body.title);
				if (title.length > 255) return fail(1310204, 'Wrong Request Body', 400);
				const folder = this.fake.drive.nodes.get(
					String(body.folder_token ?? DRIVE_ROOT) || DRIVE_ROOT,
				);
				if (!folder || folder.type !== 'folder') return fail(1310204, 'Wrong Request Body', 400);
				if (!folder.shared) return fail(1310213, 'Permission Fail: no folder permission', 400);
				const token = `shtcn${alnum(22)}`;
				const now = Math.floor(Date.now() / 1000);
				this.fake.drive.nodes.set(token, {
					token,
					name: title,
					type: 'sheet',
					parent: folder.token,
					created: now,
					modified: now,
					shared: true,
				});
				this.spreadsheets.set(token, {
					token,
					title,
					owner: 'ou_1',
					sheets: [this.sheet(alnum(6).toLowerCase(), 'Sheet1')],
					revision: 0,
					busyUntil: 0,
				});
				return ok({
					spreadsheet: {
						title,
						folder_token: folder.token,
						url: `https://sandbox.feishu.cn/sheets/${token}`,
						spreadsheet_token: token,
					},
				});
			},
			'feishu.spreadsheet.get': ({ params }) => {
				const book = this.book(params.spreadsheet_token, true);
				if ('status' in book) return book;
				return ok({
					spreadsheet: {
						title: book.title,
						owner_id: book.owner,
						token: book.token,
						url: `https://sandbox.feishu.cn/sheets/${book.token}`,
					},
				});
			},
			'feishu.sheet.query': ({ params }) => {
				const book = this.book(params.spreadsheet_token, true);
				if ('status' in book) return book;
				return ok({ sheets: book.sheets.map((s, i) => this.shapedSheet(s, i)) });
			},
			'feishu.sheet.readRange': ({ params, query }) => {
				const book = this.book(params.spreadsheetToken, false);
				if ('status' in book) return book;
				const found = this.locate(book, params.range);
				if ('status' in found) return found;
				const { sheet, range } = found;
				const endRow = Math.min(range.endRow ?? sheet.rowCount, sheet.rowCount);
				let endColumn = Math.min(range.endColumn ?? sheet.columnCount, sheet.columnCount);
				if (range.open) endColumn = Math.min(endColumn, range.startColumn + MAX_COLUMNS - 1);
				const values: unknown[][] = [];
				for (let r = range.startRow; r <= endRow; r++) {
					const row: unknown[] = [];
					for (let c = range.startColumn; c <= endColumn; c++)
						row.push(this.render(sheet, this.cell(sheet, r, c), c, query));
					values.push(row);
				}
				// "该接口返回数据的最大限制为 10 MB".
				if (Buffer.byteLength(JSON.stringify(values)) > MAX_BYTES)
					return fail(90221, 'TooLargeResponse', 400);
				const empty = values.every((row) => row.every(isEmpty));
				return ok({
					revision: book.revision,
					spreadsheetToken: book.token,
					valueRange: {
						majorDimension: 'ROWS',
						range: empty ? '' : params.range,
						revision: book.revision,
						values,
					},
				});
			},
			'feishu.sheet.writeRange': ({ params, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const valueRange = body.valueRange as { range: string; values: unknown[][] };
					const found = this.locate(book, valueRange.range);
					if ('status' in found) return found;
					const refused =
						this.checkWrite(found.sheet, found.range, valueRange.values) ??
						this.put(found.sheet, found.range.startRow, found.range.startColumn, valueRange.values);
					if (refused) return refused;
					const width = Math.max(...valueRange.values.map((r) => r.length));
					return ok({
						spreadsheetToken: book.token,
						revision: book.revision + 1,
						updatedRange: valueRange.range,
						updatedRows: valueRange.values.length,
						updatedColumns: width,
						updatedCells: valueRange.values.length * width,
					});
				}),
			'feishu.sheet.writeRanges': ({ params, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const ranges = body.valueRanges as Array<{ range: string; values: unknown[][] }>;
					const rows = ranges.reduce((n, r) => n + r.values.length, 0);
					if (rows > MAX_ROWS) return fail(90226, 'ExcessLimit', 400);
					const located = [];
					for (const r of ranges) {
						const found = this.locate(book, r.range);
						if ('status' in found) return found;
						const refused = this.checkWrite(found.sheet, found.range, r.values);
						if (refused) return refused;
						located.push({ ...found, values: r.values });
					}
					const responses = [];
					for (const { sheet, range, values } of located) {
						const refused = this.put(sheet, range.startRow, range.startColumn, values);
						if (refused) return refused;
						const width = Math.max(...values.map((v) => v.length));
						responses.push({
							spreadsheetToken: book.token,
							updatedRange: `${sheet.sheetId}!${letters(range.startColumn)}${range.startRow}:${letters(range.startColumn + width - 1)}${range.startRow + values.length - 1}`,
							updatedRows: values.length,
							updatedColumns: width,
							updatedCells: values.length * width,
						});
					}
					return ok({ responses, revision: book.revision + 1, spreadsheetToken: book.token });
				}),
			'feishu.sheet.append': ({ params, query, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const valueRange = body.valueRange as { range: string; values: unknown[][] };
					const found = this.locate(book, valueRange.range);
					if ('status' in found) return found;
					const { sheet, range } = found;
					const values = valueRange.values;
					const width = Math.max(0, ...values.map((r) => r.length));
					// "单次写入范围不可超过 5,000 行、100 列"; the range at least the data's size.
					const rangeRows = (range.endRow ?? sheet.rowCount) - range.startRow + 1;
					const rangeColumns = (range.endColumn ?? sheet.columnCount) - range.startColumn + 1;
					if (
						values.length > MAX_ROWS ||
						width > MAX_COLUMNS ||
						rangeRows > MAX_ROWS ||
						rangeColumns > MAX_COLUMNS
					)
						return fail(90226, 'ExcessLimit', 400);
					if (rangeRows < values.length || rangeColumns < width)
						return fail(90202, 'validate RangeVal fail: range smaller than the values', 400);
					// "依次寻找 A1、A2、A3...单元格，在找到的第一个空白位置中写入数据".
					let at = range.startRow;
					while (at <= sheet.rowCount && !isEmpty(this.cell(sheet, at, range.startColumn))) at++;
					if (query.insertDataOption === 'INSERT_ROWS') {
						while (sheet.cells.length < at - 1) sheet.cells.push([]);
						sheet.cells.splice(at - 1, 0, ...values.map(() => [] as unknown[]));
						sheet.rowCount += values.length;
					} else if (at + values.length - 1 > sheet.rowCount) {
						sheet.rowCount = at + values.length - 1;
					}
					const refused = this.put(sheet, at, range.startColumn, values);
					if (refused) return refused;
					const updatedRange = `${sheet.sheetId}!${letters(range.startColumn)}${at}:${letters(range.startColumn + width - 1)}${at + values.length - 1}`;
					return ok({
						spreadsheetToken: book.token,
						tableRange: updatedRange,
						revision: book.revision + 1,
						updates: {
							spreadsheetToken: book.token,
							updatedRange,
							updatedRows: values.length,
							updatedColumns: width,
							updatedCells: values.length * width,
							revision: book.revision + 1,
						},
					});
				}),
			'feishu.sheet.addDimension': ({ params, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const d = body.dimension as { sheetId: string; majorDimension: string; length: number };
					const sheet = book.sheets.find((s) => s.sheetId === d.sheetId);
					if (!sheet) return fail(90215, 'SheetIdNotFound', 400);
					if (d.length <= 0 || d.length > MAX_DIMENSION) return fail(90212, 'WrongRowOrCol', 400);
					if (d.majorDimension === 'ROWS') sheet.rowCount += d.length;
					else sheet.columnCount += d.length;
					return ok({ addCount: d.length, majorDimension: d.majorDimension });
				}),
			'feishu.sheet.deleteDimension': ({ params, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const d = body.dimension as {
						sheetId: string;
						majorDimension: string;
						startIndex: number;
						endIndex: number;
					};
					const sheet = book.sheets.find((s) => s.sheetId === d.sheetId);
					if (!sheet) return fail(90215, 'SheetIdNotFound', 400);
					const rows = d.majorDimension === 'ROWS';
					const size = rows ? sheet.rowCount : sheet.columnCount;
					const count = d.endIndex - d.startIndex + 1;
					// 1-based, both ends inclusive; at most 5,000; "一个工作表最少需有一行一列".
					if (
						d.startIndex < 1 ||
						d.endIndex < d.startIndex ||
						d.endIndex > size ||
						count > MAX_DIMENSION ||
						count >= size
					)
						return fail(90212, 'WrongRowOrCol', 400);
					if (rows) {
						sheet.cells.splice(d.startIndex - 1, count);
						sheet.rowCount -= count;
					} else {
						for (const row of sheet.cells) row?.splice(d.startIndex - 1, count);
						sheet.columnCount -= count;
						sheet.dateColumns = new Set(
							[...sheet.dateColumns]
								.filter((c) => c < d.startIndex || c > d.endIndex)
								.map((c) => (c > d.endIndex ? c - count : c)),
						);
					}
					return ok({ delCount: count, majorDimension: d.majorDimension });
				}),
			'feishu.sheet.batchUpdate': ({ params, body }) =>
				this.write(params.spreadsheetToken, (book) => {
					const replies: Record<string, unknown>[] = [];
					for (const request of body.requests as Array<Record<string, unknown>>) {
						const add = request.addSheet as
							{ properties?: { title?: string; index?: number } } | undefined;
						const remove = request.deleteSheet as { sheetId?: string } | undefined;
						if (add) {
							const title = String(add.properties?.title ?? '');
							if (title === '') return fail(90207, 'EmptySheetTitle', 400);
							if (book.sheets.some((s) => s.title === title))
								return fail(90210, 'ExistSheetTitle', 400);
							if (book.sheets.length >= MAX_SHEETS) return fail(90226, 'ExcessLimit', 400);
							const index = Math.min(add.properties?.index ?? 0, book.sheets.length);
							const sheet = this.sheet(alnum(6).toLowerCase(), title);
							book.sheets.splice(index, 0, sheet);
							replies.push({ addSheet: { properties: { sheetId: sheet.sheetId, title, index } } });
						} else if (remove) {
							const at = book.sheets.findIndex((s) => s.sheetId === remove.sheetId);
							if (at < 0) return fail(90215, 'SheetIdNotFound', 400);
							book.sheets.splice(at, 1);
							replies.push({ deleteSheet: { result: true, sheetId: remove.sheetId } });
						} else return fail(90204, 'WrongRequestBody', 400);
					}
					return ok({ replies });
				}),
		};
	}
}
