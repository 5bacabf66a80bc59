import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { IssuedToken } from '../../credentials/platformAuth';
import { TokenRequestError } from '../../credentials/platformAuth';
import type { PlatformFailure } from './errors';
import { platformError } from './errors';
import { toJsonText } from './params';
import { scrubText } from './secrets';
import { TokenCache } from './tokens';
import type { ApiContext, ApiRequest, ApiResponse, ApiStyle, BodyFailure, ErrorMeanings } from './types';

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
	issueToken(): Promise<IssuedToken>;
	/** Identify the credential for the token cache (hashed, never stored in clear). */
	cacheKey: string[];
	/** Values that must never appear in output or errors. */
	secrets: string[];
	/** Meanings of error codes any API of the platform can answer. */
	globalErrors: ErrorMeanings;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

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
	private tokenFailure?: Error;

	constructor(
		private readonly ctx: ApiContext,
		private readonly spec: PlatformSpec,
		private readonly credentials: ICredentialDataDecryptedObject,
	) {
		this.tokens = new TokenCache([spec.credentialType, ...spec.cacheKey], spec.issueToken);
	}

	async send(
		request: ApiRequest,
		itemIndex: number,
		errors: ErrorMeanings = {},
		check?: (response: ApiResponse) => BodyFailure | undefined,
	): Promise<ApiResponse> {
		const style = request.style ?? 'new';
		let token = await this.token(itemIndex);
		for (let attempt = 0; ; attempt++) {
			const response = await this.exchange(request, style, token, itemIndex);
			const outcome = this.spec.classify(response.statusCode, response.body, style);
			if (outcome.kind === 'ok') {
				const failure = check?.(outcome.data);
				if (!failure) return outcome.data;
				const reported = { platform: this.spec.platform, httpStatus: response.statusCode, ...failure };
				throw platformError(this.ctx.getNode(), this.scrubFailure(reported), [errors, this.spec.globalErrors], itemIndex);
			}
			if (outcome.tokenInvalid && attempt === 0) {
				token = await this.token(itemIndex, token);
				continue;
			}
			throw platformError(this.ctx.getNode(), this.scrubFailure(outcome.failure), [errors, this.spec.globalErrors], itemIndex);
		}
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
			withDescription.context = JSON.parse(scrubText(JSON.stringify(withDescription.context), secrets)) as IDataObject;
		}
		return error;
	}

	private secrets(): string[] {
		return [...this.spec.secrets, ...this.tokens.known()];
	}

	private scrubFailure(failure: PlatformFailure): PlatformFailure {
		return JSON.parse(scrubText(JSON.stringify(failure), this.secrets())) as PlatformFailure;
	}

	/** A valid token; with `stale`, one that replaces a token the platform rejected. */
	private async token(itemIndex: number, stale?: string): Promise<string> {
		// A refused token request (wrong secret) fails every item of this run without asking again.
		if (this.tokenFailure) throw this.tokenFailure;
		try {
			return stale === undefined ? await this.tokens.get() : await this.tokens.renew(stale);
		} catch (error) {
			if (error instanceof TokenRequestError) {
				this.tokenFailure = platformError(
					this.ctx.getNode(),
					{ platform: error.platform, httpStatus: error.httpStatus, code: error.code, message: error.platformMessage },
					[this.spec.globalErrors],
					itemIndex,
				);
				throw this.tokenFailure;
			}
			throw this.networkError(error, 'requesting an access token', itemIndex);
		}
	}

	private async exchange(
		request: ApiRequest,
		style: ApiStyle,
		token: string,
		itemIndex: number,
	): Promise<IN8nHttpFullResponse> {
		const baseUrl = this.spec.baseUrl(style);
		if (!/^https?:\/\//.test(baseUrl)) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`The ${this.spec.platform} credential has no valid base URL for this API ("${baseUrl}"): set it under Custom host`,
				{ itemIndex },
			);
		}
		const options: IHttpRequestOptions = {
			method: request.method,
			url: baseUrl + request.path,
			json: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			timeout: DEFAULT_TIMEOUT_MS,
		};
		if (request.qs && Object.keys(request.qs).length > 0) options.qs = { ...request.qs };
		if (request.body !== undefined) {
			options.body = toJsonText(request.body);
			options.headers = { 'Content-Type': 'application/json' };
		}
		const node = this.ctx.getNode();
		const reference = node.credentials?.[this.spec.credentialType];
		try {
			return (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.spec.credentialType, options, {
				credentialsDecrypted: {
					id: reference?.id ?? '',
					name: reference?.name ?? '',
					type: this.spec.credentialType,
					data: { ...this.credentials, accessToken: token },
				},
			})) as IN8nHttpFullResponse;
		} catch (error) {
			throw this.networkError(error, `calling ${request.method} ${request.path}`, itemIndex);
		}
	}

	/** A failure below HTTP (connection refused or reset, timeout): a NodeApiError without request details. */
	private networkError(error: unknown, doing: string, itemIndex: number): NodeApiError {
		const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
		const code = String((error as { code?: string })?.code ?? cause?.code ?? 'NETWORK_ERROR');
		const message = String(cause?.message ?? (error as Error)?.message ?? error);
		const response: JsonObject = { code, message: scrubText(message, this.secrets()) };
		return new NodeApiError(this.ctx.getNode(), response, {
			message: `${this.spec.platform} could not be reached while ${doing}: ${response.message as string}`,
			description: `Network error ${code}. Check the credential's host and your network.`,
			itemIndex,
		});
	}
}
