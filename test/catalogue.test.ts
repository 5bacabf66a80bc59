/**
 * Every operation of every action node is complete: a row in its platform's operations page, a pacing
 * lane with the documented limit and the page that states it, and the documented meanings of its API's
 * error codes. (That a unit test runs each one against the fake is checked after a whole run of the suite,
 * from the catalogue this test writes out: catalogue-teardown.ts.) A new operation cannot land half done.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { PER_PATH } from '../nodes/shared/types';
import type { CatalogueEntry } from './catalogue';
import { catalogue, writeCatalogue } from './catalogue';

const PAGES: Record<CatalogueEntry['node'], string> = {
	dingTalk: 'docs/dingtalk.md',
	feishu: 'docs/feishu.md',
};

/** The Resource and Operation cells of every row of the page's operations tables (headed Resource | Operation). */
function tableRows(page: string): Array<[string, string]> {
	const rows: Array<[string, string]> = [];
	let operationsTable = false;
	for (const line of readFileSync(join(__dirname, '..', page), 'utf8').split('\n')) {
		if (!line.startsWith('|')) {
			operationsTable = false;
			continue;
		}
		if (/^\|\s*:?-/.test(line)) continue;
		const cells = line.split('|').map((cell) => cell.trim());
		if (cells[1] === 'Resource' && cells[2] === 'Operation') operationsTable = true;
		else if (operationsTable) rows.push([cells[1], cells[2]]);
	}
	return rows;
}

const entries = catalogue();
const raw = (e: CatalogueEntry) => e.operation.lane === PER_PATH;

describe('the catalogue', () => {
	it('has both action nodes and every identity, and every operation once (written out for the global teardown)', () => {
		expect(entries.length).toBeGreaterThanOrEqual(97);
		expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
		writeCatalogue();
	});

	it.each(Object.entries(PAGES))(
		'%s: one row per operation in %s (Resource and Operation as the node names them), none for an operation it lacks',
		(node, page) => {
			const rows = tableRows(page).map(([resource, operation]) => `${resource} › ${operation}`);
			const offered = [
				...new Set(
					entries
						.filter((e) => e.node === node)
						.map((e) => `${e.resource.name} › ${e.operation.name}`),
				),
			];
			expect(offered.filter((o) => !rows.includes(o))).toEqual([]);
			expect(rows.filter((r) => !offered.includes(r))).toEqual([]);
			expect(rows.filter((r, i) => rows.indexOf(r) !== i)).toEqual([]);
		},
	);

	it('every operation has a pacing lane with its documented limit and the page that states it (raw API calls pace per path)', () => {
		const missing = entries.filter((e) => {
			if (raw(e)) return e.resource.value !== 'apiRequest';
			const { limit } = e.operation.lane as Exclude<typeof e.operation.lane, string>;
			const windows = [limit.perSecond, limit.perMinute].filter((n) => n !== undefined);
			return (
				!/^https:\/\//.test(limit.doc) ||
				windows.length === 0 ||
				windows.some((n) => !(Number(n) > 0))
			);
		});
		expect(missing.map((e) => e.key)).toEqual([]);
	});

	it('every Feishu operation declares whose identity its page allows (the app, a user, or both), and is offered under those only', () => {
		const feishu = entries.filter((e) => e.node === 'feishu' && e.authentication !== 'customBot');
		expect(feishu.filter((e) => e.operation.actsAs === undefined).map((e) => e.key)).toEqual([]);
		const misplaced = feishu.filter(
			(e) => !e.operation.actsAs?.includes(e.authentication === 'oAuth2' ? 'user' : 'app'),
		);
		expect(misplaced.map((e) => e.key)).toEqual([]);
		expect(feishu.some((e) => e.authentication === 'oAuth2')).toBe(true);
	});

	it("every operation lists its API's documented error codes with their meanings (a raw API call has none of its own)", () => {
		const missing = entries.filter((e) => {
			const meanings = Object.entries(e.operation.errors);
			if (raw(e)) return meanings.length > 0;
			return (
				meanings.length === 0 ||
				meanings.some(([code, meaning]) => code.trim() === '' || meaning.trim().length < 3)
			);
		});
		expect(missing.map((e) => e.key)).toEqual([]);
	});
});
