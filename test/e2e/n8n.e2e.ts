/**
 * End to end in real n8n, for every supported version: the package is packed and installed into a fresh
 * user folder's nodes/ directory like a user would, credentials and workflows are imported with the n8n CLI,
 * workflows run with `n8n execute`, and we assert on their output and on what the fake API received.
 * The credential test runs through a started n8n's REST API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {
	ensureRuntime,
	freePort,
	importFile,
	installPackage,
	n8nCli,
	packPackage,
	parseExecuteOutput,
	RestSession,
	startN8n,
	SUPPORTED_N8N_VERSIONS,
} from '../../scripts/lib/n8n';
import type { Runtime } from '../../scripts/lib/n8n';
import { chain, dingTalk, exampleWorkflow, feishu, itemsOf, PACKAGE, sandboxCredentials, trigger } from '../../scripts/lib/workflows';
import { APPS, FakeApi, USERS } from '../fake-api/server';

const versions = (process.env.E2E_N8N_VERSIONS ?? SUPPORTED_N8N_VERSIONS.join(',')).split(',').filter(Boolean);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
let tarball: string;

beforeAll(() => {
	tarball = packPackage(work);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

type RunData = Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> }; error?: { message: string } }>>;

interface Execution {
	status?: string;
	data: { resultData: { runData: RunData; error?: { message: string; description?: string } } };
}

const WORKFLOWS = {
	roomGroups: chain('E2eRoomGroups001', 'e2e room groups', [
		trigger(),
		...itemsOf('Names', ['North wing', 'South wing', 'Lab']),
		dingTalk('Create group', {
			resource: 'meetingRoomGroup',
			operation: 'create',
			unionId: USERS.admin,
			parentGroupId: 172,
			groupName: '={{ $json.value }}',
		}),
		dingTalk('Delete group', {
			resource: 'meetingRoomGroup',
			operation: 'delete',
			groupId: '={{ $json.groupId }}',
			unionId: USERS.admin,
		}),
	]),
	kickAndRole: chain('E2eKickAndRole01', 'e2e kick and role', [
		trigger(),
		dingTalk('Kick', {
			resource: 'videoConference',
			operation: 'kickMembers',
			conferenceId: '644272f14ba331014abcdef',
			members: { member: [{ unionId: USERS.member, participantId: 'device-1' }, { unionId: USERS.guest }] },
			forbiddenRejoin: true,
		}),
		dingTalk('Delete role', { resource: 'role', operation: 'delete', roleId: '1581321999' }),
	]),
	userGroupsContinueOnFail: chain('E2eUserGroups001', 'e2e user groups', [
		trigger(),
		...itemsOf('Group IDs', ['g1837191', 'nope', '../escape', 'g1837192']),
		feishu('Delete user group', { resource: 'userGroup', operation: 'delete', groupId: '={{ $json.value }}' }, { continueOnFail: true }),
	]),
	listAll: chain('E2eListAll000001', 'e2e list all', [
		trigger(),
		feishu('All user groups', { resource: 'userGroup', operation: 'getAll', groupType: '1', returnAll: true }),
		dingTalk('Rooms (limit 3)', { resource: 'meetingRoom', operation: 'getAll', unionId: USERS.member, returnAll: false, limit: 3 }, { executeOnce: true }),
	]),
	apiError: chain('E2eApiError00001', 'e2e api error', [
		trigger(),
		feishu('Delete user group', { resource: 'userGroup', operation: 'delete', groupId: 'g-with-members' }),
	]),
	badInput: chain('E2eBadInput00001', 'e2e bad input', [
		trigger(),
		dingTalk('Delete role', { resource: 'role', operation: 'delete', roleId: '={{ "12; DROP" }}' }),
	]),
};

describe.each(versions)('n8n %s', (version) => {
	let runtime: Runtime;
	let userFolder: string;
	const fake = new FakeApi();

	beforeAll(async () => {
		runtime = ensureRuntime(version);
		userFolder = path.join(work, `user-${version}`);
		installPackage(userFolder, tarball);
		await fake.start(await freePort());
		const credentialsFile = path.join(work, `credentials-${version}.json`);
		fs.writeFileSync(credentialsFile, JSON.stringify(sandboxCredentials(fake.url)));
		await importFile(runtime, userFolder, 'credentials', credentialsFile);
		const workflowsFile = path.join(work, `workflows-${version}.json`);
		fs.writeFileSync(workflowsFile, JSON.stringify([...Object.values(WORKFLOWS), exampleWorkflow(fake.url)]));
		await importFile(runtime, userFolder, 'workflow', workflowsFile);
	}, 20 * 60 * 1000);

	afterAll(async () => await fake.stop());

	beforeEach(() => fake.reset());
	afterEach(() => expect(fake.violations).toEqual([]));

	async function execute(workflow: Record<string, unknown>): Promise<{ code: number; run: Execution; text: string }> {
		const result = await n8nCli(runtime, userFolder, ['execute', `--id=${workflow.id as string}`, '--rawOutput']);
		const text = result.stdout + result.stderr;
		if (process.env.E2E_DEBUG) process.stderr.write(text);
		const start = result.stdout.search(/^\{$/m);
		const run = (start >= 0 ? parseExecuteOutput(result.stdout) : { data: { resultData: { runData: {} } } }) as unknown as Execution;
		return { code: result.code, run, text };
	}

	const output = (run: Execution, node: string) => run.data.resultData.runData[node]?.[0]?.data?.main[0].map((i) => i.json) ?? [];

	it('creates and deletes room groups for several items', async () => {
		const { code, run, text } = await execute(WORKFLOWS.roomGroups);
		expect({ code, text: code === 0 ? '' : text }).toEqual({ code: 0, text: '' });
		const created = output(run, 'Create group');
		expect(created.map((j) => j.groupName)).toEqual(['North wing', 'South wing', 'Lab']);
		expect(output(run, 'Delete group')).toEqual(created.map((j) => ({ groupId: j.groupId, deleted: true })));
		expect(fake.calls('dingtalk.meetingRoomGroup.create').map((c) => JSON.parse(c.rawBody))).toEqual([
			{ unionId: USERS.admin, parentGroupId: 172, groupName: 'North wing' },
			{ unionId: USERS.admin, parentGroupId: 172, groupName: 'South wing' },
			{ unionId: USERS.admin, parentGroupId: 172, groupName: 'Lab' },
		]);
		expect(fake.calls('dingtalk.meetingRoomGroup.delete').map((c) => c.query.unionId)).toEqual([USERS.admin, USERS.admin, USERS.admin]);
		expect(fake.calls('dingtalk.token')).toHaveLength(1);
	});

	it('kicks conference members and deletes a role through the legacy API', async () => {
		const { code, run } = await execute(WORKFLOWS.kickAndRole);
		expect(code).toBe(0);
		expect(output(run, 'Kick')).toEqual([
			{
				conferenceId: '644272f14ba331014abcdef',
				kicked: [{ unionId: USERS.member, participantId: 'device-1' }, { unionId: USERS.guest }],
				forbiddenRejoin: true,
				success: true,
			},
		]);
		expect(output(run, 'Delete role')).toEqual([{ roleId: 1581321999, deleted: true, requestId: expect.any(String) }]);
		const [roleCall] = fake.calls('dingtalk.role.delete');
		expect(roleCall.rawBody).toBe('{"role_id":1581321999}');
		expect(roleCall.query.access_token).toBe(fake.issuedTokens('dingtalk')[0]);
	});

	it('continues on fail with one paired output per item', async () => {
		const { code, run } = await execute(WORKFLOWS.userGroupsContinueOnFail);
		expect(code).toBe(0);
		const items = output(run, 'Delete user group');
		expect(items).toHaveLength(4);
		expect(items[0]).toEqual({ groupId: 'g1837191', deleted: true });
		expect(items[1]).toMatchObject({ code: '42002', httpCode: '400', error: 'Feishu error 42002: invalid group_id' });
		expect(items[2].error).toMatch(/"User Group" \(groupId\) in item 2: must not contain/);
		expect(items[3]).toEqual({ groupId: 'g1837192', deleted: true });
		expect(fake.calls('feishu.userGroup.delete').map((c) => c.path)).toEqual([
			'/open-apis/contact/v3/group/g1837191',
			'/open-apis/contact/v3/group/nope',
			'/open-apis/contact/v3/group/g1837192',
		]);
	});

	it('pages through a list with Return All, and stops at a limit', async () => {
		for (let i = 0; i < 230; i++) fake.feishuGroups.set(`bulk${i}`, { name: `Bulk ${i}`, members: [] });
		for (let i = 0; i < 10; i++) fake.rooms.set(`r${i}`, { roomId: `r${i}`, roomName: `Room ${i}`, roomStatus: 0, isvRoomId: `X${i}` });
		const { code, run } = await execute(WORKFLOWS.listAll);
		expect(code).toBe(0);
		expect(output(run, 'All user groups')).toHaveLength(233);
		expect(fake.calls('feishu.userGroup.getAll').map((c) => c.query.page_token ?? '')).toEqual(['', 'pt-100', 'pt-200']);
		expect(output(run, 'Rooms (limit 3)').map((r) => r.roomName)).toEqual(['Great Wall', 'Yellow River', 'Room 0']);
		expect(fake.calls('dingtalk.meetingRoom.getAll').map((c) => c.query.maxResults)).toEqual(['3']);
	});

	it('fails the execution with the platform code and its documented meaning', async () => {
		const { code, text } = await execute(WORKFLOWS.apiError);
		expect(code).not.toBe(0);
		expect(text).toContain('Feishu error 42017: group has member not allow delete');
		expect(fake.calls('feishu.userGroup.delete')).toHaveLength(1);
		for (const secret of [APPS.feishu.appSecret, ...fake.issuedTokens()]) expect(text).not.toContain(secret);
	});

	it('stops bad input before any request, naming the field', async () => {
		const { code, text } = await execute(WORKFLOWS.badInput);
		expect(code).not.toBe(0);
		expect(text).toContain('Invalid "Role" (roleId) in item 0: must be a whole number');
		expect(fake.requests).toHaveLength(0);
	});

	it('runs the sandbox tour of `npm run dev` twice, green both times (it resets the sandbox first)', async () => {
		fake.state.roles.delete(1581321999); // as if an earlier run had deleted it
		for (const round of [1, 2]) {
			const { code, run, text } = await execute({ id: 'SandboxTour00001' });
			expect({ round, code, text: code === 0 ? '' : text }).toEqual({ round, code: 0, text: '' });
			const runData = run.data.resultData.runData;
			expect(Object.keys(runData)).toHaveLength(7);
			for (const [node, tasks] of Object.entries(runData)) {
				expect({ node, error: tasks[0].error?.message }).toEqual({ node, error: undefined });
				for (const item of tasks[0].data?.main[0] ?? []) expect({ node, error: item.json.error }).toEqual({ node, error: undefined });
			}
			expect(output(run, 'Delete role')).toEqual([{ roleId: 1581321999, deleted: true, requestId: expect.any(String) }]);
		}
	});

	describe('a started n8n', () => {
		let n8n: Awaited<ReturnType<typeof startN8n>>;
		let session: RestSession;

		beforeAll(async () => {
			const logFile = path.join(work, `start-${version}.log`);
			n8n = await startN8n(runtime, userFolder, { port: await freePort(), logFile });
			session = new RestSession(n8n.url);
			try {
				await session.setupOwner({ email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2ePassw0rd!' });
			} catch (error) {
				// The work folder is gone after the run: say what n8n logged.
				throw new Error(`${(error as Error).message}\nn8n log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
			}
		}, 5 * 60 * 1000);

		afterAll(async () => await n8n?.stop());

		it('lists our nodes and credentials among its types', async () => {
			const nodes = await session.getJson<Array<{ name: string }>>('/types/nodes.json');
			const ours = nodes.filter((n) => n.name.startsWith(`${PACKAGE}.`)).map((n) => n.name).sort();
			expect(ours).toEqual(expect.arrayContaining([`${PACKAGE}.dingTalk`, `${PACKAGE}.feishu`]));
			const credentials = await session.getJson<Array<{ name: string }>>('/types/credentials.json');
			expect(credentials.map((c) => c.name)).toEqual(expect.arrayContaining(['dingTalkApi', 'feishuApi']));
		});

		it('searches a picker (resource locator) through the editor API', async () => {
			const found = await session.call<{ results: Array<{ name: string; value: string }> }>(
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					path: 'parameters.groupId',
					nodeTypeAndVersion: { name: `${PACKAGE}.feishu`, version: 1 },
					currentNodeParameters: { resource: 'userGroup', operation: 'delete', groupId: { __rl: true, mode: 'list', value: '' } },
					credentials: { feishuApi: { id: 'FeishuSandbox001', name: 'Feishu sandbox' } },
					methodName: 'searchUserGroups',
					filter: 'busy',
				},
			);
			expect(found.results).toEqual([{ name: 'Busy group', value: 'g-with-members' }]);
			expect(fake.calls('feishu.userGroup.getAll')).toHaveLength(1);
		});

		it.each([
			['dingTalkApi', 'DingTalkSandbox1', 'DingTalk sandbox'],
			['feishuApi', 'FeishuSandbox001', 'Feishu sandbox'],
		])('tests %s: OK with the right secret, an error with a wrong one', async (type, id, name) => {
			const [stored] = sandboxCredentials(fake.url).filter((c) => c.type === type) as Array<{ data: Record<string, string> }>;
			const test = async (data: Record<string, string>) =>
				await session.call<{ status: string; message: string }>('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
			expect(await test(stored.data)).toEqual({ status: 'OK', message: 'Connection successful!' });
			const wrong = await test({ ...stored.data, appSecret: 'definitely-wrong' });
			expect(wrong.status).toBe('Error');
			// The same sentence the nodes' errors give: the platform's code and message, and what to do.
			expect(wrong.message).toMatch(
				type === 'dingTalkApi'
					? /^DingTalk error invalidClientIdOrSecret: .* · The Client ID \(AppKey\) or Client Secret \(AppSecret\) is wrong\. Copy both/
					: /^Feishu error 10015: wrong app secret · The App Secret is wrong\. Copy it/,
			);
			expect(wrong.message).not.toContain('definitely-wrong');
		});
	});
});
