/**
 * The fake DingTalk workbooks (钉钉表格): workbooks in a knowledge base, each with sheets holding a real grid
 * of cells; the operator (operatorId, a unionId) checked against the workbook's collaborators; ranges in A1
 * notation whose values must match their shape; appendRows after the last row with data; rows and columns
 * deleted by 0-based cursors; sheets added (a name in use renamed) and removed. Values go in as text and are
 * read as a user typing them would be (the pages leave it open: a number stays a number, "=…" a formula).
 * Source: docs/research/dingtalk-workbook.md.
 */

import { randomBytes } from 'crypto';

import type { Answer, Handler } from './server';
import { USERS } from './server';
import { column, evaluateFormula, letters } from './feishu-sheets';

export interface DingSheet {
	id: string;
	name: string;
	rowCount: number;
	columnCount: number;
	/** Rows of stored cells, 0-based: a number, text, a formula {type, text}, or null. */
	cells: unknown[][];
}

export interface DingWorkbook {
	id: string;
	nodeId: string;
	workspaceId: string;
	name: string;
	/** The unionIds that may use it (collaborators). */
	collaborators: Set<string>;
	sheets: DingSheet[];
}

export const DING_WORKBOOK = 'Zr2Zx7DwTb0RWnDgyXq3mqNLOGGE1L5k';
export const DING_WORKSPACE = 'ws-sandbox-0001';
export const DING_SHEET_ORDERS = 'st-orders-0001';
export const DING_SHEET_EMPTY = 'st-empty-0001';

const fail = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});
const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body });
const isEmpty = (cell: unknown) => cell === null || cell === undefined || cell === '';

/** A1 address without the sheet: A1, A1:C3, A:C (to the sheet's edge). */
function parseAddress(text: string, sheet: DingSheet) {
	const m = /^([A-Z]{1,3})(\d*)(?::([A-Z]{1,3})(\d*))?$/.exec(text);
	if (!m) return undefined;
	const startColumn = column(m[1]);
	const startRow = m[2] ? Number(m[2]) : 1;
	const endColumn = m[3] ? column(m[3]) : startColumn;
	const endRow = m[4] ? Number(m[4]) : m[3] || !m[2] ? sheet.rowCount : startRow;
	if (startRow < 1 || endRow < startRow || endColumn < startColumn) return undefined;
	return { startRow, startColumn, endRow, endColumn };
}

/** Text as a user typing it: a number, a formula, or the text. */
function typed(value: unknown): unknown {
	if (value === '' || value === null) return null;
	const text = String(value);
	if (text.startsWith('=') && text.length > 1) return { type: 'formula', text };
	if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
	return text;
}

export class DingTalkWorkbooks {
	readonly workbooks = new Map<string, DingWorkbook>();

	constructor() {
		this.seed();
	}

	seed(): void {
		this.workbooks.clear();
		const orders = this.sheet(DING_SHEET_ORDERS, 'Orders');
		orders.cells = [
			['Order', 'Customer', 'Amount', 'Status'],
			['A-1', 'Ada', 120, 'paid'],
			['A-2', 'Grace', 80.5, 'open'],
		];
		this.workbooks.set(DING_WORKBOOK, {
			id: DING_WORKBOOK,
			nodeId: 'YRBGv0Ye',
			workspaceId: DING_WORKSPACE,
			name: 'Orders book',
			collaborators: new Set([USERS.admin, USERS.member]),
			sheets: [orders, this.sheet(DING_SHEET_EMPTY, 'Empty')],
		});
	}

	/** A new sheet of the example's size: 200 rows × 40 columns. */
	sheet(id: string, name: string): DingSheet {
		return { id, name, rowCount: 200, columnCount: 40, cells: [] };
	}

	/** The stored cells up to the last row with data, for tests. */
	grid(workbookId: string, sheetId: string): unknown[][] {
		const sheet = this.workbooks.get(workbookId)?.sheets.find((s) => s.id === sheetId);
		if (!sheet) throw new Error(`no sheet ${workbookId}/${sheetId}`);
		const last = this.lastRow(sheet);
		return sheet.cells.slice(0, last).map((row) => Array.from(row ?? [], (c) => c ?? null));
	}

	private lastRow(sheet: DingSheet): number {
		let last = sheet.cells.length;
		while (last > 0 && (sheet.cells[last - 1] ?? []).every(isEmpty)) last--;
		return last;
	}

	private lastColumn(sheet: DingSheet): number {
		return Math.max(
			0,
			...sheet.cells.map((row) => {
				let n = row?.length ?? 0;
				while (n > 0 && isEmpty(row[n - 1])) n--;
				return n;
			}),
		);
	}

	/** The workbook and, when named, the sheet (by ID or name), for an operator who may use them. */
	private locate(
		params: Record<string, string>,
		query: Record<string, string>,
	): { book: DingWorkbook; sheet?: DingSheet } | Answer {
		if (!Object.values(USERS).includes(query.operatorId))
			return fail(400, 'invalidRequest.inputArgs.operatorIdIllegal', 'operatorId不合法。');
		const book = this.workbooks.get(params.workbookId ?? params.nodeId);
		if (!book)
			return fail(404, 'invalidRequest.resource.notFound', '请求失败，无法找到要访问的资源。');
		if (!book.collaborators.has(query.operatorId))
			return fail(403, 'forbidden.accessDenied', '当前用户无此操作权限。');
		if (params.sheetId === undefined) return { book };
		const sheet = book.sheets.find((s) => s.id === params.sheetId || s.name === params.sheetId);
		if (!sheet)
			return fail(404, 'invalidRequest.resource.notFound', '请求失败，无法找到要访问的资源。');
		return { book, sheet };
	}

	private cell(sheet: DingSheet, row: number, col: number): unknown {
		return sheet.cells[row - 1]?.[col - 1] ?? null;
	}

	private put(sheet: DingSheet, row: number, col: number, values: unknown[][]): void {
		values.forEach((line, r) => {
			const at = row - 1 + r;
			while (sheet.cells.length <= at) sheet.cells.push([]);
			const target = sheet.cells[at] ?? (sheet.cells[at] = []);
			line.forEach((value, c) => (target[col - 1 + c] = typed(value)));
		});
	}

	/** Rows of text cells: the SDK's string[][]. */
	private badValues(values: unknown): Answer | undefined {
		if (
			!Array.isArray(values) ||
			!values.every((r) => Array.isArray(r) && r.every((c) => typeof c === 'string'))
		)
			return fail(
				400,
				'invalidRequest.inputArgs.invalid',
				'请求参数不合法：values must be rows of strings',
			);
		return undefined;
	}

	handlers(): Record<string, Handler> {
		const read = (sheet: DingSheet, cellValue: unknown, select: string): unknown => {
			if (isEmpty(cellValue)) return '';
			const formula =
				typeof cellValue === 'object' && (cellValue as { type?: string }).type === 'formula'
					? String((cellValue as { text: string }).text)
					: undefined;
			if (select === 'formulas') return formula ?? String(cellValue);
			const value = formula
				? evaluateFormula((r, c) => this.cell(sheet, r, c), formula)
				: cellValue;
			if (select === 'displayValues') return value === null ? '' : String(value);
			return value;
		};
		return {
			'dingtalk.workbook.create': ({ params, body }) => {
				if (params.workspaceId !== DING_WORKSPACE)
					return fail(404, 'invalidRequest.resource.notFound', '请求失败，无法找到要访问的资源。');
				if (!Object.values(USERS).includes(String(body.operatorId)))
					return fail(400, 'invalidRequest.inputArgs.invalid', '方法入参校验失败');
				const name = String(body.name);
				if ([...this.workbooks.values()].some((w) => w.name === name))
					return fail(400, 'invalidRequest.workspaceNode.nameConflict', '知识库文档名称冲突');
				const id = randomBytes(16).toString('hex');
				const nodeId = randomBytes(4).toString('hex');
				this.workbooks.set(id, {
					id,
					nodeId,
					workspaceId: DING_WORKSPACE,
					name,
					collaborators: new Set([String(body.operatorId)]),
					sheets: [this.sheet(`st-${randomBytes(4).toString('hex')}`, 'Sheet1')],
				});
				return ok({
					workspaceId: DING_WORKSPACE,
					nodeId,
					docKey: randomBytes(6).toString('hex'),
					url: `https://alidocs.dingtalk.com/i/nodes/${id}`,
					dentryUuid: id,
				});
			},
			'dingtalk.workbook.getNode': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const { book } = found;
				return ok({
					node: {
						nodeId: book.id,
						workspaceId: book.workspaceId,
						name: book.name,
						type: 'FILE',
						category: 'ALIDOC',
						extension: 'axls',
						url: `https://alidocs.dingtalk.com/i/nodes/${book.id}`,
						creatorId: USERS.admin,
					},
				});
			},
			'dingtalk.workbookSheet.getAll': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				return ok({ value: found.book.sheets.map((s) => ({ id: s.id, name: s.name })) });
			},
			'dingtalk.workbookSheet.get': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				return ok({
					id: sheet.id,
					name: sheet.name,
					visibility: 'visible',
					// "最后一行非空行的位置，从0开始，表为空时返回-1".
					lastNonEmptyRow: this.lastRow(sheet) - 1,
					lastNonEmptyColumn: this.lastColumn(sheet) - 1,
					rowCount: sheet.rowCount,
					columnCount: sheet.columnCount,
				});
			},
			'dingtalk.workbookSheet.create': ({ params, query, body }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				// A name in use "将自动重命名为合法值".
				let name = String(body.name);
				for (let n = 1; found.book.sheets.some((s) => s.name === name); n++)
					name = `${body.name}(${n})`;
				const sheet = this.sheet(`st-${randomBytes(4).toString('hex')}`, name);
				found.book.sheets.push(sheet);
				return ok({ visibility: 'visible', name, id: sheet.id });
			},
			'dingtalk.workbookSheet.remove': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				found.book.sheets = found.book.sheets.filter((s) => s !== found.sheet);
				return ok({ success: true });
			},
			'dingtalk.workbookSheet.readRange': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const range = parseAddress(params.rangeAddress, sheet);
				if (!range) return fail(400, 'invalidRequest.inputArgs.invalid', '请求参数不合法：range');
				const fields = (query.select ?? 'values,formulas,displayValues').split(',');
				const answer: Record<string, unknown> = {};
				for (const field of fields) {
					if (!['values', 'formulas', 'displayValues'].includes(field)) continue;
					const rows: unknown[][] = [];
					for (let r = range.startRow; r <= range.endRow; r++) {
						const row: unknown[] = [];
						for (let c = range.startColumn; c <= range.endColumn; c++)
							row.push(read(sheet, this.cell(sheet, r, c), field));
						rows.push(row);
					}
					answer[field] = rows;
				}
				return ok(answer);
			},
			'dingtalk.workbookSheet.writeRange': ({ params, query, body }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const range = parseAddress(params.rangeAddress, sheet);
				if (!range) return fail(400, 'invalidRequest.inputArgs.invalid', '请求参数不合法：range');
				const values = body.values as unknown[][];
				const refused = this.badValues(values);
				if (refused) return refused;
				// "Range地址范围有几行，该参数二维数组内就有几个元素；… 有几列，… 每个元素内就有几个值".
				const rows = range.endRow - range.startRow + 1;
				const cols = range.endColumn - range.startColumn + 1;
				if (values.length !== rows || values.some((r) => r.length !== cols))
					return fail(
						400,
						'invalidRequest.inputArgs.invalid',
						'请求参数不合法：输入参数数据维度不正确',
					);
				if (range.endRow > sheet.rowCount) sheet.rowCount = range.endRow;
				this.put(sheet, range.startRow, range.startColumn, values);
				return ok({ a1Notation: params.rangeAddress });
			},
			'dingtalk.workbookSheet.append': ({ params, query, body }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const values = body.values as unknown[][];
				const refused = this.badValues(values);
				if (refused) return refused;
				// "finds the last row that has data and writes below it"; an empty sheet starts at row 1.
				const at = this.lastRow(sheet) + 1;
				const width = Math.max(1, ...values.map((r) => r.length));
				this.put(sheet, at, 1, values);
				sheet.rowCount = Math.max(sheet.rowCount, at + values.length - 1);
				return ok({ a1Notation: `A${at}:${letters(width)}${at + values.length - 1}` });
			},
			'dingtalk.workbookSheet.clear': ({ params, query }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const range = parseAddress(params.rangeAddress, sheet);
				if (!range) return fail(400, 'invalidRequest.inputArgs.invalid', '请求参数不合法：range');
				for (let r = range.startRow; r <= range.endRow; r++)
					for (let c = range.startColumn; c <= range.endColumn; c++)
						if (sheet.cells[r - 1]) sheet.cells[r - 1][c - 1] = null;
				return ok({ a1Notation: params.rangeAddress });
			},
			'dingtalk.workbookSheet.deleteRows': ({ params, query, body }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const row = Number(body.row);
				const count = Number(body.rowCount);
				if (row < 0 || count < 1 || row + count > sheet.rowCount)
					return fail(400, 'invalidRequest.inputArgs.invalid', '请求参数不合法：row');
				sheet.cells.splice(row, count);
				sheet.rowCount -= count;
				return ok({ id: sheet.id });
			},
			'dingtalk.workbookSheet.deleteColumns': ({ params, query, body }) => {
				const found = this.locate(params, query);
				if ('status' in found) return found;
				const sheet = found.sheet!;
				const col = Number(body.column);
				const count = Number(body.columnCount);
				if (col < 0 || count < 1 || col + count > sheet.columnCount)
					return fail(400, 'invalidRequest.inputArgs.invalid', '请求参数不合法：column');
				for (const line of sheet.cells) line?.splice(col, count);
				sheet.columnCount -= count;
				return ok({ id: sheet.id });
			},
		};
	}
}
