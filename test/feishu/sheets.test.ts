/**
 * Feishu Sheets (电子表格) through n8n's engine against the fake's real grids: spreadsheets created, read and
 * deleted; rows appended, read, updated by a key and upserted, as n8n's Google Sheets node does them;
 * clear, delete rows and columns, tabs, A1 ranges; the pickers and the column mapper; errors and limits.
 */
import type { IDataObject } from 'n8n-workflow';

import { DRIVE_REPORTS, DRIVE_SHEET } from '../fake-api/feishu-drive';
import { SHEET_BASE, SHEET_EMPTY, SHEET_ORDERS, WIKI_SHEET_NODE } from '../fake-api/feishu-sheets';
import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const id = (value: string) => ({ __rl: true, mode: 'id', value });
const url = (path: string) => ({
	__rl: true,
	mode: 'url',
	value: `https://sandbox.feishu.cn/${path}`,
});
const BOOK = url(`sheets/${DRIVE_SHEET}`);
const auto = { mappingMode: 'autoMapInputData', value: null };
const below = (value: IDataObject, matchingColumns?: string[]) => ({
	mappingMode: 'defineBelow',
	value,
	...(matchingColumns ? { matchingColumns } : {}),
});
const grid = (sheetId = SHEET_ORDERS) => env.fake.sheets.grid(DRIVE_SHEET, sheetId);
const rows = (op: string, sheet: string, rest: IDataObject, items?: IDataObject[]) => ({
	...feishu('sheet', op, { spreadsheet: BOOK, sheet: id(sheet), ...rest }),
	...(items ? { items } : {}),
});

describe('Feishu › Spreadsheet', () => {
	it('creates a spreadsheet in a folder, lists its first sheet, gets it and deletes it (then 1310214)', async () => {
		const created = await env.bench.run(
			feishu('spreadsheet', 'create', { title: 'Q3 orders', folder: id(DRIVE_REPORTS) }),
		);
		expect(env.fake.calls('feishu.spreadsheet.create')[0].body).toEqual({
			title: 'Q3 orders',
			folder_token: DRIVE_REPORTS,
		});
		const book = created.json[0];
		expect(book).toMatchObject({ title: 'Q3 orders', folder_token: DRIVE_REPORTS });
		expect(book.sheets).toEqual([
			expect.objectContaining({
				title: 'Sheet1',
				rowCount: 200,
				columnCount: 20,
				resourceType: 'sheet',
			}),
		]);
		const token = String(book.spreadsheet_token);
		const got = await env.bench.run(feishu('spreadsheet', 'get', { spreadsheet: id(token) }));
		expect(got.json[0]).toMatchObject({ title: 'Q3 orders', token, owner_id: 'ou_1' });
		expect(env.fake.calls('feishu.spreadsheet.get')[0].query).toEqual({ user_id_type: 'open_id' });

		const deleted = await env.bench.run(
			feishu('spreadsheet', 'delete', { spreadsheet: id(token) }),
		);
		expect(deleted.json[0]).toEqual({ spreadsheetToken: token, deleted: true });
		expect(env.fake.calls('feishu.drive.delete')[0].query).toEqual({ type: 'sheet' });
		const gone = await env.bench.run(feishu('spreadsheet', 'get', { spreadsheet: id(token) }));
		expect(gone.error?.message).toMatch(/1310214/);
		expect(gone.error?.description).toMatch(/not found: check its token/);
	});

	it('gets a spreadsheet by its wiki link, with each sheet (a base inside it has no grid)', async () => {
		const got = await env.bench.run(
			feishu('spreadsheet', 'get', { spreadsheet: url(`wiki/${WIKI_SHEET_NODE}`) }),
		);
		expect(env.fake.calls('feishu.wiki.getNode')).toHaveLength(1);
		expect(got.json[0].sheets).toEqual([
			{
				sheetId: SHEET_ORDERS,
				title: 'Orders',
				index: 0,
				hidden: false,
				resourceType: 'sheet',
				rowCount: 200,
				columnCount: 20,
			},
			{
				sheetId: SHEET_EMPTY,
				title: 'Empty',
				index: 1,
				hidden: false,
				resourceType: 'sheet',
				rowCount: 200,
				columnCount: 20,
			},
			{ sheetId: SHEET_BASE, title: 'Base', index: 2, hidden: false, resourceType: 'bitable' },
		]);
	});

	it('a wiki spreadsheet cannot be deleted through Drive: bad input, no request', async () => {
		const run = await env.bench.run(
			feishu('spreadsheet', 'delete', { spreadsheet: url(`wiki/${WIKI_SHEET_NODE}`) }),
		);
		expect(run.error?.message).toMatch(/Invalid "Spreadsheet".*in item 0: a spreadsheet in a wiki/);
		expect(env.fake.calls('feishu.drive.delete')).toHaveLength(0);
	});
});

describe('Feishu › Sheet › Get Rows', () => {
	it('reads rows keyed by the header (a blank header is its letter, a repeated one numbered), dates as ISO text, formulas as results', async () => {
		const run = await env.bench.run(rows('read', SHEET_ORDERS, { returnAll: true }));
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{
				row_number: 2,
				Order: 'A-1',
				Customer: 'Ada',
				Amount: 120,
				Date: '2024-01-05',
				Status: 'paid',
				F: '',
				'Customer (2)': 'x',
			},
			{
				row_number: 3,
				Order: 'A-2',
				Customer: 'Grace',
				Amount: 80.5,
				Date: '2024-01-06',
				Status: 'open',
				F: '',
				'Customer (2)': '',
			},
			{
				row_number: 4,
				Order: 'A-3',
				Customer: 'Linus',
				Amount: 200.5,
				Date: '2024-01-07T12:00:00',
				Status: 'open',
				F: '',
				'Customer (2)': '',
			},
		]);
		const reads = env.fake.calls('feishu.sheet.readRange');
		// The header (once per run), then the data in one block up to the grid's last row.
		expect(reads.map((c) => decodeURIComponent(c.path.split('/values/')[1]))).toEqual([
			`${SHEET_ORDERS}!A1:T1`,
			`${SHEET_ORDERS}!A2:G200`,
		]);
		expect(reads[1].query).toEqual({
			valueRenderOption: 'UnformattedValue',
			dateTimeRenderOption: 'FormattedString',
			user_id_type: 'open_id',
		});
	});

	it('raw values give serial dates, formulas give formulas, as shown gives the sheet’s date text', async () => {
		const read = async (valueRender: string) =>
			(
				await env.bench.run(
					rows('read', SHEET_ORDERS, { returnAll: true, options: { valueRender } }),
				)
			).json[2];
		expect(await read('raw')).toMatchObject({ Amount: 200.5, Date: 45298.5 });
		expect(await read('formula')).toMatchObject({ Amount: '=C2+C3', Date: 45298.5 });
		expect(await read('formatted')).toMatchObject({ Amount: 200.5, Date: '2024/01/07 12:00:00' });
	});

	it('filters on column values (all, or any), stops at the Limit, reads a range of columns, and by the sheet’s name', async () => {
		const open = await env.bench.run(
			rows('read', SHEET_ORDERS, {
				returnAll: true,
				filters: { conditions: [{ column: 'Status', value: 'open' }] },
			}),
		);
		expect(open.json.map((r) => r.Order)).toEqual(['A-2', 'A-3']);
		const any = await env.bench.run(
			rows('read', SHEET_ORDERS, {
				returnAll: true,
				filters: {
					conditions: [
						{ column: 'Order', value: 'A-1' },
						{ column: 'Customer', value: 'Linus' },
					],
				},
				options: { anyFilter: true },
			}),
		);
		expect(any.json.map((r) => r.Order)).toEqual(['A-1', 'A-3']);
		const one = await env.bench.run(rows('read', SHEET_ORDERS, { limit: 1 }));
		expect(one.json).toHaveLength(1);
		const byName = await env.bench.run({
			...feishu('sheet', 'read', {
				spreadsheet: BOOK,
				sheet: { __rl: true, mode: 'name', value: 'Orders' },
				returnAll: true,
				options: { range: 'B:C' },
			}),
		});
		expect(byName.json[0]).toEqual({ row_number: 2, Customer: 'Ada', Amount: 120 });
	});

	it('a filter on a column the header lacks, a sheet that does not exist, a base inside the spreadsheet: bad input naming the field', async () => {
		const filter = await env.bench.run(
			rows('read', SHEET_ORDERS, { filters: { conditions: [{ column: 'Nope', value: '1' }] } }),
		);
		expect(filter.error?.message).toMatch(/Invalid "Filters".*"Nope" is not a column/);
		const reads = env.fake.calls('feishu.sheet.readRange').length;
		const missing = await env.bench.run(rows('read', 'zzz999', {}));
		expect(missing.error?.message).toMatch(
			/Invalid "Sheet".*no sheet with the ID or name "zzz999"; its sheets are "Orders" \(a1b2c3\)/,
		);
		const base = await env.bench.run(rows('read', SHEET_BASE, {}));
		expect(base.error?.message).toMatch(/"Base" is a bitable, not a sheet of cells/);
		expect(env.fake.calls('feishu.sheet.readRange')).toHaveLength(reads);
	});

	it('a spreadsheet not shared with the app: 90213, saying how to add the app', async () => {
		env.fake.drive.nodes.get(DRIVE_SHEET)!.shared = false;
		const run = await env.bench.run(rows('readRange', SHEET_ORDERS, { range: 'A1:B2' }));
		expect(run.error?.message).toMatch(/1310213/);
		expect(run.error?.description).toMatch(/添加文档应用/);
	});
});

describe('Feishu › Sheet › Append', () => {
	it('appends items after the last row, matched to the header; ISO dates written as serial numbers, "=" as formulas, extra fields ignored', async () => {
		const run = await env.bench.run(
			rows('append', SHEET_ORDERS, { columns: auto }, [
				{ Order: 'A-4', Customer: 'Ken', Amount: '5', Date: '2024-02-01', Extra: 'x' },
				{ Order: 'A-5', Amount: '=C2*2', Status: 'open' },
			]),
		);
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{ row_number: 5, Order: 'A-4', Customer: 'Ken', Amount: '5', Date: '2024-02-01' },
			{ row_number: 6, Order: 'A-5', Amount: '=C2*2', Status: 'open' },
		]);
		const [call] = env.fake.calls('feishu.sheet.append');
		expect(call.query).toEqual({ insertDataOption: 'INSERT_ROWS' });
		expect(call.body).toEqual({
			valueRange: {
				range: `${SHEET_ORDERS}!A2:G3`,
				values: [
					['A-4', 'Ken', 5, 45323, '', '', ''],
					['A-5', '', { type: 'formula', text: '=C2*2' }, '', 'open', '', ''],
				],
			},
		});
		expect(grid().slice(4)).toEqual([
			['A-4', 'Ken', 5, 45323, null, null, null],
			['A-5', null, { type: 'formula', text: '=C2*2' }, null, 'open', null, null],
		]);
	});

	it('a field the sheet lacks fails the item before any write when asked; raw values stay text', async () => {
		const strict = await env.bench.run(
			rows('append', SHEET_ORDERS, { columns: auto, options: { extraFields: 'error' } }, [
				{ Order: 'A-4' },
				{ Order: 'A-5', Colour: 'red' },
			]),
		);
		expect(strict.error?.message).toMatch(
			/Invalid "Columns" \(columns\) in item 1: column "Colour": is not a column of the header row/,
		);
		expect(env.fake.calls('feishu.sheet.append')).toHaveLength(0);
		await env.bench.run(
			rows('append', SHEET_ORDERS, {
				columns: below({ Order: '007', Amount: '12' }),
				options: { cellValues: 'raw' },
			}),
		);
		expect(grid()[4].slice(0, 3)).toEqual(['007', null, '12']);
	});

	it('an empty sheet gets its header from the first item, then the rows', async () => {
		const run = await env.bench.run(
			rows('append', SHEET_EMPTY, { columns: auto }, [
				{ Name: 'Ada', Score: 3 },
				{ Score: 4, Name: 'Alan' },
			]),
		);
		expect(run.json.map((r) => r.row_number)).toEqual([2, 3]);
		expect(grid(SHEET_EMPTY)).toEqual([
			['Name', 'Score'],
			['Ada', 3],
			['Alan', 4],
		]);
	});

	it('10,000 rows go in calls of 5,000 and read back equal', async () => {
		const items = Array.from({ length: 10_000 }, (_, i) => ({ Name: `n${i}`, Score: i }));
		const run = await env.bench.run(rows('append', SHEET_EMPTY, { columns: auto }, items));
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(10_000);
		expect(run.json[9999]).toEqual({ row_number: 10_001, Name: 'n9999', Score: 9999 });
		const appends = env.fake.calls('feishu.sheet.append');
		expect(
			appends.map(
				(c) => (c.body as { valueRange: { values: unknown[] } }).valueRange.values.length,
			),
		).toEqual([5000, 5000]);
		const back = await env.bench.run(rows('read', SHEET_EMPTY, { returnAll: true }));
		expect(back.json).toEqual(items.map((item, i) => ({ row_number: i + 2, ...item })));
	});

	it('two executions appending at once lose no row, and a write refused as concurrent (90235) is waited out', async () => {
		env.fake.faults.latencyMs = 5;
		const batch = (tag: string) =>
			Array.from({ length: 300 }, (_, i) => ({ Order: `${tag}-${i}`, Amount: i }));
		const [a, b] = await Promise.all([
			env.bench.run(rows('append', SHEET_ORDERS, { columns: auto }, batch('x'))),
			env.bench.run(rows('append', SHEET_ORDERS, { columns: auto }, batch('y'))),
		]);
		expect(a.error ?? b.error).toBeUndefined();
		const orders = grid()
			.slice(4)
			.map((r) => r[0]);
		expect(orders).toHaveLength(600);
		expect(new Set(orders).size).toBe(600);
		// Another client's write still in flight: Feishu answers 90235 and writes nothing.
		env.fake.sheets.spreadsheets.get(DRIVE_SHEET)!.busyUntil = Date.now() + 300;
		const later = await env.bench.run(
			rows('append', SHEET_ORDERS, { columns: auto }, [{ Order: 'z' }]),
		);
		expect(later.error).toBeUndefined();
		expect(env.fake.sheets.writeConflicts).toBeGreaterThanOrEqual(1);
		expect(grid().filter((r) => r[0] === 'z')).toHaveLength(1);
	});

	it('an append whose answer is lost is not sent again, and says which rows may be in the sheet', async () => {
		env.fake.faults.loseAnswers['feishu.sheet.append'] = 1;
		const run = await env.bench.run(
			rows('append', SHEET_ORDERS, { columns: auto }, [{ Order: 'A-4' }, { Order: 'A-5' }]),
		);
		expect(run.error?.description).toMatch(/outcome is unknown/);
		expect(run.error?.description).toMatch(
			/The 2 row\(s\) of items 0–1 may already be in sheet "Orders"/,
		);
		expect(env.fake.calls('feishu.sheet.append')).toHaveLength(1);
		expect(grid().filter((r) => r[0] === 'A-4')).toHaveLength(1);
	});
});

describe('Feishu › Sheet › Update and Append or Update', () => {
	it('update by a key: 1 match updates that row, 2 matches update both, 0 fails the item alone; the key column is read once', async () => {
		await env.bench.run(
			rows('writeRange', SHEET_ORDERS, { range: 'A5', values: '[["A-2", "Dup"]]' }),
		);
		const before = env.fake.calls('feishu.sheet.readRange').length;
		const run = await env.bench.run({
			...rows('update', SHEET_ORDERS, { columns: { ...auto, matchingColumns: ['Order'] } }, [
				{ Order: 'A-1', Status: 'shipped' },
				{ Order: 'A-2', Status: 'void' },
				{ Order: 'Z-9', Status: 'x' },
			]),
			continueOnFail: true,
		});
		expect(run.json[0]).toEqual({ row_number: 2, Order: 'A-1', Status: 'shipped' });
		expect(run.json[1]).toEqual({
			row_number: 3,
			matched_rows: [3, 5],
			Order: 'A-2',
			Status: 'void',
		});
		expect(run.json[2].error).toMatch(
			/No row of sheet "Orders" has "Z-9" in column "Order" \(item 2\)/,
		);
		expect(grid().map((r) => r[4])).toEqual(['Status', 'shipped', 'void', 'open', 'void']);
		// The other columns are left as they were.
		expect(grid()[1].slice(0, 4)).toEqual(['A-1', 'Ada', 120, 45296]);
		const reads = env.fake.calls('feishu.sheet.readRange').slice(before);
		expect(reads.map((c) => decodeURIComponent(c.path.split('/values/')[1]))).toEqual([
			`${SHEET_ORDERS}!A1:T1`,
			`${SHEET_ORDERS}!A2:A200`,
		]);
		const [write] = env.fake.calls('feishu.sheet.writeRanges');
		expect(write.body).toEqual({
			valueRanges: [
				{ range: `${SHEET_ORDERS}!A2:A2`, values: [['A-1']] },
				{ range: `${SHEET_ORDERS}!E2:E2`, values: [['shipped']] },
				{ range: `${SHEET_ORDERS}!A3:A3`, values: [['A-2']] },
				{ range: `${SHEET_ORDERS}!E3:E3`, values: [['void']] },
				{ range: `${SHEET_ORDERS}!A5:A5`, values: [['A-2']] },
				{ range: `${SHEET_ORDERS}!E5:E5`, values: [['void']] },
			],
		});
	});

	it('append or update: matches update, new keys append, a key new in this run twice gives one row; the key column is read once for 1,000 items', async () => {
		const items = [
			{ Order: 'A-3', Status: 'paid' },
			{ Order: 'N-1', Customer: 'New', Amount: 1 },
			{ Order: 'N-1', Status: 'late' },
			...Array.from({ length: 997 }, (_, i) => ({ Order: `B-${i}`, Amount: i })),
		];
		const run = await env.bench.run(
			rows(
				'appendOrUpdate',
				SHEET_ORDERS,
				{ columns: { ...auto, matchingColumns: ['Order'] } },
				items,
			),
		);
		expect(run.error).toBeUndefined();
		expect(run.json.slice(0, 3)).toEqual([
			{ row_number: 4, Order: 'A-3', Status: 'paid' },
			{ row_number: 5, Order: 'N-1', Customer: 'New', Amount: 1 },
			{ row_number: 5, Order: 'N-1', Status: 'late' },
		]);
		expect(grid()[4].slice(0, 5)).toEqual(['N-1', 'New', 1, null, 'late']);
		expect(grid()).toHaveLength(4 + 1 + 997);
		expect(env.fake.calls('feishu.sheet.readRange')).toHaveLength(2);
		expect(env.fake.calls('feishu.sheet.append')).toHaveLength(1);
		// Run again: every key now matches, nothing is appended.
		const again = await env.bench.run(
			rows(
				'appendOrUpdate',
				SHEET_ORDERS,
				{ columns: { ...auto, matchingColumns: ['Order'] } },
				items.slice(3, 10),
			),
		);
		expect(again.json.map((r) => r.row_number)).toEqual([6, 7, 8, 9, 10, 11, 12]);
		expect(env.fake.calls('feishu.sheet.append')).toHaveLength(1);
	});

	it('Map Each Column Below with a key, and a key column the header lacks is bad input', async () => {
		const run = await env.bench.run(
			rows('update', SHEET_ORDERS, { columns: below({ Order: 'A-2', Amount: '99' }, ['Order']) }),
		);
		expect(run.json[0]).toEqual({ row_number: 3, Order: 'A-2', Amount: '99' });
		expect(grid()[2][2]).toBe(99);
		const bad = await env.bench.run(
			rows('update', SHEET_ORDERS, { columns: below({ Order: 'A-2' }, ['Colour']) }),
		);
		expect(bad.error?.message).toMatch(
			/Invalid "Column to Match On".*"Colour" is not in the header row/,
		);
	});
});

describe('Feishu › Sheet › Clear, Delete, tabs and ranges', () => {
	it('clears the whole sheet keeping the header, or a range', async () => {
		const range = await env.bench.run(
			rows('clear', SHEET_ORDERS, { clear: 'range', range: 'B2:C3' }),
		);
		expect(range.json[0]).toMatchObject({ cleared: `${SHEET_ORDERS}!B2:C3` });
		expect(grid()[1].slice(0, 3)).toEqual(['A-1', null, null]);
		await env.bench.run(rows('clear', SHEET_ORDERS, { clear: 'wholeSheet', keepHeader: true }));
		expect(grid()).toEqual([['Order', 'Customer', 'Amount', 'Date', 'Status', null, 'Customer']]);
		const [call] = env.fake.calls('feishu.sheet.writeRange').slice(-1);
		expect((call.body as { valueRange: { range: string } }).valueRange.range).toBe(
			`${SHEET_ORDERS}!A2:T200`,
		);
	});

	it('deletes rows and columns by position; deleting every row is bad input before any request', async () => {
		const run = await env.bench.run(
			rows('delete', SHEET_ORDERS, { toDelete: 'rows', startRow: 2, count: 2 }),
		);
		expect(run.json[0]).toMatchObject({ majorDimension: 'ROWS', startIndex: 2, deleted: 2 });
		expect(env.fake.calls('feishu.sheet.deleteDimension')[0].body).toEqual({
			dimension: { sheetId: SHEET_ORDERS, majorDimension: 'ROWS', startIndex: 2, endIndex: 3 },
		});
		expect(grid().map((r) => r[0])).toEqual(['Order', 'A-3']);
		await env.bench.run(
			rows('delete', SHEET_ORDERS, { toDelete: 'columns', startColumn: 'B', count: 3 }),
		);
		expect(grid()[0]).toEqual(['Order', 'Status', null, 'Customer']);
		const all = await env.bench.run(
			rows('delete', SHEET_ORDERS, { toDelete: 'rows', startRow: 1, count: 198 }),
		);
		expect(all.error?.message).toMatch(/Invalid "Number to Delete".*keeps at least one row/);
		const past = await env.bench.run(
			rows('delete', SHEET_ORDERS, { toDelete: 'columns', startColumn: 'Q', count: 5 }),
		);
		expect(past.error?.message).toMatch(/the sheet has 17 columns; 5 from Q go past its end/);
		expect(env.fake.calls('feishu.sheet.deleteDimension')).toHaveLength(2);
	});

	it('adds a tab and removes it; a title with ":" is bad input; a title in use is 90210', async () => {
		const added = await env.bench.run(
			feishu('sheet', 'create', { spreadsheet: BOOK, title: 'July', index: 1 }),
		);
		expect(env.fake.calls('feishu.sheet.batchUpdate')[0].body).toEqual({
			requests: [{ addSheet: { properties: { title: 'July', index: 1 } } }],
		});
		const sheetId = String(added.json[0].sheetId);
		expect(added.json[0]).toMatchObject({ title: 'July', index: 1 });
		const removed = await env.bench.run(
			feishu('sheet', 'remove', { spreadsheet: BOOK, sheet: id(sheetId) }),
		);
		expect(removed.json[0]).toMatchObject({ sheetId, title: 'July', deleted: true });
		expect(env.fake.sheets.spreadsheets.get(DRIVE_SHEET)!.sheets.map((s) => s.title)).toEqual([
			'Orders',
			'Empty',
			'Base',
		]);
		const colon = await env.bench.run(
			feishu('sheet', 'create', { spreadsheet: BOOK, title: 'a:b' }),
		);
		expect(colon.error?.message).toMatch(/Invalid "Title".*must not contain/);
		const taken = await env.bench.run(
			feishu('sheet', 'create', { spreadsheet: BOOK, title: 'Orders' }),
		);
		expect(taken.error?.message).toMatch(/90210/);
		expect(taken.error?.description).toMatch(/already exists/);
	});

	it('reads a range as a 2-D array, and writes one past the grid (rows added first)', async () => {
		const read = await env.bench.run(rows('readRange', SHEET_ORDERS, { range: 'A1:C2' }));
		expect(read.json[0]).toEqual({
			spreadsheetToken: DRIVE_SHEET,
			sheetId: SHEET_ORDERS,
			range: `${SHEET_ORDERS}!A1:C2`,
			values: [
				['Order', 'Customer', 'Amount'],
				['A-1', 'Ada', 120],
			],
		});
		const written = await env.bench.run(
			rows('writeRange', SHEET_EMPTY, {
				range: 'B199',
				values: '[["a", 1], ["b", 2], ["c", "=B199"]]',
			}),
		);
		expect(written.json[0]).toMatchObject({
			updatedRange: `${SHEET_EMPTY}!B199:C201`,
			updatedCells: 6,
		});
		expect(env.fake.calls('feishu.sheet.addDimension')[0].body).toEqual({
			dimension: { sheetId: SHEET_EMPTY, majorDimension: 'ROWS', length: 1 },
		});
		expect(grid(SHEET_EMPTY).slice(198)).toEqual([
			[null, 'a', 1],
			[null, 'b', 2],
			[null, 'c', { type: 'formula', text: '=B199' }],
		]);
		const bad = await env.bench.run(
			rows('writeRange', SHEET_EMPTY, { range: 'B2:C2', values: '[["a", 1], ["b", 2]]' }),
		);
		expect(bad.error?.message).toMatch(/Invalid "Values".*2 rows × 2 columns do not fit in B2:C2/);
	});
});

describe('Feishu › Sheet › editor', () => {
	it('the sheet picker lists the grid sheets; the column mapper offers the header row', async () => {
		const picked = (await env.bench.loadOptions('feishu', 'listSearch', 'searchSheets', {
			resource: 'sheet',
			operation: 'read',
			spreadsheet: BOOK,
		})) as { results: Array<{ name: string; value: string }> };
		expect(picked.results).toEqual([
			{ name: 'Orders', value: SHEET_ORDERS },
			{ name: 'Empty', value: SHEET_EMPTY },
		]);
		const columns = (await env.bench.loadOptions('feishu', 'resourceMapping', 'getSheetColumns', {
			resource: 'sheet',
			operation: 'append',
			spreadsheet: BOOK,
			sheet: id(SHEET_ORDERS),
		})) as { fields: Array<{ id: string }> };
		expect(columns.fields.map((f) => f.id)).toEqual([
			'Order',
			'Customer',
			'Amount',
			'Date',
			'Status',
			'F',
			'Customer (2)',
		]);
	});
});
