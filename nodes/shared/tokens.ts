import { createHash } from 'node:crypto';

import type { IssuedToken } from '../../credentials/platformAuth';


interface Entry {
	token?: string;
	/** When to get a new token: a margin before the expiry the platform reported. */
	refreshAt: number;
	pending?: Promise<string>;
	/** Every token this entry has held, so that output and errors can be scrubbed of them. */
	seen: string[];
}

/** Refresh this long before the reported expiry: 5 minutes, or a fifth of a short lifetime. */
function refreshMargin(lifetimeMs: number): number {
	return Math.min(5 * 60 * 1000, lifetimeMs / 5);
}

const entries = new Map<string, Entry>();

/**
 * The in-process access-token cache, one entry per credential (app key, secret and host).
 * It lives as long as the n8n process, so every execution and every item in it share one token;
 * concurrent callers share one in-flight token request.
 */
export class TokenCache {
	private readonly entry: Entry;

	constructor(
		parts: string[],
		private readonly issue: () => Promise<IssuedToken>,
	) {
		const key = createHash('sha256').update(parts.join('\u0000')).digest('hex');
		let entry = entries.get(key);
		if (!entry) {
			entry = { refreshAt: 0, seen: [] };
			entries.set(key, entry);
		}
		this.entry = entry;
	}

	/** A token that is valid for a while yet; requests a new one only when needed. */
	async get(): Promise<string> {
		const entry = this.entry;
		if (entry.token && Date.now() < entry.refreshAt) return entry.token;
		if (!entry.pending) {
			entry.pending = this.issue().then(
				(issued) => {
					const lifetime = Math.max(0, issued.expiresIn) * 1000;
					const now = Date.now();
					entry.token = issued.token;
					entry.refreshAt = now + lifetime - refreshMargin(lifetime);
					if (!entry.seen.includes(issued.token)) entry.seen.push(issued.token);
					if (entry.seen.length > 20) entry.seen.shift();
					entry.pending = undefined;
					return issued.token;
				},
				(error: unknown) => {
					entry.pending = undefined;
					throw error;
				},
			);
		}
		return await entry.pending;
	}

	/**
	 * The platform said `stale` is invalid or expired. Drop it (unless another caller already replaced it)
	 * and return a fresh token; concurrent callers reporting the same stale token share one refresh.
	 */
	async renew(stale: string): Promise<string> {
		if (this.entry.token === stale) {
			this.entry.token = undefined;
			this.entry.refreshAt = 0;
		}
		return await this.get();
	}

	known(): string[] {
		return [...this.entry.seen];
	}
}
