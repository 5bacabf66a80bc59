import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition, ResourceDefinition } from '../../shared/types';

const kickMembers: OperationDefinition = {
	value: 'kickMembers',
	name: 'Kick Members',
	action: 'Remove members from a video conference',
	description: 'Remove users from an ongoing video conference (视频会议)',
	properties: [
		{
			displayName: 'Conference ID',
			name: 'conferenceId',
			type: 'string',
			required: true,
			default: '',
			description: 'ID of the ongoing conference: the conferenceId returned when the video conference was created',
		},
		{
			displayName: 'Members',
			name: 'members',
			type: 'fixedCollection',
			placeholder: 'Add Member',
			typeOptions: { multipleValues: true },
			required: true,
			default: {},
			description: 'The users to remove',
			options: [
				{
					displayName: 'Member',
					name: 'member',
					values: [
						{
							displayName: 'Union ID',
							name: 'unionId',
							type: 'string',
							default: '',
							required: true,
							description: 'The unionId of the user to remove (from the DingTalk user details, field unionid)',
						},
						{
							displayName: 'Participant ID',
							name: 'participantId',
							type: 'string',
							default: '',
							description: 'Remove only this device of the user. Left empty, the user is removed from all devices.',
						},
					],
				},
			],
		},
		{
			displayName: 'Forbid Rejoin',
			name: 'forbiddenRejoin',
			type: 'boolean',
			default: false,
			description: 'Whether the removed users are prevented from joining the conference again',
		},
	],
	errors: {
		unknownUserError: 'A unionId was not recognised as a user. Check the members\' Union IDs.',
		paramsError: 'A parameter is wrong, for example the conference ID is missing.',
		systemError: 'DingTalk had an internal error. Try again later.',
	},
	build(p) {
		const conferenceId = p.pathId('conferenceId');
		const raw = p.raw('members', {}) as IDataObject;
		const rows = Array.isArray(raw?.member) ? (raw.member as IDataObject[]) : [];
		if (rows.length === 0) p.fail('members', 'add at least one member');
		const userList = rows.map((row, index) => {
			const user: IDataObject = {
				unionId: p.requiredString('members.member.unionId', row.unionId, `Members › Union ID (member ${index + 1})`),
			};
			const participantId = p.optionalString(
				'members.member.participantId',
				row.participantId,
				`Members › Participant ID (member ${index + 1})`,
			);
			if (participantId !== undefined) user.participantId = participantId;
			return user;
		});
		return {
			method: 'POST',
			path: `/v1.0/conference/videoConferences/${conferenceId}/members/kick`,
			body: { userList, forbiddenRejoin: p.boolean('forbiddenRejoin') },
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

export const videoConference: ResourceDefinition = {
	value: 'videoConference',
	name: 'Video Conference',
	description: 'Video conferences (视频会议)',
	operations: [kickMembers],
};
