/**
 * What the API documents say each endpoint accepts. The fake server checks every request
 * against these and records any deviation as a violation (which fails the test).
 * Sources: ../shared/api-docs/ and the platforms' published references.
 */

export type FieldType = 'string' | 'integer' | 'boolean' | 'array' | 'object' | 'digits';

export interface FieldSpec {
	type: FieldType;
	required?: boolean;
	/** For arrays of objects: the fields of each element. */
	items?: Record<string, FieldSpec>;
}

/** How the request must carry its access token. */
export type AuthStyle = 'dingtalkHeader' | 'dingtalkQuery' | 'feishuBearer' | 'none';

export interface RouteSpec {
	/** A stable name for tests: platform.resource.operation */
	key: string;
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Path with {param} placeholders. */
	path: string;
	pathParams?: Record<string, FieldType>;
	auth: AuthStyle;
	query?: Record<string, FieldSpec>;
	/** undefined: the request has no body. */
	body?: Record<string, FieldSpec>;
}

export const ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.token',
		method: 'POST',
		path: '/v1.0/oauth2/accessToken',
		auth: 'none',
		body: { appKey: { type: 'string', required: true }, appSecret: { type: 'string', required: true } },
	},
	{
		key: 'dingtalk.meetingRoomGroup.create',
		method: 'POST',
		path: '/v1.0/rooms/groups',
		auth: 'dingtalkHeader',
		body: {
			unionId: { type: 'string', required: true },
			groupName: { type: 'string' },
			parentGroupId: { type: 'integer', required: true },
		},
	},
	{
		key: 'dingtalk.meetingRoomGroup.delete',
		method: 'DELETE',
		path: '/v1.0/rooms/groups/{groupId}',
		pathParams: { groupId: 'digits' },
		auth: 'dingtalkHeader',
		query: { unionId: { type: 'string', required: true } },
	},
	{
		key: 'dingtalk.videoConference.kickMembers',
		method: 'POST',
		path: '/v1.0/conference/videoConferences/{conferenceId}/members/kick',
		pathParams: { conferenceId: 'string' },
		auth: 'dingtalkHeader',
		body: {
			userList: {
				type: 'array',
				required: true,
				items: { unionId: { type: 'string', required: true }, participantId: { type: 'string' } },
			},
			forbiddenRejoin: { type: 'boolean' },
		},
	},
	{
		key: 'dingtalk.role.delete',
		method: 'POST',
		path: '/topapi/role/deleterole',
		auth: 'dingtalkQuery',
		body: { role_id: { type: 'integer', required: true } },
	},
	{
		key: 'feishu.token',
		method: 'POST',
		path: '/open-apis/auth/v3/tenant_access_token/internal',
		auth: 'none',
		body: { app_id: { type: 'string', required: true }, app_secret: { type: 'string', required: true } },
	},
	{
		key: 'feishu.userGroup.delete',
		method: 'DELETE',
		path: '/open-apis/contact/v3/group/{group_id}',
		pathParams: { group_id: 'string' },
		auth: 'feishuBearer',
	},
];

/** Matches a concrete path to a route; returns the decoded path parameters. */
export function matchRoute(method: string, path: string): { route: RouteSpec; params: Record<string, string> } | undefined {
	for (const route of ROUTES) {
		if (route.method !== method) continue;
		const names: string[] = [];
		const pattern = new RegExp(
			'^' +
				route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
					names.push(name);
					return '([^/]+)';
				}) +
				'$',
		);
		const m = pattern.exec(path);
		if (!m) continue;
		const params: Record<string, string> = {};
		names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
		return { route, params };
	}
	return undefined;
}

function typeOf(value: unknown): string {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

/** Checks a JSON value against field specs; returns human-readable deviations. */
export function checkFields(where: string, value: unknown, fields: Record<string, FieldSpec>): string[] {
	const problems: string[] = [];
	if (typeOf(value) !== 'object') return [`${where} must be a JSON object, got ${typeOf(value)}`];
	const object = value as Record<string, unknown>;
	for (const key of Object.keys(object)) {
		if (!(key in fields)) problems.push(`${where} has undocumented field "${key}"`);
	}
	for (const [name, spec] of Object.entries(fields)) {
		const v = object[name];
		if (v === undefined) {
			if (spec.required) problems.push(`${where} is missing required field "${name}"`);
			continue;
		}
		const actual = typeOf(v);
		if (spec.type === 'digits') {
			if (typeof v !== 'string' || !/^\d+$/.test(v)) problems.push(`${where}.${name} must be a digit string`);
		} else if (actual !== spec.type) {
			problems.push(`${where}.${name} must be JSON ${spec.type}, got ${actual}`);
		} else if (spec.type === 'string' && (v as string).length === 0 && spec.required) {
			problems.push(`${where}.${name} must not be empty`);
		}
		if (spec.type === 'array' && spec.items && Array.isArray(v)) {
			if (spec.required && v.length === 0) problems.push(`${where}.${name} must not be empty`);
			v.forEach((element, i) => problems.push(...checkFields(`${where}.${name}[${i}]`, element, spec.items!)));
		}
	}
	return problems;
}

export function checkScalar(where: string, value: string, type: FieldType): string[] {
	if (type === 'digits' || type === 'integer') return /^-?\d+$/.test(value) ? [] : [`${where} must be an integer, got "${value}"`];
	if (type === 'boolean') return value === 'true' || value === 'false' ? [] : [`${where} must be a boolean, got "${value}"`];
	return value.length > 0 ? [] : [`${where} must not be empty`];
}
