import { DINGTALK_RATE_LIMITS } from '../transport';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { locator } from '../../shared/description';
import type { ParamReader } from '../../shared/params';
import type { ListSpec, OperationDefinition, ResourceDefinition } from '../../shared/types';
import { answeredFalse, operatorUnionId } from './common';

const ROOM_ERRORS = {
	'param.error': 'A parameter is missing or invalid; the message says which.',
	'room.name.unsafe': 'The room name is not allowed. Choose another name.',
	'room.not.found': 'The meeting room does not exist. Check Room.',
	'room.exist': 'A room with this name already exists.',
	'user.not.admin': 'The operator (unionId) is not a DingTalk admin.',
	'user.not.employee': 'The operator (unionId) is not an employee of this organization.',
	'org.not.found': 'The organization was not found.',
	'num.over.limit': 'The organization has used up its meeting room quota.',
	'system.error': 'DingTalk had an internal error. Try again later.',
};

const roomLocator = (description: string): INodeProperties =>
	locator({
		name: 'roomId',
		displayName: 'Room',
		description,
		searchListMethod: 'searchMeetingRooms',
		placeholder: '0ffb718xxxxx',
	});

const ROOM_STATUS = {
	displayName: 'Who Can Book',
	name: 'roomStatus',
	type: 'options' as const,
	options: [
		{ name: 'Everyone', value: 0 },
		{ name: 'Admins Only', value: 1 },
		{
			name: 'Selected Members',
			value: 2,
			description: "Set the members in DingTalk's admin console",
		},
	],
	default: 0,
	description: 'Who may book the room (roomStatus)',
};

/** Optional room fields, shared by Create (Additional Fields) and Update (Update Fields). */
const ROOM_FIELDS: INodeProperties[] = [
	{
		displayName: 'Capacity',
		name: 'roomCapacity',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many people the room holds',
	},
	{ displayName: 'Description', name: 'roomDescription', type: 'string', default: '' },
	{
		displayName: 'Enable Recurring Bookings',
		name: 'enableCycleReservation',
		type: 'boolean',
		default: false,
		description: 'Whether recurring bookings are allowed',
	},
	{
		displayName: 'External Room ID',
		name: 'isvRoomId',
		type: 'string',
		default: '',
		description: 'Your own ID for the room, such as its room number',
	},
	{
		displayName: 'Features',
		name: 'roomLabelIds',
		type: 'multiOptions',
		options: [
			{ name: 'Phone', value: 2 },
			{ name: 'Projector', value: 3 },
			{ name: 'TV', value: 1 },
			{ name: 'Video Conferencing', value: 5 },
			{ name: 'Whiteboard', value: 4 },
		],
		default: [],
	},
	{
		displayName: 'Group ID',
		name: 'groupId',
		type: 'string',
		default: '',
		description: 'ID of the room group the room belongs to (from Meeting Room Group › Get Many)',
	},
	{ displayName: 'Location Description', name: 'locationDesc', type: 'string', default: '' },
	{
		displayName: 'Location Title',
		name: 'locationTitle',
		type: 'string',
		default: '',
		description: 'For example the building and floor',
	},
	{
		displayName: 'Open for Booking',
		name: 'openReservation',
		type: 'boolean',
		default: true,
		description: 'Whether the room can be booked',
	},
	{ displayName: 'Picture URL', name: 'roomPicture', type: 'string', default: '' },
];

/** Reads an Additional/Update Fields collection into the documented body fields. Only fields that are set are sent. */
function roomFields(p: ParamReader, collection: string): Record<string, unknown> {
	const fields = (p.raw(collection, {}) ?? {}) as IDataObject;
	const body: Record<string, unknown> = {};
	const label = (name: string) =>
		`${collection === 'updateFields' ? 'Update Fields' : 'Additional Fields'} › ${ROOM_FIELDS.find((f) => f.name === name)?.displayName ?? name}`;
	if (fields.roomCapacity !== undefined)
		body.roomCapacity = p
			.requiredLong(`${collection}.roomCapacity`, fields.roomCapacity, label('roomCapacity'))
			.value();
	for (const name of ['roomDescription', 'roomPicture', 'isvRoomId']) {
		if (fields[name] !== undefined) {
			const text = p.optionalString(`${collection}.${name}`, fields[name], label(name));
			if (text !== undefined) body[name] = text;
		}
	}
	for (const name of ['enableCycleReservation', 'openReservation']) {
		if (fields[name] !== undefined) body[name] = fields[name] === true || fields[name] === 'true';
	}
	if (fields.roomLabelIds !== undefined) {
		body.roomLabelIds = p
			.stringList(`${collection}.roomLabelIds`, fields.roomLabelIds, label('roomLabelIds'))
			.map((id) => p.requiredLong(`${collection}.roomLabelIds`, id, label('roomLabelIds')));
	}
	if (fields.groupId !== undefined && fields.groupId !== '')
		body.groupId = p.requiredLong(`${collection}.groupId`, fields.groupId, label('groupId'));
	const location: Record<string, string> = {};
	const title = p.optionalString(
		`${collection}.locationTitle`,
		fields.locationTitle,
		label('locationTitle'),
	);
	const desc = p.optionalString(
		`${collection}.locationDesc`,
		fields.locationDesc,
		label('locationDesc'),
	);
	if (title !== undefined) location.title = title;
	if (desc !== undefined) location.desc = desc;
	if (Object.keys(location).length > 0) body.roomLocation = location;
	return body;
}

/** GET /v1.0/rooms/meetingRoomLists: pages of up to 100 with nextToken / hasMore. */
export const meetingRoomList: ListSpec = {
	maxPageSize: 100,
	page: (p, cursor, pageSize) => ({
		method: 'GET',
		path: '/v1.0/rooms/meetingRoomLists',
		qs: {
			unionId: p.requiredString('unionId'),
			maxResults: pageSize,
			...(cursor === undefined ? {} : { nextToken: cursor }),
		},
	}),
	read: (response) => ({
		records: (response.result as IDataObject[] | undefined) ?? [],
		next:
			response.hasMore === true && response.nextToken !== undefined
				? String(response.nextToken)
				: undefined,
	}),
};

const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a meeting room',
	lane: DINGTALK_RATE_LIMITS['meetingRoom.create'],
	description: 'Create a meeting room (会议室)',
	properties: [
		operatorUnionId(),
		{ displayName: 'Room Name', name: 'roomName', type: 'string', required: true, default: '' },
		{ ...ROOM_STATUS, required: true },
		{
			displayName: 'External Room ID',
			name: 'isvRoomId',
			type: 'string',
			required: true,
			default: '',
			description: 'Your own ID for the room, such as its room number (isvRoomId)',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: ROOM_FIELDS.filter((f) => f.name !== 'isvRoomId'),
		},
	],
	errors: ROOM_ERRORS,
	build(p) {
		return {
			method: 'POST',
			path: '/v1.0/rooms/meetingrooms',
			body: {
				unionId: p.requiredString('unionId'),
				roomName: p.requiredString('roomName'),
				roomStatus: p.requiredLong('roomStatus').value(),
				isvRoomId: p.requiredString('isvRoomId'),
				...roomFields(p, 'additionalFields'),
			},
		};
	},
	output(response, request) {
		const room = JSON.parse(JSON.stringify(request.body ?? {})) as IDataObject;
		delete room.unionId;
		return { roomId: response.result as string, ...room };
	},
};

const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a meeting room',
	lane: DINGTALK_RATE_LIMITS['meetingRoom.get'],
	description: "Get a meeting room's details",
	properties: [roomLocator('The meeting room to get'), operatorUnionId()],
	errors: ROOM_ERRORS,
	build: (p) => ({
		method: 'GET',
		path: `/v1.0/rooms/meetingRooms/${p.pathId('roomId')}`,
		qs: { unionId: p.requiredString('unionId') },
	}),
	output: (response) => (response.result as IDataObject) ?? {},
};

const getAll: OperationDefinition = {
	value: 'getAll',
	name: 'Get Many',
	action: 'Get many meeting rooms',
	lane: DINGTALK_RATE_LIMITS['meetingRoom.getAll'],
	description: "List the organization's meeting rooms",
	properties: [operatorUnionId()],
	errors: ROOM_ERRORS,
	list: meetingRoomList,
};

const update: OperationDefinition = {
	value: 'update',
	name: 'Update',
	action: 'Update a meeting room',
	lane: DINGTALK_RATE_LIMITS['meetingRoom.update'],
	description: "Change a meeting room's name, booking rules or details",
	properties: [
		roomLocator('The meeting room to update'),
		operatorUnionId(),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Room Name', name: 'roomName', type: 'string', default: '' },
				ROOM_STATUS,
				...ROOM_FIELDS,
			],
		},
	],
	errors: ROOM_ERRORS,
	check: answeredFalse('result', 'The room update'),
	build(p) {
		const updates = (p.raw('updateFields', {}) ?? {}) as IDataObject;
		const body: Record<string, unknown> = {
			unionId: p.requiredString('unionId'),
			roomId: p.requiredString('roomId'),
			...roomFields(p, 'updateFields'),
		};
		const roomName = p.optionalString(
			'updateFields.roomName',
			updates.roomName,
			'Update Fields › Room Name',
		);
		if (roomName !== undefined) body.roomName = roomName;
		if (updates.roomStatus !== undefined)
			body.roomStatus = p
				.requiredLong('updateFields.roomStatus', updates.roomStatus, 'Update Fields › Who Can Book')
				.value();
		if (Object.keys(body).length === 2) p.fail('updateFields', 'add at least one field to update');
		return { method: 'PUT', path: '/v1.0/rooms/meetingRooms', body };
	},
	output: (response, _request, p) => ({
		roomId: p.requiredString('roomId'),
		updated: response.result === true,
	}),
};

const remove: OperationDefinition = {
	value: 'delete',
	name: 'Delete',
	action: 'Delete a meeting room',
	lane: DINGTALK_RATE_LIMITS['meetingRoom.delete'],
	description: 'Delete a meeting room',
	properties: [roomLocator('The meeting room to delete'), operatorUnionId()],
	errors: ROOM_ERRORS,
	check: answeredFalse('result', 'The room deletion'),
	build: (p) => ({
		method: 'DELETE',
		path: `/v1.0/rooms/meetingRooms/${p.pathId('roomId')}`,
		qs: { unionId: p.requiredString('unionId') },
	}),
	output: (response, _request, p) => ({
		roomId: p.requiredString('roomId'),
		deleted: response.result === true,
	}),
};

export const meetingRoom: ResourceDefinition = {
	value: 'meetingRoom',
	name: 'Meeting Room',
	description: 'Meeting rooms (会议室)',
	operations: [create, remove, get, getAll, update],
	defaultOperation: 'create',
};
