import type { ICredentialDataDecryptedObject, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { randomInt } from 'node:crypto';

import { networkError, platformError } from '../errors';
import { pacingClock } from '../pacing';
import { backoff, MAX_TRANSIENT_RETRIES } from '../retry';
import type { ApiContext, ErrorMeanings } from '../types';
import type { AuthorizedSend, TokenKind, TokenUse } from './kinds';
import { passedOn } from './kinds';
import type { IssuedToken } from './refusal';
import { tokenRefusalIn } from './refusal';
import { dueAt, refreshMargin, STORED_TOKEN_PAUSE_MS, tokenOf } from './lifetime';
import { TokenCache } from './cache';

interface AppTokenSource {
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
