/**
 * Feishu Bitable (多维表格) through n8n's engine against the doc-strict fake: bases from links and wiki
 * links, columns converted to each field type's documented value and back, batches at the documented
 * sizes with client_token, upsert, attachments from binary data, search with Return All, pickers, and
 * the documented errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { feishu, useFakeApi } from '../helpers';
import { binaryItem, PNG } from '../fixtures';

const env = useFakeApi();
const BASE = 'bascnSandboxBase0001';
const TASKS = 'tblSandboxTasks01';
const BENCH_BASE = 'bascnBenchBase00001';
const BENCH = 'tblBench000000001';

const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const at = (base = BASE, table = TASKS) => ({ base: rl(base), table: rl(table) });
const columns = (value: IDataObject, extra: IDataObject = {}) => ({
	columns: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [], ...extra },
});
const AUTO = {
	columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
};
const record = (resourceOperation: string, rest: IDataObject) =>
	feishu('bitableRecord', resourceOperation, rest);
const writes = () =>
	env.fake.requests.filter(
		(r) =>
			/records(\/batch_(create|update|delete))?$|records\/rec/.test(r.path) && r.method !== 'GET',
	);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const stored = (table = TASKS, base = BASE) => env.fake.bitable.records(base, table);

describe('Bitable: columns into the documented value of each field type, and back', () => {
	it('create: every writable type converted; the answer flattened to { id, ...fields }', async () => {
		const r = await env.bench.run(
			record('create', {
				...at(),
				...columns({
					Name: 'Ship v2',
					Count: '42',
					Status: 'Doing',
					Tags: 'red, blue',
					Due: '2026-12-01T09:00:00Z',
					Done: 'true',
					Owner: 'ou_1, ou_2',
					Phone: '+86 139-0000-0001',
					Website: 'https://example.com/v2',
					Related: stored()[0].record_id,
					Place: '116.397755,39.903179',
				}),
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.bitableRecord.create');
		expect(call.query).toEqual({
			user_id_type: 'open_id',
			client_token: expect.stringMatching(UUID_V4),
		});
		expect((call.body as IDataObject).fields).toEqual({
			Name: 'Ship v2',
			Count: 42,
			Status: 'Doing',
			Tags: ['red', 'blue'],
			Due: Date.parse('2026-12-01T09:00:00Z'),
			Done: true,
			Owner: [{ id: 'ou_1' }, { id: 'ou_2' }],
			Phone: '+8613900000001',
			Website: { text: 'https://example.com/v2', link: 'https://example.com/v2' },
			Related: [stored()[0].record_id],
			Place: '116.397755,39.903179',
		});
		const out = r.json[0];
		expect(out.id).toMatch(/^rec/);
		expect(out).toMatchObject({
			Name: 'Ship v2',
			Count: 42,
			Status: 'Doing',
			Tags: ['red', 'blue'],
			Done: true,
			Owner: [
				expect.objectContaining({ id: 'ou_1', name: 'Zhang Wei' }),
				expect.objectContaining({ id: 'ou_2' }),
			],
			Website: { link: 'https://example.com/v2', text: 'https://example.com/v2' },
			Related: [stored()[0].record_id],
		});
		expect((out.Owner as IDataObject[])[0].avatar_url).toBeUndefined();
		// Dates come out as ISO text, as n8n shows dates (Raw keeps Feishu's milliseconds).
		expect(out.Due).toBe('2026-12-01T09:00:00.000Z');
		expect(env.fake.violations).toEqual([]);
	});

	it('reads back phone, location, formula, auto number, created time and group chats as plain values', async () => {
		const chats = env.fake.bitable.addTable(BASE, 'Chats', [
			{ field_name: 'Name', type: 1 },
			{ field_name: 'Chat', type: 23 },
		]);
		const withChat = await env.bench.run(
			record('create', {
				...at(BASE, chats.table_id),
				...columns({ Name: 'ops', Chat: 'oc_sandbox_general, oc_sandbox_ops' }),
			}),
		);
		expect((env.fake.calls('feishu.bitableRecord.create')[0].body as IDataObject).fields).toEqual({
			Name: 'ops',
			Chat: [{ id: 'oc_sandbox_general' }, { id: 'oc_sandbox_ops' }],
		});
		expect(withChat.json[0].Chat).toEqual([
			{ id: 'oc_sandbox_general', name: expect.any(String) },
			{ id: 'oc_sandbox_ops', name: expect.any(String) },
		]);
		const created = await env.bench.run(
			record('create', {
				...at(),
				...columns({
					Name: 'All types',
					Count: 21,
					Phone: '13900000009',
					Place: '116.397755,39.903179',
				}),
			}),
		);
		const id = String(created.json[0].id);
		const [raw] = (
			await env.bench.run(
				record('get', { ...at(), recordId: id, options: { outputFormat: 'raw' } }),
			)
		).json;
		const [simple] = (await env.bench.run(record('get', { ...at(), recordId: id }))).json;
		const fields = raw.fields as IDataObject;
		expect(simple.Phone).toBe('13900000009');
		expect(simple.Place).toEqual(fields.Place);
		expect(simple.Place).toMatchObject({ location: '116.397755,39.903179' });
		// A formula answers {type, value: [...]}: its value comes out plain.
		expect(fields.Total).toMatchObject({ value: expect.any(Array) });
		expect(simple.Total).toBe(((fields.Total as IDataObject).value as unknown[])[0]);
		expect(typeof simple['No.']).toBe('string');
		expect(simple.Created).toBe(new Date(fields.Created as number).toISOString());
	});

	it('reads back text as a string, people without avatars, links as record IDs; Raw keeps the API shape', async () => {
		const created = await env.bench.run(
			record('create', {
				...at(),
				...columns({ Name: 'Read me', Owner: 'ou_3', Related: stored()[0].record_id }),
			}),
		);
		const id = String(created.json[0].id);
		const simple = await env.bench.run(record('get', { ...at(), recordId: id }));
		expect(simple.json[0]).toMatchObject({
			id,
			Name: 'Read me',
			Owner: [{ id: 'ou_3', name: 'Chen Jing', email: 'chen.jing@example.com' }],
			Related: [stored()[0].record_id],
		});
		const raw = await env.bench.run(
			record('get', { ...at(), recordId: id, options: { outputFormat: 'raw' } }),
		);
		expect(raw.json[0]).toMatchObject({
			record_id: id,
			fields: {
				Name: [{ type: 'text', text: 'Read me' }],
				Related: { link_record_ids: [stored()[0].record_id] },
			},
		});
		expect(env.fake.calls('feishu.bitableRecord.batchGet').map((c) => c.body)).toEqual([
			{ record_ids: [id], user_id_type: 'open_id', automatic_fields: false },
			{ record_ids: [id], user_id_type: 'open_id', automatic_fields: false },
		]);
	});

	it('update: only the given columns change (PUT …/records/:id); null clears one; an unknown record is 1254043 with its meaning', async () => {
		const [first] = stored();
		const before = { ...first.fields };
		const r = await env.bench.run(
			record('update', {
				...at(),
				recordId: first.record_id,
				...columns({ Count: 7, Status: null }),
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.bitableRecord.update');
		expect(call.path).toBe(
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/records/${first.record_id}`,
		);
		expect(call.query).toEqual({ user_id_type: 'open_id' });
		expect(call.body).toEqual({ fields: { Count: 7, Status: null } });
		const after = stored().find((x) => x.record_id === first.record_id)!.fields;
		expect(after.Count).toBe(7);
		expect(after.Status).toBeUndefined();
		expect(after.Name).toEqual(before.Name);
		expect(r.json[0]).toMatchObject({ id: first.record_id, Count: 7 });
		const missing = await env.bench.run(
			record('update', { ...at(), recordId: 'recNotThere01', ...columns({ Count: 1 }) }),
		);
		expect(missing.error).toMatchObject({
			description: expect.stringMatching(/record was not found/),
		});
		expect(`${missing.error?.message}`).toMatch(/1254043/);
	});

	it.each([
		['Count', 'abc', /column "Count" \(number\): expected a number, got string "abc"/],
		[
			'Status',
			'Blocked',
			/column "Status" \(single select\): "Blocked" is not an option of this field \("Todo", "Doing", "Done"\)/,
		],
		['Done', 'yes', /column "Done" \(checkbox\): expected true or false/],
		['Due', 'next week', /column "Due" \(date\): expected a date/],
		['Phone', 'call me', /column "Phone" \(phone\): expected digits/],
		['Place', 'Beijing', /column "Place" \(location\): expected "longitude,latitude"/],
		['Related', 'row 1', /column "Related" \(link\): expected record IDs/],
		[
			'Created',
			1,
			/column "Created" \(created time\): the field is a created time field, which the API cannot write/,
		],
		['Nope', 'x', /"Nope" is not a field of table tblSandboxTasks01; its fields are "Name", /],
	])(
		'a value that cannot fit its field (%s = %p) fails naming the column, the item and the type, before any write',
		async (column, value, message) => {
			const r = await env.bench.run(
				record('create', { ...at(), ...columns({ Name: 'x', [column]: value }) }),
			);
			expect(r.error?.message).toMatch(/^Invalid "Columns" \(columns\) in item 0: /);
			expect(r.error?.message).toMatch(message);
			expect(writes()).toEqual([]);
		},
	);

	it('Allow New Options lets a new select option through, as Feishu creates it', async () => {
		const r = await env.bench.run(
			record('create', {
				...at(),
				...columns({ Name: 'x', Status: 'Blocked', Tags: ['purple'] }),
				options: { allowNewOptions: true },
			}),
		);
		expect(r.error).toBeUndefined();
		expect(r.json[0]).toMatchObject({ Status: 'Blocked', Tags: ['purple'] });
	});

	it("auto-map: each item's JSON is the record; its id and read-only columns from an earlier read are left out", async () => {
		const r = await env.bench.run({
			...record('createMany', { ...at(), ...AUTO }),
			items: [
				{ id: 'recOld00001', Name: 'A', Count: 1, Created: 1767225600000, Total: 2 },
				{ Name: 'B', Count: '2', Status: 'Done' },
			],
		});
		expect(r.error).toBeUndefined();
		expect(
			(env.fake.calls('feishu.bitableRecord.batchCreate')[0].body as IDataObject).records,
		).toEqual([
			{ fields: { Name: 'A', Count: 1 } },
			{ fields: { Name: 'B', Count: 2, Status: 'Done' } },
		]);
		const bad = await env.bench.run({
			...record('createMany', { ...at(), ...AUTO }),
			items: [{ Name: 'ok' }, { Name: 'C', Count: 'many' }],
		});
		expect(bad.error?.message).toMatch(
			/in item 1: column "Count" \(number\): expected a number, got string "many"/,
		);
		expect(env.fake.calls('feishu.bitableRecord.batchCreate')).toHaveLength(1);
	});
});

describe('Bitable: bases from links', () => {
	it('a base link with ?table= gives the app token and the table; a wiki link is resolved once per execution', async () => {
		const link = `https://example.feishu.cn/base/${BASE}?table=${TASKS}&view=vewSandboxGrid01`;
		const byUrl = await env.bench.run(
			record('search', { base: rl(link, 'url'), table: rl(link, 'url'), returnAll: true }),
		);
		expect(byUrl.error).toBeUndefined();
		expect(byUrl.json.length).toBeGreaterThan(0);
		expect(env.fake.calls('feishu.bitableRecord.search')[0].path).toBe(
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/records/search`,
		);
		const wiki = 'https://example.feishu.cn/wiki/wikcnSandboxBase001?table=tblSandboxTasks01';
		const viaWiki = await env.bench.run({
			...record('create', {
				base: rl(wiki, 'url'),
				table: rl(wiki, 'url'),
				...columns({ Name: '={{ $json.name }}' }),
			}),
			items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
		});
		expect(viaWiki.error).toBeUndefined();
		expect(env.fake.calls('feishu.wiki.getNode').map((c) => c.query)).toEqual([
			{ token: 'wikcnSandboxBase001', obj_type: 'wiki' },
		]);
		expect(env.fake.calls('feishu.bitableField.list')).toHaveLength(2);
		expect(stored().map((x) => x.fields.Name)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
	});

	it("a wiki page that is not a base, and a link that is not Bitable's, are bad input", async () => {
		const doc = await env.bench.run(
			record('search', {
				base: rl('https://example.feishu.cn/wiki/wikcnSandboxDoc0001', 'url'),
				table: rl(TASKS),
			}),
		);
		expect(doc.error?.message).toMatch(
			/"Base" \(base\) in item 0: the wiki page is a docx, not a Bitable base/,
		);
		const other = await env.bench.run(
			record('search', {
				base: rl('={{ "https://example.com/sheets/abc" }}', 'url'),
				table: rl(TASKS),
			}),
		);
		expect(other.error?.message).toMatch(/"Base" \(base\) in item 0: not a Bitable link/);
		const path = await env.bench.run(record('get', { ...at(), recordId: '={{ "rec1/../../x" }}' }));
		expect(path.error?.message).toMatch(/"Record ID" \(recordId\) in item 0: must not contain/);
		expect(
			env.fake.requests.filter((r) => r.key !== 'feishu.token' && r.key !== 'feishu.wiki.getNode'),
		).toEqual([]);
	});

	it('a failed wiki look-up is asked once per execution; each item gets the error with its own index', async () => {
		const r = await env.bench.run({
			...record('search', {
				base: rl('https://example.feishu.cn/wiki/wikcnSandboxDoc0001', 'url'),
				table: rl(TASKS),
			}),
			items: [{}, {}, {}],
			continueOnFail: true,
		});
		expect(env.fake.calls('feishu.wiki.getNode')).toHaveLength(1);
		expect(r.json.map((j) => String(j.error).match(/in item (\d+)/)?.[1])).toEqual(['0', '1', '2']);
	});
});

describe('Bitable: many records in the documented batches', () => {
	it('createMany: 1,001 items in calls of 500, 500 and 1 (the default), each with its own uuidv4 client_token', async () => {
		const items = Array.from({ length: 1001 }, (_, i) => ({ name: `row ${i}`, n: i }));
		const r = await env.bench.run({
			...record('createMany', {
				...at(BENCH_BASE, BENCH),
				...columns({ Name: '={{ $json.name }}', N: '={{ $json.n }}' }),
			}),
			items,
		});
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('feishu.bitableRecord.batchCreate');
		expect(calls.map((c) => ((c.body as IDataObject).records as unknown[]).length)).toEqual([
			500, 500, 1,
		]);
		const tokens = calls.map((c) => c.query.client_token);
		expect(tokens.every((t) => UUID_V4.test(t))).toBe(true);
		expect(new Set(tokens).size).toBe(3);
		expect(r.json).toHaveLength(1001);
		expect(r.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(
			items.map((_, i) => i),
		);
		expect(r.json[1000]).toMatchObject({
			Name: 'row 1000',
			N: 1000,
			id: expect.stringMatching(/^rec/),
		});
		expect(stored(BENCH, BENCH_BASE)).toHaveLength(1001);
	});

	it("createMany: Batch Size 1,000 (Feishu's maximum) makes 2 calls; over 1,000 is bad input", async () => {
		const items = Array.from({ length: 1500 }, (_, i) => ({ n: i }));
		await env.bench.run({
			...record('createMany', {
				...at(BENCH_BASE, BENCH),
				...columns({ N: '={{ $json.n }}' }),
				options: { batchSize: 1000 },
			}),
			items,
		});
		expect(
			env.fake
				.calls('feishu.bitableRecord.batchCreate')
				.map((c) => ((c.body as IDataObject).records as unknown[]).length),
		).toEqual([1000, 500]);
		const over = await env.bench.run({
			...record('createMany', {
				...at(BENCH_BASE, BENCH),
				...columns({ N: 1 }),
				options: { batchSize: 1001 },
			}),
		});
		expect(over.error?.message).toMatch(
			/\(options\.batchSize\) in item 0: must be a whole number from 1 to 1000, got number 1001/,
		);
	});

	it('a batch whose answer was lost is sent again with the same client_token: no record is created twice', async () => {
		env.fake.faults.loseAnswers['feishu.bitableRecord.batchCreate'] = 1;
		const items = Array.from({ length: 700 }, (_, i) => ({ n: i }));
		const r = await env.bench.run({
			...record('createMany', { ...at(BENCH_BASE, BENCH), ...columns({ N: '={{ $json.n }}' }) }),
			items,
		});
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('feishu.bitableRecord.batchCreate');
		expect(calls).toHaveLength(3);
		expect(calls[1].query.client_token).toBe(calls[0].query.client_token);
		expect(stored(BENCH, BENCH_BASE)).toHaveLength(700);
		expect(env.fake.bitable.duplicatesAbsorbed).toBe(1);
	});

	it('a failed batch fails each of its items, paired; under Continue On Fail the other batches go on', async () => {
		// The second batch (items 2 and 3) links to a record that does not exist: Feishu refuses the whole call.
		const items = [
			{ link: '' },
			{ link: '' },
			{ link: 'recMissing0001' },
			{ link: '' },
			{ link: '' },
		];
		const r = await env.bench.run({
			...record('createMany', {
				...at(),
				...columns({ Name: '={{ "item " + $itemIndex }}', Related: '={{ $json.link }}' }),
				options: { batchSize: 2 },
			}),
			items,
			continueOnFail: true,
		});
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(5);
		expect(r.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3, 4]);
		expect(r.json[2]).toMatchObject({
			code: '1254067',
			description: expect.stringMatching(/link fields take record IDs of the linked table/),
		});
		expect(r.json[3]).toMatchObject({ code: '1254067' });
		expect(
			[r.json[0], r.json[1], r.json[4]].every(
				(j) => typeof j.id === 'string' && j.error === undefined,
			),
		).toBe(true);
		expect(stored().filter((x) => String(x.fields.Name).startsWith('item '))).toHaveLength(3);
	});

	it('one run over two tables: each table gets its own calls; items stay paired', async () => {
		const r = await env.bench.run({
			...record('createMany', {
				base: rl(BASE),
				table: rl('={{ $json.table }}'),
				...columns({ Name: '={{ $json.name }}' }),
			}),
			items: [
				{ table: TASKS, name: 't1' },
				{ table: 'tblSandboxPeople1', name: 'p1' },
				{ table: TASKS, name: 't2' },
			],
		});
		expect(r.error).toBeUndefined();
		expect(
			env.fake
				.calls('feishu.bitableRecord.batchCreate')
				.map((c) => [c.path.split('/')[7], ((c.body as IDataObject).records as unknown[]).length]),
		).toEqual([
			[TASKS, 2],
			['tblSandboxPeople1', 1],
		]);
		expect(r.json.map((j) => j.Name)).toEqual(['t1', 'p1', 't2']);
		expect(r.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});

	it('without Continue On Fail, a failed call stops the run and says which items earlier calls already wrote', async () => {
		const items = [{ link: '' }, { link: '' }, { link: 'recMissing0001' }, { link: '' }];
		const r = await env.bench.run({
			...record('createMany', {
				...at(),
				...columns({ Name: '={{ "stop " + $itemIndex }}', Related: '={{ $json.link }}' }),
				options: { batchSize: 2 },
			}),
			items,
		});
		expect(r.error?.description).toMatch(
			/2 item\(s\) of this run were written by earlier calls \(items 0–1\) and are not undone/,
		);
		expect(stored().filter((x) => String(x.fields.Name).startsWith('stop '))).toHaveLength(2);
	});

	it('an item whose attachment cannot be uploaded fails alone; the rest of its batch is written', async () => {
		// 1061101 (the tenant's quota is used up): a refusal the node does not retry (1061045 it waits out).
		env.fake.script('feishu.bitableMedia.upload', {
			status: 400,
			body: { code: 1061101, msg: 'file quota exceeded.', error: { log_id: 'x' } },
		});
		const png = (name: string) => binaryItem(PNG, `${name}.png`, 'image/png', { name });
		const r = await env.bench.run({
			...record('createMany', {
				...at(),
				...columns({ Name: '={{ $json.name }}', Files: 'data' }),
			}),
			items: [png('a'), png('b'), png('c')],
			continueOnFail: true,
		});
		expect(r.json[0]).toMatchObject({ code: '1061101' });
		expect(r.json.slice(1).map((j) => j.Name)).toEqual(['b', 'c']);
		expect(
			(
				(env.fake.calls('feishu.bitableRecord.batchCreate')[0].body as IDataObject)
					.records as unknown[]
			).length,
		).toBe(2);
	});

	it('a repeat reported as 1254608 (same client_token) says the first attempt has probably been carried out', async () => {
		env.fake.script('feishu.bitableRecord.batchCreate', {
			status: 403,
			body: {
				code: 1254608,
				msg: 'Same API requests are submitted repeatedly.',
				error: { log_id: 'x' },
			},
		});
		const r = await env.bench.run({
			...record('createMany', { ...at(BENCH_BASE, BENCH), ...columns({ N: 1 }) }),
		});
		expect(r.error?.description).toMatch(
			/the first attempt has probably been carried out: check the table/,
		);
	});

	it('updateMany and deleteMany: by record ID, in batches (deletes 500 a call)', async () => {
		const created = await env.bench.run({
			...record('createMany', { ...at(BENCH_BASE, BENCH), ...columns({ N: '={{ $json.n }}' }) }),
			items: Array.from({ length: 600 }, (_, i) => ({ n: i })),
		});
		const updated = await env.bench.run({
			...record('updateMany', {
				...at(BENCH_BASE, BENCH),
				recordId: '={{ $json.id }}',
				...columns({ N: '={{ $json.N * 10 }}' }),
			}),
			items: created.json,
		});
		expect(updated.error).toBeUndefined();
		expect(
			env.fake
				.calls('feishu.bitableRecord.batchUpdate')
				.map((c) => ((c.body as IDataObject).records as unknown[]).length),
		).toEqual([500, 100]);
		expect(
			stored(BENCH, BENCH_BASE)
				.map((x) => x.fields.N)
				.slice(0, 3),
		).toEqual([0, 10, 20]);
		const removed = await env.bench.run({
			...record('deleteMany', at(BENCH_BASE, BENCH)),
			items: created.json,
		});
		expect(removed.error).toBeUndefined();
		expect(
			env.fake
				.calls('feishu.bitableRecord.batchDelete')
				.map((c) => ((c.body as IDataObject).records as unknown[]).length),
		).toEqual([500, 100]);
		expect(removed.json[599]).toEqual({ id: created.json[599].id, deleted: true });
		expect(stored(BENCH, BENCH_BASE)).toHaveLength(0);
	});

	it('per-item writes to one table under concurrency go one at a time (no write conflict); a conflict from elsewhere (1254291) is waited out', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({ n: i }));
		env.fake.faults.latencyMs = 20;
		const r = await env.bench.run({
			...record('create', {
				...at(BENCH_BASE, BENCH),
				...columns({ N: '={{ $json.n }}' }),
				options: { concurrency: 4 },
			}),
			items,
		});
		expect(r.error).toBeUndefined();
		expect(
			stored(BENCH, BENCH_BASE)
				.map((x) => x.fields.N)
				.sort((a, b) => Number(a) - Number(b)),
		).toEqual(items.map((i) => i.n));
		expect(env.fake.bitable.writeConflicts).toBe(0);
		env.fake.script('feishu.bitableRecord.create', {
			status: 200,
			body: { code: 1254291, msg: 'Write conflict', error: { log_id: 'x' } },
		});
		const again = await env.bench.run(
			record('create', { ...at(BENCH_BASE, BENCH), ...columns({ N: 99 }) }),
		);
		expect(again.error).toBeUndefined();
		expect(stored(BENCH, BENCH_BASE).filter((x) => x.fields.N === 99)).toHaveLength(1);
	});
});

describe('Bitable: upsert', () => {
	const upsert = (value: IDataObject, keys: string[]) =>
		record('upsert', { ...at(), ...columns(value, { matchingColumns: keys }) });

	it('no match creates (with a client_token), one match updates it, several are an error that says so', async () => {
		const first = await env.bench.run(upsert({ Name: 'Unique 1', Count: 1 }, ['Name']));
		expect(first.error).toBeUndefined();
		expect(env.fake.calls('feishu.bitableRecord.create')).toHaveLength(1);
		expect(env.fake.calls('feishu.bitableRecord.search')[0].body).toEqual({
			filter: {
				conjunction: 'and',
				conditions: [{ field_name: 'Name', operator: 'is', value: ['Unique 1'] }],
			},
			field_names: ['Name'],
		});
		const second = await env.bench.run(upsert({ Name: 'Unique 1', Count: 2 }, ['Name']));
		expect(env.fake.calls('feishu.bitableRecord.update')).toHaveLength(1);
		expect(second.json[0]).toMatchObject({ id: first.json[0].id, Name: 'Unique 1', Count: 2 });
		await env.bench.run(record('create', { ...at(), ...columns({ Name: 'Unique 1', Count: 3 }) }));
		const several = await env.bench.run(upsert({ Name: 'Unique 1', Count: 4 }, ['Name']));
		expect(several.error?.message).toMatch(
			/in item 0: 2 records match Name = "Unique 1" \(e\.g\. rec\w+, rec\w+\); upsert updates only a single match/,
		);
		expect(env.fake.calls('feishu.bitableRecord.update')).toHaveLength(1);
	});

	it('matches on several key columns; a key column that cannot be matched, or an empty key, is bad input', async () => {
		await env.bench.run(upsert({ Name: 'K', Status: 'Todo', Count: 1 }, ['Name', 'Status']));
		await env.bench.run(upsert({ Name: 'K', Status: 'Done', Count: 2 }, ['Name', 'Status']));
		await env.bench.run(upsert({ Name: 'K', Status: 'Todo', Count: 3 }, ['Name', 'Status']));
		expect(
			stored()
				.filter((x) => x.fields.Name === 'K')
				.map((x) => [x.fields.Status, x.fields.Count]),
		).toEqual([
			['Todo', 3],
			['Done', 2],
		]);
		const byOwner = await env.bench.run(upsert({ Name: 'x', Owner: 'ou_1' }, ['Owner']));
		expect(byOwner.error?.message).toMatch(
			/the key column "Owner" is a person field; upsert matches on text, number/,
		);
		const empty = await env.bench.run(upsert({ Count: 1 }, ['Name']));
		expect(empty.error?.message).toMatch(/key column "Name": the key field is empty/);
	});

	it('items with the same key in one run, at concurrency 5: one is created, the others update it (never two records)', async () => {
		const r = await env.bench.run({
			...record('upsert', {
				...at(),
				...columns(
					{ Name: '={{ $json.name }}', Count: '={{ $json.n }}' },
					{ matchingColumns: ['Name'] },
				),
				options: { concurrency: 5 },
			}),
			items: [
				{ name: 'Same', n: 1 },
				{ name: 'Same', n: 2 },
				{ name: 'Other', n: 3 },
				{ name: 'Same', n: 4 },
			],
		});
		expect(r.error).toBeUndefined();
		expect(stored().filter((x) => x.fields.Name === 'Same')).toHaveLength(1);
		expect(stored().filter((x) => x.fields.Name === 'Other')).toHaveLength(1);
		expect(env.fake.calls('feishu.bitableRecord.create')).toHaveLength(2);
		expect(env.fake.calls('feishu.bitableRecord.update')).toHaveLength(2);
		expect(stored().find((x) => x.fields.Name === 'Same')?.fields.Count).toBe(4);
	});

	it('an auto number can be the key (it is read only, but records can be found by it)', async () => {
		const target = await env.bench.run(record('get', { ...at(), recordId: stored()[1].record_id }));
		const number = target.json[0]['No.'];
		expect(typeof number).toBe('string');
		const r = await env.bench.run(
			record('upsert', {
				...at(),
				...columns({ 'No.': number, Count: 77 }, { matchingColumns: ['No.'] }),
			}),
		);
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.bitableRecord.search')[0].body).toMatchObject({
			filter: { conditions: [{ field_name: 'No.', operator: 'is', value: [number] }] },
		});
		expect(r.json[0]).toMatchObject({ id: stored()[1].record_id, Count: 77 });
	});
});

describe('Bitable: attachments', () => {
	it("uploads the item's binary data to the base (bitable_image / bitable_file) and writes [{file_token}]; downloads them back", async () => {
		const pdf = Buffer.from('%PDF-1.4\n% sandbox\n');
		const r = await env.bench.run({
			...record('create', { ...at(), ...columns({ Name: 'With files', Files: 'data, doc' }) }),
			items: [
				{
					$binary: {
						data: { base64: PNG.toString('base64'), fileName: 'pixel.png', mimeType: 'image/png' },
						doc: {
							base64: pdf.toString('base64'),
							fileName: 'spec.pdf',
							mimeType: 'application/pdf',
						},
					},
				},
			],
		});
		expect(r.error).toBeUndefined();
		const uploads = env.fake.calls('feishu.bitableMedia.upload').map((c) => c.body as IDataObject);
		expect(uploads.map((u) => [u.file_name, u.parent_type, u.parent_node, u.size])).toEqual([
			['pixel.png', 'bitable_image', BASE, PNG.length],
			['spec.pdf', 'bitable_file', BASE, pdf.length],
		]);
		const fields = (env.fake.calls('feishu.bitableRecord.create')[0].body as IDataObject)
			.fields as IDataObject;
		expect(fields.Files).toEqual([
			{ file_token: expect.any(String) },
			{ file_token: expect.any(String) },
		]);
		expect(r.json[0].Files).toEqual([
			expect.objectContaining({ name: 'pixel.png', type: 'image/png', size: PNG.length }),
			expect.objectContaining({ name: 'spec.pdf' }),
		]);
		const back = await env.bench.run(
			record('get', {
				...at(),
				recordId: String(r.json[0].id),
				options: { downloadAttachments: true },
			}),
		);
		expect(Object.keys(back.items[0].binary ?? {})).toEqual(['attachment_0', 'attachment_1']);
		expect(Buffer.from(back.items[0].binary!.attachment_0.data, 'base64').equals(PNG)).toBe(true);
		expect(back.items[0].binary!.attachment_1).toMatchObject({
			fileName: 'spec.pdf',
			mimeType: 'application/pdf',
		});
	});

	it('a missing binary property fails the item naming the column, before any upload', async () => {
		const r = await env.bench.run({
			...record('createMany', { ...at(), ...columns({ Name: 'x', Files: 'data' }) }),
			items: [binaryItem(PNG, 'a.png', 'image/png'), {}],
		});
		expect(r.error?.message).toMatch(
			/Invalid "Columns › Files" \(columns\) in item 1: the input item has no binary property "data"/,
		);
		expect(env.fake.calls('feishu.bitableMedia.upload')).toEqual([]);
		expect(writes()).toEqual([]);
	});
});

describe('Bitable: search', () => {
	it('filter, sort and fields to return as documented; Return All pages by 500', async () => {
		await env.bench.run({
			...record('createMany', {
				...at(BENCH_BASE, BENCH),
				...columns({ Name: '={{ $json.name }}', N: '={{ $json.n }}' }),
			}),
			items: Array.from({ length: 1234 }, (_, i) => ({ name: i % 2 ? 'odd' : 'even', n: i })),
		});
		const r = await env.bench.run(
			record('search', {
				...at(BENCH_BASE, BENCH),
				filter: {
					conditions: [
						{ field: 'Name', operator: 'is', value: 'even' },
						{ field: 'N', operator: 'isGreaterEqual', value: '100' },
					],
				},
				conjunction: 'and',
				sort: { rules: [{ field: 'N', desc: true }] },
				returnAll: true,
				options: { fieldNames: 'Name, N' },
			}),
		);
		expect(r.error).toBeUndefined();
		expect(r.json).toHaveLength(567);
		expect(r.json[0]).toEqual({ id: expect.stringMatching(/^rec/), Name: 'even', N: 1232 });
		const calls = env.fake.calls('feishu.bitableRecord.search');
		expect(calls.map((c) => c.query.page_size)).toEqual(['500', '500']);
		expect(calls[0].body).toEqual({
			filter: {
				conjunction: 'and',
				conditions: [
					{ field_name: 'Name', operator: 'is', value: ['even'] },
					{ field_name: 'N', operator: 'isGreaterEqual', value: ['100'] },
				],
			},
			sort: [{ field_name: 'N', desc: true }],
			field_names: ['Name', 'N'],
		});
		expect(calls[1].query.page_token).toBeDefined();
	});

	it('Limit asks for no more than needed; a view is sent as view_id', async () => {
		const r = await env.bench.run(
			record('search', { ...at(), view: rl('vewSandboxGrid01'), limit: 2 }),
		);
		expect(r.json).toHaveLength(2);
		const [call] = env.fake.calls('feishu.bitableRecord.search');
		expect(call.query.page_size).toBe('2');
		expect(call.body).toEqual({ view_id: 'vewSandboxGrid01' });
	});

	it('an unknown field in the filter surfaces 1254045 with its meaning', async () => {
		const r = await env.bench.run(
			record('search', {
				...at(),
				filter: { conditions: [{ field: 'Stauts', operator: 'is', value: 'Done' }] },
			}),
		);
		expect(r.error).toMatchObject({
			description: expect.stringMatching(/1254045|field name was not found/),
		});
		expect(`${r.error?.message} ${r.error?.description}`).toMatch(/Names must match exactly/);
	});
});

describe('Bitable: errors users hit most', () => {
	it('the app not added to the base: the platform code and the fix ("Add document app")', async () => {
		const r = await env.bench.run(
			record('search', { ...at('bascnNoAccess00001', 'tblAnything00001') }),
		);
		expect(r.error?.httpCode).toBe('403');
		expect(`${r.error?.message} ${r.error?.description}`).toMatch(/91403/);
		expect(r.error?.description).toMatch(/Add document app.*添加文档应用/);
	});

	it('a table or record that does not exist; Continue On Fail pairs one error item per input', async () => {
		const r = await env.bench.run({
			...record('delete', { ...at(), recordId: '={{ $json.id }}' }),
			items: [{ id: stored()[0].record_id }, { id: 'recNotThere01' }],
			continueOnFail: true,
		});
		expect(r.json[0]).toEqual({ id: expect.stringMatching(/^rec/), deleted: true });
		expect(r.json[1]).toMatchObject({
			code: '1254043',
			description: expect.stringMatching(/record was not found/),
		});
		const table = await env.bench.run(record('search', { ...at(BASE, 'tblNotThere0001') }));
		expect(r.items).toHaveLength(2);
		expect(table.error?.description).toMatch(/table was not found/);
	});
});

describe('Bitable: tables, fields and pickers', () => {
	it('tables: create, list and delete; fields: create (with client_token) and list with their types', async () => {
		const created = await env.bench.run(
			feishu('bitableTable', 'create', {
				base: rl(BASE),
				name: 'Leads',
				fields: {
					field: [
						{ name: 'Company', fieldType: 1 },
						{ name: 'Size', fieldType: 2 },
					],
				},
			}),
		);
		expect(created.error).toBeUndefined();
		const tableId = String(created.json[0].table_id);
		expect(env.fake.calls('feishu.bitableTable.create')[0].body).toEqual({
			table: {
				name: 'Leads',
				fields: [
					{ field_name: 'Company', type: 1 },
					{ field_name: 'Size', type: 2 },
				],
			},
		});
		const field = await env.bench.run(
			feishu('bitableField', 'create', {
				...at(BASE, tableId),
				fieldName: 'Stage',
				fieldType: 3,
				selectOptions: 'New, Won, Lost',
			}),
		);
		expect(field.error).toBeUndefined();
		expect(env.fake.calls('feishu.bitableField.create')[0]).toMatchObject({
			query: { client_token: expect.stringMatching(UUID_V4) },
			body: {
				field_name: 'Stage',
				type: 3,
				property: { options: [{ name: 'New' }, { name: 'Won' }, { name: 'Lost' }] },
			},
		});
		const fields = await env.bench.run(feishu('bitableField', 'getAll', at(BASE, tableId)));
		expect(fields.json.map((f) => [f.field_name, f.type_name])).toEqual([
			['Company', 'text'],
			['Size', 'number'],
			['Stage', 'single select'],
		]);
		const tables = await env.bench.run(feishu('bitableTable', 'getAll', { base: rl(BASE) }));
		expect(tables.json.map((t) => t.name)).toEqual(
			expect.arrayContaining(['Tasks', 'People', 'Leads']),
		);
		const removed = await env.bench.run(feishu('bitableTable', 'delete', at(BASE, tableId)));
		expect(removed.json[0]).toEqual({ table_id: tableId, deleted: true });
	});

	it('pickers: tables of the base (a wiki link works), views of the table, field names, and the column mapper marks read-only fields', async () => {
		const tables = (await env.bench.loadOptions('feishu', 'listSearch', 'searchBitableTables', {
			resource: 'bitableRecord',
			operation: 'search',
			base: rl('https://example.feishu.cn/wiki/wikcnSandboxBase001', 'url'),
		})) as { results: Array<{ name: string; value: string }> };
		expect(tables.results).toEqual(
			expect.arrayContaining([
				{ name: 'Tasks', value: TASKS },
				{ name: 'People', value: 'tblSandboxPeople1' },
			]),
		);
		const views = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchBitableViews',
			{ resource: 'bitableRecord', operation: 'search', ...at() },
			'board',
		)) as { results: unknown[] };
		expect(views.results).toEqual([{ name: 'Board (kanban)', value: 'vewSandboxKanban1' }]);
		const names = (await env.bench.loadOptions('feishu', 'loadOptions', 'getBitableFieldNames', {
			resource: 'bitableRecord',
			operation: 'search',
			...at(),
		})) as Array<{ value: string }>;
		expect(names.map((n) => n.value)).toEqual(
			expect.arrayContaining(['Name', 'Count', 'Status', 'Created']),
		);
		const mapper = (await env.bench.loadOptions(
			'feishu',
			'resourceMapping',
			'getBitableColumnsForUpsert',
			{ resource: 'bitableRecord', operation: 'upsert', ...at() },
		)) as { fields: IDataObject[] };
		const byId = Object.fromEntries(mapper.fields.map((f) => [f.id, f]));
		expect(byId.Name).toMatchObject({
			type: 'string',
			defaultMatch: true,
			canBeUsedToMatch: true,
			readOnly: false,
		});
		expect(byId.Count).toMatchObject({ type: 'number', canBeUsedToMatch: true });
		expect(byId.Due).toMatchObject({ type: 'dateTime', canBeUsedToMatch: false });
		expect(byId.Created).toMatchObject({ readOnly: true });
		// A checkbox is a choice, not n8n's boolean (which the mapper would fill with false, unticking it on every update).
		expect(byId.Done).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Checked', value: true },
				{ name: 'Unchecked', value: false },
			],
		});
		expect(byId.Total).toMatchObject({ readOnly: true, display: false });
		expect(byId.Created).toMatchObject({ display: false });
		// A single select offers the column's options, as n8n's Airtable node does.
		expect(byId.Status).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Todo', value: 'Todo' },
				{ name: 'Doing', value: 'Doing' },
				{ name: 'Done', value: 'Done' },
			],
		});
		// An auto number can be the key of an upsert (never written), so it is offered there to match on.
		expect(byId['No.']).toMatchObject({ display: true, canBeUsedToMatch: true, readOnly: false });
		// Short labels: the type hint is a word or two.
		expect(byId.Owner.displayName).toBe('Owner (user IDs)');
		const forCreate = (await env.bench.loadOptions(
			'feishu',
			'resourceMapping',
			'getBitableColumns',
			{ resource: 'bitableRecord', operation: 'create', ...at() },
		)) as { fields: IDataObject[] };
		expect(forCreate.fields.filter((f) => f.display).map((f) => f.id)).toEqual([
			'Name',
			'Count',
			'Status',
			'Tags',
			'Due',
			'Done',
			'Owner',
			'Phone',
			'Website',
			'Files',
			'Related',
			'Place',
		]);
	});
});
