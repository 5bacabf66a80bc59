import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { linkOrIdLocator, sheetTabLocator } from '../../../shared/description';
import { lookup } from '../../../shared/lookup';
import type { ParamReader } from '../../../shared/params';
import { oneAtATime } from '../../../shared/serial';
import { forgetSheetStates } from '../../../shared/sheetRows';
import type { ReadMode } from '../../../shared/sheets';
import { a1 } from '../../../shared/sheets';
import type { ErrorMeanings, OperationStep, PacingLane } from '../../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../../transport';

/**
 * DingTalk workbooks (钉钉表格) basics: the workbook and sheet pickers, the operator, the documented error
 * codes, the per-workbook pacing and the block reads. Source: docs/research/dingtalk-workbook.md.
 */

/** The sheet pages' common codes (§8) and the knowledge-base pages' (§2), each with its documented meaning. */
export const WORKBOOK_ERRORS: ErrorMeanings = {
	'invalidRequest.inputArgs.invalid':
		'A parameter is invalid (请求参数不合法): for example the range address, or rows that do not match the range’s shape.',
	'invalidRequest.inputArgs.workbookIdIllegal': 'The workbook ID is not valid (workbookId不合法).',
	'invalidRequest.inputArgs.operatorIdIllegal':
		'The operator’s unionId is not valid (operatorId不合法). User › Get returns a user’s unionid.',
	'invalidRequest.inputArgs.unionIdIllegal':
		'The operator’s unionId is not valid (operatorId不合法). User › Get returns a user’s unionid.',
	'invalidRequest.resource.notWorkbook':
		'The document is not a workbook (不支持的文档类型): check the workbook’s link or ID.',
	'invalidRequest.document.stillInitializing':
		'The document is still initializing (文档初始化中): retry in a moment.',
	'forbidden.accessDenied':
		'The operator has no permission on this workbook (当前用户无此操作权限): add them as a collaborator of the workbook, or open its knowledge base to them; the app needs Document.Workbook.Read / Write.',
	'forbidden.acrossOrg':
		'The workbook does not belong to the organization of the app’s token (请检查要访问的文档是否归属于accessToken指定的组织).',
	'forbidden.operationIllegal':
		'The operation is not allowed (请求操作不合法): for example locked cells, a pivot table or to-do cells.',
	'forbidden.document.sizeOverLimit':
		'The workbook is too large (表格内容过大): reduce its content; retrying will not help.',
	'invalidRequest.resource.notFound':
		'Not found (无法找到要访问的资源): the workbook, sheet or range does not exist.',
	internalError: 'DingTalk had an internal error (服务内部错误): retry later.',
	serviceBusy: 'DingTalk is busy (服务繁忙): retry later.',
	'invalidRequest.workspaceNode.nameConflict':
		'A document of this name already exists there (知识库文档名称冲突).',
	'invalidRequest.workspaceNode.parentNotFound': 'The parent folder does not exist (父节点不存在).',
	'invalidRequest.template.notFound': 'The template does not exist (文档模板不存在).',
	'invalidRequest.workspace.deleted': 'The knowledge base was deleted (知识库已被删除).',
	'invalidRequest.workspaceNode.notInWorkspace':
		'The document is not in this knowledge base (节点不在知识库内).',
	'invalidRequest.document.deleted': 'The document was already deleted (知识库节点已被删除).',
	'forbidden.user.notInOrg': 'The operator is not in the organization (操作用户不在组织内).',
	paramError: 'A parameter is invalid.',
	permissionDenied: 'The operator has no permission for this (当前用户无此操作权限).',
	nodeNotExist: 'The document does not exist (节点不存在).',
	systemError: 'DingTalk is busy (服务繁忙): retry later.',
	unknownError: 'DingTalk had an unknown error.',
	operationTimeout: 'The request timed out at DingTalk (请求超时).',
};

/** Appends: "建议 ≤ 5000 行" per call (more may time out); no hard limit is documented. */
export const MAX_APPEND_ROWS = 5000;
/** No cell or size limit is documented for reads and writes: blocks of this size keep each call modest. */
export const CELLS_PER_READ = 50_000;
export const ROWS_PER_READ = 5000;
export const MAX_WRITE_COLUMNS = 200;
export const MAX_WRITE_BYTES = 9 * 1024 * 1024;

export const WORKBOOKS = '/v1.0/doc/workbooks';

/** "建议 ≤ 100 次/分钟 … 单个应用对同一表格的调用频率": one lane per workbook, beside each API's 20 a second. */
export const workbookLane = (workbookId: string): PacingLane => ({
	key: `dingtalk.workbook:${workbookId}`,
	limit: {
		perMinute: 100,
		doc: 'https://open.dingtalk.com/document/development/common-problems-with-tables',
	},
});

export const operatorField: INodeProperties = {
	displayName: 'Operator Union ID',
	name: 'unionId',
	type: 'string',
	required: true,
	default: '',
	description:
		"The unionId of the user DingTalk acts as (operatorId): they must be a collaborator of the workbook, or its knowledge base must be open to them. User › Get returns a user's unionid.",
};

const LINK_PATTERN = 'https?://[^/]+/i/nodes/[A-Za-z0-9_-]+.*';

export const workbookLocator = linkOrIdLocator({
	name: 'workbook',
	displayName: 'Workbook',
	description:
		'The workbook (钉钉表格): paste its link (https://alidocs.dingtalk.com/i/nodes/…) or give its ID (the dentryUuid in the link, or 菜单 › 表格 › 文档信息)',
	urlPlaceholder: 'https://alidocs.dingtalk.com/i/nodes/Zxxxxa-id',
	pattern: LINK_PATTERN,
	patternError: 'Not a DingTalk document link (…/i/nodes/…)',
	idPlaceholder: 'Zxxxxa-id',
});

export const workbookSheetLocator = sheetTabLocator({
	description: 'The sheet (工作表, a tab): pick one, or give its ID or its name',
	searchListMethod: 'searchWorkbookSheets',
	dependsOn: ['workbook.value', 'unionId'],
	idPlaceholder: 'st-xxxxx',
});

const ID = /^[A-Za-z0-9_-]{1,100}$/;

/** The document ID of a link-or-ID field (a workbook, an AI table): its link's node ID, or the ID itself. */
export function workbookIdOf(p: ParamReader, field = 'workbook', what = 'a workbook'): string {
	const text = p.requiredString(field);
	if (/^https?:\/\//i.test(text)) {
		let path = '';
		try {
			path = new URL(text).pathname;
		} catch {
			// Reported below.
		}
		const match = /^\/i\/nodes\/([A-Za-z0-9_-]+)\/?$/.exec(path);
		if (!match) p.fail(field, `not a DingTalk document link (…/i/nodes/<id>), got "${text}"`);
		return match[1];
	}
	if (!ID.test(text))
		p.fail(field, `${what} ID has only letters, digits, "_" and "-", got "${text}"`);
	return text;
}

export const operatorOf = (p: ParamReader) => p.requiredString('unionId');

type Step = Pick<OperationStep, 'ctx' | 'params' | 'send'>;

/** A request to a workbook: paced in its API's lane and the workbook's own. */
export async function workbookSend(
	step: Step,
	workbookId: string,
	request: Parameters<Step['send']>[0],
	lane: PacingLane,
): Promise<IDataObject> {
	return await step.send(
		{ ...request, lanes: [...(request.lanes ?? []), workbookLane(workbookId)] },
		lane,
		WORKBOOK_ERRORS,
	);
}

export const sheetsPath = (workbookId: string) =>
	`${WORKBOOKS}/${encodeURIComponent(workbookId)}/sheets`;

export interface WorkbookSheet {
	id: string;
	name: string;
	visibility?: string;
	/** 1-based: the last row and column with data (0 when the sheet is empty). */
	lastRow: number;
	lastColumn: number;
	rowCount: number;
	columnCount: number;
}

const SHEETS = new WeakMap<object, Map<string, Promise<WorkbookSheet>>>();

/** GET …/sheets/{sheetId}: its size and the last row and column with data ("从0开始，表为空时返回-1"). */
export async function sheetInfo(
	step: Step,
	workbookId: string,
	sheet: string,
): Promise<WorkbookSheet> {
	const data = await workbookSend(
		step,
		workbookId,
		{
			method: 'GET',
			path: `${sheetsPath(workbookId)}/${encodeURIComponent(sheet)}`,
			qs: { operatorId: operatorOf(step.params) },
		},
		DINGTALK_RATE_LIMITS['workbookSheet.get'],
	);
	return {
		id: String(data.id ?? sheet),
		name: String(data.name ?? sheet),
		visibility: data.visibility === undefined ? undefined : String(data.visibility),
		lastRow: Number(data.lastNonEmptyRow ?? -1) + 1,
		lastColumn: Number(data.lastNonEmptyColumn ?? -1) + 1,
		rowCount: Number(data.rowCount ?? 0),
		columnCount: Number(data.columnCount ?? 0),
	};
}

/** The sheet the Sheet field names (an ID or a name, as the API takes both), once per execution. */
export async function sheetOf(step: Step, workbookId: string): Promise<WorkbookSheet> {
	const p = step.params;
	const given = p.requiredString('sheet');
	if (/[/\\?#]/.test(given) || given.includes('..'))
		p.fail('sheet', 'must not contain "/", "\\", "?", "#" or ".."');
	return await lookup(
		SHEETS,
		step.ctx,
		`${workbookId}\u0000${given}`,
		p.itemIndex,
		async () => await sheetInfo(step, workbookId, given),
	);
}

export function forgetSheets(step: Step): void {
	SHEETS.delete(step.ctx);
	forgetSheetStates(step.ctx);
}

/** The select of each read mode: values (formulas computed), what the sheet shows, or the formulas. */
const SELECT: Record<ReadMode, string> = {
	unformatted: 'values',
	raw: 'values',
	formatted: 'displayValues',
	formula: 'formulas',
};

/** GET …/sheets/{id}/ranges/{A1}?select=…: one rectangle of cells. */
export async function readValues(
	step: Step,
	workbookId: string,
	sheetId: string,
	range: { startRow: number; endRow: number; startColumn: number; endColumn: number },
	mode: ReadMode,
): Promise<unknown[][]> {
	const select = SELECT[mode];
	const address = a1(range.startRow, range.startColumn, range.endRow, range.endColumn);
	const data = await workbookSend(
		step,
		workbookId,
		{
			method: 'GET',
			path: `${sheetsPath(workbookId)}/${encodeURIComponent(sheetId)}/ranges/${encodeURIComponent(address)}`,
			qs: { operatorId: operatorOf(step.params), select },
		},
		DINGTALK_RATE_LIMITS['workbookSheet.readRange'],
	);
	const values = data[select];
	return Array.isArray(values) ? (values as unknown[][]) : [];
}

/** Writes to one workbook go one at a time in this process: the pages document no concurrency and no lock. */
export async function oneWorkbookWrite<T>(workbookId: string, work: () => Promise<T>): Promise<T> {
	return await oneAtATime(`dingtalk.workbook\u0000${workbookId}`, work);
}
