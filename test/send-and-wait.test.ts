/**
 * Send and Wait's response types (Approval, Free Text, Custom Form) on every Send and Wait operation: the
 * message each sends, the checks of a custom form before anything is sent, and the form page's data and the
 * submitted answer as the resume webhook reads them. Opening the URL and posting n8n's form page in real n8n
 * is in the end-to-end suite.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FormField } from '../nodes/shared/sendAndWait';
import { formAnswer, formFieldsFrom, formPageData } from '../nodes/shared/sendAndWait';
import { ding, feishu, useFakeApi } from './helpers';

const env = useFakeApi();
const CHAT = 'oc_sandbox_general';
const RESUME = /^http:\/\/localhost\/webhook-waiting\/exec-test-\d+\/subject\?approved=true/;

const FORM = {
	responseType: 'customForm',
	defineForm: 'fields',
	formFields: {
		values: [
			{ fieldLabel: 'Name', fieldType: 'text', requiredField: true },
			{ fieldLabel: 'Days', fieldType: 'number' },
			{
				fieldLabel: 'Team',
				fieldType: 'dropdown',
				fieldOptions: { values: [{ option: 'Backend' }, { option: 'Design' }] },
			},
		],
	},
};

const buttonsOf = (elements: IDataObject[]) =>
	elements
		.filter((e) => e.tag === 'button')
		.map((b) => ({
			label: (b.text as IDataObject).content,
			url: String((b.behaviors as IDataObject[])[0].default_url),
		}));

describe('Feishu › Message › Send and Wait: Free Text and Custom Form', () => {
	it('Free Text: a card with one button, labelled as set, that opens the signed resume URL; the execution waits', async () => {
		const r = await env.bench.run(
			feishu('message', 'sendAndWait', {
				receiveIdType: 'chat_id',
				receiveId: CHAT,
				subject: 'Retro',
				message: 'What went well?',
				responseType: 'freeText',
				options: { messageButtonLabel: 'Answer' },
			}),
		);
		expect(r.error).toBeUndefined();
		const sent = JSON.parse(
			String((env.fake.calls('feishu.message.send')[0].body as IDataObject).content),
		) as { body: { elements: IDataObject[] } };
		const buttons = buttonsOf(sent.body.elements);
		expect(buttons.map((b) => b.label)).toEqual(['Answer']);
		expect(buttons[0].url).toMatch(RESUME);
		expect(buttons[0].url).toMatch(/signature=/);
		expect(r.run.waitTill).toBeDefined();
		expect(r.run.data.validateSignature).toBe(true);
		// n8n 1.x keeps no custom data: the card is updated once, to a button whose signed URL also carries its ID.
		const [message] = env.fake.im.inChat(CHAT);
		const patched = JSON.parse(message.body.content) as { body: { elements: IDataObject[] } };
		const url = new URL(buttonsOf(patched.body.elements)[0].url);
		expect(url.searchParams.get('message')).toBe(message.message_id);
		expect(url.searchParams.get('approved')).toBe('true');
	});

	it('Custom Form: the same single button (default label "Respond"); the form itself is served by n8n', async () => {
		const r = await env.bench.run(
			feishu('message', 'sendAndWait', {
				receiveIdType: 'chat_id',
				receiveId: CHAT,
				message: 'Book your leave',
				...FORM,
			}),
		);
		expect(r.error).toBeUndefined();
		const sent = JSON.parse(
			String((env.fake.calls('feishu.message.send')[0].body as IDataObject).content),
		) as { body: { elements: IDataObject[] } };
		expect(buttonsOf(sent.body.elements).map((b) => b.label)).toEqual(['Respond']);
	});

	it.each([
		[
			'JSON that does not parse',
			{ defineForm: 'json', jsonOutput: '[{"fieldLabel": ' },
			/"Form Fields" \(jsonOutput\) in item 0: .*is not valid JSON/,
		],
		[
			'a label used twice',
			{
				defineForm: 'json',
				jsonOutput: '[{"fieldLabel":"Name"},{"fieldLabel":"Name","fieldType":"email"}]',
			},
			/field 2: the label "Name" is used twice/,
		],
		[
			'a type the page cannot show',
			{ defineForm: 'json', jsonOutput: '[{"fieldLabel":"CV","fieldType":"file"}]' },
			/field 1 \("CV"\) has the type "file"/,
		],
		[
			'a dropdown without options',
			{
				defineForm: 'fields',
				formFields: { values: [{ fieldLabel: 'Team', fieldType: 'dropdown' }] },
			},
			/"Form Elements" \(formFields\) in item 0: .*is a dropdown without options/,
		],
		['no field at all', { defineForm: 'fields', formFields: {} }, /has no form element/],
	])(
		'a custom form with %s is bad input: NodeOperationError naming the field, nothing sent',
		async (_what, form, message) => {
			const r = await env.bench.run(
				feishu('message', 'sendAndWait', {
					receiveIdType: 'chat_id',
					receiveId: CHAT,
					message: 'Form',
					responseType: 'customForm',
					...form,
				}),
			);
			expect(r.error?.name).toBe('NodeOperationError');
			expect(r.error?.message).toMatch(message);
			expect(env.fake.calls('feishu.message.send')).toEqual([]);
			expect(r.run.waitTill).toBeUndefined();
		},
	);
});

describe('Feishu › Custom Bot › Send and Wait', () => {
	const bot = (rest: IDataObject) =>
		feishu('customBot', 'sendAndWait', { authentication: 'customBot', ...rest });

	it('Approval: a card (JSON 1.0, as the custom bot guide documents) with Approve and Decline buttons opening the signed resume URL; no app token', async () => {
		const r = await env.bench.run(
			bot({
				subject: 'Deploy?',
				message: 'Ship **v2**?',
				approvalOptions: { values: { approvalType: 'double' } },
			}),
		);
		expect(r.error).toBeUndefined();
		const [post] = env.fake.im.botPosts;
		expect(post.token).toBe('sandbox-hook-0001');
		const card = post.body.card as {
			header: IDataObject;
			elements: Array<{ tag: string; content?: string; actions?: IDataObject[] }>;
		};
		expect(post.body.msg_type).toBe('interactive');
		expect(card.header).toEqual({
			title: { tag: 'plain_text', content: 'Deploy?' },
			template: 'blue',
		});
		expect(card.elements[0]).toEqual({ tag: 'markdown', content: 'Ship **v2**?' });
		const actions = card.elements[1].actions!;
		expect(actions.map((a) => (a.text as IDataObject).content)).toEqual(['Approve', 'Decline']);
		expect(String(actions[0].url)).toMatch(RESUME);
		expect(String(actions[1].url)).toMatch(/approved=false&signature=/);
		expect(r.run.waitTill).toBeDefined();
		expect(env.fake.calls('feishu.token')).toEqual([]);
	});

	it('Custom Form: one button opening the form; a second run with a broken form sends nothing', async () => {
		const r = await env.bench.run(bot({ message: 'Book your leave', ...FORM }));
		expect(r.error).toBeUndefined();
		const actions = (env.fake.im.botPosts[0].body.card as { elements: IDataObject[] }).elements[1]
			.actions as IDataObject[];
		expect(actions.map((a) => (a.text as IDataObject).content)).toEqual(['Respond']);
		const bad = await env.bench.run(
			bot({ message: 'x', responseType: 'customForm', defineForm: 'json', jsonOutput: '{}' }),
		);
		expect(bad.error?.message).toMatch(/must be a JSON array of fields/);
		expect(env.fake.im.botPosts).toHaveLength(1);
	});
});

describe('DingTalk Send and Wait: Free Text and Custom Form', () => {
	it('app robot, Free Text: a one-button card (sampleActionCard) opening the signed resume URL', async () => {
		const r = await env.bench.run(
			ding('robotMessage', 'sendAndWait', {
				sendTo: 'users',
				userIds: 'staff0002',
				subject: 'Retro',
				message: 'What went well?',
				responseType: 'freeText',
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.robot.batchSend');
		expect((call.body as IDataObject).msgKey).toBe('sampleActionCard');
		const card = JSON.parse(String((call.body as IDataObject).msgParam)) as IDataObject;
		expect(card).toMatchObject({ title: 'Retro', text: 'What went well?', singleTitle: 'Respond' });
		expect(String(card.singleURL)).toMatch(RESUME);
		expect(r.run.waitTill).toBeDefined();
	});

	it('custom robot, Custom Form: one button with its label', async () => {
		const r = await env.bench.run(
			ding('customRobot', 'sendAndWait', {
				authentication: 'customRobot',
				message: 'Book your leave',
				...FORM,
				options: { messageButtonLabel: 'Open the form' },
			}),
		);
		expect(r.error).toBeUndefined();
		const body = env.fake.dim.robotPosts[0].body as {
			actionCard: { btns: Array<{ title: string; actionURL: string }> };
		};
		expect(body.actionCard.btns.map((b) => b.title)).toEqual(['Open the form']);
		expect(body.actionCard.btns[0].actionURL).toMatch(RESUME);
	});
});

describe("the form page and the answer (what the resume webhook gives n8n's page and reads back)", () => {
	const fail = (field: string, problem: string): never => {
		throw new Error(`${field} ${problem}`);
	};
	const fields: FormField[] = formFieldsFrom(
		'json',
		JSON.stringify([
			{ fieldLabel: 'Name', requiredField: true, placeholder: 'Your name' },
			{ fieldLabel: 'Days', fieldType: 'number' },
			{ fieldLabel: 'Team', fieldType: 'dropdown', fieldOptions: [{ option: 'Backend' }] },
			{
				fieldLabel: 'Tags',
				fieldType: 'dropdown',
				multiselect: true,
				fieldOptions: { values: [{ option: 'a' }, { option: 'b' }] },
			},
			{ fieldLabel: 'Notes', fieldType: 'textarea' },
		]),
		undefined,
		fail,
	);

	it("maps each field to the keys of n8n's form-trigger template, and escapes the description", () => {
		const data = formPageData(
			{ title: 'Leave', description: 'Say <b>why</b>\nand when', buttonLabel: 'Send' },
			fields,
		);
		expect(data).toMatchObject({
			formTitle: 'Leave',
			formDescription: 'Say &lt;b&gt;why&lt;/b&gt;<br>and when',
			buttonLabel: 'Send',
			testRun: false,
		});
		expect(data.formFields).toEqual([
			{
				id: 'field-0',
				errorId: 'error-field-0',
				label: 'Name',
				inputRequired: 'form-required',
				defaultValue: '',
				placeholder: 'Your name',
				isInput: true,
				type: 'text',
			},
			expect.objectContaining({ id: 'field-1', isInput: true, type: 'number', inputRequired: '' }),
			expect.objectContaining({ id: 'field-2', isSelect: true, selectOptions: ['Backend'] }),
			expect.objectContaining({
				id: 'field-3',
				isMultiSelect: true,
				multiSelectOptions: [
					{ id: 'option0_field-3', label: 'a' },
					{ id: 'option1_field-3', label: 'b' },
				],
			}),
			expect.objectContaining({ id: 'field-4', isTextarea: true }),
		]);
	});

	it('reads the multipart fields by label: numbers as numbers, a multiple choice as a list, a field not sent as null', () => {
		expect(
			formAnswer(fields, {
				data: {
					'field-0': '  Li Lei ',
					'field-1': '3',
					'field-2': 'Backend',
					'field-3': '["a","b"]',
				},
			}),
		).toEqual({
			values: { Name: 'Li Lei', Days: 3, Team: 'Backend', Tags: ['a', 'b'], Notes: null },
		});
	});

	it.each([
		[{ 'field-1': '3' }, '"Name" is required'],
		[{ 'field-0': 'x', 'field-1': 'three' }, '"Days" must be a number'],
		[{ 'field-0': 'x', 'field-2': 'Sales' }, '"Sales" is not an option of "Team"'],
		[{ 'field-0': 'x', 'field-3': '["c"]' }, '"c" is not an option of "Tags"'],
	])('refuses %j: %s', (data, problem) => {
		expect(formAnswer(fields, { data })).toEqual({ problem });
	});
});
