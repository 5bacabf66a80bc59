import type { ErrorMeanings } from '../../../shared/types';

/**
 * The documented error codes of DingTalk's messaging APIs and what they mean.
 * Sources: docs/research/dingtalk-msg-stream.md (A1 to A4) and the pages it cites.
 */

/** The custom robot's answers ({errcode, errmsg}, HTTP 200): robot send page and security settings page. */
export const CUSTOM_ROBOT_ERRORS: ErrorMeanings = {
	'-1': 'DingTalk is busy; it kept happening after retrying with the same msgUuid.',
	'40035': 'A required JSON parameter is missing: check the message content.',
	'43004': 'The Content-Type header is invalid.',
	'310000':
		'The message failed the robot\'s security settings: "keywords not in content" (the message must contain one of the robot\'s keywords), "invalid timestamp" or "sign not match" (check the Signing Secret and this server\'s clock; the timestamp may be at most 1 hour off), or "ip … not in whitelist" (add this server\'s IP address to the robot\'s IP allow-list).',
	'400013': 'The group was dissolved.',
	'400101':
		"The robot's access_token does not exist: the Webhook URL is wrong, or the robot was removed.",
	'400102': "The robot is disabled (turned off in the group's robot settings).",
	'400105': 'The message type (msgtype) is not supported by custom robots.',
	'400106': 'The robot does not exist: it was removed from the group.',
	'410100':
		'Too fast: a custom robot may send 20 messages a minute; above that DingTalk blocks it for 10 minutes. The node paces to 20 a minute per robot in this n8n process, so another sender (another n8n or program) uses the same robot. Not retried: retrying would extend the block.',
	'430101': 'The message contains an unsafe external link.',
	'430102': 'The message contains inappropriate text.',
	'430103': 'The message contains an inappropriate image.',
	'430104': 'The message contains inappropriate content.',
};

/** The app robot's answers (HTTP 400 with a string code), shared by its send, recall and read APIs. */
const ROBOT_COMMON: ErrorMeanings = {
	'invalidParameter.robotCode.empty': 'Robot Code is empty.',
	'invalidParameter.robotCode.notExsit':
		"No robot has this Robot Code: check it under the app's Robot (机器人) settings, or leave it empty to use the app key.",
	'invalidParameter.robotCode.invalid': 'Robot Code is invalid.',
	'invalidParameter.robotCode.auth':
		"The robot does not belong to this app: Robot Code and the credential's app key do not match.",
	'not.allowed.robotCode': 'This app may not use this robot.',
	'system.error': 'DingTalk had a system error.',
};

const ROBOT_SEND: ErrorMeanings = {
	...ROBOT_COMMON,
	'invalidParameter.msgKey.empty': 'The message key (msgKey) is empty.',
	'invalidParameter.msgKey.invalid': 'The message key (msgKey) is not a documented template.',
	'invalidParameter.msgParam.invalid': 'The message parameters (msgParam) are not valid JSON.',
	'invalidParameter.msgParam.tooLong': 'The message is too long.',
	'miss.param.*':
		'A field the template needs is missing from msgParam (the code names it, e.g. miss.param.contentOfText).',
	'invalidParameter.param.invalid': 'A parameter is invalid.',
	'invalidParameter.msg.unsupport': 'The message type is not supported.',
	'invalidParameter.msgBody.invalid': 'The message body is invalid.',
	'invalidParameter.token.invalid': 'The token is not authorized for this robot.',
	'token.notExisted': 'The token does not exist.',
	'template.not.existed': 'The message template (msgKey) does not exist.',
	'template.stopped': 'The message template (msgKey) was stopped.',
	'send.forbidden': 'Sending is forbidden for this robot.',
	'ip.not.match': "This server's IP address is not in the robot's allow-list.",
	'keywords.not.match': "The message does not contain one of the robot's keywords.",
	'sign.not.match': 'The signature does not match.',
	'session.notExisted': 'The conversation (session) does not exist.',
	'session.expired': 'The conversation (session) has expired.',
	'sendMessage.model.notMatch': "The message does not match the robot's model.",
	'unknown.send.result':
		'DingTalk does not know whether the message was sent: check before sending again.',
	'send.byToken.tooFast':
		'Too fast: this app sends too many robot messages; it kept happening after backing off.',
	'send.too.fast':
		'Too fast: this robot sends too many messages; it kept happening after backing off.',
	'too.many.people': 'Too many recipients at once; it kept happening after backing off.',
	'too.many.group': 'Too many groups at once; it kept happening after backing off.',
	'bot.forbidden.sendMessage':
		'The robot is not allowed to send messages (it is disabled or not published).',
	'contain.unsafe.url': 'The message contains an unsafe link.',
	'contain.notAllowed.text': 'The message contains text that is not allowed.',
	'contain.notAllowed.picture': 'The message contains a picture that is not allowed.',
	'contain.notAllowed.content': 'The message contains content that is not allowed.',
};

export const ROBOT_OTO_SEND_ERRORS: ErrorMeanings = {
	...ROBOT_SEND,
	'invalidParameter.userIds.empty': 'User IDs is empty.',
	'invalidParameter.userIds.overMax':
		'Too many user IDs in one call (the node sends at most 20 per call).',
	'chatbotId.notAllow.sendOTO':
		'This robot may not send one-on-one messages: publish the robot, and enable one-on-one chats for it.',
	'robot.oto.notExist': 'The robot has no one-on-one chat with these users.',
	'staffId.notExisted': 'A user ID does not exist in the organization.',
};

export const ROBOT_GROUP_SEND_ERRORS: ErrorMeanings = {
	...ROBOT_SEND,
	'invalid.openConversationId':
		'The Open Conversation ID is invalid, or the robot is not in that group.',
	'group.disbanded': 'The group was dissolved.',
	'bot.stopped': 'The robot was stopped in this group.',
	'only.groupAdmin.canAtAll': 'Only a group admin may @-mention everyone.',
	'conversation.org.notMatch': 'The group belongs to another organization.',
	'resource.unavailable': 'The group is unavailable.',
};

export const ROBOT_RECALL_ERRORS: ErrorMeanings = {
	...ROBOT_COMMON,
	'invalidParameter.processQueryKeys.overMax':
		'Too many message keys in one call (the node recalls at most 20 per call).',
	'robot.processQueryKey.expired': 'A message can be recalled only within 24 hours of sending.',
	'notRevoke.all.messages': 'Some messages could not be recalled (see failedResult).',
	'invalid.openConversationId':
		'The Open Conversation ID is invalid, or the robot is not in that group.',
};

export const ROBOT_READ_ERRORS: ErrorMeanings = {
	...ROBOT_COMMON,
	'processQueryKey.expireTime':
		'The read status is not ready yet, or has expired: it can be read only within 24 hours of sending.',
	'invalidParameter.processQueryKey.missing': 'Process Query Key is missing.',
	'invalid.processQueryKey': 'Process Query Key is invalid.',
};

/**
 * The message-file download page (获取机器人消息中文件下载链接) lists no error codes of its own: the robot
 * APIs' common codes, and the send pages' generic "parameter is invalid", which DingTalk gives for a
 * downloadCode it does not know (or no longer knows: the code is temporary).
 */
export const ROBOT_FILE_ERRORS: ErrorMeanings = {
	...ROBOT_COMMON,
	'invalidParameter.param.invalid':
		'A parameter is invalid: the Download Code is not one DingTalk knows, or it has expired (it is temporary: download soon after the message arrives), or the message was sent to another robot.',
};

/** Work notification answers ({errcode, errmsg}, HTTP 200). */
const WORK_COMMON: ErrorMeanings = {
	'40035': 'A parameter is invalid: check the AgentId in the credential, and the task ID.',
	'400002': 'The AgentId or the task ID is invalid.',
	'33012': 'A user ID is invalid.',
	'60020': "This server's IP address is not in the app's allow-list.",
	'88': 'An authorization error (see the sub-code).',
	'500': 'DingTalk had a system error.',
};

export const WORK_SEND_ERRORS: ErrorMeanings = {
	...WORK_COMMON,
	'40008': 'The message type is invalid.',
	'40009': 'A department ID is invalid.',
	'34014': 'The message JSON is invalid or incomplete.',
	'40048': 'A URL in the message has a domain that is not allowed.',
	'81002': 'The user refuses messages (拒收消息).',
	'34016':
		"The message is too long: content and markdown at most 5000 characters, title 64, a single button's title 20 and URL 500, the button list 1000.",
	'41028': 'Sending to everyone is not allowed for this app.',
	'41029':
		'Too many recipients: at most 5000 per message for an internal app (1000 for an ISV app).',
	'41044': 'Sending messages is forbidden for this app.',
	'41045': 'Messages to everyone are over the daily limit (3 a day per app).',
	'41046': 'Messages to everyone are over the per-minute limit.',
	'41047':
		'Over the per-minute limit of messages to the organization (1500 a minute for an internal app, 200 for an ISV app).',
	'41048': 'Over the per-minute total of messages to the organization.',
	'41049': 'The message contains prohibited content.',
};

export const WORK_QUERY_ERRORS: ErrorMeanings = { ...WORK_COMMON };

/** Media upload answers. */
export const MEDIA_ERRORS: ErrorMeanings = {
	'40004': 'The media type is invalid (image, voice, video or file).',
	'40005': 'The file type is not allowed for this media type.',
	'40006': 'The file size is not allowed for this media type.',
	'40007': 'The media_id is invalid.',
};

/** What the codes of a work notification's forbidden_list mean (getsendresult). */
export const FORBIDDEN_CODES: Record<string, string> = {
	'143103': "the app's limit of recipients per minute was reached",
	'143104': "the organization's limit of recipients per minute was reached",
	'143105': "the user's daily limit of work notifications from this app was reached",
	'143106': 'the same content was already sent to this user today',
	'143203': "the app's limit of recipients per minute was reached",
	'143204': "the organization's limit of recipients per minute was reached",
	'143205': "the user's daily limit of work notifications from this app was reached",
	'143206': 'the same content was already sent to this user today',
	'1430000': 'there was no recipient',
	'1430002': 'the content is prohibited',
	'1430003': "DingTalk's system protection held it back",
	'1430004': 'executive protection (高管防打扰) held it back',
};
