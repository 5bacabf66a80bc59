import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
}

/** What a platform answered, already checked for success by the transport. */
export type ApiResponse = IDataObject;

/** Documented meanings of an API's error codes, keyed by the platform's code. */
export type ErrorMeanings = Record<string, string>;

/**
 * One operation, as a record: its fields, how to build the request from them,
 * and how to shape the answer into output items.
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
	/** Build the request. Throws NodeOperationError (through the reader) on bad input, before any request. */
	build(params: ParamReader): ApiRequest;
	/** Shape the answer. One object is one output item. */
	output(response: ApiResponse, request: ApiRequest, params: ParamReader): IDataObject | IDataObject[];
}

export interface ResourceDefinition {
	value: string;
	name: string;
	description?: string;
	operations: OperationDefinition[];
}

/** Sends one request for an item and returns the platform's successful answer, or throws NodeApiError. */
export interface Transport {
	send(request: ApiRequest, itemIndex: number, errors?: ErrorMeanings): Promise<ApiResponse>;
}

export type TransportFactory = (ctx: IExecuteFunctions) => Promise<Transport>;
