import type { OperationStep } from '../../../../shared/types';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { BitableField, TableRef } from '../common';
import { oneWriteAtATime } from '../common';
import { MAX_BATCH } from './fields';
import { shape } from './shape';
import type { PreparedRecord } from './prepare';
import { withUploads } from './prepare';

/** Create Many and Update Many: batches of records, checked first, written one call at a time. */

export const BATCH_SIZE = (max: number, fallback: number): INodeProperties => ({
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: max },
	default: fallback,
	description:
		max === MAX_BATCH
			? 'Records per call. Feishu takes up to 1,000; Lark (larksuite.com) up to 500, the default.'
			: `Records per call, up to ${max} (the documented maximum)`,
});

export interface ManyEntry {
	table: TableRef & { path: string };
	schema: BitableField[];
	record?: PreparedRecord;
	recordId?: string;
}

export const groupOf = (table: TableRef) => `${table.appToken}\u0000${table.tableId}`;

/** The outputs of a batch write, in the order of its entries; Feishu answers one record per record sent, in order. */
function batchOutputs(
	data: IDataObject,
	entries: ManyEntry[],
	steps: OperationStep[],
): IDataObject[] {
	const records = (data.records as IDataObject[] | undefined) ?? [];
	if (records.length !== entries.length) {
		throw new NodeOperationError(
			steps[0].ctx.getNode(),
			`Feishu answered ${records.length} records for the ${entries.length} sent in one call (items ${steps[0].itemIndex}–${steps[steps.length - 1].itemIndex}); check the table before running these items again`,
			{ itemIndex: steps[0].itemIndex },
		);
	}
	return entries.map((entry, k) => shape(records[k], entry.schema, steps[k].params));
}

/**
 * One batch write (Create Many, Update Many): each item's attachments are uploaded first, and an item whose
 * file cannot be uploaded fails alone (its error in its place) and is left out of the call; the others go in
 * one call, after the writes to the table already started here.
 */
export async function writeMany(
	steps: OperationStep[],
	entries: ManyEntry[],
	call: (
		table: ManyEntry['table'],
		sent: OperationStep[],
		records: Array<{ recordId?: string; fields: Record<string, unknown> }>,
	) => Promise<IDataObject>,
): Promise<Array<IDataObject | Error>> {
	const results: Array<IDataObject | Error> = new Array(entries.length);
	const ready: number[] = [];
	const records: Array<{ recordId?: string; fields: Record<string, unknown> }> = [];
	for (let k = 0; k < entries.length; k++) {
		try {
			records.push({
				recordId: entries[k].recordId,
				fields: await withUploads(steps[k], entries[k].record!, entries[k].table.appToken),
			});
			ready.push(k);
		} catch (error) {
			results[k] = error instanceof Error ? error : new Error(String(error));
		}
	}
	if (ready.length > 0) {
		const sent = ready.map((k) => steps[k]);
		const { table } = entries[0];
		const data = await oneWriteAtATime(table, async () => await call(table, sent, records));
		const outputs = batchOutputs(
			data,
			ready.map((k) => entries[k]),
			sent,
		);
		ready.forEach((k, j) => (results[k] = outputs[j]));
	}
	return results;
}
