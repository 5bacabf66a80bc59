import type { ResourceDefinition } from '../../../shared/types';
import { manageOperations } from './manage';
import { sendAndWaitOperation } from './sendAndWait';
import { sendOperations } from './send';

/** Messages sent and managed as the app's bot (im/v1). */
export const message: ResourceDefinition = {
	value: 'message',
	name: 'Message',
	description: "Messages and cards sent by the app's bot (消息)",
	operations: [...sendOperations, sendAndWaitOperation, ...manageOperations],
	defaultOperation: 'send',
};
