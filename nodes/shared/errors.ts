import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { OUTCOME_UNKNOWN } from './retry';
import { scrubText } from './secrets';

import type { ErrorMeanings } from './types';

/** A platform's error answer, reduced to what users need. Never holds a token or secret. */
export interface PlatformFailure {
	platform: string;
	httpStatus: number;
	code: string;
	message: string;
	subCode?: string;
	subMessage?: string;
	requestId?: string;
	/** The permission scopes the answer names as missing (Feishu's permission_violations). */
	scopes?: string[];
}

/** Builds the NodeApiError for a platform failure: the platform's code and message, the HTTP status, and the documented meaning. */
export function platformError(
	node: INode,
	failure: PlatformFailure,
	meanings: ErrorMeanings[],
	itemIndex: number,
): NodeApiError {
	const meaning = lookupMeaning(failure, meanings);
	const codeText = failure.subCode ? `${failure.code}/${failure.subCode}` : failure.code;
	const platformMessage = [failure.message, failure.subMessage].filter(Boolean).join(' - ');
	const details = [
		meaning,
		failure.scopes?.length ? `Scopes: ${failure.scopes.join(', ')}` : undefined,
		`HTTP ${failure.httpStatus}`,
		failure.requestId ? `request ID ${failure.requestId}` : undefined,
	].filter(Boolean);
	const response: JsonObject = {
		code: failure.code,
		message: failure.message,
		httpStatus: failure.httpStatus,
	};
	if (failure.subCode) response.subCode = failure.subCode;
	if (failure.subMessage) response.subMessage = failure.subMessage;
	if (failure.requestId) response.requestId = failure.requestId;
	if (failure.scopes?.length) response.scopes = failure.scopes;
	const error = new NodeApiError(node, response, {
		message: `${failure.platform} error ${codeText}: ${platformMessage || 'no message'}`,
		description: details.join(' · '),
		httpCode: String(failure.httpStatus),
		itemIndex,
	});
	return Object.assign(error, {
		platformCode: failure.code,
		platformSubCode: failure.subCode,
		meaning,
	});
}

function lookupMeaning(failure: PlatformFailure, tables: ErrorMeanings[]): string | undefined {
	for (const key of [failure.subCode, failure.code]) {
		if (key === undefined) continue;
		for (const table of tables) {
			if (table[key] !== undefined) return table[key];
		}
	}
	// A documented family of dotted codes ("miss.param.contentOfText" is one of "miss.param.*").
	const code = failure.code;
	for (let at = code.lastIndexOf('.'); at > 0; at = code.lastIndexOf('.', at - 1)) {
		const family = `${code.slice(0, at)}.*`;
		for (const table of tables) if (table[family] !== undefined) return table[family];
	}
	return undefined;
}

/**
 * A failure below HTTP (connection refused or reset, timeout) while `doing` something: a NodeApiError with
 * the code and message of the failure, scrubbed, and no request details.
 */
export function networkError(
	node: INode,
	platform: string,
	error: unknown,
	doing: string,
	itemIndex: number,
	options: { outcomeUnknown?: boolean; secrets: string[] },
): NodeApiError {
	const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
	const code = String((error as { code?: string })?.code ?? cause?.code ?? 'NETWORK_ERROR');
	const message = String(cause?.message ?? (error as Error)?.message ?? error);
	const response: JsonObject = { code, message: scrubText(message, options.secrets) };
	const hint = `Network error ${code}. Check the credential's host and your network, or raise the timeout under Options.`;
	return new NodeApiError(node, response, {
		message: `${platform} could not be reached while ${doing}: ${response.message as string}`,
		description: options.outcomeUnknown ? `${OUTCOME_UNKNOWN} ${hint}` : hint,
		itemIndex,
	});
}
