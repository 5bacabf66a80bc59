import type { INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../../../shared/params';
import { oneAtATime } from '../../../shared/serial';
import type { ErrorMeanings, OperationStep, PacingLane } from '../../../shared/types';
import { parseDriveLink, resolveWiki, TOKEN, WIKI_LINK_ERRORS } from '../drive/common';

/**
 * Docx (新版文档) basics: the document picker (a docx link, a wiki link or an ID), the shared error table,
 * and the per-document write rule. Source: docs/research/feishu-docx-wiki.md §1–§2, §13–§14.
 */

/** The error table the docx pages share (§2). */
export const DOCX_ERRORS: ErrorMeanings = {
	'1770001': 'A parameter is invalid.',
	'1770002': 'The document does not exist, or was deleted.',
	'1770003': 'The resource was deleted.',
	'1770004': 'The document has reached its maximum number of blocks.',
	'1770005': 'The blocks would nest too deeply.',
	'1770006': 'The document structure is invalid.',
	'1770007': 'The block has too many children.',
	'1770008': 'The file is too large.',
	'1770010': 'The table has too many columns.',
	'1770011': 'The table has too many cells.',
	'1770012': 'The grid has too many columns.',
	'1770013': 'The image or file does not belong to this block: upload it into the block it is for.',
	'1770014': 'The parent and child blocks do not fit together.',
	'1770015': 'The block belongs to another document.',
	'1770019': 'A block ID is repeated.',
	'1770020': 'The document is being copied: try again when the copy is done.',
	'1770021': 'The revision is too old (more than 1,000 behind the latest).',
	'1770022': 'The page token is invalid.',
	'1770024': 'The operation is not allowed on this content.',
	'1770025': 'The operation does not fit this block.',
	'1770026': 'A row index is out of range.',
	'1770027': 'A column index is out of range.',
	'1770028': 'This block cannot have children.',
	'1770029': 'This block type cannot be created.',
	'1770030': 'This parent cannot hold this child.',
	'1770031': "This block's children cannot be deleted.",
	'1770032':
		"No permission on the document. As the app: open the document's … menu › …More › Add Document App (添加文档应用) and add the app; as a user: share the document with the user.",
	'1770033': 'The content is too large (at most 10,485,760 characters).',
	'1770034': 'Too many cells in one request.',
	'1770035':
		'Too many resources in one request (at most 20 images, 200 files, mentions or chat cards, 5 sheets or bases).',
	'1770036':
		'Documents are being created in this folder at the same time: Feishu takes one at a time per folder. Retry.',
	'1770037': 'The folder is full.',
	'1770038': 'A resource to insert was not found, or may not be inserted.',
	'1770039': 'The folder was not found.',
	'1770040': 'No permission to create documents in this folder.',
	'1770041': 'The blocks’ parent and child relations are not allowed.',
	'1771001': 'Feishu had an internal error. Retry, then contact Feishu support.',
	'1771002': 'Feishu’s gateway had an internal error.',
	'1771003': 'Feishu’s gateway had an internal error.',
	'1771004': 'Feishu’s gateway had an internal error.',
	'1771005': 'Feishu is under maintenance. Retry later.',
	'1771006':
		'The document could not be mounted in its folder (was a wiki token given as a folder?).',
	...WIKI_LINK_ERRORS,
};

const DOCX_LINK_PATTERN = 'https?://[^/]+/(docx|wiki)/[A-Za-z0-9_-]+.*';

export const documentLocator: INodeProperties = {
	displayName: 'Document',
	name: 'document',
	type: 'resourceLocator',
	default: { mode: 'url', value: '' },
	required: true,
	description:
		'The document (新版文档): paste its link (…/docx/…, or a wiki link …/wiki/… to a document) or give its document ID. An app sees only documents shared with it (… › Add Document App).',
	modes: [
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://example.feishu.cn/docx/doxcnAJ9VRRJqVMYZ1MyKnavXWe',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: DOCX_LINK_PATTERN,
						errorMessage: 'Not a document link (…/docx/… or …/wiki/…)',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'doxcnAJ9VRRJqVMYZ1MyKnavXWe',
		},
	],
};

/** The document ID of the Document field: a docx link, a wiki link (resolved to its document) or an ID. */
export async function documentIdOf(
	step: Pick<OperationStep, 'ctx' | 'params' | 'send'>,
): Promise<string> {
	const p: ParamReader = step.params;
	const text = p.requiredString('document');
	if (/^https?:\/\//i.test(text)) {
		const link = parseDriveLink(text);
		if (!link || (link.type !== 'docx' && link.type !== 'wiki'))
			p.fail('document', `not a document link (…/docx/<id> or …/wiki/<node>), got "${text}"`);
		if (link.type === 'docx') return link.token;
		const node = await resolveWiki(step, link.token);
		if (node.type !== 'docx')
			p.fail('document', `the wiki page is a ${node.type || 'page'}, not a document (docx)`);
		if (!TOKEN.test(node.token)) p.fail('document', 'the wiki page resolved to an invalid token');
		return node.token;
	}
	if (!TOKEN.test(text))
		p.fail('document', `a document ID has only letters, digits, "_" and "-", got "${text}"`);
	return text;
}

/** "单篇文档并发编辑上限为每秒 3 次" (the five edit pages): one lane per document, beside each API's own. */
export const documentLane = (documentId: string): PacingLane => ({
	key: `docx.document:${documentId}`,
	limit: {
		perSecond: 3,
		doc: 'https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1/document-block-children/create',
	},
});

/** Writes to one document go one at a time in this process, as its pages ask (3 edits a second per document). */
export async function oneEditAtATime<T>(documentId: string, work: () => Promise<T>): Promise<T> {
	return await oneAtATime(`docx\u0000${documentId}`, work);
}

/** The parent block field: the document itself unless a block ID is given. */
export const parentBlockField: INodeProperties = {
	displayName: 'Parent Block ID',
	name: 'parentBlockId',
	type: 'string',
	default: '',
	description:
		'The block whose children change (from Get Blocks). Left empty, the document itself (its top level).',
};

export function parentBlockOf(p: ParamReader, documentId: string): string {
	const given = p.optionalString('parentBlockId');
	return given === undefined ? documentId : decodeURIComponent(p.pathId('parentBlockId', given));
}
