import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { OPTION_DEFAULTS } from './description';
import { ParamReader } from './params';
import type { PlatformTransport, SendOptions } from './transport';
import type {
	ApiRequest,
	ErrorMeanings,
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
): { resource: string; operation: OperationDefinition } {
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
	return { resource, operation: found };
}

/** The API's pacing lane is the operation (resource.operation); raw API calls are paced per method and path. */
function sendOptions(resource: string, operation: OperationDefinition): SendOptions {
	const api = operation.paceByPath ? undefined : `${resource}.${operation.value}`;
	return { errors: operation.errors, check: operation.check, api };
}

/** What a multi-step operation gets for one item: its parameters, and sends through the transport in its lane. */
export function stepFor(
	ctx: IExecuteFunctions,
	params: ParamReader,
	transport: PlatformTransport,
	options: SendOptions,
): OperationStep {
	const optionsFor = (api?: string, errors?: ErrorMeanings): SendOptions => ({
		...options,
		...(api ? { api } : {}),
		...(errors ? { errors: { ...options.errors, ...errors } } : {}),
	});
	return {
		params,
		itemIndex: params.itemIndex,
		ctx,
		send: async (request, api, errors) =>
			await transport.send(request, params.itemIndex, optionsFor(api, errors)),
		credential: (field) => transport.credential(field),
		download: async (request, api, errors) =>
			await transport.download(request, params.itemIndex, optionsFor(api, errors)),
	};
}

async function runOperation(
	ctx: IExecuteFunctions,
	resource: string,
	operation: OperationDefinition,
	params: ParamReader,
	transport: PlatformTransport,
): Promise<OutputItem[]> {
	if (operation.run)
		return await operation.run(stepFor(ctx, params, transport, sendOptions(resource, operation)));
	if (!operation.build || !operation.output)
		throw new Error(`Operation ${operation.value} has no request`);
	const built = operation.build(params);
	const requests = Array.isArray(built) ? built : [built];
	const responses = [];
	// Requests of one item (chunks of a batch) go one after another, so a failure stops the rest.
	for (const request of requests) {
		responses.push(
			await transport.send(request, params.itemIndex, sendOptions(resource, operation)),
		);
	}
	const shaped = operation.output(responses[0], requests[0], params, responses);
	return (Array.isArray(shaped) ? shaped : [shaped]).map((json) => ({ json }));
}

/** Return All / Limit: follows the cursor until done or until the limit, never asking for more than needed. */
export async function collectList(
	list: ListSpec,
	params: ParamReader,
	transport: PlatformTransport | Pick<OperationStep, 'send'>,
	options: SendOptions = {},
	everything = false,
): Promise<IDataObject[]> {
	const send =
		'configure' in transport
			? async (request: ApiRequest) => await transport.send(request, params.itemIndex, options)
			: async (request: ApiRequest) => await transport.send(request);
	const returnAll = everything || params.boolean('returnAll', false);
	const limit = returnAll ? Infinity : params.integer('limit', 50, 1);
	const records: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const pageSize = Math.min(list.maxPageSize, limit - records.length);
		const request = list.page(params, cursor, pageSize);
		const page = list.read(await send({ idempotent: true, ...request }), request);
		records.push(...page.records);
		if (page.next === cursor || page.records.length === 0) break;
		cursor = page.next;
	} while (cursor !== undefined && records.length < limit);
	return records.slice(0, limit);
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

	// Resource and operation take no expressions (noDataExpression), so they are the same for every item.
	const { resource, operation } = findOperation(ctx, resources, 0);
	const staticParameters = new Map<string, unknown>();
	if (operation.batch)
		return await runBatches(ctx, resource, operation, transport, staticParameters);
	const runOne = async (itemIndex: number): Promise<void> => {
		try {
			const params = ParamReader.forItem(ctx, itemIndex, operation.properties, staticParameters);
			const list = operation.list
				? (
						await collectList(operation.list, params, transport, sendOptions(resource, operation))
					).map((json) => ({ json }))
				: await runOperation(ctx, resource, operation, params, transport);
			results[itemIndex] = list.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
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
	resource: string,
	operation: OperationDefinition,
	transport: PlatformTransport,
	staticParameters: Map<string, unknown>,
): Promise<INodeExecutionData[][]> {
	const batch = operation.batch!;
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const options = sendOptions(resource, operation);
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
