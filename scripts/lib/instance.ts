/**
 * One n8n set up the way users set one up, in one call: our packed package installed into the user folder's
 * nodes/ directory, credentials and workflows imported with n8n's CLI, the workflows that should run marked
 * active, and, when asked, `n8n start`. Used by `npm run bench` (trigger tables), `npm run dev`,
 * `npm run test:queue` and the e2e suite; what differs between them is a parameter.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { Runtime, StartedN8n, StartOptions } from './n8n';
import { activateWorkflow, freePort, importFile, installPackage, startN8n } from './n8n';

/** What to import: a list (written with JSON.stringify), or JSON text written as it is. */
export type Importable = readonly unknown[] | string;

export interface SetUpOptions {
	/**
	 * The packed package (packPackage) to install first. Leave it out when the caller installed it already,
	 * because something has to run between the install and the imports (dev's sandbox, queue mode's main
	 * process).
	 */
	tarball?: string;
	/** The folder the import files are written to (made when missing). */
	importDir: string;
	/** Their names in it (default credentials.json and workflows.json). */
	fileNames?: { credentials?: string; workflows?: string };
	/** Indentation of the import files written from lists (JSON.stringify's third argument; default none). */
	indent?: number;
	/** Imported first (`n8n import:credentials`). */
	credentials?: Importable;
	/** Imported after the credentials (`n8n import:workflow`). */
	workflows?: Importable;
	/** IDs of imported workflows to mark active (activateWorkflow), in this order. */
	activate?: readonly string[];
}

/** `n8n start` after the set-up: startN8n's options, where the port may be left out (a free one is chosen then). */
export type SetUpStart = Omit<StartOptions, 'port'> & {
	port?: number;
	/** Called after the imports and activations, just before `n8n start` (dev says what it starts). */
	before?: () => void;
};

/**
 * Installs the package (when `tarball` is given), writes and imports the credentials and then the workflows,
 * activates the workflows named in `activate`, and with `start` starts n8n and returns it. The CLI commands
 * run with n8nEnv's environment over this process's (as n8nCli always does), so a caller's database settings
 * in process.env apply to them too.
 */
export async function setUpN8n(
	runtime: Runtime,
	userFolder: string,
	options: SetUpOptions & { start: SetUpStart },
): Promise<StartedN8n>;
export async function setUpN8n(
	runtime: Runtime,
	userFolder: string,
	options: SetUpOptions & { start?: undefined },
): Promise<void>;
export async function setUpN8n(
	runtime: Runtime,
	userFolder: string,
	options: SetUpOptions & { start?: SetUpStart },
): Promise<StartedN8n | void> {
	if (options.tarball !== undefined) installPackage(userFolder, options.tarball);
	fs.mkdirSync(options.importDir, { recursive: true });
	const write = (name: string, data: Importable) => {
		const file = path.join(options.importDir, name);
		fs.writeFileSync(
			file,
			typeof data === 'string' ? data : JSON.stringify(data, null, options.indent),
		);
		return file;
	};
	const credentialsFile =
		options.credentials === undefined
			? undefined
			: write(options.fileNames?.credentials ?? 'credentials.json', options.credentials);
	const workflowsFile =
		options.workflows === undefined
			? undefined
			: write(options.fileNames?.workflows ?? 'workflows.json', options.workflows);
	if (credentialsFile) await importFile(runtime, userFolder, 'credentials', credentialsFile);
	if (workflowsFile) await importFile(runtime, userFolder, 'workflow', workflowsFile);
	for (const id of options.activate ?? []) await activateWorkflow(runtime, userFolder, id);
	if (!options.start) return;
	const { port, before, ...start } = options.start;
	before?.();
	return await startN8n(runtime, userFolder, { ...start, port: port ?? (await freePort()) });
}
