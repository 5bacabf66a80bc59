import { createHash, randomInt } from 'node:crypto';

interface Entry {
	token?: string;
	/** When to get a new token: a margin before the expiry the platform reported. */
	refreshAt: number;
	/** The token a caller is getting right now, for the others to wait for. */
	pending?: Promise<string>;
	settle?: { resolve(token: string): void; reject(error: unknown): void };
	/** Every token this entry has held, so that output and errors can be scrubbed of them. */
	seen: string[];
}

/** Refresh this long before the reported expiry: 5 minutes, or a fifth of a short lifetime. */
export function refreshMargin(lifetimeMs: number): number {
	return Math.min(5 * 60 * 1000, lifetimeMs / 5);
}

/**
 * This process refreshes a shared token this much earlier than the time stored with it (a random share of
 * up to half the margin, drawn once per process), so that the processes of a deployment do not all refresh
 * at the same moment: the first one saves its token in the credential, and the others find it there.
 */
const spread = randomInt(0, 1_000_000) / 1_000_000;
export const processLead = (marginMs: number) => Math.floor((spread * marginMs) / 2);

const entries = new Map<string, Entry>();

/**
 * The in-process access-token cache, one entry per credential (app key, secret and host): the fast path.
 * It lives as long as the n8n process, so every execution and every item in it share one token. When it
 * has no valid token, exactly one caller is told to get one (`acquire` answers undefined) and the others
 * wait for what that caller `adopt`s (or its `fail`ure).
 */
export class TokenCache {
	private readonly entry: Entry;

	constructor(parts: string[]) {
		const key = createHash('sha256').update(parts.join('\u0000')).digest('hex');
		let entry = entries.get(key);
		if (!entry) {
			entry = { refreshAt: 0, seen: [] };
			entries.set(key, entry);
		}
		this.entry = entry;
	}

	/**
	 * A token that is valid for a while yet, or undefined: then this caller gets one and reports it with
	 * `adopt` (or `fail`). With `stale`, that token was rejected by the platform and is dropped first (unless
	 * another caller already replaced it).
	 */
	async acquire(stale?: string): Promise<string | undefined> {
		const entry = this.entry;
		if (stale !== undefined && entry.token === stale) {
			entry.token = undefined;
			entry.refreshAt = 0;
		}
		if (entry.token && Date.now() < entry.refreshAt) return entry.token;
		if (entry.pending) return await entry.pending;
		entry.pending = new Promise<string>((resolve, reject) => (entry.settle = { resolve, reject }));
		// Nobody may be waiting: a failure is still handled by the caller that got it.
		entry.pending.catch(() => undefined);
		return undefined;
	}

	/** The token to use until `refreshAt` (ms since the epoch); hands it to the callers that wait. */
	adopt(token: string, refreshAt: number): void {
		const entry = this.entry;
		entry.token = token;
		entry.refreshAt = refreshAt;
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
