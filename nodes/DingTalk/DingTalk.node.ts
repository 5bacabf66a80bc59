import {
	approval,
	approvalWaitWebhook,
	approvalListSearch,
	approvalResourceMapping,
} from './resources/approval';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { actionNode, RESUME_WEBHOOK_METHODS, SEND_AND_WAIT_WEBHOOKS } from '../shared/node';
import { ParamReader } from '../shared/params';
import { collectList } from '../shared/runner';
import { searchList } from '../shared/search';
import { apiRequest } from './resources/apiRequest';
import { meetingRoom, meetingRoomList } from './resources/meetingRoom';
import { meetingRoomGroup, roomGroupList } from './resources/meetingRoomGroup';
import {
	createCustomRobotTransport,
	customRobot,
	media,
	robotMessage,
	sendAndWaitWebhook,
	testCustomRobot,
	workNotification,
} from './resources/messaging';
import { notableField, notableListSearch, notableSheet } from './resources/notable';
import { notableRecord, notableResourceMapping } from './resources/notable/records';
import { role, roleList } from './resources/role';
import { user } from './resources/user';
import { department, departmentListSearch } from './resources/department';
import { calendar, calendarEvent } from './resources/calendar';
import { task } from './resources/task';
import { videoConference } from './resources/videoConference';
import { workbook, workbookSheet } from './resources/workbook';
import { workbookListSearch, workbookResourceMapping } from './resources/workbook/editor';
import { createDingTalkTransport, DINGTALK_CREDENTIAL, DINGTALK_RATE_LIMITS } from './transport';

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
	department,
	calendar,
	calendarEvent,
	task,
	workbook,
	workbookSheet,
	notableRecord,
	notableSheet,
	notableField,
	approval,
	apiRequest,
];

export const dingTalkNode = actionNode([
	{
		value: 'app',
		name: 'App',
		description: 'An internal app (企业内部应用) with Client ID and Client Secret: every resource',
		resources: dingTalkResources,
		// A released value: saved workflows that never chose a resource depend on it.
		defaultResource: 'meetingRoomGroup',
		transport: createDingTalkTransport,
	},
	{
		value: 'customRobot',
		name: 'Custom Robot (Webhook)',
		description: "A group's custom robot (自定义机器人): send to its group only",
		resources: [customRobot],
		defaultResource: 'customRobot',
		transport: createCustomRobotTransport,
	},
]);
const properties = dingTalkNode.properties;

export class DingTalk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk',
		name: 'dingTalk',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send DingTalk (钉钉) robot messages and work notifications; work with workbooks (钉钉表格) row by row and AI tables (AI表格); manage meeting rooms, video conferences, roles and users',
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
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		properties,
	};

	webhookMethods = RESUME_WEBHOOK_METHODS;

	methods = {
		credentialTest: {
			async testCustomRobot(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testCustomRobot.call(this, credential);
			},
		},
		resourceMapping: {
			...workbookResourceMapping,
			...notableResourceMapping,
			...approvalResourceMapping,
		},
		listSearch: {
			...workbookListSearch,
			...notableListSearch,
			...approvalListSearch,
			...departmentListSearch,
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
						async (request) =>
							await transport.send(request, 0, {
								lane: DINGTALK_RATE_LIMITS['meetingRoomGroup.getAll'],
							}),
						{ everything: true },
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
		// Approval › Create Instance with Wait for Decision, or Send and Wait.
		if (this.getNodeParameter('resource', '') === 'approval')
			return await approvalWaitWebhook(this);
		return await sendAndWaitWebhook(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await dingTalkNode.execute(this);
	}
}

function groupItem(group: IDataObject) {
	return {
		name: `${String(group.groupName)} (${String(group.groupId)})`,
		value: String(group.groupId),
	};
}
