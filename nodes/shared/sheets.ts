import type { IDataObject } from 'n8n-workflow';

/**
 * The spreadsheet model both platforms share, as n8n's Google Sheets node has it: a header row whose cells
 * name the columns, rows in and out as items keyed by those names, values converted both ways, rows found
 * by a key column, and writes cut into the documented sizes. Each platform adds only its requests.
 */

/** Where a conversion failure is reported: the field, the item and what was expected. */
export type Fail = (problem: string) => never;

/** "A" is column 1, "Z" 26, "AA" 27. */
export function columnLetter(index: number): string {
	let n = index;
	let letters = '';
	while (n > 0) {
		const rest = (n - 1) % 26;
		letters = String.fromCharCode(65 + rest) + letters;
		n = Math.floor((n - 1) / 26);
	}
	return letters;
}

/** The column number of letters (A = 1), or undefined for anything else. */
export function columnIndex(letters: string): number | undefined {
	if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
	let n = 0;
	for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
	return n;
}

/** A cell range inside one sheet: 1-based rows and columns, both ends inclusive; an open end is undefined. */
export interface CellRange {
	startRow?: number;
	startColumn: number;
	endRow?: number;
	endColumn?: number;
}

/** A1 notation without the sheet: "A1:C10", "A:C", "A2:C", "B3" (one cell). Undefined when it is not one. */
export function parseA1(text: string): CellRange | undefined {
	const match = /^([A-Za-z]{1,3})(\d*)(?::([A-Za-z]{1,3})(\d*))?$/.exec(text.trim());
	if (!match) return undefined;
	const startColumn = columnIndex(match[1])!;
	const startRow = match[2] ? Number(match[2]) : undefined;
	if (match[3] === undefined) {
		if (startRow === undefined) return undefined;
		return { startRow, startColumn, endRow: startRow, endColumn: startColumn };
	}
	const endColumn = columnIndex(match[3])!;
	const endRow = match[4] ? Number(match[4]) : undefined;
	if (startRow === 0 || endRow === 0) return undefined;
	if (endColumn < startColumn || (startRow && endRow && endRow < startRow)) return undefined;
	// "A:C2" names no start row but an end row: not one of the documented forms.
	if (startRow === undefined && endRow !== undefined) return undefined;
	return { startRow, startColumn, endRow, endColumn };
}

/** A1 text of a closed range: A1:C10. */
export const a1 = (startRow: number, startColumn: number, endRow: number, endColumn: number) =>
	`${columnLetter(startColumn)}${startRow}:${columnLetter(endColumn)}${endRow}`;

/**
 * Column names from the header row's cells. A blank cell is named by its column's letter ("D"); a name
 * already used is numbered ("Name (2)"), so that every column has one name and no item key is lost.
 */
export function headerNames(cells: unknown[]): string[] {
	const names: string[] = [];
	const used = new Set<string>();
	cells.forEach((cell, i) => {
		let name = cellText(cell).trim();
		if (name === '') name = columnLetter(i + 1);
		let unique = name;
		for (let n = 2; used.has(unique); n++) unique = `${name} (${n})`;
		used.add(unique);
		names.push(unique);
	});
	return names;
}

/** A header row's names, as wide as its last non-blank cell. */
export function headerOf(cells: unknown[]): string[] {
	let width = cells.length;
	while (width > 0 && isEmptyRow([cells[width - 1]])) width--;
	return headerNames(cells.slice(0, width));
}

/** The text a cell shows, for names and key matching: rich text joined, a link's text, a number as written. */
export function cellText(cell: unknown): string {
	if (cell === null || cell === undefined) return '';
	if (typeof cell === 'string') return cell;
	if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
	if (Array.isArray(cell)) return cell.map(cellText).join('');
	if (typeof cell === 'object') {
		const o = cell as IDataObject;
		if (typeof o.text === 'string') return o.text;
		if (typeof o.link === 'string') return o.link;
	}
	return JSON.stringify(cell);
}

/** How values are read: as the sheet shows them, as values (dates as ISO text), as stored (dates as serial numbers), or formulas. */
export type ReadMode = 'unformatted' | 'formatted' | 'raw' | 'formula';
/** How item values are written: as a user would type them (numbers, formulas, dates recognised), or as given. */
export type WriteMode = 'userEntered' | 'raw';

/** Days from 1899-12-30 (the spreadsheet epoch) to 1970-01-01. */
const EPOCH_DAYS = 25569;
const DAY_MS = 86_400_000;

/**
 * An ISO date or date-time as the sheet stores it: "整数部分为自 1899 年 12 月 30 日以来的天数；小数部分为该时间占
 * 24 小时的份额". The clock time is taken as written (a sheet has no time zone); an offset is ignored.
 */
export function isoToSerial(text: string): number | undefined {
	const match =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
			text,
		);
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
	const time = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(ms.padEnd(3, '0')));
	const back = new Date(time);
	// 2024-02-30 is not a date.
	if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59)
		return undefined;
	const serial = time / DAY_MS + EPOCH_DAYS;
	return Math.round(serial * 1e10) / 1e10;
}

/** A serial number as ISO text: a whole day as a date, otherwise a date-time to the second. */
export function serialToIso(serial: number): string {
	const ms = Math.round(((serial - EPOCH_DAYS) * DAY_MS) / 1000) * 1000;
	const iso = new Date(ms).toISOString();
	return Number.isInteger(serial) ? iso.slice(0, 10) : iso.slice(0, 19);
}

/**
 * A date the sheet formatted with one of its documented date formats (yyyy/MM/dd, yyyy-MM-dd,
 * yyyy/MM/dd HH:mm:ss …) as ISO text; undefined for any other text.
 */
export function displayedDateToIso(text: string): string | undefined {
	const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(
		text.trim(),
	);
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s] = match;
	const pad = (v: string) => v.padStart(2, '0');
	const date = `${y}-${pad(mo)}-${pad(d)}`;
	if (isoToSerial(date) === undefined) return undefined;
	return h === undefined ? date : `${date}T${pad(h)}:${mi}:${s ?? '00'}`;
}

/** A cell as an item's value: numbers stay numbers, an empty cell is "", dates as the read mode says. */
export function fromCell(cell: unknown, mode: ReadMode): unknown {
	if (cell === null || cell === undefined) return '';
	if (mode === 'unformatted' && typeof cell === 'string') return displayedDateToIso(cell) ?? cell;
	return cell;
}

/** The most characters of one cell: the pages allow 50,000 and recommend at most 40,000 (control characters are added). */
export const MAX_CELL_CHARS = 40_000;

/**
 * An item's value as a cell value, in the shapes the write pages document: text, a number, a formula
 * ({type: "formula"}), a link ({type: "url"}), a mention ({type: "mention"}) or a dropdown value. Empty
 * writes "" (the cell emptied). A value that no cell can hold is bad input.
 */
export function toCell(
	value: unknown,
	mode: WriteMode,
	fail: Fail,
	dates: 'serial' | 'text' = 'serial',
): unknown {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) fail(`${value} is not a number a cell can hold`);
		return value;
	}
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) fail('an invalid date');
		return mode === 'raw' || dates === 'text'
			? value.toISOString()
			: isoToSerial(value.toISOString());
	}
	if (typeof value === 'string') {
		if (value.length > MAX_CELL_CHARS)
			fail(`${value.length} characters; a cell holds at most ${MAX_CELL_CHARS}`);
		if (mode === 'raw') return value;
		if (value.startsWith('=') && value.length > 1) return { type: 'formula', text: value };
		const trimmed = value.trim();
		if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) && trimmed.length <= 15) {
			// Leading zeros (a postcode, an ID) are text, as a user typing them would want.
			if (!/^[+-]?0\d/.test(trimmed)) return Number(trimmed);
		}
		return dates === 'text' ? value : (isoToSerial(trimmed) ?? value);
	}
	if (typeof value === 'object') {
		// Luxon's DateTime (n8n's dates) and other objects with an ISO form.
		const iso = (value as { toISO?: () => string | null }).toISO?.();
		if (typeof iso === 'string')
			return mode === 'raw' || dates === 'text' ? iso : (isoToSerial(iso) ?? iso);
		const typed = value as IDataObject;
		if (!Array.isArray(value) && typeof typed.type === 'string') {
			if (['url', 'mention', 'formula', 'multipleValue', 'text'].includes(typed.type)) return value;
			fail(
				`a cell object of type "${typed.type}"; the documented ones are url, mention, formula and multipleValue`,
			);
		}
		const text = JSON.stringify(value);
		if (text.length > MAX_CELL_CHARS)
			fail(`${text.length} characters as JSON; a cell holds at most ${MAX_CELL_CHARS}`);
		return text;
	}
	return fail(`a ${typeof value} cannot be written to a cell`);
}

/** What a row's key cell is matched by: its text, so that 7 and "7" match. */
export const keyOf = (cell: unknown): string => cellText(cell).trim();

/** Each header's column positions, made once (a run maps thousands of items onto one header). */
const POSITIONS = new WeakMap<string[], Map<string, number>>();

/**
 * An item's values as a row of the header's width: each mapped column at its place, and `undefined`
 * where the item has no value (on an update: left as it is). A key the header lacks is refused, or left
 * out with `ignoreExtra`.
 */
export function rowOf(
	header: string[],
	values: IDataObject,
	options: { mode: WriteMode; ignoreExtra: boolean; skip?: Set<string>; dates?: 'serial' | 'text' },
	fail: (column: string, problem: string) => never,
): unknown[] {
	const row: unknown[] = new Array(header.length).fill(undefined);
	let at = POSITIONS.get(header);
	if (!at || at.size !== header.length) {
		at = new Map(header.map((name, i) => [name, i]));
		POSITIONS.set(header, at);
	}
	for (const [column, value] of Object.entries(values)) {
		if (options.skip?.has(column)) continue;
		const i = at.get(column);
		if (i === undefined) {
			if (options.ignoreExtra) continue;
			fail(
				column,
				`is not a column of the header row; its columns are ${header.map((h) => `"${h}"`).join(', ')}`,
			);
		}
		row[i] = toCell(value, options.mode, (problem) => fail(column, problem), options.dates);
	}
	return row;
}

/** A row as an item: each column by its header name, with its row number (row_number, as Google Sheets names it). */
export function itemOf(
	header: string[],
	cells: unknown[],
	rowNumber: number,
	mode: ReadMode,
): IDataObject {
	const item: IDataObject = { row_number: rowNumber };
	header.forEach((name, i) => (item[name] = fromCell(cells[i], mode) as IDataObject[string]));
	return item;
}

/** Whether a row holds nothing at all. */
export const isEmptyRow = (cells: unknown[] | undefined) =>
	!cells || cells.every((c) => c === null || c === undefined || c === '');

/** The JSON size of a row, for the per-call byte limit. */
export const rowBytes = (cells: unknown[]) => Buffer.byteLength(JSON.stringify(cells));

/**
 * Splits rows into writes of at most `maxRows` rows and `maxBytes` bytes of JSON, in order.
 * Every row fits one call (a cell holds at most 40,000 characters, far below a call's size).
 */
export function chunkRows<T>(
	rows: T[],
	cells: (row: T) => unknown[],
	maxRows: number,
	maxBytes: number,
): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	let bytes = 0;
	for (const row of rows) {
		const size = rowBytes(cells(row));
		if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
			chunks.push(current);
			current = [];
			bytes = 0;
		}
		current.push(row);
		bytes += size;
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

/**
 * The runs of consecutive defined cells of a row, each one write: an update writes the mapped columns and
 * leaves the others as they are.
 */
export function definedRuns(row: unknown[]): Array<{ start: number; cells: unknown[] }> {
	const runs: Array<{ start: number; cells: unknown[] }> = [];
	row.forEach((cell, i) => {
		if (cell === undefined) return;
		const last = runs[runs.length - 1];
		if (last && last.start + last.cells.length === i) last.cells.push(cell);
		else runs.push({ start: i, cells: [cell] });
	});
	return runs;
}

/** Where each key value is in the sheet: the row numbers (1-based) of the rows holding it, in order. */
export function keyIndex(cells: unknown[], firstRow: number): Map<string, number[]> {
	const index = new Map<string, number[]>();
	cells.forEach((cell, i) => {
		const key = keyOf(cell);
		if (key === '') return;
		const rows = index.get(key);
		if (rows) rows.push(firstRow + i);
		else index.set(key, [firstRow + i]);
	});
	return index;
}

/** A filter of Read: a column's value equal to the given text. */
export interface RowFilter {
	column: string;
	value: string;
}

/** Whether an item passes the filters (all of them, or any with `any`). */
export function passes(item: IDataObject, filters: RowFilter[], any: boolean): boolean {
	if (filters.length === 0) return true;
	const test = (f: RowFilter) => keyOf(item[f.column]) === f.value.trim();
	return any ? filters.some(test) : filters.every(test);
}
