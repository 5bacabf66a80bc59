/**
 * DingTalk calendars and events (calendar v1.0) through n8n's engine against the fake: the organiser's
 * unionId in the path, times as {dateTime, timeZone} or {date}, the idempotency header x-client-token,
 * an RRULE converted to DingTalk's pattern and range, a daily event across a DST change, and the errors.
 */
import type { IDataObject } from 'n8n-workflow';

import { USERS } from '../fake-api/server';
import { ding, useFakeApi } from '../helpers';

const env = useFakeApi();
const organizer = USERS.member;
const create = (rest: IDataObject = {}) =>
	ding('calendarEvent', 'create', {
		unionId: organizer,
		summary: 'Kick-off',
		start: '2026-12-01T09:00:00',
		end: '2026-12-01T10:00:00',
		timeZone: 'Asia/Shanghai',
		...rest,
	});

describe('DingTalk calendar events', () => {
	it('Create: the organiser’s primary calendar, times with the zone’s offset, attendees, a DingTalk meeting, the idempotency header', async () => {
		const r = await env.bench.run(
			create({
				attendeeIds: `${USERS.guest}, ${USERS.admin}`,
				additionalFields: { reminders: '15', location: 'Great Wall' },
			}),
		);
		expect(r.error).toBeUndefined();
		const [call] = env.fake.calls('dingtalk.calendarEvent.create');
		expect(call.path).toBe(`/v1.0/calendar/users/${organizer}/calendars/primary/events`);
		expect(call.headers['x-client-token']).toMatch(/^[0-9a-f-]{36}$/);
		expect(call.body).toEqual({
			summary: 'Kick-off',
			start: { dateTime: '2026-12-01T09:00:00+08:00', timeZone: 'Asia/Shanghai' },
			end: { dateTime: '2026-12-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' },
			isAllDay: false,
			attendees: [{ id: USERS.guest }, { id: USERS.admin }],
			location: { displayName: 'Great Wall' },
			reminders: [{ method: 'dingtalk', minutes: 15 }],
			onlineMeetingInfo: { type: 'dingtalk' },
		});
		expect(r.json[0]).toMatchObject({
			summary: 'Kick-off',
			start: '2026-12-01T01:00:00.000Z',
			end: '2026-12-01T02:00:00.000Z',
			allDay: false,
			timeZone: 'Asia/Shanghai',
			onlineMeetingInfo: { type: 'dingtalk' },
		});
	});

	it('a lost answer is sent again with the same x-client-token: one event', async () => {
		env.fake.faults.loseAnswers['dingtalk.calendarEvent.create'] = 1;
		const r = await env.bench.run(create());
		expect(r.error).toBeUndefined();
		const calls = env.fake.calls('dingtalk.calendarEvent.create');
		expect(calls).toHaveLength(2);
		expect(calls[1].headers['x-client-token']).toBe(calls[0].headers['x-client-token']);
		expect(env.fake.dingCalendars.eventsOf(organizer)).toHaveLength(1);
	});

	it('an RRULE becomes DingTalk’s pattern and range; one it cannot express is bad input', async () => {
		await env.bench.run(
			create({ additionalFields: { recurrence: 'FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2;COUNT=6' } }),
		);
		await env.bench.run(
			create({ additionalFields: { recurrence: 'FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630' } }),
		);
		const [weekly, monthly] = env.fake
			.calls('dingtalk.calendarEvent.create')
			.map((c) => (c.body as IDataObject).recurrence);
		expect(weekly).toEqual({
			pattern: { type: 'weekly', interval: 2, daysOfWeek: 'monday,wednesday' },
			range: { type: 'numbered', numberOfOccurrences: 6 },
		});
		expect(monthly).toEqual({
			pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 },
			range: { type: 'endDate', endDate: '2027-06-30T23:59:59+08:00' },
		});
		for (const [rule, message] of [
			['FREQ=YEARLY', /DAILY, WEEKLY.*or MONTHLY/],
			['FREQ=DAILY;COUNT=120', /COUNT must be from 1 to 99/],
			['FREQ=WEEKLY', /needs BYDAY/],
		] as const) {
			const r = await env.bench.run(create({ additionalFields: { recurrence: rule } }));
			expect(r.error?.message).toMatch(message);
		}
		expect(env.fake.calls('dingtalk.calendarEvent.create')).toHaveLength(2);
	});

	it('Get Many expands a daily 09:00 in New York across the DST change (eventsview, 100 a page)', async () => {
		await env.bench.run(
			create({
				start: '2026-03-05T09:00:00',
				end: '2026-03-05T09:30:00',
				timeZone: 'America/New_York',
				additionalFields: { recurrence: 'FREQ=DAILY;COUNT=6' },
			}),
		);
		const r = await env.bench.run(
			ding('calendarEvent', 'getAll', {
				unionId: organizer,
				after: '2026-03-01T00:00:00Z',
				before: '2026-03-31T00:00:00Z',
				timeZone: 'UTC',
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
		const [call] = env.fake.calls('dingtalk.calendarEvent.view');
		expect(call.query).toMatchObject({
			timeMin: '2026-03-01T00:00:00+00:00',
			timeMax: '2026-03-31T00:00:00+00:00',
			maxResults: '100',
		});
		// Without a Time Zone, the range is written in the workflow's zone (the same instants).
		await env.bench.run({
			...ding('calendarEvent', 'getAll', {
				unionId: organizer,
				after: '2026-03-01T00:00:00Z',
				before: '2026-03-31T00:00:00Z',
				returnAll: true,
			}),
			timezone: 'Asia/Shanghai',
		});
		expect(env.fake.calls('dingtalk.calendarEvent.view')[1].query).toMatchObject({
			timeMin: '2026-03-01T08:00:00+08:00',
			timeMax: '2026-03-31T08:00:00+08:00',
		});
	});

	it('an all-day event sends dates and isAllDay', async () => {
		const r = await env.bench.run(create({ allDay: true, start: '2026-12-24', end: '2026-12-25' }));
		expect(env.fake.calls('dingtalk.calendarEvent.create')[0].body as IDataObject).toMatchObject({
			start: { date: '2026-12-24' },
			end: { date: '2026-12-25' },
			isAllDay: true,
		});
		expect(r.json[0]).toMatchObject({ start: '2026-12-24', end: '2026-12-25', allDay: true });
	});

	it('Get, Update, attendees, Delete; an unknown event is the documented itemNotFound', async () => {
		const made = await env.bench.run(create());
		const eventId = String(made.json[0].id);
		const at = { unionId: organizer, eventId };
		const got = await env.bench.run(ding('calendarEvent', 'get', at));
		expect(got.json[0]).toMatchObject({ id: eventId, summary: 'Kick-off' });
		const updated = await env.bench.run(
			ding('calendarEvent', 'update', {
				...at,
				updateFields: {
					summary: 'Moved',
					start: '2026-12-02T14:00:00+08:00',
					end: '2026-12-02T15:00:00+08:00',
				},
			}),
		);
		expect(updated.json[0]).toMatchObject({ summary: 'Moved', start: '2026-12-02T06:00:00.000Z' });
		expect(env.fake.calls('dingtalk.calendarEvent.update')[0].body).toMatchObject({
			id: eventId,
			summary: 'Moved',
		});
		await env.bench.run(
			ding('calendarEvent', 'addAttendees', {
				...at,
				attendeeIds: `${USERS.guest}, ${USERS.admin}`,
			}),
		);
		await env.bench.run(
			ding('calendarEvent', 'removeAttendees', { ...at, attendeeIds: USERS.admin }),
		);
		expect(env.fake.dingCalendars.events.get(eventId)!.attendees.map((a) => a.id)).toEqual([
			USERS.guest,
		]);
		expect(env.fake.calls('dingtalk.calendarEvent.removeAttendees')[0].body).toEqual({
			attendeesToRemove: [{ id: USERS.admin }],
		});
		const del = await env.bench.run(ding('calendarEvent', 'delete', { ...at, notify: false }));
		expect(del.json[0]).toEqual({ id: eventId, deleted: true });
		expect(env.fake.calls('dingtalk.calendarEvent.delete')[0].query).toEqual({
			pushNotification: 'false',
		});
		const gone = await env.bench.run(ding('calendarEvent', 'get', at));
		expect(gone.error?.message).toMatch(/itemNotFound/);
		expect(gone.error?.description).toMatch(/does not exist/);
	});

	it('Calendar › Get Many and Get Free/Busy (one item per user, busy times in UTC)', async () => {
		await env.bench.run(create({ attendeeIds: USERS.guest }));
		const calendars = await env.bench.run(ding('calendar', 'getAll', { unionId: organizer }));
		expect(calendars.json[0]).toMatchObject({ id: 'primary', type: 'primary' });
		const r = await env.bench.run(
			ding('calendar', 'getFreeBusy', {
				unionId: organizer,
				attendeeIds: `${USERS.guest}, ${USERS.admin}`,
				after: '2026-12-01T00:00:00+08:00',
				before: '2026-12-02T00:00:00+08:00',
			}),
		);
		expect(r.json).toEqual([
			{
				userId: USERS.guest,
				busy: [
					{ status: 'BUSY', start: '2026-12-01T01:00:00.000Z', end: '2026-12-01T02:00:00.000Z' },
				],
			},
			{ userId: USERS.admin, busy: [] },
		]);
		// The same instants, written with the offset of the workflow's zone.
		const body = env.fake.calls('dingtalk.calendar.freebusy')[0].body as IDataObject;
		expect(body.userIds).toEqual([USERS.guest, USERS.admin]);
		expect(Date.parse(String(body.startTime))).toBe(Date.parse('2026-12-01T00:00:00+08:00'));
		expect(Date.parse(String(body.endTime))).toBe(Date.parse('2026-12-02T00:00:00+08:00'));
		expect(String(body.startTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
	});

	it('an organiser outside the app’s range is the documented permissionDeny with its meaning', async () => {
		const r = await env.bench.run(create({ unionId: 'union-stranger-9' }));
		expect(r.error?.message).toMatch(/permissionDeny/);
		expect(r.error?.description).toMatch(/outside the app's authorised range/);
	});
});
