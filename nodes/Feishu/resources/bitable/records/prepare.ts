import type { OperationStep } from '../../../../shared/types';
import type { IDataObject } from 'n8n-workflow';
import { binaryProperty } from '../../../../shared/binary';
import { mapperSource } from '../../../../shared/tableModel';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import type { BitableField, TableRef } from '../common';
import { schemaOf, tableOf, userIdTypeOf } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { isWritable, SKIP, toApiValue, typeName } from '../values';
import { ATTACHMENT_LIMIT } from './fields';

/** An item's columns as the documented write values, checked before any request, and its attachments uploaded. */

export interface PreparedRecord {
	fields: Record<string, unknown>;
	/** Attachment columns from binary data: uploaded to the base right before the write. */
	uploads: Array<{ column: string; properties: string[]; tokens: Array<{ file_token: string }> }>;
}

/**
 * An item's columns as the documented write values: mapped columns, or the item's JSON with "auto-map
 * input data". A value that cannot fit its field fails the item naming the column, before any request.
 */
function recordOf(step: OperationStep, schema: BitableField[], table: TableRef): PreparedRecord {
	const p = step.params;
	const { auto, source, keys: matching } = mapperSource(step);
	// Upsert's key columns find the record; a read-only one (an auto number) is not written.
	const keys = new Set(p.raw('operation', '') === 'upsert' ? matching : []);
	const byName = new Map(schema.map((f) => [f.field_name, f]));
	const options = { allowNewOptions: p.boolean('options.allowNewOptions', false) };
	const prepared: PreparedRecord = { fields: {}, uploads: [] };
	for (const [column, value] of Object.entries(source)) {
		const found = byName.get(column);
		if (!found) {
			// Auto-map: a record read earlier carries its ID as "id" (and automatic fields as "_…"): not columns.
			if (auto && (column === 'id' || column.startsWith('_'))) continue;
			return p.fail(
				'columns',
				`"${column}" is not a field of table ${table.tableId}; its fields are ${schema.map((f) => `"${f.field_name}"`).join(', ')}`,
				'Columns',
			);
		}
		const field: BitableField = found;
		// Auto-map: read-only fields (formulas, created time …) that a search returned are left out.
		if ((auto || keys.has(column)) && !isWritable(field)) continue;
		const fail = (problem: string): never =>
			p.fail('columns', `column "${column}" (${typeName(field)}): ${problem}`, 'Columns');
		if (field.type === 17) {
			const upload = attachmentOf(value, fail);
			if (upload === SKIP) continue;
			if (upload === null) prepared.fields[column] = null;
			else prepared.uploads.push({ column, ...upload });
			continue;
		}
		const written = toApiValue(field, value, options, fail);
		if (written !== SKIP) prepared.fields[column] = written;
	}
	return prepared;
}

/** An attachment column: binary property names of the item (uploaded), or file tokens already in this base. */
function attachmentOf(
	value: unknown,
	fail: (problem: string) => never,
): { properties: string[]; tokens: Array<{ file_token: string }> } | null | typeof SKIP {
	if (value === undefined || value === '') return SKIP;
	if (value === null) return null;
	const list = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: fail(`expected binary property names, or [{"file_token"}], got ${typeof value}`);
	const properties: string[] = [];
	const tokens: Array<{ file_token: string }> = [];
	for (const entry of list) {
		if (typeof entry === 'string' && entry.trim() !== '') properties.push(entry.trim());
		else if (
			entry &&
			typeof entry === 'object' &&
			typeof (entry as IDataObject).file_token === 'string'
		)
			tokens.push({ file_token: String((entry as IDataObject).file_token) });
		else
			fail(
				'expected binary property names (e.g. "data"), or [{"file_token"}] of files in this base',
			);
	}
	return { properties, tokens };
}

/** Checks the item's binary files exist and fit, before any request. */
async function checkUploads(step: OperationStep, record: PreparedRecord): Promise<void> {
	for (const upload of record.uploads) {
		for (const property of upload.properties)
			await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${upload.column}`,
			);
	}
}

/**
 * Uploads an item's attachment files to the base (drive media upload_all, parent type bitable_image for
 * images, else bitable_file) and writes them as [{file_token}]. A repeated upload only leaves an unused
 * token behind, so it is retried like a read.
 */
export async function withUploads(
	step: OperationStep,
	record: PreparedRecord,
	appToken: string,
): Promise<Record<string, unknown>> {
	const fields = { ...record.fields };
	for (const upload of record.uploads) {
		const tokens = [...upload.tokens];
		for (const property of upload.properties) {
			const file = await binaryProperty(
				step.ctx,
				step.params,
				'columns',
				property,
				ATTACHMENT_LIMIT,
				`Columns › ${upload.column}`,
			);
			const data = await step.send(
				{
					method: 'POST',
					path: '/open-apis/drive/v1/medias/upload_all',
					multipart: {
						fields: [
							['file_name', file.fileName.slice(0, 250)],
							[
								'parent_type',
								file.mimeType.startsWith('image/') ? 'bitable_image' : 'bitable_file',
							],
							['parent_node', appToken],
							['size', String(file.size)],
						],
						file: { field: 'file', ...file },
					},
					idempotent: true,
				},
				FEISHU_RATE_LIMITS['bitableMedia.upload'],
				BITABLE_ERRORS,
			);
			tokens.push({ file_token: String(data.file_token) });
		}
		fields[upload.column] = tokens;
	}
	return fields;
}

export const writeQuery = (step: OperationStep): IDataObject => ({
	user_id_type: userIdTypeOf(step.params),
});

export async function prepareWrite(
	step: OperationStep,
): Promise<{ table: TableRef & { path: string }; schema: BitableField[]; record: PreparedRecord }> {
	const table = await tableOf(step);
	const schema = await schemaOf(step, table);
	const record = recordOf(step, schema, table);
	await checkUploads(step, record);
	return { table, schema, record };
}

export const recordId = (step: OperationStep) => decodeURIComponent(step.params.pathId('recordId'));
