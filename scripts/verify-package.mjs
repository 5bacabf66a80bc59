#!/usr/bin/env node
/**
 * `npm run verify:package`: what n8n's community-package scanner (@n8n/scan-community-package) checks
 * before a package can be verified, run on this checkout the way the scanner runs it, both legs:
 *   1. the source, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/);
 *   2. the packed tarball (`npm run release:pack`), its .js files and package.json.
 * Both legs use the scanner's own analyzePackage (its pinned ESLint, rule sets and allowInlineConfig: false,
 * so eslint-disable comments do not count). The scanner's CLI also checks npm provenance and fetches the
 * source from GitHub, which needs the network and a published version; those steps are not run here.
 * The tarball must also hold every node and credential package.json declares, with their icons.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`[verify] ${line}\n`);
let failed = false;

function report(leg, result) {
	if (result.passed) {
		say(`${leg}: passed`);
		return;
	}
	failed = true;
	say(`${leg}: FAILED: ${result.message}`);
	if (result.details) process.stdout.write(`${result.details}\n`);
}

report(
	'source (scanner rules, inline config ignored)',
	await analyzePackage(root, SOURCE_FILE_PATTERNS),
);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-package-'));
try {
	const out = execFileSync(
		'npm',
		['run', 'release:pack', '--silent', '--', '--pack-destination', work],
		{
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const tarball = path.join(work, out.trim().split('\n').pop());
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);

	const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
	const declared = [...manifest.n8n.credentials, ...manifest.n8n.nodes];
	const missing = declared.filter((file) => !fs.existsSync(path.join(unpacked, file)));
	for (const file of declared.filter((f) => !missing.includes(f))) {
		// Every icon a node or credential names (file:…svg) must ship beside it.
		const source = fs.readFileSync(path.join(unpacked, file), 'utf8');
		for (const [, icon] of source.matchAll(/file:([\w./-]+\.(?:svg|png))/g)) {
			if (!fs.existsSync(path.join(unpacked, path.dirname(file), icon)))
				missing.push(`${icon} (icon of ${file})`);
		}
		const codex = file.replace(/\.node\.js$/, '.node.json');
		if (file.endsWith('.node.js') && !fs.existsSync(path.join(unpacked, codex)))
			missing.push(`${codex} (codex of ${file})`);
	}
	if (missing.length > 0) {
		failed = true;
		say(`tarball ${path.basename(tarball)}: FAILED: missing ${missing.join(', ')}`);
	} else {
		say(
			`tarball ${path.basename(tarball)}: holds the ${declared.length} nodes and credentials package.json declares, with their icons and codex files`,
		);
	}
	report(
		'tarball (scanner rules on its .js files and package.json)',
		await analyzePackage(unpacked, ['**/*.js', 'package.json']),
	);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
