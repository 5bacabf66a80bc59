import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A group's custom bot (自定义机器人): its webhook URL, and the signing secret when the bot's
 * signature verification is on. The node's credential test checks the URL's documented form and
 * sends nothing to the group.
 */
export class FeishuCustomBotApi implements ICredentialType {
	name = 'feishuCustomBotApi';

	// The issue named it "Feishu / Lark Custom Bot"; n8n's package scanner requires credential display names to end in "API".
	displayName = 'Feishu / Lark Custom Bot API';

	icon: Icon = {
		light: 'file:../nodes/Feishu/feishu.svg',
		dark: 'file:../nodes/Feishu/feishu.dark.svg',
	};

	documentationUrl = 'https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'https://open.feishu.cn/open-apis/bot/v2/hook/…',
			description:
				"The custom bot's webhook address, from the group's settings › Bots › the custom bot. Anyone with it can post to the group, so it is kept secret.",
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if the bot\'s security settings have "Set signature verification" on: the secret shown there',
		},
	];
}
