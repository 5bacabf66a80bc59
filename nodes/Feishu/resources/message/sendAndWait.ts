import { FEISHU_RATE_LIMITS } from '../../transport';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ParamReader } from '../../../shared/params';
import {
	answerButtons,
	checkForm,
	FORM_OPTIONS,
	LIMIT_WAIT_TIME,
	questionProperties,
	readResumeRequest,
	RECORDED_PAGE,
	resumeUrl,
	waitTill,
} from '../../../shared/sendAndWait';
import type { PlatformTransport } from '../../../shared/transport';
import type { OperationDefinition } from '../../../shared/types';
import { checkSize } from './content';
import { SEND_ERRORS, UPDATE_CARD_ERRORS } from './errors';
import {
	receiverOf,
	receiveIdProperty,
	receiveIdTypeProperty,
	receiverLane,
	uuidOf,
	uuidOption,
} from './send';

/**
 * Send and Wait (as n8n's Slack and Telegram nodes do it): a card with Approve (and Disapprove) buttons,
 * or one Respond button for Free Text and Custom Form, that open this execution's resume URL, signed where
 * n8n signs resume URLs. n8n serves that URL and its form page itself, so nothing is configured in the
 * Feishu developer console.
 */
export const sendAndWaitOperation: OperationDefinition = {
	value: 'sendAndWait',
	actsAs: ['app'],
	name: 'Send and Wait for Response',
	action: 'Send a message and wait for response',
	lane: FEISHU_RATE_LIMITS['message.sendAndWait'],
	description:
		'Send a card and pause the workflow until someone answers it: approve or decline, a text reply, or a form',
	properties: [
		receiveIdTypeProperty(),
		...receiveIdProperty,
		...questionProperties(
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: "The card's title (optional)",
			},
			'Markdown is shown as in Feishu cards',
		),
	],
	extraOptions: [
		LIMIT_WAIT_TIME,
		...FORM_OPTIONS,
		{
			displayName: 'Update Card After Response',
			name: 'updateCard',
			type: 'boolean',
			default: true,
			description: 'Whether to replace the buttons with the decision once someone answers',
		},
		uuidOption,
	],
	errors: SEND_ERRORS,
	wait: async (ctx, transport) => await executeSendAndWait(ctx, transport),
};

/** Card JSON 2.0 with the message and buttons that open URLs (no callback configuration needed). */
function card(subject: string | undefined, message: string, elements: IDataObject[]): IDataObject {
	return {
		schema: '2.0',
		config: { update_multi: true },
		...(subject
			? { header: { title: { tag: 'plain_text', content: subject }, template: 'blue' } }
			: {}),
		body: { elements: [{ tag: 'markdown', content: message }, ...elements] },
	};
}

const button = (
	label: string,
	url: string,
	type: 'primary' | 'danger' | 'default',
): IDataObject => ({
	tag: 'button',
	text: { tag: 'plain_text', content: label },
	type,
	behaviors: [{ type: 'open_url', default_url: url }],
});

/** The card message's ID, kept in the execution's custom data until the answer comes (keys: A-Z, a-z, 0-9, _; up to 50). */
const messageKey = (nodeId: string) =>
	`feishuCard_${nodeId.replace(/[^A-Za-z0-9_]/g, '')}`.slice(0, 50);

type CustomData = { set(key: string, value: string): void; get(key: string): string | undefined };

/** The execution's custom data, where n8n offers it to nodes (2.x); a waiting execution keeps it. */
function customData(ctx: IExecuteFunctions | IWebhookFunctions): CustomData | undefined {
	const own = (ctx as { customData?: CustomData }).customData;
	return own && typeof own.set === 'function' ? own : undefined;
}

/**
 * The card's buttons: Approve (and Decline), or one button that opens the form page. `messageId` goes
 * into the signed URLs where n8n keeps no data for the resume webhook (1.x).
 */
function buttonsOf(ctx: IExecuteFunctions, p: ParamReader, messageId?: string): IDataObject[] {
	return answerButtons(p, (approved) => resumeUrl(ctx, approved, messageId), button);
}

/** Sends the card for the first item and puts the execution to wait (one message per execution, as n8n's Slack node). */
async function executeSendAndWait(
	ctx: IExecuteFunctions,
	transport: PlatformTransport,
): Promise<INodeExecutionData[][]> {
	const p = ParamReader.forItem(ctx, 0, sendAndWaitOperation.properties);
	let until: Date;
	try {
		const { receiveIdType, receiveId } = receiverOf(p);
		const message = p.requiredString('message');
		until = waitTill(p);
		checkForm(p);
		const buttons = buttonsOf(ctx, p);
		const content = JSON.stringify(card(p.optionalString('subject'), message, buttons));
		checkSize(p, 'interactive', content);
		const uuid = uuidOf(p, 'message.sendAndWait');
		const sent = await transport.send(
			{
				method: 'POST',
				path: '/open-apis/im/v1/messages',
				qs: { receive_id_type: receiveIdType },
				body: { receive_id: receiveId, msg_type: 'interactive', content, uuid },
				idempotencyKey: uuid,
				lanes: [receiverLane(receiveIdType, receiveId)],
			},
			0,
			{ errors: SEND_ERRORS, lane: FEISHU_RATE_LIMITS['message.sendAndWait'] },
		);
		const messageId = String(sent.message_id ?? '');
		const store = customData(ctx);
		if (store) {
			store.set(messageKey(ctx.getNode().id), messageId);
		} else if (p.boolean('options.updateCard', true)) {
			// n8n 1.x keeps no data a resume webhook can read: the card's buttons get URLs that carry the
			// message ID (signed with the answer), so that the card can show the decision afterwards.
			const withId = buttonsOf(ctx, p, messageId);
			await transport.send(
				{
					method: 'PATCH',
					path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
					body: { content: JSON.stringify(card(p.optionalString('subject'), message, withId)) },
					idempotent: true,
				},
				0,
				{ errors: UPDATE_CARD_ERRORS, lane: FEISHU_RATE_LIMITS['message.updateCard'] },
			);
		}
	} catch (error) {
		throw transport.scrub(
			error instanceof Error ? error : new NodeOperationError(ctx.getNode(), String(error)),
		);
	}
	await ctx.putExecutionToWait(until);
	return [ctx.getInputData()];
}

/**
 * The resume URL was opened: the execution continues with `{ data: { approved } }`, `{ data: { text } }`
 * or `{ data: { <label>: value, … } }` (each with `respondedAt`). A GET of a form's URL shows the form and
 * the execution keeps waiting. With Update Card After Response, the card first shows the decision; if that
 * update fails, the answer still counts and the failure is in the output (`cardUpdateError`).
 */
export async function sendAndWaitWebhook(
	ctx: IWebhookFunctions,
	transport?: () => Promise<PlatformTransport>,
): Promise<IWebhookResponseData> {
	const read = readResumeRequest(ctx);
	if ('respond' in read) return read.respond;
	const approved = read.answer.approved === true;
	// The query was signed by n8n together with the answer, so the message ID in it is the card's.
	const json: IDataObject = { data: read.answer };
	const update =
		transport !== undefined &&
		(ctx.getNodeParameter('options.updateCard', true) as boolean) !== false;
	const query = ctx.getQueryData() as IDataObject;
	const messageId = !update
		? undefined
		: typeof query.message === 'string' && query.message !== ''
			? query.message
			: customData(ctx)?.get(messageKey(ctx.getNode().id));
	if (update && !messageId)
		json.cardUpdateError =
			"The card's message ID is not known to this execution, so the card was not updated.";
	if (messageId && transport) {
		const subject = String(ctx.getNodeParameter('subject', '') ?? '') || undefined;
		const message = String(ctx.getNodeParameter('message', '') ?? '');
		const approval = (ctx.getNodeParameter('approvalOptions.values', {}) ?? {}) as IDataObject;
		const label = approved
			? String(approval.approveLabel || 'Approve')
			: String(approval.disapproveLabel || 'Decline');
		const decision = {
			tag: 'markdown',
			content:
				read.type === 'approval'
					? `**${approved ? 'Approved' : 'Declined'}** (${label})`
					: '**Response received**',
		};
		const sender = await transport();
		try {
			await sender.send(
				{
					method: 'PATCH',
					path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}`,
					body: { content: JSON.stringify(card(subject, message, [decision])) },
					idempotent: true,
				},
				0,
				{ errors: UPDATE_CARD_ERRORS, lane: FEISHU_RATE_LIMITS['message.updateCard'] },
			);
		} catch (error) {
			json.cardUpdateError = sender.scrub(error as Error).message;
		}
	}
	return { webhookResponse: RECORDED_PAGE, workflowData: [[{ json }]] };
}
