import type { INodeProperties } from 'n8n-workflow';

/** The operator whose rights the rooms and conference APIs check. */
export const operatorUnionId = (description?: string): INodeProperties => ({
	displayName: 'Operator Union ID',
	name: 'unionId',
	type: 'string',
	required: true,
	default: '',
	description:
		description ??
		'The unionId of the operator (usually a DingTalk admin). Get it with the User resource: Get returns it as unionid.',
});
