/**
 * `npm run bench`: throughput of the nodes inside n8n-core's execution engine against the local fake
 * API with injected latency. A script, not a timed test. Prints:
 * - items/s, token requests, and the ratio to the latency-bound limit (N × latency / concurrency);
 * - the speed-up over a sequential run (concurrency 1) in the same process;
 * - with a rate limit R on the fake (and the node told R): the achieved rate / R, and failed items;
 * - the floor: a bare HTTP client (no n8n, no node) doing the same requests against the same fake, which
 *   shows how much of the gap to the latency-bound limit is the machine's, not the node's.
 *
 * - pacing at the documented limits: for an API with a per-second limit and one with a per-minute-only
 *   limit, bursts and sustained loads against the fake enforcing the documented windows, as ratios to the
 *   limit-bound minimum, with the "too fast" answers and failed items, beside a plain unpaced client.
 *
 *   BENCH_ITEMS=500 BENCH_LATENCY_MS=50 BENCH_RATE=100 BENCH_SCALE=0.25 npm run bench
 * - messaging at the documented limits: 1,000 sends to 50 chats and 200 sends to one chat, as ratios to the
 *   documented rate and to the limit-bound minimum, with failed, duplicated and "too fast" counts.
 *
 * - DingTalk messaging: 60 custom-robot messages from 3 concurrent executions (achieved rate ÷ 20 a minute,
 *   "too fast" answers) and 500 work notifications that wait for their delivery result (ratio to 20 a second).
 *
 * - the DingTalk Trigger in real n8n: BENCH_DING_EVENTS (1,000) approval events over Stream mode and as many
 *   over HTTP callbacks (encrypted and signed) at BENCH_DING_EVENT_RATE (10) a second; ack p50 / p99 and
 *   executions per event, also after every event is delivered again.
 *
 * - Feishu Bitable: 10,000 records by Create Many (calls, ratio to the limit-bound minimum), read back by
 *   Search with Return All (pages, peak heap), and 1,000 upserts (requests per item).
 *
 * - Feishu Drive and documents: a 200 MB file uploaded in parts and downloaded, as a share of a bare client's
 *   floor, with the node's peak memory; 2,000 paragraphs appended to one document, as a share of the
 *   limit-bound minimum of the per-document write limit.
 *
 * One file per table in scripts/bench/ (throughput, pacing, messaging, dingtalk, bitable, drive, trigger,
 * dingtalkTrigger), listed in ./bench/registry.ts in the order the full run takes them; this file only picks.
 *
 *   BENCH_ONLY=bitable npm run bench
 *   BENCH_ONLY=drive npm run bench       (BENCH_DRIVE_MB=200, BENCH_DOC_PARAGRAPHS=2000, BENCH_DOC_ITEMS=150)
 *   BENCH_ONLY=approvals npm run bench   (BENCH_APPROVALS=500, BENCH_APPROVAL_SCALE=0.25 makes a minute 15 s)
 *   BENCH_ONLY=notable npm run bench     (BENCH_NOTABLE_RECORDS=10000, BENCH_NOTABLE_UPSERTS=1000)
 *   BENCH_ONLY=contacts npm run bench    (BENCH_CONTACT_USERS=10000, BENCH_CONTACT_FANOUT=6)
 *   BENCH_ONLY=trigger npm run bench     (just the Feishu Trigger table; BENCH_EVENTS, BENCH_EVENT_RATE, BENCH_BASELINE=1)
 *   BENCH_ONLY=dingtalkTrigger npm run bench
 *   BENCH_ONLY=dingtalk npm run bench    (just the DingTalk table; BENCH_DING_SCALE=0.25 makes a minute 15 s)
 *   BENCH_ONLY=pacing npm run bench      (just the pacing table)
 *   BENCH_ONLY=messaging npm run bench   (just the messaging table; BENCH_MSG_SCALE=0.5 halves every window)
 */
// Before anything loads n8n-core: its instance settings go to a scratch user folder.
import './lib/quiet-n8n';

import { selectedTable, TABLES } from './bench/registry';

/** BENCH_ONLY=<name>: that table alone (see ./bench/registry.ts); otherwise every table, in the registry's order. */
async function main(): Promise<void> {
	const only = selectedTable(process.env.BENCH_ONLY);
	for (const table of only ? [only] : TABLES) await table.run();
	process.exit(0);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? error.message}\n`);
	process.exit(1);
});
