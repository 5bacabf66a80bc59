import type { ResourceDefinition } from '../../../../shared/types';
import { send } from './send';
import { getSendResult, getSendProgress, recall } from './query';

export const workNotification: ResourceDefinition = {
	value: 'workNotification',
	name: 'Work Notification',
	description: 'Work notifications (工作通知) from the app, with their delivery results',
	operations: [send, getSendResult, getSendProgress, recall],
	defaultOperation: 'send',
};
