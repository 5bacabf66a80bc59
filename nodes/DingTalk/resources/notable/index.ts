import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { withEditorStep } from '../../../shared/sheetEditor';
import type { ParamReader } from '../../../shared/params';
import type { OperationDefinition, ResourceDefinition } from '../../../shared/types';
import { createDingTalkTransport, DINGTALK_RATE_LIMITS } from '../../transport';
import type { NotableField } from './common';
import {
	baseIdOf,
	columnOf,
	NOTABLE_ERRORS,
	NOTABLE_FIELD_TYPES,
	notableBaseLocator,
	notableOperatorField,
	notableSheetLocator,
	operatorOf,
	sheetPath,
	sheetsPath,
} from './common';

/**
 * DingTalk AI tables (AI表格): the sheets (数据表) of a base and their fields (字段). Records are the
 * notableRecord resource's. Source: docs/research/dingtalk-notable.md §1–§7.
 */

/** The default operation (a resource record is not a UI option, which n8n's Get Many lint rule takes it for). */
const GET_MANY = 'getAll';

const FIELD_TYPE = {
	displayName: 'Type',
	name: 'type',
	type: 'options' as const,
	options: NOTABLE_FIELD_TYPES.map((t) => ({ name: t.name, value: t.value })),
	default: 'text',
	description: 'The field type (字段类型), as the field-type page lists them',
};
const FIELD_PROPERTY = {
	displayName: 'Property (JSON)',
	name: 'property',
	type: 'json' as const,
	default: '',
	description:
		'The field’s property as documented for its type, e.g. {"choices":[{"name":"Todo"},{"name":"Done"}]} for a select, {"formatter":"FLOAT_2"} for a number, {"linkedSheetId":"…"} for a link. Empty: none.',
};

/** The field's property: a JSON object, or nothing. */
function propertyOf(
	p: ParamReader,
	name: string,
	value: unknown,
	label: string,
): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			p.fail(name, 'is not JSON', label);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		p.fail(name, 'must be a JSON object', label);
	return parsed as IDataObject;
}

/** A field as the node outputs it: the API's, plus its kind in the column mapper and whether it is primary. */
const fieldOut = (baseId: string, sheet: string, f: NotableField, index: number): IDataObject => ({
	baseId,
	sheet,
	fieldId: f.id,
	name: f.name,
	type: f.type,
	property: f.property ?? {},
	primary: index === 0,
	writable: columnOf(f, index === 0).kind !== 'readOnly',
});

const sheetOperations: OperationDefinition[] = [
	{
		value: 'getAll',
		name: 'Get Many',
		action: 'Get the sheets of an AI table',
		description: 'The sheets (数据表) of an AI table, with their IDs and names',
		lane: DINGTALK_RATE_LIMITS['notableSheet.getAll'],
		errors: NOTABLE_ERRORS,
		properties: [notableOperatorField, notableBaseLocator],
		build: (p) => {
			const baseId = baseIdOf(p);
			return { method: 'GET', path: sheetsPath(baseId), qs: { operatorId: operatorOf(p) } };
		},
		output: (response, _request, p) => {
			const baseId = baseIdOf(p);
			return ((response.value as IDataObject[] | undefined) ?? []).map((s) => ({
				baseId,
				sheetId: s.id,
				name: s.name,
			}));
		},
	},
	{
		value: 'create',
		name: 'Create',
		action: 'Create a sheet in an AI table',
		description:
			'Add a sheet (数据表) to an AI table, optionally with its fields; its first field is the primary field (主字段)',
		lane: DINGTALK_RATE_LIMITS['notableSheet.create'],
		errors: NOTABLE_ERRORS,
		properties: [
			notableOperatorField,
			notableBaseLocator,
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				required: true,
				description: 'The sheet’s name (数据表名)',
			},
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				default: {},
				placeholder: 'Add Field',
				description:
					'The sheet’s fields, the first being its primary field. None: DingTalk makes one.',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								required: true,
							},
							FIELD_TYPE,
							FIELD_PROPERTY,
						],
					},
				],
			},
		],
		build: (p) => {
			const baseId = baseIdOf(p);
			const given = ((p.raw('fields', {}) as IDataObject | undefined)?.field ??
				[]) as IDataObject[];
			const fields = given.map((f, i) => {
				const label = `Fields › Field ${i + 1}`;
				const name = p.requiredString(`fields.field[${i}].name`, f.name, `${label} › Name`);
				const type = p.requiredString(`fields.field[${i}].type`, f.type, `${label} › Type`);
				const property = propertyOf(
					p,
					`fields.field[${i}].property`,
					f.property,
					`${label} › Property`,
				);
				return { name, type, ...(property ? { property } : {}) };
			});
			const names = new Set<string>();
			for (const f of fields) {
				if (names.has(f.name))
					p.fail('fields', `the field name "${f.name}" is given twice`, 'Fields');
				names.add(f.name);
			}
			return {
				method: 'POST',
				path: sheetsPath(baseId),
				qs: { operatorId: operatorOf(p) },
				body: { name: p.requiredString('name'), ...(fields.length > 0 ? { fields } : {}) },
			};
		},
		output: (response, _request, p) => ({
			baseId: baseIdOf(p),
			sheetId: response.id,
			name: response.name,
		}),
	},
	{
		value: 'delete',
		name: 'Delete',
		action: 'Delete a sheet of an AI table',
		description: 'Delete a sheet (数据表) and its records. An AI table keeps at least one sheet.',
		lane: DINGTALK_RATE_LIMITS['notableSheet.delete'],
		errors: NOTABLE_ERRORS,
		properties: [notableOperatorField, notableBaseLocator, notableSheetLocator],
		build: (p) => {
			const baseId = baseIdOf(p);
			// Sent again after a lost answer, it would be answered "not found": not retried.
			return {
				method: 'DELETE',
				path: sheetPath(p, baseId),
				qs: { operatorId: operatorOf(p) },
				idempotent: false,
			};
		},
		output: (response, _request, p) => ({
			baseId: baseIdOf(p),
			sheet: p.requiredString('sheet'),
			deleted: response.success !== false,
		}),
	},
];

export const notableSheet: ResourceDefinition = {
	value: 'notableSheet',
	name: 'AI Table Sheet',
	description: 'The sheets (数据表) of an AI table (AI表格): list, create, delete',
	operations: sheetOperations,
	defaultOperation: GET_MANY,
};

const fieldOperations: OperationDefinition[] = [
	{
		value: 'getAll',
		name: 'Get Many',
		action: 'Get the fields of a sheet',
		description:
			'The fields (字段) of an AI-table sheet: ID, name, type, property; the first is the primary field',
		lane: DINGTALK_RATE_LIMITS['notableField.getAll'],
		errors: NOTABLE_ERRORS,
		properties: [notableOperatorField, notableBaseLocator, notableSheetLocator],
		build: (p) => ({
			method: 'GET',
			path: `${sheetPath(p, baseIdOf(p))}/fields`,
			qs: { operatorId: operatorOf(p) },
		}),
		output: (response, _request, p) => {
			const baseId = baseIdOf(p);
			return ((response.value as NotableField[] | undefined) ?? []).map((f, i) =>
				fieldOut(baseId, p.requiredString('sheet'), f, i),
			);
		},
	},
	{
		value: 'create',
		name: 'Create',
		action: 'Create a field in a sheet',
		description: 'Add a field (字段) to an AI-table sheet, of one of the documented types',
		lane: DINGTALK_RATE_LIMITS['notableField.create'],
		errors: NOTABLE_ERRORS,
		properties: [
			notableOperatorField,
			notableBaseLocator,
			notableSheetLocator,
			{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
			FIELD_TYPE,
			FIELD_PROPERTY,
		],
		build: (p) => {
			const property = propertyOf(p, 'property', p.raw('property', ''), 'Property (JSON)');
			return {
				method: 'POST',
				path: `${sheetPath(p, baseIdOf(p))}/fields`,
				qs: { operatorId: operatorOf(p) },
				body: {
					name: p.requiredString('name'),
					type: p.requiredString('type'),
					...(property ? { property } : {}),
				},
			};
		},
		output: (response, _request, p) =>
			// createField's answer names the type in Chinese in the page's example ("文本"): the type asked for.
			fieldOut(
				baseIdOf(p),
				p.requiredString('sheet'),
				{ ...(response as unknown as NotableField), type: p.requiredString('type') },
				-1,
			),
	},
];

export const notableField: ResourceDefinition = {
	value: 'notableField',
	name: 'AI Table Field',
	description: 'The fields (字段) of an AI-table sheet: list, create',
	operations: fieldOperations,
	defaultOperation: GET_MANY,
};

const EDITOR_FIELDS = [notableOperatorField, notableBaseLocator];

export const notableListSearch = {
	async searchNotableSheets(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const transport = await createDingTalkTransport(this);
		return await withEditorStep(this, transport, EDITOR_FIELDS, NOTABLE_ERRORS, async (step) => {
			const baseId = baseIdOf(step.params);
			const data = await step.send(
				{ method: 'GET', path: sheetsPath(baseId), qs: { operatorId: operatorOf(step.params) } },
				DINGTALK_RATE_LIMITS['notableSheet.getAll'],
			);
			const wanted = (filter ?? '').trim().toLowerCase();
			return {
				results: ((data.value as Array<{ id: string; name: string }> | undefined) ?? [])
					.filter((s) => wanted === '' || String(s.name).toLowerCase().includes(wanted))
					.map((s) => ({ name: String(s.name), value: String(s.id) })),
			};
		});
	},
};
