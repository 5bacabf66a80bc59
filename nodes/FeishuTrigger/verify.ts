import type { IDataObject } from 'n8n-workflow';

import { aes256CbcDecrypt, safeEqual, sha256 } from '../shared/crypto';

/**
 * Feishu / Lark event delivery to a webhook, as documented ("将事件发送至开发者服务器", "Encrypt Key
 * encryption configuration"): pure functions over the raw request bytes, shared by every mode.
 */

/** What a webhook request turned out to be. */
type Delivery =
	| { kind: 'challenge'; challenge: string }
	| { kind: 'event'; payload: IDataObject }
	| { kind: 'rejected'; status: number; reason: string };

interface Secrets {
	encryptKey?: string;
	verificationToken?: string;
}

/**
 * Decrypts `{"encrypt": "…"}`: AES-256-CBC with key = SHA-256 of the Encrypt Key, the IV the first 16
 * bytes of the base64-decoded data, PKCS#7 padding.
 */
export function decryptEvent(encryptKey: string, encrypted: string): string {
	const data = Buffer.from(encrypted, 'base64');
	if (data.length < 32 || data.length % 16 !== 0)
		throw new Error('the encrypted data has a wrong length');
	return aes256CbcDecrypt(sha256(encryptKey), data.subarray(0, 16), data.subarray(16)).toString(
		'utf8',
	);
}

/** X-Lark-Signature: hex SHA-256 of timestamp + nonce + Encrypt Key, then the raw body bytes. */
function eventSignature(
	timestamp: string,
	nonce: string,
	encryptKey: string,
	rawBody: Buffer,
): string {
	return sha256(Buffer.from(timestamp + nonce + encryptKey, 'utf8'), rawBody).toString('hex');
}

const header = (headers: IDataObject, name: string): string => {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
};

/** The verification token of a payload: schema 2.0 `header.token`, schema 1.0 and challenges `token`. */
function tokenOf(payload: IDataObject): string | undefined {
	const fromHeader = (payload.header as IDataObject | undefined)?.token;
	const token = fromHeader ?? payload.token;
	return typeof token === 'string' ? token : undefined;
}

/**
 * Reads one webhook request:
 * - with an Encrypt Key, the body must be `{"encrypt": …}`, and an event's X-Lark-Signature must match the
 *   raw bytes (the docs exempt the URL challenge from the signature; its token is still checked);
 * - without one, the payload's verification token must match (both event schemas);
 * - a `url_verification` answers its challenge.
 */
export function readDelivery(rawBody: Buffer, headers: IDataObject, secrets: Secrets): Delivery {
	let body: IDataObject;
	try {
		body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
	} catch {
		return { kind: 'rejected', status: 400, reason: 'the body is not JSON' };
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		return { kind: 'rejected', status: 400, reason: 'the body is not a JSON object' };
	let payload = body;
	const encryptKey = secrets.encryptKey ?? '';
	let signed = false;
	if (encryptKey) {
		// The signature is checked on the raw bytes before anything is decrypted.
		const timestamp = header(headers, 'x-lark-request-timestamp');
		const nonce = header(headers, 'x-lark-request-nonce');
		const signature = header(headers, 'x-lark-signature');
		if (timestamp && nonce && signature) {
			if (
				!safeEqual(eventSignature(timestamp, nonce, encryptKey, rawBody), signature.toLowerCase())
			) {
				return { kind: 'rejected', status: 401, reason: 'the signature does not match the body' };
			}
			signed = true;
		}
	}
	if (typeof body.encrypt === 'string') {
		if (!encryptKey)
			return {
				kind: 'rejected',
				status: 400,
				reason: 'the event is encrypted, but the credential has no Encrypt Key',
			};
		try {
			payload = { ...(JSON.parse(decryptEvent(encryptKey, body.encrypt)) as IDataObject) };
		} catch {
			return {
				kind: 'rejected',
				status: 400,
				reason: "the event could not be decrypted with the credential's Encrypt Key",
			};
		}
	} else if (encryptKey) {
		return {
			kind: 'rejected',
			status: 400,
			reason: 'the credential has an Encrypt Key, but the event is not encrypted',
		};
	}
	const challenge = payload.type === 'url_verification';
	// Only the URL challenge comes unsigned (the docs exempt it from the signature).
	if (encryptKey && !challenge && !signed)
		return { kind: 'rejected', status: 401, reason: 'the signature headers are missing' };
	const expected = secrets.verificationToken ?? '';
	if (expected) {
		const token = tokenOf(payload);
		if (token === undefined || !safeEqual(token, expected))
			return { kind: 'rejected', status: 401, reason: 'the verification token does not match' };
	} else if (!encryptKey) {
		return {
			kind: 'rejected',
			status: 401,
			reason:
				'the credential has neither an Encrypt Key nor a Verification Token, so no event can be verified',
		};
	}
	if (challenge)
		return typeof payload.challenge === 'string'
			? { kind: 'challenge', challenge: payload.challenge }
			: { kind: 'rejected', status: 400, reason: 'the challenge is missing' };
	return { kind: 'event', payload };
}
