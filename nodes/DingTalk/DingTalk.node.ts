import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
	IWebhookFunctions,
	IWebhookResponseData,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties, resourceOptions } from '../shared/description';
import { ParamReader } from '../shared/params';
import { collectList, runItems } from '../shared/runner';
import { searchList } from '../shared/search';
import { apiRequest } from './resources/apiRequest';
import { meetingRoom, meetingRoomList } from './resources/meetingRoom';
import {
	createCustomRobotTransport,
	customRobot,
	executeSendAndWait,
	media,
	robotMessage,
	sendAndWaitWebhook,
	testCustomRobot,
	workNotification,
} from './resources/messaging';
import { meetingRoomGroup, roomGroupList } from './resources/meetingRoomGroup';
import { role, roleList } from './resources/role';
import { user } from './resources/user';
import { videoConference } from './resources/videoConference';
import { createDingTalkTransport, DINGTALK_CREDENTIAL } from './transport';

// Messaging first: it is what most people come for (the node creator lists actions in this order).
export const dingTalkResources = [
	robotMessage,
	workNotification,
	media,
	meetingRoomGroup,
	meetingRoom,
	videoConference,
	role,
	user,
	apiRequest,
];
const appProperties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { authentication: ['app'] } },
		options: resourceOptions(dingTalkResources),
		// A released value: saved workflows that never chose a resource depend on it.
		default: 'meetingRoomGroup',
	},
	dingTalkResources,
);
const customRobotProperties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { authentication: ['customRobot'] } },
		options: resourceOptions([customRobot]),
		default: 'customRobot',
	},
	[customRobot],
);
const properties = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options' as const,
		noDataExpression: true,
		options: [
			{
				name: 'App',
				value: 'app',
				description:
					'An internal app (企业内部应用) with Client ID and Client Secret: every resource',
			},
			{
				name: 'Custom Robot (Webhook)',
				value: 'customRobot',
				description: "A group's custom robot (自定义机器人): send to its group only",
			},
		],
		// A released default: saved workflows from before this parameter use the app credential.
		default: 'app',
	},
	...appProperties,
	...customRobotProperties,
];

export class DingTalk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk',
		name: 'dingTalk',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send DingTalk (钉钉) robot messages and work notifications; manage meeting rooms, video conferences, roles and users',
		defaults: { name: 'DingTalk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: DINGTALK_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: ['app'] } },
			},
			{
				name: 'dingTalkRobotApi',
				required: true,
				testedBy: 'testCustomRobot',
				displayOptions: { show: { authentication: ['customRobot'] } },
			},
		],
		// Send and Wait: the resume URL of a waiting execution (n8n serves it; nothing is registered on DingTalk).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		properties,
	};

	/**
	 * The resume webhooks live in n8n and only while an execution waits: there is nothing to register on,
	 * check with or remove from DingTalk, so each lifecycle step reports the state n8n already has.
	 */
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => true,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	methods = {
		credentialTest: {
			async testCustomRobot(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testCustomRobot.call(this, credential);
			},
		},
		listSearch: {
			async searchRoomGroups(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createDingTalkTransport(this),
					roomGroupList,
					groupItem,
					filter,
					token,
				);
			},
			async searchMeetingRooms(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createDingTalkTransport(this),
					meetingRoomList,
					(room) => ({ name: String(room.roomName ?? room.roomId), value: String(room.roomId) }),
					filter,
					token,
				);
			},
			async searchRoles(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createDingTalkTransport(this),
					roleList,
					(r) => ({
						name: `${String(r.roleName)} (${String(r.groupName)})`,
						value: String(r.roleId),
					}),
					filter,
					token,
				);
			},
		},
		loadOptions: {
			/** Parent group choices for Create: the root, then every group of the organization. */
			async getParentRoomGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const transport = await createDingTalkTransport(this);
				try {
					const params = ParamReader.forEditor(this, properties);
					const groups = await collectList(
						roomGroupList,
						params,
						transport,
						{ api: 'meetingRoomGroup.getAll' },
						true,
					);
					return [
						{ name: 'Root (0)', value: 0 },
						...groups.map((g) => ({ name: groupItem(g).name, value: g.groupId as number })),
					];
				} catch (error) {
					throw transport.scrub(error);
				}
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const sendAndWait = this.getNodeParameter('operation', 0) === 'sendAndWait';
		if (this.getNodeParameter('authentication', 0, 'app') === 'customRobot') {
			const transport = await createCustomRobotTransport(this);
			return sendAndWait
				? await executeSendAndWait(this, transport, 'customRobot')
				: await runItems(this, [customRobot], transport);
		}
		const transport = await createDingTalkTransport(this);
		if (sendAndWait && this.getNodeParameter('resource', 0) === 'robotMessage')
			return await executeSendAndWait(this, transport, 'robot');
		return await runItems(this, dingTalkResources, transport);
	}
}

function groupItem(group: IDataObject) {
	return {
		name: `${String(group.groupName)} (${String(group.groupId)})`,
		value: String(group.groupId),
	};
}
