/**
 * Feishu Approval (审批 v4) through n8n's engine against the fake's definitions with real forms: the form
 * as typed columns checked before any request, attachments uploaded to the approval file host, the
 * instance run through its tasks, and never twice (the uuid).
 */
import type { IDataObject } from 'n8n-workflow';

import { APPROVAL_EXPENSE, APPROVAL_FREE, APPROVAL_INACTIVE } from '../fake-api/feishu-approval';
import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const code = (value = APPROVAL_EXPENSE) => ({ __rl: true, mode: 'id', value });
const defineBelow = (value: IDataObject) => ({ mappingMode: 'defineBelow', value });
const TZ = 'Asia/Shanghai';

/** Every widget type of the Expense claim, filled as an n8n user would. */
const FULL_FORM = {
	Title: 'Trip to Hangzhou',
	Reason: 'Client visit',
	Nights: '2',
	Amount: '120.5 USD',
	Date: '2026-12-01',
	Trip: { start: '2026-12-01', end: '2026-12-03' },
	Category: 'Meals',
	Tags: 'Urgent, Client related',
	Attendees: 'ou_2, u003',
	Department: 'od-4e6ac4d14bcd5071a37a39de902c7141',
	Receipts: 'receipt',
	Items: [
		{ Item: 'Taxi', Cost: 35 },
		{ Item: 'Hotel', Cost: '85.5' },
	],
	Phone: '+86 13800000000',
};

/** The fake's widget names for the Expense claim, read from its definition (so the test follows the seed). */
async function widgetNames(): Promise<Record<string, string>> {
	const run = await env.bench.run(feishu('approval', 'getDefinition', { approvalCode: code() }));
	return Object.fromEntries(
		(run.json[0].widgets as IDataObject[]).map((w) => [String(w.id), String(w.name)]),
	);
}

/** FULL_FORM keyed by the fake's widget names. */
async function fullForm(): Promise<IDataObject> {
	const names = await widgetNames();
	const byId: Record<string, unknown> = {
		widget_title: FULL_FORM.Title,
		widget_reason: FULL_FORM.Reason,
		widget_nights: FULL_FORM.Nights,
		widget_amount: FULL_FORM.Amount,
		widget_date: FULL_FORM.Date,
		widget_trip: FULL_FORM.Trip,
		widget_category: FULL_FORM.Category,
		widget_tags: FULL_FORM.Tags,
		widget_attendees: FULL_FORM.Attendees,
		widget_department: FULL_FORM.Department,
		widget_receipts: FULL_FORM.Receipts,
		widget_items: FULL_FORM.Items,
		widget_phone: FULL_FORM.Phone,
	};
	return Object.fromEntries(Object.entries(byId).map(([id, v]) => [names[id], v])) as IDataObject;
}

const receiptItem = (json: IDataObject = {}) => ({
	...json,
	$binary: {
		receipt: {
			base64: Buffer.from('%PDF-1.4 receipt').toString('base64'),
			fileName: 'receipt.pdf',
			mimeType: 'application/pdf',
		},
	},
});

async function create(form: IDataObject, extra: IDataObject = {}, items?: IDataObject[]) {
	return await env.bench.run({
		...feishu('approval', 'createInstance', {
			approvalCode: code(),
			userId: 'ou_1',
			form: defineBelow(form),
			...extra,
		}),
		items: items ?? [receiptItem()],
		timezone: TZ,
	});
}

describe('Feishu › Approval › definition and form', () => {
	it('gets a definition with its widgets (types, required, options), by ID or by the admin console address', async () => {
		const run = await env.bench.run(feishu('approval', 'getDefinition', { approvalCode: code() }));
		expect(run.error).toBeUndefined();
		const widgets = run.json[0].widgets as IDataObject[];
		expect(run.json[0]).toMatchObject({ approvalCode: APPROVAL_EXPENSE, status: 'ACTIVE' });
		expect(widgets.find((w) => w.id === 'widget_category')).toMatchObject({
			type: 'radioV2',
			required: true,
			options: ['Travel', 'Meals', 'Office supplies'],
		});
		expect(widgets.find((w) => w.id === 'widget_serial')).toMatchObject({ writable: false });
		const byUrl = await env.bench.run(
			feishu('approval', 'getDefinition', {
				approvalCode: {
					__rl: true,
					mode: 'url',
					value: `https://www.feishu.cn/approval/admin/approvalList?devMode=on&definitionCode=${APPROVAL_EXPENSE}`,
				},
			}),
		);
		expect(byUrl.json[0].approvalCode).toBe(APPROVAL_EXPENSE);
		expect(env.fake.calls('feishu.approval.getDefinition').map((c) => c.path)).toEqual([
			`/open-apis/approval/v4/approvals/${APPROVAL_EXPENSE}`,
			`/open-apis/approval/v4/approvals/${APPROVAL_EXPENSE}`,
		]);
	});

	it("offers the form's widgets as typed columns: choices with their options, read-only widgets left out", async () => {
		const mapped = (await env.bench.loadOptions(
			'feishu',
			'resourceMapping',
			'getFeishuApprovalForm',
			{
				resource: 'approval',
				operation: 'createInstance',
				approvalCode: code(),
			},
		)) as { fields: IDataObject[] };
		const names = await widgetNames();
		const field = (id: string) => mapped.fields.find((f) => f.id === names[id]);
		expect(field('widget_category')).toMatchObject({
			type: 'options',
			required: true,
			display: true,
			options: [
				{ name: 'Travel', value: 'Travel' },
				{ name: 'Meals', value: 'Meals' },
				{ name: 'Office supplies', value: 'Office supplies' },
			],
		});
		expect(field('widget_nights')).toMatchObject({ type: 'number', required: false });
		expect(field('widget_date')).toMatchObject({ type: 'dateTime' });
		expect(field('widget_receipts')?.displayName).toMatch(/binary properties/);
		expect(field('widget_note')).toMatchObject({ display: false, removed: true, readOnly: true });
		expect(field('widget_serial')).toMatchObject({ removed: true });
	});
});

describe('Feishu › Approval › Create Instance', () => {
	it('sends every widget in its documented shape, the attachment uploaded first, with a uuid; Get Instance reads it back as fields', async () => {
		const run = await create(await fullForm());
		expect(run.error).toBeUndefined();
		const { instanceCode, uuid } = run.json[0] as { instanceCode: string; uuid: string };
		expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		const upload = env.fake.calls('feishu.approval.uploadFile');
		expect(upload).toHaveLength(1);
		expect(upload[0].path).toBe('/approval/openapi/v2/file/upload');
		expect(upload[0].body).toMatchObject({ name: 'receipt.pdf', type: 'attachment' });
		const sent = env.fake.calls('feishu.approval.createInstance')[0].body as IDataObject;
		expect(sent).toMatchObject({ approval_code: APPROVAL_EXPENSE, open_id: 'ou_1', uuid });
		const form = JSON.parse(String(sent.form)) as IDataObject[];
		const byId = Object.fromEntries(form.map((w) => [String(w.id), w]));
		expect(byId.widget_title).toEqual({
			id: 'widget_title',
			type: 'input',
			value: 'Trip to Hangzhou',
		});
		expect(byId.widget_nights.value).toBe(2);
		expect(byId.widget_amount).toMatchObject({ value: 120.5, currency: 'USD' });
		// A date alone is that day in the workflow's zone.
		expect(byId.widget_date.value).toBe('2026-12-01T00:00:00+08:00');
		expect(byId.widget_trip.value).toEqual({
			start: '2026-12-01T00:00:00+08:00',
			end: '2026-12-03T00:00:00+08:00',
			interval: 2,
		});
		expect(byId.widget_category.value).toBe('meals');
		expect(byId.widget_tags.value).toEqual(['urgent', 'client']);
		expect(byId.widget_attendees).toMatchObject({ value: ['u003'], open_ids: ['ou_2'] });
		expect(byId.widget_department.value).toEqual([
			{ open_id: 'od-4e6ac4d14bcd5071a37a39de902c7141' },
		]);
		expect(byId.widget_receipts.value).toEqual([expect.stringMatching(/^[0-9A-F-]{36}$/)]);
		expect(byId.widget_items.value).toEqual([
			[
				{ id: 'widget_item_name', type: 'input', value: 'Taxi' },
				{ id: 'widget_item_cost', type: 'amount', value: 35, currency: 'CNY' },
			],
			[
				{ id: 'widget_item_name', type: 'input', value: 'Hotel' },
				{ id: 'widget_item_cost', type: 'amount', value: 85.5, currency: 'CNY' },
			],
		]);
		expect(byId.widget_phone.value).toEqual({ countryCode: '+86', nationalNumber: '13800000000' });

		const got = await env.bench.run(
			feishu('approval', 'getInstance', { instanceCode, userIdType: 'open_id' }),
		);
		const names = await widgetNames();
		const fields = got.json[0].fields as IDataObject;
		expect(got.json[0]).toMatchObject({ instanceCode, status: 'PENDING', uuid, openId: 'ou_1' });
		expect(fields[names.widget_category]).toBe('Meals');
		expect(fields[names.widget_nights]).toBe(2);
		expect(fields[names.widget_date]).toBe('2026-11-30T16:00:00.000Z');
		// Feishu reads a contact back with both IDs of each person.
		expect(fields[names.widget_attendees]).toEqual({
			userIds: expect.arrayContaining(['u003', 'u002']),
			openIds: expect.arrayContaining(['ou_2', 'ou_3']),
		});
		// A detail table's rows as objects: by each widget's name where the answer gives it, else its ID.
		expect((fields[names.widget_items] as IDataObject[])[0]).toEqual({
			widget_item_name: 'Taxi',
			widget_item_cost: 35,
		});
		expect(got.json[0].tasks).toEqual([
			expect.objectContaining({ status: 'PENDING', open_id: 'ou_2' }),
		]);
		expect(String(got.json[0].startTime)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	it('maps the form automatically from the item, skipping its other fields', async () => {
		const names = await widgetNames();
		const run = await env.bench.run({
			...feishu('approval', 'createInstance', {
				approvalCode: code(),
				userId: 'u001',
				userIdType: 'user_id',
				form: { mappingMode: 'autoMapInputData', value: null },
			}),
			items: [
				{
					[names.widget_title]: 'Lunch',
					[names.widget_reason]: 'Team',
					[names.widget_amount]: 42,
					[names.widget_date]: '2026-12-02T12:00:00Z',
					[names.widget_category]: 'meals',
					recordId: 'rec123',
				},
			],
			timezone: TZ,
		});
		expect(run.error).toBeUndefined();
		const sent = env.fake.calls('feishu.approval.createInstance')[0].body as IDataObject;
		expect(sent.user_id).toBe('u001');
		const form = JSON.parse(String(sent.form)) as IDataObject[];
		expect(form.map((w) => w.id).sort()).toEqual(
			['widget_amount', 'widget_category', 'widget_date', 'widget_reason', 'widget_title'].sort(),
		);
		expect(form.find((w) => w.id === 'widget_date')?.value).toBe('2026-12-02T20:00:00+08:00');
		expect(form.find((w) => w.id === 'widget_amount')).toMatchObject({
			value: 42,
			currency: 'CNY',
		});
	});

	it('a value that does not fit its widget is bad input naming the widget and the item, before any request', async () => {
		const names = await widgetNames();
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ [names.widget_category]: 'Flights' },
				/"Flights" is not an option \("Travel", "Meals", "Office supplies"\)/,
			],
			[{ [names.widget_nights]: 'two' }, /expected a number/],
			[{ [names.widget_amount]: '10 EUR' }, /the currency EUR is not allowed here \(CNY, USD\)/],
			[{ [names.widget_date]: 'next week' }, /expected a date/],
			[{ [names.widget_department]: '4e6ac4' }, /not an open department ID \(od-…\)/],
			[
				{ [names.widget_items]: [{ Item: 'Taxi', Colour: 'red' }] },
				/row 1: "Colour" is not a field of this table/,
			],
			[{ [names.widget_receipts]: 'missing' }, /no binary property "missing"/],
			[{ Nonsense: 'x' }, /"Nonsense" is not a widget of this form/],
		];
		for (const [form, message] of cases) {
			env.fake.reset();
			const run = await create({ [names.widget_title]: 'T', ...form });
			expect(run.error?.message).toMatch(message);
			expect(run.error?.message).toMatch(/item 0/);
			expect(env.fake.calls('feishu.approval.createInstance')).toHaveLength(0);
			expect(env.fake.calls('feishu.approval.uploadFile')).toHaveLength(0);
		}
	});

	it('with Continue On Fail, each bad item fails alone, paired to its input, and the good ones are created', async () => {
		const names = await widgetNames();
		const run = await env.bench.run({
			...feishu('approval', 'createInstance', {
				approvalCode: code(),
				userId: 'ou_1',
				form: defineBelow({
					[names.widget_title]: '={{ $json.title }}',
					[names.widget_category]: '={{ $json.category }}',
				}),
			}),
			items: [
				{ title: 'A', category: 'Travel' },
				{ title: 'B', category: 'Boats' },
				{ title: 'C', category: 'Meals' },
			],
			continueOnFail: true,
			timezone: TZ,
		});
		expect(run.json).toHaveLength(3);
		expect(run.json[0].instanceCode).toBeDefined();
		expect(String(run.json[1].error)).toMatch(/"Boats" is not an option/);
		expect(run.json[2].instanceCode).toBeDefined();
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(env.fake.approvals.instances.size).toBe(2);
	});

	it('an answer lost on the way is sent again with the same uuid, and the approval exists once', async () => {
		const names = await widgetNames();
		env.fake.faults.loseAnswers['feishu.approval.createInstance'] = 1;
		const run = await create({ [names.widget_title]: 'Once', [names.widget_reason]: 'r' });
		expect(run.error).toBeUndefined();
		const calls = env.fake.calls('feishu.approval.createInstance');
		expect(calls).toHaveLength(2);
		expect((calls[1].body as IDataObject).uuid).toBe((calls[0].body as IDataObject).uuid);
		expect(env.fake.approvals.instances.size).toBe(1);
		const [only] = [...env.fake.approvals.instances.values()];
		expect(run.json[0].instanceCode).toBe(only.instance_code);
		// The same uuid in a new execution is a new approval: the key is this execution's.
		await create({ [names.widget_title]: 'Twice', [names.widget_reason]: 'r' });
		expect(env.fake.approvals.instances.size).toBe(2);
	});

	it('a disabled definition (1390015) and a free-process one (1390013) fail with their meanings', async () => {
		const inactive = await env.bench.run(
			feishu('approval', 'createInstance', {
				approvalCode: code(APPROVAL_INACTIVE),
				userId: 'ou_1',
				form: defineBelow({}),
			}),
		);
		expect(inactive.error?.message).toMatch(/1390015/);
		expect(inactive.error?.description).toMatch(/disabled/);
		const free = await env.bench.run(
			feishu('approval', 'createInstance', {
				approvalCode: code(APPROVAL_FREE),
				userId: 'ou_1',
				form: defineBelow({}),
			}),
		);
		expect(free.error?.description).toMatch(/free process/);
		const missing = await env.bench.run(
			feishu('approval', 'getDefinition', {
				approvalCode: code('7C468A54-0000-0000-0000-000000000000'),
			}),
		);
		expect(missing.error?.message).toMatch(/1390002/);
	});
});

/** One approval of the Expense claim, started by ou_1 (its first task is ou_2's). */
async function started(title = 'Claim'): Promise<string> {
	const names = await widgetNames();
	const run = await create({ [names.widget_title]: title, [names.widget_reason]: 'r' });
	return String(run.json[0].instanceCode);
}

describe('Feishu › Approval › tasks, comments, cancel, list, subscribe', () => {
	it("approves the approver's pending task without a task ID; a repeat of the same decision is not a failure", async () => {
		const instanceCode = await started();
		const approve = () =>
			env.bench.run(
				feishu('approval', 'approveTask', {
					approvalCode: code(),
					instanceCode,
					userId: 'ou_2',
					userIdType: 'open_id',
					comment: 'OK',
				}),
			);
		const first = await approve();
		expect(first.error).toBeUndefined();
		expect(first.json[0]).toMatchObject({ instanceCode, decision: 'APPROVED' });
		const call = env.fake.calls('feishu.approval.approveTask')[0];
		expect(call.query).toEqual({ user_id_type: 'open_id' });
		expect(call.body).toMatchObject({
			user_id: 'ou_2',
			comment: 'OK',
			task_id: first.json[0].taskId,
		});
		const again = await env.bench.run(
			feishu('approval', 'approveTask', {
				approvalCode: code(),
				instanceCode,
				userId: 'ou_2',
				taskId: String(first.json[0].taskId),
			}),
		);
		expect(again.error).toBeUndefined();
		expect(again.json[0]).toMatchObject({ alreadyDecided: true });
		// Rejecting the task already approved is a failure with its meaning.
		const reject = await env.bench.run(
			feishu('approval', 'rejectTask', {
				approvalCode: code(),
				instanceCode,
				userId: 'ou_2',
				taskId: String(first.json[0].taskId),
			}),
		);
		expect(reject.error?.message).toMatch(/1390010/);
		expect(reject.error?.description).toMatch(/already processed/);
	});

	it("a task that is not the approver's is 1390009; a user with no pending task is bad input", async () => {
		const instanceCode = await started();
		const tasks = (await env.bench.run(feishu('approval', 'getInstance', { instanceCode }))).json[0]
			.tasks as IDataObject[];
		const wrong = await env.bench.run(
			feishu('approval', 'approveTask', {
				approvalCode: code(),
				instanceCode,
				userId: 'ou_3',
				taskId: String(tasks[0].id),
			}),
		);
		expect(wrong.error?.message).toMatch(/1390009/);
		expect(wrong.error?.description).toMatch(/belongs to this approver/);
		const none = await env.bench.run(
			feishu('approval', 'approveTask', { approvalCode: code(), instanceCode, userId: 'ou_3' }),
		);
		expect(none.error?.message).toMatch(/ou_3 has no pending task/);
	});

	it('rejects, ending the approval; transfers a task to another user', async () => {
		const rejected = await started('R');
		const run = await env.bench.run(
			feishu('approval', 'rejectTask', {
				approvalCode: code(),
				instanceCode: rejected,
				userId: 'ou_2',
			}),
		);
		expect(run.json[0]).toMatchObject({ decision: 'REJECTED' });
		const after = await env.bench.run(
			feishu('approval', 'getInstance', { instanceCode: rejected }),
		);
		expect(after.json[0].status).toBe('REJECTED');
		expect(after.json[0].endTime).not.toBeNull();

		const moved = await started('T');
		const transfer = await env.bench.run(
			feishu('approval', 'transferTask', {
				approvalCode: code(),
				instanceCode: moved,
				userId: 'ou_2',
				transferUserId: 'ou_3',
			}),
		);
		expect(transfer.error).toBeUndefined();
		expect(env.fake.calls('feishu.approval.transferTask')[0].body).toMatchObject({
			transfer_user_id: 'ou_3',
		});
		const tasks = (await env.bench.run(feishu('approval', 'getInstance', { instanceCode: moved })))
			.json[0].tasks as IDataObject[];
		expect(tasks.map((t) => [t.status, t.open_id])).toEqual([
			['TRANSFERRED', 'ou_2'],
			['PENDING', 'ou_3'],
		]);
	});

	it('comments as a user (disable_bot by default), and withdraws as the initiator only', async () => {
		const instanceCode = await started();
		const comment = await env.bench.run(
			feishu('approval', 'addComment', { instanceCode, userId: 'ou_2', text: 'Receipt attached?' }),
		);
		expect(comment.json[0].commentId).toBeDefined();
		const call = env.fake.calls('feishu.approval.addComment')[0];
		expect(call.query).toEqual({ user_id_type: 'open_id', user_id: 'ou_2' });
		expect(call.body).toEqual({
			content: JSON.stringify({ text: 'Receipt attached?', files: [] }),
			disable_bot: true,
		});
		const notInitiator = await env.bench.run(
			feishu('approval', 'cancelInstance', { approvalCode: code(), instanceCode, userId: 'ou_2' }),
		);
		expect(notInitiator.error?.message).toMatch(/1390009/);
		const cancel = await env.bench.run(
			feishu('approval', 'cancelInstance', { approvalCode: code(), instanceCode, userId: 'ou_1' }),
		);
		expect(cancel.json[0]).toEqual({ instanceCode, cancelled: true });
		const after = await env.bench.run(feishu('approval', 'getInstance', { instanceCode }));
		expect(after.json[0].status).toBe('CANCELED');
	});

	it('lists instances over a range longer than 10 hours in 10-hour windows, with details when asked', async () => {
		const a = await started('A');
		const b = await started('B');
		const now = Date.now();
		const run = await env.bench.run(
			feishu('approval', 'getManyInstances', {
				approvalCode: code(),
				startTime: new Date(now - 25 * 3600_000).toISOString(),
				endTime: new Date(now + 60_000).toISOString(),
				returnAll: true,
			}),
		);
		expect(run.json.map((r) => r.instanceCode)).toEqual([a, b]);
		const windows = env.fake.calls('feishu.approval.listInstances').map((c) => c.query);
		expect(windows).toHaveLength(3);
		for (const w of windows) {
			const span = Number(w.end_time) - Number(w.start_time);
			expect(span).toBeLessThanOrEqual(10 * 3600_000);
		}
		const detailed = await env.bench.run(
			feishu('approval', 'getManyInstances', {
				approvalCode: code(),
				startTime: new Date(now - 3600_000).toISOString(),
				endTime: new Date(now + 60_000).toISOString(),
				limit: 1,
				includeDetails: true,
			}),
		);
		expect(detailed.json).toHaveLength(1);
		expect(detailed.json[0]).toMatchObject({ instanceCode: a, status: 'PENDING' });
	});

	it('subscribes a definition to its events; a second subscribe (1390007) is not a failure', async () => {
		const first = await env.bench.run(feishu('approval', 'subscribe', { approvalCode: code() }));
		expect(first.json[0]).toEqual({ approvalCode: APPROVAL_EXPENSE, subscribed: true });
		const second = await env.bench.run(feishu('approval', 'subscribe', { approvalCode: code() }));
		expect(second.json[0]).toMatchObject({ alreadySubscribed: true });
		// Subscribed, the fake sends the instance's events (the trigger's approval entries shape them).
		await started();
		expect(env.fake.approvals.events.map((e) => (e.event as IDataObject).type)).toContain(
			'approval_instance',
		);
	});
});
