/**
 * DingTalk AI tables (AI表格): sheets and fields through n8n's engine against the fake's bases, with the
 * operator checked, sheets by ID, by name and from the list, and field types and properties checked as the
 * field-type page documents them.
 */
import type { IDataObject } from 'n8n-workflow';

import { NOTABLE_BASE, NOTABLE_PRIVATE, NOTABLE_TASKS } from '../fake-api/dingtalk-notable';
import { USERS } from '../fake-api/server';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const LINK = `https://alidocs.dingtalk.com/i/nodes/${NOTABLE_BASE}?utm_scene=team_space`;
const base = (value = LINK, mode = 'url') => ({ __rl: true, mode, value });
const sheet = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const at = (extra: IDataObject = {}) => ({ unionId: USERS.member, base: base(), ...extra });

describe('DingTalk › AI Table Sheet', () => {
	it("lists a base's sheets from its link or its ID, as the operator", async () => {
		const run = await env.bench.run(ding('notableSheet', 'getAll', at()));
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{ baseId: NOTABLE_BASE, sheetId: NOTABLE_TASKS, name: 'Tasks' },
			{ baseId: NOTABLE_BASE, sheetId: 'stNotableNotes01', name: 'Notes' },
		]);
		const byId = await env.bench.run(
			ding('notableSheet', 'getAll', at({ base: base(NOTABLE_BASE, 'id') })),
		);
		expect(byId.json).toHaveLength(2);
		const calls = env.fake.calls('dingtalk.notableSheet.getAll');
		expect(calls.map((c) => [c.path, c.query])).toEqual([
			[`/v1.0/notable/bases/${NOTABLE_BASE}/sheets`, { operatorId: USERS.member }],
			[`/v1.0/notable/bases/${NOTABLE_BASE}/sheets`, { operatorId: USERS.member }],
		]);
		const list = (await env.bench.loadOptions('dingTalk', 'listSearch', 'searchNotableSheets', {
			resource: 'notableField',
			operation: 'getAll',
			...at(),
		})) as { results: Array<{ name: string; value: string }> };
		expect(list.results).toEqual([
			{ name: 'Tasks', value: NOTABLE_TASKS },
			{ name: 'Notes', value: 'stNotableNotes01' },
		]);
	});

	it('creates a sheet with typed fields (the first its primary field), then deletes it by name; the last sheet stays', async () => {
		const created = await env.bench.run(
			ding(
				'notableSheet',
				'create',
				at({
					name: 'Leads',
					fields: {
						field: [
							{ name: 'Company', type: 'text' },
							{
								name: 'Stage',
								type: 'singleSelect',
								property: '{"choices":[{"name":"New"},{"name":"Won"}]}',
							},
							{
								name: 'Value',
								type: 'currency',
								property: { currencyType: 'USD', formatter: 'FLOAT_2' },
							},
						],
					},
				}),
			),
		);
		expect(created.error).toBeUndefined();
		const sheetId = String(created.json[0].sheetId);
		expect(created.json[0]).toMatchObject({ baseId: NOTABLE_BASE, name: 'Leads' });
		expect(env.fake.calls('dingtalk.notableSheet.create')[0].body).toEqual({
			name: 'Leads',
			fields: [
				{ name: 'Company', type: 'text' },
				{
					name: 'Stage',
					type: 'singleSelect',
					property: { choices: [{ name: 'New' }, { name: 'Won' }] },
				},
				{
					name: 'Value',
					type: 'currency',
					property: { currencyType: 'USD', formatter: 'FLOAT_2' },
				},
			],
		});
		const fields = await env.bench.run(
			ding('notableField', 'getAll', at({ sheet: sheet(sheetId) })),
		);
		expect(fields.json.map((f) => [f.name, f.type, f.primary])).toEqual([
			['Company', 'text', true],
			['Stage', 'singleSelect', false],
			['Value', 'currency', false],
		]);
		expect((fields.json[1].property as IDataObject).choices).toEqual([
			{ id: expect.any(String), name: 'New' },
			{ id: expect.any(String), name: 'Won' },
		]);

		const removed = await env.bench.run(
			ding('notableSheet', 'delete', at({ sheet: sheet('Leads', 'name') })),
		);
		expect(removed.json[0]).toMatchObject({ deleted: true, sheet: 'Leads' });
		expect(env.fake.calls('dingtalk.notableSheet.delete')[0].path).toBe(
			`/v1.0/notable/bases/${NOTABLE_BASE}/sheets/Leads`,
		);
		// Notes, then Tasks: the last one stays.
		await env.bench.run(ding('notableSheet', 'delete', at({ sheet: sheet('stNotableNotes01') })));
		const last = await env.bench.run(
			ding('notableSheet', 'delete', at({ sheet: sheet(NOTABLE_TASKS) })),
		);
		expect(last.error?.message).toMatch(/forbidden\.operationIllegal/);
		expect(last.error?.description).toMatch(/for example deleting the last sheet/);
		// A lost answer of a delete is not sent again (a repeat would be "not found").
		expect(env.fake.calls('dingtalk.notableSheet.delete')).toHaveLength(3);
	});

	it('stops bad input before any request: a field named twice, a property that is not JSON, a sheet name that would leave the path', async () => {
		const twice = await env.bench.run(
			ding(
				'notableSheet',
				'create',
				at({
					name: 'Twice',
					fields: {
						field: [
							{ name: 'A', type: 'text' },
							{ name: 'A', type: 'number' },
						],
					},
				}),
			),
		);
		expect(twice.error?.message).toMatch(/Fields.*"A" is given twice/);
		const notJson = await env.bench.run(
			ding(
				'notableField',
				'create',
				at({ sheet: sheet(NOTABLE_TASKS), name: 'X', type: 'number', property: '{formatter' }),
			),
		);
		expect(notJson.error?.message).toMatch(/Property \(JSON\).*is not JSON/);
		const escape = await env.bench.run(
			ding('notableField', 'getAll', at({ sheet: sheet('../../other', 'name') })),
		);
		expect(escape.error?.message).toMatch(/Sheet.*must not contain/);
		const badLink = await env.bench.run(
			ding('notableSheet', 'getAll', at({ base: base('not an/id', 'id') })),
		);
		expect(badLink.error?.message).toMatch(/AI Table.*an AI table ID has only letters/);
		expect(env.fake.requests.filter((r) => r.key.startsWith('dingtalk.notable'))).toEqual([]);
	});

	it('reports the documented codes with their meaning: an operator who cannot open the base, a sheet that is not there', async () => {
		const denied = await env.bench.run(
			ding('notableSheet', 'getAll', at({ base: base(NOTABLE_PRIVATE, 'id') })),
		);
		expect(denied.error?.message).toMatch(/invalidRequest\.document\.notFound/);
		expect(denied.error?.description).toMatch(/Operator Union ID is a collaborator/);
		const missing = await env.bench.run(
			ding('notableField', 'getAll', at({ sheet: sheet('stNotThere0001') })),
		);
		expect(missing.error?.message).toMatch(/invalidRequest\.resource\.notFound/);
		expect(missing.error?.description).toMatch(/sheet, field or record does not exist/);
	});
});

describe('DingTalk › AI Table Field', () => {
	it('lists the fields of a sheet by name with their kinds, and creates one; a property the type does not take is refused', async () => {
		const fields = await env.bench.run(
			ding('notableField', 'getAll', at({ sheet: sheet('Tasks', 'name') })),
		);
		expect(fields.error).toBeUndefined();
		expect(fields.json.map((f) => f.type)).toEqual([
			'text',
			'number',
			'currency',
			'singleSelect',
			'multipleSelect',
			'date',
			'user',
			'department',
			'attachment',
			'unidirectionalLink',
			'url',
		]);
		expect(fields.json[0]).toMatchObject({ name: 'Name', primary: true, writable: true });
		expect(env.fake.calls('dingtalk.notableField.getAll')[0].path).toBe(
			`/v1.0/notable/bases/${NOTABLE_BASE}/sheets/Tasks/fields`,
		);

		const created = await env.bench.run(
			ding(
				'notableField',
				'create',
				at({
					sheet: sheet(NOTABLE_TASKS),
					name: 'Priority',
					type: 'singleSelect',
					property: '{"choices":[{"name":"High"},{"name":"Low"}]}',
				}),
			),
		);
		expect(created.error).toBeUndefined();
		expect(created.json[0]).toMatchObject({
			name: 'Priority',
			type: 'singleSelect',
			primary: false,
		});
		expect(env.fake.notables.bases.get(NOTABLE_BASE)!.sheets[0].fields.at(-1)).toMatchObject({
			name: 'Priority',
			type: 'singleSelect',
		});

		const bad = await env.bench.run(
			ding(
				'notableField',
				'create',
				at({
					sheet: sheet(NOTABLE_TASKS),
					name: 'Ratio',
					type: 'number',
					property: '{"formatter":"HALF"}',
				}),
			),
		);
		expect(bad.error?.message).toMatch(/invalidRequest\.inputArgs\.invalid/);
		expect(bad.error?.message).toMatch(/formatter "HALF"/);
	});
});

describe('DingTalk › AI Table Record', () => {
	const tasks = (extra: IDataObject = {}) => at({ sheet: sheet(NOTABLE_TASKS), ...extra });
	const defineBelow = (value: IDataObject) => ({ mappingMode: 'defineBelow', value });
	const stored = (id: string) =>
		env.fake.notables.bases.get(NOTABLE_BASE)!.sheets[0].records.get(id)?.fields;

	it('offers the fields as typed columns, the primary field first, attachments as binary properties', async () => {
		const mapped = (await env.bench.loadOptions(
			'dingTalk',
			'resourceMapping',
			'getNotableColumns',
			{
				resource: 'notableRecord',
				operation: 'create',
				...tasks(),
			},
		)) as { fields: IDataObject[] };
		const field = (id: string) => mapped.fields.find((f) => f.id === id);
		expect(mapped.fields[0]).toMatchObject({ id: 'Name', type: 'string', display: true });
		expect(field('Status')).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Todo', value: 'Todo' },
				{ name: 'Doing', value: 'Doing' },
				{ name: 'Done', value: 'Done' },
			],
		});
		expect(field('Count')).toMatchObject({ type: 'number' });
		expect(field('Budget')).toMatchObject({ type: 'number' });
		expect(field('Due')).toMatchObject({ type: 'dateTime' });
		expect(field('Owner')).toMatchObject({ displayName: 'Owner (user IDs)' });
		expect(field('Files')).toMatchObject({
			displayName: 'Files (binary properties)',
			display: true,
		});
	});

	it('creates a record with every converted type, sent in the documented shapes with a clientToken, and reads it back typed', async () => {
		const run = await env.bench.run(
			ding(
				'notableRecord',
				'create',
				tasks({
					columns: defineBelow({
						Name: 'Plan the launch',
						Count: '4',
						Budget: 1200.5,
						Status: 'Todo',
						Tags: 'red, green',
						Due: '2026-12-01T08:00:00Z',
						Owner: `${USERS.member}, ${USERS.admin}`,
						Team: '100',
						Related: 'recNotableTask01',
						Website: 'https://example.com/launch',
					}),
				}),
			),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.notableRecord.insert');
		expect(call.query.clientToken).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(call.body).toEqual({
			records: [
				{
					fields: {
						Name: 'Plan the launch',
						Count: 4,
						Budget: 1200.5,
						Status: 'Todo',
						Tags: ['red', 'green'],
						Due: Date.parse('2026-12-01T08:00:00Z'),
						Owner: [{ unionId: USERS.member }, { unionId: USERS.admin }],
						Team: [{ deptId: '100' }],
						Related: { linkedRecordIds: ['recNotableTask01'] },
						Website: { text: 'https://example.com/launch', link: 'https://example.com/launch' },
					},
				},
			],
		});
		expect(run.json[0]).toMatchObject({
			Name: 'Plan the launch',
			Count: 4,
			Budget: 1200.5,
			Status: 'Todo',
			Tags: ['red', 'green'],
			Due: '2026-12-01T08:00:00.000Z',
			Owner: [USERS.member, USERS.admin],
			Team: ['100'],
			Related: ['recNotableTask01'],
			_createdBy: USERS.member,
		});
		expect(stored(String(run.json[0].id))).toMatchObject({ Status: 'Todo', Count: 4 });
	});

	it('a lost answer of a create is sent again with the same clientToken: the record exists once', async () => {
		env.fake.faults.loseAnswers['dingtalk.notableRecord.insert'] = 1;
		const run = await env.bench.run(
			ding('notableRecord', 'create', tasks({ columns: defineBelow({ Name: 'Once only' }) })),
		);
		expect(run.error).toBeUndefined();
		const calls = env.fake.calls('dingtalk.notableRecord.insert');
		expect(calls).toHaveLength(2);
		expect(calls[1].query.clientToken).toBe(calls[0].query.clientToken);
		const named = [...env.fake.notables.bases.get(NOTABLE_BASE)!.sheets[0].records.values()].filter(
			(r) => r.fields.Name === 'Once only',
		);
		expect(named).toHaveLength(1);
	});

	it('stops a value that does not fit its column before any request, naming the column, the item and the type', async () => {
		const run = await env.bench.run({
			...ding(
				'notableRecord',
				'create',
				tasks({
					columns: defineBelow({
						Name: '={{ $json.name }}',
						Count: '={{ $json.count }}',
						Status: '={{ $json.status }}',
					}),
				}),
			),
			items: [
				{ name: 'ok', count: 1, status: 'Todo' },
				{ name: 'bad count', count: 'many', status: 'Todo' },
				{ name: 'bad status', count: 2, status: 'Archived' },
			],
			continueOnFail: true,
		});
		expect(run.json[0].error).toBeUndefined();
		expect(String(run.json[1].error)).toMatch(
			/column "Count" \(number\): expected a number, got string "many"/,
		);
		expect(String(run.json[2].error)).toMatch(
			/column "Status" \(singleSelect\): "Archived" is not an option/,
		);
		expect(env.fake.calls('dingtalk.notableRecord.insert')).toHaveLength(1);
		const unknown = await env.bench.run(
			ding('notableRecord', 'create', tasks({ columns: defineBelow({ Nope: 'x' }) })),
		);
		expect(unknown.error?.message).toMatch(/"Nope" is not a field of this sheet/);
	});

	it('gets, updates (only the mapped columns) and deletes a record; a missing one is the documented not found', async () => {
		const got = await env.bench.run(
			ding('notableRecord', 'get', tasks({ recordId: 'recNotableTask01' })),
		);
		expect(got.json[0]).toMatchObject({
			id: 'recNotableTask01',
			Name: 'Write the report',
			Count: 3,
			Status: 'Doing',
			Tags: ['red'],
			Owner: [USERS.member],
		});
		const updated = await env.bench.run(
			ding(
				'notableRecord',
				'update',
				tasks({ recordId: 'recNotableTask01', columns: defineBelow({ Status: 'Done', Count: 4 }) }),
			),
		);
		expect(updated.json[0]).toMatchObject({ Name: 'Write the report', Status: 'Done', Count: 4 });
		expect(env.fake.calls('dingtalk.notableRecord.update')[0].body).toEqual({
			records: [{ id: 'recNotableTask01', fields: { Status: 'Done', Count: 4 } }],
		});
		const deleted = await env.bench.run(
			ding('notableRecord', 'delete', tasks({ recordId: 'recNotableTask02' })),
		);
		expect(deleted.json[0]).toEqual({ id: 'recNotableTask02', deleted: true });
		expect(stored('recNotableTask02')).toBeUndefined();
		const missing = await env.bench.run(
			ding('notableRecord', 'get', tasks({ recordId: 'recNotableTask02' })),
		);
		expect(missing.error?.message).toMatch(/invalidRequest\.resource\.notFound/);
		const escape = await env.bench.run(
			ding('notableRecord', 'get', tasks({ recordId: '../fields' })),
		);
		expect(escape.error?.message).toMatch(/Record ID.*must not contain/);
	});

	it('searches with conditions (all or any), 100 a page with Return All, or a Limit', async () => {
		const records = env.fake.notables.bases.get(NOTABLE_BASE)!.sheets[0].records;
		for (let i = 0; i < 230; i++)
			records.set(`recBulk${i}`, {
				id: `recBulk${i}`,
				fields: { Name: `Bulk ${i}`, Count: i, Status: i % 2 ? 'Todo' : 'Done' },
				createdBy: USERS.member,
				lastModifiedBy: USERS.member,
				createdTime: 0,
				lastModifiedTime: 0,
			});
		const all = await env.bench.run(
			ding(
				'notableRecord',
				'search',
				tasks({
					returnAll: true,
					filters: {
						condition: [
							{ field: 'Status', operator: 'equal', value: 'Todo' },
							{ field: 'Count', operator: 'greaterEqual', value: '100' },
						],
					},
				}),
			),
		);
		expect(all.error).toBeUndefined();
		expect(all.json).toHaveLength(65);
		expect(all.json.every((r) => r.Status === 'Todo' && Number(r.Count) >= 100)).toBe(true);
		const pages = env.fake.calls('dingtalk.notableRecord.list');
		expect(pages).toHaveLength(1);
		expect(pages[0].body).toEqual({
			maxResults: 100,
			filter: {
				combination: 'and',
				conditions: [
					{ field: 'Status', operator: 'equal', value: ['Todo'] },
					{ field: 'Count', operator: 'greaterEqual', value: [100] },
				],
			},
		});
		const everything = await env.bench.run(
			ding('notableRecord', 'search', tasks({ returnAll: true })),
		);
		expect(everything.json).toHaveLength(233);
		expect(env.fake.calls('dingtalk.notableRecord.list')).toHaveLength(4);
		const limited = await env.bench.run(
			ding(
				'notableRecord',
				'search',
				tasks({
					returnAll: false,
					limit: 5,
					combination: 'or',
					filters: {
						condition: [
							{ field: 'Name', operator: 'contain', value: 'report' },
							{ field: 'Status', operator: 'empty' },
						],
					},
				}),
			),
		);
		expect(limited.json.map((r) => r.Name)).toEqual(['Write the report']);
		expect(env.fake.calls('dingtalk.notableRecord.list').at(-1)!.body).toMatchObject({
			maxResults: 5,
			filter: {
				combination: 'or',
				conditions: [
					{ field: 'Name', operator: 'contain', value: ['report'] },
					{ field: 'Status', operator: 'empty' },
				],
			},
		});
	});

	const records = () => [...env.fake.notables.bases.get(NOTABLE_BASE)!.sheets[0].records.values()];

	it('Create Many: 1,200 items in calls of 100, every item checked first; one wrong value in a batch of 3 writes nothing', async () => {
		const run = await env.bench.run({
			...ding(
				'notableRecord',
				'createMany',
				tasks({ columns: { mappingMode: 'autoMapInputData', value: null } }),
			),
			items: Array.from({ length: 1200 }, (_, i) => ({
				Name: `Item ${i}`,
				Count: i,
				Status: 'Todo',
			})),
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(1200);
		expect(run.json[1199]).toMatchObject({ Name: 'Item 1199', Count: 1199, Status: 'Todo' });
		const calls = env.fake.calls('dingtalk.notableRecord.insert');
		expect(calls.map((c) => (c.body as { records: unknown[] }).records.length)).toEqual(
			Array(12).fill(100),
		);
		expect(new Set(calls.map((c) => c.query.clientToken)).size).toBe(12);
		expect(records().filter((r) => String(r.fields.Name).startsWith('Item '))).toHaveLength(1200);

		const bad = await env.bench.run({
			...ding(
				'notableRecord',
				'createMany',
				tasks({ columns: { mappingMode: 'autoMapInputData', value: null } }),
			),
			items: [
				{ Name: 'a', Count: 1 },
				{ Name: 'b', Count: 'two' },
				{ Name: 'c', Count: 3 },
			],
		});
		expect(bad.error?.message).toMatch(
			/column "Count" \(number\): expected a number, got string "two"/,
		);
		expect(env.fake.calls('dingtalk.notableRecord.insert')).toHaveLength(12);
	});

	it('Create Many: a lost answer is sent again with the same clientToken, and each record exists once', async () => {
		env.fake.faults.loseAnswers['dingtalk.notableRecord.insert'] = 1;
		const run = await env.bench.run({
			...ding(
				'notableRecord',
				'createMany',
				tasks({ columns: { mappingMode: 'autoMapInputData', value: null } }),
			),
			items: [{ Name: 'L1' }, { Name: 'L2' }],
		});
		expect(run.error).toBeUndefined();
		const calls = env.fake.calls('dingtalk.notableRecord.insert');
		expect(calls).toHaveLength(2);
		expect(calls[1].query.clientToken).toBe(calls[0].query.clientToken);
		expect(records().filter((r) => r.fields.Name === 'L1' || r.fields.Name === 'L2')).toHaveLength(
			2,
		);
	});

	it('Update Many and Delete Many go in batches; a lost delete is not sent again and says the outcome is unknown', async () => {
		const updated = await env.bench.run({
			...ding(
				'notableRecord',
				'updateMany',
				tasks({
					recordId: '={{ $json.id }}',
					columns: defineBelow({ Status: '={{ $json.status }}' }),
				}),
			),
			items: [
				{ id: 'recNotableTask01', status: 'Done' },
				{ id: 'recNotableTask02', status: 'Doing' },
			],
		});
		expect(updated.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.notableRecord.update')[0].body).toEqual({
			records: [
				{ id: 'recNotableTask01', fields: { Status: 'Done' } },
				{ id: 'recNotableTask02', fields: { Status: 'Doing' } },
			],
		});
		expect(stored('recNotableTask02')).toMatchObject({ Status: 'Doing' });
		const deleted = await env.bench.run({
			...ding('notableRecord', 'deleteMany', tasks({ recordId: '={{ $json.id }}' })),
			items: [{ id: 'recNotableTask01' }, { id: 'recNotableTask02' }],
		});
		expect(deleted.json).toEqual([
			{ id: 'recNotableTask01', deleted: true },
			{ id: 'recNotableTask02', deleted: true },
		]);
		expect(env.fake.calls('dingtalk.notableRecord.delete')).toHaveLength(1);
		env.fake.faults.loseAnswers['dingtalk.notableRecord.delete'] = 1;
		const lost = await env.bench.run({
			...ding('notableRecord', 'deleteMany', tasks({ recordId: '={{ $json.id }}' })),
			items: [{ id: 'recNotableTask03' }],
		});
		expect(lost.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('dingtalk.notableRecord.delete')).toHaveLength(2);
	});

	it('Create or Update: finds the record by its key columns and updates it, or creates one; two items of one key make one record', async () => {
		const upsert = (items: IDataObject[]) =>
			env.bench.run({
				...ding(
					'notableRecord',
					'upsert',
					tasks({
						columns: {
							mappingMode: 'defineBelow',
							value: { Name: '={{ $json.name }}', Count: '={{ $json.count }}' },
							matchingColumns: ['Name'],
						},
					}),
				),
				items,
			});
		const first = await upsert([{ name: 'Write the report', count: 9 }]);
		expect(first.json[0]).toMatchObject({ id: 'recNotableTask01', Count: 9 });
		expect(env.fake.calls('dingtalk.notableRecord.list')[0].body).toEqual({
			maxResults: 2,
			filter: {
				combination: 'and',
				conditions: [{ field: 'Name', operator: 'equal', value: ['Write the report'] }],
			},
			fieldIdOrNames: ['Name'],
		});
		const twice = await upsert([
			{ name: 'Brand new', count: 1 },
			{ name: 'Brand new', count: 2 },
		]);
		expect(twice.error).toBeUndefined();
		const made = records().filter((r) => r.fields.Name === 'Brand new');
		expect(made).toHaveLength(1);
		expect(made[0].fields.Count).toBe(2);
		const noKey = await env.bench.run(
			ding(
				'notableRecord',
				'upsert',
				tasks({
					columns: { mappingMode: 'defineBelow', value: { Name: 'x' }, matchingColumns: ['Owner'] },
				}),
			),
		);
		expect(noKey.error?.message).toMatch(/key column "Owner" is a user field/);
	});

	const pdf = (name = 'spec.pdf', text = '%PDF-1.4 spec') => ({
		base64: Buffer.from(text).toString('base64'),
		fileName: name,
		mimeType: 'application/pdf',
	});

	it('writes attachments from binary data in the three documented steps, and downloads them back into binary data', async () => {
		const run = await env.bench.run({
			...ding(
				'notableRecord',
				'create',
				tasks({ columns: defineBelow({ Name: 'With files', Files: 'doc, scan' }) }),
			),
			items: [{ $binary: { doc: pdf(), scan: pdf('scan.pdf', '%PDF-1.4 scanned page') } } as never],
		});
		expect(run.error).toBeUndefined();
		const infos = env.fake.calls('dingtalk.notable.uploadInfo');
		expect(infos.map((c) => [c.path, c.body])).toEqual([
			[
				`/v1.0/doc/docs/resources/${NOTABLE_BASE}/uploadInfos/query`,
				{ size: 13, mediaType: 'application/pdf', resourceName: 'spec.pdf' },
			],
			[
				`/v1.0/doc/docs/resources/${NOTABLE_BASE}/uploadInfos/query`,
				{ size: 21, mediaType: 'application/pdf', resourceName: 'scan.pdf' },
			],
		]);
		const puts = env.fake.calls('dingtalk.notable.upload');
		expect(puts.map((c) => [c.headers['content-type'], c.rawBytes.toString()])).toEqual([
			['application/pdf', '%PDF-1.4 spec'],
			['application/pdf', '%PDF-1.4 scanned page'],
		]);
		const written = (
			env.fake.calls('dingtalk.notableRecord.insert')[0].body as {
				records: Array<{ fields: IDataObject }>;
			}
		).records[0].fields.Files as IDataObject[];
		expect(written[0]).toEqual({
			filename: 'spec.pdf',
			size: 13,
			type: 'application/pdf',
			url: expect.stringMatching(/^\/core\/api\/resources\/img\//),
			resourceId: expect.any(String),
		});
		expect(run.json[0].Files).toEqual([
			{ filename: 'spec.pdf', size: 13, type: 'pdf' },
			{ filename: 'scan.pdf', size: 21, type: 'pdf' },
		]);

		const got = await env.bench.run(
			ding(
				'notableRecord',
				'get',
				tasks({ recordId: String(run.json[0].id), options: { downloadAttachments: true } }),
			),
		);
		expect(got.error).toBeUndefined();
		const binary = got.items[0].binary ?? {};
		expect(Object.keys(binary)).toEqual(['attachment_0', 'attachment_1']);
		expect(Buffer.from(binary.attachment_1.data, 'base64').toString()).toBe(
			'%PDF-1.4 scanned page',
		);
		expect(binary.attachment_0).toMatchObject({
			fileName: 'spec.pdf',
			mimeType: 'application/pdf',
		});
	});

	it('a missing binary property stops the item before any request; a refused upload names the file, never the signed URL', async () => {
		const missing = await env.bench.run(
			ding(
				'notableRecord',
				'create',
				tasks({ columns: defineBelow({ Name: 'x', Files: 'nothing' }) }),
			),
		);
		expect(missing.error?.message).toMatch(/Columns › Files.*no binary property "nothing"/);
		expect(env.fake.calls('dingtalk.notable.uploadInfo')).toHaveLength(0);
		env.fake.script('dingtalk.notable.upload', {
			status: 403,
			body: '<Error><Code>AccessDenied</Code></Error>',
		});
		const refused = await env.bench.run({
			...ding(
				'notableRecord',
				'create',
				tasks({ columns: defineBelow({ Name: 'x', Files: 'doc' }) }),
			),
			items: [{ $binary: { doc: pdf() } } as never],
		});
		expect(refused.error?.message).toMatch(
			/The upload of "spec.pdf" to DingTalk's storage failed: HTTP 403/,
		);
		expect(JSON.stringify(refused.error)).not.toMatch(/Signature=/);
		expect(env.fake.calls('dingtalk.notableRecord.insert')).toHaveLength(0);
	});
});
