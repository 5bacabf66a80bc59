import type { ResourceDefinition } from '../../../shared/types';
import { customRobotSend } from './customRobot';
import { robotMessageOperations } from './robotMessage';
import { customRobotSendAndWait, robotSendAndWait } from './sendAndWait';

export { media } from './media';
export { workNotification } from './workNotification';
export { createCustomRobotTransport, testCustomRobot } from './customRobot';
export { sendAndWaitWebhook } from './sendAndWait';

export const robotMessage: ResourceDefinition = robotMessageOperations(robotSendAndWait);

export const customRobot: ResourceDefinition = {
	value: 'customRobot',
	name: 'Custom Robot',
	description: "A group's custom robot (自定义机器人), by its webhook URL",
	operations: [customRobotSend, customRobotSendAndWait],
	defaultOperation: 'send',
};
