/**
 * The sandbox's own routes, beside the platform APIs: its web page (what the nodes sent, with every
 * button a person can click), the message list and counters as JSON, sample events for the triggers,
 * and the reset. They are not part of either platform, so they are not recorded as platform requests.
 *
 *   GET  /                 the web page (also /__fake)
 *   GET  /__fake/messages  what the sandbox received, as JSON
 *   GET  /__fake/stats     request counts, "too fast" answers, spec violations
 *   POST /__fake/events    a sample event to a trigger: {"to": …, "kind"?, "text"?, "chatType"?}
 *   POST /__fake/reset     every sandbox record back to its seed state (optional body: faults to switch on)
 *   GET  /__fake/approvals/decide?platform=feishu|dingtalk&instance=…&decision=approve|reject
 *                          an approver's decision on a pending approval (the page's buttons), and its events
 *                          delivered to the connected trigger (Feishu long connection, DingTalk Stream)
 */
import { callbackDelivery, robotFilePayload, robotMessagePayload } from './dingtalk-events';
import type { IDataObject } from 'n8n-workflow';

import {
	cardActionEvent,
	delivery,
	event2,
	EVENT_SECRETS,
	messageEvent,
	post,
} from './feishu-events';
import type { Answer, FakeApi, Faults } from './server';

/** How long a sample event may take to be acknowledged by the trigger it was sent to. */
const DELIVERY_TIMEOUT_MS = 10_000;

const CONTROL_ROUTES = [
	'GET /',
	'GET /__fake/messages',
	'GET /__fake/stats',
	'POST /__fake/events',
	'POST /__fake/reset',
	'GET /__fake/approvals/decide',
	'POST /__fake/org/grow',
];

/** The answer of a control route, or undefined when the request is for a platform API. */
export async function controlAnswer(
	fake: FakeApi,
	method: string,
	url: URL,
	rawBody: string,
): Promise<Answer | undefined> {
	const path = url.pathname.replace(/\/+$/, '') || '/';
	if (path !== '/' && path !== '/__fake' && !path.startsWith('/__fake/')) return undefined;
	if ((path === '/' || path === '/__fake') && method === 'GET')
		return { status: 200, body: page(fake) };
	if (path === '/__fake/messages' && method === 'GET') return { status: 200, body: messages(fake) };
	if (path === '/__fake/stats' && method === 'GET') return { status: 200, body: stats(fake) };
	if (path === '/__fake/events' && method === 'POST') return await sampleEvent(fake, rawBody);
	if (path === '/__fake/approvals/decide' && method === 'GET')
		return await decideApproval(fake, url);
	if (path === '/__fake/org/grow' && method === 'POST') {
		// A bigger organisation (the benchmark): {"platform":"feishu"|"dingtalk","levels","fanout","users"}.
		const body = parseObject(rawBody);
		if (typeof body === 'string') return badRequest(`The body must be a JSON object: ${body}`);
		const org = body.platform === 'dingtalk' ? fake.orgs.dingtalk : fake.orgs.feishu;
		const made = org.grow({
			levels: Number(body.levels ?? 3),
			fanout: Number(body.fanout ?? 10),
			users: Number(body.users ?? 1000),
		});
		return { status: 200, body: { departments: made.length, users: org.users.size } };
	}
	if (path === '/__fake/reset' && method === 'POST') {
		const faults = parseObject(rawBody);
		if (typeof faults === 'string')
			return badRequest(`The reset's body must be empty or a JSON object of faults: ${faults}`);
		fake.reset();
		Object.assign(fake.faults, faults as Partial<Faults>);
		return { status: 200, body: { ok: true } };
	}
	return {
		status: 404,
		body: {
			code: 'FAKE_NOT_FOUND',
			message: `No sandbox route ${method} ${url.pathname}. The sandbox's own routes: ${CONTROL_ROUTES.join(', ')}.`,
		},
	};
}

const badRequest = (message: string): Answer => ({
	status: 400,
	body: { code: 'FAKE_BAD_REQUEST', message },
});

/** A JSON object from a body (empty: {}), or what is wrong with it. */
function parseObject(rawBody: string): Record<string, unknown> | string {
	if (rawBody.trim() === '') return {};
	try {
		const parsed: unknown = JSON.parse(rawBody);
		return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: 'not a JSON object';
	} catch (error) {
		return `not JSON (${(error as Error).message})`;
	}
}

function stats(fake: FakeApi) {
	const calls: Record<string, number> = {};
	for (const r of fake.requests) calls[r.key] = (calls[r.key] ?? 0) + 1;
	return {
		calls,
		executed: fake.executed,
		tooFast: fake.tooFastAnswers,
		tooFastLog: fake.tooFastLog,
		violations: fake.violations,
		maxInFlight: fake.maxInFlight,
	};
}

/** What the sandbox received: bot messages (with their parsed content), custom bot and robot posts, uploads, records. */
export function messages(fake: FakeApi) {
	return {
		messages: [...fake.im.messages.values()],
		customBot: fake.im.botPosts,
		uploads: fake.im.uploadList(),
		dingtalk: {
			customRobot: fake.dim.robotPosts,
			customRobotTooFast: fake.dim.robotTooFast,
			robotMessages: [...fake.dim.robotMessages.values()].map((m) => ({
				...m,
				readBy: [...m.readBy],
			})),
			workNotifications: [...fake.dim.tasks.values()],
			media: [...fake.dim.media.entries()].map(([mediaId, m]) => ({
				mediaId,
				type: m.type,
				fileName: m.fileName,
				size: m.bytes.length,
			})),
			sessionReplies: fake.dim.sessionReplies,
		},
		bitable: fake.bitable.summary(),
		approvals: {
			feishu: [...fake.approvals.instances.values()].map((i) => ({
				instanceCode: i.instance_code,
				approvalCode: i.approval_code,
				uuid: i.uuid,
				status: i.status,
				form: i.form,
			})),
			dingtalk: [...fake.dingApprovals.instances.values()].map((i) => ({
				instanceId: i.processInstanceId,
				processCode: i.processCode,
				status: i.status,
				result: i.result,
				formComponentValues: i.formComponentValues,
			})),
		},
	};
}

/**
 * An approver's decision, as a person would click it in Feishu or DingTalk: the instance runs through its
 * tasks to the end, and the events it raised go to the trigger that is connected (the Feishu long
 * connection: only for definitions the app subscribed to, as on Feishu; DingTalk's Stream connection).
 */
async function decideApproval(fake: FakeApi, url: URL): Promise<Answer> {
	const platform = url.searchParams.get('platform');
	const instance = url.searchParams.get('instance') ?? '';
	const decision = url.searchParams.get('decision');
	if ((platform !== 'feishu' && platform !== 'dingtalk') || !instance)
		return badRequest(
			'"platform" is "feishu" or "dingtalk", and "instance" is the instance to decide',
		);
	if (decision !== 'approve' && decision !== 'reject')
		return badRequest('"decision" is "approve" or "reject"');
	const deliveries: unknown[] = [];
	try {
		if (platform === 'feishu') {
			const from = fake.approvals.events.length;
			fake.approvals.decide(instance, decision === 'approve' ? 'APPROVED' : 'REJECTED');
			for (const event of fake.approvals.events.slice(from)) {
				const payload = { ...event, token: EVENT_SECRETS.verificationToken };
				deliveries.push(
					fake.ws && fake.ws.clients.size > 0
						? (await fake.ws.send(payload)).response
						: 'no long connection is open',
				);
			}
		} else {
			const from = fake.dingApprovals.events.length;
			fake.dingApprovals.decide(instance, decision === 'approve' ? 'agree' : 'refuse');
			for (const event of fake.dingApprovals.events.slice(from))
				deliveries.push(
					fake.stream && fake.stream.clients.size > 0
						? await fake.stream.event(
								String(event.eventType),
								event.data as Record<string, unknown>,
								String(event.eventId),
							)
						: 'no Stream connection is open',
				);
		}
	} catch (error) {
		return badRequest((error as Error).message);
	}
	return {
		status: 200,
		body: { decided: instance, decision, events: deliveries.length, deliveries },
	};
}

const SAMPLE_TARGETS =
	'"longConnection" (the Feishu Trigger over its long connection), a Feishu Trigger\'s webhook URL, "dingtalkStream" (the DingTalk Trigger in Stream mode) or "dingtalk:<a DingTalk Trigger\'s HTTP callback URL>"';

/**
 * Sends a sample event to a trigger and answers with what the trigger answered (a trigger that is not
 * listening is a 502 that says so). Feishu: a message ("kind": "message", the default, with "text" and
 * "chatType": "p2p" or "group") or a card action ("kind": "card"), encrypted and signed with the sandbox
 * app's Encrypt Key for a webhook URL. DingTalk: a robot message, a file sent to the robot ("kind": "file"),
 * or an approval event ("kind": "event").
 */
async function sampleEvent(fake: FakeApi, rawBody: string): Promise<Answer> {
	const request = parseObject(rawBody);
	if (typeof request === 'string')
		return badRequest(
			`The body must be a JSON object such as {"to":"longConnection","text":"hello"}: ${request}`,
		);
	const to = typeof request.to === 'string' ? request.to : '';
	const kind = typeof request.kind === 'string' ? request.kind : undefined;
	const text =
		typeof request.text === 'string' && request.text.trim() !== ''
			? request.text
			: 'Hello from the sandbox';
	const chatType = request.chatType ?? 'p2p';
	if (chatType !== 'p2p' && chatType !== 'group')
		return badRequest(
			'"chatType" is "p2p" (a one-to-one chat with the bot, the default) or "group" (the sandbox group oc_sandbox_general)',
		);
	const isUrl = (value: string) => /^https?:\/\/[^\s]+$/.test(value);
	let send: () => Promise<unknown>;
	if (to === 'dingtalkStream' || to.startsWith('dingtalk:')) {
		if (kind !== undefined && kind !== 'robot' && kind !== 'event' && kind !== 'file')
			return badRequest(
				'For DingTalk, "kind" is "robot" (a robot message, the default), "file" (a file sent to the robot, named by "text") or "event" (an approval event)',
			);
		const event = {
			processInstanceId: `proc-${Date.now()}`,
			processCode: 'PROC-SANDBOX',
			type: 'finish',
			result: 'agree',
			title: 'Leave request',
			staffId: 'staff0002',
		};
		if (to === 'dingtalkStream') {
			const fileName = /\.[A-Za-z0-9]+$/.test(text) ? text : `${text}.txt`;
			send = async () =>
				kind === 'event'
					? await fake.stream!.event('bpms_instance_change', event)
					: kind === 'file'
						? await fake.stream!.robotMessage(
								robotFilePayload(
									fileName,
									fake.dim.receiveFile(
										fileName,
										Buffer.from(`A file sent to the sandbox robot: ${fileName}\n`),
										'text/plain',
									),
									{ baseUrl: fake.url },
								),
							)
						: await fake.stream!.robotMessage(robotMessagePayload(text, { baseUrl: fake.url }));
		} else {
			const target = to.slice('dingtalk:'.length);
			if (!isUrl(target)) return badRequest(`"to" is ${SAMPLE_TARGETS}; "${to}" is none of them`);
			if (kind !== 'event')
				return badRequest('An HTTP callback gets events only: add "kind":"event"');
			send = async () => {
				const d = callbackDelivery({
					EventType: 'bpms_instance_change',
					EventTime: Date.now(),
					CorpId: 'dingcorp0001',
					eventId: `ev-${Date.now()}`,
					...event,
				});
				const url = new URL(target);
				for (const [k, v] of Object.entries(d.query)) url.searchParams.set(k, v);
				const answer = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: d.body,
				});
				return { status: answer.status };
			};
		}
	} else {
		if (kind !== undefined && kind !== 'message' && kind !== 'card' && kind !== 'userCreated')
			return badRequest(
				'For Feishu, "kind" is "message" (the default), "card" (a card action) or "userCreated" (a new hire in Backend, named by "text")',
			);
		if (to !== 'longConnection' && !isUrl(to))
			return badRequest(
				`"to" is ${SAMPLE_TARGETS}; ${to ? `"${to}" is none of them` : 'it is missing'}`,
			);
		const payload =
			kind === 'card'
				? cardActionEvent({ choice: 'approve' })
				: kind === 'userCreated'
					? hire(fake, typeof request.text === 'string' && request.text.trim() ? text : 'Li Lei')
					: messageEvent(text, { chatType });
		send = async () =>
			to === 'longConnection'
				? await fake.ws!.send(payload).then((ack) => ({ ack: ack.response, data: ack.data }))
				: await post(to, delivery(payload, { encryptKey: EVENT_SECRETS.encryptKey })).then((r) => ({
						status: r.status,
						answer: r.json,
					}));
	}
	const sent = send();
	fake.pendingSamples.push(sent.catch(() => undefined));
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(
			() => reject(new Error(`the trigger did not answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)),
			DELIVERY_TIMEOUT_MS,
		);
	});
	try {
		const answer = await Promise.race([sent, timeout]);
		return {
			status: 200,
			body: {
				delivered: true,
				to,
				kind: kind ?? (to.startsWith('dingtalk') ? 'robot' : 'message'),
				answer,
			},
		};
	} catch (error) {
		const listening =
			to === 'longConnection'
				? ' Is a workflow with a Feishu Trigger in Long Connection mode active (the "Feishu Trigger sandbox tour" is)?'
				: to === 'dingtalkStream'
					? ' Is a workflow with a DingTalk Trigger in Stream mode active (the "DingTalk robot that answers (sandbox)" is)?'
					: '';
		return {
			status: 502,
			body: {
				code: 'FAKE_NOT_DELIVERED',
				message: `The sample event was not delivered: ${(error as Error).message}.${listening}`,
			},
		};
	} finally {
		clearTimeout(timer);
	}
}

/**
 * A new hire in the Feishu organisation (HR sync): a user in Backend (od-backend), known to every API of
 * the sandbox, and the contact.user.created_v3 event Feishu sends for them. A reset forgets them.
 */
function hire(fake: FakeApi, name: string): IDataObject {
	const n = fake.state.feishuUsers.length + 1;
	const user = {
		open_id: `ou_${n}`,
		union_id: `on_${n}`,
		user_id: `u${String(n).padStart(3, '0')}`,
		name,
		email: `new.hire${n}@example.com`,
		mobile: `+86139000000${String(n).padStart(2, '0')}`,
	};
	fake.state.feishuUsers.push(user);
	fake.orgs.feishu.users.set(user.open_id, {
		key: user.open_id,
		name,
		unionId: user.union_id,
		userId: user.user_id,
		email: user.email,
		mobile: user.mobile,
	});
	fake.orgs.feishu.departments.get('od-backend')?.members.push(user.open_id);
	return event2('contact.user.created_v3', {
		object: { ...user, department_ids: ['od-backend'], status: { is_activated: true } },
	});
}

const escape = (text: unknown) =>
	String(text ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);

/** The links of a message (card buttons, Send and Wait's resume URLs, link messages), each with its label. */
export function linksIn(value: unknown): Array<{ label: string; url: string }> {
	const found: Array<{ label: string; url: string }> = [];
	const labelOf = (o: Record<string, unknown>): string | undefined => {
		const text = o.text as { content?: unknown } | string | undefined;
		if (typeof text === 'object' && typeof text?.content === 'string') return text.content;
		for (const key of ['title', 'content', 'text'])
			if (typeof o[key] === 'string' && String(o[key]).length <= 60) return String(o[key]);
		return undefined;
	};
	const walk = (node: unknown, label: string) => {
		if (typeof node === 'string') {
			// Content that is JSON text (Feishu's message content, DingTalk's msgParam) holds the links.
			if (node.startsWith('{') || node.startsWith('[')) {
				try {
					walk(JSON.parse(node), label);
				} catch {
					// plain text
				}
			}
			return;
		}
		if (Array.isArray(node)) {
			for (const inner of node) walk(inner, label);
			return;
		}
		if (node === null || typeof node !== 'object') return;
		const o = node as Record<string, unknown>;
		const own = labelOf(o) ?? label;
		for (const [key, inner] of Object.entries(o)) {
			if (
				typeof inner === 'string' &&
				/^https?:\/\//.test(inner) &&
				/url/i.test(key) &&
				!/pic|image|cover/i.test(key)
			) {
				// DingTalk's numbered buttons: buttonUrl2 goes with buttonTitle2.
				const numbered = /^(.*?)url(\d+)$/i.exec(key);
				const title = numbered
					? (o[`${numbered[1]}Title${numbered[2]}`] ?? o[`${numbered[1]}title${numbered[2]}`])
					: undefined;
				found.push({ label: typeof title === 'string' ? title : own || key, url: inner });
			} else {
				walk(inner, own);
			}
		}
	};
	walk(value, '');
	return found;
}

/** The sandbox's web page: what the nodes sent, newest first, with every button a person can click. */
function page(fake: FakeApi): string {
	const rows: Array<{
		at: number;
		where: string;
		what: string;
		content: unknown;
		buttons?: Array<{ label: string; url: string }>;
	}> = [];
	for (const m of fake.im.messages.values()) {
		rows.push({
			at: Number(m.create_time),
			where: `Feishu chat ${m.chat_id}`,
			what: `${m.msg_type}${m.deleted ? ' (recalled)' : m.updated ? ' (updated)' : ''}`,
			content: m.body.content,
		});
	}
	for (const p of fake.im.botPosts)
		rows.push({
			at: p.receivedAt,
			where: 'Feishu custom bot',
			what: String(p.body.msg_type ?? ''),
			content: p.body,
		});
	for (const m of fake.dim.robotMessages.values()) {
		rows.push({
			at: 0,
			where:
				m.kind === 'group'
					? `DingTalk group ${m.openConversationId ?? ''}`
					: `DingTalk robot to ${m.users.join(', ')}`,
			what: `${m.msgKey}${m.recalled ? ' (recalled)' : ''}`,
			content: m.msgParam,
		});
	}
	for (const t of fake.dim.tasks.values())
		rows.push({
			at: t.createdAt,
			where: `DingTalk work notification ${t.taskId}`,
			what: String(t.msg.msgtype ?? ''),
			content: t.msg,
		});
	for (const p of fake.dim.robotPosts)
		rows.push({
			at: p.receivedAt,
			where: 'DingTalk custom robot',
			what: String(p.body.msgtype ?? ''),
			content: p.body,
		});
	for (const r of fake.dim.sessionReplies)
		rows.push({
			at: r.receivedAt,
			where: 'DingTalk reply (session webhook)',
			what: String(r.body.msgtype ?? ''),
			content: r.body,
		});
	const decide = (platform: string, instance: string) =>
		(['approve', 'reject'] as const).map((decision) => ({
			label: decision === 'approve' ? 'Approve' : 'Reject',
			url: `${fake.url}/__fake/approvals/decide?platform=${platform}&instance=${encodeURIComponent(instance)}&decision=${decision}`,
		}));
	for (const i of fake.approvals.instances.values())
		rows.push({
			at: i.start_time,
			where: `Feishu approval ${i.instance_code}`,
			what: i.status,
			content: i.form,
			...(i.status === 'PENDING' ? { buttons: decide('feishu', i.instance_code) } : {}),
		});
	for (const i of fake.dingApprovals.instances.values())
		rows.push({
			at: i.createTime,
			where: `DingTalk approval ${i.processInstanceId}`,
			what: `${i.status}${i.result ? ` (${i.result})` : ''}`,
			content: i.formComponentValues,
			...(i.status === 'RUNNING' ? { buttons: decide('dingtalk', i.processInstanceId) } : {}),
		});
	rows.sort((a, b) => b.at - a.at);
	const items = rows
		.map((row) => {
			const links = row.buttons ?? linksIn(row.content);
			const buttons = links
				.map(
					(l) =>
						`<a class="button" href="${escape(l.url)}" target="_blank" rel="noreferrer">${escape(l.label)}</a>`,
				)
				.join(' ');
			const text = typeof row.content === 'string' ? row.content : JSON.stringify(row.content);
			return `<li><div class="meta">${escape(row.where)} · ${escape(row.what)}${row.at ? ` · ${escape(new Date(row.at).toISOString())}` : ''}</div>${buttons ? `<div class="buttons">${buttons}</div>` : ''}<pre>${escape(text.length > 2000 ? `${text.slice(0, 2000)}…` : text)}</pre></li>`;
		})
		.join('\n');
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>DingTalk + Feishu sandbox</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}li{margin:0 0 1.2em;list-style:none;border-left:3px solid #3370ff;padding-left:.8em}.meta{color:#555;font-size:.9em}pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5em;font-size:.85em}.button{display:inline-block;margin:.3em .3em .3em 0;padding:.3em .9em;background:#3370ff;color:#fff;border-radius:4px;text-decoration:none}</style></head>
<body><h1>DingTalk + Feishu sandbox</h1>
<p>What the nodes sent to the sandbox, newest first (this page reloads every 5 s). A card's buttons are links: a <b>Send and Wait</b> card's buttons open the waiting execution's resume URL in n8n, so clicking one answers it, as a person in Feishu or DingTalk would. A pending <b>approval</b> has Approve and Reject buttons: the approver's decision, whose events go to the connected trigger.</p>
<p>As JSON: <a href="/__fake/messages">/__fake/messages</a> · counters: <a href="/__fake/stats">/__fake/stats</a>. Put everything back to its seed state with <code>curl -X POST ${escape(fake.url)}/__fake/reset</code>.</p>
<ul>${items || '<li>Nothing yet: run a tour in n8n.</li>'}</ul></body></html>`;
}
