import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import { whereToLook } from '../../../shared/retry';
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
import type { SheetApi } from '../../../shared/sheetRows';
import { cellValuesOption, extraFieldsOption, sheetStateOnce } from '../../../shared/sheetRows';
import { a1, definedRuns } from '../../../shared/sheets';
import { passedOn } from '../../../shared/tokens';
import type {
	OperationDefinition,
	OperationStep,
	PacingLane,
	ResourceDefinition,
} from '../../../shared/types';
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

async function putRange(
	step: OperationStep,
	state: { book: string; sheetId: string },
	at: { row: number; column: number },
	values: unknown[][],
): Promise<IDataObject> {
	const range = a1(at.row, at.column, at.row + values.length - 1, at.column + values[0].length - 1);
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
		// DingTalk says where the data ends (lastNonEmptyRow): reads stop there, not at the grid's edge.
		return await sheetStateOnce(dingTalkSheets, step, {
			book: workbookId,
			sheetId: sheet.id,
			title: sheet.name,
			rowCount: sheet.lastRow,
			columnCount: sheet.columnCount,
			headerWidth: sheet.lastColumn,
		});
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
			throw passedOn(
				whereToLook(
					error,
					`The ${rows.length} row(s) of items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]} may already be in sheet "${state.title}": DingTalk documents no idempotency key for appendRows, so it was not sent again.`,
				),
			);
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

const base: SheetResourceBase = {
	errors: WORKBOOK_ERRORS,
	sheetFields: [operatorField, workbookLocator, workbookSheetLocator],
	raw: 'The cell values as DingTalk answers them (values), formulas computed',
	cellValues: cellValuesOption(
		'As a user typing them: DingTalk reads "12" as a number, "=A1*2" as a formula and 2024-01-05 as a date',
	),
	extraFields: extraFieldsOption,
};

/** A request to a sheet of the item's workbook, as its operator. */
async function sheetRequest(
	step: OperationStep,
	at: { workbookId: string; sheetId?: string },
	request: {
		method: 'GET' | 'POST' | 'PUT' | 'DELETE';
		tail: string;
		body?: IDataObject;
		idempotent?: boolean;
	},
	lane: PacingLane,
): Promise<IDataObject> {
	const sheetPath = at.sheetId === undefined ? '' : `/${encodeURIComponent(at.sheetId)}`;
	return await oneWorkbookWrite(
		at.workbookId,
		async () =>
			await workbookSend(
				step,
				at.workbookId,
				{
					method: request.method,
					path: `${sheetsPath(at.workbookId)}${sheetPath}${request.tail}`,
					qs: { operatorId: operatorOf(step.params) },
					...(request.body ? { body: request.body } : {}),
					...(request.idempotent !== undefined ? { idempotent: request.idempotent } : {}),
				},
				lane,
			),
	);
}

/** The item's workbook and sheet (the sheet's size and where its data ends). */
async function target(step: OperationStep) {
	const workbookId = workbookIdOf(step.params);
	return { workbookId, sheet: await sheetOf(step, workbookId) };
}

const clear = sheetOperation(
	base,
	'clear',
	DINGTALK_RATE_LIMITS['workbookSheet.clear'],
	async (step) => {
		const { workbookId, sheet } = await target(step);
		// Only cells within the data's extent (Get Sheet's last row and column with data) hold anything.
		const block = clearBlock(step.params, {
			rows: Math.max(1, sheet.lastRow),
			columns: Math.max(1, sheet.lastColumn),
		});
		const text = block
			? a1(block.startRow, block.startColumn, block.endRow, block.endColumn)
			: null;
		if (text && sheet.lastRow > 0)
			await sheetRequest(
				step,
				{ workbookId, sheetId: sheet.id },
				// Clearing the same cells again leaves them as they are.
				{ method: 'POST', tail: `/ranges/${encodeURIComponent(text)}/clearData`, idempotent: true },
				DINGTALK_RATE_LIMITS['workbookSheet.clear'],
			);
		return [{ json: { workbookId, sheetId: sheet.id, cleared: text } }];
	},
);

const deleteDimension = sheetOperation(
	base,
	'delete',
	DINGTALK_RATE_LIMITS['workbookSheet.deleteDimension'],
	async (step) => {
		const { workbookId, sheet } = await target(step);
		const { rows, start, count } = deletePosition(step.params);
		// The pages' cursors are 0-based ("游标，从0开始"). Sent again after a lost answer, it would delete more.
		await sheetRequest(
			step,
			{ workbookId, sheetId: sheet.id },
			{
				method: 'POST',
				tail: rows ? '/deleteRows' : '/deleteColumns',
				body: rows
					? { row: start - 1, rowCount: count }
					: { column: start - 1, columnCount: count },
			},
			DINGTALK_RATE_LIMITS['workbookSheet.deleteDimension'],
		);
		forgetSheets(step);
		return [
			{
				json: {
					workbookId,
					sheetId: sheet.id,
					majorDimension: rows ? 'ROWS' : 'COLUMNS',
					startIndex: start,
					deleted: count,
				},
			},
		];
	},
);

const createTab = sheetOperation(
	base,
	'create',
	DINGTALK_RATE_LIMITS['workbookSheet.create'],
	async (step) => {
		const workbookId = workbookIdOf(step.params);
		const name = step.params.requiredString('title');
		// A name in use is renamed by DingTalk ("将自动重命名为合法值"): the answer says the name it took.
		const data = await sheetRequest(
			step,
			{ workbookId },
			{ method: 'POST', tail: '', body: { name } },
			DINGTALK_RATE_LIMITS['workbookSheet.create'],
		);
		forgetSheets(step);
		return [{ json: { workbookId, ...data } }];
	},
	{
		fields: [
			operatorField,
			workbookLocator,
			{ displayName: 'Name', name: 'title', type: 'string', default: '', required: true },
		],
	},
);

const removeTab = sheetOperation(
	base,
	'remove',
	DINGTALK_RATE_LIMITS['workbookSheet.remove'],
	async (step) => {
		const { workbookId, sheet } = await target(step);
		// Sent again after a lost answer, it would be answered "not found".
		const data = await sheetRequest(
			step,
			{ workbookId, sheetId: sheet.id },
			{ method: 'DELETE', tail: '', idempotent: false },
			DINGTALK_RATE_LIMITS['workbookSheet.remove'],
		);
		forgetSheets(step);
		return [
			{
				json: { workbookId, sheetId: sheet.id, name: sheet.name, deleted: data.success !== false },
			},
		];
	},
);

const getRange = sheetOperation(
	base,
	'readRange',
	DINGTALK_RATE_LIMITS['workbookSheet.readRange'],
	async (step) => {
		const { workbookId, sheet } = await target(step);
		const { range, values } = await readRange(
			dingTalkSheets,
			step,
			{ book: workbookId, sheetId: sheet.id },
			{ rows: sheet.lastRow, columns: sheet.lastColumn },
		);
		return [
			{
				json: {
					workbookId,
					sheetId: sheet.id,
					range: range
						? a1(range.startRow, range.startColumn, range.endRow, range.endColumn)
						: null,
					values: values as unknown as IDataObject[],
				},
			},
		];
	},
	{ to: 'to the last row with data' },
);

const updateRange = sheetOperation(
	base,
	'writeRange',
	DINGTALK_RATE_LIMITS['workbookSheet.writeRange'],
	async (step) => {
		const { workbookId, sheet } = await target(step);
		const { cells, block } = writeGrid(step.params, dingTalkSheets);
		await oneWorkbookWrite(workbookId, async () => {
			for (let r = 0; r < cells.length; r += MAX_APPEND_ROWS)
				await putRange(
					step,
					{ book: workbookId, sheetId: sheet.id },
					{ row: block.startRow + r, column: block.startColumn },
					cells.slice(r, r + MAX_APPEND_ROWS),
				);
		});
		forgetSheets(step);
		const cellCount =
			(block.endRow - block.startRow + 1) * (block.endColumn - block.startColumn + 1);
		return [
			{
				json: writtenOutput(
					{ workbookId, sheetId: sheet.id },
					a1(block.startRow, block.startColumn, block.endRow, block.endColumn),
					block,
					cellCount,
				),
			},
		];
	},
);

const sheetOperations: OperationDefinition[] = [
	rowOperation(dingTalkSheets, base, 'append', DINGTALK_RATE_LIMITS['workbookSheet.append']),
	rowOperation(
		dingTalkSheets,
		base,
		'appendOrUpdate',
		DINGTALK_RATE_LIMITS['workbookSheet.writeRange'],
	),
	rowOperation(dingTalkSheets, base, 'update', DINGTALK_RATE_LIMITS['workbookSheet.writeRange']),
	readOperation(dingTalkSheets, base, DINGTALK_RATE_LIMITS['workbookSheet.readRange']),
	clear,
	deleteDimension,
	createTab,
	removeTab,
	getRange,
	updateRange,
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
