import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { lookup } from '../../../shared/lookup';
import { platformError } from '../../../shared/errors';
import { pacingClock } from '../../../shared/pacing';
import { oneAtATime } from '../../../shared/serial';
import type { ParamReader } from '../../../shared/params';
import type { ErrorMeanings, OperationStep } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';

/**
 * Drive (云空间) basics: the folder and file pickers, links into tokens (a wiki link resolved to its
 * document), the documented error codes, Drive's one-at-a-time rule and the polling of its tasks.
 * Sources: docs/research/feishu-drive.md (the drive-v1 pages, cited there as S1–S46).
 */

/** What a Drive token names (the `type` of copy, move, delete and the metadata query). */
export const DOC_TYPES = [
	'file',
	'docx',
	'doc',
	'sheet',
	'bitable',
	'mindnote',
	'slides',
	'folder',
	'shortcut',
	'wiki',
	'minutes',
] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The documented link forms (云文档常见问题 Q7: "token 为以下示例中红色部分"): folder, file, old doc, docx,
 * sheet, base and wiki node. A wiki link names a node, whose document is looked up (get_node).
 */
const LINK_TYPES: Record<string, DocType> = {
	'drive/folder': 'folder',
	file: 'file',
	docs: 'doc',
	docx: 'docx',
	sheets: 'sheet',
	base: 'bitable',
	wiki: 'wiki',
};
const LINK_PATH = /^\/(drive\/folder|file|docs|docx|sheets|base|wiki)\/([A-Za-z0-9_-]+)\/?$/;
/** n8n wraps a locator's validation pattern in ^…$. */
const LINK_PATTERN =
	'https?://[^/]+/(drive/folder|file|docs|docx|sheets|base|wiki)/[A-Za-z0-9_-]+.*';
const FOLDER_LINK_PATTERN = 'https?://[^/]+/drive/folder/[A-Za-z0-9_-]+.*';

export function parseDriveLink(
	text: string,
): { token: string; type: DocType | 'wiki' } | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	const match = LINK_PATH.exec(url.pathname);
	if (!match || (match[1] === 'wiki' && match[2] === 'settings')) return undefined;
	return { token: match[2], type: LINK_TYPES[match[1]] };
}

const SHARE_HINT_SHORT =
	'An app sees only what was shared with it (a document: … › Add Document App; a folder: shared with a group the app is a bot in).';

export const SHARE_HINT =
	'An app sees only what was shared with it: add the app as a bot to a group chat, and share the folder with that group (adding the app itself as a folder collaborator gives it nothing). A document can also be shared with the app through its … menu › Add Document App (添加文档应用).';

/** Errors every Drive file API documents (upload, download, list, folder, copy, move, delete). */
export const DRIVE_ERRORS: ErrorMeanings = {
	'1061001': 'Feishu had an internal error. Retry later.',
	'1061002':
		'A parameter is invalid (for an upload: the size, or the request was not multipart/form-data).',
	'1061003': 'Not found: the file, folder or upload does not exist.',
	'1061004':
		'Forbidden: the identity has no permission on the file or folder (uploading, creating and moving need edit permission on the folder). An app sees only what was shared with it: add the app as a bot to a group and share the folder with that group.',
	'1061005': 'Authentication failed.',
	'1061007': 'The file or folder has been deleted.',
	'1061021':
		'The upload session expired (it lasts 24 hours). Upload the file again from the start.',
	'1061022': 'File version conflict. Try again.',
	'1061041': 'The parent folder has been deleted.',
	'1061042': 'The parent folder is out of limits.',
	'1061043': 'The file is too large for this API.',
	'1061044': 'The parent folder does not exist.',
	'1061045':
		'Drive is busy (resource contention, or more than 5 calls a second): Drive takes its changes one at a time. Retry later.',
	'1061061': "The user's Drive quota is used up.",
	'1061073': 'The identity has no scope for this API.',
	'1061101': "The tenant's Drive quota is used up.",
	'1061109': 'The file name did not pass the content check.',
	'1061500': 'The mount point is not available.',
	'1062007':
		'The upload belongs to another identity: finish an upload with the identity that began it.',
	'1062008': "A part's checksum did not match its bytes.",
	'1062009': 'The bytes sent differ from the size declared.',
	'1062010': 'A part of the upload is missing.',
	'1062011': 'A part number is out of range.',
	'1062501': 'No permission to operate on this item.',
	'1062502': 'No permission on an item inside the folder.',
	'1062505': 'The Drive holds its maximum of 400,000 items.',
	'1062506': 'Folders can be nested at most 15 deep.',
	'1062507': 'The folder is full: one folder holds at most 1,500 items.',
	'1062524': 'No permission on the source folder.',
	'1062535': 'No permission on the destination folder.',
	'1064001': 'The page size is out of range (at most 200).',
	'1064230': 'The file is locked for a data migration. Try again later.',
	'1064510': 'Copying across tenants or units is not supported.',
	'1064511': 'Copying across brands (Feishu and Lark) is not supported.',
	'1065200': 'The source item was not found (it may have just been created: try again shortly).',
};

/** The media upload's codes (medias/upload_all: import sources and document images), beside Drive's own. */
export const MEDIA_UPLOAD_ERRORS: ErrorMeanings = {
	...DRIVE_ERRORS,
	'1061006': 'Feishu timed out internally. Retry.',
	'1061008': 'The file name is invalid.',
	'1061042': 'Too much media on this upload point (the block or document).',
	'1061043': 'The file is too large: media can be at most 20 MB.',
	'1061113': 'The file did not pass the content check.',
	'1062004': 'The cover is being generated.',
	'1062005': 'This file type has no cover.',
	'1062006': 'The cover does not exist.',
	'1062012': 'The file is being copied.',
	'1062013': 'The file is damaged.',
	'1062014': 'Deduplication is not supported for this file.',
	'1062051': 'The connection closed during the upload. Retry.',
	'1061547': 'The document holds its maximum of uploaded media.',
	'1061004':
		'Forbidden: the identity needs edit permission on the document or the target. ' +
		SHARE_HINT_SHORT,
};

/** The root folder's page (get-root-folder-meta). */
export const ROOT_FOLDER_ERRORS: ErrorMeanings = {
	'91201': 'Feishu could not get the root folder. Retry later.',
	'91204': 'No permission to read the root folder.',
};

/** The wiki node look-up (get_node) behind a wiki link. */
export const WIKI_LINK_ERRORS: ErrorMeanings = {
	'131001': 'The wiki service failed. Retry.',
	'131002': "The wiki link's token is invalid.",
	'131004': 'The identity is not a valid wiki user.',
	'131005': 'The wiki page was not found, or the document is not in a wiki.',
	'131006':
		'No permission on the wiki page: share the page or its space with the app (or the user) first.',
	'131007': 'The wiki service had an internal error.',
};

/** A picker of Drive folders: From List (the root folder and its folders), By URL, By ID. */
export function folderLocator(options: {
	name: string;
	displayName: string;
	description: string;
	required?: boolean;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchDriveFolders', searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://example.feishu.cn/drive/folder/fldcnqquW1svRIYVT2Np6Iabcef',
				validation: [
					{
						type: 'regex',
						properties: {
							// n8n checks an empty value against the pattern too: an optional folder may be left empty.
							regex:
								options.required === false ? `(?:${FOLDER_LINK_PATTERN})?` : FOLDER_LINK_PATTERN,
							errorMessage: 'Not a Drive folder link (…/drive/folder/…)',
						},
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'fldcnqquW1svRIYVT2Np6Iabcef',
			},
		],
	};
}

/** A file, document, sheet, base or folder: By URL (a wiki link too) or By ID with its type. */
export function itemLocator(
	description: string,
	name = 'file',
	displayName = 'File',
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'url', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://example.feishu.cn/file/boxcnrHpsg1QDqXAAAyachabcef',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: LINK_PATTERN,
							errorMessage:
								'Not a Feishu link to a file, document, sheet, base, folder or wiki page',
						},
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'boxcnrHpsg1QDqXAAAyachabcef',
			},
		],
	};
}

const TYPE_NAMES: Record<DocType, string> = {
	bitable: 'Base (Bitable, 多维表格)',
	doc: 'Document (Old Doc)',
	docx: 'Document (Docx, 新版文档)',
	file: 'File (Uploaded)',
	folder: 'Folder',
	mindnote: 'Mind Note',
	sheet: 'Sheet (电子表格)',
	shortcut: 'Shortcut',
	slides: 'Slides',
	wiki: 'Wiki Page (知识库)',
	minutes: 'Minutes (妙记)',
};

/** What an ID names; a link says it itself. */
export function typeField(allowed: readonly DocType[], name = 'fileType'): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Type',
		name,
		type: 'options',
		options: [...allowed]
			.sort((a, b) => TYPE_NAMES[a].localeCompare(TYPE_NAMES[b]))
			.map((value) => ({ name: TYPE_NAMES[value], value })),
		default: 'file',
		description:
			'What the ID names (Feishu needs the type with the token). A link says it itself, and this is then not used.',
	};
	if (!allowed.includes('file')) property.default = allowed[0];
	return property;
}

/** Wiki nodes already resolved in this execution (one get_node per token and execution). */
const WIKI_NODES = new WeakMap<object, Map<string, Promise<{ token: string; type: string }>>>();

/**
 * The item a field names: its token and type, from a link (a wiki link resolved through get_node to its
 * document) or from an ID and the type field. A type the operation does not take is bad input.
 */
export async function driveItem(
	step: Pick<OperationStep, 'ctx' | 'params' | 'send'>,
	allowed: readonly DocType[],
	field = 'file',
	typeName = 'fileType',
): Promise<{ token: string; type: DocType }> {
	const p: ParamReader = step.params;
	const text = p.requiredString(field);
	let token: string;
	let type: string;
	if (/^https?:\/\//i.test(text)) {
		const link = parseDriveLink(text);
		if (!link)
			p.fail(
				field,
				`not a link to a file, document, sheet, base, folder or wiki page (…/file/…, …/docx/…, …/sheets/…, …/base/…, …/drive/folder/…, …/wiki/…), got "${text}"`,
			);
		// An operation that takes wiki pages themselves (permissions) keeps the node; others want its document.
		if (link.type === 'wiki' && !allowed.includes('wiki')) {
			const node = await resolveWiki(step, link.token);
			token = node.token;
			type = node.type;
		} else {
			token = link.token;
			type = link.type;
		}
	} else {
		if (!TOKEN.test(text))
			p.fail(field, `a token has only letters, digits, "_" and "-", got "${text}"`);
		token = text;
		// An operation of one type has no type field.
		type =
			allowed.length === 1
				? allowed[0]
				: p.choice(typeName, DOC_TYPES, allowed.includes('file') ? 'file' : allowed[0]);
	}
	if (!(allowed as readonly string[]).includes(type))
		p.fail(
			field,
			`names a ${TYPE_NAMES[type as DocType] ?? type}; this operation takes ${allowed.map((t) => TYPE_NAMES[t]).join(', ')}`,
		);
	if (!TOKEN.test(token)) p.fail(field, 'the wiki page resolved to an invalid token');
	return { token, type: type as DocType };
}

/** A wiki node's document (obj_token, obj_type), once per node and execution. */
export async function resolveWiki(
	step: Pick<OperationStep, 'ctx' | 'params' | 'send'>,
	nodeToken: string,
): Promise<{ token: string; type: string }> {
	return await lookup(WIKI_NODES, step.ctx, nodeToken, step.params.itemIndex, async () => {
		const data = await step.send(
			{
				method: 'GET',
				path: '/open-apis/wiki/v2/spaces/get_node',
				qs: { token: nodeToken, obj_type: 'wiki' },
			},
			FEISHU_RATE_LIMITS['bitable.wikiNode'],
			WIKI_LINK_ERRORS,
		);
		const node = (data.node ?? {}) as IDataObject;
		return { token: String(node.obj_token ?? ''), type: String(node.obj_type ?? '') };
	});
}

/** A folder token from a folder picker (a folder link or an ID). */
export function folderToken(p: ParamReader, field: string): string {
	const text = p.requiredString(field);
	if (/^https?:\/\//i.test(text)) {
		const link = parseDriveLink(text);
		if (!link || link.type !== 'folder')
			p.fail(field, `not a folder link (…/drive/folder/<folder_token>), got "${text}"`);
		return link.token;
	}
	if (!TOKEN.test(text))
		p.fail(field, `a folder token has only letters, digits, "_" and "-", got "${text}"`);
	return text;
}

/**
 * Runs one of Drive's node-changing calls (upload, create folder, copy, move, delete) after the ones this
 * process already started for the same identity: their pages say "该接口不支持并发调用" and answer 1061045.
 */
export async function oneDriveChange<T>(step: OperationStep, work: () => Promise<T>): Promise<T> {
	const identity = step.credential('appId') || step.credential('clientId');
	const host = `${step.credential('domain')}\u0000${step.credential('baseUrl')}`;
	return await oneAtATime(`drive\u0000${host}\u0000${identity}`, work);
}

/** How long an asynchronous task (folder move or delete, import, export) is waited for, by default. */
export const TASK_TIMEOUT_S = 300;

export const taskTimeoutOption: INodeProperties = {
	displayName: 'Wait Timeout (Seconds)',
	name: 'taskTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 300,
	description:
		'How long to wait for Feishu to finish the task. The task goes on in Feishu after that; the error gives its ID.',
};

/**
 * Polls a documented task until it is done: every 0.5 s at first, backing off to 5 s, for at most the
 * item's Wait Timeout. `check` answers the result when done, or undefined while the task runs.
 */
export async function waitForTask<T>(
	step: OperationStep,
	what: string,
	taskId: string,
	check: () => Promise<T | undefined>,
): Promise<T> {
	const timeoutS = step.params.integer('options.taskTimeout', TASK_TIMEOUT_S, 1);
	const deadline = Date.now() + timeoutS * 1000 * pacingClock.scale;
	for (let attempt = 0; ; attempt++) {
		const done = await check();
		if (done !== undefined) return done;
		if (Date.now() >= deadline) {
			throw platformError(
				step.ctx.getNode(),
				{
					platform: 'Feishu',
					httpStatus: 200,
					code: 'timeout',
					message: `The ${what} ${taskId} did not finish within ${timeoutS} s`,
				},
				[
					{
						timeout: `Feishu is still working on it. Raise Wait Timeout under Options, or check the task later by its ID (${taskId}).`,
					},
				],
				step.itemIndex,
			);
		}
		await sleep(Math.min(5000, 500 * 2 ** Math.min(attempt, 4)) * pacingClock.scale);
	}
}

/** A task that ended in failure: its documented status and meaning, as the platform's error. */
export function taskFailed(
	step: OperationStep,
	status: string,
	message: string,
	meanings: ErrorMeanings,
): Error {
	return platformError(
		step.ctx.getNode(),
		{ platform: 'Feishu', httpStatus: 200, code: status, message },
		[meanings],
		step.itemIndex,
	);
}
