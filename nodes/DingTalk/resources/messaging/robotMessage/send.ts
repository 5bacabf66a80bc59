import { DINGTALK_RATE_LIMITS } from '../../../transport';
import type { INodeProperties } from 'n8n-workflow';
import type { OperationDefinition, OperationStep } from '../../../../shared/types';
import { contentProperties, messageTypeProperty } from '../content';
import { ROBOT_GROUP_SEND_ERRORS, ROBOT_OTO_SEND_ERRORS } from '../errors';
import {
	GROUP_MSG_PARAM_MAX,
	robotCodeProperty,
	userIdsProperty,
	openConversationIdProperty,
	robotCodeOf,
	templateOf,
	sendToUsers,
} from './common';

export const sendToUsersOperation: OperationDefinition = {
	value: 'sendToUsers',
	name: 'Send to Users',
	action: 'Send a robot message to users',
	lane: DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
	description: "Send a one-on-one message from the app's robot to users (batchSend, 20 per call)",
	properties: [
		robotCodeProperty,
		userIdsProperty,
		messageTypeProperty('robot'),
		...contentProperties('robot'),
	],
	errors: ROBOT_OTO_SEND_ERRORS,
	async run(step) {
		const userIds = [...new Set(step.params.stringList('userIds'))];
		if (userIds.length === 0) step.params.fail('userIds', 'is empty');
		const result = await sendToUsers(
			step,
			userIds,
			await templateOf(step),
			DINGTALK_RATE_LIMITS['robotMessage.sendToUsers'],
		);
		if ((result.sentUserIds as string[]).length === 0) {
			step.params.fail(
				'userIds',
				`no user received the message: invalid user IDs ${JSON.stringify(result.invalidStaffIdList)}, left out by DingTalk's flow control ${JSON.stringify(result.flowControlledStaffIdList)}`,
			);
		}
		return [{ json: result }];
	},
};

export function groupSendRequest(
	step: OperationStep,
	template: { msgKey: string; msgParam: string },
) {
	const p = step.params;
	const size = Buffer.byteLength(template.msgParam, 'utf8');
	if (size > GROUP_MSG_PARAM_MAX)
		p.fail(
			'messageType',
			`the message is ${size} bytes as msgParam; a group message can be at most ${GROUP_MSG_PARAM_MAX}`,
			'Message Type',
		);
	const coolAppCode = p.optionalString('options.coolAppCode');
	return {
		method: 'POST' as const,
		path: '/v1.0/robot/groupMessages/send',
		body: {
			msgParam: template.msgParam,
			msgKey: template.msgKey,
			openConversationId: p.requiredString('openConversationId'),
			robotCode: robotCodeOf(step),
			...(coolAppCode ? { coolAppCode } : {}),
		},
	};
}

export const coolAppCodeOption: INodeProperties = {
	displayName: 'Cool App Code',
	name: 'coolAppCode',
	type: 'string',
	default: '',
	description:
		'Only when the robot was added to the group through a cool app (酷应用): its coolAppCode',
};

export const sendToGroupOperation: OperationDefinition = {
	value: 'sendToGroup',
	name: 'Send to Group',
	action: 'Send a robot message to a group',
	lane: DINGTALK_RATE_LIMITS['robotMessage.sendToGroup'],
	description: "Send a message from the app's robot to a group it is in",
	properties: [
		robotCodeProperty,
		openConversationIdProperty,
		messageTypeProperty('robot'),
		...contentProperties('robot'),
	],
	extraOptions: [coolAppCodeOption],
	errors: ROBOT_GROUP_SEND_ERRORS,
	async run(step) {
		const template = await templateOf(step);
		const answer = await step.send(
			groupSendRequest(step, template),
			DINGTALK_RATE_LIMITS['robotMessage.sendToGroup'],
		);
		return [
			{
				json: {
					processQueryKey: answer.processQueryKey,
					openConversationId: step.params.requiredString('openConversationId'),
				},
			},
		];
	},
};
