import type { INodeProperties } from 'n8n-workflow';

import type { OperationDefinition, ResourceDefinition } from './types';
import { PER_PATH } from './types';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The long tail of both APIs: any method and path, sent with the same token handling, refresh,
 * error mapping and secret scrubbing as every other operation.
 */
export function apiRequestResource(
	platform: 'DingTalk' | 'Feishu',
	placeholder: string,
	styleProperty?: INodeProperties,
): ResourceDefinition {
	const call: OperationDefinition = {
		value: 'call',
		name: 'Call',
		// The API chosen decides; under a user identity the call carries the user's token.
		actsAs: ['app', 'user'],
		action: `Call a ${platform} API`,
		// Any API: each method and path is paced as its own lane, at the platform's general limit.
		lane: PER_PATH,
		// The platform-wide meanings (added by the transport) are all a raw call can know.
		errors: {},
		description: `Send a request to any ${platform} API with this credential's token`,
		properties: [
			...(styleProperty ? [styleProperty] : []),
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: METHODS.map((m) => ({ name: m, value: m })),
				default: 'GET',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				required: true,
				default: '',
				placeholder,
				description:
					"The API path on the credential's host, starting with /. Put query parameters in Query Parameters, not in the path.",
			},
			{
				displayName: 'Query Parameters (JSON)',
				name: 'query',
				type: 'json',
				default: '{}',
				description: 'An object of query parameters',
			},
			{
				displayName: 'Body (JSON)',
				name: 'body',
				type: 'json',
				default: '',
				description: 'A JSON object sent as the request body. Left empty, no body is sent.',
				displayOptions: { hide: { method: ['GET', 'DELETE'] } },
			},
		],
		build(p) {
			const method = p.choice('method', METHODS);
			const path = p.requiredString('path');
			if (!path.startsWith('/') || /[?#\\]|\.\./.test(path)) {
				p.fail('path', 'must start with / and must not contain "?", "#", "\\" or ".."');
			}
			const qs = p.jsonObject('query');
			for (const [key, value] of Object.entries(qs ?? {})) {
				if (value !== null && typeof value === 'object')
					p.fail('query', `parameter "${key}" must be a text, number or boolean`);
			}
			const body = method === 'GET' || method === 'DELETE' ? undefined : p.jsonObject('body');
			const style = styleProperty ? p.choice('style', ['new', 'legacy'] as const) : undefined;
			return { method, path, qs: qs as never, body, style };
		},
		output: (response) => response,
	};
	return {
		value: 'apiRequest',
		name: 'API Request',
		description: 'Call any API of the platform',
		operations: [call],
		defaultOperation: 'call',
	};
}
