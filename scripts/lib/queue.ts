/**
 * n8n in queue mode on this machine, as teams run it: a real Redis and a real PostgreSQL (Debian's packages,
 * installed on first use), then one main process, workers and a webhook process, all on loopback ports of
 * their own and all with our packed package installed the way users install it. Everything started here is
 * stopped by `stop()`, also after a failure.
 */
import type { ChildProcess } from 'child_process';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { Runtime } from './n8n';
import { freePort, isReady, n8nEnv, sleep } from './n8n';

const log = (message: string) => process.stderr.write(`[queue] ${message}\n`);

/** Debian's PostgreSQL server binaries (the newest installed major version). */
function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

const hasCommand = (command: string) => {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
};

/** Installs redis-server and postgresql from Debian's packages when they are missing (first use). */
export function ensureServices(): { redis: string; postgres: string } {
	const missing = [
		...(hasCommand('redis-server') ? [] : ['redis-server']),
		...(postgresBin() ? [] : ['postgresql']),
	];
	if (missing.length > 0) {
		log(`installing ${missing.join(' and ')} from Debian's packages (first use; a minute or two)`);
		const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
		const run = (args: string[]) =>
			execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
				stdio: ['ignore', 'ignore', 'inherit'],
				env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			});
		run(['apt-get', 'update', '-qq']);
		run(['apt-get', 'install', '-y', '-qq', ...missing]);
	}
	const bin = postgresBin();
	if (!bin || !hasCommand('redis-server'))
		throw new Error('redis-server or PostgreSQL is still missing after apt-get install');
	return { redis: 'redis-server', postgres: bin };
}

export interface Service {
	port: number;
	stop(): Promise<void>;
}

async function waitForPort(
	port: number,
	what: string,
	child?: ChildProcess,
	timeoutMs = 60_000,
): Promise<void> {
	const started = Date.now();
	const net = await import('net');
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null))
			throw new Error(`${what} exited early (${child.exitCode ?? child.signalCode})`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.destroy();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(`${what} did not listen on ${port} within ${timeoutMs / 1000} s`);
		await sleep(100);
	}
}

const stopChild = async (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') => {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill(signal);
	for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++)
		await sleep(100);
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};

export async function startRedis(): Promise<Service> {
	const port = await freePort();
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--protected-mode',
			'no',
		],
		{ stdio: 'ignore' },
	);
	await waitForPort(port, 'redis-server', child);
	log(`Redis on 127.0.0.1:${port}`);
	return { port, stop: async () => await stopChild(child) };
}

/**
 * A PostgreSQL cluster of its own in a temporary folder (trust authentication on loopback). PostgreSQL refuses
 * to run as root, so as root it runs as Debian's postgres user.
 */
export async function startPostgres(bin: string, databases: string[]): Promise<Service> {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	const asRoot = process.getuid?.() === 0;
	const as = (command: string, args: string[]) =>
		asRoot
			? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], {
					stdio: ['ignore', 'ignore', 'inherit'],
				})
			: execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
	if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
	as(path.join(bin, 'initdb'), [
		'-D',
		path.join(dir, 'data'),
		'-A',
		'trust',
		'-U',
		'postgres',
		'--no-sync',
	]);
	const child = asRoot
		? spawn(
				'runuser',
				[
					'-u',
					'postgres',
					'--',
					path.join(bin, 'postgres'),
					'-D',
					path.join(dir, 'data'),
					'-p',
					String(port),
					'-k',
					dir,
					'-c',
					'listen_addresses=127.0.0.1',
					'-c',
					'fsync=off',
				],
				{ stdio: 'ignore' },
			)
		: spawn(
				path.join(bin, 'postgres'),
				[
					'-D',
					path.join(dir, 'data'),
					'-p',
					String(port),
					'-k',
					dir,
					'-c',
					'listen_addresses=127.0.0.1',
					'-c',
					'fsync=off',
				],
				{ stdio: 'ignore' },
			);
	await waitForPort(port, 'postgres', child);
	for (let attempt = 0; ; attempt++) {
		try {
			for (const db of databases)
				execFileSync(
					'psql',
					[
						'-h',
						'127.0.0.1',
						'-p',
						String(port),
						'-U',
						'postgres',
						'-q',
						'-c',
						`CREATE DATABASE "${db}"`,
					],
					{ stdio: ['ignore', 'ignore', 'pipe'] },
				);
			break;
		} catch (error) {
			// The port opens a moment before the server accepts logins.
			if (attempt > 50) throw error;
			await sleep(200);
		}
	}
	log(`PostgreSQL on 127.0.0.1:${port} (${databases.join(', ')})`);
	return {
		port,
		stop: async () => {
			// The postgres user's child: SIGINT is PostgreSQL's "fast shutdown".
			await stopChild(child, 'SIGINT');
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface QueueProcess {
	role: 'main' | 'worker' | 'webhook';
	name: string;
	url?: string;
	process: ChildProcess;
	logFile: string;
	stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The environment every process of one deployment shares: the database, the queue and the encryption key. */
export function queueEnv(options: {
	redisPort: number;
	postgresPort: number;
	database: string;
	webhookUrl: string;
}): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(options.postgresPort),
		DB_POSTGRESDB_DATABASE: options.database,
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(options.redisPort),
		N8N_ENCRYPTION_KEY: 'queue-mode-test-encryption-key-0001',
		// Production webhooks and resume URLs point at the webhook process.
		WEBHOOK_URL: options.webhookUrl,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
}

/** Starts one n8n process of a deployment (`n8n start`, `n8n worker` or `n8n webhook`) and waits until it is ready. */
export async function startQueueProcess(
	runtime: Runtime,
	userFolder: string,
	role: QueueProcess['role'],
	name: string,
	shared: Record<string, string>,
	logDir: string,
): Promise<QueueProcess> {
	const port = shared.N8N_PORT ? Number(shared.N8N_PORT) : await freePort();
	const healthPort = await freePort();
	const env = n8nEnv(userFolder, {
		...shared,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...(role === 'worker'
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_PORT: String(await freePort()),
				}
			: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' }),
	});
	const logFile = path.join(logDir, `${name}.log`);
	const out = fs.openSync(logFile, 'a');
	const args =
		role === 'main' ? ['start'] : role === 'worker' ? ['worker', '--concurrency=10'] : ['webhook'];
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
		env,
		stdio: ['ignore', out, out],
	});
	const url = role === 'worker' ? `http://127.0.0.1:${healthPort}` : `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`n8n ${args[0]} (${name}) exited early (${child.exitCode ?? child.signalCode})\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		}
		if (Date.now() - started > 180_000) {
			await stopChild(child);
			throw new Error(
				`n8n ${args[0]} (${name}) was not ready after 180 s\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`,
			);
		}
		if (await ready(role, url)) break;
		await sleep(250);
	}
	log(
		`n8n ${runtime.version} ${name} ready at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
	);
	return {
		role,
		name,
		url: role === 'worker' ? undefined : url,
		process: child,
		logFile,
		stop: async (signal: NodeJS.Signals = 'SIGTERM') => await stopChild(child, signal),
	};
}

async function ready(role: QueueProcess['role'], url: string): Promise<boolean> {
	try {
		// The main process is ready as `n8n start` is (startN8n): the probe and the REST API both answer.
		if (role === 'main') return await isReady(url);
		const answer = await fetch(`${url}/healthz/readiness`).catch(
			async () => await fetch(`${url}/healthz`),
		);
		return answer.status === 200;
	} catch {
		return false;
	}
}
