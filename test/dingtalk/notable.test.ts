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
