/**
 * No app secret and no access token in any output item, error message, error description or error context,
 * across successes, API errors, token refreshes and network failures — including the legacy API, which
 * carries the token in the URL.
 */
import { APPS, USERS } from './fake-api/server';
import type { RunResult } from './harness';
import { ding, feishu, useFakeApi } from './helpers';

const env = useFakeApi();

function exposed(result: RunResult): string {
	return JSON.stringify({
		json: result.json,
		error: result.error ?? null,
		runError: result.run.data.resultData.error ?? null,
	});
}

function expectNoSecrets(text: string): void {
	const secrets = [APPS.dingtalk.appSecret, APPS.feishu.appSecret, ...env.fake.issuedTokens()];
	expect(secrets.length).toBeGreaterThan(2);
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('secrets never leave the node', () => {
	it('in outputs and errors of successful and failing runs on every API style', async () => {
		const outputs: string[] = [];
		for (const continueOnFail of [false, true]) {
			outputs.push(
				exposed(
					await env.bench.run({
						...ding('role', 'delete', { roleId: '1581322000' }),
						continueOnFail,
					}),
				),
			);
			outputs.push(
				exposed(
					await env.bench.run({ ...ding('role', 'delete', { roleId: '42' }), continueOnFail }),
				),
			);
			outputs.push(
				exposed(
					await env.bench.run({
						...ding('meetingRoomGroup', 'delete', { groupId: '999', unionId: USERS.admin }),
						continueOnFail,
					}),
				),
			);
			outputs.push(
				exposed(
					await env.bench.run({
						...feishu('userGroup', 'delete', { groupId: 'nope' }),
						continueOnFail,
					}),
				),
			);
		}
		expectNoSecrets(outputs.join('\n'));
	});

	it('when the platform echoes the token in its error message', async () => {
		await env.bench.run(ding('role', 'delete', { roleId: '1581322000' }));
		const [token] = env.fake.issuedTokens('dingtalk');
		env.fake.script('dingtalk.role.delete', {
			status: 200,
			body: {
				errcode: 40078,
				errmsg: `bad call https://oapi.dingtalk.com/topapi/role/deleterole?access_token=${token}`,
				request_id: 'r',
			},
		});
		const result = await env.bench.run({
			...ding('role', 'delete', { roleId: '42' }),
			continueOnFail: true,
		});
		expect(result.json[0].error).toContain('access_token=***');
		expectNoSecrets(exposed(result));
	});

	it('when the connection drops on a legacy request that carries the token in its URL', async () => {
		// DELETEs are retried three times after a dropped connection; the legacy POST is not.
		const drop = { status: 0, body: null, destroy: true };
		env.fake.script('dingtalk.role.delete', drop);
		env.fake.script('dingtalk.meetingRoomGroup.delete', drop, drop, drop, drop);
		env.fake.script('feishu.userGroup.delete', drop, drop, drop, drop);
		const results = [
			await env.bench.run(ding('role', 'delete', { roleId: '1581322000' })),
			await env.bench.run({
				...ding('meetingRoomGroup', 'delete', { groupId: '173', unionId: USERS.admin }),
				continueOnFail: true,
			}),
			await env.bench.run(feishu('userGroup', 'delete', { groupId: 'g1837191' })),
		];
		expect(results[0].error?.name).toBe('NodeApiError');
		expect(results[0].error?.message).toMatch(
			/^DingTalk could not be reached while calling POST \/topapi\/role\/deleterole/,
		);
		expect(results[1].json[0].error).toMatch(/^DingTalk could not be reached/);
		expect(results[2].error?.message).toMatch(/^Feishu could not be reached/);
		expectNoSecrets(results.map(exposed).join('\n'));
	});

	it('when a token dies mid-run and is refreshed', async () => {
		for (let i = 0; i < 10; i++)
			env.fake.roles.set(7000 + i, {
				name: `r${i}`,
				system: false,
				groupId: 1507113578,
				users: new Set<string>(),
			});
		env.fake.expireTokensAfter(3);
		const result = await env.bench.run({
			...ding('role', 'delete', { roleId: '={{ $json.id }}' }),
			items: Array.from({ length: 10 }, (_, i) => ({ id: 7000 + i })),
		});
		expect(result.json).toHaveLength(10);
		expectNoSecrets(exposed(result));
	});
});
