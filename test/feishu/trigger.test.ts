/**
 * The Feishu Trigger's three layers, each against the fake platform's own implementation of the protocol:
 * verification and decryption over raw bytes (every path), events into items with never-twice, and the
 * long connection (frames, acks, fragments, reconnects). The node in real n8n is in the e2e suite.
 */
import type { IDataObject } from 'n8n-workflow';
import { WebSocket } from 'ws';

import { processMemory } from '../../nodes/FeishuTrigger/events';
import { cardAnswer, handleEvent } from '../../nodes/FeishuTrigger/FeishuTrigger.node';
import { decryptEvent, readDelivery } from '../../nodes/FeishuTrigger/verify';
import type { Socket } from '../../nodes/FeishuTrigger/ws/connection';
import { LongConnection } from '../../nodes/FeishuTrigger/ws/connection';
import { decodeFrame, encodeFrame } from '../../nodes/FeishuTrigger/ws/frame';
import {
	cardActionEvent,
	delivery,
	encrypt,
	event2,
	EVENT_SECRETS,
	messageEvent,
} from '../fake-api/feishu-events';
import { APPS } from '../fake-api/server';
import { freshFake } from '../helpers';

const keyed = {
	encryptKey: EVENT_SECRETS.encryptKey,
	verificationToken: EVENT_SECRETS.verificationToken,
};
const tokenOnly = { verificationToken: EVENT_SECRETS.verificationToken };

describe('verification over the raw bytes', () => {
	it('decrypts the documented test vector', () => {
		expect(decryptEvent('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe(
			'hello world',
		);
	});

	it('an encrypted, signed event is accepted and decrypted', () => {
		const payload = messageEvent('hi');
		const d = delivery(payload, { encryptKey: EVENT_SECRETS.encryptKey });
		expect(readDelivery(d.body, d.headers, keyed)).toEqual({ kind: 'event', payload });
	});

	it('the signature covers the bytes as sent: a body whose spacing and key order differ from a re-serialisation passes', () => {
		const payload = messageEvent('spacing');
		const d = delivery(payload, { encryptKey: EVENT_SECRETS.encryptKey });
		// delivery() writes `{"encrypt": "…"}` with a space; JSON.stringify would not.
		expect(d.body.toString()).toMatch(/^\{"encrypt": "/);
		expect(readDelivery(d.body, d.headers, keyed).kind).toBe('event');
		const reordered = Buffer.from(
			` { "encrypt" : ${JSON.stringify(JSON.parse(d.body.toString()).encrypt)} }`,
		);
		const signed = delivery(payload, { encryptKey: EVENT_SECRETS.encryptKey });
		const { createHash } = jest.requireActual<typeof import('crypto')>('crypto');
		const sig = createHash('sha256')
			.update(
				signed.headers['x-lark-request-timestamp'] +
					signed.headers['x-lark-request-nonce'] +
					EVENT_SECRETS.encryptKey,
			)
			.update(reordered)
			.digest('hex');
		expect(
			readDelivery(reordered, { ...signed.headers, 'x-lark-signature': sig }, keyed).kind,
		).toBe('event');
	});

	it('a wrong signature, a tampered body and missing signature headers are refused with 401', () => {
		const d = delivery(messageEvent('x'), { encryptKey: EVENT_SECRETS.encryptKey });
		expect(
			readDelivery(d.body, { ...d.headers, 'x-lark-signature': 'ab'.repeat(32) }, keyed),
		).toMatchObject({
			kind: 'rejected',
			status: 401,
			reason: 'the signature does not match the body',
		});
		const tampered = Buffer.from(d.body.toString().replace('"encrypt": "', '"encrypt":  "'));
		expect(readDelivery(tampered, d.headers, keyed)).toMatchObject({
			kind: 'rejected',
			status: 401,
		});
		const { 'x-lark-signature': _s, ...unsigned } = d.headers;
		expect(readDelivery(d.body, unsigned, keyed)).toMatchObject({
			kind: 'rejected',
			status: 401,
			reason: 'the signature headers are missing',
		});
	});

	it('an event encrypted with another key cannot be read', () => {
		const d = delivery(messageEvent('x'), { encryptKey: 'another-key' });
		expect(readDelivery(d.body, d.headers, keyed)).toMatchObject({ kind: 'rejected', status: 401 });
		// Unsigned (as only a challenge may be) and encrypted with another key: it cannot be decrypted.
		const body = Buffer.from(
			JSON.stringify({ encrypt: encrypt('another-key', JSON.stringify(messageEvent('x'))) }),
		);
		expect(readDelivery(body, {}, { encryptKey: EVENT_SECRETS.encryptKey })).toMatchObject({
			kind: 'rejected',
		});
	});

	it('without an Encrypt Key: the verification token of schema 2.0 (header.token) and 1.0 (token) must match', () => {
		const good2 = delivery(messageEvent('x'));
		expect(readDelivery(good2.body, good2.headers, tokenOnly).kind).toBe('event');
		const bad2 = delivery(event2('im.message.receive_v1', {}, { token: 'wrong-token' }));
		expect(readDelivery(bad2.body, bad2.headers, tokenOnly)).toMatchObject({
			kind: 'rejected',
			status: 401,
			reason: 'the verification token does not match',
		});
		const v1 = {
			ts: '1700000000.123',
			uuid: 'u-1',
			token: EVENT_SECRETS.verificationToken,
			type: 'event_callback',
			event: {
				type: 'approval_instance',
				app_id: 'cli_test_app',
				tenant_key: 't',
				status: 'APPROVED',
			},
		};
		expect(readDelivery(Buffer.from(JSON.stringify(v1)), {}, tokenOnly).kind).toBe('event');
		expect(
			readDelivery(Buffer.from(JSON.stringify({ ...v1, token: 'nope' })), {}, tokenOnly),
		).toMatchObject({ kind: 'rejected', status: 401 });
	});

	it('the URL challenge, plain or encrypted, answers its challenge (its token checked)', () => {
		const challenge = {
			challenge: 'ajls384kdjx98XX',
			token: EVENT_SECRETS.verificationToken,
			type: 'url_verification',
		};
		expect(readDelivery(Buffer.from(JSON.stringify(challenge)), {}, tokenOnly)).toEqual({
			kind: 'challenge',
			challenge: 'ajls384kdjx98XX',
		});
		const enc = Buffer.from(
			JSON.stringify({ encrypt: encrypt(EVENT_SECRETS.encryptKey, JSON.stringify(challenge)) }),
		);
		expect(readDelivery(enc, {}, keyed)).toEqual({
			kind: 'challenge',
			challenge: 'ajls384kdjx98XX',
		});
		expect(
			readDelivery(Buffer.from(JSON.stringify({ ...challenge, token: 'x' })), {}, tokenOnly),
		).toMatchObject({ kind: 'rejected', status: 401 });
	});

	it('plain events when an Encrypt Key is set, a body that is not JSON, and a credential with no secret are refused', () => {
		const plain = delivery(messageEvent('x'));
		expect(readDelivery(plain.body, plain.headers, keyed)).toMatchObject({
			kind: 'rejected',
			status: 400,
		});
		expect(readDelivery(Buffer.from('not json'), {}, keyed)).toMatchObject({
			kind: 'rejected',
			status: 400,
		});
		expect(readDelivery(plain.body, plain.headers, {})).toMatchObject({
			kind: 'rejected',
			status: 401,
		});
	});
});

const settings = {
	events: ['im.message.receive_v1', 'card.action.trigger'],
	ignoreBotEvents: true,
	mentionedOnly: false,
	cardResponse: undefined as string | undefined,
};

describe('events into items, never twice', () => {
	it('one item with the header fields, the event, and the message text and mentions without the JSON wrapper', () => {
		const payload = messageEvent('@_user_1 deploy now', {
			chatType: 'group',
			mentions: [
				{
					key: '@_user_1',
					id: { open_id: 'ou_bot', union_id: 'on_b', user_id: '' },
					name: 'Deploy Bot',
					mentioned_type: 'bot',
				},
			],
		});
		const { item } = handleEvent(payload, settings, {});
		const header = payload.header as IDataObject;
		expect(item).toMatchObject({
			event_id: header.event_id,
			event_type: 'im.message.receive_v1',
			create_time: header.create_time,
			app_id: 'cli_test_app',
			tenant_key: 'tenant-sandbox',
			text: '@_user_1 deploy now',
			chat_type: 'group',
			mentions: [
				{ key: '@_user_1', name: 'Deploy Bot', open_id: 'ou_bot', union_id: 'on_b', user_id: '' },
			],
			event: payload.event,
		});
		expect(JSON.stringify(item)).not.toContain(EVENT_SECRETS.verificationToken);
	});

	it('the same event twice, concurrently, and after a restart: one item', async () => {
		const payload = messageEvent('once');
		const staticData: IDataObject = {};
		const twice = await Promise.all(
			[0, 1].map(async () => handleEvent(payload, settings, staticData)),
		);
		expect(twice.filter((r) => r.item)).toHaveLength(1);
		expect(twice.find((r) => !r.item)?.dropped).toMatch(/was delivered before/);
		// n8n saves the static data as JSON and loads it after a restart; the process's memory is gone.
		const restarted = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		processMemory.clear();
		expect(handleEvent(payload, settings, restarted).item).toBeUndefined();
		expect(handleEvent(messageEvent('other'), settings, restarted).item).toBeDefined();
	});

	it('concurrent calls each saving their own copy of the static data (the last one wins) lose no ID', () => {
		// n8n loads the static data per webhook call and saves it after: two calls that overlap both load it
		// empty, and the later save replaces the earlier one.
		const a = messageEvent('a');
		const b = messageEvent('b');
		const loadedByA: IDataObject = {};
		const loadedByB: IDataObject = {};
		expect(handleEvent(a, settings, loadedByA, 'race').item).toBeDefined();
		expect(handleEvent(b, settings, loadedByB, 'race').item).toBeDefined();
		const saved = JSON.parse(JSON.stringify(loadedByB)) as IDataObject;
		processMemory.clear();
		expect(
			handleEvent(a, settings, JSON.parse(JSON.stringify(saved)) as IDataObject, 'race').item,
		).toBeUndefined();
		expect(
			handleEvent(b, settings, JSON.parse(JSON.stringify(saved)) as IDataObject, 'race').item,
		).toBeUndefined();
	});

	it('schema 1.0 events are deduplicated by uuid', () => {
		const v1 = {
			ts: '1700000000.5',
			uuid: 'u-77',
			token: 't',
			type: 'event_callback',
			event: { type: 'approval_instance', app_id: 'cli_test_app', tenant_key: 'tk' },
		};
		const staticData: IDataObject = {};
		const first = handleEvent(v1, { ...settings, events: ['approval_instance'] }, staticData);
		expect(first.item).toMatchObject({
			event_id: 'u-77',
			event_type: 'approval_instance',
			create_time: '1700000000500',
			app_id: 'cli_test_app',
			schema: '1.0',
		});
		expect(
			handleEvent(v1, { ...settings, events: ['approval_instance'] }, staticData).item,
		).toBeUndefined();
	});

	it('event types not chosen, bot events, and group messages without a mention (when asked) start nothing', () => {
		expect(handleEvent(event2('contact.user.created_v3', {}), settings, {}).dropped).toMatch(
			/not chosen/,
		);
		expect(
			handleEvent(event2('contact.user.created_v3', {}), { ...settings, events: ['*'] }, {}).item,
		).toBeDefined();
		expect(
			handleEvent(messageEvent('from a bot', { senderType: 'app' }), settings, {}).dropped,
		).toBe('sent by a bot');
		expect(
			handleEvent(
				messageEvent('no mention', { chatType: 'group' }),
				{ ...settings, mentionedOnly: true },
				{},
			).dropped,
		).toBe('the bot is not @-mentioned');
		expect(
			handleEvent(
				messageEvent('p2p', { chatType: 'p2p' }),
				{ ...settings, mentionedOnly: true },
				{},
			).item,
		).toBeDefined();
	});

	it('a card action gets the configured answer, with values of the event filled in, even when it is a duplicate', () => {
		const template =
			'{"toast":{"type":"success","content":"Chosen: {{ $event.action.value.choice }}"}}';
		const payload = cardActionEvent({ choice: 'approve' });
		const staticData: IDataObject = {};
		const first = handleEvent(payload, { ...settings, cardResponse: template }, staticData);
		expect(first.answer).toEqual({ toast: { type: 'success', content: 'Chosen: approve' } });
		expect(first.item).toMatchObject({ event_type: 'card.action.trigger' });
		const again = handleEvent(payload, { ...settings, cardResponse: template }, staticData);
		expect(again.item).toBeUndefined();
		expect(again.answer).toEqual({ toast: { type: 'success', content: 'Chosen: approve' } });
		expect(cardAnswer('not json', payload)).toBeUndefined();
	});
});

describe('the frame protocol', () => {
	it('encodes and decodes every field, 64-bit IDs exactly', () => {
		const frame = {
			seqId: 18_446_744_073_709_551_615n,
			logId: 9_007_199_254_740_993n,
			service: 7,
			method: 1,
			headers: [
				{ key: 'type', value: 'event' },
				{ key: 'message_id', value: '消息-1' },
			],
			payloadEncoding: 'json',
			payloadType: 'event',
			payload: Buffer.from('{"a":1}'),
			logIdNew: 'log-1',
		};
		expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
		expect(() => decodeFrame(Buffer.from([0x0a, 0x05, 0x01]))).toThrow();
	});
});

describe('the long connection, against the fake server', () => {
	const socket = (url: string) => new WebSocket(url) as unknown as Socket;

	async function connect(
		fake: Awaited<ReturnType<typeof freshFake>>['fake'],
		onEvent: (p: IDataObject) => Promise<IDataObject | undefined>,
		errors: Array<[string, boolean]> = [],
	) {
		const connection = new LongConnection({
			endpoint: async () => {
				const response = (await (
					await fetch(`${fake.url}/callback/ws/endpoint`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', locale: 'zh' },
						body: JSON.stringify({ AppID: APPS.feishu.appId, AppSecret: APPS.feishu.appSecret }),
					})
				).json()) as { data: { URL: string; ClientConfig: IDataObject } };
				return { url: response.data.URL, config: response.data.ClientConfig };
			},
			onEvent,
			onError: (error, fatal) => errors.push([error.message, fatal]),
			socket,
		});
		connection.start();
		for (let i = 0; i < 100 && fake.ws!.clients.size === 0; i++)
			await new Promise((r) => setTimeout(r, 20));
		return connection;
	}

	it('delivers an event, acks it with the same frame, code 200 and biz_rt, and carries a card answer back', async () => {
		const env = await freshFake();
		try {
			const seen: IDataObject[] = [];
			const connection = await connect(env.fake, async (payload) => {
				seen.push(payload);
				return payload.header &&
					(payload.header as IDataObject).event_type === 'card.action.trigger'
					? { toast: { type: 'info', content: 'ok' } }
					: undefined;
			});
			const payload = messageEvent('over the socket');
			const ack = await env.fake.ws!.send(payload);
			expect(seen).toEqual([payload]);
			expect(ack.response).toEqual({ code: 200 });
			expect(ack.frame.headers.map((h) => h.key)).toEqual([
				'type',
				'message_id',
				'sum',
				'seq',
				'trace_id',
				'biz_rt',
			]);
			expect(Number(ack.frame.headers[5].value)).toBeGreaterThanOrEqual(0);
			const card = await env.fake.ws!.send(cardActionEvent({ x: 1 }));
			expect(card.data).toEqual({ toast: { type: 'info', content: 'ok' } });
			await connection.stop();
			expect(env.fake.ws!.clients.size).toBe(0);
		} finally {
			await env.close();
		}
	});

	it('re-assembles an event split into several frames', async () => {
		const env = await freshFake();
		try {
			const seen: IDataObject[] = [];
			const connection = await connect(env.fake, async (payload) => {
				seen.push(payload);
				return undefined;
			});
			const payload = messageEvent('x'.repeat(5000));
			const ack = await env.fake.ws!.send(payload, { fragments: 3 });
			expect(ack.response.code).toBe(200);
			expect(seen).toEqual([payload]);
			await connection.stop();
		} finally {
			await env.close();
		}
	});

	it('reconnects after a drop, one connection at a time, and receives the next event', async () => {
		const env = await freshFake();
		try {
			const seen: string[] = [];
			const connection = await connect(env.fake, async (payload) => {
				seen.push(String((payload.header as IDataObject).event_id));
				return undefined;
			});
			const first = messageEvent('before');
			await env.fake.ws!.send(first);
			env.fake.ws!.dropAll();
			for (let i = 0; i < 200 && env.fake.ws!.opened.length < 2; i++)
				await new Promise((r) => setTimeout(r, 25));
			for (let i = 0; i < 100 && env.fake.ws!.clients.size === 0; i++)
				await new Promise((r) => setTimeout(r, 20));
			expect(env.fake.ws!.opened).toHaveLength(2);
			expect(env.fake.ws!.clients.size).toBe(1);
			const second = messageEvent('after');
			await env.fake.ws!.send(second);
			expect(seen).toEqual([
				(first.header as IDataObject).event_id,
				(second.header as IDataObject).event_id,
			]);
			await connection.stop();
			await new Promise((r) => setTimeout(r, 1500));
			expect(env.fake.ws!.opened).toHaveLength(2);
		} finally {
			await env.close();
		}
	});

	it('a refused app (a client error) stops for good with a fatal error', async () => {
		const env = await freshFake();
		try {
			const errors: Array<[string, boolean]> = [];
			const connection = new LongConnection({
				endpoint: async () => {
					throw Object.assign(
						new Error('Feishu refused the long connection (code 514: auth failed)'),
						{ retry: false },
					);
				},
				onEvent: async () => undefined,
				onError: (error, fatal) => errors.push([error.message, fatal]),
				socket,
			});
			connection.start();
			await connection.stop();
			expect(errors).toEqual([
				['Feishu refused the long connection (code 514: auth failed)', true],
			]);
		} finally {
			await env.close();
		}
	});
});
