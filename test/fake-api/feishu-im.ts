/**
 * The fake Feishu messaging platform (im/v1 messages, reactions, uploads, chats) and custom bot
 * webhooks: state, the documented checks of message content, and the documented answers.
 * Sources: docs/research/feishu-im.md (the im/v1, group and custom bot pages).
 */
import { createHmac, randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';
import type { FieldSpec } from './spec';
import { checkFields } from './spec';

const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
const fail = (code: number, msg: string, status = 400): Answer => ({
	status,
	body: { code, msg, error: { log_id: randomBytes(6).toString('hex') } },
});

export const APP_ID = 'cli_test_app';
/** Custom bot webhooks the fake knows: a plain one and one with signature verification on. */
export const CUSTOM_BOTS: Record<string, { secret?: string; chatId: string }> = {
	'sandbox-hook-0001': { chatId: 'oc_sandbox_general' },
	'signed-hook-0002': { secret: 'bot-signing-secret-xyz', chatId: 'oc_sandbox_general' },
};
/** A published card template. */
export const CARD_TEMPLATE = 'AAqkSandboxTpl';

export interface FakeMessage {
	message_id: string;
	root_id?: string;
	parent_id?: string;
	thread_id?: string;
	msg_type: string;
	create_time: string;
	update_time: string;
	deleted: boolean;
	updated: boolean;
	chat_id: string;
	sender: { id: string; id_type: string; sender_type: string; tenant_key: string };
	body: { content: string };
	/** Not part of the answers: for tests and the sandbox. */
	uuid?: string;
	edits: number;
	reactions: Map<string, string>;
}

interface FakeChat {
	name: string;
	description: string;
	owner_id: string;
	chat_type: string;
	members: Set<string>;
	bot: boolean;
	createdAt: number;
}

interface Upload {
	kind: 'image' | 'file';
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	fileType?: string;
}

/** Parses a multipart/form-data body and checks its fields against the route's documented ones. */
export function parseMultipart(
	contentType: string,
	bytes: Buffer,
	spec: { fields: Record<string, FieldSpec>; files: string[] },
): { body: Record<string, unknown>; problems: string[] } {
	const problems: string[] = [];
	const body: Record<string, unknown> = {};
	const boundary = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
	if (!boundary)
		return {
			body,
			problems: [`Content-Type must be multipart/form-data with a boundary, got "${contentType}"`],
		};
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Buffer[] = [];
	let at = bytes.indexOf(delimiter);
	if (at !== 0) problems.push('multipart body does not start with the boundary');
	while (at >= 0) {
		const next = bytes.indexOf(delimiter, at + delimiter.length);
		if (next < 0) {
			if (bytes.subarray(at + delimiter.length, at + delimiter.length + 2).toString() !== '--')
				problems.push('multipart body has no closing boundary');
			break;
		}
		// Each part: CRLF, headers, CRLF CRLF, content, CRLF.
		parts.push(bytes.subarray(at + delimiter.length + 2, next - 2));
		at = next;
	}
	for (const part of parts) {
		const split = part.indexOf('\r\n\r\n');
		const headers = part.subarray(0, split).toString('utf8');
		const content = part.subarray(split + 4);
		const disposition =
			/content-disposition:\s*form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?/i.exec(
				headers,
			);
		if (!disposition) {
			problems.push(`multipart part without a form-data Content-Disposition: ${headers}`);
			continue;
		}
		const [, name, filename] = disposition;
		if (name in body) problems.push(`multipart field "${name}" repeated`);
		if (spec.files.includes(name)) {
			if (filename === undefined) problems.push(`multipart file "${name}" has no filename`);
			const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
			if (!type) problems.push(`multipart file "${name}" has no Content-Type`);
			body[name] = { filename, contentType: type, bytes: Buffer.from(content) };
		} else if (name in spec.fields) {
			const text = content.toString('utf8');
			body[name] =
				spec.fields[name].type === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text;
		} else {
			problems.push(`multipart body has undocumented field "${name}"`);
		}
	}
	const textFields = Object.fromEntries(
		Object.entries(body).filter(([k]) => !spec.files.includes(k)),
	);
	problems.push(...checkFields('multipart body', textFields, spec.fields));
	for (const file of spec.files)
		if (!(file in body)) problems.push(`multipart body is missing required file "${file}"`);
	return { body, problems };
}

const POST_TAGS = new Set(['text', 'a', 'at', 'img', 'media', 'emotion', 'code_block', 'hr', 'md']);
const LIMITS: Record<string, number> = {
	text: 150 * 1024,
	post: 30 * 1024,
	interactive: 30 * 1024,
};

export class FeishuIm {
	readonly messages = new Map<string, FakeMessage>();
	readonly chats = new Map<string, FakeChat>();
	readonly uploads = new Map<string, Upload>();
	readonly botPosts: Array<{ token: string; body: Record<string, unknown>; receivedAt: number }> =
		[];
	private readonly uuids = new Map<string, { id: string; at: number }>();
	private readonly receiverWindows = new Map<string, number[]>();
	private next = 1;

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.messages.clear();
		this.uploads.clear();
		this.uuids.clear();
		this.receiverWindows.clear();
		this.botPosts.length = 0;
		this.next = 1;
		this.chats.clear();
		this.chats.set('oc_sandbox_general', {
			name: 'Sandbox general',
			description: 'Everyone',
			owner_id: 'ou_1',
			chat_type: 'private',
			members: new Set(['ou_1', 'ou_2', 'ou_3']),
			bot: true,
			createdAt: 1,
		});
		this.chats.set('oc_sandbox_ops', {
			name: 'Ops alerts',
			description: 'On-call',
			owner_id: 'ou_2',
			chat_type: 'private',
			members: new Set(['ou_2']),
			bot: true,
			createdAt: 2,
		});
		// Group chats for bulk sends (the benchmark): oc_bench_00 … oc_bench_49.
		for (let i = 0; i < 50; i++) {
			this.chats.set(`oc_bench_${String(i).padStart(2, '0')}`, {
				name: `Bench ${i}`,
				description: '',
				owner_id: 'ou_1',
				chat_type: 'private',
				members: new Set(['ou_1']),
				bot: true,
				createdAt: 10 + i,
			});
		}
		this.chats.set('oc_without_bot', {
			name: 'No bot here',
			description: '',
			owner_id: 'ou_3',
			chat_type: 'private',
			members: new Set(['ou_3']),
			bot: false,
			createdAt: 3,
		});
	}

	uploadList(): Array<Record<string, unknown>> {
		return [...this.uploads.entries()].map(([key, u]) => ({
			key,
			kind: u.kind,
			fileName: u.fileName,
			mimeType: u.mimeType,
			fileType: u.fileType,
			size: u.bytes.length,
		}));
	}

	/** Messages to one chat, oldest first (tests). */
	inChat(chatId: string): FakeMessage[] {
		return [...this.messages.values()].filter((m) => m.chat_id === chatId);
	}

	private id(prefix: string): string {
		return `${prefix}${(this.next++).toString(16).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
	}

	private user(id: string, type: string) {
		const key = type === 'email' ? 'email' : type;
		return this.fake.state.feishuUsers.find(
			(u) => (u as unknown as Record<string, string>)[key] === id,
		);
	}

	/** "5 QPS to the same user or the same group": answered 230020 when the documented limits are on. */
	private receiverTooFast(key: string, limit = 5): Answer | undefined {
		if (!this.fake.faults.documentedLimits) return undefined;
		const now = this.fake.sentAt;
		const windowMs = 1000 * this.fake.faults.timeScale;
		const starts = (this.receiverWindows.get(key) ?? []).filter((t) => t > now - windowMs);
		this.receiverWindows.set(key, starts);
		if (starts.length >= limit) {
			this.fake.tooFastAnswers[`receiver:${key}`] =
				(this.fake.tooFastAnswers[`receiver:${key}`] ?? 0) + 1;
			return fail(230020, 'This operation triggers the frequency limit.');
		}
		starts.push(now);
		return undefined;
	}

	/** The receiver's chat: a group the bot is in, or the one-to-one chat with a user in the availability range. */
	private receiver(type: string, id: string): { chatId: string } | Answer {
		if (type === 'chat_id') {
			// The bot's one-to-one chat with a user (its chat_id comes with the user's messages to the bot).
			if (
				id.startsWith('oc_p2p_') &&
				this.fake.state.feishuUsers.some((u) => `oc_p2p_${u.open_id}` === id)
			)
				return { chatId: id };
			const chat = this.chats.get(id);
			if (!chat) return fail(230034, 'The receive_id is invalid.');
			if (!chat.bot) return fail(230002, 'Bot/User can NOT be out of the chat.');
			return { chatId: id };
		}
		if (type === 'thread_id') {
			const root = [...this.messages.values()].find((m) => m.thread_id === id);
			return root ? { chatId: root.chat_id } : fail(230019, 'The topic does not exist.');
		}
		const user = this.user(id, type);
		if (!user) return fail(230013, 'Bot has NO availability to this user.');
		return { chatId: `oc_p2p_${user.open_id}` };
	}

	/** Checks content against its msg_type as documented; undefined when it is valid. */
	private checkContent(msgType: string, content: string, customBot = false): Answer | undefined {
		const limit = LIMITS[msgType];
		if (limit !== undefined && Buffer.byteLength(content, 'utf8') > limit)
			return fail(230025, 'The message content is too long.');
		let parsed: unknown;
		try {
			parsed = JSON.parse(content);
		} catch {
			this.fake.violations.push(`content is not a JSON string: ${content.slice(0, 80)}`);
			return fail(
				230001,
				'Your request contains an invalid request parameter, ext=invalid message content',
			);
		}
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
			return fail(230001, 'invalid message content');
		const c = parsed as Record<string, unknown>;
		const invalid = (why: string) => {
			this.fake.violations.push(`${msgType} content ${why}: ${content.slice(0, 120)}`);
			return fail(230001, `Your request contains an invalid request parameter, ext=${why}`);
		};
		const own = (key: unknown, kind: 'image' | 'file') => {
			const upload = this.uploads.get(String(key));
			return upload && upload.kind === kind ? upload : undefined;
		};
		switch (msgType) {
			case 'text':
				if (typeof c.text !== 'string' || c.text.trim() === '')
					return invalid('text needs a non-empty "text"');
				return undefined;
			case 'post': {
				const locales = Object.keys(c);
				if (locales.length === 0 || !locales.every((l) => ['zh_cn', 'en_us', 'ja_jp'].includes(l)))
					return invalid('post needs zh_cn / en_us / ja_jp');
				for (const locale of locales) {
					const body = c[locale] as { title?: unknown; content?: unknown };
					if (!Array.isArray(body?.content) || !body.content.every(Array.isArray))
						return invalid('post content must be a list of paragraphs');
					for (const element of (body.content as unknown[][]).flat()) {
						const tag = (element as { tag?: string })?.tag;
						if (!tag || !POST_TAGS.has(tag))
							return invalid(`post element tag "${String(tag)}" is not documented`);
						if (customBot && !['text', 'a', 'at', 'img'].includes(tag))
							return invalid(`custom bot posts do not support the "${tag}" tag`);
					}
				}
				return undefined;
			}
			case 'interactive': {
				if (c.type === 'template') {
					const data = c.data as Record<string, unknown> | undefined;
					if (typeof data?.template_id !== 'string')
						return invalid('template needs data.template_id');
					if (data.template_id !== CARD_TEMPLATE)
						return fail(
							230099,
							'Failed to create card content, ext=ErrCode: 200380; ErrMsg: template is not found or not published; ',
						);
					return undefined;
				}
				if (
					c.schema === '2.0'
						? typeof c.body !== 'object'
						: !Array.isArray(c.elements) && typeof c.i18n_elements !== 'object'
				) {
					return fail(
						230099,
						'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err; ',
					);
				}
				return undefined;
			}
			case 'image':
				if (typeof c.image_key !== 'string') return invalid('image needs "image_key"');
				return own(c.image_key, 'image')
					? undefined
					: fail(230017, 'Bot is NOT the owner of the resource.');
			case 'file':
			case 'audio':
			case 'media': {
				if (typeof c.file_key !== 'string') return invalid(`${msgType} needs "file_key"`);
				const upload = own(c.file_key, 'file');
				if (!upload) return fail(230017, 'Bot is NOT the owner of the resource.');
				const expected = msgType === 'audio' ? 'opus' : msgType === 'media' ? 'mp4' : undefined;
				if (
					expected
						? upload.fileType !== expected
						: upload.fileType === 'opus' || upload.fileType === 'mp4'
				) {
					return fail(
						230055,
						'The type of file upload does not match the type of message being sent.',
					);
				}
				return undefined;
			}
			case 'sticker':
				return typeof c.file_key === 'string' ? undefined : invalid('sticker needs "file_key"');
			case 'share_chat':
				if (typeof c.chat_id !== 'string') return invalid('share_chat needs "chat_id"');
				return this.chats.get(c.chat_id)?.bot
					? undefined
					: fail(230002, 'Bot/User can NOT be out of the chat.');
			case 'share_user':
				if (typeof c.user_id !== 'string') return invalid('share_user needs "user_id"');
				return this.user(c.user_id, 'open_id')
					? undefined
					: fail(230013, 'Bot has NO availability to this user.');
			default:
				return invalid('unsupported msg_type');
		}
	}

	private create(
		chatId: string,
		msgType: string,
		content: string,
		uuid: string | undefined,
		parent?: FakeMessage,
		thread = false,
	): FakeMessage {
		const now = String(Date.now());
		const message: FakeMessage = {
			message_id: this.id('om_'),
			msg_type: msgType,
			create_time: now,
			update_time: now,
			deleted: false,
			updated: false,
			chat_id: chatId,
			sender: { id: APP_ID, id_type: 'app_id', sender_type: 'app', tenant_key: 'tenant-sandbox' },
			body: { content },
			uuid,
			edits: 0,
			reactions: new Map(),
		};
		if (parent) {
			message.parent_id = parent.message_id;
			message.root_id = parent.root_id ?? parent.message_id;
			if (thread) message.thread_id = parent.thread_id ?? `omt_${parent.message_id.slice(3)}`;
		}
		this.messages.set(message.message_id, message);
		if (uuid) this.uuids.set(uuid, { id: message.message_id, at: Date.now() });
		return message;
	}

	/** A repeat of a uuid within the hour: no new message, the first one's record. */
	private repeated(uuid: unknown): FakeMessage | undefined {
		if (typeof uuid !== 'string') return undefined;
		if (uuid.length > 50) this.fake.violations.push(`uuid longer than 50 characters: ${uuid}`);
		const seen = this.uuids.get(uuid);
		return seen && Date.now() - seen.at < 3600_000 ? this.messages.get(seen.id) : undefined;
	}

	private record(m: FakeMessage): Record<string, unknown> {
		const { uuid: _uuid, edits: _edits, reactions: _reactions, ...documented } = m;
		return documented;
	}

	private message(id: string): FakeMessage | Answer {
		const m = this.messages.get(id);
		if (!m)
			return fail(
				230001,
				'Your request contains an invalid request parameter, ext=message_id is invalid',
			);
		return m;
	}

	handlers(): Record<string, Handler> {
		const isAnswer = (x: unknown): x is Answer => typeof (x as Answer)?.status === 'number';
		const page = <T>(
			all: T[],
			query: Record<string, string>,
			defaultSize: number,
			maxSize: number,
		) => {
			const size = query.page_size === undefined ? defaultSize : Number(query.page_size);
			if (size < 1 || size > maxSize)
				this.fake.violations.push(`page_size ${size} outside 1..${maxSize}`);
			const start = query.page_token ? Number(query.page_token.replace(/^pt-/, '')) : 0;
			const end = start + size;
			return {
				items: all.slice(start, end),
				has_more: end < all.length,
				...(end < all.length ? { page_token: `pt-${end}` } : {}),
			};
		};
		return {
			'feishu.message.send': ({ query, body }) => {
				const again = this.repeated(body.uuid);
				if (again) return ok(this.record(again));
				const to = this.receiver(query.receive_id_type, String(body.receive_id));
				if (isAnswer(to)) return to;
				const limited = this.receiverTooFast(to.chatId);
				if (limited) return limited;
				const bad = this.checkContent(String(body.msg_type), String(body.content));
				if (bad) return bad;
				return ok(
					this.record(
						this.create(
							to.chatId,
							String(body.msg_type),
							String(body.content),
							body.uuid as string | undefined,
						),
					),
				);
			},
			'feishu.message.reply': ({ params, body }) => {
				const again = this.repeated(body.uuid);
				if (again) return ok(this.record(again));
				const parent = this.message(params.message_id);
				if (isAnswer(parent)) return parent;
				if (parent.deleted) return fail(230011, 'The message was recalled.');
				const limited = this.receiverTooFast(parent.chat_id);
				if (limited) return limited;
				const bad = this.checkContent(String(body.msg_type), String(body.content));
				if (bad) return bad;
				return ok(
					this.record(
						this.create(
							parent.chat_id,
							String(body.msg_type),
							String(body.content),
							body.uuid as string | undefined,
							parent,
							body.reply_in_thread === true,
						),
					),
				);
			},
			'feishu.message.forward': ({ params, query, body }) => {
				const again = this.repeated(query.uuid);
				if (again) return ok(this.record(again));
				const source = this.message(params.message_id);
				if (isAnswer(source)) return source;
				if (source.deleted) return fail(230065, 'The source message was recalled.');
				const to = this.receiver(query.receive_id_type, String(body.receive_id));
				if (isAnswer(to)) return to;
				const limited = this.receiverTooFast(to.chatId);
				if (limited) return limited;
				return ok(
					this.record(this.create(to.chatId, source.msg_type, source.body.content, query.uuid)),
				);
			},
			'feishu.message.updateCard': ({ params, body }) => {
				const m = this.message(params.message_id);
				if (isAnswer(m)) return m;
				if (m.deleted) return fail(230011, 'The message was recalled.');
				if (m.msg_type !== 'interactive')
					return fail(
						230001,
						'Your request contains an invalid request parameter, ext=only card messages can be updated',
					);
				const limited = this.receiverTooFast(`card:${m.message_id}`);
				if (limited) return limited;
				const bad = this.checkContent('interactive', String(body.content));
				if (bad) return bad;
				m.body.content = String(body.content);
				m.updated = true;
				m.update_time = String(Date.now());
				return ok();
			},
			'feishu.message.edit': ({ params, body }) => {
				const m = this.message(params.message_id);
				if (isAnswer(m)) return m;
				if (m.deleted) return fail(230110, 'The message was deleted.');
				if (m.msg_type !== 'text' && m.msg_type !== 'post')
					return fail(230054, 'This message type does not support this operation.');
				if (m.edits >= 20)
					return fail(230072, 'The message has reached the number of times it can be edited.');
				const bad = this.checkContent(String(body.msg_type), String(body.content));
				if (bad) return bad;
				m.edits++;
				m.msg_type = String(body.msg_type);
				m.body.content = String(body.content);
				m.updated = true;
				m.update_time = String(Date.now());
				return ok(this.record(m));
			},
			'feishu.message.delete': ({ params }) => {
				const m = this.message(params.message_id);
				if (isAnswer(m)) return m;
				if (m.deleted) return fail(230110, 'The message was deleted.');
				m.deleted = true;
				return ok();
			},
			'feishu.message.get': ({ params }) => {
				const m = this.message(params.message_id);
				if (isAnswer(m)) return m;
				return ok({ items: [this.record(m)] });
			},
			'feishu.message.getAll': ({ query }) => {
				const chat = this.chats.get(query.container_id);
				if (
					query.container_id_type === 'chat' &&
					(!chat || !chat.bot) &&
					!query.container_id.startsWith('oc_p2p_')
				) {
					return fail(230002, 'Bot/User can NOT be out of the chat.');
				}
				const from = query.start_time === undefined ? -Infinity : Number(query.start_time) * 1000;
				const to = query.end_time === undefined ? Infinity : Number(query.end_time) * 1000 + 999;
				let all = [...this.messages.values()].filter(
					(m) =>
						(query.container_id_type === 'thread'
							? m.thread_id === query.container_id
							: m.chat_id === query.container_id) &&
						Number(m.create_time) >= from &&
						Number(m.create_time) <= to,
				);
				if (query.sort_type === 'ByCreateTimeDesc') all = all.reverse();
				const p = page(
					all.map((m) => this.record(m)),
					query,
					20,
					50,
				);
				return ok(p);
			},
			'feishu.message.downloadResource': ({ params, query }) => {
				const m = this.message(params.message_id);
				if (isAnswer(m)) return m;
				if (m.deleted) return fail(230110, 'The message was deleted.');
				if (m.msg_type === 'sticker' || m.msg_type === 'interactive')
					return fail(234043, 'Unsupported message type.');
				const content = m.body.content;
				const upload = this.uploads.get(params.file_key);
				if (!content.includes(`"${params.file_key}"`) || !upload)
					return fail(234003, 'File not in msg.');
				if ((query.type === 'image') !== (upload.kind === 'image'))
					return fail(234001, 'Invalid request param.');
				return {
					status: 200,
					bytes: upload.bytes,
					headers: {
						'Content-Type': upload.mimeType,
						'Content-Disposition': `attachment; filename="${upload.fileName}"`,
					},
					body: undefined,
				};
			},
			'feishu.message.addReaction': ({ params, body }) => {
				const m = this.messages.get(params.message_id);
				if (!m || m.deleted)
					return fail(231003, 'The message is not found, maybe not exist or deleted.');
				const emoji = String((body.reaction_type as { emoji_type?: string }).emoji_type);
				if (!/^[A-Za-z_]+$/.test(emoji)) return fail(231001, 'reaction type is invalid.');
				const id = this.id('ZCaCIjUBVVWSrm5L-3ZTw');
				m.reactions.set(id, emoji);
				return ok({
					reaction_id: id,
					operator: { operator_id: APP_ID, operator_type: 'app' },
					action_time: String(Date.now()),
					reaction_type: { emoji_type: emoji },
				});
			},
			'feishu.message.removeReaction': ({ params }) => {
				const m = this.messages.get(params.message_id);
				if (!m || m.deleted)
					return fail(231003, 'The message is not found, maybe not exist or deleted.');
				const emoji = m.reactions.get(params.reaction_id);
				if (emoji === undefined) return fail(231011, 'The reaction_id is invalid.');
				m.reactions.delete(params.reaction_id);
				return ok({
					reaction_id: params.reaction_id,
					operator: { operator_id: APP_ID, operator_type: 'app' },
					action_time: String(Date.now()),
					reaction_type: { emoji_type: emoji },
				});
			},
			'feishu.image.upload': ({ body }) => {
				const file = body.image as { filename: string; contentType: string; bytes: Buffer };
				if (file.bytes.length === 0) return fail(234010, "File's size can't be 0.");
				if (file.bytes.length > 10 * 1024 * 1024)
					return fail(234006, 'The file size exceed the max value.');
				if (!/^image\//.test(file.contentType ?? ''))
					return fail(234011, "Can't regonnize the image format.");
				const key = this.id('img_v2_');
				this.uploads.set(key, {
					kind: 'image',
					bytes: file.bytes,
					fileName: file.filename,
					mimeType: file.contentType,
				});
				return ok({ image_key: key });
			},
			'feishu.file.upload': ({ body }) => {
				const file = body.file as { filename: string; contentType: string; bytes: Buffer };
				if (file.bytes.length === 0) return fail(234010, "File's size can't be 0.");
				if (file.bytes.length > 30 * 1024 * 1024)
					return fail(234006, 'The file size exceed the max value.');
				const key = this.id('file_v2_');
				this.uploads.set(key, {
					kind: 'file',
					bytes: file.bytes,
					fileName: String(body.file_name),
					mimeType: file.contentType,
					fileType: String(body.file_type),
				});
				return ok({ file_key: key });
			},
			'feishu.chat.create': ({ query, body }) => {
				const type = query.user_id_type ?? 'open_id';
				const owner =
					body.owner_id === undefined ? undefined : this.user(String(body.owner_id), type);
				if (body.owner_id !== undefined && !owner) return fail(232030, 'invalid user_id.');
				if (query.uuid !== undefined) {
					if (query.uuid.length > 50)
						this.fake.violations.push(`uuid longer than 50 characters: ${query.uuid}`);
					const key = `chat:${query.uuid}:${String(body.owner_id ?? '')}`;
					const seen = this.uuids.get(key);
					if (seen && Date.now() - seen.at < 10 * 3600_000) return ok(this.chatRecord(seen.id));
				}
				const members = new Set<string>();
				for (const id of (body.user_id_list as string[] | undefined) ?? []) {
					const u = this.user(id, type);
					if (!u) return fail(232043, 'Some IDs are not available.');
					members.add(u.open_id);
				}
				if (body.chat_type === 'public' && String(body.name ?? '').length < 2)
					return fail(232020, 'The name of a public chat must be at least 2 characters.');
				const chatId = this.id('oc_');
				this.chats.set(chatId, {
					name: String(body.name ?? ''),
					description: String(body.description ?? ''),
					owner_id: owner?.open_id ?? APP_ID,
					chat_type: String(body.chat_type ?? 'private'),
					members,
					bot: true,
					createdAt: Date.now(),
				});
				if (query.uuid !== undefined)
					this.uuids.set(`chat:${query.uuid}:${String(body.owner_id ?? '')}`, {
						id: chatId,
						at: Date.now(),
					});
				return ok(this.chatRecord(chatId));
			},
			'feishu.chat.get': ({ params }) => {
				if (!this.chats.has(params.chat_id))
					return fail(232006, 'Your request specifies a chat_id which is invalid.');
				return ok(this.chatRecord(params.chat_id));
			},
			'feishu.chat.getAll': ({ query }) => {
				const all = [...this.chats.entries()]
					.filter(([, c]) => c.bot)
					.map(([id]) => this.listRecord(id));
				return ok(page(all, query, 20, 100));
			},
			'feishu.chat.search': ({ query }) => {
				const q = (query.query ?? '').toLowerCase();
				const all =
					q === '' || q.length > 64
						? []
						: [...this.chats.entries()]
								.filter(([, c]) => c.bot && c.name.toLowerCase().includes(q))
								.map(([id]) => this.listRecord(id));
				return ok(page(all, query, 20, 100));
			},
			'feishu.chat.update': ({ params, body }) => {
				const chat = this.chats.get(params.chat_id);
				if (!chat) return fail(232006, 'Your request specifies a chat_id which is invalid.');
				if (!chat.bot) return fail(232011, 'Operator can NOT be out of the chat.');
				if (body.owner_id !== undefined) {
					const owner = this.user(String(body.owner_id), 'open_id');
					if (!owner || !chat.members.has(owner.open_id))
						return fail(232012, 'The new owner is not in the chat.');
					chat.owner_id = owner.open_id;
				}
				if (body.name !== undefined) chat.name = String(body.name);
				if (body.description !== undefined) chat.description = String(body.description);
				if (body.chat_type !== undefined) chat.chat_type = String(body.chat_type);
				return ok();
			},
			'feishu.chat.delete': ({ params }) => {
				const chat = this.chats.get(params.chat_id);
				if (!chat) return fail(232006, 'Your request specifies a chat_id which is invalid.');
				if (chat.owner_id !== APP_ID)
					return fail(232017, 'Operator is not the owner or creator of the chat.');
				this.chats.delete(params.chat_id);
				return ok();
			},
			'feishu.chat.addMembers': ({ params, query, body }) => {
				const chat = this.chats.get(params.chat_id);
				if (!chat) return fail(232006, 'Your request specifies a chat_id which is invalid.');
				if (!chat.bot) return fail(232011, 'Operator can NOT be out of the chat.');
				const ids = body.id_list as string[];
				if (ids.length > 50)
					this.fake.violations.push(`add members: at most 50 IDs per call, got ${ids.length}`);
				const invalid: string[] = [];
				for (const id of ids) {
					const u = this.user(id, query.member_id_type ?? 'open_id');
					if (u) chat.members.add(u.open_id);
					else invalid.push(id);
				}
				if (invalid.length === ids.length) return fail(232027, 'No valid members.');
				return ok({
					invalid_id_list: invalid,
					not_existed_id_list: [],
					pending_approval_id_list: [],
				});
			},
			'feishu.chat.removeMembers': ({ params, query, body }) => {
				const chat = this.chats.get(params.chat_id);
				if (!chat) return fail(232006, 'Your request specifies a chat_id which is invalid.');
				const invalid: string[] = [];
				for (const id of body.id_list as string[]) {
					const u = this.user(id, query.member_id_type ?? 'open_id');
					if (u && u.open_id === chat.owner_id) return fail(232076, 'The owner cannot be removed.');
					if (u && chat.members.has(u.open_id)) chat.members.delete(u.open_id);
					else invalid.push(id);
				}
				return ok({ invalid_id_list: invalid });
			},
			'feishu.chat.getMembers': ({ params, query }) => {
				const chat = this.chats.get(params.chat_id);
				if (!chat) return fail(232006, 'Your request specifies a chat_id which is invalid.');
				if (!chat.bot) return fail(232011, 'Operator can NOT be out of the chat.');
				const type = query.member_id_type ?? 'open_id';
				const all = [...chat.members].map((openId) => {
					const u = this.user(openId, 'open_id')!;
					return {
						member_id_type: type,
						member_id: (u as unknown as Record<string, string>)[type],
						name: u.name,
						tenant_key: 'tenant-sandbox',
					};
				});
				return ok({ ...page(all, query, 20, 100), member_total: all.length });
			},
			'feishu.customBot.send': ({ params, body }) => {
				const bot = CUSTOM_BOTS[params.token];
				if (!bot)
					return {
						status: 200,
						body: {
							code: 19001,
							msg: 'param invalid: incoming webhook access token invalid',
							data: {},
						},
					};
				if (Buffer.byteLength(JSON.stringify(body), 'utf8') > 20 * 1024)
					return { status: 200, body: { code: 9499, msg: 'Bad Request', data: {} } };
				if (bot.secret) {
					const timestamp = Number(body.timestamp);
					const expected = createHmac('sha256', `${String(body.timestamp)}\n${bot.secret}`)
						.update('')
						.digest('base64');
					if (
						!Number.isInteger(timestamp) ||
						Math.abs(Date.now() / 1000 - timestamp) > 3600 ||
						body.sign !== expected
					) {
						return {
							status: 200,
							body: {
								code: 19021,
								msg: 'sign match fail or timestamp is not within one hour from current time',
								data: {},
							},
						};
					}
				}
				const type = String(body.msg_type);
				const content = body.content as Record<string, unknown> | undefined;
				const shapeOk =
					type === 'interactive'
						? typeof body.card === 'object' && body.content === undefined
						: typeof content === 'object' &&
							body.card === undefined &&
							(type === 'text'
								? typeof content.text === 'string'
								: type === 'post'
									? typeof content.post === 'object' &&
										this.checkContent('post', JSON.stringify(content.post), true) === undefined
									: type === 'image'
										? typeof content.image_key === 'string'
										: typeof content.share_chat_id === 'string');
				if (!shapeOk) {
					this.fake.violations.push(
						`custom bot ${type} body does not have the documented shape: ${JSON.stringify(body).slice(0, 160)}`,
					);
					return { status: 200, body: { code: 9499, msg: 'Bad Request', data: {} } };
				}
				this.botPosts.push({ token: params.token, body, receivedAt: Date.now() });
				return {
					status: 200,
					body: { StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' },
				};
			},
		};
	}

	private listRecord(chatId: string): Record<string, unknown> {
		const c = this.chats.get(chatId)!;
		return {
			chat_id: chatId,
			avatar: '',
			name: c.name,
			description: c.description,
			owner_id: c.owner_id,
			owner_id_type: 'open_id',
			external: false,
			tenant_key: 'tenant-sandbox',
			chat_status: 'normal',
		};
	}

	private chatRecord(chatId: string): Record<string, unknown> {
		const c = this.chats.get(chatId)!;
		return {
			chat_id: chatId,
			avatar: '',
			name: c.name,
			description: c.description,
			owner_id: c.owner_id,
			owner_id_type: 'open_id',
			chat_mode: 'group',
			chat_type: c.chat_type,
			external: false,
			tenant_key: 'tenant-sandbox',
			user_count: String(c.members.size),
			bot_count: '1',
			chat_status: 'normal',
		};
	}
}
