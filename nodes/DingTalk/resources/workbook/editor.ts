import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { ParamReader } from '../../../shared/params';
import { headerRowOption } from '../../../shared/sheetRows';
import type { OperationStep } from '../../../shared/types';
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

async function withEditor<T>(
	ctx: ILoadOptionsFunctions,
	work: (step: OperationStep) => Promise<T>,
): Promise<T> {
	const transport = await createDingTalkTransport(ctx);
	const params = ParamReader.forEditor(ctx, EDITOR_FIELDS);
	try {
		// The editor's step: the reads a picker or the column mapper needs, nothing that writes.
		const step = {
			ctx: ctx as unknown as IExecuteFunctions,
			params,
			itemIndex: 0,
			send: async (request, lane, errors) =>
				await transport.send(request, 0, { lane, errors: { ...WORKBOOK_ERRORS, ...errors } }),
		} as Pick<OperationStep, 'ctx' | 'params' | 'itemIndex' | 'send'>;
		return await work(step as OperationStep);
	} catch (error) {
		throw transport.scrub(error instanceof Error ? error : new Error(String(error)));
	}
}

export const workbookListSearch = {
	async searchWorkbookSheets(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await withEditor(this, async (step) => {
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
	/** The header row's names, each a text column that can be matched on. */
	async getWorkbookSheetColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return await withEditor(this, async (step) => {
			const state = await dingTalkSheets.state(step);
			return {
				fields: state.header.map((name) => ({
					id: name,
					displayName: name,
					required: false,
					defaultMatch: false,
					canBeUsedToMatch: true,
					display: true,
					type: 'string' as const,
				})),
				...(state.header.length === 0
					? {
							emptyFieldsNotice: `Row ${state.headerRow} of this sheet is empty: map automatically, and the first item's fields become the header`,
						}
					: {}),
			};
		});
	},
};
