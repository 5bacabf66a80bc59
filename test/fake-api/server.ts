/**
 * A local stand-in for the DingTalk (new-style and legacy oapi) and Feishu open APIs on 127.0.0.1.
 *
 * - Checks every request against the documented spec (method, path, token placement, query, body
 *   field names and JSON types) and records deviations in `violations`.
 * - Issues tokens that expire, and answers expired/invalid tokens the way each platform does.
 * - Keeps state (room groups, roles, conferences, user groups) and answers the documented
 *   success and error bodies from it; `script()` queues a documented answer for the next call.
 */
import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { RateRule, RouteSpec } from './spec';
import { dingTalkHandlers } from './dingtalk';
import { feishuHandlers } from './feishu';
import { FeishuIm, parseMultipart } from './feishu-im';
import { FeishuOAuth } from './feishu-oauth';
import { FeishuBitable } from './feishu-bitable';
import { FeishuApprovals } from './feishu-approval';
import { DingTalkApprovals } from './dingtalk-approval';
import { DingTalkNotables } from './dingtalk-notable';
import { dingTalkOrgHandlers, feishuOrgHandlers, Org } from './org';
import { FeishuCalendars } from './feishu-calendar';
import { DingTalkCalendars } from './dingtalk-calendar';
import { FeishuTasks } from './feishu-task';
import { DingTalkTodos } from './dingtalk-todo';
import { FeishuDrive } from './feishu-drive';
import { FeishuDocx } from './feishu-docx';
import { FeishuWiki } from './feishu-docx/wiki';
import { FeishuSheets } from './feishu-sheets';
import { DingTalkIm } from './dingtalk-im';
import { DingTalkWorkbooks } from './dingtalk-workbook';
import { StreamServer } from './dingtalk-events';
import { LongConnectionServer } from './feishu-events';
import { checkFields, checkScalar, matchRoute } from './spec';
import { controlAnswer } from './control';
import { handedOffAt, watchHandOffs } from './handoff';

export interface RecordedRequest {
	key: string;
	method: string;
	path: string;
	/** The request line's target as sent (path and raw query). */
	url: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	/** The body's bytes (multipart uploads carry binary files). */
	rawBytes: Buffer;
	body: unknown;
	/** When the request arrived (ms since epoch). */
	receivedAt: number;
	/**
	 * When the client handed it to the network (handoff.ts), for requests of this process; else when it
	 * arrived. The gateway's windows count this.
	 */
	sentAt: number;
}

export interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	/** Reset the connection instead of answering (a network failure). */
	destroy?: boolean;
	/** Answer this much later (beyond the global latency), e.g. past the client's timeout. */
	delayMs?: number;
	/** A file answer (downloads): these bytes, with `headers` giving their type and name. */
	bytes?: Buffer;
	/** Send only this many of the bytes (with the whole Content-Length), then reset the connection. */
	breakAfter?: number;
}

/** Faults and platform limits that tests switch on. */
export interface Faults {
	/** Added to every answer. */
	latencyMs: number;
	/** Per-route rate limits (beyond the documented ones), answered with the platform's "too fast" shape. */
	rateLimits: Record<string, RateRule | RateRule[]>;
	/** Enforce every route's documented limits (spec.ts), as the platform does. */
	documentedLimits: boolean;
	/**
	 * How windows are counted. `sliding`: no span of `windowMs` may hold more than `limit`;
	 * `fixed`: calendar windows (whole seconds, whole minutes), as a counter keyed by the current second would.
	 */
	counting: 'sliding' | 'fixed';
	/** Every window (documented or not) lasts this factor longer; the benchmark scales the node's pacing with it. */
	timeScale: number;
	/** Above this many requests in flight, answer "busy" in the platform's shape. */
	maxConcurrent: number;
	/** Token requests answer this much later (a slow token service, or a loaded machine). */
	tokenDelayMs: number;
	/** Per route: carry out this many requests, then reset the connection instead of answering (the answer is lost). */
	loseAnswers: Record<string, number>;
	/** Per route: send this many file answers only half, then reset the connection (a download that breaks off). */
	breakFiles: Record<string, number>;
}

const DEFAULT_FAULTS: Faults = {
	latencyMs: 0,
	rateLimits: {},
	documentedLimits: false,
	counting: 'sliding',
	timeScale: 1,
	maxConcurrent: Infinity,
	tokenDelayMs: 0,
	loseAnswers: {},
	breakFiles: {},
};

export interface FakeApiOptions {
	/** Token lifetime in seconds reported to clients. */
	tokenTtlSeconds?: number;
	/** HTTP status of the new-style InvalidAuthentication answer (DingTalk uses 400 or 401). */
	newStyleInvalidTokenStatus?: 400 | 401;
	/** Legacy style of reporting a bad token: errcode 40014/42001 directly, or errcode 88 with sub_code. */
	legacyInvalidTokenStyle?: 'direct' | 'errcode88';
	/**
	 * Called after every answer (the sandbox logs with it). `request` is what was recorded, or, for the
	 * sandbox's own control routes (/__fake/…), which are not recorded, the request as it came.
	 */
	onAnswer?: (
		request: Pick<RecordedRequest, 'method' | 'path' | 'query'>,
		answer: Answer,
		violations: string[],
	) => void;
	/** Called when the fake itself fails on a request (a bug in a handler or in onAnswer): it answers 500 and goes on. */
	onError?: (error: unknown, request: { method: string; url: string }) => void;
}

export const APPS = {
	dingtalk: { appKey: 'ding-test-key', appSecret: 'ding-test-secret-0123456789' },
	feishu: { appId: 'cli_test_app', appSecret: 'feishu-test-secret-0123456789' },
};

export const USERS = {
	admin: 'union-admin-001',
	member: 'union-member-002',
	guest: 'union-guest-003',
};

/** An onAnswer hook that prints one line per request (tokens in URLs masked) and any spec violation. */
export function printAnswers(
	write: (line: string) => void,
): NonNullable<FakeApiOptions['onAnswer']> {
	return (request, answer, violations) => {
		const where = request.query?.access_token ? `${request.path}?access_token=***` : request.path;
		write(
			`[sandbox] ${request.method} ${where} → ${answer.destroy ? 'connection reset' : answer.status}\n`,
		);
		for (const violation of violations) write(`[sandbox]   spec violation: ${violation}\n`);
	};
}

export interface FeishuUser {
	open_id: string;
	union_id: string;
	user_id: string;
	name: string;
	email: string;
	mobile: string;
}

export type Handler = (request: {
	params: Record<string, string>;
	query: Record<string, string>;
	body: Record<string, unknown>;
	/** Who called: `app` (any tenant or app token), or `user:<open_id>` for a user access token. */
	caller?: string;
	/** A raw upload's bytes and Content-Type (routes with `rawUpload`). */
	upload?: { bytes: Buffer; contentType: string };
	/** The request's headers (a documented idempotency header, e.g. DingTalk's x-client-token). */
	headers?: Record<string, unknown>;
}) => Answer;

/** What the fake platforms hold: seeded with realistic records, changed by the requests. */
export class FakeState {
	nextId = 1000;
	readonly roomGroups = new Map<number, { groupId: number; groupName: string; parentId: number }>();
	readonly rooms = new Map<string, Record<string, unknown>>();
	readonly conferences = new Map<
		string,
		{ title: string; host: string; members: Set<string>; status: number }
	>();
	readonly roleGroups = new Map<number, string>();
	readonly roles = new Map<
		number,
		{ name: string; system: boolean; groupId: number; users: Set<string> }
	>();
	readonly dingUsers = [
		{ userid: 'manager4220', unionid: USERS.admin, name: 'Li Lei', mobile: '13800000001' },
		{ userid: 'staff0002', unionid: USERS.member, name: 'Han Meimei', mobile: '13800000002' },
		{ userid: 'staff0003', unionid: USERS.guest, name: 'Wang Fang', mobile: '13800000003' },
	];
	readonly feishuGroups = new Map<
		string,
		{ name: string; description?: string; members: string[] }
	>();
	readonly feishuUsers: FeishuUser[] = [
		{
			open_id: 'ou_1',
			union_id: 'on_1',
			user_id: 'u001',
			name: 'Zhang Wei',
			email: 'zhang.wei@example.com',
			mobile: '+8613900000001',
		},
		{
			open_id: 'ou_2',
			union_id: 'on_2',
			user_id: 'u002',
			name: 'Liu Yang',
			email: 'liu.yang@example.com',
			mobile: '+8613900000002',
		},
		{
			open_id: 'ou_3',
			union_id: 'on_3',
			user_id: 'u003',
			name: 'Chen Jing',
			email: 'chen.jing@example.com',
			mobile: '+8613900000003',
		},
	];
	/** The seeded users: a reset forgets those hired since (the sandbox's new-hire events). */
	private readonly seededFeishuUsers = this.feishuUsers.length;

	constructor() {
		this.seed();
	}

	seed(): void {
		this.feishuUsers.splice(this.seededFeishuUsers);
		this.nextId = 1000;
		this.roomGroups.clear();
		this.roomGroups.set(172, { groupId: 172, groupName: 'Headquarters', parentId: 0 });
		this.roomGroups.set(173, { groupId: 173, groupName: 'Floor 3', parentId: 172 });
		this.rooms.clear();
		this.rooms.set('room-hq-101', {
			roomId: 'room-hq-101',
			roomName: 'Great Wall',
			roomCapacity: 12,
			roomStatus: 0,
			isvRoomId: 'HQ-101',
		});
		this.rooms.set('room-hq-102', {
			roomId: 'room-hq-102',
			roomName: 'Yellow River',
			roomCapacity: 6,
			roomStatus: 0,
			isvRoomId: 'HQ-102',
		});
		this.conferences.clear();
		this.conferences.set('644272f14ba331014abcdef', {
			title: 'Weekly sync',
			host: USERS.admin,
			members: new Set([USERS.admin, USERS.member, USERS.guest]),
			status: 2,
		});
		this.roleGroups.clear();
		this.roleGroups.set(1507113577, '默认');
		this.roleGroups.set(1507113578, 'Departments');
		this.roles.clear();
		this.roles.set(1, {
			name: 'Owner',
			system: true,
			groupId: 1507113577,
			users: new Set(['manager4220']),
		});
		this.roles.set(1581321999, {
			name: 'Finance',
			system: false,
			groupId: 1507113578,
			users: new Set(['staff0002']),
		});
		this.roles.set(1581322000, {
			name: 'Sales',
			system: false,
			groupId: 1507113578,
			users: new Set(),
		});
		this.feishuGroups.clear();
		this.feishuGroups.set('g1837191', { name: 'Empty group', members: [] });
		this.feishuGroups.set('g1837192', { name: 'Another empty group', members: [] });
		this.feishuGroups.set('g-with-members', { name: 'Busy group', members: ['ou_1'] });
	}
}

/** The platforms' documented "too fast" answers. */
export function tooFastAnswer(
	style: 'feishu' | 'new' | 'legacy' | 'customBot',
	resetMs: number,
): Answer {
	if (style === 'customBot')
		return {
			status: 200,
			body: { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]', data: {} },
		};
	if (style === 'feishu') {
		return {
			status: 429,
			headers: {
				'x-ogw-ratelimit-limit': '100',
				'x-ogw-ratelimit-reset': String(Math.max(0, resetMs) / 1000),
			},
			body: { code: 99991400, msg: 'request trigger frequency limit' },
		};
	}
	if (style === 'legacy')
		return {
			status: 200,
			body: {
				errcode: 90018,
				errmsg: '当前企业所调用的该接口超过每秒允许调用的次数',
				request_id: 'rl',
			},
		};
	return {
		status: 403,
		body: {
			code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
			message: '您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了',
			requestid: 'rl',
		},
	};
}

interface Token {
	platform: 'dingtalk' | 'feishu';
	expiresAt: number;
}

export class FakeApi {
	url = '';
	readonly requests: RecordedRequest[] = [];
	readonly violations: string[] = [];
	readonly options: Required<Omit<FakeApiOptions, 'onAnswer' | 'onError'>> &
		Pick<FakeApiOptions, 'onAnswer' | 'onError'>;

	private server?: http.Server;
	private readonly tokens = new Map<string, Token>();
	private readonly scripted = new Map<string, Answer[]>();
	private expireAfter?: number;
	private inFlight = 0;
	/** Per route and rule: the times of the accepted requests still inside the window. */
	private readonly windows = new Map<string, number[]>();
	/** Sample events sent on request (the sandbox), with what their receivers answered. */
	readonly pendingSamples: Array<Promise<unknown>> = [];
	/** Every "too fast" answer of a window: which window, and how long ago its oldest counted request arrived. */
	readonly tooFastLog: Array<{
		route: string;
		limit: number;
		windowMs: number;
		oldest: number;
		at: number;
	}> = [];
	/** "Too fast" answers given, per route. */
	readonly tooFastAnswers: Record<string, number> = {};
	/**
	 * When the request being answered was sent (RecordedRequest.sentAt): the handlers' own windows (a
	 * robot's 20 a minute, 5 a second to one receiver) count it, as the gateway's do.
	 */
	sentAt = 0;
	/** When each request of this process was handed to the network (handoff.ts). */
	private readonly handedOff = new WeakMap<http.IncomingMessage, number>();
	/** Highest number of requests in flight seen. */
	maxInFlight = 0;
	/** Requests that reached the platform's logic (were carried out), per route. */
	readonly executed: Record<string, number> = {};
	// Fresh objects: a test that adds a rate limit must not change the defaults of every later fake.
	readonly faults: Faults = { ...DEFAULT_FAULTS, rateLimits: {}, loseAnswers: {}, breakFiles: {} };

	readonly state = new FakeState();
	/** Feishu messaging: messages, chats, uploads and custom bots. */
	readonly im: FeishuIm;
	/** Feishu Bitable: bases, tables, fields, records, attachments (drive media) and wiki nodes. */
	readonly bitable: FeishuBitable;
	/** Feishu Drive: folders, files, uploads in parts, downloads, import and export tasks. */
	readonly drive: FeishuDrive;
	/** Feishu Approval (审批): definitions with real forms, instances run through their tasks, events. */
	readonly approvals: FeishuApprovals;
	/** DingTalk OA approval (OA审批): forms with real schemas, instances run through their tasks, events. */
	readonly dingApprovals: DingTalkApprovals;
	/** DingTalk AI tables (AI表格). */
	readonly notables: DingTalkNotables;
	/** Both platforms' organisation directories (通讯录): department trees and their members. */
	readonly orgs: { feishu: Org; dingtalk: Org };
	/** Feishu Calendar v4: calendars, events with attendees, recurrences expanded. */
	readonly calendars: FeishuCalendars;
	/** DingTalk calendars (日程): each user's primary calendar, events with attendees, recurrences expanded. */
	readonly dingCalendars: DingTalkCalendars;
	/** Feishu Task v2: tasks and tasklists. */
	readonly tasks: FeishuTasks;
	/** DingTalk to-dos (待办). */
	readonly todos: DingTalkTodos;
	/** Feishu Docx: documents as block trees, convert, inserts, updates, deletes. */
	readonly docx: FeishuDocx;
	/** Feishu Wiki: spaces and their nodes. */
	readonly wiki: FeishuWiki;
	/** Feishu Sheets: spreadsheets with real grids of cells. */
	readonly sheets: FeishuSheets;
	/** DingTalk messaging: custom robots, the app robot, work notifications and media. */
	readonly dim: DingTalkIm;
	/** DingTalk workbooks (钉钉表格) with real grids of cells. */
	readonly workbooks: DingTalkWorkbooks;
	/** Feishu / Lark user OAuth2: the authorization page, the token endpoint and user access tokens. */
	readonly oauth = new FeishuOAuth(APPS.feishu.appId, APPS.feishu.appSecret);
	/** The Feishu long connection (started with the server). */
	ws?: LongConnectionServer;
	/** The DingTalk Stream gateway's WebSocket side (started with the server). */
	stream?: StreamServer;
	private readonly handlers: Record<string, Handler>;

	constructor(options: FakeApiOptions = {}) {
		this.options = {
			tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
			newStyleInvalidTokenStatus: options.newStyleInvalidTokenStatus ?? 401,
			legacyInvalidTokenStyle: options.legacyInvalidTokenStyle ?? 'direct',
			onAnswer: options.onAnswer,
			onError: options.onError,
		};
		this.im = new FeishuIm(this);
		this.dim = new DingTalkIm(this);
		this.workbooks = new DingTalkWorkbooks();
		this.bitable = new FeishuBitable(this);
		this.drive = new FeishuDrive(this);
		this.approvals = new FeishuApprovals(this);
		this.dingApprovals = new DingTalkApprovals(this);
		this.notables = new DingTalkNotables(this);
		this.orgs = { feishu: new Org('feishu', this), dingtalk: new Org('dingtalk', this) };
		this.orgs.feishu.seed();
		this.orgs.dingtalk.seed();
		this.calendars = new FeishuCalendars(this);
		this.calendars.seed();
		this.dingCalendars = new DingTalkCalendars(this);
		this.dingCalendars.seed();
		this.tasks = new FeishuTasks(this);
		this.tasks.seed();
		this.todos = new DingTalkTodos(this);
		this.todos.seed();
		this.docx = new FeishuDocx(this);
		this.wiki = new FeishuWiki(this);
		this.sheets = new FeishuSheets(this);
		this.handlers = {
			...dingTalkHandlers(this),
			...feishuHandlers(this),
			...this.im.handlers(),
			...this.dim.handlers(),
			...this.workbooks.handlers(),
			...this.bitable.handlers(),
			...this.drive.handlers(),
			...this.approvals.handlers(),
			...this.dingApprovals.handlers(),
			...this.notables.handlers(),
			...feishuOrgHandlers(this.orgs.feishu),
			...dingTalkOrgHandlers(this.orgs.dingtalk),
			...this.calendars.handlers(),
			...this.dingCalendars.handlers(),
			...this.tasks.handlers(),
			...this.todos.handlers(),
			...this.docx.handlers(),
			...this.wiki.handlers(),
			...this.sheets.handlers(),
		};
	}

	// Shortcuts to the state most tests look at.
	get roomGroups() {
		return this.state.roomGroups;
	}
	get roles() {
		return this.state.roles;
	}
	get conferences() {
		return this.state.conferences;
	}
	get feishuGroups() {
		return this.state.feishuGroups;
	}
	get rooms() {
		return this.state.rooms;
	}

	async start(port = 0): Promise<this> {
		watchHandOffs();
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			// A client that goes away mid-request is its own affair, never the fake's crash.
			req.on('error', () => undefined);
			res.on('error', () => undefined);
			const sentAt = handedOffAt(req);
			if (sentAt !== undefined) this.handedOff.set(req, sentAt);
			this.inFlight++;
			this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
			res.on('close', () => this.inFlight--);
			req.on('end', () => {
				this.respond(req, res, Buffer.concat(chunks)).catch((error: unknown) =>
					this.failed(error, req, res),
				);
			});
		});
		// A request line or header that cannot be parsed: answered 400, as a server does.
		this.server.on('clientError', (_error, socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
		});
		this.ws = new LongConnectionServer(this.server);
		this.stream = new StreamServer(this.server);
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	/**
	 * Answers one request. Everything that can go wrong in the fake itself (a handler, the answer hook) is
	 * caught by the caller, answered 500 and reported through onError: no request can stop the fake.
	 */
	private async respond(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		bytes: Buffer,
	): Promise<void> {
		const before = this.violations.length;
		const url = new URL(req.url ?? '/', 'http://fake');
		// The sandbox's own routes (its page, sample events, reset), then the platforms'.
		const control = await controlAnswer(this, req.method ?? 'GET', url, bytes.toString('utf8'));
		const { answer, request } = control
			? {
					answer: control,
					request: {
						method: req.method ?? 'GET',
						path: url.pathname,
						query: Object.fromEntries(url.searchParams),
					},
				}
			: this.handle(req, bytes.toString('utf8'), bytes);
		this.options.onAnswer?.(request, answer, this.violations.slice(before));
		const delay = this.faults.latencyMs + (answer.delayMs ?? 0);
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		if (answer.destroy) {
			req.socket.destroy();
			return;
		}
		if (res.destroyed) return;
		if (answer.bytes) {
			res.writeHead(answer.status, {
				'Content-Type': 'application/octet-stream',
				...answer.headers,
				'Content-Length': String(answer.bytes.length),
			});
			if (answer.breakAfter !== undefined) {
				res.write(answer.bytes.subarray(0, answer.breakAfter));
				await new Promise((resolve) => setTimeout(resolve, 20));
				req.socket.destroy();
				return;
			}
			res.end(answer.bytes);
			return;
		}
		const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
		res.writeHead(answer.status, {
			'Content-Type':
				typeof answer.body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
			...answer.headers,
		});
		res.end(text);
	}

	/** The fake failed on a request: 500 with what went wrong, reported, and the fake goes on. */
	private failed(error: unknown, req: http.IncomingMessage, res: http.ServerResponse): void {
		const request = { method: req.method ?? '', url: req.url ?? '' };
		try {
			this.options.onError?.(error, request);
		} catch {
			// A reporter that fails too has nothing more to say.
		}
		if (res.headersSent || res.destroyed) {
			res.destroy();
			return;
		}
		res.writeHead(500, { 'Content-Type': 'application/json' });
		res.end(
			JSON.stringify({
				code: 'FAKE_INTERNAL_ERROR',
				message: `The sandbox failed on ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`,
			}),
		);
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		await this.ws?.close();
		await this.stream?.close();
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	/** Forget requests, violations and scripts; restore the seed state. Issued tokens stay valid. */
	reset(): void {
		this.requests.length = 0;
		this.violations.length = 0;
		this.tokenRejections.length = 0;
		this.scripted.clear();
		this.expireAfter = undefined;
		this.windows.clear();
		this.maxInFlight = 0;
		for (const key of Object.keys(this.executed)) delete this.executed[key];
		for (const key of Object.keys(this.tooFastAnswers)) delete this.tooFastAnswers[key];
		this.tooFastLog.length = 0;
		Object.assign(this.faults, DEFAULT_FAULTS, { rateLimits: {}, loseAnswers: {}, breakFiles: {} });
		this.state.seed();
		this.im.seed();
		this.dim.seed();
		this.workbooks.seed();
		this.bitable.seed();
		this.drive.seed();
		this.approvals.seed();
		this.dingApprovals.seed();
		this.notables.seed();
		this.orgs.feishu.seed();
		this.orgs.dingtalk.seed();
		this.calendars.seed();
		this.dingCalendars.seed();
		this.tasks.seed();
		this.todos.seed();
		this.docx.seed();
		this.wiki.seed();
		this.sheets.seed();
		this.oauth.resetSettings();
	}

	/** After `calls` more answered API calls (not token requests), the tokens of that call's platform expire. */
	expireTokensAfter(calls: number): void {
		this.expireAfter = calls;
	}

	/** Requests the fake answered with an invalid/expired-token error. */
	readonly tokenRejections: RecordedRequest[] = [];

	/** Queue documented answers for the next calls of a route (after spec and token checks). */
	script(key: string, ...answers: Answer[]): void {
		this.scripted.set(key, [...(this.scripted.get(key) ?? []), ...answers]);
	}

	/** Every token issued so far (of one platform, or of both) expires now, as if its lifetime ran out. */
	expireTokens(platform?: 'dingtalk' | 'feishu'): void {
		for (const token of this.tokens.values()) {
			if (!platform || token.platform === platform) token.expiresAt = Date.now() - 1;
		}
	}

	calls(key: string): RecordedRequest[] {
		return this.requests.filter((r) => r.key === key);
	}

	issuedTokens(platform?: 'dingtalk' | 'feishu'): string[] {
		return [...this.tokens]
			.filter(([, t]) => !platform || t.platform === platform)
			.map(([value]) => value);
	}

	/** The answer to one platform request, and the request as recorded. */
	private handle(
		req: http.IncomingMessage,
		rawBody: string,
		rawBytes: Buffer,
	): { answer: Answer; request: Pick<RecordedRequest, 'method' | 'path' | 'query'> } {
		const count = this.requests.length;
		const answer = this.answer(req, rawBody, rawBytes);
		const url = new URL(req.url ?? '/', 'http://fake');
		const recorded =
			this.requests.length > count ? this.requests[this.requests.length - 1] : undefined;
		return {
			answer,
			request: recorded ?? {
				method: req.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
			},
		};
	}

	private answer(req: http.IncomingMessage, rawBody: string, rawBytes: Buffer): Answer {
		const url = new URL(req.url ?? '/', 'http://fake');
		const method = req.method ?? 'GET';
		const query: Record<string, string> = {};
		for (const [k, v] of url.searchParams) {
			if (k in query)
				this.violations.push(`${method} ${url.pathname}: query parameter "${k}" repeated`);
			query[k] = v;
		}
		const rawPath = url.pathname;
		const matched = matchRoute(method, rawPath);
		let body: unknown = undefined;
		const contentType = String(req.headers['content-type'] ?? '');
		if (matched?.route.multipart) {
			body = undefined;
		} else if (
			matched?.route.formAccepted &&
			contentType.startsWith('application/x-www-form-urlencoded')
		) {
			body = Object.fromEntries(new URLSearchParams(rawBody));
		} else if (rawBody.length > 0) {
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = rawBody;
			}
		}
		const receivedAt = Date.now();
		const recorded: RecordedRequest = {
			key: matched?.route.key ?? 'unknown',
			method,
			path: rawPath,
			url: req.url ?? '',
			query,
			headers: req.headers,
			rawBody,
			rawBytes,
			body,
			receivedAt,
			sentAt: Math.min(this.handedOff.get(req) ?? receivedAt, receivedAt),
		};
		this.requests.push(recorded);
		if (!matched) {
			this.violations.push(`${method} ${rawPath}: no documented endpoint`);
			return {
				status: 404,
				body: { code: 'FAKE_NOT_FOUND', message: `no route ${method} ${rawPath}` },
			};
		}
		const { route, params } = matched;
		let problems = this.checkRequest(route, params, query, req.headers, rawBody, body);
		if (route.multipart) {
			const parsed = parseMultipart(contentType, rawBytes, route.multipart);
			problems = [...problems, ...parsed.problems];
			body = parsed.body;
			recorded.body = {
				...parsed.body,
				...Object.fromEntries(
					route.multipart.files.map((f) => [
						f,
						{ ...(parsed.body[f] as object), bytes: undefined },
					]),
				),
			};
		}
		if (problems.length > 0) {
			this.violations.push(...problems.map((p) => `${route.key}: ${p}`));
			return { status: 400, body: { code: 'FAKE_SPEC_VIOLATION', message: problems.join('; ') } };
		}
		if (route.key === 'feishu.wsEndpoint') {
			const b = body as Record<string, string>;
			if (b.AppID !== APPS.feishu.appId || b.AppSecret !== APPS.feishu.appSecret)
				return { status: 200, body: { code: 514, msg: 'auth failed', data: {} } };
			const queued = this.scripted.get(route.key);
			if (queued && queued.length > 0) return queued.shift()!;
			return { status: 200, body: { code: 0, msg: 'ok', data: this.ws!.endpoint(this.url) } };
		}
		if (route.key === 'dingtalk.stream.open') {
			// "Accept: application/json", or the gateway answers XML.
			if (!String(req.headers.accept ?? '').includes('application/json'))
				this.violations.push('dingtalk.stream.open: missing Accept: application/json');
			const b = body as {
				clientId: string;
				clientSecret: string;
				subscriptions: Array<{ type: string; topic: string }>;
			};
			if (b.clientId !== APPS.dingtalk.appKey || b.clientSecret !== APPS.dingtalk.appSecret) {
				return {
					status: 401,
					body: {
						code: 'InvalidAuthentication',
						message: '无效的clientId或clientSecret',
						requestid: this.requestId(),
					},
				};
			}
			const queued = this.scripted.get(route.key);
			if (queued && queued.length > 0) return queued.shift()!;
			return {
				status: 200,
				body: {
					endpoint: `${this.url.replace(/^http/, 'ws')}/stream/connect`,
					ticket: this.stream!.issue(b.subscriptions),
				},
			};
		}
		if (route.key === 'dingtalk.token' || route.key === 'feishu.token') {
			const queued = this.scripted.get(route.key);
			if (queued && queued.length > 0) return queued.shift()!;
			const issued =
				route.key === 'dingtalk.token'
					? this.issueDingTalkToken(body as Record<string, string>)
					: this.issueFeishuToken(body as Record<string, string>);
			return this.faults.tokenDelayMs > 0
				? { ...issued, delayMs: this.faults.tokenDelayMs }
				: issued;
		}

		// A request with an invalid or expired token is refused before the frequency control counts it: it is
		// not carried out (the platforms document neither order; the node gives such a refusal's place back).
		const tokenProblem =
			route.auth === 'none' || route.auth === 'robotWebhook'
				? undefined
				: this.checkToken(route, query, req.headers);
		if (tokenProblem) {
			this.tokenRejections.push(recorded);
			return tokenProblem;
		}
		this.sentAt = recorded.sentAt;
		const limited = this.tooFast(route, recorded.sentAt);
		if (limited) return limited;
		if (route.key === 'feishu.oauth.authorize') return this.oauth.authorize(query);
		if (route.key === 'feishu.oauth.token') {
			const queued = this.scripted.get(route.key);
			if (queued && queued.length > 0) return queued.shift()!;
			return this.oauth.token(
				body as Record<string, string>,
				req.headers.authorization as string | undefined,
			);
		}

		if (this.expireAfter !== undefined && --this.expireAfter <= 0) {
			this.expireAfter = undefined;
			this.expireTokens(route.auth === 'feishuBearer' ? 'feishu' : 'dingtalk');
		}

		const queued = this.scripted.get(route.key);
		if (queued && queued.length > 0) return queued.shift()!;
		this.executed[route.key] = (this.executed[route.key] ?? 0) + 1;
		const handler = this.handlers[route.key];
		if (!handler) return { status: 500, body: { code: 'FAKE_UNHANDLED', message: route.key } };
		const bearer = /^Bearer (u-\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
		const caller = bearer ? `user:${this.oauth.userOf(bearer) ?? '?'}` : 'app';
		const answer = handler({
			headers: req.headers as Record<string, unknown>,
			params,
			query,
			body: route.rawUpload ? {} : ((body ?? {}) as Record<string, unknown>),
			caller,
			...(route.rawUpload
				? { upload: { bytes: rawBytes, contentType: String(req.headers['content-type'] ?? '') } }
				: {}),
		});
		if ((this.faults.loseAnswers[route.key] ?? 0) > 0) {
			this.faults.loseAnswers[route.key]--;
			return { ...answer, destroy: true };
		}
		if (answer.bytes && (this.faults.breakFiles[route.key] ?? 0) > 0) {
			this.faults.breakFiles[route.key]--;
			return { ...answer, breakAfter: Math.floor(answer.bytes.length / 2) };
		}
		return answer;
	}

	private checkRequest(
		route: RouteSpec,
		params: Record<string, string>,
		query: Record<string, string>,
		headers: http.IncomingHttpHeaders,
		rawBody: string,
		body: unknown,
	): string[] {
		const problems: string[] = [];
		for (const [name, type] of Object.entries(route.pathParams ?? {})) {
			problems.push(...checkScalar(`path parameter ${name}`, params[name] ?? '', type));
		}
		// Token placement.
		const headerToken = headers['x-acs-dingtalk-access-token'];
		const authorization = headers.authorization;
		if (route.auth === 'dingtalkHeader' && !headerToken)
			problems.push('missing x-acs-dingtalk-access-token header');
		if (route.auth !== 'dingtalkHeader' && headerToken)
			problems.push('x-acs-dingtalk-access-token header not allowed here');
		if (route.auth === 'dingtalkQuery' && !query.access_token)
			problems.push('missing access_token query parameter');
		if (route.auth !== 'dingtalkQuery' && route.auth !== 'robotWebhook' && 'access_token' in query)
			problems.push('access_token query parameter not allowed here');
		if (route.auth === 'feishuBearer' && !/^Bearer \S+$/.test(String(authorization ?? ''))) {
			problems.push('missing "Authorization: Bearer <tenant_access_token>" header');
		}
		const recognisedBasic = route.basicAuthRecognised && /^Basic \S+$/.test(String(authorization));
		if (route.auth !== 'feishuBearer' && authorization && !recognisedBasic)
			problems.push('Authorization header not allowed here');
		// Query.
		const allowed = route.query ?? {};
		for (const name of Object.keys(query)) {
			if (name === 'access_token' && route.auth === 'dingtalkQuery') continue;
			if (!(name in allowed)) problems.push(`undocumented query parameter "${name}"`);
		}
		for (const [name, spec] of Object.entries(allowed)) {
			if (query[name] === undefined) {
				if (spec.required) problems.push(`missing required query parameter "${name}"`);
			} else {
				problems.push(...checkScalar(`query parameter ${name}`, query[name], spec.type, spec.enum));
			}
		}
		// Body.
		if (route.multipart) {
			// Checked by parseMultipart.
		} else if (route.rawUpload) {
			if (!headers['content-type']) problems.push('a raw upload needs its Content-Type');
		} else if (route.body === undefined) {
			if (rawBody.length > 0) problems.push('this endpoint takes no request body');
		} else {
			const contentType = String(headers['content-type'] ?? '');
			const form =
				route.formAccepted && contentType.startsWith('application/x-www-form-urlencoded');
			if (!contentType.startsWith('application/json') && !form)
				problems.push(`Content-Type must be application/json, got "${contentType}"`);
			if (typeof body !== 'object' || body === null) problems.push('body must be a JSON object');
			else problems.push(...checkFields('body', body, route.body));
		}
		return problems;
	}

	/**
	 * The gateway's limits: the route's documented rate limits (when switched on) and any extra rule,
	 * counted per route (the fake has one app per platform, so per app and per API), and a cap on
	 * requests in flight. A rejected request is not counted.
	 */
	private tooFast(route: RouteSpec, sentAt: number): Answer | undefined {
		const style =
			route.key === 'feishu.customBot.send'
				? 'customBot'
				: route.auth === 'feishuBearer' || route.key.startsWith('feishu.oauth.')
					? 'feishu'
					: route.auth === 'dingtalkQuery'
						? 'legacy'
						: 'new';
		if (this.inFlight > this.faults.maxConcurrent)
			return this.countTooFast(route, tooFastAnswer(style, 0));
		const extra = this.faults.rateLimits[route.key];
		const rules = [
			...(this.faults.documentedLimits ? (route.limits ?? []) : []),
			...(extra === undefined ? [] : Array.isArray(extra) ? extra : [extra]),
		];
		if (rules.length === 0) return undefined;
		// The windows count when the request was sent (its arrival, less this process's own stalls).
		const now = sentAt;
		let resetAt = 0;
		const windows = rules.map((rule, i) => {
			const windowMs = rule.windowMs * this.faults.timeScale;
			const key = `${route.key}#${i}:${rule.limit}/${windowMs}`;
			const from =
				this.faults.counting === 'fixed' ? Math.floor(now / windowMs) * windowMs : now - windowMs;
			const accepted = (this.windows.get(key) ?? []).filter(
				(t) => t > from || (this.faults.counting === 'fixed' && t === from),
			);
			this.windows.set(key, accepted);
			if (accepted.length >= rule.limit) {
				const reset =
					this.faults.counting === 'fixed'
						? from + windowMs
						: accepted[accepted.length - rule.limit] + windowMs;
				resetAt = Math.max(resetAt, reset);
				this.tooFastLog.push({
					route: route.key,
					limit: rule.limit,
					windowMs,
					oldest: accepted[0] - now,
					at: now,
				});
			}
			return accepted;
		});
		if (resetAt > 0) return this.countTooFast(route, tooFastAnswer(style, resetAt - Date.now()));
		for (const accepted of windows) accepted.push(now);
		return undefined;
	}

	private countTooFast(route: RouteSpec, answer: Answer): Answer {
		this.tooFastAnswers[route.key] = (this.tooFastAnswers[route.key] ?? 0) + 1;
		return answer;
	}

	private issueDingTalkToken(body: Record<string, string>): Answer {
		if (body.appKey !== APPS.dingtalk.appKey || body.appSecret !== APPS.dingtalk.appSecret) {
			return {
				status: 400,
				body: {
					code: 'invalidClientIdOrSecret',
					message: '无效的clientId或clientSecret',
					requestid: this.requestId(),
				},
			};
		}
		return {
			status: 200,
			body: { accessToken: this.currentToken('dingtalk'), expireIn: this.options.tokenTtlSeconds },
		};
	}

	private issueFeishuToken(body: Record<string, string>): Answer {
		if (body.app_id !== APPS.feishu.appId)
			return { status: 200, body: { code: 10003, msg: 'invalid param' } };
		if (body.app_secret !== APPS.feishu.appSecret)
			return { status: 200, body: { code: 10015, msg: 'wrong app secret' } };
		return {
			status: 200,
			body: {
				code: 0,
				msg: 'ok',
				tenant_access_token: this.currentToken('feishu'),
				expire: this.options.tokenTtlSeconds,
			},
		};
	}

	/**
	 * Like the platforms: asking again while a token has more than half its lifetime left
	 * returns the same token; otherwise a new one is issued (the old one stays valid until it expires).
	 */
	private currentToken(platform: 'dingtalk' | 'feishu'): string {
		const halfLife = (this.options.tokenTtlSeconds * 1000) / 2;
		for (const [value, token] of this.tokens) {
			if (token.platform === platform && token.expiresAt - Date.now() > halfLife) return value;
		}
		const value = (platform === 'feishu' ? 't-' : '') + randomBytes(16).toString('hex');
		this.tokens.set(value, {
			platform,
			expiresAt: Date.now() + this.options.tokenTtlSeconds * 1000,
		});
		return value;
	}

	private checkToken(
		route: RouteSpec,
		query: Record<string, string>,
		headers: http.IncomingHttpHeaders,
	): Answer | undefined {
		const value =
			route.auth === 'dingtalkHeader'
				? String(headers['x-acs-dingtalk-access-token'])
				: route.auth === 'dingtalkQuery'
					? query.access_token
					: String(headers.authorization ?? '').replace(/^Bearer /, '');
		if (route.auth === 'feishuBearer' && value.startsWith('u-'))
			return this.oauth.checkUserToken(value, route);
		const token = this.tokens.get(value);
		const platform = route.auth === 'feishuBearer' ? 'feishu' : 'dingtalk';
		const expired = token !== undefined && token.expiresAt <= Date.now();
		if (token && token.platform === platform && !expired) return undefined;
		if (route.auth === 'dingtalkHeader') {
			return {
				status: this.options.newStyleInvalidTokenStatus,
				body: {
					code: 'InvalidAuthentication',
					message: '不合法的access_token',
					requestid: this.requestId(),
				},
			};
		}
		if (route.auth === 'dingtalkQuery') {
			const errcode = expired ? 42001 : 40014;
			const errmsg = expired ? 'access_token is expired' : '不合法的access_token';
			if (this.options.legacyInvalidTokenStyle === 'errcode88') {
				return {
					status: 200,
					body: {
						errcode: 88,
						errmsg: 'ding talk error[subcode=' + errcode + ']',
						sub_code: String(errcode),
						sub_msg: errmsg,
						request_id: this.requestId(),
					},
				};
			}
			return { status: 200, body: { errcode, errmsg, request_id: this.requestId() } };
		}
		return {
			status: 400,
			body: {
				code: 99991663,
				msg: 'Invalid access token for authorization. Please make a request with token attached.',
				error: { log_id: this.requestId() },
			},
		};
	}

	private requestId(): string {
		return randomBytes(6).toString('hex');
	}
}
