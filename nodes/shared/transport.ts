import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { randomInt } from 'node:crypto';

import type { IssuedToken } from '../../credentials/platformAuth';
import { takeTokenFailure, TokenRequestError } from '../../credentials/platformAuth';
import type { PlatformFailure } from './errors';
import { platformError } from './errors';
import type { DocumentedLimit, Window } from './pacing';
import { Pacer, pacingClock, windowsFor } from './pacing';
import { toJsonText } from './params';
import { scrubText } from './secrets';
import { processLead, refreshMargin, TokenCache } from './tokens';
import { multipartBlob } from './multipart';
import type {
	ApiContext,
	ApiRequest,
	ApiResponse,
	ApiStyle,
	BodyFailure,
	DownloadedFile,
	ErrorMeanings,
} from './types';

/** How a platform's answer is read: success data, or a failure (possibly "your token is invalid"). */
export type Outcome =
	| { kind: 'ok'; data: ApiResponse }
	| { kind: 'failure'; failure: PlatformFailure; tokenInvalid: boolean };

/** Everything that differs between DingTalk and Feishu. */
export interface PlatformSpec {
	platform: string;
	credentialType: string;
	baseUrl(style: ApiStyle): string;
	classify(status: number, body: unknown, style: ApiStyle): Outcome;
	/** Exchanges the credential for a token; absent for credentials that carry no token (a custom bot's webhook URL). */
	issueToken?(): Promise<IssuedToken>;
	/** Identify the credential for the token cache (hashed, never stored in clear). */
	cacheKey: string[];
	/** Values that must never appear in output or errors. */
	secrets: string[];
	/** Meanings of error codes any API of the platform can answer. */
	globalErrors: ErrorMeanings;
	/**
	 * Error codes the platform documents as passing (an internal error to retry). A 5xx answer with any
	 * other code an API documents is a business answer (e.g. DingTalk's 500 group.query.error for a group
	 * that cannot be found), so it is not retried; an undocumented 5xx is.
	 */
	transientCodes: string[];
	/**
	 * The documented rate limits, keyed by API lane (`resource.operation`), each with its doc page;
	 * `default` is the limit of an API whose page states none of its own (and of raw API calls).
	 */
	limits: { default: DocumentedLimit } & Record<string, DocumentedLimit>;
	/** Adds what every request of this credential carries in its body, computed per attempt (a custom bot's signature). */
	decorateBody?(body: Record<string, unknown>): Record<string, unknown>;
	/** Adds query parameters every request of this credential carries, computed per attempt (a DingTalk custom robot's timestamp and sign). */
	decorateQuery?(): IDataObject;
	/**
	 * Whether a request the platform refused as "too fast" still counts in its windows. Default: it does
	 * not, so it gives its place back. A platform that blocks for minutes when over (DingTalk's custom
	 * robot) keeps it counted: an uncertain place is never reused.
	 */
	refusedCounts?: boolean;
	/**
	 * The documented limits always hold: Max Requests per Second may only slow this credential down (a
	 * custom robot over its 20 a minute is blocked for 10 minutes, whatever the user's quota).
	 */
	strictLimits?: boolean;
	/** Milliseconds to wait when an answer means "too fast"; undefined for any other answer. */
	rateLimitWait(
		status: number,
		body: unknown,
		headers: IDataObject,
		style: ApiStyle,
		attempt: number,
	): number | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const IDEMPOTENT_METHODS = new Set(['GET', 'PUT', 'DELETE']);
const MAX_TRANSIENT_RETRIES = 3;
const MAX_RATE_LIMIT_RETRIES = 10;
const OUTCOME_UNKNOWN =
	'The outcome is unknown: the platform may have carried out this request. It was not retried, so that it cannot happen twice; check before running this item again.';

/** 0.3 s, 0.6 s, 1.2 s */
const backoff = (attempt: number) => 300 * 2 ** attempt;

export interface SendOptions {
	/** Documented error meanings of this API. */
	errors?: ErrorMeanings;
	/** Detects a failure reported inside a successful answer. */
	check?: (response: ApiResponse) => BodyFailure | undefined;
	/** The API's pacing lane (default: method and path); also the key of its documented limit. */
	api?: string;
}

/** Exponential backoff for "busy" answers that say nothing of when to come back: 1 s, 2 s, 4 s … at most 30 s. */
export const busyBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/** A non-JSON answer (an HTML error page, a proxy error) as a failure rather than a parse crash. */
export function nonJsonFailure(platform: string, status: number, body: unknown): Outcome {
	const excerpt = String(body ?? '')
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
	return {
		kind: 'failure',
		tokenInvalid: false,
		failure: {
			platform,
			httpStatus: status,
			code: 'NON_JSON_RESPONSE',
			message: `The answer was not JSON${excerpt ? `: ${excerpt}` : ''}`,
		},
	};
}

/**
 * The only place that speaks HTTP for the nodes: adds the token (through the credential's
 * `authenticate`, via n8n's httpRequestWithAuthentication), sends, reads the answer, refreshes an
 * invalid token once and retries once, and turns failures into scrubbed NodeApiErrors.
 */
export class PlatformTransport {
	private readonly tokens: TokenCache;
	private readonly pacer: Pacer;
	private tokenFailure?: NodeApiError;
	private timeoutMs = DEFAULT_TIMEOUT_MS;
	private windowsOverride?: Window[];

	constructor(
		private readonly ctx: ApiContext,
		private readonly spec: PlatformSpec,
		private readonly credentials: ICredentialDataDecryptedObject,
	) {
		this.tokens = new TokenCache([spec.credentialType, ...spec.cacheKey]);
		this.pacer = new Pacer([spec.credentialType, ...spec.cacheKey]);
	}

	/** Per-execution settings from the node's Options. */
	configure(settings: { timeoutMs?: number; requestsPerSecond?: number }): void {
		if (settings.timeoutMs) this.timeoutMs = settings.timeoutMs;
		if (settings.requestsPerSecond)
			this.windowsOverride = windowsFor({ perSecond: settings.requestsPerSecond });
	}

	/**
	 * Sends one request and returns the platform's successful answer, or throws a NodeApiError.
	 * - paced per credential and per API (`options.api`), in the windows of its documented limit;
	 * - "too fast" answers: waits as told and sends again (a rate-limited request was not carried out);
	 * - invalid or expired token: one refresh, one retry;
	 * - 5xx, connection failure or timeout: retried with backoff only when the request is idempotent;
	 *   otherwise the error says that the outcome is unknown.
	 */
	async send(
		request: ApiRequest,
		itemIndex: number,
		options: SendOptions = {},
	): Promise<ApiResponse> {
		const answer = await this.perform(request, itemIndex, options);
		return answer.data ?? {};
	}

	/** Like send, for an answer that is a file (a download). */
	async download(
		request: ApiRequest,
		itemIndex: number,
		options: SendOptions = {},
	): Promise<DownloadedFile> {
		const answer = await this.perform({ ...request, binaryResponse: true }, itemIndex, options);
		if (!answer.file) {
			throw new NodeApiError(
				this.ctx.getNode(),
				{ message: 'no file' },
				{
					message: `${this.spec.platform} answered with data instead of a file`,
					itemIndex,
				},
			);
		}
		return answer.file;
	}

	private async perform(
		request: ApiRequest,
		itemIndex: number,
		options: SendOptions,
	): Promise<{ data?: ApiResponse; file?: DownloadedFile }> {
		const style = request.style ?? 'new';
		const api = options.api ?? `${request.method} ${request.path}`;
		const documented = windowsFor(this.spec.limits[api] ?? this.spec.limits.default);
		const windows = this.windowsOverride
			? this.spec.strictLimits
				? [...documented, ...this.windowsOverride]
				: this.windowsOverride
			: documented;
		// Per-receiver lanes keep their documented limits: the override is about the API's quota.
		const lanes = (request.lanes ?? []).map((lane) => ({
			api: lane.key,
			windows: windowsFor(lane.limit),
		}));
		// A request that carries the platform's idempotency key is safe to send again: the platform drops the repeat.
		const idempotent =
			request.idempotent ??
			(request.idempotencyKey !== undefined || IDEMPOTENT_METHODS.has(request.method));
		const meanings = [options.errors ?? {}, this.spec.globalErrors];
		const baseUrl = this.spec.baseUrl(style);
		if (!/^https?:\/\//.test(baseUrl)) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`The ${this.spec.platform} credential has no valid base URL for this API ("${baseUrl}"): set it under Custom Host`,
				{ itemIndex },
			);
		}
		// '' when this caller is the one to get a new token: its request carries the refresh (see exchange).
		const held = { token: await this.token(itemIndex) };
		let refreshed = false;
		let rateLimited = 0;
		let transient = 0;
		for (;;) {
			let started = await this.pacer.acquire(api, windows, lanes);
			// A credential without a token (a custom bot) always holds '': nothing to refresh there.
			const carriesRefresh = this.spec.issueToken !== undefined && held.token === '';
			let response: IN8nHttpFullResponse;
			try {
				response = await this.exchange(request, style, held, itemIndex);
				if (carriesRefresh) {
					const answered = Date.now();
					this.pacer.restamp([api, ...lanes.map((lane) => lane.api)], started, answered);
					started = answered;
				}
			} catch (error) {
				// No token could be had: that failure, as it is (not a network error of this request).
				if (this.tokenFailure !== undefined && error === this.tokenFailure) throw this.tokenFailure;
				if (idempotent && transient < MAX_TRANSIENT_RETRIES) {
					await sleep(backoff(transient++));
					continue;
				}
				throw this.networkError(error, request, itemIndex, !idempotent);
			}
			if (request.binaryResponse) {
				const file = this.readFile(response);
				if (file) return { file };
			}
			const wait = this.spec.rateLimitWait(
				response.statusCode,
				response.body,
				response.headers ?? {},
				style,
				rateLimited,
			);
			if (wait !== undefined && rateLimited < MAX_RATE_LIMIT_RETRIES) {
				rateLimited++;
				if (!this.spec.refusedCounts)
					this.pacer.release([api, ...lanes.map((lane) => lane.api)], started);
				this.pacer.hold(api, wait);
				for (const lane of lanes) this.pacer.hold(lane.api, wait);
				continue;
			}
			const outcome = this.spec.classify(response.statusCode, response.body, style);
			if (outcome.kind === 'ok') {
				const failure = options.check?.(outcome.data);
				if (!failure) return { data: outcome.data };
				const reported = {
					platform: this.spec.platform,
					httpStatus: response.statusCode,
					...failure,
				};
				throw platformError(this.ctx.getNode(), this.scrubFailure(reported), meanings, itemIndex);
			}
			if (outcome.tokenInvalid && !refreshed && this.spec.issueToken) {
				refreshed = true;
				held.token = await this.token(itemIndex, held.token);
				continue;
			}
			const serverError = response.statusCode >= 500;
			const code = outcome.failure.code;
			const businessAnswer =
				options.errors?.[code] !== undefined && !this.spec.transientCodes.includes(code);
			if (serverError && !businessAnswer && idempotent && transient < MAX_TRANSIENT_RETRIES) {
				await sleep(backoff(transient++));
				continue;
			}
			const error = platformError(
				this.ctx.getNode(),
				this.scrubFailure(outcome.failure),
				meanings,
				itemIndex,
			);
			if (serverError && !idempotent)
				error.description = `${OUTCOME_UNKNOWN} ${error.description ?? ''}`.trim();
			throw error;
		}
	}

	/**
	 * A download's answer: the file, or undefined when the platform answered JSON (an error), whose body is
	 * then parsed for the usual classification.
	 */
	private readFile(response: IN8nHttpFullResponse): DownloadedFile | undefined {
		const headers = (response.headers ?? {}) as IDataObject;
		const contentType = String(headers['content-type'] ?? '');
		const raw = response.body as Buffer | ArrayBuffer | string | undefined;
		const data = Buffer.isBuffer(raw)
			? raw
			: raw instanceof ArrayBuffer
				? Buffer.from(raw)
				: Buffer.from(String(raw ?? ''), 'utf8');
		if (response.statusCode >= 200 && response.statusCode < 300 && !contentType.includes('json')) {
			return {
				data,
				mimeType: contentType.split(';')[0].trim() || undefined,
				fileName: fileNameOf(String(headers['content-disposition'] ?? '')),
			};
		}
		try {
			response.body = JSON.parse(data.toString('utf8')) as IDataObject;
		} catch {
			response.body = data.toString('utf8');
		}
		return undefined;
	}

	/** A field of the node's credential (e.g. the app key a robot's robotCode defaults to). */
	credential(field: string): string {
		const value = this.credentials[field];
		return value === undefined || value === null ? '' : String(value);
	}

	/** Scrubs any error before it leaves the node: message, description and context. */
	scrub<E>(error: E): E {
		if (!(error instanceof Error)) return error;
		const secrets = this.secrets();
		error.message = scrubText(error.message, secrets);
		const withDescription = error as Error & { description?: string | null; context?: IDataObject };
		if (typeof withDescription.description === 'string') {
			withDescription.description = scrubText(withDescription.description, secrets);
		}
		if (withDescription.context && typeof withDescription.context === 'object') {
			withDescription.context = JSON.parse(
				scrubText(JSON.stringify(withDescription.context), secrets),
			) as IDataObject;
		}
		return error;
	}

	private secrets(): string[] {
		return [...this.spec.secrets, ...this.tokens.known()];
	}

	private scrubFailure(failure: PlatformFailure): PlatformFailure {
		return JSON.parse(scrubText(JSON.stringify(failure), this.secrets())) as PlatformFailure;
	}

	/**
	 * Exchanges the key and secret for a token. The exchange changes nothing, so a failure that says
	 * nothing about the key and secret (a 5xx, a page that is not JSON, a reset, a timeout) is retried
	 * with the same backoff as any idempotent request; a refusal (wrong secret) fails at once.
	 * Concurrent callers share this one attempt, retries included (TokenCache keeps it in flight).
	 */
	private async issueToken(attemptsDone = 0): Promise<IssuedToken> {
		if (attemptsDone > 0) await sleep(backoff(attemptsDone - 1));
		for (let attempt = attemptsDone; ; attempt++) {
			// The failure is turned into the node's error by token(), which knows the item.
			const outcome = await this.spec.issueToken!().then(
				(issued) => ({ issued, error: undefined }),
				(error: unknown) => ({ issued: undefined, error }),
			);
			if (outcome.issued) return outcome.issued;
			const transient = outcome.error instanceof TokenRequestError ? outcome.error.transient : true;
			if (!transient || attempt >= MAX_TRANSIENT_RETRIES) throw outcome.error;
			await sleep(backoff(attempt));
		}
	}

	/**
	 * A valid token; with `stale`, one that replaces a token the platform rejected. In order: this process's
	 * cache; the token the credential holds (saved by any process or execution of the deployment: n8n stores
	 * it in the credential's hidden field, with the time to refresh it beside it); otherwise '' — this caller
	 * then gets a new one, through n8n, which saves it in the credential for everyone (see exchange). Callers
	 * that ask meanwhile wait for it: one token request per credential, not per process, item or execution.
	 */
	private async token(itemIndex: number, stale?: string): Promise<string> {
		if (!this.spec.issueToken) return '';
		// A token request that failed (a wrong secret, or a failure that outlasted its retries) fails every
		// item of this run without asking again.
		if (this.tokenFailure) throw this.tokenFailure;
		let cached: string | undefined;
		try {
			cached = await this.tokens.acquire(stale);
		} catch (error) {
			throw this.tokenError(error, itemIndex);
		}
		if (cached !== undefined) return cached;
		try {
			const stored = await this.storedToken(stale);
			if (stored) {
				this.tokens.adopt(stored.token, stored.refreshAt);
				return stored.token;
			}
		} catch (error) {
			this.tokens.fail(error);
			throw this.tokenError(error, itemIndex);
		}
		return '';
	}

	/**
	 * The credential's stored token, when it is not the rejected one and not due for refresh (this process
	 * refreshes a little earlier than the stored time, by its own share of the margin, so that one process
	 * refreshes first and the others find its token). Read as this execution started, then once more from
	 * n8n after a short random pause, since another process may have just saved one.
	 */
	private async storedToken(
		stale?: string,
	): Promise<{ token: string; refreshAt: number } | undefined> {
		const usable = (data: ICredentialDataDecryptedObject) => {
			const token = String(data.accessToken ?? '');
			const refreshAt = Number(data.renewAt ?? 0);
			const expiresAt = Number(data.expiresAt ?? 0);
			if (
				token === '' ||
				token === stale ||
				!Number.isFinite(refreshAt) ||
				!Number.isFinite(expiresAt)
			)
				return undefined;
			const due = refreshAt - processLead(Math.max(0, expiresAt - refreshAt));
			return Date.now() < due ? { token, refreshAt: due } : undefined;
		};
		const first = usable(this.credentials);
		if (first) return first;
		await sleep(randomInt(0, STORED_TOKEN_PAUSE_MS + 1) * pacingClock.scale);
		const now = await this.ctx.getCredentials(this.spec.credentialType);
		return usable(now);
	}

	/** A failure to get a token as the node's error (kept for the rest of the run). */
	private tokenError(error: unknown, itemIndex: number): NodeApiError {
		const cause = tokenRequestErrorIn(error);
		this.tokenFailure =
			cause !== undefined
				? platformError(
						this.ctx.getNode(),
						{
							platform: cause.platform,
							httpStatus: cause.httpStatus,
							code: cause.platformCode,
							message: cause.platformMessage,
						},
						[this.spec.globalErrors],
						itemIndex,
					)
				: this.networkError(error, 'requesting an access token', itemIndex);
		if (cause?.transient) {
			this.tokenFailure.description =
				`The token endpoint kept failing after ${MAX_TRANSIENT_RETRIES} retries. ${this.tokenFailure.description ?? ''}`.trim();
		}
		return this.tokenFailure;
	}

	/**
	 * The token this caller gets because nobody has a valid one: n8n's preAuthentication (the credential's own,
	 * which requests it) runs inside httpRequestWithAuthentication when the token it is given is empty, and
	 * n8n saves the result in the credential, where every process and worker finds it. The request it carries
	 * is this caller's own, so a refresh costs no extra call. When n8n could not get it, the token is asked for
	 * directly (with the transport's retries) to report a clear failure.
	 */
	private adoptIssued(data: ICredentialDataDecryptedObject): string | undefined {
		const token = String(data.accessToken ?? '');
		if (token === '') return undefined;
		const refreshAt = Number(data.renewAt ?? 0);
		const expiresAt = Number(data.expiresAt ?? 0);
		this.tokens.adopt(
			token,
			Number.isFinite(refreshAt) && refreshAt > 0
				? refreshAt - processLead(Math.max(0, expiresAt - refreshAt))
				: Date.now(),
		);
		return token;
	}

	private async exchange(
		request: ApiRequest,
		style: ApiStyle,
		held: { token: string },
		itemIndex: number,
	): Promise<IN8nHttpFullResponse> {
		const token = held.token;
		const baseUrl = this.spec.baseUrl(style);
		const options: IHttpRequestOptions = {
			method: request.method,
			url: baseUrl + request.path,
			json: !request.binaryResponse,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			timeout: this.timeoutMs,
		};
		if (request.binaryResponse) options.encoding = 'arraybuffer';
		const qs = { ...request.qs, ...this.spec.decorateQuery?.() };
		if (Object.keys(qs).length > 0) options.qs = qs;
		if (request.multipart) {
			const { blob, contentType } = multipartBlob(request.multipart);
			options.body = blob as IDataObject;
			options.headers = { 'Content-Type': contentType };
		} else if (request.body !== undefined) {
			options.body = toJsonText(
				this.spec.decorateBody ? this.spec.decorateBody(request.body) : request.body,
			);
			options.headers = { 'Content-Type': 'application/json' };
		}
		if (!this.spec.issueToken) {
			// A credential without a token (a custom bot): its URL is the whole authorisation.
			return (await this.ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
		}
		const node = this.ctx.getNode();
		const reference = node.credentials?.[this.spec.credentialType];
		const data: ICredentialDataDecryptedObject = { ...this.credentials, accessToken: token };
		const send = async () =>
			(await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.spec.credentialType,
				options,
				{
					credentialsDecrypted: {
						id: reference?.id ?? '',
						name: reference?.name ?? '',
						type: this.spec.credentialType,
						data,
					},
				},
			)) as IN8nHttpFullResponse;
		if (token !== '') return await send();
		// This caller gets the token: n8n's preAuthentication fills `data` (and saves it) before sending.
		takeTokenFailure(this.credentials);
		try {
			const response = await send();
			if (this.adoptIssued(data) === undefined) throw new Error('no token from preAuthentication');
			held.token = String(data.accessToken);
			return response;
		} catch (error) {
			const issued = this.adoptIssued(data);
			if (issued !== undefined) {
				// The token came; the request itself failed (the caller retries it, or reports it, as any).
				held.token = issued;
				throw asIs(error);
			}
			// n8n could not get a token: ask directly, with retries, for the token or a clear failure.
			const cause = tokenRequestErrorIn(error) ?? takeTokenFailure(this.credentials);
			try {
				if (cause !== undefined && !cause.transient) throw cause;
				// A transient failure inside n8n was the first attempt.
				const direct = await this.issueToken(cause !== undefined ? 1 : 0);
				const lifetime = Math.max(0, direct.expiresIn) * 1000;
				this.tokens.adopt(direct.token, Date.now() + lifetime - refreshMargin(lifetime));
				held.token = direct.token;
			} catch (failure) {
				this.tokens.fail(failure);
				throw this.tokenError(failure, itemIndex);
			}
			return await this.exchange(request, style, held, itemIndex);
		}
	}

	/** A failure below HTTP (connection refused or reset, timeout): a NodeApiError without request details. */
	private networkError(
		error: unknown,
		request: ApiRequest | string,
		itemIndex: number,
		outcomeUnknown = false,
	): NodeApiError {
		const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
		const code = String((error as { code?: string })?.code ?? cause?.code ?? 'NETWORK_ERROR');
		const message = String(cause?.message ?? (error as Error)?.message ?? error);
		const response: JsonObject = { code, message: scrubText(message, this.secrets()) };
		const doing =
			typeof request === 'string' ? request : `calling ${request.method} ${request.path}`;
		const hint = `Network error ${code}. Check the credential's host and your network, or raise the timeout under Options.`;
		return new NodeApiError(this.ctx.getNode(), response, {
			message: `${this.spec.platform} could not be reached while ${doing}: ${response.message as string}`,
			description: outcomeUnknown ? `${OUTCOME_UNKNOWN} ${hint}` : hint,
			itemIndex,
		});
	}
}

/** The file name of a Content-Disposition header (RFC 6266: filename* first, then filename). */
export function fileNameOf(disposition: string): string | undefined {
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[2].trim());
		} catch {
			return extended[2].trim();
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
	return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}

/** How long a process without a token waits, at most, before looking at the stored credential again. */
const STORED_TOKEN_PAUSE_MS = 200;

/** The token endpoint's refusal inside an error n8n wrapped (NodeApiError keeps it as its cause). */
function tokenRequestErrorIn(error: unknown): TokenRequestError | undefined {
	for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		if (e instanceof TokenRequestError) return e;
	}
	return undefined;
}

/** The same error, passed on to the caller that reads it (a network failure of the request itself). */
const asIs = (error: unknown): unknown => error;
