import { fetchLink } from '../../../../shared/download';
import type { OperationDefinition, OutputItem } from '../../../../shared/types';
import { DINGTALK_RATE_LIMITS } from '../../../transport';
import { ROBOT_FILE_ERRORS } from '../errors';
import { robotCodeOf, robotCodeProperty } from './common';

/**
 * A file a user sent to the robot (获取机器人消息中文件下载链接): the message's temporary downloadCode is
 * exchanged for a temporary link (POST /v1.0/robot/messageFiles/download), and the link's bytes become
 * binary data. Pictures, audio, video, files and the pictures of rich text carry a downloadCode; in groups
 * DingTalk delivers no audio, video or files to robots.
 */
export const downloadFile: OperationDefinition = {
	value: 'downloadFile',
	name: 'Download File',
	action: 'Download a file from a robot message',
	lane: DINGTALK_RATE_LIMITS['robotMessage.downloadFile'],
	description:
		'Download the file, picture, audio or video a user sent to the robot, as binary data (needs qyapi_robot_sendmsg)',
	properties: [
		robotCodeProperty,
		{
			displayName: 'Download Code',
			name: 'downloadCode',
			type: 'string',
			required: true,
			default: '={{ $json.downloadCode }}',
			description:
				"The message's temporary downloadCode. The default reads it from the DingTalk Trigger's item, which outputs it as downloadCode for a file, picture, audio or video message (in content.richText for the pictures of rich text). It expires: download soon after the message arrives. Only the robot that received the message can download it.",
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: '={{ $json.fileName }}',
			description:
				'The output file\'s name. Empty: the name DingTalk gives the file, or the trigger\'s fileName, or "file".',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description: 'The name of the output binary property for the file',
		},
	],
	errors: ROBOT_FILE_ERRORS,
	async run(step): Promise<OutputItem[]> {
		const p = step.params;
		const downloadCode = p.requiredString('downloadCode');
		const property = p.requiredString('binaryPropertyName');
		const given = p.optionalString('fileName');
		// Asking for a link changes nothing on DingTalk, so a lost answer is asked again.
		const answer = await step.send({
			method: 'POST',
			path: '/v1.0/robot/messageFiles/download',
			body: { downloadCode, robotCode: robotCodeOf(step) },
			idempotent: true,
		});
		const url = answer.downloadUrl;
		if (typeof url !== 'string' || !/^https?:\/\//.test(url))
			return p.fail('downloadCode', 'has no file to download: DingTalk answered no downloadUrl');
		const file = await fetchLink(
			step,
			url,
			'the message file',
			'the link is valid for a short while only: run the node again',
		);
		const input = step.ctx.getInputData()[step.itemIndex]?.json ?? {};
		const fileName =
			given ??
			file.fileName ??
			(typeof input.fileName === 'string' && input.fileName ? input.fileName : 'file');
		const binary = await step.ctx.helpers.prepareBinaryData(file.data, fileName, file.mimeType);
		return [
			{
				json: {
					fileName: binary.fileName,
					mimeType: binary.mimeType,
					size: file.data.length,
				},
				binary: { [property]: binary },
			},
		];
	},
};
