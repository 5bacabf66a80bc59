/**
 * The event side of the fake DingTalk: the Stream gateway (connections/open with one-time tickets, the
 * WebSocket endpoint that pushes EVENT and CALLBACK frames, SYSTEM ping and disconnect, and checks every
 * acknowledgement), HTTP-callback deliveries signed and encrypted as documented, robot callbacks signed
 * as documented, and the session webhooks replies go to.
 * Sources: docs/research/dingtalk-msg-stream.md (B, C).
 */
import {
	createCipheriv,
	createDecipheriv,
	createHash,
	createHmac,
	randomBytes,
	randomUUID,
} from 'crypto';
import type * as http from 'http';
import type { IDataObject } from 'n8n-workflow';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

/**
 * The platform's side of the callback crypto, written from the docs independently of the node's code
 * (DingCallbackCrypto): key = Base64(aes_key + "="), IV = its first 16 bytes, plaintext = 16 random
 * bytes + 4-byte big-endian length + message + owner key, PKCS#7-padded to 32-byte blocks.
 */
export function platformEncrypt(aesKey: string, message: string, ownerKey: string): string {
	const key = Buffer.from(`${aesKey}=`, 'base64');
	const body = Buffer.from(message, 'utf8');
	const plain = Buffer.concat([
		randomBytes(16),
		Buffer.from([
			(body.length >>> 24) & 255,
			(body.length >>> 16) & 255,
			(body.length >>> 8) & 255,
			body.length & 255,
		]),
		body,
		Buffer.from(ownerKey),
	]);
	const pad = 32 - (plain.length % 32);
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
	return Buffer.concat([
		cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
		cipher.final(),
	]).toString('base64');
}

/** Decrypts what a receiver answered; returns the message and the owner key it was encrypted for. */
export function platformDecrypt(
	aesKey: string,
	encrypt: string,
): { message: string; ownerKey: string } {
	const key = Buffer.from(`${aesKey}=`, 'base64');
	const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
	const plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
	const unpadded = plain.subarray(0, plain.length - plain[plain.length - 1]);
	const length = unpadded.readUInt32BE(16);
	return {
		message: unpadded.subarray(20, 20 + length).toString('utf8'),
		ownerKey: unpadded.subarray(20 + length).toString('utf8'),
	};
}

/** SHA-1 hex over the sorted token, timestamp, nonce and encrypt. */
export const platformSignature = (
	token: string,
	timestamp: string,
	nonce: string,
	encrypt: string,
) => createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');

export const STREAM_PATH = '/stream/connect';
export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
/** The sandbox app's HTTP callback secrets (the credential's Callback Token and AES Key). */
export const CALLBACK_SECRETS = {
	callbackToken: 'sandboxToken123',
	callbackAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

export interface StreamAck {
	code: number;
	headers: { messageId?: string; contentType?: string };
	message: string;
	data: string;
}

interface Client {
	ws: WebSocket;
	subscriptions: Array<{ type: string; topic: string }>;
	ticket: string;
}

export class StreamServer {
	readonly clients = new Set<Client>();
	/** The most connections open at the same time. */
	maxClients = 0;
	/** Every ticket a connection used, in order. */
	readonly connected: string[] = [];
	/** Tickets handed out and not yet used: ticket → when (ms) and its subscriptions. */
	private readonly tickets = new Map<
		string,
		{ at: number; subscriptions: Array<{ type: string; topic: string }> }
	>();
	readonly acks: StreamAck[] = [];
	readonly violations: string[] = [];
	private readonly pending = new Map<string, (ack: StreamAck) => void>();
	private readonly server = new WebSocketServer({ noServer: true });

	constructor(httpServer: http.Server) {
		httpServer.on('upgrade', (req, socket, head) => {
			const url = new URL(req.url ?? '/', 'http://fake');
			if (url.pathname !== STREAM_PATH) return;
			const ticket = url.searchParams.get('ticket') ?? '';
			const issued = this.tickets.get(ticket);
			// "ticket … 有效期90秒 … 只能使用一次".
			if (!issued || Date.now() - issued.at > 90_000) {
				socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
				socket.destroy();
				return;
			}
			this.tickets.delete(ticket);
			this.server.handleUpgrade(req, socket, head, (ws) => {
				const client = { ws, subscriptions: issued.subscriptions, ticket };
				this.clients.add(client);
				this.maxClients = Math.max(this.maxClients, this.clients.size);
				this.connected.push(ticket);
				ws.on('close', () => this.clients.delete(client));
				ws.on('message', (data: Buffer) => this.onAck(data));
			});
		});
	}

	/** connections/open: a one-time ticket for these subscriptions. */
	issue(subscriptions: Array<{ type: string; topic: string }>): string {
		const ticket = randomBytes(16).toString('hex');
		this.tickets.set(ticket, { at: Date.now(), subscriptions });
		return ticket;
	}

	private onAck(data: Buffer): void {
		let ack: StreamAck;
		try {
			ack = JSON.parse(data.toString('utf8')) as StreamAck;
		} catch {
			this.violations.push(
				`stream: an acknowledgement is not JSON: ${data.toString('utf8').slice(0, 100)}`,
			);
			return;
		}
		if (ack.code !== 200 && ack.code !== 500) this.violations.push(`stream: ack code ${ack.code}`);
		if (ack.headers?.contentType !== 'application/json')
			this.violations.push('stream: ack headers.contentType must be application/json');
		if (typeof ack.data !== 'string')
			this.violations.push('stream: ack data must be a JSON string');
		if (typeof ack.message !== 'string')
			this.violations.push('stream: ack message must be a string');
		this.acks.push(ack);
		const waiting = this.pending.get(String(ack.headers?.messageId));
		if (waiting) {
			this.pending.delete(String(ack.headers?.messageId));
			waiting(ack);
		} else {
			this.violations.push(
				`stream: ack for an unknown messageId ${String(ack.headers?.messageId)}`,
			);
		}
	}

	/** Pushes a frame to one connection subscribed to its topic (DingTalk picks one), and waits for the ack. */
	async push(
		frame: { type: 'EVENT' | 'CALLBACK' | 'SYSTEM'; headers: Record<string, string>; data: string },
		timeoutMs = 10_000,
	): Promise<StreamAck> {
		const messageId = frame.headers.messageId ?? randomUUID();
		const topic = frame.headers.topic;
		const target = [...this.clients].find(
			(c) =>
				c.ws.readyState === 1 &&
				(frame.type === 'SYSTEM' ||
					c.subscriptions.some(
						(s) =>
							s.type === frame.type &&
							(s.topic === topic || (frame.type === 'EVENT' && s.topic === '*')),
					)),
		);
		if (!target) throw new Error(`no stream connection subscribed to ${frame.type} ${topic}`);
		const ack = new Promise<StreamAck>((resolve, reject) => {
			this.pending.set(messageId, resolve);
			const timer = setTimeout(() => {
				this.pending.delete(messageId);
				reject(new Error(`no ack for ${messageId} within ${timeoutMs} ms`));
			}, timeoutMs);
			timer.unref?.();
		});
		target.ws.send(
			JSON.stringify({
				specVersion: '1.0',
				type: frame.type,
				headers: {
					contentType: 'application/json',
					time: String(Date.now()),
					...frame.headers,
					messageId,
				},
				data: frame.data,
			}),
		);
		return await ack;
	}

	/** A robot message over Stream. */
	async robotMessage(payload: Record<string, unknown>): Promise<StreamAck> {
		return await this.push({
			type: 'CALLBACK',
			headers: { topic: ROBOT_TOPIC, appId: 'ding-test-key' },
			data: JSON.stringify(payload),
		});
	}

	/** An event over Stream (the same eventId again is a redelivery). */
	async event(
		eventType: string,
		data: Record<string, unknown>,
		eventId: string = randomUUID(),
	): Promise<StreamAck> {
		return await this.push({
			type: 'EVENT',
			headers: {
				topic: '*',
				eventType,
				eventId,
				eventCorpId: 'dingcorp0001',
				eventBornTime: String(Date.now()),
				eventUnifiedAppId: 'app-unified-1',
			},
			data: JSON.stringify(data),
		});
	}

	/** A SYSTEM ping: the client must echo its data. */
	async ping(): Promise<StreamAck> {
		const data = JSON.stringify({ opaque: randomUUID() });
		const ack = await this.push({ type: 'SYSTEM', headers: { topic: 'ping' }, data });
		if (ack.data !== data)
			this.violations.push(`stream: the ping was not echoed (sent ${data}, got ${ack.data})`);
		return ack;
	}

	/** A SYSTEM disconnect: no ack; the server closes after 10 s (here `closeAfterMs`) if the client has not. */
	disconnect(closeAfterMs = 10_000): void {
		for (const client of this.clients) {
			client.ws.send(
				JSON.stringify({
					specVersion: '1.0',
					type: 'SYSTEM',
					headers: {
						topic: 'disconnect',
						messageId: randomUUID(),
						contentType: 'application/json',
					},
					data: JSON.stringify({ reason: 'load balancing' }),
				}),
			);
			const timer = setTimeout(() => client.ws.terminate(), closeAfterMs);
			timer.unref?.();
		}
	}

	/** Drops every connection without a word (a network failure). */
	dropAll(): void {
		for (const client of this.clients) client.ws.terminate();
	}

	async close(): Promise<void> {
		for (const client of this.clients) client.ws.terminate();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

let msgCounter = 0;

/** A robot message as DingTalk pushes it (the same shape over Stream and HTTP). */
export function robotMessagePayload(
	text: string,
	options: {
		group?: boolean;
		session?: string;
		expiresInMs?: number;
		staffId?: string;
		baseUrl?: string;
	} = {},
): IDataObject {
	const now = Date.now();
	const session = options.session ?? `sess-${randomBytes(6).toString('hex')}`;
	return {
		conversationId: options.group ? 'cidSandboxGroup0001==' : 'cidOtoStaff0002==',
		conversationType: options.group ? '2' : '1',
		...(options.group
			? {
					conversationTitle: 'Sandbox group',
					isInAtList: true,
					atUsers: [{ dingtalkId: '$:LWCP_v1:$robot' }],
				}
			: {}),
		msgId: `msg${++msgCounter}${randomBytes(4).toString('hex')}`,
		createAt: now,
		msgtype: 'text',
		text: { content: ` ${text}` },
		robotCode: 'ding-test-key',
		senderId: '$:LWCP_v1:$sender',
		senderNick: 'Han Meimei',
		senderStaffId: options.staffId ?? 'staff0002',
		senderCorpId: 'dingcorp0001',
		isAdmin: false,
		chatbotUserId: '$:LWCP_v1:$robot',
		chatbotCorpId: 'dingcorp0001',
		sessionWebhook: `${options.baseUrl ?? 'https://oapi.dingtalk.com'}/robot/sendBySession?session=${session}`,
		sessionWebhookExpiredTime: now + (options.expiresInMs ?? 5_400_000),
	};
}

/**
 * A file a user sends to the robot (one-on-one: "人与机器人的会话中：机器人支持接收语音、文件、视频类型"): msgtype
 * file, its content the file's name and its temporary downloadCode (from `fake.dim.receiveFile`).
 */
export function robotFilePayload(
	fileName: string,
	downloadCode: string,
	options: Parameters<typeof robotMessagePayload>[1] = {},
): IDataObject {
	const { text: _text, ...message } = robotMessagePayload('', options);
	return {
		...message,
		msgtype: 'file',
		content: {
			spaceId: '26018395561',
			fileName,
			downloadCode,
			fileId: `1${randomBytes(5).toString('hex')}`,
		},
	};
}

/** An HTTP-pushed event (flat), encrypted and signed with the sandbox app's callback secrets. */
export function callbackDelivery(
	payload: Record<string, unknown>,
	options: {
		token?: string;
		aesKey?: string;
		ownerKey?: string;
		timestamp?: string;
		nonce?: string;
	} = {},
): { query: Record<string, string>; body: Buffer } {
	const encrypt = platformEncrypt(
		options.aesKey ?? CALLBACK_SECRETS.callbackAesKey,
		JSON.stringify(payload),
		options.ownerKey ?? 'ding-test-key',
	);
	const timestamp = options.timestamp ?? String(Date.now());
	const nonce = options.nonce ?? randomBytes(4).toString('hex');
	const signature = platformSignature(
		options.token ?? CALLBACK_SECRETS.callbackToken,
		timestamp,
		nonce,
		encrypt,
	);
	return { query: { signature, timestamp, nonce }, body: Buffer.from(JSON.stringify({ encrypt })) };
}

/** The headers of a robot message in HTTP mode: timestamp (ms) and the documented sign with the app secret. */
export function robotCallbackHeaders(
	appSecret: string,
	timestamp = Date.now(),
): Record<string, string> {
	const sign = createHmac('sha256', appSecret)
		.update(`${timestamp}\n${appSecret}`)
		.digest('base64');
	return { 'content-type': 'application/json', timestamp: String(timestamp), sign };
}
