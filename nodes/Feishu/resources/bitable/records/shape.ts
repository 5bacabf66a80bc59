import type { OperationStep, OutputItem } from '../../../../shared/types';
import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';
import { FEISHU_RATE_LIMITS } from '../../../transport';
import type { BitableField } from '../common';
import { BITABLE_ERRORS } from '../errors';
import { fromApiValue, isoDate } from '../values';

/** A record as output: { id, ...columns } or as the API answers it, with its attachments as binary data when asked. */

/** The record as n8n users see it: { id, ...fields } (simple) or the API's shape (raw). */
export function shape(
	record: IDataObject,
	schema: BitableField[],
	p: OperationStep['params'],
): IDataObject {
	if (p.choice('options.outputFormat', ['simple', 'raw'] as const, 'simple') === 'raw')
		return record;
	const byName = new Map(schema.map((f) => [f.field_name, f]));
	const fields = (record.fields ?? {}) as IDataObject;
	const out: IDataObject = { id: record.record_id };
	for (const [name, value] of Object.entries(fields))
		out[name] = fromApiValue(byName.get(name), value) as IDataObject[keyof IDataObject];
	for (const key of [
		'created_time',
		'last_modified_time',
		'created_by',
		'last_modified_by',
	] as const) {
		if (record[key] !== undefined)
			out[`_${key}`] = key.endsWith('_by')
				? (
						fromApiValue({ field_id: '', field_name: key, type: 1003 }, [
							record[key],
						]) as IDataObject[]
					)[0]
				: (isoDate(record[key]) as string);
	}
	return out;
}

/** Files of the record's attachment fields, into binary data (attachment_0, …), when asked for. */
export async function withDownloads(
	step: OperationStep,
	json: IDataObject,
	record: IDataObject,
): Promise<OutputItem> {
	if (!step.params.boolean('options.downloadAttachments', false)) return { json };
	const binary: IBinaryKeyData = {};
	let n = 0;
	for (const value of Object.values((record.fields ?? {}) as IDataObject)) {
		if (!Array.isArray(value)) continue;
		for (const file of value as IDataObject[]) {
			if (
				!file ||
				typeof file !== 'object' ||
				typeof file.file_token !== 'string' ||
				!('size' in file)
			)
				continue;
			// Bases with advanced permissions need the `extra` of the attachment's own URL (the media download page).
			const extra =
				typeof file.url === 'string'
					? (new URL(file.url, 'https://open.feishu.cn').searchParams.get('extra') ?? undefined)
					: undefined;
			const downloaded = await step.download(
				{
					method: 'GET',
					path: `/open-apis/drive/v1/medias/${encodeURIComponent(file.file_token)}/download`,
					...(extra ? { qs: { extra } } : {}),
					binaryResponse: true,
				},
				FEISHU_RATE_LIMITS['bitableMedia.download'],
				BITABLE_ERRORS,
			);
			binary[`attachment_${n++}`] = await step.ctx.helpers.prepareBinaryData(
				downloaded.data,
				String(file.name ?? downloaded.fileName ?? file.file_token),
				String(file.type ?? downloaded.mimeType ?? 'application/octet-stream'),
			);
		}
	}
	return n > 0 ? { json, binary } : { json };
}
