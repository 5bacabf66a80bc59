import type { ResourceDefinition } from '../../../shared/types';
import { create, get, close } from './conference';
import { kickMembers, inviteUsers, muteMember, muteAll, getParticipants } from './members';

export const videoConference: ResourceDefinition = {
	value: 'videoConference',
	name: 'Video Conference',
	description: 'Video conferences (视频会议)',
	operations: [close, create, get, getParticipants, inviteUsers, kickMembers, muteAll, muteMember],
	defaultOperation: 'kickMembers',
};
