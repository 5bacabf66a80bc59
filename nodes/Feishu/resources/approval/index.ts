import type {
	IDataObject,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
	INodeProperties,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { ConvertContext, FormWidget } from '../../../shared/approvalForm';
import { formValues, mapperFields, publicWidget, rfc3339 } from '../../../shared/approvalForm';
import { binaryProperty } from '../../../shared/binary';
import { linkOrIdLocator } from '../../../shared/description';
import { lookup } from '../../../shared/lookup';
import { ParamReader } from '../../../shared/params';
import { LIMIT_WAIT_TIME, waitTill } from '../../../shared/sendAndWait';
import { resumeWithDecisions, waitForDecisions, waitKey } from '../../../shared/approvalWait';
import { timeRange, triggerUrlOf, waitProperties } from '../../../shared/approvalForm';
import { decideTask } from '../../../shared/approvalTask';
import { withEditorStep } from '../../../shared/sheetEditor';
import { passedOn } from '../../../shared/tokens';
import type {
	ApiRequest,
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
	RunOperation,
} from '../../../shared/types';
import { createFeishuTransport, FEISHU_RATE_LIMITS } from '../../transport';
import { clientToken, idType } from '../common';
import { instanceOutput, widgetJson, widgetsOf } from './form';

/**
 * Approval (审批 v4): definitions with their forms, instances, comments, tasks and the per-definition event
 * subscription. Every page takes the tenant token only (docs/research/feishu-approval.md §0), so the
 * operations act as the app, naming the user they act for. Sources: §1.1–§1.11 of that file.
 */

const V4 = '/open-apis/approval/v4';

/** The codes these pages list (§0.2), with their 排查建议. */
export const APPROVAL_ERRORS = {
	'1390001':
		'A parameter is invalid. When the message names a widget (控件=…), that widget of the form has a value that does not fit it: look it up in the definition (Approval › Get Definition).',
	'1390002': 'The approval code was not found. Check it in the approval admin console.',
	'1390003': 'The instance code was not found.',
	'1390004':
		'The user ID was not found: the ID must be of the kind chosen under User ID Type, and the user in the app’s contact range.',
	'1390007': 'The definition is already subscribed (or already unsubscribed): nothing to do.',
	'1390009':
		"No permission for this operation: check the definition's operation permissions in its process design (流程设计), and that the task ID belongs to this approver.",
	'1390010':
		'The task was not found: the task ID is wrong, or the task was already processed (a task already approved cannot be approved again).',
	'1390013': 'Definitions with a free process (自定义审批流程) cannot be started through the API.',
	'1390015': 'The approval definition is disabled (停用).',
	'1390016': 'The approval definition was deleted.',
	'1390018':
		'This step needs a handwritten signature, which the API does not support: the approver must act in the Feishu app.',
	'1395001': 'Feishu had an error. Check the parameters and the form, then slow down and retry.',
	'60006': 'A widget value is invalid or empty (the message names the widget: 控件=…).',
	'60012': 'An instance with this uuid already exists (the uuid can create one instance only).',
};

const WEB_ADMIN = 'https://www.feishu.cn/approval/admin/approvalList?devMode=on';

const approvalLocator: INodeProperties = linkOrIdLocator({
	name: 'approvalCode',
	displayName: 'Approval Definition',
	description: `The approval definition (审批定义). Its Approval Code is in the address of its edit page in the approval admin console (${WEB_ADMIN}), after definitionCode=`,
	urlPlaceholder:
		'https://www.feishu.cn/approval/admin/approvalList?definitionCode=7C468A54-8745-2245-9675-08B7C63E7A85',
	pattern: '.*definitionCode=[0-9A-Za-z-]+.*',
	patternError: 'Not an address with definitionCode=…',
	idPlaceholder: '7C468A54-8745-2245-9675-08B7C63E7A85',
});

/** The Approval Code from the locator: the ID, or definitionCode=… of the admin console's address. */
function approvalCodeOf(p: ParamReader): string {
	const given = p.requiredString('approvalCode');
	const fromUrl = /[?&#]definitionCode=([0-9A-Za-z-]+)/.exec(given)?.[1];
	return p.pathId('approvalCode', fromUrl ?? given.trim());
}

const instanceCodeProperty = (description: string): INodeProperties => ({
	displayName: 'Instance Code',
	name: 'instanceCode',
	type: 'string',
	required: true,
	default: '={{ $json.instanceCode }}',
	placeholder: '81D31358-93AF-92D6-7425-01A5D67C4E71',
	description,
});

const userIdProperty = (displayName: string, description: string): INodeProperties => ({
	displayName,
	name: 'userId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'ou_7dab8a3d3cdcc9da365777c7ad535d62',
	description,
});

const USER_ID_TYPE = idType(
	'userIdType',
	'User ID Type',
	'The kind of user ID given above (and in the answer)',
);

/** createInstance takes user_id or open_id in the body, never a union ID (§3). */
const INITIATOR_ID_TYPE: INodeProperties = {
	displayName: 'Initiator ID Type',
	name: 'userIdType',
	type: 'options',
	options: [
		{ name: 'Open ID', value: 'open_id', description: 'Per-app user ID (ou_…)' },
		{
			name: 'User ID',
			value: 'user_id',
			description: "The tenant's employee ID",
		},
	],
	default: 'open_id',
	description: 'The kind of user ID given as the initiator',
};

const userIdTypeOf = (p: ParamReader) =>
	p.choice('userIdType', ['open_id', 'union_id', 'user_id'] as const, 'open_id');

/** The definition: GET /approvals/:approval_code (§1.1). */
function definitionRequest(code: string): ApiRequest {
	return { method: 'GET', path: `${V4}/approvals/${code}` };
}

const definitions = new WeakMap<object, Map<string, Promise<FormWidget[]>>>();

/** The definition's widgets, read once per run and definition. */
async function widgetsFor(step: OperationStep, code: string): Promise<FormWidget[]> {
	return await lookup(definitions, step.ctx, code, step.itemIndex, async () => {
		const data = await step.send(
			definitionRequest(code),
			FEISHU_RATE_LIMITS['approval.getDefinition'],
		);
		return widgetsOf(data.form);
	});
}

/** The mapper's column for the form, read from the definition. */
const formProperty: INodeProperties = {
	displayName: 'Form',
	name: 'form',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description: "The form's widgets, as the definition has them",
	hint: 'Choices by option name; contacts by user ID (ou_… or user IDs); departments by open department ID (od-…); attachments and images by binary property names; a detail table (明细) as a list of row objects',
	typeOptions: {
		loadOptionsDependsOn: ['approvalCode.value'],
		resourceMapper: {
			resourceMapperMethod: 'getFeishuApprovalForm',
			mode: 'add',
			fieldWords: { singular: 'widget', plural: 'widgets' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: true,
		},
	},
};

/** "附件上传大小限制为 50 M，图片上传大小为 10 M" (§1.11). */
const FILE_LIMITS = {
	attachment: { maxBytes: 50 * 1024 * 1024, what: 'an approval attachment' },
	image: { maxBytes: 10 * 1024 * 1024, what: 'an approval image' },
};

/** Binary property names of the item, or codes already uploaded (the upload's `code`, a UUID). */
function fileNames(value: unknown, fail: (problem: string) => never): string[] {
	const list = Array.isArray(value) ? value : String(value).split(',');
	return list.map((v) => {
		if (typeof v !== 'string' || v.trim() === '')
			fail('expected binary property names (data, receipt) or uploaded file codes');
		return String(v).trim();
	});
}

const FILE_CODE = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** POST www.feishu.cn/approval/openapi/v2/file/upload (§1.11): one file a call, `name`, `type`, `content`. */
async function uploadFiles(
	step: OperationStep,
	kind: 'attachment' | 'image',
	names: string[],
	column: string,
): Promise<string[]> {
	const codes: string[] = [];
	for (const name of names) {
		if (FILE_CODE.test(name) && !step.ctx.getInputData()[step.itemIndex]?.binary?.[name]) {
			codes.push(name);
			continue;
		}
		const file = await binaryProperty(
			step.ctx,
			step.params,
			'form',
			name,
			FILE_LIMITS[kind],
			`Form › ${column}`,
		);
		const data = await step.send(
			{
				method: 'POST',
				path: '/approval/openapi/v2/file/upload',
				style: 'web',
				multipart: {
					fields: [
						['name', file.fileName],
						['type', kind],
					],
					file: { field: 'content', ...file },
				},
				// A repeated upload leaves an unused code behind, nothing anyone sees.
				idempotent: true,
			},
			FEISHU_RATE_LIMITS['approval.uploadFile'],
		);
		codes.push(String(data.code));
	}
	return codes;
}

interface FormEntry {
	widget: FormWidget;
	entry: IDataObject;
	upload?: { kind: 'attachment' | 'image'; names: string[]; column: string };
}

/** The item's form: every value checked against its widget before any request, then files uploaded. */
async function formOf(step: OperationStep, widgets: FormWidget[]): Promise<IDataObject[]> {
	const p: ParamReader = step.params;
	const mapper = (p.raw('form', {}) ?? {}) as { mappingMode?: string; value?: IDataObject | null };
	const auto = mapper.mappingMode === 'autoMapInputData';
	const source = auto ? (step.ctx.getInputData()[p.itemIndex]?.json ?? {}) : (mapper.value ?? {});
	const timeZone = step.ctx.getTimezone();
	const pending: FormEntry[] = [];
	const context: ConvertContext = {
		timeZone,
		checkId: (kind, id) =>
			kind === 'department' && !id.startsWith('od-')
				? `"${id}" is not an open department ID (od-…), which this widget takes`
				: undefined,
		files: (_widget, value, fail) => fileNames(value, fail),
	};
	const typed = formValues(widgets, source, auto, context, (column, problem) =>
		p.fail('form', problem, `Form › ${column}`),
	);
	for (const { widget, value } of typed) {
		const entry = widgetJson(widget, value, (ms) => rfc3339(ms, timeZone));
		if (value.kind === 'attachment' || value.kind === 'image')
			pending.push({
				widget,
				entry,
				upload: { kind: value.kind, names: value.files as string[], column: widget.name },
			});
		else pending.push({ widget, entry });
	}
	const form: IDataObject[] = [];
	for (const { entry, upload } of pending) {
		if (upload) entry.value = await uploadFiles(step, upload.kind, upload.names, upload.column);
		form.push(entry);
	}
	return form;
}

/** Per node: approvers or CC recipients the initiator picks (node_approver_*_list, node_cc_*_list). */
const NODE_USERS = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	description,
	options: [
		{
			displayName: 'Node',
			name: 'nodes',
			values: [
				{
					displayName: 'Node ID',
					name: 'key',
					type: 'string',
					default: '',
					description:
						"The node's node_id or custom_node_id, from Get Definition's node_list (a node where the initiator picks: need_approver)",
				},
				{
					displayName: 'User IDs',
					name: 'users',
					type: 'string',
					default: '',
					description: 'Comma-separated, of the Initiator ID Type',
				},
			],
		},
	],
});

function nodeUsers(p: ParamReader, name: string, label: string): IDataObject[] | undefined {
	const nodes = ((p.raw(`additionalFields.${name}`, {}) as IDataObject | undefined)?.nodes ??
		[]) as IDataObject[];
	if (nodes.length === 0) return undefined;
	return nodes.map((n, i) => ({
		key: p.requiredString(`additionalFields.${name}`, n.key, `${label} › Node ${i + 1} › Node ID`),
		value: p.stringList(`additionalFields.${name}`, n.users, `${label} › Node ${i + 1} › User IDs`),
	}));
}

const getDefinition: OperationDefinition = {
	value: 'getDefinition',
	actsAs: ['app'],
	name: 'Get Definition',
	action: 'Get an approval definition',
	description: 'Get an approval definition with its form widgets and process nodes',
	lane: FEISHU_RATE_LIMITS['approval.getDefinition'],
	properties: [
		approvalLocator,
		{
			displayName: 'Options',
			name: 'definitionOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				{
					displayName: 'Locale',
					name: 'locale',
					type: 'options',
					options: [
						{ name: 'Chinese (Zh-CN)', value: 'zh-CN' },
						{ name: 'English (en-US)', value: 'en-US' },
						{ name: 'Japanese (Ja-JP)', value: 'ja-JP' },
					],
					default: 'zh-CN',
					description: "The language of the names. Default: the definition's default language.",
				},
			],
		},
	],
	errors: APPROVAL_ERRORS,
	build(p) {
		const request = definitionRequest(approvalCodeOf(p));
		const locale = p.optionalString('definitionOptions.locale');
		return locale ? { ...request, qs: { locale } } : request;
	},
	output(response, request) {
		const code = request.path.slice(request.path.lastIndexOf('/') + 1);
		return {
			approvalCode: code,
			approvalName: response.approval_name,
			status: response.status,
			widgets: widgetsOf(response.form).map(publicWidget) as unknown as IDataObject[],
			nodes: response.node_list as IDataObject[],
			viewers: response.viewers as IDataObject[],
		};
	},
};

const createInstance: RunOperation = {
	value: 'createInstance',
	actsAs: ['app'],
	name: 'Create Instance',
	action: 'Start an approval',
	description:
		'Start an approval (创建审批实例) with its form filled from the item. Sent again after a lost answer with the same uuid, so it exists once.',
	lane: FEISHU_RATE_LIMITS['approval.createInstance'],
	properties: [
		approvalLocator,
		userIdProperty(
			'Initiator',
			'The user who starts the approval (发起人); a bot can start one with its open ID',
		),
		INITIATOR_ID_TYPE,
		formProperty,
		...waitProperties('Feishu Trigger', 'https://n8n.example.com/webhook/3f1c…/webhook'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Department ID',
					name: 'departmentId',
					type: 'string',
					default: '',
					description:
						"The initiator's department (a department_id, not the root). Default: the user's first department.",
				},
				NODE_USERS(
					'approvers',
					'Approvers',
					'Approvers for nodes where the initiator picks them (node_approver_*_list)',
				),
				NODE_USERS('cc', 'CC Recipients', 'CC recipients for nodes where the initiator picks them'),
				{
					displayName: 'Allow Resubmit',
					name: 'allowResubmit',
					type: 'boolean',
					default: false,
					description: 'Whether the initiator can resubmit after the approval is returned',
				},
				{
					displayName: 'Forbid Revoke',
					name: 'forbidRevoke',
					type: 'boolean',
					default: false,
					description: 'Whether the initiator is kept from withdrawing it',
				},
				{
					displayName: 'Bot Notifications Off',
					name: 'cancelBotNotification',
					type: 'multiOptions',
					options: [
						{ name: 'Approved', value: 1 },
						{ name: 'Rejected', value: 2 },
						{ name: 'Cancelled', value: 4 },
					],
					default: [],
					description: 'The approval bot does not notify the initiator of these outcomes',
				},
			],
		},
	],
	extraOptions: [LIMIT_WAIT_TIME],
	errors: APPROVAL_ERRORS,
	async afterRun(ctx, results) {
		const p = ParamReader.forItem(ctx, 0, createInstance.properties);
		if (!p.boolean('waitForDecision')) return undefined;
		const credentials = await ctx.getCredentials('feishuApi');
		return await waitForDecisions(ctx, results, {
			platform: 'feishu',
			key: waitKey(String(credentials.appSecret ?? '')),
			triggerUrl: triggerUrlOf(p),
			until: waitTill(p),
			instanceOf: (json) => (typeof json.instanceCode === 'string' ? json.instanceCode : undefined),
		});
	},
	async run(step) {
		const p: ParamReader = step.params;
		const code = approvalCodeOf(p);
		const userId = p.requiredString('userId');
		const idKind = p.choice('userIdType', ['open_id', 'user_id'] as const, 'open_id');
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const body: Record<string, unknown> = { approval_code: code, [idKind]: userId };
		const department = p.optionalString(
			'additionalFields.departmentId',
			extra.departmentId,
			'Additional Fields › Department ID',
		);
		if (department !== undefined) body.department_id = department;
		const approvers = nodeUsers(p, 'approvers', 'Additional Fields › Approvers');
		if (approvers) body[`node_approver_${idKind}_list`] = approvers;
		const cc = nodeUsers(p, 'cc', 'Additional Fields › CC Recipients');
		if (cc) body[`node_cc_${idKind}_list`] = cc;
		if (extra.allowResubmit === true) body.allow_resubmit = true;
		if (extra.forbidRevoke === true) body.forbid_revoke = true;
		const mask = ((extra.cancelBotNotification as number[] | undefined) ?? []).reduce(
			(sum, bit) => sum | Number(bit),
			0,
		);
		if (mask > 0) body.cancel_bot_notification = String(mask);
		// The form is checked against the definition before anything is sent (files are uploaded after).
		const widgets = await widgetsFor(step, code);
		body.form = JSON.stringify(await formOf(step, widgets));
		// 「用于幂等操作…同一个 uuid 只能用于创建一个审批实例」: one per execution, node, run and item.
		const uuid = clientToken(p, 'approval.createInstance');
		body.uuid = uuid;
		let instanceCode: string;
		try {
			const data = await step.send({
				method: 'POST',
				path: `${V4}/instances`,
				body,
				idempotencyKey: uuid,
			});
			instanceCode = String(data.instance_code);
		} catch (error) {
			// 60012: this uuid created its instance already (an earlier attempt whose answer was lost).
			if ((error as { platformCode?: string }).platformCode !== '60012') throw passedOn(error);
			const data = await step.send(
				{ method: 'GET', path: `${V4}/instances/${uuid}` },
				FEISHU_RATE_LIMITS['approval.getInstance'],
			);
			instanceCode = String(data.instance_code);
		}
		return [{ json: { instanceCode, approvalCode: code, uuid } }];
	},
};

const getInstance: OperationDefinition = {
	value: 'getInstance',
	actsAs: ['app'],
	name: 'Get Instance',
	action: 'Get an approval instance',
	description:
		'Get an approval with its status, form values as fields, tasks, timeline and comments',
	lane: FEISHU_RATE_LIMITS['approval.getInstance'],
	properties: [
		instanceCodeProperty(
			"The instance code (from Create Instance, Get Many Instances or the trigger's approval events), or the uuid it was created with",
		),
		USER_ID_TYPE,
		{
			displayName: 'Include Raw Answer',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: "Whether to add Feishu's answer as it is, under raw",
		},
	],
	errors: APPROVAL_ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `${V4}/instances/${p.pathId('instanceCode')}`,
		qs: { user_id_type: userIdTypeOf(p) },
	}),
	output: (response, _request, p) => instanceOutput(response, p.boolean('includeRaw')),
};

/** 「单次查询时间范围不要超过10小时」 (§1.4): the range is asked for in windows of 10 hours. */
const WINDOW_MS = 10 * 3600_000;

const rangeOf = (p: ParamReader) => timeRange(p, 'Created After', 'Created Before');

/** GET /instances (§1.4): codes only, page_size ≤ 100, the range split into 10-hour windows. */
function instanceList(step: OperationStep): ListSpec {
	const p: ParamReader = step.params;
	const code = approvalCodeOf(p);
	const range = rangeOf(p);
	const details = p.boolean('includeDetails');
	return {
		maxPageSize: 100,
		windowed: true,
		page(_p, cursor, pageSize) {
			// The cursor: the window's start, then the page token within it.
			const [from, token] = cursor ? cursor.split('|') : [String(range.start), ''];
			const start = Number(from);
			return {
				method: 'GET',
				path: `${V4}/instances`,
				qs: {
					approval_code: code,
					start_time: String(start),
					end_time: String(Math.min(start + WINDOW_MS, range.end)),
					page_size: pageSize,
					...(token ? { page_token: token } : {}),
				},
			};
		},
		read(response, request) {
			const qs = request.qs as IDataObject;
			const windowEnd = Number(qs.end_time);
			const records = ((response.instance_code_list as string[] | undefined) ?? []).map((c) => ({
				instanceCode: c,
			}));
			const next =
				response.has_more === true && response.page_token
					? `${String(qs.start_time)}|${String(response.page_token)}`
					: windowEnd < range.end
						? `${windowEnd}|`
						: undefined;
			return { records, next };
		},
		shape: details
			? async (record) => ({
					json: instanceOutput(
						await step.send(
							{
								method: 'GET',
								path: `${V4}/instances/${String(record.instanceCode)}`,
								qs: { user_id_type: 'open_id' },
							},
							FEISHU_RATE_LIMITS['approval.getInstance'],
						),
						false,
					),
				})
			: (record) => ({ json: { ...record, approvalCode: code } }),
	};
}

const getManyInstances: OperationDefinition = {
	value: 'getManyInstances',
	actsAs: ['app'],
	name: 'Get Many Instances',
	action: 'Get many approval instances',
	description: "List a definition's instances created in a time range, oldest first",
	lane: FEISHU_RATE_LIMITS['approval.getManyInstances'],
	properties: [
		approvalLocator,
		{
			displayName: 'Created After',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.minus({ days: 1 }).toISO() }}',
		},
		{
			displayName: 'Created Before',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.toISO() }}',
			description:
				'Feishu answers at most 10 hours at a time; a longer range is read 10 hours at a time',
		},
		{
			displayName: 'Include Details',
			name: 'includeDetails',
			type: 'boolean',
			default: false,
			description:
				'Whether to get each instance (status, fields, tasks), one Get Instance per instance; without it, the codes only',
		},
	],
	errors: APPROVAL_ERRORS,
	list: async (step) => instanceList(step),
};

const cancelInstance: OperationDefinition = {
	value: 'cancelInstance',
	actsAs: ['app'],
	name: 'Cancel Instance',
	action: 'Withdraw an approval',
	description:
		'Withdraw an approval (撤回) as its initiator; the definition must allow withdrawing',
	lane: FEISHU_RATE_LIMITS['approval.cancelInstance'],
	properties: [
		approvalLocator,
		instanceCodeProperty('The approval to withdraw'),
		userIdProperty('Initiator', 'The user who started it: only the initiator can withdraw'),
		USER_ID_TYPE,
	],
	errors: APPROVAL_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: `${V4}/instances/cancel`,
		qs: { user_id_type: userIdTypeOf(p) },
		body: {
			approval_code: approvalCodeOf(p),
			instance_code: p.requiredString('instanceCode'),
			user_id: p.requiredString('userId'),
		},
		// Withdrawing twice withdraws once.
		idempotent: true,
	}),
	output: (_response, request) => ({
		instanceCode: (request.body as IDataObject).instance_code,
		cancelled: true,
	}),
};

const addComment: OperationDefinition = {
	value: 'addComment',
	actsAs: ['app'],
	name: 'Add Comment',
	action: 'Comment on an approval',
	description: 'Add a comment to an approval as a user',
	lane: FEISHU_RATE_LIMITS['approval.addComment'],
	properties: [
		instanceCodeProperty('The approval to comment on'),
		userIdProperty('Commenter', 'The user who comments'),
		USER_ID_TYPE,
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			required: true,
			default: '',
		},
		{
			displayName: 'Notify Through the Bot',
			name: 'notify',
			type: 'boolean',
			default: false,
			description:
				'Whether the approval bot notifies people of the comment (disable_bot false); off, the comment is only recorded',
		},
	],
	errors: APPROVAL_ERRORS,
	build: (p) => ({
		method: 'POST',
		path: `${V4}/instances/${p.pathId('instanceCode')}/comments`,
		qs: { user_id_type: userIdTypeOf(p), user_id: p.requiredString('userId') },
		body: {
			content: JSON.stringify({ text: p.requiredString('text'), files: [] }),
			disable_bot: !p.boolean('notify'),
		},
	}),
	output: (response, request) => ({
		commentId: response.comment_id,
		instanceCode: request.path.split('/').at(-2),
	}),
};

type Decision = 'approve' | 'reject' | 'transfer';
const DECIDED: Record<Decision, string> = {
	approve: 'APPROVED',
	reject: 'REJECTED',
	transfer: 'TRANSFERRED',
};

/** The instance's tasks, for finding the user's pending task and checking a repeated decision. */
async function tasksOf(
	step: OperationStep,
	instanceCode: string,
	idKind: string,
): Promise<IDataObject[]> {
	const data = await step.send(
		{
			method: 'GET',
			path: `${V4}/instances/${step.params.pathId('instanceCode', instanceCode)}`,
			qs: { user_id_type: idKind },
		},
		FEISHU_RATE_LIMITS['approval.getInstance'],
	);
	return (data.task_list as IDataObject[] | undefined) ?? [];
}

const userOfTask = (task: IDataObject, idKind: string, userId: string) =>
	(idKind === 'open_id' ? task.open_id : task.user_id) === userId;

function taskOperation(decision: Decision): OperationDefinition {
	const verb = { approve: 'Approve', reject: 'Reject', transfer: 'Transfer' }[decision];
	const properties: INodeProperties[] = [
		approvalLocator,
		instanceCodeProperty('The approval the task belongs to'),
		userIdProperty('Approver', "The approver whose task this is (the task's user)"),
		USER_ID_TYPE,
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			placeholder: '1234567890',
			description:
				"The task (from Get Instance's tasks). Empty: the approver's pending task of this approval.",
		},
	];
	if (decision === 'transfer')
		properties.push({
			displayName: 'Transfer To',
			name: 'transferUserId',
			type: 'string',
			required: true,
			default: '',
			description: 'The user who gets the task, of the same User ID Type',
		});
	properties.push({
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		default: '',
		description: 'The approval opinion (审批意见)',
	});
	return {
		value: `${decision}Task`,
		actsAs: ['app'],
		name: `${verb} Task`,
		action: `${verb} an approval task`,
		description:
			decision === 'transfer'
				? 'Hand an approval task to another user'
				: `${verb} an approval task as its approver. A task already ${DECIDED[decision].toLowerCase()} is reported as such, not as a failure.`,
		lane: FEISHU_RATE_LIMITS[`approval.${decision}Task`],
		properties,
		errors: APPROVAL_ERRORS,
		async run(step) {
			const p: ParamReader = step.params;
			const code = approvalCodeOf(p);
			const instanceCode = p.requiredString('instanceCode');
			const userId = p.requiredString('userId');
			const idKind = userIdTypeOf(p);
			const transferTo = decision === 'transfer' ? p.requiredString('transferUserId') : undefined;
			const comment = p.optionalString('comment');
			return [
				{
					json: await decideTask({
						p,
						instance: instanceCode,
						userId,
						taskId: p.optionalString('taskId'),
						tasks: async () => await tasksOf(step, instanceCode, idKind),
						openWord: 'pending',
						isOpen: (t) => t.status === 'PENDING' && userOfTask(t, idKind, userId),
						idOf: (t) => String(t.id),
						async send(taskId) {
							const body: Record<string, unknown> = {
								approval_code: code,
								instance_code: instanceCode,
								user_id: userId,
								task_id: taskId,
							};
							if (comment !== undefined) body.comment = comment;
							if (transferTo) body.transfer_user_id = transferTo;
							await step.send({
								method: 'POST',
								path: `${V4}/tasks/${decision}`,
								qs: { user_id_type: idKind },
								body,
								// A repeat is answered 1390010 and checked, so a lost answer is safe to send again.
								idempotent: true,
							});
							return { instanceCode, taskId, decision: DECIDED[decision] };
						},
						// 「如果是已通过的任务，重复同意会报错」 (1390010): the same decision already made is not a failure.
						isRepeat: (error) => (error as { platformCode?: string }).platformCode === '1390010',
						decidedAsAsked: (t) => t.status === DECIDED[decision] && userOfTask(t, idKind, userId),
						repeated: (taskId) => ({ instanceCode, taskId, decision: DECIDED[decision] }),
					}),
				},
			];
		},
	};
}

const subscribe: OperationDefinition = {
	value: 'subscribe',
	actsAs: ['app'],
	name: 'Subscribe to Events',
	action: "Subscribe to a definition's approval events",
	description:
		"Let the app receive this definition's approval instance and task events (the Feishu Trigger's approval events need it once per definition)",
	lane: FEISHU_RATE_LIMITS['approval.subscribe'],
	properties: [approvalLocator],
	errors: APPROVAL_ERRORS,
	async run(step) {
		const code = approvalCodeOf(step.params);
		try {
			await step.send({
				method: 'POST',
				path: `${V4}/approvals/${code}/subscribe`,
				idempotent: true,
			});
			return [{ json: { approvalCode: code, subscribed: true } }];
		} catch (error) {
			// 1390007 「当前审批定义已完成订阅…无需重复操作」.
			if ((error as { platformCode?: string }).platformCode !== '1390007') throw passedOn(error);
			return [{ json: { approvalCode: code, subscribed: true, alreadySubscribed: true } }];
		}
	},
};

export const approval: ResourceDefinition = {
	value: 'approval',
	name: 'Approval',
	description: 'Approvals (审批): definitions, instances, comments and tasks',
	defaultOperation: 'createInstance',
	operations: [
		getDefinition,
		createInstance,
		getInstance,
		getManyInstances,
		cancelInstance,
		addComment,
		taskOperation('approve'),
		taskOperation('reject'),
		taskOperation('transfer'),
		subscribe,
	],
};

export const approvalResourceMapping = {
	async getFeishuApprovalForm(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const transport = await createFeishuTransport(this);
		return await withEditorStep(
			this,
			transport,
			[approvalLocator],
			APPROVAL_ERRORS,
			async (step) => {
				const data = await step.send(
					definitionRequest(approvalCodeOf(step.params)),
					FEISHU_RATE_LIMITS['approval.getDefinition'],
				);
				return { fields: mapperFields(widgetsOf(data.form)) };
			},
		);
	},
};

/** The statuses an instance ends in (§1.3, §5.1): approved, rejected, withdrawn, deleted. */
const ENDED = new Set(['APPROVED', 'REJECTED', 'CANCELED', 'DELETED']);

/**
 * Create Instance's resume webhook (Wait for Decision): the trigger says the run's approvals ended; each
 * is read from Feishu, and the execution goes on with them (`decision`: the final status).
 */
export async function approvalWaitWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = await ctx.getCredentials('feishuApi');
	const transport = await createFeishuTransport(ctx);
	return await resumeWithDecisions(
		ctx,
		waitKey(String(credentials.appSecret ?? '')),
		async (code) => {
			const data = await transport.send(
				{
					method: 'GET',
					path: `${V4}/instances/${encodeURIComponent(code)}`,
					qs: { user_id_type: 'open_id' },
				},
				0,
				{ lane: FEISHU_RATE_LIMITS['approval.getInstance'], errors: APPROVAL_ERRORS },
			);
			const status = String(data.status ?? '');
			return {
				ended: ENDED.has(status),
				json: { ...instanceOutput(data, false), decision: status },
			};
		},
	);
}
