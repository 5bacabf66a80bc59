import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A group's custom robot (自定义机器人): its webhook URL, and the signing secret when the robot's
 * security settings use signing (加签). The node's credential test checks the URL's documented form
 * and sends nothing to the group.
 */
export class DingTalkRobotApi implements ICredentialType {
	name = 'dingTalkRobotApi';

	// The issue named it "DingTalk Custom Robot"; n8n's package scanner requires credential display names to end in "API".
	displayName = 'DingTalk Custom Robot API';

	icon: Icon = {
		light: 'file:../nodes/DingTalk/dingtalk.svg',
		dark: 'file:../nodes/DingTalk/dingtalk.dark.svg',
	};

	documentationUrl = 'https://open.dingtalk.com/document/orgapp/custom-bot-send-message-type';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…',
			description:
				"The robot's Webhook address, from the group's settings › Bots (机器人) › the custom robot. Its access_token lets anyone post to the group, so it is kept secret.",
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'SEC…',
			description:
				"Only if the robot's security settings use signing (加签): the secret shown there, starting with SEC",
		},
	];
}
