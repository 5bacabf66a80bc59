/**
 * Feishu Wiki (知识库) through n8n's engine against the fake: spaces, nodes (top level and children), links
 * resolved, pages created (a document, a shortcut), moved and copied, the space picker.
 */
import type { IDataObject } from 'n8n-workflow';

import { DRIVE_DOC } from '../fake-api/feishu-drive';
import { WIKI_BASE_NODE, WIKI_DOC_NODE } from '../fake-api/feishu-bitable/model';
import {
	WIKI_CHILD_NODE,
	WIKI_CLOSED_SPACE,
	WIKI_OTHER_SPACE,
	WIKI_SPACE,
} from '../fake-api/feishu-docx/wiki';
import { WIKI_SHEET_NODE } from '../fake-api/feishu-sheets';
import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const id = (value: string) => ({ __rl: true, mode: 'id', value });
const url = (path: string) => ({
	__rl: true,
	mode: 'url',
	value: `https://sandbox.feishu.cn/${path}`,
});

describe('Feishu › Wiki', () => {
	it('lists the spaces the app is a member of (50 a page), and stops at a Limit', async () => {
		const all = await env.bench.run(feishu('wiki', 'getSpaces', { returnAll: true }));
		expect(all.json.map((s) => s.name)).toEqual(['Sandbox wiki', 'Handbook']);
		expect(env.fake.calls('feishu.wiki.getSpaces')[0].query).toEqual({ page_size: '50' });
		const one = await env.bench.run(feishu('wiki', 'getSpaces', { limit: 1 }));
		expect(one.json).toHaveLength(1);
	});

	it("lists a space's top-level pages, and a page's children given by its link", async () => {
		const top = await env.bench.run(
			feishu('wiki', 'getNodes', { space: id(WIKI_SPACE), returnAll: true }),
		);
		expect(top.json.map((n) => n.node_token).sort()).toEqual(
			[WIKI_BASE_NODE, WIKI_DOC_NODE, WIKI_SHEET_NODE].sort(),
		);
		expect(top.json.find((n) => n.node_token === WIKI_DOC_NODE)).toMatchObject({ has_child: true });
		const children = await env.bench.run(
			feishu('wiki', 'getNodes', {
				space: url(`wiki/settings/${WIKI_SPACE}`),
				parentNode: url(`wiki/${WIKI_DOC_NODE}`),
				returnAll: true,
			}),
		);
		expect(env.fake.calls('feishu.wiki.getNodes')[1].query).toEqual({
			page_size: '50',
			parent_node_token: WIKI_DOC_NODE,
		});
		expect(children.json.map((n) => n.node_token)).toEqual([WIKI_CHILD_NODE]);
	});

	it("resolves a wiki link to its document, and a document's link to its wiki page", async () => {
		const byWiki = await env.bench.run(
			feishu('wiki', 'getNode', { node: url(`wiki/${WIKI_DOC_NODE}`) }),
		);
		expect(byWiki.json[0]).toMatchObject({
			obj_type: 'docx',
			obj_token: DRIVE_DOC,
			space_id: WIKI_SPACE,
		});
		const byDoc = await env.bench.run(
			feishu('wiki', 'getNode', { node: url(`docx/${DRIVE_DOC}`) }),
		);
		expect(env.fake.calls('feishu.wiki.getNode')[1].query).toEqual({
			token: DRIVE_DOC,
			obj_type: 'docx',
		});
		expect(byDoc.json[0]).toMatchObject({ node_token: WIKI_DOC_NODE });
	});

	it('creates a document page under a page, which the Document resource then writes to through its wiki link', async () => {
		const run = await env.bench.run(
			feishu('wiki', 'createNode', {
				space: id(WIKI_SPACE),
				parentNode: url(`wiki/${WIKI_DOC_NODE}`),
				title: 'Project Apollo',
			}),
		);
		expect(env.fake.calls('feishu.wiki.createNode')[0].body).toEqual({
			node_type: 'origin',
			parent_node_token: WIKI_DOC_NODE,
			obj_type: 'docx',
			title: 'Project Apollo',
		});
		const node = run.json[0];
		expect(node).toMatchObject({
			obj_type: 'docx',
			title: 'Project Apollo',
			parent_node_token: WIKI_DOC_NODE,
		});
		const written = await env.bench.run(
			feishu('document', 'appendMarkdown', {
				document: url(`wiki/${String(node.node_token)}`),
				content: '## Kick-off',
			}),
		);
		expect(written.error).toBeUndefined();
		const md = await env.bench.run(
			feishu('document', 'getMarkdown', { document: url(`wiki/${String(node.node_token)}`) }),
		);
		expect(md.json[0]).toMatchObject({
			documentId: node.obj_token,
			title: 'Project Apollo',
			markdown: '## Kick-off\n',
		});
	});

	it("creates a shortcut with its target's type, looked up first", async () => {
		const run = await env.bench.run(
			feishu('wiki', 'createNode', {
				space: id(WIKI_SPACE),
				nodeType: 'shortcut',
				originNode: url(`wiki/${WIKI_BASE_NODE}`),
			}),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.wiki.createNode')[0].body).toEqual({
			node_type: 'shortcut',
			obj_type: 'bitable',
			origin_node_token: WIKI_BASE_NODE,
		});
		expect(run.json[0]).toMatchObject({ node_type: 'shortcut', origin_node_token: WIKI_BASE_NODE });
	});

	it('moves a page into another space and copies one with a new title; a move with no destination is bad input', async () => {
		const moved = await env.bench.run(
			feishu('wiki', 'moveNode', {
				space: id(WIKI_SPACE),
				node: url(`wiki/${WIKI_CHILD_NODE}`),
				targetSpace: id(WIKI_OTHER_SPACE),
			}),
		);
		expect(env.fake.calls('feishu.wiki.moveNode')[0].body).toEqual({
			target_space_id: WIKI_OTHER_SPACE,
		});
		expect(moved.json[0]).toMatchObject({ space_id: WIKI_OTHER_SPACE, parent_node_token: '' });
		const copied = await env.bench.run(
			feishu('wiki', 'copyNode', {
				space: id(WIKI_SPACE),
				node: id(WIKI_DOC_NODE),
				targetParent: url(`wiki/${WIKI_BASE_NODE}`),
				title: 'Copy of the doc',
			}),
		);
		expect(env.fake.calls('feishu.wiki.copyNode')[0].body).toEqual({
			target_parent_token: WIKI_BASE_NODE,
			title: 'Copy of the doc',
		});
		expect(copied.json[0]).toMatchObject({
			title: 'Copy of the doc',
			parent_node_token: WIKI_BASE_NODE,
		});
		const nowhere = await env.bench.run(
			feishu('wiki', 'moveNode', { space: id(WIKI_SPACE), node: id(WIKI_DOC_NODE) }),
		);
		expect(nowhere.error?.message).toMatch(
			/Invalid "Into Page" \(targetParent\) in item 0: give Into Page, Into Space, or both/,
		);
		expect(env.fake.calls('feishu.wiki.moveNode')).toHaveLength(1);
	});

	it('131001 ("rpc fail", retry), though HTTP 400, is sent again on a read; 131007 ("请勿重试") is not', async () => {
		env.fake.script('feishu.wiki.getNode', {
			status: 400,
			body: { code: 131001, msg: 'rpc fail', error: {} },
		});
		const run = await env.bench.run(
			feishu('wiki', 'getNode', { node: url(`wiki/${WIKI_DOC_NODE}`) }),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.wiki.getNode')).toHaveLength(2);
		env.fake.reset();
		env.fake.script('feishu.wiki.getNode', {
			status: 400,
			body: { code: 131007, msg: 'internal err', error: {} },
		});
		const refused = await env.bench.run(
			feishu('wiki', 'getNode', { node: url(`wiki/${WIKI_DOC_NODE}`) }),
		);
		expect(refused.error?.message).toBe('Feishu error 131007: internal err');
		expect(env.fake.calls('feishu.wiki.getNode')).toHaveLength(1);
	});

	it('a space the app is not a member of: 131006, saying how to add the app', async () => {
		const run = await env.bench.run(feishu('wiki', 'getNodes', { space: id(WIKI_CLOSED_SPACE) }));
		expect(run.error?.message).toMatch(/^Feishu error 131006/);
		expect(run.error?.description).toMatch(/space member/);
	});

	it('the space picker lists the spaces, filtered by the typed text', async () => {
		const found = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchWikiSpaces',
			{ resource: 'wiki', operation: 'getNodes' },
			'hand',
		)) as { results: IDataObject[] };
		expect(found.results).toEqual([{ name: 'Handbook', value: WIKI_OTHER_SPACE }]);
	});
});
