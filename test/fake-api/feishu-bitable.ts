/**
 * The fake Feishu Bitable (多维表格) platform: bases, tables, views, fields and records with the
 * documented value shapes and checks of record writes, record search (filter, sort, paging), drive
 * media upload and download for attachments, and the wiki node lookup that yields a base's app_token.
 * Sources: docs/research/feishu-bitable.md (the bitable-v1, drive-v1 media and wiki-v2 pages).
 *
 * Only type imports from the rest of the fake, so that spec.ts can include BITABLE_ROUTES without a cycle.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, FeishuUser, Handler } from './server';
import type { FieldSpec, RateRule, RouteSpec } from './spec';
import { str, int, bool } from './values';

// ---------------------------------------------------------------------------------------------
// The documented requests (§1, §2, §4, §6, §7).

const obj = (required = false, fields?: Record<string, FieldSpec>): FieldSpec => ({
	type: 'object',
	required,
	...(fields ? { fields } : {}),
});
const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const perSecond = (limit: number): RateRule[] => [{ limit, windowMs: 1000 }];
/** upload_all / download: "5 QPS，10000 次/天". */
const MEDIA_LIMITS: RateRule[] = [
	{ limit: 5, windowMs: 1000 },
	{ limit: 10_000, windowMs: 86_400_000 },
];
const UI_TYPES = [
	'Text',
	'Barcode',
	'Email',
	'Number',
	'Progress',
	'Currency',
	'Rating',
	'SingleSelect',
	'MultiSelect',
	'DateTime',
	'Checkbox',
	'User',
	'Phone',
	'Url',
	'Attachment',
	'SingleLink',
	'Lookup',
	'Formula',
	'DuplexLink',
	'Location',
	'GroupChat',
	'CreatedTime',
	'ModifiedTime',
	'CreatedUser',
	'ModifiedUser',
	'AutoNumber',
	'Button',
];
/** Field description (create field body): {disable_sync, text}. */
const DESCRIPTION = obj(false, { disable_sync: bool(), text: str() });
const FIELD_DEFINITION: Record<string, FieldSpec> = {
	field_name: str(true),
	type: int(true),
	ui_type: str(false, { enum: UI_TYPES }),
	property: obj(),
	description: DESCRIPTION,
};
const CONDITION: Record<string, FieldSpec> = {
	field_name: str(),
	operator: str(),
	value: { type: 'array', of: 'string' },
};
/** Search filter_info. `conjunction` is required by the guide; a missing one is answered 1254018 (InvalidFilter) by the handler. */
const FILTER = obj(false, {
	conjunction: str(),
	conditions: { type: 'array', items: CONDITION },
	// "目前仅支持使用一层 children 参数": children have no children of their own.
	children: {
		type: 'array',
		items: { conjunction: str(), conditions: { type: 'array', items: CONDITION } },
	},
});
const PARENT_TYPES = [
	'doc_image',
	'docx_image',
	'sheet_image',
	'doc_file',
	'docx_file',
	'sheet_file',
	'vc_virtual_background',
	'bitable_image',
	'bitable_file',
	'moments',
	'ccm_import_open',
];
const WIKI_OBJ_TYPES = ['doc', 'docx', 'sheet', 'mindnote', 'bitable', 'file', 'slides', 'wiki'];

const APP_PATH = '/open-apis/bitable/v1/apps/{app_token}';
const TABLES = `${APP_PATH}/tables`;
const TABLE = `${TABLES}/{table_id}`;
const RECORDS = `${TABLE}/records`;
const APP_PARAMS = { app_token: 'string' } as const;
const TABLE_PARAMS = { app_token: 'string', table_id: 'string' } as const;
const RECORD_PARAMS = { app_token: 'string', table_id: 'string', record_id: 'string' } as const;
const WRITE_QUERY = {
	user_id_type: USER_ID_TYPE,
	client_token: str(),
	ignore_consistency_check: bool(),
};
const UPDATE_QUERY = { user_id_type: USER_ID_TYPE, ignore_consistency_check: bool() };

/** Bitable, drive media and wiki node routes, with their documented rate limits. */
export const BITABLE_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.bitableRecord.search',
		method: 'POST',
		path: `${RECORDS}/search`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { user_id_type: USER_ID_TYPE, page_token: str(), page_size: int() },
		body: {
			view_id: str(),
			field_names: { type: 'array', of: 'string' },
			sort: { type: 'array', items: { field_name: str(), desc: bool() } },
			filter: FILTER,
			automatic_fields: bool(),
		},
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableRecord.create',
		method: 'POST',
		path: RECORDS,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: WRITE_QUERY,
		body: { fields: obj(true) },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchCreate',
		method: 'POST',
		path: `${RECORDS}/batch_create`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: WRITE_QUERY,
		body: { records: { type: 'array', required: true, items: { fields: obj(true) } } },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.update',
		method: 'PUT',
		path: `${RECORDS}/{record_id}`,
		pathParams: RECORD_PARAMS,
		auth: 'feishuBearer',
		// The update page (2025-07) lists no client_token.
		query: UPDATE_QUERY,
		body: { fields: obj(true) },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchUpdate',
		method: 'POST',
		path: `${RECORDS}/batch_update`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: UPDATE_QUERY,
		body: {
			records: {
				type: 'array',
				required: true,
				items: { record_id: str(true), fields: obj(true) },
			},
		},
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.delete',
		method: 'DELETE',
		path: `${RECORDS}/{record_id}`,
		pathParams: RECORD_PARAMS,
		auth: 'feishuBearer',
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchDelete',
		method: 'POST',
		path: `${RECORDS}/batch_delete`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		body: { records: { type: 'array', required: true, of: 'string' } },
		limits: perSecond(50),
	},
	{
		key: 'feishu.bitableRecord.batchGet',
		method: 'POST',
		path: `${RECORDS}/batch_get`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		// user_id_type goes in the body here.
		body: {
			record_ids: { type: 'array', required: true, of: 'string' },
			user_id_type: USER_ID_TYPE,
			with_shared_url: bool(),
			automatic_fields: bool(),
		},
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableTable.list',
		method: 'GET',
		path: TABLES,
		pathParams: APP_PARAMS,
		auth: 'feishuBearer',
		query: { page_size: int(), page_token: str() },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableTable.create',
		method: 'POST',
		path: TABLES,
		pathParams: APP_PARAMS,
		auth: 'feishuBearer',
		body: {
			table: obj(true, {
				name: str(true),
				default_view_name: str(),
				fields: { type: 'array', items: FIELD_DEFINITION },
			}),
		},
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableTable.delete',
		method: 'DELETE',
		path: TABLE,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableView.list',
		method: 'GET',
		path: `${TABLE}/views`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { page_size: int(), page_token: str(), user_id_type: USER_ID_TYPE },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableField.list',
		method: 'GET',
		path: `${TABLE}/fields`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { view_id: str(), text_field_as_array: bool(), page_size: int(), page_token: str() },
		limits: perSecond(20),
	},
	{
		key: 'feishu.bitableField.create',
		method: 'POST',
		path: `${TABLE}/fields`,
		pathParams: TABLE_PARAMS,
		auth: 'feishuBearer',
		query: { client_token: str() },
		body: FIELD_DEFINITION,
		limits: perSecond(10),
	},
	{
		key: 'feishu.bitableMedia.upload',
		method: 'POST',
		path: '/open-apis/drive/v1/medias/upload_all',
		auth: 'feishuBearer',
		multipart: {
			fields: {
				file_name: str(true),
				parent_type: str(true, { enum: PARENT_TYPES }),
				parent_node: str(true),
				size: int(true),
				checksum: str(),
				extra: str(),
			},
			files: ['file'],
		},
		limits: MEDIA_LIMITS,
	},
	{
		key: 'feishu.bitableMedia.download',
		method: 'GET',
		path: '/open-apis/drive/v1/medias/{file_token}/download',
		pathParams: { file_token: 'string' },
		auth: 'feishuBearer',
		query: { extra: str() },
		binaryAnswer: true,
		limits: MEDIA_LIMITS,
	},
	{
		key: 'feishu.wiki.getNode',
		method: 'GET',
		path: '/open-apis/wiki/v2/spaces/get_node',
		auth: 'feishuBearer',
		query: { token: str(true), obj_type: str(false, { enum: WIKI_OBJ_TYPES }) },
		limits: [{ limit: 100, windowMs: 60_000 }],
	},
];

// ---------------------------------------------------------------------------------------------
// State.

export interface BitableField {
	field_id: string;
	field_name: string;
	type: number;
	ui_type: string;
	is_primary: boolean;
	is_hidden: boolean;
	property?: Record<string, unknown>;
	description?: { disable_sync?: boolean; text?: string };
}

export interface BitableView {
	view_id: string;
	view_name: string;
	view_type: 'grid' | 'kanban' | 'gallery' | 'gantt' | 'form';
}

export interface BitableRecord {
	record_id: string;
	/** By field name, in the write shape (people as [{id: open_id}]); read-only fields are computed on read. */
	fields: Record<string, unknown>;
	created_time: number;
	last_modified_time: number;
	/** The auto number (type 1005) of this record. */
	auto_number: number;
	/** open_id of the creator; undefined for records the app wrote. */
	created_by?: string;
}

export interface BitableTable {
	table_id: string;
	name: string;
	revision: number;
	fields: BitableField[];
	views: BitableView[];
	records: Map<string, BitableRecord>;
	nextAutoNumber: number;
	/** Until when (ms) a write to this table is still being processed: another write before then conflicts (1254291). */
	busyUntil: number;
}

export interface BitableBase {
	app_token: string;
	name: string;
	/** Whether the app was added to the base ("添加文档应用"); if not, every call answers 403 / 91403. */
	collaborator: boolean;
	tables: Map<string, BitableTable>;
}

export interface BitableMedia {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	/** The base it was uploaded to (parent_node); attachments may only use it there. */
	appToken: string;
	parentType: string;
}

interface WikiNode {
	space_id: string;
	node_token: string;
	obj_token: string;
	obj_type: string;
	title: string;
}

export const SANDBOX_BASE = 'bascnSandboxBase0001';
export const NO_ACCESS_BASE = 'bascnNoAccess00001';
export const BENCH_BASE = 'bascnBenchBase00001';
export const TASKS_TABLE = 'tblSandboxTasks01';
export const PEOPLE_TABLE = 'tblSandboxPeople1';
export const BENCH_TABLE = 'tblBench000000001';
export const WIKI_BASE_NODE = 'wikcnSandboxBase001';
export const WIKI_DOC_NODE = 'wikcnSandboxDoc0001';

/** Read-only field types: the record write pages list the writable types (text, number, single/multi select, date, checkbox, barcode, person, phone, URL, attachment, single/duplex link, location; group chat in the examples), and 19, 20, 24, 1001–1005 and 3001 are not among them. */
const READ_ONLY = new Set([19, 20, 24, 1001, 1002, 1003, 1004, 1005, 3001]);
/** Types the create-field page accepts ("不支持新增 19 查找引用字段类型"). */
const CREATABLE = new Set([
	1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 20, 21, 22, 23, 1001, 1002, 1003, 1004, 1005,
]);
const UI_TYPE_OF: Record<number, string[]> = {
	1: ['Text', 'Barcode', 'Email'],
	2: ['Number', 'Progress', 'Currency', 'Rating'],
	3: ['SingleSelect'],
	4: ['MultiSelect'],
	5: ['DateTime'],
	7: ['Checkbox'],
	11: ['User'],
	13: ['Phone'],
	15: ['Url'],
	17: ['Attachment'],
	18: ['SingleLink'],
	19: ['Lookup'],
	20: ['Formula'],
	21: ['DuplexLink'],
	22: ['Location'],
	23: ['GroupChat'],
	1001: ['CreatedTime'],
	1002: ['ModifiedTime'],
	1003: ['CreatedUser'],
	1004: ['ModifiedUser'],
	1005: ['AutoNumber'],
	3001: ['Button'],
};
const OPERATORS = new Set([
	'is',
	'isNot',
	'contains',
	'doesNotContain',
	'isEmpty',
	'isNotEmpty',
	'isGreater',
	'isGreaterEqual',
	'isLess',
	'isLessEqual',
]);
const DATE_OPERATORS = new Set(['is', 'isEmpty', 'isNotEmpty', 'isGreater', 'isLess']);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MAX_MEDIA = 20_971_520;
const DAY = 86_400_000;
/** Date filters count days in the document's time zone ("文档时区当天的零点"); the fake's bases are in UTC+8. */
const ZONE_OFFSET = 8 * 3600_000;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number): string =>
	[...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
const logId = () => randomBytes(6).toString('hex');
const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
/** Business errors: HTTP 200 unless the pages give another status. */
const fail = (code: number, msg: string, status = 200): Answer => ({
	status,
	body: { code, msg, error: { log_id: logId() } },
});
const isAnswer = (x: unknown): x is Answer =>
	typeof (x as Answer)?.status === 'number' && 'body' in (x as object);
const forbidden = (): Answer => ({
	status: 403,
	body: { code: 91403, msg: 'Forbidden', error: { log_id: logId() } },
});
const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (v: Record<string, unknown>, keys: string[]) =>
	Object.keys(v).every((k) => keys.includes(k));

/** The drive's Adler-32 checksum of an upload. */
function adler32(bytes: Buffer): number {
	let a = 1;
	let b = 0;
	for (const byte of bytes) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	return ((b << 16) | a) >>> 0;
}

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	json: 'application/json',
	zip: 'application/zip',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A field definition for addTable / table create. */
export interface FieldDefinition {
	field_name: string;
	type: number;
	ui_type?: string;
	property?: Record<string, unknown>;
	description?: { disable_sync?: boolean; text?: string };
	/** Seed only: a fixed field_id. */
	field_id?: string;
}

/** What a record write will change once the whole call is valid (all-or-nothing): options to create. */
interface WritePlan {
	newOptions: Map<BitableField, Set<string>>;
}

export class FeishuBitable {
	readonly bases = new Map<string, BitableBase>();
	/** Uploaded media by file_token. */
	readonly media = new Map<string, BitableMedia>();
	readonly wikiNodes = new Map<string, WikiNode>();
	/** Requests with a repeated client_token that were answered with the first answer (nothing created). */
	duplicatesAbsorbed = 0;
	/** Writes answered 1254291 because another write to the same table was still in flight. */
	writeConflicts = 0;
	private readonly clientTokens = new Map<string, { signature: string; answer: Answer }>();

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.bases.clear();
		this.media.clear();
		this.wikiNodes.clear();
		this.clientTokens.clear();
		this.duplicatesAbsorbed = 0;
		this.writeConflicts = 0;

		this.addBase(SANDBOX_BASE, 'Sandbox base');
		const tasks = this.addTable(
			SANDBOX_BASE,
			'Tasks',
			[
				{ field_id: 'fldSbxName001', field_name: 'Name', type: 1 },
				{ field_id: 'fldSbxCount01', field_name: 'Count', type: 2, property: { formatter: '0' } },
				{
					field_id: 'fldSbxStatus1',
					field_name: 'Status',
					type: 3,
					property: {
						options: [
							{ id: 'optTodo001', name: 'Todo', color: 0 },
							{ id: 'optDoing01', name: 'Doing', color: 1 },
							{ id: 'optDone001', name: 'Done', color: 2 },
						],
					},
				},
				{
					field_id: 'fldSbxTags001',
					field_name: 'Tags',
					type: 4,
					property: {
						options: [
							{ id: 'optRed0001', name: 'red', color: 3 },
							{ id: 'optGreen01', name: 'green', color: 4 },
							{ id: 'optBlue001', name: 'blue', color: 5 },
						],
					},
				},
				{
					field_id: 'fldSbxDue0001',
					field_name: 'Due',
					type: 5,
					property: { date_formatter: 'yyyy/MM/dd', auto_fill: false },
				},
				{ field_id: 'fldSbxDone001', field_name: 'Done', type: 7 },
				{ field_id: 'fldSbxOwner01', field_name: 'Owner', type: 11, property: { multiple: true } },
				{ field_id: 'fldSbxPhone01', field_name: 'Phone', type: 13 },
				{ field_id: 'fldSbxWebsit1', field_name: 'Website', type: 15 },
				{ field_id: 'fldSbxFiles01', field_name: 'Files', type: 17 },
				{
					field_id: 'fldSbxRelate1',
					field_name: 'Related',
					type: 18,
					property: { table_id: TASKS_TABLE, table_name: 'Tasks', multiple: true },
				},
				{
					field_id: 'fldSbxPlace01',
					field_name: 'Place',
					type: 22,
					property: { location: { input_type: 'not_limit' } },
				},
				{
					field_id: 'fldSbxCreate1',
					field_name: 'Created',
					type: 1001,
					property: { date_formatter: 'yyyy/MM/dd HH:mm' },
				},
				{
					field_id: 'fldSbxTotal01',
					field_name: 'Total',
					type: 20,
					property: {
						formula_expression: `bitable::$table[${TASKS_TABLE}].$field[fldSbxCount01]*2`,
						formatter: '0',
					},
				},
				{
					field_id: 'fldSbxAutoNo1',
					field_name: 'No.',
					type: 1005,
					property: { auto_serial: { type: 'auto_increment_number' } },
				},
			],
			{
				tableId: TASKS_TABLE,
				views: [
					{ view_id: 'vewSandboxGrid01', view_name: 'Grid', view_type: 'grid' },
					{ view_id: 'vewSandboxKanban1', view_name: 'Board', view_type: 'kanban' },
				],
			},
		);
		const at = (day: number) => Date.UTC(2026, 0, day) - ZONE_OFFSET; // midnight in UTC+8
		const created = Date.UTC(2025, 0, 1, 1);
		this.seedRecord(tasks, 'recSbxTask001', created, {
			Name: 'Write the report',
			Count: 3,
			Status: 'Doing',
			Tags: ['red', 'blue'],
			Due: at(15),
			Owner: [{ id: 'ou_1' }],
			Phone: '+8613900000001',
			Website: { text: 'Feishu Open Platform', link: 'https://open.feishu.cn' },
			Place: '116.397755,39.903179',
		});
		this.seedRecord(tasks, 'recSbxTask002', created + 60_000, {
			Name: 'Review the draft',
			Count: 5,
			Status: 'Todo',
			Tags: ['green'],
			Due: at(20),
			Done: true,
			Owner: [{ id: 'ou_2' }],
			Related: ['recSbxTask001'],
		});
		this.seedRecord(tasks, 'recSbxTask003', created + 120_000, {
			Name: 'Ship it',
			Count: 8,
			Status: 'Done',
			Done: true,
		});
		const people = this.addTable(
			SANDBOX_BASE,
			'People',
			[
				{ field_id: 'fldPplName001', field_name: 'Name', type: 1 },
				{ field_id: 'fldPplEmail01', field_name: 'Email', type: 1, ui_type: 'Email' },
			],
			{
				tableId: PEOPLE_TABLE,
				views: [{ view_id: 'vewSandboxPpl01', view_name: 'Grid', view_type: 'grid' }],
			},
		);
		this.seedRecord(people, 'recSbxPpl0001', created, {
			Name: 'Zhang Wei',
			Email: 'zhang.wei@example.com',
		});
		this.seedRecord(people, 'recSbxPpl0002', created + 60_000, {
			Name: 'Liu Yang',
			Email: 'liu.yang@example.com',
		});

		const noAccess = this.addBase(NO_ACCESS_BASE, 'Not shared with the app');
		noAccess.collaborator = false;
		this.addTable(NO_ACCESS_BASE, 'Secret', [{ field_name: 'Name', type: 1 }], {
			tableId: 'tblNoAccess000001',
		});

		this.addBase(BENCH_BASE, 'Bench base');
		this.addTable(
			BENCH_BASE,
			'Bench',
			[
				{ field_id: 'fldBenchName1', field_name: 'Name', type: 1 },
				{ field_id: 'fldBenchN0001', field_name: 'N', type: 2 },
			],
			{
				tableId: BENCH_TABLE,
				views: [{ view_id: 'vewBenchGrid01', view_name: 'Grid', view_type: 'grid' }],
			},
		);

		this.wikiNodes.set(WIKI_BASE_NODE, {
			space_id: '7300000000000000001',
			node_token: WIKI_BASE_NODE,
			obj_token: SANDBOX_BASE,
			obj_type: 'bitable',
			title: 'Sandbox base',
		});
		this.wikiNodes.set(WIKI_DOC_NODE, {
			space_id: '7300000000000000001',
			node_token: WIKI_DOC_NODE,
			obj_token: 'doxcnSandboxDoc001',
			obj_type: 'docx',
			title: 'Sandbox doc',
		});
	}

	// ----- Test helpers.

	/** The stored records of a table, in creation order (values in the write shape). */
	records(appToken: string, tableId: string): BitableRecord[] {
		return [...(this.table(appToken, tableId)?.records.values() ?? [])];
	}

	table(appToken: string, tableId: string): BitableTable | undefined {
		return this.bases.get(appToken)?.tables.get(tableId);
	}

	/** Adds a table (and the base, if new) with these fields (the first is the primary field) and one grid view. */
	addTable(
		appToken: string,
		name: string,
		fields: FieldDefinition[],
		options: { tableId?: string; views?: BitableView[] } = {},
	): BitableTable {
		const base = this.bases.get(appToken) ?? this.addBase(appToken, appToken);
		const table: BitableTable = {
			table_id: options.tableId ?? `tbl${alnum(13)}`,
			name,
			revision: 1,
			fields: [],
			views: options.views ?? [{ view_id: `vew${alnum(7)}`, view_name: 'Grid', view_type: 'grid' }],
			records: new Map(),
			nextAutoNumber: 1,
			busyUntil: 0,
		};
		base.tables.set(table.table_id, table);
		for (const definition of fields)
			table.fields.push(this.newField(table, definition, table.fields.length === 0));
		return table;
	}

	/** What /__fake/messages shows: per base and table, the record count and the records. */
	summary(): Record<
		string,
		Record<string, { name: string; count: number; records: BitableRecord[] }>
	> {
		const out: Record<
			string,
			Record<string, { name: string; count: number; records: BitableRecord[] }>
		> = {};
		for (const base of this.bases.values()) {
			out[base.app_token] = {};
			for (const table of base.tables.values())
				out[base.app_token][table.table_id] = {
					name: table.name,
					count: table.records.size,
					records: [...table.records.values()],
				};
		}
		return out;
	}

	private addBase(appToken: string, name: string): BitableBase {
		const base: BitableBase = { app_token: appToken, name, collaborator: true, tables: new Map() };
		this.bases.set(appToken, base);
		return base;
	}

	private newField(table: BitableTable, d: FieldDefinition, primary: boolean): BitableField {
		let property = d.property ? structuredClone(d.property) : undefined;
		if ((d.type === 3 || d.type === 4) && Array.isArray(property?.options)) {
			property = {
				...property,
				options: (property.options as Array<Record<string, unknown>>).map((o, i) => ({
					id: o.id ?? `opt${alnum(7)}`,
					name: o.name,
					color: o.color ?? i % 55,
				})),
			};
		}
		if ((d.type === 3 || d.type === 4) && !property) property = { options: [] };
		return {
			field_id: d.field_id ?? `fld${alnum(10)}`,
			field_name: d.field_name.trim(),
			type: d.type,
			ui_type: d.ui_type ?? UI_TYPE_OF[d.type]?.[0] ?? 'Text',
			is_primary: primary,
			is_hidden: false,
			...(property ? { property } : {}),
			...(d.description ? { description: d.description } : {}),
		};
	}

	private seedRecord(
		table: BitableTable,
		recordId: string,
		createdTime: number,
		fields: Record<string, unknown>,
	): void {
		table.records.set(recordId, {
			record_id: recordId,
			fields,
			created_time: createdTime,
			last_modified_time: createdTime,
			auto_number: table.nextAutoNumber++,
			created_by: 'ou_1',
		});
	}

	// ----- Lookups.

	private locate(
		params: Record<string, string>,
	):
		{ base: BitableBase; table: BitableTable } | { base: BitableBase; table?: undefined } | Answer {
		const base = this.bases.get(params.app_token);
		if (!base) return fail(1254040, 'BaseTokenNotFound');
		// The app is not a collaborator: "当前调用身份没有云文档的阅读或编辑等权限" (FAQ), HTTP 403.
		if (!base.collaborator) return forbidden();
		if (params.table_id === undefined) return { base };
		const table = base.tables.get(params.table_id);
		if (!table) return fail(1254041, 'TableIdNotFound');
		return { base, table };
	}

	private user(id: string, idType: string): FeishuUser | undefined {
		return this.fake.state.feishuUsers.find(
			(u) => (u as unknown as Record<string, string>)[idType] === id,
		);
	}

	private byName(table: BitableTable, name: unknown): BitableField | undefined {
		return table.fields.find((f) => f.field_name === name);
	}

	private page<T>(
		all: T[],
		query: Record<string, string>,
		defaultSize: number,
		maxSize: number,
	): { items: T[]; has_more: boolean; page_token?: string; total: number } | Answer {
		const size = query.page_size === undefined ? defaultSize : Number(query.page_size);
		if (size < 1 || size > maxSize) {
			this.fake.violations.push(`page_size ${size} outside 1..${maxSize}`);
			return fail(1254011, 'Page size must greater than 0.', 400);
		}
		let start = 0;
		if (query.page_token !== undefined) {
			const decoded = /^offset:(\d+)$/.exec(
				Buffer.from(query.page_token, 'base64url').toString('utf8'),
			);
			if (!decoded) return fail(1254002, 'Fail');
			start = Number(decoded[1]);
		}
		const end = start + size;
		const more = end < all.length;
		return {
			items: all.slice(start, end),
			has_more: more,
			...(more ? { page_token: Buffer.from(`offset:${end}`).toString('base64url') } : {}),
			total: all.length,
		};
	}

	// ----- Values.

	/** Checks one written value against its field's type; returns the stored (write-shape) value, `undefined` to clear, or the documented error. */
	private writeValue(
		base: BitableBase,
		table: BitableTable,
		field: BitableField,
		value: unknown,
		idType: string,
		plan: WritePlan,
	): { stored: unknown } | Answer {
		if (READ_ONLY.has(field.type)) return fail(1254015, 'Field types do not match.', 400);
		if (value === null) return { stored: undefined };
		const strings = (v: unknown): v is string[] =>
			Array.isArray(v) && v.every((s) => typeof s === 'string');
		switch (field.type) {
			case 1:
				if (typeof value !== 'string') return fail(1254060, 'TextFieldConvFail');
				if (value.length > 100_000) return fail(1254130, 'TooLargeCell');
				return { stored: value };
			case 2:
				return typeof value === 'number' && Number.isFinite(value)
					? { stored: value }
					: fail(1254061, 'NumberFieldConvFail');
			case 3: {
				if (typeof value !== 'string') return fail(1254062, 'SingleSelectFieldConvFail');
				if (value === '') return { stored: undefined };
				this.planOptions(field, [value], plan);
				return { stored: value };
			}
			case 4: {
				if (!strings(value)) return fail(1254063, 'MultiSelectFieldConvFail');
				if (value.length > 1000) return fail(1254063, 'MultiSelectFieldConvFail');
				const unique = [...new Set(value.filter((v) => v !== ''))];
				this.planOptions(field, unique, plan);
				return { stored: unique };
			}
			case 5:
				return typeof value === 'number' && Number.isInteger(value)
					? { stored: value }
					: fail(1254064, 'DatetimeFieldConvFail');
			case 7:
				return typeof value === 'boolean'
					? { stored: value }
					: fail(1254065, 'CheckboxFieldConvFail');
			case 11: {
				// "目前只支持填写 id 参数，且需要传入数组"; IDs of the request's user_id_type.
				if (!Array.isArray(value) || value.length > 1000) return fail(1254066, 'UserFieldConvFail');
				const openIds: Array<{ id: string }> = [];
				for (const person of value) {
					if (!isObject(person) || !onlyKeys(person, ['id']) || typeof person.id !== 'string')
						return fail(1254066, 'UserFieldConvFail');
					const u = this.user(person.id, idType);
					if (!u) return fail(1254066, 'UserFieldConvFail');
					openIds.push({ id: u.open_id });
				}
				return { stored: openIds };
			}
			case 13:
				return typeof value === 'string' && /^(\+)?\d*$/.test(value) && value.length <= 64
					? { stored: value }
					: fail(1254072, 'PhoneFieldConvFail');
			case 15:
				if (
					!isObject(value) ||
					!onlyKeys(value, ['text', 'link']) ||
					typeof value.link !== 'string' ||
					value.link === '' ||
					(value.text !== undefined && typeof value.text !== 'string')
				) {
					return fail(1254068, 'URLFieldConvFail');
				}
				return { stored: { text: value.text ?? value.link, link: value.link } };
			case 17: {
				if (!Array.isArray(value)) return fail(1254069, 'AttachFieldConvFail');
				if (value.length > 100) return fail(1254106, 'AttachExceedLimit');
				const stored: Array<{ file_token: string }> = [];
				for (const file of value) {
					if (
						!isObject(file) ||
						!onlyKeys(file, ['file_token']) ||
						typeof file.file_token !== 'string'
					)
						return fail(1254069, 'AttachFieldConvFail');
					// "要在多维表格中写入附件，你需先调用上传素材接口，将附件上传到当前多维表格中".
					if (this.media.get(file.file_token)?.appToken !== base.app_token)
						return fail(1254303, 'AttachPermNotAllow');
					stored.push({ file_token: file.file_token });
				}
				return { stored };
			}
			case 18:
			case 21: {
				const [code, msg, status] =
					field.type === 18
						? [1254067, 'LinkFieldConvFail', 200]
						: [1254074, 'DuplexLinkFieldConvFail', 400];
				if (!strings(value) || value.length > 500) return fail(code, msg, status);
				const linked = base.tables.get(String(field.property?.table_id ?? table.table_id));
				if (!linked || !value.every((id) => linked.records.has(id))) return fail(code, msg, status);
				return { stored: [...new Set(value)] };
			}
			case 22: {
				const m =
					typeof value === 'string'
						? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value)
						: null;
				if (!m || Math.abs(Number(m[1])) > 180 || Math.abs(Number(m[2])) > 90)
					return fail(1254015, 'Field types do not match.', 400);
				return { stored: `${m[1]},${m[2]}` };
			}
			case 23: {
				// [{id: "oc_…"}], at most 10 ("群组数不能超过 10 个"). No conversion code is documented for groups.
				if (!Array.isArray(value) || value.length > 10)
					return fail(1254015, 'Field types do not match.', 400);
				for (const chat of value) {
					if (
						!isObject(chat) ||
						!onlyKeys(chat, ['id']) ||
						typeof chat.id !== 'string' ||
						!chat.id.startsWith('oc_')
					)
						return fail(1254015, 'Field types do not match.', 400);
				}
				return { stored: value.map((c) => ({ id: (c as { id: string }).id })) };
			}
			default:
				return fail(1254015, 'Field types do not match.', 400);
		}
	}

	private planOptions(field: BitableField, names: string[], plan: WritePlan): void {
		const known = new Set(
			((field.property?.options as Array<{ name: string }> | undefined) ?? []).map((o) => o.name),
		);
		for (const name of names) {
			if (known.has(name)) continue;
			if (!plan.newOptions.has(field)) plan.newOptions.set(field, new Set());
			plan.newOptions.get(field)!.add(name);
		}
	}

	/** "对于新的选项值，将会创建一个新的选项": applied once the whole call is valid. */
	private applyPlan(plan: WritePlan): void {
		for (const [field, names] of plan.newOptions) {
			field.property ??= {};
			const options = ((field.property.options as Array<Record<string, unknown>> | undefined) ??=
				[]);
			for (const name of names) {
				if (!options.some((o) => o.name === name))
					options.push({ id: `opt${alnum(7)}`, name, color: options.length % 55 });
			}
		}
	}

	/** Validates a record's `fields` body; returns the stored values to set (undefined = clear). */
	private writeFields(
		base: BitableBase,
		table: BitableTable,
		fields: unknown,
		idType: string,
		plan: WritePlan,
	): Map<string, unknown> | Answer {
		if (!isObject(fields)) return fail(1254001, 'WrongRequestBody');
		const out = new Map<string, unknown>();
		for (const [name, value] of Object.entries(fields)) {
			const field = this.byName(table, name);
			if (!field) return fail(1254045, 'FieldNameNotFound');
			const checked = this.writeValue(base, table, field, value, idType, plan);
			if (isAnswer(checked)) return checked;
			out.set(name, checked.stored);
		}
		return out;
	}

	private setFields(record: BitableRecord, values: Map<string, unknown>): void {
		for (const [name, value] of values) {
			if (value === undefined) delete record.fields[name];
			else record.fields[name] = value;
		}
		record.last_modified_time = Date.now();
	}

	private person(openId: string, idType: string): Record<string, unknown> | undefined {
		const u = this.user(openId, 'open_id');
		if (!u) return undefined;
		return {
			id: (u as unknown as Record<string, string>)[idType],
			name: u.name,
			en_name: u.name,
			email: u.email,
			avatar_url: `https://s1-imfile.feishucdn.com/static-resource/v1/${u.open_id}~?image_size=72x72`,
		};
	}

	/** The read shape of one cell (record data structure page); undefined when empty (empty fields are omitted). */
	private readValue(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
		idType: string,
	): unknown {
		const v = record.fields[field.field_name];
		switch (field.type) {
			case 1:
				if (typeof v !== 'string' || v === '') return undefined;
				return field.ui_type === 'Email'
					? [{ type: 'url', text: v, link: `mailto:${v}` }]
					: [{ type: 'text', text: v }];
			case 2:
			case 5:
				return typeof v === 'number' ? v : undefined;
			case 7:
				// An unchecked box reads as empty (FAQ: an unset checkbox looks the same as false).
				return v === true ? true : undefined;
			case 3:
			case 13:
				return typeof v === 'string' && v !== '' ? v : undefined;
			case 4:
				return Array.isArray(v) && v.length > 0 ? v : undefined;
			case 11: {
				const people = ((v as Array<{ id: string }> | undefined) ?? [])
					.map((p) => this.person(p.id, idType))
					.filter((p) => p !== undefined);
				return people.length > 0 ? people : undefined;
			}
			case 15:
				return isObject(v) ? { link: v.link, text: v.text } : undefined;
			case 17: {
				const files = ((v as Array<{ file_token: string }> | undefined) ?? []).flatMap((f) => {
					const m = this.media.get(f.file_token);
					if (!m) return [];
					return [
						{
							file_token: f.file_token,
							name: m.fileName,
							type: m.mimeType,
							size: m.bytes.length,
							url: `${this.fake.url}/open-apis/drive/v1/medias/${f.file_token}/download`,
							tmp_url: `${this.fake.url}/open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=${f.file_token}`,
						},
					];
				});
				return files.length > 0 ? files : undefined;
			}
			case 18:
			case 21:
				return Array.isArray(v) && v.length > 0 ? { link_record_ids: v } : undefined;
			case 22:
				return typeof v === 'string' ? this.location(v) : undefined;
			case 23: {
				const chats = ((v as Array<{ id: string }> | undefined) ?? []).map((c) => ({
					id: c.id,
					name: this.fake.im.chats.get(c.id)?.name ?? c.id,
					avatar_url: '',
				}));
				return chats.length > 0 ? chats : undefined;
			}
			case 20: {
				// The sandbox's formula: Count * 2 ({type: <base type>, value: [...]}).
				const count = this.byName(table, 'Count');
				const n = count ? record.fields[count.field_name] : undefined;
				return typeof n === 'number' ? { type: 2, value: [n * 2] } : undefined;
			}
			case 1001:
				return record.created_time;
			case 1002:
				return record.last_modified_time;
			case 1003:
			case 1004: {
				const p = record.created_by ? this.person(record.created_by, idType) : undefined;
				return p ? [p] : undefined;
			}
			case 1005:
				return String(record.auto_number);
			default:
				return undefined;
		}
	}

	private location(lngLat: string): Record<string, string> {
		// Invented reverse geocoding: every point is "somewhere in Dongcheng, Beijing".
		return {
			location: lngLat,
			pname: '北京市',
			cityname: '北京市',
			adname: '东城区',
			address: '东长安街',
			name: '天安门广场',
			full_address: '北京市东城区东长安街天安门广场',
		};
	}

	private readRecord(
		table: BitableTable,
		record: BitableRecord,
		options: { idType: string; fieldNames?: Set<string>; automatic?: boolean; sharedUrl?: boolean },
	): Record<string, unknown> {
		const fields: Record<string, unknown> = {};
		for (const field of table.fields) {
			if (options.fieldNames && !options.fieldNames.has(field.field_name)) continue;
			const value = this.readValue(table, field, record, options.idType);
			if (value !== undefined) fields[field.field_name] = value;
		}
		const out: Record<string, unknown> = { record_id: record.record_id, fields };
		if (options.automatic) {
			const creator = record.created_by
				? this.person(record.created_by, options.idType)
				: undefined;
			Object.assign(out, {
				created_time: record.created_time,
				last_modified_time: record.last_modified_time,
				...(creator ? { created_by: creator, last_modified_by: creator } : {}),
			});
		}
		if (options.sharedUrl) out.shared_url = `https://sandbox.feishu.cn/record/${record.record_id}`;
		return out;
	}

	// ----- Search: filter and sort.

	/** The cell as plain values for filtering: strings for text-like fields, numbers, booleans, or a list of IDs/names. */
	private cell(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
		idType: string,
	): string | number | boolean | string[] | undefined {
		const v = record.fields[field.field_name];
		switch (field.type) {
			case 1:
			case 13:
				return typeof v === 'string' && v !== '' ? v : undefined;
			case 15:
				return isObject(v) ? String(v.text) : undefined; // "filter by display name"
			case 22:
				return typeof v === 'string' ? this.location(v).full_address : undefined;
			case 1005:
				return String(record.auto_number);
			case 2:
			case 5:
				return typeof v === 'number' ? v : undefined;
			case 1001:
				return record.created_time;
			case 1002:
				return record.last_modified_time;
			case 7:
				return v === true;
			case 3:
				return typeof v === 'string' ? [v] : [];
			case 4:
			case 18:
			case 21:
				return Array.isArray(v) ? (v as string[]) : [];
			case 11:
				return ((v as Array<{ id: string }> | undefined) ?? []).map((p) =>
					String(this.person(p.id, idType)?.id ?? p.id),
				);
			case 23:
				return ((v as Array<{ id: string }> | undefined) ?? []).map((c) => c.id);
			case 17:
				return ((v as Array<{ file_token: string }> | undefined) ?? []).map((f) => f.file_token);
			case 1003:
			case 1004:
				return record.created_by ? [String(this.person(record.created_by, idType)?.id)] : [];
			case 20: {
				const n = this.readValue(table, field, record, idType) as { value: number[] } | undefined;
				return n?.value[0];
			}
			default:
				return undefined;
		}
	}

	/** A date filter value as a day range [from, to) in the base's time zone. */
	private dateRange(values: string[], operator: string): [number, number] | undefined {
		const dayStart = (ms: number) => Math.floor((ms + ZONE_OFFSET) / DAY) * DAY - ZONE_OFFSET;
		const today = dayStart(Date.now());
		const [tag, arg] = values;
		if (tag === 'ExactDate') {
			if (values.length !== 2 || !/^-?\d+$/.test(arg ?? '')) return undefined;
			const start = dayStart(Number(arg));
			return [start, start + DAY];
		}
		if (values.length !== 1) return undefined;
		const days: Record<string, number> = { Today: 0, Tomorrow: 1, Yesterday: -1 };
		if (tag in days) return [today + days[tag] * DAY, today + (days[tag] + 1) * DAY];
		// CurrentWeek and the rest: "is" only.
		if (operator !== 'is') return undefined;
		const local = new Date(today + ZONE_OFFSET);
		const weekStart = today - ((local.getUTCDay() + 6) % 7) * DAY;
		const monthStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - ZONE_OFFSET;
		const nextMonthStart =
			Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - ZONE_OFFSET;
		const lastMonthStart =
			Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - ZONE_OFFSET;
		const ranges: Record<string, [number, number]> = {
			CurrentWeek: [weekStart, weekStart + 7 * DAY],
			LastWeek: [weekStart - 7 * DAY, weekStart],
			CurrentMonth: [monthStart, nextMonthStart],
			LastMonth: [lastMonthStart, monthStart],
			TheLastWeek: [today - 7 * DAY, today + DAY],
			TheNextWeek: [today, today + 8 * DAY],
			TheLastMonth: [today - 30 * DAY, today + DAY],
			TheNextMonth: [today, today + 31 * DAY],
		};
		return ranges[tag];
	}

	private condition(
		table: BitableTable,
		c: Record<string, unknown>,
		idType: string,
	): ((r: BitableRecord) => boolean) | Answer {
		const invalid = fail(1254018, 'InvalidFilter');
		if (typeof c.field_name !== 'string') return invalid;
		const field = this.byName(table, c.field_name);
		if (!field) return fail(1254045, 'FieldNameNotFound');
		const op = String(c.operator);
		if (!OPERATORS.has(op)) return invalid;
		// "For an empty value you must send value: []"; at most 10 values.
		if (!Array.isArray(c.value) || c.value.length > 10) return invalid;
		const values = c.value as string[];
		// "目前暂不支持公式或查找引用的字段类型作为筛选条件".
		if (field.type === 19 || field.type === 20 || field.type === 24 || field.type === 3001)
			return invalid;
		const get = (r: BitableRecord) => this.cell(table, field, r, idType);
		const date = field.type === 5 || field.type === 1001 || field.type === 1002;
		if (date && !DATE_OPERATORS.has(op)) return invalid;
		if (field.type === 7) {
			if (op !== 'is' || values.length !== 1 || (values[0] !== 'true' && values[0] !== 'false'))
				return invalid;
			return (r) => get(r) === (values[0] === 'true');
		}
		const empty = (v: ReturnType<typeof get>) =>
			v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
		if (op === 'isEmpty') return (r) => empty(get(r));
		if (op === 'isNotEmpty') return (r) => !empty(get(r));
		if (field.type === 17) return invalid; // attachments: isEmpty / isNotEmpty only
		if (values.length === 0) return invalid;
		if (date) {
			const range = this.dateRange(values, op);
			if (!range) return invalid;
			const [from, to] = range;
			const test = {
				is: (n: number) => n >= from && n < to,
				isGreater: (n: number) => n >= to,
				isLess: (n: number) => n < from,
			}[op as 'is' | 'isGreater' | 'isLess'];
			return (r) => {
				const n = get(r);
				return typeof n === 'number' && test(n);
			};
		}
		const list = [3, 4, 11, 18, 21, 23, 1003, 1004].includes(field.type);
		if (list) {
			if (
				(field.type === 3 || field.type === 4) &&
				(op === 'is' || op === 'isNot') &&
				values.length !== 1
			)
				return invalid;
			if (!['is', 'isNot', 'contains', 'doesNotContain'].includes(op)) return invalid;
			const is = (cell: string[]) =>
				cell.length === new Set(values).size && values.every((v) => cell.includes(v));
			const contains = (cell: string[]) => values.some((v) => cell.includes(v));
			const test = {
				is,
				isNot: (x: string[]) => !is(x),
				contains,
				doesNotContain: (x: string[]) => !contains(x),
			}[op as 'is' | 'isNot' | 'contains' | 'doesNotContain'];
			return (r) => test(get(r) as string[]);
		}
		// Text-like and number fields: one string value.
		const wanted = values[0];
		const numeric = field.type === 2;
		if (numeric && !Number.isFinite(Number(wanted))) return invalid;
		const compare = (v: string | number): number =>
			typeof v === 'number' ||
			(Number.isFinite(Number(v)) && Number.isFinite(Number(wanted)) && String(v).trim() !== '')
				? Number(v) - Number(wanted)
				: String(v).localeCompare(wanted);
		return (r) => {
			const v = get(r) as string | number | undefined;
			switch (op) {
				case 'is':
					return v !== undefined && (numeric ? Number(v) === Number(wanted) : String(v) === wanted);
				case 'isNot':
					return v === undefined || (numeric ? Number(v) !== Number(wanted) : String(v) !== wanted);
				case 'contains':
					return (
						v !== undefined && values.some((w) => String(v).toLowerCase().includes(w.toLowerCase()))
					);
				case 'doesNotContain':
					return (
						v === undefined ||
						!values.some((w) => String(v).toLowerCase().includes(w.toLowerCase()))
					);
				case 'isGreater':
					return v !== undefined && compare(v) > 0;
				case 'isGreaterEqual':
					return v !== undefined && compare(v) >= 0;
				case 'isLess':
					return v !== undefined && compare(v) < 0;
				default:
					return v !== undefined && compare(v) <= 0;
			}
		};
	}

	private filter(
		table: BitableTable,
		filter: Record<string, unknown>,
		idType: string,
	): ((r: BitableRecord) => boolean) | Answer {
		if (JSON.stringify(filter).length > 2000)
			return fail(1254107, 'Filter长度超限, 限制2,000个字符');
		const group = (
			g: Record<string, unknown>,
			top: boolean,
		): ((r: BitableRecord) => boolean) | Answer => {
			if (g.conjunction !== 'and' && g.conjunction !== 'or') return fail(1254018, 'InvalidFilter');
			const conditions = (g.conditions as Array<Record<string, unknown>> | undefined) ?? [];
			if (conditions.length > 50) return fail(1254018, 'InvalidFilter');
			const tests: Array<(r: BitableRecord) => boolean> = [];
			for (const c of conditions) {
				const t = this.condition(table, c, idType);
				if (isAnswer(t)) return t;
				tests.push(t);
			}
			if (g.children !== undefined) {
				if (!top) return fail(1254018, 'InvalidFilter');
				for (const child of g.children as Array<Record<string, unknown>>) {
					const t = group(child, false);
					if (isAnswer(t)) return t;
					tests.push(t);
				}
			}
			return g.conjunction === 'and'
				? (r) => tests.every((t) => t(r))
				: (r) => tests.length === 0 || tests.some((t) => t(r));
		};
		return group(filter, true);
	}

	private sortKey(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
	): number | string | undefined {
		const c = this.cell(table, field, record, 'open_id');
		if (c === undefined) return undefined;
		if (typeof c === 'boolean') return c ? 1 : 0;
		if (typeof c === 'number') return c;
		if (field.type === 1005) return Number(c);
		if (Array.isArray(c)) {
			if (c.length === 0) return undefined;
			if (field.type === 3 || field.type === 4) {
				const options = (field.property?.options as Array<{ name: string }> | undefined) ?? [];
				return options.findIndex((o) => o.name === c[0]);
			}
			return c.join(',');
		}
		return c;
	}

	// ----- Writes: client_token and the per-table write conflict.

	/**
	 * Runs a write to one table. With a client_token (uuidv4), a repeat of the same request answers the first
	 * answer again and writes nothing; the same token with another request is a conflict (1255006). A write that
	 * arrives while another write to the same table is still in flight answers 1254291, unless
	 * ignore_consistency_check=true (the documented way out). The in-flight window is the fake's answer latency.
	 */
	private write(
		key: string,
		request: {
			params: Record<string, string>;
			query: Record<string, string>;
			body: Record<string, unknown>;
		},
		run: (base: BitableBase, table: BitableTable) => Answer,
	): Answer {
		const found = this.locate(request.params);
		if (isAnswer(found)) return found;
		const { base, table } = found as { base: BitableBase; table: BitableTable };
		const token = request.query.client_token;
		let signature = '';
		if (token !== undefined) {
			if (!UUID_V4.test(token))
				return fail(1254037, 'Invalid client token, please use uuidv4.', 400);
			const { client_token: _token, ...query } = request.query;
			signature = JSON.stringify({ key, params: request.params, query, body: request.body });
			const seen = this.clientTokens.get(token);
			if (seen) {
				if (seen.signature !== signature)
					return fail(
						1255006,
						'Client token conflict, please generate a new client token and try again.',
						400,
					);
				this.duplicatesAbsorbed++;
				return structuredClone(seen.answer);
			}
		}
		const now = Date.now();
		// 2 ms of slack: the answer's latency timer may fire a hair before Date.now() reaches busyUntil.
		if (request.query.ignore_consistency_check !== 'true' && now < table.busyUntil - 2) {
			this.writeConflicts++;
			return fail(1254291, 'Write conflict');
		}
		table.busyUntil = Math.max(table.busyUntil, now + this.fake.faults.latencyMs);
		const answer = run(base, table);
		const succeeded = (answer.body as { code?: number })?.code === 0;
		if (succeeded) table.revision++;
		if (token !== undefined && succeeded)
			this.clientTokens.set(token, { signature, answer: structuredClone(answer) });
		return answer;
	}

	private newRecord(table: BitableTable): BitableRecord {
		const now = Date.now();
		let id = `rec${alnum(10)}`;
		while (table.records.has(id)) id = `rec${alnum(10)}`;
		return {
			record_id: id,
			fields: {},
			created_time: now,
			last_modified_time: now,
			auto_number: table.nextAutoNumber++,
		};
	}

	private createRecords(
		base: BitableBase,
		table: BitableTable,
		bodies: unknown[],
		idType: string,
	): BitableRecord[] | Answer {
		if (bodies.length > 1000) return fail(1254104, 'RecordAddOnceExceedLimit');
		if (table.records.size + bodies.length > 20_000) return fail(1254103, 'RecordExceedLimit');
		const plan: WritePlan = { newOptions: new Map() };
		const checked: Array<Map<string, unknown>> = [];
		for (const fields of bodies) {
			const values = this.writeFields(base, table, fields, idType, plan);
			if (isAnswer(values)) return values;
			checked.push(values);
		}
		this.applyPlan(plan);
		return checked.map((values) => {
			const record = this.newRecord(table);
			this.setFields(record, values);
			table.records.set(record.record_id, record);
			return record;
		});
	}

	private updateRecords(
		base: BitableBase,
		table: BitableTable,
		updates: Array<{ record_id: unknown; fields: unknown }>,
		idType: string,
	): BitableRecord[] | Answer {
		if (updates.length > 1000) return fail(1254104, 'RecordAddOnceExceedLimit');
		const plan: WritePlan = { newOptions: new Map() };
		const checked: Array<[BitableRecord, Map<string, unknown>]> = [];
		for (const u of updates) {
			const record = table.records.get(String(u.record_id));
			if (!record) return fail(1254043, 'RecordIdNotFound');
			const values = this.writeFields(base, table, u.fields, idType, plan);
			if (isAnswer(values)) return values;
			checked.push([record, values]);
		}
		this.applyPlan(plan);
		for (const [record, values] of checked) this.setFields(record, values);
		return checked.map(([record]) => record);
	}

	private deleteRecords(base: BitableBase, table: BitableTable, ids: string[]): Answer | undefined {
		if (ids.length > 500) return fail(1254104, 'RecordAddOnceExceedLimit');
		if (!ids.every((id) => table.records.has(id))) return fail(1254043, 'RecordIdNotFound');
		for (const id of ids) table.records.delete(id);
		// Links to deleted records disappear from the cells that held them.
		for (const t of base.tables.values()) {
			for (const field of t.fields.filter(
				(f) =>
					(f.type === 18 || f.type === 21) &&
					(f.property?.table_id ?? t.table_id) === table.table_id,
			)) {
				for (const r of t.records.values()) {
					const links = r.fields[field.field_name];
					if (Array.isArray(links)) {
						const kept = links.filter((id) => !ids.includes(id as string));
						if (kept.length === 0) delete r.fields[field.field_name];
						else r.fields[field.field_name] = kept;
					}
				}
			}
		}
		return undefined;
	}

	/** Checks a field definition (create field, create table); returns an error answer or undefined. */
	private checkDefinition(
		base: BitableBase,
		d: FieldDefinition,
		taken: Set<string>,
	): Answer | undefined {
		const name = d.field_name.trim();
		if (name === '') return fail(1254028, 'EmptyFieldName');
		if (taken.has(name)) return fail(1254014, 'FieldNameDuplicated');
		if (!CREATABLE.has(d.type)) return fail(1254012, 'NotSupportFieldOrView');
		if (d.ui_type !== undefined && !(UI_TYPE_OF[d.type] ?? []).includes(d.ui_type))
			return fail(1254012, 'NotSupportFieldOrView');
		if ((d.type === 3 || d.type === 4) && d.property?.options !== undefined) {
			const options = d.property.options;
			if (
				!Array.isArray(options) ||
				options.some((o) => !isObject(o) || typeof o.name !== 'string' || o.name.trim() === '')
			)
				return fail(1254026, 'EmptyOptionName');
		}
		if ((d.type === 18 || d.type === 21) && !base.tables.has(String(d.property?.table_id)))
			return fail(1254041, 'TableIdNotFound');
		return undefined;
	}

	private fieldItem(f: BitableField): Record<string, unknown> {
		return {
			field_id: f.field_id,
			field_name: f.field_name,
			type: f.type,
			ui_type: f.ui_type,
			is_primary: f.is_primary,
			is_hidden: f.is_hidden,
			property: f.property ?? null,
			...(f.description ? { description: f.description } : {}),
		};
	}

	handlers(): Record<string, Handler> {
		const idTypeOf = (v: unknown) => (typeof v === 'string' ? v : 'open_id');
		return {
			'feishu.bitableRecord.search': ({ params, query, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				const idType = idTypeOf(query.user_id_type);
				const size = query.page_size === undefined ? 20 : Number(query.page_size);
				if (size < 1 || size > 500) return fail(1254011, 'Page size must greater than 0.', 400);
				if (body.view_id !== undefined && !table.views.some((v) => v.view_id === body.view_id))
					return fail(1254042, 'ViewIdNotFound');
				const names = body.field_names as string[] | undefined;
				if (names && !names.every((n) => this.byName(table, n)))
					return fail(1254045, 'FieldNameNotFound');
				let all = [...table.records.values()];
				if (body.filter !== undefined) {
					const test = this.filter(table, body.filter as Record<string, unknown>, idType);
					if (isAnswer(test)) return test;
					all = all.filter(test);
				}
				const sort =
					(body.sort as Array<{ field_name?: string; desc?: boolean }> | undefined) ?? [];
				if (sort.length > 100) return fail(1254016, 'InvalidSort');
				if (JSON.stringify(sort).length > 1000)
					return fail(1254108, 'Sort长度超限, 限制1,000个字符');
				const keys: Array<{ field: BitableField; desc: boolean }> = [];
				for (const s of sort) {
					if (typeof s.field_name !== 'string') return fail(1254016, 'InvalidSort');
					const field = this.byName(table, s.field_name);
					if (!field) return fail(1254045, 'FieldNameNotFound');
					keys.push({ field, desc: s.desc === true });
				}
				if (keys.length > 0) {
					all = all
						.map((r, i) => ({ r, i }))
						.sort((a, b) => {
							for (const { field, desc } of keys) {
								const x = this.sortKey(table, field, a.r);
								const y = this.sortKey(table, field, b.r);
								if (x === y) continue;
								if (x === undefined) return 1; // empty cells last
								if (y === undefined) return -1;
								const order =
									typeof x === 'number' && typeof y === 'number'
										? x - y
										: String(x).localeCompare(String(y));
								if (order !== 0) return desc ? -order : order;
							}
							return a.i - b.i;
						})
						.map(({ r }) => r);
				}
				const p = this.page(all, query, 20, 500);
				if (isAnswer(p)) return p;
				const fieldNames = names ? new Set(names) : undefined;
				return ok({
					...p,
					items: p.items.map((r) =>
						this.readRecord(table, r, {
							idType,
							fieldNames,
							automatic: body.automatic_fields === true,
						}),
					),
				});
			},
			'feishu.bitableRecord.batchGet': ({ params, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				const ids = body.record_ids as string[];
				if (ids.length > 100) {
					this.fake.violations.push(
						`feishu.bitableRecord.batchGet: at most 100 record_ids per call, got ${ids.length}`,
					);
					return fail(1254001, 'WrongRequestBody');
				}
				const idType = idTypeOf(body.user_id_type);
				const records = ids
					.filter((id) => table.records.has(id))
					.map((id) =>
						this.readRecord(table, table.records.get(id)!, {
							idType,
							automatic: body.automatic_fields === true,
							sharedUrl: body.with_shared_url === true,
						}),
					);
				return ok({
					records,
					forbidden_record_ids: [],
					absent_record_ids: ids.filter((id) => !table.records.has(id)),
				});
			},
			'feishu.bitableRecord.create': (request) =>
				this.write('feishu.bitableRecord.create', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const created = this.createRecords(base, table, [request.body.fields], idType);
					if (isAnswer(created)) return created;
					return ok({ record: this.readRecord(table, created[0], { idType }) });
				}),
			'feishu.bitableRecord.batchCreate': (request) =>
				this.write('feishu.bitableRecord.batchCreate', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const created = this.createRecords(
						base,
						table,
						(request.body.records as Array<{ fields: unknown }>).map((r) => r.fields),
						idType,
					);
					if (isAnswer(created)) return created;
					return ok({ records: created.map((r) => this.readRecord(table, r, { idType })) });
				}),
			'feishu.bitableRecord.update': (request) =>
				this.write('feishu.bitableRecord.update', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const updated = this.updateRecords(
						base,
						table,
						[{ record_id: request.params.record_id, fields: request.body.fields }],
						idType,
					);
					if (isAnswer(updated)) return updated;
					return ok({ record: this.readRecord(table, updated[0], { idType }) });
				}),
			'feishu.bitableRecord.batchUpdate': (request) =>
				this.write('feishu.bitableRecord.batchUpdate', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const updated = this.updateRecords(
						base,
						table,
						request.body.records as Array<{ record_id: unknown; fields: unknown }>,
						idType,
					);
					if (isAnswer(updated)) return updated;
					return ok({ records: updated.map((r) => this.readRecord(table, r, { idType })) });
				}),
			'feishu.bitableRecord.delete': (request) =>
				this.write('feishu.bitableRecord.delete', request, (base, table) => {
					const bad = this.deleteRecords(base, table, [request.params.record_id]);
					return bad ?? ok({ deleted: true, record_id: request.params.record_id });
				}),
			'feishu.bitableRecord.batchDelete': (request) =>
				this.write('feishu.bitableRecord.batchDelete', request, (base, table) => {
					const ids = request.body.records as string[];
					const bad = this.deleteRecords(base, table, ids);
					return bad ?? ok({ records: ids.map((id) => ({ deleted: true, record_id: id })) });
				}),
			'feishu.bitableTable.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const p = this.page(
					[...found.base.tables.values()].map((t) => ({
						table_id: t.table_id,
						revision: t.revision,
						name: t.name,
					})),
					query,
					20,
					100,
				);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableTable.create': ({ params, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const { base } = found;
				const t = body.table as {
					name: string;
					default_view_name?: string;
					fields?: FieldDefinition[];
				};
				const name = t.name.trim();
				if ([...base.tables.values()].some((x) => x.name === name))
					return fail(1254013, 'TableNameDuplicated');
				// "数据表与仪表盘的总数量上限为 100".
				if (base.tables.size >= 100) return fail(1254100, 'TableExceedLimit');
				if (t.default_view_name !== undefined && t.default_view_name.trim() === '')
					return fail(1254021, 'EmptyViewName');
				const definitions =
					t.fields && t.fields.length > 0 ? t.fields : [{ field_name: 'Text', type: 1 }];
				const taken = new Set<string>();
				for (const d of definitions) {
					const bad = this.checkDefinition(base, d, taken);
					if (bad) return bad;
					taken.add(d.field_name.trim());
				}
				const view: BitableView = {
					view_id: `vew${alnum(7)}`,
					view_name: t.default_view_name ?? 'Grid',
					view_type: 'grid',
				};
				const table = this.addTable(
					base.app_token,
					name,
					definitions.map(({ field_name, type, ui_type, property, description }) => ({
						field_name,
						type,
						ui_type,
						property,
						description,
					})),
					{ views: [view] },
				);
				return ok({
					table_id: table.table_id,
					default_view_id: view.view_id,
					field_id_list: table.fields.map((f) => f.field_id),
				});
			},
			'feishu.bitableTable.delete': ({ params }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				if (found.base.tables.size <= 1) return fail(1254034, 'The last table cannot be deleted.');
				found.base.tables.delete(params.table_id);
				return ok({});
			},
			'feishu.bitableView.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const views = found.table!.views.map((v) => ({
					view_id: v.view_id,
					view_name: v.view_name,
					view_type: v.view_type,
					view_public_level: 'Public',
				}));
				const p = this.page(views, query, 20, 100);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableField.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				if (query.view_id !== undefined && !table.views.some((v) => v.view_id === query.view_id))
					return fail(1254042, 'ViewIdNotFound');
				const p = this.page(
					table.fields.map((f) => this.fieldItem(f)),
					query,
					20,
					100,
				);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableField.create': (request) =>
				this.write('feishu.bitableField.create', request, (base, table) => {
					const d = request.body as unknown as FieldDefinition;
					const bad = this.checkDefinition(base, d, new Set(table.fields.map((f) => f.field_name)));
					if (bad) return bad;
					const field = this.newField(table, d, false);
					table.fields.push(field);
					return ok({ field: this.fieldItem(field) });
				}),
			'feishu.bitableMedia.upload': ({ body }) => {
				const file = body.file as { filename?: string; contentType?: string; bytes: Buffer };
				const fileName = String(body.file_name);
				const size = Number(body.size);
				if (fileName.length > 250) return fail(1061002, 'params error.');
				if (size > MAX_MEDIA) return fail(1061043, 'file size beyond limit.');
				if (size !== file.bytes.length) return fail(1062009, 'size mismatch.');
				if (body.checksum !== undefined && String(body.checksum) !== String(adler32(file.bytes)))
					return fail(1062008, 'checksum invalid.');
				if (body.extra !== undefined) {
					try {
						if (!isObject(JSON.parse(String(body.extra)))) return fail(1061002, 'params error.');
					} catch {
						return fail(1061002, 'params error.');
					}
				}
				const parentType = String(body.parent_type);
				const parentNode = String(body.parent_node);
				if (parentType.startsWith('bitable_')) {
					// "传入多维表格的唯一标识 app_token".
					const base = this.bases.get(parentNode);
					if (!base) return fail(1061044, 'parent node not exist.');
					if (!base.collaborator) return fail(1061004, 'forbidden.', 403);
				}
				const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
				const partType =
					file.contentType && file.contentType !== 'application/octet-stream'
						? file.contentType
						: undefined;
				const token = `box${alnum(24)}`;
				this.media.set(token, {
					bytes: file.bytes,
					fileName,
					mimeType: partType ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
					appToken: parentNode,
					parentType,
				});
				return ok({ file_token: token });
			},
			'feishu.bitableMedia.download': ({ params, query }) => {
				const media = this.media.get(params.file_token);
				// Not documented in the research file: an unknown token answers 404 (not a 200 that a client would save as the file).
				if (!media) return fail(1061003, 'not found.', 404);
				if (this.bases.get(media.appToken)?.collaborator === false)
					return fail(1061004, 'forbidden.', 403);
				if (query.extra !== undefined) {
					try {
						JSON.parse(query.extra);
					} catch {
						return fail(1061002, 'params error.', 400);
					}
				}
				const ascii = /^[\x20-\x7e]*$/.test(media.fileName) && !media.fileName.includes('"');
				const disposition = ascii
					? `attachment; filename="${media.fileName}"`
					: `attachment; filename="${encodeURIComponent(media.fileName)}"; filename*=UTF-8''${encodeURIComponent(media.fileName)}`;
				return {
					status: 200,
					bytes: media.bytes,
					headers: { 'Content-Type': media.mimeType, 'Content-Disposition': disposition },
					body: undefined,
				};
			},
			'feishu.wiki.getNode': ({ query }) => {
				const objType = query.obj_type ?? 'wiki';
				const node =
					objType === 'wiki'
						? this.wikiNodes.get(query.token)
						: [...this.wikiNodes.values()].find(
								(n) => n.obj_token === query.token && n.obj_type === objType,
							);
				if (!node) return fail(131005, 'not found');
				return ok({
					node: {
						space_id: node.space_id,
						node_token: node.node_token,
						obj_token: node.obj_token,
						obj_type: node.obj_type,
						parent_node_token: '',
						node_type: 'origin',
						origin_node_token: node.node_token,
						origin_space_id: node.space_id,
						has_child: false,
						title: node.title,
						obj_create_time: '1735693200',
						obj_edit_time: '1735693200',
						node_create_time: '1735693200',
						creator: 'ou_1',
						owner: 'ou_1',
						node_creator: 'ou_1',
					},
				});
			},
		};
	}
}
