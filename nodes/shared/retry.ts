/** How often and how long the transport (and the token requests) try again. */

export const MAX_TRANSIENT_RETRIES = 3;
export const MAX_RATE_LIMIT_RETRIES = 10;

/** Backoff between tries of a passing failure: 0.3 s, 0.6 s, 1.2 s. */
export const backoff = (attempt: number) => 300 * 2 ** attempt;

/** Exponential backoff for "busy" answers that say nothing of when to come back: 1 s, 2 s, 4 s … at most 30 s. */
export const busyBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

export const OUTCOME_UNKNOWN =
	'The outcome is unknown: the platform may have carried out this request. It was not retried, so that it cannot happen twice; check before running this item again.';

/**
 * Says where to look, on an error whose outcome is unknown (a write with no idempotency key, not sent
 * again); any other error is left as it is. Returns the error, to be thrown on.
 */
export function whereToLook(error: unknown, where: string): unknown {
	const described = error as { description?: unknown };
	if (typeof described.description === 'string' && described.description.includes(OUTCOME_UNKNOWN))
		described.description += ` ${where}`;
	return error;
}
