/**
 * The documented requests of DingTalk's messaging APIs, for the fake's spec checks (no runtime
 * imports, so that spec.ts can include them without a cycle).
 */
import type { FieldSpec, RouteSpec } from './spec';
import { str, int } from './values';

const strings = (required = false): FieldSpec => ({ type: 'array', of: 'string', required });

/** The custom robot's body formats (robot message types page). */
export const ROBOT_BODY: Record<string, FieldSpec> = {
	msgtype: str(true, { enum: ['text', 'markdown', 'link', 'actionCard', 'feedCard'] }),
	msgUuid: str(),
	text: { type: 'object', fields: { content: str(true) } },
	markdown: { type: 'object', fields: { title: str(true), text: str(true) } },
	link: {
		type: 'object',
		fields: { title: str(true), text: str(true), messageUrl: str(true), picUrl: str() },
	},
	actionCard: {
		type: 'object',
		fields: {
			title: str(true),
			text: str(true),
			singleTitle: str(),
			singleURL: str(),
			btnOrientation: str(false, { enum: ['0', '1'] }),
			hideAvatar: str(false, { enum: ['0', '1'] }),
			btns: { type: 'array', items: { title: str(true), actionURL: str(true) } },
		},
	},
	feedCard: {
		type: 'object',
		fields: {
			links: {
				type: 'array',
				required: true,
				items: { title: str(true), messageURL: str(true), picURL: str(true) },
			},
		},
	},
	at: {
		type: 'object',
		fields: { atMobiles: strings(), atUserIds: strings(), isAtAll: { type: 'boolean' } },
	},
};

/** Work notification msg bodies (message types and data format page), snake_case. */
export const WORK_MSG: Record<string, FieldSpec> = {
	msgtype: str(true, {
		enum: ['text', 'image', 'voice', 'file', 'link', 'oa', 'markdown', 'action_card'],
	}),
	text: { type: 'object', fields: { content: str(true) } },
	image: { type: 'object', fields: { media_id: str(true) } },
	voice: { type: 'object', fields: { media_id: str(true), duration: str(true) } },
	file: { type: 'object', fields: { media_id: str(true) } },
	link: {
		type: 'object',
		fields: { messageUrl: str(true), picUrl: str(true), title: str(true), text: str(true) },
	},
	markdown: { type: 'object', fields: { title: str(true), text: str(true) } },
	oa: {
		type: 'object',
		fields: {
			message_url: str(true),
			pc_message_url: str(),
			head: { type: 'object', fields: { bgcolor: str(true), text: str() } },
			status_bar: { type: 'object', fields: { status_value: str(), status_bg: str() } },
			body: {
				type: 'object',
				fields: {
					title: str(),
					form: { type: 'array', items: { key: str(), value: str() } },
					rich: { type: 'object', fields: { num: str(), unit: str() } },
					content: str(),
					image: str(),
					file_count: str(),
					author: str(),
				},
			},
		},
	},
	action_card: {
		type: 'object',
		fields: {
			title: str(true),
			markdown: str(true),
			single_title: str(),
			single_url: str(),
			btn_orientation: str(false, { enum: ['0', '1'] }),
			btn_json_list: { type: 'array', items: { title: str(true), action_url: str(true) } },
		},
	},
};

const WORK = '/topapi/message/corpconversation';

export const DINGTALK_IM_ROUTES: RouteSpec[] = [
	{
		key: 'dingtalk.customRobot.send',
		method: 'POST',
		path: '/robot/send',
		auth: 'robotWebhook',
		query: { access_token: str(true), timestamp: { type: 'digits' }, sign: str() },
		body: ROBOT_BODY,
	},
	{
		key: 'dingtalk.robot.batchSend',
		method: 'POST',
		path: '/v1.0/robot/oToMessages/batchSend',
		auth: 'dingtalkHeader',
		body: { robotCode: str(true), userIds: strings(true), msgKey: str(true), msgParam: str(true) },
	},
	{
		key: 'dingtalk.robot.groupSend',
		method: 'POST',
		path: '/v1.0/robot/groupMessages/send',
		auth: 'dingtalkHeader',
		body: {
			msgParam: str(true),
			msgKey: str(true),
			openConversationId: str(true),
			robotCode: str(true),
			coolAppCode: str(),
		},
	},
	{
		// "获取机器人消息中文件下载链接": a file a user sent to the robot, by its temporary downloadCode.
		key: 'dingtalk.robot.messageFileDownload',
		method: 'POST',
		path: '/v1.0/robot/messageFiles/download',
		auth: 'dingtalkHeader',
		body: { downloadCode: str(true), robotCode: str(true) },
	},
	{
		// The temporary link (downloadUrl) it answers: signed, no DingTalk token.
		key: 'dingtalk.robot.messageFile',
		method: 'GET',
		path: '/oss/robot/{key}',
		auth: 'none',
		query: { Expires: str(true), Signature: str(true) },
		binaryAnswer: true,
	},
	{
		key: 'dingtalk.robot.readStatus',
		method: 'GET',
		path: '/v1.0/robot/oToMessages/readStatus',
		auth: 'dingtalkHeader',
		query: { robotCode: str(true), processQueryKey: str(true) },
	},
	{
		key: 'dingtalk.robot.otoRecall',
		method: 'POST',
		path: '/v1.0/robot/otoMessages/batchRecall',
		auth: 'dingtalkHeader',
		body: { robotCode: str(true), processQueryKeys: strings(true) },
	},
	{
		key: 'dingtalk.robot.groupRecall',
		method: 'POST',
		path: '/v1.0/robot/groupMessages/recall',
		auth: 'dingtalkHeader',
		body: { openConversationId: str(true), robotCode: str(true), processQueryKeys: strings(true) },
	},
	{
		key: 'dingtalk.work.send',
		method: 'POST',
		path: `${WORK}/asyncsend_v2`,
		auth: 'dingtalkQuery',
		body: {
			agent_id: int(true),
			userid_list: str(),
			dept_id_list: str(),
			to_all_user: { type: 'boolean' },
			msg: { type: 'object', required: true },
		},
		// 20 a second (every API), and "企业OA消息每分钟不能超过1500次" (error 41047).
		limits: [
			{ limit: 20, windowMs: 1000 },
			{ limit: 1500, windowMs: 60_000 },
		],
	},
	{
		key: 'dingtalk.work.getSendProgress',
		method: 'POST',
		path: `${WORK}/getsendprogress`,
		auth: 'dingtalkQuery',
		body: { agent_id: int(true), task_id: int(true) },
	},
	{
		key: 'dingtalk.work.getSendResult',
		method: 'POST',
		path: `${WORK}/getsendresult`,
		auth: 'dingtalkQuery',
		body: { agent_id: int(true), task_id: int(true) },
	},
	{
		key: 'dingtalk.work.recall',
		method: 'POST',
		path: `${WORK}/recall`,
		auth: 'dingtalkQuery',
		body: { agent_id: int(true), msg_task_id: int(true) },
	},
	{
		key: 'dingtalk.media.upload',
		method: 'POST',
		path: '/media/upload',
		auth: 'dingtalkQuery',
		multipart: {
			fields: { type: str(true, { enum: ['image', 'voice', 'video', 'file'] }) },
			files: ['media'],
		},
	},
	{
		key: 'dingtalk.stream.open',
		method: 'POST',
		path: '/v1.0/gateway/connections/open',
		auth: 'none',
		body: {
			clientId: str(true),
			clientSecret: str(true),
			subscriptions: {
				type: 'array',
				required: true,
				items: { type: str(true, { enum: ['EVENT', 'CALLBACK'] }), topic: str(true) },
			},
			ua: str(),
			localIp: str(),
		},
	},
	{
		key: 'dingtalk.robot.sessionReply',
		method: 'POST',
		path: '/robot/sendBySession',
		auth: 'none',
		query: { session: str(true) },
		body: ROBOT_BODY,
	},
];
