import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listProperties, locator } from '../../shared/description';
import { lookup } from '../../shared/lookup';
import type { ParamReader } from '../../shared/params';
import { dateOf, givenTexts, instantOf, rangeFields, rangeOf, zoneOf } from '../../shared/time';
import type {
	ApiRequest,
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../shared/types';
import { FEISHU_RATE_LIMITS } from '../transport';
import { checkIdKinds, clientToken, feishuPage, ID_TYPES, idType } from './common';

/**
 * Calendars and their events (日历, Calendar v4; docs/research/calendar-tasks.md §1). With the App
 * authentication the calendars are the app's (its bot's primary calendar, and calendars shared with it);
 * with User (OAuth2) the user's. Every page accepts both tokens and states level 4.
 */

const CALENDAR = '/open-apis/calendar/v4/calendars';

/** The codes every calendar page lists, and the calendar's (docs/research/calendar-tasks.md §1.6). */
const BASE_ERRORS = {
	'190002':
		'A parameter is invalid: a field name or type, a missing scope, or the calendar or event was deleted.',
	'190003': 'Feishu had an internal error in the calendar service.',
	'190004': 'Too many calls of this API: slow down and try again.',
	'190005': 'Too many calendar calls from this app: slow down and try again.',
	'190006': 'The App ID and App Secret belong to another tenant.',
	'190007':
		"The app's bot is not enabled: turn on the bot capability (机器人) to use calendars as the app.",
	'190010': 'The calendar is busy with another change: try again.',
	'191000': 'The calendar does not exist: check the Calendar ID.',
	'191001': 'The Calendar ID is not valid.',
	'191002':
		'The identity has no access to this calendar: share it with the app (or the user) as a writer or owner.',
	'191003': 'The calendar was deleted.',
	'191004': 'This API does not work on this kind of calendar (only primary and shared ones).',
	'195100': 'A user has left the tenant or is not in it.',
};
const EVENT_ERRORS = {
	...BASE_ERRORS,
	'190011': "The tenant's encryption key was deleted: the data cannot be read.",
	'190012': "The tenant's decryption key was deleted: the data cannot be read.",
	'190013': "Feishu's risk control refused the content.",
	'190014': 'A parameter is invalid: see the details.',
	'193000': 'The Event ID is not valid.',
	'193001': 'The event does not exist: check the Event ID.',
	'193002': 'No permission on this event: it needs edit rights on the calendar and the event.',
	'193003': 'The event was deleted.',
	'193101':
		'The organiser is the bot: assign_hosts cannot be set and attendees must be allowed to start the meeting.',
	'193102': 'Only an organiser who is not a bot can set hosts.',
	'195112': 'The meeting password must be 4 to 9 digits.',
	'195113': 'Only the organiser can set the meeting password.',
};
const ATTENDEE_ERRORS = {
	...EVENT_ERRORS,
	'194000': 'The attendee does not exist.',
	'194001': 'No permission to list the attendees.',
	'194002': 'No permission to add attendees: only the organiser (or attendees allowed to invite).',
	'194003': 'No permission to remove attendees: only the organiser.',
	'194004': 'The attendee type is not valid.',
};
const VIEW_ERRORS = {
	...EVENT_ERRORS,
	'190008': 'The page or sync token expired: run again.',
	'193103': 'The time range is longer than the API allows.',
	'193104': 'More than 1,000 events in the range: use a shorter one.',
};

export const calendarLocator: INodeProperties = {
	...locator({
		name: 'calendarId',
		displayName: 'Calendar',
		description:
			"The calendar. From List shows the calendars the identity has (Primary: the app's own, or the user's); By ID takes a calendar_id (feishu.cn_…@group.calendar.feishu.cn), which Calendar › Get Many outputs.",
		searchListMethod: 'searchCalendars',
		placeholder: 'feishu.cn_xxxxxxxxxx@group.calendar.feishu.cn',
	}),
};

const PRIMARY = 'primary';
const primaries = new WeakMap<object, Map<string, Promise<string>>>();

/** The calendar's ID: "primary" (From List) is the identity's primary calendar, asked for once per run. */
async function calendarIdOf(step: OperationStep): Promise<string> {
	const given = step.params.pathId('calendarId');
	if (given !== PRIMARY) return given;
	return await lookup(primaries, step.ctx, PRIMARY, step.itemIndex, async () => {
		const answer = await step.send(
			{ method: 'POST', path: `${CALENDAR}/primary`, idempotent: true },
			FEISHU_RATE_LIMITS['calendar.getAll'],
			BASE_ERRORS,
		);
		const first = ((answer.calendars as IDataObject[] | undefined) ?? [])[0]?.calendar as
			IDataObject | undefined;
		if (typeof first?.calendar_id !== 'string')
			return step.params.fail('calendarId', 'Feishu answered no primary calendar');
		return encodeURIComponent(first.calendar_id);
	});
}

/** GET /calendars: 50 to 1,000 a page (the page's minimum is 50). */
export const calendarList: ListSpec = {
	maxPageSize: 1000,
	page: (_p, cursor, pageSize) => ({
		method: 'GET',
		path: CALENDAR,
		qs: { page_size: Math.max(50, pageSize), ...(cursor ? { page_token: cursor } : {}) },
	}),
	read: (response) => feishuPage(response, 'calendar_list'),
};

const getAllCalendars: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many calendars',
	lane: FEISHU_RATE_LIMITS['calendar.getAll'],
	description:
		"List the identity's calendars: its primary calendar and those shared with it (needs calendar:calendar:readonly)",
	properties: [],
	errors: { ...BASE_ERRORS, '190008': 'The page token expired: run again.' },
	list: calendarList,
};

const timeFields = (what: string): INodeProperties[] => [
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '',
		description: `When the ${what} starts: a date and time, ISO text (without an offset: in Time Zone), or milliseconds. For an all-day ${what}, its first day.`,
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '',
		description: `When the ${what} ends. For an all-day ${what}, its last day (the day itself, as Feishu shows it).`,
	},
	{
		displayName: 'All Day',
		name: 'allDay',
		type: 'boolean',
		default: false,
		description: 'Whether it is an all-day event: Start and End are dates, not times',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Asia/Shanghai',
		description:
			"The event's IANA time zone. Empty: the workflow's time zone. Times without an offset are read in it.",
	},
];

/** start_time and end_time as the create page documents them: {timestamp, timezone} or {date}. */
function times(step: OperationStep): { start_time: IDataObject; end_time: IDataObject } {
	const p = step.params;
	const zone = zoneOf(p, 'timeZone', step.ctx.getTimezone(), 'Time Zone');
	if (p.boolean('allDay', false)) {
		const start = dateOf(p, 'start', zone, 'Start');
		const end = dateOf(p, 'end', zone, 'End');
		if (end < start) p.fail('end', `is before Start (${start})`, 'End');
		// "全天日程的时区固定为UTC+0".
		return { start_time: { date: start }, end_time: { date: end } };
	}
	const start = instantOf(p, 'start', zone, 'Start');
	const end = instantOf(p, 'end', zone, 'End');
	if (end <= start) p.fail('end', 'is not after Start', 'End');
	return {
		start_time: { timestamp: String(Math.floor(start / 1000)), timezone: zone },
		end_time: { timestamp: String(Math.floor(end / 1000)), timezone: zone },
	};
}

const attendeeFields: INodeProperties[] = [
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		default: '',
		placeholder: 'ou_7d8a6e6df7621556ce0d21922b676706ccs',
		description:
			'Users to invite, separated by commas, of the User ID Type below (User › Get Many lists a department’s users)',
	},
	{
		displayName: 'Chat IDs',
		name: 'chatIds',
		type: 'string',
		default: '',
		placeholder: 'oc_a0553eda9014c201e6969b478895c230',
		description:
			'Group chats whose members are invited, separated by commas (Chat › Get Many lists them)',
	},
	{
		displayName: 'Room IDs',
		name: 'roomIds',
		type: 'string',
		default: '',
		placeholder: 'omm_eada1d61a550955240c28757e7dec3af',
		description: 'Meeting rooms to book, separated by commas (booked asynchronously by Feishu)',
	},
	idType('userIdType', 'User ID Type', 'The kind of ID given in User IDs'),
];

/** The attendees of the item, as the attendee API documents them. */
function attendeesOf(p: ParamReader): IDataObject[] {
	const { users, rooms } = usersAndRooms(p);
	const chats = p.stringList('chatIds');
	checkIdKinds(p, 'chatIds', chats, 'chat_id');
	return [
		...users.map((user_id) => ({ type: 'user', user_id })),
		...chats.map((chat_id) => ({ type: 'chat', chat_id })),
		...rooms.map((room_id) => ({ type: 'resource', room_id })),
	];
}

/** User IDs (of the User ID Type) and room IDs, an ID plainly of another kind refused. */
function usersAndRooms(p: ParamReader): { users: string[]; rooms: string[] } {
	const users = p.stringList('userIds');
	checkIdKinds(p, 'userIds', users, p.choice('userIdType', ID_TYPES, 'open_id'), 'userIdType');
	const rooms = p.stringList('roomIds');
	checkIdKinds(p, 'roomIds', rooms, 'room_id');
	return { users, rooms };
}

/** "一次最多添加 1000 个参与人（含会议室）, 会议室最多 100 个". */
const ATTENDEES_PER_CALL = 1000;
const ROOMS_PER_CALL = 100;

/** Adds attendees in calls of at most 1,000 (100 rooms). Adding someone already invited changes nothing. */
async function addAttendees(
	step: OperationStep,
	calendarId: string,
	eventId: string,
	attendees: IDataObject[],
	notify: boolean,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const chunks: IDataObject[][] = [];
	let current: IDataObject[] = [];
	let rooms = 0;
	for (const a of attendees) {
		const room = a.type === 'resource';
		if (current.length >= ATTENDEES_PER_CALL || (room && rooms >= ROOMS_PER_CALL)) {
			chunks.push(current);
			current = [];
			rooms = 0;
		}
		current.push(a);
		if (room) rooms++;
	}
	if (current.length > 0) chunks.push(current);
	for (const chunk of chunks) {
		const answer = await step.send(
			{
				method: 'POST',
				path: `${CALENDAR}/${calendarId}/events/${eventId}/attendees`,
				qs: { user_id_type: step.params.choice('userIdType', ID_TYPES, 'open_id') },
				body: { attendees: chunk, need_notification: notify },
				idempotent: true,
			},
			FEISHU_RATE_LIMITS['calendarEvent.addAttendees'],
			ATTENDEE_ERRORS,
		);
		out.push(...((answer.attendees as IDataObject[] | undefined) ?? []));
	}
	return out;
}

/** An event for the next node: start and end as ISO text in UTC (all-day: the dates), Raw adds Feishu's. */
function eventOut(event: IDataObject, p: ParamReader, attendees?: IDataObject[]): IDataObject {
	const at = (t: unknown) => {
		const time = (t ?? {}) as IDataObject;
		if (typeof time.date === 'string') return time.date;
		const seconds = Number(time.timestamp);
		return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
	};
	const start = (event.start_time ?? {}) as IDataObject;
	return {
		event_id: event.event_id,
		summary: event.summary,
		start: at(event.start_time),
		end: at(event.end_time),
		allDay: typeof start.date === 'string',
		timeZone: start.timezone,
		...(event.description !== undefined ? { description: event.description } : {}),
		...(event.recurrence ? { recurrence: event.recurrence } : {}),
		...(event.recurring_event_id ? { recurring_event_id: event.recurring_event_id } : {}),
		...(event.status !== undefined ? { status: event.status } : {}),
		...(event.vchat !== undefined ? { vchat: event.vchat } : {}),
		...(event.location !== undefined ? { location: event.location } : {}),
		...(event.organizer_calendar_id !== undefined
			? { organizer_calendar_id: event.organizer_calendar_id }
			: {}),
		...(event.app_link !== undefined ? { app_link: event.app_link } : {}),
		...(attendees ? { attendees } : event.attendees ? { attendees: event.attendees } : {}),
		...(p.boolean('options.raw', false) ? { raw: event } : {}),
	};
}

const RAW_OPTION: INodeProperties = {
	displayName: 'Raw',
	name: 'raw',
	type: 'boolean',
	default: false,
	description:
		'Whether the output also has the event as Feishu answered it (raw), with its timestamps',
};

const createEvent: OperationDefinition = {
	value: 'create',
	actsAs: ['app', 'user'],
	name: 'Create',
	action: 'Create a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.create'],
	description:
		'Create an event with attendees, reminders, a recurrence and a Feishu video meeting (needs calendar:calendar)',
	properties: [
		calendarLocator,
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			required: true,
			default: '',
			description: "The event's title (up to 1,000 characters)",
		},
		...timeFields('event'),
		...attendeeFields,
		{
			displayName: 'Video Meeting',
			name: 'videoMeeting',
			type: 'options',
			options: [
				{
					name: 'Feishu Video Meeting',
					value: 'vc',
					description: 'A Feishu meeting link on the event (视频会议)',
				},
				{ name: 'None', value: 'no_meeting' },
				{
					name: 'Other Meeting Link',
					value: 'third_party',
					description: 'A link to another meeting service',
				},
			],
			default: 'vc',
		},
		{
			displayName: 'Meeting URL',
			name: 'meetingUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://meet.example.com/abc',
			displayOptions: { show: { videoMeeting: ['third_party'] } },
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Attendee Ability',
					name: 'attendeeAbility',
					type: 'options',
					options: [
						{ name: 'None', value: 'none' },
						{ name: 'See Other Attendees', value: 'can_see_others' },
						{ name: 'Invite Others', value: 'can_invite_others' },
						{ name: 'Modify the Event', value: 'can_modify_event' },
					],
					default: 'none',
				},
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
				},
				{ displayName: 'Location', name: 'location', type: 'string', default: '' },
				{
					displayName: 'Notify Attendees',
					name: 'notify',
					type: 'boolean',
					default: true,
					description: 'Whether the attendees get a notification from the bot',
				},
				{
					displayName: 'Recurrence',
					name: 'recurrence',
					type: 'string',
					default: '',
					placeholder: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
					description:
						'An RFC 5545 RRULE (COUNT and UNTIL not both), as Feishu documents it: FREQ=DAILY;INTERVAL=1;COUNT=5',
				},
				{
					displayName: 'Reminders (Minutes Before)',
					name: 'reminders',
					type: 'string',
					default: '',
					placeholder: '15, 60',
					description:
						'Minutes before the start, separated by commas (-20,160 to 20,160). Feishu applies them to the identity that creates the event only.',
				},
				{
					displayName: 'Visibility',
					name: 'visibility',
					type: 'options',
					options: [
						{ name: 'Default', value: 'default' },
						{ name: 'Public', value: 'public' },
						{ name: 'Private', value: 'private' },
					],
					default: 'default',
				},
			],
		},
	],
	extraOptions: [RAW_OPTION],
	errors: { ...ATTENDEE_ERRORS },
	async run(step) {
		const p = step.params;
		const summary = p.requiredString('summary');
		if (summary.length > 1000) p.fail('summary', 'is longer than 1,000 characters');
		const when = times(step);
		const attendees = attendeesOf(p);
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const reminders = p
			.stringList('additionalFields.reminders', extra.reminders, 'Additional Fields › Reminders')
			.map((m) => {
				const minutes = Number(m);
				if (!Number.isInteger(minutes) || minutes < -20160 || minutes > 20160)
					p.fail(
						'additionalFields.reminders',
						`"${m}" is not a number of minutes from -20,160 to 20,160`,
						'Additional Fields › Reminders',
					);
				return { minutes };
			});
		const recurrence = p.optionalString(
			'additionalFields.recurrence',
			extra.recurrence,
			'Additional Fields › Recurrence',
		);
		if (recurrence && /COUNT=/i.test(recurrence) && /UNTIL=/i.test(recurrence))
			p.fail(
				'additionalFields.recurrence',
				'has both COUNT and UNTIL',
				'Additional Fields › Recurrence',
			);
		const meeting = p.choice('videoMeeting', ['vc', 'no_meeting', 'third_party'] as const, 'vc');
		const vchat: IDataObject =
			meeting === 'third_party'
				? { vc_type: 'third_party', meeting_url: p.requiredString('meetingUrl') }
				: { vc_type: meeting };
		const description = p.optionalString(
			'additionalFields.description',
			extra.description,
			'Additional Fields › Description',
		);
		const location = p.optionalString(
			'additionalFields.location',
			extra.location,
			'Additional Fields › Location',
		);
		const notify = p.boolean('additionalFields.notify', true);
		const calendarId = await calendarIdOf(step);
		// The create page's idempotency_key (32–128 characters, per app and calendar): a lost answer is
		// sent again with it, and Feishu creates the event once.
		const key = clientToken(p, 'calendarEvent.create');
		const request: ApiRequest = {
			method: 'POST',
			path: `${CALENDAR}/${calendarId}/events`,
			qs: { idempotency_key: key },
			idempotencyKey: key,
			body: {
				summary,
				...(description ? { description } : {}),
				...when,
				vchat,
				need_notification: notify,
				visibility: p.choice(
					'additionalFields.visibility',
					['default', 'public', 'private'],
					'default',
				),
				attendee_ability: p.choice(
					'additionalFields.attendeeAbility',
					['none', 'can_see_others', 'can_invite_others', 'can_modify_event'],
					'none',
				),
				...(location ? { location: { name: location } } : {}),
				...(reminders.length > 0 ? { reminders } : {}),
				...(recurrence ? { recurrence } : {}),
			},
		};
		const answer = await step.send(request);
		const event = (answer.event ?? {}) as IDataObject;
		const eventId = encodeURIComponent(String(event.event_id));
		// The create page adds no attendees: the attendee API does, after it.
		const added =
			attendees.length > 0
				? await addAttendees(step, calendarId, eventId, attendees, notify)
				: undefined;
		return [{ json: eventOut(event, p, added) }];
	},
};

const eventIdField: INodeProperties = {
	displayName: 'Event ID',
	name: 'eventId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '75d28f9b-e35c-4230-8a83-4a661497db54_0',
	description: 'The event_id that Create and Get Many output',
};

const getEvent: OperationDefinition = {
	value: 'get',
	actsAs: ['app', 'user'],
	name: 'Get',
	action: 'Get a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.get'],
	description: 'Get an event with its attendees (the first 100)',
	properties: [
		calendarLocator,
		eventIdField,
		idType('userIdType', 'User ID Type', 'The kind of ID the attendees are returned as'),
	],
	extraOptions: [RAW_OPTION],
	errors: { ...EVENT_ERRORS, '194001': ATTENDEE_ERRORS['194001'] },
	async run(step) {
		const p = step.params;
		const calendarId = await calendarIdOf(step);
		const answer = await step.send({
			method: 'GET',
			path: `${CALENDAR}/${calendarId}/events/${p.pathId('eventId')}`,
			qs: {
				need_attendee: true,
				max_attendee_num: 100,
				user_id_type: p.choice('userIdType', ID_TYPES, 'open_id'),
			},
		});
		return [{ json: eventOut((answer.event ?? {}) as IDataObject, p) }];
	},
};

/** instance_view answers a range "under 40 days": the node walks longer ranges in windows of 39 days. */
const WINDOW_MS = 39 * 24 * 3600 * 1000;

const getAllEvents: OperationDefinition = {
	value: 'getAll',
	actsAs: ['app', 'user'],
	name: 'Get Many',
	action: 'Get many calendar events',
	lane: FEISHU_RATE_LIMITS['calendarEvent.getAll'],
	description:
		"List a calendar's events in a time range, recurring events expanded into their instances (instance_view, in windows of 39 days)",
	properties: [calendarLocator, ...rangeFields(), ...listProperties()],
	extraOptions: [RAW_OPTION],
	errors: VIEW_ERRORS,
	async run(step) {
		const p = step.params;
		const { after, before } = rangeOf(p, step.ctx.getTimezone());
		const limit = p.boolean('returnAll', false) ? Infinity : p.integer('limit', 50, 1);
		const calendarId = await calendarIdOf(step);
		const out: IDataObject[] = [];
		for (let from = after; from < before && out.length < limit; from += WINDOW_MS) {
			const to = Math.min(before, from + WINDOW_MS);
			const answer = await step.send({
				method: 'GET',
				path: `${CALENDAR}/${calendarId}/events/instance_view`,
				qs: {
					start_time: String(Math.floor(from / 1000)),
					end_time: String(Math.floor(to / 1000)),
				},
			});
			for (const event of (answer.items as IDataObject[] | undefined) ?? []) {
				if (out.length >= limit) break;
				out.push(eventOut(event, p));
			}
		}
		return out.map((json) => ({ json }));
	},
};

const deleteEvent: OperationDefinition = {
	value: 'delete',
	actsAs: ['app', 'user'],
	name: 'Delete',
	action: 'Delete a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.delete'],
	description: 'Delete an event the identity organises',
	properties: [
		calendarLocator,
		eventIdField,
		{
			displayName: 'Notify Attendees',
			name: 'notify',
			type: 'boolean',
			default: true,
			description: 'Whether the attendees are told that the event was cancelled',
		},
	],
	errors: EVENT_ERRORS,
	async run(step) {
		const p = step.params;
		const calendarId = await calendarIdOf(step);
		const eventId = p.pathId('eventId');
		// A repeated delete would be answered "deleted" (193003): a lost answer is not sent again.
		await step.send({
			method: 'DELETE',
			path: `${CALENDAR}/${calendarId}/events/${eventId}`,
			qs: { need_notification: p.boolean('notify', true) },
			idempotent: false,
		});
		return [{ json: { event_id: p.requiredString('eventId'), deleted: true } }];
	},
};

const updateEvent: OperationDefinition = {
	value: 'update',
	actsAs: ['app', 'user'],
	name: 'Update',
	action: 'Update a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.update'],
	description:
		'Change an event the identity organises: only the fields given change (Start and End together)',
	properties: [
		calendarLocator,
		eventIdField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'All Day', name: 'allDay', type: 'boolean', default: false },
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
				},
				{
					displayName: 'End',
					name: 'end',
					type: 'dateTime',
					default: '',
					description: 'With Start: Feishu changes the times only when both are given',
				},
				{ displayName: 'Location', name: 'location', type: 'string', default: '' },
				{
					displayName: 'Recurrence',
					name: 'recurrence',
					type: 'string',
					default: '',
					placeholder: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
				},
				{
					displayName: 'Start',
					name: 'start',
					type: 'dateTime',
					default: '',
					description: 'With End: Feishu changes the times only when both are given',
				},
				{ displayName: 'Summary', name: 'summary', type: 'string', default: '' },
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: 'Asia/Shanghai',
					description: "The time zone of Start and End. Empty: the workflow's.",
				},
			],
		},
	],
	extraOptions: [RAW_OPTION],
	errors: EVENT_ERRORS,
	async run(step) {
		const p = step.params;
		const fields = (p.raw('updateFields', {}) ?? {}) as IDataObject;
		const texts = givenTexts(p, ['summary', 'description', 'location', 'recurrence']);
		const body: IDataObject = {};
		if (texts.summary !== undefined) body.summary = texts.summary;
		if (texts.description !== undefined) body.description = texts.description;
		if (texts.location !== undefined) body.location = { name: texts.location };
		if (texts.recurrence !== undefined) {
			if (/COUNT=/i.test(texts.recurrence) && /UNTIL=/i.test(texts.recurrence))
				p.fail('updateFields.recurrence', 'has both COUNT and UNTIL', 'Update Fields › Recurrence');
			body.recurrence = texts.recurrence;
		}
		const hasStart = fields.start !== undefined && fields.start !== '';
		const hasEnd = fields.end !== undefined && fields.end !== '';
		if (hasStart !== hasEnd)
			p.fail(
				hasStart ? 'updateFields.end' : 'updateFields.start',
				'is needed too: Feishu changes the times only when Start and End are both given',
				hasStart ? 'Update Fields › End' : 'Update Fields › Start',
			);
		if (hasStart) {
			const zone = zoneOf(
				p,
				'updateFields.timeZone',
				step.ctx.getTimezone(),
				'Update Fields › Time Zone',
			);
			if (p.boolean('updateFields.allDay', false)) {
				const start = dateOf(p, 'updateFields.start', zone, 'Update Fields › Start');
				const end = dateOf(p, 'updateFields.end', zone, 'Update Fields › End');
				if (end < start)
					p.fail('updateFields.end', `is before Start (${start})`, 'Update Fields › End');
				body.start_time = { date: start };
				body.end_time = { date: end };
			} else {
				const start = instantOf(p, 'updateFields.start', zone, 'Update Fields › Start');
				const end = instantOf(p, 'updateFields.end', zone, 'Update Fields › End');
				if (end <= start) p.fail('updateFields.end', 'is not after Start', 'Update Fields › End');
				body.start_time = { timestamp: String(Math.floor(start / 1000)), timezone: zone };
				body.end_time = { timestamp: String(Math.floor(end / 1000)), timezone: zone };
			}
		}
		if (Object.keys(body).length === 0) p.fail('updateFields', 'add at least one field to update');
		const calendarId = await calendarIdOf(step);
		// The same fields sent again leave the same event: a lost answer is sent again.
		const answer = await step.send({
			method: 'PATCH',
			path: `${CALENDAR}/${calendarId}/events/${p.pathId('eventId')}`,
			body,
			idempotent: true,
		});
		return [{ json: eventOut((answer.event ?? {}) as IDataObject, p) }];
	},
};

const addEventAttendees: OperationDefinition = {
	value: 'addAttendees',
	actsAs: ['app', 'user'],
	name: 'Add Attendees',
	action: 'Add attendees to a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.addAttendees'],
	description:
		'Invite users, the members of group chats, and meeting rooms (1,000 a call, 100 rooms)',
	properties: [
		calendarLocator,
		eventIdField,
		...attendeeFields,
		{
			displayName: 'Notify Attendees',
			name: 'notify',
			type: 'boolean',
			default: true,
			description: 'Whether the new attendees get a notification from the bot',
		},
	],
	errors: ATTENDEE_ERRORS,
	async run(step) {
		const p = step.params;
		const attendees = attendeesOf(p);
		if (attendees.length === 0) p.fail('userIds', 'give at least one user, chat or room');
		const calendarId = await calendarIdOf(step);
		const added = await addAttendees(
			step,
			calendarId,
			p.pathId('eventId'),
			attendees,
			p.boolean('notify', true),
		);
		return [{ json: { event_id: p.requiredString('eventId'), attendees: added } }];
	},
};

/** "一次最多删除 500 个参与人". */
const REMOVALS_PER_CALL = 500;

const removeEventAttendees: OperationDefinition = {
	value: 'removeAttendees',
	actsAs: ['app', 'user'],
	name: 'Remove Attendees',
	action: 'Remove attendees from a calendar event',
	lane: FEISHU_RATE_LIMITS['calendarEvent.removeAttendees'],
	description:
		'Remove users, group chats or meeting rooms from an event the identity organises (500 a call)',
	properties: [
		calendarLocator,
		eventIdField,
		...attendeeFields,
		{
			displayName: 'Notify Attendees',
			name: 'notify',
			type: 'boolean',
			default: true,
			description: 'Whether the removed attendees are told',
		},
	],
	errors: ATTENDEE_ERRORS,
	async run(step) {
		const p = step.params;
		const removed = attendeesOf(p);
		if (removed.length === 0) p.fail('userIds', 'give at least one user, chat or room');
		const calendarId = await calendarIdOf(step);
		const eventId = p.pathId('eventId');
		for (let i = 0; i < removed.length; i += REMOVALS_PER_CALL) {
			// A repeat of a removal is answered "attendee not found" (194000): a lost answer is not sent again.
			await step.send({
				method: 'POST',
				path: `${CALENDAR}/${calendarId}/events/${eventId}/attendees/batch_delete`,
				qs: { user_id_type: p.choice('userIdType', ID_TYPES, 'open_id') },
				body: {
					delete_ids: removed.slice(i, i + REMOVALS_PER_CALL),
					need_notification: p.boolean('notify', true),
				},
			});
		}
		return [{ json: { event_id: p.requiredString('eventId'), removed: removed.length } }];
	},
};

/** freebusy/list answers a range of at most 90 days: longer ranges are read in windows of 90 days. */
const FREEBUSY_WINDOW_MS = 90 * 24 * 3600 * 1000;

const getFreeBusy: OperationDefinition = {
	value: 'getFreeBusy',
	actsAs: ['app', 'user'],
	name: 'Get Free/Busy',
	action: 'Get when users or rooms are busy',
	lane: FEISHU_RATE_LIMITS['calendar.getFreeBusy'],
	description:
		"The busy times of users' and meeting rooms' primary calendars in a range: one item per user or room (needs calendar:calendar.free_busy:read)",
	properties: [
		{
			displayName: 'User IDs',
			name: 'userIds',
			type: 'string',
			default: '',
			placeholder: 'ou_7d8a6e6df7621556ce0d21922b676706ccs',
			description: 'Users, separated by commas, of the User ID Type below',
		},
		{
			displayName: 'Room IDs',
			name: 'roomIds',
			type: 'string',
			default: '',
			placeholder: 'omm_eada1d61a550955240c28757e7dec3af',
			description: 'Meeting rooms, separated by commas',
		},
		idType('userIdType', 'User ID Type', 'The kind of ID given in User IDs'),
		...rangeFields(),
	],
	errors: { ...BASE_ERRORS, '190014': EVENT_ERRORS['190014'] },
	async run(step) {
		const p = step.params;
		const { users, rooms } = usersAndRooms(p);
		const who = [...users.map((id) => ({ user_id: id })), ...rooms.map((id) => ({ room_id: id }))];
		if (who.length === 0) p.fail('userIds', 'give at least one user or room');
		const { after, before } = rangeOf(p, step.ctx.getTimezone());
		const out = [];
		for (const target of who) {
			const busy: IDataObject[] = [];
			for (let from = after; from < before; from += FREEBUSY_WINDOW_MS) {
				const to = Math.min(before, from + FREEBUSY_WINDOW_MS);
				const answer = await step.send({
					method: 'POST',
					path: '/open-apis/calendar/v4/freebusy/list',
					qs: { user_id_type: p.choice('userIdType', ID_TYPES, 'open_id') },
					body: {
						time_min: new Date(from).toISOString(),
						time_max: new Date(to).toISOString(),
						...target,
					},
					idempotent: true,
				});
				busy.push(...((answer.freebusy_list as IDataObject[] | undefined) ?? []));
			}
			out.push({
				json: {
					...target,
					busy: busy.map((b) => ({
						start: new Date(String(b.start_time)).toISOString(),
						end: new Date(String(b.end_time)).toISOString(),
						...(b.rsvp_status !== undefined ? { rsvp_status: b.rsvp_status } : {}),
					})),
				},
			});
		}
		return out;
	},
};

/**
 * events/subscription and events/unsubscription: the connected user's subscription to changes of a
 * calendar's events (user_access_token only, reader or above on the calendar; no body). Feishu then pushes
 * calendar.calendar.event.changed_v4 to the app, which the Feishu Trigger receives once the event is
 * added in the developer console. Asking again changes nothing, so a lost answer is asked again.
 */
function subscription(on: boolean): OperationDefinition {
	return {
		value: on ? 'subscribeEvents' : 'unsubscribeEvents',
		actsAs: ['user'],
		name: on ? 'Subscribe to Event Changes' : 'Unsubscribe From Event Changes',
		action: on
			? "Subscribe to changes of a calendar's events"
			: "Unsubscribe from changes of a calendar's events",
		lane: FEISHU_RATE_LIMITS[on ? 'calendar.subscribeEvents' : 'calendar.unsubscribeEvents'],
		description: on
			? 'As the connected user: Feishu pushes calendar.calendar.event.changed_v4 (to the Feishu Trigger) when an event of this calendar changes. Needs reader access or more and calendar:calendar.event:read.'
			: 'As the connected user: Feishu stops pushing changes of this calendar’s events',
		properties: [calendarLocator],
		errors: BASE_ERRORS,
		async run(step) {
			const calendarId = await calendarIdOf(step);
			await step.send({
				method: 'POST',
				path: `${CALENDAR}/${calendarId}/events/${on ? 'subscription' : 'unsubscription'}`,
				idempotent: true,
			});
			return [{ json: { calendar_id: decodeURIComponent(calendarId), subscribed: on } }];
		},
	};
}

/** A released value: n8n's Get Many rule wants the const. */
const GET_MANY = 'getAll';

export const calendar: ResourceDefinition = {
	value: 'calendar',
	name: 'Calendar',
	description: 'Calendars (日历) of the app or the user',
	operations: [getAllCalendars, getFreeBusy, subscription(true), subscription(false)],
	defaultOperation: GET_MANY,
};

export const calendarEvent: ResourceDefinition = {
	value: 'calendarEvent',
	name: 'Calendar Event',
	description:
		'Events (日程) of a calendar: create with attendees and a video meeting, get, list, delete',
	operations: [
		createEvent,
		getEvent,
		getAllEvents,
		updateEvent,
		deleteEvent,
		addEventAttendees,
		removeEventAttendees,
	],
	defaultOperation: 'create',
};

export { PRIMARY as PRIMARY_CALENDAR };
