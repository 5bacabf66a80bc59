/**
 * Drive, Drive Permission, Document, Wiki, Spreadsheet and Sheet as the connected user (Authentication "User (OAuth2)"):
 * every operation through n8n's engine against the fake, each request with the user's token, and the
 * identity-bound steps (an upload session, an export's polling) with the same user throughout.
 */
import type { IDataObject } from 'n8n-workflow';

import { DRIVE_DOC, DRIVE_HANDBOOK, DRIVE_REPORTS, DRIVE_SHEET } from '../fake-api/feishu-drive';
import { WIKI_DOC_NODE } from '../fake-api/feishu-bitable/model';
import { WIKI_CHILD_NODE, WIKI_OTHER_SPACE, WIKI_SPACE } from '../fake-api/feishu-docx/wiki';
import { SHEET_EMPTY, SHEET_ORDERS } from '../fake-api/feishu-sheets';
import { binaryItem, PNG } from '../fixtures';
import { useFakeApi } from '../helpers';
import { connect, REDIRECT } from '../user-connect';

const env = useFakeApi();
const id = (value: string) => ({ __rl: true, mode: 'id', value });
const url = (path: string) => ({
	__rl: true,
	mode: 'url',
	value: `https://sandbox.feishu.cn/${path}`,
});
const asUser = (
	resource: string,
	operation: string,
	rest: IDataObject = {},
	items?: IDataObject[],
) => ({
	node: 'feishu' as const,
	parameters: { authentication: 'oAuth2', resource, operation, ...rest },
	...(items ? { items } : {}),
});
const md = (text: string) => binaryItem(Buffer.from(text), 'notes.md', 'text/markdown');

const CASES: Array<[string, ReturnType<typeof asUser>]> = [
	['drive upload', asUser('drive', 'upload', { folder: id(DRIVE_REPORTS) }, [md('# hi')])],
	['drive download', asUser('drive', 'download', { file: url(`file/${DRIVE_HANDBOOK}`) })],
	['drive getAll', asUser('drive', 'getAll', { folder: id(DRIVE_REPORTS), returnAll: true })],
	['drive get', asUser('drive', 'get', { file: url(`docx/${DRIVE_DOC}`) })],
	[
		'drive createFolder',
		asUser('drive', 'createFolder', { name: 'Mine', parent: id(DRIVE_REPORTS) }),
	],
	[
		'drive copy',
		asUser('drive', 'copy', {
			file: url(`sheets/${DRIVE_SHEET}`),
			name: 'Copy',
			folder: id(DRIVE_REPORTS),
		}),
	],
	[
		'drive move',
		asUser('drive', 'move', { file: url(`file/${DRIVE_HANDBOOK}`), folder: id(DRIVE_REPORTS) }),
	],
	['drive delete', asUser('drive', 'delete', { file: url(`file/${DRIVE_HANDBOOK}`) })],
	['drive import', asUser('drive', 'import', { folder: id(DRIVE_REPORTS) }, [md('# Imported')])],
	['drive export', asUser('drive', 'export', { file: url(`docx/${DRIVE_DOC}`), format: 'docx' })],
	[
		'drivePermission add',
		asUser('drivePermission', 'add', {
			file: url(`docx/${DRIVE_DOC}`),
			memberType: 'opendepartmentid',
			memberId: 'od-sales',
		}),
	],
	[
		'drivePermission getAll',
		asUser('drivePermission', 'getAll', { file: url(`docx/${DRIVE_DOC}`) }),
	],
	[
		'drivePermission update',
		asUser('drivePermission', 'update', {
			file: url(`docx/${DRIVE_DOC}`),
			settings: { comment_entity: 'anyone_can_edit' },
		}),
	],
	[
		'drivePermission transferOwner',
		asUser('drivePermission', 'transferOwner', {
			file: url(`docx/${DRIVE_DOC}`),
			memberId: 'ou_3',
		}),
	],
	[
		'drivePermission remove',
		asUser('drivePermission', 'remove', { file: url(`docx/${DRIVE_DOC}`), memberId: 'ou_2' }),
	],
	['document create', asUser('document', 'create', { title: 'Mine', content: '- a\n- b' })],
	['document get', asUser('document', 'get', { document: id(DRIVE_DOC) })],
	['document getRawContent', asUser('document', 'getRawContent', { document: id(DRIVE_DOC) })],
	[
		'document getMarkdown',
		asUser('document', 'getMarkdown', { document: url(`wiki/${WIKI_DOC_NODE}`) }),
	],
	[
		'document appendMarkdown',
		asUser('document', 'appendMarkdown', { document: id(DRIVE_DOC), content: 'More' }),
	],
	[
		'document getBlocks',
		asUser('document', 'getBlocks', { document: id(DRIVE_DOC), returnAll: true }),
	],
	[
		'document deleteBlocks',
		asUser('document', 'deleteBlocks', { document: id(DRIVE_DOC), startIndex: 1, endIndex: 2 }),
	],
	[
		'document insertImage',
		asUser('document', 'insertImage', { document: id(DRIVE_DOC) }, [
			binaryItem(PNG, 'dot.png', 'image/png'),
		]),
	],
	['wiki getSpaces', asUser('wiki', 'getSpaces', { returnAll: true })],
	['wiki getNodes', asUser('wiki', 'getNodes', { space: id(WIKI_SPACE), returnAll: true })],
	['wiki getNode', asUser('wiki', 'getNode', { node: url(`wiki/${WIKI_DOC_NODE}`) })],
	['wiki createNode', asUser('wiki', 'createNode', { space: id(WIKI_SPACE), title: 'Mine' })],
	[
		'wiki moveNode',
		asUser('wiki', 'moveNode', {
			space: id(WIKI_SPACE),
			node: id(WIKI_CHILD_NODE),
			targetSpace: id(WIKI_OTHER_SPACE),
		}),
	],
	[
		'wiki copyNode',
		asUser('wiki', 'copyNode', {
			space: id(WIKI_SPACE),
			node: id(WIKI_DOC_NODE),
			targetSpace: id(WIKI_OTHER_SPACE),
		}),
	],
	...sheetCases(),
];

/** Spreadsheets and sheets as the user: every operation once, on the sample spreadsheet. */
function sheetCases(): Array<[string, ReturnType<typeof asUser>]> {
	const book = { spreadsheet: url(`sheets/${DRIVE_SHEET}`) };
	const orders = { ...book, sheet: id(SHEET_ORDERS) };
	const auto = { mappingMode: 'autoMapInputData', value: null };
	return [
		[
			'spreadsheet create',
			asUser('spreadsheet', 'create', { title: 'Mine', folder: id(DRIVE_REPORTS) }),
		],
		['spreadsheet get', asUser('spreadsheet', 'get', book)],
		['spreadsheet delete', asUser('spreadsheet', 'delete', book)],
		['sheet append', asUser('sheet', 'append', { ...orders, columns: auto }, [{ Order: 'U-1' }])],
		[
			'sheet appendOrUpdate',
			asUser(
				'sheet',
				'appendOrUpdate',
				{ ...orders, columns: { ...auto, matchingColumns: ['Order'] } },
				[{ Order: 'A-1', Status: 'done' }],
			),
		],
		[
			'sheet update',
			asUser('sheet', 'update', { ...orders, columns: { ...auto, matchingColumns: ['Order'] } }, [
				{ Order: 'A-2', Status: 'done' },
			]),
		],
		['sheet read', asUser('sheet', 'read', { ...orders, returnAll: true })],
		['sheet clear', asUser('sheet', 'clear', { ...orders, clear: 'range', range: 'B2:B3' })],
		['sheet delete', asUser('sheet', 'delete', { ...orders, toDelete: 'rows', startRow: 3 })],
		['sheet create', asUser('sheet', 'create', { ...book, title: 'Mine' })],
		['sheet remove', asUser('sheet', 'remove', { ...book, sheet: id(SHEET_EMPTY) })],
		['sheet readRange', asUser('sheet', 'readRange', { ...orders, range: 'A1:B2' })],
		[
			'sheet writeRange',
			asUser('sheet', 'writeRange', { ...orders, range: 'H1', values: '[["x"]]' }),
		],
	];
}

describe('Drive, Drive Permission, Document and Wiki as the connected user', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});

	it.each(CASES)('%s: runs with the user token on every request', async (_name, run) => {
		const result = await env.bench.run(run);
		expect(result.error).toBeUndefined();
		expect(result.json.length).toBeGreaterThan(0);
		const calls = env.fake.requests.filter(
			(r) => r.key !== 'feishu.oauth.token' && r.key !== 'feishu.oauth.authorize',
		);
		expect(calls.length).toBeGreaterThan(0);
		for (const call of calls)
			expect({ key: call.key, auth: call.headers.authorization }).toEqual({
				key: call.key,
				auth: expect.stringMatching(/^Bearer u-/),
			});
	});

	it("updates a block's text as the user", async () => {
		const blocks = await env.bench.run(
			asUser('document', 'getBlocks', { document: id(DRIVE_DOC), returnAll: true }),
		);
		const run = await env.bench.run(
			asUser('document', 'updateBlock', {
				document: id(DRIVE_DOC),
				blockId: String(blocks.json[2].block_id),
				text: 'Mine now',
			}),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.document.updateBlock')[0].headers.authorization).toMatch(
			/^Bearer u-/,
		);
		expect(env.fake.docx.rawText(env.fake.docx.documents.get(DRIVE_DOC)!)).toMatch(/Mine now$/);
	});
});
