/**
 * The credential types: their test really fails on a wrong secret (as n8n's credential tester runs it),
 * preAuthentication stores a token, and authenticate puts it where each API style expects it.
 */
import { DingTalkApi } from '../credentials/DingTalkApi.credentials';
import { APPS } from './fake-api/server';
import { useFakeApi } from './helpers';

const env = useFakeApi();

const dingTalk = (overrides: Record<string, unknown> = {}) => ({
	...APPS.dingtalk,
	region: 'custom',
	baseUrl: env.fake.url,
	legacyBaseUrl: env.fake.url,
	...overrides,
});
const feishuData = (overrides: Record<string, unknown> = {}) => ({
	...APPS.feishu,
	domain: 'custom',
	baseUrl: env.fake.url,
	...overrides,
});

describe('credential test', () => {
	it('DingTalk passes with the right secret and persists the token it got', async () => {
		const result = await env.bench.testCredential('dingTalkApi', dingTalk());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const stored = env.bench.store.records.get('under-test')!.data;
		expect(stored.accessToken).toBe(env.fake.issuedTokens('dingtalk')[0]);
		expect(env.fake.calls('dingtalk.token').map((c) => c.body)).toContainEqual({
			appKey: APPS.dingtalk.appKey,
			appSecret: APPS.dingtalk.appSecret,
		});
	});

	it('DingTalk fails with a wrong secret, saying why and without echoing it', async () => {
		const result = await env.bench.testCredential(
			'dingTalkApi',
			dingTalk({ appSecret: 'not-the-secret' }),
		);
		expect(result).toEqual({
			status: 'Error',
			message:
				'DingTalk error invalidClientIdOrSecret: 无效的clientId或clientSecret · The Client ID (AppKey) or Client Secret (AppSecret) is wrong. Copy both from the app in the DingTalk developer console. (HTTP 400, from the token endpoint)',
		});
	});

	it('DingTalk fails with a wrong secret even when a token from before is stored', async () => {
		const result = await env.bench.testCredential(
			'dingTalkApi',
			dingTalk({ appSecret: 'not-the-secret', accessToken: 'old-token' }),
		);
		expect(result.status).toBe('Error');
	});

	it('Feishu passes with the right secret', async () => {
		const result = await env.bench.testCredential('feishuApi', feishuData());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('Feishu fails on the non-zero code of an HTTP 200 answer', async () => {
		const result = await env.bench.testCredential(
			'feishuApi',
			feishuData({ appSecret: 'not-the-secret' }),
		);
		expect(result).toEqual({
			status: 'Error',
			message:
				'Feishu error 10015: wrong app secret · The App Secret is wrong. Copy it from the app in the Feishu / Lark developer console. (HTTP 200, from the token endpoint)',
		});
		const wrongId = await env.bench.testCredential(
			'feishuApi',
			feishuData({ appId: 'cli_nobody' }),
		);
		expect(wrongId.status).toBe('Error');
	});

	it('Feishu fails on a wrong secret even when a token from before is stored', async () => {
		const result = await env.bench.testCredential(
			'feishuApi',
			feishuData({ appSecret: 'not-the-secret', accessToken: 't-old' }),
		);
		expect(result.status).toBe('Error');
	});
});

describe('authenticate', () => {
	it('puts the DingTalk token in the header for /v1.0/ paths and in the query for legacy paths', async () => {
		const type = new DingTalkApi();
		const credentials = { accessToken: 'tok' };
		const newStyle = await type.authenticate(credentials, {
			url: 'https://api.dingtalk.com/v1.0/rooms/groups',
		});
		expect(newStyle.headers).toEqual({ 'x-acs-dingtalk-access-token': 'tok' });
		expect(newStyle.qs).toBeUndefined();
		const legacy = await type.authenticate(credentials, {
			url: 'https://oapi.dingtalk.com/topapi/role/deleterole',
		});
		expect(legacy.qs).toEqual({ access_token: 'tok' });
		expect(legacy.headers).toBeUndefined();
		const tokenCall = await type.authenticate(credentials, {
			url: 'https://api.dingtalk.com/v1.0/oauth2/accessToken',
		});
		expect(tokenCall.headers).toBeUndefined();
	});
});
