/**
 * The fake Feishu Docx (新版文档): documents as block trees with revisions, the convert API, children and
 * descendants inserted with their documented checks (first-level children_id, at most 1,000 blocks,
 * merge_info refused, client_token answered once), text and image updates, ranges deleted, the
 * per-document limit of 3 edits a second (HTTP 429), and media bound to image blocks.
 * Source: docs/research/feishu-docx-wiki.md §2–§14.
 */

import type { Answer, FakeApi, Handler } from '../server';
import { tooFastAnswer } from '../server';
import { alnum, fail, ok } from '../feishu-bitable/model';
import { DRIVE_DOC, DRIVE_ROOT } from '../feishu-drive';
import { convertMarkdown, htmlToMarkdown } from './convert';

export interface DocBlock extends Record<string, unknown> {
	block_id: string;
	block_type: number;
	parent_id: string;
	children: string[];
}

export interface FakeDocument {
	id: string;
	title: string;
	revision: number;
	blocks: Map<string, DocBlock>;
	/** client_token → the answer it got ("幂等的进行更新操作"). */
	answered: Map<string, Answer>;
}

/** The data field of each block type (块的数据结构). */
const DATA_KEY: Record<number, string> = {
	1: 'page',
	2: 'text',
	12: 'bullet',
	13: 'ordered',
	14: 'code',
	15: 'quote',
	17: 'todo',
	19: 'callout',
	22: 'divider',
	24: 'grid',
	25: 'grid_column',
	27: 'image',
	31: 'table',
	32: 'table_cell',
	34: 'quote_container',
};
for (let level = 1; level <= 9; level++) DATA_KEY[2 + level] = `heading${level}`;
const TEXT_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]);
/** "可以包含子块的块": Page, Text, Heading, Bullet, Ordered, Todo, TableCell, GridColumn, Callout, QuoteContainer (Task too). */
const PARENTS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 19, 25, 32, 34]);
const MAX_CHILDREN_PER_CALL = 50;
const MAX_DESCENDANTS = 1000;

export class FeishuDocx {
	readonly documents = new Map<string, FakeDocument>();
	/** Edit times per document, for "单篇文档并发编辑上限为每秒 3 次". */
	private readonly edits = new Map<string, number[]>();

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.documents.clear();
		this.edits.clear();
		const doc = this.make(DRIVE_DOC, 'Sandbox doc');
		this.insert(doc, doc.id, -1, convertMarkdown('# Sandbox doc\n\nHello from the sandbox.\n'));
	}

	/** A new document with its page block. */
	make(id: string, title: string): FakeDocument {
		const doc: FakeDocument = { id, title, revision: 1, blocks: new Map(), answered: new Map() };
		doc.blocks.set(id, {
			block_id: id,
			block_type: 1,
			parent_id: '',
			children: [],
			page: { elements: [{ text_run: { content: title } }], style: { align: 1 } },
		});
		this.documents.set(id, doc);
		return doc;
	}

	/** Converted blocks inserted under `parent` at `index`; answers the temporary → real ID relations. */
	insert(
		doc: FakeDocument,
		parent: string,
		index: number,
		converted: { first_level_block_ids: string[]; blocks: Array<Record<string, unknown>> },
	): Array<{ block_id: string; temporary_block_id: string }> {
		const real = new Map<string, string>();
		for (const b of converted.blocks) real.set(String(b.block_id), `doxcn${alnum(22)}`);
		for (const b of converted.blocks) {
			const id = real.get(String(b.block_id))!;
			const children = ((b.children as string[] | undefined) ?? []).map((c) => real.get(c)!);
			const block: DocBlock = { ...b, block_id: id, parent_id: '', children } as DocBlock;
			delete (block as Record<string, unknown>).revision_id;
			if (block.block_type === 31) {
				const table = block.table as Record<string, unknown>;
				const property = (table.property ?? {}) as Record<string, unknown>;
				const cells = children;
				block.table = {
					...table,
					cells,
					property: { ...property, merge_info: cells.map(() => ({ row_span: 1, col_span: 1 })) },
				};
			}
			for (const child of children) {
				const existing = doc.blocks.get(child);
				if (existing) existing.parent_id = id;
			}
			doc.blocks.set(id, block);
		}
		for (const b of converted.blocks)
			for (const c of (b.children as string[] | undefined) ?? [])
				doc.blocks.get(real.get(c)!)!.parent_id = real.get(String(b.block_id))!;
		const top = converted.first_level_block_ids.map((t) => real.get(t)!);
		for (const id of top) doc.blocks.get(id)!.parent_id = parent;
		const container = doc.blocks.get(parent)!;
		const at = index < 0 || index > container.children.length ? container.children.length : index;
		container.children.splice(at, 0, ...top);
		doc.revision++;
		return [...real.entries()].map(([temporary, id]) => ({
			block_id: id,
			temporary_block_id: temporary,
		}));
	}

	/** The blocks in pre-order, the page first. */
	preorder(doc: FakeDocument): DocBlock[] {
		const out: DocBlock[] = [];
		const walk = (id: string) => {
			const block = doc.blocks.get(id);
			if (!block) return;
			out.push(block);
			for (const child of block.children) walk(child);
		};
		walk(doc.id);
		return out;
	}

	/** A document's text, as raw_content gives it: each text block's content on its own line. */
	rawText(doc: FakeDocument): string {
		return this.preorder(doc)
			.filter((b) => TEXT_TYPES.has(b.block_type))
			.map((b) =>
				(
					((b[DATA_KEY[b.block_type]] as Record<string, unknown>)?.elements as Array<
						Record<string, unknown>
					>) ?? []
				)
					.map((e) => String((e.text_run as { content?: string } | undefined)?.content ?? ''))
					.join(''),
			)
			.join('\n');
	}

	/** The document or its documented refusal; a document Drive does not share with the caller answers 1770032. */
	private docOr(id: string): FakeDocument | Answer {
		const doc = this.documents.get(id);
		if (!doc) return fail(1770002, 'not found', 404);
		if (this.fake.drive.nodes.get(id)?.shared === false) return fail(1770032, 'forbidden', 403);
		return doc;
	}

	/** The per-document edit limit (when the fake enforces documented limits): HTTP 429. */
	private tooFast(doc: FakeDocument): Answer | undefined {
		if (!this.fake.faults.documentedLimits) return undefined;
		const window = 1000 * this.fake.faults.timeScale;
		const now = this.fake.sentAt || Date.now();
		const recent = (this.edits.get(doc.id) ?? []).filter((t) => t > now - window);
		if (recent.length >= 3)
			return tooFastAnswer('feishu', recent[recent.length - 3] + window - now);
		recent.push(now);
		this.edits.set(doc.id, recent);
		return undefined;
	}

	/** A write: the per-document limit, then an answer already given to its client_token, else the change. */
	private write(
		id: string,
		query: Record<string, string>,
		change: (doc: FakeDocument) => Answer,
	): Answer {
		const doc = this.docOr(id);
		if ('status' in doc) return doc;
		const limited = this.tooFast(doc);
		if (limited) return limited;
		const revision =
			query.document_revision_id === undefined ? -1 : Number(query.document_revision_id);
		if (revision !== -1 && doc.revision - revision > 1000)
			return fail(1770021, 'too old document', 400);
		const token = query.client_token;
		if (token && doc.answered.has(token)) return doc.answered.get(token)!;
		const answer = change(doc);
		if (token && answer.status === 200) doc.answered.set(token, answer);
		return answer;
	}

	/** Media (drive medias/upload_all) for a docx block: the block must exist and be of the media's kind. */
	checkMedia(parentType: string, parentNode: string, extra: unknown): Answer | undefined {
		let route: string | undefined;
		try {
			route = (JSON.parse(String(extra ?? '{}')) as { drive_route_token?: string })
				.drive_route_token;
		} catch {
			return fail(1061002, 'params error.', 400);
		}
		const doc = route ? this.documents.get(route) : undefined;
		const block = doc?.blocks.get(parentNode);
		if (!doc || !block) return fail(1061044, 'parent node not exist.', 400);
		if (block.block_type !== (parentType === 'docx_image' ? 27 : 23))
			return fail(1061002, 'params error.', 400);
		return undefined;
	}

	handlers(): Record<string, Handler> {
		const isAnswer = (x: unknown): x is Answer => typeof (x as Answer)?.status === 'number';
		return {
			'feishu.document.convert': ({ body }) => {
				const content = String(body.content);
				if (content.length > 10_485_760) return fail(1770033, 'content size exceed limit', 400);
				const markdown = body.content_type === 'html' ? htmlToMarkdown(content) : content;
				return ok(convertMarkdown(markdown));
			},
			'feishu.document.create': ({ body }) => {
				const title = String(body.title ?? '');
				if ([...title].length > 800) return fail(1770001, 'invalid param', 400);
				const folderToken = String(body.folder_token ?? '');
				const folder = this.fake.drive.nodes.get(folderToken || DRIVE_ROOT);
				if (!folder || folder.type !== 'folder') return fail(1770039, 'folder not found', 400);
				if (!folder.shared) return fail(1770040, 'no folder permission', 403);
				const id = `doxcn${alnum(22)}`;
				const doc = this.make(id, title);
				const now = Math.floor(Date.now() / 1000);
				this.fake.drive.nodes.set(id, {
					token: id,
					name: title || 'Untitled',
					type: 'docx',
					parent: folder.token,
					created: now,
					modified: now,
					shared: true,
				});
				return ok({
					document: { document_id: id, revision_id: doc.revision, title, display_setting: {} },
				});
			},
			'feishu.document.get': ({ params }) => {
				const doc = this.docOr(params.document_id);
				if (isAnswer(doc)) return doc;
				return ok({
					document: {
						document_id: doc.id,
						revision_id: doc.revision,
						title: doc.title,
						display_setting: { show_authors: true, show_create_time: false },
					},
				});
			},
			'feishu.document.rawContent': ({ params }) => {
				const doc = this.docOr(params.document_id);
				if (isAnswer(doc)) return doc;
				return ok({ content: this.rawText(doc) });
			},
			'feishu.document.blocks': ({ params, query }) => {
				const doc = this.docOr(params.document_id);
				if (isAnswer(doc)) return doc;
				const size = query.page_size === undefined ? 500 : Number(query.page_size);
				if (size < 1 || size > 500) return fail(1770001, 'invalid param', 400);
				const start = query.page_token ? Number(query.page_token.replace(/^bpt-/, '')) : 0;
				if (!Number.isInteger(start)) return fail(1770022, 'invalid page token', 400);
				const all = this.preorder(doc);
				const end = start + size;
				return ok({
					items: all.slice(start, end).map((b) => ({ ...b, children: [...b.children] })),
					has_more: end < all.length,
					...(end < all.length ? { page_token: `bpt-${end}` } : {}),
				});
			},
			'feishu.document.createChildren': ({ params, query, body }) =>
				this.write(params.document_id, query, (doc) => {
					const parent = doc.blocks.get(params.block_id);
					if (!parent) return fail(1770002, 'not found', 404);
					if (!PARENTS.has(parent.block_type))
						return fail(1770028, 'block not support create children', 400);
					const children = (body.children as Array<Record<string, unknown>> | undefined) ?? [];
					if (children.length < 1 || children.length > MAX_CHILDREN_PER_CALL)
						return fail(1770001, 'invalid param', 400);
					for (const child of children) {
						const key = DATA_KEY[Number(child.block_type)];
						if (!key || child[key] === undefined) return fail(1770001, 'invalid param', 400);
					}
					const temp = children.map((c, i) => ({ ...c, block_id: `new${i}`, children: [] }));
					const relations = this.insert(doc, parent.block_id, Number(body.index ?? -1), {
						first_level_block_ids: temp.map((t) => t.block_id),
						blocks: temp,
					});
					const created = relations.map((r) => doc.blocks.get(r.block_id)!);
					for (const block of created)
						if (block.block_type === 27) block.image = { width: 100, height: 100, token: '' };
					return ok({
						children: created,
						document_revision_id: doc.revision,
						client_token: query.client_token ?? '',
					});
				}),
			'feishu.document.createDescendant': ({ params, query, body }) =>
				this.write(params.document_id, query, (doc) => {
					const parent = doc.blocks.get(params.block_id);
					if (!parent) return fail(1770002, 'not found', 404);
					if (!PARENTS.has(parent.block_type))
						return fail(1770028, 'block not support create children', 400);
					const first = body.children_id as string[];
					const descendants = body.descendants as Array<Record<string, unknown>>;
					if (first.length > MAX_DESCENDANTS || descendants.length > MAX_DESCENDANTS)
						return fail(1770001, 'invalid param', 400);
					const ids = new Set<string>();
					const childOf = new Set<string>();
					for (const block of descendants) {
						const id = String(block.block_id ?? '');
						if (!id) return fail(1770001, 'invalid param', 400);
						if (ids.has(id)) return fail(1770019, 'repeated blockID in document', 400);
						ids.add(id);
						const key = DATA_KEY[Number(block.block_type)];
						if (!key || block[key] === undefined) return fail(1770001, 'invalid param', 400);
						for (const field of Object.keys(block))
							if (!['block_id', 'block_type', 'children', key].includes(field))
								this.fake.violations.push(`descendant: undocumented block field "${field}"`);
						for (const c of (block.children as string[] | undefined) ?? []) childOf.add(c);
						if (block.block_type === 31) {
							const table = block.table as Record<string, unknown>;
							const property = (table?.property ?? {}) as Record<string, unknown>;
							// "merge_info 为只读属性，传入该字段会引发报错".
							if ('merge_info' in property || 'cells' in table)
								return fail(1770001, 'invalid param', 400);
						}
					}
					for (const c of childOf) if (!ids.has(c)) return fail(1770006, 'schema mismatch', 400);
					// "仅需写入第一级子块即可，无需写入子块的子块，否则将返回 1770006".
					const top = [...ids].filter((id) => !childOf.has(id));
					if (first.length !== top.length || first.some((id) => !top.includes(id)))
						return fail(1770006, 'schema mismatch', 400);
					const relations = this.insert(doc, parent.block_id, Number(body.index ?? -1), {
						first_level_block_ids: first,
						blocks: descendants,
					});
					return ok({
						children: first.map((t) =>
							doc.blocks.get(relations.find((r) => r.temporary_block_id === t)!.block_id)!,
						),
						document_revision_id: doc.revision,
						client_token: query.client_token ?? '',
						block_id_relations: relations,
					});
				}),
			'feishu.document.updateBlock': ({ params, query, body }) =>
				this.write(params.document_id, query, (doc) => {
					const block = doc.blocks.get(params.block_id);
					if (!block) return fail(1770002, 'not found', 404);
					const requests = Object.keys(body);
					if (requests.length !== 1) return fail(1770001, 'invalid param', 400);
					if (body.update_text_elements) {
						if (!TEXT_TYPES.has(block.block_type))
							return fail(1770025, 'operation and block not match', 400);
						const key = DATA_KEY[block.block_type];
						const data = (block[key] ?? {}) as Record<string, unknown>;
						block[key] = {
							...data,
							elements: (body.update_text_elements as { elements: unknown[] }).elements,
						};
						if (block.block_type === 1)
							doc.title = String(
								(block[key] as { elements: Array<{ text_run?: { content?: string } }> }).elements[0]
									?.text_run?.content ?? '',
							);
					} else if (body.replace_image) {
						if (block.block_type !== 27) return fail(1770025, 'operation and block not match', 400);
						const token = String((body.replace_image as { token: string }).token);
						const media = this.fake.bitable.media.get(token);
						// The media must have been uploaded into this block (FAQ 3): else "relation mismatch".
						if (!media || media.parentType !== 'docx_image' || media.appToken !== block.block_id)
							return fail(1770013, 'relation mismatch', 400);
						block.image = { width: 100, height: 100, ...(body.replace_image as object), token };
					}
					doc.revision++;
					return ok({
						block,
						document_revision_id: doc.revision,
						client_token: query.client_token ?? '',
					});
				}),
			'feishu.document.deleteBlocks': ({ params, query, body }) =>
				this.write(params.document_id, query, (doc) => {
					const parent = doc.blocks.get(params.block_id);
					if (!parent) return fail(1770002, 'not found', 404);
					const start = Number(body.start_index);
					const end = Number(body.end_index);
					if (start < 0 || end <= start || end > parent.children.length)
						return fail(1770001, 'invalid param', 400);
					const remove = (id: string) => {
						for (const child of doc.blocks.get(id)?.children ?? []) remove(child);
						doc.blocks.delete(id);
					};
					for (const id of parent.children.splice(start, end - start)) remove(id);
					doc.revision++;
					return ok({ document_revision_id: doc.revision, client_token: query.client_token ?? '' });
				}),
		};
	}
}
