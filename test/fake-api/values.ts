/** The field specs the fake's documented requests are written with (type imports only: no cycle with spec.ts). */
import type { FieldSpec } from './spec';

export const str = (required = false, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	type: 'string',
	required,
	...extra,
});
export const int = (required = false, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	type: 'integer',
	required,
	...extra,
});
export const bool = (): FieldSpec => ({ type: 'boolean' });
