import { DINGTALK_RATE_LIMITS } from '../transport';
import type { IDataObject } from 'n8n-workflow';

import type { ParamReader } from '../../shared/params';
import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { answeredFalse, operatorUnionId } from './common';

const CONFERENCE_ERRORS = {
	orgAccessForbidden: 'The organization is not allowed to use video conferences.',
	unknownUserError: 'A unionId was not recognised as a user. Check the Union IDs.',
	paramsTitleError:
		'The conference title is invalid (at most 50 characters are kept; more than 256 fails).',
	paramsError: 'A parameter is wrong, for example the conference ID is missing.',
	resourceClose: 'The conference has already ended.',
	waterLimitError:
		'Too many participants right now (DingTalk throttles by participant count). Try again later.',
	permissionError: 'A group permission setting does not allow this.',
	missingRoomId: 'The conference ID is missing.',
	paramError: 'A parameter is invalid.',
	noPermission: 'The app has no right to read this conference.',
	roomNotFound: 'The conference was not found. Check Conference ID.',
	systemError: 'DingTalk had an internal error. Try again later.',
};

const conferenceId = {
	displayName: 'Conference ID',
	name: 'conferenceId',
	type: 'string' as const,
	required: true,
	default: '',
	description: 'ID of the conference: the conferenceId returned by Create',
};

const conferencePath = (p: ParamReader, rest = '') =>
	`/v1.0/conference/videoConferences/${p.pathId('conferenceId')}${rest}`;

/** One member row: unionId (required) and participantId (optional). */
function memberRows(p: ParamReader, name: string): IDataObject[] {
	const raw = p.raw(name, {}) as IDataObject;
	const rows = Array.isArray(raw?.member) ? (raw.member as IDataObject[]) : [];
	if (rows.length === 0) p.fail(name, 'add at least one member');
	return rows.map((row, index) => {
		const user: IDataObject = {
			unionId: p.requiredString(
				`${name}.member.unionId`,
				row.unionId,
				`Members › Union ID (member ${index + 1})`,
			),
		};
		const participantId = p.optionalString(
			`${name}.member.participantId`,
			row.participantId,
			`Members › Participant ID (member ${index + 1})`,
		);
		if (participantId !== undefined) user.participantId = participantId;
		return user;
	});
}

const membersProperty = (description: string) => ({
	displayName: 'Members',
	name: 'members',
	type: 'fixedCollection' as const,
	placeholder: 'Add Member',
	typeOptions: { multipleValues: true },
	required: true,
	default: {},
	description,
	options: [
		{
			displayName: 'Member',
			name: 'member',
			values: [
				{
					displayName: 'Union ID',
					name: 'unionId',
					type: 'string' as const,
					default: '',
					required: true,
					description: 'The unionId of the user (User › Get returns it as unionid)',
				},
				{
					displayName: 'Participant ID',
					name: 'participantId',
					type: 'string' as const,
					default: '',
					description:
						"Only this device of the user (from Get Participants). Left empty, all of the user's devices.",
				},
			],
		},
	],
});

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.create'],
	description: 'Start an instant video conference (视频会议)',
	properties: [
		operatorUnionId(
			'The unionId of the organiser (sent as userId). User › Get returns it as unionid.',
		),
		{
			displayName: 'Title',
			name: 'confTitle',
			type: 'string',
			required: true,
			default: '',
			description: 'Up to 50 characters are kept',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Invitee Union IDs',
					name: 'inviteUserIds',
					type: 'string',
					default: '',
					description: 'Comma-separated unionIds of colleagues to invite',
				},
				{
					displayName: 'Invite Organiser',
					name: 'inviteCaller',
					type: 'boolean',
					default: true,
					description: 'Whether the organiser is called into the conference',
				},
			],
		},
	],
	errors: CONFERENCE_ERRORS,
	build(p) {
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const body: Record<string, unknown> = {
			userId: p.requiredString('unionId'),
			confTitle: p.requiredString('confTitle'),
		};
		if (extra.inviteUserIds !== undefined) {
			const ids = p.stringList(
				'additionalFields.inviteUserIds',
				extra.inviteUserIds,
				'Additional Fields › Invitee Union IDs',
			);
			if (ids.length > 0) body.inviteUserIds = ids;
		}
		if (extra.inviteCaller !== undefined) body.inviteCaller = extra.inviteCaller === true;
		return { method: 'POST', path: '/v1.0/conference/videoConferences', body };
	},
	output: (response) => response,
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.get'],
	description: "Get a conference's status, times and counts",
	properties: [conferenceId],
	errors: CONFERENCE_ERRORS,
	build: (p) => ({ method: 'GET', path: conferencePath(p) }),
	output: (response) => (response.confInfo as IDataObject) ?? {},
};

const close: OperationDefinition = {
	value: 'close',
	name: 'Close',
	action: 'Close a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.close'],
	description: 'End a conference for everyone; only its host can',
	properties: [conferenceId, operatorUnionId('The unionId of the conference host')],
	errors: CONFERENCE_ERRORS,
	build: (p) => ({
		method: 'DELETE',
		path: conferencePath(p),
		qs: { unionId: p.requiredString('unionId') },
	}),
	// The answer is HTTP 200 with {code: 200, cause}; any other code is a failure.
	check: (response) =>
		Number(response.code) === 200
			? undefined
			: { code: String(response.code ?? 'unknown'), message: String(response.cause ?? '') },
	output: (_response, _request, p) => ({
		conferenceId: p.requiredString('conferenceId'),
		closed: true,
	}),
};

const kickMembers: OperationDefinition = {
	value: 'kickMembers',
	name: 'Kick Members',
	action: 'Remove members from a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.kickMembers'],
	description: 'Remove users from an ongoing video conference (视频会议)',
	properties: [
		{
			...conferenceId,
			description:
				'ID of the ongoing conference: the conferenceId returned when the video conference was created',
		},
		membersProperty('The users to remove'),
		{
			displayName: 'Forbid Rejoin',
			name: 'forbiddenRejoin',
			type: 'boolean',
			default: false,
			description: 'Whether the removed users are prevented from joining the conference again',
		},
	],
	errors: {
		...CONFERENCE_ERRORS,
		unknownUserError: "A unionId was not recognised as a user. Check the members' Union IDs.",
	},
	check: answeredFalse('success', 'The removal'),
	build(p) {
		const path = conferencePath(p, '/members/kick');
		return {
			method: 'POST',
			path,
			body: { userList: memberRows(p, 'members'), forbiddenRejoin: p.boolean('forbiddenRejoin') },
		};
	},
	output(response, request, p) {
		const body = request.body as { userList: IDataObject[]; forbiddenRejoin: boolean };
		return {
			conferenceId: p.requiredString('conferenceId'),
			kicked: body.userList,
			forbiddenRejoin: body.forbiddenRejoin,
			success: response.success === true,
		};
	},
};

const inviteUsers: OperationDefinition = {
	value: 'inviteUsers',
	name: 'Invite Users',
	action: 'Invite users to a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.inviteUsers'],
	description: 'Call users into an ongoing conference',
	properties: [
		conferenceId,
		operatorUnionId('The unionId of the inviter, shown to the invitees'),
		{
			displayName: 'Invitees',
			name: 'invitees',
			type: 'fixedCollection',
			placeholder: 'Add Invitee',
			typeOptions: { multipleValues: true },
			required: true,
			default: {},
			options: [
				{
					displayName: 'Invitee',
					name: 'invitee',
					values: [
						{
							displayName: 'Union ID',
							name: 'unionId',
							type: 'string',
							default: '',
							required: true,
							description: "The invitee's unionId",
						},
						{
							displayName: 'Name',
							name: 'nick',
							type: 'string',
							default: '',
							required: true,
							description: 'The name shown for the invitee',
						},
					],
				},
			],
		},
	],
	errors: CONFERENCE_ERRORS,
	check: answeredFalse('success', 'The invitation'),
	build(p) {
		const raw = p.raw('invitees', {}) as IDataObject;
		const rows = Array.isArray(raw?.invitee) ? (raw.invitee as IDataObject[]) : [];
		if (rows.length === 0) p.fail('invitees', 'add at least one invitee');
		const inviteeList = rows.map((row, i) => ({
			unionId: p.requiredString(
				'invitees.invitee.unionId',
				row.unionId,
				`Invitees › Union ID (invitee ${i + 1})`,
			),
			nick: p.requiredString(
				'invitees.invitee.nick',
				row.nick,
				`Invitees › Name (invitee ${i + 1})`,
			),
		}));
		return {
			method: 'POST',
			path: conferencePath(p, '/users/invite'),
			body: { unionId: p.requiredString('unionId'), inviteeList },
		};
	},
	output: (response, request, p) => ({
		conferenceId: p.requiredString('conferenceId'),
		invited: (request.body as { inviteeList: IDataObject[] }).inviteeList,
		success: response.success === true,
	}),
};

const MUTE_ACTION = {
	displayName: 'Action',
	name: 'action',
	type: 'options' as const,
	options: [
		{ name: 'Mute', value: 'mute' },
		{ name: 'Unmute', value: 'un_mute' },
	],
	default: 'mute',
};

const muteMember: OperationDefinition = {
	value: 'muteMember',
	name: 'Mute Member',
	action: 'Mute or unmute a conference member',
	lane: DINGTALK_RATE_LIMITS['videoConference.muteMember'],
	description: 'Mute or unmute one user (the API takes one user per call)',
	properties: [
		conferenceId,
		MUTE_ACTION,
		{
			displayName: 'Union ID',
			name: 'memberUnionId',
			type: 'string',
			required: true,
			default: '',
			description: 'The unionId of the user to mute or unmute',
		},
		{
			displayName: 'Participant ID',
			name: 'participantId',
			type: 'string',
			default: '',
			description:
				"Only this device of the user (from Get Participants). Left empty, all of the user's devices.",
		},
	],
	errors: CONFERENCE_ERRORS,
	check: answeredFalse('success', 'The mute change'),
	build(p) {
		const user: IDataObject = { unionId: p.requiredString('memberUnionId') };
		const participantId = p.optionalString('participantId');
		if (participantId !== undefined) user.participantId = participantId;
		return {
			method: 'POST',
			path: conferencePath(p, '/members/mute'),
			body: { action: p.choice('action', ['mute', 'un_mute']), userList: [user] },
		};
	},
	output: (response, request, p) => ({
		conferenceId: p.requiredString('conferenceId'),
		action: (request.body as IDataObject).action,
		unionId: p.requiredString('memberUnionId'),
		success: response.success === true,
	}),
};

const muteAll: OperationDefinition = {
	value: 'muteAll',
	name: 'Mute All',
	action: 'Mute or unmute everyone in a conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.muteAll'],
	description: 'Mute or unmute all participants',
	properties: [
		conferenceId,
		MUTE_ACTION,
		{
			displayName: 'Prevent Self-Unmute',
			name: 'forceMute',
			type: 'boolean',
			default: false,
			description: 'Whether participants are prevented from unmuting themselves',
			displayOptions: { show: { action: ['mute'] } },
		},
	],
	errors: CONFERENCE_ERRORS,
	check: answeredFalse('success', 'The mute change'),
	build(p) {
		const action = p.choice('action', ['mute', 'un_mute']);
		const body: Record<string, unknown> = { action };
		if (action === 'mute') body.forceMute = p.boolean('forceMute');
		return { method: 'POST', path: conferencePath(p, '/allMembers/mute'), body };
	},
	output: (response, request, p) => ({
		conferenceId: p.requiredString('conferenceId'),
		...(request.body as IDataObject),
		success: response.success === true,
	}),
};

/** GET …/{conferenceId}/members: nextToken (String) cursor; no hasMore, so an empty or repeated cursor ends it. */
const memberList: ListSpec = {
	maxPageSize: 128,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: conferencePath(p, '/members'),
		qs: { maxResults: pageSize, ...(cursor === undefined ? {} : { nextToken: cursor }) },
	}),
	read: (response) => {
		const records = (response.memberModels as IDataObject[] | undefined) ?? [];
		const next =
			response.nextToken === undefined || response.nextToken === null || response.nextToken === ''
				? undefined
				: String(response.nextToken);
		return { records, next };
	},
};

const getParticipants: OperationDefinition = {
	value: 'getParticipants',
	name: 'Get Participants',
	action: 'Get participants of a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.getParticipants'],
	description: 'List who joined a conference, with join and leave times',
	properties: [conferenceId],
	errors: CONFERENCE_ERRORS,
	list: memberList,
};

export const videoConference: ResourceDefinition = {
	value: 'videoConference',
	name: 'Video Conference',
	description: 'Video conferences (视频会议)',
	operations: [close, create, get, getParticipants, inviteUsers, kickMembers, muteAll, muteMember],
	defaultOperation: 'kickMembers',
};
