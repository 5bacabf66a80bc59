/**
 * The fake DingTalk messaging platform: the group custom robot (webhook, signing, keywords, 20 a minute
 * per robot and the 10-minute block), the app robot's one-on-one and group messages with recall and read
 * status, work notifications with their silent non-delivery (same content twice a day, the daily limit
 * per user, users outside the app's visible range) and delivery results, and media uploads.
 * Sources: docs/research/dingtalk-msg-stream.md and dingtalk-msg-verify.md.
 */
import { createHash, createHmac, randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';
import { APPS } from './server';
import { ROBOT_BODY, WORK_MSG } from './dingtalk-im-routes';
import { checkFields } from './spec';

/** Custom robots the fake knows, by access_token: plain, signed (加签), and with a keyword. */
export const CUSTOM_ROBOTS: Record<string, { secret?: string; keyword?: string }> = {
	robot0001plain: {},
	robot0002signed: { secret: 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab' },
	robot0003keyword: { keyword: 'n8n' },
};
/** The app's AgentId (work notifications). */
export const AGENT_ID = 2891735062;
/** A group the app's robot is in. */
export const ROBOT_GROUP = 'cidSandboxGroup0001==';
/** A real user outside the app's visible range: accepted, never delivered. */
export const OUTSIDE_USER = 'staff-outside-9';
/** Documented per-user daily limit of work notifications from an internal app. */
export const DAILY_LIMIT = 500;

const ok = (extra: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { errcode: 0, errmsg: 'ok', ...extra },
});
const legacyFail = (errcode: number, errmsg: string): Answer => ({
	status: 200,
	body: { errcode, errmsg, request_id: randomBytes(6).toString('hex') },
});
const newFail = (code: string, message: string, status = 400): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});

/** The documented msgParam fields of each msgKey (robot message types page). */
const TEMPLATES: Record<string, string[]> = {
	sampleText: ['content'],
	sampleMarkdown: ['title', 'text'],
	sampleImageMsg: ['photoURL'],
	sampleLink: ['text', 'title', 'picUrl', 'messageUrl'],
	sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
	sampleActionCard2: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
	sampleActionCard3: [
		'title',
		'text',
		'actionTitle1',
		'actionURL1',
		'actionTitle2',
		'actionURL2',
		'actionTitle3',
		'actionURL3',
	],
	sampleActionCard4: [
		'title',
		'text',
		'actionTitle1',
		'actionURL1',
		'actionTitle2',
		'actionURL2',
		'actionTitle3',
		'actionURL3',
		'actionTitle4',
		'actionURL4',
	],
	sampleActionCard5: [
		'title',
		'text',
		'actionTitle1',
		'actionURL1',
		'actionTitle2',
		'actionURL2',
		'actionTitle3',
		'actionURL3',
		'actionTitle4',
		'actionURL4',
		'actionTitle5',
		'actionURL5',
	],
	sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
	sampleAudio: ['mediaId', 'duration'],
	sampleFile: ['mediaId', 'fileName', 'fileType'],
	sampleVideo: ['duration', 'videoMediaId', 'videoType', 'picMediaId'],
};
const OPTIONAL_TEMPLATE_FIELDS: Record<string, string[]> = { sampleVideo: ['height', 'width'] };

/** Upload page: size (bytes) and extensions per media type. */
const MEDIA_RULES: Record<string, { max: number; extensions: string[] }> = {
	image: { max: 20 * 1024 * 1024, extensions: ['jpg', 'jpeg', 'gif', 'png', 'bmp'] },
	voice: { max: 2 * 1024 * 1024, extensions: ['amr', 'mp3', 'wav', 'ogg'] },
	video: { max: 20 * 1024 * 1024, extensions: ['mp4'] },
	file: {
		max: 20 * 1024 * 1024,
		extensions: ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'zip', 'pdf', 'rar'],
	},
};

export interface RobotPost {
	token: string;
	body: Record<string, unknown>;
	receivedAt: number;
	/** When it was sent (RecordedRequest.sentAt): the robot's minute counts this. */
	sentAt: number;
}

export interface RobotMessage {
	processQueryKey: string;
	kind: 'oto' | 'group';
	users: string[];
	openConversationId?: string;
	msgKey: string;
	msgParam: Record<string, unknown>;
	recalled: boolean;
	readBy: Set<string>;
}

export interface WorkTask {
	taskId: number;
	msg: Record<string, unknown>;
	createdAt: number;
	doneAt: number;
	recalled: boolean;
	result: {
		invalid: string[];
		forbidden: Array<{ code: string; count: number; userid: string }>;
		delivered: string[];
		invalidDepts: string[];
	};
}

export class DingTalkIm {
	readonly robotPosts: RobotPost[] = [];
	/** msgUuid → accepted post, so a repeated msgUuid is not posted again. */
	private readonly robotUuids = new Map<string, RobotPost>();
	/** Per custom robot: accepted post times in the window, and when its 10-minute block ends. */
	private readonly robotWindows = new Map<string, { times: number[]; blockedUntil: number }>();
	readonly robotTooFast: Record<string, number> = {};
	readonly robotMessages = new Map<string, RobotMessage>();
	readonly tasks = new Map<number, WorkTask>();
	/** Per user: contents received today (hash) and how many notifications. */
	private readonly received = new Map<string, { hashes: Set<string>; count: number }>();
	readonly media = new Map<string, { type: string; fileName: string; bytes: Buffer }>();
	/**
	 * Files users sent to the robot: downloadCode → the file. The messageFiles/download page calls the code
	 * temporary; the fake keeps it for an hour, and its link (downloadUrl) for ten minutes.
	 */
	readonly messageFiles = new Map<
		string,
		{ fileName: string; mimeType: string; bytes: Buffer; expiresAt: number }
	>();
	/** Signed links handed out by messageFiles/download: their key → downloadCode, signature and expiry. */
	private readonly fileLinks = new Map<
		string,
		{ downloadCode: string; signature: string; expiresAt: number }
	>();
	/** Replies through session webhooks, and the sessions that have expired. */
	readonly sessionReplies: Array<{
		session: string;
		body: Record<string, unknown>;
		receivedAt: number;
	}> = [];
	readonly expiredSessions = new Set<string>();
	/** Tests: how long a work notification task takes (ms) before its result is final. */
	workDelayMs = 150;
	/** Tests: flow-control this many of the next one-on-one recipients (flowControlledStaffIdList). */
	flowControlNext = 0;
	private nextTask = 256271667500;

	constructor(private readonly fake: FakeApi) {}

	seed(): void {
		this.robotPosts.length = 0;
		this.robotUuids.clear();
		this.robotWindows.clear();
		for (const key of Object.keys(this.robotTooFast)) delete this.robotTooFast[key];
		this.robotMessages.clear();
		this.tasks.clear();
		this.received.clear();
		this.media.clear();
		this.messageFiles.clear();
		this.fileLinks.clear();
		this.sessionReplies.length = 0;
		this.expiredSessions.clear();
		this.workDelayMs = 150;
		this.flowControlNext = 0;
	}

	/**
	 * A file a user sends to the robot (tests, the sandbox): kept under a new downloadCode, which the robot
	 * message's content carries.
	 */
	receiveFile(fileName: string, bytes: Buffer, mimeType = 'application/octet-stream'): string {
		const downloadCode = `${randomBytes(24).toString('base64')}==`;
		this.messageFiles.set(downloadCode, {
			fileName,
			mimeType,
			bytes,
			expiresAt: Date.now() + 3600_000,
		});
		return downloadCode;
	}

	handlers(): Record<string, Handler> {
		return {
			'dingtalk.customRobot.send': ({ query, body }) => this.customRobot(query, body),
			'dingtalk.robot.sessionReply': ({ query, body }) => {
				// An expired session: the fake answers as for an unknown robot token (DingTalk documents no code for it).
				if (this.expiredSessions.has(query.session))
					return legacyFail(400101, 'session 不存在或已过期');
				const problems = checkFields('body', body, ROBOT_BODY);
				if (problems.length > 0) return legacyFail(40035, `缺少参数 json: ${problems.join('; ')}`);
				this.sessionReplies.push({ session: query.session, body, receivedAt: Date.now() });
				return ok();
			},
			'dingtalk.robot.batchSend': ({ body }) => {
				const bad = this.checkRobot(body);
				if (bad) return bad;
				const userIds = body.userIds as string[];
				if (userIds.length > 20)
					return newFail('invalidParameter.userIds.overMax', 'userIds超过最大值');
				const invalid = userIds.filter(
					(u) => !this.fake.state.dingUsers.some((d) => d.userid === u),
				);
				const valid = userIds.filter((u) => !invalid.includes(u));
				const limited = valid.splice(0, Math.min(this.flowControlNext, valid.length));
				this.flowControlNext -= limited.length;
				const key = this.record('oto', valid, body);
				return {
					status: 200,
					body: {
						processQueryKey: key,
						invalidStaffIdList: invalid,
						flowControlledStaffIdList: limited,
					},
				};
			},
			'dingtalk.robot.groupSend': ({ body }) => {
				const bad = this.checkRobot(body);
				if (bad) return bad;
				if (Buffer.byteLength(String(body.msgParam), 'utf8') > 15000)
					return newFail('invalidParameter.msgParam.tooLong', 'msgParam超长');
				if (body.openConversationId !== ROBOT_GROUP)
					return newFail('invalid.openConversationId', '无效的openConversationId');
				return { status: 200, body: { processQueryKey: this.record('group', [], body) } };
			},
			'dingtalk.robot.messageFileDownload': ({ body }) => {
				if (body.robotCode !== APPS.dingtalk.appKey)
					return newFail('invalidParameter.robotCode.notExsit', 'robotCode不存在');
				const file = this.messageFiles.get(String(body.downloadCode));
				// The page lists no error of its own: an unknown or expired code gets the robot APIs' generic one.
				if (!file || file.expiresAt < Date.now())
					return newFail('invalidParameter.param.invalid', 'downloadCode无效或已过期');
				const key = randomBytes(8).toString('hex');
				const signature = randomBytes(12).toString('hex');
				const expiresAt = Date.now() + 600_000;
				this.fileLinks.set(key, { downloadCode: String(body.downloadCode), signature, expiresAt });
				return {
					status: 200,
					body: {
						downloadUrl: `${this.fake.url}/oss/robot/${key}?Expires=${expiresAt}&Signature=${signature}`,
					},
				};
			},
			'dingtalk.robot.messageFile': ({ params, query }) => {
				const link = this.fileLinks.get(params.key);
				const file = link && this.messageFiles.get(link.downloadCode);
				if (!link || !file || query.Signature !== link.signature || link.expiresAt < Date.now())
					return { status: 403, body: '<Error><Code>AccessDenied</Code></Error>' };
				return {
					status: 200,
					body: undefined,
					bytes: file.bytes,
					headers: { 'Content-Type': file.mimeType },
				};
			},
			'dingtalk.robot.readStatus': ({ query }) => {
				if (query.robotCode !== APPS.dingtalk.appKey)
					return newFail('invalidParameter.robotCode.notExsit', 'robotCode不存在');
				const message = this.robotMessages.get(query.processQueryKey);
				if (!message || message.kind !== 'oto')
					return newFail('processQueryKey.expireTime', '数据未准备好或已过期');
				const names = new Map(this.fake.state.dingUsers.map((u) => [u.userid, u.name]));
				return {
					status: 200,
					body: {
						sendStatus: message.recalled ? 'RECALLED' : 'SUCCESS',
						messageReadInfoList: message.users.map((userId) => ({
							name: names.get(userId) ?? userId,
							userId,
							readStatus: message.readBy.has(userId) ? 'READ' : 'UNREAD',
						})),
					},
				};
			},
			'dingtalk.robot.otoRecall': ({ body }) => this.recall(body, 'oto'),
			'dingtalk.robot.groupRecall': ({ body }) => this.recall(body, 'group'),
			'dingtalk.work.send': ({ body }) => this.workSend(body),
			'dingtalk.work.getSendProgress': ({ body }) => {
				const task = this.task(body, 'task_id');
				if (!task) return legacyFail(400002, '无效的agentId或taskId');
				const done = Date.now() >= task.doneAt;
				return ok({ progress: { progress_in_percent: done ? 100 : 50, status: done ? 2 : 1 } });
			},
			'dingtalk.work.getSendResult': ({ body }) => {
				const task = this.task(body, 'task_id');
				if (!task) return legacyFail(400002, '无效的agentId或taskId');
				if (Date.now() < task.doneAt) {
					return ok({
						send_result: {
							invalid_user_id_list: [],
							forbidden_user_id_list: [],
							failed_user_id_list: [],
							read_user_id_list: [],
							unread_user_id_list: [],
							invalid_dept_id_list: [],
							forbidden_list: [],
						},
					});
				}
				const r = task.result;
				return ok({
					send_result: {
						invalid_user_id_list: r.invalid,
						forbidden_user_id_list: r.forbidden.map((f) => f.userid),
						failed_user_id_list: [],
						read_user_id_list: [],
						unread_user_id_list: task.recalled ? [] : r.delivered,
						invalid_dept_id_list: r.invalidDepts,
						forbidden_list: r.forbidden,
					},
				});
			},
			'dingtalk.work.recall': ({ body }) => {
				const task = this.task(body, 'msg_task_id');
				if (!task) return legacyFail(400002, '无效的agentId或taskId');
				task.recalled = true;
				return ok();
			},
			'dingtalk.media.upload': ({ body }) => {
				const type = String(body.type);
				const part = body.media as { bytes: Buffer; filename?: string } | undefined;
				const file = part ? { bytes: part.bytes, fileName: part.filename ?? '' } : undefined;
				if (!file) return legacyFail(40035, '缺少参数 media');
				const rule = MEDIA_RULES[type];
				const extension = /\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1]?.toLowerCase() ?? '';
				if (!rule.extensions.includes(extension)) return legacyFail(40005, '不支持的文件格式');
				if (file.bytes.length === 0 || file.bytes.length > rule.max)
					return legacyFail(40006, '不合法的文件大小');
				const mediaId = `@lADP${randomBytes(9).toString('hex')}`;
				this.media.set(mediaId, { type, fileName: file.fileName, bytes: file.bytes });
				return ok({ type, media_id: mediaId, created_at: Date.now() });
			},
		};
	}

	/** Tests: a user reads a one-on-one message. */
	read(processQueryKey: string, userId: string): void {
		this.robotMessages.get(processQueryKey)?.readBy.add(userId);
	}

	private customRobot(query: Record<string, string>, body: Record<string, unknown>): Answer {
		const robot = CUSTOM_ROBOTS[query.access_token];
		if (!robot) return legacyFail(400101, 'access_token不存在');
		const now = Date.now();
		if (robot.secret) {
			const timestamp = Number(query.timestamp);
			if (!query.timestamp || !query.sign)
				return legacyFail(
					310000,
					'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
				);
			if (Math.abs(now - timestamp) > 3600_000) return legacyFail(310000, 'invalid timestamp');
			const expected = createHmac('sha256', robot.secret)
				.update(`${query.timestamp}\n${robot.secret}`)
				.digest('base64');
			if (query.sign !== expected) return legacyFail(310000, 'sign not match');
		}
		const problems = checkFields('body', body, ROBOT_BODY);
		if (problems.length > 0) return legacyFail(40035, `缺少参数 json: ${problems.join('; ')}`);
		const type = String(body.msgtype);
		const part = body[type] as Record<string, unknown> | undefined;
		if (!part) return legacyFail(40035, `缺少参数 ${type}`);
		if (robot.keyword && !JSON.stringify(part).includes(robot.keyword))
			return legacyFail(310000, 'keywords not in content');
		if (typeof body.msgUuid === 'string' && this.robotUuids.has(body.msgUuid)) return ok();
		// "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟。"
		const minute = 60_000 * this.fake.faults.timeScale;
		const sent = this.fake.sentAt;
		const window = this.robotWindows.get(query.access_token) ?? { times: [], blockedUntil: 0 };
		this.robotWindows.set(query.access_token, window);
		window.times = window.times.filter((t) => t > sent - minute);
		if (sent < window.blockedUntil || window.times.length >= 20) {
			if (sent >= window.blockedUntil) window.blockedUntil = sent + 10 * minute;
			this.robotTooFast[query.access_token] = (this.robotTooFast[query.access_token] ?? 0) + 1;
			return legacyFail(410100, 'send too fast, exceed 20 times per minute');
		}
		window.times.push(sent);
		const post = { token: query.access_token, body, receivedAt: now, sentAt: sent };
		this.robotPosts.push(post);
		if (typeof body.msgUuid === 'string') this.robotUuids.set(body.msgUuid, post);
		return ok();
	}

	private checkRobot(body: Record<string, unknown>): Answer | undefined {
		if (body.robotCode !== APPS.dingtalk.appKey)
			return newFail('invalidParameter.robotCode.notExsit', 'robotCode不存在');
		const fields = TEMPLATES[String(body.msgKey)];
		if (!fields) return newFail('invalidParameter.msgKey.invalid', 'msgKey无效');
		let param: unknown;
		try {
			param = JSON.parse(String(body.msgParam));
		} catch {
			return newFail('invalidParameter.msgParam.invalid', 'msgParam不是合法的JSON');
		}
		if (param === null || typeof param !== 'object' || Array.isArray(param))
			return newFail('invalidParameter.msgParam.invalid', 'msgParam不是合法的JSON');
		const missing = fields.find(
			(f) =>
				typeof (param as Record<string, unknown>)[f] !== 'string' ||
				(param as Record<string, string>)[f] === '',
		);
		if (missing) return newFail(`miss.param.${missing}`, `缺少参数 ${missing}`);
		const extra = Object.keys(param).find(
			(k) =>
				!fields.includes(k) && !(OPTIONAL_TEMPLATE_FIELDS[String(body.msgKey)] ?? []).includes(k),
		);
		if (extra)
			this.fake.violations.push(
				`robot msgParam of ${String(body.msgKey)} has undocumented field "${extra}"`,
			);
		return undefined;
	}

	private record(kind: 'oto' | 'group', users: string[], body: Record<string, unknown>): string {
		const processQueryKey = randomBytes(18).toString('base64');
		this.robotMessages.set(processQueryKey, {
			processQueryKey,
			kind,
			users,
			openConversationId: kind === 'group' ? String(body.openConversationId) : undefined,
			msgKey: String(body.msgKey),
			msgParam: JSON.parse(String(body.msgParam)) as Record<string, unknown>,
			recalled: false,
			readBy: new Set(),
		});
		return processQueryKey;
	}

	private recall(body: Record<string, unknown>, kind: 'oto' | 'group'): Answer {
		if (body.robotCode !== APPS.dingtalk.appKey)
			return newFail('invalidParameter.robotCode.notExsit', 'robotCode不存在');
		const keys = body.processQueryKeys as string[];
		if (keys.length > 20)
			return newFail('invalidParameter.processQueryKeys.overMax', 'processQueryKeys超过最大值');
		if (kind === 'group' && body.openConversationId !== ROBOT_GROUP)
			return newFail('invalid.openConversationId', '无效的openConversationId');
		const successResult: string[] = [];
		const failedResult: Record<string, string> = {};
		for (const key of keys) {
			const message = this.robotMessages.get(key);
			if (!message || message.kind !== kind) failedResult[key] = 'processQueryKey not found';
			else {
				message.recalled = true;
				successResult.push(key);
			}
		}
		return { status: 200, body: { successResult, failedResult } };
	}

	private task(
		body: Record<string, unknown>,
		field: 'task_id' | 'msg_task_id',
	): WorkTask | undefined {
		if (body.agent_id !== AGENT_ID) return undefined;
		return this.tasks.get(Number(body[field]));
	}

	private workSend(body: Record<string, unknown>): Answer {
		if (body.agent_id !== AGENT_ID) return legacyFail(400002, '无效的agentId');
		const users =
			typeof body.userid_list === 'string' && body.userid_list !== ''
				? body.userid_list.split(',')
				: [];
		const depts =
			typeof body.dept_id_list === 'string' && body.dept_id_list !== ''
				? body.dept_id_list.split(',')
				: [];
		if (users.length > 100) return legacyFail(40035, 'userid_list超过100');
		if (depts.length > 20) return legacyFail(40035, 'dept_id_list超过20');
		if (users.length === 0 && depts.length === 0 && body.to_all_user !== true)
			return legacyFail(40035, '缺少参数 userid_list');
		const msg = body.msg as Record<string, unknown>;
		if (Buffer.byteLength(JSON.stringify(msg), 'utf8') > 2048)
			this.fake.violations.push('work notification msg over the documented 2048 bytes');
		const problems = checkFields('msg', msg, WORK_MSG);
		const type = String(msg.msgtype);
		if (problems.length === 0 && msg[type] === undefined) problems.push(`msg has no "${type}"`);
		if (problems.length > 0) {
			this.fake.violations.push(...problems.map((p) => `dingtalk.work.send: ${p}`));
			return legacyFail(40035, problems.join('; '));
		}
		const everyone = this.fake.state.dingUsers.map((u) => u.userid);
		const recipients = body.to_all_user === true || depts.includes('1') ? everyone : users;
		const invalidDepts = depts.filter((d) => d !== '1');
		const hash = createHash('sha256').update(JSON.stringify(msg)).digest('hex');
		const result: WorkTask['result'] = { invalid: [], forbidden: [], delivered: [], invalidDepts };
		for (const user of recipients) {
			if (!this.fake.state.dingUsers.some((u) => u.userid === user)) {
				result.invalid.push(user);
				continue;
			}
			const seen = this.received.get(user) ?? { hashes: new Set<string>(), count: 0 };
			this.received.set(user, seen);
			if (seen.hashes.has(hash)) result.forbidden.push({ code: '143106', count: 1, userid: user });
			else if (seen.count >= DAILY_LIMIT)
				result.forbidden.push({ code: '143105', count: 1, userid: user });
			else {
				seen.hashes.add(hash);
				seen.count++;
				result.delivered.push(user);
			}
		}
		const taskId = this.nextTask++;
		const now = Date.now();
		this.tasks.set(taskId, {
			taskId,
			msg,
			createdAt: now,
			doneAt: now + this.workDelayMs,
			recalled: false,
			result,
		});
		return ok({ task_id: taskId, request_id: randomBytes(6).toString('hex') });
	}
}
