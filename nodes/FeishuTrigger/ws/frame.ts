/**
 * The long connection's binary frames: protobuf (proto2, package pbbp2), encoded and decoded here so
 * the package needs no runtime dependency.
 *
 *   message Header { required string key = 1; required string value = 2; }
 *   message Frame {
 *     required uint64 SeqID = 1; required uint64 LogID = 2; required int32 service = 3; required int32 method = 4;
 *     repeated Header headers = 5; optional string payload_encoding = 6; optional string payload_type = 7;
 *     optional bytes payload = 8; optional string LogIDNew = 9;
 *   }
 */

export interface Frame {
	seqId: bigint;
	logId: bigint;
	service: number;
	/** 0: control (ping / pong), 1: data (events). */
	method: number;
	headers: Array<{ key: string; value: string }>;
	payloadEncoding?: string;
	payloadType?: string;
	payload?: Buffer;
	logIdNew?: string;
}

export const METHOD_CONTROL = 0;
export const METHOD_DATA = 1;

export function headerOf(frame: Frame, key: string): string | undefined {
	return frame.headers.find((h) => h.key === key)?.value;
}

// --- encoding ---

function varint(value: bigint): number[] {
	const out: number[] = [];
	let v = BigInt.asUintN(64, value);
	do {
		let byte = Number(v & 0x7fn);
		v >>= 7n;
		if (v > 0n) byte |= 0x80;
		out.push(byte);
	} while (v > 0n);
	return out;
}

const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));

function lengthDelimited(field: number, bytes: Buffer): Buffer {
	return Buffer.concat([Buffer.from([...tag(field, 2), ...varint(BigInt(bytes.length))]), bytes]);
}

export function encodeFrame(frame: Frame): Buffer {
	const parts: Buffer[] = [
		Buffer.from([...tag(1, 0), ...varint(frame.seqId)]),
		Buffer.from([...tag(2, 0), ...varint(frame.logId)]),
		// int32: negative values are written as 64-bit two's complement, as protobuf does.
		Buffer.from([...tag(3, 0), ...varint(BigInt(frame.service))]),
		Buffer.from([...tag(4, 0), ...varint(BigInt(frame.method))]),
	];
	for (const h of frame.headers) {
		parts.push(
			lengthDelimited(
				5,
				Buffer.concat([
					lengthDelimited(1, Buffer.from(h.key, 'utf8')),
					lengthDelimited(2, Buffer.from(h.value, 'utf8')),
				]),
			),
		);
	}
	if (frame.payloadEncoding !== undefined)
		parts.push(lengthDelimited(6, Buffer.from(frame.payloadEncoding, 'utf8')));
	if (frame.payloadType !== undefined)
		parts.push(lengthDelimited(7, Buffer.from(frame.payloadType, 'utf8')));
	if (frame.payload !== undefined) parts.push(lengthDelimited(8, frame.payload));
	if (frame.logIdNew !== undefined)
		parts.push(lengthDelimited(9, Buffer.from(frame.logIdNew, 'utf8')));
	return Buffer.concat(parts);
}

// --- decoding ---

class Reader {
	position = 0;

	constructor(private readonly bytes: Buffer) {}

	get done(): boolean {
		return this.position >= this.bytes.length;
	}

	varint(): bigint {
		let result = 0n;
		let shift = 0n;
		for (;;) {
			if (this.position >= this.bytes.length) throw new Error('truncated varint');
			const byte = this.bytes[this.position++];
			result |= BigInt(byte & 0x7f) << shift;
			if ((byte & 0x80) === 0) return result;
			shift += 7n;
			if (shift > 63n) throw new Error('varint too long');
		}
	}

	bytesField(): Buffer {
		const length = Number(this.varint());
		if (this.position + length > this.bytes.length) throw new Error('truncated field');
		const out = this.bytes.subarray(this.position, this.position + length);
		this.position += length;
		return out;
	}

	skip(wire: number): void {
		if (wire === 0) this.varint();
		else if (wire === 1) this.position += 8;
		else if (wire === 2) this.bytesField();
		else if (wire === 5) this.position += 4;
		else throw new Error(`unsupported wire type ${wire}`);
	}
}

const int32 = (value: bigint) => Number(BigInt.asIntN(32, value));

function decodeHeader(bytes: Buffer): { key: string; value: string } {
	const reader = new Reader(bytes);
	const header = { key: '', value: '' };
	while (!reader.done) {
		const key = Number(reader.varint());
		const field = key >> 3;
		const wire = key & 7;
		if (field === 1 && wire === 2) header.key = reader.bytesField().toString('utf8');
		else if (field === 2 && wire === 2) header.value = reader.bytesField().toString('utf8');
		else reader.skip(wire);
	}
	return header;
}

/** Decodes one frame; throws on malformed bytes. Unknown fields are skipped, as protobuf readers do. */
export function decodeFrame(bytes: Buffer): Frame {
	const reader = new Reader(bytes);
	const frame: Frame = { seqId: 0n, logId: 0n, service: 0, method: 0, headers: [] };
	while (!reader.done) {
		const key = Number(reader.varint());
		const field = key >> 3;
		const wire = key & 7;
		if (wire === 0 && field >= 1 && field <= 4) {
			const value = reader.varint();
			if (field === 1) frame.seqId = value;
			else if (field === 2) frame.logId = value;
			else if (field === 3) frame.service = int32(value);
			else frame.method = int32(value);
		} else if (wire === 2 && field >= 5 && field <= 9) {
			const value = reader.bytesField();
			if (field === 5) frame.headers.push(decodeHeader(value));
			else if (field === 6) frame.payloadEncoding = value.toString('utf8');
			else if (field === 7) frame.payloadType = value.toString('utf8');
			else if (field === 8) frame.payload = Buffer.from(value);
			else frame.logIdNew = value.toString('utf8');
		} else {
			reader.skip(wire);
		}
	}
	return frame;
}
