/**
 * The catalogue: every operation of every action node, as the node offers it, and the record of which
 * of them the unit tests ran against the fake. catalogue.test.ts checks each operation's docs row, lane and
 * error meanings and writes the catalogue out; the global teardown (catalogue-teardown.ts) checks, after a
 * run of the whole suite, that every one of them ran through n8n's engine against the fake at least once.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { dingTalkNode } from '../nodes/DingTalk/DingTalk.node';
import { feishuNode } from '../nodes/Feishu/Feishu.node';
import type { ActionNode } from '../nodes/shared/node';
import type { OperationDefinition, ResourceDefinition } from '../nodes/shared/types';
import { CATALOGUE_FILE, RUNS_DIR } from './catalogue-runs';

export const ACTION_NODES: Record<'dingTalk' | 'feishu', ActionNode> = {
	dingTalk: dingTalkNode,
	feishu: feishuNode,
};

export interface CatalogueEntry {
	node: keyof typeof ACTION_NODES;
	authentication: string;
	resource: ResourceDefinition;
	operation: OperationDefinition;
	/** node › authentication › resource › operation, by value. */
	key: string;
}

const keyOf = (node: string, authentication: string, resource: string, operation: string) =>
	`${node} › ${authentication} › ${resource} › ${operation}`;

export function catalogue(): CatalogueEntry[] {
	return Object.entries(ACTION_NODES).flatMap(([node, { identities }]) =>
		identities.flatMap((identity) =>
			identity.resources.flatMap((resource) =>
				resource.operations.map((operation) => ({
					node: node as CatalogueEntry['node'],
					authentication: identity.value,
					resource,
					operation,
					key: keyOf(node, identity.value, resource.value, operation.value),
				})),
			),
		),
	);
}

/**
 * Note one run of an action node through n8n's engine (the harness calls this): which operation it ran,
 * with the node's defaults for what the parameters leave out, and whether an item came out without error.
 */
export function recordRun(
	node: string,
	parameters: Record<string, unknown>,
	succeeded: boolean,
): void {
	// Only the unit suite keeps the record (the benchmark and the queue check run the harness too).
	const actionNode = ACTION_NODES[node as CatalogueEntry['node']];
	if (!actionNode || process.env.JEST_WORKER_ID === undefined) return;
	const identity =
		actionNode.identities.find((i) => i.value === parameters.authentication) ??
		actionNode.identities[0];
	const resource =
		identity.resources.find((r) => r.value === parameters.resource) ??
		identity.resources.find((r) => r.value === identity.defaultResource);
	if (!resource) return;
	const operation = String(parameters.operation ?? resource.defaultOperation);
	mkdirSync(RUNS_DIR, { recursive: true });
	appendFileSync(
		join(RUNS_DIR, `runs-${process.pid}.jsonl`),
		`${JSON.stringify({ key: keyOf(node, identity.value, resource.value, operation), succeeded })}\n`,
	);
}

/**
 * Write the catalogue's keys beside the runs (catalogue.test.ts does, in its worker): the global teardown
 * reads them there, as it cannot load the nodes itself.
 */
export function writeCatalogue(): void {
	mkdirSync(RUNS_DIR, { recursive: true });
	writeFileSync(CATALOGUE_FILE, JSON.stringify(catalogue().map((e) => e.key)));
}
