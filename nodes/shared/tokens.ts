import type { ICredentialDataDecryptedObject, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { createHash, randomInt } from 'node:crypto';

import { networkError, platformError } from './errors';
import { pacingClock } from './pacing';
import { backoff, MAX_TRANSIENT_RETRIES } from './retry';
import type { ApiContext, ErrorMeanings } from './types';

/**
 * The credential's access tokens: one home for getting, storing, sharing and renewing them.
 *
 * - An **app token** (DingTalk's accessToken, Feishu's tenant_access_token) is exchanged for the app's key
 *   and secret. n8n keeps it in the credential's hidden expirable field (filled by the credential's
 *   `preAuthentication`, with when to renew it and when it expires), where every process and worker of a
 *   deployment reads it; this module adds the process-wide cache, the shared refresh and the fallbacks.
 * - A credential **without a token** (a custom bot's webhook URL) is its own authorisation.
 *
 * The transport calls one entry point per request, `TokenKind.begin`, and sends through what it answers.
 * A user's OAuth2 token is a third kind behind the same interface.
 */

/** What a token endpoint issued. */
export interface IssuedToken {
	token: string;
	/** Seconds until the platform expires the token. */
	expiresIn: number;
}

/** The token endpoint's refusal, as plain data: what an error carries through n8n. */
export interface TokenRefusal {
	platform: string;
	platformCode: string;
	platformMessage: string;
	httpStatus: number;
	/** The answer says nothing about the key and secret (a 5xx, "too fast", not JSON): asking again may work. */
	transient: boolean;
}

/**
 * The platform did not issue a token. Carries the platform's code (as `platformCode`: n8n's credential
 * test shows an error's bare `code` instead of its message) and the documented meaning; never the secret.
 * n8n wraps an error thrown in preAuthentication into a NodeApiError that drops the original error but
 * keeps `response.data` as its `context.data`: the refusal travels there.
 */
export class TokenRequestError extends Error {
	readonly response: { data: { tokenRefusal: TokenRefusal } };

	constructor(
		readonly platform: string,
		readonly platformCode: string,
		readonly platformMessage: string,
		readonly httpStatus: number,
		readonly transient = false,
		meaning?: string,
	) {
		super(
			`${platform} error ${platformCode}: ${platformMessage}${meaning ? ` · ${meaning}` : ''} (HTTP ${httpStatus}, from the token endpoint)`,
		);
		this.name = 'TokenRequestError';
		this.response = {
			data: { tokenRefusal: { platform, platformCode, platformMessage, httpStatus, transient } },
		};
	}
}

/** The token endpoint's refusal inside an error: ours, one n8n wrapped (its context.data), or a cause of either. */
export function tokenRefusalIn(error: unknown): TokenRefusal | undefined {
	for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof TokenRequestError) return e.response.data.tokenRefusal;
		const carried = (e as { context?: { data?: { tokenRefusal?: TokenRefusal } } }).context?.data
			?.tokenRefusal;
		if (carried) return carried;
	}
	return undefined;
}

/** Renew this long before the reported expiry: 5 minutes, or a fifth of a short lifetime. */
export function refreshMargin(lifetimeMs: number): number {
	return Math.min(5 * 60 * 1000, lifetimeMs / 5);
}

/**
 * What preAuthentication stores in the credential (n8n saves it, so every process and worker of a
 * deployment reads it): the token in the hidden, expirable field, when to renew it and when it expires,
 * both in milliseconds since the epoch.
 */
export function credentialFields(
	issued: IssuedToken,
	now = Date.now(),
): { accessToken: string; renewAt: string; expiresAt: string } {
	const lifetime = Math.max(0, issued.expiresIn) * 1000;
	return {
		accessToken: issued.token,
		renewAt: String(now + lifetime - refreshMargin(lifetime)),
		expiresAt: String(now + lifetime),
	};
}

/**
 * This process renews a shared token this much earlier than the time stored with it (a random share of
 * up to half the margin, drawn once per process), so that the processes of a deployment do not all renew
 * at the same moment: the first one saves its token in the credential, and the others find it there.
 */
const spread = randomInt(0, 1_000_000) / 1_000_000;
const processLead = (marginMs: number) => Math.floor((spread * marginMs) / 2);

/**
 * When this process takes a token as due for renewal (ms since the epoch): its stored renewal time, a
 * little early by this process's lead. The one place this is computed, for a stored token and an issued one.
 */
function dueAt(renewAt: number, expiresAt: number): number {
	return renewAt - processLead(Math.max(0, expiresAt - renewAt));
}

/** A token of the credential's fields, and when this process renews it; undefined when there is none. */
function tokenOf(
	data: ICredentialDataDecryptedObject,
): { token: string; due: number; expiresAt: number } | undefined {
	const token = String(data.accessToken ?? '');
	const renewAt = Number(data.renewAt ?? 0);
	const expiresAt = Number(data.expiresAt ?? 0);
	if (token === '' || !Number.isFinite(renewAt) || !Number.isFinite(expiresAt)) return undefined;
	// A token stored without its times is used for this request and renewed with the next one.
	return { token, due: renewAt > 0 ? dueAt(renewAt, expiresAt) : Date.now(), expiresAt };
}

/** How long a process without a token waits, at most, before reading the stored credential again. */
const STORED_TOKEN_PAUSE_MS = 200;

interface Entry {
	token?: string;
	/** When this process gets a new token. */
	due: number;
	/** The token a caller is getting right now, for the others to wait for. */
	pending?: Promise<string>;
	settle?: { resolve(token: string): void; reject(error: unknown): void };
	/** Every token this entry has held, so that output and errors can be scrubbed of them. */
	seen: string[];
}

const entries = new Map<string, Entry>();

/**
 * The in-process cache, one entry per credential (app key, secret and host): the fast path. It lives as
 * long as the n8n process, so every execution and every item in it share one token. When it has no valid
 * token, exactly one caller is told to get one (`claim` answers undefined) and the others wait for what
 * that caller `adopt`s (or its `fail`ure).
 */
class TokenCache {
	private readonly entry: Entry;

	constructor(parts: string[]) {
		const key = createHash('sha256').update(parts.join('\u0000')).digest('hex');
		let entry = entries.get(key);
		if (!entry) {
			entry = { due: 0, seen: [] };
			entries.set(key, entry);
		}
		this.entry = entry;
	}

	/** A valid token, or undefined: this caller gets one. `stale` was rejected and is dropped first (unless already replaced). */
	async claim(stale?: string): Promise<string | undefined> {
		const entry = this.entry;
		if (stale !== undefined && entry.token === stale) {
			entry.token = undefined;
			entry.due = 0;
		}
		if (entry.token && Date.now() < entry.due) return entry.token;
		if (entry.pending) return await entry.pending;
		entry.pending = new Promise<string>((resolve, reject) => (entry.settle = { resolve, reject }));
		// Nobody may be waiting: a failure is still handled by the caller that got it.
		entry.pending.catch(() => undefined);
		return undefined;
	}

	/** The token to use until `due`; hands it to the callers that wait. */
	adopt(token: string, due: number): void {
		const entry = this.entry;
		entry.token = token;
		entry.due = due;
		if (!entry.seen.includes(token)) entry.seen.push(token);
		if (entry.seen.length > 20) entry.seen.shift();
		const settle = entry.settle;
		entry.pending = undefined;
		entry.settle = undefined;
		settle?.resolve(token);
	}

	/** Getting a token failed: the callers that wait get the failure; the next caller tries again. */
	fail(error: unknown): void {
		const settle = this.entry.settle;
		this.entry.pending = undefined;
		this.entry.settle = undefined;
		settle?.reject(error);
	}

	known(): string[] {
		return [...this.entry.seen];
	}
}

/** Sends the request with the credential's fields (n8n's `authenticate` puts the token in place). */
export type AuthorizedSend = (
	data: ICredentialDataDecryptedObject,
) => Promise<IN8nHttpFullResponse>;

/** One request's use of the credential's token, across its attempts. */
export interface TokenUse {
	/** Whether the next attempt carries the token's renewal (it reaches the platform only after the token came). */
	readonly carriesRefresh: boolean;
	/** Sends one attempt with the token, getting one first when this caller is the one to. */
	send(send: AuthorizedSend): Promise<IN8nHttpFullResponse>;
	/** The platform rejected the token: the next attempt goes with a replacement (once per request). */
	renew(): Promise<boolean>;
	/** Whether an error thrown by send is the failure to get a token (not a failure of the request). */
	isTokenFailure(error: unknown): boolean;
}

/** The kinds of credential token: the transport asks for a TokenUse per request, and for the tokens to scrub. */
export interface TokenKind {
	begin(itemIndex: number): Promise<TokenUse>;
	known(): string[];
}

/** A credential that is its own authorisation (a custom bot's webhook URL): nothing to get or renew. */
export const NO_TOKEN: TokenKind = {
	begin: async () => ({
		carriesRefresh: false,
		send: async (send) => await send({}),
		renew: async () => false,
		isTokenFailure: () => false,
	}),
	known: () => [],
};

export interface AppTokenSource {
	ctx: ApiContext;
	platform: string;
	credentialType: string;
	credentials: ICredentialDataDecryptedObject;
	/** Identify the credential for the process-wide cache (hashed, never kept in clear). */
	cacheKey: string[];
	/** Asks the token endpoint directly (the fallback when n8n's preAuthentication could not). */
	issue(): Promise<IssuedToken>;
	globalErrors: ErrorMeanings;
	secrets: () => string[];
}

/**
 * An app's token. In order: this process's cache; the token the credential holds (saved by any process of
 * the deployment); otherwise this caller gets a new one through n8n's preAuthentication, riding on its own
 * request (so a renewal costs no extra call), which n8n saves in the credential for everyone. Callers that
 * ask meanwhile wait for it: one token request per credential, not per process, item or execution.
 */
export class AppTokens implements TokenKind {
	private readonly cache: TokenCache;
	/** A failure to get a token (a wrong secret, or one that outlasted its retries): the rest of the run fails with it. */
	private failure?: NodeApiError;

	constructor(private readonly source: AppTokenSource) {
		this.cache = new TokenCache([source.credentialType, ...source.cacheKey]);
	}

	known(): string[] {
		return this.cache.known();
	}

	async begin(itemIndex: number): Promise<TokenUse> {
		// '' when this caller is the one to get a new token: its first attempt carries the renewal.
		const held = { token: await this.current(itemIndex) };
		let renewed = false;
		return {
			get carriesRefresh() {
				return held.token === '';
			},
			send: async (send) => await this.sendWith(held, itemIndex, send),
			renew: async () => {
				if (renewed) return false;
				renewed = true;
				held.token = await this.current(itemIndex, held.token);
				return true;
			},
			isTokenFailure: (error) => this.failure !== undefined && error === this.failure,
		};
	}

	/** A valid token, or '' (this caller gets one); with `stale`, one that replaces a rejected token. */
	private async current(itemIndex: number, stale?: string): Promise<string> {
		if (this.failure) throw this.failure;
		let cached: string | undefined;
		try {
			cached = await this.cache.claim(stale);
		} catch (error) {
			throw this.failed(error, itemIndex);
		}
		if (cached !== undefined) return cached;
		try {
			const stored = await this.stored(stale);
			if (stored) {
				this.cache.adopt(stored.token, stored.due);
				return stored.token;
			}
		} catch (error) {
			this.cache.fail(error);
			throw this.failed(error, itemIndex);
		}
		return '';
	}

	/**
	 * The credential's stored token, unless it is the rejected one or due. Read as this execution started,
	 * then once more from n8n after a short random pause, since another process may have just saved one.
	 */
	private async stored(stale?: string): Promise<{ token: string; due: number } | undefined> {
		const usable = (data: ICredentialDataDecryptedObject) => {
			const found = tokenOf(data);
			return found && found.token !== stale && Date.now() < found.due ? found : undefined;
		};
		const first = usable(this.source.credentials);
		if (first) return first;
		await sleep(randomInt(0, STORED_TOKEN_PAUSE_MS + 1) * pacingClock.scale);
		return usable(await this.source.ctx.getCredentials(this.source.credentialType));
	}

	/** Keeps what preAuthentication filled into `data`; undefined when it filled nothing. */
	private adoptFilled(data: ICredentialDataDecryptedObject): string | undefined {
		const found = tokenOf(data);
		if (found) this.cache.adopt(found.token, found.due);
		return found?.token;
	}

	/**
	 * One attempt. With a token, the request as it is. Without one, n8n's preAuthentication (the
	 * credential's own) runs inside the request because the token it is given is empty, and n8n saves the
	 * result in the credential. When n8n could not get it, the token is asked for directly (with retries of
	 * passing failures) to get it or report a clear failure, and the request goes with that token.
	 */
	private async sendWith(
		held: { token: string },
		itemIndex: number,
		send: AuthorizedSend,
	): Promise<IN8nHttpFullResponse> {
		const data: ICredentialDataDecryptedObject = {
			...this.source.credentials,
			accessToken: held.token,
		};
		if (held.token !== '') return await send(data);
		try {
			const response = await send(data);
			const issued = this.adoptFilled(data);
			if (issued === undefined) throw new Error('no token from preAuthentication');
			held.token = issued;
			return response;
		} catch (error) {
			const issued = this.adoptFilled(data);
			if (issued !== undefined) {
				// The token came; the request itself failed (the caller retries it, or reports it, as any).
				held.token = issued;
				throw passedOn(error);
			}
			const refusal = tokenRefusalIn(error);
			try {
				if (refusal !== undefined && !refusal.transient) throw passedOn(error);
				// A passing failure inside n8n was the first attempt.
				const direct = await this.issueDirectly(refusal !== undefined ? 1 : 0);
				const lifetime = Math.max(0, direct.expiresIn) * 1000;
				const now = Date.now();
				this.cache.adopt(
					direct.token,
					dueAt(now + lifetime - refreshMargin(lifetime), now + lifetime),
				);
				held.token = direct.token;
			} catch (failure) {
				this.cache.fail(failure);
				throw this.failed(failure, itemIndex);
			}
			return await send({ ...this.source.credentials, accessToken: held.token });
		}
	}

	/**
	 * Exchanges the key and secret for a token, directly. The exchange changes nothing, so a failure that
	 * says nothing about the key and secret (a 5xx, a page that is not JSON, a reset, a timeout) is retried
	 * with the backoff of any idempotent request; a refusal (wrong secret) fails at once.
	 */
	private async issueDirectly(attemptsDone: number): Promise<IssuedToken> {
		if (attemptsDone > 0) await sleep(backoff(attemptsDone - 1));
		for (let attempt = attemptsDone; ; attempt++) {
			const outcome = await this.source.issue().then(
				(issued) => ({ issued, error: undefined }),
				(error: unknown) => ({ issued: undefined, error }),
			);
			if (outcome.issued) return outcome.issued;
			const transient = tokenRefusalIn(outcome.error)?.transient ?? true;
			if (!transient || attempt >= MAX_TRANSIENT_RETRIES) throw outcome.error;
			await sleep(backoff(attempt));
		}
	}

	/**
	 * A failure to get a token as the node's error, kept for the rest of the run: the first one stands (the
	 * callers that waited for the same token request get the same error).
	 */
	private failed(error: unknown, itemIndex: number): NodeApiError {
		if (this.failure) return this.failure;
		const node: INode = this.source.ctx.getNode();
		const refusal = tokenRefusalIn(error);
		this.failure =
			refusal !== undefined
				? platformError(
						node,
						{
							platform: refusal.platform,
							httpStatus: refusal.httpStatus,
							code: refusal.platformCode,
							message: refusal.platformMessage,
						},
						[this.source.globalErrors],
						itemIndex,
					)
				: networkError(node, this.source.platform, error, 'requesting an access token', itemIndex, {
						secrets: this.source.secrets(),
					});
		if (refusal?.transient) {
			this.failure.description =
				`The token endpoint kept failing after ${MAX_TRANSIENT_RETRIES} retries. ${this.failure.description ?? ''}`.trim();
		}
		return this.failure;
	}
}

/**
 * An error passed on as it is, to the transport that classifies it (a network failure of the request, or
 * n8n's NodeApiError carrying the token endpoint's refusal): it is turned into the node's error there.
 */
export const passedOn = (error: unknown): unknown => error;
