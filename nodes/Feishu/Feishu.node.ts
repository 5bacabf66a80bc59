import { approval, approvalWaitWebhook, approvalResourceMapping } from './resources/approval';
import type {
	IDataObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { apiRequestResource } from '../shared/apiRequest';
import { actionNode, RESUME_WEBHOOK_METHODS, SEND_AND_WAIT_WEBHOOKS } from '../shared/node';
import { searchList } from '../shared/search';
import type { ListSpec } from '../shared/types';
import { bitableField, bitableRecord, bitableTable } from './resources/bitable';
import {
	bitableListSearch,
	bitableLoadOptions,
	bitableResourceMapping,
} from './resources/bitable/editor';
import { chat, chatList } from './resources/chat';
import { createCustomBotTransport, customBot, testCustomBot } from './resources/customBot';
import { drive, searchDriveFolders } from './resources/drive';
import { drivePermission } from './resources/drivePermission';
import { document } from './resources/document';
import { spaceList, wiki } from './resources/wiki';
import { sheet, spreadsheet } from './resources/sheet';
import { sheetListSearch, sheetResourceMapping } from './resources/sheet/editor';
import { message } from './resources/message';
import { sendAndWaitWebhook } from './resources/message/sendAndWait';
import { file, image } from './resources/upload';
import { user } from './resources/user';
import { userGroup, userGroupList } from './resources/userGroup';
import { userGroupMember } from './resources/userGroupMember';
import { department, departmentPickerList } from './resources/department';
import { calendar, calendarEvent, calendarList, PRIMARY_CALENDAR } from './resources/calendar';
import { task, tasklist } from './resources/task';
import { createFeishuTransport, FEISHU_CREDENTIAL, FEISHU_USER_CREDENTIAL } from './transport';

export const feishuResources = [
	message,
	chat,
	image,
	file,
	userGroup,
	userGroupMember,
	user,
	department,
	calendar,
	calendarEvent,
	task,
	tasklist,
	bitableRecord,
	bitableTable,
	bitableField,
	drive,
	drivePermission,
	document,
	wiki,
	spreadsheet,
	sheet,
	approval,
	apiRequestResource('Feishu', '/open-apis/contact/v3/scopes'),
];

export const feishuNode = actionNode([
	{
		value: 'app',
		name: 'App (Bot)',
		description: 'A custom app (自建应用) with App ID and App Secret: every resource',
		actor: 'app',
		resources: feishuResources,
		// A released value: saved workflows that never chose a resource depend on it.
		defaultResource: 'userGroup',
		transport: createFeishuTransport,
	},
	{
		value: 'oAuth2',
		name: 'User (OAuth2)',
		description:
			"A user's own identity (user_access_token), connected with Connect my account: what the user can see and do",
		actor: 'user',
		// The operations whose pages allow a user token (each declares it: actsAs).
		resources: feishuResources,
		defaultResource: 'message',
		transport: createFeishuTransport,
	},
	{
		value: 'customBot',
		name: 'Custom Bot (Webhook)',
		description: "A group's custom bot (自定义机器人): send to its group only",
		resources: [customBot],
		defaultResource: 'customBot',
		transport: createCustomBotTransport,
	},
]);

/** A picker over one of the node's lists, with the chosen Authentication's transport. */
function picker(
	list: ListSpec,
	toItem: (record: IDataObject) => INodeListSearchItems,
): (
	this: ILoadOptionsFunctions,
	filter?: string,
	token?: string,
) => Promise<INodeListSearchResult> {
	return async function (this: ILoadOptionsFunctions, filter?: string, token?: string) {
		return await searchList(
			this,
			feishuNode.properties,
			await createFeishuTransport(this),
			list,
			toItem,
			filter,
			token,
		);
	};
}

export class Feishu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu',
		name: 'feishu',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send Feishu / Lark (飞书) messages and cards, work with Bitable (多维表格) records, Drive (云空间) files, documents (文档), spreadsheets (电子表格) and wiki (知识库) pages, manage chats, user groups and users',
		defaults: { name: 'Feishu' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: FEISHU_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: ['app'] } },
			},
			{
				name: FEISHU_USER_CREDENTIAL,
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'feishuCustomBotApi',
				required: true,
				testedBy: 'testCustomBot',
				displayOptions: { show: { authentication: ['customBot'] } },
			},
		],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		properties: feishuNode.properties,
	};

	webhookMethods = RESUME_WEBHOOK_METHODS;

	methods = {
		credentialTest: {
			async testCustomBot(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testCustomBot.call(this, credential);
			},
		},
		loadOptions: bitableLoadOptions,
		resourceMapping: {
			...bitableResourceMapping,
			...sheetResourceMapping,
			...approvalResourceMapping,
		},
		listSearch: {
			...bitableListSearch,
			...sheetListSearch,
			searchDriveFolders,
			searchWikiSpaces: picker(spaceList, (w) => ({
				name: String(w.name || w.space_id),
				value: String(w.space_id),
			})),
			searchUserGroups: picker(userGroupList, (g) => ({
				name: String(g.name ?? g.id),
				value: String(g.id),
			})),
			searchCalendars: async function (
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				const found = await picker(calendarList, (c) => ({
					name: String(c.summary_alias || c.summary || c.calendar_id),
					value: String(c.calendar_id),
				})).call(this, filter, token);
				return token
					? found
					: {
							...found,
							results: [
								{ name: 'Primary Calendar (of the App or the User)', value: PRIMARY_CALENDAR },
								...found.results,
							],
						};
			},
			searchDepartments: async function (
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				// The value in the ID type the node is set to (the list is asked for in that type too).
				const custom = this.getCurrentNodeParameter('departmentIdType') === 'department_id';
				const found = await picker(departmentPickerList, (d) => ({
					name: String(d.name ?? d.open_department_id),
					value: String(custom ? d.department_id : d.open_department_id),
				})).call(this, filter, token);
				// The root first, on the first page: the whole organisation.
				return token
					? found
					: {
							...found,
							results: [{ name: 'Whole Organisation (0)', value: '0' }, ...found.results],
						};
			},
			searchChats: picker(chatList, (c) => ({
				name: String(c.name || c.chat_id),
				value: String(c.chat_id),
			})),
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// Approval › Create Instance with Wait for Decision, or Send and Wait.
		if (this.getNodeParameter('resource', '') === 'approval')
			return await approvalWaitWebhook(this);
		// A custom bot's card cannot be updated: it gets no message ID back.
		if (this.getNodeParameter('authentication', 'app') === 'customBot')
			return await sendAndWaitWebhook(this);
		return await sendAndWaitWebhook(this, async () => await createFeishuTransport(this));
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await feishuNode.execute(this);
	}
}
