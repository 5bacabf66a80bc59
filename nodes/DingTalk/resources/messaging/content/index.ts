import type { INodeProperties } from 'n8n-workflow';

import { customRobotContentProperties } from './customRobot';
import { robotContentProperties } from './robot';
import type { Flavour } from './types';
import { workNotificationContentProperties } from './workNotification';

/**
 * Message content for the three ways DingTalk sends, one file each: the group custom robot (webhook body
 * formats), the app robot (msgKey templates with msgParam) and work notifications (msg with msgtype).
 * Each message type has fields, so users never hand-write the documented JSON; Custom JSON takes it whole.
 */

/** The content fields of one channel, shown per message type. */
export function contentProperties(flavour: Flavour): INodeProperties[] {
	if (flavour === 'customRobot') return customRobotContentProperties();
	if (flavour === 'robot') return robotContentProperties();
	return workNotificationContentProperties();
}

export { customRobotBody } from './customRobot';
export { robotActionCard, robotTemplate } from './robot';
export type { Button, MediaKeys, MessageType } from './types';
export { MEDIA_TYPES, messageTypeProperty, uploadTypeOf } from './types';
export { workNotificationMsg } from './workNotification';
