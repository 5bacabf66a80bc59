import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';
import type {
	ErrorMeanings,
	ListSpec,
	OperationDefinition,
	ResourceDefinition,
} from '../../shared/types';
import { FEISHU_RATE_LIMITS } from '../transport';
import { parseDriveLink, TOKEN, WIKI_LINK_ERRORS } from './drive/common';

/**
 * Wiki (知识库): spaces, their nodes (pages), a link resolved to its document, and nodes created, moved and
 * copied. Source: docs/research/feishu-docx-wiki.md §15–§21.
 */

const WIKI_ERRORS: ErrorMeanings = {
	...WIKI_LINK_ERRORS,
	'131003':
		'Out of limits: a space holds at most 400,000 nodes, 50 levels deep, 2,000 under one parent, and a move takes at most 2,000 nodes with their children.',
	'131006':
		"No permission: the identity must be a member of the space (reading needs the node's read permission, writing needs edit rights on the parent). As the app: add the app's bot group as a space member (知识库设置 › 成员设置).",
	'131009': 'Concurrent changes to the space: retry later.',
	'131010': 'Old documents (doc) can no longer be created: use docx.',
};

const SPACE_HINT =
	'An app sees only the spaces it was added to: add a group chat with the app as a bot as a member of the space (知识库设置 › 成员设置).';

/** A wiki space: From List, By URL (its settings link …/wiki/settings/<space_id>) or By ID. */
const spaceLocator = (name = 'space', displayName = 'Space'): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The wiki space (知识空间). ' + SPACE_HINT,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchWikiSpaces', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://example.feishu.cn/wiki/settings/7034502641455497244',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: 'https?://[^/]+/wiki/settings/[0-9A-Za-z_-]+.*',
						errorMessage: 'Not a wiki space settings link (…/wiki/settings/…)',
					},
				},
			],
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: '7034502641455497244' },
	],
});

/** A wiki node (page): By URL (…/wiki/<node_token>) or By ID. */
const nodeLocator = (
	name: string,
	displayName: string,
	description: string,
	required = true,
	links = 'wiki',
): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'url', value: '' },
	required,
	description,
	modes: [
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://example.feishu.cn/wiki/wikcnpJLIzbAptN4cMQrQoewaLc',
			validation: [
				{
					type: 'regex',
					properties: {
						// n8n checks an empty value against the pattern too: an optional page may be left empty.
						regex: required
							? `https?://[^/]+/(${links})/[A-Za-z0-9_-]+.*`
							: `(?:https?://[^/]+/(${links})/[A-Za-z0-9_-]+.*)?`,
						errorMessage:
							links === 'wiki'
								? 'Not a wiki page link (…/wiki/…)'
								: 'Not a wiki page or document link',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'wikcnpJLIzbAptN4cMQrQoewaLc',
		},
	],
});

function spaceIdOf(p: ParamReader, field = 'space'): string {
	const text = p.requiredString(field);
	if (/^https?:\/\//i.test(text)) {
		let pathname = '';
		try {
			pathname = new URL(text).pathname;
		} catch {
			// Not a URL at all: reported below as not a settings link.
		}
		const match = /\/wiki\/settings\/([0-9A-Za-z_-]+)\/?$/.exec(pathname);
		if (!match)
			p.fail(field, `not a wiki space settings link (…/wiki/settings/<space_id>), got "${text}"`);
		return match[1];
	}
	if (!TOKEN.test(text))
		p.fail(field, `a space ID has only letters, digits, "_" and "-", got "${text}"`);
	return text;
}

function nodeTokenOf(p: ParamReader, field: string): string | undefined {
	const text = p.optionalString(field);
	if (text === undefined) return undefined;
	if (/^https?:\/\//i.test(text)) {
		const link = parseDriveLink(text);
		if (!link || link.type !== 'wiki')
			p.fail(field, `not a wiki page link (…/wiki/<node_token>), got "${text}"`);
		return link.token;
	}
	if (!TOKEN.test(text))
		p.fail(field, `a node token has only letters, digits, "_" and "-", got "${text}"`);
	return text;
}

const requiredNode = (p: ParamReader, field: string): string =>
	nodeTokenOf(p, field) ?? p.failEmpty(field);

const page = (response: IDataObject) => ({
	records: (response.items as IDataObject[] | undefined) ?? [],
	// "可能返回列表为空，但当分页标记（has_more）为 true 时，可以继续分页请求".
	next: response.has_more === true && response.page_token ? String(response.page_token) : undefined,
});

/** GET /open-apis/wiki/v2/spaces: 50 a page. */
export const spaceList: ListSpec = {
	maxPageSize: 50,
	page: (_p, cursor, pageSize) => ({
		method: 'GET',
		path: '/open-apis/wiki/v2/spaces',
		qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
	}),
	read: page,
};

const getSpaces: OperationDefinition = {
	value: 'getSpaces',
	actsAs: ['app', 'user'],
	name: 'Get Spaces',
	action: 'Get wiki spaces',
	description: 'List the wiki spaces the identity can see (not My Library). ' + SPACE_HINT,
	lane: FEISHU_RATE_LIMITS['wiki.getSpaces'],
	errors: WIKI_ERRORS,
	properties: [],
	list: spaceList,
};

const getNodes: OperationDefinition = {
	value: 'getNodes',
	actsAs: ['app', 'user'],
	name: 'Get Nodes',
	action: "Get a space's or a page's child pages",
	description: "List a space's top-level pages, or a page's children (one level)",
	lane: FEISHU_RATE_LIMITS['wiki.getNodes'],
	errors: WIKI_ERRORS,
	properties: [
		spaceLocator(),
		nodeLocator(
			'parentNode',
			'Parent Page',
			'Optional: list this page’s children instead of the top level. Paste its link or give its node token.',
			false,
		),
	],
	list: {
		maxPageSize: 50,
		page: (p, cursor, pageSize) => {
			const parent = nodeTokenOf(p, 'parentNode');
			return {
				method: 'GET',
				path: `/open-apis/wiki/v2/spaces/${encodeURIComponent(spaceIdOf(p))}/nodes`,
				qs: {
					page_size: pageSize,
					...(parent ? { parent_node_token: parent } : {}),
					...(cursor ? { page_token: cursor } : {}),
				},
			};
		},
		read: page,
	},
};

/** The documented link forms the look-up takes, with the obj_type each needs ("需要对 obj_type 参数传入文档对应的类型"). */
const OBJ_TYPES: Record<string, string> = {
	wiki: 'wiki',
	docx: 'docx',
	doc: 'doc',
	sheet: 'sheet',
	bitable: 'bitable',
	file: 'file',
};

const getNode: OperationDefinition = {
	value: 'getNode',
	actsAs: ['app', 'user'],
	name: 'Get Node',
	action: 'Get a wiki page',
	description:
		"Resolve a wiki link (or a document's link, for its wiki page) to the page: its space, its document's type and token (obj_type, obj_token)",
	lane: FEISHU_RATE_LIMITS['bitable.wikiNode'],
	errors: WIKI_ERRORS,
	properties: [
		nodeLocator(
			'node',
			'Page',
			'The wiki page: paste its link (…/wiki/…), or a document’s link (…/docx/…, …/sheets/…, …/base/…) to find its page, or give its node token',
			true,
			'wiki|docx|docs|sheets|base|file',
		),
	],
	async run(step) {
		const p: ParamReader = step.params;
		const text = p.requiredString('node');
		let token = text;
		let objType = 'wiki';
		if (/^https?:\/\//i.test(text)) {
			const link = parseDriveLink(text);
			if (!link || !OBJ_TYPES[link.type])
				p.fail('node', `not a wiki page or document link, got "${text}"`);
			token = link.token;
			objType = OBJ_TYPES[link.type];
		} else if (!TOKEN.test(text)) {
			p.fail('node', `a node token has only letters, digits, "_" and "-", got "${text}"`);
		}
		const data = await step.send({
			method: 'GET',
			path: '/open-apis/wiki/v2/spaces/get_node',
			qs: { token, obj_type: objType },
		});
		return [{ json: (data.node as IDataObject | undefined) ?? {} }];
	},
};

const createNode: OperationDefinition = {
	value: 'createNode',
	actsAs: ['app', 'user'],
	name: 'Create Node',
	action: 'Create a wiki page',
	description:
		'Create a page (a new document, sheet, base, mind note or slides) or a shortcut to another page, at the top of a space or under a page',
	lane: FEISHU_RATE_LIMITS['wiki.createNode'],
	errors: WIKI_ERRORS,
	properties: [
		spaceLocator(),
		nodeLocator(
			'parentNode',
			'Parent Page',
			'Optional: create it under this page. Left empty, at the top level.',
			false,
		),
		{
			displayName: 'Node Type',
			name: 'nodeType',
			type: 'options',
			options: [
				{ name: 'New Page', value: 'origin', description: 'A new document, sheet, base…' },
				{ name: 'Shortcut', value: 'shortcut', description: 'A shortcut to another page' },
			],
			default: 'origin',
		},
		{
			displayName: 'Page Type',
			name: 'objType',
			type: 'options',
			options: [
				{ name: 'Base (Bitable)', value: 'bitable' },
				{ name: 'Document (Docx)', value: 'docx' },
				{ name: 'Mind Note', value: 'mindnote' },
				{ name: 'Sheet', value: 'sheet' },
				{ name: 'Slides', value: 'slides' },
			],
			default: 'docx',
			displayOptions: { show: { nodeType: ['origin'] } },
			description: 'What the new page is (files cannot be created as pages, old docs are retired)',
		},
		nodeLocator('originNode', 'Shortcut To', 'The page the shortcut opens', false),
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			displayOptions: { show: { nodeType: ['origin'] } },
		},
	],
	async run(step) {
		const p = step.params;
		const space = spaceIdOf(p);
		const parent = nodeTokenOf(p, 'parentNode');
		const nodeType = p.choice('nodeType', ['origin', 'shortcut'] as const, 'origin');
		const body: IDataObject = {
			node_type: nodeType,
			...(parent ? { parent_node_token: parent } : {}),
		};
		if (nodeType === 'shortcut') {
			const origin = requiredNode(p, 'originNode');
			// "对于快捷方式，该字段是对应的实体的 obj_type": the target's, looked up.
			const target = await step.send(
				{
					method: 'GET',
					path: '/open-apis/wiki/v2/spaces/get_node',
					qs: { token: origin, obj_type: 'wiki' },
				},
				FEISHU_RATE_LIMITS['bitable.wikiNode'],
			);
			body.obj_type = String((target.node as IDataObject | undefined)?.obj_type ?? '');
			body.origin_node_token = origin;
		} else {
			body.obj_type = p.choice(
				'objType',
				['docx', 'sheet', 'bitable', 'mindnote', 'slides'] as const,
				'docx',
			);
			const title = p.optionalString('title');
			if (title) body.title = title;
		}
		// Creates a page: no idempotency key is documented, so a lost answer is reported, not sent again.
		const data = await step.send({
			method: 'POST',
			path: `/open-apis/wiki/v2/spaces/${encodeURIComponent(space)}/nodes`,
			body,
		});
		return [{ json: (data.node as IDataObject | undefined) ?? {} }];
	},
};

/** A move's or copy's fields: the page (in its space) and where it goes. */
const target = (what: string): INodeProperties[] => [
	spaceLocator('space', 'Space'),
	nodeLocator('node', 'Page', `The page to ${what}: paste its link or give its node token`),
	nodeLocator('targetParent', 'Into Page', `Optional: the page to ${what} it under`, false),
	{
		...spaceLocator('targetSpace', 'Into Space'),
		required: false,
		description: `Optional: the space to ${what} it into (Into Page or Into Space, or both). ${SPACE_HINT}`,
	},
];

/** The page's path (its space's nodes) for a move or copy. */
const nodePath = (p: ParamReader, action: 'move' | 'copy') =>
	`/open-apis/wiki/v2/spaces/${encodeURIComponent(spaceIdOf(p))}/nodes/${encodeURIComponent(requiredNode(p, 'node'))}/${action}`;

function targetOf(p: ParamReader): IDataObject {
	const parent = nodeTokenOf(p, 'targetParent');
	const space =
		p.optionalString('targetSpace') === undefined ? undefined : spaceIdOf(p, 'targetSpace');
	// "目标知识空间 ID 与目标父节点 Token 不可同时为空".
	if (!parent && !space) p.fail('targetParent', 'give Into Page, Into Space, or both');
	return {
		...(parent ? { target_parent_token: parent } : {}),
		...(space ? { target_space_id: space } : {}),
	};
}

const moveNode: OperationDefinition = {
	value: 'moveNode',
	actsAs: ['app', 'user'],
	name: 'Move Node',
	action: 'Move a wiki page',
	description: 'Move a page, with its children, under another page or into another space',
	lane: FEISHU_RATE_LIMITS['wiki.moveNode'],
	errors: WIKI_ERRORS,
	properties: target('move'),
	async run(step) {
		const p = step.params;
		const data = await step.send({
			method: 'POST',
			path: nodePath(p, 'move'),
			body: targetOf(p),
			// Not sent again after a lost answer: a page moved to another space is no longer in this one, so the
			// repeat would be answered 131005 (not found) for a move that happened.
			idempotent: false,
		});
		return [{ json: (data.node as IDataObject | undefined) ?? {} }];
	},
};

const copyNode: OperationDefinition = {
	value: 'copyNode',
	actsAs: ['app', 'user'],
	name: 'Copy Node',
	action: 'Copy a wiki page',
	description: 'Copy a page under another page or into another space',
	lane: FEISHU_RATE_LIMITS['wiki.copyNode'],
	errors: WIKI_ERRORS,
	properties: [
		...target('copy'),
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			description: "The copy's title. Left empty, the page's own.",
		},
	],
	async run(step) {
		const p = step.params;
		const path = nodePath(p, 'copy');
		const title = p.optionalString('title');
		// Creates a page: no idempotency key is documented, so a lost answer is reported, not sent again.
		const data = await step.send({
			method: 'POST',
			path,
			body: { ...targetOf(p), ...(title ? { title } : {}) },
		});
		return [{ json: (data.node as IDataObject | undefined) ?? {} }];
	},
};

export const wiki: ResourceDefinition = {
	value: 'wiki',
	name: 'Wiki',
	description: 'Wiki spaces and pages (知识库): list, resolve links, create, move, copy',
	operations: [getSpaces, getNodes, getNode, createNode, moveNode, copyNode],
	defaultOperation: 'getNodes',
};
