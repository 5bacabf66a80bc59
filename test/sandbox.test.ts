/**
 * The sandbox (`npm run dev`, `npm run sandbox`) as a server of its own: nothing a workflow or a curl sends
 * can stop it, its printer survives a reset, its sample events are what the triggers verify, and its page
 * shows the buttons of the cards it received.
 */
import type { IDataObject } from 'n8n-workflow';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { readDelivery as readDingTalkDelivery } from '../nodes/DingTalkTrigger/verify';
import { readDelivery as readFeishuDelivery } from '../nodes/FeishuTrigger/verify';
import { linksIn } from './fake-api/control';
import { CALLBACK_SECRETS } from './fake-api/dingtalk-events';
import { EVENT_SECRETS } from './fake-api/feishu-events';
import { APPS, FakeApi, printAnswers } from './fake-api/server';

describe('the sandbox server', () => {
	const printed: string[] = [];
	const failures: string[] = [];
	const fake = new FakeApi({
		onAnswer: printAnswers((line) => printed.push(line)),
		onError: (error) => failures.push(String(error)),
	});

	beforeAll(async () => await fake.start());
	afterAll(async () => await fake.stop());
	beforeEach(() => {
		printed.length = 0;
		failures.length = 0;
	});

	it('a reset with the printer on answers 200 and is printed (the crash of issue 20: the printer was handed no request)', async () => {
		await fetch(`${fake.url}/open-apis/contact/v3/group/simplelist`);
		const reset = await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });
		expect(reset.status).toBe(200);
		expect(printed).toContain('[sandbox] POST /__fake/reset → 200\n');
		// It goes on answering.
		expect((await fetch(`${fake.url}/__fake/messages`)).status).toBe(200);
		expect(failures).toEqual([]);
	});

	it('bad bodies and unknown routes are answered (400, 404), never a crash', async () => {
		const cases: Array<[string, RequestInit, number]> = [
			['/__fake/reset', { method: 'POST', body: '{nope' }, 400],
			['/__fake/reset', { method: 'POST', body: '"a string"' }, 400],
			['/__fake/events', { method: 'POST', body: '' }, 400],
			[
				'/__fake/events',
				{ method: 'POST', body: '{"to":"longConnection","chatType":"channel"}' },
				400,
			],
			[
				'/__fake/events',
				{ method: 'POST', body: '{"to":"dingtalk:not a url","kind":"event"}' },
				400,
			],
			['/__fake/events', { method: 'POST', body: '{"to":"dingtalkStream","kind":"card"}' }, 400],
			['/__fake/unknown', { method: 'GET' }, 404],
			['/__fake/messages', { method: 'DELETE' }, 404],
			[
				'/open-apis/im/v1/messages?receive_id_type=chat_id',
				{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,' },
				400,
			],
			['/%E0%A4%A', { method: 'GET' }, 404],
		];
		for (const [route, init, status] of cases) {
			const answer = await fetch(fake.url + route, init);
			expect({ route, body: init.body, status: answer.status }).toEqual({
				route,
				body: init.body,
				status,
			});
		}
		expect(failures).toEqual([]);
		fake.violations.length = 0;
	});

	it('a failure inside the fake answers 500, is reported, and the fake goes on', async () => {
		const broken = new FakeApi({
			onAnswer: () => {
				throw new TypeError('a logging bug');
			},
			onError: (error) => failures.push((error as Error).message),
		});
		await broken.start();
		try {
			const answer = await fetch(`${broken.url}/__fake/messages`);
			expect(answer.status).toBe(500);
			expect(await answer.json()).toMatchObject({
				code: 'FAKE_INTERNAL_ERROR',
				message: expect.stringContaining('a logging bug'),
			});
			expect(failures).toEqual(['a logging bug']);
			expect((await fetch(`${broken.url}/__fake/stats`)).status).toBe(500);
		} finally {
			await broken.stop();
		}
	});

	it('a sample event with no trigger listening says so (502), naming the workflow that would listen', async () => {
		const answer = await fetch(`${fake.url}/__fake/events`, {
			method: 'POST',
			body: '{"to":"longConnection","text":"hello"}',
		});
		expect(answer.status).toBe(502);
		expect((await answer.json()) as { message: string }).toMatchObject({
			message: expect.stringContaining('Feishu Trigger sandbox tour'),
		});
	});

	/** A local receiver standing in for a trigger's webhook URL. */
	async function receiver(
		answer: (raw: Buffer, req: http.IncomingMessage) => { status: number; body: unknown },
	) {
		const received: Array<{ raw: Buffer; url: string; headers: http.IncomingHttpHeaders }> = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				received.push({ raw, url: req.url ?? '', headers: req.headers });
				const a = answer(raw, req);
				res.writeHead(a.status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(a.body));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return {
			url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
			received,
			close: async () => await new Promise((resolve) => server.close(resolve)),
		};
	}

	it.each([
		['a message in a one-to-one chat', { text: 'hello' }, 'p2p', 'oc_p2p_ou_1'],
		['a group message', { text: 'hello group', chatType: 'group' }, 'group', 'oc_sandbox_general'],
	])(
		'to a Feishu Trigger webhook URL: %s, encrypted and signed as the trigger verifies it',
		async (_what, extra, chatType, chatId) => {
			const hook = await receiver(() => ({ status: 200, body: {} }));
			try {
				const answer = await fetch(`${fake.url}/__fake/events`, {
					method: 'POST',
					body: JSON.stringify({ to: `${hook.url}/webhook/x/webhook`, ...extra }),
				});
				expect(answer.status).toBe(200);
				const [delivery] = hook.received;
				const read = readFeishuDelivery(delivery.raw, delivery.headers as never, EVENT_SECRETS);
				expect(read.kind).toBe('event');
				const event = (
					read as unknown as {
						payload: {
							event: { message: { chat_type: string; chat_id: string; content: string } };
						};
					}
				).payload.event.message;
				expect({
					chatType: event.chat_type,
					chatId: event.chat_id,
					text: JSON.parse(event.content).text,
				}).toEqual({ chatType, chatId, text: extra.text });
			} finally {
				await hook.close();
			}
		},
	);

	it('to a Feishu Trigger webhook URL: a new hire (contact.user.created_v3), a user of Backend every API knows, forgotten by a reset', async () => {
		const hook = await receiver(() => ({ status: 200, body: {} }));
		try {
			const answer = await fetch(`${fake.url}/__fake/events`, {
				method: 'POST',
				body: JSON.stringify({
					to: `${hook.url}/webhook/x/webhook`,
					kind: 'userCreated',
					text: 'Li Lei',
				}),
			});
			expect(answer.status).toBe(200);
			const read = readFeishuDelivery(
				hook.received[0].raw,
				hook.received[0].headers as never,
				EVENT_SECRETS,
			) as unknown as {
				kind: string;
				payload: { header: { event_type: string }; event: { object: IDataObject } };
			};
			expect(read.kind).toBe('event');
			expect(read.payload.header.event_type).toBe('contact.user.created_v3');
			expect(read.payload.event.object).toMatchObject({
				open_id: 'ou_4',
				union_id: 'on_4',
				name: 'Li Lei',
				department_ids: ['od-backend'],
			});
			expect(fake.state.feishuUsers.map((u) => u.open_id)).toContain('ou_4');
			expect(fake.orgs.feishu.departments.get('od-backend')?.members).toContain('ou_4');
			await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });
			expect(fake.state.feishuUsers.map((u) => u.open_id)).toEqual(['ou_1', 'ou_2', 'ou_3']);
			expect(fake.orgs.feishu.departments.get('od-backend')?.members).toEqual(['ou_2']);
		} finally {
			await hook.close();
		}
	});

	it('the one-to-one chat of a message event is a chat the bot can answer in', async () => {
		const token = (
			(await (
				await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ app_id: APPS.feishu.appId, app_secret: APPS.feishu.appSecret }),
				})
			).json()) as { tenant_access_token: string }
		).tenant_access_token;
		const sent = await fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({
				receive_id: 'oc_p2p_ou_1',
				msg_type: 'text',
				content: JSON.stringify({ text: 'You said: hello' }),
			}),
		});
		expect(((await sent.json()) as { code: number }).code).toBe(0);
		const unknown = await fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({
				receive_id: 'oc_p2p_ou_nobody',
				msg_type: 'text',
				content: JSON.stringify({ text: 'x' }),
			}),
		});
		expect(((await unknown.json()) as { code: number }).code).toBe(230034);
	});

	it('to a DingTalk Trigger HTTP callback URL: an approval event, signed and encrypted as the trigger verifies it', async () => {
		const hook = await receiver(() => ({ status: 200, body: {} }));
		try {
			const answer = await fetch(`${fake.url}/__fake/events`, {
				method: 'POST',
				body: JSON.stringify({ to: `dingtalk:${hook.url}/webhook/x/callback`, kind: 'event' }),
			});
			expect(answer.status).toBe(200);
			const [delivery] = hook.received;
			const query = Object.fromEntries(new URL(delivery.url, hook.url).searchParams);
			const read = readDingTalkDelivery(delivery.raw, query, delivery.headers as never, {
				token: CALLBACK_SECRETS.callbackToken,
				aesKey: CALLBACK_SECRETS.callbackAesKey,
				appKey: APPS.dingtalk.appKey,
				appSecret: APPS.dingtalk.appSecret,
			});
			expect(read).toMatchObject({
				kind: 'event',
				payload: { EventType: 'bpms_instance_change', result: 'agree' },
			});
		} finally {
			await hook.close();
		}
	});

	it('the page shows the received cards with their buttons as links (Send and Wait answered by a click)', async () => {
		const feishuCard = {
			schema: '2.0',
			body: {
				elements: [
					{ tag: 'markdown', content: 'Ship?' },
					{
						tag: 'button',
						text: { tag: 'plain_text', content: 'Ship it' },
						behaviors: [
							{
								type: 'open_url',
								default_url:
									'http://localhost:5678/webhook-waiting/7/n?approved=true&signature=abc',
							},
						],
					},
					{
						tag: 'button',
						text: { tag: 'plain_text', content: 'Hold' },
						behaviors: [
							{
								type: 'open_url',
								default_url:
									'http://localhost:5678/webhook-waiting/7/n?approved=false&signature=def',
							},
						],
					},
				],
			},
		};
		expect(linksIn(JSON.stringify(feishuCard))).toEqual([
			{
				label: 'Ship it',
				url: 'http://localhost:5678/webhook-waiting/7/n?approved=true&signature=abc',
			},
			{
				label: 'Hold',
				url: 'http://localhost:5678/webhook-waiting/7/n?approved=false&signature=def',
			},
		]);
		const dingTalkCard = {
			title: 'Release',
			text: 'Ship?',
			buttonTitle1: 'Ship it',
			buttonUrl1: 'http://h/a?approved=true',
			buttonTitle2: 'Hold',
			buttonUrl2: 'http://h/a?approved=false',
		};
		expect(linksIn(dingTalkCard)).toEqual([
			{ label: 'Ship it', url: 'http://h/a?approved=true' },
			{ label: 'Hold', url: 'http://h/a?approved=false' },
		]);
		// An image is not a button.
		expect(
			linksIn({
				msgtype: 'link',
				link: { title: 'Docs', messageUrl: 'http://h/docs', picUrl: 'http://h/p.png' },
			}),
		).toEqual([{ label: 'Docs', url: 'http://h/docs' }]);
		const page = await (await fetch(`${fake.url}/`)).text();
		expect(page).toContain('<h1>DingTalk + Feishu sandbox</h1>');
	});
});
