import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookDescription,
} from 'n8n-workflow';

import { buildProperties, resourceOptions } from './description';
import { runItems } from './runner';
import { NOTHING_TO_REGISTER } from './triggers';
import type { PlatformTransport } from './transport';
import type { Actor, ApiContext, ResourceDefinition } from './types';

/**
 * What both action nodes share: the Authentication choice (one per identity the node can act as), a
 * Resource selector per identity, the credentials shown for each, and the hand-off of a run to the runner.
 */

/** One identity an action node can act as: a credential type, the resources it offers, its transport. */
export interface Identity {
	/** The Authentication value (a released value: saved workflows depend on it). */
	value: string;
	name: string;
	description: string;
	resources: ResourceDefinition[];
	/** The Resource selected by default (a released value, written out in the node file). */
	defaultResource: string;
	/**
	 * Whose identity its requests carry. A user identity offers only the operations whose page allows a
	 * user token (OperationDefinition.actsAs), and says so in each operation's description.
	 */
	actor?: Actor;
	transport(ctx: ApiContext): Promise<PlatformTransport>;
}

export interface ActionNode {
	/** What it can act as, in Authentication order (the catalogue test walks their operations). */
	identities: Identity[];
	properties: INodeProperties[];
	execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

const AUTHENTICATION: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [],
	default: '',
};

const RESOURCE: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [],
	default: '',
};

/**
 * The properties and execute of an action node over its identities. The first identity is the
 * Authentication default: saved workflows from before the parameter existed use it. (The node file lists
 * the credentials itself: n8n's linter and package scanner read them there.)
 */
export function actionNode(declared: Identity[]): ActionNode {
	const identities = declared.map((identity) =>
		identity.actor === 'user'
			? { ...identity, resources: asUser(identity.resources) }
			: identity.actor === 'app'
				? { ...identity, resources: asApp(identity.resources) }
				: identity,
	);
	const properties = [
		{
			...AUTHENTICATION,
			options: identities.map((i) => ({
				name: i.name,
				value: i.value,
				description: i.description,
			})),
			default: identities[0].value,
		},
		...identities.flatMap((identity) =>
			buildProperties(
				{
					...RESOURCE,
					displayOptions: { show: { authentication: [identity.value] } },
					options: resourceOptions(identity.resources),
					default: identity.defaultResource,
				},
				identity.resources,
				identity.value,
			),
		),
	];
	return {
		identities,
		properties,
		execute: async (ctx) => {
			const chosen = ctx.getNodeParameter('authentication', 0, identities[0].value) as string;
			const identity = identities.find((i) => i.value === chosen) ?? identities[0];
			return await runItems(ctx, identity.resources, await identity.transport(ctx));
		},
	};
}

/**
 * The resources and operations a user identity offers: those whose page allows a user token, each
 * description saying that it acts as the connected user. A resource's default operation stays its own when
 * offered (n8n does not save defaults), else the first one offered.
 */
function asUser(resources: ResourceDefinition[]): ResourceDefinition[] {
	return saying(resources, 'as the connected user').flatMap((resource) => {
		const operations = resource.operations.filter((o) => o.actsAs?.includes('user'));
		if (operations.length === 0) return [];
		const defaultOperation = operations.some((o) => o.value === resource.defaultOperation)
			? resource.defaultOperation
			: operations[0].value;
		return [{ ...resource, operations, defaultOperation }];
	});
}

/**
 * The resources and operations an app identity offers: all but those whose page allows a user token only
 * (actsAs without 'app', e.g. Feishu's user search), each description saying that it acts as the app.
 */
function asApp(resources: ResourceDefinition[]): ResourceDefinition[] {
	return saying(
		resources.map((resource) => ({
			...resource,
			operations: resource.operations.filter((o) => !o.actsAs || o.actsAs.includes('app')),
		})),
		'as the app',
	);
}

/** Each operation's description ends by saying whose identity it acts as. */
function saying(resources: ResourceDefinition[], actor: string): ResourceDefinition[] {
	return resources.map((resource) => ({
		...resource,
		operations: resource.operations.map((o) => ({
			...o,
			description: `${o.description} (${actor})`,
		})),
	}));
}

/**
 * Send and Wait: the resume URL of a waiting execution, GET (a button) and POST (a form). n8n serves it;
 * nothing is registered on the platform.
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = (['GET', 'POST'] as const).map(
	(httpMethod) => ({
		name: 'default',
		httpMethod,
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	}),
);

/**
 * The resume webhooks live in n8n and only while an execution waits: there is nothing to register on,
 * check with or remove from the platform.
 */
export const RESUME_WEBHOOK_METHODS = NOTHING_TO_REGISTER;
