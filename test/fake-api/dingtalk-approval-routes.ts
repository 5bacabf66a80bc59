/**
 * The documented requests of DingTalk's OA approval (OA审批, `/v1.0/workflow/…`) APIs, for the fake's spec
 * checks (docs/research/dingtalk-approval.md §A1–§A8). No runtime imports, so that spec.ts can include them.
 *
 * Long fields are JSON numbers (`int`), as the pages' examples send them (`"taskId" : 67583405630`,
 * `"deptId": 1`) and as the other DingTalk routes declare their Long fields; in a query they are digit text.
 * No page states a per-API limit (§0), so `limits` stays unset and spec.ts gives these routes DingTalk's
 * default of 20 calls a second per app and API.
 */
import type { FieldSpec, RouteSpec } from './spec';
import { bool, int, str } from './values';

const strings = (required = false): FieldSpec => ({ type: 'array', of: 'string', required });

/** The componentType enum of the create page's formComponentValues (S7). */
export const DING_COMPONENT_TYPES = [
	'TextField',
	'TextareaField',
	'NumberField',
	'DDSelectField',
	'DDMultiSelectField',
	'DDDateField',
	'DDDateRangeField',
	'TextNote',
	'PhoneField',
	'DDPhotoField',
	'MoneyField',
	'TableField',
	'DDAttachment',
	'InnerContactField',
	'RelateField',
	'AddressField',
	'StarRatingField',
	'DepartmentField',
];

/** `file` of comment, execute and redirect: photo URLs and approval-space attachments (all strings). */
const FILE: FieldSpec = {
	type: 'object',
	fields: {
		photos: strings(),
		attachments: {
			type: 'array',
			items: { spaceId: str(), fileSize: str(), fileId: str(), fileName: str(), fileType: str() },
		},
	},
};

/** formComponentValues[].details[].details[] (S7's table: every field optional). */
const INNER_DETAIL: Record<string, FieldSpec> = {
	id: str(),
	bizAlias: str(),
	name: str(),
	value: str(),
	extValue: str(),
	componentType: str(false, { enum: DING_COMPONENT_TYPES }),
};
const DETAIL: Record<string, FieldSpec> = {
	id: str(),
	bizAlias: str(),
	name: str(),
	value: str(),
	extValue: str(),
	details: { type: 'array', items: INNER_DETAIL },
};

export const DING_APPROVAL_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.approval.getDefinition',
		method: 'GET',
		path: '/v1.0/workflow/forms/schemas/processCodes',
		auth: 'dingtalkHeader',
		query: { processCode: str(true), appUuid: str() },
	},
	{
		key: 'dingtalk.approval.listDefinitions',
		method: 'GET',
		path: '/v1.0/workflow/processes/userVisibilities/templates',
		auth: 'dingtalkHeader',
		// maxResults and nextToken are Long and required ("如果是首次调用，该参数传0").
		query: { userId: str(), maxResults: int(true), nextToken: int(true) },
	},
	{
		key: 'dingtalk.approval.createInstance',
		method: 'POST',
		path: '/v1.0/workflow/processInstances',
		auth: 'dingtalkHeader',
		body: {
			originatorUserId: str(true),
			processCode: str(true),
			deptId: int(),
			microappAgentId: int(),
			approvers: {
				type: 'array',
				items: { actionType: str(false, { enum: ['AND', 'OR', 'NONE'] }), userIds: strings() },
			},
			ccList: strings(),
			ccPosition: str(false, { enum: ['START', 'FINISH', 'START_FINISH'] }),
			targetSelectActioners: {
				type: 'array',
				items: { actionerKey: str(), actionerUserIds: strings() },
			},
			formComponentValues: {
				type: 'array',
				required: true,
				items: {
					name: str(true),
					value: str(true),
					id: str(),
					bizAlias: str(),
					extValue: str(),
					componentType: str(false, { enum: DING_COMPONENT_TYPES }),
					details: { type: 'array', items: DETAIL },
				},
			},
			bizDetailPageUrl: str(),
		},
	},
	{
		key: 'dingtalk.approval.getInstance',
		method: 'GET',
		path: '/v1.0/workflow/processInstances',
		auth: 'dingtalkHeader',
		query: { processInstanceId: str(true) },
	},
	{
		key: 'dingtalk.approval.listInstanceIds',
		method: 'POST',
		path: '/v1.0/workflow/processes/instanceIds/query',
		auth: 'dingtalkHeader',
		body: {
			processCode: str(true),
			startTime: int(true),
			endTime: int(),
			nextToken: int(true),
			maxResults: int(true),
			userIds: strings(),
			statuses: strings(),
		},
	},
	{
		key: 'dingtalk.approval.terminateInstance',
		method: 'POST',
		path: '/v1.0/workflow/processInstances/terminate',
		auth: 'dingtalkHeader',
		// isSystem is "否" (optional) in the table; the handler answers its "不能为空" error (§4 item 10).
		body: { processInstanceId: str(true), isSystem: bool(), remark: str(), operatingUserId: str() },
	},
	{
		key: 'dingtalk.approval.addComment',
		method: 'POST',
		path: '/v1.0/workflow/processInstances/comments',
		auth: 'dingtalkHeader',
		body: { processInstanceId: str(true), text: str(true), commentUserId: str(true), file: FILE },
	},
	{
		key: 'dingtalk.approval.executeTask',
		method: 'POST',
		path: '/v1.0/workflow/processInstances/execute',
		auth: 'dingtalkHeader',
		body: {
			processInstanceId: str(true),
			result: str(true, { enum: ['agree', 'refuse'] }),
			actionerUserId: str(true),
			taskId: int(true),
			remark: str(),
			file: FILE,
		},
	},
	{
		key: 'dingtalk.approval.redirectTask',
		method: 'POST',
		path: '/v1.0/workflow/tasks/redirect',
		auth: 'dingtalkHeader',
		body: {
			taskId: int(true),
			toUserId: str(true),
			operateUserId: str(true),
			remark: str(),
			actionName: str(),
			file: FILE,
		},
	},
];
