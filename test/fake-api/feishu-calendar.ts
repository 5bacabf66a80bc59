/**
 * Feishu Calendar v4 in the fake (docs/research/calendar-tasks.md §1): calendars with their roles, events
 * with attendees, the create page's idempotency_key, and instance_view's expansion of recurring events by
 * their RRULE in the event's own time zone (so a daily 09:00 stays 09:00 across a DST change). The app's
 * identity (tenant token) has its bot's primary calendar; a user's token the user's.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';

export const APP_CALENDAR = 'feishu.cn_app0sandbox@group.calendar.feishu.cn';
export const TEAM_CALENDAR = 'feishu.cn_team0sandbox@group.calendar.feishu.cn';
export const READONLY_CALENDAR = 'feishu.cn_holidays0cn@group.calendar.feishu.cn';
const userCalendar = (openId: string) => `feishu.cn_${openId}@group.calendar.feishu.cn`;

interface Calendar {
	calendar_id: string;
	summary: string;
	type: 'primary' | 'shared' | 'resource';
	role: 'reader' | 'writer' | 'owner';
	/** Who has it: 'app' or a user's open_id. */
	holders: string[];
}

export interface FakeEvent {
	event_id: string;
	calendarId: string;
	body: Record<string, unknown>;
	attendees: Array<Record<string, unknown>>;
	deleted: boolean;
	created: number;
}

const ok = (data: Record<string, unknown> = {}): Answer => ({
	status: 200,
	body: { code: 0, msg: 'success', data },
});
const fail = (status: number, code: number, msg: string): Answer => ({
	status,
	body: { code, msg, error: { log_id: randomBytes(6).toString('hex') } },
});

/**
 * The instant of a wall-clock time in an IANA zone, found by trying each offset Feishu's zones use
 * (-14 h to +14 h, 15-minute steps) until the zone's own clock shows that time: an implementation of its
 * own, independent of the node's.
 */
export function zonedInstant(
	wall: { y: number; mo: number; d: number; h: number; mi: number },
	zone: string,
): number {
	const format = new Intl.DateTimeFormat('en-GB', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
	});
	const base = Date.UTC(wall.y, wall.mo - 1, wall.d, wall.h, wall.mi);
	for (let quarter = -56; quarter <= 56; quarter++) {
		const candidate = base - quarter * 15 * 60_000;
		const parts = Object.fromEntries(
			format.formatToParts(new Date(candidate)).map((p) => [p.type, p.value]),
		);
		if (
			Number(parts.year) === wall.y &&
			Number(parts.month) === wall.mo &&
			Number(parts.day) === wall.d &&
			Number(parts.hour) === wall.h &&
			Number(parts.minute) === wall.mi
		)
			return candidate;
	}
	return base;
}

/** The wall clock of an instant in a zone. */
function wallOf(ms: number, zone: string) {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			weekday: 'short',
		})
			.formatToParts(new Date(ms))
			.map((p) => [p.type, p.value]),
	);
	return {
		y: Number(parts.year),
		mo: Number(parts.month),
		d: Number(parts.day),
		h: Number(parts.hour),
		mi: Number(parts.minute),
		weekday: String(parts.weekday).slice(0, 2).toUpperCase(),
	};
}

const DAY = 86_400_000;

/**
 * The start instants of an event's occurrences (RFC 5545 FREQ=DAILY or WEEKLY, INTERVAL, COUNT, UNTIL,
 * BYDAY for weekly), day by day on the event zone's calendar, up to `until` ms.
 */
export function occurrences(
	startMs: number,
	zone: string,
	rrule: string,
	untilMs: number,
): number[] {
	const rule = Object.fromEntries(
		rrule
			.replace(/^RRULE:/i, '')
			.split(';')
			.map((part) => part.split('=') as [string, string]),
	);
	const interval = Number(rule.INTERVAL ?? 1);
	const count = rule.COUNT !== undefined ? Number(rule.COUNT) : Infinity;
	const until = rule.UNTIL
		? Date.UTC(
				Number(rule.UNTIL.slice(0, 4)),
				Number(rule.UNTIL.slice(4, 6)) - 1,
				Number(rule.UNTIL.slice(6, 8)),
				23,
				59,
				59,
			)
		: Infinity;
	const byDay = rule.BYDAY ? String(rule.BYDAY).split(',') : undefined;
	const first = wallOf(startMs, zone);
	const out: number[] = [];
	const firstDay = Date.UTC(first.y, first.mo - 1, first.d);
	for (let n = 0; out.length < count && n < 3660; n++) {
		const day = new Date(firstDay + n * DAY);
		const daysSince = n;
		let matches: boolean;
		if (rule.FREQ === 'DAILY') matches = daysSince % interval === 0;
		else if (rule.FREQ === 'WEEKLY') {
			const weekday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][day.getUTCDay()];
			const week = Math.floor(daysSince / 7);
			matches = week % interval === 0 && (byDay ? byDay.includes(weekday) : daysSince % 7 === 0);
		} else matches = n === 0;
		if (!matches) continue;
		const at = zonedInstant(
			{
				y: day.getUTCFullYear(),
				mo: day.getUTCMonth() + 1,
				d: day.getUTCDate(),
				h: first.h,
				mi: first.mi,
			},
			zone,
		);
		if (at > until || at > untilMs) break;
		out.push(at);
	}
	return out;
}

export class FeishuCalendars {
	readonly calendars = new Map<string, Calendar>();
	readonly events = new Map<string, FakeEvent>();
	/** Per calendar: the users subscribed to its events' changes (events/subscription, user tokens only). */
	readonly subscribers = new Map<string, Set<string>>();
	/**
	 * The calendar.calendar.event.changed_v4 events Feishu would push, in order: one per change of an event
	 * on a calendar someone subscribed to, with the subscribers in user_id_list (the fields in grey release,
	 * calendar_event_id and change_type, included; the 3-second merging is not modelled).
	 */
	readonly changes: Array<Record<string, unknown>> = [];
	private readonly keys = new Map<string, string>();

	constructor(private readonly fake: FakeApi) {}

	seed(): void {
		this.calendars.clear();
		this.events.clear();
		this.keys.clear();
		this.subscribers.clear();
		this.changes.length = 0;
		this.calendars.set(APP_CALENDAR, {
			calendar_id: APP_CALENDAR,
			summary: 'Sandbox bot',
			type: 'primary',
			role: 'owner',
			holders: ['app'],
		});
		this.calendars.set(TEAM_CALENDAR, {
			calendar_id: TEAM_CALENDAR,
			summary: 'Team events',
			type: 'shared',
			role: 'writer',
			holders: ['app', 'ou_1'],
		});
		this.calendars.set(READONLY_CALENDAR, {
			calendar_id: READONLY_CALENDAR,
			summary: 'Public holidays',
			type: 'shared',
			role: 'reader',
			holders: ['app', 'ou_1'],
		});
		for (const u of this.fake.state.feishuUsers)
			this.calendars.set(userCalendar(u.open_id), {
				calendar_id: userCalendar(u.open_id),
				summary: u.name,
				type: 'primary',
				role: 'owner',
				holders: [u.open_id],
			});
	}

	/** The events of a calendar, not deleted. */
	eventsOf(calendarId: string): FakeEvent[] {
		return [...this.events.values()].filter((e) => e.calendarId === calendarId && !e.deleted);
	}

	/** events/subscription and events/unsubscription: a user token (routes), reader or above on the calendar. */
	private subscribe(
		params: Record<string, string>,
		caller: string | undefined,
		on: boolean,
	): Answer {
		if (this.holder(caller) === 'app')
			return fail(400, 99991668, 'tenant access token not support');
		const calendar = this.calendarFor(params.calendar_id, caller, false);
		if ('status' in calendar) return calendar;
		const user = this.holder(caller);
		const subscribers = this.subscribers.get(calendar.calendar_id) ?? new Set<string>();
		if (on) subscribers.add(user);
		else subscribers.delete(user);
		this.subscribers.set(calendar.calendar_id, subscribers);
		return ok();
	}

	private changed(e: FakeEvent, change: 'create' | 'update' | 'delete'): void {
		const subscribers = this.subscribers.get(e.calendarId);
		if (!subscribers || subscribers.size === 0) return;
		const users = this.fake.state.feishuUsers.filter((u) => subscribers.has(u.open_id));
		this.changes.push({
			calendar_id: e.calendarId,
			user_id_list: users.map((u) => ({
				union_id: u.union_id,
				user_id: u.user_id,
				open_id: u.open_id,
			})),
			calendar_event_id: e.event_id,
			change_type: change,
		});
	}

	private holder(caller: string | undefined): string {
		return caller?.startsWith('user:') ? caller.slice(5) : 'app';
	}

	private calendarFor(id: string, caller: string | undefined, write: boolean): Calendar | Answer {
		const calendar = this.calendars.get(id);
		if (!calendar) return fail(404, 191000, 'calendar not found');
		if (!calendar.holders.includes(this.holder(caller)))
			return fail(403, 191002, 'no calendar access_role');
		if (write && calendar.role === 'reader') return fail(403, 191002, 'no calendar access_role');
		return calendar;
	}

	private eventOut(e: FakeEvent, withAttendees: boolean) {
		return {
			event_id: e.event_id,
			organizer_calendar_id: e.calendarId,
			...e.body,
			vchat: {
				...((e.body.vchat as Record<string, unknown>) ?? { vc_type: 'vc' }),
				...(((e.body.vchat as Record<string, unknown>)?.vc_type ?? 'vc') === 'vc'
					? { meeting_url: `https://vc.feishu.cn/j/${e.event_id.slice(0, 9).replace(/\D/g, '7')}` }
					: {}),
			},
			status: 'confirmed',
			create_time: String(Math.floor(e.created / 1000)),
			app_link: `https://applink.feishu.cn/client/calendar/event/detail?calendarId=${e.calendarId}&key=${e.event_id}`,
			...(withAttendees ? { attendees: e.attendees } : {}),
		};
	}

	private checkTime(t: Record<string, unknown> | undefined, what: string): string | undefined {
		if (!t) return `${what} is required`;
		const hasDate = typeof t.date === 'string';
		const hasStamp = typeof t.timestamp === 'string';
		if (hasDate === hasStamp) return `${what}: exactly one of date and timestamp`;
		if (hasDate && !/^\d{4}-\d{2}-\d{2}$/.test(t.date as string))
			return `${what}.date is not RFC 3339`;
		if (t.timezone !== undefined) {
			try {
				new Intl.DateTimeFormat('en-US', { timeZone: String(t.timezone) });
			} catch {
				return `${what}.timezone is not IANA`;
			}
		}
		return undefined;
	}

	handlers(): Record<string, Handler> {
		return {
			'feishu.calendar.list': ({ caller }) => {
				const mine = [...this.calendars.values()].filter((c) =>
					c.holders.includes(this.holder(caller)),
				);
				return ok({
					has_more: false,
					sync_token: 'sync-1',
					calendar_list: mine.map((c) => ({
						calendar_id: c.calendar_id,
						summary: c.summary,
						type: c.type,
						role: c.role,
						permissions: 'private',
						is_deleted: false,
					})),
				});
			},
			'feishu.calendar.subscribeEvents': ({ params, caller }) =>
				this.subscribe(params, caller, true),
			'feishu.calendar.unsubscribeEvents': ({ params, caller }) =>
				this.subscribe(params, caller, false),
			'feishu.calendar.primary': ({ caller }) => {
				const holder = this.holder(caller);
				const id = holder === 'app' ? APP_CALENDAR : userCalendar(holder);
				const c = this.calendars.get(id)!;
				return ok({
					calendars: [
						{
							calendar: {
								calendar_id: c.calendar_id,
								summary: c.summary,
								type: c.type,
								role: c.role,
							},
							...(holder === 'app' ? {} : { user_id: holder }),
						},
					],
				});
			},
			'feishu.calendarEvent.create': ({ params, query, body, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, true);
				if ('status' in calendar) return calendar;
				const key = query.idempotency_key;
				if (key !== undefined && (key.length < 32 || key.length > 128))
					return fail(400, 190002, 'invalid parameters in request: idempotency_key');
				const scoped = `${params.calendar_id}/${key}`;
				if (key && this.keys.has(scoped))
					return ok({ event: this.eventOut(this.events.get(this.keys.get(scoped)!)!, false) });
				const problem =
					this.checkTime(body.start_time as Record<string, unknown>, 'start_time') ??
					this.checkTime(body.end_time as Record<string, unknown>, 'end_time');
				if (problem) return fail(400, 190002, `invalid parameters in request: ${problem}`);
				if (typeof body.summary === 'string' && body.summary.length > 1000)
					return fail(400, 190002, 'invalid parameters in request: summary');
				const recurrence = body.recurrence as string | undefined;
				if (
					recurrence &&
					(recurrence.length > 2000 || (/COUNT=/.test(recurrence) && /UNTIL=/.test(recurrence)))
				)
					return fail(400, 190002, 'invalid parameters in request: recurrence');
				for (const r of (body.reminders as Array<{ minutes?: unknown }> | undefined) ?? [])
					if (!Number.isInteger(r.minutes) || Math.abs(Number(r.minutes)) > 20160)
						return fail(400, 190002, 'invalid parameters in request: reminders');
				const event: FakeEvent = {
					event_id: `${randomBytes(4).toString('hex')}-${randomBytes(2).toString('hex')}-4${randomBytes(2).toString('hex').slice(1)}-a${randomBytes(2).toString('hex').slice(1)}-${randomBytes(6).toString('hex')}_0`,
					calendarId: params.calendar_id,
					body: { ...body },
					attendees: [],
					deleted: false,
					created: Date.now(),
				};
				this.events.set(event.event_id, event);
				if (key) this.keys.set(scoped, event.event_id);
				this.changed(event, 'create');
				return ok({ event: this.eventOut(event, false) });
			},
			'feishu.calendarEvent.get': ({ params, query, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, false);
				if ('status' in calendar) return calendar;
				const e = this.events.get(params.event_id);
				if (!e || e.calendarId !== params.calendar_id) return fail(404, 193001, 'event not found');
				if (e.deleted) return fail(403, 193003, 'event is deleted');
				const max = Number(query.max_attendee_num ?? 10);
				if (max > 100) return fail(400, 190002, 'invalid parameters in request: max_attendee_num');
				const out = this.eventOut(e, query.need_attendee === 'true');
				if (query.need_attendee === 'true')
					Object.assign(out, {
						attendees: e.attendees.slice(0, max),
						has_more_attendee: e.attendees.length > max,
					});
				return ok({ event: out });
			},
			'feishu.calendarEvent.delete': ({ params, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, true);
				if ('status' in calendar) return calendar;
				const e = this.events.get(params.event_id);
				if (!e || e.calendarId !== params.calendar_id) return fail(404, 193001, 'event not found');
				if (e.deleted) return fail(403, 193003, 'event is deleted');
				e.deleted = true;
				this.changed(e, 'delete');
				return ok();
			},
			'feishu.calendarEvent.addAttendees': ({ params, body, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, true);
				if ('status' in calendar) return calendar;
				const e = this.events.get(params.event_id);
				if (!e || e.calendarId !== params.calendar_id) return fail(404, 193001, 'event not found');
				const given = body.attendees as Array<Record<string, unknown>>;
				if (given.length > 1000 || given.filter((a) => a.type === 'resource').length > 100)
					return fail(400, 190002, 'invalid parameters in request: too many attendees');
				if (e.attendees.length + given.length > 3000)
					return fail(400, 190002, 'invalid parameters in request: more than 3000 attendees');
				for (const a of given) {
					if (!['user', 'chat', 'resource', 'third_party'].includes(String(a.type)))
						return fail(400, 194004, 'invalid attendee type');
					if (
						a.type === 'user' &&
						!this.fake.state.feishuUsers.some((u) => u.open_id === a.user_id)
					)
						return fail(400, 195100, 'user is dismiss or not exist in the tenant');
				}
				for (const a of given) {
					const same = e.attendees.find(
						(x) =>
							x.type === a.type &&
							(x.user_id ?? x.chat_id ?? x.room_id) === (a.user_id ?? a.chat_id ?? a.room_id),
					);
					if (same) continue;
					e.attendees.push({
						...a,
						attendee_id: `${a.type}_${randomBytes(5).toString('hex')}`,
						rsvp_status: 'needs_action',
						is_optional: a.is_optional === true,
						is_organizer: false,
						is_external: false,
					});
				}
				return ok({ attendees: e.attendees });
			},
			'feishu.calendarEvent.patch': ({ params, body, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, true);
				if ('status' in calendar) return calendar;
				const e = this.events.get(params.event_id);
				if (!e || e.calendarId !== params.calendar_id) return fail(404, 193001, 'event not found');
				if (e.deleted) return fail(403, 193003, 'event is deleted');
				if ((body.start_time === undefined) !== (body.end_time === undefined))
					return fail(
						400,
						190002,
						'invalid parameters in request: start_time and end_time together',
					);
				if (body.start_time !== undefined) {
					const problem =
						this.checkTime(body.start_time as Record<string, unknown>, 'start_time') ??
						this.checkTime(body.end_time as Record<string, unknown>, 'end_time');
					if (problem) return fail(400, 190002, `invalid parameters in request: ${problem}`);
				}
				Object.assign(e.body, body);
				this.changed(e, 'update');
				return ok({ event: this.eventOut(e, false) });
			},
			'feishu.calendarEvent.removeAttendees': ({ params, body, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, true);
				if ('status' in calendar) return calendar;
				const e = this.events.get(params.event_id);
				if (!e || e.calendarId !== params.calendar_id) return fail(404, 193001, 'event not found');
				const ids = (body.attendee_ids as string[] | undefined) ?? [];
				const given = (body.delete_ids as Array<Record<string, unknown>> | undefined) ?? [];
				if (ids.length + given.length > 500)
					return fail(400, 190002, 'invalid parameters in request: more than 500');
				const key = (a: Record<string, unknown>) =>
					`${String(a.type)}:${String(a.user_id ?? a.chat_id ?? a.room_id ?? a.third_party_email)}`;
				const targets = new Set(given.map(key));
				const before = e.attendees.length;
				const found = e.attendees.filter(
					(a) => ids.includes(String(a.attendee_id)) || targets.has(key(a)),
				);
				if (found.length < ids.length + given.length)
					return fail(404, 194000, 'attendee not found');
				e.attendees = e.attendees.filter((a) => !found.includes(a));
				return before === e.attendees.length ? fail(404, 194000, 'attendee not found') : ok();
			},
			'feishu.calendar.freebusy': ({ body }) => {
				const from = Date.parse(String(body.time_min));
				const to = Date.parse(String(body.time_max));
				if (!(to > from) || to - from > 90 * DAY)
					return fail(400, 190014, 'invalid request parameters. check details for more info.');
				const who = String(body.user_id ?? body.room_id ?? '');
				const busy: Array<{ start: number; end: number }> = [];
				for (const e of this.events.values()) {
					if (e.deleted) continue;
					const mine =
						e.calendarId === userCalendar(who) ||
						e.attendees.some((a) => a.user_id === who || a.room_id === who);
					if (!mine) continue;
					const start = e.body.start_time as Record<string, string>;
					const end = e.body.end_time as Record<string, string>;
					if (start.timestamp === undefined) continue;
					const s = Number(start.timestamp) * 1000;
					const t = Number(end.timestamp) * 1000;
					if (t > from && s < to) busy.push({ start: s, end: t });
				}
				busy.sort((a, b) => a.start - b.start);
				return ok({
					freebusy_list: busy.map((b) => ({
						start_time: new Date(b.start).toISOString().replace('.000Z', '+00:00'),
						end_time: new Date(b.end).toISOString().replace('.000Z', '+00:00'),
					})),
				});
			},
			'feishu.calendarEvent.instanceView': ({ params, query, caller }) => {
				const calendar = this.calendarFor(params.calendar_id, caller, false);
				if ('status' in calendar) return calendar;
				const from = Number(query.start_time) * 1000;
				const to = Number(query.end_time) * 1000;
				if (!(to > from)) return fail(400, 190002, 'invalid parameters in request: time range');
				if (to - from >= 40 * DAY)
					return fail(400, 193103, 'requested time exceeds the allowed range');
				const items: Array<Record<string, unknown>> = [];
				for (const e of this.eventsOf(params.calendar_id)) {
					const start = e.body.start_time as Record<string, string>;
					const end = e.body.end_time as Record<string, string>;
					const zone = start.timezone ?? 'Asia/Shanghai';
					const startMs =
						start.date !== undefined
							? Date.parse(`${start.date}T00:00:00Z`)
							: Number(start.timestamp) * 1000;
					const endMs =
						end.date !== undefined
							? Date.parse(`${end.date}T00:00:00Z`) + DAY
							: Number(end.timestamp) * 1000;
					const length = endMs - startMs;
					const starts = e.body.recurrence
						? occurrences(
								startMs,
								start.date !== undefined ? 'UTC' : zone,
								String(e.body.recurrence),
								to,
							)
						: [startMs];
					for (const at of starts) {
						if (at >= to || at + length <= from) continue;
						const out = this.eventOut(e, false);
						items.push({
							...out,
							event_id: e.body.recurrence
								? `${e.event_id.replace(/_0$/, '')}_${Math.floor(at / 1000)}`
								: e.event_id,
							...(start.date !== undefined
								? {
										start_time: { date: new Date(at).toISOString().slice(0, 10) },
										end_time: { date: new Date(at + length - DAY).toISOString().slice(0, 10) },
									}
								: {
										start_time: { timestamp: String(Math.floor(at / 1000)), timezone: zone },
										end_time: {
											timestamp: String(Math.floor((at + length) / 1000)),
											timezone: zone,
										},
									}),
							...(e.body.recurrence ? { recurring_event_id: e.event_id } : {}),
						});
					}
				}
				if (items.length > 1000) return fail(400, 193104, 'exceeded the maximum instance number');
				items.sort(
					(a, b) =>
						Number(
							(a.start_time as Record<string, string>).timestamp ??
								Date.parse(String((a.start_time as Record<string, string>).date)) / 1000,
						) -
						Number(
							(b.start_time as Record<string, string>).timestamp ??
								Date.parse(String((b.start_time as Record<string, string>).date)) / 1000,
						),
				);
				return ok({ items });
			},
		};
	}
}
