/**
 * The DingTalk Trigger's layers, each against the fake platform's own implementation of the protocol:
 * HTTP-callback verification and decryption over raw bytes (every path), robot callbacks' signature,
 * deliveries into items with never-twice, and the Stream connection (open, tickets, acks, pings,
 * disconnects, drops). Replies through the session webhook run through n8n's engine. The node in real
 * n8n is in the e2e suite.
 */
import type { IDataObject } from 'n8n-workflow';
import { WebSocket } from 'ws';

import { processMemory } from '../../nodes/shared/dedup';
import {
	handleDelivery,
	itemOfFrame,
	subscriptionsOf,
} from '../../nodes/DingTalkTrigger/DingTalkTrigger.node';
import {
	forgetDelivery,
	httpEventItem,
	robotMessageItem,
} from '../../nodes/DingTalkTrigger/events';
import type { Socket, StreamFrame } from '../../nodes/DingTalkTrigger/stream/connection';
import { StreamConnection } from '../../nodes/DingTalkTrigger/stream/connection';
import { readDelivery } from '../../nodes/DingTalkTrigger/verify';
import {
	CALLBACK_SECRETS,
	callbackDelivery,
	platformDecrypt,
	platformSignature,
	robotCallbackHeaders,
	robotMessagePayload,
} from '../fake-api/dingtalk-events';
import { APPS } from '../fake-api/server';
import { ding, freshFake, useFakeApi } from '../helpers';

const secrets = {
	token: CALLBACK_SECRETS.callbackToken,
	aesKey: CALLBACK_SECRETS.callbackAesKey,
	appKey: APPS.dingtalk.appKey,
	appSecret: APPS.dingtalk.appSecret,
};
const approval = {
	EventType: 'bpms_instance_change',
	EventTime: 1796000000000,
	CorpId: 'dingcorp0001',
	eventId: 'ev-0001',
	processInstanceId: 'proc-1',
	type: 'finish',
	result: 'agree',
	staffId: 'staff0002',
};

describe('HTTP callbacks: verification and decryption over the raw bytes', () => {
	it('a signed, encrypted event is accepted; the answer is "success" encrypted and signed as documented', () => {
		const d = callbackDelivery(approval);
		const read = readDelivery(d.body, d.query, {}, secrets);
		expect(read).toMatchObject({ kind: 'event', payload: approval });
		const reply = (read as { reply: Record<string, string> }).reply;
		expect(reply.msg_signature).toBe(
			platformSignature(
				CALLBACK_SECRETS.callbackToken,
				reply.timeStamp,
				reply.nonce,
				reply.encrypt,
			),
		);
		expect(platformDecrypt(CALLBACK_SECRETS.callbackAesKey, reply.encrypt)).toEqual({
			message: 'success',
			ownerKey: APPS.dingtalk.appKey,
		});
	});

	it('check_url decrypts like any event (the node answers it and starts nothing)', () => {
		const d = callbackDelivery({ EventType: 'check_url' });
		expect(readDelivery(d.body, d.query, {}, secrets)).toMatchObject({
			kind: 'event',
			payload: { EventType: 'check_url' },
		});
	});

	it.each([
		[
			'a bad signature',
			() => ({
				...callbackDelivery(approval),
				query: { ...callbackDelivery(approval).query, signature: '0'.repeat(40) },
			}),
			401,
			/signature does not match/,
		],
		[
			'a wrong token',
			() => callbackDelivery(approval, { token: 'anotherToken' }),
			401,
			/signature does not match/,
		],
		[
			'a wrong AES key',
			() => callbackDelivery(approval, { aesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut' }),
			401,
			/could not be decrypted/,
		],
		[
			"another app's key in the plaintext",
			() => callbackDelivery(approval, { ownerKey: 'ding-other-app' }),
			401,
			/another app/,
		],
		[
			'a missing nonce',
			() => {
				const d = callbackDelivery(approval);
				return { ...d, query: { signature: d.query.signature, timestamp: d.query.timestamp } };
			},
			401,
			/missing/,
		],
		[
			'a body that is not JSON',
			() => ({ query: {}, body: Buffer.from('<xml/>') }),
			400,
			/not JSON/,
		],
		[
			'a replay of a signed request more than an hour later',
			() => callbackDelivery(approval, { timestamp: String(Date.now() - 3_700_000) }),
			401,
			/timestamp is more than 1 hour off/,
		],
		[
			'a timestamp in seconds an hour old',
			() => callbackDelivery(approval, { timestamp: String(Math.floor(Date.now() / 1000) - 3700) }),
			401,
			/1 hour/,
		],
	])(
		'%s is rejected with its status, and nothing is decrypted into an event',
		(_name, make, status, reason) => {
			const d = make();
			const read = readDelivery(d.body, d.query, {}, secrets);
			expect(read).toMatchObject({ kind: 'rejected', status });
			expect((read as { reason: string }).reason).toMatch(reason);
		},
	);

	it('without the callback secrets in the credential, events are refused', () => {
		const d = callbackDelivery(approval);
		expect(
			readDelivery(d.body, d.query, {}, { appKey: secrets.appKey, appSecret: secrets.appSecret }),
		).toMatchObject({
			kind: 'rejected',
			status: 401,
			reason: expect.stringMatching(/Callback Token and AES Key/),
		});
	});

	it('robot messages in HTTP mode: the documented sign with the app secret; a wrong sign or an hour-old timestamp is refused', () => {
		const payload = robotMessagePayload('hi');
		const body = Buffer.from(JSON.stringify(payload));
		expect(readDelivery(body, {}, robotCallbackHeaders(APPS.dingtalk.appSecret), secrets)).toEqual({
			kind: 'robotMessage',
			payload,
		});
		expect(readDelivery(body, {}, robotCallbackHeaders('wrong-secret'), secrets)).toMatchObject({
			kind: 'rejected',
			status: 401,
			reason: expect.stringMatching(/sign does not match/),
		});
		expect(
			readDelivery(
				body,
				{},
				robotCallbackHeaders(APPS.dingtalk.appSecret, Date.now() - 3_700_000),
				secrets,
			),
		).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/1 hour/) });
		expect(readDelivery(body, {}, {}, secrets)).toMatchObject({ kind: 'rejected', status: 401 });
	});
});

describe('deliveries into items, never twice', () => {
	beforeEach(() => processMemory.clear());
	const settings = {
		kinds: ['robotMessage' as const, 'event' as const],
		eventTypes: ['bpms_instance_change'],
	};

	it('a robot message: the text without its wrapper, sender, conversation, mention, session webhook, raw', () => {
		const payload = robotMessagePayload('deploy v2', { group: true });
		expect(robotMessageItem(payload)).toMatchObject({
			kind: 'robotMessage',
			text: 'deploy v2',
			senderStaffId: 'staff0002',
			senderNick: 'Han Meimei',
			conversationType: 'group',
			conversationId: 'cidSandboxGroup0001==',
			conversationTitle: 'Sandbox group',
			isInAtList: true,
			sessionWebhook: payload.sessionWebhook,
			sessionWebhookExpiredTime: payload.sessionWebhookExpiredTime,
			raw: payload,
		});
	});

	it('an HTTP event: type, ID, corp ID, time and the event fields; an approval event shaped for the next node', () => {
		expect(httpEventItem(approval)).toEqual({
			kind: 'event',
			eventType: 'bpms_instance_change',
			eventId: 'ev-0001',
			corpId: 'dingcorp0001',
			eventTime: 1796000000000,
			data: { processInstanceId: 'proc-1', type: 'finish', result: 'agree', staffId: 'staff0002' },
			instanceId: 'proc-1',
			approvalEvent: 'finish',
			outcome: 'agreed',
			result: 'agree',
			staffId: 'staff0002',
		});
		// A task handed on (转交 = finish + redirect) and a termination, with their times as ISO text.
		expect(
			httpEventItem({
				EventType: 'bpms_task_change',
				eventId: 'ev-0002',
				processInstanceId: 'proc-1',
				processCode: 'PROC-1',
				type: 'finish',
				result: 'redirect',
				taskId: 811165,
				staffId: 'manager4220',
				createTime: 1796000000000,
				finishTime: 1796000060000,
			}),
		).toMatchObject({
			outcome: 'redirected',
			taskId: '811165',
			processCode: 'PROC-1',
			createTime: '2026-11-30T00:53:20.000Z',
			finishTime: '2026-11-30T00:54:20.000Z',
		});
		expect(
			httpEventItem({
				EventType: 'bpms_instance_change',
				processInstanceId: 'p',
				type: 'terminate',
			}).outcome,
		).toBe('terminated');
	});

	it('a redelivery (the same event ID, or a replay of the same request) starts nothing, also after a restart', () => {
		const staticData: IDataObject = {};
		expect(handleDelivery(httpEventItem(approval), settings, staticData, 't').item).toBeDefined();
		expect(handleDelivery(httpEventItem(approval), settings, staticData, 't')).toEqual({
			dropped: 'delivered before',
		});
		// An event without an ID: its content identifies it.
		const { eventId: _drop, ...noId } = approval;
		expect(handleDelivery(httpEventItem(noId), settings, staticData, 't').item).toBeDefined();
		expect(handleDelivery(httpEventItem(noId), settings, staticData, 't').dropped).toBe(
			'delivered before',
		);
		processMemory.clear(); // a restart: only the static data remains
		expect(
			handleDelivery(httpEventItem(approval), settings, JSON.parse(JSON.stringify(staticData)), 't')
				.dropped,
		).toBe('delivered before');
	});

	it('kinds and event types not chosen start nothing', () => {
		expect(
			handleDelivery(
				httpEventItem({ ...approval, EventType: 'user_add_org', eventId: 'e2' }),
				settings,
				{},
				't',
			).dropped,
		).toMatch(/not chosen/);
		expect(
			handleDelivery(
				robotMessageItem(robotMessagePayload('x')),
				{ kinds: ['event'], eventTypes: ['*'] },
				{},
				't',
			).dropped,
		).toMatch(/not chosen/);
	});

	it('Stream frames: EVENT headers and data, robot CALLBACK, and the subscriptions per kind', () => {
		const frame: StreamFrame = {
			type: 'EVENT',
			headers: {
				topic: '*',
				eventType: 'user_add_org',
				eventId: 'e-9',
				eventCorpId: 'c',
				eventBornTime: '1796000000000',
				messageId: 'm1',
			},
			data: '{"userId":["staff0002"]}',
		};
		expect(itemOfFrame(frame)).toEqual({
			kind: 'event',
			eventType: 'user_add_org',
			eventId: 'e-9',
			corpId: 'c',
			eventTime: 1796000000000,
			unifiedAppId: undefined,
			data: { userId: ['staff0002'] },
			userIds: ['staff0002'],
		});
		expect(subscriptionsOf(['robotMessage', 'event', 'cardCallback'])).toEqual([
			{ type: 'EVENT', topic: '*' },
			{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
			{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
		]);
	});
});

/** A Stream connection against the fake gateway, with the `ws` client (Jest runs on Node 20). */
function connect(
	url: string,
	onMessage: (frame: StreamFrame) => Promise<IDataObject | undefined>,
	errors: string[] = [],
) {
	const opened: number[] = [];
	const connection = new StreamConnection({
		open: async () => {
			const r = await fetch(`${url}/v1.0/gateway/connections/open`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({
					clientId: APPS.dingtalk.appKey,
					clientSecret: APPS.dingtalk.appSecret,
					subscriptions: subscriptionsOf(['robotMessage', 'event']),
				}),
			});
			opened.push(Date.now());
			return (await r.json()) as { endpoint: string; ticket: string };
		},
		onMessage,
		onError: (error) => errors.push(error.message),
		socket: (u) => new WebSocket(u) as unknown as Socket,
	});
	return { connection, opened };
}

async function until<T>(find: () => T | undefined, timeoutMs = 8000): Promise<T> {
	const started = Date.now();
	for (;;) {
		const found = find();
		if (found !== undefined) return found;
		if (Date.now() - started > timeoutMs) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('Stream mode against the fake gateway', () => {
	it('acknowledges EVENT with {status: SUCCESS} and CALLBACK with {response: null}, each with its messageId; echoes pings', async () => {
		const fresh = await freshFake();
		try {
			const seen: StreamFrame[] = [];
			const { connection } = connect(fresh.fake.url, async (frame) => {
				seen.push(frame);
				return undefined;
			});
			connection.start();
			await until(() => (fresh.fake.stream!.clients.size === 1 ? true : undefined));
			const eventAck = await fresh.fake.stream!.event(
				'user_add_org',
				{ userId: ['staff0002'] },
				'ev-42',
			);
			expect(eventAck).toMatchObject({
				code: 200,
				message: 'OK',
				headers: { contentType: 'application/json', messageId: expect.any(String) },
			});
			expect(JSON.parse(eventAck.data)).toEqual({ status: 'SUCCESS', message: 'OK' });
			const robotAck = await fresh.fake.stream!.robotMessage(robotMessagePayload('hello'));
			expect(JSON.parse(robotAck.data)).toEqual({ response: null });
			const ping = await fresh.fake.stream!.ping();
			expect(JSON.parse(ping.data)).toEqual({ opaque: expect.any(String) });
			expect(seen.map((f) => f.type)).toEqual(['EVENT', 'CALLBACK']);
			expect(fresh.fake.stream!.violations).toEqual([]);
			await connection.stop();
			expect(fresh.fake.violations).toEqual([]);
		} finally {
			await fresh.close();
		}
	});

	it('a failed handler acks LATER, so DingTalk sends the event again', async () => {
		const fresh = await freshFake();
		try {
			const { connection } = connect(fresh.fake.url, async () => {
				throw new Error('busy');
			});
			connection.start();
			await until(() => (fresh.fake.stream!.clients.size === 1 ? true : undefined));
			const ack = await fresh.fake.stream!.event('user_add_org', {});
			expect(JSON.parse(ack.data)).toEqual({ status: 'LATER', message: 'busy' });
			await connection.stop();
		} finally {
			await fresh.close();
		}
	});

	it('after a disconnect message or a drop it reconnects with a new ticket; never two connections; stop closes it', async () => {
		const fresh = await freshFake();
		try {
			const { connection, opened } = connect(fresh.fake.url, async () => undefined);
			connection.start();
			connection.start(); // a second start does nothing
			await until(() => (fresh.fake.stream!.clients.size === 1 ? true : undefined));
			fresh.fake.stream!.disconnect(5000);
			await until(() =>
				fresh.fake.stream!.connected.length === 2 && fresh.fake.stream!.clients.size === 1
					? true
					: undefined,
			);
			fresh.fake.stream!.dropAll();
			await until(() =>
				fresh.fake.stream!.connected.length === 3 && fresh.fake.stream!.clients.size === 1
					? true
					: undefined,
			);
			expect(new Set(fresh.fake.stream!.connected).size).toBe(3); // a fresh ticket each time
			expect(opened).toHaveLength(3);
			expect(fresh.fake.stream!.clients.size).toBe(1);
			expect(fresh.fake.stream!.maxClients).toBe(1);
			// Events after the reconnects arrive.
			expect((await fresh.fake.stream!.event('org_dept_create', { deptId: [1] })).code).toBe(200);
			await connection.stop();
			await until(() => (fresh.fake.stream!.clients.size === 0 ? true : undefined));
			await new Promise((resolve) => setTimeout(resolve, 1200));
			expect(fresh.fake.stream!.connected).toHaveLength(3);
		} finally {
			await fresh.close();
		}
	});

	it('a used ticket opens nothing (one connection per ticket)', async () => {
		const fresh = await freshFake();
		try {
			const r = await fetch(`${fresh.fake.url}/v1.0/gateway/connections/open`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({
					clientId: APPS.dingtalk.appKey,
					clientSecret: APPS.dingtalk.appSecret,
					subscriptions: [{ type: 'EVENT', topic: '*' }],
				}),
			});
			const { endpoint, ticket } = (await r.json()) as { endpoint: string; ticket: string };
			const first = new WebSocket(`${endpoint}?ticket=${ticket}`);
			await new Promise((resolve) => first.once('open', resolve));
			const second = new WebSocket(`${endpoint}?ticket=${ticket}`);
			const failed = await new Promise((resolve) => {
				second.once('error', () => resolve(true));
				second.once('open', () => resolve(false));
			});
			expect(failed).toBe(true);
			first.close();
		} finally {
			await fresh.close();
		}
	});
});

describe("Stream mode: the trigger's handling", () => {
	beforeEach(() => processMemory.clear());

	it('the same robot message pushed twice at once, and again after a restart, starts one execution', async () => {
		const fresh = await freshFake();
		try {
			const staticData: IDataObject = {};
			const emitted: IDataObject[] = [];
			const handler = async (frame: StreamFrame) => {
				const item = itemOfFrame(frame);
				const handled =
					item &&
					handleDelivery(item, { kinds: ['robotMessage'], eventTypes: [] }, staticData, 't');
				if (handled?.item) emitted.push(handled.item);
				return undefined;
			};
			const { connection } = connect(fresh.fake.url, handler);
			connection.start();
			await until(() => (fresh.fake.stream!.clients.size === 1 ? true : undefined));
			const message = robotMessagePayload('once');
			const acks = await Promise.all([
				fresh.fake.stream!.robotMessage(message),
				fresh.fake.stream!.robotMessage(message),
			]);
			expect(acks.map((a) => a.code)).toEqual([200, 200]);
			await connection.stop();
			processMemory.clear(); // a restart: the static data, as n8n stored it, remains
			const restored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			Object.keys(staticData).forEach((k) => delete staticData[k]);
			Object.assign(staticData, restored);
			const again = connect(fresh.fake.url, handler).connection;
			again.start();
			await until(() => (fresh.fake.stream!.clients.size === 1 ? true : undefined));
			await fresh.fake.stream!.robotMessage(message);
			expect(emitted.map((e) => e.text)).toEqual(['once']);
			await again.stop();
		} finally {
			await fresh.close();
		}
	});

	it('a connection that stays silent is replaced (a half-open socket never says it died)', async () => {
		const fresh = await freshFake();
		try {
			const connection = new StreamConnection(
				{
					open: async () => {
						const r = await fetch(`${fresh.fake.url}/v1.0/gateway/connections/open`, {
							method: 'POST',
							headers: { 'content-type': 'application/json', accept: 'application/json' },
							body: JSON.stringify({
								clientId: APPS.dingtalk.appKey,
								clientSecret: APPS.dingtalk.appSecret,
								subscriptions: [{ type: 'EVENT', topic: '*' }],
							}),
						});
						return (await r.json()) as { endpoint: string; ticket: string };
					},
					onMessage: async () => undefined,
					onError: () => undefined,
					socket: (u) => new WebSocket(u) as unknown as Socket,
				},
				400,
			);
			connection.start();
			await until(() => (fresh.fake.stream!.connected.length >= 2 ? true : undefined), 6000);
			expect(fresh.fake.stream!.maxClients).toBe(1);
			await connection.stop();
		} finally {
			await fresh.close();
		}
	});

	it('a forgotten delivery (its execution could not be started) counts when it comes again', () => {
		const staticData: IDataObject = {};
		const item = httpEventItem({ ...approval, eventId: 'ev-forget' });
		expect(
			handleDelivery(item, { kinds: ['event'], eventTypes: ['*'] }, staticData, 't').item,
		).toBeDefined();
		forgetDelivery(staticData, item, 't');
		expect(
			handleDelivery(item, { kinds: ['event'], eventTypes: ['*'] }, staticData, 't').item,
		).toBeDefined();
	});
});

describe('Robot Message › Reply, through the session webhook', () => {
	const env = useFakeApi();
	const reply = (payload: IDataObject, rest: IDataObject = {}) => ({
		...ding('robotMessage', 'reply', {
			messageType: 'text',
			text: '={{ "You said: " + $json.text }}',
			...rest,
		}),
		items: [robotMessageItem(payload)],
	});

	it("answers with text, mentioning the sender by staff ID; the session from the trigger's output", async () => {
		const payload = robotMessagePayload('hi', { session: 'sess-abc', baseUrl: env.fake.url });
		const r = await env.bench.run(reply(payload));
		expect(r.error).toBeUndefined();
		expect(r.json[0]).toEqual({ replied: true, msgtype: 'text', mentioned: 'staff0002' });
		expect(env.fake.dim.sessionReplies).toEqual([
			{
				session: 'sess-abc',
				body: {
					msgtype: 'text',
					text: { content: 'You said: hi' },
					at: { atUserIds: ['staff0002'] },
				},
				receivedAt: expect.any(Number),
			},
		]);
		// No app token goes to the session webhook.
		const [call] = env.fake.calls('dingtalk.robot.sessionReply');
		expect(call.headers['x-acs-dingtalk-access-token']).toBeUndefined();
		expect(call.query).toEqual({ session: 'sess-abc' });
	});

	it('Markdown and action cards; without the mention', async () => {
		const payload = robotMessagePayload('hi', { baseUrl: env.fake.url });
		await env.bench.run(
			reply(payload, {
				messageType: 'markdown',
				title: 'Status',
				text: '**green**',
				mentionSender: false,
			}),
		);
		await env.bench.run(
			reply(payload, {
				messageType: 'actionCard',
				title: 'Build',
				text: 'Open it',
				buttons: { button: [{ title: 'Open', url: 'https://example.com/b' }] },
				mentionSender: false,
			}),
		);
		expect(env.fake.dim.sessionReplies.map((r) => r.body)).toEqual([
			{ msgtype: 'markdown', markdown: { title: 'Status', text: '**green**' } },
			{
				msgtype: 'actionCard',
				actionCard: {
					title: 'Build',
					text: 'Open it',
					singleTitle: 'Open',
					singleURL: 'https://example.com/b',
				},
			},
		]);
	});

	it('an expired session webhook is reported before sending; a URL that is not a session webhook is bad input; the session is never in the error', async () => {
		const expired = robotMessagePayload('hi', {
			session: 'sess-old',
			baseUrl: env.fake.url,
			expiresInMs: -1000,
		});
		const r = await env.bench.run(reply(expired));
		expect(r.error?.message).toMatch(
			/Invalid "Session Webhook" \(sessionWebhook\) in item 0: the session webhook expired at .* Send to Users/,
		);
		const wrong = await env.bench.run({
			...reply(robotMessagePayload('hi')),
			items: [{ sessionWebhook: 'https://evil.example.com/collect?x=1', text: 'x' }],
		});
		expect(wrong.error?.message).toMatch(/is not a DingTalk session webhook/);
		expect(env.fake.calls('dingtalk.robot.sessionReply')).toEqual([]);
		// DingTalk refuses a session it no longer knows (expiry unknown to the node): the error has no session in it.
		env.fake.dim.expiredSessions.add('sess-gone');
		const gone = await env.bench.run({
			...reply(robotMessagePayload('hi', { session: 'sess-gone', baseUrl: env.fake.url })),
			parameters: { ...reply(robotMessagePayload('hi')).parameters, sessionWebhookExpiredTime: '' },
		});
		expect(gone.error?.message).toMatch(/400101/);
		expect(
			JSON.stringify({
				message: gone.error?.message,
				description: gone.error?.description,
				context: gone.error?.context,
			}),
		).not.toContain('sess-gone');
	});
});
