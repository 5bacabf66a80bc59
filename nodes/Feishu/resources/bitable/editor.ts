import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import { ParamReader } from '../../../shared/params';
import { searchList } from '../../../shared/search';
import type { PlatformTransport } from '../../../shared/transport';
import { createFeishuTransport, FEISHU_RATE_LIMITS } from '../../transport';
import type { BitableField } from './common';
import {
	baseLocator,
	baseOf,
	listFields,
	resolveBase,
	tableIdOf,
	tableLocator,
	tablePath,
	viewLocator,
} from './common';
import { BITABLE_ERRORS } from './errors';
import { tableList } from './tables';
import { mapperField } from './values';

/** The editor's side of Bitable: the table and view pickers, the field names, and the column mapper. */

/** The fields these methods read in the editor (their labels name them in errors). */
const EDITOR_FIELDS = [baseLocator, tableLocator, viewLocator];

/** The base set in the editor, a wiki link resolved to its app token. */
async function editorBase(
	ctx: ILoadOptionsFunctions,
	transport: PlatformTransport,
): Promise<string> {
	const params = ParamReader.forEditor(ctx, EDITOR_FIELDS);
	return await resolveBase(
		{
			ctx: ctx as unknown as IExecuteFunctions,
			params,
			send: async (request, lane, errors) =>
				await transport.send(request, 0, { lane, errors: { ...BITABLE_ERRORS, ...errors } }),
		},
		baseOf(params),
	);
}

/** The fields of the table set in the editor (for the column mapper and the field name lists). */
async function editorFields(ctx: ILoadOptionsFunctions): Promise<BitableField[]> {
	const transport = await createFeishuTransport(ctx);
	try {
		const appToken = await editorBase(ctx, transport);
		const params = ParamReader.forEditor(ctx, EDITOR_FIELDS);
		const tableId = tableIdOf(params);
		return await listFields(
			async (request) =>
				await transport.send(request, 0, {
					lane: FEISHU_RATE_LIMITS['bitableField.getAll'],
					errors: BITABLE_ERRORS,
				}),
			{ appToken, tableId },
			params,
		);
	} catch (error) {
		throw transport.scrub(error instanceof Error ? error : new Error(String(error)));
	}
}

export const bitableLoadOptions = {
	async getBitableFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return (await editorFields(this)).map((f) => ({ name: f.field_name, value: f.field_name }));
	},
};

export const bitableResourceMapping = {
	async getBitableColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return { fields: (await editorFields(this)).map((f) => mapperField(f, false)) };
	},
	async getBitableColumnsForUpsert(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		return { fields: (await editorFields(this)).map((f) => mapperField(f, true)) };
	},
};

export const bitableListSearch = {
	async searchBitableTables(
		this: ILoadOptionsFunctions,
		filter?: string,
		token?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createFeishuTransport(this);
		const appToken = await editorBase(this, transport);
		return await searchList(
			this,
			EDITOR_FIELDS,
			transport,
			tableList(() => appToken),
			(t) => ({ name: String(t.name ?? t.table_id), value: String(t.table_id) }),
			filter,
			token,
			{ lane: FEISHU_RATE_LIMITS['bitableTable.getAll'], errors: BITABLE_ERRORS },
		);
	},
	async searchBitableViews(
		this: ILoadOptionsFunctions,
		filter?: string,
		token?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createFeishuTransport(this);
		const appToken = await editorBase(this, transport);
		const tableId = tableIdOf(ParamReader.forEditor(this, EDITOR_FIELDS));
		return await searchList(
			this,
			EDITOR_FIELDS,
			transport,
			{
				maxPageSize: 100,
				page: (_p, cursor, pageSize) => ({
					method: 'GET',
					path: `${tablePath(appToken, tableId)}/views`,
					qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
				}),
				read: (r) => ({
					records: (r.items as IDataObject[] | undefined) ?? [],
					next: r.has_more === true && r.page_token ? String(r.page_token) : undefined,
				}),
			},
			(v) => ({
				name: `${String(v.view_name ?? v.view_id)} (${String(v.view_type ?? 'view')})`,
				value: String(v.view_id),
			}),
			filter,
			token,
			{ lane: FEISHU_RATE_LIMITS['bitableView.getAll'], errors: BITABLE_ERRORS },
		);
	},
};
