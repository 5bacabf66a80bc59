/**
 * DingTalk workbooks (钉钉表格) through n8n's engine against the fake's real grids: the same rows model as
 * Feishu Sheets over DingTalk's workbook APIs, with the operator's unionId every call carries.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DING_SHEET_EMPTY,
	DING_SHEET_ORDERS,
	DING_WORKBOOK,
	DING_WORKSPACE,
} from '../fake-api/dingtalk-workbook';
import { USERS } from '../fake-api/server';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const id = (value: string) => ({ __rl: true, mode: 'id', value });
const BOOK = {
	__rl: true,
	mode: 'url',
	value: `https://alidocs.dingtalk.com/i/nodes/${DING_WORKBOOK}`,
};
const auto = { mappingMode: 'autoMapInputData', value: null };
const grid = (sheet = DING_SHEET_ORDERS) => env.fake.workbooks.grid(DING_WORKBOOK, sheet);
const op = (operation: string, sheet: string, rest: IDataObject, items?: IDataObject[]) => ({
	...ding('workbookSheet', operation, {
		unionId: USERS.member,
		workbook: BOOK,
		sheet: id(sheet),
		...rest,
	}),
	...(items ? { items } : {}),
});
const path = (call: { path: string }) => decodeURIComponent(call.path);

describe('DingTalk › Workbook', () => {
	it('creates a workbook in a knowledge base (operatorId in the body), then gets it with its sheets', async () => {
		const created = await env.bench.run(
			ding('workbook', 'create', { unionId: USERS.admin, workspaceId: DING_WORKSPACE, name: 'Q3' }),
		);
		expect(env.fake.calls('dingtalk.workbook.create')[0].body).toEqual({
			name: 'Q3',
			docType: 'WORKBOOK',
			operatorId: USERS.admin,
		});
		const workbookId = String(created.json[0].workbookId);
		expect(created.json[0].dentryUuid).toBe(workbookId);
		const got = await env.bench.run(
			ding('workbook', 'get', { unionId: USERS.admin, workbook: id(workbookId) }),
		);
		expect(got.json[0]).toMatchObject({ workbookId, name: 'Q3', category: 'ALIDOC' });
		expect(got.json[0].sheets).toEqual([
			expect.objectContaining({
				name: 'Sheet1',
				rowCount: 200,
				columnCount: 40,
				lastRowWithData: 0,
			}),
		]);
		expect(env.fake.calls('dingtalk.workbookSheet.get')[0].query).toEqual({
			operatorId: USERS.admin,
		});
	});

	it('an operator without access: forbidden.accessDenied with what to do; a name in use: nameConflict', async () => {
		const denied = await env.bench.run(
			ding('workbook', 'get', { unionId: USERS.guest, workbook: BOOK }),
		);
		expect(denied.error?.message).toMatch(/forbidden\.accessDenied/);
		expect(denied.error?.description).toMatch(/add them as a collaborator/);
		const taken = await env.bench.run(
			ding('workbook', 'create', {
				unionId: USERS.admin,
				workspaceId: DING_WORKSPACE,
				name: 'Orders book',
			}),
		);
		expect(taken.error?.description).toMatch(/already exists/);
	});
});

describe('DingTalk › Workbook Sheet', () => {
	it('reads rows keyed by the header, only as far as the last row with data', async () => {
		const run = await env.bench.run(op('read', DING_SHEET_ORDERS, { returnAll: true }));
		expect(run.json).toEqual([
			{ row_number: 2, Order: 'A-1', Customer: 'Ada', Amount: 120, Status: 'paid' },
			{ row_number: 3, Order: 'A-2', Customer: 'Grace', Amount: 80.5, Status: 'open' },
		]);
		const reads = env.fake.calls('dingtalk.workbookSheet.readRange');
		expect(reads.map(path).map((p) => p.split('/ranges/')[1])).toEqual(['A1:D1', 'A2:D3']);
		expect(reads[1].query).toEqual({ operatorId: USERS.member, select: 'values' });
		const shown = await env.bench.run(
			op('read', DING_SHEET_ORDERS, { returnAll: true, options: { valueRender: 'formatted' } }),
		);
		expect(shown.json[0]).toMatchObject({ Amount: '120' });
	});

	it('a header with blank and repeated names: a blank is its letter, a repeat is numbered', async () => {
		await env.bench.run(
			op('writeRange', DING_SHEET_ORDERS, { range: 'F1', values: '[["", "Order"]]' }),
		);
		await env.bench.run(op('writeRange', DING_SHEET_ORDERS, { range: 'G2', values: '[["x"]]' }));
		const run = await env.bench.run(op('read', DING_SHEET_ORDERS, { limit: 1 }));
		expect(run.json).toEqual([
			{
				row_number: 2,
				Order: 'A-1',
				Customer: 'Ada',
				Amount: 120,
				Status: 'paid',
				E: '',
				F: '',
				'Order (2)': 'x',
			},
		]);
	});

	it('appends after the last row with data, as text (numbers, formulas and ISO dates as typed); an empty sheet gets its header first', async () => {
		const run = await env.bench.run(
			op('append', DING_SHEET_ORDERS, { columns: auto }, [
				{ Order: 'A-3', Amount: 5, Status: '=C2+C3' },
				{ Order: 'A-4', Customer: 'Ken', Extra: 'x' },
			]),
		);
		expect(run.json).toEqual([
			{ row_number: 4, Order: 'A-3', Amount: 5, Status: '=C2+C3' },
			{ row_number: 5, Order: 'A-4', Customer: 'Ken' },
		]);
		expect(env.fake.calls('dingtalk.workbookSheet.append')[0].body).toEqual({
			values: [
				['A-3', '', '5', '=C2+C3'],
				['A-4', 'Ken', '', ''],
			],
		});
		const back = await env.bench.run(op('read', DING_SHEET_ORDERS, { returnAll: true }));
		expect(back.json[2]).toEqual({
			row_number: 4,
			Order: 'A-3',
			Customer: '',
			Amount: 5,
			Status: 200.5,
		});

		await env.bench.run(
			op('append', DING_SHEET_EMPTY, { columns: auto }, [{ Name: 'Ada', Joined: '2024-01-05' }]),
		);
		expect(grid(DING_SHEET_EMPTY)).toEqual([
			['Name', 'Joined'],
			['Ada', '2024-01-05'],
		]);
		const dates = await env.bench.run(op('read', DING_SHEET_EMPTY, { returnAll: true }));
		expect(dates.json).toEqual([{ row_number: 2, Name: 'Ada', Joined: '2024-01-05' }]);
	});

	it('10,000 rows go in appends of 5,000 and read back equal in blocks', async () => {
		const items = Array.from({ length: 10_000 }, (_, i) => ({ Name: `n${i}`, Score: i }));
		const run = await env.bench.run(op('append', DING_SHEET_EMPTY, { columns: auto }, items));
		expect(run.error).toBeUndefined();
		expect(run.json[9999]).toEqual({ row_number: 10_001, Name: 'n9999', Score: 9999 });
		expect(env.fake.calls('dingtalk.workbookSheet.append')).toHaveLength(2);
		const back = await env.bench.run(op('read', DING_SHEET_EMPTY, { returnAll: true }));
		expect(back.json).toEqual(items.map((item, i) => ({ row_number: i + 2, ...item })));
		// 10,000 data rows × 2 columns, in blocks of at most 5,000 rows.
		expect(
			env.fake
				.calls('dingtalk.workbookSheet.readRange')
				.slice(-2)
				.map(path)
				.map((p) => p.split('/ranges/')[1]),
		).toEqual(['A2:B5001', 'A5002:B10001']);
	});

	it('two executions appending at once lose no row', async () => {
		env.fake.faults.latencyMs = 5;
		const batch = (tag: string) =>
			Array.from({ length: 200 }, (_, i) => ({ Order: `${tag}-${i}` }));
		const [a, b] = await Promise.all([
			env.bench.run(op('append', DING_SHEET_ORDERS, { columns: auto }, batch('x'))),
			env.bench.run(op('append', DING_SHEET_ORDERS, { columns: auto }, batch('y'))),
		]);
		expect(a.error ?? b.error).toBeUndefined();
		const orders = grid()
			.slice(3)
			.map((r) => r[0]);
		expect(orders).toHaveLength(400);
		expect(new Set(orders).size).toBe(400);
	});

	it('an append whose answer is lost is not sent again, and says which rows may be in the sheet', async () => {
		env.fake.faults.loseAnswers['dingtalk.workbookSheet.append'] = 1;
		const run = await env.bench.run(
			op('append', DING_SHEET_ORDERS, { columns: auto }, [{ Order: 'A-9' }]),
		);
		expect(run.error?.description).toMatch(/outcome is unknown/);
		expect(run.error?.description).toMatch(
			/The 1 row\(s\) of items 0–0 may already be in sheet "Orders"/,
		);
		expect(env.fake.calls('dingtalk.workbookSheet.append')).toHaveLength(1);
	});

	it('update by a key: 1 and 2 matches update them (consecutive rows in one write), 0 fails the item alone', async () => {
		await env.bench.run(
			op('writeRange', DING_SHEET_ORDERS, { range: 'A4', values: '[["A-2", "Dup"]]' }),
		);
		const run = await env.bench.run({
			...op('update', DING_SHEET_ORDERS, { columns: { ...auto, matchingColumns: ['Order'] } }, [
				{ Order: 'A-1', Status: 'shipped' },
				{ Order: 'A-2', Status: 'void' },
				{ Order: 'Z-9', Status: 'x' },
			]),
			continueOnFail: true,
		});
		expect(run.json[0]).toEqual({ row_number: 2, Order: 'A-1', Status: 'shipped' });
		expect(run.json[1]).toEqual({
			row_number: 3,
			matched_rows: [3, 4],
			Order: 'A-2',
			Status: 'void',
		});
		expect(run.json[2].error).toMatch(/No row of sheet "Orders" has "Z-9" in column "Order"/);
		expect(grid().map((r) => r[3])).toEqual(['Status', 'shipped', 'void', 'void']);
		expect(grid()[3][1]).toBe('Dup');
		const writes = env.fake.calls('dingtalk.workbookSheet.writeRange').slice(1);
		expect(writes.map((c) => [path(c).split('/ranges/')[1], c.body])).toEqual([
			['A2:A4', { values: [['A-1'], ['A-2'], ['A-2']] }],
			['D2:D4', { values: [['shipped'], ['void'], ['void']] }],
		]);
	});

	it('append or update: matches update, new keys append once; the key column is read once', async () => {
		const run = await env.bench.run(
			op(
				'appendOrUpdate',
				DING_SHEET_ORDERS,
				{ columns: { ...auto, matchingColumns: ['Order'] } },
				[
					{ Order: 'A-2', Status: 'paid' },
					{ Order: 'N-1', Amount: 1 },
					{ Order: 'N-1', Status: 'late' },
				],
			),
		);
		expect(run.json.map((r) => r.row_number)).toEqual([3, 4, 4]);
		expect(grid()[3]).toEqual(['N-1', null, 1, 'late']);
		expect(
			env.fake
				.calls('dingtalk.workbookSheet.readRange')
				.map(path)
				.map((p) => p.split('/ranges/')[1]),
		).toEqual(['A1:D1', 'A2:A3']);
	});

	it('clears (keeping the header), deletes rows and columns with 0-based cursors, adds and removes tabs', async () => {
		await env.bench.run(op('clear', DING_SHEET_ORDERS, { clear: 'wholeSheet', keepHeader: true }));
		expect(path(env.fake.calls('dingtalk.workbookSheet.clear')[0])).toMatch(
			/ranges\/A2:D3\/clearData$/,
		);
		expect(grid()).toEqual([['Order', 'Customer', 'Amount', 'Status']]);
		env.fake.reset();
		await env.bench.run(
			op('delete', DING_SHEET_ORDERS, { toDelete: 'rows', startRow: 2, count: 1 }),
		);
		expect(env.fake.calls('dingtalk.workbookSheet.deleteRows')[0].body).toEqual({
			row: 1,
			rowCount: 1,
		});
		await env.bench.run(
			op('delete', DING_SHEET_ORDERS, { toDelete: 'columns', startColumn: 'B', count: 2 }),
		);
		expect(env.fake.calls('dingtalk.workbookSheet.deleteColumns')[0].body).toEqual({
			column: 1,
			columnCount: 2,
		});
		expect(grid()).toEqual([
			['Order', 'Status'],
			['A-2', 'open'],
		]);
		const added = await env.bench.run(
			ding('workbookSheet', 'create', { unionId: USERS.member, workbook: BOOK, title: 'Orders' }),
		);
		expect(added.json[0]).toMatchObject({ name: 'Orders(1)' });
		const removed = await env.bench.run(op('remove', String(added.json[0].id), {}));
		expect(removed.json[0]).toMatchObject({ name: 'Orders(1)', deleted: true });
	});

	it('reads and writes A1 ranges; a range the values do not fit is bad input before any request', async () => {
		const written = await env.bench.run(
			op('writeRange', DING_SHEET_EMPTY, { range: 'B2', values: '[["a", 1], ["b", "=C2+C2"]]' }),
		);
		expect(written.json[0]).toMatchObject({ updatedRange: 'B2:C3', updatedCells: 4 });
		const read = await env.bench.run(op('readRange', DING_SHEET_EMPTY, { range: 'B2:C3' }));
		expect(read.json[0].values).toEqual([
			['a', 1],
			['b', 2],
		]);
		const formulas = await env.bench.run(
			op('readRange', DING_SHEET_EMPTY, { range: 'B2:C3', options: { valueRender: 'formula' } }),
		);
		expect(formulas.json[0].values).toEqual([
			['a', '1'],
			['b', '=C2+C2'],
		]);
		const writes = env.fake.calls('dingtalk.workbookSheet.writeRange').length;
		const bad = await env.bench.run(
			op('writeRange', DING_SHEET_EMPTY, { range: 'B2:C2', values: '[["a"], ["b"]]' }),
		);
		expect(bad.error?.message).toMatch(/Invalid "Values".*do not fit in B2:C2/);
		expect(env.fake.calls('dingtalk.workbookSheet.writeRange')).toHaveLength(writes);
	});

	it('the sheet picker lists the tabs; the column mapper offers the header row', async () => {
		const picked = (await env.bench.loadOptions('dingTalk', 'listSearch', 'searchWorkbookSheets', {
			resource: 'workbookSheet',
			operation: 'read',
			unionId: USERS.member,
			workbook: BOOK,
		})) as { results: Array<{ name: string; value: string }> };
		expect(picked.results).toEqual([
			{ name: 'Orders', value: DING_SHEET_ORDERS },
			{ name: 'Empty', value: DING_SHEET_EMPTY },
		]);
		const columns = (await env.bench.loadOptions(
			'dingTalk',
			'resourceMapping',
			'getWorkbookSheetColumns',
			{
				resource: 'workbookSheet',
				operation: 'append',
				unionId: USERS.member,
				workbook: BOOK,
				sheet: { __rl: true, mode: 'name', value: 'Orders' },
			},
		)) as { fields: Array<{ id: string }> };
		expect(columns.fields.map((f) => f.id)).toEqual(['Order', 'Customer', 'Amount', 'Status']);
	});
});
