import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties, resourceOptions } from '../shared/description';
import { ParamReader } from '../shared/params';
import { collectList, runItems } from '../shared/runner';
import { searchList } from '../shared/search';
import { apiRequest } from './resources/apiRequest';
import { meetingRoom, meetingRoomList } from './resources/meetingRoom';
import { meetingRoomGroup, roomGroupList } from './resources/meetingRoomGroup';
import { role, roleList } from './resources/role';
import { user } from './resources/user';
import { videoConference } from './resources/videoConference';
import { createDingTalkTransport, DINGTALK_CREDENTIAL } from './transport';

export const dingTalkResources = [meetingRoomGroup, meetingRoom, videoConference, role, user, apiRequest];
const properties = buildProperties(
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resourceOptions(dingTalkResources),
		// A released value: saved workflows that never chose a resource depend on it.
		default: 'meetingRoomGroup',
	},
	dingTalkResources,
);

export class DingTalk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk',
		name: 'dingTalk',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage DingTalk (钉钉) meeting rooms, video conferences, roles and users',
		defaults: { name: 'DingTalk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: DINGTALK_CREDENTIAL, required: true }],
		properties,
	};

	methods = {
		listSearch: {
			async searchRoomGroups(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
				return await searchList(this, properties, await createDingTalkTransport(this), roomGroupList, groupItem, filter, token);
			},
			async searchMeetingRooms(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createDingTalkTransport(this),
					meetingRoomList,
					(room) => ({ name: String(room.roomName ?? room.roomId), value: String(room.roomId) }),
					filter,
					token,
				);
			},
			async searchRoles(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
				return await searchList(
					this,
					properties,
					await createDingTalkTransport(this),
					roleList,
					(r) => ({ name: `${String(r.roleName)} (${String(r.groupName)})`, value: String(r.roleId) }),
					filter,
					token,
				);
			},
		},
		loadOptions: {
			/** Parent group choices for Create: the root, then every group of the organization. */
			async getParentRoomGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const transport = await createDingTalkTransport(this);
				try {
					const params = ParamReader.forEditor(this, properties);
					const groups = await collectList(roomGroupList, params, transport, { api: 'meetingRoomGroup.getAll' }, true);
					return [{ name: 'Root (0)', value: 0 }, ...groups.map((g) => ({ name: groupItem(g).name, value: g.groupId as number }))];
				} catch (error) {
					throw transport.scrub(error);
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, dingTalkResources, await createDingTalkTransport(this));
	}
}

function groupItem(group: IDataObject) {
	return { name: `${String(group.groupName)} (${String(group.groupId)})`, value: String(group.groupId) };
}
