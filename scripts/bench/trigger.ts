import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { delivery, EVENT_SECRETS, messageEvent } from '../../test/fake-api/feishu-events';
import { FakeApi } from '../../test/fake-api/server';
import { setUpN8n } from '../lib/instance';
import { DEFAULT_N8N_VERSION, ensureRuntime, freePort, packPackage, sleep } from '../lib/n8n';
import { chain, feishu, feishuTrigger, sandboxCredentials } from '../lib/workflows';
import type { BenchTable } from './common';
import { f } from './common';

/**
 * The Feishu Trigger in real n8n (webhook mode, events encrypted and signed): BENCH_EVENTS events posted
 * at a steady BENCH_EVENT_RATE a second. Reports events/s accepted, the time to the acknowledgement (p50,
 * p99; Feishu's deadline is 3 s), and executions per event, counted by the one message each execution
 * sends (then every event is posted again, and must start nothing).
 */
async function triggerTable(): Promise<void> {
	const events = Number(process.env.BENCH_EVENTS ?? 1000);
	const rate = Number(process.env.BENCH_EVENT_RATE ?? 50);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-trigger-bench-'));
	const fake = await new FakeApi().start(await freePort());
	const runtime = ensureRuntime(DEFAULT_N8N_VERSION);
	const userFolder = path.join(work, 'user');
	const webhookId = '5d1f2c3b-0000-4000-8000-0000000bench';
	// BENCH_BASELINE=1: n8n's own Webhook node in its place (no decryption, no signature, no de-duplication), the floor.
	const baseline = process.env.BENCH_BASELINE === '1';
	const workflow = chain('BenchFeishuHook1', 'bench feishu trigger', [
		baseline
			? {
					...feishuTrigger('Webhook', {}, webhookId),
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: {
						path: 'webhook',
						httpMethod: 'POST',
						responseMode: 'onReceived',
						options: {},
					},
					credentials: undefined,
				}
			: feishuTrigger(
					'Feishu Trigger',
					{ connection: 'webhook', events: ['im.message.receive_v1'] },
					webhookId,
				),
		// One message per execution, spread over 50 chats so that the per-chat limit does not pace it.
		feishu('Count', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: baseline
				? '={{ "oc_bench_" + $json.body.i }}'
				: '={{ "oc_bench_" + $json.text.slice(-2) }}',
			messageType: 'text',
			text: baseline ? '={{ $json.body.n }}' : '={{ $json.text }}',
		}),
	]);
	const n8n = await setUpN8n(runtime, userFolder, {
		tarball: packPackage(work),
		importDir: work,
		credentials: sandboxCredentials(fake.url),
		workflows: [workflow],
		activate: ['BenchFeishuHook1'],
		start: { logFile: path.join(work, 'n8n.log') },
	});
	try {
		// n8n's Webhook node serves its path as is; a node with a webhook ID under it.
		const url = baseline ? `${n8n.url}/webhook/webhook` : `${n8n.url}/webhook/${webhookId}/webhook`;
		const payloads = Array.from({ length: events }, (_, i) =>
			messageEvent(`event ${String(i).padStart(4, '0')}-${String(i % 50).padStart(2, '0')}`),
		);
		for (let i = 0; i < 200; i++) {
			const ready = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			}).catch(() => undefined);
			if (ready && ready.status !== 404) break;
			await sleep(250);
		}
		const post = async (payload: (typeof payloads)[number]) => {
			const text = String(
				JSON.parse(
					String((payload.event as Record<string, Record<string, unknown>>).message.content),
				).text,
			);
			const d = baseline
				? {
						body: Buffer.from(JSON.stringify({ n: text, i: text.slice(-2) })),
						headers: { 'content-type': 'application/json' },
					}
				: delivery(payload, { encryptKey: EVENT_SECRETS.encryptKey });
			const started = process.hrtime.bigint();
			const response = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
			await response.text();
			return { status: response.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
		};
		const send = async () => {
			const results: Array<{ status: number; ms: number }> = [];
			const started = Date.now();
			await Promise.all(
				payloads.map(async (payload, i) => {
					// A steady rate: event i is posted at i / rate seconds.
					await sleep(Math.max(0, started + (i * 1000) / rate - Date.now()));
					results.push(await post(payload));
				}),
			);
			return { results, seconds: (Date.now() - started) / 1000 };
		};
		const first = await send();
		const counted = () => fake.im.messages.size;
		for (let i = 0; i < 600 && counted() < events; i++) await sleep(100);
		const second = await send();
		await sleep(3000);
		const ms = first.results.map((r) => r.ms).sort((a, b) => a - b);
		const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))];
		const accepted = first.results.filter((r) => r.status === 200).length;
		const statuses: Record<string, number> = {};
		for (const r of first.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
		process.stdout.write(
			`\nFeishu Trigger in n8n ${DEFAULT_N8N_VERSION} (webhook, encrypted and signed, ${events} events at ${rate}/s): ` +
				`${accepted} accepted in ${f(first.seconds)} s (${f(accepted / first.seconds, 1)} events/s); ack p50 ${f(pct(50), 1)} ms, p99 ${f(pct(99), 1)} ms, max ${f(ms[ms.length - 1], 1)} ms; ` +
				`answers ${JSON.stringify(statuses)}; executions per event ${f(counted() / events, 3)}; the same ${events} events again: ${second.results.filter((r) => r.status === 200).length} accepted, ` +
				`executions per event still ${f(counted() / events, 3)}\n`,
		);
	} finally {
		await n8n.stop();
		await fake.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

export const trigger: BenchTable = {
	name: 'trigger',
	description:
		'the Feishu Trigger in real n8n (webhook, encrypted and signed): events at a steady rate, then posted again',
	run: triggerTable,
};
