/**
 * Wait for Decision, the parts that run outside n8n's waiting webhooks: Create Instance through n8n's
 * engine registers the run's approvals with the trigger (signed with the app's key) and puts the execution
 * to wait; the trigger keeps the wait, refuses another app's, and calls the resume URL once, when every
 * instance of the wait has ended, also after a restart (static data only). The resumed execution in real
 * n8n (both versions, across a restart) is in the e2e suite.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject } from 'n8n-workflow';

import type { Registration } from '../nodes/shared/approvalWait';
import {
	acceptRegistration,
	instanceEnded,
	WAIT_HEADER,
	waitKey,
	waitMemory,
} from '../nodes/shared/approvalWait';
import { handleEvent } from '../nodes/FeishuTrigger/FeishuTrigger.node';
import { APPROVAL_EXPENSE } from './fake-api/feishu-approval';
import { APPS } from './fake-api/server';
import { feishu, useFakeApi } from './helpers';

const env = useFakeApi();
const KEY = waitKey(APPS.feishu.appSecret);

/** A plain HTTP endpoint that records what it is sent (the trigger's URL, or a resume URL). */
async function recorder(status = 200) {
	const received: Array<{ headers: http.IncomingHttpHeaders; raw: Buffer }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{"msg":"recorded"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

const httpHelpers = {
	helpers: {
		httpRequest: async (options: IDataObject) => {
			const r = await fetch(String(options.url), {
				method: String(options.method),
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(options.body),
			});
			return { statusCode: r.status, body: await r.text() };
		},
	},
} as never;

afterEach(() => waitMemory.clear());

describe('Wait for Decision', () => {
	it("Create Instance registers the run's approvals with the trigger, in item order (a failed item as its error), signed, and the execution waits", async () => {
		const trigger = await recorder();
		try {
			const run = await env.bench.run({
				...feishu('approval', 'createInstance', {
					approvalCode: { __rl: true, mode: 'id', value: APPROVAL_EXPENSE },
					userId: 'ou_1',
					form: {
						mappingMode: 'defineBelow',
						value: {
							Title: '={{ $json.title }}',
							Reason: 'r',
							Category: '={{ $json.category }}',
						},
					},
					waitForDecision: true,
					triggerUrl: trigger.url,
					options: {
						limitWaitTime: {
							values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
						},
					},
				}),
				items: [
					{ title: 'A', category: 'Travel' },
					{ title: 'B', category: 'Boats' },
					{ title: 'C', category: 'Meals' },
				],
				continueOnFail: true,
			});
			expect(run.error).toBeUndefined();
			const waitTill = run.run.waitTill;
			expect(waitTill).toBeInstanceOf(Date);
			expect((waitTill as Date).getTime() - Date.now()).toBeGreaterThan(1.9 * 3600_000);
			expect(trigger.received).toHaveLength(1);
			const [{ headers, raw }] = trigger.received;
			const registration = JSON.parse(raw.toString()) as Registration;
			const codes = [...env.fake.approvals.instances.values()].map((i) => i.instance_code);
			expect(registration).toMatchObject({
				v: 1,
				platform: 'feishu',
				entries: [
					{ instance: codes[0] },
					{
						error: expect.objectContaining({
							error: expect.stringMatching(/"Boats" is not an option/),
						}),
					},
					{ instance: codes[1] },
				],
			});
			expect(registration.resumeUrl).toMatch(/\/webhook-waiting\/exec-test-\d+\/subject$/);
			// The trigger of the same app accepts it; another app's trigger does not.
			const staticData: IDataObject = {};
			expect(
				acceptRegistration(raw, headers[WAIT_HEADER], KEY, 'feishu', staticData, 't').status,
			).toBe(200);
			expect(
				acceptRegistration(raw, headers[WAIT_HEADER], waitKey('another app'), 'feishu', {}, 't')
					.status,
			).toBe(401);
			expect(acceptRegistration(raw, headers[WAIT_HEADER], KEY, 'dingtalk', {}, 't').status).toBe(
				400,
			);
			// The app's secret never travels: only a signature made with a key derived from it.
			expect(raw.toString()).not.toContain(APPS.feishu.appSecret);
		} finally {
			await trigger.close();
		}
	});

	it('a trigger that does not take the registration fails the run, naming the approvals that were started', async () => {
		const trigger = await recorder(401);
		try {
			const run = await env.bench.run({
				...feishu('approval', 'createInstance', {
					approvalCode: { __rl: true, mode: 'id', value: APPROVAL_EXPENSE },
					userId: 'ou_1',
					form: { mappingMode: 'defineBelow', value: { Title: 'A', Reason: 'r' } },
					waitForDecision: true,
					triggerUrl: trigger.url,
				}),
			});
			const [code] = [...env.fake.approvals.instances.keys()];
			expect(run.error?.message).toMatch(
				/The approvals were started \(.+\), but the trigger .* did not record the wait \(HTTP 401/,
			);
			expect(run.error?.message).toContain(env.fake.approvals.instances.get(code)!.instance_code);
			expect(run.run.waitTill).toBeUndefined();
		} finally {
			await trigger.close();
		}
	});

	it('the trigger resumes a wait once, when all its instances ended; the wait survives a restart in the static data', async () => {
		const resume = await recorder();
		try {
			const body = JSON.stringify({
				v: 1,
				platform: 'feishu',
				group: 'g1',
				resumeUrl: resume.url,
				entries: [{ instance: 'I-1' }, { error: { error: 'bad' } }, { instance: 'I-2' }],
				expiresAt: Date.now() + 3600_000,
				proof: 'p',
			});
			const { createHmac } = jest.requireActual<typeof import('crypto')>('crypto');
			const signature = createHmac('sha256', KEY).update(body).digest('hex');
			const staticData: IDataObject = {};
			acceptRegistration(Buffer.from(body), signature, KEY, 'feishu', staticData, 't');
			await instanceEnded(httpHelpers, staticData, 't', 'I-1', 'APPROVED');
			expect(resume.received).toHaveLength(0);
			// A restart: this process forgets; the static data, as n8n saved it, remains.
			waitMemory.clear();
			const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			await instanceEnded(httpHelpers, saved, 't', 'I-other', 'APPROVED');
			expect(resume.received).toHaveLength(0);
			await instanceEnded(httpHelpers, saved, 't', 'I-2', 'REJECTED');
			expect(resume.received).toHaveLength(1);
			expect(JSON.parse(resume.received[0].raw.toString())).toEqual({
				group: 'g1',
				entries: [{ instance: 'I-1' }, { error: { error: 'bad' } }, { instance: 'I-2' }],
				proof: 'p',
				ended: { 'I-1': 'APPROVED', 'I-2': 'REJECTED' },
			});
			// Taken: a redelivered event resumes nothing.
			await instanceEnded(httpHelpers, saved, 't', 'I-2', 'REJECTED');
			expect(resume.received).toHaveLength(1);
			expect(saved.approvalWaits).toEqual({});
		} finally {
			await resume.close();
		}
	});

	it('the Feishu Trigger shapes approval events for the next node (codes, status, when, who)', () => {
		const settings = {
			events: ['approval_instance', 'approval_task'],
			ignoreBotEvents: true,
			mentionedOnly: false,
		};
		const instance = handleEvent(
			{
				uuid: 'ev-1',
				ts: '1796000000.1',
				type: 'event_callback',
				event: {
					type: 'approval_instance',
					app_id: 'cli_test_app',
					tenant_key: 't',
					approval_code: APPROVAL_EXPENSE,
					instance_code: 'I-1',
					status: 'APPROVED',
					operate_time: '1796000000000',
					uuid: 'u-1',
				},
			},
			settings,
			{},
		).item;
		expect(instance).toMatchObject({
			event_type: 'approval_instance',
			approval_code: APPROVAL_EXPENSE,
			instance_code: 'I-1',
			status: 'APPROVED',
			operate_time: '2026-11-30T00:53:20.000Z',
			instance_uuid: 'u-1',
		});
		const task = handleEvent(
			{
				uuid: 'ev-2',
				ts: '1796000000.2',
				type: 'event_callback',
				event: {
					type: 'approval_task',
					approval_code: APPROVAL_EXPENSE,
					instance_code: 'I-1',
					task_id: '7311000000000000001',
					status: 'PENDING',
					open_id: 'ou_2',
					user_id: 'u002',
					operate_time: '1796000000000',
					def_key: 'node-1',
				},
			},
			settings,
			{},
		).item;
		expect(task).toMatchObject({
			task_id: '7311000000000000001',
			status: 'PENDING',
			open_id: 'ou_2',
			user_id: 'u002',
			node_id: 'node-1',
		});
	});
});
