/** Record writes: client_token, the per-table write conflict, create, update and delete, field definitions. */

import type { Answer } from '../server';
import {
	BitableField,
	BitableRecord,
	BitableTable,
	BitableBase,
	CREATABLE,
	UI_TYPE_OF,
	UUID_V4,
	alnum,
	fail,
	isAnswer,
	isObject,
	FieldDefinition,
	WritePlan,
} from './model';
import { BitableSearch } from './search';

export class BitableWrites extends BitableSearch {
	// ----- Writes: client_token and the per-table write conflict.

	/**
	 * Runs a write to one table. With a client_token (uuidv4), a repeat of the same request answers the first
	 * answer again and writes nothing; the same token with another request is a conflict (1255006). A write that
	 * arrives while another write to the same table is still in flight answers 1254291, unless
	 * ignore_consistency_check=true (the documented way out). The in-flight window is the fake's answer latency.
	 */
	protected write(
		key: string,
		request: {
			params: Record<string, string>;
			query: Record<string, string>;
			body: Record<string, unknown>;
		},
		run: (base: BitableBase, table: BitableTable) => Answer,
	): Answer {
		const found = this.locate(request.params);
		if (isAnswer(found)) return found;
		const { base, table } = found as { base: BitableBase; table: BitableTable };
		const token = request.query.client_token;
		let signature = '';
		if (token !== undefined) {
			if (!UUID_V4.test(token))
				return fail(1254037, 'Invalid client token, please use uuidv4.', 400);
			const { client_token: _token, ...query } = request.query;
			signature = JSON.stringify({ key, params: request.params, query, body: request.body });
			const seen = this.clientTokens.get(token);
			if (seen) {
				if (seen.signature !== signature)
					return fail(
						1255006,
						'Client token conflict, please generate a new client token and try again.',
						400,
					);
				this.duplicatesAbsorbed++;
				return structuredClone(seen.answer);
			}
		}
		const now = Date.now();
		// 2 ms of slack: the answer's latency timer may fire a hair before Date.now() reaches busyUntil.
		if (request.query.ignore_consistency_check !== 'true' && now < table.busyUntil - 2) {
			this.writeConflicts++;
			return fail(1254291, 'Write conflict');
		}
		table.busyUntil = Math.max(table.busyUntil, now + this.fake.faults.latencyMs);
		const answer = run(base, table);
		const succeeded = (answer.body as { code?: number })?.code === 0;
		if (succeeded) table.revision++;
		if (token !== undefined && succeeded)
			this.clientTokens.set(token, { signature, answer: structuredClone(answer) });
		return answer;
	}

	protected newRecord(table: BitableTable): BitableRecord {
		const now = Date.now();
		let id = `rec${alnum(10)}`;
		while (table.records.has(id)) id = `rec${alnum(10)}`;
		return {
			record_id: id,
			fields: {},
			created_time: now,
			last_modified_time: now,
			auto_number: table.nextAutoNumber++,
		};
	}

	protected createRecords(
		base: BitableBase,
		table: BitableTable,
		bodies: unknown[],
		idType: string,
	): BitableRecord[] | Answer {
		if (bodies.length > 1000) return fail(1254104, 'RecordAddOnceExceedLimit');
		if (table.records.size + bodies.length > 20_000) return fail(1254103, 'RecordExceedLimit');
		const plan: WritePlan = { newOptions: new Map() };
		const checked: Array<Map<string, unknown>> = [];
		for (const fields of bodies) {
			const values = this.writeFields(base, table, fields, idType, plan);
			if (isAnswer(values)) return values;
			checked.push(values);
		}
		this.applyPlan(plan);
		return checked.map((values) => {
			const record = this.newRecord(table);
			this.setFields(record, values);
			table.records.set(record.record_id, record);
			return record;
		});
	}

	protected updateRecords(
		base: BitableBase,
		table: BitableTable,
		updates: Array<{ record_id: unknown; fields: unknown }>,
		idType: string,
	): BitableRecord[] | Answer {
		if (updates.length > 1000) return fail(1254104, 'RecordAddOnceExceedLimit');
		const plan: WritePlan = { newOptions: new Map() };
		const checked: Array<[BitableRecord, Map<string, unknown>]> = [];
		for (const u of updates) {
			const record = table.records.get(String(u.record_id));
			if (!record) return fail(1254043, 'RecordIdNotFound');
			const values = this.writeFields(base, table, u.fields, idType, plan);
			if (isAnswer(values)) return values;
			checked.push([record, values]);
		}
		this.applyPlan(plan);
		for (const [record, values] of checked) this.setFields(record, values);
		return checked.map(([record]) => record);
	}

	protected deleteRecords(
		base: BitableBase,
		table: BitableTable,
		ids: string[],
	): Answer | undefined {
		if (ids.length > 500) return fail(1254104, 'RecordAddOnceExceedLimit');
		if (!ids.every((id) => table.records.has(id))) return fail(1254043, 'RecordIdNotFound');
		for (const id of ids) table.records.delete(id);
		// Links to deleted records disappear from the cells that held them.
		for (const t of base.tables.values()) {
			for (const field of t.fields.filter(
				(f) =>
					(f.type === 18 || f.type === 21) &&
					(f.property?.table_id ?? t.table_id) === table.table_id,
			)) {
				for (const r of t.records.values()) {
					const links = r.fields[field.field_name];
					if (Array.isArray(links)) {
						const kept = links.filter((id) => !ids.includes(id as string));
						if (kept.length === 0) delete r.fields[field.field_name];
						else r.fields[field.field_name] = kept;
					}
				}
			}
		}
		return undefined;
	}

	/** Checks a field definition (create field, create table); returns an error answer or undefined. */
	protected checkDefinition(
		base: BitableBase,
		d: FieldDefinition,
		taken: Set<string>,
	): Answer | undefined {
		const name = d.field_name.trim();
		if (name === '') return fail(1254028, 'EmptyFieldName');
		if (taken.has(name)) return fail(1254014, 'FieldNameDuplicated');
		if (!CREATABLE.has(d.type)) return fail(1254012, 'NotSupportFieldOrView');
		if (d.ui_type !== undefined && !(UI_TYPE_OF[d.type] ?? []).includes(d.ui_type))
			return fail(1254012, 'NotSupportFieldOrView');
		if ((d.type === 3 || d.type === 4) && d.property?.options !== undefined) {
			const options = d.property.options;
			if (
				!Array.isArray(options) ||
				options.some((o) => !isObject(o) || typeof o.name !== 'string' || o.name.trim() === '')
			)
				return fail(1254026, 'EmptyOptionName');
		}
		if ((d.type === 18 || d.type === 21) && !base.tables.has(String(d.property?.table_id)))
			return fail(1254041, 'TableIdNotFound');
		return undefined;
	}

	protected fieldItem(f: BitableField): Record<string, unknown> {
		return {
			field_id: f.field_id,
			field_name: f.field_name,
			type: f.type,
			ui_type: f.ui_type,
			is_primary: f.is_primary,
			is_hidden: f.is_hidden,
			property: f.property ?? null,
			...(f.description ? { description: f.description } : {}),
		};
	}
}
