import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';

import { ParamReader } from './params';
import type { PlatformTransport, SendOptions } from './transport';
import type { ListSpec } from './types';

/**
 * One page of a list operation, for a picker: the records that match the typed filter
 * (any part of the name or the ID, case-insensitive; the platforms offer no search for these lists), and the cursor of the next page.
 */
export async function searchList(
	ctx: ILoadOptionsFunctions,
	properties: INodeProperties[],
	transport: PlatformTransport,
	list: ListSpec,
	toItem: (record: IDataObject) => INodeListSearchItems,
	filter?: string,
	paginationToken?: string,
	options: SendOptions = {},
): Promise<INodeListSearchResult> {
	try {
		const params = ParamReader.forEditor(ctx, properties);
		const request = list.page(params, paginationToken || undefined, list.maxPageSize);
		const page = list.read(await transport.send(request, 0, options), request);
		const query = filter?.trim().toLowerCase();
		const results = page.records
			.map(toItem)
			.filter(
				(item) =>
					!query ||
					item.name.toLowerCase().includes(query) ||
					String(item.value).toLowerCase().includes(query),
			);
		return { results, paginationToken: page.next };
	} catch (error) {
		throw transport.scrub(error);
	}
}
