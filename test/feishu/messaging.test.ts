/**
 * Feishu messaging through n8n's engine against the doc-strict fake: every message type's documented
 * content, uploads from binary data (multipart checked field by field), downloads into binary data,
 * the uuid that keeps a retried send from arriving twice, per-receiver pacing, errors with their
 * documented meanings, chats, and the group custom bot with its signature.
 */
import type { IDataObject } from 'n8n-workflow';

import { customBotSign } from '../../nodes/Feishu/resources/customBot';
import { pacingClock } from '../../nodes/shared/pacing';
import { CARD_TEMPLATE, CUSTOM_BOTS } from '../fake-api/feishu-im';
import type { RecordedRequest } from '../fake-api/server';
import { feishu, freshFake, useFakeApi } from '../helpers';
import { binaryItem, PDF, PNG } from '../fixtures';

const env = useFakeApi();
const CHAT = 'oc_sandbox_general';
const send = (rest: IDataObject) =>
	feishu('message', 'send', { receiveIdType: 'chat_id', receiveId: CHAT, ...rest });
const sends = () => env.fake.calls('feishu.message.send');
const contentOf = (call: RecordedRequest) =>
	JSON.parse(String((call.body as IDataObject).content)) as IDataObject;

describe('message content, per type', () => {
	it('text: the documented body, a derived 32-character uuid, and the message record as output', async () => {
		const r = await env.bench.run(send({ messageType: 'text', text: 'Hello\n  world' }));
		expect(r.error).toBeUndefined();
		const [call] = sends();
		expect(call.query).toEqual({ receive_id_type: 'chat_id' });
		expect(call.body).toEqual({
			receive_id: CHAT,
			msg_type: 'text',
			content: JSON.stringify({ text: 'Hello\n  world' }),
			uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(r.json[0]).toMatchObject({
			message_id: expect.stringMatching(/^om_/),
			chat_id: CHAT,
			msg_type: 'text',
			sender: { sender_type: 'app' },
		});
		expect(r.json[0].create_time).toEqual(expect.any(String));
	});

	it('text with mentions: the documented <at> tags, @all included', async () => {
		await env.bench.run(
			send({
				messageType: 'text',
				text: 'Standup',
				mentionUserIds: 'ou_1, ou_2',
				mentionAll: true,
			}),
		);
		expect(contentOf(sends()[0]).text).toBe(
			'<at user_id="ou_1"></at> <at user_id="ou_2"></at> <at user_id="all"></at> Standup',
		);
	});

	it('post from text: a title and one md paragraph; mentions as a first paragraph of at elements', async () => {
		await env.bench.run(
			send({
				messageType: 'post',
				postTitle: 'Release',
				postText: '**v2** is out',
				mentionUserIds: 'ou_3',
			}),
		);
		expect(contentOf(sends()[0])).toEqual({
			zh_cn: {
				title: 'Release',
				content: [[{ tag: 'at', user_id: 'ou_3' }], [{ tag: 'md', text: '**v2** is out' }]],
			},
		});
	});

	it('post from JSON given by an expression as an object or as JSON text', async () => {
		const post = {
			en_us: {
				title: 'Hi',
				content: [
					[
						{ tag: 'text', text: 'one' },
						{ tag: 'a', text: 'link', href: 'https://example.com' },
					],
				],
			},
		};
		await env.bench.run({
			...send({ messageType: 'post', postFormat: 'json', postJson: '={{ $json.post }}' }),
			items: [{ post }, { post: JSON.stringify(post) }],
		});
		expect(sends().map(contentOf)).toEqual([post, post]);
	});

	it('card JSON and card template with version and variables', async () => {
		const card = {
			schema: '2.0',
			body: { elements: [{ tag: 'markdown', content: 'Build **passed**' }] },
		};
		await env.bench.run(send({ messageType: 'interactive', card: JSON.stringify(card) }));
		await env.bench.run({
			...send({ messageType: 'interactive', card: '={{ $json.card }}' }),
			items: [{ card }],
		});
		await env.bench.run(
			send({
				messageType: 'interactive',
				cardSource: 'template',
				templateId: CARD_TEMPLATE,
				templateVersion: '1.0.2',
				templateVariables: '{"name":"Ada"}',
			}),
		);
		const calls = sends();
		expect(calls.map((c) => (c.body as IDataObject).msg_type)).toEqual([
			'interactive',
			'interactive',
			'interactive',
		]);
		expect(contentOf(calls[1])).toEqual(card);
		expect(contentOf(calls[2])).toEqual({
			type: 'template',
			data: {
				template_id: CARD_TEMPLATE,
				template_version_name: '1.0.2',
				template_variable: { name: 'Ada' },
			},
		});
	});

	it('share chat, share user and sticker use their documented keys', async () => {
		await env.bench.run(send({ messageType: 'share_chat', shareChatId: 'oc_sandbox_ops' }));
		await env.bench.run(send({ messageType: 'share_user', shareUserId: 'ou_2' }));
		expect(sends().map(contentOf)).toEqual([{ chat_id: 'oc_sandbox_ops' }, { user_id: 'ou_2' }]);
	});

	it('an image or file by a key the user already has: no upload', async () => {
		const up = await env.bench.run({
			...feishu('image', 'upload', {}),
			items: [binaryItem(PNG, 'a.png', 'image/png')],
		});
		const imageKey = String(up.json[0].imageKey);
		await env.bench.run(send({ messageType: 'image', fileSource: 'key', imageKey }));
		expect(env.fake.calls('feishu.image.upload')).toHaveLength(1);
		expect(contentOf(sends()[0])).toEqual({ image_key: imageKey });
	});
});

describe('bad input: a NodeOperationError naming the field and the item, before any request', () => {
	const cases: Array<[string, IDataObject, IDataObject, RegExp]> = [
		[
			'post JSON that is not JSON',
			{ messageType: 'post', postFormat: 'json', postJson: '={{ $json.v }}' },
			{ v: '{ not json' },
			/"Post \(JSON\)" \(postJson\) in item 0: is not valid JSON/,
		],
		[
			'a card that is not an object',
			{ messageType: 'interactive', card: '={{ $json.v }}' },
			{ v: [1, 2] },
			/"Card \(JSON\)" \(card\) in item 0: must be a JSON object/,
		],
		[
			'a card over 30 KB',
			{ messageType: 'interactive', card: '={{ $json.v }}' },
			{
				v: {
					schema: '2.0',
					body: { elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] },
				},
			},
			/\(card\) in item 0: the interactive content is 31\.\d KB; Feishu accepts at most 30 KB/,
		],
		[
			'a text over 150 KB',
			{ messageType: 'text', text: '={{ $json.v }}' },
			{ v: 'x'.repeat(151 * 1024) },
			/\(text\) in item 0: the text content is 151\.\d KB; Feishu accepts at most 150 KB/,
		],
		[
			'an empty text',
			{ messageType: 'text', text: '={{ $json.v }}' },
			{ v: '   ' },
			/"Text" \(text\) in item 0: is required, but its expression \{\{ \$json\.v \}\} gave an empty value for this item/,
		],
		[
			'a missing binary property',
			{ messageType: 'image' },
			{},
			/"Input Binary Field" \(binaryPropertyName\) in item 0: the input item has no binary property "data"/,
		],
		[
			'a uuid over 50 characters',
			{ messageType: 'text', text: 'x', options: { uuid: '={{ $json.v }}' } },
			{ v: 'u'.repeat(51) },
			/Idempotency Key \(UUID\)" \(options.uuid\) in item 0: at most 50 characters/,
		],
	];
	it.each(cases)('%s', async (_name, parameters, item, message) => {
		const r = await env.bench.run({ ...send(parameters), items: [item] });
		expect(r.error?.name).toBe('NodeOperationError');
		expect(r.error?.message).toMatch(message);
		expect(env.fake.requests.filter((q) => q.key !== 'feishu.token')).toEqual([]);
	});

	it('an empty image is refused before uploading, with the documented limit', async () => {
		const r = await env.bench.run({
			...send({ messageType: 'image' }),
			items: [binaryItem(Buffer.alloc(0), 'empty.png', 'image/png')],
		});
		expect(r.error?.message).toMatch(
			/in item 0: the file in "data" is empty; an image cannot be empty/,
		);
		expect(env.fake.calls('feishu.image.upload')).toEqual([]);
	});

	it('with Continue On Fail, the bad item yields one error item paired to it and the others are sent', async () => {
		const r = await env.bench.run({
			...send({ messageType: 'text', text: '={{ $json.t }}' }),
			items: [{ t: 'a' }, { t: '' }, { t: 'c' }],
			continueOnFail: true,
		});
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(r.json[1].error).toMatch(
			/item 1: is required, but its expression \{\{ \$json\.t \}\} gave an empty value for this item/,
		);
		expect(sends().map((c) => contentOf(c).text)).toEqual(['a', 'c']);
	});
});

describe('files: uploads from binary data and downloads into binary data', () => {
	it('image message from binary: one multipart upload (field names, bytes, content type) and one send per item', async () => {
		const r = await env.bench.run({
			...send({ messageType: 'image' }),
			items: [binaryItem(PNG, 'dot.png', 'image/png'), binaryItem(PNG, 'dot2.png', 'image/png')],
		});
		expect(r.error).toBeUndefined();
		const uploads = env.fake.calls('feishu.image.upload');
		expect(uploads).toHaveLength(2);
		expect(sends()).toHaveLength(2);
		expect(String(uploads[0].headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(uploads[0].body).toMatchObject({
			image_type: 'message',
			image: { filename: 'dot.png', contentType: 'image/png' },
		});
		expect(env.fake.im.uploadList().map((u) => u.size)).toEqual([PNG.length, PNG.length]);
		const keys = env.fake.im.uploadList().map((u) => u.key);
		expect(sends().map(contentOf)).toEqual([{ image_key: keys[0] }, { image_key: keys[1] }]);
	});

	it('file, audio and media messages upload with the documented file_type', async () => {
		await env.bench.run({
			...send({ messageType: 'file' }),
			items: [binaryItem(PDF, 'report.pdf', 'application/pdf')],
		});
		await env.bench.run({
			...send({ messageType: 'audio' }),
			items: [binaryItem(Buffer.from('OggS-opus'), 'voice.opus', 'audio/ogg')],
		});
		await env.bench.run({
			...send({ messageType: 'media', coverImageKey: '' }),
			items: [binaryItem(Buffer.from('mp4-bytes'), 'clip.mp4', 'video/mp4')],
		});
		expect(
			env.fake
				.calls('feishu.file.upload')
				.map((c) => [(c.body as IDataObject).file_type, (c.body as IDataObject).file_name]),
		).toEqual([
			['pdf', 'report.pdf'],
			['opus', 'voice.opus'],
			['mp4', 'clip.mp4'],
		]);
		expect(sends().map((c) => (c.body as IDataObject).msg_type)).toEqual([
			'file',
			'audio',
			'media',
		]);
	});

	it('File › Upload takes a file name and a duration; Image › Upload an image type', async () => {
		const f = await env.bench.run({
			...feishu('file', 'upload', { fileType: 'mp4', fileName: 'demo.mp4', duration: 3000 }),
			items: [binaryItem(Buffer.from('v'), 'x.bin', 'video/mp4')],
		});
		expect(f.json).toEqual([{ fileKey: expect.stringMatching(/^file_v2_/) }]);
		expect(env.fake.calls('feishu.file.upload')[0].body).toMatchObject({
			file_type: 'mp4',
			file_name: 'demo.mp4',
			duration: 3000,
		});
		const i = await env.bench.run({
			...feishu('image', 'upload', { imageType: 'avatar' }),
			items: [binaryItem(PNG, 'me.png', 'image/png')],
		});
		expect(i.json).toEqual([{ imageKey: expect.stringMatching(/^img_v2_/) }]);
		expect(env.fake.calls('feishu.image.upload')[0].body).toMatchObject({ image_type: 'avatar' });
	});

	it('Download Resource: the file as binary data with its name and MIME type, byte for byte', async () => {
		const sent = await env.bench.run({
			...send({ messageType: 'file' }),
			items: [binaryItem(PDF, 'report.pdf', 'application/pdf')],
		});
		const fileKey = String(JSON.parse(String((sent.json[0].body as IDataObject).content)).file_key);
		const r = await env.bench.run(
			feishu('message', 'downloadResource', {
				messageId: sent.json[0].message_id,
				fileKey,
				resourceType: 'file',
				binaryPropertyName: 'report',
			}),
		);
		expect(r.error).toBeUndefined();
		const binary = r.items[0].binary!.report;
		expect(Buffer.from(binary.data, 'base64')).toEqual(PDF);
		expect(binary).toMatchObject({ fileName: 'report.pdf', mimeType: 'application/pdf' });
		expect(env.fake.calls('feishu.message.downloadResource')[0].query).toEqual({ type: 'file' });
	});

	it('Download Resource of a key not in the message: the documented 234003 with its meaning', async () => {
		const sent = await env.bench.run(send({ messageType: 'text', text: 'no files' }));
		const r = await env.bench.run(
			feishu('message', 'downloadResource', {
				messageId: sent.json[0].message_id,
				fileKey: 'img_v2_unknown',
				resourceType: 'image',
			}),
		);
		expect(r.error?.message).toMatch(/Feishu error 234003/);
		expect(r.error?.description).toMatch(/This file is not in this message/);
	});
});

describe('never twice: the uuid', () => {
	it('a send whose first answer is lost is sent again with the same uuid and arrives exactly once', async () => {
		env.fake.faults.loseAnswers = { 'feishu.message.send': 1 };
		const r = await env.bench.run(send({ messageType: 'text', text: 'once' }));
		expect(r.error).toBeUndefined();
		const calls = sends();
		expect(calls).toHaveLength(2);
		expect((calls[0].body as IDataObject).uuid).toBe((calls[1].body as IDataObject).uuid);
		expect(env.fake.im.inChat(CHAT)).toHaveLength(1);
		expect(r.json[0].message_id).toBe(env.fake.im.inChat(CHAT)[0].message_id);
	});

	it('a reply and a forward whose answers are lost arrive once too (uuid in the body, and in the query for forward)', async () => {
		const first = await env.bench.run(send({ messageType: 'text', text: 'root' }));
		env.fake.faults.loseAnswers = { 'feishu.message.reply': 1, 'feishu.message.forward': 1 };
		const id = first.json[0].message_id;
		await env.bench.run(
			feishu('message', 'reply', { messageId: id, messageType: 'text', text: 're' }),
		);
		await env.bench.run(
			feishu('message', 'forward', {
				messageId: id,
				receiveIdType: 'chat_id',
				receiveId: 'oc_sandbox_ops',
			}),
		);
		expect(env.fake.calls('feishu.message.reply')).toHaveLength(2);
		expect(env.fake.calls('feishu.message.forward')[0].query.uuid).toMatch(/^[0-9a-f]{32}$/);
		expect(env.fake.im.inChat(CHAT)).toHaveLength(2);
		expect(env.fake.im.inChat('oc_sandbox_ops')).toHaveLength(1);
	});

	it('each item and each new execution gets its own uuid; a given uuid is used as is', async () => {
		await env.bench.run({ ...send({ messageType: 'text', text: 'x' }), items: [{}, {}] });
		await env.bench.run({ ...send({ messageType: 'text', text: 'x' }), items: [{}] });
		await env.bench.run(send({ messageType: 'text', text: 'x', options: { uuid: 'my-key-1' } }));
		const uuids = sends().map((c) => (c.body as IDataObject).uuid);
		expect(new Set(uuids.slice(0, 3)).size).toBe(3);
		expect(uuids[3]).toBe('my-key-1');
		expect(env.fake.im.inChat(CHAT)).toHaveLength(4);
	});

	it('a chat create whose answer is lost creates one chat (uuid in the query)', async () => {
		env.fake.faults.loseAnswers = { 'feishu.chat.create': 1 };
		const before = env.fake.im.chats.size;
		const r = await env.bench.run(
			feishu('chat', 'create', { additionalFields: { name: 'Launch' } }),
		);
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.chat.create')).toHaveLength(2);
		expect(env.fake.im.chats.size).toBe(before + 1);
	});

	it('a custom bot send carries no idempotency key: a lost answer fails with an unknown outcome and is not retried', async () => {
		env.fake.faults.loseAnswers = { 'feishu.customBot.send': 1 };
		const r = await env.bench.run(
			feishu('customBot', 'send', { authentication: 'customBot', messageType: 'text', text: 'hi' }),
		);
		expect(r.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('feishu.customBot.send')).toHaveLength(1);
		expect(`${r.error?.message} ${r.error?.description}`).not.toContain('sandbox-hook-0001');
	});
});

describe('the other message operations', () => {
	const sendOne = async (rest: IDataObject = { messageType: 'text', text: 'root' }) =>
		String((await env.bench.run(send(rest))).json[0].message_id);

	it('reply in a thread: the documented body; the output is the new message', async () => {
		const id = await sendOne();
		const r = await env.bench.run(
			feishu('message', 'reply', {
				messageId: id,
				replyInThread: true,
				messageType: 'text',
				text: 'in thread',
			}),
		);
		const [call] = env.fake.calls('feishu.message.reply');
		expect(call.path).toBe(`/open-apis/im/v1/messages/${id}/reply`);
		expect(call.body).toEqual({
			msg_type: 'text',
			content: '{"text":"in thread"}',
			reply_in_thread: true,
			uuid: expect.any(String),
		});
		expect(r.json[0]).toMatchObject({ parent_id: id, root_id: id, thread_id: expect.any(String) });
	});

	it('update card, edit, get, delete (recall) and reactions', async () => {
		const card = await sendOne({
			messageType: 'interactive',
			card: '{"schema":"2.0","body":{"elements":[]}}',
		});
		const u = await env.bench.run(
			feishu('message', 'updateCard', {
				messageId: card,
				card: '{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"done"}]}}',
			}),
		);
		expect(u.json).toEqual([{ messageId: card, updated: true }]);
		expect(env.fake.calls('feishu.message.updateCard')[0]).toMatchObject({
			method: 'PATCH',
			body: { content: expect.stringContaining('done') },
		});

		const text = await sendOne();
		const e = await env.bench.run(
			feishu('message', 'edit', { messageId: text, messageType: 'text', text: 'edited' }),
		);
		expect(env.fake.calls('feishu.message.edit')[0].body).toEqual({
			msg_type: 'text',
			content: '{"text":"edited"}',
		});
		expect(e.json[0]).toMatchObject({ message_id: text, updated: true });

		const g = await env.bench.run(feishu('message', 'get', { messageId: text }));
		expect(g.json[0]).toMatchObject({ message_id: text, body: { content: '{"text":"edited"}' } });

		const a = await env.bench.run(
			feishu('message', 'addReaction', { messageId: text, emojiType: 'THUMBSUP' }),
		);
		expect(env.fake.calls('feishu.message.addReaction')[0].body).toEqual({
			reaction_type: { emoji_type: 'THUMBSUP' },
		});
		const rm = await env.bench.run(
			feishu('message', 'removeReaction', { messageId: text, reactionId: a.json[0].reaction_id }),
		);
		expect(rm.json[0]).toMatchObject({
			reaction_id: a.json[0].reaction_id,
			reaction_type: { emoji_type: 'THUMBSUP' },
		});

		const d = await env.bench.run(feishu('message', 'delete', { messageId: text }));
		expect(d.json).toEqual([{ messageId: text, deleted: true }]);
		const again = await env.bench.run(
			feishu('message', 'reply', { messageId: text, messageType: 'text', text: 'late' }),
		);
		expect(again.error?.message).toMatch(/Feishu error 230011/);
		expect(again.error?.description).toMatch(/The message was recalled/);
	});

	it("get many: a chat's history with time filters in seconds, newest first, across pages with Return All", async () => {
		for (let i = 0; i < 120; i++) env.fake.im.messages.set(`om_seed${i}`, { ...seedMessage(i) });
		const start = new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toISOString();
		// End Time as seconds: 2026-01-01T00:01:40Z.
		const r = await env.bench.run(
			feishu('message', 'getAll', {
				chatId: 'oc_sandbox_ops',
				startTime: start,
				endTime: 1767225700,
				sortType: 'ByCreateTimeDesc',
				returnAll: true,
			}),
		);
		const calls = env.fake.calls('feishu.message.getAll');
		expect(calls[0].query).toEqual({
			container_id_type: 'chat',
			container_id: 'oc_sandbox_ops',
			sort_type: 'ByCreateTimeDesc',
			page_size: '50',
			start_time: '1767225610',
			end_time: '1767225700',
		});
		expect(calls).toHaveLength(2);
		expect(calls[1].query.page_token).toBe('pt-50');
		expect(r.json.map((m) => m.message_id)).toEqual(
			Array.from({ length: 91 }, (_, i) => `om_seed${100 - i}`),
		);
		const limited = await env.bench.run(
			feishu('message', 'getAll', { chatId: 'oc_sandbox_ops', limit: 3 }),
		);
		expect(limited.json).toHaveLength(3);
		expect(env.fake.calls('feishu.message.getAll')[2].query.page_size).toBe('3');
	});
});

/** A message in oc_sandbox_ops sent at 2026-01-01T00:00:00Z + i seconds. */
function seedMessage(i: number) {
	const time = String(Date.UTC(2026, 0, 1) + i * 1000);
	return {
		message_id: `om_seed${i}`,
		msg_type: 'text',
		create_time: time,
		update_time: time,
		deleted: false,
		updated: false,
		chat_id: 'oc_sandbox_ops',
		sender: { id: 'cli_test_app', id_type: 'app_id', sender_type: 'app', tenant_key: 't' },
		body: { content: `{"text":"${i}"}` },
		edits: 0,
		reactions: new Map<string, string>(),
	};
}

describe('documented errors with their meanings', () => {
	it('the bot is not in the chat', async () => {
		const r = await env.bench.run(
			send({ receiveId: 'oc_without_bot', messageType: 'text', text: 'hi' }),
		);
		expect(r.error?.message).toMatch(/^Feishu error 230002/);
		expect(r.error?.description).toMatch(/Add the bot to the group first/);
		expect(r.error?.httpCode).toBe('400');
	});

	it('a user outside the availability range', async () => {
		const r = await env.bench.run(
			send({ receiveIdType: 'open_id', receiveId: 'ou_unknown', messageType: 'text', text: 'hi' }),
		);
		expect(r.error?.description).toMatch(/outside the app's availability range/);
	});

	it("a card template that does not exist: 230099 with the sub-code's meaning", async () => {
		const r = await env.bench.run(
			send({ messageType: 'interactive', cardSource: 'template', templateId: 'AAqkNope' }),
		);
		expect(r.error?.message).toMatch(/Feishu error 230099\/200380/);
		expect(r.error?.description).toMatch(/template does not exist or is not published/);
	});

	it('a file the bot did not upload', async () => {
		const r = await env.bench.run(
			send({ messageType: 'file', fileSource: 'key', fileKey: 'file_v2_not_mine' }),
		);
		expect(r.error?.description).toMatch(/can only send keys it uploaded/);
	});
});

describe('chats', () => {
	it('create with users, get, update, members, search, list and dissolve', async () => {
		const c = await env.bench.run(
			feishu('chat', 'create', {
				userIds: 'ou_1,ou_2',
				additionalFields: { name: 'Launch room', description: 'Go/no-go' },
			}),
		);
		const chatId = String(c.json[0].chat_id);
		const [create] = env.fake.calls('feishu.chat.create');
		expect(create.query).toEqual({
			user_id_type: 'open_id',
			uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(create.body).toEqual({
			name: 'Launch room',
			description: 'Go/no-go',
			user_id_list: ['ou_1', 'ou_2'],
		});

		const g = await env.bench.run(feishu('chat', 'get', { chatId }));
		expect(g.json[0]).toMatchObject({ chat_id: chatId, name: 'Launch room', user_count: '2' });

		const u = await env.bench.run(
			feishu('chat', 'update', { chatId, updateFields: { name: 'Launch room (T-1)' } }),
		);
		expect(u.json[0]).toMatchObject({ chat_id: chatId, name: 'Launch room (T-1)', updated: true });

		const add = await env.bench.run(
			feishu('chat', 'addMembers', { chatId, memberIds: 'ou_3, ou_nobody' }),
		);
		expect(env.fake.calls('feishu.chat.addMembers')[0]).toMatchObject({
			query: { member_id_type: 'open_id', succeed_type: '1' },
			body: { id_list: ['ou_3', 'ou_nobody'] },
		});
		expect(add.json[0].invalid_id_list).toEqual(['ou_nobody']);

		const members = await env.bench.run(feishu('chat', 'getMembers', { chatId, returnAll: true }));
		expect(members.json.map((m) => m.member_id).sort()).toEqual(['ou_1', 'ou_2', 'ou_3']);

		await env.bench.run(feishu('chat', 'removeMembers', { chatId, memberIds: 'ou_3' }));
		expect(env.fake.calls('feishu.chat.removeMembers')[0]).toMatchObject({
			method: 'DELETE',
			body: { id_list: ['ou_3'] },
		});

		const s = await env.bench.run(feishu('chat', 'search', { query: 'launch', returnAll: true }));
		expect(s.json.map((x) => x.chat_id)).toEqual([chatId]);

		const all = await env.bench.run(feishu('chat', 'getAll', { returnAll: true }));
		expect(all.json.map((x) => x.chat_id)).toContain(chatId);
		expect(all.json.map((x) => x.chat_id)).not.toContain('oc_without_bot');

		const d = await env.bench.run(feishu('chat', 'delete', { chatId }));
		expect(d.json).toEqual([{ chat_id: chatId, deleted: true }]);
		const gone = await env.bench.run(feishu('chat', 'get', { chatId }));
		expect(gone.error?.description).toMatch(/chat ID is invalid/);
	});

	it("the chat picker lists the bot's chats and filters by name", async () => {
		const result = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchChats',
			{ resource: 'message', operation: 'getAll' },
			'ops',
		)) as { results: IDataObject[] };
		expect(result.results).toEqual([{ name: 'Ops alerts', value: 'oc_sandbox_ops' }]);
	});

	it('too many members for one item is bad input', async () => {
		const r = await env.bench.run(
			feishu('chat', 'addMembers', {
				chatId: CHAT,
				memberIds: Array.from({ length: 51 }, (_, i) => `ou_${i}`).join(','),
			}),
		);
		expect(r.error?.message).toMatch(
			/"Member IDs" \(memberIds\) in item 0: at most 50 users per item, got 51/,
		);
	});
});

describe('the group custom bot', () => {
	const bot = (rest: IDataObject, credentialId?: string) => ({
		...feishu('customBot', 'send', { authentication: 'customBot', ...rest }),
		...(credentialId ? { credentialId } : {}),
	});

	it('text without a signing secret: the documented body, no token, no sign', async () => {
		const r = await env.bench.run(
			bot({ messageType: 'text', text: 'Deploy done', mentionAll: true }),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.customBot.send');
		expect(call.path).toBe('/open-apis/bot/v2/hook/sandbox-hook-0001');
		expect(call.headers.authorization).toBeUndefined();
		expect(call.body).toEqual({
			msg_type: 'text',
			content: { text: '<at user_id="all"></at> Deploy done' },
		});
		expect(r.json[0]).toMatchObject({ sent: true, msg_type: 'text' });
		expect(env.fake.calls('feishu.token')).toEqual([]);
	});

	it('with a signing secret: timestamp in seconds and the documented HMAC-SHA256 sign, which the fake verifies', async () => {
		const r = await env.bench.run(
			bot({ messageType: 'post', postTitle: 'Report', postText: 'All green' }, 'botSigned'),
		);
		expect(r.error).toBeUndefined();
		const body = env.fake.calls('feishu.customBot.send')[0].body as IDataObject;
		expect(body.timestamp).toMatch(/^\d{10}$/);
		expect(body.sign).toBe(
			customBotSign(CUSTOM_BOTS['signed-hook-0002'].secret!, Number(body.timestamp)),
		);
		expect(body.content).toEqual({
			post: { zh_cn: { title: 'Report', content: [[{ tag: 'text', text: 'All green' }]] } },
		});
		expect(env.fake.im.botPosts).toHaveLength(1);
	});

	it("a wrong signing secret: 19021 with its meaning, and neither the URL's token nor the secret in the error", async () => {
		env.bench.store.set('botWrong', 'feishuCustomBotApi', {
			webhookUrl: `${env.fake.url}/open-apis/bot/v2/hook/signed-hook-0002`,
			signingSecret: 'not-the-secret-123',
		});
		const r = await env.bench.run(bot({ messageType: 'text', text: 'x' }, 'botWrong'));
		expect(r.error?.message).toMatch(/Feishu custom bot error 19021/);
		expect(r.error?.description).toMatch(/check the Signing Secret and the server clock/);
		expect(JSON.stringify(r.run.data.resultData)).not.toMatch(
			/signed-hook-0002|not-the-secret-123/,
		);
	});

	it('cards go in "card", shared chats in share_chat_id, images by key', async () => {
		await env.bench.run(
			bot({ messageType: 'interactive', card: '{"schema":"2.0","body":{"elements":[]}}' }),
		);
		await env.bench.run(bot({ messageType: 'share_chat', shareChatId: CHAT }));
		await env.bench.run(bot({ messageType: 'image', imageKey: 'img_v2_abc' }));
		expect(env.fake.calls('feishu.customBot.send').map((c) => c.body)).toEqual([
			{ msg_type: 'interactive', card: { schema: '2.0', body: { elements: [] } } },
			{ msg_type: 'share_chat', content: { share_chat_id: CHAT } },
			{ msg_type: 'image', content: { image_key: 'img_v2_abc' } },
		]);
	});

	it("the credential test checks the URL's documented form and sends nothing", async () => {
		const { testCustomBot } = await import('../../nodes/Feishu/resources/customBot');
		const good = await testCustomBot.call({} as never, {
			id: 'c',
			name: 'c',
			type: 'feishuCustomBotApi',
			data: { webhookUrl: 'https://open.feishu.cn/open-apis/bot/v2/hook/0b5c-4e8f' },
		});
		const bad = await testCustomBot.call({} as never, {
			id: 'c',
			name: 'c',
			type: 'feishuCustomBotApi',
			data: { webhookUrl: 'https://example.com/hook' },
		});
		expect(good.status).toBe('OK');
		expect(bad).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/must have the form/),
		});
		expect(env.fake.requests).toEqual([]);
	});
});

describe('Send and Wait (the card; the resume URL is opened in the end-to-end suite)', () => {
	it('sends a card with Approve and Decline buttons opening the resume URL, and the execution waits', async () => {
		const r = await env.bench.run(
			feishu('message', 'sendAndWait', {
				receiveIdType: 'chat_id',
				receiveId: CHAT,
				subject: 'Deploy?',
				message: 'Ship **v2**?',
				approvalOptions: {
					values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Hold' },
				},
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
					},
				},
			}),
		);
		expect(r.error).toBeUndefined();
		const card = contentOf(sends()[0]) as {
			header: IDataObject;
			body: { elements: IDataObject[] };
		};
		expect(card.header).toEqual({
			title: { tag: 'plain_text', content: 'Deploy?' },
			template: 'blue',
		});
		const buttons = card.body.elements.filter((e) => e.tag === 'button');
		expect(buttons.map((b) => (b.text as IDataObject).content)).toEqual(['Ship it', 'Hold']);
		const urls = buttons.map((b) => String((b.behaviors as IDataObject[])[0].default_url));
		expect(urls[0]).toMatch(
			/^http:\/\/localhost\/webhook-waiting\/exec-test-\d+\/subject\?approved=true&signature=/,
		);
		expect(urls[1]).toMatch(/approved=false/);
		// n8n 1.x checks the signature of the resume URL only when asked to.
		expect(r.run.data.validateSignature).toBe(true);
		const waitTill = new Date(r.run.waitTill!).getTime();
		expect(waitTill - Date.now()).toBeGreaterThan(1.9 * 3600_000);
		expect(waitTill - Date.now()).toBeLessThan(2.1 * 3600_000);
		// This n8n-core (1.x) gives nodes no custom data: the card is updated once, to buttons whose signed URLs
		// also carry its message ID, for the card update after the answer.
		const [messageRecord] = env.fake.im.inChat(CHAT);
		const patch = env.fake.calls('feishu.message.updateCard');
		expect(patch.map((c) => c.path)).toEqual([
			`/open-apis/im/v1/messages/${messageRecord.message_id}`,
		]);
		const patched = JSON.parse(messageRecord.body.content) as { body: { elements: IDataObject[] } };
		const patchedUrls = patched.body.elements
			.filter((e) => e.tag === 'button')
			.map((b) => new URL(String((b.behaviors as IDataObject[])[0].default_url)));
		expect(
			patchedUrls.map((u) => [
				u.searchParams.get('approved'),
				u.searchParams.get('message'),
				u.searchParams.has('signature'),
			]),
		).toEqual([
			['true', messageRecord.message_id, true],
			['false', messageRecord.message_id, true],
		]);
	});
});

describe('per-receiver pacing', () => {
	afterEach(() => {
		pacingClock.scale = 1;
	});

	it('a batch to one chat stays within 5 a second per chat: no "too fast" answer, every message sent once', async () => {
		const fresh = await freshFake();
		try {
			pacingClock.scale = 0.2;
			Object.assign(fresh.fake.faults, { timeScale: 0.2, documentedLimits: true });
			const r = await fresh.bench.run({
				...feishu('message', 'send', {
					receiveIdType: 'chat_id',
					receiveId: CHAT,
					messageType: 'text',
					text: '={{ "n" + $json.i }}',
					options: { concurrency: 10 },
				}),
				items: Array.from({ length: 16 }, (_, i) => ({ i })),
			});
			expect(r.error).toBeUndefined();
			expect(fresh.fake.tooFastAnswers).toEqual({});
			const texts = fresh.fake.im.inChat(CHAT).map((m) => String(JSON.parse(m.body.content).text));
			expect(texts.sort()).toEqual(Array.from({ length: 16 }, (_, i) => `n${i}`).sort());
			// No span of one (scaled) second held more than 5 of them.
			const times = fresh.fake
				.calls('feishu.message.send')
				.map((c) => c.sentAt)
				.sort((a, b) => a - b);
			for (let i = 5; i < times.length; i++)
				expect(times[i] - times[i - 5]).toBeGreaterThanOrEqual(200);
			expect(fresh.fake.violations).toEqual([]);
		} finally {
			await fresh.close();
		}
	});
});
