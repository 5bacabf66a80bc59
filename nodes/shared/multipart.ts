import { randomBytes } from 'node:crypto';

import type { MultipartBody } from './types';

/**
 * A multipart/form-data body that n8n's HTTP helper streams: its parts are produced one after another
 * (the fields, then the file's bytes as read from n8n's binary data), so the file is never copied into
 * a second buffer. It has the shape of a Blob (`stream()`, `size`, `type`), which n8n's HTTP client
 * sends as a stream with this exact length; every attempt (a retry) reads the file again.
 */
export function multipartBlob(body: MultipartBody): {
	blob: object;
	contentType: string;
	size: number;
} {
	const boundary = `----n8nFormBoundary${randomBytes(12).toString('hex')}`;
	const head = Buffer.from(
		body.fields
			.map(
				([name, value]) =>
					`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
			)
			.join('') +
			`--${boundary}\r\nContent-Disposition: form-data; name="${quote(body.file.field)}"; filename="${quote(body.file.fileName)}"\r\n` +
			`Content-Type: ${body.file.mimeType}\r\n\r\n`,
		'utf8',
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	const contentType = `multipart/form-data; boundary=${boundary}`;
	const size = head.length + body.file.size + tail.length;
	const blob = {
		type: contentType,
		size,
		[Symbol.toStringTag]: 'Blob',
		async *stream(): AsyncGenerator<Uint8Array> {
			yield head;
			const content = await body.file.open();
			if (content instanceof Uint8Array) yield content;
			else for await (const chunk of content) yield chunk;
			yield tail;
		},
	};
	return { blob, contentType, size };
}

/** A header parameter value: quotes and line breaks escaped as browsers do. */
const quote = (value: string) =>
	value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
