import { createHash } from 'node:crypto';

interface Entry {
	token?: string;
	/** When this process gets a new token. */
	due: number;
	/** The token a caller is getting right now, for the others to wait for. */
	pending?: Promise<string>;
	settle?: { resolve(token: string): void; reject(error: unknown): void };
	/** Every token this entry has held, so that output and errors can be scrubbed of them. */
	seen: string[];
}

const entries = new Map<string, Entry>();

/**
 * The in-process cache, one entry per credential (app key, secret and host): the fast path. It lives as
 * long as the n8n process, so every execution and every item in it share one token. When it has no valid
 * token, exactly one caller is told to get one (`claim` answers undefined) and the others wait for what
 * that caller `adopt`s (or its `fail`ure).
 */
export class TokenCache {
	private readonly entry: Entry;

	constructor(parts: string[]) {
		const key = createHash('sha256').update(parts.join('\u0000')).digest('hex');
		let entry = entries.get(key);
		if (!entry) {
			entry = { due: 0, seen: [] };
			entries.set(key, entry);
		}
		this.entry = entry;
	}

	/** A valid token, or undefined: this caller gets one. `stale` was rejected and is dropped first (unless already replaced). */
	async claim(stale?: string): Promise<string | undefined> {
		const entry = this.entry;
		if (stale !== undefined && entry.token === stale) {
			entry.token = undefined;
			entry.due = 0;
		}
		if (entry.token && Date.now() < entry.due) return entry.token;
		if (entry.pending) return await entry.pending;
		entry.pending = new Promise<string>((resolve, reject) => (entry.settle = { resolve, reject }));
		// Nobody may be waiting: a failure is still handled by the caller that got it.
		entry.pending.catch(() => undefined);
		return undefined;
	}

	/** The token to use until `due`; hands it to the callers that wait. */
	adopt(token: string, due: number): void {
		const entry = this.entry;
		entry.token = token;
		entry.due = due;
		if (!entry.seen.includes(token)) entry.seen.push(token);
		if (entry.seen.length > 20) entry.seen.shift();
		const settle = entry.settle;
		entry.pending = undefined;
		entry.settle = undefined;
		settle?.resolve(token);
	}

	/** Getting a token failed: the callers that wait get the failure; the next caller tries again. */
	fail(error: unknown): void {
		const settle = this.entry.settle;
		this.entry.pending = undefined;
		this.entry.settle = undefined;
		settle?.reject(error);
	}

	known(): string[] {
		return [...this.entry.seen];
	}
}
