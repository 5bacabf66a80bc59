import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { FEISHU_RATE_LIMITS, createFeishuTransport } from '../../transport';
import { DRIVE_ERRORS, ROOT_FOLDER_ERRORS } from './common';

/**
 * The folder picker: the identity's root folder (an app's own space, a user's 我的空间) first, then the
 * root's folders, 200 a page, filtered by the typed text. Deeper folders: paste their link.
 */
export async function searchDriveFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const transport = await createFeishuTransport(this);
	try {
		const root = await transport.send(
			{ method: 'GET', path: '/open-apis/drive/explorer/v2/root_folder/meta' },
			0,
			{ lane: FEISHU_RATE_LIMITS['drive.rootFolder'], errors: ROOT_FOLDER_ERRORS },
		);
		const rootToken = String(root.token ?? '');
		const page = await transport.send(
			{
				method: 'GET',
				path: '/open-apis/drive/v1/files',
				qs: {
					folder_token: rootToken,
					page_size: 200,
					...(paginationToken ? { page_token: paginationToken } : {}),
				},
			},
			0,
			{ lane: FEISHU_RATE_LIMITS['drive.list'], errors: DRIVE_ERRORS },
		);
		const query = filter?.trim().toLowerCase();
		const folders = ((page.files as IDataObject[] | undefined) ?? [])
			.filter((f) => f.type === 'folder')
			.map((f) => ({
				name: String(f.name ?? f.token),
				value: String(f.token),
				...(f.url ? { url: String(f.url) } : {}),
			}));
		const results = [
			...(paginationToken ? [] : [{ name: 'Root Folder (我的空间)', value: rootToken }]),
			...folders,
		].filter(
			(r) =>
				!query || r.name.toLowerCase().includes(query) || r.value.toLowerCase().includes(query),
		);
		return {
			results,
			paginationToken:
				page.has_more === true && page.next_page_token ? String(page.next_page_token) : undefined,
		};
	} catch (error) {
		throw transport.scrub(error);
	}
}
