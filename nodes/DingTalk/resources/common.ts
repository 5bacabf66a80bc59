import type { INodeProperties } from 'n8n-workflow';

import type { ApiResponse, BodyFailure } from '../../shared/types';

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

/**
 * Some changes answer HTTP 200 with a documented boolean (`result` for rooms, `success` for conferences)
 * that is false when the change was not made. That is a failure of the item, not an output saying "false".
 */
export const answeredFalse =
	(field: 'result' | 'success', change: string) =>
	(response: ApiResponse): BodyFailure | undefined =>
		response[field] === false
			? {
					code: `${field}=false`,
					message: `${change} was not made: DingTalk answered ${field}: false`,
				}
			: undefined;
