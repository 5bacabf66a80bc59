/** What a token endpoint issued. */
export interface IssuedToken {
	token: string;
	/** Seconds until the platform expires the token. */
	expiresIn: number;
}

/** The token endpoint's refusal, as plain data: what an error carries through n8n. */
interface TokenRefusal {
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
