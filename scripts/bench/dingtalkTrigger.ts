import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { callbackDelivery } from '../../test/fake-api/dingtalk-events';
import { FakeApi } from '../../test/fake-api/server';
import { setUpN8n } from '../lib/instance';
import { DEFAULT_N8N_VERSION, ensureRuntime, freePort, packPackage, sleep } from '../lib/n8n';
import { chain, dingTalk, dingTalkTrigger, sandboxCredentials } from '../lib/workflows';
import type { BenchTable } from './common';
import { f } from './common';

/**
 * The DingTalk Trigger in real n8n: approval events over Stream mode (acked over the WebSocket) and over
 * HTTP callbacks (encrypted and signed), each workflow sending one robot group message per execution
 * (that is how executions are counted); then every event is delivered again and must start nothing.
 */
async function dingTalkTriggerTable(): Promise<void> {
	const events = Number(process.env.BENCH_DING_EVENTS ?? 1000);
	const rate = Number(process.env.BENCH_DING_EVENT_RATE ?? 10);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-ding-trigger-bench-'));
	const fake = await new FakeApi().start(await freePort());
	const runtime = ensureRuntime(DEFAULT_N8N_VERSION);
	const userFolder = path.join(work, 'user');
	const httpId = '5d1f2c3b-0000-4000-8000-00000bench02';
	const count = (mode: string) =>
		dingTalk('Count', {
			resource: 'robotMessage',
			operation: 'sendToGroup',
			openConversationId: 'cidSandboxGroup0001==',
			messageType: 'text',
			text: `={{ "${mode} " + $json.eventId }}`,
			options: {},
		});
	const workflows = [
		chain('BenchDingStream1', 'bench dingtalk trigger (stream)', [
			dingTalkTrigger(
				'DingTalk Trigger',
				{ connection: 'stream', triggerOn: ['event'], eventTypes: ['*'] },
				'5d1f2c3b-0000-4000-8000-00000bench01',
			),
			count('stream'),
		]),
		chain('BenchDingHttp001', 'bench dingtalk trigger (http)', [
			dingTalkTrigger(
				'DingTalk Trigger',
				{ connection: 'httpCallback', triggerOn: ['event'], eventTypes: ['*'] },
				httpId,
			),
			count('http'),
		]),
	];
	const n8n = await setUpN8n(runtime, userFolder, {
		tarball: packPackage(work),
		importDir: work,
		credentials: sandboxCredentials(fake.url),
		workflows,
		activate: workflows.map((w) => w.id as string),
		start: { logFile: path.join(work, 'n8n.log') },
	});
	const counted = (mode: string) =>
		[...fake.dim.robotMessages.values()].filter((m) =>
			String(m.msgParam.content).startsWith(`${mode} `),
		).length;
	const steady = async (deliver: (i: number) => Promise<{ ok: boolean; ms: number }>) => {
		const results: Array<{ ok: boolean; ms: number }> = [];
		const started = Date.now();
		await Promise.all(
			Array.from({ length: events }, async (_, i) => {
				await sleep(Math.max(0, started + (i * 1000) / rate - Date.now()));
				results.push(await deliver(i).catch(() => ({ ok: false, ms: Infinity })));
			}),
		);
		return { results, seconds: (Date.now() - started) / 1000 };
	};
	const report = async (
		label: string,
		mode: string,
		deliver: (i: number) => Promise<{ ok: boolean; ms: number }>,
	) => {
		const first = await steady(deliver);
		for (let i = 0; i < 900 && counted(mode) < events; i++) await sleep(100);
		const after = counted(mode);
		const second = await steady(deliver);
		await sleep(3000);
		const ms = first.results.map((r) => r.ms).sort((a, b) => a - b);
		const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))];
		const accepted = first.results.filter((r) => r.ok).length;
		process.stdout.write(
			`  ${label}: ${accepted} of ${events} acknowledged in ${f(first.seconds)} s (${f(accepted / first.seconds, 1)} events/s); ack p50 ${f(pct(50), 1)} ms, p99 ${f(pct(99), 1)} ms, max ${f(ms[ms.length - 1], 1)} ms; ` +
				`executions per event ${f(after / events, 3)}; the same ${events} again: ${second.results.filter((r) => r.ok).length} acknowledged, executions per event ${f(counted(mode) / events, 3)}\n`,
		);
	};
	try {
		process.stdout.write(
			`\nDingTalk Trigger in n8n ${DEFAULT_N8N_VERSION} (${events} approval events at ${rate}/s per mode):\n`,
		);
		for (let i = 0; i < 300 && fake.stream!.clients.size === 0; i++) await sleep(100);
		const event = (mode: string, i: number) => ({
			eventId: `${mode}-ev-${i}`,
			data: { processInstanceId: `proc-${i}`, type: 'finish', result: 'agree' },
		});
		await report(
			'Stream mode (push → ack over the WebSocket; deadline: unacked pushes are sent again)',
			'stream',
			async (i) => {
				const e = event('stream', i);
				const started = process.hrtime.bigint();
				const ack = await fake.stream!.event('bpms_instance_change', e.data, e.eventId);
				return {
					ok: ack.code === 200 && JSON.parse(ack.data).status === 'SUCCESS',
					ms: Number(process.hrtime.bigint() - started) / 1e6,
				};
			},
		);
		const url = `${n8n.url}/webhook/${httpId}/callback`;
		for (let i = 0; i < 200; i++) {
			const ready = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			}).catch(() => undefined);
			if (ready && ready.status !== 404) break;
			await sleep(250);
		}
		const deliveries = Array.from({ length: events }, (_, i) => {
			const e = event('http', i);
			return callbackDelivery({
				EventType: 'bpms_instance_change',
				EventTime: Date.now(),
				CorpId: 'dingcorp0001',
				eventId: e.eventId,
				...e.data,
			});
		});
		await report('HTTP callback (encrypted and signed; deadline 1.5 s)', 'http', async (i) => {
			const target = new URL(url);
			for (const [k, v] of Object.entries(deliveries[i].query)) target.searchParams.set(k, v);
			const started = process.hrtime.bigint();
			const response = await fetch(target, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: deliveries[i].body,
			});
			await response.text();
			return { ok: response.status === 200, ms: Number(process.hrtime.bigint() - started) / 1e6 };
		});
	} finally {
		await n8n.stop();
		await fake.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

export const dingtalkTrigger: BenchTable = {
	name: 'dingtalkTrigger',
	description:
		'the DingTalk Trigger in real n8n: approval events over Stream mode and over HTTP callbacks, then delivered again',
	run: dingTalkTriggerTable,
};
