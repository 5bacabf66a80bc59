import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeProperties,
	ResourceMapperFields,
} from 'n8n-workflow';

import { ParamReader } from './params';
import type { SheetState } from './sheetRows';
import type { PlatformTransport } from './transport';
import type { ErrorMeanings, OperationStep } from './types';

/** The editor's side of a sheet: its pickers and column mapper read through one step, as an execution would. */

/**
 * Runs `work` with the editor's step: the parameters being edited, and sends through the transport (the
 * reads a picker or the column mapper needs; nothing that writes or downloads).
 */
export async function withEditorStep<T>(
	ctx: ILoadOptionsFunctions,
	transport: PlatformTransport,
	fields: INodeProperties[],
	errors: ErrorMeanings,
	work: (step: OperationStep) => Promise<T>,
): Promise<T> {
	const step = {
		ctx: ctx as unknown as IExecuteFunctions,
		params: ParamReader.forEditor(ctx, fields),
		itemIndex: 0,
		send: async (request, lane, more) =>
			await transport.send(request, 0, { lane, errors: { ...errors, ...more } }),
	} as Pick<OperationStep, 'ctx' | 'params' | 'itemIndex' | 'send'>;
	try {
		return await work(step as OperationStep);
	} catch (error) {
		throw transport.scrub(error instanceof Error ? error : new Error(String(error)));
	}
}

/** The header row's names as the column mapper's fields, each a text column that can be matched on. */
export function headerFields(state: SheetState): ResourceMapperFields {
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
}
