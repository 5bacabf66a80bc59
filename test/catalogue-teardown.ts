import type { Config } from '@jest/types';

import { catalogueWritten, runsRecorded } from './catalogue-runs';

/**
 * Jest global teardown: after a run of the whole unit suite, every operation of every action node has run
 * through n8n's engine against the fake at least once, with an item out and no error (catalogue.ts records
 * the runs). A run of some files only, or of some tests, checks nothing: it did not mean to run them all.
 */
export default function teardown(globalConfig: Config.GlobalConfig): void {
	const partial =
		globalConfig.testPathPattern !== '' ||
		Boolean(globalConfig.testNamePattern) ||
		globalConfig.onlyChanged ||
		globalConfig.findRelatedTests ||
		globalConfig.onlyFailures;
	if (partial) return;
	const keys = catalogueWritten();
	if (!keys) throw new Error('catalogue.test.ts did not write the catalogue: did it run?');
	const runs = runsRecorded();
	const problems = [
		...keys.filter((k) => !runs.has(k)).map((k) => `${k}: no unit test runs it against the fake`),
		...keys
			.filter((k) => runs.get(k) === false)
			.map((k) => `${k}: every unit test run of it failed (none ran it through)`),
	];
	if (problems.length > 0)
		throw new Error(
			`The catalogue is not covered by the unit tests:\n  ${problems.join('\n  ')}\n` +
				'Add a test that runs each through the harness (test/harness.ts) against the fake.',
		);
}
