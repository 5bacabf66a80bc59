import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { linkOrIdLocator, sheetTabLocator } from '../../../shared/description';
import type { ParamReader } from '../../../shared/params';
import type { ColumnKind, TableColumn } from '../../../shared/tableModel';
import type { ErrorMeanings } from '../../../shared/types';
import { workbookIdOf } from '../workbook/common';

/**
 * DingTalk AI tables (AI表格, formerly 多维表 / Notable) basics: the base and sheet pickers, the operator, the
 * documented error codes, and each field type's kind in the shared table model.
 * Source: docs/research/dingtalk-notable.md.
 */

/** The common rows of every AI-table page (§0), each with its documented meaning. */
export const NOTABLE_ERRORS: ErrorMeanings = {
	internalError: 'DingTalk had an internal error (系统错误): retry later.',
	unknownError: 'DingTalk had an unknown error (未知错误).',
	'invalidRequest.inputArgs.invalid':
		'A parameter is invalid (请求参数不合法): the message says which, for example a field type or a value.',
	'invalidRequest.document.stillInitializing':
		'The AI table is still initializing (文档初始化中): retry in a moment.',
	'invalidRequest.document.broken': 'The AI table is broken (文档已损坏): DingTalk cannot open it.',
	'forbidden.operationIllegal': 'Not allowed (无权限): for example deleting the last sheet.',
	'invalidRequest.document.typeIllegal':
		'The document is not an AI table (不支持的文档类型): check the base’s link or ID.',
	'invalidRequest.document.notFound':
		'The AI table was not found, or the operator cannot open it (文档不存在): check the base’s link or ID, and that the Operator Union ID is a collaborator of it.',
	'invalidRequest.resource.notFound':
		'The sheet, field or record does not exist (资源不存在，数据不存在或被彻底删除).',
	'service.timeout': 'DingTalk timed out (请求超时): retry later.',
	'invalidRequest.duplicateClientToken':
		'This idempotency key was used before (幂等键重复): a new one is needed.',
	'invalidRequest.dataNotReady': 'The data is not ready yet (资源或数据还未准备完毕): retry later.',
	'Forbidden.AccessDenied.AccessTokenPermissionDenied':
		'The app lacks the AI-table permission: add Notable.Base.Read.All / Notable.Base.Write.All (AI表格应用读/写权限) in the developer console.',
};

export const NOTABLE = '/v1.0/notable/bases';

export const notableOperatorField: INodeProperties = {
	displayName: 'Operator Union ID',
	name: 'unionId',
	type: 'string',
	required: true,
	default: '',
	description:
		"The unionId of the user DingTalk acts as (operatorId): a collaborator of the AI table. User › Get returns a user's unionid.",
};

export const notableBaseLocator = linkOrIdLocator({
	name: 'base',
	displayName: 'AI Table',
	description:
		'The AI table (AI表格): paste its link (https://alidocs.dingtalk.com/i/nodes/…) or give its ID (the node ID in the link)',
	urlPlaceholder: 'https://alidocs.dingtalk.com/i/nodes/QG53mjyd80eaqaLZSnYdoqb0W6zbX04v',
	pattern: 'https?://[^/]+/i/nodes/[A-Za-z0-9_-]+.*',
	patternError: 'Not a DingTalk document link (…/i/nodes/…)',
	idPlaceholder: 'QG53mjyd80eaqaLZSnYdoqb0W6zbX04v',
});

export const notableSheetLocator = sheetTabLocator({
	description: 'The sheet (数据表) of the AI table: pick one, or give its ID or its name',
	searchListMethod: 'searchNotableSheets',
	dependsOn: ['base.value', 'unionId'],
	idPlaceholder: 'stNotableTasks01',
});

export const baseIdOf = (p: ParamReader) => workbookIdOf(p, 'base', 'an AI table');
export const operatorOf = (p: ParamReader) => p.requiredString('unionId');

export const sheetsPath = (baseId: string) => `${NOTABLE}/${encodeURIComponent(baseId)}/sheets`;
/** A sheet's path by its ID or name (the pages take either), kept inside the path. */
export const sheetPath = (p: ParamReader, baseId: string) =>
	`${sheetsPath(baseId)}/${p.pathId('sheet', undefined, 'Sheet')}`;

/** The AI-table field types (§16.1) with their names as users see them. */
export const NOTABLE_FIELD_TYPES: Array<{ value: string; name: string; kind: ColumnKind }> = [
	{ value: 'text', name: 'Text (文本)', kind: 'text' },
	{ value: 'number', name: 'Number (数字)', kind: 'number' },
	{ value: 'currency', name: 'Currency (货币)', kind: 'number' },
	{ value: 'singleSelect', name: 'Single Select (单选)', kind: 'singleSelect' },
	{ value: 'multipleSelect', name: 'Multiple Select (多选)', kind: 'multiSelect' },
	{ value: 'date', name: 'Date (日期)', kind: 'date' },
	{ value: 'user', name: 'Person (人员)', kind: 'person' },
	{ value: 'department', name: 'Department (部门)', kind: 'department' },
	{ value: 'attachment', name: 'Attachment (附件)', kind: 'attachment' },
	{ value: 'unidirectionalLink', name: 'One-Way Link (单向关联)', kind: 'link' },
	{ value: 'bidirectionalLink', name: 'Two-Way Link (双向关联)', kind: 'link' },
	{ value: 'url', name: 'URL (链接)', kind: 'url' },
];

export interface NotableField {
	id: string;
	name: string;
	type: string;
	property?: IDataObject;
}

/** An AI-table field as a column of the shared table model; a type the pages do not document is read only. */
export function columnOf(field: NotableField, primary: boolean): TableColumn {
	const known = NOTABLE_FIELD_TYPES.find((t) => t.value === field.type);
	const choices = (field.property?.choices as Array<{ name?: unknown }> | undefined) ?? [];
	return {
		name: field.name,
		kind: known?.kind ?? 'readOnly',
		typeName: known ? known.value : `${field.type} (not documented for the API)`,
		options: choices.map((c) => String(c.name)),
		primary,
		// Filters take 「equal」 on these (§17).
		matchable: ['text', 'number', 'currency', 'singleSelect', 'date', 'url'].includes(field.type),
	};
}
