import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { PlatformFailure } from './errors';
import { networkError, platformError } from './errors';
import { multipartBlob } from './multipart';
import type { DocumentedLimit, Window } from './pacing';
import { Pacer, windowsFor } from './pacing';
import { toJsonText } from './params';
import { backoff, MAX_RATE_LIMIT_RETRIES, MAX_TRANSIENT_RETRIES, OUTCOME_UNKNOWN } from './retry';
import { scrubText } from './secrets';
import type { IssuedToken, TokenKind } from './tokens';
import { AppTokens, NO_TOKEN, passedOn } from './tokens';
import type {
	ApiContext,
	ApiRequest,
	ApiResponse,
	ApiStyle,
	BodyFailure,
	DownloadedFile,
	ErrorMeanings,
	PacingLane,
} from './types';

export { busyBackoff } from './retry';

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
	/** Exchanges the credential for an app token; absent for a credential that is its own authorisation (a custom bot's webhook URL). */
	issueToken?(): Promise<IssuedToken>;
	/** Identify the credential for the token cache and the pacing lanes (hashed, never stored in clear). */
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
	/** The limit of a raw API call (its lane is its method and path): the platform's general limit, with its page. */
	defaultLimit: DocumentedLimit;
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

export interface SendOptions {
	/** Documented error meanings of this API. */
	errors?: ErrorMeanings;
	/** Detects a failure reported inside a successful answer. */
	check?: (response: ApiResponse) => BodyFailure | undefined;
	/** The API's pacing lane with its documented limit (default: its method and path, at the platform's default limit). */
	lane?: PacingLane;
}

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
	private readonly tokens: TokenKind;
	private readonly pacer: Pacer;
	private timeoutMs = DEFAULT_TIMEOUT_MS;
	private windowsOverride?: Window[];

	constructor(
		private readonly ctx: ApiContext,
		private readonly spec: PlatformSpec,
		private readonly credentials: ICredentialDataDecryptedObject,
	) {
		const issue = spec.issueToken;
		this.tokens =
			issue === undefined
				? NO_TOKEN
				: new AppTokens({
						ctx,
						platform: spec.platform,
						credentialType: spec.credentialType,
						credentials,
						cacheKey: spec.cacheKey,
						issue: async () => await issue(),
						globalErrors: spec.globalErrors,
						secrets: () => this.secrets(),
					});
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
		const api = options.lane?.key ?? `${request.method} ${request.path}`;
		const documented = windowsFor(options.lane?.limit ?? this.spec.defaultLimit);
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
		const token = await this.tokens.begin(itemIndex);
		let rateLimited = 0;
		let transient = 0;
		for (;;) {
			let started = await this.pacer.acquire(api, windows, lanes);
			const carriesRefresh = token.carriesRefresh;
			let response: IN8nHttpFullResponse;
			try {
				response = await token.send(async (data) => await this.attempt(request, style, data));
				if (carriesRefresh) {
					const answered = Date.now();
					this.pacer.restamp([api, ...lanes.map((lane) => lane.api)], started, answered);
					started = answered;
				}
			} catch (error) {
				// No token could be had: that failure, as it is (not a network error of this request).
				if (token.isTokenFailure(error)) throw passedOn(error);
				if (idempotent && transient < MAX_TRANSIENT_RETRIES) {
					await sleep(backoff(transient++));
					continue;
				}
				throw networkError(
					this.ctx.getNode(),
					this.spec.platform,
					error,
					`calling ${request.method} ${request.path}`,
					itemIndex,
					{ outcomeUnknown: !idempotent, secrets: this.secrets() },
				);
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
			// An invalid or expired token: one replacement, one more attempt.
			if (outcome.tokenInvalid && (await token.renew())) continue;
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

	/** One HTTP attempt with the credential's fields (the token among them), through n8n's helpers. */
	private async attempt(
		request: ApiRequest,
		style: ApiStyle,
		data: ICredentialDataDecryptedObject,
	): Promise<IN8nHttpFullResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: this.spec.baseUrl(style) + request.path,
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
		if (this.tokens === NO_TOKEN) {
			// A credential without a token (a custom bot): its URL is the whole authorisation.
			return (await this.ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
		}
		const reference = this.ctx.getNode().credentials?.[this.spec.credentialType];
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(
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
