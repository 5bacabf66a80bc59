import type { IDataObject } from 'n8n-workflow';

import {
	dingTalkHosts,
	requestDingTalkToken,
	TOKEN_ERROR_MEANINGS,
} from '../../credentials/platformAuth';
import { nonJsonFailure } from '../shared/platform';
import { busyBackoff } from '../shared/retry';
import { DEFAULT_TIMEOUT_MS, PlatformTransport } from '../shared/transport';
import type { DocumentedLimit } from '../shared/pacing';
import { lanesOf } from '../shared/pacing';
import type { Outcome } from '../shared/platform';
import type { ApiContext, ApiStyle, ErrorMeanings } from '../shared/types';

export const DINGTALK_CREDENTIAL = 'dingTalkApi';

/** New-style answers with HTTP 400/401 and this code when the access token is invalid or expired. */
const NEW_STYLE_TOKEN_INVALID = 'InvalidAuthentication';
/** Legacy errcodes for an invalid (40014) or expired (42001) token; errcode 88 carries them as sub_code. */
const LEGACY_TOKEN_INVALID = new Set(['40014', '42001']);

const THROTTLING_DOC =
	'https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server';

/** DingTalk's limit for every API of an app: 20 calls a second per API (the standard edition's, on the throttling page). */
export const DINGTALK_DEFAULT_LIMIT: DocumentedLimit = { perSecond: 20, doc: THROTTLING_DOC };
const STANDARD = DINGTALK_DEFAULT_LIMIT;

/**
 * DingTalk's documented rate limits, one pacing lane per API. The throttling page sets 20 calls a second
 * per app and per API ("每秒调用次数不能超过20次") for every API of the standard edition; no page of the APIs
 * this node calls states a limit of its own, so each lane has that limit, deliberately, except where a page
 * or an error code states more. No page gives a number for the per-minute (QPM) limit its error codes
 * mention. The per-IP limit (10,000 calls in 20 s) is far above what one app's per-API limits allow.
 */
export const DINGTALK_RATE_LIMITS = lanesOf({
	'robotMessage.sendToUsers': STANDARD,
	'robotMessage.sendToGroup': STANDARD,
	'robotMessage.sendAndWait': STANDARD,
	'robotMessage.reply': STANDARD,
	'robotMessage.recall': STANDARD,
	'robotMessage.getReadStatus': STANDARD,
	'robotMessage.downloadFile': STANDARD,
	'task.create': STANDARD,
	'task.get': STANDARD,
	'task.getAll': STANDARD,
	'task.update': STANDARD,
	'task.delete': STANDARD,
	'calendar.getAll': STANDARD,
	'calendar.getFreeBusy': STANDARD,
	'calendarEvent.create': STANDARD,
	'calendarEvent.get': STANDARD,
	'calendarEvent.getAll': STANDARD,
	'calendarEvent.update': STANDARD,
	'calendarEvent.delete': STANDARD,
	'calendarEvent.addAttendees': STANDARD,
	'calendarEvent.removeAttendees': STANDARD,
	'department.get': STANDARD,
	'department.getChildren': STANDARD,
	'department.getParents': STANDARD,
	'user.getAll': STANDARD,
	'user.search': STANDARD,
	'workNotification.getSendResult': STANDARD,
	'workNotification.getSendProgress': STANDARD,
	'workNotification.recall': STANDARD,
	'media.upload': STANDARD,
	'meetingRoomGroup.create': STANDARD,
	'meetingRoomGroup.delete': STANDARD,
	'meetingRoomGroup.get': STANDARD,
	'meetingRoomGroup.getAll': STANDARD,
	'meetingRoomGroup.update': STANDARD,
	'meetingRoom.create': STANDARD,
	'meetingRoom.delete': STANDARD,
	'meetingRoom.get': STANDARD,
	'meetingRoom.getAll': STANDARD,
	'meetingRoom.update': STANDARD,
	'videoConference.close': STANDARD,
	'videoConference.create': STANDARD,
	'videoConference.get': STANDARD,
	'videoConference.getParticipants': STANDARD,
	'videoConference.inviteUsers': STANDARD,
	'videoConference.kickMembers': STANDARD,
	'videoConference.muteAll': STANDARD,
	'videoConference.muteMember': STANDARD,
	'role.addToUsers': STANDARD,
	'role.create': STANDARD,
	'role.createGroup': STANDARD,
	'role.delete': STANDARD,
	'role.get': STANDARD,
	'role.getGroup': STANDARD,
	'role.getAll': STANDARD,
	'role.getUsers': STANDARD,
	'role.removeFromUsers': STANDARD,
	'role.update': STANDARD,
	'user.get': STANDARD,
	'user.getByMobile': STANDARD,
	'user.getByUnionId': STANDARD,
	// Workbooks (钉钉表格): no page states a limit of its own; each workbook has a lane of 100 a minute too
	// (workbook/common.ts workbookLane, the FAQ's "建议 ≤ 100 次/分钟" per app and workbook).
	// OA approval (OA审批): no workflow page states a limit (docs/research/dingtalk-approval.md §0); the
	// platform's 20 a second per app and API applies.
	'approval.getDefinition': STANDARD,
	'approval.getDefinitions': STANDARD,
	'approval.createInstance': STANDARD,
	'approval.getInstance': STANDARD,
	'approval.getManyInstances': STANDARD,
	'approval.cancelInstance': STANDARD,
	'approval.addComment': STANDARD,
	'approval.executeTask': STANDARD,
	'approval.transferTask': STANDARD,
	// AI tables (AI表格): no page states a limit of its own (docs/research/dingtalk-notable.md §0); the platform's
	// 20 a second per app and API applies. Pages: api-notable-getallsheets, api-createsheet,
	// api-noatable-deletesheet, api-noatable-getallfields, api-noatable-createfield.
	'notableSheet.getAll': STANDARD,
	'notableSheet.create': STANDARD,
	'notableSheet.delete': STANDARD,
	'notableField.getAll': STANDARD,
	'notableField.create': STANDARD,
	// Records: api-notable-insertrecords, api-getrecord, api-noatable-updaterecords,
	// api-noatable-deleterecords, api-notable-listrecords.
	'notableRecord.create': STANDARD,
	'notableRecord.get': STANDARD,
	'notableRecord.update': STANDARD,
	'notableRecord.delete': STANDARD,
	'notableRecord.search': STANDARD,
	// Attachments: api-getresourceuploadinfo (获取资源上传信息).
	'notableRecord.uploadInfo': STANDARD,
	'workbook.create': STANDARD,
	'workbook.get': STANDARD,
	'workbookSheet.get': STANDARD,
	'workbookSheet.getAll': STANDARD,
	'workbookSheet.readRange': STANDARD,
	'workbookSheet.writeRange': STANDARD,
	'workbookSheet.append': STANDARD,
	'workbookSheet.clear': STANDARD,
	'workbookSheet.deleteDimension': STANDARD,
	'workbookSheet.create': STANDARD,
	'workbookSheet.remove': STANDARD,
	// Work notifications: 20 a second as every API, and "企业OA消息每分钟不能超过1500次" (error 41047).
	'workNotification.send': {
		perSecond: 20,
		perMinute: 1500,
		doc: 'https://open.dingtalk.com/document/development/server-api-error-codes-1',
	},
});

/** The app robot's "too fast" codes (batchSend, groupMessages/send): the message was not sent, so it is sent again after backing off. */
const ROBOT_TOO_FAST = new Set([
	'send.byToken.tooFast',
	'send.too.fast',
	'too.many.people',
	'too.many.group',
]);
/** Work notifications over a per-minute limit (41046 to everyone, 41047 and 41048 to the organization): not sent, backed off. */
const WORK_TOO_FAST = new Set(['41046', '41047', '41048']);

const DINGTALK_GLOBAL_ERRORS: ErrorMeanings = {
	InvalidAuthentication: 'The access token is invalid or expired, even after one refresh.',
	...TOKEN_ERROR_MEANINGS,
	'40014': 'The access token is invalid.',
	'42001': 'The access token has expired.',
	'40078': 'The app has no permission for this API. Grant it in the developer console.',
	'60011': 'The app has no permission for this API. Grant it in the developer console.',
	'-1': 'DingTalk is busy. Try again later.',
	'90018':
		'Too many calls of this API by this app (20 per second); it kept happening after waiting and retrying.',
	'90002':
		'Too many calls of this API across DingTalk right now; it kept happening after backing off.',
	'90005': 'The organization called this API too often; it kept happening after backing off.',
	'90006': 'This app called this API too often; it kept happening after backing off.',
	'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi':
		'Too many calls of this API by this app (20 per second); it kept happening after waiting and retrying.',
	'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi':
		'Too many calls of this API by this app this minute; it kept happening after backing off.',
	'Forbidden.AccessDenied.QpsLimitForApi':
		'Too many calls of this API across DingTalk right now; it kept happening after backing off.',
	'Forbidden.AccessDenied.AccessTokenPermissionDenied':
		'The app lacks the permission this API needs. Add it in the developer console.',
	'Forbidden.AccessDenied.IpNotInWhiteList':
		"This server's IP address is not in the app's allow-list.",
	'system.busy': 'DingTalk is busy; it kept happening after backing off.',
	'90020':
		"The organization's monthly API call quota is used up (5000 calls a month on the standard edition).",
	'Forbidden.AccessDenied.ApiCountLimitForOrg':
		"The organization's monthly API call quota is used up (5000 calls a month on the standard edition).",
};

const asObject = (body: unknown): IDataObject | undefined =>
	body !== null && typeof body === 'object' && !Array.isArray(body)
		? (body as IDataObject)
		: undefined;

const textOf = (value: unknown): string | undefined =>
	value === undefined || value === null || value === '' ? undefined : String(value);

function classifyDingTalk(status: number, rawBody: unknown, style: ApiStyle): Outcome {
	const body = asObject(rawBody);
	if (!body) {
		if (status >= 200 && status < 300 && (rawBody === '' || rawBody === undefined))
			return { kind: 'ok', data: {} };
		return nonJsonFailure('DingTalk', status, rawBody);
	}
	if (style === 'legacy') {
		// Legacy answers errors with HTTP 200 and a non-zero errcode (sometimes the string "0" on success).
		const errcode = textOf(body.errcode) ?? '0';
		if (status >= 200 && status < 300 && Number(errcode) === 0) return { kind: 'ok', data: body };
		const subCode = textOf(body.sub_code);
		return {
			kind: 'failure',
			tokenInvalid:
				LEGACY_TOKEN_INVALID.has(errcode) ||
				(errcode === '88' && subCode !== undefined && LEGACY_TOKEN_INVALID.has(subCode)),
			failure: {
				platform: 'DingTalk',
				httpStatus: status,
				code: errcode,
				message: String(body.errmsg ?? ''),
				subCode,
				subMessage: textOf(body.sub_msg),
				requestId: textOf(body.request_id),
			},
		};
	}
	if (status >= 200 && status < 300) return { kind: 'ok', data: body };
	const code = textOf(body.code) ?? `HTTP_${status}`;
	return {
		kind: 'failure',
		tokenInvalid: code === NEW_STYLE_TOKEN_INVALID && (status === 400 || status === 401),
		failure: {
			platform: 'DingTalk',
			httpStatus: status,
			code,
			message: String(body.message ?? ''),
			requestId: textOf(body.requestid ?? body.requestId),
		},
	};
}

/**
 * DingTalk's "too fast" answers (all per app and per API unless noted):
 * new-style 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi (20 calls/s: wait the 1 s window),
 * …QpmLimitForAppkeyAndApi (per minute) and …QpsLimitForApi (all callers of the API): back off;
 * 429 system.busy / systemBusy; legacy errcode 90018 (per app, 1 s), 90002 (all callers), 90005 (the
 * organization) and 90006 (the app's key and secret);
 * errcode or code -1, "system busy", in either style.
 */
function dingTalkRateLimitWait(
	status: number,
	rawBody: unknown,
	_headers: IDataObject,
	style: ApiStyle,
	attempt: number,
): number | undefined {
	const body = asObject(rawBody) ?? {};
	const code = textOf(style === 'legacy' ? body.errcode : body.code) ?? '';
	if (code === '-1' || status === 429) return busyBackoff(attempt);
	if (style === 'legacy') {
		if (code === '90018') return 1000;
		if (code === '90002' || code === '90005' || code === '90006' || WORK_TOO_FAST.has(code))
			return busyBackoff(attempt);
		return undefined;
	}
	if (ROBOT_TOO_FAST.has(code)) return busyBackoff(attempt);
	// A workbook still initializing ("文档初始化中，请稍后重试"): refused, to be sent again later.
	if (code === 'invalidRequest.document.stillInitializing') return busyBackoff(attempt);
	if (status === 403 && code.endsWith('QpsLimitForAppkeyAndApi')) return 1000;
	if (
		status === 403 &&
		(code.endsWith('QpmLimitForAppkeyAndApi') || code.endsWith('QpsLimitForApi'))
	)
		return busyBackoff(attempt);
	return undefined;
}

export async function createDingTalkTransport(ctx: ApiContext): Promise<PlatformTransport> {
	const credentials = await ctx.getCredentials(DINGTALK_CREDENTIAL);
	const hosts = dingTalkHosts(credentials);
	return new PlatformTransport(
		ctx,
		{
			platform: 'DingTalk',
			credentialType: DINGTALK_CREDENTIAL,
			baseUrl: (style) => (style === 'legacy' ? hosts.legacyBaseUrl : hosts.baseUrl),
			classify: classifyDingTalk,
			issueToken: async () => await requestDingTalkToken(ctx, credentials, DEFAULT_TIMEOUT_MS),
			cacheKey: [
				hosts.baseUrl,
				String(credentials.appKey ?? ''),
				String(credentials.appSecret ?? ''),
			],
			secrets: [
				String(credentials.appSecret ?? ''),
				String(credentials.callbackToken ?? ''),
				String(credentials.callbackAesKey ?? ''),
			].filter((s) => s.length > 0),
			globalErrors: DINGTALK_GLOBAL_ERRORS,
			defaultLimit: DINGTALK_DEFAULT_LIMIT,
			// "系统错误" (system error), documented with HTTP 500 on the rooms and conference APIs.
			// The workbook pages' "服务繁忙，请稍后重试" (500 or 503) and "服务内部错误，请稍后再试" likewise.
			transientCodes: ['system.error', 'serviceBusy', 'internalError'],
			rateLimitWait: dingTalkRateLimitWait,
		},
		credentials,
	);
}
