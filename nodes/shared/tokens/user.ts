import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { createHash, randomInt } from 'node:crypto';

import { networkError } from '../errors';
import { pacingClock } from '../pacing';
import { backoff, MAX_TRANSIENT_RETRIES } from '../retry';
import type { ApiContext, ErrorMeanings } from '../types';
import type { TokenKind, TokenUse } from './kinds';

interface UserTokenSource {
	ctx: ApiContext;
	platform: string;
	/** An OAuth2 credential type: n8n keeps its token answer in `oauthTokenData` and refreshes it. */
	credentialType: string;
	credentials: ICredentialDataDecryptedObject;
	/** The token endpoint's documented codes and their meanings (a refresh fails with one of them). */
	refreshErrors: ErrorMeanings;
	/** Codes that say the refresh token was already used or revoked: another process may have refreshed. */
	usedCodes: string[];
	/** Codes that say the token endpoint failed for now ("Please retry"). */
	transientCodes: string[];
	/**
	 * Refusal codes that say "invalid" rather than "expired": one for a token this process got by a
	 * refresh moments ago is not its lifetime running out, so it starts no second refresh.
	 */
	invalidCodes: string[];
	secrets(): string[];
}

/** One credential's user tokens in this process: which access token replaced which, and the refreshes under way. */
interface Chain {
	replaced: Map<string, string>;
	refreshing: Map<string, Promise<Renewal>>;
	/** Refused tokens whose refresh failed: later callers get the same failure, not another refresh. */
	failed: Map<string, Exclude<Renewal, { token: string }>>;
	/** When this process got each token by a refresh: one refused right after is no expiry. */
	issuedAt: Map<string, number>;
	seen: Set<string>;
}

/** A refresh's outcome, shared by every caller that met the same refused token (each builds its own error). */
type Renewal =
	| { token: string }
	| { refusal: { code: string; message: string; httpStatus: number } }
	| { error: unknown };

const chains = new Map<string, Chain>();
const REPLACEMENTS_KEPT = 32;
/** After "refresh token already used": how often the credential is read again for the winner's save. */
const WINNER_READS = 4;
const WINNER_PAUSE_MS = 250;
/** A token got by a refresh this recently and refused as invalid: no second refresh. */
const FRESH_MS = 60_000;
/** How long callers wait for a refresh (n8n 1.x's token request has no timeout of its own). */
export const REFRESH_DEADLINE_MS = 60_000;
/** Network failures before the request left: nothing reached Feishu, so trying again is safe. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
]);

const tokenData = (data: ICredentialDataDecryptedObject): IDataObject =>
	(data.oauthTokenData ?? {}) as IDataObject;
const accessOf = (data: ICredentialDataDecryptedObject): string =>
	String(tokenData(data).access_token ?? tokenData(data).accessToken ?? '');
const refreshOf = (data: ICredentialDataDecryptedObject): string =>
	String(tokenData(data).refresh_token ?? tokenData(data).refreshToken ?? '');

/**
 * A user's access token from an OAuth2 credential (n8n's "Connect my account" saved it in
 * `oauthTokenData`). Requests carry it as `Authorization: Bearer`, signed here rather than through n8n's
 * authentication, because n8n refreshes an OAuth2 token on an HTTP status only and Feishu says "expired"
 * in its body's code: this kind decides, from the code, and asks n8n to refresh.
 *
 * A refreshed token replaces the refused one for the whole process: one refresh per refused token, which
 * every item and execution that met it waits for. Since each refresh rotates the refresh token, the
 * credential is read again first (another process may have refreshed and saved), and a refusal because the
 * refresh token was already used is answered by the token the other process saved. n8n saves every
 * refresh in the credential, never only here.
 */
export class UserTokens implements TokenKind {
	private readonly chain: Chain;
	private readonly failures = new WeakSet<object>();

	constructor(private readonly source: UserTokenSource) {
		const reference = source.ctx.getNode().credentials?.[source.credentialType];
		const key = createHash('sha256')
			.update(
				[
					source.credentialType,
					reference?.id ?? '',
					String(source.credentials.clientId ?? ''),
					String(source.credentials.accessTokenUrl ?? ''),
				].join('\u0000'),
			)
			.digest('hex');
		let chain = chains.get(key);
		if (!chain) {
			chain = {
				replaced: new Map(),
				refreshing: new Map(),
				failed: new Map(),
				issuedAt: new Map(),
				seen: new Set(),
			};
			chains.set(key, chain);
		}
		this.chain = chain;
		this.see(source.credentials);
	}

	known(): string[] {
		return [...this.chain.seen];
	}

	async begin(itemIndex: number): Promise<TokenUse> {
		const first = accessOf(this.source.credentials);
		if (first === '') {
			throw this.failed(
				new NodeOperationError(
					this.source.ctx.getNode(),
					`The ${this.source.platform} OAuth2 credential is not connected`,
					{
						itemIndex,
						description:
							'Open the credential and click Connect my account, then sign in as the user the workflow acts as.',
					},
				),
			);
		}
		let held = this.latest(first);
		let renewed = false;
		return {
			carriesRefresh: false,
			send: async (send) => await send({ accessToken: held }),
			renew: async (code) => {
				if (renewed) return false;
				renewed = true;
				const replacement = await this.replacement(held, itemIndex, code);
				if (replacement === undefined) return false;
				held = replacement;
				return true;
			},
			isTokenFailure: (error) =>
				typeof error === 'object' && error !== null && this.failures.has(error),
		};
	}

	/** Requests carry the token themselves: n8n's OAuth2 helpers would refresh on a status of their own. */
	sign(options: IHttpRequestOptions, data: ICredentialDataDecryptedObject): IHttpRequestOptions {
		return {
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${String(data.accessToken ?? '')}` },
		};
	}

	/** The newest token this process knows in place of `token`. */
	private latest(token: string): string {
		let current = token;
		for (let hops = 0; hops < REPLACEMENTS_KEPT && this.chain.replaced.has(current); hops++)
			current = this.chain.replaced.get(current)!;
		return current;
	}

	/**
	 * The token that replaces the refused one: a refresh, or one that another caller or process got.
	 * Undefined when no refresh can help: the token came from a refresh moments ago and is refused as
	 * invalid, which a new one would not change (the platform's answer stands, with its meaning).
	 */
	private async replacement(
		stale: string,
		itemIndex: number,
		code?: string,
	): Promise<string | undefined> {
		const newer = this.latest(stale);
		if (newer !== stale) return newer;
		const issued = this.chain.issuedAt.get(stale);
		const invalid = code !== undefined && this.source.invalidCodes.includes(code);
		if (invalid && issued !== undefined && Date.now() - issued < FRESH_MS) return undefined;
		const failed = this.chain.failed.get(stale);
		if (failed) {
			// The refresh failed before: only a newer token in the credential (a reconnect, another
			// process's refresh) changes that; no second refresh of the same token.
			const current = accessOf(await this.read());
			if (current === '' || current === stale)
				throw this.failed(this.renewalError(failed, itemIndex));
			this.chain.failed.delete(stale);
			this.replace(stale, current);
			return current;
		}
		let renewal = this.chain.refreshing.get(stale);
		if (!renewal) {
			renewal = this.refresh(stale);
			this.chain.refreshing.set(stale, renewal);
			void renewal.then((outcome) => {
				this.chain.refreshing.delete(stale);
				if ('token' in outcome) this.replace(stale, outcome.token);
				else this.remember(stale, outcome);
			});
		}
		const outcome = await this.within(renewal);
		if ('token' in outcome) return outcome.token;
		throw this.failed(this.renewalError(outcome, itemIndex));
	}

	/**
	 * The refresh's outcome, or a failure once REFRESH_DEADLINE_MS have passed (the refresh itself goes
	 * on; its outcome still replaces the token or is remembered). Waits in short steps, so no long timer
	 * outlives the wait.
	 */
	private async within(renewal: Promise<Renewal>): Promise<Renewal> {
		let settled: Renewal | undefined;
		void renewal.then((outcome) => (settled = outcome));
		const deadline = Date.now() + REFRESH_DEADLINE_MS * pacingClock.scale;
		while (settled === undefined) {
			if (Date.now() >= deadline) return { error: new RefreshTimeout() };
			await Promise.race([renewal, sleep(250 * pacingClock.scale)]);
		}
		return settled;
	}

	private remember(stale: string, outcome: Exclude<Renewal, { token: string }>): void {
		keepNewest(this.chain.failed.set(stale, outcome), REPLACEMENTS_KEPT);
	}

	private replace(stale: string, token: string): void {
		keepNewest(this.chain.replaced.set(stale, token), REPLACEMENTS_KEPT);
	}

	/** Remembers a token answer's values (or a credential's), to scrub them from anything shown. */
	private see(data: ICredentialDataDecryptedObject, answer?: IDataObject): void {
		const tokens = answer ?? tokenData(data);
		for (const value of [
			tokens.access_token,
			tokens.refresh_token,
			tokens.accessToken,
			tokens.refreshToken,
		])
			if (typeof value === 'string' && value !== '') this.chain.seen.add(value);
		keepNewest(this.chain.seen, 4 * REPLACEMENTS_KEPT);
	}

	/** Reads the credential as n8n holds it now (another process may have saved a newer token). */
	private async read(): Promise<ICredentialDataDecryptedObject> {
		const data = await this.source.ctx.getCredentials(this.source.credentialType);
		this.see(data);
		return data;
	}

	/**
	 * One refresh of the refused token, through n8n (which saves the answer in the credential; n8n 2.x also
	 * holds a lock across processes while it does).
	 */
	private async refresh(stale: string): Promise<Renewal> {
		try {
			// Another process may have just refreshed: a short random pause spreads the processes that met
			// the same expiry, and the first one's save is found here.
			await sleep(randomInt(0, 201) * pacingClock.scale);
			const before = await this.read();
			const current = accessOf(before);
			if (current !== '' && current !== stale) return { token: current };
			for (let attempt = 0; ; attempt++) {
				const outcome = await this.refreshOnce();
				if ('token' in outcome) return outcome;
				// A failure before the request left (nothing reached Feishu) is tried again; one after it may have
				// rotated the refresh token, so it is not (renewalError says the outcome is unknown).
				if ('error' in outcome && attempt < MAX_TRANSIENT_RETRIES && notSent(outcome.error)) {
					await sleep(backoff(attempt));
					continue;
				}
				// Used or revoked: if another process won the race, its token is (or soon is) saved. n8n 2.x
				// answers a refusal with `invalid_grant` with its own "needs to be reconnected" error, without
				// the platform's code: that may be the lost race too.
				const used =
					'refusal' in outcome
						? this.source.usedCodes.includes(outcome.refusal.code)
						: isReconnectError(outcome.error);
				if (used) {
					for (let read = 0; read <= WINNER_READS; read++) {
						if (read > 0) await sleep(WINNER_PAUSE_MS * read);
						const after = await this.read();
						if (refreshOf(after) !== refreshOf(before) || accessOf(after) !== current) {
							const token = accessOf(after);
							if (token !== '' && token !== stale) return { token };
						}
					}
					return outcome;
				}
				if (
					'refusal' in outcome &&
					this.source.transientCodes.includes(outcome.refusal.code) &&
					attempt < MAX_TRANSIENT_RETRIES
				) {
					await sleep(backoff(attempt));
					continue;
				}
				return outcome;
			}
		} catch (error) {
			return { error };
		}
	}

	private async refreshOnce(): Promise<Renewal> {
		let answer: IDataObject;
		try {
			answer = (await this.source.ctx.helpers.refreshOAuth2Token.call(
				this.source.ctx,
				this.source.credentialType,
			)) as IDataObject;
		} catch (error) {
			const refusal = refusalIn(error);
			return refusal ? { refusal } : { error };
		}
		this.see({}, answer);
		const token = String(answer?.access_token ?? '');
		// A refusal in a successful answer (an HTTP 200 with a non-zero code).
		if (answer?.code !== undefined && Number(answer.code) !== 0) {
			return {
				refusal: {
					code: String(answer.code),
					message: String(answer.error_description ?? answer.error ?? answer.msg ?? ''),
					httpStatus: 200,
				},
			};
		}
		if (token === '') return { error: new Error('the token endpoint answered no access token') };
		keepNewest(this.chain.issuedAt.set(token, Date.now()), REPLACEMENTS_KEPT);
		return { token };
	}

	private renewalError(outcome: Exclude<Renewal, { token: string }>, itemIndex: number): Error {
		const node = this.source.ctx.getNode();
		const secrets = [...this.source.secrets(), ...this.known()];
		if ('refusal' in outcome) {
			const { code, message, httpStatus } = outcome.refusal;
			const meaning = this.source.refreshErrors[code];
			const response: JsonObject = { code, message, httpStatus };
			return Object.assign(
				new NodeApiError(node, response, {
					message: `${this.source.platform} refused to renew the user's access token (error ${code}: ${message || 'no message'})`,
					description: [meaning, `HTTP ${httpStatus}`, 'from the token endpoint']
						.filter(Boolean)
						.join(' · '),
					httpCode: String(httpStatus),
					itemIndex,
				}),
				{ platformCode: code, meaning },
			);
		}
		const error = outcome.error;
		if (isReconnectError(error)) {
			return new NodeOperationError(
				node,
				`${this.source.platform} refused to renew the user's access token: the connection has ended`,
				{
					itemIndex,
					description:
						'n8n reports the refusal without Feishu\'s code. The refresh token expired (about 7 days unused, and at most 365 days after the user agreed), was revoked, or was already used: reconnect the credential in n8n (open it and click Connect my account). If reconnecting does not help, turn on "Refresh user_access_token" (刷新 user_access_token) in the app\'s Security Settings and publish a version.',
				},
			);
		}
		if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
		// A timeout, a reset or a 5xx after the request left: Feishu may have renewed (and so rotated) the
		// refresh token. Not tried again.
		const timedOut = error instanceof RefreshTimeout;
		if (timedOut || (isNetworkCode(error) && !notSent(error))) {
			const cause = timedOut ? 'did not answer in time' : 'failed before its answer was read';
			return new NodeApiError(
				node,
				{ code: 'REFRESH_OUTCOME_UNKNOWN', message: `the token endpoint ${cause}` },
				{
					message: `${this.source.platform}'s token endpoint ${cause} while renewing the user's access token`,
					description:
						'The outcome is unknown: Feishu may have renewed the token, and a renewal replaces the refresh token, so it was not tried again. If the next run fails with error 20073, reconnect the credential in n8n.',
					itemIndex,
				},
			);
		}
		const message = String((error as Error)?.message ?? error);
		if (/not connected|no refresh token|refreshToken is required/i.test(message)) {
			return new NodeOperationError(
				node,
				`The ${this.source.platform} user's access token expired and the credential holds no refresh token`,
				{
					itemIndex,
					description:
						'Reconnect the credential in n8n (open it and click Connect my account). Its Scopes must include offline_access, and the app must have it enabled: without it Feishu issues no refresh token.',
				},
			);
		}
		return networkError(
			node,
			this.source.platform,
			error,
			"renewing the user's access token",
			itemIndex,
			{
				secrets,
			},
		);
	}

	private failed<E extends Error>(error: E): E {
		this.failures.add(error);
		return error;
	}
}

/** n8n 2.x's error for a refresh refused with `invalid_grant`: the credential must be connected again. */
function isReconnectError(error: unknown): boolean {
	return error instanceof NodeOperationError && /needs to be reconnected/.test(error.message);
}

/** Keeps a map or set to its newest `max` entries (both keep insertion order). */
function keepNewest(collection: Map<string, unknown> | Set<string>, max: number): void {
	while (collection.size > max) {
		const oldest = collection.keys().next().value;
		if (oldest === undefined) return;
		collection.delete(oldest);
	}
}

/** A network failure before the request left: nothing reached the token endpoint, so trying again is safe. */
/** A failure below HTTP (reset, timeout, refused), by its code. */
function isNetworkCode(error: unknown): boolean {
	const code = String(
		(error as { code?: string })?.code ??
			(error as { cause?: { code?: string } })?.cause?.code ??
			'',
	);
	return /^E[A-Z]+$/.test(code) || code === 'ERR_BAD_RESPONSE';
}

function notSent(error: unknown): boolean {
	return NOT_SENT_CODES.has(String((error as { code?: string })?.code ?? ''));
}

/** The refresh did not end within REFRESH_DEADLINE_MS. */
class RefreshTimeout extends Error {
	constructor() {
		super('the token endpoint did not answer in time');
		this.name = 'RefreshTimeout';
	}
}

/**
 * The token endpoint's refusal inside what n8n's OAuth2 client threw: its `body` (an AuthError, for a
 * 4xx) or an axios error's `response.data` (a 5xx), with the platform's numeric `code`.
 */
function asObject(value: unknown): IDataObject | undefined {
	if (typeof value === 'string') {
		try {
			return asObject(JSON.parse(value));
		} catch {
			return undefined;
		}
	}
	return value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

function refusalIn(
	error: unknown,
): { code: string; message: string; httpStatus: number } | undefined {
	for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const holder = e as {
			body?: IDataObject;
			status?: number;
			response?: { status?: number; data?: unknown };
		};
		// n8n's OAuth2 client hands on a 5xx answer's text as it came: read it as JSON too.
		const body = asObject(holder.body ?? holder.response?.data);
		if (body && body.code !== undefined && Number(body.code) !== 0) {
			return {
				code: String(body.code),
				message: String(body.error_description ?? body.error ?? body.msg ?? ''),
				httpStatus: Number(holder.status ?? holder.response?.status ?? 400),
			};
		}
	}
	return undefined;
}
