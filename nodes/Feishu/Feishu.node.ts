import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { apiRequestResource } from '../shared/apiRequest';
import { buildProperties, resourceOptions } from '../shared/description';
import { runItems } from '../shared/runner';
import { searchList } from '../shared/search';
import { chat, chatList } from './resources/chat';
import { createCustomBotTransport, customBot, testCustomBot } from './resources/customBot';
import { message } from './resources/message';
import { executeSendAndWait, sendAndWaitWebhook } from './resources/message/sendAndWait';
import { file, image } from './resources/upload';
import { user } from './resources/user';
import { userGroup, userGroupList } from './resources/userGroup';
import { userGroupMember } from './resources/userGroupMember';
import { createFeishuTransport, FEISHU_CREDENTIAL } from './transport';

export const feishuResources = [
	message,
	chat,
	image,
	file,
	userGroup,
	userGroupMember,
	user,
	apiRequestResource('Feishu', '/open-apis/contact/v3/scopes'),
];
const appProperties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { authentication: ['app'] } },
		options: resourceOptions(feishuResources),
		// A released value: saved workflows that never chose a resource depend on it.
		default: 'userGroup',
	},
	feishuResources,
);
const customBotProperties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { authentication: ['customBot'] } },
		options: resourceOptions([customBot]),
		default: 'customBot',
	},
	[customBot],
);
const properties = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options' as const,
		noDataExpression: true,
		options: [
			{ name: 'App (Bot)', value: 'app', description: 'A custom app (自建应用) with App ID and App Secret: every resource' },
			{ name: 'Custom Bot (Webhook)', value: 'customBot', description: 'A group\'s custom bot (自定义机器人): send to its group only' },
		],
		// A released default: saved workflows from before this parameter use the app credential.
		default: 'app',
	},
	...appProperties,
	...customBotProperties,
];

export class Feishu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Feishu',
		name: 'feishu',
		icon: { light: 'file:feishu.svg', dark: 'file:feishu.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send Feishu / Lark (飞书) messages and cards, manage chats, user groups and users',
		defaults: { name: 'Feishu' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: FEISHU_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['app'] } } },
			{ name: 'feishuCustomBotApi', required: true, testedBy: 'testCustomBot', displayOptions: { show: { authentication: ['customBot'] } } },
		],
		// Send and Wait: the resume URL of a waiting execution (n8n serves it; nothing is registered on Feishu).
		webhooks: [
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: '={{ $nodeId }}', restartWebhook: true, isFullPath: true },
		],
		properties,
	};

	/**
	 * The resume webhooks live in n8n and only while an execution waits: there is nothing to register on,
	 * check with or remove from Feishu, so each lifecycle step reports the state n8n already has.
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
			async testCustomBot(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await testCustomBot.call(this, credential);
			},
		},
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
			async searchChats(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createFeishuTransport(this),
					chatList,
					(c) => ({ name: String(c.name || c.chat_id), value: String(c.chat_id) }),
					filter,
					token,
				);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this, async () => await createFeishuTransport(this));
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('authentication', 0, 'app') === 'customBot') {
			return await runItems(this, [customBot], await createCustomBotTransport(this));
		}
		const transport = await createFeishuTransport(this);
		if (this.getNodeParameter('resource', 0) === 'message' && this.getNodeParameter('operation', 0) === 'sendAndWait') {
			return await executeSendAndWait(this, transport);
		}
		return await runItems(this, feishuResources, transport);
	}
}
