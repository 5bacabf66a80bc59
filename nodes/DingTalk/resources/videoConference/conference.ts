import { DINGTALK_RATE_LIMITS } from '../../transport';
import type { IDataObject } from 'n8n-workflow';
import type { OperationDefinition } from '../../../shared/types';
import { operatorUnionId } from '../common';
import { CONFERENCE_ERRORS, conferenceId, conferencePath } from './common';

export const create: OperationDefinition = {
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

export const get: OperationDefinition = {
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

export const close: OperationDefinition = {
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
