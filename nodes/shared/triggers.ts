import type {
	ICredentialDataDecryptedObject,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/** What the triggers of both platforms share: which trigger a call is for, and a short-lived credential cache. */

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
