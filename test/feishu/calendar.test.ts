/**
 * Feishu calendars and events (Calendar v4) through n8n's engine against the fake: the documented
 * requests (times as {timestamp, timezone} or {date}, the idempotency key, attendees through their own
 * API), time zones across a DST change, all-day events, a recurring event's instances, and the errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { eventItem } from '../../nodes/FeishuTrigger/events';
import { APP_CALENDAR, READONLY_CALENDAR, TEAM_CALENDAR } from '../fake-api/feishu-calendar';
import { event2 } from '../fake-api/feishu-events';
import { feishu, useFakeApi } from '../helpers';
import { connect, REDIRECT } from '../user-connect';

const env = useFakeApi();
const cal = (value: string, mode = 'id') => ({ __rl: true, mode, value });
const create = (rest: IDataObject = {}) =>
	feishu('calendarEvent', 'create', {
		calendarId: cal('primary', 'list'),
		summary: 'Kick-off',
		start: '2026-12-01T09:00:00',
		end: '2026-12-01T10:00:00',
		timeZone: 'Asia/Shanghai',
		...rest,
	});

describe('Feishu calendar events: create', () => {
	it("on the app's primary calendar: times in the event's zone, the idempotency key, then the attendees through their API", async () => {
		const r = await env.bench.run(
			create({
				userIds: 'ou_2, ou_3',
				chatIds: 'oc_sandbox_ops',
				additionalFields: { reminders: '15, 60', description: 'Agenda', location: 'Great Wall' },
			}),
		);
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.calendar.primary')).toHaveLength(1);
		const [call] = env.fake.calls('feishu.calendarEvent.create');
		expect(call.path).toBe(
			`/open-apis/calendar/v4/calendars/${encodeURIComponent(APP_CALENDAR)}/events`,
		);
		expect(call.query.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
		expect(call.body).toEqual({
			summary: 'Kick-off',
			description: 'Agenda',
			// 09:00 in Shanghai is 01:00 UTC.
			start_time: { timestamp: String(Date.UTC(2026, 11, 1, 1) / 1000), timezone: 'Asia/Shanghai' },
			end_time: { timestamp: String(Date.UTC(2026, 11, 1, 2) / 1000), timezone: 'Asia/Shanghai' },
			vchat: { vc_type: 'vc' },
			need_notification: true,
			visibility: 'default',
			attendee_ability: 'none',
			location: { name: 'Great Wall' },
			reminders: [{ minutes: 15 }, { minutes: 60 }],
		});
		const [added] = env.fake.calls('feishu.calendarEvent.addAttendees');
		expect(added.body).toEqual({
			attendees: [
				{ type: 'user', user_id: 'ou_2' },
				{ type: 'user', user_id: 'ou_3' },
				{ type: 'chat', chat_id: 'oc_sandbox_ops' },
			],
			need_notification: true,
		});
		expect(r.json[0]).toMatchObject({
			summary: 'Kick-off',
			start: '2026-12-01T01:00:00.000Z',
			end: '2026-12-01T02:00:00.000Z',
			allDay: false,
			timeZone: 'Asia/Shanghai',
			vchat: { vc_type: 'vc', meeting_url: expect.stringMatching(/^https:\/\/vc\.feishu\.cn\//) },
		});
		expect((r.json[0].attendees as IDataObject[]).map((a) => a.user_id ?? a.chat_id)).toEqual([
			'ou_2',
			'ou_3',
			'oc_sandbox_ops',
		]);
		expect(r.json[0]).not.toHaveProperty('raw');
	});

	it("an offset in the text wins over Time Zone; without one and without Time Zone, the workflow's zone", async () => {
		await env.bench.run(
			create({
				start: '2026-12-01T09:00:00+00:00',
				end: '2026-12-01T09:30:00Z',
				timeZone: 'Asia/Shanghai',
			}),
		);
		await env.bench.run({ ...create({ timeZone: '' }), timezone: 'Europe/Berlin' });
		const [withOffset, berlin] = env.fake
			.calls('feishu.calendarEvent.create')
			.map((c) => c.body as IDataObject);
		expect(withOffset.start_time).toEqual({
			timestamp: String(Date.UTC(2026, 11, 1, 9) / 1000),
			timezone: 'Asia/Shanghai',
		});
		expect(berlin.start_time).toEqual({
			timestamp: String(Date.UTC(2026, 11, 1, 8) / 1000),
			timezone: 'Europe/Berlin',
		});
	});

	it('an all-day event sends dates, the date in the zone of a time given (never midnight in the server zone)', async () => {
		const r = await env.bench.run(
			create({
				allDay: true,
				start: '2026-12-24',
				end: '2026-12-24T23:30:00-08:00',
				options: { raw: true },
			}),
		);
		expect(r.error).toBeUndefined();
		const body = env.fake.calls('feishu.calendarEvent.create')[0].body as IDataObject;
		// 23:30 at -08:00 is the 25th in Shanghai.
		expect(body.start_time).toEqual({ date: '2026-12-24' });
		expect(body.end_time).toEqual({ date: '2026-12-25' });
		expect(r.json[0]).toMatchObject({ start: '2026-12-24', end: '2026-12-25', allDay: true });
		expect(r.json[0].raw).toMatchObject({ start_time: { date: '2026-12-24' } });
	});

	it('a Feishu meeting, no meeting or another link, and the recurrence as an RRULE', async () => {
		await env.bench.run(create({ videoMeeting: 'no_meeting' }));
		await env.bench.run(
			create({
				videoMeeting: 'third_party',
				meetingUrl: 'https://meet.example.com/abc',
				additionalFields: { recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4' },
			}),
		);
		const [none, other] = env.fake
			.calls('feishu.calendarEvent.create')
			.map((c) => c.body as IDataObject);
		expect(none.vchat).toEqual({ vc_type: 'no_meeting' });
		expect(other).toMatchObject({
			vchat: { vc_type: 'third_party', meeting_url: 'https://meet.example.com/abc' },
			recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
		});
	});

	it('a lost answer is sent again with the same idempotency key: one event', async () => {
		env.fake.faults.loseAnswers['feishu.calendarEvent.create'] = 1;
		const r = await env.bench.run(create());
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('feishu.calendarEvent.create');
		expect(calls).toHaveLength(2);
		expect(calls[1].query.idempotency_key).toBe(calls[0].query.idempotency_key);
		expect(env.fake.calendars.eventsOf(APP_CALENDAR)).toHaveLength(1);
	});

	it('bad input before any request: End before Start, an unknown zone, a reminder out of range, COUNT with UNTIL', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[{ end: '2026-12-01T08:00:00' }, /End.*not after Start/],
			[{ timeZone: 'Mars/Olympus' }, /Time Zone.*not an IANA time zone/],
			[{ additionalFields: { reminders: '30000' } }, /Reminders.*-20,160 to 20,160/],
			[
				{ additionalFields: { recurrence: 'FREQ=DAILY;COUNT=3;UNTIL=20261231' } },
				/Recurrence.*COUNT and UNTIL/,
			],
			[{ start: '={{ "next tuesday" }}' }, /Start.*expected a date and time/],
		];
		for (const [rest, message] of cases) {
			const r = await env.bench.run(create(rest));
			expect(r.error?.message).toMatch(message);
		}
		expect(env.fake.calls('feishu.calendarEvent.create')).toHaveLength(0);
	});

	it('a calendar the app may only read is the documented 191002 with its meaning', async () => {
		const r = await env.bench.run(create({ calendarId: cal(READONLY_CALENDAR) }));
		expect(r.error?.message).toMatch(/191002/);
		expect(r.error?.description).toMatch(/no access to this calendar/);
	});
});

describe('Feishu calendar events: read and delete', () => {
	it('Get with its attendees; Calendar › Get Many lists the app’s calendars', async () => {
		const made = await env.bench.run(create({ calendarId: cal(TEAM_CALENDAR), userIds: 'ou_2' }));
		const got = await env.bench.run(
			feishu('calendarEvent', 'get', {
				calendarId: cal(TEAM_CALENDAR),
				eventId: String(made.json[0].event_id),
			}),
		);
		expect(got.json[0]).toMatchObject({ summary: 'Kick-off', start: '2026-12-01T01:00:00.000Z' });
		expect((got.json[0].attendees as IDataObject[]).map((a) => a.user_id)).toEqual(['ou_2']);
		expect(env.fake.calls('feishu.calendarEvent.get')[0].query).toMatchObject({
			need_attendee: 'true',
		});
		const calendars = await env.bench.run(feishu('calendar', 'getAll', { returnAll: true }));
		expect(calendars.json.map((c) => c.calendar_id)).toEqual([
			APP_CALENDAR,
			TEAM_CALENDAR,
			READONLY_CALENDAR,
		]);
		expect(env.fake.calls('feishu.calendar.list')[0].query.page_size).toBe('1000');
	});

	it('Get Many expands a daily 09:00 in New York across the DST change: 09:00 local each day, 14:00 then 13:00 UTC', async () => {
		await env.bench.run(
			create({
				start: '2026-03-05T09:00:00',
				end: '2026-03-05T09:30:00',
				timeZone: 'America/New_York',
				additionalFields: { recurrence: 'FREQ=DAILY;COUNT=6' },
			}),
		);
		const r = await env.bench.run(
			feishu('calendarEvent', 'getAll', {
				calendarId: cal('primary', 'list'),
				after: '2026-03-01T00:00:00Z',
				before: '2026-03-31T00:00:00Z',
				returnAll: true,
			}),
		);
		expect(r.error).toBeUndefined();
		expect(r.json.map((e) => e.start)).toEqual([
			'2026-03-05T14:00:00.000Z',
			'2026-03-06T14:00:00.000Z',
			'2026-03-07T14:00:00.000Z',
			'2026-03-08T13:00:00.000Z',
			'2026-03-09T13:00:00.000Z',
			'2026-03-10T13:00:00.000Z',
		]);
		expect(new Set(r.json.map((e) => e.event_id)).size).toBe(6);
		expect(r.json.every((e) => e.recurring_event_id !== undefined)).toBe(true);
	});

	it('a range longer than the 40 days instance_view allows is read in windows of 39 days; a Limit stops early', async () => {
		await env.bench.run(
			create({
				start: '2026-01-05T09:00:00',
				end: '2026-01-05T10:00:00',
				additionalFields: { recurrence: 'FREQ=WEEKLY;COUNT=12' },
			}),
		);
		const r = await env.bench.run(
			feishu('calendarEvent', 'getAll', {
				calendarId: cal('primary', 'list'),
				after: '2026-01-01T00:00:00+08:00',
				before: '2026-04-01T00:00:00+08:00',
				returnAll: true,
			}),
		);
		expect(r.json).toHaveLength(12);
		const windows = env.fake.calls('feishu.calendarEvent.instanceView');
		expect(windows).toHaveLength(3);
		for (const w of windows)
			expect(Number(w.query.end_time) - Number(w.query.start_time)).toBeLessThan(40 * 86400);
		const limited = await env.bench.run(
			feishu('calendarEvent', 'getAll', {
				calendarId: cal('primary', 'list'),
				after: '2026-01-01T00:00:00+08:00',
				before: '2026-04-01T00:00:00+08:00',
				limit: 2,
			}),
		);
		expect(limited.json).toHaveLength(2);
		expect(env.fake.calls('feishu.calendarEvent.instanceView')).toHaveLength(4);
	});

	it('Delete; a second delete is the documented 193003; a delete whose answer is lost is not sent again', async () => {
		const made = await env.bench.run(create());
		const eventId = String(made.json[0].event_id);
		const del = (notify = true) =>
			env.bench.run(
				feishu('calendarEvent', 'delete', { calendarId: cal('primary', 'list'), eventId, notify }),
			);
		expect((await del(false)).json[0]).toEqual({ event_id: eventId, deleted: true });
		expect(env.fake.calls('feishu.calendarEvent.delete')[0].query).toEqual({
			need_notification: 'false',
		});
		const again = await del();
		expect(again.error?.message).toMatch(/193003/);
		const other = await env.bench.run(create({ summary: 'Other' }));
		env.fake.faults.loseAnswers['feishu.calendarEvent.delete'] = 1;
		const lost = await env.bench.run(
			feishu('calendarEvent', 'delete', {
				calendarId: cal('primary', 'list'),
				eventId: String(other.json[0].event_id),
			}),
		);
		expect(lost.error?.description).toMatch(/outcome is unknown/);
		expect(env.fake.calls('feishu.calendarEvent.delete')).toHaveLength(3);
	});
});

describe('Feishu calendar events as the connected user', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});

	it.each([
		['calendar', 'getAll', { returnAll: true }],
		[
			'calendarEvent',
			'create',
			{
				calendarId: cal('primary', 'list'),
				summary: 'Mine',
				start: '2026-12-01T09:00:00Z',
				end: '2026-12-01T10:00:00Z',
			},
		],
		[
			'calendarEvent',
			'getAll',
			{
				calendarId: cal('primary', 'list'),
				after: '2026-11-01T00:00:00Z',
				before: '2026-12-01T00:00:00Z',
				returnAll: true,
			},
		],
	])(
		'%s %s runs on the user’s own calendar with the user token',
		async (resource, operation, rest) => {
			const r = await env.bench.run(
				feishu(resource, operation, { authentication: 'oAuth2', ...rest }),
			);
			expect(r.error).toBeUndefined();
			const calls = env.fake.requests.filter((c) => c.key.startsWith('feishu.calendar'));
			expect(calls.length).toBeGreaterThan(0);
			for (const c of calls) expect(c.headers.authorization).toMatch(/^Bearer u-/);
		},
	);

	it('get and delete as the user', async () => {
		const made = await env.bench.run(
			feishu('calendarEvent', 'create', {
				authentication: 'oAuth2',
				calendarId: cal('primary', 'list'),
				summary: 'Mine',
				start: '2026-12-01T09:00:00Z',
				end: '2026-12-01T10:00:00Z',
			}),
		);
		const eventId = String(made.json[0].event_id);
		const listed = await env.bench.run(
			feishu('calendarEvent', 'getAll', {
				authentication: 'oAuth2',
				calendarId: cal('primary', 'list'),
				after: '2026-12-01T00:00:00Z',
				before: '2026-12-02T00:00:00Z',
				returnAll: true,
			}),
		);
		expect(listed.json.map((e) => e.event_id)).toEqual([eventId]);
		expect(env.fake.calls('feishu.calendarEvent.create')[0].path).toContain(
			encodeURIComponent('feishu.cn_ou_1@'),
		);
		const got = await env.bench.run(
			feishu('calendarEvent', 'get', {
				authentication: 'oAuth2',
				calendarId: cal('primary', 'list'),
				eventId,
			}),
		);
		expect(got.json[0].summary).toBe('Mine');
		const del = await env.bench.run(
			feishu('calendarEvent', 'delete', {
				authentication: 'oAuth2',
				calendarId: cal('primary', 'list'),
				eventId,
			}),
		);
		expect(del.json[0]).toEqual({ event_id: eventId, deleted: true });
	});
});

describe('Feishu calendar events: update, attendees, free/busy', () => {
	const on = { calendarId: cal(TEAM_CALENDAR) };

	it('Update sends only the fields given (Start and End together); one without the other is bad input', async () => {
		const made = await env.bench.run(create(on));
		const eventId = String(made.json[0].event_id);
		const r = await env.bench.run(
			feishu('calendarEvent', 'update', {
				...on,
				eventId,
				updateFields: {
					summary: 'Kick-off (moved)',
					start: '2026-12-02T14:00:00',
					end: '2026-12-02T15:00:00',
					timeZone: 'Asia/Shanghai',
				},
			}),
		);
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.calendarEvent.patch')[0].body).toEqual({
			summary: 'Kick-off (moved)',
			start_time: { timestamp: String(Date.UTC(2026, 11, 2, 6) / 1000), timezone: 'Asia/Shanghai' },
			end_time: { timestamp: String(Date.UTC(2026, 11, 2, 7) / 1000), timezone: 'Asia/Shanghai' },
		});
		expect(r.json[0]).toMatchObject({
			summary: 'Kick-off (moved)',
			start: '2026-12-02T06:00:00.000Z',
		});
		const half = await env.bench.run(
			feishu('calendarEvent', 'update', {
				...on,
				eventId,
				updateFields: { start: '2026-12-02T14:00:00' },
			}),
		);
		expect(half.error?.message).toMatch(/End.*is needed too/);
		const nothing = await env.bench.run(
			feishu('calendarEvent', 'update', { ...on, eventId, updateFields: {} }),
		);
		expect(nothing.error?.message).toMatch(/at least one field/);
		expect(env.fake.calls('feishu.calendarEvent.patch')).toHaveLength(1);
	});

	it('Add Attendees and Remove Attendees, by user, chat and room; a removal repeated is the documented 194000', async () => {
		const made = await env.bench.run(create(on));
		const eventId = String(made.json[0].event_id);
		const added = await env.bench.run(
			feishu('calendarEvent', 'addAttendees', {
				...on,
				eventId,
				userIds: 'ou_1, ou_2',
				roomIds: 'omm_room1',
			}),
		);
		expect((added.json[0].attendees as IDataObject[]).map((a) => a.user_id ?? a.room_id)).toEqual([
			'ou_1',
			'ou_2',
			'omm_room1',
		]);
		const removed = await env.bench.run(
			feishu('calendarEvent', 'removeAttendees', {
				...on,
				eventId,
				userIds: 'ou_2',
				notify: false,
			}),
		);
		expect(removed.json[0]).toEqual({ event_id: eventId, removed: 1 });
		expect(env.fake.calls('feishu.calendarEvent.removeAttendees')[0].body).toEqual({
			delete_ids: [{ type: 'user', user_id: 'ou_2' }],
			need_notification: false,
		});
		const event = env.fake.calendars.events.get(eventId)!;
		expect(event.attendees.map((a) => a.user_id ?? a.room_id)).toEqual(['ou_1', 'omm_room1']);
		const again = await env.bench.run(
			feishu('calendarEvent', 'removeAttendees', { ...on, eventId, userIds: 'ou_2' }),
		);
		expect(again.error?.message).toMatch(/194000/);
		const unknown = await env.bench.run(
			feishu('calendarEvent', 'addAttendees', { ...on, eventId, userIds: 'ou_nobody' }),
		);
		expect(unknown.error?.message).toMatch(/195100/);
	});

	it("Get Free/Busy: each user's busy times in the range, ISO in UTC, one item per user", async () => {
		await env.bench.run(create({ ...on, userIds: 'ou_2' }));
		const r = await env.bench.run(
			feishu('calendar', 'getFreeBusy', {
				userIds: 'ou_2, ou_3',
				after: '2026-12-01T00:00:00+08:00',
				before: '2026-12-02T00:00:00+08:00',
			}),
		);
		expect(r.error).toBeUndefined();
		expect(r.json).toEqual([
			{
				user_id: 'ou_2',
				busy: [{ start: '2026-12-01T01:00:00.000Z', end: '2026-12-01T02:00:00.000Z' }],
			},
			{ user_id: 'ou_3', busy: [] },
		]);
		expect(env.fake.calls('feishu.calendar.freebusy')[0].body).toEqual({
			time_min: '2026-11-30T16:00:00.000Z',
			time_max: '2026-12-01T16:00:00.000Z',
			user_id: 'ou_2',
		});
	});
});

describe('Feishu calendar: update, attendees and free/busy as the connected user', () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});

	it('each runs with the user token', async () => {
		const as = (operation: string, rest: IDataObject, resource = 'calendarEvent') =>
			env.bench.run(feishu(resource, operation, { authentication: 'oAuth2', ...rest }));
		const made = await as('create', {
			calendarId: cal('primary', 'list'),
			summary: 'Mine',
			start: '2026-12-01T09:00:00Z',
			end: '2026-12-01T10:00:00Z',
		});
		const eventId = String(made.json[0].event_id);
		const at = { calendarId: cal('primary', 'list'), eventId };
		for (const r of [
			await as('update', { ...at, updateFields: { summary: 'Mine (2)' } }),
			await as('addAttendees', { ...at, userIds: 'ou_2' }),
			await as('removeAttendees', { ...at, userIds: 'ou_2' }),
			await as(
				'getFreeBusy',
				{ userIds: 'ou_1', after: '2026-12-01T00:00:00Z', before: '2026-12-02T00:00:00Z' },
				'calendar',
			),
		])
			expect(r.error).toBeUndefined();
		const calls = env.fake.requests.filter((c) => c.key.startsWith('feishu.calendar'));
		for (const c of calls) expect(c.headers.authorization).toMatch(/^Bearer u-/);
	});
});

describe("Feishu calendar: the connected user's subscription to event changes", () => {
	beforeEach(async () => {
		env.fake.oauth.registerRedirect(REDIRECT);
		await connect(env.bench, env.fake.url);
	});
	const as = (resource: string, operation: string, rest: IDataObject) =>
		env.bench.run(feishu(resource, operation, { authentication: 'oAuth2', ...rest }));
	const USER_CALENDAR = 'feishu.cn_ou_1@group.calendar.feishu.cn';

	it('Subscribe: a change of an event on that calendar is then pushed (calendar.calendar.event.changed_v4, the subscriber in user_id_list); Unsubscribe stops it', async () => {
		const on = await as('calendar', 'subscribeEvents', { calendarId: cal('primary', 'list') });
		expect(on.error).toBeUndefined();
		expect(on.json).toEqual([{ calendar_id: USER_CALENDAR, subscribed: true }]);
		const [call] = env.fake.calls('feishu.calendar.subscribeEvents');
		expect(call.path).toBe(
			`/open-apis/calendar/v4/calendars/${encodeURIComponent(USER_CALENDAR)}/events/subscription`,
		);
		expect(call.headers.authorization).toMatch(/^Bearer u-/);
		expect(call.body ?? {}).toEqual({});

		const made = await as('calendarEvent', 'create', {
			calendarId: cal('primary', 'list'),
			summary: 'Mine',
			start: '2026-12-01T09:00:00Z',
			end: '2026-12-01T10:00:00Z',
		});
		// The app's own calendar is not subscribed: its change is not pushed.
		await env.bench.run(create());
		expect(env.fake.calendars.changes).toEqual([
			{
				calendar_id: USER_CALENDAR,
				user_id_list: [expect.objectContaining({ open_id: 'ou_1', union_id: 'on_1' })],
				calendar_event_id: made.json[0].event_id,
				change_type: 'create',
			},
		]);

		// As the Feishu Trigger outputs the pushed event.
		expect(
			eventItem(
				event2('calendar.calendar.event.changed_v4', env.fake.calendars.changes[0] as IDataObject),
			),
		).toMatchObject({
			event_type: 'calendar.calendar.event.changed_v4',
			calendar_id: USER_CALENDAR,
			open_ids: ['ou_1'],
			calendar_event_id: made.json[0].event_id,
			change_type: 'create',
		});

		const off = await as('calendar', 'unsubscribeEvents', { calendarId: cal('primary', 'list') });
		expect(off.json).toEqual([{ calendar_id: USER_CALENDAR, subscribed: false }]);
		await as('calendarEvent', 'delete', {
			calendarId: cal('primary', 'list'),
			eventId: made.json[0].event_id,
		});
		expect(env.fake.calendars.changes).toHaveLength(1);
	});

	it('a calendar the user only reads may be subscribed; one the user cannot see is the documented 191002; the app cannot subscribe', async () => {
		expect(
			(await as('calendar', 'subscribeEvents', { calendarId: cal(READONLY_CALENDAR) })).error,
		).toBeUndefined();
		const hidden = await as('calendar', 'subscribeEvents', { calendarId: cal(APP_CALENDAR) });
		expect(hidden.error?.message).toMatch(/191002/);
		expect(hidden.error?.description).toMatch(/no access to this calendar/);
		// Acting as the app (the tenant token), the operation is not offered: refused before any request.
		const before = env.fake.calls('feishu.calendar.subscribeEvents').length;
		const asApp = await env.bench.run(
			feishu('calendar', 'subscribeEvents', { calendarId: cal(TEAM_CALENDAR) }),
		);
		expect(asApp.error?.message).toMatch(/Unknown operation "subscribeEvents"/);
		expect(env.fake.calls('feishu.calendar.subscribeEvents')).toHaveLength(before);
	});

	it('a lost answer is asked again: subscribed once', async () => {
		env.fake.faults.loseAnswers['feishu.calendar.subscribeEvents'] = 1;
		const r = await as('calendar', 'subscribeEvents', { calendarId: cal(TEAM_CALENDAR) });
		expect(r.error).toBeUndefined();
		expect(env.fake.calls('feishu.calendar.subscribeEvents')).toHaveLength(2);
		expect([...env.fake.calendars.subscribers.get(TEAM_CALENDAR)!]).toEqual(['ou_1']);
	});
});
