import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ParamReader } from './params';
import type { PlatformTransport } from './transport';
import type { OperationDefinition, ResourceDefinition } from './types';

/** Items in flight at once. Output order always equals input order. */
export const DEFAULT_CONCURRENCY = 5;

function findOperation(
	ctx: IExecuteFunctions,
	resources: ResourceDefinition[],
	itemIndex: number,
): OperationDefinition {
	const resource = ctx.getNodeParameter('resource', itemIndex) as string;
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	const found = resources.find((r) => r.value === resource)?.operations.find((o) => o.value === operation);
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operation}" for resource "${resource}"`, {
			itemIndex,
		});
	}
	return found;
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
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const continueOnFail = ctx.continueOnFail();
	let firstFailure: { index: number; error: Error } | undefined;
	let next = 0;

	const runOne = async (itemIndex: number): Promise<void> => {
		try {
			const operation = findOperation(ctx, resources, itemIndex);
			const params = new ParamReader(ctx, itemIndex, operation.properties);
			const request = operation.build(params);
			const response = await transport.send(request, itemIndex, operation.errors);
			const shaped = operation.output(response, request, params);
			const list: IDataObject[] = Array.isArray(shaped) ? shaped : [shaped];
			results[itemIndex] = list.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (raw) {
			const error = transport.scrub(raw instanceof Error ? raw : new Error(String(raw)));
			if (!continueOnFail) {
				if (!firstFailure || itemIndex < firstFailure.index) firstFailure = { index: itemIndex, error };
				return;
			}
			const details = error as Error & { description?: string; httpCode?: string; platformCode?: string };
			const json: IDataObject = { error: error.message };
			if (details.platformCode !== undefined) json.code = details.platformCode;
			if (details.httpCode) json.httpCode = details.httpCode;
			if (details.description) json.description = details.description;
			results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
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
