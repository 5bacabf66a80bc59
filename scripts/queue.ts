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

import { FakeApi } from '../test/fake-api/server';
import { activateWorkflow, ensureRuntime, freePort, importFile, installPackage, packPackage, sleep, SUPPORTED_N8N_VERSIONS } from './lib/n8n';
import type { QueueProcess, Service } from './lib/queue';
import { ensureServices, queueEnv, startPostgres, startQueueProcess, startRedis } from './lib/queue';
import { chain, feishu, itemsOf, sandboxCredentials, webhookTrigger } from './lib/workflows';

const versions = (process.env.QUEUE_N8N_VERSIONS ?? SUPPORTED_N8N_VERSIONS.join(',')).split(',').map((v) => v.trim()).filter(Boolean);
const failures: string[] = [];
const report = (line: string) => process.stdout.write(`${line}\n`);
const check = (ok: boolean, promise: string) => {
	report(`  ${ok ? 'ok  ' : 'FAIL'} ${promise}`);
	if (!ok) failures.push(promise);
};

const TOKEN_WORKFLOW = chain('QueueTokens00001', 'queue: 50 user reads', [
	webhookTrigger('Webhook', 'queue-tokens'),
	...itemsOf('Users', Array.from({ length: 50 }, () => 'ou_1')),
	feishu('Get user', { resource: 'user', operation: 'get', userId: '={{ $json.value }}', userIdType: 'open_id' }),
]);

async function waitUntil<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
	const started = Date.now();
	for (;;) {
		const found = await Promise.resolve(find()).catch(() => undefined);
		if (found !== undefined) return found;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

async function runVersion(version: string, fake: FakeApi, redis: Service, postgres: Service, tarball: string): Promise<void> {
	const runtime = ensureRuntime(version);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-queue-${version}-`));
	const processes: QueueProcess[] = [];
	try {
		const userFolder = path.join(work, 'user');
		installPackage(userFolder, tarball);
		const database = `n8n_${version.replace(/\./g, '_')}`;
		// The webhook process's port is chosen first: WEBHOOK_URL (in every process) points at it.
		const webhookPort = await freePort();
		const shared = queueEnv({ redisPort: redis.port, postgresPort: postgres.port, database, webhookUrl: `http://127.0.0.1:${webhookPort}/` });
		// The CLI (import, publish) uses the same database.
		Object.assign(process.env, shared);
		fs.writeFileSync(path.join(work, 'credentials.json'), JSON.stringify(sandboxCredentials(fake.url)));
		fs.writeFileSync(path.join(work, 'workflows.json'), JSON.stringify([TOKEN_WORKFLOW]));
		const main = await startQueueProcess(runtime, userFolder, 'main', 'main', shared, work);
		processes.push(main);
		await importFile(runtime, userFolder, 'credentials', path.join(work, 'credentials.json'));
		await importFile(runtime, userFolder, 'workflow', path.join(work, 'workflows.json'));
		await activateWorkflow(runtime, userFolder, 'QueueTokens00001');
		// The main process activates workflows at start: restart it now that they are imported.
		await main.stop();
		processes.splice(0, 1, await startQueueProcess(runtime, userFolder, 'main', 'main', shared, work));
		processes.push(await startQueueProcess(runtime, userFolder, 'worker', 'worker-1', shared, work));
		processes.push(await startQueueProcess(runtime, userFolder, 'worker', 'worker-2', shared, work));
		processes.push(await startQueueProcess(runtime, userFolder, 'webhook', 'webhook', { ...shared, N8N_PORT: String(webhookPort) }, work));
		report(`n8n ${version} in queue mode: main, 2 workers (concurrency 10), 1 webhook process; PostgreSQL ${postgres.port}, Redis ${redis.port}`);

		// Tokens: 20 executions of a 50-item workflow, spread over both workers, in one token lifetime.
		fake.reset();
		const webhook = `http://127.0.0.1:${webhookPort}/webhook/queue-tokens`;
		await waitUntil(async () => ((await fetch(webhook)).status === 200 ? true : undefined), 60_000, 'the production webhook');
		const answers = await Promise.all(Array.from({ length: 19 }, async () => (await fetch(webhook)).status));
		await waitUntil(() => (fake.calls('feishu.user.get').length >= 20 * 50 ? true : undefined), 180_000, '1,000 user reads');
		const tokens = fake.calls('feishu.token').length;
		report(`  tokens: 20 executions × 50 items (webhook answers ${[200, ...answers].filter((s) => s === 200).length} of 20): token requests ${tokens}`);
		check(tokens === 1, 'one token request per credential per token lifetime for the whole deployment');
	} finally {
		for (const p of processes.reverse()) await p.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const { postgres: pgBin } = ensureServices();
	const fake = await new FakeApi().start();
	const redis = await startRedis();
	const postgres = await startPostgres(pgBin, versions.map((v) => `n8n_${v.replace(/\./g, '_')}`));
	const tarball = packPackage(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pack-')));
	try {
		for (const version of versions) await runVersion(version, fake, redis, postgres, tarball);
	} finally {
		await postgres.stop();
		await redis.stop();
		await fake.stop();
	}
	if (failures.length > 0) {
		report(`\n${failures.length} promise(s) did not hold:\n${failures.map((f) => `- ${f}`).join('\n')}`);
		process.exit(1);
	}
	report('\nevery promise held');
	process.exit(0);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
