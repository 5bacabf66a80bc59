import { DINGTALK_RATE_LIMITS } from '../../transport';
import type { IDataObject } from 'n8n-workflow';
import type { ListSpec, OperationDefinition } from '../../../shared/types';
import { answeredFalse, operatorUnionId } from '../common';
import {
	CONFERENCE_ERRORS,
	conferenceId,
	conferencePath,
	memberRows,
	membersProperty,
} from './common';

export const kickMembers: OperationDefinition = {
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

export const inviteUsers: OperationDefinition = {
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

export const muteMember: OperationDefinition = {
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

export const muteAll: OperationDefinition = {
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

export const getParticipants: OperationDefinition = {
	value: 'getParticipants',
	name: 'Get Participants',
	action: 'Get participants of a video conference',
	lane: DINGTALK_RATE_LIMITS['videoConference.getParticipants'],
	description: 'List who joined a conference, with join and leave times',
	properties: [conferenceId],
	errors: CONFERENCE_ERRORS,
	list: memberList,
};
