import { DINGTALK_RATE_LIMITS } from '../../transport';
import type { BinaryInput } from '../../../shared/binary';
import { binaryInput } from '../../../shared/binary';
import type { OperationDefinition, OperationStep, ResourceDefinition } from '../../../shared/types';
import { MEDIA_ERRORS } from './errors';

type MediaType = 'image' | 'voice' | 'video' | 'file';

/**
 * The upload page's limits per type: image 20 MB (jpg, gif, png, bmp), voice 2 MB (amr, mp3, wav),
 * video 20 MB (mp4), file 20 MB (doc, docx, xls, xlsx, ppt, pptx, zip, pdf, rar). A work notification's
 * file may be at most 10 MB (message types page); that is checked where such a message is built.
 */
const MEDIA_LIMITS: Record<MediaType, { maxBytes: number; what: string; extensions: string[] }> = {
	image: {
		maxBytes: 20 * 1024 * 1024,
		what: 'an image',
		extensions: ['jpg', 'jpeg', 'gif', 'png', 'bmp'],
	},
	voice: {
		maxBytes: 2 * 1024 * 1024,
		what: 'a voice file',
		extensions: ['amr', 'mp3', 'wav', 'ogg'],
	},
	video: { maxBytes: 20 * 1024 * 1024, what: 'a video', extensions: ['mp4'] },
	file: {
		maxBytes: 20 * 1024 * 1024,
		what: 'a file',
		extensions: ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'zip', 'pdf', 'rar'],
	},
};

/** A work notification's file: "文件大小不超过10MB". */
export const WORK_FILE_MAX = 10 * 1024 * 1024;

/** Reads an item's binary property for an upload of `type`, checking its size and extension before any request. */
export async function mediaInput(
	step: OperationStep,
	field: string,
	type: MediaType,
	maxBytes?: number,
): Promise<BinaryInput> {
	const limit = MEDIA_LIMITS[type];
	const file = await binaryInput(step.ctx, step.params, field, {
		maxBytes: Math.min(maxBytes ?? Infinity, limit.maxBytes),
		what: limit.what,
	});
	const extension = /\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1]?.toLowerCase();
	if (extension !== undefined && !limit.extensions.includes(extension)) {
		step.params.fail(
			field,
			`DingTalk accepts ${limit.what} as ${limit.extensions.join(', ')}; "${file.fileName}" is .${extension}`,
		);
	}
	return file;
}

/**
 * POST /media/upload (legacy, multipart: `type` and the file part `media`); answers media_id. A repeated
 * upload after a lost answer only leaves an unused media_id behind, so it is retried like a read.
 */
export async function uploadMedia(
	step: OperationStep,
	file: BinaryInput,
	type: MediaType,
): Promise<string> {
	const data = await step.send(
		{
			method: 'POST',
			path: '/media/upload',
			style: 'legacy',
			multipart: { fields: [['type', type]], file: { field: 'media', ...file } },
			idempotent: true,
		},
		DINGTALK_RATE_LIMITS['media.upload'],
		MEDIA_ERRORS,
	);
	return String(data.media_id);
}

const upload: OperationDefinition = {
	value: 'upload',
	name: 'Upload',
	action: 'Upload a media file',
	lane: DINGTALK_RATE_LIMITS['media.upload'],
	description:
		'Upload an image, voice, video or file from binary data; messages and work notifications send it by its media ID',
	properties: [
		{
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			options: [
				{ name: 'Image', value: 'image', description: 'JPG, GIF, PNG or BMP, up to 20 MB' },
				{ name: 'Voice', value: 'voice', description: 'AMR, MP3 or WAV, up to 2 MB' },
				{ name: 'Video', value: 'video', description: 'MP4, up to 20 MB' },
				{
					name: 'File',
					value: 'file',
					description: 'DOC(X), XLS(X), PPT(X), ZIP, PDF or RAR, up to 20 MB',
				},
			],
			default: 'image',
			description: 'What kind of media the file is (type)',
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			description: "The name of the input item's binary property that holds the file",
		},
	],
	errors: MEDIA_ERRORS,
	async run(step) {
		const type = step.params.choice(
			'mediaType',
			['image', 'voice', 'video', 'file'] as const,
			'image',
		);
		const file = await mediaInput(step, 'binaryPropertyName', type);
		return [{ json: { mediaId: await uploadMedia(step, file, type) } }];
	},
};

export const media: ResourceDefinition = {
	value: 'media',
	name: 'Media',
	description: 'Files for messages: images, voice, video and documents (媒体文件)',
	operations: [upload],
	defaultOperation: 'upload',
};
