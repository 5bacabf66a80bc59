import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { BinaryInput } from '../../../shared/binary';
import { binaryProperty } from '../../../shared/binary';
import { fetchLink } from '../../../shared/download';
import { backoff } from '../../../shared/retry';
import type { Fail } from '../../../shared/tableModel';
import type { ErrorMeanings, OperationStep } from '../../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../../transport';
import { operatorOf } from './common';

/**
 * AI-table attachments (附件) from n8n's binary data, in the three steps of the upload page (上传附件,
 * docs/research/dingtalk-notable.md §18): the upload information asked for the AI table (获取资源上传信息),
 * the bytes PUT to its signed upload URL, then the record written with the file's resourceUrl and
 * resourceId. Downloads (the read `url`, a link valid for a while) become binary data.
 */

/** The upload-information page's codes (§18), with their meanings. */
export const UPLOAD_ERRORS: ErrorMeanings = {
	paramError: 'A parameter of the upload is invalid (参数错误).',
	permissionDenied:
		'The upload was refused (无权限): the app needs Storage.File.Read (企业存储文件读权限) for it, and the operator must be able to edit the AI table.',
	docNotExist:
		'The AI table was not found for the upload (文档不存在), or the operator cannot open it.',
	systemError: 'DingTalk is busy (服务繁忙): retry later.',
	operationTimeout: 'The upload request timed out at DingTalk (请求超时).',
};

/**
 * The page states no size limit for an attachment; the file is read into memory for its PUT (a signed URL
 * takes a body of the announced size), so the node takes files up to this size.
 */
export const ATTACHMENT_LIMIT = { maxBytes: 200 * 1024 * 1024, what: 'an AI-table attachment' };

/** An attachment column's value: the item's binary property names, or files already uploaded. */
export interface AttachmentValue {
	column: string;
	properties: string[];
	given: IDataObject[];
}

/** An attachment column's value checked: binary property names (text or a list), or uploaded files. */
export function attachmentOf(
	column: string,
	value: unknown,
	fail: Fail,
): AttachmentValue | undefined {
	if (value === undefined || value === '') return undefined;
	const list = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: fail(`expected binary property names (e.g. "data"), got ${typeof value}`);
	const out: AttachmentValue = { column, properties: [], given: [] };
	for (const entry of list) {
		if (typeof entry === 'string' && entry.trim() !== '') out.properties.push(entry.trim());
		else if (
			entry &&
			typeof entry === 'object' &&
			typeof (entry as IDataObject).resourceId === 'string' &&
			typeof (entry as IDataObject).url === 'string'
		)
			out.given.push(entry as IDataObject);
		else
			fail(
				'expected binary property names (e.g. "data"), or [{"filename", "size", "type", "url", "resourceId"}] of files uploaded to this AI table',
			);
	}
	return out;
}

/** Checks the item's files exist and fit, before any request. */
export async function checkAttachments(step: OperationStep, values: AttachmentValue[]) {
	for (const value of values)
		for (const property of value.properties)
			await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${value.column}`,
			);
}

async function bytesOf(file: BinaryInput): Promise<Buffer> {
	const opened = await file.open();
	if (opened instanceof Uint8Array) return Buffer.from(opened);
	const chunks: Buffer[] = [];
	for await (const chunk of opened) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/**
 * Step 2: the bytes PUT to the signed upload URL. The URL is a secret (it lets anyone write the file), so it
 * is never in an error. A PUT of the same bytes to the same URL leaves the same file: a failure of the
 * network or of the storage (5xx) is sent again, up to 3 times.
 */
async function putBytes(
	step: OperationStep,
	url: string,
	bytes: Buffer,
	mimeType: string,
	what: string,
): Promise<void> {
	const fail = (why: string) =>
		new NodeOperationError(
			step.ctx.getNode(),
			`The upload of ${what} to DingTalk's storage failed: ${why}`,
			{ itemIndex: step.itemIndex },
		);
	for (let attempt = 0; ; attempt++) {
		let status: number | undefined;
		try {
			const answer = (await step.ctx.helpers.httpRequest({
				method: 'PUT',
				url,
				body: bytes,
				headers: { 'Content-Type': mimeType },
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 120_000,
			})) as { statusCode?: number };
			status = answer.statusCode;
		} catch (error) {
			if (attempt < 3) {
				await sleep(backoff(attempt));
				continue;
			}
			// Only the error's kind: its message may hold the URL.
			throw fail(`the connection failed (${(error as { code?: string }).code ?? 'network error'})`);
		}
		if (status !== undefined && status >= 200 && status < 300) return;
		if (status !== undefined && status >= 500 && attempt < 3) {
			await sleep(backoff(attempt));
			continue;
		}
		throw fail(
			`HTTP ${String(status)}${status === 403 ? ' (the upload URL was refused: it may have expired)' : ''}`,
		);
	}
}

/** Uploads one file to the AI table (steps 1 and 2) and gives its value for an attachment field (step 3). */
async function upload(
	step: OperationStep,
	baseId: string,
	file: BinaryInput,
): Promise<IDataObject> {
	const data = await step.send(
		{
			method: 'POST',
			path: `/v1.0/doc/docs/resources/${encodeURIComponent(baseId)}/uploadInfos/query`,
			qs: { operatorId: operatorOf(step.params) },
			body: { size: file.size, mediaType: file.mimeType, resourceName: file.fileName },
			// Asked again, it only leaves an unused upload URL behind.
			idempotent: true,
		},
		DINGTALK_RATE_LIMITS['notableRecord.uploadInfo'],
		UPLOAD_ERRORS,
	);
	const result = (data.result ?? {}) as IDataObject;
	if (typeof result.uploadUrl !== 'string' || typeof result.resourceId !== 'string')
		throw new NodeOperationError(
			step.ctx.getNode(),
			`DingTalk answered no upload URL for ${file.fileName}`,
			{ itemIndex: step.itemIndex },
		);
	await putBytes(step, result.uploadUrl, await bytesOf(file), file.mimeType, `"${file.fileName}"`);
	// 「url…第一步返回的 resourceUrl，注意不是uploadUrl」.
	return {
		filename: file.fileName,
		size: file.size,
		type: file.mimeType,
		url: result.resourceUrl,
		resourceId: result.resourceId,
	};
}

/** The item's attachment columns uploaded, written into its fields. */
export async function withAttachments(
	step: OperationStep,
	baseId: string,
	fields: Record<string, unknown>,
	values: AttachmentValue[],
): Promise<Record<string, unknown>> {
	const out = { ...fields };
	for (const value of values) {
		const files: IDataObject[] = [...value.given];
		for (const property of value.properties) {
			const file = await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${value.column}`,
			);
			files.push(await upload(step, baseId, file));
		}
		out[value.column] = files;
	}
	return out;
}

/** A record's attachments downloaded into binary data (attachment_0, …), when asked for. */
export async function downloads(
	step: OperationStep,
	record: IDataObject,
): Promise<IBinaryKeyData | undefined> {
	if (!step.params.boolean('options.downloadAttachments', false)) return undefined;
	const binary: IBinaryKeyData = {};
	let n = 0;
	for (const value of Object.values((record.fields ?? {}) as IDataObject)) {
		if (!Array.isArray(value)) continue;
		for (const entry of value as IDataObject[]) {
			if (
				!entry ||
				typeof entry !== 'object' ||
				typeof entry.url !== 'string' ||
				!('filename' in entry)
			)
				continue;
			const url = entry.url;
			if (!/^https?:\/\//.test(url)) continue;
			const file = await fetchLink(
				step,
				url,
				`"${String(entry.filename)}"`,
				'its link is valid for a while only: read the record again',
			);
			binary[`attachment_${n++}`] = await step.ctx.helpers.prepareBinaryData(
				file.data,
				String(entry.filename),
				file.mimeType,
			);
		}
	}
	return n > 0 ? binary : undefined;
}
