import type { INodeProperties } from 'n8n-workflow';
import { userIdTypeProperty } from '../common';

/** The Bitable record operations' shared fields and limits. */

/** batch_create / batch_update: 1,000 per call on Feishu's current pages, 500 on Lark's (and older Feishu). */
export const MAX_BATCH = 1000;
export const DEFAULT_BATCH = 500;
/** batch_delete: "单次调用中最多删除 500 条记录". */
export const MAX_DELETE_BATCH = 500;
/** search: "分页大小。最大值为 500". */
export const SEARCH_PAGE = 500;
/** Attachments: "素材大小不得超过 20 MB" for upload_all. */
export const ATTACHMENT_LIMIT = { maxBytes: 20 * 1024 * 1024, what: 'an attachment' };

export const columnsProperty = (mode: 'add' | 'upsert', description: string): INodeProperties => ({
	displayName: 'Columns',
	name: 'columns',
	type: 'resourceMapper',
	noDataExpression: true,
	default: { mappingMode: 'defineBelow', value: null },
	required: true,
	description,
	hint: 'Lists (multiple select, person, link, group chat) take values separated by commas; an attachment column takes binary property names (data, doc); a location "longitude,latitude"',
	typeOptions: {
		loadOptionsDependsOn: ['base.value', 'table.value'],
		resourceMapper: {
			resourceMapperMethod: mode === 'upsert' ? 'getBitableColumnsForUpsert' : 'getBitableColumns',
			mode,
			fieldWords: { singular: 'column', plural: 'columns' },
			addAllFields: true,
			multiKeyMatch: true,
			supportAutoMap: true,
			...(mode === 'upsert'
				? {
						matchingFieldsLabels: {
							title: 'Columns to Match On',
							description:
								"The record whose values in these columns equal the item's is updated; with none, one is created",
						},
					}
				: {}),
		},
	},
});

export const recordIdProperty = (description: string): INodeProperties => ({
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	required: true,
	default: '={{ $json.id }}',
	placeholder: 'recXXXXXXXXXX',
	description,
});

const ALLOW_NEW_OPTIONS: INodeProperties = {
	displayName: 'Allow New Options',
	name: 'allowNewOptions',
	type: 'boolean',
	default: false,
	description:
		'Whether a select value the field does not have yet creates that option (as Feishu does) instead of failing the item',
};

export const OUTPUT_FORMAT: INodeProperties = {
	displayName: 'Output',
	name: 'outputFormat',
	type: 'options',
	options: [
		{
			name: 'Simple',
			value: 'simple',
			description: '{ ID, ...fields }, with text, people, links and files as plain values',
		},
		{ name: 'Raw', value: 'raw', description: 'The record as the API answers it' },
	],
	default: 'simple',
};

export const DOWNLOAD: INodeProperties[] = [
	{
		displayName: 'Download Attachments',
		name: 'downloadAttachments',
		type: 'boolean',
		default: false,
		description:
			"Whether to download the records' attachments into binary data (attachment_0, attachment_1, …)",
	},
];

export const writeOptions: INodeProperties[] = [
	ALLOW_NEW_OPTIONS,
	OUTPUT_FORMAT,
	userIdTypeProperty,
];
