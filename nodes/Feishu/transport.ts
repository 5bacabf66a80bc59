import type { IDataObject } from 'n8n-workflow';

import {
	feishuBaseUrl,
	feishuWebUrl,
	requestFeishuToken,
	TOKEN_ERROR_MEANINGS,
	USER_TOKEN_ERROR_MEANINGS,
} from '../../credentials/platformAuth';
import { nonJsonFailure } from '../shared/platform';
import { busyBackoff } from '../shared/retry';
import { DEFAULT_TIMEOUT_MS, PlatformTransport } from '../shared/transport';
import type { DocumentedLimit } from '../shared/pacing';
import { lanesOf } from '../shared/pacing';
import type { Outcome } from '../shared/platform';
import { UserTokens } from '../shared/tokens';
import type { ApiContext, ErrorMeanings } from '../shared/types';

export const FEISHU_CREDENTIAL = 'feishuApi';
/** A user's own identity (user_access_token), connected through n8n's OAuth2 flow. */
export const FEISHU_USER_CREDENTIAL = 'feishuOAuth2Api';

/** Codes Feishu answers for a missing, invalid or expired tenant_access_token. */
const TOKEN_INVALID = new Set([99991661, 99991663, 99991664, 99991665]);
/**
 * Codes Feishu answers for an expired (99991677) or invalid (99991668) user_access_token: refresh and send
 * again. 99991668 whose message says "user access token not support" is an API that takes no user token:
 * a refresh would not help (and would rotate the refresh token for nothing).
 */
const USER_TOKEN_INVALID = new Set([99991677, 99991668]);
const USER_TOKEN_NOT_SUPPORTED = /not support/i;

/** What the codes mean on a request that carried a user token. */
const FEISHU_USER_ERRORS: ErrorMeanings = {
	'99991661': 'The request carried no access token.',
	'99991668':
		"The user access token is invalid even after a refresh: the user may have withdrawn the app's authorization (reconnect the credential in n8n), or this API does not accept a user's token (use the App authentication for it).",
	'99991669': 'The user refresh token is invalid. Reconnect the credential in n8n.',
	'99991671': 'The access token is malformed (a user token starts with u-).',
	'99991672':
		'The app has not enabled a scope this API needs. Enable the scopes below under Permissions & Scopes in the developer console and publish a version, then add them to the credential’s Scopes and reconnect it.',
	'99991676':
		'The user’s token lacks a scope this API needs. Add it to the credential’s Scopes (the app must have it enabled) and reconnect the credential.',
	'99991677': 'The user access token expired, and expired again right after a refresh.',
	'99991679':
		'The user has not granted a scope this API needs. Add the scopes below to the credential’s Scopes (the app must have them enabled), then reconnect the credential so that the user grants them.',
};

const FEISHU_GLOBAL_ERRORS: ErrorMeanings = {
	...TOKEN_ERROR_MEANINGS,
	'99991661': 'The request carried no access token.',
	'99991663': 'The tenant access token is invalid or expired, even after one refresh.',
	'99991664': 'The tenant access token is invalid, even after one refresh.',
	'99991665': 'The tenant access token is invalid, even after one refresh.',
	'99991400': 'Too many requests: the API rate limit was reached.',
	'40001': 'A parameter is invalid.',
	'40003': 'Feishu had an internal error. Retry, or contact Feishu support with the request ID.',
	'40004': 'The app has no authority over the department.',
	'40011': 'The page size is invalid.',
	'40012': 'The page token is invalid.',
	'99991672':
		'The app lacks a permission scope this API needs. Add it in the developer console and publish a new version.',
	'99991401': "The app's IP allow-list blocks this server.",
	'99991403': "The tenant's monthly API call quota is used up.",
};

const FEISHU_DOCS = 'https://open.feishu.cn/document/server-docs';
const BITABLE_DOCS = `${FEISHU_DOCS}/docs/bitable-v1`;
const IM_DOCS = `${FEISHU_DOCS}/im-v1`;
const DRIVE_DOCS = 'https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1';
const DOCX_DOCS =
	'https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/document-docx/docx-v1';
const WIKI_DOCS = 'https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/wiki-v2';
/** The Sheets pages (docs/research/feishu-sheets.md): v3 for spreadsheets and tabs, v2 for values. */
const SHEETS_V3 = 'https://open.feishu.cn/document/ukTMukTMukTM/uUDN04SN0QjL1QDN/sheets-v3';
const SHEETS_PAGE = 'https://open.feishu.cn/document/ukTMukTMukTM';
const APPROVAL_DOCS = 'https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/approval-v4';
const TASK_DOCS = 'https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/task-v2';
const CALENDAR_DOCS = 'https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/calendar-v4';
const CONTACT_DOCS =
	'https://open.larkoffice.com/document/uAjLw4CM/ukTMukTMukTM/reference/contact-v3';
/** Frequency-control level 4, "1000 次/分钟、50 次/秒" (both hold: reaching either one is "too fast"). */
const LEVEL_4 = { perMinute: 1000, perSecond: 50 };
/** Frequency-control level 3, "100 次/分钟". */
const LEVEL_3 = { perMinute: 100 };

/** The general limit (frequency-control level 4), for raw API calls: each method and path is a lane of its own. */
const FEISHU_DEFAULT_LIMIT: DocumentedLimit = {
	...LEVEL_4,
	doc: `${FEISHU_DOCS}/api-call-guide/frequency-control`,
};

/**
 * Feishu's documented rate limits, one pacing lane per API, each with the API page that states it.
 * Feishu counts per API, per app and per tenant (the frequency-control page). Operations name their lane
 * here; two operations of one API share its lane.
 */
export const FEISHU_RATE_LIMITS = lanesOf({
	'userGroup.create': { ...LEVEL_3, doc: `${FEISHU_DOCS}/contact-v3/group/create` },
	'userGroup.update': { ...LEVEL_3, doc: `${FEISHU_DOCS}/contact-v3/group/patch` },
	'userGroup.delete': { ...LEVEL_3, doc: `${CONTACT_DOCS}/group/delete` },
	'userGroup.get': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group/get` },
	'userGroup.getAll': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group/simplelist` },
	'userGroup.getMemberships': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group/member_belong` },
	'userGroupMember.add': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group-member/add` },
	'userGroupMember.remove': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group-member/remove` },
	'userGroupMember.addMany': { ...LEVEL_3, doc: `${CONTACT_DOCS}/group-member/batch_add` },
	'userGroupMember.removeMany': { ...LEVEL_3, doc: `${CONTACT_DOCS}/group-member/batch_remove` },
	'userGroupMember.getAll': { ...LEVEL_4, doc: `${CONTACT_DOCS}/group-member/simplelist` },
	'user.get': { ...LEVEL_4, doc: `${CONTACT_DOCS}/user/get` },
	// Calendar v4: every page states level 4.
	'calendar.getAll': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar/list` },
	'calendarEvent.create': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/create` },
	'calendarEvent.get': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/get` },
	'calendarEvent.getAll': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/instance_view` },
	'calendarEvent.delete': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/delete` },
	'calendarEvent.update': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/patch` },
	'calendarEvent.removeAttendees': {
		...LEVEL_4,
		doc: `${CALENDAR_DOCS}/calendar-event-attendee/batch_delete`,
	},
	'calendar.getFreeBusy': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/freebusy/list` },
	'calendar.subscribeEvents': { ...LEVEL_4, doc: `${CALENDAR_DOCS}/calendar-event/subscription` },
	'calendar.unsubscribeEvents': {
		...LEVEL_4,
		doc: `${CALENDAR_DOCS}/calendar-event/unsubscription`,
	},
	'calendarEvent.addAttendees': {
		...LEVEL_4,
		doc: `${CALENDAR_DOCS}/calendar-event-attendee/create`,
	},
	// Task v2: create, get, patch and delete state 10 a second; the lists level 4.
	'task.create': { perSecond: 10, doc: `${TASK_DOCS}/task/create` },
	'task.get': { perSecond: 10, doc: `${TASK_DOCS}/task/get` },
	'task.update': { perSecond: 10, doc: `${TASK_DOCS}/task/patch` },
	'task.delete': { perSecond: 10, doc: `${TASK_DOCS}/task/delete` },
	'task.getAll': { ...LEVEL_4, doc: `${TASK_DOCS}/tasklist/tasks` },
	'tasklist.getAll': { ...LEVEL_4, doc: `${TASK_DOCS}/tasklist/list` },
	'tasklist.create': { ...LEVEL_4, doc: `${TASK_DOCS}/tasklist/create` },
	// Departments: children and find_by_department state level 4; get and parent state 特殊频控 (a limit
	// of their own, with no number): they are paced at level 4, and a "too fast" answer is waited out.
	'department.get': { ...LEVEL_4, doc: `${CONTACT_DOCS}/department/get` },
	'department.getChildren': { ...LEVEL_4, doc: `${CONTACT_DOCS}/department/children` },
	'department.getParents': { ...LEVEL_4, doc: `${CONTACT_DOCS}/department/parent` },
	'user.getAll': { ...LEVEL_4, doc: `${CONTACT_DOCS}/user/find_by_department` },
	// 搜索用户 states no limit: the general level 4.
	'user.search': {
		...LEVEL_4,
		doc: 'https://open.feishu.cn/document/ukTMukTMukTM/uMTM4UjLzEDO14yMxgTN',
	},
	'user.getIdsByEmailOrMobile': { ...LEVEL_4, doc: `${CONTACT_DOCS}/user/batch_get_id` },
	// Messaging: every im/v1 page states level 4; send, reply and forward add 5 a second per receiver
	// (a per-request lane), and a card's update 5 a second per message.
	'message.send': { ...LEVEL_4, doc: `${IM_DOCS}/message/create` },
	'message.sendAndWait': { ...LEVEL_4, doc: `${IM_DOCS}/message/create` },
	'message.reply': { ...LEVEL_4, doc: `${IM_DOCS}/message/reply` },
	'message.forward': { ...LEVEL_4, doc: `${IM_DOCS}/message/forward` },
	'message.updateCard': { ...LEVEL_4, doc: `${IM_DOCS}/message-card/patch` },
	'message.edit': { ...LEVEL_4, doc: `${IM_DOCS}/message/update` },
	'message.delete': { ...LEVEL_4, doc: `${IM_DOCS}/message/delete` },
	'message.get': { ...LEVEL_4, doc: `${IM_DOCS}/message/get` },
	'message.getAll': { ...LEVEL_4, doc: `${IM_DOCS}/message/list` },
	'message.downloadResource': { ...LEVEL_4, doc: `${IM_DOCS}/message/get-2` },
	'message.addReaction': { ...LEVEL_4, doc: `${IM_DOCS}/message-reaction/create` },
	'message.removeReaction': { ...LEVEL_4, doc: `${IM_DOCS}/message-reaction/delete` },
	'image.upload': { ...LEVEL_4, doc: `${IM_DOCS}/image/create` },
	'file.upload': { ...LEVEL_4, doc: `${IM_DOCS}/file/create` },
	'chat.create': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/create` },
	'chat.get': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/get-2` },
	'chat.getAll': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/list` },
	'chat.search': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/search` },
	'chat.update': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/update-2` },
	'chat.delete': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat/delete` },
	'chat.addMembers': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat-member/create` },
	'chat.removeMembers': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat-member/delete` },
	'chat.getMembers': { ...LEVEL_4, doc: `${FEISHU_DOCS}/group/chat-member/get` },
	// Bitable: each page's "接口频率限制" row (docs/research/feishu-bitable.md §1).
	'bitableRecord.search': {
		perSecond: 20,
		doc: 'https://open.feishu.cn/document/docs/bitable-v1/app-table-record/search',
	},
	'bitableRecord.get': {
		perSecond: 20,
		doc: 'https://open.feishu.cn/document/docs/bitable-v1/app-table-record/batch_get',
	},
	'bitableRecord.create': { perSecond: 50, doc: `${BITABLE_DOCS}/app-table-record/create` },
	'bitableRecord.update': { perSecond: 50, doc: `${BITABLE_DOCS}/app-table-record/update` },
	'bitableRecord.delete': { perSecond: 50, doc: `${BITABLE_DOCS}/app-table-record/delete` },
	'bitableRecord.createMany': {
		perSecond: 50,
		doc: `${BITABLE_DOCS}/app-table-record/batch_create`,
	},
	'bitableRecord.updateMany': {
		perSecond: 50,
		doc: `${BITABLE_DOCS}/app-table-record/batch_update`,
	},
	'bitableRecord.deleteMany': {
		perSecond: 50,
		doc: `${BITABLE_DOCS}/app-table-record/batch_delete`,
	},
	'bitableTable.getAll': { perSecond: 20, doc: `${BITABLE_DOCS}/app-table/list` },
	'bitableTable.create': { perSecond: 10, doc: `${BITABLE_DOCS}/app-table/create` },
	'bitableTable.delete': { perSecond: 10, doc: `${BITABLE_DOCS}/app-table/delete` },
	'bitableView.getAll': { perSecond: 20, doc: `${BITABLE_DOCS}/app-table-view/list` },
	'bitableField.getAll': { perSecond: 20, doc: `${BITABLE_DOCS}/app-table-field/list` },
	'bitableField.create': { perSecond: 10, doc: `${BITABLE_DOCS}/app-table-field/create` },
	// Drive media: "特殊频控" 5 QPS (and 10,000 a day).
	'bitableMedia.upload': { perSecond: 5, doc: `${FEISHU_DOCS}/docs/drive-v1/media/upload_all` },
	'bitableMedia.download': { perSecond: 5, doc: `${FEISHU_DOCS}/docs/drive-v1/media/download` },
	'bitable.wikiNode': { perMinute: 100, doc: `${FEISHU_DOCS}/docs/wiki-v2/space-node/get_node` },
	// Drive (docs/research/feishu-drive.md): the node-changing APIs state "5 QPS，10000 次/天" (the daily
	// cap is Feishu's to count) and take no concurrent calls; move adds "20 次/分钟".
	'drive.uploadAll': { perSecond: 5, doc: `${DRIVE_DOCS}/file/upload_all` },
	'drive.uploadPrepare': { perSecond: 5, doc: `${DRIVE_DOCS}/file/upload_prepare` },
	'drive.uploadPart': { perSecond: 5, doc: `${DRIVE_DOCS}/file/upload_part` },
	'drive.uploadFinish': { perSecond: 5, doc: `${DRIVE_DOCS}/file/upload_finish` },
	'drive.download': { perSecond: 5, doc: `${DRIVE_DOCS}/file/download` },
	'drive.list': { perSecond: 20, doc: `${DRIVE_DOCS}/file/list` },
	// The root folder's page states no limit: the general level 4.
	'drive.rootFolder': {
		...LEVEL_4,
		doc: 'https://open.feishu.cn/document/ukTMukTMukTM/ugTNzUjL4UzM14CO1MTN/get-root-folder-meta',
	},
	'drive.meta': { ...LEVEL_4, doc: `${DRIVE_DOCS}/meta/batch_query` },
	'drive.createFolder': { perSecond: 5, doc: `${DRIVE_DOCS}/file/create_folder` },
	'drive.copy': { perSecond: 5, doc: `${DRIVE_DOCS}/file/copy` },
	'drive.move': { perSecond: 5, perMinute: 20, doc: `${DRIVE_DOCS}/file/move` },
	'drive.delete': { perSecond: 5, doc: `${DRIVE_DOCS}/file/delete` },
	// task_check is "特殊频控" with no number: the general level 4.
	'drive.taskCheck': { ...LEVEL_4, doc: `${DRIVE_DOCS}/file/task_check` },
	'drive.importCreate': { ...LEVEL_3, doc: `${DRIVE_DOCS}/import_task/create` },
	'drive.importGet': { ...LEVEL_4, doc: `${DRIVE_DOCS}/import_task/get` },
	'drive.exportCreate': { ...LEVEL_3, doc: `${DRIVE_DOCS}/export_task/create` },
	'drive.exportGet': { ...LEVEL_3, doc: `${DRIVE_DOCS}/export_task/get` },
	'drive.exportDownload': { ...LEVEL_3, doc: `${DRIVE_DOCS}/export_task/download` },
	// Docx (docs/research/feishu-docx-wiki.md §1): reads 5 a second, writes 3 a second per app (and 3 a
	// second per document: a lane of each document's own, documentLane).
	'document.create': { perSecond: 3, doc: `${DOCX_DOCS}/document/create` },
	'document.get': { perSecond: 5, doc: `${DOCX_DOCS}/document/get` },
	'document.rawContent': { perSecond: 5, doc: `${DOCX_DOCS}/document/raw_content` },
	'document.blocks': { perSecond: 5, doc: `${DOCX_DOCS}/document-block/list` },
	'document.createChildren': { perSecond: 3, doc: `${DOCX_DOCS}/document-block-children/create` },
	'document.createDescendant': {
		perSecond: 3,
		doc: `${DOCX_DOCS}/document-block-descendant/create`,
	},
	'document.updateBlock': { perSecond: 3, doc: `${DOCX_DOCS}/document-block/patch` },
	'document.deleteBlocks': {
		perSecond: 3,
		doc: `${DOCX_DOCS}/document-block-children/batch_delete`,
	},
	// The convert page states no limit: the general level 4.
	'document.convert': { ...LEVEL_4, doc: `${DOCX_DOCS}/document/convert` },
	// Wiki: every page states "100 次/分钟".
	'wiki.getSpaces': { ...LEVEL_3, doc: `${WIKI_DOCS}/space/list` },
	'wiki.getNodes': { ...LEVEL_3, doc: `${WIKI_DOCS}/space-node/list` },
	'wiki.createNode': { ...LEVEL_3, doc: `${WIKI_DOCS}/space-node/create` },
	'wiki.moveNode': { ...LEVEL_3, doc: `${WIKI_DOCS}/space-node/move` },
	'wiki.copyNode': { ...LEVEL_3, doc: `${WIKI_DOCS}/space-node/copy` },
	// Permissions: "100 次/分钟" for the writes, level 4 for the list (docs/research/feishu-drive.md §10).
	'drivePermission.add': { ...LEVEL_3, doc: `${DRIVE_DOCS}/permission-member/create` },
	'drivePermission.remove': { ...LEVEL_3, doc: `${DRIVE_DOCS}/permission-member/delete` },
	'drivePermission.getAll': { ...LEVEL_4, doc: `${DRIVE_DOCS}/permission-member/list` },
	'drivePermission.update': {
		...LEVEL_3,
		doc: 'https://open.feishu.cn/document/ukTMukTMukTM/uIzNzUjLyczM14iM3MTN/drive-v2/permission-public/patch',
	},
	'drivePermission.transferOwner': {
		...LEVEL_3,
		doc: `${DRIVE_DOCS}/permission-member/transfer_owner`,
	},
	// Sheets: the overview's limit table (docs/research/feishu-sheets.md §0). Writes to one spreadsheet go one
	// at a time ("单个文档只能串行调用"): sheets/common.ts oneSheetWrite.
	// Approval (审批 v4): each page's "接口频率限制" row (docs/research/feishu-approval.md §0.1). The file
	// upload page states none: the general level-4 limit.
	'approval.getDefinition': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/approval/get` },
	'approval.createInstance': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/instance/create` },
	'approval.getInstance': { ...LEVEL_4, doc: `${APPROVAL_DOCS}/instance/get` },
	'approval.getManyInstances': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/instance/list` },
	'approval.cancelInstance': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/instance/cancel` },
	'approval.addComment': { ...LEVEL_4, doc: `${APPROVAL_DOCS}/instance-comment/create` },
	'approval.approveTask': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/task/approve` },
	'approval.rejectTask': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/task/reject` },
	'approval.transferTask': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/task/transfer` },
	'approval.subscribe': { ...LEVEL_3, doc: `${APPROVAL_DOCS}/approval/subscribe` },
	'approval.uploadFile': {
		...LEVEL_4,
		doc: 'https://open.feishu.cn/document/ukTMukTMukTM/uUDOyUjL1gjM14SN4ITN',
	},
	'spreadsheet.create': { perMinute: 20, doc: `${SHEETS_V3}/spreadsheet/create` },
	'spreadsheet.get': { ...LEVEL_3, doc: `${SHEETS_V3}/spreadsheet/get` },
	'sheet.query': { ...LEVEL_3, doc: `${SHEETS_V3}/spreadsheet-sheet/query` },
	'sheet.readRange': { perSecond: 100, doc: `${SHEETS_PAGE}/ugTMzUjL4EzM14COxMTN` },
	'sheet.writeRange': { perSecond: 100, doc: `${SHEETS_PAGE}/uAjMzUjLwIzM14CMyMTN` },
	'sheet.writeRanges': { perSecond: 100, doc: `${SHEETS_PAGE}/uEjMzUjLxIzM14SMyMTN` },
	'sheet.append': { perSecond: 100, doc: `${SHEETS_PAGE}/uMjMzUjLzIzM14yMyMTN` },
	'sheet.addDimension': { perSecond: 100, doc: `${SHEETS_PAGE}/uUjMzUjL1IzM14SNyMTN` },
	'sheet.deleteDimension': { perSecond: 100, doc: `${SHEETS_PAGE}/ucjMzUjL3IzM14yNyMTN` },
	'sheet.batchUpdate': { perSecond: 100, doc: `${SHEETS_PAGE}/uYTMzUjL2EzM14iNxMTN` },
});

function classifyFeishu(status: number, rawBody: unknown, user = false): Outcome {
	const body =
		rawBody !== null && typeof rawBody === 'object' && !Array.isArray(rawBody)
			? (rawBody as IDataObject)
			: undefined;
	if (!body || typeof body.code !== 'number') return nonJsonFailure('Feishu', status, rawBody);
	if (body.code === 0 && status >= 200 && status < 300) {
		const data = body.data;
		return {
			kind: 'ok',
			data:
				data !== null && typeof data === 'object' && !Array.isArray(data)
					? (data as IDataObject)
					: {},
		};
	}
	const error = (body.error ?? {}) as IDataObject;
	const violations = Array.isArray(error.permission_violations)
		? (error.permission_violations as IDataObject[])
		: [];
	const scopes = violations
		.map((v) => String(v.subject ?? v.scope ?? ''))
		.filter((scope) => /^[\w.:-]+$/.test(scope));
	return {
		kind: 'failure',
		tokenInvalid: user
			? USER_TOKEN_INVALID.has(body.code) && !USER_TOKEN_NOT_SUPPORTED.test(String(body.msg ?? ''))
			: TOKEN_INVALID.has(body.code),
		failure: {
			platform: 'Feishu',
			httpStatus: status,
			code: String(body.code),
			message: String(body.msg ?? ''),
			// Card errors (230099) name their sub-code in the message: "ext=ErrCode: 200380; ErrMsg: …".
			subCode: /ErrCode:\s*(\d+)/.exec(String(body.msg ?? ''))?.[1],
			requestId: error.log_id === undefined ? undefined : String(error.log_id),
			...(scopes.length > 0 ? { scopes } : {}),
		},
	};
}

/** Feishu's "too fast": HTTP 429 (older APIs: 400) with code 99991400; x-ogw-ratelimit-reset says how many seconds to wait. */
function feishuRateLimitWait(
	status: number,
	rawBody: unknown,
	headers: IDataObject,
	_style: unknown,
	attempt: number,
): number | undefined {
	const code =
		rawBody !== null && typeof rawBody === 'object' ? (rawBody as IDataObject).code : undefined;
	// 230020 (message APIs), 232019 (chat APIs) and 11232 (message creation) are the documented "too fast"
	// answers of the messaging APIs: the request was refused, not carried out.
	if (code === 230020 || code === 232019 || code === 11232) return busyBackoff(attempt);
	// Bitable: 1254290 "请求过快，稍后重试" and 1254291, a write conflict ("并发调用了读写接口或请求过快"):
	// refused, with the advice to space the calls by 0.5 to 1 s.
	// 1254112 (TooManyRequestInSingleBase) likewise: too many requests to one base, refused.
	if (code === 1254290 || code === 1254291 || code === 1254112)
		return Math.max(500, busyBackoff(attempt) / 2);
	// Drive's 1061045 ("内部可重试错误，请稍后重试", resource contention) and the permission pages' 1066002
	// ("Concurrency error, please retry"): refused, to be sent again later.
	// Wiki's 131009 ("并发请求异常，请稍后重试", lock contention) likewise.
	if (code === 1061045 || code === 1066002 || code === 131009) return busyBackoff(attempt);
	// Sheets: 90217 / 1310217 "请求太频繁"; 90235 / 1310235 "稍后重试", a write while the document's previous
	// one is still processed ("底层…基于版本维度的串行方式，不支持并发"); 90242 / 1310242 the document still
	// loading ("请等待文档数据加载完成后重试"); 90228 an import in progress: refused, to be sent again later.
	if (
		code === 90235 ||
		code === 1310235 ||
		code === 90217 ||
		code === 1310217 ||
		code === 90242 ||
		code === 1310242 ||
		code === 90228
	)
		return busyBackoff(attempt);
	if (status !== 429 && code !== 99991400) return undefined;
	const reset = Number(headers['x-ogw-ratelimit-reset']);
	return Number.isFinite(reset) && reset >= 0
		? Math.min(60_000, Math.max(reset * 1000, 50))
		: busyBackoff(attempt);
}

/**
 * The transport of the node's chosen Authentication: the app's tenant token, or the connected user's
 * token (`oAuth2`). Pickers and the Send and Wait webhook use the same choice as the node.
 */
export async function createFeishuTransport(ctx: ApiContext): Promise<PlatformTransport> {
	// The editor's pickers run with the parameters being edited; executions and webhooks with the node's own.
	const chosen =
		'getCurrentNodeParameter' in ctx
			? (ctx.getCurrentNodeParameter('authentication') ?? ctx.getNode().parameters.authentication)
			: ctx.getNode().parameters.authentication;
	return chosen === 'oAuth2'
		? await createFeishuUserTransport(ctx)
		: await createFeishuAppTransport(ctx);
}

const COMMON = {
	platform: 'Feishu',
	defaultLimit: FEISHU_DEFAULT_LIMIT,
	// "内部错误" (internal error), documented on the contact APIs with the advice to retry.
	// Bitable's 1255040 (timeout, "进行重试") and 1255001 (internal error) likewise; Drive's 1061001
	// (internal error) and 1069704 ("请稍后重试"), import and export's 1069901, docx's 1771001 ("重试")
	// and 1771005 (maintenance, "重试"), and the wiki's 131001 ("rpc fail", retry). Not 131007 ("请勿重试").
	transientCodes: [
		'40003',
		'1255040',
		'1255001',
		'1061001',
		'1069704',
		'1069901',
		'1771001',
		'1771005',
		'131001',
		// Sheets: 90203 ("内部错误，请稍后重试") and the v3 pages' server errors.
		'90203',
		'1315201',
		'1315203',
		'1315210',
	],
	rateLimitWait: feishuRateLimitWait,
};

async function createFeishuAppTransport(ctx: ApiContext): Promise<PlatformTransport> {
	const credentials = await ctx.getCredentials(FEISHU_CREDENTIAL);
	const baseUrl = feishuBaseUrl(credentials);
	const webUrl = feishuWebUrl(credentials);
	return new PlatformTransport(
		ctx,
		{
			...COMMON,
			credentialType: FEISHU_CREDENTIAL,
			baseUrl: (style) => (style === 'web' ? webUrl : baseUrl),
			classify: (status, body) => classifyFeishu(status, body),
			issueToken: async () => await requestFeishuToken(ctx, credentials, DEFAULT_TIMEOUT_MS),
			cacheKey: [baseUrl, String(credentials.appId ?? ''), String(credentials.appSecret ?? '')],
			secrets: [
				String(credentials.appSecret ?? ''),
				String(credentials.encryptKey ?? ''),
				String(credentials.verificationToken ?? ''),
			].filter((s) => s.length > 0),
			globalErrors: FEISHU_GLOBAL_ERRORS,
		},
		credentials,
	);
}

async function createFeishuUserTransport(ctx: ApiContext): Promise<PlatformTransport> {
	const credentials = await ctx.getCredentials(FEISHU_USER_CREDENTIAL);
	const baseUrl = feishuBaseUrl(credentials);
	const clientSecret = String(credentials.clientSecret ?? '');
	return new PlatformTransport(
		ctx,
		{
			...COMMON,
			credentialType: FEISHU_USER_CREDENTIAL,
			baseUrl: () => baseUrl,
			classify: (status, body) => classifyFeishu(status, body, true),
			tokens: (secrets) =>
				new UserTokens({
					ctx,
					platform: 'Feishu',
					credentialType: FEISHU_USER_CREDENTIAL,
					credentials,
					refreshErrors: USER_TOKEN_ERROR_MEANINGS,
					usedCodes: ['20073', '20064'],
					transientCodes: ['20050', '20072'],
					invalidCodes: ['99991668'],
					secrets,
				}),
			// Paced per credential and API, like the app's (Feishu counts per app and tenant; the pages do not
			// say whether a user's calls share the app's count, so they have lanes of their own).
			cacheKey: [baseUrl, String(credentials.clientId ?? ''), clientSecret],
			secrets: [clientSecret].filter((s) => s.length > 0),
			globalErrors: { ...FEISHU_GLOBAL_ERRORS, ...FEISHU_USER_ERRORS },
		},
		credentials,
	);
}
