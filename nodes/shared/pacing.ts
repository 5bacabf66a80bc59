import { createHash } from 'node:crypto';
import { sleep } from 'n8n-workflow';

/** A documented rate limit: requests per second and/or per minute. Both hold at once. */
interface RateLimit {
	perSecond?: number;
	perMinute?: number;
}

/** A documented limit with the page that states it (the platforms' limit tables). */
export interface DocumentedLimit extends RateLimit {
	doc: string;
}

/**
 * A platform's limit table as pacing lanes: each key is the lane's name (an API, as the platform counts
 * it), each value its documented limit. Operations name their lane from the table, so a key that does not
 * exist is a compile error, and renaming an operation keeps its lane.
 */
export function lanesOf<K extends string>(
	table: Record<K, DocumentedLimit>,
): Record<K, { key: K; limit: DocumentedLimit }> {
	const lanes = {} as Record<K, { key: K; limit: DocumentedLimit }>;
	for (const key of Object.keys(table) as K[]) lanes[key] = { key, limit: table[key] };
	return lanes;
}

/** No more than `limit` requests in any `windowMs`. */
export interface Window {
	limit: number;
	windowMs: number;
}

interface Lane {
	/**
	 * Per window: for each of the latest requests, the latest time it can have reached the platform, oldest
	 * first (at most `limit` of them). Counted at its start plus the window's margin; once its answer comes,
	 * the answer's time if earlier (a request reaches the platform before its answer comes back).
	 */
	starts: number[][];
	windows: Window[];
	/** A "too fast" answer holds the whole lane until then. */
	heldUntil: number;
	/** The share of each window's limit this process uses: cut on "too fast", recovering with time (see slowDown). */
	shareAtCut: number;
	cutAt: number;
}

/**
 * Adapting to other processes that use the same app (n8n's queue-mode workers pace alone, since the package
 * has no shared store): a "too fast" answer cuts this process's share of its shortest window's limit to 70%
 * (at most once per window, for a burst of refusals is one signal), down to a tenth, and the share grows back
 * by the whole limit over RECOVERY_MS. Two workers at the full limit each settle near half of it, with few
 * refusals.
 */
const SHARE_CUT = 0.7;
const MIN_SHARE = 0.1;
const RECOVERY_MS = 20_000;

function shareOf(lane: Lane, now: number): number {
	return Math.min(1, lane.shareAtCut + (now - lane.cutAt) / (RECOVERY_MS * pacingClock.scale));
}

const lanes = new Map<string, Lane>();

/**
 * A request in flight is counted as if it reached the platform 2% of the window and 50 ms after it
 * started: the platform counts arrivals, not our start times, and the two differ by the time the request
 * takes to leave this process (an event-loop stall), the network's jitter and the clocks' skew. Sliding
 * windows of starts could otherwise put one request too many into the platform's count. Once the answer
 * comes, the request is counted at the answer's time if that is earlier: it arrived before its answer, so
 * that is safe, and a fast answer gives the margin back.
 */
const SKEW_MARGIN = 0.02;
const SKEW_MS = 50;

/**
 * Stretches every window by this factor. Only the benchmark and the tests change it (together with
 * the fake API's windows), so that minutes of pacing take seconds; the nodes always run at 1.
 */
export const pacingClock = { scale: 1 };

/** The windows that enforce a documented limit. */
export function windowsFor(limit: RateLimit): Window[] {
	const windows: Window[] = [];
	if (limit.perSecond !== undefined && limit.perSecond > 0)
		windows.push(perSecondWindow(limit.perSecond));
	if (limit.perMinute !== undefined && limit.perMinute > 0)
		windows.push({ limit: Math.floor(limit.perMinute), windowMs: 60_000 });
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
	async acquire(
		api: string,
		windows: Window[],
		more: Array<{ api: string; windows: Window[] }> = [],
	): Promise<Ticket> {
		const all = [this.lane(api, windows), ...more.map((m) => this.lane(m.api, m.windows))];
		for (;;) {
			const now = Date.now();
			let earliest = 0;
			// A lane using less than its whole share looks again soon: its share grows back while it waits.
			let recovering = false;
			for (const lane of all) {
				earliest = Math.max(earliest, lane.heldUntil);
				const share = shareOf(lane, now);
				if (share < 1) recovering = true;
				// The share applies to the shortest window (the per-second limit): cutting a minute's budget below what
				// this process itself used in the last minute would stall it for that minute.
				const shortest = Math.min(...lane.windows.map((w) => w.windowMs));
				lane.windows.forEach((window, i) => {
					const starts = lane.starts[i];
					const limit =
						window.windowMs === shortest
							? Math.max(1, Math.floor(window.limit * share))
							: window.limit;
					// Full: the oldest counted arrival must leave the window first.
					if (starts.length >= limit) {
						earliest = Math.max(
							earliest,
							starts[starts.length - limit] + window.windowMs * pacingClock.scale,
						);
					}
				});
			}
			if (earliest <= now) {
				// Counting happens in the same tick as the check, so concurrent callers never overbook a window.
				const ticket: Ticket = { start: now, entries: [] };
				for (const lane of all) {
					lane.windows.forEach((window, i) => {
						const starts = lane.starts[i];
						const value = now + margin(window);
						insertSorted(starts, value);
						if (starts.length > window.limit) starts.splice(0, starts.length - window.limit);
						ticket.entries.push({ starts, value });
					});
				}
				return ticket;
			}
			await sleep(
				Math.max(
					1,
					recovering ? Math.min(earliest - now, 100 * pacingClock.scale) : earliest - now,
				),
			);
		}
	}

	/**
	 * The platform refused the request as too fast: it did not count it, so neither do we. (Counting it
	 * would cost a place in every window; at a per-minute limit, a minute's wait for the last item.)
	 */
	release(ticket: Ticket): void {
		for (const entry of ticket.entries) {
			const at = entry.starts.lastIndexOf(entry.value);
			if (at >= 0) entry.starts.splice(at, 1);
		}
		ticket.entries = [];
	}

	/**
	 * The request's answer came at `at`: it reached the platform no later, so it counts from then if that
	 * is earlier than its margin assumed. A request that carried a token refresh got the token first, which
	 * under load can take longer than the margin: it counts from its answer, whichever is later.
	 */
	answered(ticket: Ticket, at: number, carriedRefresh: boolean): void {
		for (const entry of ticket.entries) {
			const found = entry.starts.lastIndexOf(entry.value);
			// Already out of the window's count (older than its limit): nothing to move.
			if (found < 0) continue;
			const value = carriedRefresh ? at : Math.min(entry.value, at);
			if (value === entry.value) continue;
			entry.starts.splice(found, 1);
			insertSorted(entry.starts, value);
			entry.value = value;
		}
	}

	/** The platform said "too fast": hold the whole lane for `waitMs`, and use a smaller share of its limit for a while. */
	hold(api: string, waitMs: number): void {
		const lane = this.lane(api, []);
		const now = Date.now();
		lane.heldUntil = Math.max(lane.heldUntil, now + waitMs);
		const shortest = Math.min(...lane.windows.map(stretched), Infinity);
		if (Number.isFinite(shortest) && now - lane.cutAt < shortest) return;
		lane.shareAtCut = Math.max(MIN_SHARE, shareOf(lane, now) * SHARE_CUT);
		lane.cutAt = now;
	}

	private lane(api: string, windows: Window[]): Lane {
		const key = `${this.prefix}:${api}`;
		let lane = lanes.get(key);
		if (!lane) {
			lane = { starts: [], windows: [], heldUntil: 0, shareAtCut: 1, cutAt: 0 };
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

const stretched = (window: Window) => window.windowMs * pacingClock.scale + margin(window);

/** How much later than its start a request in flight may reach the platform. */
const margin = (window: Window) => window.windowMs * pacingClock.scale * SKEW_MARGIN + SKEW_MS;

/** A request's places in its lanes' windows, to move when its answer comes or give back when refused. */
export interface Ticket {
	start: number;
	entries: Array<{ starts: number[]; value: number }>;
}

/** Inserts into a list sorted oldest first. */
function insertSorted(list: number[], value: number): void {
	let place = list.length;
	while (place > 0 && list[place - 1] > value) place--;
	list.splice(place, 0, value);
}

function sameWindows(a: Window[], b: Window[]): boolean {
	return (
		a.length === b.length &&
		a.every((w, i) => w.limit === b[i].limit && w.windowMs === b[i].windowMs)
	);
}
