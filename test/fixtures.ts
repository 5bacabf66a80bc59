/** Bytes and items the unit tests share. */
import type { IDataObject } from 'n8n-workflow';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63fcffff3f0300050801027a3cbe0f0000000049454e44ae426082',
	'hex',
);

/** A minimal PDF. */
export const PDF = Buffer.from('%PDF-1.4\n% sandbox\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** An input item carrying a file in the binary property `name` (the harness's `$binary`). */
export const binaryItem = (
	bytes: Buffer,
	fileName: string,
	mimeType: string,
	json: IDataObject = {},
	name = 'data',
) => ({
	...json,
	$binary: { [name]: { base64: bytes.toString('base64'), fileName, mimeType } },
});

/** `size` bytes that differ from any other offset and seed (xorshift32), for large-file round trips. */
export function patterned(size: number, seed = 1): Buffer {
	const bytes = Buffer.allocUnsafe(size);
	let x = (seed * 2654435761) >>> 0 || 1;
	let i = 0;
	for (; i + 4 <= size; i += 4) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		bytes.writeUInt32LE(x, i);
	}
	for (; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
	return bytes;
}

/** An input item with `size` patterned bytes in the binary property `name`. */
export const patternItem = (
	size: number,
	fileName: string,
	mimeType = 'application/octet-stream',
	json: IDataObject = {},
	name = 'data',
	seed = 1,
) => ({ ...json, $binary: { [name]: { pattern: size, seed, fileName, mimeType } } });
