/**
 * The documented requests of both platforms' organisation directories (通讯录): departments, their
 * members and user search (docs/research/contacts.md). No runtime imports, so that spec.ts can include
 * them. Limits: Feishu's children and find_by_department pages state level 4 (the default here); get and
 * parent state "特殊频控" with no number, so the fake gives them level 4 too. No DingTalk contact page
 * states a limit of its own: DingTalk's default 20 a second per app and API.
 */
import type { RouteSpec } from './spec';
import { bool, int, str } from './values';

const ID_TYPE = str(false, { enum: ['open_id', 'union_id', 'user_id'] });
const DEPT_ID_TYPE = str(false, { enum: ['open_department_id', 'department_id'] });
const LANGUAGE = str(false, { enum: ['zh_CN', 'en_US'] });

export const ORG_ROUTES: RouteSpec[] = [
	{
		key: 'feishu.department.get',
		method: 'GET',
		path: '/open-apis/contact/v3/departments/{department_id}',
		pathParams: { department_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: { user_id_type: ID_TYPE, department_id_type: DEPT_ID_TYPE },
	},
	{
		key: 'feishu.department.children',
		method: 'GET',
		path: '/open-apis/contact/v3/departments/{department_id}/children',
		pathParams: { department_id: 'string' },
		auth: 'feishuBearer',
		userToken: {},
		query: {
			user_id_type: ID_TYPE,
			department_id_type: DEPT_ID_TYPE,
			fetch_child: str(false, { enum: ['true', 'false'] }),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		key: 'feishu.department.parent',
		method: 'GET',
		path: '/open-apis/contact/v3/departments/parent',
		auth: 'feishuBearer',
		userToken: {},
		query: {
			user_id_type: ID_TYPE,
			department_id_type: DEPT_ID_TYPE,
			department_id: str(true),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		key: 'feishu.user.findByDepartment',
		method: 'GET',
		path: '/open-apis/contact/v3/users/find_by_department',
		auth: 'feishuBearer',
		userToken: {},
		query: {
			user_id_type: ID_TYPE,
			department_id_type: DEPT_ID_TYPE,
			department_id: str(true),
			page_size: int(),
			page_token: str(),
		},
	},
	{
		// 搜索用户: "仅支持用户身份" (user_access_token only), scope contact:user:search.
		key: 'feishu.user.search',
		method: 'GET',
		path: '/open-apis/search/v1/user',
		auth: 'feishuBearer',
		userToken: { allOf: ['contact:user:search'] },
		query: { query: str(true), page_size: int(), page_token: str() },
	},
	{
		key: 'dingtalk.department.get',
		method: 'POST',
		path: '/topapi/v2/department/get',
		auth: 'dingtalkQuery',
		body: { dept_id: int(true), language: LANGUAGE },
	},
	{
		key: 'dingtalk.department.listsub',
		method: 'POST',
		path: '/topapi/v2/department/listsub',
		auth: 'dingtalkQuery',
		body: { dept_id: int(), language: LANGUAGE },
	},
	{
		key: 'dingtalk.department.listparentbydept',
		method: 'POST',
		path: '/topapi/v2/department/listparentbydept',
		auth: 'dingtalkQuery',
		body: { dept_id: int(true) },
	},
	{
		key: 'dingtalk.user.list',
		method: 'POST',
		path: '/topapi/v2/user/list',
		auth: 'dingtalkQuery',
		body: {
			dept_id: int(true),
			cursor: int(true),
			size: int(true),
			order_field: str(false, {
				enum: ['entry_asc', 'entry_desc', 'modify_asc', 'modify_desc', 'custom'],
			}),
			contain_access_limit: bool(),
			language: LANGUAGE,
		},
	},
	{
		key: 'dingtalk.user.search',
		method: 'POST',
		path: '/v1.0/contact/users/search',
		auth: 'dingtalkHeader',
		body: {
			queryWord: str(true),
			offset: int(true),
			size: int(true),
			fullMatchField: int(false, { enum: [1] }),
		},
	},
];
