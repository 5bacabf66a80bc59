import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';

/** A documented rate limit: requests per second and/or per minute. The stricter one sets the pace. */
export interface RateLimit {
	perSecond?: number;
	perMinute?: number;
}

interface Lane {
	/** Earliest time the next request may start. */
	nextSlot: number;
}

const lanes = new Map<string, Lane>();

/**
 * Requests are spaced 2% wider than the limit allows: platforms count in fixed windows, and
 * evenly spaced requests exactly at the limit can put one too many into a window.
 */
const HEADROOM = 1.02;

/** Milliseconds between two requests that keep within a limit. */
export function intervalFor(limit: RateLimit): number {
	const perSecond = Math.min(limit.perSecond ?? Infinity, (limit.perMinute ?? Infinity) / 60);
	return perSecond === Infinity || perSecond <= 0 ? 0 : 1000 / perSecond;
}

/**
 * Paces requests per credential and per API within this process: requests of one lane start at least
 * `interval` apart, whatever the concurrency. The platforms' limits are per app and per API, so every
 * execution using the same credential shares the lane.
 */
export class Pacer {
	private readonly prefix: string;

	constructor(parts: string[]) {
		this.prefix = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
	}

	/** Waits for this request's slot in the lane. */
	async acquire(api: string, intervalMs: number): Promise<void> {
		if (intervalMs <= 0) return;
		const lane = this.lane(api);
		const now = Date.now();
		const slot = Math.max(now, lane.nextSlot);
		lane.nextSlot = slot + intervalMs * HEADROOM;
		// Timers cannot wait less than a millisecond; a slot that close is taken now.
		if (slot - now >= 1) await sleep(slot - now);
	}

	/** The platform said "too fast": hold the whole lane for `waitMs`. */
	hold(api: string, waitMs: number): void {
		const lane = this.lane(api);
		lane.nextSlot = Math.max(lane.nextSlot, Date.now() + waitMs);
	}

	private lane(api: string): Lane {
		const key = `${this.prefix}:${api}`;
		let lane = lanes.get(key);
		if (!lane) {
			lane = { nextSlot: 0 };
			lanes.set(key, lane);
		}
		return lane;
	}
}
