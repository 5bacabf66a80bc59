import type { OperationDefinition, ResourceDefinition } from '../../../../shared/types';
import { sendToUsersOperation, sendToGroupOperation } from './send';
import { recall, getReadStatus } from './manage';
import { reply } from './reply';
import { downloadFile } from './downloadFile';

export const robotMessageOperations = (sendAndWait: OperationDefinition): ResourceDefinition => ({
	value: 'robotMessage',
	name: 'Robot Message',
	description: "Messages from the app's robot (企业机器人): one-on-one and to groups",
	operations: [
		sendToUsersOperation,
		sendToGroupOperation,
		sendAndWait,
		reply,
		recall,
		getReadStatus,
		downloadFile,
	],
	defaultOperation: 'sendToUsers',
});

export {
	alreadySent,
	chunk,
	openConversationIdProperty,
	PENDING_MEDIA_ID,
	robotCodeProperty,
	sendToUsers,
	userIdsProperty,
} from './common';
export { coolAppCodeOption, groupSendRequest } from './send';
