import type { IDataObject } from 'n8n-workflow';
import type { ParamReader } from '../../../shared/params';

export const CONFERENCE_ERRORS = {
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

export const conferenceId = {
	displayName: 'Conference ID',
	name: 'conferenceId',
	type: 'string' as const,
	required: true,
	default: '',
	description: 'ID of the conference: the conferenceId returned by Create',
};

export const conferencePath = (p: ParamReader, rest = '') =>
	`/v1.0/conference/videoConferences/${p.pathId('conferenceId')}${rest}`;

/** One member row: unionId (required) and participantId (optional). */
export function memberRows(p: ParamReader, name: string): IDataObject[] {
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

export const membersProperty = (description: string) => ({
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
