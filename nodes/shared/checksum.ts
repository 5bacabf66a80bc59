/** Adler-32 (RFC 1950), as Feishu's upload APIs ask for their optional `checksum`: continued over chunks. */
export function adler32(bytes: Uint8Array, previous = 1): number {
	let a = previous & 0xffff;
	let b = (previous >>> 16) & 0xffff;
	// 5552 is the most bytes that can be summed before b could overflow 2^32 (zlib's NMAX).
	for (let start = 0; start < bytes.length; start += 5552) {
		const end = Math.min(bytes.length, start + 5552);
		for (let i = start; i < end; i++) {
			a += bytes[i];
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return ((b << 16) | a) >>> 0;
}
