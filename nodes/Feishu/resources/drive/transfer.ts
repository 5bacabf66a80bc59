import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { BinaryInput } from '../../../shared/binary';
import { binaryInput } from '../../../shared/binary';
import { adler32 } from '../../../shared/checksum';
import type { OperationDefinition, OperationStep, StreamedFile } from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import {
	DRIVE_ERRORS,
	driveItem,
	folderLocator,
	folderToken,
	itemLocator,
	oneDriveChange,
	SHARE_HINT,
	WIKI_LINK_ERRORS,
} from './common';

/**
 * Drive uploads and downloads, streamed: a file up to 20 MB in one upload_all, a larger one in the
 * documented parts (upload_prepare, upload_part in sequence, upload_finish), read part by part from n8n's
 * binary data; a download goes into n8n's binary data as it arrives.
 * Source: docs/research/feishu-drive.md §1–§3.
 */

/** upload_all: "文件大小不得超过 20 MB，且不可上传空文件" (size max 20971520). */
export const UPLOAD_ALL_MAX = 20 * 1024 * 1024;
/** The platform's part size, "平台固定以 4MB 的大小对文件进行分片" (upload_prepare answers it as block_size). */
export const PART_SIZE = 4 * 1024 * 1024;

/** Adler-32 of a file, read once from n8n's binary data (upload_all sends the checksum before the file). */
async function checksumOf(file: BinaryInput): Promise<number> {
	const content = await file.open();
	if (content instanceof Uint8Array) return adler32(content);
	let sum = 1;
	for await (const chunk of content) sum = adler32(chunk, sum);
	return sum;
}

/**
 * The file's parts of `size` bytes, in order. In-memory data is cut without copying; stored data is read
 * into one part buffer, reused for every part, so at most one part (and the chunk being read) is held.
 */
async function* partsOf(content: AsyncIterable<Uint8Array> | Uint8Array, size: number) {
	if (content instanceof Uint8Array) {
		for (let start = 0; start < content.length; start += size)
			yield Buffer.from(
				content.buffer,
				content.byteOffset + start,
				Math.min(size, content.length - start),
			);
		return;
	}
	const part = Buffer.allocUnsafe(size);
	let filled = 0;
	for await (const raw of content) {
		let chunk = raw;
		while (chunk.length > 0) {
			const taken = Math.min(size - filled, chunk.length);
			part.set(chunk.subarray(0, taken), filled);
			filled += taken;
			chunk = chunk.subarray(taken);
			if (filled === size) {
				// The caller sends this part (retries included) before it asks for the next one, so the one
				// buffer is filled again only after its bytes have gone: one part in memory, whatever the size.
				yield part;
				filled = 0;
			}
		}
	}
	if (filled > 0) yield part.subarray(0, filled);
}

/** Uploads a file into a folder (upload_all or the parts) and answers its token. */
export async function uploadToFolder(
	step: OperationStep,
	file: BinaryInput,
	fileName: string,
	parent: string,
): Promise<{ fileToken: string; parts?: number }> {
	if (file.size <= UPLOAD_ALL_MAX) {
		const checksum = await checksumOf(file);
		// No idempotency key is documented: an upload whose answer is lost is reported, not sent again.
		const data = await step.send(
			{
				method: 'POST',
				path: '/open-apis/drive/v1/files/upload_all',
				multipart: {
					fields: [
						['file_name', fileName],
						['parent_type', 'explorer'],
						['parent_node', parent],
						['size', String(file.size)],
						['checksum', String(checksum)],
					],
					file: { field: 'file', ...file, fileName },
				},
			},
			FEISHU_RATE_LIMITS['drive.uploadAll'],
		);
		return { fileToken: String(data.file_token) };
	}
	// A session: sending it again only opens another session, which nobody sees.
	const session = await step.send(
		{
			method: 'POST',
			path: '/open-apis/drive/v1/files/upload_prepare',
			body: { file_name: fileName, parent_type: 'explorer', parent_node: parent, size: file.size },
			idempotent: true,
		},
		FEISHU_RATE_LIMITS['drive.uploadPrepare'],
	);
	const uploadId = String(session.upload_id ?? '');
	const blockSize = Number(session.block_size);
	const blockNum = Number(session.block_num);
	if (!uploadId || !(blockSize > 0) || blockNum !== Math.ceil(file.size / blockSize)) {
		throw new NodeApiError(
			step.ctx.getNode(),
			{ message: 'unexpected upload_prepare answer' },
			{
				message: `Feishu answered an upload session that does not fit the file (${file.size} bytes: block_size ${String(session.block_size)}, block_num ${String(session.block_num)})`,
				itemIndex: step.itemIndex,
			},
		);
	}
	let seq = 0;
	let sent = 0;
	for await (const part of partsOf(await file.open(), blockSize)) {
		try {
			// A part is the same bytes under the same sequence number: a lost answer re-sends this part only.
			await step.send(
				{
					method: 'POST',
					path: '/open-apis/drive/v1/files/upload_part',
					multipart: {
						fields: [
							['upload_id', uploadId],
							['seq', String(seq)],
							['size', String(part.length)],
							['checksum', String(adler32(part))],
						],
						file: {
							field: 'file',
							fileName,
							mimeType: 'application/octet-stream',
							size: part.length,
							open: async () => part,
						},
					},
					idempotent: true,
				},
				FEISHU_RATE_LIMITS['drive.uploadPart'],
			);
		} catch (error) {
			const described = error as Error & { description?: string };
			described.description = `${described.description ? `${described.description} · ` : ''}Part ${seq + 1} of ${blockNum} (bytes ${sent}–${sent + part.length - 1}) failed; the parts before it were uploaded, and the file was not created.`;
			throw described;
		}
		seq++;
		sent += part.length;
	}
	if (seq !== blockNum || sent !== file.size) {
		throw new NodeApiError(
			step.ctx.getNode(),
			{ message: 'the binary data ended early' },
			{
				message: `The binary data gave ${sent} of ${file.size} bytes; the upload was not finished`,
				itemIndex: step.itemIndex,
			},
		);
	}
	// Creates the file: no idempotency key is documented, so a lost answer is reported, not sent again.
	const done = await step.send(
		{
			method: 'POST',
			path: '/open-apis/drive/v1/files/upload_finish',
			body: { upload_id: uploadId, block_num: blockNum },
		},
		FEISHU_RATE_LIMITS['drive.uploadFinish'],
	);
	return { fileToken: String(done.file_token), parts: blockNum };
}

const binaryField = (description: string): INodeProperties => ({
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	description,
});

const upload: OperationDefinition = {
	value: 'upload',
	actsAs: ['app', 'user'],
	name: 'Upload',
	action: 'Upload a file',
	description:
		'Upload a file from binary data into a folder (any size: over 20 MB it goes in 4 MB parts)',
	lane: FEISHU_RATE_LIMITS['drive.uploadAll'],
	errors: DRIVE_ERRORS,
	properties: [
		binaryField("The name of the input item's binary property that holds the file"),
		folderLocator({
			name: 'folder',
			displayName: 'Folder',
			description:
				'The folder to upload into: pick one (the list starts with the root folder, 我的空间), paste its link, or give its token. ' +
				SHARE_HINT,
		}),
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description:
				"The name in Drive, with its extension (at most 250 characters). Left empty, the binary data's file name.",
		},
	],
	async run(step) {
		const p = step.params;
		const file = await binaryInput(step.ctx, p, 'binaryPropertyName', {
			maxBytes: Number.MAX_SAFE_INTEGER,
			what: 'a file',
		});
		const fileName = p.optionalString('fileName') ?? file.fileName;
		if ([...fileName].length > 250) p.fail('fileName', 'is longer than 250 characters');
		const parent = folderToken(p, 'folder');
		const result = await oneDriveChange(
			step,
			async () => await uploadToFolder(step, file, fileName, parent),
		);
		return [
			{
				json: {
					fileToken: result.fileToken,
					name: fileName,
					size: file.size,
					folderToken: parent,
					...(result.parts ? { parts: result.parts } : {}),
				},
			},
		];
	},
};

/** Puts a streamed file into n8n's binary data (a stored mode writes it as it arrives). */
export async function storeStream(ctx: IExecuteFunctions, file: StreamedFile, fileName: string) {
	return await ctx.helpers.prepareBinaryData(
		file.stream as unknown as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
		fileName,
		file.mimeType,
	);
}

/**
 * A download, streamed into binary data, named as the platform names it (or `fallbackName`, or always
 * `fileName` when given); a stream that breaks off is downloaded again (a read), twice at most.
 */
export async function downloadInto(
	step: OperationStep,
	path: string,
	lane: Parameters<OperationStep['downloadStream']>[1],
	fallbackName: string,
	errors = DRIVE_ERRORS,
	fileName?: string,
) {
	for (let attempt = 0; ; attempt++) {
		const file = await step.downloadStream({ method: 'GET', path }, lane, errors);
		try {
			const binary = await storeStream(step.ctx, file, fileName ?? file.fileName ?? fallbackName);
			return { binary, size: file.size };
		} catch (error) {
			// The answer's socket is let go at once, not left to its timeout.
			(file.stream as { destroy?: () => void }).destroy?.();
			if (attempt >= 2) {
				const reason = error instanceof Error ? error.message : String(error);
				throw new NodeApiError(
					step.ctx.getNode(),
					{ message: reason },
					{
						message: `The download broke off three times: ${reason}`,
						description: 'Feishu or the network ended the file early. Run the item again.',
						itemIndex: step.itemIndex,
					},
				);
			}
		}
	}
}

const download: OperationDefinition = {
	value: 'download',
	actsAs: ['app', 'user'],
	name: 'Download',
	action: 'Download a file',
	description:
		'Download an uploaded file (PDF, image, archive…) into binary data. Documents, sheets and bases are exported instead (Export).',
	lane: FEISHU_RATE_LIMITS['drive.download'],
	errors: { ...DRIVE_ERRORS, ...WIKI_LINK_ERRORS },
	properties: [
		itemLocator(
			'The file: paste its link (…/file/…) or give its file token (from Upload or Get Many). ' +
				SHARE_HINT,
		),
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description: 'The binary property of the output item to put the file in',
		},
	],
	async run(step) {
		const item = await driveItem(step, ['file']);
		const property = step.params.requiredString('binaryPropertyName');
		const { binary, size } = await downloadInto(
			step,
			`/open-apis/drive/v1/files/${encodeURIComponent(item.token)}/download`,
			FEISHU_RATE_LIMITS['drive.download'],
			item.token,
		);
		return [
			{
				json: {
					fileToken: item.token,
					fileName: binary.fileName,
					mimeType: binary.mimeType,
					...(size !== undefined ? { size } : {}),
				},
				binary: { [property]: binary },
			},
		];
	},
};

export const driveTransferOperations = [upload, download];
