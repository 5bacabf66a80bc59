import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

/** Sends the request with the credential's fields (n8n's `authenticate` puts the token in place). */
export type AuthorizedSend = (
	data: ICredentialDataDecryptedObject,
) => Promise<IN8nHttpFullResponse>;

/** One request's use of the credential's token, across its attempts. */
export interface TokenUse {
	/** Whether the next attempt carries the token's renewal (it reaches the platform only after the token came). */
	readonly carriesRefresh: boolean;
	/** Sends one attempt with the token, getting one first when this caller is the one to. */
	send(send: AuthorizedSend): Promise<IN8nHttpFullResponse>;
	/**
	 * The platform rejected the token (with this code): the next attempt goes with a replacement (once per
	 * request). False when there is none to try.
	 */
	renew(code?: string): Promise<boolean>;
	/** Whether an error thrown by send is the failure to get a token (not a failure of the request). */
	isTokenFailure(error: unknown): boolean;
}

/** The kinds of credential token: the transport asks for a TokenUse per request, and for the tokens to scrub. */
export interface TokenKind {
	begin(itemIndex: number): Promise<TokenUse>;
	known(): string[];
	/**
	 * Puts the token into a request itself, which then goes through n8n's plain httpRequest. Without it,
	 * the credential's `authenticate` does, through n8n's httpRequestWithAuthentication.
	 */
	sign?(options: IHttpRequestOptions, data: ICredentialDataDecryptedObject): IHttpRequestOptions;
}

/** A credential that is its own authorisation (a custom bot's webhook URL): nothing to get or renew. */
export const NO_TOKEN: TokenKind = {
	begin: async () => ({
		carriesRefresh: false,
		send: async (send) => await send({}),
		renew: async () => false,
		isTokenFailure: () => false,
	}),
	known: () => [],
	sign: (options) => options,
};

/**
 * An error passed on as it is, to the transport that classifies it (a network failure of the request, or
 * n8n's NodeApiError carrying the token endpoint's refusal): it is turned into the node's error there.
 */
export const passedOn = (error: unknown): unknown => error;
