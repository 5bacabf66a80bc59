import type { IDataObject } from 'n8n-workflow';

/**
 * Never twice, for every trigger: the IDs of the events that started an execution, kept per trigger
 * (workflow and node) in this process and in the workflow's static data.
 */

/** Redeliveries come within hours (Feishu: 15 s, 5 min, 1 h, 6 h); IDs are kept a little longer. */
const SEEN_FOR_MS = 8 * 3600_000;
const SEEN_MAX = 10_000;

/** Per trigger and store: event ID → when it started an execution. */
const seenInProcess = new Map<string, Map<string, number>>();

/** What a restart forgets (for tests: the IDs this process holds in memory). */
export const processMemory = { clear: () => seenInProcess.clear() };

/**
 * Records `id` as started, unless it was before. The IDs are kept in this process, where the check and
 * the record happen in the same tick, so concurrent deliveries of one event start one execution; and in
 * the workflow's static data under `field`, which n8n persists, so redeliveries after a restart are
 * dropped too. n8n saves static data per call, the last call's copy winning: so every call writes back
 * all the IDs this process knows, never just its own. Returns true when this event is new.
 */
/** Forgets a recorded ID (its execution could not be started, so DingTalk's redelivery must count). */
export function forget(
	staticData: IDataObject,
	field: string,
	id: string,
	trigger = 'default',
): void {
	seenInProcess.get(`${field}\u0000${trigger}`)?.delete(id);
	const kept = ((staticData[field] as Array<[string, number]> | undefined) ?? []).filter(
		([known]) => known !== id,
	);
	staticData[field] = kept;
}

export function recordFirst(
	staticData: IDataObject,
	field: string,
	id: string,
	now = Date.now(),
	trigger = 'default',
): boolean {
	const key = `${field}\u0000${trigger}`;
	let seen = seenInProcess.get(key);
	if (!seen) {
		seen = new Map();
		seenInProcess.set(key, seen);
	}
	for (const [known, at] of (staticData[field] as Array<[string, number]> | undefined) ?? []) {
		if (!seen.has(known)) seen.set(known, at);
	}
	for (const [known, at] of seen) {
		if (now - at >= SEEN_FOR_MS) seen.delete(known);
	}
	if (seen.has(id)) return false;
	seen.set(id, now);
	while (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value as string);
	staticData[field] = [...seen.entries()];
	return true;
}
