import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { headerFields, withEditorStep } from '../../../shared/sheetEditor';
import { headerRowOption } from '../../../shared/sheetRows';
import { createFeishuTransport } from '../../transport';
import { feishuSheets } from './api';
import {
	querySheets,
	sheetLocator,
	SHEETS_ERRORS,
	spreadsheetLocator,
	spreadsheetTokenOf,
} from './common';

/** The editor's side of Sheets: the sheet picker and the columns of the header row for the column mapper. */

const EDITOR_FIELDS = [spreadsheetLocator, sheetLocator, headerRowOption];

export const sheetListSearch = {
	async searchSheets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const transport = await createFeishuTransport(this);
		return await withEditorStep(this, transport, EDITOR_FIELDS, SHEETS_ERRORS, async (step) => {
			const sheets = await querySheets(step.send, await spreadsheetTokenOf(step));
			const wanted = (filter ?? '').trim().toLowerCase();
			return {
				results: sheets
					.filter((s) => s.resourceType === 'sheet')
					.filter((s) => wanted === '' || s.title.toLowerCase().includes(wanted))
					.map((s) => ({ name: s.title, value: s.sheetId })),
			};
		});
	},
};

export const sheetResourceMapping = {
	async getSheetColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const transport = await createFeishuTransport(this);
		return await withEditorStep(this, transport, EDITOR_FIELDS, SHEETS_ERRORS, async (step) =>
			headerFields(await feishuSheets.state(step)),
		);
	},
};
