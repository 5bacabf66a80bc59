import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { PlatformFailure } from './errors';
import { fileOf, streamOf } from './download';
import type { PlatformSpec } from './platform';
import { networkError, platformError } from './errors';
import { multipartBlob } from './multipart';
import type { Window } from './pacing';
import { Pacer, windowsFor } from './pacing';
import { toJsonText } from './params';
import { backoff, MAX_RATE_LIMIT_RETRIES, MAX_TRANSIENT_RETRIES, OUTCOME_UNKNOWN } from './retry';
import { scrubText } from './secrets';
import type { TokenKind } from './tokens';
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
	StreamedFile,
} from './types';

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
		this.tokens = spec.tokens
			? spec.tokens(() => this.secrets())
			: issue === undefined
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

	/** Like download, with the file as a stream (large files go to n8n's binary data store as they arrive). */
	async downloadStream(
		request: ApiRequest,
		itemIndex: number,
		options: SendOptions = {},
	): Promise<StreamedFile> {
		const answer = await this.perform(
			{ ...request, binaryResponse: true, stream: true },
			itemIndex,
			options,
		);
		if (!answer.stream) {
			throw new NodeApiError(
				this.ctx.getNode(),
				{ message: 'no file' },
				{
					message: `${this.spec.platform} answered with data instead of a file`,
					itemIndex,
				},
			);
		}
		return answer.stream;
	}

	private async perform(
		request: ApiRequest,
		itemIndex: number,
		options: SendOptions,
	): Promise<{ data?: ApiResponse; file?: DownloadedFile; stream?: StreamedFile }> {
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
			const ticket = await this.pacer.acquire(api, windows, lanes);
			const carriesRefresh = token.carriesRefresh;
			let response: IN8nHttpFullResponse;
			try {
				response = await token.send(async (data) => await this.attempt(request, style, data));
				this.pacer.answered(ticket, Date.now(), carriesRefresh);
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
			if (request.binaryResponse && request.stream) {
				const stream = await streamOf(response);
				if (stream) return { stream };
			} else if (request.binaryResponse) {
				const file = fileOf(response);
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
				if (!this.spec.refusedCounts) this.pacer.release(ticket);
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
			// An invalid or expired token: one replacement, one more attempt. The refused request was not
			// carried out, so, like a "too fast" one, it gives its places in the windows back: a run that began
			// with a revoked token would otherwise lose them, at a per-minute limit a minute's wait at the end.
			if (outcome.tokenInvalid) {
				this.pacer.release(ticket);
				if (await token.renew(outcome.failure.code)) continue;
			}
			const serverError = response.statusCode >= 500;
			const code = outcome.failure.code;
			const transientCode = this.spec.transientCodes.includes(code);
			const businessAnswer = options.errors?.[code] !== undefined && !transientCode;
			// A 5xx that is not a documented business answer, or a code the pages say to retry (whatever its
			// HTTP status: Feishu's wiki answers "rpc fail" with 400), is sent again when that is safe.
			if (
				((serverError && !businessAnswer) || transientCode) &&
				idempotent &&
				transient < MAX_TRANSIENT_RETRIES
			) {
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
		if (request.binaryResponse) options.encoding = request.stream ? 'stream' : 'arraybuffer';
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
		if (request.headers) options.headers = { ...options.headers, ...request.headers };
		if (this.tokens.sign) {
			// A credential without a token (a custom bot: its URL is the whole authorisation), or a token kind
			// that signs its requests itself (a user's OAuth2 token).
			return (await this.ctx.helpers.httpRequest(
				this.tokens.sign(options, data),
			)) as IN8nHttpFullResponse;
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
