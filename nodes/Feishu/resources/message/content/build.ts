import type { ParamReader } from '../../../../shared/params';
import { MessageType, CONTENT_LIMITS } from './fields';

export function buildCard(p: ParamReader): Record<string, unknown> {
	if (p.choice('cardSource', ['json', 'template'] as const, 'json') === 'json') {
		const card = p.jsonObject('card');
		if (!card) p.failEmpty('card');
		return card;
	}
	const data: Record<string, unknown> = { template_id: p.requiredString('templateId') };
	const version = p.optionalString('templateVersion');
	if (version !== undefined) data.template_version_name = version;
	const variables = p.jsonObject('templateVariables');
	if (variables && Object.keys(variables).length > 0) data.template_variable = variables;
	return { type: 'template', data };
}

/** Files a message carries, given as keys or uploaded before the send. */
export interface ContentKeys {
	imageKey?: string;
	fileKey?: string;
}

/** The documented content object of one message type. */
export function contentObject(
	p: ParamReader,
	type: MessageType,
	keys: ContentKeys = {},
	postTag: 'md' | 'text' = 'md',
): Record<string, unknown> {
	switch (type) {
		case 'text':
			return { text: mentions(p, 'text') + p.requiredString('text', rawText(p, 'text')) };
		case 'post':
			return buildPost(p, postTag);
		case 'interactive':
			return buildCard(p);
		case 'image':
			return { image_key: keys.imageKey ?? p.requiredString('imageKey') };
		case 'file':
		case 'audio':
			return { file_key: keys.fileKey ?? p.requiredString('fileKey') };
		case 'media': {
			const cover = p.optionalString('coverImageKey');
			return {
				file_key: keys.fileKey ?? p.requiredString('fileKey'),
				...(cover ? { image_key: cover } : {}),
			};
		}
		case 'sticker':
			return { file_key: p.requiredString('stickerKey') };
		case 'share_chat':
			return { chat_id: p.requiredString('shareChatId') };
		case 'share_user':
			return { user_id: p.requiredString('shareUserId') };
	}
}

/** `msg_type` and the `content` string, checked against the documented size limit. */
export function buildContent(
	p: ParamReader,
	type: MessageType,
	keys: ContentKeys = {},
): { msg_type: MessageType; content: string } {
	const content = JSON.stringify(contentObject(p, type, keys));
	checkSize(p, type, content);
	return { msg_type: type, content };
}

export function checkSize(p: ParamReader, type: MessageType, content: string): void {
	const limit = CONTENT_LIMITS[type];
	const size = Buffer.byteLength(content, 'utf8');
	if (limit !== undefined && size > limit) {
		const field =
			type === 'text'
				? 'text'
				: type === 'post'
					? p.raw('postFormat', 'text') === 'json'
						? 'postJson'
						: 'postText'
					: 'card';
		p.fail(
			field,
			`the ${type} content is ${(size / 1024).toFixed(1)} KB; Feishu accepts at most ${limit / 1024} KB`,
		);
	}
}

/** Text keeps its new lines and leading spaces; only an empty text is refused. */
function rawText(p: ParamReader, field: string): string {
	const value = p.raw(field, '');
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') p.fail(field, 'expected text');
	return value.trim() === '' ? '' : value;
}

/** The documented mention tags for text: <at user_id="ou_…"></at>, and <at user_id="all"></at> for everyone. */
function mentions(p: ParamReader, kind: 'text' | 'post'): string {
	const ids = mentionIds(p);
	if (kind === 'post') return '';
	return ids.map((id) => `<at user_id="${escapeAttribute(id)}"></at> `).join('');
}

function mentionIds(p: ParamReader): string[] {
	const ids = p.stringList('mentionUserIds');
	if (p.boolean('mentionAll')) ids.push('all');
	return ids;
}

function buildPost(p: ParamReader, tag: 'md' | 'text'): Record<string, unknown> {
	const atParagraph = mentionIds(p).map((user_id) => ({ tag: 'at', user_id }));
	if (p.choice('postFormat', ['text', 'json'] as const, 'text') === 'text') {
		const title = p.optionalString('postTitle');
		const content: unknown[][] = [];
		if (atParagraph.length > 0) content.push(atParagraph);
		content.push([{ tag, text: p.requiredString('postText', rawText(p, 'postText')) }]);
		return { zh_cn: { ...(title ? { title } : {}), content } };
	}
	const post = p.jsonObject('postJson');
	if (!post) p.failEmpty('postJson');
	const locales = Object.keys(post);
	if (locales.length === 0)
		p.fail(
			'postJson',
			'needs at least one locale, e.g. {"zh_cn": {"title": "…", "content": [[…]]}}',
		);
	for (const locale of locales) {
		const body = post[locale] as Record<string, unknown> | undefined;
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			p.fail('postJson', `"${locale}" must be an object with title and content`);
		if (!Array.isArray(body.content) || !body.content.every(Array.isArray)) {
			p.fail(
				'postJson',
				`"${locale}.content" must be a list of paragraphs, each a list of elements`,
			);
		}
	}
	if (atParagraph.length === 0) return post;
	// Mentions go in a first paragraph of every locale.
	return Object.fromEntries(
		Object.entries(post).map(([locale, body]) => {
			const b = body as { content: unknown[][] };
			return [locale, { ...b, content: [atParagraph, ...b.content] }];
		}),
	);
}

const escapeAttribute = (value: string) => value.replace(/[<>"&]/g, '');
