import { apiRequestResource } from '../../shared/apiRequest';

export const apiRequest = apiRequestResource('DingTalk', '/v1.0/rooms/groupLists', {
	displayName: 'API Style',
	name: 'style',
	type: 'options',
	options: [
		{
			name: 'New Style',
			value: 'new',
			description:
				'Api.dingtalk.com paths like /v1.0/…; token in the x-acs-dingtalk-access-token header',
		},
		{
			name: 'Legacy',
			value: 'legacy',
			description:
				'Oapi.dingtalk.com paths like /topapi/…; token in the access_token query parameter',
		},
	],
	default: 'new',
});
