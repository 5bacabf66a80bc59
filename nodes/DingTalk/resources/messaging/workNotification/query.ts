import { DINGTALK_RATE_LIMITS } from '../../../transport';
import type { IDataObject } from 'n8n-workflow';
import type { OperationDefinition } from '../../../../shared/types';
import { WORK_QUERY_ERRORS } from '../errors';
import { agentIdOf, taskIdProperty, query, deliveryOf } from './delivery';

export const getSendResult: OperationDefinition = {
	value: 'getSendResult',
	name: 'Get Send Result',
	action: 'Get the result of a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
	description:
		'Who received, read, or did not get a work notification (within 24 hours; up to 100 recipients)',
	properties: [taskIdProperty('The taskId that Send output')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		const result = await query(
			step,
			'getsendresult',
			{ agent_id: agentIdOf(step), task_id: taskId },
			DINGTALK_RATE_LIMITS['workNotification.getSendResult'],
		);
		return [{ json: { taskId: taskId.value(), ...deliveryOf(result) } }];
	},
};

const STATUS = ['notStarted', 'processing', 'done'];

export const getSendProgress: OperationDefinition = {
	value: 'getSendProgress',
	name: 'Get Send Progress',
	action: 'Get the progress of a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.getSendProgress'],
	description: 'How far DingTalk is with sending a work notification',
	properties: [taskIdProperty('The taskId that Send output')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		const progress = ((
			await query(
				step,
				'getsendprogress',
				{ agent_id: agentIdOf(step), task_id: taskId },
				DINGTALK_RATE_LIMITS['workNotification.getSendProgress'],
			)
		).progress ?? {}) as IDataObject;
		const status = Number(progress.status);
		return [
			{
				json: {
					taskId: taskId.value(),
					progressInPercent: progress.progress_in_percent,
					status,
					statusName: STATUS[status] ?? 'unknown',
				},
			},
		];
	},
};

export const recall: OperationDefinition = {
	value: 'recall',
	name: 'Recall',
	action: 'Recall a work notification',
	lane: DINGTALK_RATE_LIMITS['workNotification.recall'],
	description: 'Withdraw a work notification within 24 hours of sending',
	properties: [taskIdProperty('The taskId that Send output for the notification to recall')],
	errors: WORK_QUERY_ERRORS,
	async run(step) {
		const taskId = step.params.requiredLong('taskId');
		await query(
			step,
			'recall',
			{ agent_id: agentIdOf(step), msg_task_id: taskId },
			DINGTALK_RATE_LIMITS['workNotification.recall'],
		);
		return [{ json: { taskId: taskId.value(), recalled: true } }];
	},
};
