/**
 * Feishu documents (新版文档, docx) through n8n's engine against the fake Docx: create with Markdown, the
 * convert → descendant path in documented batches with document_revision_id and client_token, the
 * Markdown round trip, plain text, blocks, block edits and deletes, images in three steps, wiki links,
 * and the per-document write limit.
 */
import type { IDataObject } from 'n8n-workflow';

import { DRIVE_DOC, DRIVE_PRIVATE, DRIVE_REPORTS } from '../fake-api/feishu-drive';
import { WIKI_BASE_NODE, WIKI_DOC_NODE } from '../fake-api/feishu-bitable/model';
import { binaryItem, PNG } from '../fixtures';
import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const docRl = (id: string) => ({ __rl: true, mode: 'id', value: id });
const docLink = (path: string) => ({
	__rl: true,
	mode: 'url',
	value: `https://sandbox.feishu.cn/${path}`,
});

/** Every element the Markdown both ways covers, written as Get as Markdown writes it. */
const EVERY_ELEMENT = [
	'# Launch plan',
	'',
	'## Goals',
	'',
	'A paragraph with **bold**, *italic*, ~~struck~~, `code` and a [link](https://example.com/a?b=1&c=d).',
	'',
	'- one',
	'- two',
	'  - two and a half',
	'- three',
	'',
	'1. first',
	'2. second',
	'',
	'- [ ] open task',
	'  - a sub-item',
	'- [x] done task',
	'',
	'\\# Not a heading',
	'',
	'2\\. Not a list, and a [link](https://example.com/a%20b%28c%29)',
	'',
	'```python',
	'print("hi")',
	'for x in range(3): pass',
	'```',
	'',
	'> a quote',
	'> on two lines',
	'',
	'| Name | Count |',
	'| --- | --- |',
	'| apples | 3 |',
	'| pears | **5** |',
	'',
	'### The end',
	'',
].join('\n');

describe('Feishu › Document › Create and Append Markdown', () => {
	it('creates a document in a folder from Markdown: create, convert, one descendant call at the latest revision with a client_token', async () => {
		const run = await env.bench.run(
			feishu('document', 'create', {
				title: 'Launch plan',
				folder: { __rl: true, mode: 'id', value: DRIVE_REPORTS },
				content: EVERY_ELEMENT,
			}),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.document.create')[0].body).toEqual({
			folder_token: DRIVE_REPORTS,
			title: 'Launch plan',
		});
		expect(env.fake.calls('feishu.document.convert')[0].body).toEqual({
			content_type: 'markdown',
			content: EVERY_ELEMENT.trim(),
		});
		const [insert] = env.fake.calls('feishu.document.createDescendant');
		const id = String(run.json[0].documentId);
		expect(insert.path).toBe(`/open-apis/docx/v1/documents/${id}/blocks/${id}/descendant`);
		expect(insert.query.document_revision_id).toBe('-1');
		expect(insert.query.client_token).toMatch(UUID);
		const body = insert.body as {
			children_id: string[];
			descendants: IDataObject[];
			index: number;
		};
		expect(body.index).toBe(-1);
		// The table went without its read-only merge_info and cells.
		const table = body.descendants.find((b) => b.block_type === 31)!.table as IDataObject;
		expect(table).toEqual({ property: { row_size: 3, column_size: 2 } });
		expect(run.json[0]).toMatchObject({
			document_id: id,
			title: 'Launch plan',
			appended: { calls: 1 },
		});
		expect(env.fake.drive.nodes.get(id)).toMatchObject({ type: 'docx', parent: DRIVE_REPORTS });

		const back = await env.bench.run(feishu('document', 'getMarkdown', { document: docRl(id) }));
		expect(back.json[0]).toMatchObject({ documentId: id, title: 'Launch plan' });
		expect(back.json[0].markdown).toBe(EVERY_ELEMENT);
	});

	it('appends 2,500 paragraphs in calls of at most 1,000 blocks, each with its own client_token, in order', async () => {
		const paragraphs = Array.from({ length: 2500 }, (_, i) => `Paragraph ${i + 1}`).join('\n\n');
		const run = await env.bench.run(
			feishu('document', 'appendMarkdown', {
				document: docRl(DRIVE_DOC),
				content: paragraphs,
				index: 1,
			}),
		);
		expect(run.error).toBeUndefined();
		const calls = env.fake.calls('feishu.document.createDescendant');
		expect(calls.map((c) => (c.body as { descendants: unknown[] }).descendants.length)).toEqual([
			1000, 1000, 500,
		]);
		expect(calls.map((c) => (c.body as { index: number }).index)).toEqual([1, 1001, 2001]);
		expect(new Set(calls.map((c) => c.query.client_token)).size).toBe(3);
		const doc = env.fake.docx.documents.get(DRIVE_DOC)!;
		const texts = env.fake.docx.rawText(doc).split('\n');
		expect(texts.slice(0, 3)).toEqual(['Sandbox doc', 'Sandbox doc', 'Paragraph 1']);
		expect(texts[2501]).toBe('Paragraph 2500');
		expect(texts[2502]).toBe('Hello from the sandbox.');
		expect(run.json[0]).toMatchObject({ blocks: 2500, calls: 3 });
	});

	it('an insert whose answer is lost is sent again with the same client_token: the blocks are there once', async () => {
		env.fake.faults.loseAnswers['feishu.document.createDescendant'] = 1;
		const run = await env.bench.run(
			feishu('document', 'appendMarkdown', { document: docRl(DRIVE_DOC), content: 'Only once' }),
		);
		expect(run.error).toBeUndefined();
		const calls = env.fake.calls('feishu.document.createDescendant');
		expect(calls).toHaveLength(2);
		expect(calls[1].query.client_token).toBe(calls[0].query.client_token);
		const doc = env.fake.docx.documents.get(DRIVE_DOC)!;
		expect(
			env.fake.docx
				.rawText(doc)
				.split('\n')
				.filter((t) => t === 'Only once'),
		).toHaveLength(1);
	});

	it('HTML goes through convert as HTML', async () => {
		const run = await env.bench.run(
			feishu('document', 'appendMarkdown', {
				document: docRl(DRIVE_DOC),
				contentType: 'html',
				content: '<h2>From HTML</h2><p>Some <b>bold</b> text</p>',
			}),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.document.convert')[0].body).toMatchObject({
			content_type: 'html',
		});
		const back = await env.bench.run(
			feishu('document', 'getMarkdown', { document: docRl(DRIVE_DOC) }),
		);
		expect(back.json[0].markdown).toMatch(/## From HTML\n\nSome \*\*bold\*\* text\n$/);
	});

	it('one document takes 3 edits a second across its edit APIs: two runs (inserts and updates) share its limit', async () => {
		const blocks = await env.bench.run(
			feishu('document', 'getBlocks', { document: docRl(DRIVE_DOC), returnAll: true }),
		);
		const paragraph = String(blocks.json[2].block_id);
		const [appends, updates] = await Promise.all([
			env.bench.run({
				...feishu('document', 'appendMarkdown', {
					document: docRl(DRIVE_DOC),
					content: '={{ "Line " + $json.n }}',
					options: { concurrency: 3 },
				}),
				items: Array.from({ length: 3 }, (_, n) => ({ n })),
			}),
			env.bench.run({
				...feishu('document', 'updateBlock', {
					document: docRl(DRIVE_DOC),
					blockId: paragraph,
					text: '={{ "Version " + $json.n }}',
					options: { concurrency: 3 },
				}),
				items: Array.from({ length: 3 }, (_, n) => ({ n })),
			}),
		]);
		expect([appends.error, updates.error]).toEqual([undefined, undefined]);
		const edits = [
			...env.fake.calls('feishu.document.createDescendant'),
			...env.fake.calls('feishu.document.updateBlock'),
		].sort((a, b) => a.sentAt - b.sentAt);
		expect(edits).toHaveLength(6);
		// Each API alone may take 3 at once, so without the document's own lane the 6 edits would all go within
		// a few milliseconds; with it, the 4th waits for the window (about 1 s). The bound leaves room for a stall.
		expect(edits[3].sentAt - edits[0].sentAt).toBeGreaterThan(600);
	});
});

describe('Feishu › Document › reading', () => {
	it('gets the document, its plain text and its blocks (Return All and Limit); a wiki link resolves to its document', async () => {
		const meta = await env.bench.run(
			feishu('document', 'get', { document: docLink(`wiki/${WIKI_DOC_NODE}`) }),
		);
		expect(env.fake.calls('feishu.wiki.getNode')[0].query).toEqual({
			token: WIKI_DOC_NODE,
			obj_type: 'wiki',
		});
		expect(meta.json[0]).toMatchObject({ document_id: DRIVE_DOC, title: 'Sandbox doc' });
		const text = await env.bench.run(
			feishu('document', 'getRawContent', { document: docLink(`docx/${DRIVE_DOC}`) }),
		);
		expect(env.fake.calls('feishu.document.rawContent')[0].query).toEqual({ lang: '0' });
		expect(text.json).toEqual([
			{ documentId: DRIVE_DOC, content: 'Sandbox doc\nSandbox doc\nHello from the sandbox.' },
		]);
		const all = await env.bench.run(
			feishu('document', 'getBlocks', { document: docRl(DRIVE_DOC), returnAll: true }),
		);
		expect(all.json.map((b) => b.block_type)).toEqual([1, 3, 2]);
		const one = await env.bench.run(
			feishu('document', 'getBlocks', { document: docRl(DRIVE_DOC), limit: 1 }),
		);
		expect(one.json).toHaveLength(1);
		expect(env.fake.calls('feishu.document.blocks').at(-1)!.query).toEqual({
			page_size: '1',
			document_revision_id: '-1',
		});
	});

	it('a wiki link to a base is not a document: bad input; a document not shared with the app: 1770032 with how to share it', async () => {
		const base = await env.bench.run(
			feishu('document', 'get', { document: docLink(`wiki/${WIKI_BASE_NODE}`) }),
		);
		expect(base.error?.message).toMatch(
			/Invalid "Document" \(document\) in item 0: the wiki page is a bitable, not a document/,
		);
		env.fake.drive.nodes.get(DRIVE_DOC)!.shared = false;
		const hidden = await env.bench.run(feishu('document', 'get', { document: docRl(DRIVE_DOC) }));
		expect(hidden.error?.message).toBe('Feishu error 1770032: forbidden');
		expect(hidden.error?.description).toMatch(/Add Document App/);
	});
});

describe('Feishu › Document › editing blocks', () => {
	it("replaces a block's text, with the latest revision and a client_token", async () => {
		const blocks = await env.bench.run(
			feishu('document', 'getBlocks', { document: docRl(DRIVE_DOC), returnAll: true }),
		);
		const paragraph = String(blocks.json[2].block_id);
		const run = await env.bench.run(
			feishu('document', 'updateBlock', {
				document: docRl(DRIVE_DOC),
				blockId: paragraph,
				text: 'Rewritten',
			}),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.document.updateBlock');
		expect(call.method).toBe('PATCH');
		expect(call.query.document_revision_id).toBe('-1');
		expect(call.query.client_token).toMatch(UUID);
		expect(call.body).toEqual({
			update_text_elements: { elements: [{ text_run: { content: 'Rewritten' } }] },
		});
		expect(env.fake.docx.rawText(env.fake.docx.documents.get(DRIVE_DOC)!)).toBe(
			'Sandbox doc\nSandbox doc\nRewritten',
		);
	});

	it('deletes a range of children (half-open); an empty range is bad input', async () => {
		const run = await env.bench.run(
			feishu('document', 'deleteBlocks', {
				document: docRl(DRIVE_DOC),
				startIndex: 0,
				endIndex: 1,
			}),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.document.deleteBlocks');
		expect(call.path).toBe(
			`/open-apis/docx/v1/documents/${DRIVE_DOC}/blocks/${DRIVE_DOC}/children/batch_delete`,
		);
		expect(call.body).toEqual({ start_index: 0, end_index: 1 });
		expect(run.json[0]).toMatchObject({ documentId: DRIVE_DOC, deleted: 1 });
		expect(env.fake.docx.rawText(env.fake.docx.documents.get(DRIVE_DOC)!)).toBe(
			'Sandbox doc\nHello from the sandbox.',
		);
		const bad = await env.bench.run(
			feishu('document', 'deleteBlocks', {
				document: docRl(DRIVE_DOC),
				startIndex: 2,
				endIndex: '={{ 2 }}',
			}),
		);
		expect(bad.error?.message).toMatch(
			/\(endIndex\) in item 0: must be greater than Start Index \(2\)/,
		);
	});

	it('inserts an image in the three documented steps: an empty image block, the media uploaded into it, replace_image', async () => {
		const run = await env.bench.run({
			...feishu('document', 'insertImage', { document: docRl(DRIVE_DOC), index: 0 }),
			items: [binaryItem(PNG, 'dot.png', 'image/png')],
		});
		expect(run.error).toBeUndefined();
		const [create] = env.fake.calls('feishu.document.createChildren');
		expect(create.body).toEqual({ index: 0, children: [{ block_type: 27, image: {} }] });
		const blockId = String(run.json[0].blockId);
		const [upload] = env.fake.calls('feishu.bitableMedia.upload');
		expect(upload.body).toMatchObject({
			file_name: 'dot.png',
			parent_type: 'docx_image',
			parent_node: blockId,
			size: PNG.length,
			extra: JSON.stringify({ drive_route_token: DRIVE_DOC }),
		});
		const [bind] = env.fake.calls('feishu.document.updateBlock');
		expect(bind.body).toEqual({ replace_image: { token: run.json[0].fileToken } });
		const block = env.fake.docx.documents.get(DRIVE_DOC)!.blocks.get(blockId)!;
		expect((block.image as IDataObject).token).toBe(run.json[0].fileToken);
		const md = await env.bench.run(
			feishu('document', 'getMarkdown', { document: docRl(DRIVE_DOC) }),
		);
		expect(String(md.json[0].markdown).split('\n')[0]).toBe(
			`![](feishu-image:${String(run.json[0].fileToken)})`,
		);
	});

	it('a document not in the folder the app may write: 1770040; a Markdown document is bad input for Insert Image', async () => {
		const run = await env.bench.run(
			feishu('document', 'create', {
				title: 'x',
				folder: { __rl: true, mode: 'id', value: DRIVE_PRIVATE },
			}),
		);
		expect(run.error?.message).toBe('Feishu error 1770040: no folder permission');
		const notImage = await env.bench.run({
			...feishu('document', 'insertImage', { document: docRl(DRIVE_DOC) }),
			items: [binaryItem(Buffer.from('# hi'), 'a.md', 'text/markdown')],
		});
		expect(notImage.error?.message).toMatch(
			/\(binaryPropertyName\) in item 0: the file is text\/markdown, not an image/,
		);
	});
});
