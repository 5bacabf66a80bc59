/**
 * The documented requests of DingTalk's calendar v1.0 (docs/research/calendar-tasks.md §3), for the fake's
 * spec checks. No runtime imports, so that spec.ts can include them. No page states a limit of its own:
 * DingTalk's default 20 a second per app and API.
 */
import type { RouteSpec } from './spec';
import { bool, int, str } from './values';

const USER = '/v1.0/calendar/users/{userId}';
const EVENTS = `${USER}/calendars/{calendarId}/events`;
const TIME = { type: 'object' as const, fields: { date: str(), dateTime: str(), timeZone: str() } };

export const DINGTALK_CALENDAR_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.calendar.list',
		method: 'GET',
		path: `${USER}/calendars`,
		auth: 'dingtalkHeader',
	},
	{
		key: 'dingtalk.calendarEvent.create',
		method: 'POST',
		path: EVENTS,
		auth: 'dingtalkHeader',
		body: {
			summary: str(true),
			description: str(),
			start: { ...TIME, required: true },
			end: TIME,
			isAllDay: bool(),
			recurrence: { type: 'object' },
			attendees: { type: 'array', of: 'object' },
			location: { type: 'object', fields: { displayName: str() } },
			reminders: { type: 'array', of: 'object' },
			onlineMeetingInfo: { type: 'object', fields: { type: str(false, { enum: ['dingtalk'] }) } },
			extra: { type: 'object' },
		},
	},
	{
		key: 'dingtalk.calendarEvent.view',
		method: 'GET',
		path: `${USER}/calendars/{calendarId}/eventsview`,
		auth: 'dingtalkHeader',
		query: {
			timeMin: str(),
			timeMax: str(),
			maxResults: int(),
			maxAttendees: int(),
			nextToken: str(),
		},
	},
	{
		key: 'dingtalk.calendarEvent.get',
		method: 'GET',
		path: `${EVENTS}/{eventId}`,
		auth: 'dingtalkHeader',
		query: { maxAttendees: int() },
	},
	{
		key: 'dingtalk.calendarEvent.update',
		method: 'PUT',
		path: `${EVENTS}/{eventId}`,
		auth: 'dingtalkHeader',
		body: {
			id: str(true),
			summary: str(),
			description: str(),
			start: TIME,
			end: TIME,
			isAllDay: bool(),
			location: { type: 'object' },
		},
	},
	{
		key: 'dingtalk.calendarEvent.delete',
		method: 'DELETE',
		path: `${EVENTS}/{eventId}`,
		auth: 'dingtalkHeader',
		query: { pushNotification: str(false, { enum: ['true', 'false'] }) },
	},
	{
		key: 'dingtalk.calendarEvent.addAttendees',
		method: 'POST',
		path: `${EVENTS}/{eventId}/attendees`,
		auth: 'dingtalkHeader',
		body: {
			attendeesToAdd: { type: 'array', of: 'object', required: true },
			pushNotification: bool(),
			chatNotification: bool(),
		},
	},
	{
		key: 'dingtalk.calendarEvent.removeAttendees',
		method: 'POST',
		path: `${EVENTS}/{eventId}/attendees/batchRemove`,
		auth: 'dingtalkHeader',
		body: { attendeesToRemove: { type: 'array', of: 'object', required: true } },
	},
	{
		key: 'dingtalk.calendar.freebusy',
		method: 'POST',
		path: `${USER}/querySchedule`,
		auth: 'dingtalkHeader',
		body: {
			userIds: { type: 'array', of: 'string', required: true },
			startTime: str(true),
			endTime: str(true),
		},
	},
];
