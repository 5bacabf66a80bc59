/**
 * Runs our nodes through n8n-core's real execution engine (WorkflowExecute), with real node types
 * and a credentials helper that behaves like n8n's: it resolves stored credentials with their
 * defaults, runs the credential type's preAuthentication when the expirable field is empty,
 * persists what it returns, and applies the credential type's authenticate to every request.
 */
import { createReadStream } from 'fs';

import { recordRun } from './catalogue';
import { patterned } from './fixtures';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { DingTalkApi } from '../credentials/DingTalkApi.credentials';
import { DingTalkRobotApi } from '../credentials/DingTalkRobotApi.credentials';
import { FeishuApi } from '../credentials/FeishuApi.credentials';
import { FeishuCustomBotApi } from '../credentials/FeishuCustomBotApi.credentials';
import { FeishuOAuth2Api } from '../credentials/FeishuOAuth2Api.credentials';
import { DingTalk } from '../nodes/DingTalk/DingTalk.node';
import { Feishu } from '../nodes/Feishu/Feishu.node';
import { AGENT_ID, CUSTOM_ROBOTS } from './fake-api/dingtalk-im';
import { CUSTOM_BOTS } from './fake-api/feishu-im';
import { APPS } from './fake-api/server';

export const PACKAGE = 'n8n-nodes-dingtalk-feishu';

/** A source node for tests: emits the items given in its `items` parameter (a JSON array). */
class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Test Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	/** An item's `$binary` ({ property: { base64, fileName, mimeType } }) becomes n8n binary data. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const out: INodeExecutionData[] = [];
		for (const [i, { $binary, ...json }] of items.entries()) {
			const item: INodeExecutionData = { json, pairedItem: { item: i } };
			if ($binary) {
				item.binary = {};
				for (const [name, file] of Object.entries(
					$binary as Record<
						string,
						{
							base64?: string;
							pattern?: number;
							seed?: number;
							path?: string;
							fileName: string;
							mimeType: string;
						}
					>,
				)) {
					// `pattern`: that many bytes of patterned(), made here rather than carried as base64 text;
					// `path`: a file on disk, streamed into n8n's binary data (never held in memory whole).
					const bytes = file.path
						? (createReadStream(file.path) as unknown as Buffer)
						: file.pattern === undefined
							? Buffer.from(file.base64 ?? '', 'base64')
							: patterned(file.pattern, file.seed);
					item.binary[name] = await this.helpers.prepareBinaryData(
						bytes,
						file.fileName,
						file.mimeType,
					);
				}
			}
			out.push(item);
		}
		return [out];
	}
}

/**
 * What a node without pacing or retries does (the benchmark's comparison): each item is one request
 * through n8n's own `httpRequest` helper, `concurrency` at a time; a failed answer is an error item.
 */
class PlainHttp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plain HTTP',
		name: 'plainHttp',
		group: ['transform'],
		version: 1,
		description: 'One unpaced request per item',
		defaults: { name: 'Plain HTTP' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Request', name: 'request', type: 'json', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { concurrency, ok, ...request } = JSON.parse(
			this.getNodeParameter('request', 0) as string,
		) as IHttpRequestOptions & {
			concurrency: number;
			ok: 'dingTalk' | 'feishu';
		};
		const items = this.getInputData();
		const out: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (next < items.length) {
					const i = next++;
					const response = (await this.helpers.httpRequest({
						...request,
						json: true,
						ignoreHttpStatusErrors: true,
						returnFullResponse: true,
					})) as {
						statusCode: number;
						body: IDataObject;
					};
					const success =
						response.statusCode === 200 && (ok === 'dingTalk' || response.body?.code === 0);
					out[i] = {
						json: success ? response.body : { error: `HTTP ${response.statusCode}` },
						pairedItem: { item: i },
					};
				}
			}),
		);
		return [out];
	}
}

const NODE_TYPES: Record<string, INodeType> = {
	'test.items': new TestItems(),
	'test.plainHttp': new PlainHttp(),
	[`${PACKAGE}.dingTalk`]: new DingTalk(),
	[`${PACKAGE}.feishu`]: new Feishu(),
};

const nodeTypes: INodeTypes = {
	getByName: (type: string) => NODE_TYPES[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
};

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	dingTalkApi: new DingTalkApi(),
	dingTalkRobotApi: new DingTalkRobotApi(),
	feishuApi: new FeishuApi(),
	feishuCustomBotApi: new FeishuCustomBotApi(),
	feishuOAuth2Api: new FeishuOAuth2Api(),
};

/**
 * Resolves a credential's expressions (`={{$self["domain"] …}}` defaults of hidden fields) over its own
 * data, as n8n's credentials helper does when it decrypts a credential outside an execution's item.
 */
function resolveCredentialExpressions(
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const mockNode: INode = {
		id: 'mock',
		name: 'mock',
		type: 'mock',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [mockNode],
		connections: {},
		active: false,
		nodeTypes,
	});
	const { oauthTokenData, ...rest } = data;
	const resolved = workflow.expression.getComplexParameterValue(
		mockNode,
		rest as INodeParameters,
		'internal',
		{},
		undefined,
		undefined,
		rest,
	) as ICredentialDataDecryptedObject;
	return oauthTokenData === undefined ? resolved : { ...resolved, oauthTokenData };
}

/** Stored credentials, like n8n's database: id → type and data. */
export class CredentialStore {
	readonly records = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();
	updates = 0;
	/** OAuth2 token answers saved, as n8n saves a refresh (updateCredentialsOauthTokenData). */
	oauthSaves = 0;

	set(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.records.set(id, { type, data: { ...data } });
	}
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(type: string): string[] {
		return CREDENTIAL_TYPES[type]?.extends ?? [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = CREDENTIAL_TYPES[typeName];
		if (typeof type.authenticate === 'function')
			return await type.authenticate(credentials, requestOptions);
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = CREDENTIAL_TYPES[typeName];
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		// As n8n: the temporary node of a credential test always re-authenticates.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials)
			return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const merged = Object.assign(credentials, output);
		const reference = node.credentials?.[typeName];
		if (reference) await this.updateCredentials(reference, typeName, merged);
		return merged;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the engine in these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const record = this.store.records.get(nodeCredentials.id ?? '');
		if (!record || record.type !== type)
			throw new Error(`Credential ${nodeCredentials.id} of type ${type} not found`);
		const defaults: ICredentialDataDecryptedObject = {};
		for (const p of CREDENTIAL_TYPES[type].properties) defaults[p.name] = p.default as never;
		return resolveCredentialExpressions({ ...defaults, ...record.data });
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store.updates++;
		this.store.set(nodeCredentials.id ?? '', type, data);
	}

	/** As n8n: only the token answer is written over the stored credential. */
	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const record = this.store.records.get(nodeCredentials.id ?? '');
		if (!record || record.type !== type)
			throw new Error(`Credential ${nodeCredentials.id} of type ${type} not found`);
		this.store.oauthSaves++;
		this.store.set(nodeCredentials.id ?? '', type, {
			...record.data,
			oauthTokenData: data.oauthTokenData,
		});
	}

	getCredentialsProperties(type: string) {
		return CREDENTIAL_TYPES[type].properties;
	}
}

export interface RunOptions {
	/** Our nodes, or `plainHttp` (no credential: its `request` parameter carries the token). */
	node: 'dingTalk' | 'feishu' | 'plainHttp';
	parameters: IDataObject;
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** Credential id in the store; defaults to the fake's valid app. */
	credentialId?: string;
	/** The workflow's time zone (Settings › Timezone); n8n's default (America/New_York) without it. */
	timezone?: string;
}

export interface RunResult {
	/** The JSON of every output item of our node. */
	json: IDataObject[];
	items: INodeExecutionData[];
	/** The error our node threw (when Continue On Fail is off). */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

let executions = 0;

/** Every run is a new execution (its own ID), as in n8n. */
function additionalDataFor(
	helper: ICredentialsHelper,
	workflowData: IWorkflowBase,
	executionId = `exec-test-${++executions}`,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: helper,
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
		executionId,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeExecutionIndex: 0,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A DingTalk + Feishu test bench against one fake API. */
export class Bench {
	readonly store = new CredentialStore();

	constructor(readonly baseUrl: string) {
		this.store.set('ding', 'dingTalkApi', {
			...APPS.dingtalk,
			region: 'custom',
			baseUrl,
			legacyBaseUrl: baseUrl,
			agentId: String(AGENT_ID),
		});
		this.store.set('robot', 'dingTalkRobotApi', {
			webhookUrl: `${baseUrl}/robot/send?access_token=robot0001plain`,
		});
		this.store.set('robotSigned', 'dingTalkRobotApi', {
			webhookUrl: `${baseUrl}/robot/send?access_token=robot0002signed`,
			signingSecret: CUSTOM_ROBOTS.robot0002signed.secret!,
		});
		this.store.set('robotKeyword', 'dingTalkRobotApi', {
			webhookUrl: `${baseUrl}/robot/send?access_token=robot0003keyword`,
		});
		this.store.set('feishu', 'feishuApi', { ...APPS.feishu, domain: 'custom', baseUrl });
		this.store.set('bot', 'feishuCustomBotApi', {
			webhookUrl: `${baseUrl}/open-apis/bot/v2/hook/sandbox-hook-0001`,
		});
		this.store.set('botSigned', 'feishuCustomBotApi', {
			webhookUrl: `${baseUrl}/open-apis/bot/v2/hook/signed-hook-0002`,
			signingSecret: CUSTOM_BOTS['signed-hook-0002'].secret!,
		});
	}

	async run(options: RunOptions): Promise<RunResult> {
		const authentication = options.parameters.authentication;
		const [credentialType, defaultId] =
			options.node === 'dingTalk'
				? authentication === 'customRobot'
					? ['dingTalkRobotApi', 'robot']
					: ['dingTalkApi', 'ding']
				: authentication === 'customBot'
					? ['feishuCustomBotApi', 'bot']
					: authentication === 'oAuth2'
						? ['feishuOAuth2Api', 'feishuUser']
						: ['feishuApi', 'feishu'];
		const credentialId = options.credentialId ?? defaultId;
		const items = options.items ?? [{}];
		const workflowData: IWorkflowBase = {
			id: 'wf-test',
			name: 'test',
			active: false,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: [
				{
					id: 'items',
					name: 'Items',
					type: 'test.items',
					typeVersion: 1,
					position: [0, 0],
					parameters: { items: JSON.stringify(items) },
				},
				{
					id: 'subject',
					name: 'Subject',
					type: options.node === 'plainHttp' ? 'test.plainHttp' : `${PACKAGE}.${options.node}`,
					typeVersion: 1,
					position: [200, 0],
					parameters: options.parameters,
					...(options.node === 'plainHttp'
						? {}
						: { credentials: { [credentialType]: { id: credentialId, name: 'Test credential' } } }),
					...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
			],
			connections: {
				Items: { main: [[{ node: 'Subject', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
			settings: {
				executionOrder: 'v1',
				...(options.timezone ? { timezone: options.timezone } : {}),
			},
		} as unknown as IWorkflowBase;
		const workflow = new Workflow({
			id: workflowData.id,
			nodes: workflowData.nodes,
			connections: workflowData.connections,
			active: false,
			nodeTypes,
			settings: workflowData.settings,
		});
		const additionalData = additionalDataFor(new TestCredentialsHelper(this.store), workflowData);
		const execution = new WorkflowExecute(additionalData, 'manual');
		const run = await execution.run(workflow, workflow.getNode('Items')!);
		const taskData = run.data.resultData.runData.Subject?.[0];
		const outputs = taskData?.data?.main?.[0] ?? [];
		const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
		recordRun(
			options.node,
			options.parameters,
			error === undefined && outputs.some((i) => i.json.error === undefined),
		);
		return { json: outputs.map((i) => i.json), items: outputs, error, run };
	}

	/**
	 * Tests a credential the way n8n's credentials tester does: its `test.request` runs through
	 * n8n-core's RoutingNode on a temporary node (preAuthentication included), then its rules apply.
	 */
	async testCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<CredentialTestResult> {
		const credentialType = CREDENTIAL_TYPES[type];
		const test = credentialType.test!;
		const defaults: ICredentialDataDecryptedObject = {};
		for (const p of credentialType.properties) defaults[p.name] = p.default as never;
		const credentialsDecrypted = {
			id: 'under-test',
			name: 'Under test',
			type,
			data: { ...defaults, ...data },
		};
		const nodeType: INodeType = {
			description: {
				displayName: 'No Operation',
				name: 'n8n-nodes-base.noOp',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: [NodeConnectionTypes.Main],
				outputs: [NodeConnectionTypes.Main],
				credentials: [{ name: type, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: test.request },
						default: '',
					},
				],
			},
		};
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			credentials: { [type]: { id: 'under-test', name: 'Under test' } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => nodeType,
				getByNameAndVersion: () => nodeType,
				getKnownTypes: () => ({}),
			},
		});
		this.store.set('under-test', type, credentialsDecrypted.data);
		const additionalData = additionalDataFor(new TestCredentialsHelper(this.store), {
			nodes: [node],
			connections: {},
		} as unknown as IWorkflowBase);
		const context = new ExecuteContext(
			workflow,
			node,
			additionalData,
			'internal',
			{ resultData: { runData: {} } } as unknown as IRunExecutionData,
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
		} catch (error) {
			const cause = (
				error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
			).cause;
			if (cause?.response) {
				for (const rule of test.rules ?? []) {
					if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				if (cause.response.status < 199 || cause.response.status > 299) {
					return {
						status: 'Error',
						message:
							cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
					};
				}
			} else if (cause?.code) {
				return { status: 'Error', message: cause.code };
			}
			return { status: 'Error', message: String((error as Error).message) };
		}
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const json = response?.[0]?.[0]?.json ?? {};
				if (json[rule.properties.key] === rule.properties.value)
					return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}

	/**
	 * Calls a node's picker (listSearch) or option loader the way the editor does: through n8n-core's
	 * LoadOptionsContext, with the node's current parameters.
	 */
	async loadOptions(
		node: 'dingTalk' | 'feishu',
		kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
		method: string,
		parameters: IDataObject,
		filter?: string,
		paginationToken?: string,
	): Promise<unknown> {
		const [credentialType, credentialId] =
			node === 'dingTalk'
				? ['dingTalkApi', 'ding']
				: parameters.authentication === 'oAuth2'
					? ['feishuOAuth2Api', 'feishuUser']
					: ['feishuApi', 'feishu'];
		// As the editor sends them: the node's parameters with every shown default filled in.
		const description = (NODE_TYPES[`${PACKAGE}.${node}`] as INodeType).description;
		parameters = (NodeHelpers.getNodeParameters(
			description.properties,
			parameters as INodeParameters,
			true,
			false,
			null,
			description,
		) ?? parameters) as IDataObject;
		const subject: INode = {
			id: 'subject',
			name: 'Subject',
			type: `${PACKAGE}.${node}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INodeParameters,
			credentials: {
				[credentialType]: { id: credentialId, name: 'Test credential' },
			},
		};
		const workflow = new Workflow({ nodes: [subject], connections: {}, active: false, nodeTypes });
		const additionalData = additionalDataFor(new TestCredentialsHelper(this.store), {
			nodes: [subject],
			connections: {},
		} as unknown as IWorkflowBase);
		(additionalData as { currentNodeParameters?: IDataObject }).currentNodeParameters = parameters;
		const context = new LoadOptionsContext(workflow, subject, additionalData, 'parameters');
		const methods = (
			NODE_TYPES[`${PACKAGE}.${node}`] as unknown as {
				methods: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
			}
		).methods;
		return await methods[kind][method].call(context, filter, paginationToken);
	}
}
