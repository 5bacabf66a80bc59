import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ResourceDefinition } from './types';

/** The Resource selector's choices, for the node's own Resource parameter (whose default is written there). */
export function resourceOptions(resources: ResourceDefinition[]): INodePropertyOptions[] {
	return resources.map((r) => ({ name: r.name, value: r.value, description: r.description }));
}

/**
 * Builds the node's properties from the resource records: the node's Resource selector (its default is a
 * released value, written out in the node file), one Operation selector per resource, and every
 * operation's fields shown only for it.
 */
export function buildProperties(
	resourceSelector: INodeProperties,
	resources: ResourceDefinition[],
	authentication?: string,
): INodeProperties[] {
	// Two identities may offer one resource with different operations: each shows under its own Authentication.
	const shownFor = authentication === undefined ? {} : { authentication: [authentication] };
	if (!resources.some((r) => r.value === resourceSelector.default)) {
		throw new Error(
			`The Resource default "${String(resourceSelector.default)}" is not one of the node's resources`,
		);
	}
	const properties: INodeProperties[] = [resourceSelector];
	for (const resource of resources) {
		// n8n does not save default values, so a resource's default operation never changes once released.
		const defaultOperation = resource.defaultOperation;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { ...shownFor, resource: [resource.value] } },
			options: resource.operations.map((o) => ({
				name: o.name,
				value: o.value,
				action: o.action,
				description: o.description,
			})),
			default: defaultOperation,
		});
	}
	for (const resource of resources) {
		for (const operation of resource.operations) {
			const fields = [
				...operation.properties,
				...(operation.list ? listProperties() : []),
				optionsProperty(operation.extraOptions),
			];
			for (const property of fields) {
				properties.push({
					...property,
					displayOptions: {
						...property.displayOptions,
						show: {
							...property.displayOptions?.show,
							...shownFor,
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

/** Defaults of the Options collection (written out as literals below too, for the linter); the runner reads these. */
export const OPTION_DEFAULTS = { concurrency: 5, requestsPerSecond: 0, timeout: 30_000 };

/** Options shared by every operation: throughput and patience. */
function optionsProperty(extra: INodeProperties[] = []): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batching / Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 5,
				description:
					"How many items are sent to the platform at once. Requests are still paced to each API's documented rate limit; output order always follows input order.",
			},
			{
				displayName: 'Max Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Pace requests to each API at this rate instead of its documented limit (0 = documented limit). Use it when your tenant has a different quota.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description:
					'How long to wait for an answer. Reads, updates and deletes that time out are retried; a create that times out is reported with an unknown outcome and is not retried.',
			},
		],
	};
	// n8n lists a collection's options alphabetically by display name.
	property.options = [...(property.options as INodeProperties[]), ...extra].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
	return property;
}

/** Return All / Limit, shown for every list operation (and for Get Rows, which reads rows rather than pages). */
export function listProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/**
 * A picker (resource locator): choose from a searchable list loaded from the API, or enter an ID.
 * The value read at run time is the ID either way.
 */
export function locator(options: {
	name: string;
	displayName: string;
	description: string;
	searchListMethod: string;
	placeholder: string;
	required?: boolean;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: options.placeholder },
		],
	};
}

/** A document given by its link (checked against `pattern`, which n8n wraps in ^…$) or by its ID. */
export function linkOrIdLocator(options: {
	name: string;
	displayName: string;
	description: string;
	urlPlaceholder: string;
	pattern: string;
	patternError: string;
	idPlaceholder: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'url', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: options.urlPlaceholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: options.pattern, errorMessage: options.patternError },
					},
				],
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: options.idPlaceholder },
		],
	};
}

/** A sheet (a tab) of a spreadsheet: From List, By ID or By Name. */
export function sheetTabLocator(options: {
	description: string;
	searchListMethod: string;
	dependsOn: string[];
	idPlaceholder: string;
}): INodeProperties {
	const picker = locator({
		name: 'sheet',
		displayName: 'Sheet',
		description: options.description,
		searchListMethod: options.searchListMethod,
		placeholder: options.idPlaceholder,
	});
	return {
		...picker,
		typeOptions: { loadOptionsDependsOn: options.dependsOn },
		modes: [
			...(picker.modes ?? []),
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'Sheet1' },
		],
	};
}
