/**
 * The record of the unit suite's runs of action nodes (catalogue.ts writes it), read by the global
 * setup and teardown. Only file-system work here: jest's global hooks cannot load the nodes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';

/** Where the unit tests' runs are written, one file per jest worker. */
export const RUNS_DIR = join(__dirname, '..', 'build', 'catalogue-runs');

/** Forget the runs of an earlier suite (global setup). */
export function clearRuns(): void {
	rmSync(RUNS_DIR, { recursive: true, force: true });
	mkdirSync(RUNS_DIR, { recursive: true });
}

/** The catalogue's keys, as catalogue.test.ts wrote them (undefined when it did not run). */
export const CATALOGUE_FILE = join(RUNS_DIR, 'catalogue.json');

export function catalogueWritten(): string[] | undefined {
	return existsSync(CATALOGUE_FILE)
		? (JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')) as string[])
		: undefined;
}

/** The operations run so far, and whether each had at least one run with an item out and no error. */
export function runsRecorded(): Map<string, boolean> {
	const runs = new Map<string, boolean>();
	for (const file of readdirSync(RUNS_DIR).filter((f) => f.endsWith('.jsonl'))) {
		for (const line of readFileSync(join(RUNS_DIR, file), 'utf8').split('\n')) {
			if (!line) continue;
			const { key, succeeded } = JSON.parse(line) as { key: string; succeeded: boolean };
			runs.set(key, (runs.get(key) ?? false) || succeeded);
		}
	}
	return runs;
}
