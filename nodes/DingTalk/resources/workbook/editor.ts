import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { headerFields, withEditorStep } from '../../../shared/sheetEditor';
import { headerRowOption } from '../../../shared/sheetRows';
import { createDingTalkTransport, DINGTALK_RATE_LIMITS } from '../../transport';
import {
	operatorField,
	operatorOf,
	sheetsPath,
	WORKBOOK_ERRORS,
	workbookIdOf,
	workbookLocator,
	workbookSend,
	workbookSheetLocator,
} from './common';
import { dingTalkSheets } from './index';

/** The editor's side of workbooks: the sheet picker and the header row's columns for the column mapper. */

const EDITOR_FIELDS = [operatorField, workbookLocator, workbookSheetLocator, headerRowOption];

export const workbookListSearch = {
	async searchWorkbookSheets(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createDingTalkTransport(this);
		return await withEditorStep(this, transport, EDITOR_FIELDS, WORKBOOK_ERRORS, async (step) => {
			const workbookId = workbookIdOf(step.params);
			const data = await workbookSend(
				step,
				workbookId,
				{
					method: 'GET',
					path: sheetsPath(workbookId),
					qs: { operatorId: operatorOf(step.params) },
				},
				DINGTALK_RATE_LIMITS['workbookSheet.getAll'],
			);
			const wanted = (filter ?? '').trim().toLowerCase();
			return {
				results: ((data.value as Array<{ id: string; name: string }> | undefined) ?? [])
					.filter((s) => wanted === '' || String(s.name).toLowerCase().includes(wanted))
					.map((s) => ({ name: String(s.name), value: String(s.id) })),
			};
		});
	},
};

export const workbookResourceMapping = {
	async getWorkbookSheetColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const transport = await createDingTalkTransport(this);
		return await withEditorStep(this, transport, EDITOR_FIELDS, WORKBOOK_ERRORS, async (step) =>
			headerFields(await dingTalkSheets.state(step)),
		);
	},
};
