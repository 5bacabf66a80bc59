import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from './params';
import type { ApiRequest, ApiResponse, ListSpec } from './types';

/**
 * The organisation directories (通讯录) both platforms have: departments in a tree, with users that may
 * belong to several. What the two share: walking a list page by page, and the members of a department
 * and everything below it, each user once.
 */

/** The pages of a list, one at a time, as they are asked for. */
export async function* pagesOf(
	list: ListSpec,
	params: ParamReader,
	send: (request: ApiRequest) => Promise<ApiResponse>,
): AsyncGenerator<IDataObject[]> {
	let cursor: string | undefined;
	for (;;) {
		const request = list.page(params, cursor, list.maxPageSize);
		const page = list.read(await send({ idempotent: true, ...request }), request);
		yield page.records;
		if (page.next === undefined || page.next === cursor || page.records.length === 0) return;
		cursor = page.next;
	}
}

/**
 * `work` over `inputs`, yielding the results in the inputs' order with up to `ahead` at work at once (the
 * transport's pacing still holds each call to its lane). A failure surfaces when its turn comes; work
 * started beyond a consumer that stops early is left to finish, its result unused.
 */
export async function* orderedMap<T, R>(
	inputs: AsyncIterable<T> | Iterable<T>,
	work: (input: T) => Promise<R>,
	ahead: number,
): AsyncGenerator<R> {
	const pending: Array<Promise<R>> = [];
	const start = (input: T) => {
		const promise = work(input);
		// Awaited in its turn; until then a failure must not count as unhandled.
		promise.catch(() => undefined);
		pending.push(promise);
	};
	for await (const input of inputs) {
		start(input);
		if (pending.length >= Math.max(1, ahead)) yield await pending.shift()!;
	}
	while (pending.length > 0) yield await pending.shift()!;
}

/**
 * `read` for every department, the walk that finds them going on while `ahead` departments are read at
 * once (the walk and the reads are different APIs, each in its own lane). The results in the walk's
 * order. The first failure stops the walk and the reads, and is thrown.
 */
async function readAll(
	departments: AsyncIterable<string> | Iterable<string>,
	read: (department: string) => Promise<IDataObject[]>,
	ahead: number,
): Promise<IDataObject[][]> {
	const found: string[] = [];
	const results: IDataObject[][] = [];
	const waiting: Array<() => void> = [];
	const wake = () => {
		for (const resume of waiting.splice(0)) resume();
	};
	let walked = false;
	let failed = false;
	// A failure stops the others, and is passed on as it is (the transport's error, already shaped).
	const stopping = async <T>(work: Promise<T>): Promise<T> =>
		await work.then(undefined, async (error: unknown) => {
			failed = true;
			wake();
			return await Promise.reject(error as Error);
		});
	const walk = async () => {
		try {
			for await (const department of departments) {
				if (failed) return;
				found.push(department);
				wake();
			}
		} finally {
			walked = true;
			wake();
		}
	};
	let next = 0;
	const worker = async () => {
		while (!failed) {
			if (next < found.length) {
				const index = next++;
				results[index] = await stopping(read(found[index]));
			} else if (walked) return;
			else await new Promise<void>((resume) => waiting.push(resume));
		}
	};
	await Promise.all([stopping(walk()), ...Array.from({ length: Math.max(1, ahead) }, worker)]);
	return results;
}

/** Every record of a list's pages. */
async function allOf(pages: AsyncIterable<IDataObject[]>): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const page of pages) out.push(...page);
	return out;
}

/**
 * The users of the departments given, in their order, each once (`key` tells users apart), up to `limit`.
 * With a limit, pages are asked for one at a time and none once the limit is reached; with Return All
 * (limit Infinity), `ahead` departments are read at once.
 */
export async function membersOf(
	departments: AsyncIterable<string> | Iterable<string>,
	pages: (department: string) => AsyncIterable<IDataObject[]>,
	key: (user: IDataObject) => string,
	limit: number,
	ahead = 5,
): Promise<IDataObject[]> {
	const seen = new Set<string>();
	const out: IDataObject[] = [];
	if (limit <= 0) return out;
	const add = (user: IDataObject): boolean => {
		const id = key(user);
		if (!seen.has(id)) {
			seen.add(id);
			out.push(user);
		}
		return out.length >= limit;
	};
	if (limit === Infinity) {
		for (const users of await readAll(departments, (d) => allOf(pages(d)), ahead))
			for (const user of users) add(user);
		return out;
	}
	for await (const department of departments)
		for await (const page of pages(department)) for (const user of page) if (add(user)) return out;
	return out;
}

/**
 * Every department below `root`, level by level (breadth first), for an API that lists one level at a
 * time (DingTalk's listsub): `children` answers a department's direct children, `ahead` departments of a
 * level asked at once. Stops once `limit` are found; a department seen twice is not walked again.
 */
export async function* departmentsBelow(
	root: string,
	children: (department: string) => Promise<IDataObject[]>,
	id: (department: IDataObject) => string,
	limit = Infinity,
	ahead = limit === Infinity ? 5 : 1,
): AsyncGenerator<IDataObject> {
	const seen = new Set<string>([root]);
	let level = [root];
	let found = 0;
	while (level.length > 0) {
		const next: string[] = [];
		for await (const kids of orderedMap(level, children, ahead)) {
			for (const child of kids) {
				const childId = id(child);
				if (seen.has(childId)) continue;
				seen.add(childId);
				yield child;
				if (++found >= limit) return;
				next.push(childId);
			}
		}
		level = next;
	}
}

/** Return All / Limit of a list operation that is not one ListSpec (Infinity for Return All). */
export const limitOf = (p: ParamReader): number =>
	p.boolean('returnAll', false) ? Infinity : p.integer('limit', 50, 1);
