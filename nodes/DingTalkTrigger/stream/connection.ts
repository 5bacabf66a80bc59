import type { IDataObject } from 'n8n-workflow';
import { sleepWithAbort } from 'n8n-workflow';

/**
 * DingTalk's Stream mode (Stream 模式): open a connection (a ticket for one WebSocket, valid 90 s),
 * connect, answer SYSTEM pings, acknowledge every EVENT and CALLBACK with its messageId, and reconnect
 * with a fresh ticket after a `disconnect` or a drop. Knows nothing of what the messages mean: each
 * EVENT and CALLBACK goes to `onMessage`, whose answer goes back in the acknowledgement.
 * Protocol: https://opensource.dingtalk.com/developerpedia/docs/learn/stream/protocol
 */

/** The part of a WebSocket this client uses (the runtime's own, Node 22+; the `ws` package in tests). */
export interface Socket {
	readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	addEventListener(
		type: 'open' | 'message' | 'close' | 'error',
		listener: (event: { data?: unknown; code?: number; message?: string }) => void,
	): void;
}
type SocketFactory = (url: string) => Socket;

/** A frame the server pushes. */
export interface StreamFrame {
	specVersion?: string;
	type: 'SYSTEM' | 'EVENT' | 'CALLBACK' | string;
	headers: IDataObject;
	data?: string;
}

interface StreamHooks {
	/** POST /v1.0/gateway/connections/open: the endpoint and a one-time ticket. */
	open(): Promise<{ endpoint: string; ticket: string }>;
	/**
	 * Handles an EVENT or CALLBACK. For an EVENT, its result is the ack's status (`SUCCESS`, or `LATER` to
	 * have it sent again); for a CALLBACK, the `response` of the ack.
	 */
	onMessage(frame: StreamFrame): Promise<IDataObject | undefined>;
	onError(error: Error, fatal: boolean): void;
	socket: SocketFactory;
	log?(message: string): void;
}

/** An open failure with `retry: false` (wrong client ID or secret) ends the loop. */
const noRetry = (error: unknown): boolean => (error as { retry?: unknown })?.retry === false;

/**
 * A connection that brought nothing (no frame, no ping) for this long is taken for dead (a half-open TCP
 * connection never says so) and replaced with a new one; unacknowledged pushes are sent again by DingTalk.
 */
const IDLE_MS = 5 * 60_000;
/** How long stop() and a replaced socket wait for the close to complete. */
const CLOSE_GRACE_MS = 5000;

/** Reconnect backoff after failures: 1 s, 2 s, 4 s … at most 30 s. */
const backoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/** The documented acknowledgement: code 200, the messageId echoed, and `data` as a JSON string. */
function ackOf(frame: StreamFrame, data: IDataObject | string, code = 200): string {
	return JSON.stringify({
		code,
		headers: { messageId: frame.headers.messageId, contentType: 'application/json' },
		message: code === 200 ? 'OK' : 'error',
		data: typeof data === 'string' ? data : JSON.stringify(data),
	});
}

export class StreamConnection {
	private readonly stopping = new AbortController();
	private socket?: Socket;
	private running?: Promise<void>;
	/** Connections opened so far (for tests and logs). */
	connections = 0;
	private lastFrameAt = 0;

	constructor(
		private readonly hooks: StreamHooks,
		private readonly idleMs = IDLE_MS,
	) {}

	/** Starts the one connection loop of this trigger; a second call does nothing. */
	start(): void {
		this.running ??= this.loop();
	}

	async stop(): Promise<void> {
		this.stopping.abort();
		this.socket?.close(1000, 'trigger stopped');
		// A socket whose close never completes (a dead peer) does not hold the deactivation up.
		const grace = new AbortController();
		await Promise.race([
			this.running,
			sleepWithAbort(CLOSE_GRACE_MS, grace.signal).catch(() => undefined),
		]);
		grace.abort();
	}

	private async loop(): Promise<void> {
		let failures = 0;
		while (!this.stopping.signal.aborted) {
			let opened = false;
			try {
				const { endpoint, ticket } = await this.hooks.open();
				const url = new URL(endpoint);
				url.searchParams.set('ticket', ticket);
				opened = await this.session(url.toString());
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
			// After a session that was open (a disconnect for load balancing, a drop): a moment, then a new ticket.
			await this.pause(failures === 0 ? 200 + Math.random() * 800 : backoff(failures - 1));
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

	/** One WebSocket session; resolves when it closes, with whether it was ever open. */
	private async session(url: string): Promise<boolean> {
		const socket = this.hooks.socket(url);
		this.socket = socket;
		this.connections++;
		let opened = false;
		const closed = new AbortController();
		await new Promise<void>((resolve) => {
			const finish = () => {
				closed.abort();
				resolve();
			};
			socket.addEventListener('open', () => {
				opened = true;
				this.lastFrameAt = Date.now();
				this.hooks.log?.(`stream connection open (${this.connections})`);
				void this.watch(socket, closed.signal, finish);
			});
			socket.addEventListener('message', (event) => {
				this.lastFrameAt = Date.now();
				void this.onMessage(socket, event.data);
			});
			socket.addEventListener('error', (event) =>
				this.hooks.onError(
					new Error(`stream connection error: ${event.message ?? 'unknown'}`),
					false,
				),
			);
			socket.addEventListener('close', finish);
			if (this.stopping.signal.aborted) socket.close(1000, 'trigger stopped');
		});
		if (this.socket === socket) this.socket = undefined;
		return opened;
	}

	/** Replaces a connection that stayed silent for idleMs; gives up on its close after a grace period. */
	private async watch(socket: Socket, closed: AbortSignal, finish: () => void): Promise<void> {
		for (;;) {
			try {
				await sleepWithAbort(Math.max(50, Math.min(30_000, this.idleMs / 4)), closed);
			} catch {
				return;
			}
			if (Date.now() - this.lastFrameAt < this.idleMs) continue;
			this.hooks.log?.('stream connection silent: replacing it');
			socket.close(4000, 'idle');
			try {
				await sleepWithAbort(CLOSE_GRACE_MS, closed);
			} catch {
				return;
			}
			finish();
			return;
		}
	}

	private async onMessage(socket: Socket, data: unknown): Promise<void> {
		let frame: StreamFrame;
		try {
			const text =
				typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
			frame = JSON.parse(text) as StreamFrame;
			frame.headers = frame.headers ?? (frame as unknown as { header?: IDataObject }).header ?? {};
		} catch (error) {
			this.hooks.onError(
				new Error(`a stream frame could not be read: ${(error as Error).message}`),
				false,
			);
			return;
		}
		const topic = String(frame.headers.topic ?? '');
		if (frame.type === 'SYSTEM') {
			if (topic === 'ping') {
				// Echo the opaque value.
				if (socket.readyState === 1) socket.send(ackOf(frame, frame.data ?? '{}'));
			} else if (topic === 'disconnect') {
				// The server closes in 10 s; close now and reconnect with a new ticket.
				this.hooks.log?.(`stream disconnect: ${frame.data ?? ''}`);
				socket.close(1000, 'disconnect requested');
			}
			return;
		}
		if (frame.type !== 'EVENT' && frame.type !== 'CALLBACK') return;
		let answer: string;
		try {
			const result = await this.hooks.onMessage(frame);
			answer =
				frame.type === 'EVENT'
					? ackOf(frame, result ?? { status: 'SUCCESS', message: 'OK' })
					: ackOf(frame, { response: result ?? null });
		} catch (error) {
			this.hooks.onError(error instanceof Error ? error : new Error(String(error)), false);
			// LATER: DingTalk sends the event again.
			answer =
				frame.type === 'EVENT'
					? ackOf(frame, { status: 'LATER', message: (error as Error).message })
					: ackOf(frame, { response: null }, 500);
		}
		if (socket.readyState === 1) socket.send(answer);
	}
}
