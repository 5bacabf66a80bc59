import type { ParamReader } from '../../../shared/params';
import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition, ResourceDefinition } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import {
	DRIVE_ERRORS,
	folderLocator,
	folderToken,
	oneDriveChange,
	parseDriveLink,
} from '../drive/common';
import { querySheets, SHEETS_ERRORS, spreadsheetLocator, spreadsheetTokenOf } from './common';

/** Spreadsheets (电子表格): create one in a folder, get its sheets, delete it. */

const BOTH = ['app', 'user'] as const;
const V3 = '/open-apis/sheets/v3/spreadsheets';

const shapeSheets = (sheets: Awaited<ReturnType<typeof querySheets>>) =>
	sheets.map((s) => ({
		sheetId: s.sheetId,
		title: s.title,
		index: s.index,
		hidden: s.hidden,
		resourceType: s.resourceType,
		...(s.resourceType === 'sheet' ? { rowCount: s.rowCount, columnCount: s.columnCount } : {}),
	}));

const create: OperationDefinition = {
	value: 'create',
	actsAs: BOTH,
	name: 'Create',
	action: 'Create a spreadsheet',
	description: 'Create a spreadsheet in a folder, and list its first sheet',
	lane: FEISHU_RATE_LIMITS['spreadsheet.create'],
	errors: { ...SHEETS_ERRORS, ...DRIVE_ERRORS },
	properties: [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			placeholder: 'Q3 orders',
			description: 'At most 255 characters; empty gives Feishu\'s "未命名表格"',
		},
		folderLocator({
			name: 'folder',
			displayName: 'Folder',
			description:
				"The Drive folder to create it in (left empty: the identity's root folder). To create one in a wiki, use Wiki › Create Node with the type Sheet.",
			required: false,
		}),
	],
	async run(step) {
		const p: ParamReader = step.params;
		const title = p.optionalString('title');
		if (title !== undefined && title.length > 255)
			p.fail('title', `${title.length} characters; a title has at most 255`);
		const folder = p.optionalString('folder') === undefined ? undefined : folderToken(p, 'folder');
		const data = await step.send({
			method: 'POST',
			path: V3,
			body: {
				...(title !== undefined ? { title } : {}),
				...(folder ? { folder_token: folder } : {}),
			},
		});
		const spreadsheet = (data.spreadsheet ?? {}) as IDataObject;
		const token = String(spreadsheet.spreadsheet_token ?? '');
		// The answer has no sheets: listed next ("不支持带内容创建表格").
		const sheets = token ? await querySheets(step.send, token) : [];
		return [{ json: { ...spreadsheet, sheets: shapeSheets(sheets) as IDataObject[] } }];
	},
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: BOTH,
	name: 'Get',
	action: 'Get a spreadsheet',
	description:
		'A spreadsheet’s title, owner and link, and its sheets with their IDs, titles and sizes',
	lane: FEISHU_RATE_LIMITS['spreadsheet.get'],
	errors: SHEETS_ERRORS,
	properties: [spreadsheetLocator],
	async run(step) {
		const token = await spreadsheetTokenOf(step);
		const data = await step.send({
			method: 'GET',
			path: `${V3}/${encodeURIComponent(token)}`,
			qs: { user_id_type: 'open_id' },
		});
		const sheets = await querySheets(step.send, token);
		return [
			{
				json: {
					...((data.spreadsheet ?? {}) as IDataObject),
					sheets: shapeSheets(sheets) as IDataObject[],
				},
			},
		];
	},
};

const remove: OperationDefinition = {
	value: 'delete',
	actsAs: BOTH,
	name: 'Delete',
	action: 'Delete a spreadsheet',
	description: 'Move a spreadsheet to the trash (回收站)',
	lane: FEISHU_RATE_LIMITS['drive.delete'],
	errors: { ...SHEETS_ERRORS, ...DRIVE_ERRORS },
	properties: [spreadsheetLocator],
	async run(step) {
		const p: ParamReader = step.params;
		const text = p.requiredString('spreadsheet');
		if (/^https?:\/\//i.test(text) && parseDriveLink(text)?.type === 'wiki')
			p.fail(
				'spreadsheet',
				'a spreadsheet in a wiki is a wiki page: Drive cannot delete it (remove the page in the wiki)',
			);
		const token = await spreadsheetTokenOf(step);
		await oneDriveChange(
			step,
			async () =>
				await step.send({
					method: 'DELETE',
					path: `/open-apis/drive/v1/files/${encodeURIComponent(token)}`,
					qs: { type: 'sheet' },
					// Sent again after a lost answer, a delete would be answered 1061007 (already deleted).
					idempotent: false,
				}),
		);
		return [{ json: { spreadsheetToken: token, deleted: true } }];
	},
};

export const spreadsheet: ResourceDefinition = {
	value: 'spreadsheet',
	name: 'Spreadsheet',
	description: 'Spreadsheets (电子表格): create, get with their sheets, delete',
	operations: [create, remove, get],
	defaultOperation: 'get',
};
