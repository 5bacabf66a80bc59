/**
 * The documented requests of Docx (新版文档 v1) and Wiki (知识库 v2), for the fake's spec checks
 * (docs/research/feishu-docx-wiki.md §1–§20). Only type imports from the rest of the fake.
 */

import type { FieldSpec, RateRule, RouteSpec } from '../spec';
import { int, str } from '../values';

const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const perSecond = (limit: number): RateRule[] => [{ limit, windowMs: 1000 }];
const LEVEL_3: RateRule[] = [{ limit: 100, windowMs: 60_000 }];
const both = { userToken: {}, auth: 'feishuBearer' as const };
const DOC = '/open-apis/docx/v1/documents/{document_id}';
/** The write pages' query: the revision to edit, the idempotency key, the ID type. */
const WRITE_QUERY: Record<string, FieldSpec> = {
	document_revision_id: int(),
	client_token: str(),
	user_id_type: USER_ID_TYPE,
};
const BLOCKS: FieldSpec = { type: 'array', of: 'object' };

export const DOCX_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.document.convert',
		...both,
		method: 'POST',
		path: '/open-apis/docx/v1/documents/blocks/convert',
		query: { user_id_type: USER_ID_TYPE },
		body: { content_type: str(true, { enum: ['markdown', 'html'] }), content: str(true) },
	},
	{
		key: 'feishu.document.create',
		...both,
		method: 'POST',
		path: '/open-apis/docx/v1/documents',
		body: { folder_token: str(), title: str() },
		limits: perSecond(3),
	},
	{
		key: 'feishu.document.get',
		...both,
		method: 'GET',
		path: DOC,
		pathParams: { document_id: 'string' },
		limits: perSecond(5),
	},
	{
		key: 'feishu.document.rawContent',
		...both,
		method: 'GET',
		path: `${DOC}/raw_content`,
		pathParams: { document_id: 'string' },
		query: { lang: int(false, { enum: [0, 1, 2] }) },
		limits: perSecond(5),
	},
	{
		key: 'feishu.document.blocks',
		...both,
		method: 'GET',
		path: `${DOC}/blocks`,
		pathParams: { document_id: 'string' },
		query: {
			page_size: int(),
			page_token: str(),
			document_revision_id: int(),
			user_id_type: USER_ID_TYPE,
		},
		limits: perSecond(5),
	},
	{
		key: 'feishu.document.createChildren',
		...both,
		method: 'POST',
		path: `${DOC}/blocks/{block_id}/children`,
		pathParams: { document_id: 'string', block_id: 'string' },
		query: WRITE_QUERY,
		body: { children: BLOCKS, index: int() },
		limits: perSecond(3),
	},
	{
		key: 'feishu.document.createDescendant',
		...both,
		method: 'POST',
		path: `${DOC}/blocks/{block_id}/descendant`,
		pathParams: { document_id: 'string', block_id: 'string' },
		query: WRITE_QUERY,
		body: {
			children_id: { type: 'array', of: 'string', required: true },
			index: int(),
			descendants: { ...BLOCKS, required: true },
		},
		limits: perSecond(3),
	},
	{
		key: 'feishu.document.updateBlock',
		...both,
		method: 'PATCH',
		path: `${DOC}/blocks/{block_id}`,
		pathParams: { document_id: 'string', block_id: 'string' },
		query: WRITE_QUERY,
		body: {
			update_text_elements: {
				type: 'object',
				fields: { elements: { ...BLOCKS, required: true } },
			},
			replace_image: {
				type: 'object',
				fields: {
					token: str(true),
					width: int(),
					height: int(),
					align: int(false, { enum: [1, 2, 3] }),
				},
			},
		},
		limits: perSecond(3),
	},
	{
		key: 'feishu.document.deleteBlocks',
		...both,
		method: 'DELETE',
		path: `${DOC}/blocks/{block_id}/children/batch_delete`,
		pathParams: { document_id: 'string', block_id: 'string' },
		query: { document_revision_id: int(), client_token: str() },
		body: { start_index: int(true), end_index: int(true) },
		limits: perSecond(3),
	},
];

const WIKI_OBJ_TYPES = ['doc', 'sheet', 'mindnote', 'bitable', 'file', 'docx', 'slides'];

export const WIKI_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.wiki.getSpaces',
		...both,
		method: 'GET',
		path: '/open-apis/wiki/v2/spaces',
		query: { page_size: int(), page_token: str(), lang: str() },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.wiki.getNodes',
		...both,
		method: 'GET',
		path: '/open-apis/wiki/v2/spaces/{space_id}/nodes',
		pathParams: { space_id: 'string' },
		query: { page_size: int(), page_token: str(), parent_node_token: str() },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.wiki.createNode',
		...both,
		method: 'POST',
		path: '/open-apis/wiki/v2/spaces/{space_id}/nodes',
		pathParams: { space_id: 'string' },
		body: {
			obj_type: str(true, { enum: WIKI_OBJ_TYPES }),
			parent_node_token: str(),
			node_type: str(true, { enum: ['origin', 'shortcut'] }),
			origin_node_token: str(),
			title: str(),
		},
		limits: LEVEL_3,
	},
	{
		key: 'feishu.wiki.moveNode',
		...both,
		method: 'POST',
		path: '/open-apis/wiki/v2/spaces/{space_id}/nodes/{node_token}/move',
		pathParams: { space_id: 'string', node_token: 'string' },
		body: { target_parent_token: str(), target_space_id: str() },
		limits: LEVEL_3,
	},
	{
		key: 'feishu.wiki.copyNode',
		...both,
		method: 'POST',
		path: '/open-apis/wiki/v2/spaces/{space_id}/nodes/{node_token}/copy',
		pathParams: { space_id: 'string', node_token: 'string' },
		body: { target_parent_token: str(), target_space_id: str(), title: str() },
		limits: LEVEL_3,
	},
];
