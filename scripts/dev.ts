/**
 * `npm run dev`: a real n8n with this package installed the way users install it, plus the local
 * sandbox API, sandbox credentials and the tour workflows, so every node works without a tenant.
 *
 *   N8N_VERSION=1.123.81 npm run dev     (default: DEFAULT_N8N_VERSION)
 *   N8N_PORT=5678, SANDBOX_PORT=5680, N8N_DEV_DIR (default .n8n-dev/)
 *
 * It owns what it starts: Ctrl-C, a crash of the sandbox (this process) or of n8n stops all of it (n8n,
 * its task runner and the sandbox). n8n's pid is kept in <dev dir>/n8n.pid, so that a run whose process
 * was killed outright leaves nothing that the next run does not find and stop.
 */
import * as fs from 'fs';
import * as path from 'path';

import { APPS, FakeApi, printAnswers } from '../test/fake-api/server';
import { setUpN8n } from './lib/instance';
import {
	alive,
	DEFAULT_N8N_VERSION,
	ensureRuntime,
	installPackage,
	packPackage,
	portInUse,
	RestSession,
	ROOT,
	stopGroup,
	SUPPORTED_N8N_VERSIONS,
} from './lib/n8n';
import type { StartedN8n } from './lib/n8n';
import {
	SANDBOX_HR_WEBHOOK_ID,
	SANDBOX_OWNER,
	sandboxWorkflows,
	sandboxCredentials,
	SANDBOX_TOURS,
} from './lib/workflows';

const say = (message: string) => process.stdout.write(`\n[dev] ${message}\n`);

interface PidFile {
	pid: number;
	port: number;
	version: string;
	userFolder: string;
}

/** Whether `pid` is an n8n that an earlier `npm run dev` started on this user folder (Linux: its command line and environment). */
function isOurN8n(pid: number, userFolder: string): boolean | undefined {
	try {
		const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
		return (
			cmdline.some((a) => a.endsWith('/n8n') || a.endsWith('/bin/n8n')) &&
			environ.includes(`N8N_USER_FOLDER=${userFolder}`)
		);
	} catch {
		// No /proc (not Linux), or not readable: cannot tell.
		return undefined;
	}
}

/** An n8n left running by an earlier run (its process was killed before it could stop n8n): stop it, or say how. */
async function stopStale(pidFile: string): Promise<void> {
	if (!fs.existsSync(pidFile)) return;
	let stale: PidFile;
	try {
		stale = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as PidFile;
	} catch {
		fs.rmSync(pidFile, { force: true });
		return;
	}
	if (!alive(stale.pid)) {
		fs.rmSync(pidFile, { force: true });
		return;
	}
	const ours = isOurN8n(stale.pid, stale.userFolder);
	if (ours === false) {
		// The pid was reused by another program: not ours to stop.
		fs.rmSync(pidFile, { force: true });
		return;
	}
	if (ours === undefined) {
		throw new Error(
			`An earlier "npm run dev" may have left n8n running (pid ${stale.pid}, port ${stale.port}) and this system cannot confirm it is that n8n. Stop it with: kill -TERM -${stale.pid}   then run "npm run dev" again.`,
		);
	}
	say(
		`Stopping the n8n ${stale.version} (pid ${stale.pid}, port ${stale.port}) that an earlier "npm run dev" left running…`,
	);
	await stopGroup(stale.pid);
	fs.rmSync(pidFile, { force: true });
}

async function main(): Promise<void> {
	const version = process.env.N8N_VERSION ?? DEFAULT_N8N_VERSION;
	if (!SUPPORTED_N8N_VERSIONS.includes(version)) {
		throw new Error(
			`N8N_VERSION=${version} is not supported here; choose one of ${SUPPORTED_N8N_VERSIONS.join(', ')}`,
		);
	}
	const port = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.SANDBOX_PORT ?? 5680);
	const devDir = path.resolve(process.env.N8N_DEV_DIR ?? path.join(ROOT, '.n8n-dev'));
	const userFolder = path.join(devDir, `n8n-${version}`);
	const pidFile = path.join(devDir, 'n8n.pid');
	fs.mkdirSync(devDir, { recursive: true });

	await stopStale(pidFile);
	for (const [what, p, variable] of [
		['n8n', port, 'N8N_PORT'],
		['the sandbox', sandboxPort, 'SANDBOX_PORT'],
	] as const) {
		if (await portInUse(p)) {
			throw new Error(
				`Port ${p}, where ${what} should listen, is in use by another program (not one this command started). Stop that program, or choose another port: ${variable}=${p + 10} npm run dev`,
			);
		}
	}

	say('1/5 Building and packing the package (npm run release:pack)…');
	const tarball = packPackage(path.join(devDir, 'packs'));

	say(`2/5 Making sure n8n ${version} is installed (first run: a few minutes, then cached)…`);
	const runtime = ensureRuntime(version);

	say(
		`3/5 Installing ${path.basename(tarball)} into ${path.relative(ROOT, userFolder) || userFolder}/.n8n/nodes…`,
	);
	installPackage(userFolder, tarball);

	say(`4/5 Starting the sandbox DingTalk + Feishu API on http://127.0.0.1:${sandboxPort}…`);
	const sandbox = new FakeApi({
		onAnswer: printAnswers((line) => process.stdout.write(line)),
		onError: (error, request) =>
			process.stderr.write(
				`[sandbox] failed on ${request.method} ${request.url} (answered 500, still running): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			),
	});
	await sandbox.start(sandboxPort);
	// n8n's OAuth Redirect URL (its instance URL, here WEBHOOK_URL's host), registered in the sandbox's app
	// as a developer registers it in the console: the user credential connects with one click.
	for (const host of ['localhost', '127.0.0.1'])
		sandbox.oauth.registerRedirect(`http://${host}:${port}/rest/oauth2-credential/callback`);

	// Set once n8n runs; the stop below takes whatever is running by then.
	const running: { n8n?: StartedN8n } = {};
	let stopping = false;
	const stop = async (code: number, why?: string) => {
		if (stopping) return;
		stopping = true;
		say(why ? `${why} Stopping n8n and the sandbox…` : 'Stopping n8n and the sandbox…');
		await running.n8n?.stop();
		fs.rmSync(pidFile, { force: true });
		await sandbox.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGHUP', () => void stop(0));
	// A crash of this process (which is the sandbox) takes n8n down with it, rather than leaving it orphaned.
	const crash = (error: unknown) => {
		process.stderr.write(
			`[dev] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		void stop(1, 'The sandbox crashed.');
	};
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);

	// The package is installed already (step 3): the credentials need the sandbox's address first.
	const n8n = await setUpN8n(runtime, userFolder, {
		importDir: path.join(devDir, 'import'),
		indent: 2,
		credentials: sandboxCredentials(sandbox.url),
		workflows: sandboxWorkflows(sandbox.url),
		activate: SANDBOX_TOURS.filter((t) => t.active).map((t) => t.id),
		start: {
			port,
			listen: '0.0.0.0',
			inherit: true,
			env: { WEBHOOK_URL: `http://localhost:${port}/` },
			before: () => say(`5/5 Starting n8n ${version} on http://localhost:${port}…`),
		},
	});
	running.n8n = n8n;
	fs.writeFileSync(
		pidFile,
		JSON.stringify({ pid: n8n.process.pid ?? 0, port, version, userFolder } satisfies PidFile),
	);
	n8n.process.on(
		'exit',
		(exitCode, signal) => void stop(1, `n8n exited (${signal ?? `code ${exitCode}`}).`),
	);

	const session = new RestSession(n8n.url);
	const owner = await session.setupOwner(SANDBOX_OWNER).then(
		() => 'created',
		async () =>
			await session.login(SANDBOX_OWNER.email, SANDBOX_OWNER.password).then(
				() => 'existing',
				() => 'changed',
			),
	);
	const account =
		owner === 'changed'
			? `      The owner of ${path.relative(ROOT, userFolder) || userFolder} is no longer ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password} (changed in n8n): log in with yours, or delete that folder for a fresh start.`
			: `      Log in with ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password}${owner === 'existing' ? ' (the owner this folder got on its first run)' : ''}`;
	say(
		[
			`n8n ${version} is running: http://localhost:${port}`,
			account,
			`      Open one of the tours and click "Execute workflow": ${SANDBOX_TOURS.filter(
				(t) => !t.active,
			)
				.map((t) => `"${t.name}"`)
				.join(', ')}.`,
			`      What the nodes sent, with clickable card buttons (Send and Wait): ${sandbox.url}/`,
			'      To act as a Feishu user: open the credential "Feishu user (sandbox, OAuth2)", click Connect my account, and choose Authentication "User (OAuth2)" in a Feishu node.',
			`      The active "Feishu Trigger sandbox tour" listens on the long connection: send it an event with`,
			`        curl -X POST ${sandbox.url}/__fake/events -d '{"to":"longConnection","text":"hello"}'`,
			"      and see the execution in n8n's executions list (and its reply on the sandbox page).",
			`      The active "HR onboarding sandbox tour (Feishu, active)" listens for new hires: send it one with`,
			`        curl -X POST ${sandbox.url}/__fake/events -d '{"to":"http://localhost:${port}/webhook/${SANDBOX_HR_WEBHOOK_ID}/webhook","kind":"userCreated","text":"Li Lei"}'`,
			`      The active "DingTalk robot that answers (sandbox)" listens over Stream mode: send it a robot message with`,
			`        curl -X POST ${sandbox.url}/__fake/events -d '{"to":"dingtalkStream","text":"hello"}'`,
			`      Sandbox credentials "DingTalk sandbox" (${APPS.dingtalk.appKey}) and "Feishu sandbox" (${APPS.feishu.appId}) point at ${sandbox.url}.`,
			'      Press Ctrl-C to stop n8n and the sandbox.',
		].join('\n'),
	);
}

main().catch((error: Error) => {
	process.stderr.write(`[dev] ${error.message}\n`);
	process.exit(1);
});
