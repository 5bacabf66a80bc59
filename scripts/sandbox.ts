/**
 * The sandbox API: the stateful fake DingTalk + Feishu server from the tests, on a fixed port,
 * so the nodes work without a tenant. Logs every request and any deviation from the documented spec.
 *
 *   node build/scripts/sandbox.js      SANDBOX_PORT (default 5680); SANDBOX_QUIET=1 to log nothing;
 *                                      SANDBOX_FAULTS='{"latencyMs":20}' to switch faults on
 */
import type { Faults } from '../test/fake-api/server';
import { APPS, FakeApi, printAnswers } from '../test/fake-api/server';

async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 5680);
	const quiet = process.env.SANDBOX_QUIET === '1';
	const fake = new FakeApi({
		...(quiet ? {} : { onAnswer: printAnswers((line) => process.stdout.write(line)) }),
		onError: (error, request) =>
			process.stderr.write(
				`[sandbox] failed on ${request.method} ${request.url} (answered 500, still running): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			),
	});
	Object.assign(fake.faults, JSON.parse(process.env.SANDBOX_FAULTS ?? '{}') as Partial<Faults>);
	await fake.start(port);
	process.stdout.write(
		`[sandbox] DingTalk + Feishu sandbox API on ${fake.url}\n` +
			(quiet
				? ''
				: `[sandbox] DingTalk app: ${APPS.dingtalk.appKey}; Feishu app: ${APPS.feishu.appId}\n[sandbox] what the nodes sent, with clickable card buttons: ${fake.url}/\n`),
	);
	const stop = async () => {
		await fake.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
