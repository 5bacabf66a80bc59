/** Cell values: each field type's documented write value checked and stored, and read back as the API answers it. */

import type { Answer } from '../server';
import {
	BitableField,
	BitableRecord,
	BitableTable,
	BitableBase,
	READ_ONLY,
	alnum,
	fail,
	isAnswer,
	isObject,
	onlyKeys,
	WritePlan,
} from './model';
import { BitableStore } from './store';

export class BitableCells extends BitableStore {
	// ----- Values.

	/** Checks one written value against its field's type; returns the stored (write-shape) value, `undefined` to clear, or the documented error. */
	protected writeValue(
		base: BitableBase,
		table: BitableTable,
		field: BitableField,
		value: unknown,
		idType: string,
		plan: WritePlan,
	): { stored: unknown } | Answer {
		if (READ_ONLY.has(field.type)) return fail(1254015, 'Field types do not match.', 400);
		if (value === null) return { stored: undefined };
		const strings = (v: unknown): v is string[] =>
			Array.isArray(v) && v.every((s) => typeof s === 'string');
		switch (field.type) {
			case 1:
				if (typeof value !== 'string') return fail(1254060, 'TextFieldConvFail');
				if (value.length > 100_000) return fail(1254130, 'TooLargeCell');
				return { stored: value };
			case 2:
				return typeof value === 'number' && Number.isFinite(value)
					? { stored: value }
					: fail(1254061, 'NumberFieldConvFail');
			case 3: {
				if (typeof value !== 'string') return fail(1254062, 'SingleSelectFieldConvFail');
				if (value === '') return { stored: undefined };
				this.planOptions(field, [value], plan);
				return { stored: value };
			}
			case 4: {
				if (!strings(value)) return fail(1254063, 'MultiSelectFieldConvFail');
				if (value.length > 1000) return fail(1254063, 'MultiSelectFieldConvFail');
				const unique = [...new Set(value.filter((v) => v !== ''))];
				this.planOptions(field, unique, plan);
				return { stored: unique };
			}
			case 5:
				return typeof value === 'number' && Number.isInteger(value)
					? { stored: value }
					: fail(1254064, 'DatetimeFieldConvFail');
			case 7:
				return typeof value === 'boolean'
					? { stored: value }
					: fail(1254065, 'CheckboxFieldConvFail');
			case 11: {
				// "目前只支持填写 id 参数，且需要传入数组"; IDs of the request's user_id_type.
				if (!Array.isArray(value) || value.length > 1000) return fail(1254066, 'UserFieldConvFail');
				const openIds: Array<{ id: string }> = [];
				for (const person of value) {
					if (!isObject(person) || !onlyKeys(person, ['id']) || typeof person.id !== 'string')
						return fail(1254066, 'UserFieldConvFail');
					const u = this.user(person.id, idType);
					if (!u) return fail(1254066, 'UserFieldConvFail');
					openIds.push({ id: u.open_id });
				}
				return { stored: openIds };
			}
			case 13:
				return typeof value === 'string' && /^(\+)?\d*$/.test(value) && value.length <= 64
					? { stored: value }
					: fail(1254072, 'PhoneFieldConvFail');
			case 15:
				if (
					!isObject(value) ||
					!onlyKeys(value, ['text', 'link']) ||
					typeof value.link !== 'string' ||
					value.link === '' ||
					(value.text !== undefined && typeof value.text !== 'string')
				) {
					return fail(1254068, 'URLFieldConvFail');
				}
				return { stored: { text: value.text ?? value.link, link: value.link } };
			case 17: {
				if (!Array.isArray(value)) return fail(1254069, 'AttachFieldConvFail');
				if (value.length > 100) return fail(1254106, 'AttachExceedLimit');
				const stored: Array<{ file_token: string }> = [];
				for (const file of value) {
					if (
						!isObject(file) ||
						!onlyKeys(file, ['file_token']) ||
						typeof file.file_token !== 'string'
					)
						return fail(1254069, 'AttachFieldConvFail');
					// "要在多维表格中写入附件，你需先调用上传素材接口，将附件上传到当前多维表格中".
					if (this.media.get(file.file_token)?.appToken !== base.app_token)
						return fail(1254303, 'AttachPermNotAllow');
					stored.push({ file_token: file.file_token });
				}
				return { stored };
			}
			case 18:
			case 21: {
				const [code, msg, status] =
					field.type === 18
						? [1254067, 'LinkFieldConvFail', 200]
						: [1254074, 'DuplexLinkFieldConvFail', 400];
				if (!strings(value) || value.length > 500) return fail(code, msg, status);
				const linked = base.tables.get(String(field.property?.table_id ?? table.table_id));
				if (!linked || !value.every((id) => linked.records.has(id))) return fail(code, msg, status);
				return { stored: [...new Set(value)] };
			}
			case 22: {
				const m =
					typeof value === 'string'
						? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value)
						: null;
				if (!m || Math.abs(Number(m[1])) > 180 || Math.abs(Number(m[2])) > 90)
					return fail(1254015, 'Field types do not match.', 400);
				return { stored: `${m[1]},${m[2]}` };
			}
			case 23: {
				// [{id: "oc_…"}], at most 10 ("群组数不能超过 10 个"). No conversion code is documented for groups.
				if (!Array.isArray(value) || value.length > 10)
					return fail(1254015, 'Field types do not match.', 400);
				for (const chat of value) {
					if (
						!isObject(chat) ||
						!onlyKeys(chat, ['id']) ||
						typeof chat.id !== 'string' ||
						!chat.id.startsWith('oc_')
					)
						return fail(1254015, 'Field types do not match.', 400);
				}
				return { stored: value.map((c) => ({ id: (c as { id: string }).id })) };
			}
			default:
				return fail(1254015, 'Field types do not match.', 400);
		}
	}

	protected planOptions(field: BitableField, names: string[], plan: WritePlan): void {
		const known = new Set(
			((field.property?.options as Array<{ name: string }> | undefined) ?? []).map((o) => o.name),
		);
		for (const name of names) {
			if (known.has(name)) continue;
			if (!plan.newOptions.has(field)) plan.newOptions.set(field, new Set());
			plan.newOptions.get(field)!.add(name);
		}
	}

	/** "对于新的选项值，将会创建一个新的选项": applied once the whole call is valid. */
	protected applyPlan(plan: WritePlan): void {
		for (const [field, names] of plan.newOptions) {
			field.property ??= {};
			const options = ((field.property.options as Array<Record<string, unknown>> | undefined) ??=
				[]);
			for (const name of names) {
				if (!options.some((o) => o.name === name))
					options.push({ id: `opt${alnum(7)}`, name, color: options.length % 55 });
			}
		}
	}

	/** Validates a record's `fields` body; returns the stored values to set (undefined = clear). */
	protected writeFields(
		base: BitableBase,
		table: BitableTable,
		fields: unknown,
		idType: string,
		plan: WritePlan,
	): Map<string, unknown> | Answer {
		if (!isObject(fields)) return fail(1254001, 'WrongRequestBody');
		const out = new Map<string, unknown>();
		for (const [name, value] of Object.entries(fields)) {
			const field = this.byName(table, name);
			if (!field) return fail(1254045, 'FieldNameNotFound');
			const checked = this.writeValue(base, table, field, value, idType, plan);
			if (isAnswer(checked)) return checked;
			out.set(name, checked.stored);
		}
		return out;
	}

	protected setFields(record: BitableRecord, values: Map<string, unknown>): void {
		for (const [name, value] of values) {
			if (value === undefined) delete record.fields[name];
			else record.fields[name] = value;
		}
		record.last_modified_time = Date.now();
	}

	protected person(openId: string, idType: string): Record<string, unknown> | undefined {
		const u = this.user(openId, 'open_id');
		if (!u) return undefined;
		return {
			id: (u as unknown as Record<string, string>)[idType],
			name: u.name,
			en_name: u.name,
			email: u.email,
			avatar_url: `https://s1-imfile.feishucdn.com/static-resource/v1/${u.open_id}~?image_size=72x72`,
		};
	}

	/** The read shape of one cell (record data structure page); undefined when empty (empty fields are omitted). */
	protected readValue(
		table: BitableTable,
		field: BitableField,
		record: BitableRecord,
		idType: string,
	): unknown {
		const v = record.fields[field.field_name];
		switch (field.type) {
			case 1:
				if (typeof v !== 'string' || v === '') return undefined;
				return field.ui_type === 'Email'
					? [{ type: 'url', text: v, link: `mailto:${v}` }]
					: [{ type: 'text', text: v }];
			case 2:
			case 5:
				return typeof v === 'number' ? v : undefined;
			case 7:
				// An unchecked box reads as empty (FAQ: an unset checkbox looks the same as false).
				return v === true ? true : undefined;
			case 3:
			case 13:
				return typeof v === 'string' && v !== '' ? v : undefined;
			case 4:
				return Array.isArray(v) && v.length > 0 ? v : undefined;
			case 11: {
				const people = ((v as Array<{ id: string }> | undefined) ?? [])
					.map((p) => this.person(p.id, idType))
					.filter((p) => p !== undefined);
				return people.length > 0 ? people : undefined;
			}
			case 15:
				return isObject(v) ? { link: v.link, text: v.text } : undefined;
			case 17: {
				const files = ((v as Array<{ file_token: string }> | undefined) ?? []).flatMap((f) => {
					const m = this.media.get(f.file_token);
					if (!m) return [];
					return [
						{
							file_token: f.file_token,
							name: m.fileName,
							type: m.mimeType,
							size: m.bytes.length,
							url: `${this.fake.url}/open-apis/drive/v1/medias/${f.file_token}/download`,
							tmp_url: `${this.fake.url}/open-apis/drive/v1/medias/batch_get_tmp_download_url?file_tokens=${f.file_token}`,
						},
					];
				});
				return files.length > 0 ? files : undefined;
			}
			case 18:
			case 21:
				return Array.isArray(v) && v.length > 0 ? { link_record_ids: v } : undefined;
			case 22:
				return typeof v === 'string' ? this.location(v) : undefined;
			case 23: {
				const chats = ((v as Array<{ id: string }> | undefined) ?? []).map((c) => ({
					id: c.id,
					name: this.fake.im.chats.get(c.id)?.name ?? c.id,
					avatar_url: '',
				}));
				return chats.length > 0 ? chats : undefined;
			}
			case 20: {
				// The sandbox's formula: Count * 2 ({type: <base type>, value: [...]}).
				const count = this.byName(table, 'Count');
				const n = count ? record.fields[count.field_name] : undefined;
				return typeof n === 'number' ? { type: 2, value: [n * 2] } : undefined;
			}
			case 1001:
				return record.created_time;
			case 1002:
				return record.last_modified_time;
			case 1003:
			case 1004: {
				const p = record.created_by ? this.person(record.created_by, idType) : undefined;
				return p ? [p] : undefined;
			}
			case 1005:
				return String(record.auto_number);
			default:
				return undefined;
		}
	}

	protected location(lngLat: string): Record<string, string> {
		// Invented reverse geocoding: every point is "somewhere in Dongcheng, Beijing".
		return {
			location: lngLat,
			pname: '北京市',
			cityname: '北京市',
			adname: '东城区',
			address: '东长安街',
			name: '天安门广场',
			full_address: '北京市东城区东长安街天安门广场',
		};
	}

	protected readRecord(
		table: BitableTable,
		record: BitableRecord,
		options: { idType: string; fieldNames?: Set<string>; automatic?: boolean; sharedUrl?: boolean },
	): Record<string, unknown> {
		const fields: Record<string, unknown> = {};
		for (const field of table.fields) {
			if (options.fieldNames && !options.fieldNames.has(field.field_name)) continue;
			const value = this.readValue(table, field, record, options.idType);
			if (value !== undefined) fields[field.field_name] = value;
		}
		const out: Record<string, unknown> = { record_id: record.record_id, fields };
		if (options.automatic) {
			const creator = record.created_by
				? this.person(record.created_by, options.idType)
				: undefined;
			Object.assign(out, {
				created_time: record.created_time,
				last_modified_time: record.last_modified_time,
				...(creator ? { created_by: creator, last_modified_by: creator } : {}),
			});
		}
		if (options.sharedUrl) out.shared_url = `https://sandbox.feishu.cn/record/${record.record_id}`;
		return out;
	}
}
