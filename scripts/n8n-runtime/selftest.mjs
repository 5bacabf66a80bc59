#!/usr/bin/env node
// End-to-end check of a cached real n8n (and a worked example of driving it):
//   node scripts/n8n-runtime/selftest.mjs 1.123.81      (or 2.39.10)
// 1. ensureN8n(version)
// 2. builds a throwaway community node package (n8n-nodes-probe: node + credential with a `test` request),
//    `npm pack`s it and installs the tgz into <userFolder>/.n8n/nodes the way users do
// 3. n8n import:workflow + n8n execute --id … --rawOutput, parses the JSON result
// 4. n8n start on a free port, owner setup, login, create credential, POST /rest/credentials/test
//    (good / bad token) against a tiny HTTP server on 127.0.0.1
// Everything happens in a fresh temp dir, only 127.0.0.1 is contacted. Exits non-zero on failure.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureN8n, n8nEnv } from './ensure.mjs';

const version = process.argv[2];
const keep = process.argv.includes('--keep');
const log = (...a) => process.stderr.write(`[selftest ${version}] ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1) + ' s';
const timings = {};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `n8n execute --rawOutput` prints log lines (2.x: task broker, license SDK) before the JSON on stdout. */
export function parseExecuteOutput(stdout) {
  const i = stdout.search(/^\{$/m);
  if (i < 0) throw new Error(`no JSON in n8n execute output:\n${stdout.slice(0, 2000)}`);
  return JSON.parse(stdout.slice(i));
}

function writeProbePackage(dir) {
  const w = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  w('package.json', JSON.stringify({
    name: 'n8n-nodes-probe',
    version: '0.1.0',
    keywords: ['n8n-community-node-package'],
    license: 'MIT',
    files: ['dist'],
    n8n: {
      n8nNodesApiVersion: 1,
      credentials: ['dist/credentials/ProbeApi.credentials.js'],
      nodes: ['dist/nodes/Probe.node.js'],
    },
    peerDependencies: { 'n8n-workflow': '*' },
  }, null, 2));
  w('dist/credentials/ProbeApi.credentials.js', `"use strict";
class ProbeApi {
  constructor() {
    this.name = 'probeApi';
    this.displayName = 'Probe API';
    this.properties = [
      { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
      { displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
    ];
    this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } } };
    this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/check' } };
  }
}
exports.ProbeApi = ProbeApi;
`);
  w('dist/nodes/Probe.node.js', `"use strict";
const { NodeOperationError } = require('n8n-workflow'); // resolved from n8n's own copy
class Probe {
  constructor() {
    this.description = {
      displayName: 'Probe', name: 'probe', group: ['transform'], version: 1, description: 'probe',
      defaults: { name: 'Probe' }, inputs: ['main'], outputs: ['main'],
      credentials: [{ name: 'probeApi', required: false }],
      properties: [{ displayName: 'Message', name: 'message', type: 'string', default: 'hello' }],
    };
  }
  async execute() {
    if (typeof NodeOperationError !== 'function') throw new Error('n8n-workflow not resolvable');
    return [this.getInputData().map((item, i) => ({ json: { probe: true, message: this.getNodeParameter('message', i) } }))];
  }
}
exports.Probe = Probe;
`);
}

const workflow = {
  id: 'selftestProbeWf1',
  name: 'selftest',
  active: false,
  nodes: [
    { parameters: {}, id: 'a0000000-0000-4000-8000-000000000001', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
    {
      parameters: { assignments: { assignments: [{ id: 'x1', name: 'n', value: '={{ 40 + 2 }}', type: 'number' }] }, options: {} },
      id: 'a0000000-0000-4000-8000-000000000002', name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0],
    },
    { parameters: { message: 'hi' }, id: 'a0000000-0000-4000-8000-000000000003', name: 'Probe', type: 'n8n-nodes-probe.probe', typeVersion: 1, position: [400, 0] },
  ],
  connections: {
    Manual: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
    Set: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
  },
  settings: { executionOrder: 'v1' },
  pinData: {},
};

async function main() {
  let t0 = Date.now();
  const rt = await ensureN8n(version);
  timings.ensure = secs(t0);
  log(JSON.stringify(rt));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-selftest-${version}-`));
  const userFolder = path.join(work, 'user');
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  const env = { ...process.env, ...n8nEnv(userFolder), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
  const n8n = (args, opts = {}) =>
    execFileSync(rt.nodeBin, [rt.n8nBin, ...args], { encoding: 'utf8', env, cwd: work, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let server;
  let child;
  try {
    // community package, installed like users do
    const pkgDir = path.join(work, 'probe');
    writeProbePackage(pkgDir);
    const tgz = execFileSync('npm', ['pack', '--silent'], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n').pop();
    fs.mkdirSync(nodesDir, { recursive: true });
    fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
    t0 = Date.now();
    execFileSync('npm', ['install', path.join(pkgDir, tgz), '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: nodesDir, stdio: ['ignore', 2, 2] });
    timings.installCommunityPackage = secs(t0);

    // import + execute
    fs.writeFileSync(path.join(work, 'wf.json'), JSON.stringify(workflow));
    t0 = Date.now();
    n8n(['import:workflow', `--input=${path.join(work, 'wf.json')}`]);
    timings.importWorkflowFreshDb = secs(t0);
    t0 = Date.now();
    const out = parseExecuteOutput(n8n(['execute', `--id=${workflow.id}`, '--rawOutput']));
    timings.execute = secs(t0);
    const probeOut = out.data.resultData.runData.Probe[0].data.main[0][0].json;
    const setOut = out.data.resultData.runData.Set[0].data.main[0][0].json;
    if (out.status !== 'success' || probeOut.probe !== true || setOut.n !== 42) throw new Error(`unexpected execute result ${JSON.stringify(out).slice(0, 1000)}`);
    log(`execute OK: status=${out.status} Set=${JSON.stringify(setOut)} Probe=${JSON.stringify(probeOut)}`);

    // credential test through a started n8n
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization === 'Bearer good') return res.end('{"ok":true}');
      res.statusCode = 401;
      res.end('{"error":"bad token"}');
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const apiBase = `http://127.0.0.1:${server.address().port}`;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    t0 = Date.now();
    const startLog = path.join(work, 'start.log');
    child = spawn(rt.nodeBin, [rt.n8nBin, 'start'], {
      env: { ...env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
      cwd: work,
      stdio: ['ignore', fs.openSync(startLog, 'w'), fs.openSync(startLog, 'a')],
    });
    let exited = null;
    child.on('exit', (c, s) => (exited = `${c ?? s}`));
    // /healthz answers before the REST routes are mounted: wait for /rest/settings instead
    for (let healthy = false; ; await sleep(200)) {
      if (exited !== null) throw new Error(`n8n start exited (${exited}); see ${startLog}:\n${fs.readFileSync(startLog, 'utf8').slice(-3000)}`);
      if (Date.now() - t0 > 180_000) throw new Error('n8n start not ready after 180 s');
      const ok = async (p) => (await fetch(base + p).catch(() => null))?.ok;
      if (!healthy && (await ok('/healthz'))) {
        healthy = true;
        timings.startHealthz = secs(t0);
      }
      if (healthy && (await ok('/rest/settings'))) break;
    }
    timings.startRestReady = secs(t0);
    let cookie = '';
    const call = async (method, p, body) => {
      const r = await fetch(base + p, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
        body: body && JSON.stringify(body),
      });
      const setCookie = r.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
      if (setCookie) cookie = setCookie.split(';')[0];
      const json = await r.json().catch(() => null);
      if (!r.ok) throw new Error(`${method} ${p} -> ${r.status} ${JSON.stringify(json)}`);
      return json.data;
    };
    const owner = { email: 'owner@example.com', firstName: 'Self', lastName: 'Test', password: 'Passw0rdSelftest' };
    await call('POST', '/rest/owner/setup', owner); // also sets the auth cookie
    cookie = '';
    await call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
    const cred = await call('POST', '/rest/credentials', { name: 'probe', type: 'probeApi', data: { baseUrl: apiBase, token: 'good' } });
    const test = (token) => call('POST', '/rest/credentials/test', { credentials: { id: cred.id, name: cred.name, type: 'probeApi', data: { baseUrl: apiBase, token } } });
    t0 = Date.now();
    const good = await test('good');
    timings.credentialTest = secs(t0);
    const bad = await test('bad');
    log(`credential test: good=${JSON.stringify(good)} bad=${JSON.stringify(bad)}`);
    if (good.status !== 'OK' || bad.status !== 'Error') throw new Error('unexpected credential test results');
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) await sleep(100);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    server?.close();
    if (keep) log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  log(`PASS ${JSON.stringify(timings)}`);
  process.stdout.write(JSON.stringify({ version, ok: true, timings }) + '\n');
}

main().catch((e) => {
  log(`FAIL: ${e.stack || e.message}`);
  process.exit(1);
});
