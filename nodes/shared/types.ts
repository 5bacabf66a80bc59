import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from './params';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Which DingTalk API generation a request belongs to. Feishu has a single style. */
export type ApiStyle = 'new' | 'legacy';

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
}

/** A body that reports failure although the HTTP status says success. */
export interface BodyFailure {
	code: string;
	message: string;
}

/**
 * One operation, as a record: its fields, how to build the request from them,
 * and how to shape the answer into output items. A list operation has `list` instead of build/output:
 * it gets Return All / Limit and one output item per record.
 */
export interface OperationDefinition {
	/** The operation's value, part of saved workflows: never rename. */
	value: string;
	name: string;
	action: string;
	description: string;
	/** Fields shown for this operation; resource/operation displayOptions are added by the node. */
	properties: INodeProperties[];
	/** Documented error codes of this API and what they mean. */
	errors?: ErrorMeanings;
	/** Build the request(s). Throws NodeOperationError (through the reader) on bad input, before any request. */
	build?(params: ParamReader): ApiRequest | ApiRequest[];
	/** Shape the answer(s). One object is one output item. */
	output?(response: ApiResponse, request: ApiRequest, params: ParamReader, responses: ApiResponse[]): IDataObject | IDataObject[];
	list?: ListSpec;
	/** Detect a failure reported inside a successful answer. */
	check?(response: ApiResponse): BodyFailure | undefined;
	/** Pace per method and path instead of per operation (raw API calls). */
	paceByPath?: boolean;
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
export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;
