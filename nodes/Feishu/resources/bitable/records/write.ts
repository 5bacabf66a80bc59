import type { OperationStep, OutputItem, PacingLane } from '../../../../shared/types';
import type { IDataObject } from 'n8n-workflow';
import type { BitableField, TableRef } from '../common';
import { clientToken, oneWriteAtATime } from '../common';
import { shape } from './shape';
import { writeQuery } from './prepare';

/** One record written: create (with its client_token) and update, one write to a table at a time. */

/** Creates one record (POST …/records with its client_token, so a resend creates nothing twice); the record as output. */
export async function createOne(
	step: OperationStep,
	table: TableRef & { path: string },
	schema: BitableField[],
	fields: Record<string, unknown>,
	purpose: string,
	lane?: PacingLane,
): Promise<OutputItem[]> {
	const token = clientToken(step.params, purpose);
	const data = await oneWriteAtATime(
		table,
		async () =>
			await step.send(
				{
					method: 'POST',
					path: `${table.path}/records`,
					qs: { ...writeQuery(step), client_token: token },
					body: { fields },
					idempotencyKey: token,
				},
				lane,
			),
	);
	return [{ json: shape((data.record ?? {}) as IDataObject, schema, step.params) }];
}

/** Updates the given columns of one record (PUT …/records/:record_id); the record as output. */
export async function updateOne(
	step: OperationStep,
	table: TableRef & { path: string },
	schema: BitableField[],
	id: string,
	fields: Record<string, unknown>,
	lane?: PacingLane,
): Promise<OutputItem[]> {
	const data = await oneWriteAtATime(
		table,
		async () =>
			await step.send(
				{
					method: 'PUT',
					path: `${table.path}/records/${encodeURIComponent(id)}`,
					qs: writeQuery(step),
					body: { fields },
				},
				lane,
			),
	);
	return [{ json: shape((data.record ?? {}) as IDataObject, schema, step.params) }];
}
