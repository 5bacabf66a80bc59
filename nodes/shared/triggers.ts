import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * What the triggers of both platforms share: which trigger a call is for, a short-lived credential cache,
 * the raw delivery, the lifecycle of a URL registered by hand, and the long connections' socket and reports.
 */

/** This trigger: its workflow and node. */
export const triggerKey = (ctx: IWebhookFunctions | ITriggerFunctions) =>
	`${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().name}`;

const credentialCache = new Map<
	string,
	{ at: number; data: Promise<ICredentialDataDecryptedObject> }
>();

/**
 * The trigger's credential, read at most every 10 s per trigger: reading it decrypts it, which on a busy
 * n8n costs more than everything else a delivery does, and events come by the hundred.
 */
export async function cachedCredentials(
	ctx: IWebhookFunctions,
	type: string,
): Promise<ICredentialDataDecryptedObject> {
	const key = `${triggerKey(ctx)}\u0000${type}\u0000${ctx.getNode().credentials?.[type]?.id ?? ''}`;
	const cached = credentialCache.get(key);
	if (cached && Date.now() - cached.at < 10_000) return await cached.data;
	const data = ctx.getCredentials(type);
	credentialCache.set(key, { at: Date.now(), data });
	data.catch(() => credentialCache.delete(key));
	return await data;
}

/**
 * Webhook lifecycle methods for a URL that nothing registers through an API: n8n's own resume URL of a
 * waiting execution, or a callback URL the user pastes into the platform's developer console once. There is
 * nothing to create, check or remove on the platform's side, so each step reports the state n8n has.
 */
export const NOTHING_TO_REGISTER = {
	default: {
		checkExists: async (): Promise<boolean> => true,
		create: async (): Promise<boolean> => true,
		delete: async (): Promise<boolean> => true,
	},
};

/** A delivery as n8n received it: its exact bytes (signatures are over these), headers and query. */
export interface RawDelivery {
	raw: Buffer;
	headers: IDataObject;
	query: IDataObject;
}

export function rawDeliveryOf(ctx: IWebhookFunctions): RawDelivery {
	const req = ctx.getRequestObject() as unknown as {
		rawBody?: Buffer;
		body?: unknown;
		headers?: IDataObject;
		query?: IDataObject;
	};
	return {
		// n8n keeps the raw body of webhook requests; a parsed body is written back only if it has none.
		raw: Buffer.isBuffer(req.rawBody)
			? req.rawBody
			: Buffer.from(JSON.stringify(req.body ?? {}), 'utf8'),
		headers: req.headers ?? {},
		query: req.query ?? {},
	};
}

/** A socket as the long connections use it: the runtime's WebSocket. */
export type SocketFactory<S> = (url: string) => S;

/** The runtime's WebSocket (Node 22 and later). */
declare const WebSocket: (new (url: string) => unknown) | undefined;

/** The runtime's WebSocket, or a clear error naming the alternative when this Node.js has none. */
export function runtimeSocket<S>(
	ctx: ITriggerFunctions,
	mode: string,
	instead: string,
): SocketFactory<S> {
	if (typeof WebSocket === 'undefined') {
		throw new NodeOperationError(
			ctx.getNode(),
			`${mode} needs Node.js 22 or later (its built-in WebSocket); this n8n runs on an older Node.js. Use ${instead}, or upgrade Node.js.`,
		);
	}
	const socketCtor = WebSocket;
	return (url) => new socketCtor(url) as S;
}

/**
 * How a long connection reports: a fatal error stops the trigger (n8n shows it), others are warnings,
 * the rest debug lines, each named after the trigger.
 */
export function connectionReports(
	ctx: ITriggerFunctions,
	trigger: string,
): {
	onError(error: Error, fatal: boolean): void;
	log(message: string): void;
} {
	return {
		onError: (error, fatal) => {
			if (fatal) ctx.emitError(new NodeOperationError(ctx.getNode(), error.message));
			else ctx.logger.warn(`${trigger}: ${error.message}`);
		},
		log: (message) => ctx.logger.debug(`${trigger}: ${message}`),
	};
}
