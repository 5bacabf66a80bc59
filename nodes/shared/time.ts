import type { INodeProperties } from 'n8n-workflow';

import type { ParamReader } from './params';

/**
 * Date-times for the calendars and tasks of both platforms: n8n's DateTime, ISO text or milliseconds in,
 * one instant out; a wall-clock time without an offset is read in the given IANA time zone (not the
 * server's). All-day dates stay dates.
 */

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `zone` is an IANA time zone this runtime knows. */
export function knownZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** The offset of `zone` from UTC at the instant `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const asUtc = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
	);
	return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time in `zone` (the earlier one in a DST fold; a time in a gap moves forward). */
function wallClock(fields: number[], zone: string): number {
	const [year, month, day, hour, minute, second, milli] = fields;
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, milli);
	let guess = asUtc - offsetAt(asUtc, zone);
	guess = asUtc - offsetAt(guess, zone);
	return guess;
}

/**
 * An instant (milliseconds) from n8n's DateTime, a JS Date, ISO text (with an offset, or a wall-clock time
 * read in `zone`) or milliseconds; anything else is bad input of the field.
 */
export function instantOf(p: ParamReader, name: string, zone: string, label?: string): number {
	const value = p.raw(name, '');
	if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	) {
		const ms = (value as { toMillis(): number }).toMillis();
		if (Number.isFinite(ms)) return ms;
	}
	const text = p.requiredString(name, value, label);
	if (/^-?\d+$/.test(text)) return Number(text);
	const wall = WALL_CLOCK.exec(text);
	if (wall)
		return wallClock(
			wall
				.slice(1)
				.map((v, i) => (v === undefined ? 0 : i === 6 ? Number(v.padEnd(3, '0')) : Number(v))),
			zone,
		);
	const date = DATE_ONLY.exec(text);
	if (date) return wallClock([...date.slice(1).map(Number), 0, 0, 0, 0], zone);
	const ms = Date.parse(text);
	if (Number.isNaN(ms))
		return p.fail(
			name,
			`expected a date and time (n8n's DateTime, ISO text like 2026-12-01T09:00:00+08:00, or milliseconds), got "${text}"`,
			label,
		);
	return ms;
}

/**
 * A calendar date (YYYY-MM-DD) for an all-day field: the date as given, or the date in `zone` of an
 * instant (n8n's DateTime, ISO text with a time, milliseconds): never midnight in the server's zone.
 */
export function dateOf(p: ParamReader, name: string, zone: string, label?: string): string {
	const value = p.raw(name, '');
	if (typeof value === 'string' && DATE_ONLY.test(value.trim())) return value.trim();
	const ms = instantOf(p, name, zone, label);
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: zone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date(ms));
	return parts;
}

/** The time zone of a run: the field's, else the workflow's, checked. */
export function zoneOf(p: ParamReader, name: string, workflowZone: string, label?: string): string {
	const zone = p.optionalString(name, undefined, label) ?? workflowZone;
	if (!knownZone(zone))
		return p.fail(name, `"${zone}" is not an IANA time zone (e.g. Asia/Shanghai)`, label);
	return zone;
}

/** An instant as ISO text with the offset of `zone` at that instant: 2026-12-01T09:00:00+08:00. */
export function isoInZone(ms: number, zone: string): string {
	const offset = offsetAt(ms, zone);
	const local = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
	const sign = offset < 0 ? '-' : '+';
	const minutes = Math.abs(offset) / 60_000;
	const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
	const mm = String(minutes % 60).padStart(2, '0');
	return `${local}${sign}${hh}:${mm}`;
}

/** After, Before and Time Zone: a time range's fields (Calendar Event › Get Many, Get Free/Busy). */
export function rangeFields(): INodeProperties[] {
	return [
		{
			displayName: 'After',
			name: 'after',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'The start of the range',
		},
		{
			displayName: 'Before',
			name: 'before',
			type: 'dateTime',
			required: true,
			default: '',
			description: 'The end of the range',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: 'Asia/Shanghai',
			description: "The time zone of times without an offset. Empty: the workflow's.",
		},
	];
}

/** The range of rangeFields, as instants, in its zone; Before must be after After. */
export function rangeOf(
	p: ParamReader,
	workflowZone: string,
): { after: number; before: number; zone: string } {
	const zone = zoneOf(p, 'timeZone', workflowZone, 'Time Zone');
	const after = instantOf(p, 'after', zone, 'After');
	const before = instantOf(p, 'before', zone, 'Before');
	if (before <= after) p.fail('before', 'is not after After', 'Before');
	return { after, before, zone };
}

/** The text fields of an Update Fields collection that were given, by name (e.g. summary, description). */
export function givenTexts(
	p: ParamReader,
	names: readonly string[],
	collection = 'updateFields',
	label = 'Update Fields',
): Record<string, string> {
	const fields = (p.raw(collection, {}) ?? {}) as Record<string, unknown>;
	const out: Record<string, string> = {};
	for (const name of names) {
		const title = name.charAt(0).toUpperCase() + name.slice(1);
		const value = p.optionalString(`${collection}.${name}`, fields[name], `${label} › ${title}`);
		if (value !== undefined) out[name] = value;
	}
	return out;
}
