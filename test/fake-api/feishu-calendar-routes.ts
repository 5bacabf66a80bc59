/**
 * The documented requests of Feishu Calendar v4 (docs/research/calendar-tasks.md §1), for the fake's spec
 * checks. No runtime imports, so that spec.ts can include them. Every calendar page states level 4 (the
 * default here) and accepts a user token.
 */
import type { FieldSpec, RouteSpec } from './spec';
import { bool, int, str } from './values';

const CALENDAR = '/open-apis/calendar/v4/calendars';
const ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const TIME: FieldSpec = {
	type: 'object',
	required: true,
	fields: { date: str(), timestamp: { type: 'digits' }, timezone: str() },
};

export const FEISHU_CALENDAR_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.calendar.list',
		method: 'GET',
		path: CALENDAR,
		auth: 'feishuBearer',
		userToken: {},
		query: { page_size: int(), page_token: str(), sync_token: str() },
	},
	// user_access_token only (the handler refuses a tenant token); no query, no body.
	{
		key: 'feishu.calendar.subscribeEvents',
		method: 'POST',
		path: `${CALENDAR}/{calendar_id}/events/subscription`,
		pathParams: { calendar_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
	},
	{
		key: 'feishu.calendar.unsubscribeEvents',
		method: 'POST',
		path: `${CALENDAR}/{calendar_id}/events/unsubscription`,
		pathParams: { calendar_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
	},
	{
		key: 'feishu.calendar.primary',
		method: 'POST',
		path: `${CALENDAR}/primary`,
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
	},
	{
		key: 'feishu.calendarEvent.create',
		method: 'POST',
		path: `${CALENDAR}/{calendar_id}/events`,
		pathParams: { calendar_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { idempotency_key: str(), user_id_type: ID_TYPE },
		body: {
			summary: str(),
			description: str(),
			need_notification: bool(),
			start_time: TIME,
			end_time: TIME,
			vchat: {
				type: 'object',
				fields: {
					vc_type: str(false, { enum: ['vc', 'third_party', 'no_meeting'] }),
					icon_type: str(),
					description: str(),
					meeting_url: str(),
				},
			},
			visibility: str(false, { enum: ['default', 'public', 'private'] }),
			attendee_ability: str(false, {
				enum: ['none', 'can_see_others', 'can_invite_others', 'can_modify_event'],
			}),
			free_busy_status: str(false, { enum: ['busy', 'free'] }),
			location: { type: 'object', fields: { name: str(), address: str() } },
			color: int(),
			reminders: { type: 'array', of: 'object' },
			recurrence: str(),
		},
	},
	{
		key: 'feishu.calendarEvent.instanceView',
		method: 'GET',
		path: `${CALENDAR}/{calendar_id}/events/instance_view`,
		pathParams: { calendar_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: {
			start_time: { type: 'digits', required: true },
			end_time: { type: 'digits', required: true },
			user_id_type: ID_TYPE,
		},
	},
	{
		key: 'feishu.calendarEvent.get',
		method: 'GET',
		path: `${CALENDAR}/{calendar_id}/events/{event_id}`,
		pathParams: { calendar_id: 'string', event_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: {
			need_meeting_settings: str(false, { enum: ['true', 'false'] }),
			need_attendee: str(false, { enum: ['true', 'false'] }),
			max_attendee_num: int(),
			user_id_type: ID_TYPE,
		},
	},
	{
		key: 'feishu.calendarEvent.delete',
		method: 'DELETE',
		path: `${CALENDAR}/{calendar_id}/events/{event_id}`,
		pathParams: { calendar_id: 'string', event_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { need_notification: str(false, { enum: ['true', 'false'] }) },
	},
	{
		key: 'feishu.calendarEvent.addAttendees',
		method: 'POST',
		path: `${CALENDAR}/{calendar_id}/events/{event_id}/attendees`,
		pathParams: { calendar_id: 'string', event_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			attendees: { type: 'array', of: 'object', required: true },
			need_notification: bool(),
			instance_start_time_admin: str(),
			is_enable_admin: bool(),
			add_operator_to_attendee: bool(),
		},
	},
	{
		key: 'feishu.calendarEvent.patch',
		method: 'PATCH',
		path: `${CALENDAR}/{calendar_id}/events/{event_id}`,
		pathParams: { calendar_id: 'string', event_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			summary: str(),
			description: str(),
			need_notification: bool(),
			start_time: { ...TIME, required: false },
			end_time: { ...TIME, required: false },
			vchat: { type: 'object' },
			visibility: str(false, { enum: ['default', 'public', 'private'] }),
			attendee_ability: str(false, {
				enum: ['none', 'can_see_others', 'can_invite_others', 'can_modify_event'],
			}),
			location: { type: 'object', fields: { name: str(), address: str() } },
			reminders: { type: 'array', of: 'object' },
			recurrence: str(),
		},
	},
	{
		key: 'feishu.calendarEvent.removeAttendees',
		method: 'POST',
		path: `${CALENDAR}/{calendar_id}/events/{event_id}/attendees/batch_delete`,
		pathParams: { calendar_id: 'string', event_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			attendee_ids: { type: 'array', of: 'string' },
			delete_ids: { type: 'array', of: 'object' },
			need_notification: bool(),
			instance_start_time_admin: str(),
			is_enable_admin: bool(),
		},
	},
	{
		key: 'feishu.calendar.freebusy',
		method: 'POST',
		path: '/open-apis/calendar/v4/freebusy/list',
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE },
		body: {
			time_min: str(true),
			time_max: str(true),
			user_id: str(),
			room_id: str(),
			include_external_calendar: bool(),
			only_busy: bool(),
			need_rsvp_status: bool(),
		},
	},
];
