import type { IDataObject } from 'n8n-workflow';

import { binaryInput } from '../../../shared/binary';
import { adler32 } from '../../../shared/checksum';
import type {
	ApiRequest,
	ErrorMeanings,
	OperationDefinition,
	OperationStep,
} from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import type { DocType } from './common';
import {
	driveItem,
	MEDIA_UPLOAD_ERRORS,
	folderLocator,
	folderToken,
	itemLocator,
	SHARE_HINT,
	taskFailed,
	taskTimeoutOption,
	typeField,
	waitForTask,
	WIKI_LINK_ERRORS,
} from './common';
import { downloadInto, UPLOAD_ALL_MAX } from './transfer';

/**
 * Import (a file into a document, sheet or base) and export (a document, sheet or base into docx, pdf,
 * xlsx or csv), both documented as tasks: created, then polled until done.
 * Source: docs/research/feishu-drive.md §8–§9.
 */

/** The media upload of an import's source file (medias/upload_all, S18). */
const MEDIA_ERRORS: ErrorMeanings = {
	...MEDIA_UPLOAD_ERRORS,
	'1061043': 'The file is too large: an import source can be at most 20 MB.',
};

/** Import task create and result (S16, S17). */
const IMPORT_ERRORS: ErrorMeanings = {
	'1069901': 'Feishu had an internal error. Retry later.',
	'1069902':
		'No permission. As the app: share the folder with the app (add the app as a bot to a group, share the folder with that group); as a user: the user needs edit permission on the folder.',
	'1069903': 'Feishu had an internal error. Retry later.',
	'1069904': 'A parameter is invalid: the file extension must match the file.',
	'1069905': 'Feishu had an internal error. Retry later.',
	'1069906': 'The document has been deleted.',
	'1069907': 'The uploaded source file was not found.',
	'1069908': 'The folder does not exist, or the identity has no permission on it. ' + SHARE_HINT,
	'1069909': 'The file is over the import size limit (20 MB).',
	'1069910': "The file extension does not match the file's real type.",
	'1069911': 'The file type does not match the import type.',
	'1069912': 'The folder does not exist.',
	'1069913': 'The uploaded source expired (it lasts 5 minutes). Run the item again.',
	'1069914': 'The uploaded source token is invalid.',
	'1069923': 'Too many import requests. Try again later.',
	...MEDIA_ERRORS,
};

/** The import result's job_status (S17): what a failed import reports. */
const IMPORT_STATUS: ErrorMeanings = {
	'3': 'Feishu had an internal error while importing.',
	'100': 'The file is encrypted: Feishu cannot import it.',
	'101': 'Feishu had an internal error while importing.',
	'102': 'Feishu had an internal error while importing.',
	'103': 'Feishu had an internal error while importing.',
	'104': "The tenant's storage is full.",
	'105': 'The folder holds too many items.',
	'106': 'Feishu had an internal error while importing.',
	'108': 'The import timed out in Feishu.',
	'109': 'Feishu had an internal error while importing.',
	'110': 'No permission to import.',
	'112': 'The file format is not supported.',
	'113': 'This Office format is not supported.',
	'114': 'Feishu had an internal error while importing.',
	'115': 'The file is too large to import.',
	'116': 'No permission to import into the folder.',
	'117': 'The folder has been deleted.',
	'118': "The file extension does not match the file's type.",
	'119': 'The folder does not exist.',
	'120': 'The import type does not match the file.',
	'121': 'The uploaded file expired.',
	'122': 'A copy is being created: importing is blocked meanwhile.',
	'129': 'The file is corrupt.',
	'5000': 'Feishu had an internal error while importing.',
	'7000': 'The document would have too many blocks.',
	'7001': 'The document would nest blocks too deeply.',
	'7002': 'The document would be too large.',
};

/** Export task create, result and download (S21, S22, S23). */
const EXPORT_ERRORS: ErrorMeanings = {
	'1069901': 'Feishu had an internal error. Retry later.',
	'1069902': 'No permission to export the document. ' + SHARE_HINT,
	'1069904':
		'A parameter is invalid: exporting a sheet or base to CSV needs the sheet or table ID (Sheet or Table ID).',
	'1069906': 'The document has been deleted.',
	'1069914': 'The document token is invalid.',
	'1069918':
		'The format does not fit the type: documents export to docx or pdf, sheets and bases to xlsx or csv.',
	'1069923': 'Too many export requests. Try again later.',
	'600': 'A resource expired in Feishu. Try again shortly.',
	'1060001': 'A parameter is invalid.',
};

/** The export result's job_status (S22). */
const EXPORT_STATUS: ErrorMeanings = {
	'3': 'Feishu had an internal error while exporting.',
	'107': 'The document is too large to export.',
	'108': 'The export timed out in Feishu.',
	'109': 'No permission on some blocks of the document.',
	'110': 'No permission to export.',
	'111': 'The document has been deleted.',
	'122': 'A copy is being created: exporting is blocked meanwhile.',
	'123': 'The document does not exist.',
	'6000': 'The document has too many images to export.',
};

/**
 * Polls an import or export task until its job_status is no longer 1 (initialising) or 2 (processing): 0 is
 * the result, any other status its documented failure.
 */
async function waitForJob(
	step: OperationStep,
	what: 'import' | 'export',
	ticket: string,
	statuses: ErrorMeanings,
	request: ApiRequest,
): Promise<IDataObject> {
	return await waitForTask(step, what, ticket, async () => {
		const data = await step.send(
			request,
			FEISHU_RATE_LIMITS[what === 'import' ? 'drive.importGet' : 'drive.exportGet'],
		);
		const result = (data.result ?? {}) as IDataObject;
		const status = Number(result.job_status);
		if (status === 1 || status === 2) return undefined;
		if (status !== 0)
			throw taskFailed(
				step,
				String(result.job_status),
				`The ${what} ${ticket} failed${result.job_error_msg ? `: ${String(result.job_error_msg)}` : ''}`,
				statuses,
			);
		return result;
	});
}

/** Which file extensions import into which type (导入文件概述, S15). */
const IMPORTS: Record<'docx' | 'sheet' | 'bitable', string[]> = {
	docx: ['docx', 'doc', 'txt', 'md', 'mark', 'markdown', 'html'],
	sheet: ['xlsx', 'xls', 'csv'],
	bitable: ['xlsx', 'csv'],
};

const importFile: OperationDefinition = {
	value: 'import',
	actsAs: ['app', 'user'],
	name: 'Import',
	action: 'Import a file as a document, sheet or base',
	description:
		'Turn a file from binary data (docx, md, txt, html, xlsx, xls, csv; up to 20 MB) into a Feishu document, sheet or base in a folder',
	lane: FEISHU_RATE_LIMITS['drive.importCreate'],
	errors: IMPORT_ERRORS,
	properties: [
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description:
				"The name of the input item's binary property that holds the file. Its file name's extension must be the file's real type.",
		},
		{
			displayName: 'Import As',
			name: 'importType',
			type: 'options',
			options: [
				{ name: 'Document (Docx)', value: 'docx', description: 'From docx, doc, md, txt or html' },
				{ name: 'Sheet', value: 'sheet', description: 'From xlsx, xls or csv' },
				{ name: 'Base (Bitable)', value: 'bitable', description: 'From xlsx or csv' },
			],
			default: 'docx',
		},
		folderLocator({
			name: 'folder',
			displayName: 'Folder',
			description: 'The folder for the new document. ' + SHARE_HINT,
		}),
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: "The new document's name. Left empty, the file's name.",
		},
	],
	extraOptions: [taskTimeoutOption],
	async run(step) {
		const p = step.params;
		const type = p.choice('importType', ['docx', 'sheet', 'bitable'] as const, 'docx');
		const file = await binaryInput(step.ctx, p, 'binaryPropertyName', {
			maxBytes: UPLOAD_ALL_MAX,
			what: 'an imported file',
		});
		const extension = /\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1]?.toLowerCase();
		if (!extension || !IMPORTS[type].includes(extension)) {
			p.fail(
				'binaryPropertyName',
				`the file "${file.fileName}" has ${extension ? `the extension .${extension}` : 'no extension'}; ${type} imports ${IMPORTS[type].map((e) => `.${e}`).join(', ')}`,
			);
		}
		const mountKey = folderToken(p, 'folder');
		const name = p.optionalString('name');
		const content = await file.open();
		let checksum = 1;
		if (content instanceof Uint8Array) checksum = adler32(content);
		else for await (const chunk of content) checksum = adler32(chunk, checksum);
		// A temporary source ("源文件为临时文件"), deleted after the import: a repeat leaves nothing behind.
		const media = await step.send(
			{
				method: 'POST',
				path: '/open-apis/drive/v1/medias/upload_all',
				multipart: {
					fields: [
						['file_name', file.fileName],
						// No parent_node: "无需填写" for an import source (the import guide; the reference marks it required).
						['parent_type', 'ccm_import_open'],
						['size', String(file.size)],
						['checksum', String(checksum)],
						['extra', JSON.stringify({ obj_type: type, file_extension: extension })],
					],
					file: { field: 'file', ...file },
				},
				idempotent: true,
			},
			FEISHU_RATE_LIMITS['bitableMedia.upload'],
			MEDIA_ERRORS,
		);
		// Creates a document: no idempotency key is documented, so a lost answer is reported, not sent again.
		const task = await step.send({
			method: 'POST',
			path: '/open-apis/drive/v1/import_tasks',
			body: {
				file_extension: extension,
				file_token: String(media.file_token),
				type,
				...(name ? { file_name: name } : {}),
				point: { mount_type: 1, mount_key: mountKey },
			},
		});
		const ticket = String(task.ticket ?? '');
		const result = await waitForJob(step, 'import', ticket, IMPORT_STATUS, {
			method: 'GET',
			path: `/open-apis/drive/v1/import_tasks/${encodeURIComponent(ticket)}`,
		});
		return [{ json: result }];
	},
};

const EXPORT_TYPES: readonly DocType[] = ['docx', 'doc', 'sheet', 'bitable'];
const FORMATS = ['pdf', 'docx', 'xlsx', 'csv'] as const;

const exportFile: OperationDefinition = {
	value: 'export',
	actsAs: ['app', 'user'],
	name: 'Export',
	action: 'Export a document, sheet or base to a file',
	description:
		'Export a document to docx or pdf, or a sheet or base to xlsx or csv, and download the file into binary data',
	lane: FEISHU_RATE_LIMITS['drive.exportCreate'],
	errors: { ...EXPORT_ERRORS, ...WIKI_LINK_ERRORS },
	properties: [
		itemLocator(
			'The document, sheet or base: paste its link (a wiki link too) or give its token. Export needs a custom app (自建应用). ' +
				SHARE_HINT,
			'file',
			'Document',
		),
		typeField(EXPORT_TYPES),
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'csv', description: 'A sheet or base (one sheet or table)' },
				{ name: 'PDF', value: 'pdf', description: 'A document' },
				{ name: 'Word (Docx)', value: 'docx', description: 'A document' },
				{ name: 'Excel (Xlsx)', value: 'xlsx', description: 'A sheet or base' },
			],
			default: 'pdf',
		},
		{
			displayName: 'Sheet or Table ID',
			name: 'subId',
			type: 'string',
			default: '',
			displayOptions: { show: { format: ['csv'] } },
			description:
				'For CSV: the sheet ID of the sheet (from a link’s ?sheet=…) or the table ID of the base (tbl…)',
		},
		{
			displayName: 'Download',
			name: 'download',
			type: 'boolean',
			default: true,
			description:
				'Whether to download the exported file into binary data (Feishu deletes it 10 minutes after the export)',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			displayOptions: { show: { download: [true] } },
			description: 'The binary property of the output item to put the file in',
		},
	],
	extraOptions: [taskTimeoutOption],
	async run(step: OperationStep) {
		const p = step.params;
		const item = await driveItem(step, EXPORT_TYPES);
		const format = p.choice('format', FORMATS, 'pdf');
		const documentLike = item.type === 'docx' || item.type === 'doc';
		if (documentLike !== (format === 'pdf' || format === 'docx'))
			p.fail(
				'format',
				`a ${item.type} exports to ${documentLike ? 'pdf or docx' : 'xlsx or csv'}, not ${format}`,
			);
		const subId = format === 'csv' ? p.requiredString('subId') : undefined;
		const download = p.boolean('download', true);
		const property = download ? p.requiredString('binaryPropertyName') : '';
		// An export only makes a temporary file (deleted 10 minutes after it ends): asking twice leaves nothing behind.
		const task = await step.send({
			method: 'POST',
			path: '/open-apis/drive/v1/export_tasks',
			body: {
				file_extension: format,
				token: item.token,
				type: item.type,
				...(subId ? { sub_id: subId } : {}),
			},
			idempotent: true,
		});
		const ticket = String(task.ticket ?? '');
		// "调用该接口的用户或应用需与调用创建导出任务接口的用户或应用保持一致": polled with the same transport.
		const result = await waitForJob(step, 'export', ticket, EXPORT_STATUS, {
			method: 'GET',
			path: `/open-apis/drive/v1/export_tasks/${encodeURIComponent(ticket)}`,
			qs: { token: item.token },
		});
		const json: IDataObject = { ...result, ticket, token: item.token, type: item.type };
		if (!download) return [{ json }];
		const fileToken = String(result.file_token ?? '');
		const baseName = String(result.file_name ?? item.token);
		const fileName = baseName.toLowerCase().endsWith(`.${format}`)
			? baseName
			: `${baseName}.${format}`;
		const { binary } = await downloadInto(
			step,
			`/open-apis/drive/v1/export_tasks/file/${encodeURIComponent(fileToken)}/download`,
			FEISHU_RATE_LIMITS['drive.exportDownload'],
			fileName,
			EXPORT_ERRORS,
			fileName,
		);
		return [{ json, binary: { [property]: binary } }];
	},
};

export const driveConvertOperations = [importFile, exportFile];
