import {
	createCipheriv,
	createDecipheriv,
	createHash,
	createHmac,
	timingSafeEqual,
} from 'node:crypto';

/**
 * The crypto both platforms' event deliveries use, once: hashes, AES-CBC, constant-time comparison.
 * Pure functions over bytes; the platform modules say which key, IV and padding.
 */

export function sha256(...parts: Array<string | Buffer>): Buffer {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(part);
	return hash.digest();
}

export function sha1Hex(...parts: Array<string | Buffer>): string {
	const hash = createHash('sha1');
	for (const part of parts) hash.update(part);
	return hash.digest('hex');
}

/** Compares two strings in constant time (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a, 'utf8');
	const y = Buffer.from(b, 'utf8');
	return x.length === y.length && timingSafeEqual(x, y);
}

/** AES-256-CBC decryption; `autoPadding` removes PKCS#7 padding. Throws on a wrong key or damaged data. */
export function aes256CbcDecrypt(
	key: Buffer,
	iv: Buffer,
	data: Buffer,
	autoPadding = true,
): Buffer {
	const decipher = createDecipheriv('aes-256-cbc', key, iv);
	decipher.setAutoPadding(autoPadding);
	return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** AES-256-CBC encryption without padding of its own (the caller pads to the platform's block size). */
export function aes256CbcEncrypt(key: Buffer, iv: Buffer, data: Buffer): Buffer {
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** HMAC-SHA256 of `data` keyed with `key`, Base64. */
export function hmacSha256Base64(key: string, data: string): string {
	return createHmac('sha256', key).update(data).digest('base64');
}
