import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { listProperties } from '../../shared/description';
import { uuidKey } from '../../shared/params';
import { collectList } from '../../shared/runner';
import type { ParamReader } from '../../shared/params';
import {
	dateOf,
	givenTexts,
	instantOf,
	isoInZone,
	rangeFields,
	rangeOf,
	zoneOf,
} from '../../shared/time';
import type {
	ApiRequest,
	ListSpec,
	OperationDefinition,
	OperationStep,
	ResourceDefinition,
} from '../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../transport';

/**
 * Calendars and events (日程, calendar v1.0; docs/research/calendar-tasks.md §3). Every path names a user
 * by unionId, the organiser's for writes, and the calendar is always "primary". Writes carry the
 * documented idempotency header x-client-token (valid a day), so a lost answer is sent again with it.
 */

const ERRORS = {
	invalidParameter:
		'A parameter is invalid: see the message (for example a blank summary or time).',
	permissionDeny: "The user is outside the app's authorised range (通讯录权限范围).",
	idempotencyProcessing: 'The same request (x-client-token) is still being processed: try again.',
	flowLimit: 'DingTalk lets a user create at most 100 events a day: this user reached it.',
	itemNotFound: 'The event does not exist (or is not on this user’s calendar): check the Event ID.',
	instanceNotExist: 'This instance of the recurring event does not exist.',
	paramIllegal: 'A parameter is invalid.',
};

const unionIdField: INodeProperties = {
	displayName: 'Organizer Union ID',
	name: 'unionId',
	type: 'string',
	required: true,
	default: '',
	description:
		"The unionId of the user whose primary calendar it is (the organiser, for creates and changes). User › Get returns a user's unionid.",
};

const base = (p: ParamReader) => `/v1.0/calendar/users/${p.pathId('unionId')}`;
const events = (p: ParamReader) => `${base(p)}/calendars/primary/events`;

const eventIdField: INodeProperties = {
	displayName: 'Event ID',
	name: 'eventId',
	type: 'string',
	required: true,
	default: '',
	description: 'The event’s ID, which Create and Get Many output',
};

const RAW_OPTION: INodeProperties = {
	displayName: 'Raw',
	name: 'raw',
	type: 'boolean',
	default: false,
	description: 'Whether the output also has the event as DingTalk answered it (raw)',
};

/** The idempotency header of a write, derived like the node's other keys: the same for every attempt. */
const clientToken = (p: ParamReader, purpose: string) => ({
	'x-client-token': uuidKey(p, purpose),
});

const DAYS: Record<string, string> = {
	SU: 'sunday',
	MO: 'monday',
	TU: 'tuesday',
	WE: 'wednesday',
	TH: 'thursday',
	FR: 'friday',
	SA: 'saturday',
};

/**
 * An RFC 5545 RRULE (the same field as Feishu's) as DingTalk's recurrence {pattern, range}: DAILY,
 * WEEKLY with BYDAY, MONTHLY with BYMONTHDAY; INTERVAL 1–365; COUNT 1–99 or UNTIL.
 */
function recurrenceOf(p: ParamReader, name: string, label: string, zone: string): IDataObject {
	const text = p.requiredString(name, undefined, label);
	const rule: Record<string, string> = {};
	for (const part of text.replace(/^RRULE:/i, '').split(';')) {
		const [key, value] = part.split('=');
		if (!key || value === undefined) p.fail(name, `"${part}" is not KEY=VALUE`, label);
		rule[key.toUpperCase()] = value.toUpperCase();
	}
	const interval = rule.INTERVAL === undefined ? 1 : Number(rule.INTERVAL);
	if (!Number.isInteger(interval) || interval < 1 || interval > 365)
		p.fail(name, 'INTERVAL must be from 1 to 365 (DingTalk)', label);
	let pattern: IDataObject;
	if (rule.FREQ === 'DAILY') pattern = { type: 'daily', interval };
	else if (rule.FREQ === 'WEEKLY') {
		const days = (rule.BYDAY ?? '').split(',').filter(Boolean);
		if (days.length === 0 || days.some((d) => !DAYS[d]))
			p.fail(name, 'FREQ=WEEKLY needs BYDAY (MO, TU, WE, TH, FR, SA, SU)', label);
		pattern = { type: 'weekly', interval, daysOfWeek: days.map((d) => DAYS[d]).join(',') };
	} else if (rule.FREQ === 'MONTHLY') {
		const day = Number(rule.BYMONTHDAY);
		if (!Number.isInteger(day) || day < 1 || day > 31)
			p.fail(name, 'FREQ=MONTHLY needs BYMONTHDAY (1–31)', label);
		pattern = { type: 'absoluteMonthly', interval, dayOfMonth: day };
	} else
		return p.fail(
			name,
			'DingTalk takes FREQ=DAILY, WEEKLY (with BYDAY) or MONTHLY (with BYMONTHDAY)',
			label,
		);
	if (rule.COUNT !== undefined && rule.UNTIL !== undefined)
		p.fail(name, 'has both COUNT and UNTIL', label);
	let range: IDataObject = { type: 'noEnd' };
	if (rule.COUNT !== undefined) {
		const count = Number(rule.COUNT);
		if (!Number.isInteger(count) || count < 1 || count > 99)
			p.fail(name, 'COUNT must be from 1 to 99 (DingTalk)', label);
		range = { type: 'numbered', numberOfOccurrences: count };
	} else if (rule.UNTIL !== undefined) {
		const m = /^(\d{4})(\d{2})(\d{2})/.exec(rule.UNTIL);
		if (!m) p.fail(name, 'UNTIL must be a date (YYYYMMDD)', label);
		range = {
			type: 'endDate',
			endDate: `${m![1]}-${m![2]}-${m![3]}T23:59:59${isoInZone(Date.UTC(Number(m![1]), Number(m![2]) - 1, Number(m![3]), 12), zone).slice(19)}`,
		};
	}
	return { pattern, range };
}

/** start and end as the create page documents them: {dateTime, timeZone} or {date}. */
function times(
	step: OperationStep,
	prefix: string,
	labels: { start: string; end: string; allDay: string; zone: string },
): IDataObject {
	const p = step.params;
	const zone = zoneOf(p, `${prefix}timeZone`, step.ctx.getTimezone(), labels.zone);
	if (p.boolean(`${prefix}allDay`, false)) {
		const start = dateOf(p, `${prefix}start`, zone, labels.start);
		const end = dateOf(p, `${prefix}end`, zone, labels.end);
		if (end < start) p.fail(`${prefix}end`, `is before Start (${start})`, labels.end);
		return { start: { date: start }, end: { date: end }, isAllDay: true };
	}
	const start = instantOf(p, `${prefix}start`, zone, labels.start);
	const end = instantOf(p, `${prefix}end`, zone, labels.end);
	if (end <= start) p.fail(`${prefix}end`, 'is not after Start', labels.end);
	return {
		start: { dateTime: isoInZone(start, zone), timeZone: zone },
		end: { dateTime: isoInZone(end, zone), timeZone: zone },
		isAllDay: false,
	};
}

/** "每次操作最多500人". */
const ATTENDEES_PER_CALL = 500;

/** An event for the next node: start and end as ISO text in UTC (all-day: the dates). */
function eventOut(event: IDataObject, p: ParamReader): IDataObject {
	const at = (t: unknown) => {
		const time = (t ?? {}) as IDataObject;
		if (typeof time.date === 'string') return time.date;
		const ms = Date.parse(String(time.dateTime));
		return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
	};
	const { start, end, ...rest } = event;
	return {
		id: event.id,
		summary: event.summary,
		start: at(start),
		end: at(end),
		allDay: event.isAllDay === true || typeof (start as IDataObject | undefined)?.date === 'string',
		timeZone: (start as IDataObject | undefined)?.timeZone,
		...Object.fromEntries(
			Object.entries(rest).filter(([k]) => !['id', 'summary', 'isAllDay'].includes(k)),
		),
		...(p.boolean('options.raw', false) ? { raw: event } : {}),
	};
}

const timeFields: INodeProperties[] = [
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'When the event starts: a date and time, ISO text (without an offset: in Time Zone), or milliseconds. For an all-day event, its first day.',
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'When the event ends. For an all-day event, its last day.',
	},
	{
		displayName: 'All Day',
		name: 'allDay',
		type: 'boolean',
		default: false,
		description: 'Whether it is an all-day event: Start and End are dates',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Asia/Shanghai',
		description: "The event's IANA time zone. Empty: the workflow's.",
	},
];

const attendeesField: INodeProperties = {
	displayName: 'Attendee Union IDs',
	name: 'attendeeIds',
	type: 'string',
	default: '',
	placeholder: 'union-member-002, union-guest-003',
	description:
		"The attendees' unionIds, separated by commas (User › Get returns a user's unionid; up to 5,000 an event)",
};

const createEvent: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a calendar event',
	lane: DINGTALK_RATE_LIMITS['calendarEvent.create'],
	description:
		'Create an event on the organiser’s calendar with attendees, reminders, a recurrence and a DingTalk video meeting (needs Calendar.Event.Write)',
	properties: [
		unionIdField,
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			required: true,
			default: '',
			description: "The event's title (up to 2,048 characters)",
		},
		...timeFields,
		attendeesField,
		{
			displayName: 'Video Meeting',
			name: 'videoMeeting',
			type: 'boolean',
			default: true,
			description:
				'Whether the event gets a DingTalk video meeting (onlineMeetingInfo type dingtalk)',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Description',
					name: 'description',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
				},
				{ displayName: 'Location', name: 'location', type: 'string', default: '' },
				{
					displayName: 'Recurrence',
					name: 'recurrence',
					type: 'string',
					default: '',
					placeholder: 'FREQ=WEEKLY;BYDAY=MO;COUNT=10',
					description:
						'An RFC 5545 RRULE, as on Feishu, converted to DingTalk’s pattern and range: FREQ=DAILY, WEEKLY (with BYDAY) or MONTHLY (with BYMONTHDAY); INTERVAL 1–365; COUNT 1–99 or UNTIL',
				},
				{
					displayName: 'Reminders (Minutes Before)',
					name: 'reminders',
					type: 'string',
					default: '',
					placeholder: '15, 60',
					description:
						'Minutes before the start, separated by commas. Empty: DingTalk’s default (15 minutes before).',
				},
			],
		},
	],
	extraOptions: [RAW_OPTION],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const summary = p.requiredString('summary');
		if (summary.length > 2048) p.fail('summary', 'is longer than 2,048 characters');
		const extra = (p.raw('additionalFields', {}) ?? {}) as IDataObject;
		const zone = zoneOf(p, 'timeZone', step.ctx.getTimezone(), 'Time Zone');
		const when = times(step, '', {
			start: 'Start',
			end: 'End',
			allDay: 'All Day',
			zone: 'Time Zone',
		});
		const attendees = [...new Set(p.stringList('attendeeIds'))].map((id) => ({ id }));
		if (attendees.length > 5000)
			p.fail('attendeeIds', 'has more than 5,000 attendees (DingTalk’s most)');
		const reminders = p
			.stringList('additionalFields.reminders', extra.reminders, 'Additional Fields › Reminders')
			.map((m) => {
				const minutes = Number(m);
				if (!Number.isInteger(minutes) || minutes < 0)
					p.fail(
						'additionalFields.reminders',
						`"${m}" is not a number of minutes`,
						'Additional Fields › Reminders',
					);
				return { method: 'dingtalk', minutes };
			});
		const recurrence =
			p.optionalString('additionalFields.recurrence', extra.recurrence) !== undefined
				? recurrenceOf(p, 'additionalFields.recurrence', 'Additional Fields › Recurrence', zone)
				: undefined;
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
		const headers = clientToken(p, 'calendarEvent.create');
		const request: ApiRequest = {
			method: 'POST',
			path: events(p),
			headers,
			idempotencyKey: headers['x-client-token'],
			body: {
				summary,
				...(description ? { description } : {}),
				...when,
				...(attendees.length > 0 ? { attendees: attendees.slice(0, ATTENDEES_PER_CALL) } : {}),
				...(location ? { location: { displayName: location } } : {}),
				...(reminders.length > 0 ? { reminders } : {}),
				...(recurrence ? { recurrence } : {}),
				...(p.boolean('videoMeeting', true) ? { onlineMeetingInfo: { type: 'dingtalk' } } : {}),
			},
		};
		const event = await step.send(request);
		// More than 500 attendees: the rest through the attendee API, 500 a call.
		for (let i = ATTENDEES_PER_CALL; i < attendees.length; i += ATTENDEES_PER_CALL)
			await addAttendees(step, String(event.id), attendees.slice(i, i + ATTENDEES_PER_CALL), i);
		return [{ json: eventOut(event, p) }];
	},
};

async function addAttendees(step: OperationStep, eventId: string, chunk: IDataObject[], n: number) {
	const p = step.params;
	const headers = clientToken(p, `calendarEvent.addAttendees.${n}`);
	await step.send(
		{
			method: 'POST',
			path: `${events(p)}/${encodeURIComponent(eventId)}/attendees`,
			headers,
			idempotencyKey: headers['x-client-token'],
			body: { attendeesToAdd: chunk },
		},
		DINGTALK_RATE_LIMITS['calendarEvent.addAttendees'],
	);
}

const getEvent: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a calendar event',
	lane: DINGTALK_RATE_LIMITS['calendarEvent.get'],
	description: 'Get an event with its attendees (up to 500)',
	properties: [unionIdField, eventIdField],
	extraOptions: [RAW_OPTION],
	errors: ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `${events(p)}/${p.pathId('eventId')}`,
		qs: { maxAttendees: 500 },
	}),
	output: (response, _request, p) => eventOut(response, p),
};

/**
 * eventsview: a range's events with recurring events expanded, 100 a page by nextToken. The range is read
 * once, in its zone (empty: the workflow's, as on Feishu).
 */
const eventsView = (range: { after: number; before: number; zone: string }): ListSpec => ({
	maxPageSize: 100,
	page: (p, cursor, pageSize) => {
		const { after, before, zone } = range;
		return {
			method: 'GET',
			path: `${base(p)}/calendars/primary/eventsview`,
			qs: {
				timeMin: isoInZone(after, zone),
				timeMax: isoInZone(before, zone),
				maxResults: pageSize,
				maxAttendees: 100,
				...(cursor ? { nextToken: cursor } : {}),
			},
		};
	},
	read: (response) => ({
		records: (response.events as IDataObject[] | undefined) ?? [],
		next:
			typeof response.nextToken === 'string' && response.nextToken ? response.nextToken : undefined,
	}),
});

const getAllEvents: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many calendar events',
	lane: DINGTALK_RATE_LIMITS['calendarEvent.getAll'],
	description:
		"List a user's events in a time range, recurring events expanded into their instances (eventsview, 100 a page)",
	properties: [unionIdField, ...rangeFields(), ...listProperties()],
	extraOptions: [RAW_OPTION],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const range = rangeOf(p, step.ctx.getTimezone());
		const events = await collectList(eventsView(range), p, async (r) => await step.send(r), {
			each: (record) => eventOut(record, p),
		});
		return events.map((json) => ({ json }));
	},
};

const deleteEvent: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a calendar event',
	lane: DINGTALK_RATE_LIMITS['calendarEvent.delete'],
	description: 'Delete an event from the organiser’s calendar',
	properties: [
		unionIdField,
		eventIdField,
		{
			displayName: 'Notify Attendees',
			name: 'notify',
			type: 'boolean',
			default: true,
			description: 'Whether the attendees get a pop-up notification (pushNotification)',
		},
	],
	errors: ERRORS,
	build: (p) => {
		const headers = clientToken(p, 'calendarEvent.delete');
		return {
			method: 'DELETE',
			path: `${events(p)}/${p.pathId('eventId')}`,
			qs: { pushNotification: p.boolean('notify', true) },
			headers,
			idempotencyKey: headers['x-client-token'],
		};
	},
	output: (_response, _request, p) => ({ id: p.requiredString('eventId'), deleted: true }),
};

const attendeeOperation = (add: boolean): OperationDefinition => ({
	value: add ? 'addAttendees' : 'removeAttendees',
	name: add ? 'Add Attendees' : 'Remove Attendees',
	action: add ? 'Add attendees to a calendar event' : 'Remove attendees from a calendar event',
	lane: DINGTALK_RATE_LIMITS[add ? 'calendarEvent.addAttendees' : 'calendarEvent.removeAttendees'],
	description: add
		? 'Invite users to an event, 500 a call (needs Calendar.Event.Write)'
		: 'Remove users from an event, 500 a call (needs Calendar.Event.Write)',
	properties: [unionIdField, eventIdField, { ...attendeesField, required: true }],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const ids = [...new Set(p.stringList('attendeeIds'))];
		if (ids.length === 0) p.fail('attendeeIds', 'is empty');
		const eventId = p.pathId('eventId');
		for (let i = 0; i < ids.length; i += ATTENDEES_PER_CALL) {
			const chunk = ids.slice(i, i + ATTENDEES_PER_CALL).map((id) => ({ id }));
			const headers = clientToken(p, `calendarEvent.${add ? 'add' : 'remove'}Attendees.${i}`);
			await step.send({
				method: 'POST',
				path: `${events(p)}/${eventId}/attendees${add ? '' : '/batchRemove'}`,
				headers,
				idempotencyKey: headers['x-client-token'],
				body: add ? { attendeesToAdd: chunk } : { attendeesToRemove: chunk },
			});
		}
		return [{ json: { id: p.requiredString('eventId'), [add ? 'added' : 'removed']: ids.length } }];
	},
});

const updateEvent: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Update a calendar event',
	lane: DINGTALK_RATE_LIMITS['calendarEvent.update'],
	description: 'Change an event the user organises: only the fields given change',
	properties: [
		unionIdField,
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
					description: 'With Start',
				},
				{ displayName: 'Location', name: 'location', type: 'string', default: '' },
				{
					displayName: 'Start',
					name: 'start',
					type: 'dateTime',
					default: '',
					description: 'With End',
				},
				{ displayName: 'Summary', name: 'summary', type: 'string', default: '' },
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: 'Asia/Shanghai',
				},
			],
		},
	],
	extraOptions: [RAW_OPTION],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const fields = (p.raw('updateFields', {}) ?? {}) as IDataObject;
		const texts = givenTexts(p, ['summary', 'description', 'location']);
		const body: IDataObject = {};
		if (texts.summary !== undefined) body.summary = texts.summary;
		if (texts.description !== undefined) body.description = texts.description;
		if (texts.location !== undefined) body.location = { displayName: texts.location };
		const hasStart = fields.start !== undefined && fields.start !== '';
		const hasEnd = fields.end !== undefined && fields.end !== '';
		if (hasStart !== hasEnd)
			p.fail(
				hasStart ? 'updateFields.end' : 'updateFields.start',
				'is needed too: give Start and End together',
				hasStart ? 'Update Fields › End' : 'Update Fields › Start',
			);
		if (hasStart)
			Object.assign(
				body,
				times(step, 'updateFields.', {
					start: 'Update Fields › Start',
					end: 'Update Fields › End',
					allDay: 'Update Fields › All Day',
					zone: 'Update Fields › Time Zone',
				}),
			);
		if (Object.keys(body).length === 0) p.fail('updateFields', 'add at least one field to update');
		const eventId = p.pathId('eventId');
		const headers = clientToken(p, 'calendarEvent.update');
		const answer = await step.send({
			method: 'PUT',
			path: `${events(p)}/${eventId}`,
			headers,
			idempotencyKey: headers['x-client-token'],
			body: { id: p.requiredString('eventId'), ...body },
		});
		return [{ json: eventOut(answer, p) }];
	},
};

const getAllCalendars: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many calendars',
	lane: DINGTALK_RATE_LIMITS['calendar.getAll'],
	description: "A user's calendars: their primary one and those shared with or subscribed by them",
	properties: [unionIdField],
	errors: ERRORS,
	build: (p) => ({ method: 'GET', path: `${base(p)}/calendars` }),
	output: (response) =>
		(((response.response ?? {}) as IDataObject).calendars as IDataObject[] | undefined) ?? [],
};

/** querySchedule: "userIds … 最多20个". */
const FREEBUSY_USERS = 20;

const getFreeBusy: OperationDefinition = {
	value: 'getFreeBusy',
	name: 'Get Free/Busy',
	action: 'Get when users are busy',
	lane: DINGTALK_RATE_LIMITS['calendar.getFreeBusy'],
	description:
		"Users' busy times in a range, one item per user, asked as the user of Organizer Union ID (needs Calendar.EventSchedule.Read)",
	properties: [
		unionIdField,
		{
			...attendeesField,
			displayName: 'User Union IDs',
			required: true,
			description: "The users' unionIds, separated by commas (20 a call)",
		},
		...rangeFields(),
	],
	errors: ERRORS,
	async run(step) {
		const p = step.params;
		const ids = [...new Set(p.stringList('attendeeIds'))];
		if (ids.length === 0) p.fail('attendeeIds', 'is empty');
		const { after, before, zone } = rangeOf(p, step.ctx.getTimezone());
		const out = [];
		for (let i = 0; i < ids.length; i += FREEBUSY_USERS) {
			// The page's URL table names querySchedule (its request example says getSchedule).
			const answer = await step.send({
				method: 'POST',
				path: `${base(p)}/querySchedule`,
				body: {
					userIds: ids.slice(i, i + FREEBUSY_USERS),
					startTime: isoInZone(after, zone),
					endTime: isoInZone(before, zone),
				},
				idempotent: true,
			});
			for (const info of (answer.scheduleInformation as IDataObject[] | undefined) ?? [])
				out.push({
					json: {
						userId: info.userId,
						...(info.error ? { error: info.error } : {}),
						busy: ((info.scheduleItems as IDataObject[] | undefined) ?? []).map((item) => {
							const at = (t: unknown) => {
								const time = (t ?? {}) as IDataObject;
								if (typeof time.date === 'string') return time.date;
								return new Date(String(time.dateTime)).toISOString();
							};
							return { status: item.status, start: at(item.start), end: at(item.end) };
						}),
					},
				});
		}
		return out;
	},
};

/** A released value: n8n's Get Many rule wants the const. */
const GET_MANY = 'getAll';

export const calendar: ResourceDefinition = {
	value: 'calendar',
	name: 'Calendar',
	description: 'Calendars (日历) of a user, and their free/busy times',
	operations: [getAllCalendars, getFreeBusy],
	defaultOperation: GET_MANY,
};

export const calendarEvent: ResourceDefinition = {
	value: 'calendarEvent',
	name: 'Calendar Event',
	description:
		'Events (日程) of a user’s calendar: create with attendees and a video meeting, get, list, update, delete, attendees',
	operations: [
		createEvent,
		getEvent,
		getAllEvents,
		updateEvent,
		deleteEvent,
		attendeeOperation(true),
		attendeeOperation(false),
	],
	defaultOperation: 'create',
};
