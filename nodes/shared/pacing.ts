import { createHash } from 'node:crypto';
import { sleep } from 'n8n-workflow';

/** A documented rate limit: requests per second and/or per minute. Both hold at once. */
export interface RateLimit {
	perSecond?: number;
	perMinute?: number;
}

/** A documented limit with the page that states it (the platforms' limit tables). */
export interface DocumentedLimit extends RateLimit {
	doc: string;
}

/** No more than `limit` requests in any `windowMs`. */
export interface Window {
	limit: number;
	windowMs: number;
}

interface Lane {
	/** Per window: the start times of the latest requests, oldest first (at most `limit` of them). */
	starts: number[][];
	windows: Window[];
	/** A "too fast" answer holds the whole lane until then. */
	heldUntil: number;
}

const lanes = new Map<string, Lane>();

/**
 * Each window is counted 2% and 50 ms longer than documented: the platform counts arrivals, not our
 * start times, and the two differ by the network's jitter and the clocks' skew. Sliding windows at the
 * documented length could otherwise put one request too many into the platform's count.
 */
export const SKEW_MARGIN = 0.02;
export const SKEW_MS = 50;

/**
 * Stretches every window by this factor. Only the benchmark and the tests change it (together with
 * the fake API's windows), so that minutes of pacing take seconds; the nodes always run at 1.
 */
export const pacingClock = { scale: 1 };

/** The windows that enforce a documented limit. */
export function windowsFor(limit: RateLimit): Window[] {
	const windows: Window[] = [];
	if (limit.perSecond !== undefined && limit.perSecond > 0) windows.push(perSecondWindow(limit.perSecond));
	if (limit.perMinute !== undefined && limit.perMinute > 0) windows.push({ limit: Math.floor(limit.perMinute), windowMs: 60_000 });
	return windows;
}

/** `rate` per second as a window: a whole number of requests per window (0.5/s is 1 per 2 s; 2.5/s is 2 per 0.8 s). */
function perSecondWindow(rate: number): Window {
	if (Number.isInteger(rate)) return { limit: rate, windowMs: 1000 };
	const limit = Math.max(1, Math.floor(rate));
	return { limit, windowMs: (1000 * limit) / rate };
}

/**
 * Paces requests per credential and per API within this process, with the windows the platforms
 * document: no second and no minute ever holds more starts than the limit allows, counted as sliding
 * windows. A sliding window never exceeds the limit whether the platform counts in sliding windows or
 * in fixed (calendar) ones, and neither platform documents which it uses. Within the windows nothing
 * waits: a burst goes as fast as the concurrency and the answer time allow.
 * The platforms' limits are per app and per API, so every execution using the same credential shares the lane.
 */
export class Pacer {
	private readonly prefix: string;

	constructor(parts: string[]) {
		this.prefix = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
	}

	/**
	 * Waits until this request may start within every window of every lane it counts in (its API's,
	 * and e.g. its receiver's), and counts it in all of them in the same tick: a request that waits for
	 * one lane never holds a place in another that it does not use yet.
	 */
	async acquire(api: string, windows: Window[], more: Array<{ api: string; windows: Window[] }> = []): Promise<number> {
		const all = [this.lane(api, windows), ...more.map((m) => this.lane(m.api, m.windows))];
		for (;;) {
			const now = Date.now();
			let earliest = 0;
			for (const lane of all) {
				earliest = Math.max(earliest, lane.heldUntil);
				lane.windows.forEach((window, i) => {
					const starts = lane.starts[i];
					// Full: the oldest counted start must leave the (stretched) window first.
					if (starts.length >= window.limit) {
						earliest = Math.max(earliest, starts[starts.length - window.limit] + stretched(window));
					}
				});
			}
			if (earliest <= now) {
				// Counting happens in the same tick as the check, so concurrent callers never overbook a window.
				for (const lane of all) {
					lane.windows.forEach((window, i) => {
						const starts = lane.starts[i];
						starts.push(now);
						if (starts.length > window.limit) starts.splice(0, starts.length - window.limit);
					});
				}
				return now;
			}
			await sleep(Math.max(1, earliest - now));
		}
	}

	/**
	 * The platform refused the request started at `start` as too fast: it did not count it, so neither do we.
	 * (Counting it would cost a place in every window; at a per-minute limit, a minute's wait for the last item.)
	 */
	release(apis: string[], start: number): void {
		for (const api of apis) {
			const lane = lanes.get(`${this.prefix}:${api}`);
			if (!lane) continue;
			for (const starts of lane.starts) {
				const at = starts.lastIndexOf(start);
				if (at >= 0) starts.splice(at, 1);
			}
		}
	}

	/** The platform said "too fast": hold the whole lane for `waitMs`. */
	hold(api: string, waitMs: number): void {
		const lane = this.lane(api, []);
		lane.heldUntil = Math.max(lane.heldUntil, Date.now() + waitMs);
	}

	private lane(api: string, windows: Window[]): Lane {
		const key = `${this.prefix}:${api}`;
		let lane = lanes.get(key);
		if (!lane) {
			lane = { starts: [], windows: [], heldUntil: 0 };
			lanes.set(key, lane);
		}
		// The windows of a lane follow the latest settings (the Max Requests per Second override may change between runs).
		if (windows.length > 0 && !sameWindows(lane.windows, windows)) {
			lane.windows = windows;
			lane.starts = windows.map((_, i) => lane!.starts[i] ?? []);
		}
		return lane;
	}
}

const stretched = (window: Window) => window.windowMs * pacingClock.scale * (1 + SKEW_MARGIN) + SKEW_MS;

function sameWindows(a: Window[], b: Window[]): boolean {
	return a.length === b.length && a.every((w, i) => w.limit === b[i].limit && w.windowMs === b[i].windowMs);
}
