import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pipeline } from 'stream/promises';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { adler32 } from '../../nodes/shared/checksum';
import { patterned } from '../../test/fixtures';
import { Bench } from '../../test/harness';
import type { BenchTable } from './common';
import { f, feishuToken, limitBound, startFake } from './common';

/**
 * Feishu Drive and documents against the fake enforcing the documented limits (in its own process):
 * - a 200 MB file uploaded (4 MB parts at Drive's 5 calls a second, each with its checksum) and downloaded,
 *   both through n8n's filesystem binary data store, as a share of a bare client's floor (the same calls,
 *   paced to the same limit, from and to a file), with the node's peak memory above its baseline;
 * - 2,000 paragraphs of Markdown appended to one document, in one item and as 2,000 items, as a share of
 *   the limit-bound minimum of the per-document write limit (3 edits a second).
 */
const MB = 1024 * 1024;
const PART = 4 * MB;
const REPORTS = 'fldcnSandboxReports000001';
const DOC = 'doxcnSandboxDoc001';

async function useFilesystemBinaryData(): Promise<string> {
	const folder = mkdtempSync(join(tmpdir(), 'bench-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.availableModes = ['filesystem'];
	config.localStoragePath = folder;
	await Container.get(BinaryDataService).init();
	return folder;
}

/**
 * Peak memory while `work` runs, above what the process held just before: sampled every 10 ms, or, when node
 * runs with --expose-gc (`npm run bench` does), every 20 ms after a collection, so that it is what the run
 * holds rather than garbage V8 has not collected yet.
 */
async function peakOf<T>(
	work: () => Promise<T>,
): Promise<{ result: T; rssMb: number; buffersMb: number }> {
	global.gc?.();
	const before = process.memoryUsage();
	let rss = 0;
	let buffers = 0;
	// With --expose-gc, each sample collects first: what is held, not garbage not yet collected.
	const sample = () => {
		global.gc?.();
		const now = process.memoryUsage();
		rss = Math.max(rss, now.rss - before.rss);
		buffers = Math.max(buffers, now.arrayBuffers - before.arrayBuffers);
	};
	const timer = setInterval(sample, global.gc ? 20 : 10);
	try {
		const result = await work();
		sample();
		return { result, rssMb: rss / MB, buffersMb: buffers / MB };
	} finally {
		clearInterval(timer);
	}
}

/** A client with no n8n and no node: waits until the window of `limit` calls a second has room (no margin). */
function paced(limit: number) {
	const starts: number[] = [];
	return async () => {
		const k = starts.length;
		if (k >= limit) {
			const wait = starts[k - limit] + 1000 - performance.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		}
		starts.push(performance.now());
	};
}

async function transferRows(): Promise<void> {
	const size = Number(process.env.BENCH_DRIVE_MB ?? 200) * MB;
	const folder = await useFilesystemBinaryData();
	const source = join(folder, 'source.bin');
	writeFileSync(source, patterned(size, 5));
	const fake = await startFake({ documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		// A warm process: the token is cached.
		await bench.run({
			node: 'feishu',
			parameters: {
				resource: 'drive',
				operation: 'getAll',
				folder: { __rl: true, mode: 'id', value: REPORTS },
			},
		});
		const parts = Math.ceil(size / PART);

		// The floor: prepare, the parts and finish by a bare client, reading the file part by part, paced to 5 a second.
		const token = await feishuToken(fake.url);
		const headers = { authorization: `Bearer ${token}` };
		const wait = paced(5);
		let started = performance.now();
		await wait();
		const prepared = (await (
			await fetch(`${fake.url}/open-apis/drive/v1/files/upload_prepare`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
				body: JSON.stringify({
					file_name: 'floor.bin',
					parent_type: 'explorer',
					parent_node: REPORTS,
					size,
				}),
			})
		).json()) as { data?: { upload_id: string } };
		if (!prepared.data) throw new Error(`floor prepare: ${JSON.stringify(prepared)}`);
		let seq = 0;
		let floorRefused = 0;
		for await (const chunk of createReadStream(source, { highWaterMark: PART })) {
			const part = chunk as Buffer;
			const form = new FormData();
			form.set('upload_id', prepared.data.upload_id);
			form.set('seq', String(seq++));
			form.set('size', String(part.length));
			form.set('checksum', String(adler32(part)));
			form.set('file', new Blob([part]), 'floor.bin');
			// Paced to the limit with no margin; told "too fast" (the fake counts arrivals), it waits as told and resends.
			for (;;) {
				await wait();
				const response = await fetch(`${fake.url}/open-apis/drive/v1/files/upload_part`, {
					method: 'POST',
					headers,
					body: form,
				});
				const answer = (await response.json()) as { code: number };
				if (answer.code === 99991400) {
					floorRefused++;
					const reset = Number(response.headers.get('x-ogw-ratelimit-reset') ?? 0.05);
					await new Promise((resolve) => setTimeout(resolve, reset * 1000));
					continue;
				}
				if (answer.code !== 0) throw new Error(`floor part ${seq - 1}: ${JSON.stringify(answer)}`);
				break;
			}
		}
		await wait();
		const finished = (await (
			await fetch(`${fake.url}/open-apis/drive/v1/files/upload_finish`, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
				body: JSON.stringify({ upload_id: prepared.data.upload_id, block_num: parts }),
			})
		).json()) as { data: { file_token: string } };
		const floorUpload = (performance.now() - started) / 1000;
		const floorFile = join(folder, 'floor-download.bin');
		await new Promise((resolve) => setTimeout(resolve, 1100));
		started = performance.now();
		const response = await fetch(
			`${fake.url}/open-apis/drive/v1/files/${finished.data.file_token}/download`,
			{ headers },
		);
		await pipeline(response.body as unknown as NodeJS.ReadableStream, createWriteStream(floorFile));
		const floorDownload = (performance.now() - started) / 1000;
		await new Promise((resolve) => setTimeout(resolve, 1100));

		// The node: the file streamed into n8n's binary data by the input node, then uploaded in parts; then
		// downloaded into binary data. Each twice: once timed, once sampled for memory (collecting first).
		const uploadRun = async () => {
			const t = performance.now();
			const run = await bench.run({
				node: 'feishu',
				parameters: {
					resource: 'drive',
					operation: 'upload',
					folder: { __rl: true, mode: 'id', value: REPORTS },
				},
				items: [
					{
						$binary: {
							data: { path: source, fileName: 'node.bin', mimeType: 'application/octet-stream' },
						},
					},
				],
			});
			if (run.error) throw run.error;
			return { token: String(run.json[0].fileToken), seconds: (performance.now() - t) / 1000 };
		};
		const downloadRun = async (fileToken: string) => {
			const t = performance.now();
			const run = await bench.run({
				node: 'feishu',
				parameters: {
					resource: 'drive',
					operation: 'download',
					file: { __rl: true, mode: 'id', value: fileToken },
				},
			});
			if (run.error) throw run.error;
			return (performance.now() - t) / 1000;
		};
		const rest = () => new Promise((resolve) => setTimeout(resolve, 1100));
		const refusedBefore = Object.values((await fake.stats()).tooFast).reduce((a, b) => a + b, 0);
		const upload = await uploadRun();
		await rest();
		const uploadMemory = await peakOf(uploadRun);
		await rest();
		const download = await downloadRun(upload.token);
		await rest();
		const downloadMemory = await peakOf(async () => await downloadRun(upload.token));
		const stats = await fake.stats();
		// The least the upload can take at 5 calls a second: prepare, the parts and finish, one at a time.
		const bound = limitBound(parts + 2, 1, 0, [{ limit: 5, windowMs: 1000 }]);
		process.stdout.write(
			`  upload ${size / MB} MB in ${parts} parts: node ${f(upload.seconds)} s, bare client ${f(floorUpload)} s (${floorRefused} "too fast") ` +
				`(limit-bound minimum ${f(bound)} s) → ${f(floorUpload / upload.seconds)} of the floor (target ≥ 0.90); ` +
				`peak memory above baseline: ${f(uploadMemory.buffersMb, 1)} MB of buffers, ${f(uploadMemory.rssMb, 1)} MB RSS ` +
				`(target < ${(2 * PART) / MB} MB, two parts)\n`,
		);
		process.stdout.write(
			`  download ${size / MB} MB: node ${f(download)} s, bare client ${f(floorDownload)} s → ` +
				`${f(floorDownload / download)} of the floor (target ≥ 0.90); peak memory above baseline: ` +
				`${f(downloadMemory.buffersMb, 1)} MB of buffers, ${f(downloadMemory.rssMb, 1)} MB RSS\n`,
		);
		process.stdout.write(
			`  the node's "too fast" answers: ${Object.values(stats.tooFast).reduce((a, b) => a + b, 0) - refusedBefore}, spec violations: ${stats.violations.length}\n`,
		);
	} finally {
		await fake.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}

async function appendRows(): Promise<void> {
	const latency = 50;
	const paragraphs = Number(process.env.BENCH_DOC_PARAGRAPHS ?? 2000);
	const items = Number(process.env.BENCH_DOC_ITEMS ?? 150);
	const document = { __rl: true, mode: 'id', value: DOC };
	const content = Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1}`).join('\n\n');

	// One item with every paragraph: one convert, then the descendant calls of at most 1,000 blocks, in sequence.
	let fake = await startFake({ latencyMs: latency, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		await bench.run({
			node: 'feishu',
			parameters: { resource: 'document', operation: 'get', document },
		});
		// The floor: a bare client sending the same convert and inserts (bodies built between the calls, as
		// they must be: the inserts are convert's blocks), one after another.
		const token = await feishuToken(fake.url);
		const headers = {
			authorization: `Bearer ${token}`,
			'content-type': 'application/json; charset=utf-8',
		};
		let t = performance.now();
		const converted = (
			(await (
				await fetch(`${fake.url}/open-apis/docx/v1/documents/blocks/convert`, {
					method: 'POST',
					headers,
					body: JSON.stringify({ content_type: 'markdown', content }),
				})
			).json()) as {
				data: { first_level_block_ids: string[]; blocks: Array<Record<string, unknown>> };
			}
		).data;
		const calls = Math.ceil(converted.first_level_block_ids.length / 1000);
		for (let b = 0; b < calls; b++) {
			const ids = converted.first_level_block_ids.slice(b * 1000, (b + 1) * 1000);
			const chosen = new Set(ids);
			const descendants = converted.blocks
				.filter((block) => chosen.has(String(block.block_id)))
				.map(({ parent_id: _p, revision_id: _r, children, ...block }) => ({
					...block,
					...(Array.isArray(children) && children.length > 0 ? { children } : {}),
				}));
			const answer = (await (
				await fetch(
					`${fake.url}/open-apis/docx/v1/documents/${DOC}/blocks/${DOC}/descendant?document_revision_id=-1&client_token=${crypto.randomUUID()}`,
					{
						method: 'POST',
						headers,
						body: JSON.stringify({ children_id: ids, index: -1, descendants }),
					},
				)
			).json()) as { code: number };
			if (answer.code !== 0) throw new Error(`floor insert: ${JSON.stringify(answer)}`);
		}
		const floor = (performance.now() - t) / 1000;
		await fetch(`${fake.url}/__fake/reset`, {
			method: 'POST',
			body: JSON.stringify({ latencyMs: latency, documentedLimits: true }),
		});
		await new Promise((resolve) => setTimeout(resolve, 1100));
		t = performance.now();
		const run = await bench.run({
			node: 'feishu',
			parameters: { resource: 'document', operation: 'appendMarkdown', document, content },
		});
		if (run.error) throw run.error;
		const seconds = (performance.now() - t) / 1000;
		// The inserts at 3 a second (per document and per app), each taking what the floor's took, after convert.
		const perCall = floor / (1 + calls);
		const bound = Math.max(
			floor,
			perCall + limitBound(calls, 1, perCall * 1000, [{ limit: 3, windowMs: 1000 }]),
		);
		process.stdout.write(
			`  append ${paragraphs} paragraphs in one item: ${1 + calls} calls in ${f(seconds)} s; bare client ${f(floor)} s, ` +
				`limit-bound minimum ${f(bound)} s → ${f(bound / seconds)} (target ≥ 0.90)\n`,
		);
	} finally {
		await fake.stop();
	}

	// One paragraph per item: every insert is an edit of the one document, 3 a second, whatever the concurrency.
	// A short answer time (5 ms), so that the per-document limit binds, not 150 answers in a row.
	const quick = 5;
	fake = await startFake({ latencyMs: quick, documentedLimits: true });
	try {
		const bench = new Bench(fake.url);
		await bench.run({
			node: 'feishu',
			parameters: { resource: 'document', operation: 'get', document },
		});
		const t = performance.now();
		const run = await bench.run({
			node: 'feishu',
			parameters: {
				resource: 'document',
				operation: 'appendMarkdown',
				document,
				content: '={{ "Paragraph " + $json.n }}',
			},
			items: Array.from({ length: items }, (_, n) => ({ n })),
			continueOnFail: true,
		});
		const seconds = (performance.now() - t) / 1000;
		const failed = run.json.filter((j) => j.error !== undefined).length;
		const stats = await fake.stats();
		// Each item's convert can overlap the inserts before it; the inserts, one document's, go 3 a second.
		const bound = quick / 1000 + limitBound(items, 1, quick, [{ limit: 3, windowMs: 1000 }]);
		process.stdout.write(
			`  append one paragraph per item, ${items} items: ${f(seconds)} s; limit-bound minimum ${f(bound)} s → ${f(bound / seconds)} (target ≥ 0.90); ` +
				`failed ${failed}, "too fast" ${Object.values(stats.tooFast).reduce((a, b) => a + b, 0)}\n`,
		);
	} finally {
		await fake.stop();
	}
}

export const drive: BenchTable = {
	name: 'drive',
	description:
		'Feishu Drive and documents: a 200 MB upload and download against a bare client, peak memory; 2,000 paragraphs appended to one document',
	async run() {
		process.stdout.write(`\nFeishu Drive and documents (fake enforcing the documented limits):\n`);
		await transferRows();
		await appendRows();
	},
};
