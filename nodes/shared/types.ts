import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { DocumentedLimit } from './pacing';
import type { ParamReader } from './params';
import type { PlatformTransport } from './transport';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Where a request goes: DingTalk's API generation (new api.dingtalk.com, legacy oapi.dingtalk.com), or
 * Feishu's web host (www.feishu.cn / www.larksuite.com: the approval file upload); Feishu's API is 'new'.
 */
export type ApiStyle = 'new' | 'legacy' | 'web';

/** One platform request, built from validated parameters. The path holds only encoded, checked segments. */
export interface ApiRequest {
	method: HttpMethod;
	path: string;
	qs?: IDataObject;
	/** JSON body; Long values are written with their exact digits. */
	body?: Record<string, unknown>;
	style?: ApiStyle;
	/** Safe to send twice. Default: GET, PUT and DELETE are; POST and PATCH are not. */
	idempotent?: boolean;
	/**
	 * The platform's idempotency key this request carries (already written into its body or query, e.g.
	 * Feishu's `uuid`). The platform drops a repeat, so a send whose answer was lost is sent again with it.
	 */
	idempotencyKey?: string;
	/** More request headers the page documents (e.g. DingTalk's idempotency header x-client-token). */
	headers?: Record<string, string>;
	/** A multipart/form-data body (uploads) instead of JSON. */
	multipart?: MultipartBody;
	/** The answer is a file (a download), not JSON. */
	binaryResponse?: boolean;
	/** With binaryResponse: the file is read as a stream (large files), not into memory. */
	stream?: boolean;
	/**
	 * More pacing lanes this request counts in, beside its API's own: e.g. "5 messages a second to the same
	 * chat". The request starts only when every lane has room.
	 */
	lanes?: PacingLane[];
}

/** A pacing lane of its own with its documented limit (per receiver, per webhook). */
export interface PacingLane {
	key: string;
	limit: DocumentedLimit;
}

/** One file part of a multipart body, read lazily (and again for a retry), never copied into the body. */
export interface MultipartFile {
	field: string;
	fileName: string;
	mimeType: string;
	/** Bytes. */
	size: number;
	open(): Promise<AsyncIterable<Uint8Array> | Uint8Array>;
}

export interface MultipartBody {
	fields: Array<[string, string]>;
	file: MultipartFile;
}

/** A downloaded file: its bytes and what the platform said about it. */
export interface DownloadedFile {
	data: Buffer;
	mimeType?: string;
	fileName?: string;
}

/** A downloaded file as it arrives: a stream for n8n's binary data store, never held in memory whole. */
export interface StreamedFile {
	/** The answer's body (an http.IncomingMessage, which n8n's prepareBinaryData takes as it is). */
	stream: AsyncIterable<Uint8Array>;
	mimeType?: string;
	fileName?: string;
	/** The Content-Length, when the platform sent one. */
	size?: number;
}

/** What a platform answered, already checked for success by the transport. */
export type ApiResponse = IDataObject;

/** Documented meanings of an API's error codes, keyed by the platform's code. */
export type ErrorMeanings = Record<string, string>;

/** How a list operation pages through the platform's cursor. */
export interface ListSpec {
	/** The largest page the API accepts (also the page size for Return All). */
	maxPageSize: number;
	/** The request for one page; `cursor` is undefined for the first page. */
	page(params: ParamReader, cursor: string | undefined, pageSize: number): ApiRequest;
	/** The records of a page, and the cursor of the next page (undefined when this was the last). */
	read(response: ApiResponse, request: ApiRequest): { records: IDataObject[]; next?: string };
	/**
	 * One output item per record; each page is shaped before the next is asked for, so no more than one
	 * raw page is held. Default: the record as it is.
	 */
	shape?(record: IDataObject): OutputItem | Promise<OutputItem>;
	/**
	 * The list walks time windows (an API that answers a bounded range at a time): an empty page is an
	 * empty window, and the cursor goes on to the next. Otherwise an empty page ends the list.
	 */
	windowed?: boolean;
}

/** A body that reports failure although the HTTP status says success. */
export interface BodyFailure {
	code: string;
	message: string;
}

/** The pacing of raw API calls (API Request › Call): one lane per method and path, at the platform's default limit. */
export const PER_PATH = 'perPath';

/** What every operation record has, whatever its mode. */
interface OperationBase {
	/** The operation's value, part of saved workflows: never rename. */
	value: string;
	name: string;
	action: string;
	description: string;
	/** Fields shown for this operation; resource/operation displayOptions are added by the node. */
	properties: INodeProperties[];
	/** More entries for this operation's Options collection (beside concurrency, rate and timeout). */
	extraOptions?: INodeProperties[];
	/** Documented error codes of this API and what they mean (the platform-wide ones are added by the transport). */
	errors: ErrorMeanings;
	/**
	 * The API's pacing lane, with its documented limit and the page that states it (the platform's limit
	 * table). Every execution using the credential shares it; raw API calls pace per path.
	 */
	lane: PacingLane | typeof PER_PATH;
	/** Detect a failure reported inside a successful answer. */
	check?(response: ApiResponse): BodyFailure | undefined;
	/**
	 * Whose identity the API's page allows (its Authorization row): the app's token, a user's, or both.
	 * The node offers the operation under those Authentication values only. Default: the app's.
	 */
	actsAs?: readonly Actor[];
}

/** An identity an API can be called as: the app (its tenant or app token) or a connected user (a user token). */
export type Actor = 'app' | 'user';

/** One request (or a fixed series of them) built from the item's parameters, and its answer shaped. */
export interface RequestOperation extends OperationBase {
	/** Build the request(s). Throws NodeOperationError (through the reader) on bad input, before any request. */
	build(params: ParamReader): ApiRequest | ApiRequest[];
	/** Shape the answer(s). One object is one output item. */
	output(
		response: ApiResponse,
		request: ApiRequest,
		params: ParamReader,
		responses: ApiResponse[],
	): IDataObject | IDataObject[];
	list?: never;
	run?: never;
	batch?: never;
	wait?: never;
}

/**
 * A list: Return All / Limit, one output item per record, through the one paging loop. `list` is the
 * spec, or made per item (after a look-up, such as resolving a wiki link to its base).
 */
export interface ListOperation extends OperationBase {
	list: ListSpec | ((step: OperationStep) => Promise<ListSpec>);
	build?: never;
	output?: never;
	run?: never;
	batch?: never;
	wait?: never;
}

/**
 * An operation of more than one step or with files: an upload before a send, a download into binary
 * data. Every request still goes through the transport.
 */
export interface RunOperation extends OperationBase {
	run(step: OperationStep): Promise<OutputItem[]>;
	/**
	 * After every item ran (each item's outputs, paired; an error item under Continue On Fail): e.g. put the
	 * execution to wait for what the items started. Returns the node's output, or undefined for the items'.
	 */
	afterRun?(
		ctx: IExecuteFunctions,
		results: INodeExecutionData[][],
		transport: PlatformTransport,
	): Promise<INodeExecutionData[][] | undefined>;
	build?: never;
	output?: never;
	list?: never;
	batch?: never;
	wait?: never;
}

/** The items of a run sent together, in the API's batches (e.g. create many records). */
export interface BatchOperation extends OperationBase {
	batch: BatchSpec;
	build?: never;
	output?: never;
	list?: never;
	run?: never;
	wait?: never;
}

/**
 * An operation that pauses the execution (Send and Wait): it runs once for the run's first item, then the
 * execution waits for n8n's resume webhook, as n8n's own Send and Wait nodes do.
 */
export interface WaitOperation extends OperationBase {
	wait(ctx: IExecuteFunctions, transport: PlatformTransport): Promise<INodeExecutionData[][]>;
	build?: never;
	output?: never;
	list?: never;
	run?: never;
	batch?: never;
}

/** One operation, as a record: its fields, its lane and errors, and one of its modes. */
export type OperationDefinition =
	RequestOperation | ListOperation | RunOperation | BatchOperation | WaitOperation;

/**
 * The items of a run sent in batches: every item is checked first (no write before all are valid), then
 * the items of one group (one endpoint, e.g. one table) go in calls of at most `size` entries, one call at a
 * time. A failed call fails each item of its batch; under Continue On Fail the other batches go on.
 */
export interface BatchSpec {
	/** Checks one item and returns its entry and its group (items of different groups never share a call). */
	prepare(step: OperationStep): Promise<{ group: string; entry: unknown }>;
	/** The most entries per call (read from the first item). */
	size(params: ParamReader): number;
	/**
	 * Sends one batch (its items' steps, in item order) and returns one output per entry, in order: a record,
	 * or the error of an item that failed alone (e.g. its file could not be uploaded) and was left out.
	 */
	send(steps: OperationStep[], entries: unknown[]): Promise<Array<IDataObject | Error>>;
}

/** One output item, optionally with binary data. */
export interface OutputItem {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/** What a multi-step operation gets for one item. */
export interface OperationStep {
	params: ParamReader;
	itemIndex: number;
	ctx: IExecuteFunctions;
	/** Sends a request through the transport, paced in this operation's lane unless `lane` names another. */
	send(request: ApiRequest, lane?: PacingLane, errors?: ErrorMeanings): Promise<ApiResponse>;
	/** A field of the node's credential, e.g. the app key. */
	credential(field: string): string;
	/** Downloads a file through the transport. */
	download(request: ApiRequest, lane?: PacingLane, errors?: ErrorMeanings): Promise<DownloadedFile>;
	/** Downloads a file through the transport as a stream (for n8n's binary data store). */
	downloadStream(
		request: ApiRequest,
		lane?: PacingLane,
		errors?: ErrorMeanings,
	): Promise<StreamedFile>;
}

export interface ResourceDefinition {
	value: string;
	name: string;
	description?: string;
	operations: OperationDefinition[];
	/** The operation selected by default. n8n does not save default values, so once released it never changes. */
	defaultOperation: string;
}

/** The n8n contexts that call the platforms: executing items, or filling pickers and option lists. */
export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;
