/**
 * When a request of this process was handed to the network: the moment the node's HTTP client finished
 * writing it, as Node's `http.client.request.start` channel reports it.
 *
 * The unit tests run the node and the fake in one process. On a loaded machine that process can stall
 * for longer than a scaled-down pacing window between the client writing a request and the fake's
 * handler reading it, so arrival times would show a burst the node never sent. A remote platform counts
 * requests as they arrive over a network of steady latency: counting them when they were handed to the
 * network is that, without this process's own stalls. Requests from other processes (n8n in the e2e
 * suite and `npm run dev`, fetch calls of a test) carry no stamp and count when they arrive.
 */
import * as dc from 'node:diagnostics_channel';
import type * as http from 'node:http';
import type { Socket } from 'node:net';

/** Hand-off times not yet read by a server, per connection (client port → server port), in order. */
const pending = new Map<string, number[]>();
/** Hand-offs on a socket still connecting (its ports are not known yet). */
const connecting = new WeakMap<Socket, number[]>();
let watching = false;

const connection = (from: number | undefined, to: number | undefined): string => `${from}>${to}`;

/** Note a hand-off on a connected socket; its first one also forgets its stamps when it closes. */
function record(socket: Socket, times: number[]): void {
	const key = connection(socket.localPort, socket.remotePort);
	const queued = pending.get(key);
	if (queued) queued.push(...times);
	else {
		pending.set(key, [...times]);
		// A closed connection's port is used again by another one: its unread stamps go with it.
		socket.once('close', () => pending.delete(key));
	}
}

function stamp(socket: Socket, at: number): void {
	if (socket.remotePort !== undefined) return record(socket, [at]);
	const early = connecting.get(socket);
	if (early) return void early.push(at);
	connecting.set(socket, [at]);
	socket.once('connect', () => {
		record(socket, connecting.get(socket) ?? []);
		connecting.delete(socket);
	});
}

/** Start stamping this process's HTTP requests (once per process). */
export function watchHandOffs(): void {
	if (watching) return;
	watching = true;
	dc.subscribe('http.client.request.start', (message) => {
		const at = Date.now();
		const request = (message as { request: http.ClientRequest }).request;
		if (request.socket) stamp(request.socket, at);
		else request.once('socket', (socket: Socket) => stamp(socket, at));
	});
}

/** When the request the server reads from this connection was handed to the network, if it came from this process. */
export function handedOffAt(req: http.IncomingMessage): number | undefined {
	const key = connection(req.socket.remotePort, req.socket.localPort);
	return pending.get(key)?.shift();
}
