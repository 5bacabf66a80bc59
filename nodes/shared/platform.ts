import type { IDataObject } from 'n8n-workflow';

import type { PlatformFailure } from './errors';
import type { DocumentedLimit } from './pacing';
import type { IssuedToken, TokenKind } from './tokens';
import type { ApiResponse, ApiStyle, ErrorMeanings } from './types';

/** What differs between the platforms (and their custom bots): the spec a transport is made from. */

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
	/** The credential's tokens when they are not an app token (a user's OAuth2 token); `secrets` lists what to scrub. */
	tokens?(secrets: () => string[]): TokenKind;
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
