import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { jsonParse, NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import type { ParamReader } from './params';

/**
 * Send and Wait, shared by the Feishu and DingTalk nodes (as n8n's Slack and Telegram nodes do it):
 * the approval buttons, the time limit, and this execution's resume URL, signed where n8n signs them.
 */

const RESPONSE_TYPES = ['approval', 'freeText', 'customForm'] as const;
type ResponseType = (typeof RESPONSE_TYPES)[number];

/** A released parameter: its values are n8n's own (utils/sendAndWait), so saved workflows read the same. */
const RESPONSE_TYPE: INodeProperties = {
	displayName: 'Response Type',
	name: 'responseType',
	type: 'options',
	options: [
		{
			name: 'Approval',
			value: 'approval',
			description: 'Approve and optionally Disapprove buttons',
		},
		{
			name: 'Free Text',
			value: 'freeText',
			description: 'A button that opens a page with a reply box',
		},
		{
			name: 'Custom Form',
			value: 'customForm',
			description: 'A button that opens a form with the fields you define',
		},
	],
	default: 'approval',
};

const APPROVAL_OPTIONS: INodeProperties = {
	displayName: 'Approval Options',
	name: 'approvalOptions',
	type: 'fixedCollection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { responseType: ['approval'] } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Type of Approval',
					name: 'approvalType',
					type: 'options',
					options: [
						{ name: 'Approve Only', value: 'single' },
						{ name: 'Approve and Disapprove', value: 'double' },
					],
					default: 'single',
				},
				{
					displayName: 'Approve Button Label',
					name: 'approveLabel',
					type: 'string',
					default: 'Approve',
				},
				{
					displayName: 'Disapprove Button Label',
					name: 'disapproveLabel',
					type: 'string',
					default: 'Decline',
					displayOptions: { show: { approvalType: ['double'] } },
				},
			],
		},
	],
};

export const LIMIT_WAIT_TIME: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	description: "Whether to continue without an answer after a time, as n8n's Wait node does",
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime' },
					],
					default: 'afterTimeInterval',
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const MINUTE = 60_000;
const UNIT_MS = { minutes: MINUTE, hours: 60 * MINUTE, days: 24 * 60 * MINUTE } as const;

/** When the wait ends without an answer. */
export function waitTill(p: ParamReader): Date {
	const limit = (p.raw('options.limitWaitTime', {}) as IDataObject | undefined)?.values as
		IDataObject | undefined;
	if (!limit) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (Number.isNaN(at.getTime()))
			p.fail(
				'options.limitWaitTime',
				'Max Date and Time is not a date',
				'Options › Limit Wait Time',
			);
		return at;
	}
	const amount = Number(limit.resumeAmount ?? 1);
	const unit = (limit.resumeUnit as keyof typeof UNIT_MS) ?? 'hours';
	if (!Number.isFinite(amount) || amount < 0 || !UNIT_MS[unit])
		p.fail(
			'options.limitWaitTime',
			'Amount must be a number of minutes, hours or days',
			'Options › Limit Wait Time',
		);
	return new Date(Date.now() + amount * UNIT_MS[unit]);
}

interface Approval {
	double: boolean;
	approveLabel: string;
	disapproveLabel: string;
}

function approvalOf(p: ParamReader): Approval {
	const values = ((p.raw('approvalOptions', {}) as IDataObject | undefined)?.values ??
		{}) as IDataObject;
	return {
		double: values.approvalType === 'double',
		approveLabel: String(values.approveLabel || 'Approve'),
		disapproveLabel: String(values.disapproveLabel || 'Decline'),
	};
}

/**
 * The resume URL with the answer, signed by n8n when it signs resume URLs. n8n 1.x checks the signature
 * only when the node asks for it (setSignatureValidationRequired); 2.x always checks it and has no such call.
 */
export function resumeUrl(ctx: IExecuteFunctions, approved: boolean, messageId?: string): string {
	const query: Record<string, string> = {
		approved: String(approved),
		...(messageId ? { message: messageId } : {}),
	};
	const context = ctx as {
		getSignedResumeUrl?: (q: Record<string, string>) => string;
		setSignatureValidationRequired?: () => void;
	};
	if (typeof context.getSignedResumeUrl === 'function') {
		if (typeof context.setSignatureValidationRequired === 'function')
			context.setSignatureValidationRequired.call(ctx);
		return context.getSignedResumeUrl.call(ctx, query);
	}
	const base = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	return `${base}/${ctx.getNode().id}?${new URLSearchParams(query).toString()}`;
}

export const RECORDED_PAGE =
	'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Response recorded</title></head>' +
	'<body style="font-family:sans-serif;text-align:center;padding-top:4em"><h2>Got it, thanks</h2><p>This page can be closed now.</p></body></html>';

// ——— Free Text and Custom Form ————————————————————————————————————————————————————————————————
//
// As n8n's own Send and Wait nodes do it: the message carries one button that opens this execution's
// signed resume URL; a GET of it shows n8n's form page (the server's `form-trigger` template, in 1.x and
// 2.x alike), and the page POSTs the fields (multipart, `field-0` …) to the same URL, which continues the
// execution. n8n's helpers that map fields to that page (nodes-base) cannot be imported by a community
// node, so the mapping is here, for the field types listed below.

const FORM_SHOWN = { show: { responseType: ['customForm'] } };

const FIELD_TYPES = [
	'text',
	'textarea',
	'number',
	'email',
	'password',
	'date',
	'dropdown',
] as const;
type FieldType = (typeof FIELD_TYPES)[number];

const FIELD_TYPE_NAMES: Record<FieldType, string> = {
	text: 'Text',
	textarea: 'Textarea',
	number: 'Number',
	email: 'Email',
	password: 'Password',
	date: 'Date',
	dropdown: 'Dropdown List',
};

/** The Custom Form's fields, named as n8n's Form node names them (defineForm, jsonOutput, formFields). */
const FORM_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Define Form',
		name: 'defineForm',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
		displayOptions: FORM_SHOWN,
	},
	{
		displayName: 'Form Fields',
		name: 'jsonOutput',
		type: 'json',
		typeOptions: { rows: 5 },
		default:
			'[\n  {\n    "fieldLabel": "Name",\n    "placeholder": "Your name",\n    "requiredField": true\n  },\n  {\n    "fieldLabel": "Team",\n    "fieldType": "dropdown",\n    "fieldOptions": { "values": [{ "option": "Backend" }, { "option": "Design" }] }\n  }\n]',
		description:
			'A JSON array of fields, each with fieldLabel and optionally fieldType (text, textarea, number, email, password, date, dropdown), placeholder, requiredField, multiselect and fieldOptions',
		displayOptions: { show: { responseType: ['customForm'], defineForm: ['json'] } },
	},
	{
		displayName: 'Form Elements',
		name: 'formFields',
		placeholder: 'Add Form Element',
		type: 'fixedCollection',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { responseType: ['customForm'], defineForm: ['fields'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Element Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: FIELD_TYPES.map((value) => ({ name: FIELD_TYPE_NAMES[value], value })),
						required: true,
					},
					{
						displayName: 'Field Name',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						placeholder: 'e.g. What is your name?',
						description: 'The label shown above the field; also the key of its value in the output',
						required: true,
					},
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						placeholder: 'Add Field Option',
						type: 'fixedCollection',
						default: { values: [{ option: '' }] },
						required: true,
						displayOptions: { show: { fieldType: ['dropdown'] } },
						typeOptions: { multipleValues: true, sortable: true },
						options: [
							{
								displayName: 'Values',
								name: 'values',
								values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
							},
						],
					},
					{
						displayName: 'Multiple Choice',
						name: 'multiselect',
						type: 'boolean',
						default: false,
						description:
							'Whether to allow choosing more than one option (the value is then a list)',
						displayOptions: { show: { fieldType: ['dropdown'] } },
					},
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						displayOptions: { hide: { fieldType: ['dropdown', 'date'] } },
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether to require an answer in this field before the form can be sent',
					},
				],
			},
		],
	},
];

const FORM_OPTION_SHOWN = { show: { '/responseType': ['freeText', 'customForm'] } };

/** The Options of Free Text and Custom Form: the message's button and the page. */
export const FORM_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Message Button Label',
		name: 'messageButtonLabel',
		type: 'string',
		default: 'Respond',
		description: 'The label of the button in the message that opens the page',
		displayOptions: FORM_OPTION_SHOWN,
	},
	{
		displayName: 'Response Form Title',
		name: 'responseFormTitle',
		type: 'string',
		default: '',
		description: "The page's title (empty: the subject)",
		displayOptions: FORM_OPTION_SHOWN,
	},
	{
		displayName: 'Response Form Description',
		name: 'responseFormDescription',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'The text under the title (empty: the message); shown as plain text',
		displayOptions: FORM_OPTION_SHOWN,
	},
	{
		displayName: 'Response Form Button Label',
		name: 'responseFormButtonLabel',
		type: 'string',
		default: 'Submit',
		description: "The label of the page's submit button",
		displayOptions: FORM_OPTION_SHOWN,
	},
];

function responseTypeOf(read: (name: string, fallback: unknown) => unknown): ResponseType {
	const value = read('responseType', 'approval');
	return (RESPONSE_TYPES as readonly unknown[]).includes(value)
		? (value as ResponseType)
		: 'approval';
}

export interface FormField {
	label: string;
	type: FieldType;
	required: boolean;
	placeholder?: string;
	options?: string[];
	multiselect?: boolean;
}

const JSON_FIELD_KEYS = [
	'fieldLabel',
	'fieldType',
	'placeholder',
	'requiredField',
	'fieldOptions',
	'multiselect',
];

/**
 * The Custom Form's fields, from Form Elements or the JSON, checked: a label each, no label twice (it is
 * the output's key), a known type, and options for a dropdown. `fail` says which field is wrong.
 */
export function formFieldsFrom(
	defineForm: unknown,
	json: unknown,
	elements: unknown,
	fail: (field: string, problem: string) => never,
): FormField[] {
	const field = defineForm === 'json' ? 'jsonOutput' : 'formFields';
	let raw: unknown = elements;
	if (defineForm === 'json') {
		raw = json;
		if (typeof raw === 'string') {
			try {
				raw = jsonParse(raw, { acceptJSObject: true });
			} catch {
				fail(field, 'is not valid JSON');
			}
		}
	}
	if (!Array.isArray(raw) || raw.length === 0)
		fail(field, defineForm === 'json' ? 'must be a JSON array of fields' : 'has no form element');
	const seen = new Set<string>();
	return (raw as unknown[]).map((entry, index) => {
		const where = `field ${index + 1}`;
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
			fail(field, `${where} is not an object`);
		const f = entry as IDataObject;
		if (defineForm === 'json')
			for (const key of Object.keys(f))
				if (!JSON_FIELD_KEYS.includes(key))
					fail(field, `${where} has "${key}", which is not one of ${JSON_FIELD_KEYS.join(', ')}`);
		const label = typeof f.fieldLabel === 'string' ? f.fieldLabel.trim() : '';
		if (!label) fail(field, `${where} has no label (fieldLabel)`);
		if (seen.has(label))
			fail(
				field,
				`${where}: the label "${label}" is used twice; each label is a key of the output`,
			);
		seen.add(label);
		const type = (f.fieldType ?? 'text') as FieldType;
		if (!FIELD_TYPES.includes(type))
			fail(
				field,
				`${where} ("${label}") has the type "${String(f.fieldType)}"; the types are ${FIELD_TYPES.join(', ')}`,
			);
		const out: FormField = { label, type, required: f.requiredField === true };
		if (typeof f.placeholder === 'string' && f.placeholder) out.placeholder = f.placeholder;
		if (type === 'dropdown') {
			const optionsOf = f.fieldOptions as IDataObject | IDataObject[] | undefined;
			const list = Array.isArray(optionsOf) ? optionsOf : optionsOf?.values;
			const options = (Array.isArray(list) ? list : [])
				.map((o) => (o && typeof o === 'object' ? (o as IDataObject).option : undefined))
				.filter((o): o is string => typeof o === 'string' && o.trim() !== '');
			if (options.length === 0) fail(field, `${where} ("${label}") is a dropdown without options`);
			out.options = options;
			out.multiselect = f.multiselect === true;
		}
		return out;
	});
}

/** The page's fields, for Free Text (one required reply box) or the Custom Form. */
function formFieldsOfNode(ctx: IWebhookFunctions, type: ResponseType): FormField[] {
	if (type === 'freeText') return [{ label: 'Response', type: 'textarea', required: true }];
	const defineForm = ctx.getNodeParameter('defineForm', 'fields');
	return formFieldsFrom(
		defineForm,
		defineForm === 'json' ? ctx.getNodeParameter('jsonOutput', '[]') : undefined,
		defineForm === 'json'
			? undefined
			: ((ctx.getNodeParameter('formFields', {}) ?? {}) as IDataObject).values,
		(field, problem) => {
			throw new NodeOperationError(
				ctx.getNode(),
				`The form cannot be shown: "${field}" ${problem}`,
			);
		},
	);
}

const escapeHtml = (text: string) =>
	text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');

/**
 * The data of n8n's `form-trigger` page for these fields (the keys its template reads, in 1.x and 2.x).
 * The description is inserted as HTML by the template, so it is escaped here and shown as plain text.
 */
export function formPageData(
	page: { title: string; description: string; buttonLabel: string },
	fields: FormField[],
): IDataObject {
	return {
		testRun: false,
		formTitle: page.title,
		formDescription: escapeHtml(page.description).replace(/\r?\n/g, '<br>'),
		formDescriptionMetadata: page.description.replace(/\s+/g, ' ').slice(0, 150),
		formSubmittedHeader: 'Got it, thanks',
		formSubmittedText: 'This page can be closed now',
		n8nWebsiteLink: 'https://n8n.io/',
		useResponseData: false,
		appendAttribution: false,
		buttonLabel: page.buttonLabel,
		formFields: fields.map((f, index) => {
			const input: IDataObject = {
				id: `field-${index}`,
				errorId: `error-field-${index}`,
				label: f.label,
				inputRequired: f.required ? 'form-required' : '',
				defaultValue: '',
				placeholder: f.placeholder,
			};
			if (f.type === 'dropdown' && f.multiselect) {
				input.isMultiSelect = true;
				input.multiSelectOptions = (f.options ?? []).map((label, i) => ({
					id: `option${i}_field-${index}`,
					label,
				}));
			} else if (f.type === 'dropdown') {
				input.isSelect = true;
				input.selectOptions = f.options ?? [];
			} else if (f.type === 'textarea') {
				input.isTextarea = true;
			} else {
				input.isInput = true;
				input.type = f.type;
			}
			return input;
		}),
	};
}

/**
 * The submitted form (`field-N`, multipart as the page sends it, or URL-encoded) as the output's values,
 * by label: numbers as numbers, a multiple choice as a list, text trimmed, a field not sent as null.
 * A required field without an answer, or a choice that is not one of the options, is refused.
 */
export function formAnswer(
	fields: FormField[],
	body: IDataObject,
): { values: IDataObject } | { problem: string } {
	const data = (body.data && typeof body.data === 'object' ? body.data : body) as IDataObject;
	const values: IDataObject = {};
	for (const [index, f] of fields.entries()) {
		let value = data[`field-${index}`] as unknown;
		if (Array.isArray(value) && !f.multiselect) value = value[0];
		if (
			value === undefined ||
			value === null ||
			(typeof value === 'string' && value.trim() === '')
		) {
			if (f.required) return { problem: `"${f.label}" is required` };
			values[f.label] = f.multiselect ? [] : null;
			continue;
		}
		if (f.multiselect) {
			let list: unknown = value;
			if (typeof list === 'string') {
				try {
					list = JSON.parse(list);
				} catch {
					list = [list];
				}
			}
			const chosen = (Array.isArray(list) ? list : [list]).map(String);
			const unknownChoice = chosen.find((c) => !f.options?.includes(c));
			if (unknownChoice !== undefined)
				return { problem: `"${unknownChoice}" is not an option of "${f.label}"` };
			if (f.required && chosen.length === 0) return { problem: `"${f.label}" is required` };
			values[f.label] = chosen;
			continue;
		}
		const text = String(value);
		if (f.type === 'number') {
			const n = Number(text);
			if (!Number.isFinite(n)) return { problem: `"${f.label}" must be a number` };
			values[f.label] = n;
		} else if (f.type === 'dropdown') {
			if (!f.options?.includes(text))
				return { problem: `"${text}" is not an option of "${f.label}"` };
			values[f.label] = text;
		} else {
			values[f.label] = f.type === 'text' || f.type === 'email' ? text.trim() : text;
		}
	}
	return { values };
}

/** The sandbox policy n8n sets on its own form pages (n8n-core's getHtmlSandboxCSP, the same value). */
const FORM_PAGE_CSP =
	'sandbox allow-downloads allow-forms allow-modals allow-orientation-lock allow-pointer-lock allow-popups allow-popups-to-escape-sandbox allow-presentation allow-scripts allow-top-navigation-by-user-activation allow-top-navigation-to-custom-protocols';

const problemPage = (problem: string) =>
	'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not recorded</title></head>' +
	`<body style="font-family:sans-serif;text-align:center;padding-top:4em"><h2>Not recorded</h2><p>${escapeHtml(problem)}. Go back, correct it and send the form again.</p></body></html>`;

/**
 * A request to the resume URL, read by response type. Approval: the answer is in the signed query.
 * Free Text and Custom Form: a GET shows n8n's form page and the execution keeps waiting; a POST is the
 * answer. `respond` is what to answer without continuing; `answer` is the `data` the execution goes on with.
 */
export function readResumeRequest(
	ctx: IWebhookFunctions,
): { respond: IWebhookResponseData } | { answer: IDataObject; type: ResponseType } {
	const type = responseTypeOf((name, fallback) => ctx.getNodeParameter(name, fallback));
	const respondedAt = new Date().toISOString();
	if (type === 'approval') {
		const approved = (ctx.getQueryData() as IDataObject).approved === 'true';
		return { answer: { approved, respondedAt }, type };
	}
	const fields = formFieldsOfNode(ctx, type);
	const method = String(ctx.getRequestObject().method ?? 'GET').toUpperCase();
	const res = ctx.getResponseObject();
	if (method !== 'POST') {
		const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
		const data = formPageData(
			{
				title: String(
					options.responseFormTitle || ctx.getNodeParameter('subject', '') || 'Your response',
				),
				description: String(
					options.responseFormDescription || ctx.getNodeParameter('message', '') || '',
				),
				buttonLabel: String(options.responseFormButtonLabel || 'Submit'),
			},
			fields,
		);
		res.setHeader('Content-Security-Policy', FORM_PAGE_CSP);
		res.render('form-trigger', data);
		return { respond: { noWebhookResponse: true } };
	}
	const read = formAnswer(fields, (ctx.getBodyData() ?? {}) as IDataObject);
	if ('problem' in read) {
		res.status(400).setHeader('Content-Type', 'text/html; charset=utf-8');
		res.send(problemPage(read.problem));
		return { respond: { noWebhookResponse: true } };
	}
	const answer = type === 'freeText' ? { text: read.values.Response } : { ...read.values };
	return { answer: { ...answer, respondedAt }, type };
}

/** The label of a form message's one button (Options › Message Button Label). */
function formButtonLabel(p: ParamReader): string {
	return p.optionalString('options.messageButtonLabel') ?? 'Respond';
}

/**
 * A message's answer buttons, by response type: Approve (and Decline), or one button that opens the form
 * page. `url` gives the resume URL with the answer; `make` builds the platform's button.
 */
export function answerButtons<B>(
	p: ParamReader,
	url: (approved: boolean) => string,
	make: (label: string, url: string, kind: 'primary' | 'danger') => B,
): B[] {
	if (responseTypeOf((name, fallback) => p.raw(name, fallback)) !== 'approval')
		return [make(formButtonLabel(p), url(true), 'primary')];
	const approval = approvalOf(p);
	const buttons = [make(approval.approveLabel, url(true), 'primary')];
	if (approval.double) buttons.push(make(approval.disapproveLabel, url(false), 'danger'));
	return buttons;
}

/** The question's parameters of a Send and Wait operation: subject, message and the response type's. */
export function questionProperties(subject: INodeProperties, markdown: string): INodeProperties[] {
	return [
		subject,
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			description: `What to answer; ${markdown}`,
		},
		RESPONSE_TYPE,
		APPROVAL_OPTIONS,
		...FORM_PROPERTIES,
	];
}

/** Checks the Custom Form before anything is sent, as the page will read it, so a message never links to a form that cannot be shown. */
export function checkForm(p: ParamReader): void {
	if (responseTypeOf((name, fallback) => p.raw(name, fallback)) !== 'customForm') return;
	// Only the parameter shown for the chosen Define Form can be read.
	const defineForm = p.raw('defineForm', 'fields');
	formFieldsFrom(
		defineForm,
		defineForm === 'json' ? p.raw('jsonOutput', '[]') : undefined,
		defineForm === 'json' ? undefined : ((p.raw('formFields', {}) ?? {}) as IDataObject).values,
		(field, problem) => p.fail(field, problem),
	);
}
