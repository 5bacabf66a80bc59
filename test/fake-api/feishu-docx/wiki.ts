/**
 * The fake Feishu Wiki (知识库): spaces, and their nodes (the Bitable fake's wiki nodes, which get_node
 * answers) listed, created (a docx page is a document of the fake Docx), moved and copied, with the
 * documented checks. Source: docs/research/feishu-docx-wiki.md §15–§21.
 */

import type { FakeApi, Handler } from '../server';
import type { WikiNode } from '../feishu-bitable/model';
import { alnum, fail, ok } from '../feishu-bitable/model';

export interface WikiSpace {
	space_id: string;
	name: string;
	description: string;
	space_type: 'team' | 'person';
	visibility: 'public' | 'private';
	open_sharing: 'open' | 'closed';
	/** False: the app is not a member (its list leaves it out, its nodes answer 131006). */
	member: boolean;
}

export const WIKI_SPACE = '7300000000000000001';
export const WIKI_OTHER_SPACE = '7300000000000000002';
export const WIKI_CLOSED_SPACE = '7300000000000000003';
export const WIKI_CHILD_NODE = 'wikcnSandboxChild01';
export const WIKI_CHILD_DOC = 'doxcnSandboxChildDoc00001';
const MAX_PAGE = 50;

export class FeishuWiki {
	readonly spaces = new Map<string, WikiSpace>();

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.spaces.clear();
		const space = (space_id: string, name: string, member = true): WikiSpace => ({
			space_id,
			name,
			description: '',
			space_type: 'team',
			visibility: 'private',
			open_sharing: 'closed',
			member,
		});
		for (const s of [
			space(WIKI_SPACE, 'Sandbox wiki'),
			space(WIKI_OTHER_SPACE, 'Handbook'),
			space(WIKI_CLOSED_SPACE, 'Board only', false),
		])
			this.spaces.set(s.space_id, s);
		// A page under the sandbox doc's page, with a document of its own.
		this.fake.docx.make(WIKI_CHILD_DOC, 'Child page');
		this.nodes.set(WIKI_CHILD_NODE, {
			space_id: WIKI_SPACE,
			node_token: WIKI_CHILD_NODE,
			obj_token: WIKI_CHILD_DOC,
			obj_type: 'docx',
			title: 'Child page',
			parent_node_token: 'wikcnSandboxDoc0001',
		});
	}

	private get nodes(): Map<string, WikiNode> {
		return this.fake.bitable.wikiNodes;
	}

	private shaped(node: WikiNode): Record<string, unknown> {
		return {
			space_id: node.space_id,
			node_token: node.node_token,
			obj_token: node.obj_token,
			obj_type: node.obj_type,
			parent_node_token: node.parent_node_token ?? '',
			node_type: node.node_type ?? 'origin',
			origin_node_token: node.origin_node_token ?? node.node_token,
			origin_space_id: node.space_id,
			has_child: [...this.nodes.values()].some((n) => n.parent_node_token === node.node_token),
			title: node.title,
			obj_create_time: '1735693200',
			obj_edit_time: '1735693200',
			node_create_time: '1735693200',
			creator: 'ou_1',
			owner: 'ou_1',
		};
	}

	private spaceOr(id: string) {
		const space = this.spaces.get(id);
		if (!space) return fail(131005, 'not found', 400);
		if (!space.member) return fail(131006, 'permission denied: wiki space permission denied', 400);
		return space;
	}

	private page<T>(all: T[], query: Record<string, string>) {
		const size = query.page_size === undefined ? 20 : Number(query.page_size);
		if (size < 1 || size > MAX_PAGE) return { error: fail(131002, 'param err: page_size', 400) };
		const start = query.page_token ? Number(query.page_token.replace(/^wpt-/, '')) : 0;
		if (!Number.isInteger(start)) return { error: fail(131002, 'param err: page_token', 400) };
		const end = start + size;
		return {
			items: all.slice(start, end),
			has_more: end < all.length,
			...(end < all.length ? { page_token: `wpt-${end}` } : {}),
		};
	}

	handlers(): Record<string, Handler> {
		return {
			'feishu.wiki.getSpaces': ({ query }) => {
				// "此接口不会返回我的文档库"; an app sees the spaces it was added to.
				const visible = [...this.spaces.values()]
					.filter((s) => s.member)
					.map(({ member: _member, ...s }) => s);
				const page = this.page(visible, query);
				if ('error' in page) return page.error!;
				return ok(page);
			},
			'feishu.wiki.getNodes': ({ params, query }) => {
				const space = this.spaceOr(params.space_id);
				if ('status' in space) return space;
				const parent = query.parent_node_token ?? '';
				if (parent && this.nodes.get(parent)?.space_id !== space.space_id)
					return fail(131005, 'not found: node', 400);
				const children = [...this.nodes.values()]
					.filter((n) => n.space_id === space.space_id && (n.parent_node_token ?? '') === parent)
					.map((n) => this.shaped(n));
				const page = this.page(children, query);
				if ('error' in page) return page.error!;
				return ok(page);
			},
			'feishu.wiki.createNode': ({ params, body }) => {
				const space = this.spaceOr(params.space_id);
				if ('status' in space) return space;
				if (body.obj_type === 'doc')
					return fail(131010, 'doc type is deprecated, please use docx.', 400);
				if (body.obj_type === 'file') return fail(131002, 'param err: file not supported', 400);
				const parent = String(body.parent_node_token ?? '');
				if (parent && this.nodes.get(parent)?.space_id !== space.space_id)
					return fail(131005, 'not found: parent node', 400);
				let objToken: string;
				let title = String(body.title ?? '');
				if (body.node_type === 'shortcut') {
					const origin = this.nodes.get(String(body.origin_node_token ?? ''));
					if (!origin) return fail(131005, 'not found: origin node', 400);
					if (origin.obj_type !== body.obj_type) return fail(131002, 'param err: obj_type', 400);
					objToken = origin.obj_token;
					title = origin.title;
				} else {
					const prefix =
						body.obj_type === 'docx' ? 'doxcn' : body.obj_type === 'sheet' ? 'shtcn' : 'bascn';
					objToken = `${prefix}${alnum(22)}`;
					if (body.obj_type === 'docx') this.fake.docx.make(objToken, title);
				}
				const node: WikiNode = {
					space_id: space.space_id,
					node_token: `wikcn${alnum(22)}`,
					obj_token: objToken,
					obj_type: String(body.obj_type),
					title,
					parent_node_token: parent,
					node_type: body.node_type === 'shortcut' ? 'shortcut' : 'origin',
					...(body.node_type === 'shortcut'
						? { origin_node_token: String(body.origin_node_token) }
						: {}),
				};
				this.nodes.set(node.node_token, node);
				return ok({ node: this.shaped(node) });
			},
			'feishu.wiki.moveNode': ({ params, body }) => {
				const space = this.spaceOr(params.space_id);
				if ('status' in space) return space;
				const node = this.nodes.get(params.node_token);
				if (!node || node.space_id !== space.space_id) return fail(131005, 'not found: node', 400);
				const target = this.target(body, space.space_id);
				if ('status' in target) return target;
				const move = (n: WikiNode) => {
					n.space_id = target.space;
					for (const child of [...this.nodes.values()].filter(
						(c) => c.parent_node_token === n.node_token,
					))
						move(child);
				};
				move(node);
				node.parent_node_token = target.parent;
				return ok({ node: this.shaped(node) });
			},
			'feishu.wiki.copyNode': ({ params, body }) => {
				const space = this.spaceOr(params.space_id);
				if ('status' in space) return space;
				const node = this.nodes.get(params.node_token);
				if (!node || node.space_id !== space.space_id) return fail(131005, 'not found: node', 400);
				const target = this.target(body, space.space_id);
				if ('status' in target) return target;
				const copy: WikiNode = {
					...node,
					space_id: target.space,
					node_token: `wikcn${alnum(22)}`,
					obj_token: `${node.obj_token.slice(0, 5)}${alnum(22)}`,
					// "如果填空，则新标题为空。如果不填，则使用原节点标题".
					title: body.title === undefined ? node.title : String(body.title),
					parent_node_token: target.parent,
				};
				this.nodes.set(copy.node_token, copy);
				return ok({ node: this.shaped(copy) });
			},
		};
	}

	/** A move's or copy's destination: "目标知识空间 ID 与目标父节点 Token 不可同时为空". */
	private target(body: Record<string, unknown>, from: string) {
		const parent = String(body.target_parent_token ?? '');
		const spaceId = String(body.target_space_id ?? '');
		if (!parent && !spaceId) return fail(131002, 'param err: target', 400);
		const space = spaceId ? this.spaceOr(spaceId) : this.spaceOr(from);
		if ('status' in space) return space;
		if (parent) {
			const node = this.nodes.get(parent);
			if (!node || node.space_id !== space.space_id)
				return fail(131005, 'not found: target parent', 400);
		}
		return { space: space.space_id, parent };
	}
}
