/**
 * Before the e2e suite: the n8n runtimes it runs, installed side by side on a new machine (about 4
 * minutes each one after the other; cached afterwards, when this returns at once).
 */
import { ensureRuntimes, SUPPORTED_N8N_VERSIONS } from '../../scripts/lib/n8n';

export default async function globalSetup(): Promise<void> {
	const versions = (process.env.E2E_N8N_VERSIONS ?? SUPPORTED_N8N_VERSIONS.join(','))
		.split(',')
		.filter(Boolean);
	await ensureRuntimes(versions);
}
