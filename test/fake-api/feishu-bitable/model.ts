/** The fake Bitable's state: bases, tables, fields, views, records, media and wiki nodes, the sandbox's IDs, and small helpers. */
import { randomBytes } from 'crypto';

import type { Answer } from '../server';

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

export interface WikiNode {
	space_id: string;
	node_token: string;
	obj_token: string;
	obj_type: string;
	title: string;
	/** '' at the top of its space. */
	parent_node_token?: string;
	node_type?: 'origin' | 'shortcut';
	origin_node_token?: string;
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
export const READ_ONLY = new Set([19, 20, 24, 1001, 1002, 1003, 1004, 1005, 3001]);
/** Types the create-field page accepts ("不支持新增 19 查找引用字段类型"). */
export const CREATABLE = new Set([
	1, 2, 3, 4, 5, 7, 11, 13, 15, 17, 18, 20, 21, 22, 23, 1001, 1002, 1003, 1004, 1005,
]);
export const UI_TYPE_OF: Record<number, string[]> = {
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
export const OPERATORS = new Set([
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
export const DATE_OPERATORS = new Set(['is', 'isEmpty', 'isNotEmpty', 'isGreater', 'isLess']);
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const MAX_MEDIA = 20_971_520;
export const DAY = 86_400_000;
/** Date filters count days in the document's time zone ("文档时区当天的零点"); the fake's bases are in UTC+8. */
export const ZONE_OFFSET = 8 * 3600_000;

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const alnum = (n: number): string =>
	[...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
export const logId = () => randomBytes(6).toString('hex');
export const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
/** Business errors: HTTP 200 unless the pages give another status. */
export const fail = (code: number, msg: string, status = 200): Answer => ({
	status,
	body: { code, msg, error: { log_id: logId() } },
});
export const isAnswer = (x: unknown): x is Answer =>
	typeof (x as Answer)?.status === 'number' && 'body' in (x as object);
export const forbidden = (): Answer => ({
	status: 403,
	body: { code: 91403, msg: 'Forbidden', error: { log_id: logId() } },
});
export const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
export const onlyKeys = (v: Record<string, unknown>, keys: string[]) =>
	Object.keys(v).every((k) => keys.includes(k));

/** The drive's Adler-32 checksum of an upload. */
export function adler32(bytes: Buffer): number {
	let a = 1;
	let b = 0;
	for (const byte of bytes) {
		a = (a + byte) % 65521;
		b = (b + a) % 65521;
	}
	return ((b << 16) | a) >>> 0;
}

export const MIME_BY_EXTENSION: Record<string, string> = {
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
export interface WritePlan {
	newOptions: Map<BitableField, Set<string>>;
}
