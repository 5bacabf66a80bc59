import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { adler32 } from '../../../shared/checksum';
import { binaryInput } from '../../../shared/binary';
import type { ParamReader } from '../../../shared/params';
import { collectList } from '../../../shared/runner';
import { oneAtATime } from '../../../shared/serial';
import type {
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../../shared/types';
import { FEISHU_RATE_LIMITS } from '../../transport';
import { clientToken } from '../common';
import { folderLocator, folderToken, MEDIA_UPLOAD_ERRORS, SHARE_HINT } from '../drive/common';
import { UPLOAD_ALL_MAX } from '../drive/transfer';
import {
	DOCX_ERRORS,
	documentIdOf,
	documentLane,
	documentLocator,
	oneEditAtATime,
	parentBlockField,
	parentBlockOf,
} from './common';
import { BLOCK, blocksToMarkdown } from './markdown';

/**
 * Docx documents (新版文档): create (with Markdown), read as metadata, plain text, Markdown or blocks,
 * append Markdown or HTML through the convert API, replace a block's text, delete a range of blocks, and
 * insert an image from binary data. Source: docs/research/feishu-docx-wiki.md §3–§14.
 */

const docPath = (id: string) => `/open-apis/docx/v1/documents/${encodeURIComponent(id)}`;
/** "单次调用创建嵌套块接口最多可插入 1000 个块". */
const DESCENDANTS_PER_CALL = 1000;
/** "默认值为 -1，表示文档最新版本": every write goes to the latest revision. */
const LATEST = -1;

interface Block extends IDataObject {
	block_id: string;
	block_type: number;
	children?: string[];
}

/** A block as the descendant API takes it: its temporary ID, type, children and data (no read-only fields). */
function forInsert(block: Block): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(block)) {
		if (key === 'parent_id' || key === 'revision_id' || key === 'comment_ids') continue;
		if (key === 'children' && Array.isArray(value) && value.length === 0) continue;
		out[key] = value;
	}
	if (block.block_type === BLOCK.table && block.table) {
		// "需先去除表格（Table）块中的 merge_info 字段": read-only, an error when sent. The cells are its children.
		const table = { ...(block.table as IDataObject) };
		const property = { ...((table.property ?? {}) as IDataObject) };
		delete table.cells;
		delete property.merge_info;
		out.table = { ...table, property };
	}
	return out;
}

/**
 * Appends Markdown or HTML under a block: the documented convert, then the blocks inserted with create
 * descendant in calls of at most 1,000 blocks (whole top-level blocks each), each carrying the latest
 * revision (-1) and its own client_token, so that a retry inserts nothing twice. Images come back from
 * convert as empty image blocks; they are reported, not fetched.
 */
export async function appendContent(
	step: OperationStep,
	documentId: string,
	parent: string,
	index: number,
	contentType: 'markdown' | 'html',
	content: string,
): Promise<IDataObject> {
	const converted = await step.send(
		{
			method: 'POST',
			path: '/open-apis/docx/v1/documents/blocks/convert',
			body: { content_type: contentType, content },
			// It only converts: nothing is written.
			idempotent: true,
		},
		FEISHU_RATE_LIMITS['document.convert'],
	);
	const blocks = (converted.blocks as Block[] | undefined) ?? [];
	const first = (converted.first_level_block_ids as string[] | undefined) ?? [];
	const byId = new Map(blocks.map((b) => [b.block_id, b]));
	const subtree = (id: string): Block[] => {
		const block = byId.get(id);
		if (!block) return [];
		return [block, ...(block.children ?? []).flatMap(subtree)];
	};
	const batches: Array<{ ids: string[]; blocks: Block[] }> = [];
	for (const id of first) {
		const tree = subtree(id);
		if (tree.length > DESCENDANTS_PER_CALL)
			throw new NodeOperationError(
				step.ctx.getNode(),
				`One top-level block of the content holds ${tree.length} blocks; Feishu inserts at most ${DESCENDANTS_PER_CALL} in one call. Split it (e.g. a smaller table).`,
				{ itemIndex: step.itemIndex },
			);
		const last = batches[batches.length - 1];
		if (last && last.blocks.length + tree.length <= DESCENDANTS_PER_CALL) {
			last.ids.push(id);
			last.blocks.push(...tree);
		} else batches.push({ ids: [id], blocks: tree });
	}
	const inserted: string[] = [];
	let revision: unknown;
	let count = 0;
	await oneEditAtATime(documentId, async () => {
		for (const [n, batch] of batches.entries()) {
			try {
				const token = clientToken(step.params, `document.append:${documentId}:${parent}:${n}`);
				const data = await step.send(
					{
						method: 'POST',
						path: `${docPath(documentId)}/blocks/${encodeURIComponent(parent)}/descendant`,
						qs: { document_revision_id: LATEST, client_token: token },
						body: {
							children_id: batch.ids,
							index: index < 0 ? -1 : index + count,
							descendants: batch.blocks.map(forInsert),
						},
						idempotencyKey: token,
						lanes: [documentLane(documentId)],
					},
					FEISHU_RATE_LIMITS['document.createDescendant'],
				);
				const relations = new Map(
					((data.block_id_relations as IDataObject[] | undefined) ?? []).map((r) => [
						String(r.temporary_block_id),
						String(r.block_id),
					]),
				);
				inserted.push(...batch.ids.map((id) => relations.get(id) ?? id));
				revision = data.document_revision_id;
				count += batch.ids.length;
			} catch (error) {
				// What is already in the document stays there: say so, so that a re-run does not add it twice.
				const described = error as Error & { description?: string };
				if (n > 0)
					described.description = `${described.description ? `${described.description} · ` : ''}Document ${documentId}: ${n} of ${batches.length} insert calls were written before this one failed (${count} top-level blocks, ${inserted[0]} to ${inserted[inserted.length - 1]}), and stay in the document.`;
				throw described;
			}
		}
	});
	const images = ((converted.block_id_to_image_urls as IDataObject[] | undefined) ?? []).map((i) =>
		String(i.image_url ?? ''),
	);
	return {
		documentId,
		blocks: blocks.length,
		calls: batches.length,
		firstLevelBlockIds: inserted,
		...(revision !== undefined ? { revisionId: revision } : {}),
		...(images.length > 0 ? { imagesNotFetched: images } : {}),
	};
}

const contentFields = (required: boolean): INodeProperties[] => [
	{
		displayName: 'Content Format',
		name: 'contentType',
		type: 'options',
		options: [
			{ name: 'Markdown', value: 'markdown' },
			{ name: 'HTML', value: 'html' },
		],
		default: 'markdown',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 8 },
		required,
		default: '',
		description:
			'Markdown or HTML (up to 10,485,760 characters): headings, paragraphs, lists, to-dos, code, quotes, tables and links, with bold, italic, strikethrough and inline code. Images become empty image blocks (insert them with Insert Image).',
	},
];

const create: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a document',
	description:
		'Create a document in a folder, with a title and optionally Markdown or HTML content',
	lane: FEISHU_RATE_LIMITS['document.create'],
	errors: DOCX_ERRORS,
	properties: [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: 'Plain text, up to 800 characters',
		},
		folderLocator({
			name: 'folder',
			displayName: 'Folder',
			required: false,
			description:
				'The folder for the document. Left empty, the root folder. As the app, only folders the app created, or that were shared with it. ' +
				SHARE_HINT,
		}),
		...contentFields(false),
	],
	async run(step) {
		const p = step.params;
		const title = p.optionalString('title');
		if (title && [...title].length > 800) p.fail('title', 'is longer than 800 characters');
		const folder = p.optionalString('folder') === undefined ? '' : folderToken(p, 'folder');
		const contentType = p.choice('contentType', ['markdown', 'html'] as const, 'markdown');
		const content = p.optionalString('content');
		if (content && content.length > 10_485_760)
			p.fail('content', 'is longer than 10,485,760 characters');
		// "不支持在同一文件夹下并发创建文档": one at a time per folder. No client_token is documented, so a
		// create whose answer is lost is reported, not sent again.
		const data = await oneAtATime(
			`docx.folder\u0000${folder}`,
			async () =>
				await step.send({
					method: 'POST',
					path: '/open-apis/docx/v1/documents',
					body: { ...(folder ? { folder_token: folder } : {}), ...(title ? { title } : {}) },
				}),
		);
		const document = (data.document ?? {}) as IDataObject;
		const documentId = String(document.document_id ?? '');
		if (!content) return [{ json: { ...document, documentId } }];
		try {
			const appended = await appendContent(step, documentId, documentId, -1, contentType, content);
			return [{ json: { ...document, documentId, appended } }];
		} catch (error) {
			// The document exists, without (all of) its content: name it, so that a re-run does not make another.
			const described = error as Error & { description?: string };
			described.description = `${described.description ? `${described.description} · ` : ''}The document was created (${documentId}) before its content failed; append the content to it, rather than creating it again.`;
			throw described;
		}
	},
};

const get: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a document',
	description: "Get a document's title, revision and display settings",
	lane: FEISHU_RATE_LIMITS['document.get'],
	errors: DOCX_ERRORS,
	properties: [documentLocator],
	async run(step) {
		const id = await documentIdOf(step);
		const data = await step.send({ method: 'GET', path: docPath(id) });
		return [{ json: (data.document as IDataObject | undefined) ?? {} }];
	},
};

const getRawContent: OperationDefinition = {
	value: 'getRawContent',
	actsAs: ['app', 'user'],
	name: 'Get Plain Text',
	action: "Get a document's plain text",
	description:
		"Get a document's whole text, without formatting (for an AI step, a search, a summary)",
	lane: FEISHU_RATE_LIMITS['document.rawContent'],
	errors: DOCX_ERRORS,
	properties: [
		documentLocator,
		{
			displayName: 'Mention Names',
			name: 'lang',
			type: 'options',
			options: [
				{ name: 'Default Names', value: 0 },
				{ name: 'English Names', value: 1 },
			],
			default: 0,
			description: 'How @mentions of people are written',
		},
	],
	async run(step) {
		const id = await documentIdOf(step);
		const lang = step.params.integer('lang', 0, 0, 1);
		const data = await step.send({
			method: 'GET',
			path: `${docPath(id)}/raw_content`,
			qs: { lang },
		});
		return [{ json: { documentId: id, content: String(data.content ?? '') } }];
	},
};

/** GET …/blocks: the document's blocks in pre-order, 500 a page (the maximum). */
const blockList = (documentId: string): ListSpec => ({
	maxPageSize: 500,
	page: (_p, cursor, pageSize) => ({
		method: 'GET',
		path: `${docPath(documentId)}/blocks`,
		qs: {
			page_size: pageSize,
			document_revision_id: LATEST,
			...(cursor ? { page_token: cursor } : {}),
		},
	}),
	read: (response) => ({
		records: (response.items as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	}),
});

const getMarkdown: OperationDefinition = {
	value: 'getMarkdown',
	actsAs: ['app', 'user'],
	name: 'Get as Markdown',
	action: 'Get a document as Markdown',
	description:
		'Read every block and write the document as Markdown: headings, lists, to-dos, code, quotes, tables, links, images as references and mentions',
	lane: FEISHU_RATE_LIMITS['document.blocks'],
	errors: DOCX_ERRORS,
	properties: [documentLocator],
	async run(step) {
		const id = await documentIdOf(step);
		const blocks = await collectList(blockList(id), step.params, step.send, { everything: true });
		const { title, markdown } = blocksToMarkdown(blocks);
		return [{ json: { documentId: id, title, markdown, blocks: blocks.length } }];
	},
};

const appendMarkdown: OperationDefinition = {
	value: 'appendMarkdown',
	actsAs: ['app', 'user'],
	name: 'Append Markdown',
	action: 'Append Markdown to a document',
	description:
		'Turn Markdown or HTML into blocks (Feishu’s convert API) and add them to the document, at the end or at a position',
	lane: FEISHU_RATE_LIMITS['document.createDescendant'],
	errors: DOCX_ERRORS,
	properties: [
		documentLocator,
		...contentFields(true),
		parentBlockField,
		{
			displayName: 'Position',
			name: 'index',
			type: 'number',
			typeOptions: { minValue: -1 },
			default: -1,
			description: 'Where among the parent’s children: 0 first, -1 at the end',
		},
	],
	async run(step) {
		const p = step.params;
		const id = await documentIdOf(step);
		const contentType = p.choice('contentType', ['markdown', 'html'] as const, 'markdown');
		const content = p.requiredString('content');
		if (content.length > 10_485_760) p.fail('content', 'is longer than 10,485,760 characters');
		const index = p.integer('index', -1, -1);
		return [
			{ json: await appendContent(step, id, parentBlockOf(p, id), index, contentType, content) },
		];
	},
};

const getBlocks: OperationDefinition = {
	value: 'getBlocks',
	actsAs: ['app', 'user'],
	name: 'Get Blocks',
	action: "Get a document's blocks",
	description:
		"Get a document's blocks (paragraphs, headings, lists, tables…), one item each in document order, with their IDs for Update Block and Delete Blocks",
	lane: FEISHU_RATE_LIMITS['document.blocks'],
	errors: DOCX_ERRORS,
	properties: [documentLocator],
	list: async (step) => blockList(await documentIdOf(step)),
};

const updateBlock: OperationDefinition = {
	value: 'updateBlock',
	actsAs: ['app', 'user'],
	name: 'Update Block',
	action: "Replace a block's text",
	description:
		"Replace a text block's text (a paragraph, heading, list item, to-do, quote or code)",
	lane: FEISHU_RATE_LIMITS['document.updateBlock'],
	errors: DOCX_ERRORS,
	properties: [
		documentLocator,
		{
			displayName: 'Block ID',
			name: 'blockId',
			type: 'string',
			required: true,
			default: '',
			description: 'The block to change (from Get Blocks)',
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			required: true,
			default: '',
			description: 'The new text, as plain text (up to 100,000 characters)',
		},
	],
	async run(step) {
		const p = step.params;
		const id = await documentIdOf(step);
		const blockId = p.pathId('blockId');
		const text = p.requiredString('text', p.raw('text', ''));
		if (text.length > 100_000) p.fail('text', 'is longer than 100,000 characters');
		const token = clientToken(p, `document.updateBlock:${id}:${blockId}`);
		const data = await oneEditAtATime(
			id,
			async () =>
				await step.send({
					method: 'PATCH',
					path: `${docPath(id)}/blocks/${blockId}`,
					qs: { document_revision_id: LATEST, client_token: token },
					body: { update_text_elements: { elements: [{ text_run: { content: text } }] } },
					idempotencyKey: token,
					lanes: [documentLane(id)],
				}),
		);
		return [
			{
				json: {
					...((data.block as IDataObject | undefined) ?? {}),
					documentId: id,
					revisionId: data.document_revision_id,
				},
			},
		];
	},
};

const deleteBlocks: OperationDefinition = {
	value: 'deleteBlocks',
	actsAs: ['app', 'user'],
	name: 'Delete Blocks',
	action: 'Delete blocks from a document',
	description:
		'Delete a range of a block’s children (by position: from Start Index up to, not including, End Index)',
	lane: FEISHU_RATE_LIMITS['document.deleteBlocks'],
	errors: DOCX_ERRORS,
	properties: [
		documentLocator,
		parentBlockField,
		{
			displayName: 'Start Index',
			name: 'startIndex',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'The first child to delete (0 is the first)',
		},
		{
			displayName: 'End Index',
			name: 'endIndex',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'The child after the last one to delete',
		},
	],
	async run(step) {
		const p = step.params;
		const id = await documentIdOf(step);
		const parent = parentBlockOf(p, id);
		const start = p.integer('startIndex', 0, 0);
		const end = p.integer('endIndex', 1, 1);
		if (end <= start) p.fail('endIndex', `must be greater than Start Index (${start})`);
		const token = clientToken(p, `document.deleteBlocks:${id}:${parent}:${start}:${end}`);
		const data = await oneEditAtATime(
			id,
			async () =>
				await step.send({
					method: 'DELETE',
					path: `${docPath(id)}/blocks/${encodeURIComponent(parent)}/children/batch_delete`,
					qs: { document_revision_id: LATEST, client_token: token },
					body: { start_index: start, end_index: end },
					idempotencyKey: token,
					lanes: [documentLane(id)],
				}),
		);
		return [
			{
				json: {
					documentId: id,
					parentBlockId: parent,
					deleted: end - start,
					revisionId: data.document_revision_id,
				},
			},
		];
	},
};

const insertImage: OperationDefinition = {
	value: 'insertImage',
	actsAs: ['app', 'user'],
	name: 'Insert Image',
	action: 'Insert an image into a document',
	description:
		'Insert an image from binary data (up to 20 MB): an image block, the image uploaded into it, and bound to it',
	lane: FEISHU_RATE_LIMITS['document.createChildren'],
	errors: DOCX_ERRORS,
	properties: [
		documentLocator,
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description: "The name of the input item's binary property that holds the image",
		},
		parentBlockField,
		{
			displayName: 'Position',
			name: 'index',
			type: 'number',
			typeOptions: { minValue: -1 },
			default: -1,
			description: 'Where among the parent’s children: 0 first, -1 at the end',
		},
	],
	async run(step: OperationStep) {
		const p: ParamReader = step.params;
		const id = await documentIdOf(step);
		const parent = parentBlockOf(p, id);
		const index = p.integer('index', -1, -1);
		const file = await binaryInput(step.ctx, p, 'binaryPropertyName', {
			maxBytes: UPLOAD_ALL_MAX,
			what: 'an image',
		});
		if (!file.mimeType.startsWith('image/'))
			p.fail('binaryPropertyName', `the file is ${file.mimeType}, not an image`);
		const content = await file.open();
		let checksum = 1;
		if (content instanceof Uint8Array) checksum = adler32(content);
		else for await (const chunk of content) checksum = adler32(chunk, checksum);
		return await oneEditAtATime(id, async () => {
			// 1. An empty image block ("创建一个空的图片块").
			const blockToken = clientToken(p, `document.insertImage:${id}:block`);
			const created = await step.send(
				{
					method: 'POST',
					path: `${docPath(id)}/blocks/${encodeURIComponent(parent)}/children`,
					qs: { document_revision_id: LATEST, client_token: blockToken },
					body: { index, children: [{ block_type: BLOCK.image, image: {} }] },
					idempotencyKey: blockToken,
					lanes: [documentLane(id)],
				},
				FEISHU_RATE_LIMITS['document.createChildren'],
			);
			const blockId = String(
				((created.children as IDataObject[] | undefined) ?? [])[0]?.block_id ?? '',
			);
			// 2. The image, uploaded into that block (parent_type docx_image, the document as drive_route_token).
			const media = await step.send(
				{
					method: 'POST',
					path: '/open-apis/drive/v1/medias/upload_all',
					multipart: {
						fields: [
							['file_name', file.fileName],
							['parent_type', 'docx_image'],
							['parent_node', blockId],
							['size', String(file.size)],
							['checksum', String(checksum)],
							['extra', JSON.stringify({ drive_route_token: id })],
						],
						file: { field: 'file', ...file },
					},
					// Media in a block nobody sees until it is bound: a repeat leaves nothing visible.
					idempotent: true,
				},
				FEISHU_RATE_LIMITS['bitableMedia.upload'],
				MEDIA_UPLOAD_ERRORS,
			);
			const fileToken = String(media.file_token ?? '');
			// 3. Bound to the block (replace_image).
			const bindToken = clientToken(p, `document.insertImage:${id}:bind`);
			const bound = await step.send(
				{
					method: 'PATCH',
					path: `${docPath(id)}/blocks/${encodeURIComponent(blockId)}`,
					qs: { document_revision_id: LATEST, client_token: bindToken },
					body: { replace_image: { token: fileToken } },
					idempotencyKey: bindToken,
					lanes: [documentLane(id)],
				},
				FEISHU_RATE_LIMITS['document.updateBlock'],
			);
			return [
				{
					json: {
						documentId: id,
						blockId,
						fileToken,
						revisionId: bound.document_revision_id,
					},
				},
			];
		});
	},
};

export const document: ResourceDefinition = {
	value: 'document',
	name: 'Document',
	description:
		'Documents (新版文档, docx): create, read as text or Markdown, append Markdown, edit blocks',
	operations: [
		create,
		get,
		getRawContent,
		getMarkdown,
		appendMarkdown,
		getBlocks,
		updateBlock,
		deleteBlocks,
		insertImage,
	],
	defaultOperation: 'create',
};
