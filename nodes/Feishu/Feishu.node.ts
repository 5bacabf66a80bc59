import type {
	ICredentialsDecrypted,
	IDataObject,
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	INodePropertyOptions,
	IWebhookResponseData,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { apiRequestResource } from '../shared/apiRequest';
import { buildProperties, resourceOptions } from '../shared/description';
import { runItems } from '../shared/runner';
import { ParamReader } from '../shared/params';
import { searchList } from '../shared/search';
import type { BitableField } from './resources/bitable';
import {
	BITABLE_ERRORS,
	baseOf,
	bitableField,
	bitableRecord,
	bitableTable,
	listFields,
	mapperField,
	resolveBase,
	tableIdOf,
	tableList,
	tablePath,
} from './resources/bitable';
import { chat, chatList } from './resources/chat';
import { createCustomBotTransport, customBot, testCustomBot } from './resources/customBot';
import { message } from './resources/message';
import { executeSendAndWait, sendAndWaitWebhook } from './resources/message/sendAndWait';
import { file, image } from './resources/upload';
import { user } from './resources/user';
import { userGroup, userGroupList } from './resources/userGroup';
import { userGroupMember } from './resources/userGroupMember';
import type { PlatformTransport } from '../shared/transport';
import { createFeishuTransport, FEISHU_CREDENTIAL } from './transport';

export const feishuResources = [
	message,
	chat,
	image,
	file,
	userGroup,
	userGroupMember,
	user,
	bitableRecord,
	bitableTable,
	bitableField,
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
			{
				name: 'App (Bot)',
				value: 'app',
				description: 'A custom app (自建应用) with App ID and App Secret: every resource',
			},
			{
				name: 'Custom Bot (Webhook)',
				value: 'customBot',
				description: "A group's custom bot (自定义机器人): send to its group only",
			},
		],
		// A released default: saved workflows from before this parameter use the app credential.
		default: 'app',
	},
	...appProperties,
	...customBotProperties,
];

/** The base set in the editor, a wiki link resolved to its app token. */
async function editorBase(
	ctx: ILoadOptionsFunctions,
	transport: PlatformTransport,
): Promise<string> {
	const params = ParamReader.forEditor(ctx, properties);
	return await resolveBase(
		{
			ctx: ctx as unknown as IExecuteFunctions,
			params,
			send: async (request, api, errors) =>
				await transport.send(request, 0, { api, errors: { ...BITABLE_ERRORS, ...errors } }),
		},
		baseOf(params),
	);
}

/** The fields of the table set in the editor (for the column mapper and the field name lists). */
async function editorFields(ctx: ILoadOptionsFunctions): Promise<BitableField[]> {
	const transport = await createFeishuTransport(ctx);
	try {
		const appToken = await editorBase(ctx, transport);
		const tableId = tableIdOf(ParamReader.forEditor(ctx, properties));
		return await listFields(
			async (request) =>
				await transport.send(request, 0, { api: 'bitableField.getAll', errors: BITABLE_ERRORS }),
			{ appToken, tableId },
		);
	} catch (error) {
		throw transport.scrub(error instanceof Error ? error : new Error(String(error)));
	}
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
			'Send Feishu / Lark (飞书) messages and cards, work with Bitable (多维表格) records, manage chats, user groups and users',
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
				name: 'feishuCustomBotApi',
				required: true,
				testedBy: 'testCustomBot',
				displayOptions: { show: { authentication: ['customBot'] } },
			},
		],
		// Send and Wait: the resume URL of a waiting execution (n8n serves it; nothing is registered on Feishu).
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
			async testCustomBot(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await testCustomBot.call(this, credential);
			},
		},
		loadOptions: {
			async getBitableFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return (await editorFields(this)).map((f) => ({ name: f.field_name, value: f.field_name }));
			},
		},
		resourceMapping: {
			async getBitableColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
				return { fields: (await editorFields(this)).map((f) => mapperField(f, false)) };
			},
			async getBitableColumnsForUpsert(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
				return { fields: (await editorFields(this)).map((f) => mapperField(f, true)) };
			},
		},
		listSearch: {
			async searchBitableTables(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				const transport = await createFeishuTransport(this);
				const appToken = await editorBase(this, transport);
				return await searchList(
					this,
					properties,
					transport,
					tableList(() => appToken),
					(t) => ({ name: String(t.name ?? t.table_id), value: String(t.table_id) }),
					filter,
					token,
					{ api: 'bitableTable.getAll', errors: BITABLE_ERRORS },
				);
			},
			async searchBitableViews(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
				const transport = await createFeishuTransport(this);
				const appToken = await editorBase(this, transport);
				const tableId = tableIdOf(ParamReader.forEditor(this, properties));
				return await searchList(
					this,
					properties,
					transport,
					{
						maxPageSize: 100,
						page: (_p, cursor, pageSize) => ({
							method: 'GET',
							path: `${tablePath(appToken, tableId)}/views`,
							qs: { page_size: pageSize, ...(cursor ? { page_token: cursor } : {}) },
						}),
						read: (r) => ({
							records: (r.items as IDataObject[] | undefined) ?? [],
							next: r.has_more === true && r.page_token ? String(r.page_token) : undefined,
						}),
					},
					(v) => ({
						name: `${String(v.view_name ?? v.view_id)} (${String(v.view_type ?? 'view')})`,
						value: String(v.view_id),
					}),
					filter,
					token,
					{ api: 'bitableView.getAll', errors: BITABLE_ERRORS },
				);
			},
			async searchUserGroups(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
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
			async searchChats(
				this: ILoadOptionsFunctions,
				filter?: string,
				token?: string,
			): Promise<INodeListSearchResult> {
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
		if (
			this.getNodeParameter('resource', 0) === 'message' &&
			this.getNodeParameter('operation', 0) === 'sendAndWait'
		) {
			return await executeSendAndWait(this, transport);
		}
		return await runItems(this, feishuResources, transport);
	}
}
