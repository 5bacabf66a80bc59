/**
 * The docs show values the node computes; each shown value is computed here by the node's own code, so a
 * wrong example fails (the Bitable type table once gave 2026-12-01T09:00:00Z as 2025-12-01's milliseconds).
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type { BitableField } from '../nodes/Feishu/resources/bitable/common';
import { fromApiValue, toApiValue } from '../nodes/Feishu/resources/bitable/values';

const page = (name: string) => readFileSync(join(__dirname, '..', 'docs', name), 'utf8');

/** The cells of the table row that starts with `first`. */
function row(text: string, first: string): string[] {
	const line = text.split('\n').find((l) => l.startsWith(`| ${first} |`));
	if (!line) throw new Error(`no row "${first}"`);
	return line.split('|').map((cell) => cell.trim());
}

describe('docs/feishu.md, the Bitable type table', () => {
	it('Date (5): the example input is sent as the milliseconds shown, and read back as the ISO text shown', () => {
		const [, , input, sent, read] = row(page('feishu.md'), 'Date (5)');
		const iso = /`([0-9T:.-]+Z)`/.exec(input)![1];
		const shownMs = Number(/`(\d+)`/.exec(sent)![1]);
		const shownRead = /`([0-9T:.-]+Z)`/.exec(read)![1];
		const field: BitableField = { field_id: 'fld1', field_name: 'Due', type: 5 };
		const fail = (problem: string): never => {
			throw new Error(problem);
		};
		expect(toApiValue(field, iso, { allowNewOptions: false }, fail)).toBe(shownMs);
		expect(fromApiValue(field, shownMs)).toBe(shownRead);
		expect(new Date(shownMs).toISOString()).toBe(shownRead);
	});
});
