/**
 * The fake Feishu platform's side of event delivery: events in both schemas, encrypted and signed
 * exactly as the docs say, posted to a webhook; and the long connection (endpoint, WebSocket with the
 * pbbp2 frame protocol, fragments, acknowledgements, drops).
 */
import { createCipheriv, createHash, randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import type * as http from 'http';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import type { Frame } from '../../nodes/FeishuTrigger/ws/frame';
import { decodeFrame, encodeFrame, headerOf } from '../../nodes/FeishuTrigger/ws/frame';

/** The sandbox app's event secrets (Events & Callbacks page). */
export const EVENT_SECRETS = {
	encryptKey: 'sandbox-encrypt-key-2026',
	verificationToken: 'sandbox-verification-token',
};

let counter = 0;

/** A schema 2.0 event, as Feishu sends it (before encryption). */
export function event2(
	eventType: string,
	event: IDataObject,
	options: { eventId?: string; token?: string } = {},
): IDataObject {
	return {
		schema: '2.0',
		header: {
			event_id:
				options.eventId ??
				`ev_${Date.now().toString(16)}_${++counter}_${randomBytes(4).toString('hex')}`,
			token: options.token ?? EVENT_SECRETS.verificationToken,
			create_time: String(Date.now()),
			event_type: eventType,
			tenant_key: 'tenant-sandbox',
			app_id: 'cli_test_app',
		},
		event,
	};
}

/** A user's text message to the bot (im.message.receive_v1). */
export function messageEvent(
	text: string,
	options: {
		chatType?: 'p2p' | 'group';
		mentions?: IDataObject[];
		eventId?: string;
		senderType?: string;
	} = {},
): IDataObject {
	return event2(
		'im.message.receive_v1',
		{
			sender: {
				sender_id: { open_id: 'ou_1', union_id: 'on_1', user_id: 'u001' },
				sender_type: options.senderType ?? 'user',
				tenant_key: 'tenant-sandbox',
			},
			message: {
				message_id: `om_evt${++counter}`,
				create_time: String(Date.now()),
				chat_id: options.chatType === 'group' ? 'oc_sandbox_general' : 'oc_p2p_ou_1',
				chat_type: options.chatType ?? 'p2p',
				message_type: 'text',
				content: JSON.stringify({ text }),
				mentions: options.mentions ?? [],
			},
		},
		{ eventId: options.eventId },
	);
}

/** A card button click (card.action.trigger). */
export function cardActionEvent(value: IDataObject, eventId?: string): IDataObject {
	return event2(
		'card.action.trigger',
		{
			operator: {
				open_id: 'ou_2',
				user_id: 'u002',
				union_id: 'on_2',
				tenant_key: 'tenant-sandbox',
			},
			token: `c-${randomBytes(8).toString('hex')}`,
			action: { value, tag: 'button' },
			host: 'im_message',
			context: { open_message_id: 'om_card1', open_chat_id: 'oc_sandbox_general' },
		},
		{ eventId },
	);
}

/** `{"encrypt": …}`: AES-256-CBC, key SHA-256 of the Encrypt Key, a random IV in front, base64. */
export function encrypt(encryptKey: string, plaintext: string): string {
	const key = createHash('sha256').update(encryptKey).digest();
	const iv = randomBytes(16);
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** A webhook delivery: the raw body bytes and the headers Feishu sends with them. */
export function delivery(
	payload: Record<string, unknown>,
	options: { encryptKey?: string; rawJson?: string } = {},
): { body: Buffer; headers: Record<string, string> } {
	const json = options.rawJson ?? JSON.stringify(payload);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (!options.encryptKey) return { body: Buffer.from(json, 'utf8'), headers };
	// A space after the colon: the signature covers these exact bytes, not a re-serialisation.
	const body = Buffer.from(
		`{"encrypt": ${JSON.stringify(encrypt(options.encryptKey, json))}}`,
		'utf8',
	);
	const timestamp = String(Math.floor(Date.now() / 1000));
	const nonce = randomBytes(8).toString('hex');
	const signature = createHash('sha256')
		.update(timestamp + nonce + options.encryptKey)
		.update(body)
		.digest('hex');
	return {
		body,
		headers: {
			...headers,
			'x-lark-request-timestamp': timestamp,
			'x-lark-request-nonce': nonce,
			'x-lark-signature': signature,
		},
	};
}

/** Posts a delivery to a webhook URL; resolves with the status, the answer and how long it took. */
export async function post(
	url: string,
	d: { body: Buffer; headers: Record<string, string> },
): Promise<{ status: number; json: unknown; ms: number }> {
	const started = Date.now();
	const response = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: response.status, json, ms: Date.now() - started };
}

/** What a client acknowledged: the ack frame and its decoded response. */
export interface Ack {
	frame: Frame;
	response: { code: number; data?: string };
	/** The decoded `data` (a card callback's answer). */
	data?: unknown;
}

/**
 * The long-connection server of the fake: WebSocket upgrades on the fake's own HTTP server at /ws. Each
 * event goes to one connected client (Feishu's cluster mode), in one or more data frames; the client's
 * ack comes back as a promise.
 */
export class LongConnectionServer {
	readonly clients = new Set<WebSocket>();
	/** Every connection ever opened (device IDs). */
	readonly opened: string[] = [];
	readonly pings: number[] = [];
	private readonly server: WebSocketServer;
	private readonly pending = new Map<string, (ack: Ack) => void>();
	private seq = 1n;
	/** The ClientConfig the endpoint and pongs hand out (seconds). */
	config = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 1 };
	serviceId = 7;

	constructor(http: http.Server) {
		this.server = new WebSocketServer({ noServer: true });
		http.on('upgrade', (req, socket, head) => {
			const url = new URL(req.url ?? '/', 'http://fake');
			if (url.pathname !== '/ws') {
				// The DingTalk Stream endpoint has its own server on the same port.
				if (url.pathname !== '/stream/connect') socket.destroy();
				return;
			}
			this.server.handleUpgrade(req, socket, head, (ws) => {
				this.clients.add(ws);
				this.opened.push(url.searchParams.get('device_id') ?? '');
				ws.on('close', () => this.clients.delete(ws));
				ws.on('message', (data: Buffer) => this.onFrame(ws, data));
			});
		});
	}

	/** The endpoint answer: a URL with device_id and service_id, and the client settings. */
	endpoint(base: string): Record<string, unknown> {
		const host = new URL(base).host;
		return {
			URL: `ws://${host}/ws?device_id=dev-${this.opened.length + 1}&service_id=${this.serviceId}`,
			ClientConfig: this.config,
		};
	}

	private onFrame(ws: WebSocket, data: Buffer): void {
		const frame = decodeFrame(data);
		if (frame.method === 0 && headerOf(frame, 'type') === 'ping') {
			this.pings.push(Date.now());
			ws.send(
				encodeFrame({
					...frame,
					headers: [{ key: 'type', value: 'pong' }],
					payload: Buffer.from(JSON.stringify(this.config)),
				}),
			);
			return;
		}
		const id = headerOf(frame, 'message_id') ?? '';
		const resolve = this.pending.get(id);
		if (!resolve || !frame.payload) return;
		this.pending.delete(id);
		const response = JSON.parse(frame.payload.toString('utf8')) as Ack['response'];
		resolve({
			frame,
			response,
			data: response.data
				? JSON.parse(Buffer.from(response.data, 'base64').toString('utf8'))
				: undefined,
		});
	}

	/** Sends one event to one connected client, split into `fragments` data frames; resolves with its ack. */
	async send(
		payload: Record<string, unknown>,
		options: { fragments?: number; messageId?: string } = {},
	): Promise<Ack> {
		const client = [...this.clients][Math.floor(Math.random() * this.clients.size)];
		if (!client) throw new Error('no long-connection client is connected');
		const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
		const sum = options.fragments ?? 1;
		const messageId = options.messageId ?? `msg-${randomBytes(6).toString('hex')}`;
		const acked = new Promise<Ack>((resolve) => this.pending.set(messageId, resolve));
		const size = Math.ceil(bytes.length / sum);
		for (let seq = 0; seq < sum; seq++) {
			const frame: Frame = {
				seqId: this.seq++,
				logId: 9_007_199_254_740_993n + this.seq,
				service: this.serviceId,
				method: 1,
				headers: [
					{ key: 'type', value: 'event' },
					{ key: 'message_id', value: messageId },
					{ key: 'sum', value: String(sum) },
					{ key: 'seq', value: String(seq) },
					{ key: 'trace_id', value: randomBytes(4).toString('hex') },
				],
				payload: bytes.subarray(seq * size, (seq + 1) * size),
			};
			client.send(encodeFrame(frame));
		}
		return await acked;
	}

	/** Drops every connection, as a network failure or a server restart would. */
	dropAll(): void {
		for (const client of this.clients) client.terminate();
	}

	async close(): Promise<void> {
		this.dropAll();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
