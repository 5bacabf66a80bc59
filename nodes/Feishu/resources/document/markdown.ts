import type { IDataObject } from 'n8n-workflow';

/**
 * A document's blocks (docx v1, in the pre-order the blocks API answers) as Markdown: headings, paragraphs,
 * bullet, numbered and to-do lists (nested), code, quotes, tables, dividers, links and inline styles,
 * images as references, mentions and equations. Source: docs/research/feishu-docx-wiki.md §12.
 *
 * What Markdown cannot say is written as near as it can: headings 7–9 become level 6; a callout, a
 * quote container and a grid's columns give their content (callouts and quote containers as quotes);
 * text colours and backgrounds are dropped; an image is `![](feishu-image:<token>)` (its media token, to
 * download with the media API); a block of a type without text (a sheet, a base, a chat card…) is left out.
 */

/** block_type numbers (块的数据结构). */
export const BLOCK = {
	page: 1,
	text: 2,
	heading1: 3,
	heading9: 11,
	bullet: 12,
	ordered: 13,
	code: 14,
	quote: 15,
	todo: 17,
	callout: 19,
	divider: 22,
	grid: 24,
	gridColumn: 25,
	image: 27,
	table: 31,
	tableCell: 32,
	quoteContainer: 34,
} as const;

/** CodeLanguage numbers and the names Markdown fences use (the common ones; others are plain). */
export const CODE_LANGUAGES: Record<number, string> = {
	1: '',
	7: 'bash',
	8: 'csharp',
	9: 'cpp',
	10: 'c',
	12: 'css',
	18: 'dockerfile',
	22: 'go',
	24: 'html',
	28: 'json',
	29: 'java',
	30: 'javascript',
	32: 'kotlin',
	36: 'lua',
	38: 'makefile',
	39: 'markdown',
	43: 'php',
	49: 'python',
	52: 'ruby',
	53: 'rust',
	56: 'sql',
	60: 'shell',
	61: 'swift',
	63: 'typescript',
	66: 'xml',
	67: 'yaml',
	75: 'toml',
};

interface Block extends IDataObject {
	block_id: string;
	block_type: number;
	children?: string[];
}

const TEXT_KEYS: Record<number, string> = {
	1: 'page',
	2: 'text',
	12: 'bullet',
	13: 'ordered',
	14: 'code',
	15: 'quote',
	17: 'todo',
};

function textOf(block: Block): IDataObject | undefined {
	const key =
		block.block_type >= BLOCK.heading1 && block.block_type <= BLOCK.heading9
			? `heading${block.block_type - 2}`
			: TEXT_KEYS[block.block_type];
	return key ? (block[key] as IDataObject | undefined) : undefined;
}

/** Markdown's special characters in plain text, escaped (an underscore inside a word stays as it is). */
function escape(text: string): string {
	return text
		.replace(/([\\`*[\]~])/g, '\\$1')
		.replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'));
}

function decodeUrl(url: string): string {
	try {
		return decodeURIComponent(url);
	} catch {
		return url;
	}
}

/** A link's URL as a Markdown link target: decoded, with what would end the target encoded again. */
const linkTarget = (url: string) =>
	decodeUrl(url).replace(/[ ()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Inline code whose content may hold backticks: a longer run of backticks around it. */
function codeSpan(text: string): string {
	const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const fence = '`'.repeat(longest + 1);
	return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

/** A line of text that Markdown would read as a heading, quote, list, rule or fence: its marker escaped. */
function literalLine(line: string): string {
	if (/^\d+[.)]\s/.test(line)) return line.replace(/^(\d+)([.)])/, '$1\\$2');
	if (/^(#{1,6}(\s|$)|>|[-+*]\s|-{3,}\s*$|\*{3,}\s*$|`{3,}|~{3,})/.test(line)) return `\\${line}`;
	return line;
}

/** One text element as Markdown. */
function inline(element: IDataObject): string {
	const run = element.text_run as IDataObject | undefined;
	if (run) {
		const content = String(run.content ?? '');
		const style = (run.text_element_style ?? {}) as IDataObject;
		if (content === '') return '';
		// Spaces at either end go outside the markers ("**bold **" is not bold in CommonMark).
		const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(content) ?? ['', '', content, ''];
		if (core === '') return content;
		let out = style.inline_code ? codeSpan(core) : escape(core);
		if (style.strikethrough) out = `~~${out}~~`;
		if (style.italic) out = `*${out}*`;
		if (style.bold) out = `**${out}**`;
		const link = (style.link as IDataObject | undefined)?.url;
		if (typeof link === 'string' && link) out = `[${out}](${linkTarget(link)})`;
		out = `${lead}${out}${trail}`;
		return out;
	}
	const user = element.mention_user as IDataObject | undefined;
	if (user) return `@${String(user.user_id ?? '')}`;
	const doc = element.mention_doc as IDataObject | undefined;
	if (doc)
		return `[${escape(String(doc.title ?? doc.token ?? 'document'))}](${linkTarget(String(doc.url ?? ''))})`;
	const equation = element.equation as IDataObject | undefined;
	if (equation) return `$${String(equation.content ?? '').trim()}$`;
	return '';
}

function inlineText(block: Block): string {
	const elements = (textOf(block)?.elements as IDataObject[] | undefined) ?? [];
	return elements.map(inline).join('');
}

/** The plain text of a code block (no escaping). */
function codeText(block: Block): string {
	const elements = (textOf(block)?.elements as IDataObject[] | undefined) ?? [];
	return elements
		.map((e) => String((e.text_run as IDataObject | undefined)?.content ?? ''))
		.join('');
}

const LIST = new Set<number>([BLOCK.bullet, BLOCK.ordered, BLOCK.todo]);

export function blocksToMarkdown(items: IDataObject[]): { title: string; markdown: string } {
	const blocks = new Map<string, Block>();
	for (const item of items) blocks.set(String(item.block_id), item as Block);
	const root = (items.find((b) => b.block_type === BLOCK.page) ?? items[0]) as Block | undefined;
	if (!root) return { title: '', markdown: '' };
	const childrenOf = (block: Block) =>
		(block.children ?? []).map((id) => blocks.get(id)).filter((b): b is Block => b !== undefined);

	/** A list item and its nested children, indented under it. */
	const listItem = (block: Block, number: number, indent: string): string[] => {
		const marker =
			block.block_type === BLOCK.bullet
				? '- '
				: block.block_type === BLOCK.ordered
					? `${number}. `
					: (textOf(block)?.style as IDataObject | undefined)?.done === true
						? '- [x] '
						: '- [ ] ';
		const lines = [`${indent}${marker}${inlineText(block)}`];
		// Children sit at the item's content column: after "- " for bullets and to-dos (the "[ ] " is content),
		// after "1. " for numbered items. A child that is not a list item starts a paragraph of its own.
		const pad = block.block_type === BLOCK.ordered ? marker.length : 2;
		const children = childrenOf(block);
		const inner = render(children, indent + ' '.repeat(pad));
		if (inner.length > 0 && !LIST.has(children[0].block_type)) lines.push('');
		if (inner.length > 0) lines.push(...inner);
		return lines;
	};

	const table = (block: Block): string[] => {
		const property = ((block.table as IDataObject | undefined)?.property ?? {}) as IDataObject;
		const columns = Number(property.column_size) || 1;
		const cells =
			((block.table as IDataObject | undefined)?.cells as string[] | undefined) ??
			block.children ??
			[];
		const rows: string[][] = [];
		cells.forEach((id, i) => {
			const cell = blocks.get(id);
			const text = cell
				? childrenOf(cell)
						.map((c) => inlineText(c).replace(/\|/g, '\\|').replace(/\n/g, '<br>'))
						.join('<br>')
				: '';
			if (i % columns === 0) rows.push([]);
			rows[rows.length - 1].push(text);
		});
		if (rows.length === 0) return [];
		const line = (row: string[]) => `| ${row.join(' | ')} |`;
		return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)];
	};

	/** One block as Markdown lines (a paragraph's lines, a list, a fence). */
	const one = (block: Block, indent: string): string[] => {
		const type = block.block_type;
		// Text, headings and quotes can hold blocks of their own (indented in Feishu): they follow, apart.
		const nested = (lines: string[]) => {
			const inner = render(childrenOf(block), indent);
			return inner.length > 0 ? [...lines, '', ...inner] : lines;
		};
		if (type >= BLOCK.heading1 && type <= BLOCK.heading9)
			return nested([
				`${indent}${'#'.repeat(Math.min(6, type - 2))} ${inlineText(block).replace(/\n/g, ' ')}`,
			]);
		if (type === BLOCK.text)
			return nested(
				inlineText(block)
					.split('\n')
					.map((l) => `${indent}${literalLine(l)}`),
			);
		if (type === BLOCK.code) {
			const style = (textOf(block)?.style ?? {}) as IDataObject;
			const language = CODE_LANGUAGES[Number(style.language)] ?? '';
			const body = codeText(block).replace(/\n$/, '');
			// A fence longer than any run of backticks in the code, so that the code cannot close it.
			const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
			const fence = '`'.repeat(longest + 1);
			return [
				`${indent}${fence}${language}`,
				...body.split('\n').map((l) => `${indent}${l}`),
				`${indent}${fence}`,
			];
		}
		if (type === BLOCK.quote)
			return nested(
				inlineText(block)
					.split('\n')
					.map((l) => `${indent}> ${l}`),
			);
		if (type === BLOCK.divider) return [`${indent}---`];
		if (type === BLOCK.image) {
			const token = String((block.image as IDataObject | undefined)?.token ?? '');
			return [`${indent}![](feishu-image:${token})`];
		}
		if (type === BLOCK.table) return table(block).map((l) => `${indent}${l}`);
		if (type === BLOCK.quoteContainer || type === BLOCK.callout)
			return render(childrenOf(block), '').map((l) => `${indent}> ${l}`.trimEnd());
		// A grid and its columns, and any other container: their content.
		return render(childrenOf(block), indent);
	};

	/** Sibling blocks: list items one per line, other blocks apart by a blank line. */
	function render(siblings: Block[], indent: string): string[] {
		const out: string[] = [];
		let number = 0;
		let previous: number | undefined;
		for (const block of siblings) {
			const type = block.block_type;
			const inList = LIST.has(type);
			number = type === BLOCK.ordered ? (previous === BLOCK.ordered ? number + 1 : 1) : 0;
			// List items of one kind go line by line; anything else, a new list kind included, after a blank line.
			if (out.length > 0 && !(inList && previous === type)) out.push('');
			out.push(...(inList ? listItem(block, number, indent) : one(block, indent)));
			previous = type;
		}
		return out;
	}

	const title = ((textOf(root)?.elements as IDataObject[] | undefined) ?? [])
		.map((e) => String((e.text_run as IDataObject | undefined)?.content ?? ''))
		.join('');
	const lines = render(childrenOf(root), '');
	return { title, markdown: lines.length > 0 ? `${lines.join('\n')}\n` : '' };
}
