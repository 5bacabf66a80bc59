import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { apiRequestResource } from '../shared/apiRequest';
import { buildProperties, resourceOptions } from '../shared/description';
import { runItems } from '../shared/runner';
import { searchList } from '../shared/search';
import { user } from './resources/user';
import { userGroup, userGroupList } from './resources/userGroup';
import { userGroupMember } from './resources/userGroupMember';
import { createFeishuTransport, FEISHU_CREDENTIAL } from './transport';

export const feishuResources = [userGroup, userGroupMember, user, apiRequestResource('Feishu', '/open-apis/contact/v3/scopes')];
const properties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resourceOptions(feishuResources),
		// A released value: saved workflows that never chose a resource depend on it.
		default: 'userGroup',
	},
	feishuResources,
);

export class Feishu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu',
		name: 'feishu',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage Feishu / Lark (飞书) contacts: user groups, their members, and users',
		defaults: { name: 'Feishu' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: FEISHU_CREDENTIAL, required: true }],
		properties,
	};

	methods = {
		listSearch: {
			async searchUserGroups(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createFeishuTransport(this),
					userGroupList,
					(g) => ({ name: String(g.name ?? g.id), value: String(g.id) }),
					filter,
					token,
				);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, feishuResources, await createFeishuTransport(this));
	}
}
