import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties } from '../shared/description';
import { runItems } from '../shared/runner';
import { userGroup } from './resources/userGroup';
import { createFeishuTransport, FEISHU_CREDENTIAL } from './transport';

export const feishuResources = [userGroup];

export class Feishu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu',
		name: 'feishu',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage Feishu / Lark (飞书) contacts: user groups',
		defaults: { name: 'Feishu' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: FEISHU_CREDENTIAL, required: true }],
		properties: buildProperties(feishuResources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, feishuResources, await createFeishuTransport(this));
	}
}
