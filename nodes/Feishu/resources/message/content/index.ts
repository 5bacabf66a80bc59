/** Message content: the fields of each message type, and the documented `content` JSON built from them. */
export type { MessageType } from './fields';
export {
	cardProperties,
	contentProperties,
	MESSAGE_TYPES,
	messageTypeProperty,
	UPLOADABLE,
} from './fields';
export type { ContentKeys } from './build';
export { buildCard, buildContent, checkSize, contentObject } from './build';
