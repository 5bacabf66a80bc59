import type {
	IDataObject,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
	INodeListSearchResult,
	INodeProperties,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { ConvertContext, FormWidget } from '../../../shared/approvalForm';
import {
	formValues,
	mapperFields,
	publicWidget,
	timeRange,
	triggerUrlOf,
	waitProperties,
} from '../../../shared/approvalForm';
import { decideTask } from '../../../shared/approvalTask';
import { whereToLook } from '../../../shared/retry';
import { locator } from '../../../shared/description';
import { lookup } from '../../../shared/lookup';
import type { Long } from '../../../shared/params';
import { ParamReader } from '../../../shared/params';
import { LIMIT_WAIT_TIME, waitTill } from '../../../shared/sendAndWait';
import { resumeWithDecisions, waitForDecisions, waitKey } from '../../../shared/approvalWait';
import { searchList } from '../../../shared/search';
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
import { createDingTalkTransport, DINGTALK_RATE_LIMITS } from '../../transport';
import { answeredFalse } from '../common';
import { attachmentFiles, componentValue, instanceOutput, photoUrls, widgetsOf } from './form';

/**
 * OA approval (OA审批, /v1.0/workflow): templates with their forms, instances, comments and tasks, for
 * internal apps. Every person is a userId (staffId), never a unionId. Sources:
 * docs/research/dingtalk-approval.md A1–A8.
 */

const WF = '/v1.0/workflow';

/** The codes the pages list (A1–A8), with their 说明. */
export const APPROVAL_ERRORS = {
	formNotExist: 'The approval form (template) does not exist: check the process code.',
	invalidParameter:
		'A parameter is invalid: the corp, the process code, or the originator (who may have left).',
	noPermission: 'The app has no permission to this form (权限校验失败).',
	aflowProcessCodeIsError: 'The template could not be read, or it was deleted.',
	targetSelectApproverScopeError: 'A self-selected approver is outside the allowed range.',
	targetSelectApproverMissing:
		'A node needs a self-selected approver (发起人自选), which is missing.',
	processInstanceInvalidParameter:
		'The instance is invalid: an originator, approver or CC userId is wrong, the department ID is wrong, or the originator is not in that department.',
	processInstanceStartFailed: 'DingTalk could not create the instance.',
	needAuth:
		'No permission for this: to start approvals, or to act on this task (not its approver).',
	invalidAgentId: 'The micro-app ID (AgentId) is invalid.',
	processGroupGetFailed: 'The approval flow group could not be read.',
	processCodeError: 'The template could not be read, or it was deleted: check the process code.',
	processSetupNoPermission: 'No permission to operate on this approval flow.',
	processGetFailed: 'The approval flow could not be read, or the template is not enabled (启用).',
	formConverterError:
		'The form data failed validation; the message names the failing widget (失败控件).',
	illegalComponent: 'A form component in the request is invalid.',
	sysErrror: 'DingTalk had a system error creating the instance.',
	autoflowLikeTriggerRateLimited:
		'The template has automation (business rules) that hit its speed limit: slow down, or remove the automation.',
	benefitStatusInvalid: 'A detail-page URL is a feature of OA approval premium (OA高级版).',
	processInstanceIdError: 'The processInstanceId is invalid.',
	processFormDataIsNull: 'The instance has no form data.',
	processInstanceNotExist: 'The approval instance does not exist.',
	invalidProcessCode: 'The process code is required.',
	invalidInstanceListIdsStartTime: 'The start time is required.',
	invalidNextToken: 'The page cursor is invalid.',
	invalidMaxResults: 'The page size is invalid (at most 20; 100 for the form list).',
	invalidEndTime:
		'The end time is before the start time, or the range is longer than 120 days (and the start may be at most 365 days ago).',
	invalidUserIds: 'At most 10 originator userIds.',
	userNotExist: 'The user does not exist: check the userId.',
	aflowProcessInstNotExist: 'The approval instance does not exist: check the instance ID.',
	aflowProcessInstStatusException:
		'The instance is in a state that does not allow this: within 15 seconds of being submitted, or already finished.',
	invalidInstanceId: 'The instance ID is required.',
	invalidInstanceTerminateIsSystem: 'Whether the system terminates it (isSystem) is required.',
	invalidInstanceTerminateOperatingUserId:
		"Without the system, the operator's userId (the originator) is required.",
	aflowProcessInstCanNotBeExecuted:
		'The approval is in a state where this cannot be done (the task or instance is already finished).',
	invalidInstanceCommentText: 'The comment text is required.',
	invalidInstanceCommentUserId: "The commenter's userId is required.",
	aflowProcessNotExist: 'The approval flow does not exist.',
	invalidInstanceExecuteActionerUserId: "The approver's userId is required.",
	invalidInstanceExecuteTaskId: 'The task ID is required.',
	invalidInstanceExecuteResult: 'The decision must be agree or refuse.',
	aflowProcessFormDataIsNull: 'The flow has no form data.',
	'param.blank': 'A required parameter is empty.',
	'param.illegal': 'A parameter is invalid (for example the task ID).',
	'task.status.error': 'The task is not running, so it cannot be transferred.',
	'instance.status.error': 'The instance is not running, so its task cannot be transferred.',
	'param.illegal.operator':
		"The operator is not the task's current approver (operateUserId must be the assignee).",
	internalError:
		'DingTalk had an internal error. For Cancel Instance: the template may not allow the submitter to withdraw (高级设置 › 允许提交人撤销审批中的审批单).',
	systemError: 'DingTalk had a system error. Try again later.',
	'system.error': 'DingTalk had a system error. Try again later.',
};

const definitionLocator: INodeProperties = {
	...locator({
		name: 'processCode',
		displayName: 'Approval Form',
		description:
			'The approval form (审批模板). From the list, or its process code (PROC-…): in the OA approval admin console (OA审批管理后台), open the form; the code is in its address as processCode',
		searchListMethod: 'searchDingTalkApprovalForms',
		placeholder: 'PROC-FF6Y4BE1N2-1CJOSU6M1OVD6LF4ZZ2Q1-2EJ6EZSI-1',
	}),
};

const processCodeOf = (p: ParamReader) => p.requiredString('processCode').trim();

const instanceIdProperty = (description: string): INodeProperties => ({
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string',
	required: true,
	default: '={{ $json.instanceId }}',
	placeholder: 'a171de6c-8bxx-xxxx-xxxx-7edba0d24d29',
	description,
});

const userIdProperty = (
	name: string,
	displayName: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	required: true,
	default: '',
	placeholder: 'manager4220',
	description: `${description}. A userId (staffId), not a unionId: User › Get returns it as userid.`,
});

const schemaRequest = (code: string): ApiRequest => ({
	method: 'GET',
	path: `${WF}/forms/schemas/processCodes`,
	qs: { processCode: code },
});

const schemas = new WeakMap<object, Map<string, Promise<FormWidget[]>>>();

async function widgetsFor(step: OperationStep, code: string): Promise<FormWidget[]> {
	return await lookup(schemas, step.ctx, code, step.itemIndex, async () => {
		const data = await step.send(
			schemaRequest(code),
			DINGTALK_RATE_LIMITS['approval.getDefinition'],
		);
		return widgetsOf(((data.result ?? {}) as IDataObject).schemaContent);
	});
}

const formProperty: INodeProperties = {
	displayName: 'Form',
	name: 'form',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description: "The form's components, as the template has them",
	hint: 'Choices by option; contacts by userId; departments by ID; attachments as files already in the approval space ({"spaceId","fileId","fileName","fileSize","fileType"}); images by URL; a detail table (明细) as a list of row objects',
	typeOptions: {
		loadOptionsDependsOn: ['processCode.value'],
		resourceMapper: {
			resourceMapperMethod: 'getDingTalkApprovalForm',
			mode: 'add',
			fieldWords: { singular: 'component', plural: 'components' },
			addAllFields: true,
			multiKeyMatch: false,
			supportAutoMap: true,
		},
	},
};

/** formComponentValues: 「最大列表长度：150」; each value 「最大长度65535字符」. */
const MAX_COMPONENTS = 150;
const MAX_VALUE = 65_535;

function formOf(step: OperationStep, widgets: FormWidget[]): IDataObject[] {
	const p: ParamReader = step.params;
	const mapper = (p.raw('form', {}) ?? {}) as { mappingMode?: string; value?: IDataObject | null };
	const auto = mapper.mappingMode === 'autoMapInputData';
	const source = auto ? (step.ctx.getInputData()[p.itemIndex]?.json ?? {}) : (mapper.value ?? {});
	const timeZone = step.ctx.getTimezone();
	const context: ConvertContext = {
		timeZone,
		checkId: (kind, id) =>
			kind === 'department' && !/^-?\d+$/.test(id)
				? `"${id}" is not a department ID (digits)`
				: undefined,
		files: (widget, value, fail) =>
			widget.kind === 'image' ? photoUrls(value, fail) : attachmentFiles(value, fail),
	};
	const values = formValues(widgets, source, auto, context, (column, problem) =>
		p.fail('form', problem, `Form › ${column}`),
	).map(({ widget, value }) => {
		const entry = componentValue(widget, value, timeZone);
		if (String(entry.value).length > MAX_VALUE)
			p.fail('form', `the value is longer than ${MAX_VALUE} characters`, `Form › ${widget.name}`);
		return entry;
	});
	if (values.length > MAX_COMPONENTS)
		p.fail('form', `${values.length} values; a form takes at most ${MAX_COMPONENTS}`, 'Form');
	return values;
}

const getDefinition: OperationDefinition = {
	value: 'getDefinition',
	name: 'Get Definition',
	action: 'Get an approval form',
	description: "Get an approval form's schema: its components with their types and options",
	lane: DINGTALK_RATE_LIMITS['approval.getDefinition'],
	properties: [definitionLocator],
	errors: APPROVAL_ERRORS,
	build: (p) => schemaRequest(processCodeOf(p)),
	output(response, request) {
		const result = (response.result ?? {}) as IDataObject;
		return {
			processCode: (request.qs as IDataObject).processCode,
			name: result.name,
			status: result.status,
			formCode: result.formCode,
			widgets: widgetsOf(result.schemaContent).map(publicWidget) as unknown as IDataObject[],
			memo: result.memo,
		};
	},
};

const APPROVERS: INodeProperties = {
	displayName: 'Approvers',
	name: 'approvers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	description:
		"Approvers in order, instead of the template's flow (at most 20 steps). With them, the template's advanced settings (handwritten signatures, field permissions) do not apply.",
	options: [
		{
			displayName: 'Step',
			name: 'steps',
			values: [
				{
					displayName: 'Action Type',
					name: 'actionType',
					type: 'options',
					options: [
						{ name: 'One Approver', value: 'NONE' },
						{ name: 'All Must Approve (会签)', value: 'AND' },
						{ name: 'Any One Approves (或签)', value: 'OR' },
					],
					default: 'NONE',
				},
				{
					displayName: 'User IDs',
					name: 'userIds',
					type: 'string',
					default: '',
					description: 'Comma-separated userIds',
				},
			],
		},
	],
};

const createInstance: RunOperation = {
	value: 'createInstance',
	name: 'Create Instance',
	action: 'Start an approval',
	description:
		'Start an approval (发起审批实例) with its form filled from the item. DingTalk documents no idempotency key: an answer lost on the way is not retried.',
	lane: DINGTALK_RATE_LIMITS['approval.createInstance'],
	properties: [
		definitionLocator,
		userIdProperty('originatorUserId', 'Originator', 'The user who starts the approval (发起人)'),
		{
			displayName: 'Department ID',
			name: 'deptId',
			type: 'string',
			default: '',
			placeholder: '-1',
			description:
				"The originator's department; -1 for the root. Needed with the template's own flow (no Approvers below).",
		},
		formProperty,
		...waitProperties('DingTalk Trigger', 'https://n8n.example.com/webhook/3f1c…/webhook'),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				APPROVERS,
				{
					displayName: 'CC User IDs',
					name: 'ccList',
					type: 'string',
					default: '',
					description:
						"Comma-separated userIds (at most 50). Only with Approvers: with the template's flow DingTalk ignores them.",
				},
				{
					displayName: 'CC When',
					name: 'ccPosition',
					type: 'options',
					options: [
						{ name: 'At Start', value: 'START' },
						{ name: 'At Finish', value: 'FINISH' },
						{ name: 'At Start and Finish', value: 'START_FINISH' },
					],
					default: 'START',
				},
			],
		},
	],
	extraOptions: [LIMIT_WAIT_TIME],
	errors: APPROVAL_ERRORS,
	async afterRun(ctx, results) {
		const p = ParamReader.forItem(ctx, 0, createInstance.properties);
		if (!p.boolean('waitForDecision')) return undefined;
		const credentials = await ctx.getCredentials('dingTalkApi');
		return await waitForDecisions(ctx, results, {
			platform: 'dingtalk',
			key: waitKey(String(credentials.appSecret ?? '')),
			triggerUrl: triggerUrlOf(p),
			until: waitTill(p),
			instanceOf: (json) => (typeof json.instanceId === 'string' ? json.instanceId : undefined),
		});
	},
	async run(step) {
		const p: ParamReader = step.params;
		const code = processCodeOf(p);
		const originator = p.requiredString('originatorUserId');
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const steps = ((extra.approvers as IDataObject | undefined)?.steps ?? []) as IDataObject[];
		const body: Record<string, unknown> = { originatorUserId: originator, processCode: code };
		const dept: Long | undefined = p.optionalLong('deptId');
		if (steps.length > 20)
			p.fail('additionalFields.approvers', 'at most 20 steps', 'Additional Fields › Approvers');
		if (steps.length > 0) {
			body.approvers = steps.map((s, i) => ({
				actionType: String(s.actionType ?? 'NONE'),
				userIds: p.stringList(
					'additionalFields.approvers',
					s.userIds,
					`Additional Fields › Approvers › Step ${i + 1} › User IDs`,
				),
			}));
			const cc = p.stringList(
				'additionalFields.ccList',
				extra.ccList ?? '',
				'Additional Fields › CC User IDs',
			);
			if (cc.length > 50)
				p.fail('additionalFields.ccList', 'at most 50 userIds', 'Additional Fields › CC User IDs');
			if (cc.length > 0) {
				body.ccList = cc;
				body.ccPosition = String(extra.ccPosition ?? 'START');
			}
		} else if (dept === undefined) {
			// 「若approvers未传值时…deptId需必填…若为根部门ID需填-1」.
			p.fail(
				'deptId',
				"is needed with the template's own flow (-1 for the root department)",
				'Department ID',
			);
		}
		if (dept !== undefined) body.deptId = dept;
		const widgets = await widgetsFor(step, code);
		body.formComponentValues = formOf(step, widgets);
		const sentAt = new Date().toISOString();
		try {
			const data = await step.send({ method: 'POST', path: `${WF}/processInstances`, body });
			return [
				{ json: { instanceId: data.instanceId, processCode: code, originatorUserId: originator } },
			];
		} catch (error) {
			throw passedOn(
				whereToLook(
					error,
					`Look in OA approval for an approval of ${code} started by ${originator} at about ${sentAt} (Get Many Instances with this originator finds it).`,
				),
			);
		}
	},
};

const getInstance: OperationDefinition = {
	value: 'getInstance',
	name: 'Get Instance',
	action: 'Get an approval instance',
	description: 'Get an approval with its status, result, form values as fields, tasks and records',
	lane: DINGTALK_RATE_LIMITS['approval.getInstance'],
	properties: [
		instanceIdProperty(
			"The instance ID (from Create Instance, Get Many Instances or the trigger's approval events)",
		),
		{
			displayName: 'Include Raw Answer',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: "Whether to add DingTalk's answer as it is, under raw",
		},
	],
	errors: APPROVAL_ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `${WF}/processInstances`,
		qs: { processInstanceId: p.requiredString('instanceId') },
	}),
	output: (response, request, p) =>
		instanceOutput(
			String((request.qs as IDataObject).processInstanceId),
			(response.result ?? {}) as IDataObject,
			p.boolean('includeRaw'),
		),
};

/** 「要求时间范围不能超过120天」: a longer range is asked for 120 days at a time. */
const WINDOW_MS = 120 * 86_400_000;

const rangeOf = (p: ParamReader) => timeRange(p, 'Started After', 'Started Before');

/** POST /processes/instanceIds/query: IDs only, 20 a page, nextToken from 0 (a string back, a number sent). */
function instanceList(step: OperationStep): ListSpec {
	const p: ParamReader = step.params;
	const code = processCodeOf(p);
	const range = rangeOf(p);
	const statuses = (p.raw('statuses', []) as string[] | undefined) ?? [];
	const userIds = p.stringList(
		'originatorUserIds',
		p.raw('originatorUserIds', ''),
		'Originator User IDs',
	);
	if (userIds.length > 10) p.fail('originatorUserIds', 'at most 10 userIds', 'Originator User IDs');
	const details = p.boolean('includeDetails');
	return {
		maxPageSize: 20,
		windowed: true,
		page(_p, cursor, pageSize) {
			const [from, token] = cursor ? cursor.split('|') : [String(range.start), '0'];
			const start = Number(from);
			return {
				method: 'POST',
				path: `${WF}/processes/instanceIds/query`,
				body: {
					processCode: code,
					startTime: start,
					endTime: Math.min(start + WINDOW_MS, range.end),
					nextToken: Number(token || 0),
					maxResults: pageSize,
					...(userIds.length > 0 ? { userIds } : {}),
					...(statuses.length > 0 ? { statuses } : {}),
				},
				idempotent: true,
			};
		},
		read(response, request) {
			const body = request.body as IDataObject;
			const result = (response.result ?? {}) as IDataObject;
			const records = ((result.list as string[] | undefined) ?? []).map((id) => ({
				instanceId: id,
			}));
			const windowEnd = Number(body.endTime);
			const next =
				result.nextToken !== undefined && result.nextToken !== null && result.nextToken !== ''
					? `${String(body.startTime)}|${String(result.nextToken)}`
					: windowEnd < range.end
						? `${windowEnd}|0`
						: undefined;
			return { records, next };
		},
		shape: details
			? async (record) => {
					const data = await step.send(
						{
							method: 'GET',
							path: `${WF}/processInstances`,
							qs: { processInstanceId: String(record.instanceId) },
						},
						DINGTALK_RATE_LIMITS['approval.getInstance'],
					);
					return {
						json: instanceOutput(
							String(record.instanceId),
							(data.result ?? {}) as IDataObject,
							false,
						),
					};
				}
			: (record) => ({ json: { ...record, processCode: code } }),
	};
}

const getManyInstances: OperationDefinition = {
	value: 'getManyInstances',
	name: 'Get Many Instances',
	action: 'Get many approval instances',
	description: "List a form's instances started in a time range (at most 365 days back)",
	lane: DINGTALK_RATE_LIMITS['approval.getManyInstances'],
	properties: [
		definitionLocator,
		{
			displayName: 'Started After',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.minus({ days: 7 }).toISO() }}',
			description: 'At most 365 days ago (OA approval premium: 5 years)',
		},
		{
			displayName: 'Started Before',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.toISO() }}',
			description: 'DingTalk answers 120 days at a time; a longer range is read 120 days at a time',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: [
				{ name: 'Running', value: 'RUNNING' },
				{ name: 'Terminated (Withdrawn)', value: 'TERMINATED' },
				{ name: 'Completed', value: 'COMPLETED' },
			],
			default: [],
			description: 'Empty: every status',
		},
		{
			displayName: 'Originator User IDs',
			name: 'originatorUserIds',
			type: 'string',
			default: '',
			description: 'Comma-separated userIds, at most 10. Empty: everyone.',
		},
		{
			displayName: 'Include Details',
			name: 'includeDetails',
			type: 'boolean',
			default: false,
			description:
				'Whether to get each instance (status, fields, tasks), one Get Instance per instance; without it, the IDs only',
		},
	],
	errors: APPROVAL_ERRORS,
	list: async (step) => instanceList(step),
};

async function instanceOf(step: OperationStep, id: string): Promise<IDataObject> {
	const data = await step.send(
		{ method: 'GET', path: `${WF}/processInstances`, qs: { processInstanceId: id } },
		DINGTALK_RATE_LIMITS['approval.getInstance'],
	);
	return (data.result ?? {}) as IDataObject;
}

const platformCode = (error: unknown) => (error as { platformCode?: string }).platformCode;

const cancelInstance: OperationDefinition = {
	value: 'cancelInstance',
	name: 'Cancel Instance',
	action: 'Terminate an approval',
	description:
		'Terminate (撤销) a running approval: by the system, or as its originator. Not within 15 seconds of its start, and not once finished.',
	lane: DINGTALK_RATE_LIMITS['approval.cancelInstance'],
	properties: [
		instanceIdProperty('The approval to terminate'),
		{
			displayName: 'As the Originator',
			name: 'operatingUserId',
			type: 'string',
			default: '',
			description:
				"The originator's userId, to terminate as them (the template must allow the submitter to withdraw). Empty: the system terminates it.",
		},
		{
			displayName: 'Remark',
			name: 'remark',
			type: 'string',
			default: '',
			description: 'Why (at most 1,024 characters)',
		},
	],
	errors: APPROVAL_ERRORS,
	check: answeredFalse('result', 'The termination'),
	async run(step) {
		const p: ParamReader = step.params;
		const id = p.requiredString('instanceId');
		const operator = p.optionalString('operatingUserId');
		const remark = p.optionalString('remark');
		if (remark && remark.length > 1024) p.fail('remark', 'is longer than 1,024 characters');
		const body: Record<string, unknown> = {
			processInstanceId: id,
			isSystem: operator === undefined,
			...(operator ? { operatingUserId: operator } : {}),
			...(remark ? { remark } : {}),
		};
		try {
			// Terminating twice terminates once: a lost answer is sent again, its repeat checked below.
			await step.send({
				method: 'POST',
				path: `${WF}/processInstances/terminate`,
				body,
				idempotent: true,
			});
			return [{ json: { instanceId: id, cancelled: true } }];
		} catch (error) {
			if (platformCode(error) !== 'aflowProcessInstStatusException') throw passedOn(error);
			if ((await instanceOf(step, id)).status !== 'TERMINATED') throw passedOn(error);
			return [{ json: { instanceId: id, cancelled: true, alreadyCancelled: true } }];
		}
	},
};

const addComment: OperationDefinition = {
	value: 'addComment',
	name: 'Add Comment',
	action: 'Comment on an approval',
	description: 'Add a comment to an approval as a user',
	lane: DINGTALK_RATE_LIMITS['approval.addComment'],
	properties: [
		instanceIdProperty('The approval to comment on'),
		userIdProperty('commentUserId', 'Commenter', 'The user who comments'),
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 3 },
			required: true,
			default: '',
			description: 'At most 1,024 characters',
		},
	],
	errors: APPROVAL_ERRORS,
	check: answeredFalse('result', 'The comment'),
	build(p) {
		const text = p.requiredString('text');
		if (text.length > 1024) p.fail('text', 'is longer than 1,024 characters');
		return {
			method: 'POST',
			path: `${WF}/processInstances/comments`,
			body: {
				processInstanceId: p.requiredString('instanceId'),
				text,
				commentUserId: p.requiredString('commentUserId'),
			},
		};
	},
	output: (_response, request) => ({
		instanceId: (request.body as IDataObject).processInstanceId,
		commented: true,
	}),
};

type Decision = 'approve' | 'reject' | 'transfer';
const RESULT: Record<Decision, string> = {
	approve: 'AGREE',
	reject: 'REFUSE',
	transfer: 'REDIRECTED',
};
/** The codes a repeat is answered with (A7, A8): a task already acted on. */
const REPEATED = new Set([
	'aflowProcessInstCanNotBeExecuted',
	'aflowProcessInstStatusException',
	'task.status.error',
	'instance.status.error',
]);

function taskOperation(decision: Decision): OperationDefinition {
	const verb = { approve: 'Approve', reject: 'Reject', transfer: 'Transfer' }[decision];
	const properties: INodeProperties[] = [
		instanceIdProperty('The approval the task belongs to'),
		userIdProperty('userId', 'Approver', "The approver whose task this is (the task's userId)"),
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			placeholder: '811165',
			description:
				"The task (from Get Instance's tasks, or the trigger's task events). Empty: the approver's running task of this approval.",
		},
	];
	if (decision === 'transfer')
		properties.push(userIdProperty('toUserId', 'Transfer To', 'The user who gets the task'));
	properties.push({
		displayName: 'Remark',
		name: 'remark',
		type: 'string',
		default: '',
		description: `The approval opinion (审批意见), at most ${decision === 'transfer' ? 256 : 1024} characters`,
	});
	return {
		value: `${decision}Task`,
		name: `${verb} Task`,
		action: `${verb} an approval task`,
		description:
			decision === 'transfer'
				? "Hand an approval task to another user, as the task's current approver"
				: `${verb} an approval task as its approver (tasks go in the flow's order). A task already decided the same way is reported as such, not as a failure.`,
		// Approve and reject are one API (execute): one lane.
		lane: DINGTALK_RATE_LIMITS[
			decision === 'transfer' ? 'approval.transferTask' : 'approval.executeTask'
		],
		properties,
		errors: APPROVAL_ERRORS,
		check: answeredFalse('result', `The ${decision}`),
		async run(step) {
			const p: ParamReader = step.params;
			const id = p.requiredString('instanceId');
			const userId = p.requiredString('userId');
			const given: Long | undefined = p.optionalLong('taskId');
			const remark = p.optionalString('remark');
			const max = decision === 'transfer' ? 256 : 1024;
			if (remark && remark.length > max) p.fail('remark', `is longer than ${max} characters`);
			const toUserId = decision === 'transfer' ? p.requiredString('toUserId') : undefined;
			const out = (taskId: string) => ({
				instanceId: id,
				taskId: p.requiredLong('taskId', taskId, 'Task ID').value(),
				decision: RESULT[decision],
			});
			return [
				{
					json: await decideTask({
						p,
						instance: id,
						userId,
						taskId: given?.digits,
						tasks: async () =>
							((await instanceOf(step, id)).tasks as IDataObject[] | undefined) ?? [],
						openWord: 'running',
						isOpen: (t) => t.status === 'RUNNING' && String(t.userId) === userId,
						idOf: (t) => String(t.taskId),
						async send(digits) {
							const taskId = p.requiredLong('taskId', digits, 'Task ID');
							await step.send(
								decision === 'transfer'
									? {
											method: 'POST',
											path: `${WF}/tasks/redirect`,
											body: {
												taskId,
												toUserId,
												operateUserId: userId,
												...(remark ? { remark } : {}),
											},
											idempotent: true,
										}
									: {
											method: 'POST',
											path: `${WF}/processInstances/execute`,
											body: {
												processInstanceId: id,
												result: decision === 'approve' ? 'agree' : 'refuse',
												actionerUserId: userId,
												taskId,
												...(remark ? { remark } : {}),
											},
											// A repeat is answered as an ended task and checked: safe to send again.
											idempotent: true,
										},
							);
							return out(digits);
						},
						isRepeat: (error) => REPEATED.has(String(platformCode(error))),
						decidedAsAsked: (t) => t.result === RESULT[decision] && String(t.userId) === userId,
						repeated: out,
					}),
				},
			];
		},
	};
}

export const approval: ResourceDefinition = {
	value: 'approval',
	name: 'Approval',
	description: 'OA approvals (OA审批): forms, instances, comments and tasks',
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
	],
};

/** GET /processes/userVisibilities/templates: every form of the company (no userId), 100 a page. */
const formList: ListSpec = {
	maxPageSize: 100,
	page: (_p, cursor, pageSize) => ({
		method: 'GET',
		path: `${WF}/processes/userVisibilities/templates`,
		qs: { maxResults: pageSize, nextToken: Number(cursor ?? 0) },
	}),
	read: (response) => {
		const result = (response.result ?? {}) as IDataObject;
		const next = result.nextToken;
		return {
			records: (result.processList as IDataObject[] | undefined) ?? [],
			next: next === undefined || next === null || next === '' ? undefined : String(next),
		};
	},
};

export const approvalListSearch = {
	async searchDingTalkApprovalForms(
		this: ILoadOptionsFunctions,
		filter?: string,
		token?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createDingTalkTransport(this);
		return await searchList(
			this,
			[definitionLocator],
			transport,
			formList,
			(f) => ({
				name: `${String(f.name ?? f.processCode)}${f.dirName ? ` (${String(f.dirName)})` : ''}`,
				value: String(f.processCode),
			}),
			filter,
			token,
			{ lane: DINGTALK_RATE_LIMITS['approval.getDefinitions'], errors: APPROVAL_ERRORS },
		);
	},
};

export const approvalResourceMapping = {
	async getDingTalkApprovalForm(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const transport = await createDingTalkTransport(this);
		return await withEditorStep(
			this,
			transport,
			[definitionLocator],
			APPROVAL_ERRORS,
			async (step) => {
				const data = await step.send(
					schemaRequest(processCodeOf(step.params)),
					DINGTALK_RATE_LIMITS['approval.getDefinition'],
				);
				return {
					fields: mapperFields(widgetsOf(((data.result ?? {}) as IDataObject).schemaContent)),
				};
			},
		);
	},
};

/**
 * Create Instance's resume webhook (Wait for Decision): the trigger says the run's approvals ended; each
 * is read from DingTalk, and the execution goes on with them (`decision`: agree, refuse or terminated).
 */
export async function approvalWaitWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = await ctx.getCredentials('dingTalkApi');
	const transport = await createDingTalkTransport(ctx);
	return await resumeWithDecisions(
		ctx,
		waitKey(String(credentials.appSecret ?? '')),
		async (id) => {
			const data = await transport.send(
				{ method: 'GET', path: `${WF}/processInstances`, qs: { processInstanceId: id } },
				0,
				{ lane: DINGTALK_RATE_LIMITS['approval.getInstance'], errors: APPROVAL_ERRORS },
			);
			const result = (data.result ?? {}) as IDataObject;
			const status = String(result.status ?? '');
			const decision = status === 'TERMINATED' ? 'terminated' : String(result.result ?? '');
			return {
				ended: status === 'COMPLETED' || status === 'TERMINATED',
				json: { ...instanceOutput(id, result, false), decision },
			};
		},
	);
}
