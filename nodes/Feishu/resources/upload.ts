import { FEISHU_RATE_LIMITS } from '../transport';
import type { INodeProperties } from 'n8n-workflow';

import type { BinaryInput } from '../../shared/binary';
import { binaryInput } from '../../shared/binary';
import type { OperationDefinition, OperationStep, ResourceDefinition } from '../../shared/types';
import { UPLOAD_ERRORS } from './message/errors';

/** Documented upload limits: images up to 10 MB, files up to 30 MB, neither empty. */
export const IMAGE_LIMIT = { maxBytes: 10 * 1024 * 1024, what: 'an image' };
export const FILE_LIMIT = { maxBytes: 30 * 1024 * 1024, what: 'a file' };

const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'] as const;
type FileType = (typeof FILE_TYPES)[number];

const binaryField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	description: "The name of the input item's binary property that holds the file",
};

/**
 * POST /open-apis/im/v1/images (multipart: image_type, image). An upload repeated after a lost answer only
 * leaves an unused key behind, nothing anyone sees, so it is retried like a read.
 */
export async function uploadImage(
	step: OperationStep,
	file: BinaryInput,
	imageType: 'message' | 'avatar',
): Promise<string> {
	const data = await step.send(
		{
			method: 'POST',
			path: '/open-apis/im/v1/images',
			multipart: { fields: [['image_type', imageType]], file: { field: 'image', ...file } },
			idempotent: true,
		},
		FEISHU_RATE_LIMITS['image.upload'],
		UPLOAD_ERRORS,
	);
	return String(data.image_key);
}

/** POST /open-apis/im/v1/files (multipart: file_type, file_name, duration, file). */
export async function uploadFile(
	step: OperationStep,
	file: BinaryInput,
	fileType: FileType,
	fileName: string,
	durationMs?: number,
): Promise<string> {
	const fields: Array<[string, string]> = [
		['file_type', fileType],
		['file_name', fileName],
	];
	if (durationMs !== undefined) fields.push(['duration', String(durationMs)]);
	const data = await step.send(
		{
			method: 'POST',
			path: '/open-apis/im/v1/files',
			multipart: { fields, file: { field: 'file', ...file, fileName } },
			idempotent: true,
		},
		FEISHU_RATE_LIMITS['file.upload'],
		UPLOAD_ERRORS,
	);
	return String(data.file_key);
}

/** The documented file_type for a file message, from the file's extension (anything else is "stream"). */
export function fileTypeOf(fileName: string): FileType {
	const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
	if (extension === 'pdf') return 'pdf';
	if (extension === 'doc' || extension === 'docx') return 'doc';
	if (extension === 'xls' || extension === 'xlsx') return 'xls';
	if (extension === 'ppt' || extension === 'pptx') return 'ppt';
	return 'stream';
}

const imageUpload: OperationDefinition = {
	value: 'upload',
	actsAs: ['app'],
	name: 'Upload',
	action: 'Upload an image',
	lane: FEISHU_RATE_LIMITS['image.upload'],
	description:
		'Upload an image from binary data, for image messages, cards or chat avatars (up to 10 MB)',
	properties: [
		binaryField,
		{
			displayName: 'Image Type',
			name: 'imageType',
			type: 'options',
			options: [
				{ name: 'Message', value: 'message', description: 'For image messages and cards' },
				{ name: 'Avatar', value: 'avatar', description: 'For chat avatars' },
			],
			default: 'message',
		},
	],
	errors: UPLOAD_ERRORS,
	async run(step) {
		const imageType = step.params.choice('imageType', ['message', 'avatar'] as const, 'message');
		const file = await binaryInput(step.ctx, step.params, 'binaryPropertyName', IMAGE_LIMIT);
		return [{ json: { imageKey: await uploadImage(step, file, imageType) } }];
	},
};

const fileUpload: OperationDefinition = {
	value: 'upload',
	actsAs: ['app'],
	name: 'Upload',
	action: 'Upload a file',
	lane: FEISHU_RATE_LIMITS['file.upload'],
	description: 'Upload a file from binary data, for file, audio and video messages (up to 30 MB)',
	properties: [
		binaryField,
		{
			displayName: 'File Type',
			name: 'fileType',
			type: 'options',
			options: [
				{ name: 'Excel (Xls)', value: 'xls' },
				{ name: 'MP4 Video', value: 'mp4', description: 'For video (media) messages' },
				{
					name: 'OPUS Audio',
					value: 'opus',
					description: 'For audio messages; convert other audio to OPUS first',
				},
				{ name: 'Other (Stream)', value: 'stream', description: 'Any other file' },
				{ name: 'PDF', value: 'pdf' },
				{ name: 'PowerPoint (Ppt)', value: 'ppt' },
				{ name: 'Word (Doc)', value: 'doc' },
			],
			default: 'stream',
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description:
				"The name shown in Feishu, with its extension. Left empty, the binary data's file name.",
		},
		{
			displayName: 'Duration (Ms)',
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'For audio and video: the length in milliseconds (0 = not given; Feishu then shows no duration)',
		},
	],
	errors: UPLOAD_ERRORS,
	async run(step) {
		const p = step.params;
		const fileType = p.choice('fileType', FILE_TYPES, 'stream');
		const file = await binaryInput(step.ctx, p, 'binaryPropertyName', FILE_LIMIT);
		const fileName = p.optionalString('fileName') ?? file.fileName;
		const duration = p.integer('duration', 0, 0);
		const fileKey = await uploadFile(
			step,
			file,
			fileType,
			fileName,
			duration > 0 ? duration : undefined,
		);
		return [{ json: { fileKey } }];
	},
};

export const image: ResourceDefinition = {
	value: 'image',
	name: 'Image',
	description: 'Images for messages and avatars',
	operations: [imageUpload],
	defaultOperation: 'upload',
};

export const file: ResourceDefinition = {
	value: 'file',
	name: 'File',
	description: 'Files for file, audio and video messages',
	operations: [fileUpload],
	defaultOperation: 'upload',
};
