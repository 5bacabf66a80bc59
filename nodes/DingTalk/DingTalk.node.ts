import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties } from '../shared/description';
import { runItems } from '../shared/runner';
import { meetingRoomGroup } from './resources/meetingRoomGroup';
import { role } from './resources/role';
import { videoConference } from './resources/videoConference';
import { createDingTalkTransport, DINGTALK_CREDENTIAL } from './transport';

export const dingTalkResources = [meetingRoomGroup, videoConference, role];

export class DingTalk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk',
		name: 'dingTalk',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage DingTalk (钉钉) meeting rooms, video conferences and roles',
		defaults: { name: 'DingTalk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: DINGTALK_CREDENTIAL, required: true }],
		properties: buildProperties(dingTalkResources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, dingTalkResources, await createDingTalkTransport(this));
	}
}
