/**
 * The fake Feishu Bitable platform itself (test/fake-api/feishu-bitable/), exercised with plain fetch:
 * its seed, value checks and read shapes, search, client_token, write conflicts, media and wiki nodes.
 */
import { APPS, FakeApi } from './fake-api/server';

const BASE = 'bascnSandboxBase0001';
const TASKS = 'tblSandboxTasks01';
const records = `/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/records`;

let fake: FakeApi;
let token = '';

interface Reply {
	status: number;
	headers: Headers;
	json: { code: number; msg: string; data?: Record<string, unknown>; error?: { log_id: string } };
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
	const response = await fetch(`${fake.url}${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return {
		status: response.status,
		headers: response.headers,
		json: (await response.json()) as Reply['json'],
	};
}

const data = (r: Reply) => r.json.data as Record<string, unknown>;

async function upload(
	bytes: Buffer,
	fields: Record<string, string>,
	mime = 'image/png',
): Promise<Reply> {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	form.append('file', new Blob([bytes], { type: mime }), fields.file_name ?? 'file.bin');
	const response = await fetch(`${fake.url}/open-apis/drive/v1/medias/upload_all`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}` },
		body: form,
	});
	return {
		status: response.status,
		headers: response.headers,
		json: (await response.json()) as Reply['json'],
	};
}

beforeAll(async () => {
	fake = await new FakeApi().start();
	const answer = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ app_id: APPS.feishu.appId, app_secret: APPS.feishu.appSecret }),
	});
	token = ((await answer.json()) as { tenant_access_token: string }).tenant_access_token;
});
beforeEach(() => fake.reset());
afterEach(() => expect(fake.violations).toEqual([]));
afterAll(async () => await fake.stop());

describe('fake Feishu Bitable', () => {
	it('seeds the sandbox base, its tables, views and fields', async () => {
		const tables = await call('GET', `/open-apis/bitable/v1/apps/${BASE}/tables`);
		expect(data(tables).items).toEqual([
			{ table_id: TASKS, revision: 1, name: 'Tasks' },
			{ table_id: 'tblSandboxPeople1', revision: 1, name: 'People' },
		]);
		const views = await call('GET', `/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/views`);
		expect((data(views).items as Array<{ view_id: string }>).map((v) => v.view_id)).toEqual([
			'vewSandboxGrid01',
			'vewSandboxKanban1',
		]);
		const fields = await call(
			'GET',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields?page_size=100`,
		);
		const items = data(fields).items as Array<{
			field_name: string;
			type: number;
			is_primary: boolean;
			property: { options?: unknown[] } | null;
		}>;
		expect(items.map((f) => [f.field_name, f.type])).toEqual([
			['Name', 1],
			['Count', 2],
			['Status', 3],
			['Tags', 4],
			['Due', 5],
			['Done', 7],
			['Owner', 11],
			['Phone', 13],
			['Website', 15],
			['Files', 17],
			['Related', 18],
			['Place', 22],
			['Created', 1001],
			['Total', 20],
			['No.', 1005],
		]);
		expect(items[0].is_primary).toBe(true);
		expect(items[2].property?.options).toHaveLength(3);
		const page = await call(
			'GET',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields?page_size=10`,
		);
		expect(data(page)).toMatchObject({ has_more: true, total: 15 });
		const rest = await call(
			'GET',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields?page_size=10&page_token=${String(data(page).page_token)}`,
		);
		expect(data(rest).items).toHaveLength(5);
		expect(data(rest).has_more).toBe(false);
	});

	it('answers the read shapes in search, with field_names, filter, sort and paging', async () => {
		const all = await call('POST', `${records}/search`, {});
		expect(data(all).total).toBe(3);
		const first = (
			data(all).items as Array<{ record_id: string; fields: Record<string, unknown> }>
		)[0];
		expect(first.record_id).toBe('recSbxTask001');
		expect(first.fields).toMatchObject({
			Name: [{ type: 'text', text: 'Write the report' }],
			Count: 3,
			Status: 'Doing',
			Tags: ['red', 'blue'],
			Owner: [{ id: 'ou_1', name: 'Zhang Wei', email: 'zhang.wei@example.com' }],
			Website: { link: 'https://open.feishu.cn', text: 'Feishu Open Platform' },
			Place: { location: '116.397755,39.903179' },
			Total: { type: 2, value: [6] },
			'No.': '1',
		});
		expect(first.fields.Done).toBeUndefined();
		expect(typeof first.fields.Created).toBe('number');

		const filtered = await call('POST', `${records}/search?page_size=1`, {
			field_names: ['Name', 'Count'],
			filter: {
				conjunction: 'and',
				conditions: [
					{ field_name: 'Done', operator: 'is', value: ['true'] },
					{ field_name: 'Count', operator: 'isGreater', value: ['4'] },
				],
			},
			sort: [{ field_name: 'Count', desc: true }],
		});
		expect(data(filtered)).toMatchObject({
			total: 2,
			has_more: true,
			items: [
				{
					record_id: 'recSbxTask003',
					fields: { Name: [{ type: 'text', text: 'Ship it' }], Count: 8 },
				},
			],
		});
		expect(Object.keys((data(filtered).items as Array<{ fields: object }>)[0].fields)).toEqual([
			'Name',
			'Count',
		]);

		const or = await call('POST', `${records}/search?user_id_type=user_id`, {
			filter: {
				conjunction: 'or',
				conditions: [{ field_name: 'Owner', operator: 'contains', value: ['u002'] }],
				children: [
					{
						conjunction: 'and',
						conditions: [{ field_name: 'Status', operator: 'is', value: ['Done'] }],
					},
				],
			},
		});
		expect((data(or).items as Array<{ record_id: string }>).map((r) => r.record_id)).toEqual([
			'recSbxTask002',
			'recSbxTask003',
		]);
		const due = Date.UTC(2026, 0, 15, 3);
		const byDate = await call('POST', `${records}/search`, {
			filter: {
				conjunction: 'and',
				conditions: [{ field_name: 'Due', operator: 'is', value: ['ExactDate', String(due)] }],
			},
		});
		expect((data(byDate).items as Array<{ record_id: string }>).map((r) => r.record_id)).toEqual([
			'recSbxTask001',
		]);
		const empty = await call('POST', `${records}/search`, {
			filter: {
				conjunction: 'and',
				conditions: [{ field_name: 'Tags', operator: 'isEmpty', value: [] }],
			},
		});
		expect(data(empty).total).toBe(1);

		expect(
			(await call('POST', `${records}/search`, { filter: { conditions: [] } })).json.code,
		).toBe(1254018);
		expect(
			(
				await call('POST', `${records}/search`, {
					filter: {
						conjunction: 'and',
						conditions: [{ field_name: 'Name', operator: 'like', value: ['x'] }],
					},
				})
			).json.code,
		).toBe(1254018);
		expect(
			(
				await call('POST', `${records}/search`, {
					filter: {
						conjunction: 'and',
						conditions: [{ field_name: 'Due', operator: 'isNot', value: ['Today'] }],
					},
				})
			).json.code,
		).toBe(1254018);
		expect((await call('POST', `${records}/search`, { field_names: ['Nope'] })).json.code).toBe(
			1254045,
		);
		expect(
			(await call('POST', `${records}/search`, { sort: [{ field_name: 'Nope' }] })).json.code,
		).toBe(1254045);
		expect((await call('POST', `${records}/search`, { view_id: 'vewUnknown' })).json.code).toBe(
			1254042,
		);
		const tooBig = await call('POST', `${records}/search?page_size=501`, {});
		expect([tooBig.status, tooBig.json.code]).toEqual([400, 1254011]);
	});

	it('validates written values by field type and stores the write shape', async () => {
		const created = await call('POST', `${records}?user_id_type=union_id`, {
			fields: {
				Name: 'New',
				Count: 1.5,
				Status: 'Blocked',
				Tags: ['red', 'purple'],
				Due: 1767225600000,
				Done: true,
				Owner: [{ id: 'on_3' }],
				Phone: '+86123',
				Website: { text: 'x', link: 'https://x.test' },
				Related: ['recSbxTask001'],
				Place: '121.47,31.23',
			},
		});
		expect(created.json.code).toBe(0);
		const record = data(created).record as { record_id: string; fields: Record<string, unknown> };
		expect(record.record_id).toMatch(/^rec[A-Za-z0-9]{10}$/);
		expect(record.fields).toMatchObject({
			Owner: [{ id: 'on_3', name: 'Chen Jing' }],
			Related: { link_record_ids: ['recSbxTask001'] },
			Total: { type: 2, value: [3] },
			'No.': '4',
		});
		const stored = fake.bitable.records(BASE, TASKS).find((r) => r.record_id === record.record_id)!;
		expect(stored.fields.Owner).toEqual([{ id: 'ou_3' }]);
		expect(stored.fields.Name).toBe('New');
		const options = (
			fake.bitable.table(BASE, TASKS)!.fields.find((f) => f.field_name === 'Status')!.property!
				.options as Array<{ name: string }>
		).map((o) => o.name);
		expect(options).toContain('Blocked');

		const bad: Array<[Record<string, unknown>, number]> = [
			[{ Name: 1 }, 1254060],
			[{ Count: '1' }, 1254061],
			[{ Status: ['Todo'] }, 1254062],
			[{ Tags: 'red' }, 1254063],
			[{ Due: '2026-01-01' }, 1254064],
			[{ Done: 'true' }, 1254065],
			[{ Owner: [{ id: 'ou_404' }] }, 1254066],
			[{ Owner: [{ id: 'ou_1', name: 'x' }] }, 1254066],
			[{ Related: ['recMissing0001'] }, 1254067],
			[{ Website: { text: 'no link' } }, 1254068],
			[{ Files: [{ file_token: 'boxUnknown' }] }, 1254303],
			[{ Files: ['boxUnknown'] }, 1254069],
			[{ Phone: '12-34' }, 1254072],
			[{ Place: 'Beijing' }, 1254015],
			[{ Created: 1 }, 1254015],
			[{ Total: 1 }, 1254015],
			[{ Nope: 1 }, 1254045],
		];
		for (const [fields, code] of bad)
			expect([JSON.stringify(fields), (await call('POST', records, { fields })).json.code]).toEqual(
				[JSON.stringify(fields), code],
			);
		expect(fake.bitable.records(BASE, TASKS)).toHaveLength(4);

		const cleared = await call('PUT', `${records}/recSbxTask001`, {
			fields: { Count: null, Tags: ['green'] },
		});
		expect(cleared.json.code).toBe(0);
		expect(fake.bitable.records(BASE, TASKS)[0].fields).not.toHaveProperty('Count');
		expect((await call('PUT', `${records}/recMissing0001`, { fields: {} })).json.code).toBe(
			1254043,
		);
	});

	it('makes batches all-or-nothing and enforces their sizes', async () => {
		const batch = await call('POST', `${records}/batch_create`, {
			records: [{ fields: { Name: 'a', Status: 'Brand new' } }, { fields: { Count: 'x' } }],
		});
		expect(batch.json.code).toBe(1254061);
		expect(fake.bitable.records(BASE, TASKS)).toHaveLength(3);
		const options = fake.bitable.table(BASE, TASKS)!.fields.find((f) => f.field_name === 'Status')!
			.property!.options as Array<{ name: string }>;
		expect(options.map((o) => o.name)).not.toContain('Brand new');
		const many = Array.from({ length: 1001 }, () => ({ fields: { Name: 'x' } }));
		expect(
			(
				await call(
					'POST',
					`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001/records/batch_create`,
					{ records: many },
				)
			).json.code,
		).toBe(1254104);
		const ok = await call(
			'POST',
			`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001/records/batch_create`,
			{ records: many.slice(0, 1000) },
		);
		expect((data(ok).records as unknown[]).length).toBe(1000);
		const ids = fake.bitable
			.records('bascnBenchBase00001', 'tblBench000000001')
			.map((r) => r.record_id);
		expect(
			(
				await call(
					'POST',
					`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001/records/batch_delete`,
					{ records: ids.slice(0, 501) },
				)
			).json.code,
		).toBe(1254104);
		const deleted = await call(
			'POST',
			`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001/records/batch_delete`,
			{ records: ids.slice(0, 500) },
		);
		expect((data(deleted).records as unknown[])[0]).toEqual({ deleted: true, record_id: ids[0] });
		expect(fake.bitable.records('bascnBenchBase00001', 'tblBench000000001')).toHaveLength(500);

		const update = await call('POST', `${records}/batch_update`, {
			records: [
				{ record_id: 'recSbxTask001', fields: { Count: 9 } },
				{ record_id: 'recMissing0001', fields: { Count: 1 } },
			],
		});
		expect(update.json.code).toBe(1254043);
		expect(fake.bitable.records(BASE, TASKS)[0].fields.Count).toBe(3);

		const got = await call('POST', `${records}/batch_get`, {
			record_ids: ['recSbxTask002', 'recMissing0001'],
			automatic_fields: true,
		});
		expect(data(got)).toMatchObject({
			records: [{ record_id: 'recSbxTask002', created_time: expect.any(Number) }],
			forbidden_record_ids: [],
			absent_record_ids: ['recMissing0001'],
		});

		// Deleting a record removes the links to it.
		expect((await call('DELETE', `${records}/recSbxTask001`)).json.data).toEqual({
			deleted: true,
			record_id: 'recSbxTask001',
		});
		expect(
			fake.bitable.records(BASE, TASKS).find((r) => r.record_id === 'recSbxTask002')!.fields
				.Related,
		).toBeUndefined();
	});

	it('absorbs a repeated client_token and refuses a malformed one', async () => {
		const clientToken = 'fe599b60-450f-46ff-b2ef-9f6675625b97';
		const first = await call('POST', `${records}?client_token=${clientToken}`, {
			fields: { Name: 'Once' },
		});
		const again = await call('POST', `${records}?client_token=${clientToken}`, {
			fields: { Name: 'Once' },
		});
		expect(again.json.data).toEqual(first.json.data);
		expect(fake.bitable.records(BASE, TASKS)).toHaveLength(4);
		expect(fake.bitable.duplicatesAbsorbed).toBe(1);
		expect(
			(await call('POST', `${records}?client_token=${clientToken}`, { fields: { Name: 'Other' } }))
				.json.code,
		).toBe(1255006);
		const malformed = await call('POST', `${records}?client_token=not-a-uuid`, {
			fields: { Name: 'x' },
		});
		expect([malformed.status, malformed.json.code]).toEqual([400, 1254037]);

		const fieldToken = '0b7e3a52-1c1d-4f0e-9a53-6a3f8f1c2d4e';
		const field = { field_name: 'Notes', type: 1 };
		const f1 = await call(
			'POST',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields?client_token=${fieldToken}`,
			field,
		);
		const f2 = await call(
			'POST',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields?client_token=${fieldToken}`,
			field,
		);
		expect(f2.json.data).toEqual(f1.json.data);
		expect(
			fake.bitable.table(BASE, TASKS)!.fields.filter((f) => f.field_name === 'Notes'),
		).toHaveLength(1);
		expect(
			(await call('POST', `/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields`, field)).json
				.code,
		).toBe(1254014);
		expect(
			(
				await call('POST', `/open-apis/bitable/v1/apps/${BASE}/tables/${TASKS}/fields`, {
					field_name: 'Look',
					type: 19,
				})
			).json.code,
		).toBe(1254012);
	});

	it('answers 1254291 to a write that arrives while another write to the table is in flight', async () => {
		fake.faults.latencyMs = 150;
		const answers = await Promise.all(
			[1, 2, 3].map((i) => call('POST', records, { fields: { Name: `parallel ${i}` } })),
		);
		expect(answers.map((a) => a.json.code).sort()).toEqual([0, 1254291, 1254291]);
		expect(fake.bitable.writeConflicts).toBe(2);
		// One after the other: no conflict.
		for (const i of [4, 5])
			expect((await call('POST', records, { fields: { Name: `serial ${i}` } })).json.code).toBe(0);
		// Other tables are not affected.
		const other = await Promise.all([
			call('POST', records, { fields: { Name: 'a' } }),
			call('POST', `/open-apis/bitable/v1/apps/${BASE}/tables/tblSandboxPeople1/records`, {
				fields: { Name: 'b' },
			}),
		]);
		expect(other.map((a) => a.json.code)).toEqual([0, 0]);
	});

	it('uploads attachments to a base and serves them', async () => {
		const bytes = Buffer.from('89504e470d0a1a0a0000', 'hex');
		const up = await upload(bytes, {
			file_name: 'chart.png',
			parent_type: 'bitable_image',
			parent_node: BASE,
			size: String(bytes.length),
		});
		expect(up.json.code).toBe(0);
		const fileToken = String(data(up).file_token);
		expect(fake.bitable.media.get(fileToken)).toMatchObject({
			fileName: 'chart.png',
			mimeType: 'image/png',
			appToken: BASE,
		});
		const written = await call('PUT', `${records}/recSbxTask003`, {
			fields: { Files: [{ file_token: fileToken }] },
		});
		const file = (data(written).record as { fields: { Files: Array<Record<string, unknown>> } })
			.fields.Files[0];
		expect(file).toMatchObject({
			file_token: fileToken,
			name: 'chart.png',
			type: 'image/png',
			size: bytes.length,
		});
		const download = await fetch(String(file.url), {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(download.headers.get('content-type')).toBe('image/png');
		expect(download.headers.get('content-disposition')).toBe('attachment; filename="chart.png"');
		expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

		expect(
			(
				await upload(bytes, {
					file_name: 'a.png',
					parent_type: 'bitable_image',
					parent_node: BASE,
					size: '3',
				})
			).json.code,
		).toBe(1062009);
		expect(
			(
				await upload(bytes, {
					file_name: 'a.png',
					parent_type: 'bitable_file',
					parent_node: 'bascnUnknown',
					size: String(bytes.length),
				})
			).json.code,
		).toBe(1061044);
		expect(
			(
				await upload(bytes, {
					file_name: 'a.png',
					parent_type: 'bitable_file',
					parent_node: BASE,
					size: '20971521',
				})
			).json.code,
		).toBe(1061043);
		// Adler-32 checksum; a name that is not ASCII is sent percent-encoded with filename*.
		const named = await upload(
			bytes,
			{
				file_name: '报告.pdf',
				parent_type: 'bitable_file',
				parent_node: BASE,
				size: String(bytes.length),
				checksum: '1',
			},
			'application/pdf',
		);
		expect(named.json.code).toBe(1062008);
		const adler = (b: Buffer) => {
			let [x, y] = [1, 0];
			for (const c of b) [x, y] = [(x + c) % 65521, (y + ((x + c) % 65521)) % 65521];
			return String(((y << 16) | x) >>> 0);
		};
		const report = await upload(
			bytes,
			{
				file_name: '报告.pdf',
				parent_type: 'bitable_file',
				parent_node: BASE,
				size: String(bytes.length),
				checksum: adler(bytes),
			},
			'application/pdf',
		);
		const reportFile = await fetch(
			`${fake.url}/open-apis/drive/v1/medias/${String(data(report).file_token)}/download`,
			{ headers: { Authorization: `Bearer ${token}` } },
		);
		expect(reportFile.headers.get('content-disposition')).toBe(
			`attachment; filename="%E6%8A%A5%E5%91%8A.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`,
		);
		expect(
			(
				await fetch(`${fake.url}/open-apis/drive/v1/medias/boxUnknown/download`, {
					headers: { Authorization: `Bearer ${token}` },
				})
			).status,
		).toBe(404);
		// A token uploaded to another base may not be used here.
		const elsewhere = await upload(bytes, {
			file_name: 'b.png',
			parent_type: 'bitable_file',
			parent_node: 'bascnBenchBase00001',
			size: String(bytes.length),
		});
		expect(
			(
				await call('PUT', `${records}/recSbxTask003`, {
					fields: { Files: [{ file_token: String(data(elsewhere).file_token) }] },
				})
			).json.code,
		).toBe(1254303);
	});

	it('refuses the base the app was not added to, and unknown bases and tables', async () => {
		const denied = await call(
			'POST',
			`/open-apis/bitable/v1/apps/bascnNoAccess00001/tables/tblNoAccess000001/records/search`,
			{},
		);
		expect([denied.status, denied.json.code, denied.json.msg]).toEqual([403, 91403, 'Forbidden']);
		expect((await call('GET', `/open-apis/bitable/v1/apps/bascnNoAccess00001/tables`)).status).toBe(
			403,
		);
		expect((await call('GET', `/open-apis/bitable/v1/apps/bascnUnknown/tables`)).json.code).toBe(
			1254040,
		);
		expect(
			(
				await call(
					'POST',
					`/open-apis/bitable/v1/apps/${BASE}/tables/tblUnknown/records/search`,
					{},
				)
			).json.code,
		).toBe(1254041);
	});

	it('creates and deletes tables', async () => {
		const created = await call('POST', `/open-apis/bitable/v1/apps/bascnBenchBase00001/tables`, {
			table: {
				name: 'Extra',
				fields: [
					{ field_name: 'Title', type: 1 },
					{ field_name: 'Score', type: 2 },
				],
			},
		});
		expect(data(created)).toMatchObject({
			table_id: expect.stringMatching(/^tbl/),
			default_view_id: expect.stringMatching(/^vew/),
			field_id_list: [expect.stringMatching(/^fld/), expect.stringMatching(/^fld/)],
		});
		expect(
			(
				await call('POST', `/open-apis/bitable/v1/apps/bascnBenchBase00001/tables`, {
					table: { name: 'Extra' },
				})
			).json.code,
		).toBe(1254013);
		expect(
			(
				await call(
					'DELETE',
					`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/${String(data(created).table_id)}`,
				)
			).json.code,
		).toBe(0);
		expect(
			(
				await call(
					'DELETE',
					`/open-apis/bitable/v1/apps/bascnBenchBase00001/tables/tblBench000000001`,
				)
			).json.code,
		).toBe(1254034);
	});

	it('reads e-mail text, group chats and the control answer', async () => {
		const people = await call(
			'POST',
			`/open-apis/bitable/v1/apps/${BASE}/tables/tblSandboxPeople1/records/search`,
			{},
		);
		expect(
			(data(people).items as Array<{ fields: Record<string, unknown> }>)[0].fields.Email,
		).toEqual([
			{ type: 'url', text: 'zhang.wei@example.com', link: 'mailto:zhang.wei@example.com' },
		]);
		fake.bitable.addTable(BASE, 'Chats', [
			{ field_name: 'Name', type: 1 },
			{ field_name: 'Group', type: 23 },
		]);
		const chats = fake.bitable.table(BASE, [...fake.bitable.bases.get(BASE)!.tables.keys()][2])!;
		const written = await call(
			'POST',
			`/open-apis/bitable/v1/apps/${BASE}/tables/${chats.table_id}/records`,
			{ fields: { Name: 'x', Group: [{ id: 'oc_sandbox_general' }] } },
		);
		expect((data(written).record as { fields: Record<string, unknown> }).fields.Group).toEqual([
			{ id: 'oc_sandbox_general', name: 'Sandbox general', avatar_url: '' },
		]);
		expect(
			(
				await call('POST', `/open-apis/bitable/v1/apps/${BASE}/tables/${chats.table_id}/records`, {
					fields: { Group: ['oc_sandbox_general'] },
				})
			).json.code,
		).toBe(1254015);
		const control = (await (await fetch(`${fake.url}/__fake/messages`)).json()) as {
			bitable: Record<string, Record<string, { count: number }>>;
		};
		expect(control.bitable[BASE][TASKS].count).toBe(3);
		expect(control.bitable[BASE][chats.table_id].count).toBe(1);
	});

	it('resolves wiki nodes', async () => {
		const node = await call(
			'GET',
			'/open-apis/wiki/v2/spaces/get_node?token=wikcnSandboxBase001&obj_type=wiki',
		);
		expect(data(node).node).toMatchObject({
			obj_type: 'bitable',
			obj_token: BASE,
			node_type: 'origin',
			node_token: 'wikcnSandboxBase001',
		});
		const doc = await call('GET', '/open-apis/wiki/v2/spaces/get_node?token=wikcnSandboxDoc0001');
		expect(data(doc).node).toMatchObject({ obj_type: 'docx', obj_token: 'doxcnSandboxDoc001' });
		expect(
			(await call('GET', '/open-apis/wiki/v2/spaces/get_node?token=wikcnUnknown')).json.code,
		).toBe(131005);
	});

	it('enforces the documented rate limits when they are on', async () => {
		fake.faults.documentedLimits = true;
		const answers = await Promise.all(
			Array.from({ length: 22 }, () => call('POST', `${records}/search`, {})),
		);
		expect(answers.filter((a) => a.status === 429)).toHaveLength(2);
	});
});
