/**
 * The fake Feishu Drive (云空间): a folder tree with files and documents, whole and chunked uploads with
 * their checks (sizes, Adler-32 checksums, parts, sessions bound to the identity that opened them),
 * downloads, metadata, folders, copy, move and delete (a folder's as a task), and import and export tasks
 * that take a poll or two to finish. Source: docs/research/feishu-drive.md (S1–S46).
 */

import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from '../server';
import { adler32, alnum, fail, ok } from '../feishu-bitable/model';
import { convertMarkdown } from '../feishu-docx/convert';
import { COPY_TYPES } from './routes';

export interface DriveNode {
	token: string;
	name: string;
	type: string;
	/** The parent folder's token ('' for the root). */
	parent: string;
	bytes?: Buffer;
	mimeType?: string;
	/** A document's text (imported Markdown), for exports. */
	text?: string;
	created: number;
	modified: number;
	/** False: the app was not given access (answers 1061004 / 970003). */
	shared: boolean;
}

export interface PermissionMember {
	member_type: string;
	member_id: string;
	perm: string;
	perm_type?: string;
	type: string;
}

const PERM_RANK: Record<string, number> = { view: 1, edit: 2, full_access: 3 };
const USER_ID_FIELD: Record<string, 'open_id' | 'union_id' | 'user_id' | 'email'> = {
	openid: 'open_id',
	unionid: 'union_id',
	userid: 'user_id',
	email: 'email',
};
const PUBLIC_DEFAULTS = {
	external_access_entity: 'closed',
	security_entity: 'anyone_can_view',
	comment_entity: 'anyone_can_view',
	share_entity: 'anyone',
	manage_collaborator_entity: 'collaborator_can_view',
	link_share_entity: 'tenant_readable',
	copy_entity: 'anyone_can_view',
	lock_switch: false,
};

interface UploadSession {
	fileName: string;
	parent: string;
	size: number;
	blockSize: number;
	blockNum: number;
	parts: Map<number, Buffer>;
	caller: string;
	expiresAt: number;
}

export const DRIVE_ROOT = 'nodcnSandboxRootFolder0001';
export const DRIVE_REPORTS = 'fldcnSandboxReports000001';
export const DRIVE_PRIVATE = 'fldcnSandboxPrivate000001';
export const DRIVE_HANDBOOK = 'boxcnSandboxHandbook00001';
export const DRIVE_DOC = 'doxcnSandboxDoc001';
export const DRIVE_SHEET = 'shtcnSandboxSheet00000001';
/** "平台固定以 4MB 的大小对文件进行分片". */
export const BLOCK_SIZE = 4 * 1024 * 1024;
const MAX_UPLOAD_ALL = 20_971_520;
const MAX_CHILDREN = 1500;
const SESSION_MS = 24 * 3600_000;
const MIME: Record<string, string> = {
	pdf: 'application/pdf',
	png: 'image/png',
	txt: 'text/plain',
	csv: 'text/csv',
	md: 'text/markdown',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const URL_PATH: Record<string, string> = {
	folder: 'drive/folder',
	file: 'file',
	docx: 'docx',
	doc: 'docs',
	sheet: 'sheets',
	bitable: 'base',
};

export class FeishuDrive {
	readonly nodes = new Map<string, DriveNode>();
	readonly uploads = new Map<string, UploadSession>();
	/** Folder move and delete tasks: polls left before success. */
	readonly tasks = new Map<string, { pollsLeft: number; fail?: boolean }>();
	readonly imports = new Map<
		string,
		{ pollsLeft: number; result: Record<string, unknown>; failWith?: number }
	>();
	readonly exports = new Map<
		string,
		{ pollsLeft: number; token: string; caller: string; result: Record<string, unknown> }
	>();
	readonly exported = new Map<string, { bytes: Buffer; fileName: string; mimeType: string }>();
	/** Collaborators, public settings and owner per token (made on first use). */
	readonly permissions = new Map<
		string,
		{ members: PermissionMember[]; settings: Record<string, unknown>; owner: string }
	>();
	/** Polls an import or export takes before it is done (tests raise it to time out). */
	taskPolls = 1;
	/** Imports end with this job_status (a failure) when set. */
	failImportsWith?: number;

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.nodes.clear();
		this.uploads.clear();
		this.tasks.clear();
		this.imports.clear();
		this.exports.clear();
		this.exported.clear();
		this.permissions.clear();
		this.taskPolls = 1;
		this.failImportsWith = undefined;
		const at = Date.parse('2026-11-02T08:00:00Z') / 1000;
		const add = (
			node: Omit<DriveNode, 'created' | 'modified' | 'shared'> & { shared?: boolean },
			i: number,
		) => this.nodes.set(node.token, { shared: true, created: at + i, modified: at + i, ...node });
		add({ token: DRIVE_ROOT, name: '我的空间', type: 'folder', parent: '' }, 0);
		add({ token: DRIVE_REPORTS, name: 'Reports', type: 'folder', parent: DRIVE_ROOT }, 1);
		add(
			{ token: DRIVE_PRIVATE, name: 'Private', type: 'folder', parent: DRIVE_ROOT, shared: false },
			2,
		);
		add(
			{
				token: DRIVE_HANDBOOK,
				name: 'handbook.pdf',
				type: 'file',
				parent: DRIVE_REPORTS,
				bytes: Buffer.from('%PDF-1.4\n% handbook\n%%EOF\n'),
				mimeType: 'application/pdf',
			},
			3,
		);
		add(
			{
				token: DRIVE_DOC,
				name: 'Sandbox doc',
				type: 'docx',
				parent: DRIVE_REPORTS,
				text: '# Sandbox doc\n\nHello from the sandbox.\n',
			},
			4,
		);
		add({ token: DRIVE_SHEET, name: 'Budget', type: 'sheet', parent: DRIVE_REPORTS }, 5);
		// The sandbox doc is shared with one colleague (ou_2, can view); ou_1 owns it.
		this.permissions.set(DRIVE_DOC, {
			members: [{ member_type: 'openid', member_id: 'ou_2', perm: 'view', type: 'user' }],
			settings: { ...PUBLIC_DEFAULTS },
			owner: 'ou_1',
		});
	}

	/** A document's text for an export: the fake Docx's blocks, or the seeded text. */
	private textOf(node: DriveNode): string {
		const doc = this.fake.docx.documents.get(node.token);
		return doc ? this.fake.docx.rawText(doc) : (node.text ?? node.name);
	}

	/** A folder's children. */
	children(folder: string): DriveNode[] {
		return [...this.nodes.values()].filter((n) => n.parent === folder);
	}

	private url(node: DriveNode): string {
		return `https://sandbox.feishu.cn/${URL_PATH[node.type] ?? 'file'}/${node.token}`;
	}

	private listed(node: DriveNode): Record<string, unknown> {
		return {
			token: node.token,
			name: node.name,
			type: node.type,
			parent_token: node.parent,
			url: this.url(node),
			created_time: String(node.created),
			modified_time: String(node.modified),
			owner_id: 'ou_sandbox_owner',
		};
	}

	/** The folder a write goes into, or the documented refusal. */
	private folderFor(token: string, code = 1061044): DriveNode | Answer {
		const folder = this.nodes.get(token === '' ? DRIVE_ROOT : token);
		if (!folder || folder.type !== 'folder') return fail(code, 'parent node not exist.', 400);
		if (!folder.shared) return fail(1061004, 'forbidden.', 403);
		if (this.children(folder.token).length >= MAX_CHILDREN)
			return fail(1062507, 'parent node out of sibling num.', 400);
		return folder;
	}

	private create(
		node: Omit<DriveNode, 'created' | 'modified' | 'shared' | 'token'>,
		prefix: string,
	) {
		const now = Math.floor(Date.now() / 1000);
		const created: DriveNode = {
			...node,
			token: `${prefix}${alnum(22)}`,
			created: now,
			modified: now,
			shared: true,
		};
		this.nodes.set(created.token, created);
		return created;
	}

	/** The permission entry of a token of a type, or the documented refusal (1063001 mismatch, 1063002 no access). */
	private permissionsOf(token: string, type: string) {
		const node = type === 'wiki' ? this.fake.bitable.wikiNodes.get(token) : this.nodes.get(token);
		if (!node || (type !== 'wiki' && (node as DriveNode).type !== type))
			return fail(1063001, 'Invalid parameter', 400);
		if (type !== 'wiki' && !(node as DriveNode).shared)
			return fail(1063002, 'Permission denied', 403);
		let entry = this.permissions.get(token);
		if (!entry) {
			entry = { members: [], settings: { ...PUBLIC_DEFAULTS }, owner: 'ou_1' };
			this.permissions.set(token, entry);
		}
		return entry;
	}

	/** A user member's open_id, or undefined when no such user exists. */
	private userOf(memberType: string, memberId: string): string | undefined {
		const field = USER_ID_FIELD[memberType];
		if (!field) return memberId;
		return this.fake.state.feishuUsers.find((u) => u[field] === memberId)?.open_id;
	}

	private permissionHandlers(isAnswer: (x: unknown) => x is Answer): Record<string, Handler> {
		return {
			'feishu.drivePermission.add': ({ params, query, body, caller }) => {
				const entry = this.permissionsOf(params.token, query.type);
				if (isAnswer(entry)) return entry;
				const memberType = String(body.member_type);
				if (memberType === 'wikispaceid' && body.type === undefined)
					return fail(1063001, 'Invalid parameter', 400);
				if (memberType === 'opendepartmentid' && caller === 'app')
					return fail(1063001, 'Invalid parameter', 400);
				const user = this.userOf(memberType, String(body.member_id));
				if (!user) return fail(1063001, 'Invalid parameter', 400);
				if (USER_ID_FIELD[memberType] && user === entry.owner)
					return fail(1063003, 'Invalid operation', 400);
				const member: PermissionMember = {
					member_type: memberType,
					member_id: String(body.member_id),
					perm: String(body.perm),
					type: String(body.type ?? 'user'),
					...(body.perm_type ? { perm_type: String(body.perm_type) } : {}),
				};
				const known = entry.members.find(
					(m) => m.member_type === memberType && m.member_id === member.member_id,
				);
				// "协作者本身已有的权限大于请求参数内设置的权限".
				if (known && PERM_RANK[known.perm] > PERM_RANK[member.perm])
					return fail(1063003, 'Invalid operation', 400);
				if (known) Object.assign(known, member);
				else entry.members.push(member);
				return ok({ member });
			},
			'feishu.drivePermission.remove': ({ params, query }) => {
				const entry = this.permissionsOf(params.token, query.type);
				if (isAnswer(entry)) return entry;
				const at = entry.members.findIndex(
					(m) => m.member_type === query.member_type && m.member_id === params.member_id,
				);
				if (at < 0) return fail(1063001, 'Invalid parameter', 400);
				entry.members.splice(at, 1);
				return ok({});
			},
			'feishu.drivePermission.getAll': ({ params, query }) => {
				const entry = this.permissionsOf(params.token, query.type);
				if (isAnswer(entry)) return entry;
				const asked =
					query.fields === '*'
						? ['name', 'type', 'avatar', 'external_label']
						: (query.fields ?? '').split(',').filter(Boolean);
				const items = entry.members.map((m) => {
					const user = this.fake.state.feishuUsers.find(
						(u) => u.open_id === this.userOf(m.member_type, m.member_id),
					);
					return {
						member_type: m.member_type,
						member_id: m.member_id,
						perm: m.perm,
						...(m.perm_type ? { perm_type: m.perm_type } : {}),
						...(asked.includes('type') ? { type: m.type } : {}),
						...(asked.includes('name') ? { name: user?.name ?? m.member_id } : {}),
						...(asked.includes('avatar') ? { avatar: 'https://sandbox.feishu.cn/avatar.png' } : {}),
						...(asked.includes('external_label') ? { external_label: false } : {}),
					};
				});
				return ok({ items });
			},
			'feishu.drivePermission.update': ({ params, query, body }) => {
				const entry = this.permissionsOf(params.token, query.type);
				if (isAnswer(entry)) return entry;
				const next = { ...entry.settings, ...body };
				// The anyone_* link values "仅当 external_access_entity 为 open 时有效".
				if (
					String(next.link_share_entity).startsWith('anyone_') &&
					next.external_access_entity !== 'open'
				)
					return fail(1063003, 'Invalid operation', 400);
				entry.settings = next;
				return ok({ permission_public: next });
			},
			'feishu.drivePermission.transferOwner': ({ params, query, body }) => {
				const entry = this.permissionsOf(params.token, query.type);
				if (isAnswer(entry)) return entry;
				const user = this.userOf(String(body.member_type), String(body.member_id));
				if (!user) return fail(1063001, 'Invalid parameter', 400);
				if (user === entry.owner) return fail(1063003, 'Invalid operation', 400);
				const previous = entry.owner;
				entry.owner = user;
				entry.members = entry.members.filter(
					(m) => this.userOf(m.member_type, m.member_id) !== user,
				);
				if (query.remove_old_owner !== 'true')
					entry.members.push({
						member_type: 'openid',
						member_id: previous,
						perm: query.old_owner_perm ?? 'full_access',
						type: 'user',
					});
				return ok({});
			},
		};
	}

	handlers(): Record<string, Handler> {
		const isAnswer = (x: unknown): x is Answer => typeof (x as Answer)?.status === 'number';
		return {
			...this.permissionHandlers(isAnswer),
			'feishu.drive.uploadAll': ({ body }) => {
				const file = body.file as { bytes: Buffer; contentType?: string };
				const fileName = String(body.file_name);
				const size = Number(body.size);
				if (fileName.length > 250 || size === 0) return fail(1061002, 'params error.', 400);
				if (size > MAX_UPLOAD_ALL) return fail(1061043, 'file size beyond limit.', 400);
				if (size !== file.bytes.length)
					return fail(1062009, 'Actual size is inconsistent with the parameter.', 400);
				if (body.checksum !== undefined && String(body.checksum) !== String(adler32(file.bytes)))
					return fail(1062008, 'checksum param Invalid.', 400);
				const folder = this.folderFor(String(body.parent_node));
				if (isAnswer(folder)) return folder;
				const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
				const node = this.create(
					{
						name: fileName,
						type: 'file',
						parent: folder.token,
						bytes: file.bytes,
						mimeType: MIME[extension] ?? file.contentType ?? 'application/octet-stream',
					},
					'boxcn',
				);
				return ok({ file_token: node.token });
			},
			'feishu.drive.uploadPrepare': ({ body, caller }) => {
				const fileName = String(body.file_name);
				const size = Number(body.size);
				if (fileName.length > 250 || size < 0) return fail(1061002, 'params error.', 400);
				const folder = this.folderFor(String(body.parent_node));
				if (isAnswer(folder)) return folder;
				const uploadId = `${Date.now()}${randomBytes(8).toString('hex')}`;
				const blockNum = Math.ceil(size / BLOCK_SIZE);
				this.uploads.set(uploadId, {
					fileName,
					parent: folder.token,
					size,
					blockSize: BLOCK_SIZE,
					blockNum,
					parts: new Map(),
					caller: caller ?? '',
					expiresAt: Date.now() + SESSION_MS,
				});
				return ok({ upload_id: uploadId, block_size: BLOCK_SIZE, block_num: blockNum });
			},
			'feishu.drive.uploadPart': ({ body, caller }) => {
				const session = this.uploads.get(String(body.upload_id));
				if (!session || session.expiresAt < Date.now())
					return fail(1061021, 'upload id expire.', 400);
				if (session.caller !== caller) return fail(1062007, 'upload user not match.', 400);
				const seq = Number(body.seq);
				if (seq < 0 || seq >= session.blockNum)
					return fail(1062011, 'block num out of bounds.', 400);
				const file = body.file as { bytes: Buffer };
				const expected =
					seq === session.blockNum - 1 ? session.size - seq * session.blockSize : session.blockSize;
				if (Number(body.size) !== file.bytes.length || file.bytes.length !== expected)
					return fail(1062009, 'Actual size is inconsistent with the parameter.', 400);
				if (body.checksum !== undefined && String(body.checksum) !== String(adler32(file.bytes)))
					return fail(1062008, 'checksum param Invalid.', 400);
				// The same part again replaces itself: parts are keyed by their sequence number.
				session.parts.set(seq, file.bytes);
				return ok({});
			},
			'feishu.drive.uploadFinish': ({ body, caller }) => {
				const uploadId = String(body.upload_id);
				const session = this.uploads.get(uploadId);
				if (!session || session.expiresAt < Date.now())
					return fail(1061021, 'upload id expire.', 400);
				if (session.caller !== caller) return fail(1062007, 'upload user not match.', 400);
				if (Number(body.block_num) !== session.blockNum) return fail(1061002, 'params error.', 400);
				for (let seq = 0; seq < session.blockNum; seq++)
					if (!session.parts.has(seq)) return fail(1062010, 'block missing.', 400);
				const folder = this.folderFor(session.parent);
				if (isAnswer(folder)) return folder;
				const bytes = Buffer.concat(
					[...Array(session.blockNum).keys()].map((i) => session.parts.get(i)!),
				);
				this.uploads.delete(uploadId);
				const extension = /\.([A-Za-z0-9]+)$/.exec(session.fileName)?.[1]?.toLowerCase() ?? '';
				const node = this.create(
					{
						name: session.fileName,
						type: 'file',
						parent: folder.token,
						bytes,
						mimeType: MIME[extension] ?? 'application/octet-stream',
					},
					'boxcn',
				);
				return ok({ file_token: node.token });
			},
			'feishu.drive.download': ({ params }) => {
				const node = this.nodes.get(params.file_token);
				// The page lists HTTP statuses only: 404 for a missing or deleted file, 403 without download permission.
				if (!node) return fail(1061003, 'not found.', 404);
				if (!node.shared) return fail(1061004, 'forbidden.', 403);
				if (node.type !== 'file' || !node.bytes) return fail(1061002, 'params error.', 400);
				return fileAnswer(node.bytes, node.name, node.mimeType ?? 'application/octet-stream');
			},
			'feishu.drive.list': ({ query }) => {
				const root = query.folder_token === undefined || query.folder_token === '';
				const folder = this.nodes.get(root ? DRIVE_ROOT : query.folder_token);
				if (!folder || folder.type !== 'folder') return fail(1061003, 'not found.', 404);
				if (!folder.shared) return fail(1061004, 'forbidden.', 403);
				const size = query.page_size === undefined ? 100 : Number(query.page_size);
				if (size < 1 || size > 200) return fail(1064001, 'page size out of limit.', 400);
				const key = query.order_by === 'CreatedTime' ? 'created' : 'modified';
				const sign = query.direction === 'ASC' ? 1 : -1;
				const all = this.children(folder.token)
					.sort((a, b) => sign * (a[key] - b[key]) || a.token.localeCompare(b.token))
					.map((n) => this.listed(n));
				// "不填写或填空字符串，将获取用户云空间根目录下的清单，且不支持分页".
				if (root) return ok({ files: all, has_more: false });
				const start = query.page_token ? Number(query.page_token.replace(/^dpt-/, '')) : 0;
				if (!Number.isInteger(start)) return fail(1061002, 'params error.', 400);
				const end = start + size;
				return ok({
					files: all.slice(start, end),
					has_more: end < all.length,
					...(end < all.length ? { next_page_token: `dpt-${end}` } : {}),
				});
			},
			'feishu.drive.rootFolder': () =>
				ok({ token: DRIVE_ROOT, id: '7110000000000000001', user_id: 'ou_sandbox_owner' }),
			'feishu.drive.meta': ({ body }) => {
				const docs = body.request_docs as Array<{ doc_token: string; doc_type: string }>;
				if (docs.length < 1 || docs.length > 200) return fail(1061002, 'params error.', 400);
				const metas: Array<Record<string, unknown>> = [];
				const failed: Array<Record<string, unknown>> = [];
				for (const doc of docs) {
					const node = this.nodes.get(doc.doc_token);
					if (!node || node.type !== doc.doc_type)
						failed.push({ token: doc.doc_token, code: 970005 });
					else if (!node.shared) failed.push({ token: doc.doc_token, code: 970003 });
					else
						metas.push({
							doc_token: node.token,
							doc_type: node.type,
							title: node.name,
							owner_id: 'ou_sandbox_owner',
							create_time: String(node.created),
							latest_modify_user: 'ou_sandbox_owner',
							latest_modify_time: String(node.modified),
							...(body.with_url === true ? { url: this.url(node) } : {}),
							request_doc_info: { doc_token: doc.doc_token, doc_type: doc.doc_type },
						});
				}
				return ok({ metas, failed_list: failed });
			},
			'feishu.drive.createFolder': ({ body }) => {
				const name = String(body.name);
				const bytes = Buffer.byteLength(name, 'utf8');
				if (bytes < 1 || bytes > 256) return fail(1061002, 'params error.', 400);
				const folder = this.folderFor(String(body.folder_token), 1061003);
				if (isAnswer(folder)) return folder;
				const node = this.create({ name, type: 'folder', parent: folder.token }, 'fldcn');
				return ok({ token: node.token, url: this.url(node) });
			},
			'feishu.drive.copy': ({ params, body }) => {
				const node = this.nodes.get(params.file_token);
				if (!node) return fail(1061003, 'not found.', 404);
				if (node.type !== body.type || !COPY_TYPES.includes(node.type))
					return fail(1061002, 'params error.', 400);
				if (!node.shared) return fail(1061004, 'forbidden.', 403);
				if (Buffer.byteLength(String(body.name), 'utf8') > 256)
					return fail(1061002, 'params error.', 400);
				const folder = this.folderFor(String(body.folder_token), 1061003);
				if (isAnswer(folder)) return folder;
				const copy = this.create(
					{ ...node, name: String(body.name), parent: folder.token },
					node.token.slice(0, 5),
				);
				return ok({
					file: {
						token: copy.token,
						name: copy.name,
						type: copy.type,
						parent_token: copy.parent,
						url: this.url(copy),
					},
				});
			},
			'feishu.drive.move': ({ params, body }) => {
				const node = this.nodes.get(params.file_token);
				if (!node) return fail(1061003, 'not found.', 404);
				if (node.type !== body.type) return fail(1061002, 'params error.', 400);
				if (!node.shared) return fail(1061004, 'forbidden.', 403);
				const target = this.nodes.get(String(body.folder_token ?? '') || DRIVE_ROOT);
				if (!target || target.type !== 'folder') return fail(1061003, 'not found.', 404);
				if (!target.shared) return fail(1062535, 'destination parent no permission.', 403);
				if (this.children(target.token).length >= MAX_CHILDREN)
					return fail(1062507, 'parent node out of sibling num.', 400);
				node.parent = target.token;
				if (node.type !== 'folder') return ok({});
				const taskId = `7${alnum(18)}`;
				this.tasks.set(taskId, { pollsLeft: this.taskPolls });
				return ok({ task_id: taskId });
			},
			'feishu.drive.delete': ({ params, query }) => {
				const node = this.nodes.get(params.file_token);
				if (!node) return fail(1061007, 'file has been delete.', 404);
				if (node.type !== query.type) return fail(1061002, 'params error.', 400);
				if (!node.shared) return fail(1062501, 'operate node no permission.', 403);
				const remove = (token: string) => {
					for (const child of this.children(token)) remove(child.token);
					this.nodes.delete(token);
				};
				remove(node.token);
				if (node.type !== 'folder') return ok({});
				const taskId = `7${alnum(18)}`;
				this.tasks.set(taskId, { pollsLeft: this.taskPolls });
				return ok({ task_id: taskId });
			},
			'feishu.drive.taskCheck': ({ query }) => {
				const task = this.tasks.get(query.task_id);
				if (!task) return fail(1061003, 'not found.', 404);
				if (task.pollsLeft-- > 0) return ok({ status: 'process' });
				return ok({ status: task.fail ? 'fail' : 'success' });
			},
			'feishu.drive.importCreate': ({ body }) => {
				const media = this.fake.bitable.media.get(String(body.file_token));
				if (!media || media.parentType !== 'ccm_import_open')
					return fail(1069914, 'invalid file token.', 400);
				const extension = String(body.file_extension);
				const suffix = /\.([A-Za-z0-9]+)$/.exec(media.fileName)?.[1]?.toLowerCase();
				if (suffix !== extension) return fail(1069910, 'import file extension not match.', 400);
				const type = String(body.type);
				const fits: Record<string, string[]> = {
					docx: ['docx', 'doc', 'txt', 'md', 'mark', 'markdown', 'html'],
					sheet: ['xlsx', 'xls', 'csv'],
					bitable: ['xlsx', 'csv'],
				};
				if (!fits[type].includes(extension))
					return fail(1069911, 'import file type not match.', 400);
				const point = body.point as { mount_key: string };
				const folder = this.nodes.get(point.mount_key || DRIVE_ROOT);
				if (!folder || folder.type !== 'folder') return fail(1069912, 'folder not exist.', 400);
				if (!folder.shared) return fail(1069908, 'mount point not found or no permission.', 403);
				const ticket = `7${alnum(18)}`;
				const name = String(body.file_name ?? '') || media.fileName.replace(/\.[^.]+$/, '');
				const node = this.create(
					{
						name,
						type,
						parent: folder.token,
						...(type === 'docx' ? { text: media.bytes.toString('utf8') } : {}),
					},
					type === 'docx' ? 'doxcn' : type === 'sheet' ? 'shtcn' : 'bascn',
				);
				// A document imported from Markdown or text is a document of the fake Docx, with its blocks.
				if (type === 'docx') {
					const doc = this.fake.docx.make(node.token, name);
					this.fake.docx.insert(doc, doc.id, -1, convertMarkdown(media.bytes.toString('utf8')));
				}
				this.imports.set(ticket, {
					pollsLeft: this.taskPolls,
					failWith: this.failImportsWith,
					result: {
						ticket,
						type,
						job_status: 0,
						job_error_msg: 'success',
						token: node.token,
						url: this.url(node),
						extra: [],
					},
				});
				return ok({ ticket });
			},
			'feishu.drive.importGet': ({ params }) => {
				const job = this.imports.get(params.ticket);
				if (!job) return fail(1069904, 'invalid param.', 400);
				if (job.pollsLeft-- > 0)
					return ok({
						result: {
							ticket: params.ticket,
							type: job.result.type,
							job_status: 2,
							job_error_msg: '',
						},
					});
				if (job.failWith !== undefined)
					return ok({
						result: {
							ticket: params.ticket,
							type: job.result.type,
							job_status: job.failWith,
							job_error_msg: 'import failed',
						},
					});
				return ok({ result: job.result });
			},
			'feishu.drive.exportCreate': ({ body, caller }) => {
				const node = this.nodes.get(String(body.token));
				if (!node || node.type !== body.type) return fail(1069914, 'invalid file token.', 404);
				if (!node.shared) return fail(1069902, 'no permission.', 403);
				const format = String(body.file_extension);
				const documentLike = node.type === 'docx' || node.type === 'doc';
				if (documentLike !== (format === 'pdf' || format === 'docx'))
					return fail(1069918, 'file extension and type not match.', 400);
				if (format === 'csv' && !body.sub_id) return fail(1069904, 'invalid param.', 400);
				const ticket = `7${alnum(18)}`;
				const bytes =
					format === 'pdf'
						? Buffer.from(`%PDF-1.4\n% ${node.name}\n${this.textOf(node)}\n%%EOF\n`)
						: format === 'csv'
							? Buffer.from('Name,Amount\nRent,1200\n')
							: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(this.textOf(node))]);
				const fileToken = `boxcn${alnum(22)}`;
				this.exported.set(fileToken, {
					bytes,
					fileName: `${node.name}.${format}`,
					mimeType: MIME[format] ?? 'application/octet-stream',
				});
				this.exports.set(ticket, {
					pollsLeft: this.taskPolls,
					token: node.token,
					caller: caller ?? '',
					result: {
						file_extension: format,
						type: node.type,
						file_name: node.name,
						file_token: fileToken,
						file_size: bytes.length,
						job_error_msg: 'success',
						job_status: 0,
					},
				});
				return ok({ ticket });
			},
			'feishu.drive.exportGet': ({ params, query, caller }) => {
				const job = this.exports.get(params.ticket);
				if (!job || job.token !== query.token) return fail(1069904, 'invalid param.', 400);
				// "调用该接口的用户或应用需与调用创建导出任务接口的用户或应用保持一致".
				if (job.caller !== caller) return fail(1069902, 'no permission.', 403);
				if (job.pollsLeft-- > 0)
					return ok({ result: { ...job.result, file_token: '', job_status: 2 } });
				return ok({ result: job.result });
			},
			'feishu.drive.exportDownload': ({ params }) => {
				const file = this.exported.get(params.file_token);
				if (!file) return fail(1060001, 'param is invalid.', 400);
				return fileAnswer(file.bytes, file.fileName, file.mimeType);
			},
		};
	}
}

function fileAnswer(bytes: Buffer, name: string, mimeType: string): Answer {
	const ascii = /^[\x20-\x7e]*$/.test(name) && !name.includes('"');
	const disposition = ascii
		? `attachment; filename="${name}"`
		: `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
	return {
		status: 200,
		bytes,
		headers: { 'Content-Type': mimeType, 'Content-Disposition': disposition },
		body: undefined,
	};
}
