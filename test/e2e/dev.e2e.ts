/**
 * `npm run dev` as users run it: the command itself (build, pack, the sandbox with its printer, n8n), then
 * every tour clicked through n8n's REST API the way the editor's "Execute workflow" does, twice each, every
 * node green; the trigger commands it prints sent as curl would; Send and Wait answered from the sandbox's
 * page; requests that must not kill the sandbox; a killed `npm run dev` whose n8n the next one finds and
 * stops; and Ctrl-C, after which nothing it started is left running.
 */
import type { ChildProcess } from 'child_process';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
	alive,
	ensureRuntime,
	freePort,
	portInUse,
	RestSession,
	ROOT,
	SUPPORTED_N8N_VERSIONS,
} from '../../scripts/lib/n8n';
import type { Runtime } from '../../scripts/lib/n8n';
import { SANDBOX_HR_WEBHOOK_ID, SANDBOX_OWNER, SANDBOX_TOURS } from '../../scripts/lib/workflows';

const versions = (process.env.E2E_N8N_VERSIONS ?? SUPPORTED_N8N_VERSIONS.join(','))
	.split(',')
	.filter(Boolean);
/** The stale-process case restarts n8n once more; once, on the default version, is enough to show it. */
const STALE_CASE_VERSION = versions[versions.length - 1];

interface Dev {
	child: ChildProcess;
	output: () => string;
	/** The exit code, or the signal that ended it (npm re-raises the Ctrl-C it got). */
	exited: Promise<number | string | null>;
}

/** Runs `npm run dev` in a process group of its own, as a terminal would (Ctrl-C goes to the whole group). */
function startDev(env: Record<string, string>): Dev {
	let output = '';
	const child = spawn('npm', ['run', 'dev'], {
		cwd: ROOT,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
	const exited = new Promise<number | string | null>((resolve) =>
		child.on('exit', (code, signal) => resolve(code ?? signal)),
	);
	return { child, output: () => output, exited };
}

async function until<T>(
	what: string,
	find: () => T | undefined | Promise<T | undefined>,
	timeoutMs: number,
	context = () => '',
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const found = await find();
		if (found !== undefined) return found;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${context().slice(-4000)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

interface RunData {
	[node: string]: Array<{
		error?: { message: string };
		data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
	}>;
}

describe.each(versions)('npm run dev with n8n %s', (version) => {
	let runtime: Runtime;
	let dev: Dev;
	let devDir: string;
	let n8nUrl: string;
	let sandboxUrl: string;
	let session: RestSession;
	let flatted: { parse(text: string): unknown };
	const major = Number(version.split('.')[0]);

	const ready = async (d: Dev) =>
		await until(
			`"npm run dev" to say n8n ${version} is running`,
			() => (d.output().includes(`n8n ${version} is running`) ? true : undefined),
			15 * 60 * 1000,
			d.output,
		);

	beforeAll(
		async () => {
			runtime = ensureRuntime(version);
			flatted = require(path.join(runtime.n8nDir, 'node_modules', 'flatted')) as typeof flatted;
			devDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-dev-e2e-'));
			const [n8nPort, sandboxPort] = [await freePort(), await freePort()];
			n8nUrl = `http://localhost:${n8nPort}`;
			sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
			dev = startDev({
				N8N_VERSION: version,
				N8N_PORT: String(n8nPort),
				SANDBOX_PORT: String(sandboxPort),
				N8N_DEV_DIR: devDir,
			});
			await ready(dev);
			session = new RestSession(n8nUrl);
			await session.login(SANDBOX_OWNER.email, SANDBOX_OWNER.password);
		},
		20 * 60 * 1000,
	);

	afterAll(async () => {
		// Whatever a failed case left: the dev group, then the n8n its pid file names.
		for (const pid of [dev?.child.pid, pidOfN8n()]) {
			if (pid && alive(pid)) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
		}
		if (!process.env.E2E_KEEP) fs.rmSync(devDir, { recursive: true, force: true });
	});

	function pidOfN8n(): number | undefined {
		try {
			return (JSON.parse(fs.readFileSync(path.join(devDir, 'n8n.pid'), 'utf8')) as { pid: number })
				.pid;
		} catch {
			return undefined;
		}
	}

	/** "Execute workflow" as the editor sends it: from the tour's manual trigger. Answers the execution's ID. */
	async function click(workflowId: string): Promise<string> {
		const workflow = await session.call<{
			id: string;
			nodes: Array<{ name: string; type: string }>;
		}>('GET', `/rest/workflows/${workflowId}`);
		const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!.name;
		const body =
			major >= 2
				? { triggerToStartFrom: { name: trigger } }
				: { workflowData: workflow, triggerToStartFrom: { name: trigger } };
		const started = await session.call<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			body,
		);
		expect(started.executionId).toBeDefined();
		return String(started.executionId);
	}

	async function execution(
		id: string,
	): Promise<{ status: string; runData: RunData; error?: string }> {
		const found = await session.call<{ status: string; data: string }>(
			'GET',
			`/rest/executions/${id}`,
		);
		const data = (typeof found.data === 'string' ? flatted.parse(found.data) : found.data) as {
			resultData?: { runData?: RunData; error?: { message: string } };
		};
		return {
			status: found.status,
			runData: data?.resultData?.runData ?? {},
			error: data?.resultData?.error?.message,
		};
	}

	async function settled(id: string, statuses = ['success', 'error', 'crashed', 'canceled']) {
		return await until(
			`execution ${id} to reach ${statuses.join(' or ')}`,
			async () => {
				const e = await execution(id);
				// n8n 1.x stores the finished status a moment before the run's data: wait for both.
				return statuses.includes(e.status) && Object.keys(e.runData).length > 0 ? e : undefined;
			},
			120_000,
			dev.output,
		);
	}

	/** Every node ran without an error, and no item is an error item. */
	function green(runData: RunData): Record<string, string | undefined> {
		const verdict: Record<string, string | undefined> = {};
		for (const [node, tasks] of Object.entries(runData)) {
			const task = tasks[tasks.length - 1];
			const itemError = (task.data?.main ?? []).flat().find((i) => i?.json?.error !== undefined)
				?.json.error;
			verdict[node] =
				task.error?.message ?? (itemError === undefined ? undefined : String(itemError));
		}
		return verdict;
	}

	/** Tours that wait for a person: each has its own test below. */
	const WAITING_TOURS = ['SandboxWait00001', 'SandboxApproval1'];
	const clickTours = SANDBOX_TOURS.filter((t) => !t.active && !WAITING_TOURS.includes(t.id));

	it.each(clickTours.map((t) => [t.name, t.id]))(
		'the tour "%s" runs green when clicked, twice',
		async (_name, id) => {
			for (const round of [1, 2]) {
				const done = await settled(await click(id));
				const verdict = green(done.runData);
				expect({ round, status: done.status, error: done.error, verdict }).toEqual({
					round,
					status: 'success',
					error: undefined,
					verdict: Object.fromEntries(Object.keys(verdict).map((n) => [n, undefined])),
				});
				expect(Object.keys(verdict).length).toBeGreaterThanOrEqual(3);
			}
		},
	);

	it('the sandbox printed each request it answered, as the user sees it', () => {
		expect(dev.output()).toMatch(/\[sandbox\] POST \/__fake\/reset → 200/);
		expect(dev.output()).toMatch(/\[sandbox\] POST \/open-apis\/im\/v1\/messages → 200/);
		expect(dev.output()).not.toMatch(/spec violation/);
	});

	/** A waiting tour's run, once it succeeded: the texts it reported to oc_sandbox_ops. */
	async function reportOf(round: number, id: string): Promise<string[]> {
		const done = await settled(id);
		expect({ round, status: done.status, verdict: green(done.runData) }).toMatchObject({
			round,
			status: 'success',
		});
		const { messages } = (await (await fetch(`${sandboxUrl}/__fake/messages`)).json()) as {
			messages: Array<{ chat_id: string; body: { content: string } }>;
		};
		return messages
			.filter((m) => m.chat_id === 'oc_sandbox_ops')
			.map((m) => (JSON.parse(m.body.content) as { text: string }).text);
	}

	it('Send and Wait: the cards show on the sandbox page, and clicking their buttons answers them', async () => {
		for (const round of [1, 2]) {
			const id = await click('SandboxWait00001');
			const press = async (label: string, notBefore: number) => {
				await settled(id, ['waiting']);
				const page = await (await fetch(`${sandboxUrl}/`)).text();
				const links = [...page.matchAll(/<a class="button" href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map(
					(m) => ({ url: m[1].replaceAll('&amp;', '&'), label: m[2] }),
				);
				const link = links.filter((l) => l.label === label)[notBefore];
				expect({ round, label, found: link !== undefined }).toEqual({ round, label, found: true });
				const answer = await fetch(link.url);
				expect(answer.status).toBe(200);
			};
			// Feishu's card comes first (the page lists newest first, so it is the second "Ship it" once both are there).
			await press('Ship it', 0);
			await until(
				'the DingTalk card',
				async () =>
					(
						(await (await fetch(`${sandboxUrl}/__fake/messages`)).json()) as {
							dingtalk: { robotMessages: unknown[] };
						}
					).dingtalk.robotMessages.length > 0
						? true
						: undefined,
				60_000,
				dev.output,
			);
			await press('Hold', 0);
			// The notes' button opens n8n's form page; the person writes and sends it.
			await settled(id, ['waiting']);
			const notes = await until(
				'the release notes card',
				async () => {
					const page = await (await fetch(`${sandboxUrl}/`)).text();
					const found = /<a class="button" href="([^"]+)"[^>]*>Write notes<\/a>/.exec(page);
					return found ? found[1].replaceAll('&amp;', '&') : undefined;
				},
				60_000,
				dev.output,
			);
			const form = await fetch(notes);
			expect({
				round,
				status: form.status,
				form: (await form.text()).includes('n8n-form'),
			}).toEqual({ round, status: 200, form: true });
			const body = new FormData();
			body.append('field-0', `Faster sync (${round})`);
			expect((await fetch(notes, { method: 'POST', body })).status).toBe(200);
			const report = await reportOf(round, id);
			expect(report).toEqual([
				`Feishu: approved, DingTalk: declined, notes: Faster sync (${round})`,
			]);
		}
	});

	it("Approval tour: DingTalk's claim approved by the bot for both approvers; Feishu's waits until the sandbox page's Approve or Reject, then reports both", async () => {
		for (const [round, label, outcome] of [
			[1, 'Approve', 'APPROVED'],
			[2, 'Reject', 'REJECTED'],
		] as const) {
			const id = await click('SandboxApproval1');
			await settled(id, ['waiting']);
			const page = await (await fetch(`${sandboxUrl}/`)).text();
			const links = [...page.matchAll(/<a class="button" href="([^"]+)"[^>]*>([^<]+)<\/a>/g)]
				.map((m) => ({ url: m[1].replaceAll('&amp;', '&'), label: m[2] }))
				.filter((l) => l.url.includes('/__fake/approvals/decide?platform=feishu'));
			// Only the Feishu claim is pending: DingTalk's was approved by the tour itself.
			expect({ round, labels: links.map((l) => l.label) }).toEqual({
				round,
				labels: ['Approve', 'Reject'],
			});
			const answer = await fetch(links.find((l) => l.label === label)!.url);
			expect({ round, status: answer.status }).toEqual({ round, status: 200 });
			const report = await reportOf(round, id);
			expect({ round, report }).toEqual({ round, report: [`DingTalk: agree, Feishu: ${outcome}`] });
		}
	});

	/** The number of successful executions of a workflow so far. */
	const successes = async (workflowId: string) => {
		const data = await session.call<{ results?: Array<{ status?: string }> }>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
		);
		return (data.results ?? []).filter((e) => e.status === 'success').length;
	};
	const lastExecution = async (workflowId: string) => {
		const data = await session.call<{ results?: Array<{ id?: string }> }>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=1`,
		);
		return data.results?.[0]?.id;
	};
	const failures = async (workflowId: string) => {
		const data = await session.call<{ results?: Array<{ status?: string }> }>(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`,
		);
		return (data.results ?? []).filter(
			(e) => e.status !== 'success' && e.status !== 'running' && e.status !== 'new',
		).length;
	};

	it.each([
		[
			'the printed Feishu long-connection command',
			'SandboxTrigger01',
			{ to: 'longConnection', text: 'hello' },
		],
		[
			'a group message',
			'SandboxTrigger01',
			{ to: 'longConnection', text: 'hello group', chatType: 'group' },
		],
		['a card action', 'SandboxTrigger01', { to: 'longConnection', kind: 'card' }],
		[
			'the printed DingTalk Stream command',
			'SandboxDingBot01',
			{ to: 'dingtalkStream', text: 'hello' },
		],
		[
			'a file sent to the DingTalk robot',
			'SandboxDingBot01',
			{ to: 'dingtalkStream', kind: 'file', text: 'notes.txt' },
		],
	])(
		'%s starts one successful execution of the active trigger workflow',
		async (_what, workflowId, event) => {
			// The long connection and the Stream connection open after n8n is ready.
			const before = await successes(workflowId);
			const sent = await until(
				'the trigger to be connected',
				async () => {
					const r = await fetch(`${sandboxUrl}/__fake/events`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: JSON.stringify(event),
					});
					return r.status === 502 ? undefined : r;
				},
				60_000,
				dev.output,
			);
			expect({ status: sent.status, body: await sent.json() }).toMatchObject({
				status: 200,
				body: { delivered: true },
			});
			await until(
				'a successful execution',
				async () => ((await successes(workflowId)) > before ? true : undefined),
				60_000,
				dev.output,
			);
			expect(await failures(workflowId)).toBe(0);
		},
	);

	it("HR onboarding: a new hire sent to the active tour's webhook gets their department, a welcome meeting and an onboarding task, and a welcome message, in one execution", async () => {
		await fetch(`${sandboxUrl}/__fake/reset`, { method: 'POST' });
		const before = await successes('SandboxHrOnboard');
		const sent = await until(
			'the HR webhook to be registered',
			async () => {
				const r = await fetch(`${sandboxUrl}/__fake/events`, {
					method: 'POST',
					body: JSON.stringify({
						to: `${n8nUrl}/webhook/${SANDBOX_HR_WEBHOOK_ID}/webhook`,
						kind: 'userCreated',
						text: 'Li Lei',
					}),
				});
				const body = (await r.json()) as { answer?: { status?: number } };
				return body.answer?.status === 404 ? undefined : { status: r.status, body };
			},
			60_000,
			dev.output,
		);
		expect(sent).toMatchObject({ status: 200, body: { delivered: true, answer: { status: 200 } } });
		await until(
			'a successful execution',
			async () => ((await successes('SandboxHrOnboard')) > before ? true : undefined),
			60_000,
			dev.output,
		);
		expect(await failures('SandboxHrOnboard')).toBe(0);
		const report = await reportOf(1, String(await lastExecution('SandboxHrOnboard')));
		expect(report).toEqual([
			expect.stringMatching(
				/^Welcome, Li Lei \(Backend\): meeting at \d{4}-\d\d-\d\dT02:00:00\.000Z, onboarding task due \d{4}-\d\d-\d\dT10:00:00\.000Z$/,
			),
		]);
	});

	it("the sandbox's Feishu user credential connects with one click (Connect my account), and a reset keeps it connectable", async () => {
		// A reset (every tour starts with one) must not unregister n8n's redirect URL.
		await fetch(`${sandboxUrl}/__fake/reset`, { method: 'POST' });
		const authUrl = await session.call<string>(
			'GET',
			'/rest/oauth2-credential/auth?id=FeishuUserSandbx',
		);
		expect(authUrl.startsWith(`${sandboxUrl}/open-apis/authen/v1/authorize?`)).toBe(true);
		// The browser opens the page: the sandbox's user agrees at once and is sent to n8n's callback.
		const page = await fetch(authUrl, { redirect: 'manual' });
		expect(page.status).toBe(302);
		const back = new URL(String(page.headers.get('location')));
		expect(back.pathname).toBe('/rest/oauth2-credential/callback');
		expect(back.searchParams.get('code')).toBeTruthy();
		const callback = await session.visit(`${back.pathname}${back.search}`);
		expect({ status: callback.status, error: /error/i.test(callback.text) }).toEqual({
			status: 200,
			error: false,
		});
	});

	it('nothing a workflow or a curl sends can stop the sandbox: bad bodies and unknown routes are answered', async () => {
		const answers = await Promise.all([
			fetch(`${sandboxUrl}/__fake/reset`, { method: 'POST' }),
			fetch(`${sandboxUrl}/__fake/reset`, { method: 'POST', body: '{not json' }),
			fetch(`${sandboxUrl}/__fake/events`, { method: 'POST', body: 'hello' }),
			fetch(`${sandboxUrl}/__fake/events`, { method: 'POST', body: '{"to":"nowhere"}' }),
			fetch(`${sandboxUrl}/__fake/events`, { method: 'POST', body: '[1,2]' }),
			fetch(`${sandboxUrl}/__fake/nope`),
			fetch(`${sandboxUrl}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
				method: 'POST',
				body: '\u0000\u0001garbage',
			}),
			fetch(`${sandboxUrl}/${'x'.repeat(5000)}`),
			fetch(`${sandboxUrl}/v1.0/robot/groupMessages/send`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ a: { b: { c: [null, {}, []] } } }),
			}),
		]);
		expect(answers.map((a) => a.status)).toEqual([200, 400, 400, 400, 400, 404, 400, 404, 400]);
		expect((await fetch(`${sandboxUrl}/`)).status).toBe(200);
		expect(dev.child.exitCode).toBeNull();
		expect(dev.output()).not.toMatch(/TypeError|Cannot read properties/);
	});

	if (version === STALE_CASE_VERSION) {
		it(
			'a killed "npm run dev" leaves n8n running; the next one finds it, stops it, and starts its own',
			async () => {
				const stale = pidOfN8n()!;
				expect(alive(stale)).toBe(true);
				process.kill(-dev.child.pid!, 'SIGKILL');
				await dev.exited;
				// n8n lives in a process group of its own: killing the terminal's group outright leaves it (as the issue saw).
				expect(alive(stale)).toBe(true);
				const port = new URL(n8nUrl).port;
				dev = startDev({
					N8N_VERSION: version,
					N8N_PORT: port,
					SANDBOX_PORT: new URL(sandboxUrl).port,
					N8N_DEV_DIR: devDir,
				});
				await ready(dev);
				expect(dev.output()).toContain(
					`Stopping the n8n ${version} (pid ${stale}, port ${port}) that an earlier "npm run dev" left running`,
				);
				expect(alive(stale)).toBe(false);
				expect(pidOfN8n()).not.toBe(stale);
				// The account it names is the one it printed, and it works.
				expect(dev.output()).toContain(
					`Log in with ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password} (the owner this folder got on its first run)`,
				);
				session = new RestSession(n8nUrl);
				await session.login(SANDBOX_OWNER.email, SANDBOX_OWNER.password);
				const done = await settled(await click('SandboxTour00001'));
				expect(done.status).toBe('success');
			},
			10 * 60 * 1000,
		);
	}

	it(
		'refuses a port that another program holds, instead of calling it ready',
		async () => {
			const second = startDev({
				N8N_VERSION: version,
				N8N_PORT: new URL(n8nUrl).port,
				SANDBOX_PORT: String(await freePort()),
				N8N_DEV_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-dev-e2e-other-')),
			});
			expect(await second.exited).toBe(1);
			expect(second.output()).toMatch(
				new RegExp(
					`Port ${new URL(n8nUrl).port}, where n8n should listen, is in use by another program`,
				),
			);
			expect(second.output()).not.toContain('is running');
		},
		5 * 60 * 1000,
	);

	it('Ctrl-C stops n8n, its task runner and the sandbox', async () => {
		const n8nPid = pidOfN8n()!;
		process.kill(-dev.child.pid!, 'SIGINT');
		expect([0, 'SIGINT']).toContain(await dev.exited);
		// npm may be gone before the script it ran has finished stopping n8n: wait for that, not for npm.
		await until('n8n to stop', () => (alive(n8nPid) ? undefined : true), 30_000, dev.output);
		await until(
			'the pid file to go',
			() => (fs.existsSync(path.join(devDir, 'n8n.pid')) ? undefined : true),
			30_000,
			dev.output,
		);
		expect(dev.output()).toContain('Stopping n8n and the sandbox');
		// Nothing of its process group is left (the task runner of n8n 2.x among it).
		expect(() => process.kill(-n8nPid, 0)).toThrow();
		expect(await portInUse(Number(new URL(n8nUrl).port))).toBe(false);
		expect(await portInUse(Number(new URL(sandboxUrl).port))).toBe(false);
		expect(fs.existsSync(path.join(devDir, 'n8n.pid'))).toBe(false);
	}, 60_000);
});
