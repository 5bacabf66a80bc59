/**
 * DingTalk OA approval (OA审批) through n8n's engine against the fake's forms with real schemas: the form
 * as typed columns (the same converters as Feishu's, every value written as text), the instance run through
 * its tasks, no idempotency key (a lost create is not sent again), and repeated decisions told apart.
 */
import type { IDataObject } from 'n8n-workflow';

import { DING_PROCESS_DISABLED, DING_PROCESS_EXPENSE } from '../fake-api/dingtalk-approval';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const code = (value = DING_PROCESS_EXPENSE) => ({ __rl: true, mode: 'id', value });
const defineBelow = (value: IDataObject) => ({ mappingMode: 'defineBelow', value });
const TZ = 'Asia/Shanghai';

const BASIC = {
	Title: 'Trip',
	Reason: 'Client visit',
	'Amount (CNY)': 120.5,
	Category: 'Travel',
	'Expense date': '2026-12-01',
};

async function create(form: IDataObject, extra: IDataObject = {}, items?: IDataObject[]) {
	return await env.bench.run({
		...ding('approval', 'createInstance', {
			processCode: code(),
			originatorUserId: 'staff0003',
			deptId: '-1',
			form: defineBelow(form),
			...extra,
		}),
		...(items ? { items } : {}),
		timezone: TZ,
	});
}

async function started(): Promise<string> {
	const run = await create(BASIC);
	expect(run.error).toBeUndefined();
	return String(run.json[0].instanceId);
}

describe('DingTalk › Approval › form', () => {
	it("gets a form's schema, picks forms from the list, and offers the components as typed columns", async () => {
		const run = await env.bench.run(ding('approval', 'getDefinition', { processCode: code() }));
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ processCode: DING_PROCESS_EXPENSE, status: 'PUBLISHED' });
		const widgets = run.json[0].widgets as IDataObject[];
		expect(widgets.find((w) => w.type === 'DDSelectField')).toMatchObject({
			name: 'Category',
			required: true,
			options: ['Travel', 'Meals', 'Office'],
		});
		expect(widgets.find((w) => w.type === 'TextNote')).toMatchObject({ writable: false });
		expect(env.fake.calls('dingtalk.approval.getDefinition')[0].query).toEqual({
			processCode: DING_PROCESS_EXPENSE,
		});

		const list = (await env.bench.loadOptions(
			'dingTalk',
			'listSearch',
			'searchDingTalkApprovalForms',
			{
				resource: 'approval',
				operation: 'createInstance',
			},
		)) as { results: Array<{ name: string; value: string }> };
		expect(list.results.map((r) => r.value)).toContain(DING_PROCESS_EXPENSE);
		expect(env.fake.calls('dingtalk.approval.listDefinitions')[0].query).toEqual({
			maxResults: '100',
			nextToken: '0',
		});

		const mapped = (await env.bench.loadOptions(
			'dingTalk',
			'resourceMapping',
			'getDingTalkApprovalForm',
			{
				resource: 'approval',
				operation: 'createInstance',
				processCode: code(),
			},
		)) as { fields: IDataObject[] };
		const field = (id: string) => mapped.fields.find((f) => f.id === id);
		expect(field('Category')).toMatchObject({ type: 'options', required: true });
		expect(field('Nights')).toMatchObject({ type: 'number' });
		expect(field('Expense date')).toMatchObject({ type: 'dateTime', required: true });
		expect(field('Note')).toMatchObject({ removed: true });
	});
});

describe('DingTalk › Approval › Create Instance', () => {
	it('writes every component as the text DingTalk documents for it; Get Instance reads the values back typed', async () => {
		const run = await create({
			...BASIC,
			Nights: '2',
			Tags: ['Client', 'Urgent'],
			'["Start","End"]': { start: '2026-12-01', end: '2026-12-03' },
			'Travel companions': 'manager4220, staff0002',
			'Cost center': '100, 200',
			Receipts: [
				{ spaceId: '1234', fileId: '5678', fileName: 'r.pdf', fileSize: '2048', fileType: 'pdf' },
			],
			Photos: 'https://static.example.com/a.png',
			Items: [
				{ Item: 'Taxi', Cost: 35 },
				{ Item: 'Hotel', Cost: '85.5' },
			],
			Phone: '+86 13800000000',
		});
		expect(run.error).toBeUndefined();
		const instanceId = String(run.json[0].instanceId);
		const body = env.fake.calls('dingtalk.approval.createInstance')[0].body as IDataObject;
		expect(body).toMatchObject({
			originatorUserId: 'staff0003',
			processCode: DING_PROCESS_EXPENSE,
			deptId: -1,
		});
		const values = Object.fromEntries(
			(body.formComponentValues as IDataObject[]).map((v) => [String(v.name), v]),
		);
		expect(values.Title).toEqual({
			name: 'Title',
			value: 'Trip',
			id: 'TextField-TITLE01',
			componentType: 'TextField',
		});
		expect(values['Amount (CNY)'].value).toBe('120.5');
		expect(values.Nights.value).toBe('2');
		expect(values['Expense date'].value).toBe('2026-12-01');
		expect(values.Tags.value).toBe('["Client","Urgent"]');
		expect(values['["Start","End"]'].value).toBe('["2026-12-01","2026-12-03"]');
		expect(values['Travel companions'].value).toBe('["manager4220","staff0002"]');
		expect(values['Cost center'].value).toBe('100,200');
		expect(JSON.parse(String(values.Receipts.value))).toEqual([
			{ spaceId: '1234', fileName: 'r.pdf', fileSize: '2048', fileType: 'pdf', fileId: '5678' },
		]);
		expect(values.Photos.value).toBe('["https://static.example.com/a.png"]');
		expect(JSON.parse(String(values.Items.value))).toEqual([
			[
				{ name: 'Item', value: 'Taxi' },
				{ name: 'Cost', value: '35' },
			],
			[
				{ name: 'Item', value: 'Hotel' },
				{ name: 'Cost', value: '85.5' },
			],
		]);
		expect(values.Phone.value).toBe('+86 13800000000');

		const got = await env.bench.run(ding('approval', 'getInstance', { instanceId }));
		expect(got.error).toBeUndefined();
		const fields = got.json[0].fields as IDataObject;
		expect(got.json[0]).toMatchObject({
			instanceId,
			status: 'RUNNING',
			originatorUserId: 'staff0003',
		});
		expect(fields['Amount (CNY)']).toBe(120.5);
		expect(fields.Tags).toEqual(['Client', 'Urgent']);
		expect(fields['["Start","End"]']).toEqual({ start: '2026-12-01', end: '2026-12-03' });
		expect(fields['Cost center']).toEqual(['100', '200']);
		expect((fields.Items as IDataObject[])[1]).toEqual({ Item: 'Hotel', Cost: '85.5' });
		expect((got.json[0].tasks as IDataObject[]).map((t) => [t.userId, t.status])).toEqual([
			['manager4220', 'RUNNING'],
			['staff0002', 'NEW'],
		]);
	});

	it('bad input names the component and the item before any request: an option, a date, an upload from binary data', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[{ Category: 'Boats' }, /"Boats" is not an option \("Travel", "Meals", "Office"\)/],
			[{ 'Expense date': 'soon' }, /expected a date/],
			[{ 'Cost center': 'sales' }, /not a department ID/],
			[{ Receipts: 'data' }, /no server-side upload/],
			[{ Photos: 'a.png' }, /expected image URLs/],
			[{ Note: 'x' }, /cannot be written through the API: a description/],
		];
		for (const [form, message] of cases) {
			env.fake.reset();
			const run = await create({ ...BASIC, ...form });
			expect(run.error?.message).toMatch(message);
			expect(run.error?.message).toMatch(/item 0/);
			expect(env.fake.calls('dingtalk.approval.createInstance')).toHaveLength(0);
		}
		const noDept = await create(BASIC, { deptId: '' });
		expect(noDept.error?.message).toMatch(/Department ID.*-1 for the root/);
	});

	it("with Approvers the template's flow is replaced; a disabled form fails with its meaning", async () => {
		const run = await create(BASIC, {
			deptId: '',
			additionalFields: {
				approvers: { steps: [{ actionType: 'OR', userIds: 'staff0002, manager4220' }] },
				ccList: 'manager4220',
				ccPosition: 'FINISH',
			},
		});
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.approval.createInstance')[0].body).toMatchObject({
			approvers: [{ actionType: 'OR', userIds: ['staff0002', 'manager4220'] }],
			ccList: ['manager4220'],
			ccPosition: 'FINISH',
		});
		const disabled = await env.bench.run(
			ding('approval', 'createInstance', {
				processCode: code(DING_PROCESS_DISABLED),
				originatorUserId: 'staff0003',
				deptId: '-1',
				form: defineBelow({ Destination: 'Hangzhou' }),
			}),
		);
		expect(disabled.error?.message).toMatch(/processGetFailed/);
		expect(disabled.error?.description).toMatch(/not enabled/);
	});

	it('no idempotency key: a create whose answer was lost is not sent again, and says what to look for', async () => {
		env.fake.faults.loseAnswers['dingtalk.approval.createInstance'] = 1;
		const run = await create(BASIC);
		expect(env.fake.calls('dingtalk.approval.createInstance')).toHaveLength(1);
		expect(run.error?.description).toMatch(/outcome is unknown/);
		expect(run.error?.description).toMatch(
			new RegExp(`approval of ${DING_PROCESS_EXPENSE} started by staff0003 at about \\d{4}-`),
		);
		expect(env.fake.dingApprovals.instances.size).toBe(1);
	});
});

describe('DingTalk › Approval › tasks, comments, terminate, list', () => {
	it("approves the approver's running task without a task ID (Long, exact), then the next; a repeat is not a failure", async () => {
		const instanceId = await started();
		const approve = (userId: string, taskId?: string) =>
			env.bench.run(
				ding('approval', 'approveTask', {
					instanceId,
					userId,
					remark: 'OK',
					...(taskId ? { taskId } : {}),
				}),
			);
		const first = await approve('manager4220');
		expect(first.error).toBeUndefined();
		const call = env.fake.calls('dingtalk.approval.executeTask')[0];
		expect(call.body).toMatchObject({
			processInstanceId: instanceId,
			result: 'agree',
			actionerUserId: 'manager4220',
			taskId: first.json[0].taskId,
			remark: 'OK',
		});
		const again = await approve('manager4220', String(first.json[0].taskId));
		expect(again.json[0]).toMatchObject({ alreadyDecided: true });
		const second = await approve('staff0002');
		expect(second.error).toBeUndefined();
		const done = await env.bench.run(ding('approval', 'getInstance', { instanceId }));
		expect(done.json[0]).toMatchObject({ status: 'COMPLETED', result: 'agree' });
	});

	it("a task that is not the approver's is needAuth; rejecting ends the approval as refused", async () => {
		const instanceId = await started();
		const tasks = (await env.bench.run(ding('approval', 'getInstance', { instanceId }))).json[0]
			.tasks as IDataObject[];
		const wrong = await env.bench.run(
			ding('approval', 'approveTask', {
				instanceId,
				userId: 'staff0002',
				taskId: String(tasks[0].taskId),
			}),
		);
		expect(wrong.error?.message).toMatch(/needAuth/);
		expect(wrong.error?.description).toMatch(/not its approver/);
		const reject = await env.bench.run(
			ding('approval', 'rejectTask', { instanceId, userId: 'manager4220' }),
		);
		expect(reject.json[0]).toMatchObject({ decision: 'REFUSE' });
		expect(env.fake.dingApprovals.instance(instanceId)).toMatchObject({
			status: 'COMPLETED',
			result: 'refuse',
		});
	});

	it('transfers a task as its current approver; another operator is param.illegal.operator', async () => {
		const instanceId = await started();
		const running = (
			(await env.bench.run(ding('approval', 'getInstance', { instanceId }))).json[0]
				.tasks as IDataObject[]
		)[0];
		const bad = await env.bench.run(
			ding('approval', 'transferTask', {
				instanceId,
				userId: 'staff0002',
				toUserId: 'staff0003',
				taskId: String(running.taskId),
			}),
		);
		expect(bad.error?.message).toMatch(/param\.illegal\.operator/);
		expect(bad.error?.description).toMatch(/not the task's current approver/);
		const run = await env.bench.run(
			ding('approval', 'transferTask', {
				instanceId,
				userId: 'manager4220',
				toUserId: 'staff0003',
			}),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.approval.redirectTask').at(-1)?.body).toMatchObject({
			toUserId: 'staff0003',
			operateUserId: 'manager4220',
		});
		const tasks = (await env.bench.run(ding('approval', 'getInstance', { instanceId }))).json[0]
			.tasks as IDataObject[];
		expect(tasks.some((t) => t.userId === 'staff0003' && t.status === 'RUNNING')).toBe(true);
	});

	it('comments, and terminates (by the system, or as the originator); a second terminate is not a failure', async () => {
		env.fake.dingApprovals.terminateGraceMs = 0;
		const instanceId = await started();
		const comment = await env.bench.run(
			ding('approval', 'addComment', {
				instanceId,
				commentUserId: 'manager4220',
				text: 'Receipt?',
			}),
		);
		expect(comment.json[0]).toEqual({ instanceId, commented: true });
		const stranger = await env.bench.run(
			ding('approval', 'cancelInstance', { instanceId, operatingUserId: 'staff0002' }),
		);
		expect(stranger.error).toBeDefined();
		const run = await env.bench.run(
			ding('approval', 'cancelInstance', {
				instanceId,
				operatingUserId: 'staff0003',
				remark: 'Wrong',
			}),
		);
		expect(run.json[0]).toEqual({ instanceId, cancelled: true });
		expect(env.fake.calls('dingtalk.approval.terminateInstance').at(-1)?.body).toEqual({
			processInstanceId: instanceId,
			isSystem: false,
			operatingUserId: 'staff0003',
			remark: 'Wrong',
		});
		const again = await env.bench.run(ding('approval', 'cancelInstance', { instanceId }));
		expect(again.json[0]).toMatchObject({ alreadyCancelled: true });
	});

	it('within 15 seconds of its start an approval cannot be terminated: the documented meaning says so', async () => {
		const instanceId = await started();
		const run = await env.bench.run(ding('approval', 'cancelInstance', { instanceId }));
		expect(run.error?.message).toMatch(/aflowProcessInstStatusException/);
		expect(run.error?.description).toMatch(/within 15 seconds/);
	});

	it('lists instance IDs 20 a page (nextToken from 0), with details when asked', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 22; i++) ids.push(await started());
		const now = Date.now();
		const run = await env.bench.run(
			ding('approval', 'getManyInstances', {
				processCode: code(),
				startTime: new Date(now - 3600_000).toISOString(),
				endTime: new Date(now + 60_000).toISOString(),
				returnAll: true,
				statuses: ['RUNNING'],
			}),
		);
		expect(run.json.map((r) => r.instanceId)).toEqual(ids);
		const calls = env.fake.calls('dingtalk.approval.listInstanceIds');
		expect(calls.map((c) => (c.body as IDataObject).nextToken)).toEqual([0, 20]);
		expect(calls[0].body).toMatchObject({ maxResults: 20, statuses: ['RUNNING'] });
		const detailed = await env.bench.run(
			ding('approval', 'getManyInstances', {
				processCode: code(),
				startTime: new Date(now - 3600_000).toISOString(),
				endTime: new Date(now + 60_000).toISOString(),
				limit: 2,
				includeDetails: true,
			}),
		);
		expect(detailed.json.map((r) => [r.instanceId, r.status])).toEqual([
			[ids[0], 'RUNNING'],
			[ids[1], 'RUNNING'],
		]);
	});
});
