import type { ErrorMeanings } from '../../../shared/types';

/** The documented error codes of Bitable and the media and wiki APIs it uses. Source: docs/research/feishu-bitable.md. */

const ADD_APP =
	'Add the app to the base: open the base, then "…" (top right) → "…More" → "Add document app" (「…更多」→「添加文档应用」) and give it edit (or, with advanced permissions on, manage) rights. The app needs at least one Bitable scope (bitable:app) to be found there.';

/** The documented error codes of the Bitable record, table and field APIs (bitable-v1 pages), with the fix where there is one. */
export const BITABLE_ERRORS: ErrorMeanings = {
	'1254000': 'The request body is malformed (WrongRequestJson).',
	'1254001': 'The request body is invalid (WrongRequestBody).',
	'1254002':
		'The request failed (Fail): often a too-large payload, concurrent writes to the table, or a wrong page token or table ID. Retry once; if it persists, send smaller batches.',
	'1254003':
		"The base's app token is malformed (WrongBaseToken). Copy it from the base's link: …/base/<app_token>.",
	'1254004': 'The table ID is malformed (WrongTableId). Table IDs start with "tbl".',
	'1254005': 'The view ID is malformed (WrongViewId). View IDs start with "vew".',
	'1254006': 'The record ID is malformed (WrongRecordId). Record IDs start with "rec".',
	'1254009': 'The field ID is malformed (WrongFieldId).',
	'1254011': 'The page size must be greater than 0.',
	'1254012': 'This field or view type cannot be created through the API (NotSupportFieldOrView).',
	'1254013': 'A table with this name already exists in the base (TableNameDuplicated).',
	'1254014': 'A field with this name already exists in the table (FieldNameDuplicated).',
	'1254015':
		"A value does not match its field's type (Field types do not match). Check each column against the package's type table (docs/feishu.md, Bitable).",
	'1254016': "The sort is invalid (InvalidSort): check the sort fields' names.",
	'1254018':
		'The filter is invalid (InvalidFilter): check the field names, operators and values (dates allow is, isEmpty, isNotEmpty, isGreater and isLess only).',
	'1254021': 'The view name is empty.',
	'1254022': 'The view name is invalid.',
	'1254024': 'A field name in Fields to Return is invalid (InvalidFieldNames).',
	'1254026': 'An option name is empty.',
	'1254027':
		'Attachments cannot be written here: the file was not uploaded to this base (UploadAttachNotAllowed).',
	'1254028': 'The field name is empty.',
	'1254029': 'The field name is invalid.',
	'1254030':
		'The answer would be too large (TooLargeResponse): choose fewer Fields to Return or a smaller Limit.',
	'1254034': 'The last table of a base cannot be deleted.',
	'1254036': 'The base is being copied: wait and try again.',
	'1254037': 'The idempotency key (client_token) is not a uuidv4.',
	'1254040':
		'The base was not found (BaseTokenNotFound). Check the app token, or the link it came from.',
	'1254041': 'The table was not found in this base (TableIdNotFound).',
	'1254042': 'The view was not found in this table (ViewIdNotFound).',
	'1254043': 'The record was not found in this table (RecordIdNotFound).',
	'1254044': 'The field was not found (FieldIdNotFound).',
	'1254045':
		'A field name was not found in the table (FieldNameNotFound). Names must match exactly; with advanced permissions the field may be hidden from the app.',
	'1254060': 'A value does not fit its text field (TextFieldConvFail).',
	'1254061': 'A value does not fit its number field (NumberFieldConvFail).',
	'1254062': 'A value does not fit its single select field (SingleSelectFieldConvFail).',
	'1254063': 'A value does not fit its multiple select field (MultiSelectFieldConvFail).',
	'1254064':
		'A value does not fit its date field (DatetimeFieldConvFail): dates are millisecond timestamps.',
	'1254065': 'A value does not fit its checkbox field (CheckboxFieldConvFail).',
	'1254066':
		'A value does not fit its person field (UserFieldConvFail): person fields take user IDs of the chosen User ID Type, from this app.',
	'1254067':
		'A value does not fit its link field (LinkFieldConvFail): link fields take record IDs of the linked table.',
	'1254068': 'A value does not fit its URL field (URLFieldConvFail).',
	'1254069': 'A value does not fit its attachment field (AttachFieldConvFail).',
	'1254072':
		'A value does not fit its phone field: digits, optionally starting with "+", up to 64.',
	'1254074':
		'A value does not fit its two-way link field (DuplexLinkFieldConvFail): record IDs are needed.',
	// 1254080–1254096: "<Type>FieldPropertyError", one per field type, on the field create page.
	...Object.fromEntries(
		Array.from({ length: 17 }, (_, i) => [
			String(1254080 + i),
			"The field's settings (Property (JSON), or the select options) do not fit its type (a <Type>FieldPropertyError): check them against Feishu's field guide for that type.",
		]),
	),
	'1254100': 'The base has the most tables (and dashboards) it may have.',
	'1254101': 'The table has the most views it may have (200).',
	'1254103': 'The table has the most records its plan allows (RecordExceedLimit).',
	'1254104':
		'Too many records in one call (RecordAddOnceExceedLimit): lower Batch Size (Lark allows 500 per call).',
	'1254105': 'The table has the most fields it may have (ColumnExceedLimit).',
	'1254106': 'Too many attachments in one cell (AttachExceedLimit; at most 100).',
	'1254107': 'The filter is too long (at most 2,000 characters).',
	'1254108': 'The sort is too long (at most 1,000 characters).',
	'1254109':
		'The table is too large for its formulas to be searched (FormulaTableSizeExceedLimit).',
	'1254112': 'Too many requests to this base (TooManyRequestInSingleBase).',
	'1254130': "A cell's content is too large (TooLargeCell; text is at most 100,000 characters).",
	'1254290': 'Too many requests (TooManyRequest): retried after a pause.',
	'1254291':
		'Write conflict: the table was written concurrently or too fast. Writes to one table go one at a time.',
	'1254301':
		'Advanced permissions are not enabled or not supported for this base (OperationTypeError).',
	'1254302': `The app has no permission under the base's advanced permissions (RolePermNotAllow). Give it manage (可管理) rights. ${ADD_APP}`,
	'1254303':
		"An attachment's file token belongs to another base (AttachPermNotAllow): files must be uploaded to this base first (the node does it for binary data).",
	'1254304': "Permission denied under the base's advanced permissions.",
	'1254306': "The tenant or the base's owner has reached a plan limit of Bitable.",
	'1254607':
		"The data is not ready (a previous operation is still running, or this one timed out on Feishu's side). Wait and try again; check the table first, a write may have been carried out.",
	'1254608':
		'The same request (the same client_token) reached Feishu twice in quick succession on the same version of the base. This is usually a retry of a call whose first answer was lost, so the first attempt has probably been carried out: check the table before running this item again.',
	'1255001': 'Feishu Bitable had an internal error.',
	'1255002': 'Feishu Bitable had an internal error (RPC).',
	'1255003': 'Feishu Bitable had an internal error (Marshal).',
	'1255004': 'Feishu Bitable had an internal error (UnMarshal).',
	'1255005': 'Feishu Bitable had an internal error (Conv).',
	'1255006':
		'The idempotency key (client_token) conflicts with another request: a new one is needed.',
	'1255040': 'Feishu Bitable timed out. Retry.',
	'91403': `The app has no permission on this base (当前调用身份没有云文档的阅读或编辑等权限). ${ADD_APP}`,
	'1061002': 'An upload parameter is invalid.',
	'1061004': `The app may not upload to this base. ${ADD_APP}`,
	'1061043': 'The file is too large (at most 20 MB).',
	'1061044': 'The base to upload into was not found (parent node not exist).',
	'1061045':
		'Drive was busy (more than 5 uploads a second, or contention), and stayed busy through the retries. Try again later.',
	'1061101': "The tenant's Drive quota is used up.",
	'1062008': "The file's checksum is invalid.",
	'1062009': "The file's size does not match the size sent.",
	'1062010': 'A part of the file is missing (block missing).',
	'131002': "The wiki link's token is invalid.",
	'131005': 'The wiki page was not found.',
	'131006':
		'The app may not read this wiki page: add it to the wiki space or the page (wiki:wiki:readonly scope).',
};
