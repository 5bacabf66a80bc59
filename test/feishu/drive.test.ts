/**
 * Feishu Drive (云空间) through n8n's engine against the fake Drive (test/fake-api/feishu-drive): uploads
 * whole and in parts with their checksums, streamed from and into n8n's filesystem binary data store;
 * downloads; folders, copy, move and delete with their tasks; import and export tasks; wiki links; the
 * folder picker; both identities.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { adler32 } from '../../nodes/shared/checksum';
import {
	BLOCK_SIZE,
	DRIVE_DOC,
	DRIVE_HANDBOOK,
	DRIVE_PRIVATE,
	DRIVE_REPORTS,
	DRIVE_ROOT,
	DRIVE_SHEET,
} from '../fake-api/feishu-drive';
import { WIKI_DOC_NODE } from '../fake-api/feishu-bitable/model';
import type { RecordedRequest } from '../fake-api/server';
import { binaryItem, patterned, patternItem } from '../fixtures';
import { feishu, useFakeApi } from '../helpers';
import { connect, REDIRECT } from '../user-connect';

const env = useFakeApi();
const MB = 1024 * 1024;

beforeAll(async () => {
	// n8n's filesystem mode: binary data is read from and written to disk as streams, as in a deployment.
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.availableModes = ['filesystem'];
	config.localStoragePath = mkdtempSync(join(tmpdir(), 'n8n-binary-'));
	await Container.get(BinaryDataService).init();
});

const folderRl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const link = (path: string) => folderRl(`https://sandbox.feishu.cn/${path}`, 'url');

async function bytesOf(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

const fields = (call: RecordedRequest) => {
	const { file, ...rest } = call.body as IDataObject & { file: IDataObject };
	return { rest, file };
};

describe('Feishu › Drive › Upload', () => {
	it('uploads a file up to 20 MB in one upload_all, with its Adler-32 checksum, into the folder', async () => {
		const bytes = Buffer.from('quarterly numbers\n');
		const run = await env.bench.run({
			...feishu('drive', 'upload', { folder: link(`drive/folder/${DRIVE_REPORTS}`) }),
			items: [binaryItem(bytes, 'q3.txt', 'text/plain')],
		});
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.drive.uploadAll');
		expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(fields(call).rest).toEqual({
			file_name: 'q3.txt',
			parent_type: 'explorer',
			parent_node: DRIVE_REPORTS,
			size: bytes.length,
			checksum: String(adler32(bytes)),
		});
		const token = String(run.json[0].fileToken);
		expect(run.json).toEqual([
			{ fileToken: token, name: 'q3.txt', size: bytes.length, folderToken: DRIVE_REPORTS },
		]);
		expect(env.fake.drive.nodes.get(token)?.bytes?.equals(bytes)).toBe(true);
		expect(env.fake.calls('feishu.drive.uploadPrepare')).toHaveLength(0);
	});

	it('uploads 50 MB in 4 MB parts, in sequence, each with its checksum, and downloads it byte-identical', async () => {
		const size = 50 * MB + 12345;
		const run = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS), fileName: 'big.bin' }),
			items: [patternItem(size, 'whatever.bin')],
		});
		expect(run.error).toBeUndefined();
		const parts = env.fake.calls('feishu.drive.uploadPart');
		const count = Math.ceil(size / BLOCK_SIZE);
		expect(parts).toHaveLength(count);
		const original = patterned(size);
		parts.forEach((call, seq) => {
			const body = call.body as IDataObject;
			const length = seq === count - 1 ? size - seq * BLOCK_SIZE : BLOCK_SIZE;
			expect(body.seq).toBe(seq);
			expect(body.size).toBe(length);
			const slice = original.subarray(seq * BLOCK_SIZE, seq * BLOCK_SIZE + length);
			expect(body.checksum).toBe(String(adler32(slice)));
		});
		// One at a time: each part arrives after the one before was answered.
		expect(env.fake.maxInFlight).toBe(1);
		expect(env.fake.calls('feishu.drive.uploadPrepare')[0].body).toEqual({
			file_name: 'big.bin',
			parent_type: 'explorer',
			parent_node: DRIVE_REPORTS,
			size,
		});
		expect(env.fake.calls('feishu.drive.uploadFinish')[0].body).toEqual({
			upload_id: (parts[0].body as IDataObject).upload_id,
			block_num: count,
		});
		expect(run.json[0]).toMatchObject({ name: 'big.bin', size, parts: count });
		const token = String(run.json[0].fileToken);
		expect(env.fake.drive.nodes.get(token)?.bytes?.equals(original)).toBe(true);

		const back = await env.bench.run(
			feishu('drive', 'download', { file: folderRl(token), binaryPropertyName: 'file' }),
		);
		expect(back.error).toBeUndefined();
		const binary = back.items[0].binary!.file;
		// Stored by n8n's filesystem mode as it arrived, not as base64 in the item.
		expect(binary.id).toMatch(/^filesystem/);
		expect((await bytesOf(binary)).equals(original)).toBe(true);
		expect(back.json[0]).toEqual({
			fileToken: token,
			fileName: 'big.bin',
			mimeType: 'application/octet-stream',
			size,
		});
	});

	it('a part whose answer is lost is sent again, alone: one session, one file', async () => {
		env.fake.faults.loseAnswers['feishu.drive.uploadPart'] = 1;
		const size = 21 * MB;
		const run = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [patternItem(size, 'big.bin', 'application/octet-stream', {}, 'data', 7)],
		});
		expect(run.error).toBeUndefined();
		expect(
			env.fake.calls('feishu.drive.uploadPart').map((c) => (c.body as IDataObject).seq),
		).toEqual([0, 0, 1, 2, 3, 4, 5]);
		expect(env.fake.calls('feishu.drive.uploadPrepare')).toHaveLength(1);
		expect(env.fake.calls('feishu.drive.uploadFinish')).toHaveLength(1);
		const token = String(run.json[0].fileToken);
		expect(env.fake.drive.nodes.get(token)?.bytes?.equals(patterned(size, 7))).toBe(true);
	});

	it('a part that fails says which part, and creates nothing', async () => {
		env.fake.script(
			'feishu.drive.uploadPart',
			{ status: 200, body: { code: 0, msg: 'success', data: {} } },
			{ status: 400, body: { code: 1061021, msg: 'upload id expire.', error: {} } },
		);
		const run = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [patternItem(21 * MB, 'big.bin')],
		});
		expect(run.error?.message).toBe('Feishu error 1061021: upload id expire.');
		expect(run.error?.description).toMatch(/The upload session expired/);
		expect(run.error?.description).toMatch(/Part 2 of 6 \(bytes 4194304–8388607\) failed/);
		expect(env.fake.calls('feishu.drive.uploadFinish')).toHaveLength(0);
	});

	it('a finish or upload_all whose answer is lost is not sent again: the outcome is unknown', async () => {
		env.fake.faults.loseAnswers['feishu.drive.uploadAll'] = 1;
		const small = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [binaryItem(Buffer.from('x'), 'x.txt', 'text/plain')],
		});
		expect(small.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.executed['feishu.drive.uploadAll']).toBe(1);
		expect(env.fake.calls('feishu.drive.uploadAll')).toHaveLength(1);

		env.fake.faults.loseAnswers['feishu.drive.uploadFinish'] = 1;
		const big = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [patternItem(21 * MB, 'big.bin')],
		});
		expect(big.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('feishu.drive.uploadFinish')).toHaveLength(1);
	});

	it('a folder not shared with the app: 1061004, saying how to share it', async () => {
		const run = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_PRIVATE) }),
			items: [binaryItem(Buffer.from('x'), 'x.txt', 'text/plain')],
			continueOnFail: true,
		});
		expect(run.json).toEqual([
			expect.objectContaining({
				error: 'Feishu error 1061004: forbidden.',
				code: '1061004',
				httpCode: '403',
				description: expect.stringMatching(/share the folder with that group/),
			}),
		]);
	});

	it('bad input fails before any request, naming the field and the item', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ folder: folderRl(`={{ "https://sandbox.feishu.cn/docx/${DRIVE_DOC}" }}`, 'url') },
				/Invalid "Folder" \(folder\) in item 0: not a folder link/,
			],
			[
				{ folder: folderRl('={{ "../etc" }}') },
				/Invalid "Folder" \(folder\) in item 0: a folder token has only/,
			],
			[
				{ folder: folderRl(DRIVE_REPORTS), fileName: 'x'.repeat(251) },
				/\(fileName\) in item 0: is longer than 250/,
			],
			[
				{ folder: folderRl(DRIVE_REPORTS), binaryPropertyName: 'nope' },
				/no binary property "nope"/,
			],
		];
		for (const [parameters, message] of cases) {
			const run = await env.bench.run({
				...feishu('drive', 'upload', parameters),
				items: [binaryItem(Buffer.from('x'), 'x.txt', 'text/plain')],
			});
			expect(run.error?.message).toMatch(message);
		}
		expect(env.fake.calls('feishu.drive.uploadAll')).toHaveLength(0);
	});

	it('as the connected user (User OAuth2): the same upload with the user token', async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
		const run = await env.bench.run({
			...feishu('drive', 'upload', { authentication: 'oAuth2', folder: folderRl(DRIVE_REPORTS) }),
			items: [patternItem(21 * MB, 'big.bin')],
		});
		expect(run.error).toBeUndefined();
		const calls = [
			...env.fake.calls('feishu.drive.uploadPrepare'),
			...env.fake.calls('feishu.drive.uploadPart'),
			...env.fake.calls('feishu.drive.uploadFinish'),
		];
		expect(calls).toHaveLength(8);
		for (const call of calls) expect(call.headers.authorization).toMatch(/^Bearer u-/);
	});
});

describe('Feishu › Drive › Download', () => {
	it('downloads a file by its link into binary data, with its name and type', async () => {
		const run = await env.bench.run(
			feishu('drive', 'download', { file: link(`file/${DRIVE_HANDBOOK}`) }),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.drive.download');
		expect(call.path).toBe(`/open-apis/drive/v1/files/${DRIVE_HANDBOOK}/download`);
		const binary = run.items[0].binary!.data;
		expect(binary.fileName).toBe('handbook.pdf');
		expect(binary.mimeType).toBe('application/pdf');
		expect((await bytesOf(binary)).toString()).toBe('%PDF-1.4\n% handbook\n%%EOF\n');
	});

	it('a download that breaks off is downloaded again, whole (a read)', async () => {
		const upload = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [patternItem(3 * MB, 'three.bin', 'application/octet-stream', {}, 'data', 3)],
		});
		const token = String(upload.json[0].fileToken);
		env.fake.faults.breakFiles['feishu.drive.download'] = 1;
		const run = await env.bench.run(feishu('drive', 'download', { file: folderRl(token) }));
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.drive.download')).toHaveLength(2);
		expect((await bytesOf(run.items[0].binary!.data)).equals(patterned(3 * MB, 3))).toBe(true);
		env.fake.faults.breakFiles['feishu.drive.download'] = 3;
		const broken = await env.bench.run(feishu('drive', 'download', { file: folderRl(token) }));
		expect(broken.error?.message).toMatch(/^The download broke off three times/);
	});

	it('a file that is itself JSON downloads as a file (an error answer is JSON without a file name)', async () => {
		const json = Buffer.from('{"code":1,"msg":"this is data, not an error"}');
		const up = await env.bench.run({
			...feishu('drive', 'upload', { folder: folderRl(DRIVE_REPORTS) }),
			items: [binaryItem(json, 'data.json', 'application/json')],
		});
		const run = await env.bench.run(
			feishu('drive', 'download', { file: folderRl(String(up.json[0].fileToken)) }),
		);
		expect(run.error).toBeUndefined();
		const binary = run.items[0].binary!.data;
		expect(binary.mimeType).toBe('application/json');
		expect((await bytesOf(binary)).equals(json)).toBe(true);
	});

	it('a document is not a file to download: bad input that says to export it', async () => {
		const run = await env.bench.run(
			feishu('drive', 'download', { file: link(`docx/${DRIVE_DOC}`) }),
		);
		expect(run.error?.message).toMatch(
			/Invalid "File" \(file\) in item 0: names a Document \(Docx/,
		);
		expect(env.fake.calls('feishu.drive.download')).toHaveLength(0);
	});

	it('a missing file: the JSON error of the download, with its meaning', async () => {
		const run = await env.bench.run(
			feishu('drive', 'download', { file: folderRl('boxcnMissing0000000000001') }),
		);
		expect(run.error?.message).toBe('Feishu error 1061003: not found.');
		expect(run.error?.httpCode).toBe('404');
	});
});

describe('Feishu › Drive › Get Many', () => {
	it("pages through a folder's 450 items with Return All (200 a page), and stops at a Limit", async () => {
		for (let i = 0; i < 447; i++)
			env.fake.drive.nodes.set(`boxcnBulk${String(i).padStart(16, '0')}`, {
				token: `boxcnBulk${String(i).padStart(16, '0')}`,
				name: `f${i}.txt`,
				type: 'file',
				parent: DRIVE_REPORTS,
				created: 1_700_000_000 + i,
				modified: 1_700_000_000 + i,
				shared: true,
			});
		const all = await env.bench.run(
			feishu('drive', 'getAll', { folder: folderRl(DRIVE_REPORTS), returnAll: true }),
		);
		expect(all.json).toHaveLength(450);
		expect(new Set(all.json.map((f) => f.token)).size).toBe(450);
		const pages = env.fake.calls('feishu.drive.list');
		expect(pages.map((c) => c.query)).toEqual([
			{ folder_token: DRIVE_REPORTS, page_size: '200', order_by: 'EditedTime', direction: 'DESC' },
			{
				folder_token: DRIVE_REPORTS,
				page_size: '200',
				order_by: 'EditedTime',
				direction: 'DESC',
				page_token: 'dpt-200',
			},
			{
				folder_token: DRIVE_REPORTS,
				page_size: '200',
				order_by: 'EditedTime',
				direction: 'DESC',
				page_token: 'dpt-400',
			},
		]);
		env.fake.reset();
		const few = await env.bench.run(
			feishu('drive', 'getAll', {
				folder: folderRl(DRIVE_REPORTS),
				limit: 2,
				options: { orderBy: 'CreatedTime', direction: 'ASC' },
			}),
		);
		expect(few.json.map((f) => f.name)).toEqual(['handbook.pdf', 'Sandbox doc']);
		expect(env.fake.calls('feishu.drive.list')[0].query).toMatchObject({
			page_size: '2',
			order_by: 'CreatedTime',
			direction: 'ASC',
		});
	});
});

describe('Feishu › Drive › Get', () => {
	it("reads a document's metadata from a wiki link: get_node first, then batch_query with its docx token", async () => {
		const run = await env.bench.run(
			feishu('drive', 'get', { file: link(`wiki/${WIKI_DOC_NODE}`) }),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.wiki.getNode')[0].query).toEqual({
			token: WIKI_DOC_NODE,
			obj_type: 'wiki',
		});
		expect(env.fake.calls('feishu.drive.meta')[0].body).toEqual({
			request_docs: [{ doc_token: DRIVE_DOC, doc_type: 'docx' }],
			with_url: true,
		});
		expect(run.json[0]).toMatchObject({
			doc_token: DRIVE_DOC,
			doc_type: 'docx',
			title: 'Sandbox doc',
		});
	});

	it('an ID with the wrong type: the failed_list code, with its meaning', async () => {
		const run = await env.bench.run(
			feishu('drive', 'get', { file: folderRl(DRIVE_DOC), fileType: 'sheet' }),
		);
		expect(run.error?.message).toMatch(/^Feishu error 970005/);
		expect(run.error?.description).toMatch(/token and type do not match/);
	});
});

describe('Feishu › Drive › Create Folder, Copy, Move, Delete', () => {
	it('creates a folder in a folder', async () => {
		const run = await env.bench.run(
			feishu('drive', 'createFolder', { name: 'Invoices 2026', parent: folderRl(DRIVE_REPORTS) }),
		);
		expect(env.fake.calls('feishu.drive.createFolder')[0].body).toEqual({
			name: 'Invoices 2026',
			folder_token: DRIVE_REPORTS,
		});
		const token = String(run.json[0].token);
		expect(env.fake.drive.nodes.get(token)).toMatchObject({
			type: 'folder',
			parent: DRIVE_REPORTS,
		});
		expect(run.json[0].url).toBe(`https://sandbox.feishu.cn/drive/folder/${token}`);
	});

	it('1061045 (Drive busy, "请稍后重试") is waited out and sent again: one folder', async () => {
		env.fake.script('feishu.drive.createFolder', {
			status: 400,
			body: { code: 1061045, msg: 'resource contention occurred, please retry.', error: {} },
		});
		const run = await env.bench.run(
			feishu('drive', 'createFolder', { name: 'Busy', parent: folderRl(DRIVE_ROOT) }),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.drive.createFolder')).toHaveLength(2);
		expect([...env.fake.drive.nodes.values()].filter((n) => n.name === 'Busy')).toHaveLength(1);
	});

	it('a full folder (1,500 items) answers 1062507, with its meaning', async () => {
		for (let i = 0; i < 1500; i++)
			env.fake.drive.nodes.set(`fldcnFull${i}`, {
				token: `fldcnFull${i}`,
				name: `f${i}`,
				type: 'folder',
				parent: DRIVE_ROOT,
				created: 0,
				modified: 0,
				shared: true,
			});
		const run = await env.bench.run(
			feishu('drive', 'createFolder', { name: 'One more', parent: folderRl(DRIVE_ROOT) }),
		);
		expect(run.error?.message).toMatch(/^Feishu error 1062507/);
		expect(run.error?.description).toMatch(/one folder holds at most 1,500 items/);
	});

	it('copies a sheet (a link gives the type); a copy whose answer is lost is not sent again', async () => {
		const run = await env.bench.run(
			feishu('drive', 'copy', {
				file: link(`sheets/${DRIVE_SHEET}`),
				name: 'Budget 2027',
				folder: folderRl(DRIVE_ROOT),
			}),
		);
		expect(env.fake.calls('feishu.drive.copy')[0].body).toEqual({
			name: 'Budget 2027',
			type: 'sheet',
			folder_token: DRIVE_ROOT,
		});
		expect(run.json[0]).toMatchObject({
			name: 'Budget 2027',
			type: 'sheet',
			parent_token: DRIVE_ROOT,
		});

		env.fake.reset();
		env.fake.faults.loseAnswers['feishu.drive.copy'] = 1;
		const lost = await env.bench.run(
			feishu('drive', 'copy', {
				file: link(`sheets/${DRIVE_SHEET}`),
				name: 'Again',
				folder: folderRl(DRIVE_ROOT),
			}),
		);
		expect(lost.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('feishu.drive.copy')).toHaveLength(1);
	});

	it('a folder cannot be copied: bad input', async () => {
		const run = await env.bench.run(
			feishu('drive', 'copy', {
				file: link(`drive/folder/${DRIVE_REPORTS}`),
				name: 'x',
				folder: folderRl(DRIVE_ROOT),
			}),
		);
		expect(run.error?.message).toMatch(/\(file\) in item 0: names a Folder; this operation takes/);
	});

	it('moves a folder: the task is polled with task_check until it succeeds', async () => {
		const run = await env.bench.run(
			feishu('drive', 'move', {
				file: link(`drive/folder/${DRIVE_REPORTS}`),
				folder: folderRl(DRIVE_PRIVATE, 'id'),
			}),
		);
		// Private is not shared with the app.
		expect(run.error?.message).toMatch(/^Feishu error 1062535/);
		const folder = await env.bench.run(
			feishu('drive', 'createFolder', { name: 'Archive', parent: folderRl(DRIVE_ROOT) }),
		);
		const archive = String(folder.json[0].token);
		const moved = await env.bench.run(
			feishu('drive', 'move', {
				file: link(`drive/folder/${DRIVE_REPORTS}`),
				folder: folderRl(archive),
			}),
		);
		expect(moved.error).toBeUndefined();
		const taskId = String(moved.json[0].taskId);
		expect(env.fake.calls('feishu.drive.taskCheck').map((c) => c.query)).toEqual([
			{ task_id: taskId },
			{ task_id: taskId },
		]);
		expect(moved.json[0]).toEqual({
			token: DRIVE_REPORTS,
			type: 'folder',
			folderToken: archive,
			moved: true,
			taskId,
		});
		expect(env.fake.drive.nodes.get(DRIVE_REPORTS)?.parent).toBe(archive);
	});

	it('a delete whose answer is lost is not sent again: the outcome is unknown (a repeat would say already deleted)', async () => {
		env.fake.faults.loseAnswers['feishu.drive.delete'] = 1;
		const run = await env.bench.run(feishu('drive', 'delete', { file: folderRl(DRIVE_HANDBOOK) }));
		expect(run.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('feishu.drive.delete')).toHaveLength(1);
		expect(env.fake.drive.nodes.has(DRIVE_HANDBOOK)).toBe(false);
	});

	it('deletes a file (type in the query) and a folder (a task, waited for); a task that outlives Wait Timeout says so', async () => {
		const file = await env.bench.run(feishu('drive', 'delete', { file: folderRl(DRIVE_HANDBOOK) }));
		expect(env.fake.calls('feishu.drive.delete')[0].query).toEqual({ type: 'file' });
		expect(file.json).toEqual([{ token: DRIVE_HANDBOOK, type: 'file', deleted: true }]);
		env.fake.drive.taskPolls = 1_000_000;
		const slow = await env.bench.run(
			feishu('drive', 'delete', {
				file: folderRl(DRIVE_REPORTS),
				fileType: 'folder',
				options: { taskTimeout: 1 },
			}),
		);
		expect(slow.error?.message).toMatch(
			/^Feishu error timeout: The delete \w+ did not finish within 1 s/,
		);
		expect(slow.error?.description).toMatch(/Raise Wait Timeout/);
	});
});

describe('Feishu › Drive › Import and Export', () => {
	it('imports Markdown as a document: media upload (ccm_import_open), the task, its polling, the result', async () => {
		const markdown = Buffer.from('# Launch plan\n\n- ship it\n');
		const run = await env.bench.run({
			...feishu('drive', 'import', { folder: folderRl(DRIVE_REPORTS), name: 'Launch plan' }),
			items: [binaryItem(markdown, 'plan.md', 'text/markdown')],
		});
		expect(run.error).toBeUndefined();
		const upload = env.fake.calls('feishu.bitableMedia.upload')[0];
		expect(fields(upload).rest).toEqual({
			file_name: 'plan.md',
			parent_type: 'ccm_import_open',
			size: markdown.length,
			checksum: String(adler32(markdown)),
			extra: JSON.stringify({ obj_type: 'docx', file_extension: 'md' }),
		});
		const create = env.fake.calls('feishu.drive.importCreate')[0].body as IDataObject;
		expect(create).toEqual({
			file_extension: 'md',
			file_token: expect.any(String),
			type: 'docx',
			file_name: 'Launch plan',
			point: { mount_type: 1, mount_key: DRIVE_REPORTS },
		});
		expect(env.fake.calls('feishu.drive.importGet')).toHaveLength(2);
		const token = String(run.json[0].token);
		expect(run.json[0]).toMatchObject({
			job_status: 0,
			type: 'docx',
			url: `https://sandbox.feishu.cn/docx/${token}`,
		});
		expect(env.fake.drive.nodes.get(token)).toMatchObject({
			name: 'Launch plan',
			type: 'docx',
			parent: DRIVE_REPORTS,
		});
	});

	it('a file whose extension does not fit the type is bad input; a failed import reports its job status', async () => {
		const wrong = await env.bench.run({
			...feishu('drive', 'import', { folder: folderRl(DRIVE_REPORTS), importType: 'sheet' }),
			items: [binaryItem(Buffer.from('# x'), 'plan.md', 'text/markdown')],
		});
		expect(wrong.error?.message).toMatch(
			/\(binaryPropertyName\) in item 0: the file "plan.md" has the extension \.md; sheet imports \.xlsx, \.xls, \.csv/,
		);
		expect(env.fake.calls('feishu.bitableMedia.upload')).toHaveLength(0);

		env.fake.drive.failImportsWith = 118;
		const run = await env.bench.run({
			...feishu('drive', 'import', { folder: folderRl(DRIVE_REPORTS), importType: 'sheet' }),
			items: [binaryItem(Buffer.from('a,b\n'), 'data.csv', 'text/csv')],
		});
		expect(run.error?.message).toMatch(/^Feishu error 118: The import \w+ failed: import failed/);
		expect(run.error?.description).toMatch(/extension does not match/);
	});

	it('exports a document (given as a wiki link) to PDF and downloads it, polling with the same identity', async () => {
		const run = await env.bench.run(
			feishu('drive', 'export', { file: link(`wiki/${WIKI_DOC_NODE}`), format: 'pdf' }),
		);
		expect(run.error).toBeUndefined();
		expect(env.fake.calls('feishu.drive.exportCreate')[0].body).toEqual({
			file_extension: 'pdf',
			token: DRIVE_DOC,
			type: 'docx',
		});
		const polls = env.fake.calls('feishu.drive.exportGet');
		expect(polls).toHaveLength(2);
		expect(polls[0].query).toEqual({ token: DRIVE_DOC });
		const binary = run.items[0].binary!.data;
		expect(binary.fileName).toBe('Sandbox doc.pdf');
		expect(binary.mimeType).toBe('application/pdf');
		expect((await bytesOf(binary)).toString()).toMatch(
			/^%PDF-1\.4\n% Sandbox doc\nSandbox doc\nSandbox doc\nHello from the sandbox\./,
		);
		expect(run.json[0]).toMatchObject({
			job_status: 0,
			token: DRIVE_DOC,
			type: 'docx',
			file_name: 'Sandbox doc',
		});
	});

	it('a sheet exports to CSV with its sheet ID; a document to xlsx is bad input; Download off gives the result only', async () => {
		const csv = await env.bench.run(
			feishu('drive', 'export', {
				file: link(`sheets/${DRIVE_SHEET}`),
				format: 'csv',
				subId: 'a1b2c3',
				download: false,
			}),
		);
		expect(env.fake.calls('feishu.drive.exportCreate')[0].body).toEqual({
			file_extension: 'csv',
			token: DRIVE_SHEET,
			type: 'sheet',
			sub_id: 'a1b2c3',
		});
		expect(csv.items[0].binary).toBeUndefined();
		expect(env.fake.calls('feishu.drive.exportDownload')).toHaveLength(0);
		const wrong = await env.bench.run(
			feishu('drive', 'export', { file: link(`docx/${DRIVE_DOC}`), format: 'xlsx' }),
		);
		expect(wrong.error?.message).toMatch(
			/\(format\) in item 0: a docx exports to pdf or docx, not xlsx/,
		);
	});
});

describe('Feishu › Drive › folder picker', () => {
	it('lists the root folder first, then its folders, filtered by the typed text', async () => {
		const all = (await env.bench.loadOptions('feishu', 'listSearch', 'searchDriveFolders', {
			resource: 'drive',
			operation: 'upload',
		})) as { results: IDataObject[] };
		expect(all.results).toEqual([
			{ name: 'Root Folder (我的空间)', value: DRIVE_ROOT },
			expect.objectContaining({ name: 'Private', value: DRIVE_PRIVATE }),
			expect.objectContaining({ name: 'Reports', value: DRIVE_REPORTS }),
		]);
		const found = (await env.bench.loadOptions(
			'feishu',
			'listSearch',
			'searchDriveFolders',
			{ resource: 'drive', operation: 'upload' },
			'rep',
		)) as { results: IDataObject[] };
		expect(found.results.map((r) => r.value)).toEqual([DRIVE_REPORTS]);
	});
});
