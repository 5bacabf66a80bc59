import type { ErrorMeanings } from '../../../shared/types';

/**
 * Documented error codes of the im/v1 message APIs, from their pages (message/create, reply, patch,
 * update, delete, get, list, forward, get-2, and the reaction pages); see docs/research/feishu-im.md.
 */
const COMMON_MESSAGE_ERRORS: ErrorMeanings = {
	'230001':
		'A parameter is invalid; the error detail names it. Check the message content against the message type.',
	'230002': 'The bot is not in this chat. Add the bot to the group first (group settings › Bots).',
	'230006':
		"The app's bot capability is not enabled. Enable Bot under Features in the developer console and publish a version.",
	'230013':
		"The user is outside the app's availability range (or has resigned). Add them to the app's availability in the developer console.",
	'230018': "The group's settings do not allow this operation.",
	'230020':
		'Too many messages: a frequency limit was reached (5 a second to one user or one chat).',
	'230022': 'The content was rejected as sensitive.',
	'230025': 'The content is too long: text up to 150 KB, rich text and cards up to 30 KB.',
	'230027': 'Missing permission, or an external group where sharing outside the tenant is off.',
	'230028':
		'The content failed the data loss prevention check (e.g. plain phone numbers or emails).',
	'230035':
		'No permission to send: the chat is muted, the bot is blocked, or a tenant policy forbids it.',
	'230038': 'Messages across tenants in one-to-one chats are not allowed.',
	'230050': 'The message is not visible to the bot.',
	'230054': 'This message type is not supported here.',
	'230110': 'The message was deleted.',
	'232009': 'The chat has been dissolved.',
};

export const SEND_ERRORS: ErrorMeanings = {
	...COMMON_MESSAGE_ERRORS,
	'230015': 'A one-to-one chat cannot be shared.',
	'230017': 'The bot does not own this file or image: it can only send keys it uploaded.',
	'230019': 'The topic does not exist.',
	'230029': 'The user has resigned.',
	'230034': 'The receive ID is invalid for the chosen Receive ID Type.',
	'230036': "The tenant's encryption key was deleted.",
	'230049': 'The message is still being sent.',
	'230053': 'The user has stopped the bot from messaging them.',
	'230055':
		'The uploaded file type does not match the message type (OPUS files as audio, MP4 as media).',
	'230075': 'Encrypted chats are not supported.',
	'230099': 'The card could not be built; the sub-code says why.',
	'100290': 'The card mentions an invalid user ID.',
	'11310':
		'The template is not visible to the app, the card has more than 200 elements, or it is locked during an interaction.',
	'200380': 'The card template does not exist or is not published.',
	'200381': 'The card template is not visible to this app.',
	'200621': 'The card JSON could not be parsed.',
	'200732': 'A template variable has the wrong type.',
	'200737': 'A template variable has the wrong format.',
	'200550': 'A chart in the card is invalid.',
	'200861': 'An element is not supported in card schema 2.0.',
	'200570': 'An image key in the card is invalid.',
	'11232': 'Message creation hit the system rate limit.',
	'19036': 'The message is over the size limit.',
};

export const REPLY_ERRORS: ErrorMeanings = {
	...SEND_ERRORS,
	'230011': 'The message was recalled.',
	'230071': 'This chat does not support replies in a thread.',
	'230072': 'Aggregated messages cannot be replied to in a thread.',
	'230111': 'The message is set to self-destruct.',
};

export const UPDATE_CARD_ERRORS: ErrorMeanings = {
	...COMMON_MESSAGE_ERRORS,
	'230011': 'The message was recalled.',
	'230031': 'The card was sent more than 14 days ago and can no longer be updated.',
	'230099': SEND_ERRORS['230099'],
	'200621': SEND_ERRORS['200621'],
	'200380': SEND_ERRORS['200380'],
	'200381': SEND_ERRORS['200381'],
	'200732': SEND_ERRORS['200732'],
	'200737': SEND_ERRORS['200737'],
};

export const EDIT_ERRORS: ErrorMeanings = {
	...COMMON_MESSAGE_ERRORS,
	'230055': SEND_ERRORS['230055'],
	'230071': 'Only the sender can edit a message.',
	'230072': 'The message has been edited 20 times, the most allowed.',
	'230073': 'Messages in secret chats cannot be edited.',
	'230074': 'Messages in third-party encrypted chats cannot be edited.',
	'230075': 'The time allowed for editing has passed.',
};

export const RECALL_ERRORS: ErrorMeanings = {
	...COMMON_MESSAGE_ERRORS,
	'230009': 'The time allowed for recalling has passed.',
	'230026':
		"No permission to recall: the bot can only recall its own messages (or others' as group owner or admin).",
};

export const LIST_ERRORS: ErrorMeanings = {
	...COMMON_MESSAGE_ERRORS,
	'230073': 'The thread is not visible to the bot.',
};

export const FORWARD_ERRORS: ErrorMeanings = {
	...SEND_ERRORS,
	'230019': 'The target thread does not exist.',
	'230061': 'This message type cannot be forwarded (system, red packet, vote, voice …).',
	'230062': 'No permission to forward into a third-party encrypted group.',
	'230063': 'The target chat_id is invalid.',
	'230064': 'The source message is invalid.',
	'230065': 'The source message was recalled.',
	'230066': 'The source message is in a secret chat.',
	'230070': 'The chat is in restricted (confidential) mode.',
	'230074': 'The target thread is not visible.',
};

export const RESOURCE_ERRORS: ErrorMeanings = {
	'230110': 'The message was deleted.',
	'234001': 'A parameter is invalid: check the file key and the resource type (image or file).',
	'234002': 'Not authorised.',
	'234003': 'This file is not in this message.',
	'234004': "The app is not in the message's chat.",
	'234009': 'Resources of external chats cannot be downloaded.',
	'234019':
		"The app's permission scope check failed: it needs im:message:readonly (or im:message.history:readonly).",
	'234037': 'The file is larger than 100 MB.',
	'234038': 'The chat is in restricted mode.',
	'234040': 'The message is not visible to the bot.',
	'234041': "The tenant's encryption key was deleted.",
	'234042': 'Storage error; try again later.',
	'234043':
		'This message type is not supported (stickers, merged-forward sub-messages and resources inside cards cannot be downloaded).',
};

export const UPLOAD_ERRORS: ErrorMeanings = {
	'232096': 'Metadata writes are paused; try again later.',
	'234001': 'A parameter is invalid.',
	'234002': 'Not authorised.',
	'234006': 'The file is too large (files up to 30 MB, images up to 10 MB).',
	'234007': "The app's bot capability is not enabled.",
	'234010': 'The file is empty.',
	'234011': 'The image format is not supported (JPG, JPEG, PNG, WEBP, GIF, BMP, ICO, TIFF, HEIC).',
	'234039':
		'The image resolution is over the limit (GIF 2000×2000, others 12000×12000, avatars 4096×4096).',
	'234041': "The tenant's encryption key was deleted.",
	'234042': 'Storage error; try again later.',
};

export const REACTION_ERRORS: ErrorMeanings = {
	'230110': 'The message was deleted.',
	'231001': 'The reaction type is invalid.',
	'231002': 'No permission: the bot is not in the chat.',
	'231003': 'The message does not exist or was recalled.',
	'231004': 'The chat does not exist, was dissolved or is archived.',
	'231005': 'The thread was removed.',
	'231006': 'The operator ID is invalid.',
	'231007': "Only the reaction's owner can remove it.",
	'231008': 'No access to the message.',
	'231010': 'The reaction does not belong to this message.',
	'231011': 'The reaction ID is invalid.',
	'231013': 'The authorisation type is invalid.',
	'231015': 'A duplicate request is still being processed.',
	'231017': 'This message type does not support reactions.',
	'231018': 'The message is not visible.',
	'231019': "Blocked by the user's settings.",
	'231020': 'Blocked by a tenant admin policy.',
	'231021': 'External chats are not supported.',
	'231022': "The user is outside the app's availability range.",
	'232009': 'The chat has been dissolved.',
};
