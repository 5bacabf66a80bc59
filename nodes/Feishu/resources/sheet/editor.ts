import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { ParamReader } from '../../../shared/params';
import { createFeishuTransport } from '../../transport';
import { headerRowOption } from '../../../shared/sheetRows';
import type { OperationStep } from '../../../shared/types';
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

async function withEditor<T>(
	ctx: ILoadOptionsFunctions,
	work: (step: OperationStep) => Promise<T>,
): Promise<T> {
	const transport = await createFeishuTransport(ctx);
	const params = ParamReader.forEditor(ctx, EDITOR_FIELDS);
	try {
		// The editor's step: the reads a picker or the column mapper needs, nothing that writes or downloads.
		const step = {
			ctx: ctx as unknown as IExecuteFunctions,
			params,
			itemIndex: 0,
			send: async (request, lane, errors) =>
				await transport.send(request, 0, { lane, errors: { ...SHEETS_ERRORS, ...errors } }),
		} as Pick<OperationStep, 'ctx' | 'params' | 'itemIndex' | 'send'>;
		return await work(step as OperationStep);
	} catch (error) {
		throw transport.scrub(error instanceof Error ? error : new Error(String(error)));
	}
}

export const sheetListSearch = {
	async searchSheets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		return await withEditor(this, async (step) => {
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
	/** The header row's names, each a text column that can be matched on. */
	async getSheetColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return await withEditor(this, async (step) => {
			const state = await feishuSheets.state(step);
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
