import { FEISHU_RATE_LIMITS } from '../../transport';
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import { collectList } from '../../../shared/runner';
import { ID_TYPES, idType } from '../common';
import type { ApiRequest, ErrorMeanings, ListSpec, OperationStep } from '../../../shared/types';

/**
 * Bitable (多维表格) basics: the base, table and view pickers, links into IDs, wiki links into app
 * tokens, the documented error codes and the tables' field schemas.
 * Sources: docs/research/feishu-bitable.md (the bitable-v1, drive-v1 media and wiki-v2 pages).
 */

export const BITABLE_DOCS = 'https://open.feishu.cn/document/server-docs/docs/bitable-v1';

const ADD_APP =
	'Add the app to the base: open the base, then "…" (top right) → "…More" → "Add document app" (「…更多」→「添加文档应用」) and give it edit (or, with advanced permissions on, manage) rights. The app needs at least one Bitable scope (bitable:app) to be found there.';

/** The documented error codes of the Bitable record, table and field APIs (bitable-v1 pages), with the fix where there is one. */
export const BITABLE_ERRORS: ErrorMeanings = {
	'1254000': 'The request body is malformed (WrongRequestJson).',
	'1254001': 'The request body is invalid (WrongRequestBody).',
	'1254002':
		'The request failed (Fail): often a too-large payload, concurrent writes to the table, or a wrong page token or table ID. Retry once; if it persists, send smaller batches.',
	'1254003':
		"The base's app token is malformed (WrongBaseToken). Copy it from the base's link: …/base/<app_token>.",
	'1254004': 'The table ID is malformed (WrongTableId). Table IDs start with "tbl".',
	'1254005': 'The view ID is malformed (WrongViewId). View IDs start with "vew".',
	'1254006': 'The record ID is malformed (WrongRecordId). Record IDs start with "rec".',
	'1254009': 'The field ID is malformed (WrongFieldId).',
	'1254011': 'The page size must be greater than 0.',
	'1254012': 'This field or view type cannot be created through the API (NotSupportFieldOrView).',
	'1254013': 'A table with this name already exists in the base (TableNameDuplicated).',
	'1254014': 'A field with this name already exists in the table (FieldNameDuplicated).',
	'1254015':
		"A value does not match its field's type (Field types do not match). Check each column against the type conversion table in the README.",
	'1254016': "The sort is invalid (InvalidSort): check the sort fields' names.",
	'1254018':
		'The filter is invalid (InvalidFilter): check the field names, operators and values (dates allow is, isEmpty, isNotEmpty, isGreater and isLess only).',
	'1254021': 'The view name is empty.',
	'1254022': 'The view name is invalid.',
	'1254024': 'A field name in Fields to Return is invalid (InvalidFieldNames).',
	'1254026': 'An option name is empty.',
	'1254027':
		'Attachments cannot be written here: the file was not uploaded to this base (UploadAttachNotAllowed).',
	'1254028': 'The field name is empty.',
	'1254029': 'The field name is invalid.',
	'1254030':
		'The answer would be too large (TooLargeResponse): choose fewer Fields to Return or a smaller Limit.',
	'1254034': 'The last table of a base cannot be deleted.',
	'1254036': 'The base is being copied: wait and try again.',
	'1254037': 'The idempotency key (client_token) is not a uuidv4.',
	'1254040':
		'The base was not found (BaseTokenNotFound). Check the app token, or the link it came from.',
	'1254041': 'The table was not found in this base (TableIdNotFound).',
	'1254042': 'The view was not found in this table (ViewIdNotFound).',
	'1254043': 'The record was not found in this table (RecordIdNotFound).',
	'1254044': 'The field was not found (FieldIdNotFound).',
	'1254045':
		'A field name was not found in the table (FieldNameNotFound). Names must match exactly; with advanced permissions the field may be hidden from the app.',
	'1254060': 'A value does not fit its text field (TextFieldConvFail).',
	'1254061': 'A value does not fit its number field (NumberFieldConvFail).',
	'1254062': 'A value does not fit its single select field (SingleSelectFieldConvFail).',
	'1254063': 'A value does not fit its multiple select field (MultiSelectFieldConvFail).',
	'1254064':
		'A value does not fit its date field (DatetimeFieldConvFail): dates are millisecond timestamps.',
	'1254065': 'A value does not fit its checkbox field (CheckboxFieldConvFail).',
	'1254066':
		'A value does not fit its person field (UserFieldConvFail): person fields take user IDs of the chosen User ID Type, from this app.',
	'1254067':
		'A value does not fit its link field (LinkFieldConvFail): link fields take record IDs of the linked table.',
	'1254068': 'A value does not fit its URL field (URLFieldConvFail).',
	'1254069': 'A value does not fit its attachment field (AttachFieldConvFail).',
	'1254072':
		'A value does not fit its phone field: digits, optionally starting with "+", up to 64.',
	'1254074':
		'A value does not fit its two-way link field (DuplexLinkFieldConvFail): record IDs are needed.',
	// 1254080–1254096: "<Type>FieldPropertyError", one per field type, on the field create page.
	...Object.fromEntries(
		Array.from({ length: 17 }, (_, i) => [
			String(1254080 + i),
			"The field's settings (Property (JSON), or the select options) do not fit its type (a <Type>FieldPropertyError): check them against Feishu's field guide for that type.",
		]),
	),
	'1254100': 'The base has the most tables (and dashboards) it may have.',
	'1254101': 'The table has the most views it may have (200).',
	'1254103': 'The table has the most records its plan allows (RecordExceedLimit).',
	'1254104':
		'Too many records in one call (RecordAddOnceExceedLimit): lower Batch Size (Lark allows 500 per call).',
	'1254105': 'The table has the most fields it may have (ColumnExceedLimit).',
	'1254106': 'Too many attachments in one cell (AttachExceedLimit; at most 100).',
	'1254107': 'The filter is too long (at most 2,000 characters).',
	'1254108': 'The sort is too long (at most 1,000 characters).',
	'1254109':
		'The table is too large for its formulas to be searched (FormulaTableSizeExceedLimit).',
	'1254112': 'Too many requests to this base (TooManyRequestInSingleBase).',
	'1254130': "A cell's content is too large (TooLargeCell; text is at most 100,000 characters).",
	'1254290': 'Too many requests (TooManyRequest): retried after a pause.',
	'1254291':
		'Write conflict: the table was written concurrently or too fast. Writes to one table go one at a time.',
	'1254301':
		'Advanced permissions are not enabled or not supported for this base (OperationTypeError).',
	'1254302': `The app has no permission under the base's advanced permissions (RolePermNotAllow). Give it manage (可管理) rights. ${ADD_APP}`,
	'1254303':
		"An attachment's file token belongs to another base (AttachPermNotAllow): files must be uploaded to this base first (the node does it for binary data).",
	'1254304': "Permission denied under the base's advanced permissions.",
	'1254306': "The tenant or the base's owner has reached a plan limit of Bitable.",
	'1254607':
		"The data is not ready (a previous operation is still running, or this one timed out on Feishu's side). Wait and try again; check the table first, a write may have been carried out.",
	'1254608':
		'The same request (the same client_token) reached Feishu twice in quick succession on the same version of the base. This is usually a retry of a call whose first answer was lost, so the first attempt has probably been carried out: check the table before running this item again.',
	'1255001': 'Feishu Bitable had an internal error.',
	'1255002': 'Feishu Bitable had an internal error (RPC).',
	'1255003': 'Feishu Bitable had an internal error (Marshal).',
	'1255004': 'Feishu Bitable had an internal error (UnMarshal).',
	'1255005': 'Feishu Bitable had an internal error (Conv).',
	'1255006':
		'The idempotency key (client_token) conflicts with another request: a new one is needed.',
	'1255040': 'Feishu Bitable timed out. Retry.',
	'91403': `The app has no permission on this base (当前调用身份没有云文档的阅读或编辑等权限). ${ADD_APP}`,
	'1061002': 'An upload parameter is invalid.',
	'1061004': `The app may not upload to this base. ${ADD_APP}`,
	'1061043': 'The file is too large (at most 20 MB).',
	'1061044': 'The base to upload into was not found (parent node not exist).',
	'1061045': 'The upload can be retried.',
	'1062008': "The file's checksum is invalid.",
	'1062009': "The file's size does not match the size sent.",
	'1062010': 'A part of the file is missing (block missing).',
	'131002': "The wiki link's token is invalid.",
	'131005': 'The wiki page was not found.',
	'131006':
		'The app may not read this wiki page: add it to the wiki space or the page (wiki:wiki:readonly scope).',
};

/** A base (app_token) and a table from a Bitable or wiki link: `…/base/{app_token}?table={table_id}&view={view_id}` or `…/wiki/{node_token}?table=…`. */
export interface BitableLink {
	appToken?: string;
	wikiToken?: string;
	tableId?: string;
	viewId?: string;
}

const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

export function parseBitableLink(text: string): BitableLink | undefined {
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
 * One look-up per key and execution (a wiki node, a table's fields), shared by every item. A failure is kept
 * too, so that 1,000 items do not ask 1,000 times for a page that is not a base; each item gets it with its
 * own index.
 */
async function lookup<T>(
	cache: WeakMap<object, Map<string, Promise<T>>>,
	ctx: object,
	key: string,
	itemIndex: number,
	make: () => Promise<T>,
): Promise<T> {
	let known = cache.get(ctx);
	if (!known) cache.set(ctx, (known = new Map()));
	let pending = known.get(key);
	const first = pending === undefined;
	if (!pending) {
		pending = make();
		known.set(key, pending);
	}
	if (first) return await pending;
	return await pending.catch((error: unknown) => {
		throw forItem(error, itemIndex);
	});
}

/** A look-up's failure as another item's error: the same message, meaning and codes, with that item's index. */
function forItem(error: unknown, itemIndex: number): NodeOperationError {
	const original = error as Error & {
		node?: INode;
		description?: string;
		httpCode?: string;
		platformCode?: string;
	};
	const again = new NodeOperationError(
		original.node ?? ({ name: 'Feishu' } as INode),
		String(original.message).replace(/ in item \d+:/, ` in item ${itemIndex}:`),
		{
			itemIndex,
			description: original.description,
		},
	);
	return Object.assign(again, { httpCode: original.httpCode, platformCode: original.platformCode });
}

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

/** A uuidv4-shaped idempotency key (client_token), derived from this run, item and purpose: the same for every attempt. */
export function clientToken(p: ParamReader, purpose: string): string {
	const hex = p.idempotencyKey(purpose);
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const userIdTypeProperty: INodeProperties = idType(
	'userIdType',
	'User ID Type',
	'The kind of user IDs in person fields, written and read',
);

export const userIdTypeOf = (p: ParamReader) => p.choice('options.userIdType', ID_TYPES, 'open_id');

/** The work in progress per key in this process (its tail), so that the next waits for it. */
const QUEUES = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
	const mine = (QUEUES.get(key) ?? Promise.resolve()).then(work);
	const tail = mine.then(
		() => undefined,
		() => undefined,
	);
	QUEUES.set(key, tail);
	try {
		return await mine;
	} finally {
		if (QUEUES.get(key) === tail) QUEUES.delete(key);
	}
}

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
