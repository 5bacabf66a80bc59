import { Bench } from './harness';
import type { FakeApiOptions } from './fake-api/server';
import { FakeApi } from './fake-api/server';

export interface Env {
	fake: FakeApi;
	bench: Bench;
}

/**
 * One fake API and bench for a test file. Every test ends by checking that the fake saw no request
 * that deviates from the documented spec.
 */
export function useFakeApi(options: FakeApiOptions = {}): Env {
	const env = {} as Env;
	beforeAll(async () => {
		env.fake = await new FakeApi(options).start();
		env.bench = new Bench(env.fake.url);
	});
	beforeEach(() => env.fake.reset());
	afterEach(() => expect(env.fake.violations).toEqual([]));
	afterAll(async () => await env.fake.stop());
	return env;
}

/** A fresh fake (new host, so a fresh token cache entry) for tests that count token requests. */
export async function freshFake(
	options: FakeApiOptions = {},
): Promise<Env & { close(): Promise<void> }> {
	const fake = await new FakeApi(options).start();
	return { fake, bench: new Bench(fake.url), close: async () => await fake.stop() };
}

export const ding = (resource: string, operation: string, rest: Record<string, unknown> = {}) => ({
	node: 'dingTalk' as const,
	parameters: { resource, operation, ...rest },
});

export const feishu = (
	resource: string,
	operation: string,
	rest: Record<string, unknown> = {},
) => ({
	node: 'feishu' as const,
	parameters: { resource, operation, ...rest },
});

/**
 * Options for bulk runs that are not about pacing: the Max Requests per Second override lifts the
 * documented limits (Feishu's 100 deletes a minute would make a 25-item test take 15 s).
 */
export const UNPACED = { options: { requestsPerSecond: 1000 } };
