/**
 * DingTalk calendars and events (日程, calendar v1.0; docs/research/calendar-tasks.md §3) in the fake: each
 * user's primary calendar by unionId, events with attendees, the idempotency header x-client-token (a
 * day), 100 events a user a day, and eventsview's expansion of a recurrence {pattern, range} in the
 * event's time zone (the Feishu fake's independent conversion).
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';
import { zonedInstant } from './feishu-calendar';

interface DingEvent {
	id: string;
	organizer: string;
	body: Record<string, unknown>;
	attendees: Array<{ id: string; isOptional?: boolean }>;
	deleted: boolean;
	createdAt: number;
}

const fail = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});
const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export class DingTalkCalendars {
	readonly events = new Map<string, DingEvent>();
	private readonly tokens = new Map<string, { answer: Answer; at: number }>();
	private readonly createdToday = new Map<string, number>();

	constructor(private readonly fake: FakeApi) {}

	seed(): void {
		this.events.clear();
		this.tokens.clear();
		this.createdToday.clear();
	}

	eventsOf(unionId: string): DingEvent[] {
		return [...this.events.values()].filter((e) => e.organizer === unionId && !e.deleted);
	}

	private known(unionId: string): boolean {
		return this.fake.state.dingUsers.some((u) => u.unionid === unionId);
	}

	/** The answer to a repeat of an x-client-token within a day, or the new answer kept for it. */
	private once(headers: Record<string, unknown>, make: () => Answer): Answer {
		const token = headers['x-client-token'];
		if (typeof token !== 'string') return make();
		const kept = this.tokens.get(token);
		if (kept && Date.now() - kept.at < DAY) return kept.answer;
		const answer = make();
		if (answer.status === 200) this.tokens.set(token, { answer, at: Date.now() });
		return answer;
	}

	private out(e: DingEvent) {
		return {
			id: e.id,
			...e.body,
			attendees: e.attendees.map((a) => ({ ...a, responseStatus: 'needsAction' })),
			organizer: { id: e.organizer },
			...(e.body.onlineMeetingInfo
				? {
						onlineMeetingInfo: {
							type: 'dingtalk',
							conferenceId: `conf-${e.id.slice(0, 6)}`,
							url: `dingtalk://dingtalkclient/page/videoConfFromCalendar?calendarId=${e.id}`,
						},
					}
				: {}),
			status: 'confirmed',
			createTime: new Date(e.createdAt).toISOString(),
		};
	}

	private check(params: Record<string, string>): Answer | undefined {
		if (params.calendarId !== 'primary')
			return fail(400, 'invalidParameter', 'CalendarId must be primary');
		if (!this.known(params.userId)) return fail(400, 'permissionDeny', 'permissionDeny');
		return undefined;
	}

	private event(params: Record<string, string>): DingEvent | Answer {
		const e = this.events.get(params.eventId);
		if (!e || e.deleted || e.organizer !== params.userId)
			return fail(404, 'itemNotFound', 'event not found');
		return e;
	}

	/** Start instants of the occurrences (daily, weekly, absoluteMonthly) up to `untilMs`. */
	private occurrences(e: DingEvent, untilMs: number): number[] {
		const start = e.body.start as { dateTime?: string; date?: string; timeZone?: string };
		const zone = start.date !== undefined ? 'UTC' : (start.timeZone ?? 'Asia/Shanghai');
		const first =
			start.date !== undefined
				? Date.parse(`${start.date}T00:00:00Z`)
				: Date.parse(String(start.dateTime));
		const recurrence = e.body.recurrence as
			{ pattern: Record<string, unknown>; range: Record<string, unknown> } | undefined;
		if (!recurrence) return [first];
		const wall = Object.fromEntries(
			new Intl.DateTimeFormat('en-GB', {
				timeZone: zone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
			})
				.formatToParts(new Date(first))
				.map((p) => [p.type, p.value]),
		);
		const firstDay = Date.UTC(Number(wall.year), Number(wall.month) - 1, Number(wall.day));
		const interval = Number(recurrence.pattern.interval ?? 1);
		const count =
			recurrence.range.type === 'numbered'
				? Number(recurrence.range.numberOfOccurrences)
				: Infinity;
		const end =
			recurrence.range.type === 'endDate' ? Date.parse(String(recurrence.range.endDate)) : Infinity;
		const days = String(recurrence.pattern.daysOfWeek ?? '').split(',');
		const out: number[] = [];
		for (let n = 0; out.length < count && n < 3660; n++) {
			const day = new Date(firstDay + n * DAY);
			const type = recurrence.pattern.type;
			const ok =
				type === 'daily'
					? n % interval === 0
					: type === 'weekly'
						? Math.floor(n / 7) % interval === 0 && days.includes(WEEKDAYS[day.getUTCDay()])
						: type === 'absoluteMonthly'
							? day.getUTCDate() === Number(recurrence.pattern.dayOfMonth)
							: n === 0;
			if (!ok) continue;
			const at = zonedInstant(
				{
					y: day.getUTCFullYear(),
					mo: day.getUTCMonth() + 1,
					d: day.getUTCDate(),
					h: Number(wall.hour),
					mi: Number(wall.minute),
				},
				zone,
			);
			if (at > end || at > untilMs) break;
			out.push(at);
		}
		return out;
	}

	handlers(): Record<string, Handler> {
		return {
			'dingtalk.calendar.list': ({ params }) => {
				if (!this.known(params.userId))
					return { status: 400, body: { code: 'paramIllegal', message: 'PARAM ILLEGAL' } };
				return {
					status: 200,
					body: {
						response: {
							calendars: [
								{
									id: 'primary',
									summary: 'My calendar',
									type: 'primary',
									privilege: 'owner',
									timeZone: 'Asia/Shanghai',
								},
							],
						},
					},
				};
			},
			'dingtalk.calendarEvent.create': ({ params, body, headers }) => {
				const bad = this.check(params);
				if (bad) return bad;
				return this.once(headers ?? {}, () => {
					const start = body.start as Record<string, unknown>;
					if (!start || (start.date === undefined) === (start.dateTime === undefined))
						return fail(400, 'invalidParameter', 'Event start time not set.');
					if (start.dateTime !== undefined && Number.isNaN(Date.parse(String(start.dateTime))))
						return fail(400, 'invalidParameter', 'forwardErrorMessage');
					const attendees = (body.attendees as Array<{ id: string }> | undefined) ?? [];
					if (attendees.length > 500) return fail(400, 'invalidParameter', 'attendees over 500');
					const recurrence = body.recurrence as
						{ pattern?: Record<string, unknown>; range?: Record<string, unknown> } | undefined;
					if (recurrence) {
						const interval = Number(recurrence.pattern?.interval ?? 1);
						if (interval < 1 || interval > 365)
							return fail(400, 'invalidParameter', 'Recurrence interval must between [1, 365]');
						const n = recurrence.range?.numberOfOccurrences;
						if (n !== undefined && (Number(n) < 1 || Number(n) > 99))
							return fail(
								400,
								'invalidParameter',
								'Recurrence range numberOfOccurrences must between [1, 99]',
							);
					}
					const today = (this.createdToday.get(params.userId) ?? 0) + 1;
					if (today > 100)
						return fail(400, 'flowLimit', 'current user can not create events exceed 100 per day');
					this.createdToday.set(params.userId, today);
					const e: DingEvent = {
						id: randomBytes(12).toString('base64url'),
						organizer: params.userId,
						body: { ...body },
						attendees: attendees.map((a) => ({ ...a })),
						deleted: false,
						createdAt: Date.now(),
					};
					delete e.body.attendees;
					this.events.set(e.id, e);
					return { status: 200, body: this.out(e) };
				});
			},
			'dingtalk.calendarEvent.get': ({ params }) => {
				const bad = this.check(params);
				if (bad) return bad;
				const e = this.event(params);
				return 'status' in e ? e : { status: 200, body: this.out(e) };
			},
			'dingtalk.calendarEvent.update': ({ params, body, headers }) => {
				const bad = this.check(params);
				if (bad) return bad;
				return this.once(headers ?? {}, () => {
					const e = this.event(params);
					if ('status' in e) return e;
					const { id: _id, ...changes } = body;
					Object.assign(e.body, changes);
					return { status: 200, body: this.out(e) };
				});
			},
			'dingtalk.calendarEvent.delete': ({ params, headers }) => {
				const bad = this.check(params);
				if (bad) return bad;
				return this.once(headers ?? {}, () => {
					const e = this.event(params);
					if ('status' in e) return e;
					e.deleted = true;
					return { status: 200, body: undefined as unknown as Record<string, unknown> };
				});
			},
			'dingtalk.calendarEvent.addAttendees': ({ params, body, headers }) => {
				const bad = this.check(params);
				if (bad) return bad;
				return this.once(headers ?? {}, () => {
					const e = this.event(params);
					if ('status' in e) return e;
					const add = body.attendeesToAdd as Array<{ id: string }>;
					if (add.length > 500 || e.attendees.length + add.length > 5000)
						return fail(400, 'invalidParameter', 'too many attendees');
					for (const a of add)
						if (!e.attendees.some((x) => x.id === a.id)) e.attendees.push({ ...a });
					return { status: 200, body: {} };
				});
			},
			'dingtalk.calendarEvent.removeAttendees': ({ params, body, headers }) => {
				const bad = this.check(params);
				if (bad) return bad;
				return this.once(headers ?? {}, () => {
					const e = this.event(params);
					if ('status' in e) return e;
					const gone = new Set((body.attendeesToRemove as Array<{ id: string }>).map((a) => a.id));
					e.attendees = e.attendees.filter((a) => !gone.has(a.id));
					return { status: 200, body: {} };
				});
			},
			'dingtalk.calendarEvent.view': ({ params, query }) => {
				const bad = this.check(params);
				if (bad) return bad;
				const from = Date.parse(query.timeMin);
				const to = Date.parse(query.timeMax);
				if (Number.isNaN(from) || Number.isNaN(to))
					return fail(400, 'invalidParameter', 'forwardErrorMessage');
				const max = Number(query.maxResults ?? 100);
				if (max < 1 || max > 100) return fail(400, 'invalidParameter', 'maxResults');
				const all: Array<Record<string, unknown>> = [];
				for (const e of this.eventsOf(params.userId)) {
					const start = e.body.start as Record<string, string>;
					const end = (e.body.end ?? e.body.start) as Record<string, string>;
					const allDay = start.date !== undefined;
					const s0 = allDay ? Date.parse(`${start.date}T00:00:00Z`) : Date.parse(start.dateTime);
					const e0 = allDay ? Date.parse(`${end.date}T00:00:00Z`) + DAY : Date.parse(end.dateTime);
					const length = e0 - s0;
					for (const at of this.occurrences(e, to)) {
						if (at >= to || at + length <= from) continue;
						const zone = start.timeZone ?? 'Asia/Shanghai';
						all.push({
							...this.out(e),
							...(e.body.recurrence ? { id: `${e.id}_${at}`, seriesMasterId: e.id } : {}),
							start: allDay
								? { date: new Date(at).toISOString().slice(0, 10) }
								: { dateTime: new Date(at).toISOString(), timeZone: zone },
							end: allDay
								? { date: new Date(at + length - DAY).toISOString().slice(0, 10) }
								: { dateTime: new Date(at + length).toISOString(), timeZone: zone },
						});
					}
				}
				all.sort((a, b) =>
					String(
						(a.start as Record<string, string>).dateTime ??
							(a.start as Record<string, string>).date,
					).localeCompare(
						String(
							(b.start as Record<string, string>).dateTime ??
								(b.start as Record<string, string>).date,
						),
					),
				);
				const offset = query.nextToken
					? Number(Buffer.from(query.nextToken, 'base64url').toString())
					: 0;
				const page = all.slice(offset, offset + max);
				const more = offset + max < all.length;
				return {
					status: 200,
					body: {
						events: page,
						...(more ? { nextToken: Buffer.from(String(offset + max)).toString('base64url') } : {}),
					},
				};
			},
			'dingtalk.calendar.freebusy': ({ params, body }) => {
				if (!this.known(params.userId))
					return { status: 400, body: { code: 'paramIllegal', message: 'PARAM ILLEGAL' } };
				const ids = body.userIds as string[];
				if (ids.length > 20)
					return { status: 400, body: { code: 'paramIllegal', message: 'PARAM ILLEGAL' } };
				const from = Date.parse(String(body.startTime));
				const to = Date.parse(String(body.endTime));
				return {
					status: 200,
					body: {
						scheduleInformation: ids.map((userId) => ({
							userId,
							scheduleItems: [...this.events.values()]
								.filter(
									(e) =>
										!e.deleted &&
										(e.organizer === userId || e.attendees.some((a) => a.id === userId)),
								)
								.filter((e) => (e.body.start as Record<string, string>).dateTime !== undefined)
								.map((e) => ({
									s: Date.parse((e.body.start as Record<string, string>).dateTime),
									t: Date.parse(((e.body.end ?? e.body.start) as Record<string, string>).dateTime),
								}))
								.filter((x) => x.t > from && x.s < to)
								.map((x) => ({
									status: 'BUSY',
									start: { dateTime: new Date(x.s).toISOString(), timeZone: 'UTC' },
									end: { dateTime: new Date(x.t).toISOString(), timeZone: 'UTC' },
								})),
						})),
					},
				};
			},
		};
	}
}
