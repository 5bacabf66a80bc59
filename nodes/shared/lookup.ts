import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * One look-up per key and execution (a wiki node, a table's fields), shared by every item. A failure is kept
 * too, so that 1,000 items do not ask 1,000 times for a page that is not a base; each item gets it with its
 * own index.
 */
export async function lookup<T>(
	cache: WeakMap<object, Map<string, Promise<T>>>,
	ctx: object,
	key: string,
	itemIndex: number,
	make: () => Promise<T>,
): Promise<T> {
	let known = cache.get(ctx);
	if (!known) cache.set(ctx, (known = new Map()));
	let pending = known.get(key);
	const first = pending === undefined;
	if (!pending) {
		pending = make();
		known.set(key, pending);
	}
	if (first) return await pending;
	return await pending.catch((error: unknown) => {
		throw forItem(error, itemIndex);
	});
}

/** A look-up's failure as another item's error: the same message, meaning and codes, with that item's index. */
function forItem(error: unknown, itemIndex: number): NodeOperationError {
	const original = error as Error & {
		node?: INode;
		description?: string;
		httpCode?: string;
		platformCode?: string;
	};
	const again = new NodeOperationError(
		original.node ?? ({ name: 'Feishu' } as INode),
		String(original.message).replace(/ in item \d+:/, ` in item ${itemIndex}:`),
		{
			itemIndex,
			description: original.description,
		},
	);
	return Object.assign(again, { httpCode: original.httpCode, platformCode: original.platformCode });
}
