import type { INodeProperties } from 'n8n-workflow';

import type { ResourceDefinition } from './types';

/**
 * Builds the node's properties from the resource records: the Resource selector,
 * one Operation selector per resource, and every operation's fields shown only for it.
 */
export function buildProperties(resources: ResourceDefinition[]): INodeProperties[] {
	const properties: INodeProperties[] = [
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the first resource, computed
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ name: r.name, value: r.value, description: r.description })),
			default: resources[0].value,
		},
	];
	for (const resource of resources) {
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the resource's first operation, computed
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations.map((o) => ({
				name: o.name,
				value: o.value,
				action: o.action,
				description: o.description,
			})),
			default: resource.operations[0].value,
		});
	}
	for (const resource of resources) {
		for (const operation of resource.operations) {
			for (const property of operation.properties) {
				properties.push({
					...property,
					displayOptions: {
						...property.displayOptions,
						show: {
							...property.displayOptions?.show,
							resource: [resource.value],
							operation: [operation.value],
						},
					},
				});
			}
		}
	}
	return properties;
}
