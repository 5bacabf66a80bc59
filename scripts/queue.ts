/**
 * `npm run test:queue`: the nodes in real n8n queue mode (Redis, PostgreSQL, one main, two workers and one
 * webhook process), against the fake API with its documented limits on, for each pinned n8n version.
 * Prints every figure and fails when a promise does not hold.
 *
 *   QUEUE_N8N_VERSIONS=2.39.10 npm run test:queue     (one version only)
 */
import './lib/quiet-n8n';

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { IDataObject } from 'n8n-workflow';

import { callbackDelivery } from '../test/fake-api/dingtalk-events';
import { APPROVAL_EXPENSE } from '../test/fake-api/feishu-approval';
import { delivery, EVENT_SECRETS, messageEvent } from '../test/fake-api/feishu-events';
import { FakeApi } from '../test/fake-api/server';
import { setUpN8n } from './lib/instance';
import {
	ensureRuntime,
	freePort,
	installPackage,
	packPackage,
	RestSession,
	sleep,
	SUPPORTED_N8N_VERSIONS,
} from './lib/n8n';
import type { QueueProcess, Service } from './lib/queue';
import {
	ensureServices,
	queueEnv,
	startPostgres,
	startQueueProcess,
	startRedis,
} from './lib/queue';
import {
	approvalWaitNode,
	chain,
	CREDENTIAL_IDS,
	dingTalk,
	dingTalkTrigger,
	feishu,
	feishuTrigger,
	itemsOf,
	sandboxCredentials,
	sendAndWaitWorkflow,
	webhookTrigger,
} from './lib/workflows';

const versions = (process.env.QUEUE_N8N_VERSIONS ?? SUPPORTED_N8N_VERSIONS.join(','))
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);
const failures: string[] = [];
const report = (line: string) => process.stdout.write(`${line}\n`);
const check = (ok: boolean, promise: string) => {
	report(`  ${ok ? 'ok  ' : 'FAIL'} ${promise}`);
	if (!ok) failures.push(promise);
};

const TOKEN_WORKFLOW = chain('QueueTokens00001', 'queue: 50 user reads', [
	webhookTrigger('Webhook', 'queue-tokens'),
	...itemsOf(
		'Users',
		Array.from({ length: 50 }, () => 'ou_1'),
	),
	feishu('Get user', {
		resource: 'user',
		operation: 'get',
		userId: '={{ $json.value }}',
		userIdType: 'open_id',
	}),
]);

const PACING_ITEMS = 250;
const PACING_WORKFLOW = chain('QueuePacing00001', 'queue: heavy user reads', [
	webhookTrigger('Webhook', 'queue-pacing'),
	...itemsOf(
		'Users',
		Array.from({ length: PACING_ITEMS }, () => 'ou_2'),
	),
	feishu(
		'Get user',
		{ resource: 'user', operation: 'get', userId: '={{ $json.value }}', userIdType: 'open_id' },
		{ continueOnFail: true },
	),
]);
const HOOK_ID = '5d1f2c3b-0000-4000-8000-00000000que1';
const FEISHU_HOOK = chain('QueueFeishuHook1', 'queue: feishu trigger (webhook)', [
	feishuTrigger(
		'Feishu Trigger',
		{ connection: 'webhook', events: ['im.message.receive_v1'] },
		HOOK_ID,
	),
	feishu('Echo', {
		resource: 'message',
		operation: 'send',
		receiveIdType: 'chat_id',
		receiveId: 'oc_sandbox_ops',
		messageType: 'text',
		text: '={{ "hook: " + $json.text }}',
	}),
]);
const FEISHU_LONG = chain('QueueFeishuLong1', 'queue: feishu trigger (long connection)', [
	feishuTrigger(
		'Feishu Trigger',
		{ connection: 'longConnection', events: ['im.message.receive_v1'] },
		'5d1f2c3b-0000-4000-8000-00000000que2',
	),
	feishu('Echo', {
		resource: 'message',
		operation: 'send',
		receiveIdType: 'chat_id',
		receiveId: 'oc_sandbox_ops',
		messageType: 'text',
		text: '={{ "ws: " + $json.text }}',
	}),
]);
const DING_HTTP_ID = '5d1f2c3b-0000-4000-8000-00000000que3';
const DING_HTTP = chain('QueueDingHttp001', 'queue: dingtalk trigger (http callback)', [
	dingTalkTrigger(
		'DingTalk Trigger',
		{ connection: 'httpCallback', triggerOn: ['event'], eventTypes: ['bpms_instance_change'] },
		DING_HTTP_ID,
	),
	dingTalk(
		'Tell',
		{
			operation: 'send',
			messageType: 'text',
			text: '={{ "approval " + $json.data.processInstanceId }}',
		},
		{ customRobot: true },
	),
]);
const DING_STREAM = chain('QueueDingStream1', 'queue: dingtalk trigger (stream)', [
	dingTalkTrigger(
		'DingTalk Trigger',
		{ connection: 'stream', triggerOn: ['event'], eventTypes: ['bpms_instance_change'] },
		'5d1f2c3b-0000-4000-8000-00000000que4',
	),
	dingTalk(
		'Tell',
		{
			operation: 'send',
			messageType: 'text',
			text: '={{ "stream " + $json.data.processInstanceId }}',
		},
		{ customRobot: true },
	),
]);
const SEND_AND_WAIT = sendAndWaitWorkflow(
	'QueueSendWait001',
	'queue: send and wait',
	'queue-send-and-wait',
);
/** Approval › Create Instance with Wait for Decision, resumed through the Feishu Trigger on the webhook process. */
const APPROVAL_WAIT = chain('QueueApproval001', 'queue: approval wait for decision', [
	webhookTrigger('Webhook', 'queue-approval'),
	approvalWaitNode('Start approval', 'Queued approval', HOOK_ID),
	feishu('Write back', {
		resource: 'message',
		operation: 'send',
		receiveIdType: 'chat_id',
		receiveId: 'oc_sandbox_ops',
		messageType: 'text',
		text: '={{ "decision: " + $json.fields.Title + " " + $json.decision }}',
	}),
]);
const KILL_ITEMS = 200;
const KILL_WORKFLOW = chain('QueueWorkerKill1', 'queue: 200 sends', [
	webhookTrigger('Webhook', 'queue-kill'),
	...itemsOf(
		'Chats',
		Array.from({ length: KILL_ITEMS }, (_, i) => `oc_bench_${String(i % 50).padStart(2, '0')}`),
	),
	feishu('Send', {
		resource: 'message',
		operation: 'send',
		receiveIdType: 'chat_id',
		receiveId: '={{ $json.value }}',
		messageType: 'text',
		text: '={{ "kill " + $itemIndex }}',
		options: { concurrency: 2 },
	}),
]);
const USER_ITEMS = 20;
const USER_WORKFLOW = chain('QueueAsUser00001', 'queue: user reads as the user (OAuth2)', [
	{
		...webhookTrigger('Webhook', 'queue-as-user'),
		parameters: { path: 'queue-as-user', httpMethod: 'GET', responseMode: 'lastNode', options: {} },
	},
	...itemsOf(
		'Users',
		Array.from({ length: USER_ITEMS }, () => 'ou_1'),
	),
	feishu(
		'Get user as the user',
		{
			resource: 'user',
			operation: 'get',
			userId: '={{ $json.value }}',
			userIdType: 'open_id',
			options: { concurrency: 10 },
		},
		{ asUser: true },
	),
]);
const WORKFLOWS = [
	USER_WORKFLOW,
	TOKEN_WORKFLOW,
	PACING_WORKFLOW,
	FEISHU_HOOK,
	FEISHU_LONG,
	DING_HTTP,
	DING_STREAM,
	SEND_AND_WAIT,
	APPROVAL_WAIT,
	KILL_WORKFLOW,
];

/** How many executions each worker's log says it started (1.x: "Start job", 2.x: "Worker started execution"). */
function startedPerWorker(workers: QueueProcess[]): number[] {
	return workers.map(
		(w) =>
			(fs.readFileSync(w.logFile, 'utf8').match(/Worker started execution|Start job:/g) ?? [])
				.length,
	);
}

const f = (n: number, digits = 2) => n.toFixed(digits);

/** Two workers run the same heavy workflow at once; the fake enforces Feishu's 50 a second (and 1,000 a minute) per app. */
async function pacing(
	fake: FakeApi,
	webhookPort: number,
	processes: QueueProcess[],
): Promise<void> {
	fake.reset();
	fake.faults.documentedLimits = true;
	const workers = processes.filter((p) => p.role === 'worker');
	const before = startedPerWorker(workers);
	const url = `http://127.0.0.1:${webhookPort}/webhook/queue-pacing`;
	await Promise.all([fetch(url), fetch(url)]);
	const total = 2 * PACING_ITEMS;
	await waitUntil(
		() => ((fake.executed['feishu.user.get'] ?? 0) >= total ? true : undefined),
		180_000,
		`${total} user reads`,
	);
	const executed = fake.executed['feishu.user.get'] ?? 0;
	const times = fake
		.calls('feishu.user.get')
		.map((c) => c.receivedAt)
		.sort((a, b) => a - b);
	const seconds = (times[times.length - 1] - times[0]) / 1000;
	const tooFast = fake.tooFastAnswers['feishu.user.get'] ?? 0;
	// The first second's 50 go at once; after that the limit binds: (N − 50) reads over the time from first to last.
	const rate = (executed - 50) / seconds;
	const after = startedPerWorker(workers);
	report(
		`  pacing: 2 executions × ${PACING_ITEMS} Feishu user reads at once (executions on the workers: ${after.map((n, i) => n - before[i]).join(' and ')}); carried out ${executed} of ${total}; ` +
			`${f(seconds)} s from first to last → ${f(rate, 1)}/s after the first second = ${f(rate / 50)} of the documented 50/s; "too fast" answers ${tooFast}`,
	);
	check(executed === total, 'pacing across workers: no failed item (every read carried out)');
	fake.faults.documentedLimits = false;
}

const echoes = (fake: FakeApi, prefix: string) =>
	fake.im
		.inChat('oc_sandbox_ops')
		.map((m) => String((JSON.parse(m.body.content) as IDataObject).text))
		.filter((t) => t.startsWith(prefix));
const robotTexts = (fake: FakeApi, prefix: string) =>
	fake.dim.robotPosts
		.map((p) => String((p.body.text as IDataObject | undefined)?.content))
		.filter((t) => t.startsWith(prefix));

/** Webhook triggers receive on the webhook process (and execute on workers); long-connection ones run once, on the main process. */
async function triggers(fake: FakeApi, webhookPort: number): Promise<void> {
	fake.reset();
	const post = async (url: string, d: { body: Buffer; headers: Record<string, string> }) =>
		(await fetch(url, { method: 'POST', headers: d.headers, body: d.body })).status;
	const hook = `http://127.0.0.1:${webhookPort}/webhook/${HOOK_ID}/webhook`;
	const challenge = () =>
		delivery(
			{ challenge: 'c', token: EVENT_SECRETS.verificationToken, type: 'url_verification' },
			{ encryptKey: EVENT_SECRETS.encryptKey },
		);
	await waitUntil(
		async () => ((await post(hook, challenge())) === 200 ? true : undefined),
		60_000,
		'the Feishu webhook',
	);
	const event = messageEvent('queued');
	const statuses = [await post(hook, delivery(event, { encryptKey: EVENT_SECRETS.encryptKey }))];
	statuses.push(
		...(await Promise.all(
			[0, 1].map(
				async () => await post(hook, delivery(event, { encryptKey: EVENT_SECRETS.encryptKey })),
			),
		)),
	);
	await waitUntil(
		() => (echoes(fake, 'hook: ').length > 0 ? true : undefined),
		60_000,
		"the Feishu trigger's execution",
	);
	await sleep(3000);
	const feishuRuns = echoes(fake, 'hook: ').length;
	report(
		`  Feishu Trigger (webhook), on the webhook process: one event delivered 3 times (twice at once), answers ${statuses.join(', ')} → executions ${feishuRuns}`,
	);
	check(feishuRuns === 1, 'Feishu Trigger (webhook): one execution per event across redeliveries');

	const dingUrl = `http://127.0.0.1:${webhookPort}/webhook/${DING_HTTP_ID}/callback`;
	const send = async (d: { query: Record<string, string>; body: Buffer }) => {
		const target = new URL(dingUrl);
		for (const [k, v] of Object.entries(d.query)) target.searchParams.set(k, v);
		return (
			await fetch(target, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: d.body,
			})
		).status;
	};
	await waitUntil(
		async () =>
			(await send(callbackDelivery({ EventType: 'check_url' }))) === 200 ? true : undefined,
		60_000,
		'the DingTalk callback',
	);
	const approval = {
		EventType: 'bpms_instance_change',
		EventTime: Date.now(),
		CorpId: 'dingcorp0001',
		eventId: 'ev-queue-1',
		processInstanceId: 'proc-queue',
		processCode: 'PROC-1',
		type: 'finish',
		result: 'agree',
		staffId: 'staff0002',
	};
	const dingStatuses = [await send(callbackDelivery(approval))];
	dingStatuses.push(
		...(await Promise.all([0, 1].map(async () => await send(callbackDelivery(approval))))),
	);
	await waitUntil(
		() => (robotTexts(fake, 'approval ').length > 0 ? true : undefined),
		60_000,
		"the DingTalk trigger's execution",
	);
	await sleep(3000);
	const dingRuns = robotTexts(fake, 'approval ').length;
	report(
		`  DingTalk Trigger (HTTP callback), on the webhook process: one event delivered 3 times (twice at once), answers ${dingStatuses.join(', ')} → executions ${dingRuns}`,
	);
	check(
		dingRuns === 1,
		'DingTalk Trigger (HTTP callback): one execution per event across redeliveries',
	);

	// Long connection and Stream: the main process holds the connection; workers and the webhook process hold none.
	await waitUntil(
		() => (fake.ws!.clients.size > 0 && fake.stream!.clients.size > 0 ? true : undefined),
		60_000,
		'the long connections',
	);
	await sleep(2000);
	const feishuSockets = fake.ws!.clients.size;
	const dingSockets = fake.stream!.clients.size;
	const wsEvent = messageEvent('over the socket');
	await fake.ws!.send(wsEvent);
	await fake.ws!.send(wsEvent);
	await fake.stream!.event('bpms_instance_change', {
		processInstanceId: 'proc-stream',
		processCode: 'PROC-1',
		type: 'finish',
		result: 'agree',
		staffId: 'staff0002',
	});
	await waitUntil(
		() =>
			echoes(fake, 'ws: ').length > 0 && robotTexts(fake, 'stream ').length > 0 ? true : undefined,
		60_000,
		'the long-connection executions',
	);
	await sleep(2000);
	const wsRuns = echoes(fake, 'ws: ').length;
	const streamRuns = robotTexts(fake, 'stream ').length;
	report(
		`  long connections: Feishu sockets open ${feishuSockets}, DingTalk Stream connections ${dingSockets}; a Feishu event sent twice → executions ${wsRuns}; a Stream event → executions ${streamRuns}`,
	);
	check(
		feishuSockets === 1 && dingSockets === 1,
		'long-connection and Stream triggers hold one connection (the main process), not one per worker',
	);
	check(
		wsRuns === 1 && streamRuns === 1,
		'long-connection and Stream events start one execution each',
	);
}

/** A waiting execution resumes when its button URL (on the webhook process) is opened. */
async function sendAndWait(fake: FakeApi, webhookPort: number): Promise<void> {
	fake.reset();
	await fetch(`http://127.0.0.1:${webhookPort}/webhook/queue-send-and-wait`);
	const sent = await waitUntil(
		() => fake.im.inChat('oc_sandbox_general').find((m) => m.msg_type === 'interactive'),
		60_000,
		'the card',
	);
	// On n8n 1.x the buttons are rewritten with the card's message ID right after sending.
	await sleep(3000);
	const card = JSON.parse(fake.im.messages.get(sent.message_id)!.body.content) as {
		body: { elements: Array<{ tag: string; behaviors?: Array<{ default_url: string }> }> };
	};
	const approve = card.body.elements.filter((e) => e.tag === 'button')[0].behaviors![0].default_url;
	const page = await fetch(approve);
	const told = await waitUntil(
		() => fake.im.inChat('oc_sandbox_ops').find((m) => m.msg_type === 'text'),
		60_000,
		'the resumed execution',
	).catch(() => undefined);
	const text = told ? String((JSON.parse(told.body.content) as IDataObject).text) : 'nothing';
	report(
		`  Send and Wait: the button's URL (${new URL(approve).host}, the webhook process) answered ${page.status}; the resumed execution sent "${text}"`,
	);
	check(page.status === 200 && text === 'approved: true', 'Send and Wait resumes in queue mode');
}

/**
 * An approval started with Wait for Decision on a worker: it registers with the Feishu Trigger on the webhook
 * process, waits, and when the approval event reaches that trigger, the execution resumes on a worker and
 * writes the decision back.
 */
async function approvalWait(
	fake: FakeApi,
	webhookPort: number,
	processes: QueueProcess[],
): Promise<void> {
	fake.reset();
	fake.approvals.definitions.get(APPROVAL_EXPENSE)!.subscribed = true;
	const workers = processes.filter((p) => p.role === 'worker');
	await fetch(`http://127.0.0.1:${webhookPort}/webhook/queue-approval`);
	const instance = await waitUntil(
		() =>
			[...fake.approvals.instances.values()].find((i) =>
				i.form.some((w) => w.value === 'Queued approval'),
			),
		60_000,
		'the approval',
	);
	// The node registers with the trigger after the create, then the execution is put to wait.
	await sleep(3000);
	const beforeResume = startedPerWorker(workers);
	fake.approvals.decide(instance.instance_code, 'APPROVED');
	const event = fake.approvals.events.find(
		(e) =>
			(e.event as IDataObject).type === 'approval_instance' &&
			(e.event as IDataObject).instance_code === instance.instance_code &&
			(e.event as IDataObject).status === 'APPROVED',
	);
	const hook = `http://127.0.0.1:${webhookPort}/webhook/${HOOK_ID}/webhook`;
	const answer = await fetch(hook, {
		method: 'POST',
		...(({ body, headers }) => ({ body, headers }))(
			delivery(
				{ ...event!, token: EVENT_SECRETS.verificationToken },
				{ encryptKey: EVENT_SECRETS.encryptKey },
			),
		),
	});
	const told = await waitUntil(
		() =>
			fake.im
				.inChat('oc_sandbox_ops')
				.map((m) => String((JSON.parse(m.body.content) as IDataObject).text))
				.find((t) => t.startsWith('decision: ')),
		60_000,
		'the resumed execution',
	).catch(() => 'nothing');
	const afterResume = startedPerWorker(workers);
	const resumedOn = afterResume.map((n, i) => n - beforeResume[i]);
	report(
		`  approval wait: instance ${instance.instance_code} approved, its event at the webhook process answered ${answer.status}; the resumed execution (executions started on the workers since: ${resumedOn.join(' and ')}) wrote "${told}"`,
	);
	check(
		answer.status === 200 &&
			told === 'decision: Queued approval APPROVED' &&
			resumedOn.some((n) => n > 0),
		'Approval Wait for Decision resumes on a worker in queue mode',
	);
}

/** A session on the main process's REST API, as its owner. */
async function ownerSession(processes: QueueProcess[]): Promise<RestSession> {
	const main = processes.find((p) => p.role === 'main')!;
	const session = new RestSession(main.url!);
	await session
		.setupOwner({
			email: 'owner@example.com',
			firstName: 'Queue',
			lastName: 'Owner',
			password: 'QueuePassw0rd!',
		})
		.catch(async () => await session.login('owner@example.com', 'QueuePassw0rd!'));
	return session;
}

/**
 * The Feishu user credential, connected through n8n's own flow on the main process; then executions on
 * both workers meet an expired user token at the same moment. Each refresh rotates the refresh token, so
 * two workers refreshing at once would leave one holding a dead one: no item may fail, and the credential
 * must end with a refresh token that works.
 */
async function userTokens(
	fake: FakeApi,
	webhookPort: number,
	processes: QueueProcess[],
): Promise<void> {
	fake.reset();
	// The fake serves every version in turn: count only the refresh tokens of this version's connection.
	const earlier = new Set(fake.oauth.liveRefreshTokens());
	const session = await ownerSession(processes);
	const authUrl = await session.call<string>(
		'GET',
		`/rest/oauth2-credential/auth?id=${CREDENTIAL_IDS.feishuUser}`,
	);
	fake.oauth.redirectUris.add(String(new URL(authUrl).searchParams.get('redirect_uri')));
	const page = await fetch(authUrl, { redirect: 'manual' });
	const back = new URL(String(page.headers.get('location')));
	const callback = await session.visit(`${back.pathname}${back.search}`);
	const url = `http://127.0.0.1:${webhookPort}/webhook/queue-as-user`;
	const warm = (
		await waitUntil(
			async () => {
				const status = (await fetch(url)).status;
				return status === 404 ? undefined : status;
			},
			60_000,
			'the user workflow',
		)
	).toString();
	const workers = processes.filter((p) => p.role === 'worker');
	const before = startedPerWorker(workers);
	fake.oauth.expireAccessTokens();
	const runs = 6;
	const statuses = await Promise.all(
		Array.from({ length: runs }, async () => (await fetch(url)).status),
	);
	const after = startedPerWorker(workers);
	const refreshes = fake
		.calls('feishu.oauth.token')
		.filter((r) => (r.body as IDataObject).grant_type === 'refresh_token');
	const used = new Set(refreshes.map((r) => String((r.body as IDataObject).refresh_token)));
	// The credential's saved refresh token must work: expire again and run once more.
	fake.oauth.expireAccessTokens();
	const later = (await fetch(url)).status;
	const live = fake.oauth.liveRefreshTokens().filter((token) => !earlier.has(token)).length;
	report(
		`  user tokens: connected through n8n's callback (HTTP ${callback.status}), a first run answered ${warm}; ${runs} executions at once met an expired user token ` +
			`(executions on the workers: ${after.map((n, i) => n - before[i]).join(' and ')}), answers ${statuses.join(', ')}; ` +
			`refreshes ${refreshes.length} (of them refused as already used ${refreshes.length - used.size}); a later expiry answered ${later}; live refresh tokens ${live}`,
	);
	check(
		after.every((n, i) => n > before[i]) && statuses.every((status) => status === 200),
		'user tokens: both workers meet an expired user token at once, and no item fails',
	);
	check(
		later === 200 && live === 1,
		'user tokens: the credential ends with a refresh token that works',
	);
}

/** SIGKILL the worker that runs a 200-send workflow: what n8n does with the execution, and what the platform saw. */
async function workerDies(
	fake: FakeApi,
	webhookPort: number,
	processes: QueueProcess[],
	version: string,
): Promise<void> {
	fake.reset();
	const workers = processes.filter((p) => p.role === 'worker');
	const before = startedPerWorker(workers);
	await fetch(`http://127.0.0.1:${webhookPort}/webhook/queue-kill`);
	await waitUntil(
		() => (fake.im.messages.size >= 40 ? true : undefined),
		60_000,
		'the sends to start',
	);
	const now = startedPerWorker(workers);
	const victim = workers.find((_, i) => now[i] > before[i]) ?? workers[0];
	await victim.stop('SIGKILL');
	const atKill = fake.im.messages.size;
	// n8n notices a stalled job when its lock expires (30 s by default); wait long enough for what follows.
	await sleep(45_000);
	const texts = [...fake.im.messages.values()].map((m) =>
		String((JSON.parse(m.body.content) as IDataObject).text),
	);
	const duplicates = texts.length - new Set(texts).size;
	const session = await ownerSession(processes);
	const executions = await session.call<{ results?: Array<{ status?: string }> }>(
		'GET',
		`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: 'QueueWorkerKill1' }))}&limit=10`,
	);
	const statuses = (executions.results ?? []).map((e) => e.status);
	report(
		`  worker dies: ${victim.name} killed (SIGKILL) after ${atKill} of ${KILL_ITEMS} sends; 45 s later n8n ${version} lists the execution as ${JSON.stringify(statuses)}; ` +
			`the platform holds ${texts.length} messages (${fake.calls('feishu.message.send').length} sends arrived), duplicated ${duplicates}`,
	);
	check(duplicates === 0, 'worker dies: no message sent twice (each send carries its uuid)');
}

async function waitUntil<T>(
	find: () => T | undefined | Promise<T | undefined>,
	timeoutMs: number,
	what: string,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const found = await Promise.resolve(find()).catch(() => undefined);
		if (found !== undefined) return found;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

async function runVersion(
	version: string,
	fake: FakeApi,
	redis: Service,
	postgres: Service,
	tarball: string,
): Promise<void> {
	const runtime = ensureRuntime(version);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-queue-${version}-`));
	const processes: QueueProcess[] = [];
	try {
		const userFolder = path.join(work, 'user');
		installPackage(userFolder, tarball);
		const database = `n8n_${version.replace(/\./g, '_')}`;
		// The webhook process's port is chosen first: WEBHOOK_URL (in every process) points at it.
		const webhookPort = await freePort();
		const shared = queueEnv({
			redisPort: redis.port,
			postgresPort: postgres.port,
			database,
			webhookUrl: `http://127.0.0.1:${webhookPort}/`,
		});
		// The CLI (import, publish) uses the same database.
		Object.assign(process.env, shared);
		const main = await startQueueProcess(runtime, userFolder, 'main', 'main', shared, work);
		processes.push(main);
		// The package is installed already (above); the main process has set up the database by now.
		await setUpN8n(runtime, userFolder, {
			importDir: work,
			credentials: sandboxCredentials(fake.url),
			workflows: WORKFLOWS,
			activate: WORKFLOWS.map((w) => String(w.id)),
		});
		// The main process activates workflows at start: restart it now that they are imported.
		await main.stop();
		processes.splice(
			0,
			1,
			await startQueueProcess(runtime, userFolder, 'main', 'main', shared, work),
		);
		processes.push(
			await startQueueProcess(runtime, userFolder, 'worker', 'worker-1', shared, work),
		);
		processes.push(
			await startQueueProcess(runtime, userFolder, 'worker', 'worker-2', shared, work),
		);
		processes.push(
			await startQueueProcess(
				runtime,
				userFolder,
				'webhook',
				'webhook',
				{ ...shared, N8N_PORT: String(webhookPort) },
				work,
			),
		);
		report(
			`n8n ${version} in queue mode: main, 2 workers (concurrency 10), 1 webhook process; PostgreSQL ${postgres.port}, Redis ${redis.port}`,
		);

		// Tokens: 20 executions of a 50-item workflow, spread over both workers, in one token lifetime.
		fake.reset();
		const webhook = `http://127.0.0.1:${webhookPort}/webhook/queue-tokens`;
		// The first execution alone (the credential holds no token yet), then 19 at once on both workers: a worker
		// with no token of its own takes the one the first saved. (Two workers that both find no token at the
		// same instant would each ask once: docs/scale.md says so.)
		await waitUntil(
			async () => ((await fetch(webhook)).status === 200 ? true : undefined),
			60_000,
			'the production webhook',
		);
		// A readiness wait, not a measurement: a worker's first job on a loaded 2-core machine once took over
		// 60 s on n8n 2.39.10 (it loads the nodes and starts its task runner), so it may take 3 minutes.
		await waitUntil(
			() => (fake.calls('feishu.user.get').length >= 50 ? true : undefined),
			180_000,
			'the first execution',
		);
		const answers = await Promise.all(
			Array.from({ length: 19 }, async () => (await fetch(webhook)).status),
		);
		await waitUntil(
			() => (fake.calls('feishu.user.get').length >= 20 * 50 ? true : undefined),
			180_000,
			'1,000 user reads',
		);
		const tokens = fake.calls('feishu.token').length;
		report(
			`  tokens: 20 executions × 50 items, the first alone, then 19 at once (webhook answers ${[200, ...answers].filter((s) => s === 200).length} of 20): token requests ${tokens}`,
		);
		const spread = startedPerWorker(processes.filter((p) => p.role === 'worker'));
		report(`    executions started per worker: ${spread.join(' and ')}`);
		check(
			tokens === 1,
			'one token request per credential per token lifetime for the whole deployment',
		);
		check(
			spread.every((n) => n > 0),
			'the executions ran on both workers',
		);

		await userTokens(fake, webhookPort, processes);
		await pacing(fake, webhookPort, processes);
		await triggers(fake, webhookPort);
		await sendAndWait(fake, webhookPort);
		await approvalWait(fake, webhookPort, processes);
		await workerDies(fake, webhookPort, processes, runtime.version);
	} finally {
		for (const p of processes.reverse()) await p.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const { postgres: pgBin } = ensureServices();
	const fake = await new FakeApi().start();
	const redis = await startRedis();
	const postgres = await startPostgres(
		pgBin,
		versions.map((v) => `n8n_${v.replace(/\./g, '_')}`),
	);
	const tarball = packPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pack-')));
	try {
		for (const version of versions) await runVersion(version, fake, redis, postgres, tarball);
	} finally {
		await postgres.stop();
		await redis.stop();
		await fake.stop();
	}
	if (failures.length > 0) {
		report(
			`\n${failures.length} promise(s) did not hold:\n${failures.map((f) => `- ${f}`).join('\n')}`,
		);
		process.exit(1);
	}
	report('\nevery promise held');
	process.exit(0);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
