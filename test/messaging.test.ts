import { feishu, useFakeApi } from './helpers';

const env = useFakeApi();
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('smoke', () => {
	it('sends text', async () => {
		const r = await env.bench.run(feishu('message', 'send', { receiveId: 'oc_sandbox_general', messageType: 'text', text: 'Hello' }));
		expect(r.error).toBeUndefined();
		expect(r.json[0].message_id).toMatch(/^om_/);
	});
	it('uploads an image from binary, sends it and downloads it back', async () => {
		const r = await env.bench.run({
			...feishu('message', 'send', { receiveId: 'oc_sandbox_general', messageType: 'image' }),
			items: [{ $binary: { data: { base64: PNG.toString('base64'), fileName: 'dot.png', mimeType: 'image/png' } } }],
		});
		expect(r.error).toBeUndefined();
		const key = JSON.parse(String((r.json[0].body as { content: string }).content)).image_key;
		const d = await env.bench.run(feishu('message', 'downloadResource', { messageId: r.json[0].message_id, fileKey: key, resourceType: 'image' }));
		expect(d.error).toBeUndefined();
		expect(Buffer.from(d.items[0].binary!.data.data, 'base64')).toEqual(PNG);
		expect(d.items[0].binary!.data.mimeType).toBe('image/png');
		expect(d.items[0].binary!.data.fileName).toBe('dot.png');
	});
});
