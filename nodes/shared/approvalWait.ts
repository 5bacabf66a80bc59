import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

/**
 * Wait for Decision: Approval › Create Instance pauses the execution on n8n's own waiting and resume
 * machinery (as Send and Wait does), and the approval event that the platform sends to the app's trigger
 * resumes it. n8n gives nodes no store that two workflows share, so the waiting node hands the trigger
 * what it needs: the instances it waits for and its execution's resume URL, in a message signed with a key
 * derived from the app's secret (the trigger uses the same app). The trigger keeps them in its static
 * data (persisted by n8n, so a restart keeps them) until every instance of the wait has ended, then calls
 * the resume URL once. The resumed node never trusts that call: it reads each instance from the platform,
 * and goes on only when all have ended.
 */

/** The header that carries a registration's signature (and marks a request as one). */
export const WAIT_HEADER = 'x-n8n-approval-wait';
/** Registrations are kept a day past the wait's end, for an answer that arrives just then. */
const KEEP_MS = 24 * 3600_000;
/** An indefinite wait is remembered for 60 days. */
const INDEFINITE_MS = 60 * 24 * 3600_000;

export type WaitPlatform = 'feishu' | 'dingtalk';

/** The signing key: HMAC-SHA256 keyed by a hash of the app's secret, never the secret itself. */
export function waitKey(appSecret: string): Buffer {
	return createHash('sha256').update(`n8n approval wait v1\u0000${appSecret}`).digest();
}

const sign = (key: Buffer, text: string | Buffer) =>
	createHmac('sha256', key).update(text).digest('hex');

function matches(key: Buffer, text: string | Buffer, signature: unknown): boolean {
	if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return false;
	return timingSafeEqual(Buffer.from(sign(key, text), 'hex'), Buffer.from(signature, 'hex'));
}

/** One item of the wait: its approval, or the error it failed with (Continue On Fail). */
export type WaitEntry = { instance: string } | { error: IDataObject };

/** What the waiting node tells the trigger. */
export interface Registration {
	v: 1;
	platform: WaitPlatform;
	group: string;
	/** The waiting execution's resume URL: a capability, kept in the trigger's static data only. */
	resumeUrl: string;
	entries: WaitEntry[];
	expiresAt: number;
	/** Signed for the resumed node: these entries are the ones it registered. */
	proof: string;
}

const proofText = (group: string, nodeId: string, entries: WaitEntry[]) =>
	`${group}\u0000${nodeId}\u0000${JSON.stringify(entries)}`;

/** This execution's resume URL for the node's own resume webhook (path: the node's ID). */
function resumeUrlOf(ctx: IExecuteFunctions): string {
	const base = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	const url = new URL(base);
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${ctx.getNode().id}`;
	return url.toString();
}

/**
 * The node's side: the run's items were created (`results`, one list per item, paired), so it registers
 * the wait with the trigger at `triggerUrl` and puts the execution to wait until `until`.
 */
export async function waitForDecisions(
	ctx: IExecuteFunctions,
	results: INodeExecutionData[][],
	options: {
		platform: WaitPlatform;
		key: Buffer;
		triggerUrl: string;
		until: Date;
		instanceOf: (json: IDataObject) => string | undefined;
	},
): Promise<INodeExecutionData[][]> {
	const entries: WaitEntry[] = results.map((outputs) => {
		const json = outputs[0]?.json ?? {};
		const instance = options.instanceOf(json);
		return instance ? { instance } : { error: json };
	});
	const group = randomBytes(12).toString('hex');
	const expiresAt =
		(options.until.getTime() === WAIT_INDEFINITELY.getTime()
			? Date.now() + INDEFINITE_MS
			: options.until.getTime()) + KEEP_MS;
	const registration: Registration = {
		v: 1,
		platform: options.platform,
		group,
		resumeUrl: resumeUrlOf(ctx),
		entries,
		expiresAt,
		proof: sign(options.key, proofText(group, ctx.getNode().id, entries)),
	};
	const body = JSON.stringify(registration);
	const started = entries
		.map((e) => ('instance' in e ? e.instance : undefined))
		.filter(Boolean)
		.join(', ');
	let answer: { statusCode?: number; body?: unknown };
	try {
		answer = (await ctx.helpers.httpRequest({
			method: 'POST',
			url: options.triggerUrl,
			body,
			headers: {
				'content-type': 'application/json',
				[WAIT_HEADER]: sign(options.key, body),
			},
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 15_000,
		} as IHttpRequestOptions)) as { statusCode?: number; body?: unknown };
	} catch (error) {
		answer = { body: (error as Error).message };
	}
	if (answer.statusCode !== 200)
		throw new NodeOperationError(
			ctx.getNode(),
			`The approvals were started (${started || 'none'}), but the trigger at the Trigger URL did not record the wait (${answer.statusCode ? `HTTP ${answer.statusCode}` : 'no answer'}: ${String(answer.body ?? '').slice(0, 200)})`,
			{
				description:
					"Set Trigger URL to the Production URL of an active trigger of the same app that receives its approval events, and check that the trigger's workflow is active. The approvals exist: look them up before running these items again.",
			},
		);
	await ctx.putExecutionToWait(options.until);
	return [ctx.getInputData()];
}

interface KeptWait {
	resumeUrl: string;
	entries: WaitEntry[];
	proof: string;
	expiresAt: number;
	/** Instance → its final status, as the events said. */
	ended: Record<string, string>;
}

/** Per trigger: the waits it knows in this process (the static data copy of a request can be older). */
const inProcess = new Map<string, Map<string, KeptWait>>();

/** What a restart forgets (tests). */
export const waitMemory = { clear: () => inProcess.clear() };

/** The trigger's waits: this process's, merged with the static data's, the expired dropped. */
function waitsOf(staticData: IDataObject, trigger: string): Map<string, KeptWait> {
	let known = inProcess.get(trigger);
	if (!known) inProcess.set(trigger, (known = new Map()));
	const stored = (staticData.approvalWaits as Record<string, KeptWait> | undefined) ?? {};
	for (const [group, wait] of Object.entries(stored)) if (!known.has(group)) known.set(group, wait);
	const now = Date.now();
	for (const [group, wait] of known) if (wait.expiresAt < now) known.delete(group);
	return known;
}

/** n8n saves static data per call, the last copy winning: every call writes back all the waits known. */
function keep(staticData: IDataObject, known: Map<string, KeptWait>, removed: string[] = []): void {
	for (const group of removed) known.delete(group);
	staticData.approvalWaits = Object.fromEntries(known) as unknown as IDataObject;
}

/**
 * The trigger's side of a registration: its signature over the raw bytes checked with the app's key, then
 * kept. Answers what the waiting node sees.
 */
export function acceptRegistration(
	raw: Buffer,
	signature: unknown,
	key: Buffer,
	platform: WaitPlatform,
	staticData: IDataObject,
	trigger: string,
): { status: number; body: IDataObject } {
	if (!matches(key, raw, signature))
		return {
			status: 401,
			body: {
				msg: 'the signature does not match: the waiting node uses another app than this trigger',
			},
		};
	let registration: Registration;
	try {
		registration = JSON.parse(raw.toString('utf8')) as Registration;
	} catch {
		return { status: 400, body: { msg: 'not JSON' } };
	}
	if (registration.v !== 1 || registration.platform !== platform || !registration.group)
		return { status: 400, body: { msg: `not a ${platform} approval wait` } };
	const known = waitsOf(staticData, trigger);
	known.set(registration.group, {
		resumeUrl: registration.resumeUrl,
		entries: registration.entries,
		proof: registration.proof,
		expiresAt: registration.expiresAt,
		ended: {},
	});
	keep(staticData, known);
	return { status: 200, body: { msg: 'recorded', instances: registration.entries.length } };
}

/**
 * An instance ended (the platform's event said so): every wait that holds it notes it, and a wait whose
 * instances have all ended is resumed (once: it is forgotten when the resume webhook took it).
 */
export async function instanceEnded(
	ctx: IWebhookFunctions | { helpers: IWebhookFunctions['helpers'] },
	staticData: IDataObject,
	trigger: string,
	instance: string,
	status: string,
	log?: (message: string) => void,
): Promise<void> {
	const known = waitsOf(staticData, trigger);
	const done: string[] = [];
	for (const [group, wait] of known) {
		if (!wait.entries.some((e) => 'instance' in e && e.instance === instance)) continue;
		wait.ended[instance] = status;
		const open = wait.entries.filter((e) => 'instance' in e && !(e.instance in wait.ended));
		if (open.length > 0) continue;
		let answer: { statusCode?: number };
		try {
			answer = (await ctx.helpers.httpRequest({
				method: 'POST',
				url: wait.resumeUrl,
				body: { group, entries: wait.entries, proof: wait.proof, ended: wait.ended },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			})) as { statusCode?: number };
		} catch (error) {
			answer = {};
			log?.(
				`The waiting execution of approval ${instance} could not be reached: ${(error as Error).message}`,
			);
		}
		// 409: the execution ran on (its time limit) or is running; 404: it is gone. Either way, nothing waits.
		if (answer.statusCode === 200 || answer.statusCode === 404 || answer.statusCode === 409)
			done.push(group);
		else
			log?.(
				`The waiting execution of approval ${instance} answered HTTP ${String(answer.statusCode)}; kept for the next event`,
			);
	}
	keep(staticData, known, done);
}

/**
 * The node's resume webhook, called by the trigger: the entries checked against their proof, every
 * instance read from the platform (`read`: its output, and whether it has ended), and the execution goes on
 * with one item per input item, in order, only when all have ended.
 */
export async function resumeWithDecisions(
	ctx: IWebhookFunctions,
	key: Buffer,
	read: (instance: string) => Promise<{ ended: boolean; json: IDataObject }>,
): Promise<IWebhookResponseData> {
	const res = ctx.getResponseObject();
	const body = (ctx.getBodyData() ?? {}) as {
		group?: string;
		entries?: WaitEntry[];
		proof?: string;
	};
	const entries = Array.isArray(body.entries) ? body.entries : [];
	if (
		typeof body.group !== 'string' ||
		!matches(key, proofText(body.group, ctx.getNode().id, entries), body.proof)
	) {
		res.status(401).json({ msg: 'not a wait of this node' });
		return { noWebhookResponse: true };
	}
	const outputs: INodeExecutionData[] = [];
	const open: string[] = [];
	for (const [index, entry] of entries.entries()) {
		if (!('instance' in entry)) {
			outputs.push({ json: entry.error, pairedItem: { item: index } });
			continue;
		}
		const { ended, json } = await read(entry.instance);
		if (!ended) open.push(entry.instance);
		outputs.push({ json, pairedItem: { item: index } });
	}
	if (open.length > 0) {
		// Still running (the call came before the platform shows the end): keep waiting.
		res.status(202).json({ msg: 'still waiting', instances: open });
		return { noWebhookResponse: true };
	}
	return { webhookResponse: { resumed: true }, workflowData: [outputs] };
}
