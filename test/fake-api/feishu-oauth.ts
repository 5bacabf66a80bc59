/**
 * Feishu / Lark user OAuth2, as the pages document it (docs/research/feishu-oauth2.md, sections A.1–A.4):
 * - the authorization page (`accounts.*` host, GET /open-apis/authen/v1/authorize), where the signed-in user
 *   agrees and is sent back to the redirect URL with a code (or `error=access_denied`);
 * - the token endpoint (POST /open-apis/authen/v2/oauth/token): codes valid once and for 5 minutes, PKCE,
 *   refresh tokens only with `offline_access`, each refresh token single use (every refresh rotates it),
 *   and the documented error codes with their HTTP statuses;
 * - user access tokens (`u-…`) on the OpenAPI routes that accept them, with the codes for an expired or
 *   invalid token and for a scope the user has not granted.
 *
 * The token endpoint's page documents a JSON body only, yet also says it follows RFC 6749 and recommends
 * standard OAuth client libraries; Feishu's own sample uses one (golang.org/x/oauth2), and the official
 * Lark CLI refreshes with a form body. Both bodies are therefore accepted (spec.ts: `formAccepted`).
 * Client credentials go in the body, as documented; an HTTP Basic header is recognised only in that Basic
 * plus a body secret answers 20070. The page shows `error` only as `server_error`; for the other codes
 * this fake answers RFC 6749's `error` values, so a client must go by the numeric `code`, never `error`.
 * The page does not say whether a failed exchange uses a code up; here only a successful one does.
 */
import { createHash, randomBytes } from 'crypto';

import type { Answer } from './server';
import type { RouteSpec } from './spec';

/** The documented token-endpoint codes (F-get and F-ref tables), with their HTTP status. */
const TOKEN_ERRORS: Record<number, { status: number; error: string; text: string }> = {
	20001: {
		status: 400,
		error: 'invalid_request',
		text: 'The request is missing a required parameter.',
	},
	20002: { status: 400, error: 'invalid_client', text: 'The client secret is invalid.' },
	20003: { status: 400, error: 'invalid_grant', text: 'The authorization code is not found.' },
	20004: { status: 400, error: 'invalid_grant', text: 'The authorization code has expired.' },
	20008: { status: 400, error: 'invalid_grant', text: 'The user does not exist.' },
	20009: { status: 400, error: 'unauthorized_client', text: 'The specified app is not installed.' },
	20010: {
		status: 400,
		error: 'invalid_grant',
		text: 'The user does not have permission to use this app.',
	},
	20024: {
		status: 400,
		error: 'invalid_grant',
		text: 'The provided authorization code or refresh token does not match the provided client ID.',
	},
	20026: { status: 400, error: 'invalid_grant', text: 'The refresh token passed is invalid.' },
	20036: {
		status: 400,
		error: 'unsupported_grant_type',
		text: 'The specified grant_type is not supported.',
	},
	20037: { status: 400, error: 'invalid_grant', text: 'The refresh token passed has expired.' },
	20048: { status: 400, error: 'invalid_client', text: 'The specified app does not exist.' },
	20049: { status: 400, error: 'invalid_grant', text: 'PKCE code challenge failed.' },
	20050: {
		status: 500,
		error: 'server_error',
		text: 'An unexpected server error occurred. Please retry your request.',
	},
	20063: { status: 400, error: 'invalid_request', text: 'The request is malformed.' },
	20064: { status: 400, error: 'invalid_grant', text: 'The refresh token has been revoked.' },
	20065: { status: 400, error: 'invalid_grant', text: 'The authorization code has been used.' },
	20066: { status: 400, error: 'invalid_grant', text: 'The user status is invalid.' },
	20067: {
		status: 400,
		error: 'invalid_scope',
		text: 'The provided scope list contains duplicate scopes.',
	},
	20068: {
		status: 400,
		error: 'invalid_scope',
		text: 'The provided scope list contains scopes that are not permitted.',
	},
	20069: { status: 400, error: 'unauthorized_client', text: 'The specified app is not enabled.' },
	20070: {
		status: 400,
		error: 'invalid_client',
		text: 'Multiple authentication methods were provided.',
	},
	20071: {
		status: 400,
		error: 'invalid_grant',
		text: 'The provided redirect URI does not match the one used during authorization.',
	},
	20072: {
		status: 503,
		error: 'temporarily_unavailable',
		text: 'The server is temporarily unavailable. Please retry.',
	},
	20073: { status: 400, error: 'invalid_grant', text: 'The refresh token has been used.' },
	20074: {
		status: 400,
		error: 'unauthorized_client',
		text: 'The specified app is not allowed to refresh token.',
	},
};

interface Grant {
	clientId: string;
	/** open_id of the user who agreed. */
	user: string;
	scopes: string[];
	/** When the user agreed: refreshing stops 365 days later (20037). */
	authorizedAt: number;
}

interface Code extends Grant {
	redirectUri: string;
	challenge?: string;
	method?: string;
	expiresAt: number;
	used: boolean;
}

interface RefreshToken extends Grant {
	expiresAt: number;
	state: 'live' | 'used' | 'revoked';
}

interface UserToken extends Grant {
	expiresAt: number;
	revoked: boolean;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

const urlSafe = (bytes: Buffer) => bytes.toString('base64url');
const newSecret = (prefix: string) => prefix + urlSafe(randomBytes(24));

export class FeishuOAuth {
	/** Lifetimes: the pages' examples (7200 s and 604800 s; "not fixed"), and a code's 5 minutes. */
	readonly lifetimes = { accessSeconds: 7200, refreshSeconds: 604800, codeMs: 5 * 60 * 1000 };
	/**
	 * The HTTP status of 99991668 / 99991677 / 99991679 on OpenAPI calls. Not documented per code
	 * (business failures are "400 or 5xx"; n8n users report 401): tests set both.
	 */
	userTokenErrorStatus = 400;
	/** The scopes the app has enabled in the developer console (权限管理); others fail the page with 20027. */
	appScopes = new Set([
		'offline_access',
		'im:message',
		'im:message.send_as_user',
		'im:message:readonly',
		'im:chat',
		'im:chat:readonly',
		'bitable:app',
		'bitable:app:readonly',
		'contact:user.base:readonly',
		'contact:contact.base:readonly',
		'contact:user:search',
	]);
	/** Redirect URLs registered in the console (安全设置 → 重定向 URL); others fail the page with 20029. */
	redirectUris = new Set<string>();
	/** Redirect URLs that stay registered through a reset (the sandbox's n8n callback). */
	readonly permanentRedirectUris = new Set<string>();
	/** Who is signed in on the authorization page, and whether they agree. */
	signIn = { user: 'ou_1', agrees: true };
	/** The console's "刷新 user_access_token" switch (20074 when off). */
	refreshAllowed = true;

	/** What each user has granted the app so far: grants accumulate over authorizations (F-code). */
	private readonly granted = new Map<string, Set<string>>();
	private readonly codes = new Map<string, Code>();
	private readonly refreshTokens = new Map<string, RefreshToken>();
	private readonly userTokens = new Map<string, UserToken>();

	private readonly defaults = {
		lifetimes: { ...this.lifetimes },
		appScopes: [...this.appScopes],
	};

	constructor(
		private readonly clientId: string,
		private readonly clientSecret: string,
	) {}

	/** Registers a redirect URL that a reset keeps (the sandbox registers its n8n's OAuth callback). */
	registerRedirect(uri: string): void {
		this.permanentRedirectUris.add(uri);
		this.redirectUris.add(uri);
	}

	/** Back to the console's and the page's defaults (the fake's reset); issued tokens stay as they are. */
	resetSettings(): void {
		Object.assign(this.lifetimes, this.defaults.lifetimes);
		this.appScopes = new Set(this.defaults.appScopes);
		this.redirectUris = new Set(this.permanentRedirectUris);
		this.signIn = { user: 'ou_1', agrees: true };
		this.refreshAllowed = true;
		this.userTokenErrorStatus = 400;
	}

	/** GET /open-apis/authen/v1/authorize: the page, answered as the signed-in user's choice. */
	authorize(query: Record<string, string>): Answer {
		if (query.client_id !== this.clientId)
			return page(undefined, 'The app (client_id) does not exist.');
		if (!this.redirectUris.has(query.redirect_uri))
			return page(20029, 'redirect_uri 请求不合法 (the redirect URL is not registered)');
		const scopes = splitScopes(query.scope);
		const missing = scopes.filter((s) => !this.appScopes.has(s));
		if (missing.length > 0)
			return page(20027, `The app has not enabled these scopes: ${missing.join(' ')}`);
		const back = new URL(query.redirect_uri);
		if (query.state !== undefined) back.searchParams.set('state', query.state);
		if (!this.signIn.agrees) {
			back.searchParams.set('error', 'access_denied');
			return redirect(back);
		}
		const code = urlSafe(randomBytes(16));
		const granted = this.granted.get(this.signIn.user) ?? new Set<string>();
		for (const scope of scopes) granted.add(scope);
		this.granted.set(this.signIn.user, granted);
		this.codes.set(code, {
			clientId: query.client_id,
			user: this.signIn.user,
			scopes: [...granted],
			authorizedAt: Date.now(),
			redirectUri: query.redirect_uri,
			challenge: query.code_challenge,
			method: query.code_challenge_method ?? (query.code_challenge ? 'plain' : undefined),
			expiresAt: Date.now() + this.lifetimes.codeMs,
			used: false,
		});
		back.searchParams.set('code', code);
		return redirect(back);
	}

	/**
	 * POST /open-apis/authen/v2/oauth/token, for both grants. `authorization` is the request's header: the
	 * page asks for client_id and client_secret in the body, and answers 20070 to Basic plus a body secret.
	 */
	token(body: Record<string, string>, authorization?: string): Answer {
		return authorization?.startsWith('Basic ') && body.client_secret !== undefined
			? tokenError(20070)
			: this.exchange(body);
	}

	private exchange(body: Record<string, string>): Answer {
		if (body.client_id !== this.clientId) return tokenError(20048);
		if (body.client_secret !== this.clientSecret) return tokenError(20002);
		if (body.grant_type === 'authorization_code') return this.byCode(body);
		if (body.grant_type === 'refresh_token') return this.byRefresh(body);
		return tokenError(20036);
	}

	private byCode(body: Record<string, string>): Answer {
		if (!body.code) return tokenError(20001);
		const code = this.codes.get(body.code);
		if (!code) return tokenError(20003);
		if (code.clientId !== body.client_id) return tokenError(20024);
		if (code.used) return tokenError(20065);
		if (code.expiresAt <= Date.now()) return tokenError(20004);
		if (body.redirect_uri !== undefined && body.redirect_uri !== code.redirectUri)
			return tokenError(20071);
		if (code.challenge !== undefined) {
			const verifier = body.code_verifier ?? '';
			const computed =
				code.method === 'S256' ? urlSafe(createHash('sha256').update(verifier).digest()) : verifier;
			if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || computed !== code.challenge)
				return tokenError(20049);
		}
		const narrowed = this.narrow(code.scopes, body.scope);
		if (typeof narrowed === 'number') return tokenError(narrowed);
		code.used = true;
		return this.issue(code, narrowed);
	}

	private byRefresh(body: Record<string, string>): Answer {
		if (!body.refresh_token) return tokenError(20001);
		const old = this.refreshTokens.get(body.refresh_token);
		if (!old) return tokenError(20026);
		if (old.clientId !== body.client_id) return tokenError(20024);
		if (old.state === 'used') return tokenError(20073);
		if (old.state === 'revoked') return tokenError(20064);
		if (old.expiresAt <= Date.now() || old.authorizedAt + YEAR_MS <= Date.now())
			return tokenError(20037);
		if (!this.refreshAllowed) return tokenError(20074);
		const narrowed = this.narrow(old.scopes, body.scope);
		if (typeof narrowed === 'number') return tokenError(narrowed);
		// Rotation: the old refresh token is dead at once; the old access token lives out its time.
		old.state = 'used';
		return this.issue(old, narrowed);
	}

	/**
	 * A `scope` parameter narrows this access token only (20067 duplicates, 20068 beyond the grant); the
	 * grant itself stays whole, so narrowing never accumulates over refreshes (F-get, F-ref).
	 */
	private narrow(granted: string[], scope: string | undefined): string[] | number {
		if (scope === undefined) return granted;
		const asked = splitScopes(scope);
		if (new Set(asked).size !== asked.length) return 20067;
		if (asked.some((s) => !granted.includes(s))) return 20068;
		return asked;
	}

	/** A new access token with `scopes` (the grant's, or fewer), and a refresh token for the whole grant. */
	private issue(grant: Grant, scopes: string[]): Answer {
		const now = Date.now();
		const accessToken = newSecret('u-');
		const kept: Grant = {
			clientId: grant.clientId,
			user: grant.user,
			scopes: grant.scopes,
			authorizedAt: grant.authorizedAt,
		};
		this.userTokens.set(accessToken, {
			...kept,
			scopes,
			expiresAt: now + this.lifetimes.accessSeconds * 1000,
			revoked: false,
		});
		const body: Record<string, unknown> = {
			code: 0,
			access_token: accessToken,
			expires_in: this.lifetimes.accessSeconds,
			token_type: 'Bearer',
			scope: scopes.join(' '),
		};
		if (grant.scopes.includes('offline_access')) {
			const refreshToken = newSecret('ur-');
			this.refreshTokens.set(refreshToken, {
				...kept,
				expiresAt: now + this.lifetimes.refreshSeconds * 1000,
				state: 'live',
			});
			body.refresh_token = refreshToken;
			body.refresh_token_expires_in = this.lifetimes.refreshSeconds;
		}
		return { status: 200, body };
	}

	/** The open_id of the user a `u-` access token belongs to. */
	userOf(value: string): string | undefined {
		return this.userTokens.get(value)?.user;
	}

	/**
	 * A `u-` token on an OpenAPI route: undefined when it may go on, else the platform's answer.
	 * The route says whether its page accepts a user token, and which scopes it needs.
	 */
	checkUserToken(value: string, route: RouteSpec): Answer | undefined {
		const token = this.userTokens.get(value);
		if (!token || token.revoked)
			return this.apiError(
				99991668,
				'Invalid access token for authorization. Please make a request with token attached.',
			);
		if (token.expiresAt <= Date.now())
			return this.apiError(99991677, 'Authentication token expired.');
		if (!route.userToken)
			return this.apiError(
				99991668,
				'Invalid access token for authorization. user access token not support',
			);
		const missing = (route.userToken.allOf ?? []).filter((s) => !token.scopes.includes(s));
		if (missing.length > 0) {
			return this.apiError(
				99991679,
				'Unauthorized. You do not have permission to perform the requested operation on the resource. ' +
					`Please request user re-authorization and try again. required one of these privileges: [${missing.join(', ')}]`,
				missing.map((subject) => ({ type: 'action_privilege_required', subject })),
			);
		}
		return undefined;
	}

	/** Every user access token issued so far expires now (their refresh tokens stay good). */
	expireAccessTokens(): void {
		for (const token of this.userTokens.values()) token.expiresAt = Date.now();
	}

	/** Every refresh token issued so far expires now (20037 on use). */
	expireRefreshTokens(): void {
		for (const token of this.refreshTokens.values()) token.expiresAt = Date.now();
	}

	/** The user withdraws the app's authorization: their tokens are invalid, their refresh tokens revoked. */
	revoke(user: string): void {
		for (const token of this.userTokens.values()) if (token.user === user) token.revoked = true;
		for (const token of this.refreshTokens.values())
			if (token.user === user && token.state === 'live') token.state = 'revoked';
	}

	/** The refresh tokens still usable. */
	liveRefreshTokens(): string[] {
		return [...this.refreshTokens.entries()]
			.filter(([, t]) => t.state === 'live' && t.expiresAt > Date.now())
			.map(([value]) => value);
	}

	private apiError(code: number, msg: string, violations?: unknown[]): Answer {
		return {
			status: this.userTokenErrorStatus,
			body: {
				code,
				msg,
				error: {
					log_id: randomBytes(6).toString('hex'),
					...(violations ? { permission_violations: violations } : {}),
				},
			},
		};
	}
}

/** Scopes are space-separated on both endpoints. */
function splitScopes(scope: string | undefined): string[] {
	return (scope ?? '').split(' ').filter((s) => s.length > 0);
}

function tokenError(code: number): Answer {
	const { status, error, text } = TOKEN_ERRORS[code];
	return { status, body: { code, error, error_description: text } };
}

function redirect(to: URL): Answer {
	return { status: 302, headers: { Location: to.toString() }, body: '' };
}

/** The authorization page shows the error to the user; nothing goes back to the redirect URL. */
function page(code: number | undefined, text: string): Answer {
	const shown = code === undefined ? '' : `<p>错误码 (error code): ${code}</p>`;
	return { status: 200, body: `<!doctype html><title>Feishu</title>${shown}<p>${text}</p>` };
}
