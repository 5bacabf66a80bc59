import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import type {
	ErrorMeanings,
	ListSpec,
	OperationDefinition,
	OperationStep,
} from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import type { DocType } from './common';
import {
	DRIVE_ERRORS,
	driveItem,
	folderLocator,
	folderToken,
	itemLocator,
	oneDriveChange,
	ROOT_FOLDER_ERRORS,
	SHARE_HINT,
	taskFailed,
	taskTimeoutOption,
	typeField,
	waitForTask,
	WIKI_LINK_ERRORS,
} from './common';

/**
 * Drive's files and folders: list a folder, read metadata, create a folder, copy, move and delete (a
 * folder's move and delete are tasks, waited for). Source: docs/research/feishu-drive.md §4–§7.
 */

/** The metadata query's per-document failures (failed_list) and its own codes (S9). */
const META_ERRORS: ErrorMeanings = {
	'970002': 'This type of item has no metadata to read.',
	'970003': 'No permission on the item. ' + SHARE_HINT,
	'970005': 'The token and type do not match, or the item does not exist.',
	'1069701': 'User identity verification failed.',
	'1069704': 'Feishu had an internal error. Retry later.',
};

/** The task status query (task_check, S14). */
const TASK_ERRORS: ErrorMeanings = {
	'1061001': 'Feishu had an internal error. Retry later.',
	'1061002': 'The task ID is invalid.',
	'1061003': 'The task was not found.',
};

const TASK_STATUS: ErrorMeanings = {
	fail: 'Feishu reports that the task failed. Check permissions on the folder and its contents, and try again.',
};

const ROOT_HINT =
	'Pick one from the list (it starts with the root folder, 我的空间), paste its link, or give its token.';

const folder = (name: string, displayName: string, description: string): INodeProperties =>
	folderLocator({ name, displayName, description: `${description} ${ROOT_HINT}` });

/** What copy takes ("不支持复制文件夹"); metadata and move take folders too. */
const COPY_TYPES: readonly DocType[] = [
	'file',
	'docx',
	'doc',
	'sheet',
	'bitable',
	'mindnote',
	'slides',
];
const META_TYPES: readonly DocType[] = [...COPY_TYPES, 'folder'];
const MOVE_TYPES = META_TYPES;

/** GET /open-apis/drive/v1/files: a folder's files, 200 a page. */
export const folderList: ListSpec = {
	maxPageSize: 200,
	page: (p: ParamReader, cursor, pageSize) => ({
		method: 'GET',
		path: '/open-apis/drive/v1/files',
		qs: {
			folder_token: folderToken(p, 'folder'),
			page_size: pageSize,
			order_by: p.choice('options.orderBy', ['EditedTime', 'CreatedTime'] as const, 'EditedTime'),
			direction: p.choice('options.direction', ['DESC', 'ASC'] as const, 'DESC'),
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => ({
		records: (response.files as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.next_page_token
				? String(response.next_page_token)
				: undefined,
	}),
};

const getAll: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many files in a folder',
	description:
		"List a folder's files, documents and subfolders (this level only). Each has its token, name, type and link.",
	lane: FEISHU_RATE_LIMITS['drive.list'],
	errors: DRIVE_ERRORS,
	properties: [folder('folder', 'Folder', 'The folder to list.')],
	extraOptions: [
		{
			displayName: 'Order By',
			name: 'orderBy',
			type: 'options',
			options: [
				{ name: 'Edited Time', value: 'EditedTime' },
				{ name: 'Created Time', value: 'CreatedTime' },
			],
			default: 'EditedTime',
		},
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: [
				{ name: 'Newest First', value: 'DESC' },
				{ name: 'Oldest First', value: 'ASC' },
			],
			default: 'DESC',
		},
	],
	list: folderList,
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: "Get a file's metadata",
	description:
		"Get a file's, document's or folder's metadata: title, owner, times and link (a wiki link gives its document's)",
	lane: FEISHU_RATE_LIMITS['drive.meta'],
	errors: { ...META_ERRORS, ...WIKI_LINK_ERRORS },
	properties: [
		itemLocator(
			'The file, document, sheet, base or folder: paste its link (a wiki link too) or give its token. ' +
				SHARE_HINT,
		),
		typeField(META_TYPES),
	],
	async run(step) {
		const item = await driveItem(step, META_TYPES);
		const data = await step.send({
			method: 'POST',
			path: '/open-apis/drive/v1/metas/batch_query',
			body: { request_docs: [{ doc_token: item.token, doc_type: item.type }], with_url: true },
			// A read, though a POST.
			idempotent: true,
		});
		const failed = ((data.failed_list as IDataObject[] | undefined) ?? [])[0];
		if (failed) {
			throw taskFailed(
				step,
				String(failed.code),
				`Feishu could not read the metadata of ${item.token}`,
				META_ERRORS,
			);
		}
		const meta = ((data.metas as IDataObject[] | undefined) ?? [])[0] ?? {};
		return [{ json: meta }];
	},
};

const createFolder: OperationDefinition = {
	value: 'createFolder',
	actsAs: ['app', 'user'],
	name: 'Create Folder',
	action: 'Create a folder',
	description: 'Create a folder inside a folder',
	lane: FEISHU_RATE_LIMITS['drive.createFolder'],
	errors: DRIVE_ERRORS,
	properties: [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			description: 'The new folder’s name (1 to 256 bytes)',
		},
		folder('parent', 'Parent Folder', 'The folder to create it in.'),
	],
	async run(step) {
		const p = step.params;
		const name = p.requiredString('name');
		if (Buffer.byteLength(name, 'utf8') > 256) p.fail('name', 'is longer than 256 bytes');
		const parent = folderToken(p, 'parent');
		const data = await oneDriveChange(
			step,
			async () =>
				await step.send({
					method: 'POST',
					path: '/open-apis/drive/v1/files/create_folder',
					body: { name, folder_token: parent },
				}),
		);
		return [{ json: { token: data.token, url: data.url, name, parentToken: parent } }];
	},
};

const copy: OperationDefinition = {
	value: 'copy',
	actsAs: ['app', 'user'],
	name: 'Copy',
	action: 'Copy a file',
	description: 'Copy a file or document into a folder, under a new name (folders cannot be copied)',
	lane: FEISHU_RATE_LIMITS['drive.copy'],
	errors: { ...DRIVE_ERRORS, ...WIKI_LINK_ERRORS },
	properties: [
		itemLocator(
			'The file or document to copy: paste its link (a wiki link too) or give its token.',
		),
		typeField(COPY_TYPES),
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			description: 'The copy’s name (at most 256 bytes)',
		},
		folder('folder', 'Into Folder', 'The folder to put the copy in.'),
	],
	async run(step) {
		const p = step.params;
		const item = await driveItem(step, COPY_TYPES);
		const name = p.requiredString('name');
		if (Buffer.byteLength(name, 'utf8') > 256) p.fail('name', 'is longer than 256 bytes');
		const target = folderToken(p, 'folder');
		// No idempotency key is documented: a copy whose answer is lost is reported, not sent again.
		const data = await oneDriveChange(
			step,
			async () =>
				await step.send({
					method: 'POST',
					path: `/open-apis/drive/v1/files/${encodeURIComponent(item.token)}/copy`,
					body: { name, type: item.type, folder_token: target },
				}),
		);
		return [{ json: (data.file as IDataObject | undefined) ?? {} }];
	},
};

/** task_check until the folder's move or delete is done (S14). */
async function waitForFolderTask(step: OperationStep, what: string, taskId: string) {
	await waitForTask(step, what, taskId, async () => {
		const data = await step.send(
			{ method: 'GET', path: '/open-apis/drive/v1/files/task_check', qs: { task_id: taskId } },
			FEISHU_RATE_LIMITS['drive.taskCheck'],
			TASK_ERRORS,
		);
		if (data.status === 'success') return true;
		if (data.status === 'fail')
			throw taskFailed(step, 'fail', `The ${what} ${taskId} failed`, TASK_STATUS);
		return undefined;
	});
}

const move: OperationDefinition = {
	value: 'move',
	actsAs: ['app', 'user'],
	name: 'Move',
	action: 'Move a file or folder',
	description:
		'Move a file, document or folder into another folder (a folder moves as a task, which is waited for)',
	lane: FEISHU_RATE_LIMITS['drive.move'],
	errors: { ...DRIVE_ERRORS, ...WIKI_LINK_ERRORS, ...TASK_ERRORS },
	properties: [
		itemLocator('The file, document or folder to move: paste its link or give its token.'),
		typeField(MOVE_TYPES),
		folder('folder', 'Into Folder', 'The folder to move it into.'),
	],
	extraOptions: [taskTimeoutOption],
	async run(step) {
		const item = await driveItem(step, MOVE_TYPES);
		const target = folderToken(step.params, 'folder');
		const data = await oneDriveChange(
			step,
			async () =>
				await step.send({
					method: 'POST',
					path: `/open-apis/drive/v1/files/${encodeURIComponent(item.token)}/move`,
					body: { type: item.type, folder_token: target },
					// Moving to the same folder again changes nothing.
					idempotent: true,
				}),
		);
		const taskId = typeof data.task_id === 'string' && data.task_id ? data.task_id : undefined;
		if (taskId) await waitForFolderTask(step, 'move', taskId);
		return [
			{
				json: {
					token: item.token,
					type: item.type,
					folderToken: target,
					moved: true,
					...(taskId ? { taskId } : {}),
				},
			},
		];
	},
};

const remove: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete',
	action: 'Delete a file or folder',
	description:
		'Move a file, document or folder to the trash (回收站); a folder is deleted as a task, which is waited for',
	lane: FEISHU_RATE_LIMITS['drive.delete'],
	errors: { ...DRIVE_ERRORS, ...WIKI_LINK_ERRORS, ...TASK_ERRORS },
	properties: [
		itemLocator('The file, document or folder to delete: paste its link or give its token.'),
		typeField([...MOVE_TYPES, 'shortcut']),
	],
	extraOptions: [taskTimeoutOption],
	async run(step) {
		const item = await driveItem(step, [...MOVE_TYPES, 'shortcut']);
		const data = await oneDriveChange(
			step,
			async () =>
				await step.send({
					method: 'DELETE',
					path: `/open-apis/drive/v1/files/${encodeURIComponent(item.token)}`,
					qs: { type: item.type },
					// Sent again after a lost answer, a delete would be answered 1061007 (already deleted): it is
					// reported with an unknown outcome instead.
					idempotent: false,
				}),
		);
		const taskId = typeof data.task_id === 'string' && data.task_id ? data.task_id : undefined;
		if (taskId) await waitForFolderTask(step, 'delete', taskId);
		return [
			{
				json: { token: item.token, type: item.type, deleted: true, ...(taskId ? { taskId } : {}) },
			},
		];
	},
};

/** GET /open-apis/drive/explorer/v2/root_folder/meta: the identity's root folder (an app's own space). */
export async function rootFolder(
	send: (request: { method: 'GET'; path: string }) => Promise<IDataObject>,
): Promise<{ token: string }> {
	const data = await send({ method: 'GET', path: '/open-apis/drive/explorer/v2/root_folder/meta' });
	return { token: String(data.token ?? '') };
}

export { ROOT_FOLDER_ERRORS };
export const driveFileOperations = [getAll, get, createFolder, copy, move, remove];
