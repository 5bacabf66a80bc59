/**
 * Real n8n, driven the way users drive it: a cached runtime (scripts/n8n-runtime/ensure.mjs),
 * our package packed and installed into the user folder's nodes/ directory, the CLI for
 * import/execute, and `n8n start` with its REST API. Used by `npm run dev`, `npm run bench`,
 * `npm run test:queue` and the e2e suite (the whole set-up in one call: ./instance.ts).
 */
import type { ChildProcess } from 'child_process';
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** The repository root: the nearest folder up from here whose package.json is ours (works from scripts/ and build/). */
function findRoot(): string {
	for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'package.json');
		if (
			fs.existsSync(manifest) &&
			(JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name ===
				'n8n-nodes-dingtalk-feishu'
		) {
			return dir;
		}
	}
	throw new Error(`cannot find the package root above ${__dirname}`);
}

export const ROOT = findRoot();
export const SUPPORTED_N8N_VERSIONS = ['1.123.81', '2.39.10'];
export const DEFAULT_N8N_VERSION = '2.39.10';

export interface Runtime {
	nodeBin: string;
	n8nBin: string;
	n8nDir: string;
	version: string;
}

const log = (message: string) => process.stderr.write(`[n8n] ${message}\n`);

/** Installs (first use, cached) and returns a pinned real n8n and the Node 24 that runs it. */
export function ensureRuntime(version: string): Runtime {
	const out = execFileSync(
		process.execPath,
		[path.join(ROOT, 'scripts', 'n8n-runtime', 'ensure.mjs'), version],
		{
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	return JSON.parse(out.trim().split('\n').pop()!) as Runtime;
}

/**
 * Installs several runtimes at once (first use only; each install is cached and locked by ensure.mjs):
 * an install waits on the registry and the disk as much as on the CPU, so two side by side end sooner
 * than one after the other.
 */
export async function ensureRuntimes(versions: string[]): Promise<void> {
	await Promise.all(
		versions.map(
			async (version) =>
				await new Promise<void>((resolve, reject) => {
					const child = spawn(
						process.execPath,
						[path.join(ROOT, 'scripts', 'n8n-runtime', 'ensure.mjs'), version],
						{ stdio: ['ignore', 'ignore', 'inherit'] },
					);
					child.on('error', reject);
					child.on('exit', (code) =>
						code === 0
							? resolve()
							: reject(new Error(`installing n8n ${version} failed (exit ${code})`)),
					);
				}),
		),
	);
}

/** Builds the package from a clean dist/ and packs it like a release (`npm run release:pack`); returns the tarball path. */
export function packPackage(destination: string): string {
	fs.mkdirSync(destination, { recursive: true });
	const out = execFileSync(
		'npm',
		['run', 'release:pack', '--silent', '--', '--pack-destination', destination],
		{
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	return path.join(destination, out.trim().split('\n').pop()!);
}

/** Installs a packed community package into <userFolder>/.n8n/nodes, as n8n's own installer does. */
export function installPackage(userFolder: string, tarball: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	execFileSync(
		'npm',
		[
			'install',
			tarball,
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--silent',
		],
		{
			cwd: nodesDir,
			stdio: ['ignore', 'ignore', 'inherit'],
		},
	);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Environment for an n8n process on a given user folder (n8n keeps its data in <userFolder>/.n8n). */
export function n8nEnv(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	// Not the test runner's environment: n8n's logger is silent under NODE_ENV=test, and execute prints through it.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('JEST_')),
	);
	return {
		...inherited,
		N8N_USER_FOLDER: userFolder,
		N8N_RUNNERS_ENABLED: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		// Read/Write Files from Disk may read the user folder's files/ (the e2e suite's and sandbox's inputs).
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(userFolder, 'files'),
		...extra,
	};
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs one n8n CLI command (import:credentials, import:workflow, execute …). */
export async function n8nCli(
	runtime: Runtime,
	userFolder: string,
	args: string[],
	extraEnv: Record<string, string> = {},
): Promise<CliResult> {
	// 2.x always starts a task broker; a free port per process keeps parallel runs apart.
	const env = n8nEnv(userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	});
	return await new Promise((resolve, reject) => {
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		// 'close', not 'exit': a large output (a run with binary data in it) may still be in the pipes at exit.
		child.on('close', (code, signal) =>
			resolve({
				code: code ?? -1,
				stdout,
				stderr: signal ? `${stderr}\n[killed by ${signal}]` : stderr,
			}),
		);
	});
}

/** `n8n execute --rawOutput` prints the run as JSON (2.x prints log lines before it). */
export function parseExecuteOutput(stdout: string): Record<string, unknown> {
	// The JSON starts at a line that is exactly "{" and ends at a line that is exactly "}"; more may follow.
	const start = stdout.search(/^\{$/m);
	if (start >= 0) {
		for (const end of stdout.slice(start).matchAll(/^\}$/gm)) {
			try {
				return JSON.parse(stdout.slice(start, start + end.index + 1)) as Record<string, unknown>;
			} catch {
				// not the closing brace of the top-level object yet
			}
		}
	}
	throw new Error(`no JSON in n8n execute output:\n${stdout.slice(0, 3000)}`);
}

export async function importFile(
	runtime: Runtime,
	userFolder: string,
	kind: 'credentials' | 'workflow',
	file: string,
) {
	const result = await n8nCli(runtime, userFolder, [`import:${kind}`, `--input=${file}`]);
	if (result.code !== 0)
		throw new Error(`n8n import:${kind} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Marks a workflow active, so that `n8n start` activates it: `update:workflow --active` on 1.x, `publish:workflow` on 2.x. */
export async function activateWorkflow(
	runtime: Runtime,
	userFolder: string,
	id: string,
): Promise<void> {
	const args =
		Number(runtime.version.split('.')[0]) >= 2
			? ['publish:workflow', `--id=${id}`]
			: ['update:workflow', `--id=${id}`, '--active=true'];
	const result = await n8nCli(runtime, userFolder, args);
	if (result.code !== 0)
		throw new Error(`n8n ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
}

export interface StartedN8n {
	url: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

/** Whether something on this machine already listens on the port (on any address n8n could bind). */
export async function portInUse(port: number, host = '0.0.0.0'): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(true));
		server.listen(port, host, () => server.close(() => resolve(false)));
	});
}

/** Whether a process is alive (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Stops a process group (n8n and what it started: its task runner) with SIGTERM, then SIGKILL after
 * `graceMs`. Resolves when the group leader is gone.
 */
export async function stopGroup(pid: number, graceMs = 10_000): Promise<void> {
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-pid, sig);
		} catch {
			try {
				process.kill(pid, sig);
			} catch {
				// already gone
			}
		}
	};
	if (!alive(pid)) return;
	signal('SIGTERM');
	for (let waited = 0; waited < graceMs && alive(pid); waited += 100) await sleep(100);
	if (alive(pid)) signal('SIGKILL');
	for (let waited = 0; waited < 5000 && alive(pid); waited += 100) await sleep(100);
}

export interface StartOptions {
	port: number;
	/** The address n8n listens on (default 127.0.0.1). */
	listen?: string;
	/** Where n8n's output goes (appended); with neither this nor `inherit`, nowhere. */
	logFile?: string;
	/** n8n's output goes to this process's stdout and stderr. */
	inherit?: boolean;
	/** More environment for n8n (over n8nEnv's). */
	env?: Record<string, string>;
}

/**
 * Starts `n8n start` in a process group of its own (so that stopping it also stops its task runner) and
 * waits until it is ready (see isReady). The port must be free: an n8n (or anything) already answering on
 * it would otherwise be taken for this one.
 */
export async function startN8n(
	runtime: Runtime,
	userFolder: string,
	options: StartOptions,
): Promise<StartedN8n> {
	if (await portInUse(options.port, options.listen ?? '127.0.0.1')) {
		throw new Error(
			`port ${options.port} is already in use by another process, so n8n cannot listen on it`,
		);
	}
	const env = n8nEnv(userFolder, {
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: options.listen ?? '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...options.env,
	});
	const out = options.inherit
		? 'inherit'
		: options.logFile
			? fs.openSync(options.logFile, 'a')
			: 'ignore';
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], {
		env,
		stdio: ['ignore', out, out],
		detached: true,
	});
	const url = `http://127.0.0.1:${options.port}`;
	const exited = () => child.exitCode !== null || child.signalCode !== null;
	// Whatever ends this process (an error included), n8n and its task runner do not outlive it.
	const orphanGuard = () => {
		if (!exited() && child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
	};
	process.once('exit', orphanGuard);
	child.once('exit', () => process.off('exit', orphanGuard));
	const stop = async () => {
		if (exited() || child.pid === undefined) return;
		await stopGroup(child.pid);
	};
	const started = Date.now();
	for (;;) {
		if (exited()) {
			const tail =
				options.logFile && fs.existsSync(options.logFile)
					? fs.readFileSync(options.logFile, 'utf8').slice(-3000)
					: '';
			throw new Error(`n8n start exited early (${child.exitCode ?? child.signalCode})\n${tail}`);
		}
		if (Date.now() - started > 180_000) {
			await stop();
			throw new Error('n8n start was not ready after 180 s');
		}
		// Ready only while our own process is alive: the port was free when it started, so what answers is it.
		if ((await isReady(url)) && !exited()) break;
		await sleep(250);
	}
	log(
		`n8n ${runtime.version} ready at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
	);
	return { url, process: child, stop };
}

/**
 * n8n answers HTTP long before it is ready. While it migrates and loads, /rest/settings answers 200 with the
 * text "n8n is starting up. Please wait", then 404 until the REST routes are mounted, and the readiness probe
 * turns 200 on its own schedule (1.x: before the routes; 2.x: after). Ready means both: the probe says so
 * and /rest/settings answers its JSON.
 */
export async function isReady(url: string): Promise<boolean> {
	try {
		if ((await fetch(`${url}/healthz/readiness`)).status !== 200) return false;
		const settings = await fetch(`${url}/rest/settings`);
		if (!settings.ok) return false;
		const body = (await settings.json()) as { data?: unknown };
		return typeof body.data === 'object' && body.data !== null;
	} catch {
		return false;
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logged-in session on n8n's REST API (the one the editor UI uses). */
export class RestSession {
	private cookie = '';

	constructor(readonly url: string) {}

	/** GET a route that answers plain JSON (not wrapped in {data}), with the session cookie. */
	async getJson<T = unknown>(route: string): Promise<T> {
		const response = await fetch(this.url + route, {
			headers: this.cookie ? { cookie: this.cookie } : {},
		});
		if (!response.ok) throw new Error(`GET ${route} → ${response.status}`);
		return (await response.json()) as T;
	}

	async call<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(this.url + route, {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const json = (await response.json().catch(() => null)) as { data?: T } | null;
		if (!response.ok)
			throw new Error(`${method} ${route} → ${response.status} ${JSON.stringify(json)}`);
		return json?.data as T;
	}

	/** Creates the instance owner (first run) and keeps the session cookie. */
	async setupOwner(owner: {
		email: string;
		firstName: string;
		lastName: string;
		password: string;
	}): Promise<void> {
		await this.call('POST', '/rest/owner/setup', owner);
	}

	async login(email: string, password: string): Promise<void> {
		await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	/** What a browser of this session gets for a page (a redirect is answered, not followed). */
	async visit(route: string): Promise<{ status: number; location?: string; text: string }> {
		const response = await fetch(this.url + route, {
			redirect: 'manual',
			headers: this.cookie ? { cookie: this.cookie } : {},
		});
		return {
			status: response.status,
			location: response.headers.get('location') ?? undefined,
			text: await response.text(),
		};
	}
}
