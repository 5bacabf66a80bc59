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
let watching = false;

const connection = (from: number | undefined, to: number | undefined): string => `${from}>${to}`;

/** Start stamping this process's HTTP requests (once per process). */
export function watchHandOffs(): void {
	if (watching) return;
	watching = true;
	dc.subscribe('http.client.request.start', (message) => {
		const at = Date.now();
		const request = (message as { request: http.ClientRequest }).request;
		const stamp = (socket: Socket): void => {
			const record = (): void => {
				const key = connection(socket.localPort, socket.remotePort);
				const times = pending.get(key);
				if (times) times.push(at);
				else {
					pending.set(key, [at]);
					// A closed connection's port is used again by another one: its unread stamps go with it.
					socket.once('close', () => pending.delete(key));
				}
			};
			if (socket.remotePort !== undefined) record();
			else socket.once('connect', record);
		};
		if (request.socket) stamp(request.socket);
		else request.once('socket', stamp);
	});
}

/** When the request the server reads from this connection was handed to the network, if it came from this process. */
export function handedOffAt(req: http.IncomingMessage): number | undefined {
	const key = connection(req.socket.remotePort, req.socket.localPort);
	return pending.get(key)?.shift();
}
