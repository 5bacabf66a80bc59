import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import type { ParamReader } from './params';

/**
 * Send and Wait, shared by the Feishu and DingTalk nodes (as n8n's Slack and Telegram nodes do it):
 * the approval buttons, the time limit, and this execution's resume URL, signed where n8n signs them.
 */

export const APPROVAL_OPTIONS: INodeProperties = {
	displayName: 'Approval Options',
	name: 'approvalOptions',
	type: 'fixedCollection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Type of Approval',
					name: 'approvalType',
					type: 'options',
					options: [
						{ name: 'Approve Only', value: 'single' },
						{ name: 'Approve and Disapprove', value: 'double' },
					],
					default: 'single',
				},
				{
					displayName: 'Approve Button Label',
					name: 'approveLabel',
					type: 'string',
					default: 'Approve',
				},
				{
					displayName: 'Disapprove Button Label',
					name: 'disapproveLabel',
					type: 'string',
					default: 'Decline',
					displayOptions: { show: { approvalType: ['double'] } },
				},
			],
		},
	],
};

export const LIMIT_WAIT_TIME: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	description: "Whether to continue without an answer after a time, as n8n's Wait node does",
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime' },
					],
					default: 'afterTimeInterval',
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const MINUTE = 60_000;
const UNIT_MS = { minutes: MINUTE, hours: 60 * MINUTE, days: 24 * 60 * MINUTE } as const;

/** When the wait ends without an answer. */
export function waitTill(p: ParamReader): Date {
	const limit = (p.raw('options.limitWaitTime', {}) as IDataObject | undefined)?.values as
		IDataObject | undefined;
	if (!limit) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (Number.isNaN(at.getTime()))
			p.fail(
				'options.limitWaitTime',
				'Max Date and Time is not a date',
				'Options › Limit Wait Time',
			);
		return at;
	}
	const amount = Number(limit.resumeAmount ?? 1);
	const unit = (limit.resumeUnit as keyof typeof UNIT_MS) ?? 'hours';
	if (!Number.isFinite(amount) || amount < 0 || !UNIT_MS[unit])
		p.fail(
			'options.limitWaitTime',
			'Amount must be a number of minutes, hours or days',
			'Options › Limit Wait Time',
		);
	return new Date(Date.now() + amount * UNIT_MS[unit]);
}

interface Approval {
	double: boolean;
	approveLabel: string;
	disapproveLabel: string;
}

export function approvalOf(p: ParamReader): Approval {
	const values = ((p.raw('approvalOptions', {}) as IDataObject | undefined)?.values ??
		{}) as IDataObject;
	return {
		double: values.approvalType === 'double',
		approveLabel: String(values.approveLabel || 'Approve'),
		disapproveLabel: String(values.disapproveLabel || 'Decline'),
	};
}

/**
 * The resume URL with the answer, signed by n8n when it signs resume URLs. n8n 1.x checks the signature
 * only when the node asks for it (setSignatureValidationRequired); 2.x always checks it and has no such call.
 */
export function resumeUrl(ctx: IExecuteFunctions, approved: boolean, messageId?: string): string {
	const query: Record<string, string> = {
		approved: String(approved),
		...(messageId ? { message: messageId } : {}),
	};
	const context = ctx as {
		getSignedResumeUrl?: (q: Record<string, string>) => string;
		setSignatureValidationRequired?: () => void;
	};
	if (typeof context.getSignedResumeUrl === 'function') {
		if (typeof context.setSignatureValidationRequired === 'function')
			context.setSignatureValidationRequired.call(ctx);
		return context.getSignedResumeUrl.call(ctx, query);
	}
	const base = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	return `${base}/${ctx.getNode().id}?${new URLSearchParams(query).toString()}`;
}

export const RECORDED_PAGE =
	'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Response recorded</title></head>' +
	'<body style="font-family:sans-serif;text-align:center;padding-top:4em"><h2>Got it, thanks</h2><p>This page can be closed now.</p></body></html>';
