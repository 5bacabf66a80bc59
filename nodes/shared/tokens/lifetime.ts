import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { randomInt } from 'node:crypto';

import type { IssuedToken } from './refusal';

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
export function dueAt(renewAt: number, expiresAt: number): number {
	return renewAt - processLead(Math.max(0, expiresAt - renewAt));
}

/** A token of the credential's fields, and when this process renews it; undefined when there is none. */
export function tokenOf(
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
export const STORED_TOKEN_PAUSE_MS = 200;
