import { FEISHU_RATE_LIMITS } from '../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import { collectList } from '../../../shared/runner';
import { ID_TYPES, idType } from '../common';
import { lookup } from '../../../shared/lookup';
import { oneAtATime } from '../../../shared/serial';
import { BITABLE_ERRORS } from './errors';
import type { ApiRequest, ListSpec, OperationStep } from '../../../shared/types';

/**
 * Bitable (多维表格) basics: the base, table and view pickers, links into IDs, wiki links into app
 * tokens, the documented error codes and the tables' field schemas.
 * Sources: docs/research/feishu-bitable.md (the bitable-v1, drive-v1 media and wiki-v2 pages).
 */

/** A base (app_token) and a table from a Bitable or wiki link: `…/base/{app_token}?table={table_id}&view={view_id}` or `…/wiki/{node_token}?table=…`. */
interface BitableLink {
	appToken?: string;
	wikiToken?: string;
	tableId?: string;
	viewId?: string;
}

const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

function parseBitableLink(text: string): BitableLink | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	const match = /\/(base|wiki)\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname);
	if (!match) return undefined;
	const link: BitableLink = match[1] === 'base' ? { appToken: match[2] } : { wikiToken: match[2] };
	const table = url.searchParams.get('table');
	const view = url.searchParams.get('view');
	if (table && TOKEN.test(table)) link.tableId = table;
	if (view && TOKEN.test(view)) link.viewId = view;
	return link;
}

/** n8n wraps a locator's validation pattern in ^…$. */
const LINK_PATTERN = 'https?://[^/]+/(base|wiki)/[A-Za-z0-9_-]+';

export const baseLocator: INodeProperties = {
	displayName: 'Base',
	name: 'base',
	type: 'resourceLocator',
	default: { mode: 'url', value: '' },
	required: true,
	description:
		'The Bitable base (多维表格). Paste its link from the browser (a base link …/base/…, or a wiki link …/wiki/… to a base), or give its app token. Feishu has no API that lists bases, so there is no list to pick from.',
	modes: [
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder:
				'https://example.feishu.cn/base/bascnKjexxxX7CaR8CgsZVNGbKH?table=tbl6u74ixxxeA9aC',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `${LINK_PATTERN}.*`,
						errorMessage: 'Not a Bitable link (…/base/… or …/wiki/…)',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'bascnKjexxxX7CaR8CgsZVNGbKH',
		},
	],
};

export const tableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'table',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The table (数据表): pick one of the base's tables, paste a link with ?table=…, or give its ID (tbl…)",
	typeOptions: { loadOptionsDependsOn: ['base.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchBitableTables', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder:
				'https://example.feishu.cn/base/bascnKjexxxX7CaR8CgsZVNGbKH?table=tbl6u74ixxxeA9aC',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `${LINK_PATTERN}.*[?&]table=tbl.*`,
						errorMessage: 'Not a Bitable link with ?table=…',
					},
				},
			],
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'tbl6u74ixxxeA9aC' },
	],
};

export const viewLocator: INodeProperties = {
	displayName: 'View',
	name: 'view',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'Optional: search only the records this view shows, in its order. Feishu ignores the view when a filter or sort is set.',
	typeOptions: { loadOptionsDependsOn: ['base.value', 'table.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchBitableViews', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'vewkevI7IE' },
	],
};

/** What Bitable operations send to: the base's app token and the table, both checked as path segments. */
export interface TableRef {
	appToken: string;
	tableId: string;
}

/** The base's app token or a wiki node token, from the Base field (a link or an ID). */
export function baseOf(p: ParamReader): BitableLink & { appToken?: string } {
	const text = p.requiredString('base');
	if (/^https?:\/\//i.test(text)) {
		const link = parseBitableLink(text);
		if (!link)
			p.fail(
				'base',
				`not a Bitable link (expected …/base/<app_token> or …/wiki/<node_token>), got "${text}"`,
			);
		return link;
	}
	if (!TOKEN.test(text))
		p.fail('base', `an app token has only letters, digits, "_" and "-", got "${text}"`);
	return { appToken: text };
}

/** The table ID from the Table field (an ID, or a link's ?table=). */
export function tableIdOf(p: ParamReader, name = 'table'): string {
	const text = p.requiredString(name);
	if (/^https?:\/\//i.test(text)) {
		const tableId = parseBitableLink(text)?.tableId;
		if (!tableId) p.fail(name, `the link has no ?table=… part, got "${text}"`);
		return tableId;
	}
	return decodeURIComponent(p.pathId(name, text));
}

/** Wiki node tokens already resolved in this execution (one get_node per token and execution). */
const WIKI_TOKENS = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The base's app token. A wiki link is resolved through the documented wiki API (get_node): the node must be
 * a Bitable, whose obj_token is the app token. Once per token and execution.
 */
export async function resolveBase(
	step: Pick<OperationStep, 'ctx' | 'params' | 'send'>,
	link = baseOf(step.params),
): Promise<string> {
	if (link.appToken) return link.appToken;
	const wikiToken = link.wikiToken!;
	const failed = async () => {
		const data = await step.send(
			{
				method: 'GET',
				path: '/open-apis/wiki/v2/spaces/get_node',
				qs: { token: wikiToken, obj_type: 'wiki' },
			},
			FEISHU_RATE_LIMITS['bitable.wikiNode'],
			BITABLE_ERRORS,
		);
		const node = (data.node ?? {}) as IDataObject;
		if (node.obj_type !== 'bitable' || typeof node.obj_token !== 'string') {
			step.params.fail(
				'base',
				`the wiki page is a ${String(node.obj_type ?? 'page')}, not a Bitable base`,
			);
		}
		return node.obj_token;
	};
	return await lookup(WIKI_TOKENS, step.ctx, wikiToken, step.params.itemIndex, failed);
}

/** The base and table of an item, with the table's path. */
export async function tableOf(
	step: Pick<OperationStep, 'ctx' | 'params' | 'send'>,
): Promise<TableRef & { path: string }> {
	const link = baseOf(step.params);
	const tableId = tableIdOf(step.params);
	const appToken = await resolveBase(step, link);
	if (!TOKEN.test(appToken))
		step.params.fail('base', 'the wiki page resolved to an invalid app token');
	return { appToken, tableId, path: tablePath(appToken, tableId) };
}

export const tablePath = (appToken: string, tableId: string) =>
	`/open-apis/bitable/v1/apps/${encodeURIComponent(appToken)}/tables/${encodeURIComponent(tableId)}`;

/** One field of a table, as the fields list answers it. */
export interface BitableField {
	field_id: string;
	field_name: string;
	type: number;
	ui_type?: string;
	is_primary?: boolean;
	property?: { options?: Array<{ name: string }>; table_id?: string } & IDataObject;
}

/** Lists every field of a table (page size 100, the documented maximum). */
export async function listFields(
	send: (request: ApiRequest) => Promise<IDataObject>,
	table: TableRef,
	params: ParamReader,
): Promise<BitableField[]> {
	const path = `${tablePath(table.appToken, table.tableId)}/fields`;
	return await collectList(FIELD_PAGES(path), params, send, {
		everything: true,
		each: (record) => record as unknown as BitableField,
	});
}

/** A table's fields, page by page (page size 100, the documented maximum). */
const FIELD_PAGES = (path: string): ListSpec => ({
	maxPageSize: 100,
	page: (_p, cursor, pageSize) => ({
		method: 'GET',
		path,
		qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
	}),
	read: (response) => ({
		records: (response.items as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	}),
});

/** Field schemas already loaded in this execution, per base and table (one fields list per table and execution). */
const SCHEMAS = new WeakMap<object, Map<string, Promise<BitableField[]>>>();

export async function schemaOf(
	step: Pick<OperationStep, 'ctx' | 'send' | 'itemIndex' | 'params'>,
	table: TableRef,
): Promise<BitableField[]> {
	return await lookup(
		SCHEMAS,
		step.ctx,
		`${table.appToken}\u0000${table.tableId}`,
		step.itemIndex,
		async () =>
			await listFields(
				async (request) =>
					await step.send(request, FEISHU_RATE_LIMITS['bitableField.getAll'], BITABLE_ERRORS),
				table,
				step.params,
			),
	);
}

export { clientToken } from '../common';

export const userIdTypeProperty: INodeProperties = idType(
	'userIdType',
	'User ID Type',
	'The kind of user IDs in person fields, written and read',
);

export const userIdTypeOf = (p: ParamReader) => p.choice('options.userIdType', ID_TYPES, 'open_id');

/**
 * Runs a write to a table after the writes to it already started here have finished. Bitable processes a
 * table's writes serially and answers concurrent ones with 1254291 (write conflict): "不建议开发者对单个数据表
 * 进行并发请求". Reads are not held back.
 */
export async function oneWriteAtATime<T>(table: TableRef, write: () => Promise<T>): Promise<T> {
	return await oneAtATime(`write\u0000${table.appToken}\u0000${table.tableId}`, write);
}

/**
 * Runs an upsert (its search and its write) after any upsert of the same key in the same table started here:
 * two items with the same key would otherwise both find nothing and both create.
 */
export async function oneUpsertPerKey<T>(
	table: TableRef,
	key: string,
	upsert: () => Promise<T>,
): Promise<T> {
	return await oneAtATime(
		`upsert\u0000${table.appToken}\u0000${table.tableId}\u0000${key}`,
		upsert,
	);
}
