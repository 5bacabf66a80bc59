import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DownloadedFile, OperationStep, StreamedFile } from './types';

/**
 * A file behind a temporary signed link (a storage URL that needs no platform token): its bytes and type.
 * The link is a secret while it lasts, so it is never in an error; `stale` says what to do when it has
 * expired.
 */
export async function fetchLink(
	step: OperationStep,
	url: string,
	what: string,
	stale: string,
): Promise<{ data: Buffer; mimeType: string; fileName?: string }> {
	let answer: { statusCode?: number; body?: unknown; headers?: IDataObject };
	try {
		answer = (await step.ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 120_000,
		})) as typeof answer;
	} catch (error) {
		throw new NodeOperationError(
			step.ctx.getNode(),
			`The download of ${what} failed (${(error as { code?: string }).code ?? 'network error'})`,
			{ itemIndex: step.itemIndex },
		);
	}
	if (!answer.statusCode || answer.statusCode >= 300)
		throw new NodeOperationError(
			step.ctx.getNode(),
			`The download of ${what} failed: HTTP ${String(answer.statusCode)} (${stale})`,
			{ itemIndex: step.itemIndex },
		);
	const type = String(answer.headers?.['content-type'] ?? '');
	return {
		data: Buffer.from(answer.body as ArrayBuffer),
		mimeType: type.split(';')[0].trim() || 'application/octet-stream',
		fileName: fileNameOf(String(answer.headers?.['content-disposition'] ?? '')),
	};
}

/**
 * A download's answer: the file, or undefined when the platform answered JSON (an error), whose body is
 * then parsed for the usual classification.
 */
export function fileOf(response: IN8nHttpFullResponse): DownloadedFile | undefined {
	const headers = (response.headers ?? {}) as IDataObject;
	const contentType = String(headers['content-type'] ?? '');
	const raw = response.body as Buffer | ArrayBuffer | string | undefined;
	const data = Buffer.isBuffer(raw)
		? raw
		: raw instanceof ArrayBuffer
			? Buffer.from(raw)
			: Buffer.from(String(raw ?? ''), 'utf8');
	if (response.statusCode >= 200 && response.statusCode < 300 && !errorShaped(headers)) {
		return {
			data,
			mimeType: contentType.split(';')[0].trim() || undefined,
			fileName: fileNameOf(String(headers['content-disposition'] ?? '')),
		};
	}
	try {
		response.body = JSON.parse(data.toString('utf8')) as IDataObject;
	} catch {
		response.body = data.toString('utf8');
	}
	return undefined;
}

/**
 * A streamed download's answer: the file as it arrives, or undefined when the platform answered JSON (an
 * error), whose body is then read and parsed for the usual classification.
 */
export async function streamOf(response: IN8nHttpFullResponse): Promise<StreamedFile | undefined> {
	const headers = (response.headers ?? {}) as IDataObject;
	const contentType = String(headers['content-type'] ?? '');
	const body = response.body as AsyncIterable<Uint8Array> | Buffer | string | undefined;
	const streamed =
		body !== null && typeof body === 'object' && Symbol.asyncIterator in (body as object);
	if (
		streamed &&
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		!errorShaped(headers)
	) {
		const length = Number(headers['content-length']);
		return {
			stream: body as AsyncIterable<Uint8Array>,
			mimeType: contentType.split(';')[0].trim() || undefined,
			fileName: fileNameOf(String(headers['content-disposition'] ?? '')),
			...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
		};
	}
	// An error answer is small: read it whole, and parse it as a JSON answer would be.
	const chunks: Buffer[] = [];
	if (streamed)
		for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
	const text = streamed ? Buffer.concat(chunks).toString('utf8') : String(body ?? '');
	try {
		response.body = JSON.parse(text) as IDataObject;
	} catch {
		response.body = text;
	}
	return undefined;
}

/**
 * Whether a successful answer is an error in JSON rather than the file: JSON without a Content-Disposition.
 * A file that is itself JSON (a .json download) comes with its name, as every file answer does.
 */
function errorShaped(headers: IDataObject): boolean {
	return String(headers['content-type'] ?? '').includes('json') && !headers['content-disposition'];
}

/** The file name of a Content-Disposition header (RFC 6266: filename* first, then filename). */
function fileNameOf(disposition: string): string | undefined {
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[2].trim());
		} catch {
			return extended[2].trim();
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
	return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}
