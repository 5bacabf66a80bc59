import type { ListSpec, OperationDefinition, OperationStep } from '../../../../shared/types';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import type { TableRef } from '../common';
import {
	baseLocator,
	schemaOf,
	tableLocator,
	tableOf,
	userIdTypeOf,
	userIdTypeProperty,
	viewLocator,
} from '../common';
import { BITABLE_ERRORS } from '../errors';
import { DOWNLOAD, OUTPUT_FORMAT, SEARCH_PAGE } from './fields';
import { shape, withDownloads } from './shape';

const OPERATORS = [
	'is',
	'isNot',
	'contains',
	'doesNotContain',
	'isEmpty',
	'isNotEmpty',
	'isGreater',
	'isGreaterEqual',
	'isLess',
	'isLessEqual',
] as const;

const fieldNameOptions = {
	loadOptionsMethod: 'getBitableFieldNames',
	loadOptionsDependsOn: ['base.value', 'table.value'],
};

const searchProperties: INodeProperties[] = [
	baseLocator,
	tableLocator,
	viewLocator,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		description:
			'Conditions on the columns (at most 50). Dates allow Is, Is Empty, Is Not Empty, Is Greater and Is Less, with a value like ExactDate,1767225600000 or Today.',
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: fieldNameOptions,
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: [
							{ name: 'Contains', value: 'contains' },
							{ name: 'Does Not Contain', value: 'doesNotContain' },
							{ name: 'Is', value: 'is' },
							{ name: 'Is Empty', value: 'isEmpty' },
							{ name: 'Is Greater', value: 'isGreater' },
							{ name: 'Is Greater or Equal', value: 'isGreaterEqual' },
							{ name: 'Is Less', value: 'isLess' },
							{ name: 'Is Less or Equal', value: 'isLessEqual' },
							{ name: 'Is Not', value: 'isNot' },
							{ name: 'Is Not Empty', value: 'isNotEmpty' },
						],
						default: 'is',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							"Text, a number, an option's name, true/false, user IDs or record IDs; several separated by commas",
					},
				],
			},
		],
	},
	{
		displayName: 'Match',
		name: 'conjunction',
		type: 'options',
		options: [
			{ name: 'All Conditions (AND)', value: 'and' },
			{ name: 'Any Condition (OR)', value: 'or' },
		],
		default: 'and',
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Sort Rule',
		default: {},
		options: [
			{
				displayName: 'Rule',
				name: 'rules',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: fieldNameOptions,
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Descending',
						name: 'desc',
						type: 'boolean',
						default: false,
						description: 'Whether to sort from the largest (latest, last) down',
					},
				],
			},
		],
	},
];

const CONDITION_VALUES_FREE = new Set(['isEmpty', 'isNotEmpty']);

/** The documented search body: view, filter, sort, fields to return, automatic fields. */
function searchBody(step: OperationStep): Record<string, unknown> {
	const p = step.params;
	const body: Record<string, unknown> = {};
	const view = p.optionalString('view');
	if (view !== undefined) body.view_id = decodeURIComponent(p.pathId('view', view));
	const conditions =
		((p.raw('filter', {}) as IDataObject).conditions as IDataObject[] | undefined) ?? [];
	if (conditions.length > 50) p.fail('filter', `at most 50 conditions, got ${conditions.length}`);
	const advanced = p.jsonObject('options.filterJson');
	if (advanced && conditions.length > 0)
		p.fail('options.filterJson', 'use either Filter or Options › Filter (JSON), not both');
	if (advanced) body.filter = advanced;
	else if (conditions.length > 0) {
		body.filter = {
			conjunction: p.choice('conjunction', ['and', 'or'] as const, 'and'),
			conditions: conditions.map((c, i) => {
				const label = `Filter › Condition ${i + 1}`;
				const field_name = p.requiredString(
					`filter.conditions[${i}].field`,
					c.field,
					`${label} › Field`,
				);
				const operator = String(c.operator ?? 'is');
				if (!(OPERATORS as readonly string[]).includes(operator))
					p.fail(
						`filter.conditions[${i}].operator`,
						`must be one of ${OPERATORS.join(', ')}`,
						`${label} › Operator`,
					);
				const value = CONDITION_VALUES_FREE.has(operator)
					? []
					: p.stringList(`filter.conditions[${i}].value`, c.value ?? '', `${label} › Value`);
				return { field_name, operator, value };
			}),
		};
	}
	const rules = ((p.raw('sort', {}) as IDataObject).rules as IDataObject[] | undefined) ?? [];
	if (rules.length > 0)
		body.sort = rules.map((r, i) => ({
			field_name: p.requiredString(
				`sort.rules[${i}].field`,
				r.field,
				`Sort › Rule ${i + 1} › Field`,
			),
			desc: r.desc === true,
		}));
	const names = p.stringList('options.fieldNames', p.raw('options.fieldNames', ''));
	if (names.length > 200) p.fail('options.fieldNames', `at most 200 fields, got ${names.length}`);
	if (names.length > 0) body.field_names = names;
	if (p.boolean('options.automaticFields', false)) body.automatic_fields = true;
	return body;
}

const searchList = (
	table: TableRef & { path: string },
	body: Record<string, unknown>,
	userIdType: string,
): ListSpec => ({
	maxPageSize: SEARCH_PAGE,
	page: (_p, cursor, pageSize) => ({
		method: 'POST',
		path: `${table.path}/records/search`,
		qs: {
			user_id_type: userIdType,
			page_size: pageSize,
			...(cursor ? { page_token: cursor } : {}),
		},
		body,
		idempotent: true,
	}),
	read: (response) => ({
		records: (response.items as IDataObject[] | undefined) ?? [],
		next:
			response.has_more === true && response.page_token ? String(response.page_token) : undefined,
	}),
});

export const search: OperationDefinition = {
	value: 'search',
	actsAs: ['app', 'user'],
	name: 'Search',
	action: 'Search records',
	lane: FEISHU_RATE_LIMITS['bitableRecord.search'],
	description:
		'Find records by conditions, sorted, in a view; Return All pages through 500 at a time',
	properties: searchProperties,
	extraOptions: [
		OUTPUT_FORMAT,
		userIdTypeProperty,
		...DOWNLOAD,
		{
			displayName: 'Fields to Return',
			name: 'fieldNames',
			type: 'string',
			default: '',
			description: 'Column names, separated by commas (at most 200); empty returns every column',
		},
		{
			displayName: 'Include Automatic Fields',
			name: 'automaticFields',
			type: 'boolean',
			default: false,
			description: 'Whether to add created and modified time and by whom (as _created_time …)',
		},
		{
			displayName: 'Filter (JSON)',
			name: 'filterJson',
			type: 'json',
			default: '',
			description:
				'A filter in the API\'s own shape, with children (one level), instead of Filter: {"conjunction":"and","conditions":[{"field_name":"Status","operator":"is","value":["Done"]}]}',
		},
	],
	errors: BITABLE_ERRORS,
	// Page by page (500, the maximum, for Return All; no more than the Limit needs otherwise): each page is
	// shaped into output items before the next is asked for, so no more than one raw page is held.
	async list(step) {
		const table = await tableOf(step);
		const body = searchBody(step);
		const schema =
			step.params.choice('options.outputFormat', ['simple', 'raw'] as const, 'simple') === 'simple'
				? await schemaOf(step, table)
				: [];
		return {
			...searchList(table, body, userIdTypeOf(step.params)),
			shape: async (record) =>
				await withDownloads(step, shape(record, schema, step.params), record),
		};
	},
};
