import { randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	aes256CbcDecrypt,
	aes256CbcEncrypt,
	hmacSha256Base64,
	safeEqual,
	sha1Hex,
} from '../shared/crypto';

/**
 * DingTalk's HTTP deliveries, as pure functions over the raw bytes:
 * - event subscriptions (HTTP 推送): `?signature=&timestamp=&nonce=` with `{"encrypt": …}`; the signature
 *   is SHA-1 over the sorted token, timestamp, nonce and encrypt; the body is AES-256-CBC with the key
 *   Base64(aes_key + "="), the IV its first 16 bytes, plaintext = 16 random bytes + 4-byte length +
 *   message + the owner key (the app key for subscriptions set up in the developer console), padded to
 *   32-byte blocks. The answer is the word "success" encrypted and signed the same way.
 * - robot messages in HTTP mode: headers `timestamp` (ms) and `sign` = Base64(HmacSHA256(appSecret,
 *   timestamp + "\n" + appSecret)), the timestamp at most 1 hour off; the body is the message itself.
 */

const BLOCK = 32;

/** The 32-byte key of a 43-character EncodingAESKey, or undefined when it is not one. */
function aesKeyOf(encodingAesKey: string): Buffer | undefined {
	if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) return undefined;
	const key = Buffer.from(`${encodingAesKey}=`, 'base64');
	return key.length === 32 ? key : undefined;
}

/** The documented signature: SHA-1 hex of the four values sorted and joined without a separator. */
function callbackSignature(
	token: string,
	timestamp: string,
	nonce: string,
	encrypt: string,
): string {
	return sha1Hex([token, timestamp, nonce, encrypt].sort().join(''));
}

/** Decrypts an `encrypt` value; the owner key at its end must be `ownerKey`. */
function decryptCallback(
	key: Buffer,
	encrypt: string,
	ownerKey: string,
): { message?: string; problem?: string } {
	let plain: Buffer;
	try {
		plain = aes256CbcDecrypt(key, key.subarray(0, 16), Buffer.from(encrypt, 'base64'), false);
	} catch {
		return { problem: 'the body could not be decrypted with the AES key' };
	}
	const pad = plain[plain.length - 1];
	if (plain.length < 20 + pad || pad < 1 || pad > BLOCK)
		return { problem: 'the body could not be decrypted with the AES key' };
	const unpadded = plain.subarray(0, plain.length - pad);
	const length = unpadded.readUInt32BE(16);
	if (20 + length > unpadded.length)
		return { problem: 'the body could not be decrypted with the AES key' };
	const message = unpadded.subarray(20, 20 + length).toString('utf8');
	const owner = unpadded.subarray(20 + length).toString('utf8');
	if (!safeEqual(owner, ownerKey))
		return {
			problem:
				"the body was encrypted for another app (its key does not match the credential's Client ID)",
		};
	return { message };
}

/** Encrypts `message` for `ownerKey` as DingTalk does (the reply, and the tests' deliveries). */
function encryptCallback(
	key: Buffer,
	message: string,
	ownerKey: string,
	random: Buffer = randomBytes(16),
): string {
	const body = Buffer.from(message, 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(body.length);
	const plain = Buffer.concat([random, length, body, Buffer.from(ownerKey, 'utf8')]);
	const pad = BLOCK - (plain.length % BLOCK);
	return aes256CbcEncrypt(
		key,
		key.subarray(0, 16),
		Buffer.concat([plain, Buffer.alloc(pad, pad)]),
	).toString('base64');
}

/** The documented answer to a delivery: "success", encrypted and signed. */
function successReply(key: Buffer, token: string, ownerKey: string, now = Date.now()): IDataObject {
	const timeStamp = String(now);
	const nonce = randomBytes(8).toString('hex');
	const encrypt = encryptCallback(key, 'success', ownerKey);
	return {
		msg_signature: callbackSignature(token, timeStamp, nonce, encrypt),
		timeStamp,
		nonce,
		encrypt,
	};
}

interface CallbackSecrets {
	token?: string;
	aesKey?: string;
	appKey: string;
	appSecret: string;
}

type Delivery =
	| { kind: 'rejected'; status: number; reason: string }
	| { kind: 'event'; payload: IDataObject; reply: IDataObject }
	| { kind: 'robotMessage'; payload: IDataObject };

/** Robot callbacks may be at most this far from now (documented: 1 hour); events likewise. */
const ROBOT_SKEW_MS = 3600_000;
const CALLBACK_SKEW_MS = 3600_000;
/** The signing libraries send the timestamp in milliseconds (Java) or seconds (Python). */
const msOf = (timestamp: string) =>
	timestamp.length <= 10 ? Number(timestamp) * 1000 : Number(timestamp);

const first = (value: unknown): string | undefined =>
	Array.isArray(value) ? first(value[0]) : typeof value === 'string' ? value : undefined;

/** Reads one HTTP delivery: an encrypted event, or a signed robot message. Anything unverified is rejected. */
export function readDelivery(
	raw: Buffer,
	query: IDataObject,
	headers: IDataObject,
	secrets: CallbackSecrets,
	now = Date.now(),
): Delivery {
	let body: IDataObject;
	try {
		const parsed = JSON.parse(raw.toString('utf8')) as unknown;
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
			return { kind: 'rejected', status: 400, reason: 'the body is not a JSON object' };
		body = parsed as IDataObject;
	} catch {
		return { kind: 'rejected', status: 400, reason: 'the body is not JSON' };
	}
	if (typeof body.encrypt === 'string') {
		if (!secrets.token || !secrets.aesKey)
			return {
				kind: 'rejected',
				status: 401,
				reason: 'the credential has no Callback Token and AES Key for event subscriptions',
			};
		const key = aesKeyOf(secrets.aesKey);
		if (!key)
			return {
				kind: 'rejected',
				status: 401,
				reason: "the credential's Callback AES Key is not 43 letters and digits",
			};
		const signature = first(query.signature) ?? first(query.msg_signature) ?? '';
		const timestamp = first(query.timestamp) ?? first(query.timeStamp) ?? '';
		const nonce = first(query.nonce) ?? '';
		if (!signature || !timestamp || !nonce)
			return {
				kind: 'rejected',
				status: 401,
				reason: 'the signature, timestamp or nonce is missing',
			};
		if (!safeEqual(callbackSignature(secrets.token, timestamp, nonce, body.encrypt), signature))
			return { kind: 'rejected', status: 401, reason: 'the signature does not match' };
		// The timestamp is signed: a delivery replayed later than an hour (well inside the 8 hours the
		// trigger remembers event IDs, and past DingTalk's retries at 10 s and 30 s) is refused.
		if (!/^\d+$/.test(timestamp) || Math.abs(now - msOf(timestamp)) > CALLBACK_SKEW_MS)
			return { kind: 'rejected', status: 401, reason: 'the timestamp is more than 1 hour off' };
		const { message, problem } = decryptCallback(key, body.encrypt, secrets.appKey);
		if (problem || message === undefined)
			return { kind: 'rejected', status: 401, reason: problem ?? 'no message' };
		let payload: IDataObject;
		try {
			payload = JSON.parse(message) as IDataObject;
		} catch {
			return { kind: 'rejected', status: 400, reason: 'the decrypted body is not JSON' };
		}
		return { kind: 'event', payload, reply: successReply(key, secrets.token, secrets.appKey, now) };
	}
	const timestamp = first(headers.timestamp) ?? '';
	const sign = first(headers.sign) ?? '';
	if (!timestamp || !sign)
		return {
			kind: 'rejected',
			status: 401,
			reason: 'neither an encrypted event nor a signed robot message',
		};
	if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > ROBOT_SKEW_MS)
		return {
			kind: 'rejected',
			status: 401,
			reason: "the robot message's timestamp is more than 1 hour off",
		};
	if (!safeEqual(hmacSha256Base64(secrets.appSecret, `${timestamp}\n${secrets.appSecret}`), sign))
		return { kind: 'rejected', status: 401, reason: "the robot message's sign does not match" };
	return { kind: 'robotMessage', payload: body };
}
