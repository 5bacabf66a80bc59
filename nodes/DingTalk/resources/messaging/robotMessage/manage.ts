import { DINGTALK_RATE_LIMITS } from '../../../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { OperationDefinition, OutputItem } from '../../../../shared/types';
import { ROBOT_READ_ERRORS, ROBOT_RECALL_ERRORS } from '../errors';
import {
	KEYS_PER_CALL,
	robotCodeProperty,
	openConversationIdProperty,
	robotCodeOf,
	chunk,
} from './common';

const processQueryKeysProperty: INodeProperties = {
	displayName: 'Process Query Keys',
	name: 'processQueryKeys',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'P4VJAJxLs8CdqTrPfE9HyQ…',
	description:
		'The processQueryKey of each message to recall, separated by commas: Send to Users and Send to Group output it. Messages can be recalled within 24 hours.',
};

export const recall: OperationDefinition = {
	value: 'recall',
	name: 'Recall',
	action: 'Recall robot messages',
	lane: DINGTALK_RATE_LIMITS['robotMessage.recall'],
	description:
		'Recall (withdraw) messages the robot sent, one-on-one or in a group, within 24 hours',
	properties: [
		{
			displayName: 'Conversation Type',
			name: 'conversationType',
			type: 'options',
			options: [
				{ name: 'One-on-One', value: 'oneOnOne', description: 'Messages from Send to Users' },
				{ name: 'Group', value: 'group', description: 'Messages from Send to Group' },
			],
			default: 'oneOnOne',
		},
		robotCodeProperty,
		{ ...openConversationIdProperty, displayOptions: { show: { conversationType: ['group'] } } },
		processQueryKeysProperty,
	],
	errors: ROBOT_RECALL_ERRORS,
	async run(step) {
		const p = step.params;
		const group =
			p.choice('conversationType', ['oneOnOne', 'group'] as const, 'oneOnOne') === 'group';
		const keys = [...new Set(p.stringList('processQueryKeys'))];
		if (keys.length === 0) p.fail('processQueryKeys', 'is empty');
		const robotCode = robotCodeOf(step);
		const openConversationId = group ? p.requiredString('openConversationId') : undefined;
		const successResult: string[] = [];
		const failedResult: IDataObject = {};
		for (const processQueryKeys of chunk(keys, KEYS_PER_CALL)) {
			// Recalling a recalled message changes nothing more, so a lost answer is asked again.
			const answer = await step.send({
				method: 'POST',
				path: group ? '/v1.0/robot/groupMessages/recall' : '/v1.0/robot/otoMessages/batchRecall',
				body: group
					? { openConversationId, robotCode, processQueryKeys }
					: { robotCode, processQueryKeys },
				idempotent: true,
			});
			successResult.push(...((answer.successResult as string[] | undefined) ?? []));
			Object.assign(failedResult, (answer.failedResult as IDataObject | undefined) ?? {});
		}
		return [
			{
				json: {
					successResult,
					failedResult,
					recalled: successResult.length,
					failed: Object.keys(failedResult).length,
				},
			},
		];
	},
};

export const getReadStatus: OperationDefinition = {
	value: 'getReadStatus',
	name: 'Get Read Status',
	action: 'Get the read status of a robot message',
	lane: DINGTALK_RATE_LIMITS['robotMessage.getReadStatus'],
	description: 'Who has read a one-on-one robot message (within 24 hours of sending)',
	properties: [
		robotCodeProperty,
		{
			displayName: 'Process Query Key',
			name: 'processQueryKey',
			type: 'string',
			required: true,
			default: '',
			description: 'The processQueryKey that Send to Users output for the message',
		},
	],
	errors: ROBOT_READ_ERRORS,
	async run(step): Promise<OutputItem[]> {
		const answer = await step.send({
			method: 'GET',
			path: '/v1.0/robot/oToMessages/readStatus',
			qs: {
				robotCode: robotCodeOf(step),
				processQueryKey: step.params.requiredString('processQueryKey'),
			},
		});
		const list = (answer.messageReadInfoList as IDataObject[] | undefined) ?? [];
		return [
			{
				json: {
					sendStatus: answer.sendStatus,
					readUserIds: list.filter((r) => r.readStatus === 'READ').map((r) => r.userId),
					unreadUserIds: list.filter((r) => r.readStatus !== 'READ').map((r) => r.userId),
					messageReadInfoList: list,
				},
			},
		];
	},
};

/** The documented session webhook form (robot message callbacks): …/robot/sendBySession?session=… */
