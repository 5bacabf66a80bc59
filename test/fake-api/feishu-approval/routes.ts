/**
 * The documented requests of Feishu Approval (审批 v4): definitions, event subscription, instances
 * (create, get, list, cancel), comments, tasks (approve, reject, transfer) and the approval file upload
 * (docs/research/feishu-approval.md §0–§1.11), for the fake's spec checks. Only type imports from the
 * rest of the fake, so that spec.ts can include APPROVAL_ROUTES without a cycle.
 *
 * Every page's 请求头 table documents only tenant_access_token (§0), so no route takes a user token.
 */

import type { FieldSpec, RateRule, RouteSpec } from '../spec';
import { bool, int, str } from '../values';

/** The 16 locales of getDefinition and getInstance (§1.1). */
export const APPROVAL_LOCALES = [
	'zh-CN',
	'en-US',
	'ja-JP',
	'zh-HK',
	'zh-TW',
	'de-DE',
	'es-ES',
	'fr-FR',
	'id-ID',
	'it-IT',
	'ko-KR',
	'pt-BR',
	'th-TH',
	'vi-VN',
	'ms-MY',
	'ru-RU',
];
const USER_ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const LOCALE = str(false, { enum: APPROVAL_LOCALES });
/** "100 次/分钟" (§0.1). */
const PER_MINUTE_100: RateRule[] = [{ limit: 100, windowMs: 60_000 }];
/** "1000 次/分钟、50 次/秒" (§0.1). */
const LEVEL_4: RateRule[] = [
	{ limit: 50, windowMs: 1000 },
	{ limit: 1000, windowMs: 60_000 },
];
const auth = 'feishuBearer' as const;
const DEFINITION = '/open-apis/approval/v4/approvals/{approval_code}';

/** node_approver[] / node_cc[]: `{key, value: string[]}`, both marked optional in the tables (§1.2). */
const NODE_USERS: FieldSpec = {
	type: 'array',
	items: { key: str(), value: { type: 'array', of: 'string' } },
};
const TASK_BODY: Record<string, FieldSpec> = {
	approval_code: str(true),
	instance_code: str(true),
	user_id: str(true),
	task_id: str(true),
	comment: str(),
};

export const APPROVAL_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.approval.getDefinition',
		auth,
		method: 'GET',
		path: DEFINITION,
		pathParams: { approval_code: 'string' },
		query: {
			locale: LOCALE,
			with_admin_id: bool(),
			user_id_type: USER_ID_TYPE,
			with_option: bool(),
			user_id: str(),
			nested_mutable_group: bool(),
		},
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.subscribe',
		auth,
		method: 'POST',
		path: `${DEFINITION}/subscribe`,
		pathParams: { approval_code: 'string' },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.unsubscribe',
		auth,
		method: 'POST',
		path: `${DEFINITION}/unsubscribe`,
		pathParams: { approval_code: 'string' },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.createInstance',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/instances',
		// No query parameters (no user_id_type): the body's ID fields have fixed types (§3).
		body: {
			approval_code: str(true),
			user_id: str(),
			open_id: str(),
			department_id: str(),
			form: str(true),
			node_approver_user_id_list: NODE_USERS,
			node_approver_open_id_list: NODE_USERS,
			node_cc_user_id_list: NODE_USERS,
			node_cc_open_id_list: NODE_USERS,
			uuid: str(),
			allow_resubmit: bool(),
			allow_submit_again: bool(),
			cancel_bot_notification: str(),
			forbid_revoke: bool(),
			i18n_resources: {
				type: 'array',
				items: {
					locale: str(true, { enum: ['zh-CN', 'en-US', 'ja-JP'] }),
					texts: { type: 'array', required: true, items: { key: str(true), value: str(true) } },
					is_default: { type: 'boolean', required: true },
				},
			},
			title: str(),
			title_display_method: int(false, { enum: [0, 1] }),
			node_auto_approval_list: {
				type: 'array',
				items: { node_id_type: str(false, { enum: ['CUSTOM', 'NON_CUSTOM'] }), node_id: str() },
			},
		},
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.getInstance',
		auth,
		method: 'GET',
		path: '/open-apis/approval/v4/instances/{instance_id}',
		pathParams: { instance_id: 'string' },
		query: {
			locale: LOCALE,
			user_id: str(),
			user_id_type: USER_ID_TYPE,
			nested_mutable_group: bool(),
		},
		limits: LEVEL_4,
	},
	{
		key: 'feishu.approval.listInstances',
		auth,
		method: 'GET',
		path: '/open-apis/approval/v4/instances',
		query: {
			approval_code: str(true),
			// "毫秒时间戳", typed string on the page.
			start_time: { type: 'digits', required: true },
			end_time: { type: 'digits', required: true },
			page_size: int(),
			page_token: str(),
		},
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.cancelInstance',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/instances/cancel',
		query: { user_id_type: USER_ID_TYPE },
		body: { approval_code: str(true), instance_code: str(true), user_id: str(true) },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.addComment',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/instances/{instance_id}/comments',
		pathParams: { instance_id: 'string' },
		query: { user_id_type: USER_ID_TYPE, user_id: str(true) },
		body: {
			content: str(),
			at_info_list: {
				type: 'array',
				items: { user_id: str(true), name: str(true), offset: str(true) },
			},
			parent_comment_id: str(),
			comment_id: str(),
			disable_bot: bool(),
			extra: str(),
		},
		limits: LEVEL_4,
	},
	{
		key: 'feishu.approval.approveTask',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/tasks/approve',
		query: { user_id_type: USER_ID_TYPE },
		body: { ...TASK_BODY, form: str() },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.rejectTask',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/tasks/reject',
		query: { user_id_type: USER_ID_TYPE },
		body: { ...TASK_BODY, form: str() },
		limits: PER_MINUTE_100,
	},
	{
		key: 'feishu.approval.transferTask',
		auth,
		method: 'POST',
		path: '/open-apis/approval/v4/tasks/transfer',
		query: { user_id_type: USER_ID_TYPE },
		body: { ...TASK_BODY, transfer_user_id: str(true) },
		limits: PER_MINUTE_100,
	},
	{
		// In production this is https://www.feishu.cn/approval/openapi/v2/file/upload (another host, not
		// under /open-apis, §1.11); the fake serves it on its one server.
		key: 'feishu.approval.uploadFile',
		auth,
		method: 'POST',
		path: '/approval/openapi/v2/file/upload',
		multipart: {
			fields: { name: str(true), type: str(true, { enum: ['image', 'attachment'] }) },
			files: ['content'],
		},
		// No limit is documented (§0.1 "not found"); an empty list keeps spec.ts's level-4 default off.
		limits: [],
	},
];
