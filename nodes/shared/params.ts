import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createHash } from 'node:crypto';

/**
 * A DingTalk "Long" value kept as its exact decimal digits.
 * JSON numbers above 2^53 cannot be represented exactly by JavaScript numbers,
 * so request bodies carrying Longs are serialised with `toJsonText`, which writes the digits verbatim.
 */
export class Long {
	constructor(readonly digits: string) {}

	toString(): string {
		return this.digits;
	}

	/** Plain JSON (output): see value(). Request bodies go through toJsonText, which keeps every digit. */
	toJSON(): number | string {
		return this.value();
	}

	/** For output: a number when it is exact as one, else the digit string. */
	value(): number | string {
		const n = Number(this.digits);
		return Number.isSafeInteger(n) ? n : this.digits;
	}
}

const LONG_MARK = '\u0000long:';

function holdsLong(value: unknown): boolean {
	if (value instanceof Long) return true;
	if (Array.isArray(value)) return value.some(holdsLong);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsLong);
	return false;
}

/** JSON.stringify that writes Long values as bare JSON integers with their exact digits. */
/** What a value is, for "expected …, got …" messages: its kind, and a primitive's JSON. */
export const describeValue = (value: unknown): string =>
	Array.isArray(value)
		? 'a list'
		: value === null
			? 'null'
			: typeof value === 'object'
				? 'an object'
				: `${typeof value} ${JSON.stringify(value)}`;

/**
 * A uuidv4-shaped idempotency key (Feishu client_token and uuid, DingTalk clientToken), derived from this
 * run, item and purpose: the same for every attempt.
 */
export function uuidKey(p: ParamReader, purpose: string): string {
	const hex = p.idempotencyKey(purpose);
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function toJsonText(body: Record<string, unknown>): string {
	if (!holdsLong(body)) return JSON.stringify(body);
	const text = JSON.stringify(
		body,
		function (this: Record<string, unknown>, key: string, value: unknown) {
			const raw = this[key];
			return raw instanceof Long ? LONG_MARK + raw.digits : value;
		},
	);
	return text.replace(/"\\u0000long:(-?\d+)"/g, '$1');
}

const UNSAFE_PATH_PATTERN = /[/?#\\]|\.\./;

/**
 * Reads one item's parameters and validates them before any request is sent.
 * Every failure is a NodeOperationError that names the field and carries the item index.
 */
export class ParamReader {
	private readonly labels: Map<string, string>;
	private readonly cache = new Map<string, unknown>();

	constructor(
		private readonly node: INode,
		private readonly read: (name: string, fallback: unknown) => unknown,
		readonly itemIndex: number,
		properties: INodeProperties[] = [],
		private readonly runKey?: () => string,
	) {
		this.labels = labelsOf(properties);
	}

	/**
	 * An idempotency key for this item's request (Feishu's `uuid`): the same for every attempt at this item
	 * in this run of the node (n8n's Retry On Fail included), different in any other execution, run or item.
	 * 32 hexadecimal characters.
	 */
	idempotencyKey(purpose: string): string {
		if (!this.runKey) throw new Error('No execution to derive an idempotency key from');
		return createHash('sha256')
			.update(`${this.runKey()}\u0000${purpose}\u0000${this.itemIndex}`)
			.digest('hex')
			.slice(0, 32);
	}

	/**
	 * Reads an item's parameters during execution (resource locators give their value). A parameter
	 * without an expression is the same for every item: with `run` (one map per execution) it is
	 * resolved once for all of them, which matters at thousands of items.
	 */
	static forItem(
		ctx: IExecuteFunctions,
		itemIndex: number,
		properties: INodeProperties[],
		run?: Map<string, unknown>,
	): ParamReader {
		const node = ctx.getNode();
		const resolve = (name: string, fallback: unknown) =>
			ctx.getNodeParameter(name, itemIndex, fallback as never, { extractValue: true }) as unknown;
		const read = (name: string, fallback: unknown) => {
			if (!run || hasExpression(valueAt(node.parameters, name))) return resolve(name, fallback);
			const key = readKey(name, fallback);
			// Shared by every item, so frozen: an operation that changed it would fail loudly, not leak into the next item.
			if (!run.has(key)) run.set(key, deepFreeze(resolve(name, fallback)));
			return run.get(key);
		};
		return new ParamReader(node, read, itemIndex, properties, () => runKeyOf(ctx));
	}

	/** Reads the parameters currently set in the editor, for pickers and option lists. */
	static forEditor(ctx: ILoadOptionsFunctions, properties: INodeProperties[]): ParamReader {
		const read = (name: string, fallback: unknown) => {
			let value: unknown;
			try {
				value = ctx.getCurrentNodeParameter(name, { extractValue: true });
			} catch {
				// Not a parameter of the selected operation: n8n cannot resolve its definition.
				value = ctx.getCurrentNodeParameter(name);
			}
			return value ?? fallback;
		};
		return new ParamReader(ctx.getNode(), read, 0, properties);
	}

	/** A field's name as the user sees it in the node, in quotes. */
	labelOf(field: string): string {
		return `"${this.labels.get(field) ?? field}"`;
	}

	/** Throws the standard bad-input error for a field. */
	fail(field: string, problem: string, label?: string): never {
		const shown = label ?? this.labels.get(field) ?? field;
		throw new NodeOperationError(
			this.node,
			`Invalid "${shown}" (${field}) in item ${this.itemIndex}: ${problem}`,
			{ itemIndex: this.itemIndex },
		);
	}

	/**
	 * The standard error for a required field that is empty. When the field holds an expression, the user
	 * typed something: say which expression gave an empty value for this item.
	 */
	failEmpty(field: string, label?: string): never {
		const expression = expressionIn(valueAt(this.node.parameters, field.replace(/\[\d+\]$/, '')));
		if (expression === undefined) this.fail(field, 'is required but empty', label);
		const shown = expression.length > 80 ? `${expression.slice(0, 77)}…` : expression;
		return this.fail(
			field,
			`is required, but its expression ${shown} gave an empty value for this item`,
			label,
		);
	}

	/** One item's parameter; each is resolved by n8n once per reader (reading a parameter costs an expression evaluation). */
	raw(name: string, fallback?: unknown): unknown {
		const key = readKey(name, fallback);
		if (!this.cache.has(key)) this.cache.set(key, this.read(name, fallback));
		return this.cache.get(key);
	}

	/** A trimmed string; undefined when empty. */
	optionalString(
		name: string,
		value: unknown = this.raw(name, ''),
		label?: string,
	): string | undefined {
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string' && typeof value !== 'number') {
			this.fail(name, `expected text, got ${describe(value)}`, label);
		}
		const text = String(value).trim();
		return text === '' ? undefined : text;
	}

	requiredString(name: string, value: unknown = this.raw(name, ''), label?: string): string {
		const text = this.optionalString(name, value, label);
		if (text === undefined) this.failEmpty(name, label);
		return text;
	}

	/** A required ID that goes into the URL path: it must not be able to change the path. Returned URL-encoded. */
	pathId(name: string, value: unknown = this.raw(name, ''), label?: string): string {
		const text = this.requiredString(name, value, label);
		if (UNSAFE_PATH_PATTERN.test(text)) {
			this.fail(name, 'must not contain "/", "\\", "?", "#" or ".."', label);
		}
		return encodeURIComponent(text);
	}

	/** A Long: an integer, or a string of digits. Kept exact. */
	optionalLong(
		name: string,
		value: unknown = this.raw(name, ''),
		label?: string,
	): Long | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value === 'number') {
			if (!Number.isSafeInteger(value))
				this.fail(name, `must be a whole number, got ${value}`, label);
			return new Long(String(value));
		}
		if (typeof value === 'string') {
			const text = value.trim();
			if (text === '') return undefined;
			if (!/^-?\d+$/.test(text)) this.fail(name, `must be a whole number, got "${text}"`, label);
			return new Long(text.replace(/^(-?)0+(?=\d)/, '$1'));
		}
		return this.fail(name, `must be a whole number, got ${describe(value)}`, label);
	}

	requiredLong(name: string, value: unknown = this.raw(name, ''), label?: string): Long {
		const long = this.optionalLong(name, value, label);
		if (long === undefined) this.failEmpty(name, label);
		return long;
	}

	/** A Long that goes into the URL path (digits only, so it is always path-safe). */
	pathLong(name: string, value: unknown = this.raw(name, ''), label?: string): string {
		return this.requiredLong(name, value, label).digits;
	}

	/** A whole number within bounds (for limits and sizes). */
	integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
		const value = this.raw(name, fallback);
		const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
			this.fail(
				name,
				`must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got ${describe(value)}`,
			);
		}
		return n;
	}

	/** A number (not necessarily whole) of at least `min`. */
	number(name: string, fallback: number, min: number): number {
		const value = this.raw(name, fallback);
		const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof n !== 'number' || !Number.isFinite(n) || n < min)
			this.fail(name, `must be a number of at least ${min}, got ${describe(value)}`);
		return n;
	}

	/** A list of strings: an array, or text separated by commas or new lines. Empty entries are dropped. */
	stringList(name: string, value: unknown = this.raw(name, ''), label?: string): string[] {
		const parts = Array.isArray(value)
			? value
			: typeof value === 'string' || typeof value === 'number'
				? String(value).split(/[,\n]/)
				: undefined;
		if (!parts) this.fail(name, `expected a list, got ${describe(value)}`, label);
		return parts
			.map((part, i) => this.optionalString(`${name}[${i}]`, part, label ?? this.labels.get(name)))
			.filter((s): s is string => s !== undefined);
	}

	/** One of the allowed values. */
	choice<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
		const value = this.raw(name, fallback);
		if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
			this.fail(name, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
		}
		return value as T;
	}

	/** A JSON object, given as an object or as JSON text. Empty means undefined. */
	jsonObject(name: string): Record<string, unknown> | undefined {
		const value = this.raw(name, '');
		if (value === undefined || value === null || value === '') return undefined;
		let parsed = value;
		if (typeof value === 'string') {
			if (value.trim() === '') return undefined;
			try {
				parsed = JSON.parse(value);
			} catch (error) {
				this.fail(name, `is not valid JSON (${(error as Error).message})`);
			}
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
			this.fail(name, 'must be a JSON object');
		return parsed as Record<string, unknown>;
	}

	boolean(name: string, fallback = false): boolean {
		const value = this.raw(name, fallback);
		if (typeof value === 'boolean') return value;
		if (value === 'true') return true;
		if (value === 'false') return false;
		return this.fail(name, `must be true or false, got ${describe(value)}`);
	}
}

const RUN_KEYS = new WeakMap<IExecuteFunctions, string>();

/** This execution, node and run of the node (a node in a loop runs more than once per execution). */
function runKeyOf(ctx: IExecuteFunctions): string {
	let key = RUN_KEYS.get(ctx);
	if (key === undefined) {
		const runIndex = ctx.getWorkflowDataProxy(0).$runIndex;
		key = `${ctx.getExecutionId()}\u0000${ctx.getNode().id}\u0000${runIndex}`;
		RUN_KEYS.set(ctx, key);
	}
	return key;
}

const LABELS = new WeakMap<INodeProperties[], Map<string, string>>();

/** Field name → display name, for error messages; built once per operation, not per item. */
function labelsOf(properties: INodeProperties[]): Map<string, string> {
	let labels = LABELS.get(properties);
	if (!labels) {
		labels = new Map();
		for (const property of properties)
			if (!labels.has(property.name)) labels.set(property.name, property.displayName);
		LABELS.set(properties, labels);
	}
	return labels;
}

/** One parameter read: its name and the fallback asked for. */
const readKey = (name: string, fallback: unknown) =>
	`${name}\u0000${JSON.stringify(fallback) ?? ''}`;

function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}

/** A node parameter by its dotted name ("additionalFields.description"). */
function valueAt(parameters: unknown, name: string): unknown {
	let value = parameters;
	for (const part of name.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

/** The first expression a parameter value holds (without its "=" mark), if any. */
function expressionIn(value: unknown): string | undefined {
	if (typeof value === 'string') return value.startsWith('=') ? value.slice(1).trim() : undefined;
	if (Array.isArray(value)) return value.map(expressionIn).find((e) => e !== undefined);
	if (value !== null && typeof value === 'object')
		return Object.values(value)
			.map(expressionIn)
			.find((e) => e !== undefined);
	return undefined;
}

/** Whether a parameter value holds an expression anywhere (n8n expressions are strings starting with "="). */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
