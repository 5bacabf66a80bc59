/** The work in progress per key in this process (its tail), so that the next waits for it. */
const QUEUES = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after the work of the same key already started in this process has finished (a failure
 * included). For APIs whose pages ask for calls one at a time ("不支持并发调用"): writes to one Bitable
 * table, Drive's node-changing calls, edits of one document.
 */
export async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
	const mine = (QUEUES.get(key) ?? Promise.resolve()).then(work);
	const tail = mine.then(
		() => undefined,
		() => undefined,
	);
	QUEUES.set(key, tail);
	try {
		return await mine;
	} finally {
		if (QUEUES.get(key) === tail) QUEUES.delete(key);
	}
}
