/**
 * `npm run dev`: a real n8n with this package installed the way users install it, plus the local
 * sandbox API, sandbox credentials and an example workflow, so every node works without a tenant.
 *
 *   N8N_VERSION=1.123.81 npm run dev     (default: DEFAULT_N8N_VERSION)
 *   N8N_PORT=5678, SANDBOX_PORT=5680
 *
 * Ctrl-C stops n8n and the sandbox.
 */
import * as fs from 'fs';
import * as path from 'path';

import { APPS, FakeApi, printAnswers } from '../test/fake-api/server';
import {
	activateWorkflow,
	DEFAULT_N8N_VERSION,
	ensureRuntime,
	importFile,
	installPackage,
	packPackage,
	RestSession,
	ROOT,
	startN8n,
	SUPPORTED_N8N_VERSIONS,
} from './lib/n8n';
import { bitableWorkflow, dingTalkMessagingWorkflow, dingTalkRobotWorkflow, exampleWorkflow, messagingWorkflow, sandboxCredentials, triggerWorkflow } from './lib/workflows';

const OWNER = { email: 'owner@example.com', firstName: 'Sandbox', lastName: 'Owner', password: 'SandboxPassw0rd' };

const say = (message: string) => process.stdout.write(`\n[dev] ${message}\n`);

async function main(): Promise<void> {
	const version = process.env.N8N_VERSION ?? DEFAULT_N8N_VERSION;
	if (!SUPPORTED_N8N_VERSIONS.includes(version)) {
		throw new Error(`N8N_VERSION=${version} is not supported here; choose one of ${SUPPORTED_N8N_VERSIONS.join(', ')}`);
	}
	const port = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.SANDBOX_PORT ?? 5680);
	const devDir = path.join(ROOT, '.n8n-dev');
	const userFolder = path.join(devDir, `n8n-${version}`);

	say('1/5 Building and packing the package (npm run release:pack)…');
	const tarball = packPackage(path.join(devDir, 'packs'));

	say(`2/5 Making sure n8n ${version} is installed (first run: a few minutes, then cached)…`);
	const runtime = ensureRuntime(version);

	say(`3/5 Installing ${path.basename(tarball)} into ${path.relative(ROOT, userFolder)}/.n8n/nodes…`);
	installPackage(userFolder, tarball);

	say(`4/5 Starting the sandbox DingTalk + Feishu API on http://127.0.0.1:${sandboxPort}…`);
	const sandbox = new FakeApi({ onAnswer: printAnswers((line) => process.stdout.write(line)) });
	await sandbox.start(sandboxPort);
	const files = path.join(devDir, 'import');
	fs.mkdirSync(files, { recursive: true });
	fs.writeFileSync(path.join(files, 'credentials.json'), JSON.stringify(sandboxCredentials(sandbox.url), null, 2));
	fs.writeFileSync(path.join(files, 'workflows.json'), JSON.stringify([exampleWorkflow(sandbox.url), messagingWorkflow(sandbox.url), dingTalkMessagingWorkflow(sandbox.url), bitableWorkflow(sandbox.url), triggerWorkflow(), dingTalkRobotWorkflow()], null, 2));
	await importFile(runtime, userFolder, 'credentials', path.join(files, 'credentials.json'));
	await importFile(runtime, userFolder, 'workflow', path.join(files, 'workflows.json'));
	await activateWorkflow(runtime, userFolder, 'SandboxTrigger01');
	await activateWorkflow(runtime, userFolder, 'SandboxDingBot01');

	say(`5/5 Starting n8n ${version} on http://localhost:${port}…`);
	const n8n = await startN8n(runtime, userFolder, { port, listen: '0.0.0.0', inherit: true });
	const session = new RestSession(n8n.url);
	const ownerCreated = await session.setupOwner(OWNER).then(
		() => true,
		() => false,
	);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('Stopping n8n and the sandbox…');
		await n8n.stop();
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	n8n.process.on('exit', () => void stop());

	say(
		[
			`n8n ${version} is running: http://localhost:${port}`,
			ownerCreated
				? `      Log in with ${OWNER.email} / ${OWNER.password}`
				: '      Log in with the owner account you created earlier in this folder',
			'      Open the workflow "DingTalk & Feishu sandbox tour" (or "Feishu messaging sandbox tour", "DingTalk messaging sandbox tour", "Feishu Bitable sandbox tour") and click "Execute workflow".',
			`      Messages the sandbox received: ${sandbox.url}/__fake/messages`,
			`      The active "Feishu Trigger sandbox tour" listens on the long connection: send it an event with`,
			`        curl -X POST ${sandbox.url}/__fake/events -d '{"to":"longConnection","text":"hello"}'`,
			'      and see the execution in n8n\'s executions list (and its reply in the messages above).',
			`      The active "DingTalk robot that answers (sandbox)" listens over Stream mode: send it a robot message with`,
			`        curl -X POST ${sandbox.url}/__fake/events -d '{"to":"dingtalkStream","text":"hello"}'`,
			'      and its reply appears under dingtalk.sessionReplies in the messages above.',
			`      Sandbox credentials "DingTalk sandbox" (${APPS.dingtalk.appKey}) and "Feishu sandbox" (${APPS.feishu.appId}) point at ${sandbox.url}.`,
			'      Press Ctrl-C to stop.',
		].join('\n'),
	);
}

main().catch((error: Error) => {
	process.stderr.write(`[dev] ${error.message}\n`);
	process.exit(1);
});
