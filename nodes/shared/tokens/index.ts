/**
 * The credential's access tokens: one home for getting, storing, sharing and renewing them.
 *
 * - An **app token** (DingTalk's accessToken, Feishu's tenant_access_token) is exchanged for the app's key
 *   and secret. n8n keeps it in the credential's hidden expirable field (filled by the credential's
 *   `preAuthentication`, with when to renew it and when it expires), where every process and worker of a
 *   deployment reads it; this module adds the process-wide cache, the shared refresh and the fallbacks.
 * - A credential **without a token** (a custom bot's webhook URL) is its own authorisation.
 *
 * The transport calls one entry point per request, `TokenKind.begin`, and sends through what it answers.
 * - A **user token** (Feishu's user_access_token) comes from an OAuth2 credential that n8n connected and
 *   refreshes; this module decides when to refresh (by the platform's code) and shares the refresh.
 */

export { AppTokens } from './app';
export { UserTokens } from './user';

export type { TokenKind } from './kinds';
export { NO_TOKEN, passedOn } from './kinds';
export { credentialFields } from './lifetime';
export type { IssuedToken } from './refusal';
export { TokenRequestError } from './refusal';
