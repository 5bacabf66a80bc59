import type { IExecuteFunctions } from 'n8n-workflow';

import type { ParamReader } from './params';
import type { MultipartFile } from './types';

/** A file from an input item's binary property, read lazily through n8n's binary data helpers. */
export interface BinaryInput {
	fileName: string;
	mimeType: string;
	size: number;
	open: MultipartFile['open'];
}

/**
 * The binary property named by the field `field` of this item. Stored binary data (filesystem, S3,
 * database) is streamed from n8n's store; in-memory data is decoded once. Missing data, or data over
 * `maxBytes` or empty, is bad input naming the field and the item, before any request.
 */
export async function binaryInput(
	ctx: IExecuteFunctions,
	params: ParamReader,
	field: string,
	limit: { maxBytes: number; what: string },
): Promise<BinaryInput> {
	return await binaryProperty(ctx, params, field, params.requiredString(field), limit);
}

/** The binary property `property` of this item, checked as `binaryInput` does; failures name the field `field`. */
export async function binaryProperty(
	ctx: IExecuteFunctions,
	params: ParamReader,
	field: string,
	property: string,
	limit: { maxBytes: number; what: string },
	label?: string,
): Promise<BinaryInput> {
	const binary = ctx.getInputData()[params.itemIndex]?.binary?.[property];
	if (!binary) params.fail(field, `the input item has no binary property "${property}"`, label);
	let size: number;
	let open: MultipartFile['open'];
	if (binary.id) {
		const id = binary.id;
		size = (await ctx.helpers.getBinaryMetadata(id)).fileSize;
		open = async () => await ctx.helpers.getBinaryStream(id);
	} else {
		const buffer = await ctx.helpers.getBinaryDataBuffer(params.itemIndex, property);
		size = buffer.length;
		open = async () => buffer;
	}
	if (size === 0)
		params.fail(field, `the file in "${property}" is empty; ${limit.what} cannot be empty`, label);
	if (size > limit.maxBytes) {
		params.fail(
			field,
			`the file in "${property}" is ${mb(size)}; ${limit.what} can be at most ${mb(limit.maxBytes)}`,
			label,
		);
	}
	return {
		fileName: binary.fileName ?? property,
		mimeType: binary.mimeType || 'application/octet-stream',
		size,
		open,
	};
}

const mb = (bytes: number) =>
	bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
