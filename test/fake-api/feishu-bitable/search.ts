/** Record search: the filter's conditions per field type, and sorting. */

import type { Answer } from '../server';
import {
	BitableField,
	BitableRecord,
	BitableTable,
	OPERATORS,
	DATE_OPERATORS,
	DAY,
	ZONE_OFFSET,
	fail,
	isAnswer,
	isObject,
} from './model';
import { BitableCells } from './cells';

export class BitableSearch extends BitableCells {
	// ----- Search: filter and sort.

	/** The cell as plain values for filtering: strings for text-like fields, numbers, booleans, or a list of IDs/names. */
	protected cell(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
		idType: string,
	): string | number | boolean | string[] | undefined {
		const v = record.fields[field.field_name];
		switch (field.type) {
			case 1:
			case 13:
				return typeof v === 'string' && v !== '' ? v : undefined;
			case 15:
				return isObject(v) ? String(v.text) : undefined; // "filter by display name"
			case 22:
				return typeof v === 'string' ? this.location(v).full_address : undefined;
			case 1005:
				return String(record.auto_number);
			case 2:
			case 5:
				return typeof v === 'number' ? v : undefined;
			case 1001:
				return record.created_time;
			case 1002:
				return record.last_modified_time;
			case 7:
				return v === true;
			case 3:
				return typeof v === 'string' ? [v] : [];
			case 4:
			case 18:
			case 21:
				return Array.isArray(v) ? (v as string[]) : [];
			case 11:
				return ((v as Array<{ id: string }> | undefined) ?? []).map((p) =>
					String(this.person(p.id, idType)?.id ?? p.id),
				);
			case 23:
				return ((v as Array<{ id: string }> | undefined) ?? []).map((c) => c.id);
			case 17:
				return ((v as Array<{ file_token: string }> | undefined) ?? []).map((f) => f.file_token);
			case 1003:
			case 1004:
				return record.created_by ? [String(this.person(record.created_by, idType)?.id)] : [];
			case 20: {
				const n = this.readValue(table, field, record, idType) as { value: number[] } | undefined;
				return n?.value[0];
			}
			default:
				return undefined;
		}
	}

	/** A date filter value as a day range [from, to) in the base's time zone. */
	protected dateRange(values: string[], operator: string): [number, number] | undefined {
		const dayStart = (ms: number) => Math.floor((ms + ZONE_OFFSET) / DAY) * DAY - ZONE_OFFSET;
		const today = dayStart(Date.now());
		const [tag, arg] = values;
		if (tag === 'ExactDate') {
			if (values.length !== 2 || !/^-?\d+$/.test(arg ?? '')) return undefined;
			const start = dayStart(Number(arg));
			return [start, start + DAY];
		}
		if (values.length !== 1) return undefined;
		const days: Record<string, number> = { Today: 0, Tomorrow: 1, Yesterday: -1 };
		if (tag in days) return [today + days[tag] * DAY, today + (days[tag] + 1) * DAY];
		// CurrentWeek and the rest: "is" only.
		if (operator !== 'is') return undefined;
		const local = new Date(today + ZONE_OFFSET);
		const weekStart = today - ((local.getUTCDay() + 6) % 7) * DAY;
		const monthStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - ZONE_OFFSET;
		const nextMonthStart =
			Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - ZONE_OFFSET;
		const lastMonthStart =
			Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1) - ZONE_OFFSET;
		const ranges: Record<string, [number, number]> = {
			CurrentWeek: [weekStart, weekStart + 7 * DAY],
			LastWeek: [weekStart - 7 * DAY, weekStart],
			CurrentMonth: [monthStart, nextMonthStart],
			LastMonth: [lastMonthStart, monthStart],
			TheLastWeek: [today - 7 * DAY, today + DAY],
			TheNextWeek: [today, today + 8 * DAY],
			TheLastMonth: [today - 30 * DAY, today + DAY],
			TheNextMonth: [today, today + 31 * DAY],
		};
		return ranges[tag];
	}

	protected condition(
		table: BitableTable,
		c: Record<string, unknown>,
		idType: string,
	): ((r: BitableRecord) => boolean) | Answer {
		const invalid = fail(1254018, 'InvalidFilter');
		if (typeof c.field_name !== 'string') return invalid;
		const field = this.byName(table, c.field_name);
		if (!field) return fail(1254045, 'FieldNameNotFound');
		const op = String(c.operator);
		if (!OPERATORS.has(op)) return invalid;
		// "For an empty value you must send value: []"; at most 10 values.
		if (!Array.isArray(c.value) || c.value.length > 10) return invalid;
		const values = c.value as string[];
		// "目前暂不支持公式或查找引用的字段类型作为筛选条件".
		if (field.type === 19 || field.type === 20 || field.type === 24 || field.type === 3001)
			return invalid;
		const get = (r: BitableRecord) => this.cell(table, field, r, idType);
		const date = field.type === 5 || field.type === 1001 || field.type === 1002;
		if (date && !DATE_OPERATORS.has(op)) return invalid;
		if (field.type === 7) {
			if (op !== 'is' || values.length !== 1 || (values[0] !== 'true' && values[0] !== 'false'))
				return invalid;
			return (r) => get(r) === (values[0] === 'true');
		}
		const empty = (v: ReturnType<typeof get>) =>
			v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
		if (op === 'isEmpty') return (r) => empty(get(r));
		if (op === 'isNotEmpty') return (r) => !empty(get(r));
		if (field.type === 17) return invalid; // attachments: isEmpty / isNotEmpty only
		if (values.length === 0) return invalid;
		if (date) {
			const range = this.dateRange(values, op);
			if (!range) return invalid;
			const [from, to] = range;
			const test = {
				is: (n: number) => n >= from && n < to,
				isGreater: (n: number) => n >= to,
				isLess: (n: number) => n < from,
			}[op as 'is' | 'isGreater' | 'isLess'];
			return (r) => {
				const n = get(r);
				return typeof n === 'number' && test(n);
			};
		}
		const list = [3, 4, 11, 18, 21, 23, 1003, 1004].includes(field.type);
		if (list) {
			if (
				(field.type === 3 || field.type === 4) &&
				(op === 'is' || op === 'isNot') &&
				values.length !== 1
			)
				return invalid;
			if (!['is', 'isNot', 'contains', 'doesNotContain'].includes(op)) return invalid;
			const is = (cell: string[]) =>
				cell.length === new Set(values).size && values.every((v) => cell.includes(v));
			const contains = (cell: string[]) => values.some((v) => cell.includes(v));
			const test = {
				is,
				isNot: (x: string[]) => !is(x),
				contains,
				doesNotContain: (x: string[]) => !contains(x),
			}[op as 'is' | 'isNot' | 'contains' | 'doesNotContain'];
			return (r) => test(get(r) as string[]);
		}
		// Text-like and number fields: one string value.
		const wanted = values[0];
		const numeric = field.type === 2;
		if (numeric && !Number.isFinite(Number(wanted))) return invalid;
		const compare = (v: string | number): number =>
			typeof v === 'number' ||
			(Number.isFinite(Number(v)) && Number.isFinite(Number(wanted)) && String(v).trim() !== '')
				? Number(v) - Number(wanted)
				: String(v).localeCompare(wanted);
		return (r) => {
			const v = get(r) as string | number | undefined;
			switch (op) {
				case 'is':
					return v !== undefined && (numeric ? Number(v) === Number(wanted) : String(v) === wanted);
				case 'isNot':
					return v === undefined || (numeric ? Number(v) !== Number(wanted) : String(v) !== wanted);
				case 'contains':
					return (
						v !== undefined && values.some((w) => String(v).toLowerCase().includes(w.toLowerCase()))
					);
				case 'doesNotContain':
					return (
						v === undefined ||
						!values.some((w) => String(v).toLowerCase().includes(w.toLowerCase()))
					);
				case 'isGreater':
					return v !== undefined && compare(v) > 0;
				case 'isGreaterEqual':
					return v !== undefined && compare(v) >= 0;
				case 'isLess':
					return v !== undefined && compare(v) < 0;
				default:
					return v !== undefined && compare(v) <= 0;
			}
		};
	}

	protected filter(
		table: BitableTable,
		filter: Record<string, unknown>,
		idType: string,
	): ((r: BitableRecord) => boolean) | Answer {
		if (JSON.stringify(filter).length > 2000)
			return fail(1254107, 'Filter长度超限, 限制2,000个字符');
		const group = (
			g: Record<string, unknown>,
			top: boolean,
		): ((r: BitableRecord) => boolean) | Answer => {
			if (g.conjunction !== 'and' && g.conjunction !== 'or') return fail(1254018, 'InvalidFilter');
			const conditions = (g.conditions as Array<Record<string, unknown>> | undefined) ?? [];
			if (conditions.length > 50) return fail(1254018, 'InvalidFilter');
			const tests: Array<(r: BitableRecord) => boolean> = [];
			for (const c of conditions) {
				const t = this.condition(table, c, idType);
				if (isAnswer(t)) return t;
				tests.push(t);
			}
			if (g.children !== undefined) {
				if (!top) return fail(1254018, 'InvalidFilter');
				for (const child of g.children as Array<Record<string, unknown>>) {
					const t = group(child, false);
					if (isAnswer(t)) return t;
					tests.push(t);
				}
			}
			return g.conjunction === 'and'
				? (r) => tests.every((t) => t(r))
				: (r) => tests.length === 0 || tests.some((t) => t(r));
		};
		return group(filter, true);
	}

	protected sortKey(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
	): number | string | undefined {
		const c = this.cell(table, field, record, 'open_id');
		if (c === undefined) return undefined;
		if (typeof c === 'boolean') return c ? 1 : 0;
		if (typeof c === 'number') return c;
		if (field.type === 1005) return Number(c);
		if (Array.isArray(c)) {
			if (c.length === 0) return undefined;
			if (field.type === 3 || field.type === 4) {
				const options = (field.property?.options as Array<{ name: string }> | undefined) ?? [];
				return options.findIndex((o) => o.name === c[0]);
			}
			return c.join(',');
		}
		return c;
	}
}
