import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { OPTION_DEFAULTS } from './description';
import { ParamReader } from './params';
import type { PlatformTransport, SendOptions } from './transport';
import { PER_PATH } from './types';
import type {
	ApiRequest,
	ApiResponse,
	BatchSpec,
	ErrorMeanings,
	PacingLane,
	ListSpec,
	OperationDefinition,
	OperationStep,
	OutputItem,
	ResourceDefinition,
} from './types';

function findOperation(
	ctx: IExecuteFunctions,
	resources: ResourceDefinition[],
	itemIndex: number,
): OperationDefinition {
	const resource = ctx.getNodeParameter('resource', itemIndex) as string;
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	const found = resources
		.find((r) => r.value === resource)
		?.operations.find((o) => o.value === operation);
	if (!found) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Unknown operation "${operation}" for resource "${resource}"`,
			{
				itemIndex,
			},
		);
	}
	return found;
}

/** How an operation's requests are sent: its lane (raw API calls: per method and path), errors and body check. */
function sendOptions(operation: OperationDefinition): SendOptions {
	return {
		errors: operation.errors,
		check: operation.check,
		...(operation.lane === PER_PATH ? {} : { lane: operation.lane }),
	};
}

/** What a multi-step operation gets for one item: its parameters, and sends through the transport in its lane. */
export function stepFor(
	ctx: IExecuteFunctions,
	params: ParamReader,
	transport: PlatformTransport,
	options: SendOptions,
): OperationStep {
	const optionsFor = (lane?: PacingLane, errors?: ErrorMeanings): SendOptions => ({
		...options,
		...(lane ? { lane } : {}),
		...(errors ? { errors: { ...options.errors, ...errors } } : {}),
	});
	return {
		params,
		itemIndex: params.itemIndex,
		ctx,
		send: async (request, lane, errors) =>
			await transport.send(request, params.itemIndex, optionsFor(lane, errors)),
		credential: (field) => transport.credential(field),
		download: async (request, lane, errors) =>
			await transport.download(request, params.itemIndex, optionsFor(lane, errors)),
		downloadStream: async (request, lane, errors) =>
			await transport.downloadStream(request, params.itemIndex, optionsFor(lane, errors)),
	};
}

/** One item through its operation, by the operation's mode (batches go through runBatches). */
async function runOperation(
	ctx: IExecuteFunctions,
	operation: OperationDefinition,
	params: ParamReader,
	transport: PlatformTransport,
): Promise<OutputItem[]> {
	const options = sendOptions(operation);
	if (operation.run) return await operation.run(stepFor(ctx, params, transport, options));
	if (operation.list) {
		const step = stepFor(ctx, params, transport, options);
		const list = typeof operation.list === 'function' ? await operation.list(step) : operation.list;
		return await collectList(list, params, step.send, {
			each: async (record) => (list.shape ? await list.shape(record) : { json: record }),
		});
	}
	if (operation.batch || operation.wait)
		throw new Error(`Operation ${operation.value} runs for the whole input`);
	const built = operation.build(params);
	const requests = Array.isArray(built) ? built : [built];
	const responses = [];
	// Requests of one item (chunks of a batch) go one after another, so a failure stops the rest.
	for (const request of requests) {
		responses.push(await transport.send(request, params.itemIndex, options));
	}
	const shaped = operation.output(responses[0], requests[0], params, responses);
	return (Array.isArray(shaped) ? shaped : [shaped]).map((json) => ({ json }));
}

/**
 * The one paging loop (Return All / Limit): follows the cursor until done or until the limit, never asking
 * for more than needed. `each` turns every record into what is returned, page by page, before the next page
 * is asked for (so no more than one raw page is held); `everything` ignores Return All / Limit.
 */
export async function collectList<T = IDataObject>(
	list: ListSpec,
	params: ParamReader,
	send: (request: ApiRequest) => Promise<ApiResponse>,
	options: { everything?: boolean; each?: (record: IDataObject) => T | Promise<T> } = {},
): Promise<T[]> {
	const returnAll = options.everything === true || params.boolean('returnAll', false);
	const limit = returnAll ? Infinity : params.integer('limit', 50, 1);
	const out: T[] = [];
	let cursor: string | undefined;
	for (;;) {
		const request = list.page(params, cursor, Math.min(list.maxPageSize, limit - out.length));
		const page = list.read(await send({ idempotent: true, ...request }), request);
		for (const record of page.records.slice(0, limit - out.length)) {
			out.push(options.each ? await options.each(record) : (record as T));
		}
		if (page.next === undefined || page.next === cursor) return out;
		if (page.records.length === 0 && !list.windowed) return out;
		if (out.length >= limit) return out;
		cursor = page.next;
	}
}

/**
 * Runs every input item through its operation: validate, build, send, shape.
 * Each input yields its outputs paired to it; with Continue On Fail, a failed item yields exactly
 * one error item and the others go on. Errors are scrubbed of secrets in this one place.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	resources: ResourceDefinition[],
	transport: PlatformTransport,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (items.length === 0) return [[]];
	// Resource and operation take no expressions (noDataExpression), so they are the same for every item.
	// An operation the chosen Authentication does not offer is refused here, before anything is read.
	const operation = findOperation(ctx, resources, 0);
	// Options apply to the whole run: read them once, from the first item.
	const options = ParamReader.forItem(ctx, 0, []);
	const concurrency = options.integer('options.concurrency', OPTION_DEFAULTS.concurrency, 1, 50);
	transport.configure({
		timeoutMs: options.integer('options.timeout', OPTION_DEFAULTS.timeout, 1),
		requestsPerSecond: options.number(
			'options.requestsPerSecond',
			OPTION_DEFAULTS.requestsPerSecond,
			0,
		),
	});
	const results: INodeExecutionData[][] = new Array(items.length);
	const continueOnFail = ctx.continueOnFail();
	let firstFailure: { index: number; error: Error } | undefined;
	let next = 0;

	if (operation.wait) return await operation.wait(ctx, transport);
	const staticParameters = new Map<string, unknown>();
	if (operation.batch)
		return await runBatches(ctx, operation, operation.batch, transport, staticParameters);
	const runOne = async (itemIndex: number): Promise<void> => {
		try {
			const params = ParamReader.forItem(ctx, itemIndex, operation.properties, staticParameters);
			const outputs = await runOperation(ctx, operation, params, transport);
			results[itemIndex] = outputs.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		} catch (raw) {
			const error = transport.scrub(raw instanceof Error ? raw : new Error(String(raw)));
			if (!continueOnFail) {
				if (!firstFailure || itemIndex < firstFailure.index)
					firstFailure = { index: itemIndex, error };
				return;
			}
			results[itemIndex] = [errorItem(error, itemIndex)];
		}
	};

	const worker = async (): Promise<void> => {
		while (next < items.length && !firstFailure) {
			await runOne(next++);
		}
	};
	const workers = Math.max(1, Math.min(concurrency, items.length));
	await Promise.all(Array.from({ length: workers }, worker));

	if (firstFailure) throw firstFailure.error;
	if (operation.run && operation.afterRun) {
		const after = await operation.afterRun(ctx, results, transport);
		if (after) return after;
	}
	return [results.flat()];
}

/** One failed item's output under Continue On Fail: the error, the platform's code and meaning. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const details = error as Error & {
		description?: string;
		httpCode?: string;
		platformCode?: string;
	};
	const json: IDataObject = { error: error.message };
	if (details.platformCode !== undefined) json.code = details.platformCode;
	if (details.httpCode) json.httpCode = details.httpCode;
	if (details.description) json.description = details.description;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Batch operations: every item is checked (and prepared) first, so bad input stops the run before any
 * write; then each group's items go in calls of the batch size, one call at a time (the platforms process
 * one table serially). A failed call fails each of its items, paired to them.
 */
async function runBatches(
	ctx: IExecuteFunctions,
	operation: OperationDefinition,
	batch: BatchSpec,
	transport: PlatformTransport,
	staticParameters: Map<string, unknown>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const options = sendOptions(operation);
	const groups = new Map<string, Array<{ step: OperationStep; entry: unknown }>>();
	// Items already written by earlier calls: a failure that stops the run says so, as they are not undone.
	const written: number[] = [];
	const fail = (raw: unknown, itemIndexes: number[]) => {
		const error = transport.scrub(raw instanceof Error ? raw : new Error(String(raw)));
		if (!continueOnFail) {
			if (written.length > 0) {
				const described = error as Error & { description?: string };
				described.description = `${described.description ? `${described.description} ` : ''}${written.length} item(s) of this run were written by earlier calls (items ${ranges(written)}) and are not undone; with Continue On Fail, each item reports its own result.`;
			}
			throw error;
		}
		for (const i of itemIndexes) results[i] = [errorItem(error, i)];
	};
	let size = 0;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const params = ParamReader.forItem(ctx, itemIndex, operation.properties, staticParameters);
		const step = stepFor(ctx, params, transport, options);
		try {
			if (size === 0) size = batch.size(params);
			const { group, entry } = await batch.prepare(step);
			if (!groups.has(group)) groups.set(group, []);
			groups.get(group)!.push({ step, entry });
		} catch (error) {
			fail(error, [itemIndex]);
		}
	}
	for (const members of groups.values()) {
		for (let start = 0; start < members.length; start += size) {
			const chunk = members.slice(start, start + size);
			const indexes = chunk.map((m) => m.step.itemIndex);
			let outputs: Array<IDataObject | Error>;
			try {
				outputs = await batch.send(
					chunk.map((m) => m.step),
					chunk.map((m) => m.entry),
				);
			} catch (error) {
				fail(error, indexes);
				continue;
			}
			const alone: Array<[Error, number]> = [];
			chunk.forEach((m, k) => {
				const output = outputs[k];
				if (output instanceof Error) alone.push([output, m.step.itemIndex]);
				else {
					results[m.step.itemIndex] = [
						{ json: output ?? {}, pairedItem: { item: m.step.itemIndex } },
					];
					written.push(m.step.itemIndex);
				}
			});
			for (const [error, itemIndex] of alone) fail(error, [itemIndex]);
		}
	}
	return [results.flat()];
}

/** Item indexes as ranges: 0–499, 1000–1200. */
function ranges(indexes: number[]): string {
	const sorted = [...indexes].sort((a, b) => a - b);
	const parts: string[] = [];
	let start = sorted[0];
	for (let i = 1; i <= sorted.length; i++) {
		if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
		parts.push(start === sorted[i - 1] ? String(start) : `${start}–${sorted[i - 1]}`);
		start = sorted[i];
	}
	return parts.join(', ');
}
