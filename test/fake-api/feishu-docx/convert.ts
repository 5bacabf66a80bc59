/**
 * The fake's Markdown/HTML → blocks conversion (POST /docx/v1/documents/blocks/convert): the block types
 * the page names ("文本、一到九级标题、无序列表、有序列表、代码块、引用、待办事项、图片、表格、表格单元格"),
 * with bold, italic, strikethrough, inline code and links, in the answer's shape (temporary block IDs,
 * first_level_block_ids, parent_id "", revision_id 0, tables with merge_info, images with an empty
 * token and their URLs in block_id_to_image_urls). Other syntax comes back as text.
 * Source: docs/research/feishu-docx-wiki.md §10, §12.
 */
import { randomBytes } from 'crypto';

export interface ConvertedBlock extends Record<string, unknown> {
	block_id: string;
	block_type: number;
	parent_id: string;
	children: string[];
	revision_id: number;
}

const LANGUAGES: Record<string, number> = {
	'': 1,
	plaintext: 1,
	text: 1,
	bash: 7,
	csharp: 8,
	cpp: 9,
	c: 10,
	css: 12,
	dockerfile: 18,
	go: 22,
	html: 24,
	json: 28,
	java: 29,
	javascript: 30,
	js: 30,
	kotlin: 32,
	lua: 36,
	makefile: 38,
	markdown: 39,
	php: 43,
	python: 49,
	py: 49,
	ruby: 52,
	rust: 53,
	sql: 56,
	shell: 60,
	sh: 60,
	swift: 61,
	typescript: 63,
	ts: 63,
	xml: 66,
	yaml: 67,
	toml: 75,
};

interface Style {
	bold?: boolean;
	italic?: boolean;
	strikethrough?: boolean;
	inline_code?: boolean;
	link?: { url: string };
}

/** Inline Markdown as text elements: **bold**, *italic* / _italic_, ~~strike~~, `code`, [text](url), \escapes. */
export function inlineElements(text: string, outer: Style = {}): Array<Record<string, unknown>> {
	const runs: Array<{ content: string; style: Style }> = [];
	const push = (content: string, style: Style) => {
		if (content === '') return;
		const last = runs[runs.length - 1];
		if (last && JSON.stringify(last.style) === JSON.stringify(style)) last.content += content;
		else runs.push({ content, style: { ...style } });
	};
	const style: Style = { ...outer };
	let i = 0;
	let plain = '';
	const flush = () => {
		push(plain, style);
		plain = '';
	};
	while (i < text.length) {
		const rest = text.slice(i);
		if (rest[0] === '\\' && i + 1 < text.length) {
			plain += text[i + 1];
			i += 2;
			continue;
		}
		if (rest[0] === '`') {
			const end = text.indexOf('`', i + 1);
			if (end > i) {
				flush();
				push(text.slice(i + 1, end), { ...style, inline_code: true });
				i = end + 1;
				continue;
			}
		}
		const link = /^\[((?:\\.|[^\]])*)\]\(([^)\s]+)\)/.exec(rest);
		if (link) {
			flush();
			for (const inner of inlineElements(link[1], {
				...style,
				link: { url: encodeURIComponent(link[2]) },
			}))
				runs.push({
					content: String((inner.text_run as { content: string }).content),
					style: (inner.text_run as { text_element_style?: Style }).text_element_style ?? {},
				});
			i += link[0].length;
			continue;
		}
		if (rest.startsWith('**')) {
			flush();
			style.bold = !style.bold || undefined;
			i += 2;
			continue;
		}
		if (rest.startsWith('~~')) {
			flush();
			style.strikethrough = !style.strikethrough || undefined;
			i += 2;
			continue;
		}
		const underscore =
			rest[0] === '_' &&
			(style.italic ? !/\w/.test(text[i + 1] ?? '') : !/\w/.test(text[i - 1] ?? ''));
		if (rest[0] === '*' || underscore) {
			flush();
			style.italic = !style.italic || undefined;
			i += 1;
			continue;
		}
		plain += text[i];
		i += 1;
	}
	flush();
	return runs.map((run) => {
		const clean = Object.fromEntries(Object.entries(run.style).filter(([, v]) => v !== undefined));
		return {
			text_run: {
				content: run.content,
				...(Object.keys(clean).length > 0 ? { text_element_style: clean } : {}),
			},
		};
	});
}

const tempId = () => `tmp${randomBytes(8).toString('hex')}`;

/** Markdown as convert answers it. */
export function convertMarkdown(markdown: string): {
	first_level_block_ids: string[];
	blocks: ConvertedBlock[];
	block_id_to_image_urls: Array<{ block_id: string; image_url: string }>;
} {
	const blocks: ConvertedBlock[] = [];
	const first: string[] = [];
	const images: Array<{ block_id: string; image_url: string }> = [];
	const make = (type: number, data: Record<string, unknown>): ConvertedBlock => {
		const block: ConvertedBlock = {
			block_id: tempId(),
			block_type: type,
			parent_id: '',
			children: [],
			revision_id: 0,
			...data,
		};
		blocks.push(block);
		return block;
	};
	const text = (type: number, key: string, content: string, style: Record<string, unknown> = {}) =>
		make(type, { [key]: { elements: inlineElements(content), style } });
	const lines = markdown.replace(/\r\n/g, '\n').split('\n');
	// Open list items: their indentation and block, innermost last.
	let stack: Array<{ indent: number; block: ConvertedBlock }> = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i];
		if (line.trim() === '') {
			stack = [];
			i++;
			continue;
		}
		const fence = /^\s*```\s*(\S*)\s*$/.exec(line);
		if (fence) {
			const body: string[] = [];
			i++;
			while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i++]);
			i++;
			const block = make(14, {
				code: {
					elements: [{ text_run: { content: body.join('\n') } }],
					style: { language: LANGUAGES[fence[1].toLowerCase()] ?? 1, wrap: false },
				},
			});
			first.push(block.block_id);
			stack = [];
			continue;
		}
		const list = /^(\s*)([-*+]|\d+\.)\s+(?:\[( |x|X)\]\s+)?(.*)$/.exec(line);
		if (list) {
			const indent = list[1].length;
			const todo = list[3] !== undefined;
			const block = todo
				? text(17, 'todo', list[4], { done: list[3].toLowerCase() === 'x' })
				: /\d/.test(list[2])
					? text(13, 'ordered', list[4], { sequence: 'auto' })
					: text(12, 'bullet', list[4]);
			while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
			const parent = stack[stack.length - 1]?.block;
			if (parent) {
				parent.children.push(block.block_id);
				block.parent_id = '';
			} else first.push(block.block_id);
			stack.push({ indent, block });
			i++;
			continue;
		}
		stack = [];
		const heading = /^(#{1,9})\s+(.*)$/.exec(line);
		if (heading) {
			const level = heading[1].length;
			first.push(text(2 + level, `heading${level}`, heading[2]).block_id);
			i++;
			continue;
		}
		const image = /^!\[([^\]]*)\]\(([^)\s]+)\)\s*$/.exec(line);
		if (image) {
			const block = make(27, { image: { width: 240, height: 240, token: '' } });
			images.push({ block_id: block.block_id, image_url: image[2] });
			first.push(block.block_id);
			i++;
			continue;
		}
		if (/^\s*>/.test(line)) {
			const quoted: string[] = [];
			while (i < lines.length && /^\s*>/.test(lines[i]))
				quoted.push(lines[i++].replace(/^\s*> ?/, ''));
			first.push(text(15, 'quote', quoted.join('\n')).block_id);
			continue;
		}
		if (/^\s*\|.*\|\s*$/.test(line) && /^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? '')) {
			const rows: string[][] = [];
			const cellsOf = (row: string) =>
				row
					.trim()
					.replace(/^\||\|$/g, '')
					.split(/(?<!\\)\|/)
					.map((c) => c.trim().replace(/\\\|/g, '|'));
			rows.push(cellsOf(line));
			i += 2;
			while (i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i])) rows.push(cellsOf(lines[i++]));
			const columns = rows[0].length;
			const cellIds: string[] = [];
			const table = make(31, {});
			for (const row of rows) {
				for (let c = 0; c < columns; c++) {
					const cell = make(32, { table_cell: {} });
					const content = text(2, 'text', row[c] ?? '');
					cell.children.push(content.block_id);
					cellIds.push(cell.block_id);
				}
			}
			table.children = cellIds;
			table.table = {
				cells: cellIds,
				property: {
					row_size: rows.length,
					column_size: columns,
					merge_info: cellIds.map(() => ({ row_span: 1, col_span: 1 })),
				},
			};
			first.push(table.block_id);
			continue;
		}
		const paragraph: string[] = [];
		while (
			i < lines.length &&
			lines[i].trim() !== '' &&
			!/^\s*```/.test(lines[i]) &&
			!/^(#{1,9})\s/.test(lines[i]) &&
			!/^(\s*)([-*+]|\d+\.)\s/.test(lines[i]) &&
			!/^\s*>/.test(lines[i])
		)
			paragraph.push(lines[i++]);
		first.push(text(2, 'text', paragraph.join('\n')).block_id);
	}
	return { first_level_block_ids: first, blocks, block_id_to_image_urls: images };
}

/** A small HTML subset (headings, paragraphs, lists, pre, blockquote, b/strong, i/em, code, a) as Markdown. */
export function htmlToMarkdown(html: string): string {
	let md = html.replace(/\r?\n/g, ' ');
	md = md.replace(
		/<pre>\s*<code[^>]*>([\s\S]*?)<\/code>\s*<\/pre>/gi,
		(_m, code: string) => `\n\`\`\`\n${code}\n\`\`\`\n`,
	);
	md = md.replace(
		/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi,
		(_m, n: string, t: string) => `\n${'#'.repeat(Number(n))} ${t}\n`,
	);
	md = md.replace(/<blockquote[^>]*>([\s\S]*?)<\/blockquote>/gi, (_m, t: string) => `\n> ${t}\n`);
	md = md.replace(
		/<ol[^>]*>([\s\S]*?)<\/ol>/gi,
		(_m, t: string) => `\n${t.replace(/<li[^>]*>([\s\S]*?)<\/li>/gi, '1. $1\n')}\n`,
	);
	md = md.replace(
		/<ul[^>]*>([\s\S]*?)<\/ul>/gi,
		(_m, t: string) => `\n${t.replace(/<li[^>]*>([\s\S]*?)<\/li>/gi, '- $1\n')}\n`,
	);
	md = md.replace(/<p[^>]*>([\s\S]*?)<\/p>/gi, '\n$1\n');
	md = md.replace(/<(strong|b)>([\s\S]*?)<\/\1>/gi, '**$2**');
	md = md.replace(/<(em|i)>([\s\S]*?)<\/\1>/gi, '*$2*');
	md = md.replace(/<code>([\s\S]*?)<\/code>/gi, '`$1`');
	md = md.replace(/<a [^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '[$2]($1)');
	md = md.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '');
	return md
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.split('\n')
		.map((l) => l.trim())
		.join('\n');
}
