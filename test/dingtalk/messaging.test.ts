/**
 * DingTalk messaging through n8n's engine against the doc-strict fake: the group custom robot (body
 * formats, signing, keywords, msgUuid, 20 a minute per robot), the app robot (msgKey templates with
 * msgParam as a JSON string, chunks of 20, flow control, recall, read status), work notifications
 * (bodies, delivery results, silent non-delivery), media uploads from binary data, and Send and Wait.
 */
import type { IDataObject } from 'n8n-workflow';

import { customRobotSign } from '../../nodes/DingTalk/resources/messaging/customRobot';
import { pacingClock } from '../../nodes/shared/pacing';
import { robotMessageItem } from '../../nodes/DingTalkTrigger/events';
import { robotFilePayload } from '../fake-api/dingtalk-events';
import { AGENT_ID, CUSTOM_ROBOTS, OUTSIDE_USER, ROBOT_GROUP } from '../fake-api/dingtalk-im';
import { APPS } from '../fake-api/server';
import { ding, freshFake, useFakeApi } from '../helpers';
import { binaryItem, PDF, PNG } from '../fixtures';

const env = useFakeApi();
const robot = (operation: string, rest: IDataObject = {}) =>
	ding('customRobot', operation, { authentication: 'customRobot', ...rest });
const posts = () => env.fake.dim.robotPosts;
const robotCalls = () => env.fake.calls('dingtalk.customRobot.send');
const param = (call: { body: unknown }) =>
	JSON.parse(String((call.body as IDataObject).msgParam)) as IDataObject;
const REAL_USERS = ['manager4220', 'staff0002', 'staff0003'];

describe('custom robot: the documented body formats', () => {
	it('text with mentions: msgtype, text.content, at, a derived msgUuid; no app token anywhere', async () => {
		const r = await env.bench.run(
			robot('send', {
				messageType: 'text',
				text: 'Build passed',
				atMobiles: '13800000001',
				atUserIds: 'manager4220, staff0002',
				atAll: true,
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = robotCalls();
		expect(call.query).toEqual({ access_token: 'robot0001plain' });
		expect(call.headers['x-acs-dingtalk-access-token']).toBeUndefined();
		expect(call.body).toEqual({
			msgtype: 'text',
			text: { content: 'Build passed' },
			at: { atMobiles: ['13800000001'], atUserIds: ['manager4220', 'staff0002'], isAtAll: true },
			msgUuid: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(r.json[0]).toEqual({
			sent: true,
			msgtype: 'text',
			msgUuid: (call.body as IDataObject).msgUuid,
		});
		expect(env.fake.calls('dingtalk.token')).toEqual([]);
	});

	it('markdown and action cards get "@who" in the text for each mention; one button is the whole-card jump, several are btns', async () => {
		await env.bench.run(
			robot('send', {
				messageType: 'markdown',
				title: 'Alert',
				text: '## CPU high',
				atMobiles: '13800000001',
			}),
		);
		await env.bench.run(
			robot('send', {
				messageType: 'actionCard',
				title: 'Deploy',
				text: 'Ship?',
				buttons: { button: [{ title: 'Open', url: 'https://example.com/d' }] },
			}),
		);
		await env.bench.run(
			robot('send', {
				messageType: 'actionCard',
				title: 'Deploy',
				text: 'Ship? @staff0002',
				atUserIds: 'staff0002',
				buttonOrientation: 'horizontal',
				buttons: {
					button: [
						{ title: 'Yes', url: 'https://example.com/y' },
						{ title: 'No', url: 'https://example.com/n' },
					],
				},
			}),
		);
		const bodies = posts().map((p) => p.body);
		expect(bodies[0]).toMatchObject({
			msgtype: 'markdown',
			markdown: { title: 'Alert', text: '## CPU high\n\n@13800000001' },
			at: { atMobiles: ['13800000001'] },
		});
		expect(bodies[1].actionCard).toEqual({
			title: 'Deploy',
			text: 'Ship?',
			singleTitle: 'Open',
			singleURL: 'https://example.com/d',
		});
		expect(bodies[2].actionCard).toEqual({
			title: 'Deploy',
			text: 'Ship? @staff0002',
			btnOrientation: '1',
			btns: [
				{ title: 'Yes', actionURL: 'https://example.com/y' },
				{ title: 'No', actionURL: 'https://example.com/n' },
			],
		});
	});

	it('link, feed card, and Custom JSON given as an object or as JSON text', async () => {
		await env.bench.run(
			robot('send', {
				messageType: 'link',
				title: 'Report',
				text: 'Weekly',
				messageUrl: 'https://example.com/r',
			}),
		);
		await env.bench.run(
			robot('send', {
				messageType: 'feedCard',
				feedLinks: {
					link: [
						{
							title: 'A',
							messageUrl: 'https://example.com/a',
							picUrl: 'https://example.com/a.png',
						},
					],
				},
			}),
		);
		const body = { msgtype: 'text', text: { content: 'from JSON' } };
		await env.bench.run({
			...robot('send', { messageType: 'json', messageJson: '={{ $json.body }}' }),
			items: [{ body }, { body: JSON.stringify(body) }],
		});
		const bodies = posts().map((p) => p.body);
		expect(bodies[0].link).toEqual({
			title: 'Report',
			text: 'Weekly',
			messageUrl: 'https://example.com/r',
		});
		expect(bodies[1].feedCard).toEqual({
			links: [
				{ title: 'A', messageURL: 'https://example.com/a', picURL: 'https://example.com/a.png' },
			],
		});
		expect(bodies.slice(2).map((b) => b.text)).toEqual([
			{ content: 'from JSON' },
			{ content: 'from JSON' },
		]);
	});

	it('signing: timestamp in ms and the documented HMAC-SHA256 sign, URL-encoded exactly once; the fake verifies it', async () => {
		for (let i = 0; i < 4; i++) {
			const r = await env.bench.run({
				...robot('send', { messageType: 'text', text: `signed ${i}` }),
				credentialId: 'robotSigned',
			});
			expect(r.error).toBeUndefined();
		}
		for (const call of robotCalls()) {
			const timestamp = Number(call.query.timestamp);
			expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
			const sign = customRobotSign(CUSTOM_ROBOTS.robot0002signed.secret!, timestamp);
			expect(call.query.sign).toBe(sign);
			// In the raw URL: percent-encoded once (+, / and = never appear bare, nor as %25xx).
			const raw = /[?&]sign=([^&]*)/.exec(call.url)![1];
			expect(raw).toBe(encodeURIComponent(sign));
		}
		expect(posts()).toHaveLength(4);
	});

	it('security failures surface with the documented meaning: a wrong secret, a missing keyword; no secret in the error', async () => {
		env.bench.store.set('robotWrong', 'dingTalkRobotApi', {
			webhookUrl: `${env.fake.url}/robot/send?access_token=robot0002signed`,
			signingSecret: 'SECnot-the-secret-123',
		});
		const wrong = await env.bench.run({
			...robot('send', { messageType: 'text', text: 'x' }),
			credentialId: 'robotWrong',
		});
		expect(wrong.error?.message).toMatch(/310000.*sign not match/);
		expect(wrong.error?.description).toMatch(/Signing Secret/);
		expect(JSON.stringify(wrong.run.data.resultData)).not.toMatch(
			/robot0002signed|SECnot-the-secret-123/,
		);
		const keyword = await env.bench.run({
			...robot('send', { messageType: 'text', text: 'no key word here' }),
			credentialId: 'robotKeyword',
		});
		expect(keyword.error?.message).toMatch(/310000.*keywords not in content/);
		expect(keyword.error?.description).toMatch(/keywords/);
		const withKeyword = await env.bench.run({
			...robot('send', { messageType: 'text', text: 'n8n says hi' }),
			credentialId: 'robotKeyword',
		});
		expect(withKeyword.error).toBeUndefined();
	});

	it('a removed robot (unknown access_token): 400101 with its meaning, the token scrubbed', async () => {
		env.bench.store.set('robotGone', 'dingTalkRobotApi', {
			webhookUrl: `${env.fake.url}/robot/send?access_token=deadbeefdeadbeef`,
		});
		const r = await env.bench.run({
			...robot('send', { messageType: 'text', text: 'x' }),
			credentialId: 'robotGone',
		});
		expect(r.error?.message).toMatch(/400101/);
		expect(r.error?.description).toMatch(/Webhook URL is wrong|removed/);
		expect(JSON.stringify(r.run.data.resultData)).not.toContain('deadbeefdeadbeef');
	});

	it('a lost answer is sent again with the same msgUuid, and the group gets the message once', async () => {
		env.fake.faults.loseAnswers['dingtalk.customRobot.send'] = 1;
		const r = await env.bench.run(robot('send', { messageType: 'text', text: 'once' }));
		expect(r.error).toBeUndefined();
		const calls = robotCalls();
		expect(calls).toHaveLength(2);
		expect((calls[1].body as IDataObject).msgUuid).toBe((calls[0].body as IDataObject).msgUuid);
		expect(posts()).toHaveLength(1);
	});

	it('"too fast" from DingTalk (another sender used the robot): 410100 with its meaning, not retried', async () => {
		env.fake.script('dingtalk.customRobot.send', {
			status: 200,
			body: { errcode: 410100, errmsg: 'send too fast, exceed 20 times per minute' },
		});
		const r = await env.bench.run(robot('send', { messageType: 'text', text: 'x' }));
		expect(r.error?.message).toMatch(/410100/);
		expect(r.error?.description).toMatch(/20 messages a minute.*10 minutes/);
		expect(robotCalls()).toHaveLength(1);
	});

	it('bad input, before any request: malformed JSON, JSON without msgtype, over 50 mentions, an action card without buttons', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ messageType: 'json', messageJson: '={{ "{not json" }}' },
				/Invalid "Message Body" \(messageJson\) in item 0: is not valid JSON/,
			],
			[
				{ messageType: 'json', messageJson: '={{ $json.noType }}' },
				/messageJson.*must have a "msgtype"/,
			],
			[
				{
					messageType: 'text',
					text: 'x',
					atMobiles: `={{ Array.from({length: 51}, (_, i) => "1380000" + String(i).padStart(4, "0")).join(",") }}`,
				},
				/at most 50 people/,
			],
			[
				{ messageType: 'actionCard', title: 't', text: 'x' },
				/\(buttons\) in item 0: an action card needs at least one button/,
			],
		];
		for (const [parameters, message] of cases) {
			const r = await env.bench.run({
				...robot('send', parameters),
				items: [{ noType: { text: { content: 'x' } } }],
			});
			expect(r.error?.message).toMatch(message);
		}
		expect(env.fake.requests).toEqual([]);
	});

	it("the credential test checks the URL's documented form and the SEC prefix, and sends nothing", async () => {
		const { testCustomRobot } =
			await import('../../nodes/DingTalk/resources/messaging/customRobot');
		const test = async (data: IDataObject) =>
			await testCustomRobot.call({} as never, {
				id: 'c',
				name: 'c',
				type: 'dingTalkRobotApi',
				data: data as never,
			});
		expect(
			(await test({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc123' }))
				.status,
		).toBe('OK');
		expect(await test({ webhookUrl: 'https://example.com/hook' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/must have the form/),
		});
		expect(
			await test({
				webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc123',
				signingSecret: 'xyz',
			}),
		).toMatchObject({ status: 'Error', message: expect.stringMatching(/SEC/) });
		expect(env.fake.requests).toEqual([]);
	});
});

describe('custom robot pacing: 20 a minute per robot, across concurrent executions', () => {
	afterEach(() => {
		pacingClock.scale = 1;
	});

	it('45 messages from 3 concurrent executions: never more than 20 in a (scaled) minute, no "too fast", each sent once', async () => {
		const fresh = await freshFake();
		try {
			// A minute is 3 s; the node's margin (2% + 50 ms) then exceeds a cold first request's extra delay.
			const scale = 0.05;
			pacingClock.scale = scale;
			fresh.fake.faults.timeScale = scale;
			const run = (from: number) =>
				fresh.bench.run({
					...robot('send', {
						messageType: 'text',
						text: '={{ "m" + $json.i }}',
						options: { concurrency: 5 },
					}),
					items: Array.from({ length: 15 }, (_, i) => ({ i: from + i })),
				});
			const results = await Promise.all([run(0), run(15), run(30)]);
			for (const r of results) expect(r.error).toBeUndefined();
			expect(fresh.fake.dim.robotTooFast).toEqual({});
			const texts = fresh.fake.dim.robotPosts
				.map((p) => String((p.body.text as IDataObject).content))
				.sort();
			expect(texts).toEqual(Array.from({ length: 45 }, (_, i) => `m${i}`).sort());
			const times = fresh.fake.dim.robotPosts.map((p) => p.sentAt).sort((a, b) => a - b);
			for (let i = 20; i < times.length; i++)
				expect(times[i] - times[i - 20]).toBeGreaterThanOrEqual(60_000 * scale);
			// Close to the limit: the third window starts about two (stretched) minutes after the first.
			expect(times[40] - times[0]).toBeLessThan(2 * 60_000 * scale * 1.15 + 500);
		} finally {
			await fresh.close();
		}
	});
});

describe('custom robot: the limits hold whatever the options say', () => {
	afterEach(() => {
		pacingClock.scale = 1;
	});

	it('Max Requests per Second cannot lift the 20 a minute: 25 messages at "1000 a second" still wait for the window', async () => {
		const fresh = await freshFake();
		try {
			const scale = 0.05;
			pacingClock.scale = scale;
			fresh.fake.faults.timeScale = scale;
			const started = Date.now();
			const r = await fresh.bench.run({
				...robot('send', {
					messageType: 'text',
					text: '={{ "m" + $json.i }}',
					options: { requestsPerSecond: 1000, concurrency: 10 },
				}),
				items: Array.from({ length: 25 }, (_, i) => ({ i })),
			});
			// The 21st message waited for the (scaled) minute.
			expect(Date.now() - started).toBeGreaterThanOrEqual(60_000 * scale);
			expect(r.error).toBeUndefined();
			expect(fresh.fake.dim.robotTooFast).toEqual({});
			expect(fresh.fake.dim.robotPosts).toHaveLength(25);
		} finally {
			await fresh.close();
		}
	});

	it('an Idempotency Key typed in once gets the item index with several items, so DingTalk drops none of them', async () => {
		const r = await env.bench.run({
			...robot('send', {
				messageType: 'text',
				text: '={{ "n" + $json.i }}',
				options: { msgUuid: 'my-key' },
			}),
			items: [{ i: 1 }, { i: 2 }],
		});
		expect(r.json.map((j) => j.msgUuid)).toEqual(['my-key-0', 'my-key-1']);
		expect(posts()).toHaveLength(2);
		await env.bench.run(
			robot('send', { messageType: 'text', text: 'single', options: { msgUuid: 'my-key' } }),
		);
		expect((robotCalls()[2].body as IDataObject).msgUuid).toBe('my-key');
	});
});

describe('app robot: one-on-one and group messages', () => {
	it('text to 45 users: calls of 20, 20 and 5, robotCode = the app key, msgParam a JSON string; invalid users reported', async () => {
		const userIds = [...REAL_USERS, ...Array.from({ length: 42 }, (_, i) => `ghost${i}`)];
		const r = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				userIds: userIds.join(','),
				messageType: 'text',
				text: 'Hello',
			}),
		);
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('dingtalk.robot.batchSend');
		expect(calls.map((c) => (c.body as IDataObject).userIds)).toEqual([
			userIds.slice(0, 20),
			userIds.slice(20, 40),
			userIds.slice(40),
		]);
		for (const call of calls) {
			expect(call.body).toMatchObject({
				robotCode: APPS.dingtalk.appKey,
				msgKey: 'sampleText',
				msgParam: JSON.stringify({ content: 'Hello' }),
			});
		}
		expect(r.json[0]).toMatchObject({ sentUserIds: REAL_USERS, flowControlledStaffIdList: [] });
		expect(r.json[0].processQueryKeys).toHaveLength(3);
		expect(r.json[0].invalidStaffIdList).toHaveLength(42);
	});

	it('users left out by flow control are sent again after backing off, and nobody twice', async () => {
		env.fake.dim.flowControlNext = 2;
		const r = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				userIds: REAL_USERS.join(','),
				messageType: 'text',
				text: 'Hi',
			}),
		);
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('dingtalk.robot.batchSend');
		expect(calls.map((c) => (c.body as IDataObject).userIds)).toEqual([
			REAL_USERS,
			REAL_USERS.slice(0, 2),
		]);
		expect([...(r.json[0].sentUserIds as string[])].sort()).toEqual([...REAL_USERS].sort());
		const delivered = [...env.fake.dim.robotMessages.values()].flatMap((m) => m.users);
		expect(delivered.sort()).toEqual([...REAL_USERS].sort());
	});

	it('action cards: 1 button, 3 stacked, 2 side by side map to the documented msgKeys; 6 buttons is bad input', async () => {
		const b = (n: number) => ({
			button: Array.from({ length: n }, (_, i) => ({
				title: `B${i + 1}`,
				url: `https://example.com/${i + 1}`,
			})),
		});
		const send = (buttons: IDataObject, buttonOrientation = 'vertical') =>
			env.bench.run(
				ding('robotMessage', 'sendToUsers', {
					userIds: 'staff0002',
					messageType: 'actionCard',
					title: 'T',
					text: 'X',
					buttons,
					buttonOrientation,
				}),
			);
		await send(b(1));
		await send(b(3));
		await send(b(2), 'horizontal');
		const calls = env.fake.calls('dingtalk.robot.batchSend');
		expect(calls.map((c) => (c.body as IDataObject).msgKey)).toEqual([
			'sampleActionCard',
			'sampleActionCard3',
			'sampleActionCard6',
		]);
		expect(param(calls[0])).toEqual({
			title: 'T',
			text: 'X',
			singleTitle: 'B1',
			singleURL: 'https://example.com/1',
		});
		expect(param(calls[1])).toMatchObject({
			actionTitle3: 'B3',
			actionURL3: 'https://example.com/3',
		});
		expect(param(calls[2])).toEqual({
			title: 'T',
			text: 'X',
			buttonTitle1: 'B1',
			buttonUrl1: 'https://example.com/1',
			buttonTitle2: 'B2',
			buttonUrl2: 'https://example.com/2',
		});
		const six = await send(b(6));
		expect(six.error?.message).toMatch(
			/Invalid "Buttons" \(buttons\) in item 0: at most 5 buttons, got 6/,
		);
		expect(env.fake.calls('dingtalk.robot.batchSend')).toHaveLength(3);
	});

	it('an image from binary data: uploaded (multipart type=image, part "media") and sent by its media_id', async () => {
		const r = await env.bench.run({
			...ding('robotMessage', 'sendToUsers', { userIds: 'staff0002', messageType: 'image' }),
			items: [binaryItem(PNG, 'chart.png', 'image/png')],
		});
		expect(r.error).toBeUndefined();
		const [upload] = env.fake.calls('dingtalk.media.upload');
		expect(upload.body).toMatchObject({
			type: 'image',
			media: { filename: 'chart.png', contentType: 'image/png' },
		});
		const [mediaId] = [...env.fake.dim.media.keys()];
		expect(env.fake.dim.media.get(mediaId)!.bytes.equals(PNG)).toBe(true);
		expect(param(env.fake.calls('dingtalk.robot.batchSend')[0])).toEqual({ photoURL: mediaId });
	});

	it('a file: its name and type from the binary data; an undocumented file type is bad input before any upload', async () => {
		await env.bench.run({
			...ding('robotMessage', 'sendToUsers', { userIds: 'staff0002', messageType: 'file' }),
			items: [binaryItem(PDF, 'report.pdf', 'application/pdf')],
		});
		expect(param(env.fake.calls('dingtalk.robot.batchSend')[0])).toEqual({
			mediaId: expect.stringMatching(/^@lADP/),
			fileName: 'report.pdf',
			fileType: 'pdf',
		});
		env.fake.reset();
		const bad = await env.bench.run({
			...ding('robotMessage', 'sendToUsers', {
				userIds: 'staff0002',
				messageType: 'file',
				fileName: 'notes.txt',
			}),
			items: [binaryItem(PDF, 'notes.txt', 'text/plain')],
		});
		expect(bad.error?.message).toMatch(
			/Invalid "File Name" \(fileName\) in item 0: .*xlsx, pdf, zip, rar, doc, docx.*"txt"/,
		);
		expect(env.fake.requests).toEqual([]);
	});

	it('to a group, then recalled; an unknown group has its documented meaning', async () => {
		const sent = await env.bench.run(
			ding('robotMessage', 'sendToGroup', {
				openConversationId: ROBOT_GROUP,
				messageType: 'markdown',
				title: 'T',
				text: '**x**',
			}),
		);
		expect(sent.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.robot.groupSend')[0].body).toEqual({
			msgParam: JSON.stringify({ title: 'T', text: '**x**' }),
			msgKey: 'sampleMarkdown',
			openConversationId: ROBOT_GROUP,
			robotCode: APPS.dingtalk.appKey,
		});
		const key = String(sent.json[0].processQueryKey);
		const recalled = await env.bench.run(
			ding('robotMessage', 'recall', {
				conversationType: 'group',
				openConversationId: ROBOT_GROUP,
				processQueryKeys: key,
			}),
		);
		expect(recalled.json[0]).toEqual({
			successResult: [key],
			failedResult: {},
			recalled: 1,
			failed: 0,
		});
		expect(env.fake.dim.robotMessages.get(key)!.recalled).toBe(true);
		const unknown = await env.bench.run(
			ding('robotMessage', 'sendToGroup', {
				openConversationId: 'cidUnknown==',
				messageType: 'text',
				text: 'x',
			}),
		);
		expect(unknown.error?.message).toMatch(/invalid\.openConversationId/);
		expect(unknown.error?.description).toMatch(/robot is not in that group/);
	});

	it('one-on-one: read status after a user read it, then recall', async () => {
		const sent = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				userIds: 'staff0002,staff0003',
				messageType: 'text',
				text: 'Read me',
			}),
		);
		const key = String(sent.json[0].processQueryKey);
		env.fake.dim.read(key, 'staff0003');
		const status = await env.bench.run(
			ding('robotMessage', 'getReadStatus', { processQueryKey: key }),
		);
		expect(env.fake.calls('dingtalk.robot.readStatus')[0].query).toEqual({
			robotCode: APPS.dingtalk.appKey,
			processQueryKey: key,
		});
		expect(status.json[0]).toMatchObject({
			sendStatus: 'SUCCESS',
			readUserIds: ['staff0003'],
			unreadUserIds: ['staff0002'],
		});
		const recalled = await env.bench.run(ding('robotMessage', 'recall', { processQueryKeys: key }));
		expect(env.fake.calls('dingtalk.robot.otoRecall')[0].body).toEqual({
			robotCode: APPS.dingtalk.appKey,
			processQueryKeys: [key],
		});
		expect(recalled.json[0]).toMatchObject({ recalled: 1 });
	});

	it('a failure after earlier calls were sent says who already has the message; nobody received it fails the item', async () => {
		const userIds = Array.from({ length: 25 }, (_, i) => (i < 3 ? REAL_USERS[i] : `ghost${i}`));
		env.fake.script(
			'dingtalk.robot.batchSend',
			{
				status: 200,
				body: {
					processQueryKey: 'k1',
					invalidStaffIdList: userIds.slice(3, 20),
					flowControlledStaffIdList: [],
				},
			},
			{
				status: 400,
				body: {
					code: 'bot.forbidden.sendMessage',
					message: '机器人被禁止发送消息',
					requestid: 'r',
				},
			},
		);
		const r = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				userIds: userIds.join(','),
				messageType: 'text',
				text: 'x',
			}),
		);
		expect(r.error?.message).toMatch(/bot\.forbidden\.sendMessage/);
		expect(r.error?.description).toMatch(
			/Already sent before this failure, to 3 users: manager4220, staff0002, staff0003 \(processQueryKey k1\)/,
		);
		const none = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				userIds: 'ghost1,ghost2',
				messageType: 'text',
				text: 'x',
			}),
		);
		expect(none.error?.message).toMatch(
			/no user received the message: invalid user IDs \["ghost1","ghost2"\]/,
		);
	});

	it('msgParam is checked as documented by the fake: a wrong Robot Code has its meaning', async () => {
		const r = await env.bench.run(
			ding('robotMessage', 'sendToUsers', {
				robotCode: 'dingWrongRobot',
				userIds: 'staff0002',
				messageType: 'text',
				text: 'x',
			}),
		);
		expect(r.error?.message).toMatch(/invalidParameter\.robotCode\.notExsit/);
		expect(r.error?.description).toMatch(/No robot has this Robot Code/);
	});
});

describe('app robot: files users send to the robot (Download File)', () => {
	/** A file message as the DingTalk Trigger outputs it, its file kept by the fake under a downloadCode. */
	const fileMessage = (fileName: string, bytes: Buffer, mimeType: string) =>
		robotMessageItem(
			robotFilePayload(fileName, env.fake.dim.receiveFile(fileName, bytes, mimeType)),
		) as IDataObject;
	/** Download Code left at its default, {{ $json.downloadCode }}: the trigger item's. */
	const download = (rest: IDataObject = {}) => ding('robotMessage', 'downloadFile', rest);

	it("the trigger's downloadCode is exchanged for the temporary link as documented, and the link's bytes become binary data with the message's file name", async () => {
		const message = fileMessage('report.pdf', PDF, 'application/pdf');
		expect(message).toMatchObject({
			msgtype: 'file',
			fileName: 'report.pdf',
			downloadCode: expect.stringMatching(/==$/),
		});
		const r = await env.bench.run({ ...download(), items: [message] });
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.robot.messageFileDownload');
		expect(call.body).toEqual({
			downloadCode: message.downloadCode,
			robotCode: APPS.dingtalk.appKey,
		});
		expect(env.fake.calls('dingtalk.robot.messageFile')).toHaveLength(1);
		expect(r.json[0]).toEqual({
			fileName: 'report.pdf',
			mimeType: 'application/pdf',
			size: PDF.length,
		});
		const file = r.items[0].binary!.data;
		expect(Buffer.from(file.data, 'base64')).toEqual(PDF);
		// The temporary link lets anyone read the file while it lasts: it is not in the output.
		expect(JSON.stringify(r.items)).not.toMatch(/oss\/robot|Signature/);
	});

	it("File Name and the output field are the user's; a lost answer is asked again (asking changes nothing), once", async () => {
		const message = fileMessage('photo', PNG, 'image/png');
		env.fake.faults.loseAnswers['dingtalk.robot.messageFileDownload'] = 1;
		const r = await env.bench.run({
			...download({ fileName: 'receipt.png', binaryPropertyName: 'receipt' }),
			items: [message],
		});
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.robot.messageFileDownload')).toHaveLength(2);
		expect(r.items[0].binary!.receipt).toMatchObject({
			fileName: 'receipt.png',
			mimeType: 'image/png',
		});
	});

	it('an unknown or expired code is an API error with its meaning; with Continue On Fail each item keeps its own result; an empty code stops before any request', async () => {
		const good = fileMessage('a.txt', Buffer.from('a'), 'text/plain');
		const r = await env.bench.run({
			...download(),
			items: [good, { downloadCode: 'bm90LWEtY29kZQ==' }, good],
			continueOnFail: true,
		});
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(r.json[0]).toMatchObject({ fileName: 'a.txt', size: 1 });
		expect(String(r.json[1].error)).toMatch(/invalidParameter\.param\.invalid/);
		expect(r.json[2]).toMatchObject({ fileName: 'a.txt', size: 1 });
		const failed = await env.bench.run({
			...download(),
			items: [{ downloadCode: 'bm90LWEtY29kZQ==' }],
		});
		expect(failed.error?.description).toMatch(/expired \(it is temporary/);
		const before = env.fake.calls('dingtalk.robot.messageFileDownload').length;
		const empty = await env.bench.run({ ...download(), items: [{ text: 'no file here' }] });
		expect(empty.error?.message).toMatch(/Download Code.*required/i);
		expect(env.fake.calls('dingtalk.robot.messageFileDownload')).toHaveLength(before);
	});

	it('an expired link fails with what to do and never shows the link', async () => {
		env.fake.script('dingtalk.robot.messageFileDownload', {
			status: 200,
			body: { downloadUrl: `${env.fake.url}/oss/robot/gone?Expires=1&Signature=secret-signature` },
		});
		const r = await env.bench.run({ ...download(), items: [{ downloadCode: 'c29tZS1jb2Rl' }] });
		expect(r.error?.message).toMatch(
			/The download of the message file failed: HTTP 403 \(the link is valid/,
		);
		expect(JSON.stringify(r.error)).not.toMatch(/secret-signature|oss\/robot/);
	});
});

describe('work notifications', () => {
	const work = (rest: IDataObject) =>
		ding('workNotification', 'send', {
			recipientType: 'users',
			userIds: 'staff0002,staff0003',
			messageType: 'text',
			text: 'Payslip ready',
			...rest,
		});

	it('text to users: the documented body (agent_id a number), then the delivery result once final', async () => {
		env.fake.dim.workDelayMs = 700; // the first poll (after 0.5 s) finds it still sending
		const r = await env.bench.run(work({}));
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.work.send');
		expect(call.query).toEqual({ access_token: expect.any(String) });
		expect(call.rawBody).toContain(`"agent_id":${AGENT_ID}`);
		expect(call.body).toEqual({
			agent_id: AGENT_ID,
			userid_list: 'staff0002,staff0003',
			msg: { msgtype: 'text', text: { content: 'Payslip ready' } },
		});
		const polls = env.fake.calls('dingtalk.work.getSendResult');
		expect(polls).toHaveLength(2);
		expect(polls[0].body).toEqual({ agent_id: AGENT_ID, task_id: expect.any(Number) });
		expect(r.json[0]).toEqual({
			taskId: (polls[0].body as IDataObject).task_id,
			delivered: true,
			final: true,
			invalidUserIds: [],
			forbiddenUserIds: [],
			failedUserIds: [],
			readUserIds: [],
			unreadUserIds: ['staff0002', 'staff0003'],
			invalidDeptIds: [],
			forbidden: [],
		});
	});

	it('the same content to the same user again the same day: accepted, delivered to no one, so the item fails with the reason', async () => {
		await env.bench.run(work({}));
		const again = await env.bench.run(work({}));
		expect(again.error?.message).toMatch(/reached no one/);
		expect(again.error?.description).toMatch(
			/staff0002: the same content was already sent to this user today \(code 143106\)/,
		);
		const reported = await env.bench.run(work({ options: { failWhenUndelivered: false } }));
		expect(reported.error).toBeUndefined();
		expect(reported.json[0]).toMatchObject({
			delivered: false,
			final: true,
			forbiddenUserIds: ['staff0002', 'staff0003'],
			forbidden: [
				{ userId: 'staff0002', code: '143106' },
				{ userId: 'staff0003', code: '143106' },
			],
		});
	});

	it("a user outside the app's visible range is reported as invalid; with Continue On Fail each item pairs with its input", async () => {
		const r = await env.bench.run({
			...work({ userIds: '={{ $json.to }}', text: '={{ "note " + $json.n }}' }),
			items: [
				{ to: 'staff0002', n: 1 },
				{ to: OUTSIDE_USER, n: 2 },
				{ to: 'staff0003', n: 3 },
			],
			continueOnFail: true,
		});
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(r.json[0]).toMatchObject({ delivered: true });
		expect(r.json[1]).toMatchObject({
			error: expect.stringMatching(/reached no one/),
			description: expect.stringMatching(new RegExp(`visible range: ${OUTSIDE_USER}`)),
		});
		expect(r.json[2]).toMatchObject({ delivered: true });
	});

	it('to departments: progress is polled until done, then the result is read', async () => {
		env.fake.dim.workDelayMs = 700;
		const r = await env.bench.run(work({ recipientType: 'departments', deptIds: '1' }));
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('dingtalk.work.send')[0].body).toMatchObject({ dept_id_list: '1' });
		expect(env.fake.calls('dingtalk.work.getSendProgress')).toHaveLength(2);
		expect(env.fake.calls('dingtalk.work.getSendResult')).toHaveLength(1);
		expect(r.json[0]).toMatchObject({ delivered: true, final: true, unreadUserIds: REAL_USERS });
	});

	it('without Wait for Delivery Result: the task ID only; Get Send Progress, Get Send Result and Recall by task ID', async () => {
		const r = await env.bench.run(work({ waitForDelivery: false }));
		const taskId = r.json[0].taskId as number;
		expect(r.json[0]).toEqual({ taskId });
		expect(env.fake.calls('dingtalk.work.getSendResult')).toEqual([]);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const progress = await env.bench.run(
			ding('workNotification', 'getSendProgress', { taskId: String(taskId) }),
		);
		expect(progress.json[0]).toEqual({
			taskId,
			progressInPercent: 100,
			status: 2,
			statusName: 'done',
		});
		const result = await env.bench.run(
			ding('workNotification', 'getSendResult', { taskId: String(taskId) }),
		);
		expect(result.json[0]).toMatchObject({
			taskId,
			delivered: true,
			unreadUserIds: ['staff0002', 'staff0003'],
		});
		const recall = await env.bench.run(
			ding('workNotification', 'recall', { taskId: String(taskId) }),
		);
		expect(env.fake.calls('dingtalk.work.recall')[0].body).toEqual({
			agent_id: AGENT_ID,
			msg_task_id: taskId,
		});
		expect(recall.json[0]).toEqual({ taskId, recalled: true });
	});

	it('an image from binary data through media upload into the notification', async () => {
		const r = await env.bench.run({
			...work({ messageType: 'image' }),
			items: [binaryItem(PNG, 'chart.png', 'image/png')],
		});
		expect(r.error).toBeUndefined();
		const [mediaId] = [...env.fake.dim.media.keys()];
		expect(env.fake.calls('dingtalk.work.send')[0].body).toMatchObject({
			msg: { msgtype: 'image', image: { media_id: mediaId } },
		});
	});

	it('markdown, action card and OA bodies in the documented snake_case', async () => {
		await env.bench.run(
			work({ messageType: 'markdown', title: 'T', text: '# x', waitForDelivery: false }),
		);
		await env.bench.run(
			work({
				messageType: 'actionCard',
				title: 'T',
				text: 'md',
				buttons: {
					button: [
						{ title: 'A', url: 'https://e.com/a' },
						{ title: 'B', url: 'https://e.com/b' },
					],
				},
				waitForDelivery: false,
			}),
		);
		await env.bench.run(
			work({
				messageType: 'oa',
				messageUrl: 'https://e.com/oa',
				oaTitle: 'Leave',
				oaForm: { row: [{ key: 'Who:', value: 'Han' }] },
				oaOptions: { author: 'HR' },
				waitForDelivery: false,
			}),
		);
		const msgs = env.fake.calls('dingtalk.work.send').map((c) => (c.body as IDataObject).msg);
		expect(msgs[0]).toEqual({ msgtype: 'markdown', markdown: { title: 'T', text: '# x' } });
		expect(msgs[1]).toEqual({
			msgtype: 'action_card',
			action_card: {
				title: 'T',
				markdown: 'md',
				btn_orientation: '0',
				btn_json_list: [
					{ title: 'A', action_url: 'https://e.com/a' },
					{ title: 'B', action_url: 'https://e.com/b' },
				],
			},
		});
		expect(msgs[2]).toEqual({
			msgtype: 'oa',
			oa: {
				message_url: 'https://e.com/oa',
				head: { bgcolor: 'FFBBBBBB', text: '' },
				body: { title: 'Leave', form: [{ key: 'Who:', value: 'Han' }], author: 'HR' },
			},
		});
	});

	it('bad input before any request: msg over 2048 bytes, a voice of 60 s, no AgentId in the credential', async () => {
		const big = await env.bench.run(work({ text: '={{ "x".repeat(2100) }}' }));
		expect(big.error?.message).toMatch(
			/in item 0: the message \(msg\) is \d+ bytes as JSON; a work notification can be at most 2048/,
		);
		const voice = await env.bench.run(
			work({
				messageType: 'voice',
				mediaSource: 'mediaId',
				mediaId: '@lADPvoice',
				durationSeconds: 60,
			}),
		);
		expect(voice.error?.message).toMatch(/durationSeconds.*under 60/);
		env.bench.store.set('noAgent', 'dingTalkApi', {
			...APPS.dingtalk,
			region: 'custom',
			baseUrl: env.fake.url,
			legacyBaseUrl: env.fake.url,
		});
		const noAgent = await env.bench.run({ ...work({}), credentialId: 'noAgent' });
		expect(noAgent.error?.message).toMatch(
			/Invalid "AgentId" \(agentId\) of the DingTalk credential, for item 0: it is empty/,
		);
		expect(env.fake.requests.filter((r) => r.key !== 'dingtalk.token')).toEqual([]);
	});

	it('a send whose answer is lost is not sent again: the error says the outcome is unknown', async () => {
		env.fake.faults.loseAnswers['dingtalk.work.send'] = 1;
		const r = await env.bench.run(work({}));
		expect(r.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('dingtalk.work.send')).toHaveLength(1);
	});

	it('more than 100 users go out as tasks of 100; the results are merged', async () => {
		const userIds = [...REAL_USERS, ...Array.from({ length: 120 }, (_, i) => `ghost${i}`)];
		const r = await env.bench.run(work({ userIds: userIds.join(',') }));
		expect(r.error).toBeUndefined();
		expect(
			env.fake
				.calls('dingtalk.work.send')
				.map((c) => String((c.body as IDataObject).userid_list).split(',').length),
		).toEqual([100, 23]);
		expect(r.json[0].taskIds).toHaveLength(2);
		expect(r.json[0]).toMatchObject({ delivered: true, final: true, unreadUserIds: REAL_USERS });
		expect(r.json[0].invalidUserIds).toHaveLength(120);
	});
});

describe('media upload', () => {
	it('outputs { mediaId }; an oversized voice file or a wrong extension is bad input before any request', async () => {
		const r = await env.bench.run({
			...ding('media', 'upload', { mediaType: 'file' }),
			items: [binaryItem(PDF, 'report.pdf', 'application/pdf')],
		});
		expect(r.json[0]).toEqual({ mediaId: expect.stringMatching(/^@lADP/) });
		env.fake.reset();
		const big = await env.bench.run({
			...ding('media', 'upload', { mediaType: 'voice' }),
			items: [binaryItem(Buffer.alloc(2 * 1024 * 1024 + 1), 'long.amr', 'audio/amr')],
		});
		expect(big.error?.message).toMatch(
			/Invalid "Input Binary Field" \(binaryPropertyName\) in item 0: .* 2\.0 MB; a voice file can be at most 2\.0 MB/,
		);
		const ext = await env.bench.run({
			...ding('media', 'upload', { mediaType: 'image' }),
			items: [binaryItem(PDF, 'report.pdf', 'application/pdf')],
		});
		expect(ext.error?.message).toMatch(/jpg, jpeg, gif, png, bmp; "report.pdf" is .pdf/);
		expect(env.fake.requests).toEqual([]);
	});
});

describe('Send and Wait (the card; the resume URL is opened in the end-to-end suite)', () => {
	it('app robot to a user: a 2-button card (sampleActionCard6) opening the signed resume URL; the execution waits', async () => {
		const r = await env.bench.run(
			ding('robotMessage', 'sendAndWait', {
				sendTo: 'users',
				userIds: 'staff0002',
				subject: 'Deploy?',
				message: 'Ship **v2**?',
				approvalOptions: {
					values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Hold' },
				},
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.robot.batchSend');
		expect((call.body as IDataObject).msgKey).toBe('sampleActionCard6');
		const card = param(call);
		expect(card).toMatchObject({
			title: 'Deploy?',
			text: 'Ship **v2**?',
			buttonTitle1: 'Ship it',
			buttonTitle2: 'Hold',
		});
		expect(String(card.buttonUrl1)).toMatch(
			/^http:\/\/localhost\/webhook-waiting\/exec-test-\d+\/subject\?approved=true&signature=/,
		);
		expect(String(card.buttonUrl2)).toMatch(/approved=false/);
		expect(r.run.data.validateSignature).toBe(true);
		expect(r.run.waitTill).toBeDefined();
	});

	it('custom robot: an actionCard with btns; with "System Browser on Desktop" the URLs use the documented dingtalk:// link', async () => {
		const r = await env.bench.run(
			robot('sendAndWait', { message: 'Approve?', options: { linkOpening: 'browser' } }),
		);
		expect(r.error).toBeUndefined();
		const body = posts()[0].body as {
			actionCard: { title: string; btns: Array<{ title: string; actionURL: string }> };
			msgUuid: string;
		};
		expect(body.actionCard.title).toBe('Approval requested');
		expect(body.actionCard.btns).toHaveLength(1);
		const link = body.actionCard.btns[0].actionURL;
		expect(link).toMatch(
			/^dingtalk:\/\/dingtalkclient\/page\/link\?url=http%3A%2F%2Flocalhost%2Fwebhook-waiting%2F.*&pc_slide=false$/,
		);
		expect(decodeURIComponent(/url=([^&]+)/.exec(link)![1])).toMatch(/approved=true&signature=/);
		expect(body.msgUuid).toMatch(/^[0-9a-f]{32}$/);
	});
});
