import type { IDataObject } from 'n8n-workflow';
import { sleepWithAbort } from 'n8n-workflow';

import type { Frame } from './frame';
import { decodeFrame, encodeFrame, headerOf, METHOD_CONTROL, METHOD_DATA } from './frame';

/**
 * The long connection (长连接) of a Feishu / Lark app: get the endpoint, open the WebSocket, ping,
 * re-assemble and acknowledge data frames, and reconnect. Knows nothing of what events mean: every
 * event payload goes to `onEvent`, whose answer (a card callback's response) goes back in the ack.
 */

/** The part of a WebSocket this client uses (the runtime's own, Node 22+; the `ws` package in tests). */
export interface Socket {
	binaryType: string;
	readyState: number;
	send(data: Uint8Array): void;
	close(code?: number, reason?: string): void;
	addEventListener(
		type: 'open' | 'message' | 'close' | 'error',
		listener: (event: { data?: unknown; code?: number; message?: string }) => void,
	): void;
}
type SocketFactory = (url: string) => Socket;

/** The server's client settings (seconds), from the endpoint answer and pong frames. */
interface ClientConfig {
	PingInterval?: number;
	ReconnectCount?: number;
	ReconnectInterval?: number;
	ReconnectNonce?: number;
}

export interface Endpoint {
	url: string;
	config: ClientConfig;
}

/** An endpoint failure with `retry: false` (a documented client error: wrong app, too many connections) ends the loop. */
const noRetry = (error: unknown): boolean => (error as { retry?: unknown })?.retry === false;

interface ConnectionHooks {
	endpoint(): Promise<Endpoint>;
	/** Handles one event payload; its answer (if any) is sent back in the acknowledgement. */
	onEvent(payload: IDataObject): Promise<IDataObject | undefined>;
	/** A failure that stops the connection for good (a client error), or that is only worth logging. */
	onError(error: Error, fatal: boolean): void;
	socket: SocketFactory;
	log?(message: string): void;
}

const DEFAULTS = {
	PingInterval: 120,
	ReconnectCount: -1,
	ReconnectInterval: 120,
	ReconnectNonce: 30,
};
/** Fragments of one event that do not all arrive within this time are dropped (the SDKs use 5 to 10 s). */
const FRAGMENT_TTL_MS = 10_000;
/** Reconnect backoff: 1 s, 2 s, 4 s … at most the server's ReconnectInterval. */
const backoff = (attempt: number, intervalS: number) =>
	Math.min(intervalS * 1000, 1000 * 2 ** attempt);

export class LongConnection {
	private readonly stopping = new AbortController();
	private config: Required<ClientConfig> = { ...DEFAULTS };
	private socket?: Socket;
	private running?: Promise<void>;
	private readonly fragments = new Map<
		string,
		{ parts: Array<Buffer | undefined>; since: number }
	>();
	/** Connections opened so far (for tests and logs). */
	connections = 0;

	constructor(private readonly hooks: ConnectionHooks) {}

	/** Starts the one connection loop of this trigger; a second call does nothing. */
	start(): void {
		this.running ??= this.loop();
	}

	async stop(): Promise<void> {
		this.stopping.abort();
		this.socket?.close(1000, 'trigger stopped');
		await this.running;
	}

	private async loop(): Promise<void> {
		let failures = 0;
		while (!this.stopping.signal.aborted) {
			let opened = false;
			try {
				const endpoint = await this.hooks.endpoint();
				this.applyConfig(endpoint.config);
				opened = await this.session(endpoint.url);
			} catch (raw) {
				const error = raw instanceof Error ? raw : new Error(String(raw));
				if (noRetry(raw)) {
					this.hooks.onError(error, true);
					return;
				}
				this.hooks.onError(error, false);
			}
			if (this.stopping.signal.aborted) return;
			failures = opened ? 0 : failures + 1;
			if (this.config.ReconnectCount >= 0 && failures > this.config.ReconnectCount) {
				this.hooks.onError(
					new Error(
						`the long connection failed ${failures} times in a row; giving up as the server's ReconnectCount says`,
					),
					true,
				);
				return;
			}
			// After a drop: a random moment within the server's ReconnectNonce (at most 5 s), then backoff.
			const jitter = Math.random() * Math.min(this.config.ReconnectNonce, 5) * 1000;
			await this.pause(
				failures === 0 ? jitter : backoff(failures - 1, this.config.ReconnectInterval) + jitter,
			);
		}
	}

	private async pause(ms: number): Promise<void> {
		try {
			await sleepWithAbort(ms, this.stopping.signal);
		} catch {
			// Stopped while waiting: the loop ends.
			return;
		}
	}

	private applyConfig(config: ClientConfig | undefined): void {
		for (const key of Object.keys(DEFAULTS) as Array<keyof ClientConfig>) {
			const value = config?.[key];
			if (typeof value === 'number' && Number.isFinite(value)) this.config[key] = value;
		}
	}

	/** One WebSocket session; resolves when it closes, with whether it was ever open. */
	private async session(url: string): Promise<boolean> {
		const serviceId = Number(new URL(url).searchParams.get('service_id') ?? 0);
		const socket = this.hooks.socket(url);
		socket.binaryType = 'arraybuffer';
		this.socket = socket;
		this.connections++;
		const closed = new AbortController();
		let opened = false;
		await new Promise<void>((resolve) => {
			socket.addEventListener('open', () => {
				opened = true;
				this.hooks.log?.(`long connection open (${this.connections})`);
				void this.pingLoop(socket, serviceId, closed.signal);
			});
			socket.addEventListener('message', (event) => void this.onMessage(socket, event.data));
			socket.addEventListener('error', (event) =>
				this.hooks.onError(
					new Error(`long connection error: ${event.message ?? 'unknown'}`),
					false,
				),
			);
			socket.addEventListener('close', () => {
				closed.abort();
				resolve();
			});
			if (this.stopping.signal.aborted) socket.close(1000, 'trigger stopped');
		});
		if (this.socket === socket) this.socket = undefined;
		return opened;
	}

	private async pingLoop(socket: Socket, service: number, closed: AbortSignal): Promise<void> {
		for (;;) {
			try {
				await sleepWithAbort(this.config.PingInterval * 1000, closed);
			} catch {
				return;
			}
			if (socket.readyState !== 1) return;
			socket.send(
				encodeFrame({
					seqId: 0n,
					logId: 0n,
					service,
					method: METHOD_CONTROL,
					headers: [{ key: 'type', value: 'ping' }],
				}),
			);
		}
	}

	private async onMessage(socket: Socket, data: unknown): Promise<void> {
		let frame: Frame;
		try {
			const bytes =
				data instanceof ArrayBuffer
					? Buffer.from(data)
					: Buffer.isBuffer(data)
						? data
						: Buffer.from(data as Uint8Array);
			frame = decodeFrame(bytes);
		} catch (error) {
			this.hooks.onError(
				new Error(`a long-connection frame could not be decoded: ${(error as Error).message}`),
				false,
			);
			return;
		}
		if (frame.method === METHOD_CONTROL) {
			if (headerOf(frame, 'type') === 'pong' && frame.payload && frame.payload.length > 0) {
				try {
					this.applyConfig(JSON.parse(frame.payload.toString('utf8')) as ClientConfig);
				} catch {
					// A pong without settings.
				}
			}
			return;
		}
		if (frame.method !== METHOD_DATA) return;
		const payload = this.assemble(frame);
		if (!payload) return;
		const started = Date.now();
		let answer: { code: number; data?: string } = { code: 200 };
		try {
			const event = JSON.parse(payload.toString('utf8')) as IDataObject;
			const result = await this.hooks.onEvent(event);
			if (result !== undefined)
				answer = {
					code: 200,
					data: Buffer.from(JSON.stringify(result), 'utf8').toString('base64'),
				};
		} catch (error) {
			this.hooks.onError(error instanceof Error ? error : new Error(String(error)), false);
			answer = { code: 500 };
		}
		if (socket.readyState !== 1) return;
		// The documented ack: the same frame, a biz_rt header (ms), and the response as its payload.
		socket.send(
			encodeFrame({
				...frame,
				headers: [...frame.headers, { key: 'biz_rt', value: String(Date.now() - started) }],
				payload: Buffer.from(JSON.stringify(answer), 'utf8'),
			}),
		);
	}

	/** The whole payload of a data frame, once every fragment of its message has arrived. */
	private assemble(frame: Frame): Buffer | undefined {
		const sum = Number(headerOf(frame, 'sum') ?? '1');
		const seq = Number(headerOf(frame, 'seq') ?? '0');
		if (!Number.isInteger(sum) || sum <= 1) return frame.payload ?? Buffer.alloc(0);
		const id = headerOf(frame, 'message_id') ?? '';
		if (!Number.isInteger(seq) || seq < 0 || seq >= sum || id === '') return undefined;
		const now = Date.now();
		for (const [key, entry] of this.fragments)
			if (now - entry.since > FRAGMENT_TTL_MS) this.fragments.delete(key);
		const entry = this.fragments.get(id) ?? {
			parts: new Array<Buffer | undefined>(sum).fill(undefined),
			since: now,
		};
		entry.parts[seq] = frame.payload ?? Buffer.alloc(0);
		this.fragments.set(id, entry);
		if (entry.parts.some((p) => p === undefined)) return undefined;
		this.fragments.delete(id);
		return Buffer.concat(entry.parts as Buffer[]);
	}
}
