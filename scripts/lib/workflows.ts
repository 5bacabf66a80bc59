/**
 * Workflow and credential files in the shape `n8n import:workflow` / `import:credentials` read.
 * Shared by the e2e suite and `npm run dev`'s example workflow.
 */
import { CALLBACK_SECRETS } from '../../test/fake-api/dingtalk-events';
import { AGENT_ID, CUSTOM_ROBOTS } from '../../test/fake-api/dingtalk-im';
import { EVENT_SECRETS } from '../../test/fake-api/feishu-events';
import { CUSTOM_BOTS } from '../../test/fake-api/feishu-im';
import { FeishuBitable, SANDBOX_BASE, TASKS_TABLE } from '../../test/fake-api/feishu-bitable';
import { APPS, USERS } from '../../test/fake-api/server';
import { mapperField } from '../../nodes/Feishu/resources/bitable/values';
import { FEISHU_USER_SCOPES } from '../../credentials/platformAuth';

export const PACKAGE = 'n8n-nodes-dingtalk-feishu';
export const CREDENTIAL_IDS = {
	dingTalk: 'DingTalkSandbox1',
	feishu: 'FeishuSandbox001',
	customBot: 'FeishuBotSandbx1',
	customBotSigned: 'FeishuBotSigned1',
	dingTalkRobot: 'DingTalkRobot001',
	feishuUser: 'FeishuUserSandbx',
};

type Json = Record<string, unknown>;

export interface WorkflowNode extends Json {
	name: string;
}

/** Credentials pointing at the sandbox/fake API (custom host). */
export function sandboxCredentials(baseUrl: string): Json[] {
	return [
		{
			id: CREDENTIAL_IDS.dingTalk,
			name: 'DingTalk sandbox',
			type: 'dingTalkApi',
			data: {
				...APPS.dingtalk,
				region: 'custom',
				baseUrl,
				legacyBaseUrl: baseUrl,
				agentId: String(AGENT_ID),
				...CALLBACK_SECRETS,
			},
		},
		{
			id: CREDENTIAL_IDS.dingTalkRobot,
			name: 'DingTalk custom robot with signing (sandbox)',
			type: 'dingTalkRobotApi',
			data: {
				webhookUrl: `${baseUrl}/robot/send?access_token=robot0002signed`,
				signingSecret: CUSTOM_ROBOTS.robot0002signed.secret,
			},
		},
		{
			id: CREDENTIAL_IDS.feishu,
			name: 'Feishu sandbox',
			type: 'feishuApi',
			data: { ...APPS.feishu, domain: 'custom', baseUrl, ...EVENT_SECRETS },
		},
		{
			// Connect my account: the sandbox's authorization page signs the user in and agrees at once.
			id: CREDENTIAL_IDS.feishuUser,
			name: 'Feishu user (sandbox, OAuth2)',
			type: 'feishuOAuth2Api',
			data: {
				clientId: APPS.feishu.appId,
				clientSecret: APPS.feishu.appSecret,
				domain: 'custom',
				baseUrl,
				accountsUrl: baseUrl,
				userScopes: FEISHU_USER_SCOPES.join(' '),
			},
		},
		{
			id: CREDENTIAL_IDS.customBot,
			name: 'Feishu custom bot (sandbox)',
			type: 'feishuCustomBotApi',
			data: { webhookUrl: `${baseUrl}/open-apis/bot/v2/hook/sandbox-hook-0001` },
		},
		{
			id: CREDENTIAL_IDS.customBotSigned,
			name: 'Feishu custom bot with signing (sandbox)',
			type: 'feishuCustomBotApi',
			data: {
				webhookUrl: `${baseUrl}/open-apis/bot/v2/hook/signed-hook-0002`,
				signingSecret: CUSTOM_BOTS['signed-hook-0002'].secret,
			},
		},
	];
}

/** A resource locator value "By ID", as the editor saves it. */
export const byId = (value: string | number) => ({ __rl: true, mode: 'id', value });

let counter = 0;
export const nodeId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function trigger(name = 'Start'): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** Set + Split Out: turns one item into one item per value of `values` (field `value`). */
export function itemsOf(name: string, values: unknown[]): WorkflowNode[] {
	return [
		{
			id: nodeId(),
			name: `${name} (list)`,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ value: values }), options: {} },
		},
		{
			id: nodeId(),
			name,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'value', options: {} },
		},
	];
}

export function dingTalk(
	name: string,
	parameters: Json,
	options: { continueOnFail?: boolean; executeOnce?: boolean; customRobot?: boolean } = {},
): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: `${PACKAGE}.dingTalk`,
		typeVersion: 1,
		position: [600, 0],
		parameters: options.customRobot
			? { authentication: 'customRobot', resource: 'customRobot', ...parameters }
			: parameters,
		credentials: options.customRobot
			? {
					dingTalkRobotApi: {
						id: CREDENTIAL_IDS.dingTalkRobot,
						name: 'DingTalk custom robot with signing (sandbox)',
					},
				}
			: { dingTalkApi: { id: CREDENTIAL_IDS.dingTalk, name: 'DingTalk sandbox' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(options.executeOnce ? { executeOnce: true } : {}),
	};
}

export function feishu(
	name: string,
	parameters: Json,
	options: {
		continueOnFail?: boolean;
		customBot?: 'plain' | 'signed';
		executeOnce?: boolean;
		/** As the connected user (Authentication "User (OAuth2)"), with the sandbox's user credential. */
		asUser?: boolean;
	} = {},
): WorkflowNode {
	const credentials = options.asUser
		? { feishuOAuth2Api: { id: CREDENTIAL_IDS.feishuUser, name: 'Feishu user (sandbox, OAuth2)' } }
		: options.customBot
			? {
					feishuCustomBotApi:
						options.customBot === 'signed'
							? {
									id: CREDENTIAL_IDS.customBotSigned,
									name: 'Feishu custom bot with signing (sandbox)',
								}
							: { id: CREDENTIAL_IDS.customBot, name: 'Feishu custom bot (sandbox)' },
				}
			: { feishuApi: { id: CREDENTIAL_IDS.feishu, name: 'Feishu sandbox' } };
	return {
		id: nodeId(),
		name,
		type: `${PACKAGE}.feishu`,
		typeVersion: 1,
		position: [600, 200],
		parameters: options.asUser
			? { authentication: 'oAuth2', ...parameters }
			: options.customBot
				? { authentication: 'customBot', resource: 'customBot', ...parameters }
				: parameters,
		credentials,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		...(options.executeOnce ? { executeOnce: true } : {}),
	};
}

/** Read/Write Files from Disk: reads one file into the binary property `data`. */
export function readFile(name: string, filePath: string): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [200, 0],
		parameters: { operation: 'read', fileSelector: filePath, options: {} },
	};
}

/** A Webhook trigger on GET /webhook/<path>, answering at once. */
export function webhookTrigger(name: string, webhookPath: string): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: nodeId(),
		parameters: { path: webhookPath, httpMethod: 'GET', responseMode: 'onReceived', options: {} },
	};
}

/** A workflow whose nodes run one after another in the order given. */
export function chain(id: string, name: string, nodes: WorkflowNode[]): Json {
	const connections: Json = {};
	nodes.forEach((node, i) => {
		node.position = [i * 220, 0];
		if (i + 1 < nodes.length)
			connections[node.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		id,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** An HTTP Request node that puts the sandbox back to its seed state (POST /__fake/reset). */
export function resetSandbox(sandboxUrl: string): WorkflowNode {
	return {
		id: nodeId(),
		name: 'Reset sandbox',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [200, 0],
		parameters: { method: 'POST', url: `${sandboxUrl}/__fake/reset`, options: {} },
	};
}

/**
 * The example shown by `npm run dev`: five operations against the sandbox (create and delete a meeting
 * room group, kick conference members, delete a role, delete a Feishu user group). It starts by resetting
 * the sandbox, so it runs the same way every time.
 */
export function exampleWorkflow(sandboxUrl: string): Json {
	return chain('SandboxTour00001', 'DingTalk & Feishu sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		dingTalk('Create meeting room group', {
			resource: 'meetingRoomGroup',
			operation: 'create',
			unionId: USERS.admin,
			parentGroupId: 172,
			groupName: 'Sandbox room group',
		}),
		dingTalk('Delete meeting room group', {
			resource: 'meetingRoomGroup',
			operation: 'delete',
			groupId: byId('={{ $json.groupId }}'),
			unionId: USERS.admin,
		}),
		dingTalk('Kick conference members', {
			resource: 'videoConference',
			operation: 'kickMembers',
			conferenceId: '644272f14ba331014abcdef',
			members: { member: [{ unionId: USERS.guest, participantId: '' }] },
			forbiddenRejoin: true,
		}),
		// These two delete seeded sandbox records; the reset at the start brings them back for the next run.
		dingTalk('Delete role', { resource: 'role', operation: 'delete', roleId: byId('1581321999') }),
		feishu('Delete user group', {
			resource: 'userGroup',
			operation: 'delete',
			groupId: byId('g1837191'),
		}),
	]);
}

/**
 * The messaging tour shown by `npm run dev`: a text with a mention, a card and its update, a reply in a
 * thread, a reaction, and a post through the group custom bot with a signature. The sandbox logs every
 * request, and GET /__fake/messages lists what it received.
 */
export function messagingWorkflow(sandboxUrl: string): Json {
	const chat = 'oc_sandbox_general';
	return chain('SandboxMessages1', 'Feishu messaging sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		feishu('Send text', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId(chat),
			messageType: 'text',
			text: 'Hello from n8n',
			mentionUserIds: 'ou_1',
		}),
		feishu('Reply in thread', {
			resource: 'message',
			operation: 'reply',
			messageId: '={{ $json.message_id }}',
			replyInThread: true,
			messageType: 'text',
			text: 'A reply in a thread',
		}),
		feishu('React', {
			resource: 'message',
			operation: 'addReaction',
			messageId: '={{ $json.message_id }}',
			emojiType: 'THUMBSUP',
		}),
		feishu('Send card', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId(chat),
			messageType: 'interactive',
			card: JSON.stringify(
				{
					schema: '2.0',
					config: { update_multi: true },
					body: { elements: [{ tag: 'markdown', content: 'Build **running**' }] },
				},
				null,
				2,
			),
		}),
		feishu('Update card', {
			resource: 'message',
			operation: 'updateCard',
			messageId: '={{ $json.message_id }}',
			card: JSON.stringify(
				{
					schema: '2.0',
					config: { update_multi: true },
					body: { elements: [{ tag: 'markdown', content: 'Build **passed**' }] },
				},
				null,
				2,
			),
		}),
		feishu(
			'Custom bot post',
			{ operation: 'send', messageType: 'text', text: 'Posted by the group custom bot' },
			{ customBot: 'signed' },
		),
	]);
}

/**
 * The DingTalk messaging tour shown by `npm run dev`: a signed custom robot post, a one-on-one message
 * from the app's robot with its read status and recall, a group message, and a work notification that
 * waits for its delivery result. GET /__fake/messages lists what the sandbox received (under dingtalk).
 */
export function dingTalkMessagingWorkflow(sandboxUrl: string): Json {
	return chain('SandboxDingMsg01', 'DingTalk messaging sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		dingTalk(
			'Custom robot post',
			{
				operation: 'send',
				messageType: 'markdown',
				title: 'Build',
				text: '### Build **passed**',
				atMobiles: '13800000001',
			},
			{ customRobot: true },
		),
		dingTalk('Robot message to users', {
			resource: 'robotMessage',
			operation: 'sendToUsers',
			userIds: 'manager4220, staff0002',
			messageType: 'text',
			text: 'Hello from n8n',
		}),
		dingTalk('Read status', {
			resource: 'robotMessage',
			operation: 'getReadStatus',
			processQueryKey: '={{ $json.processQueryKey }}',
		}),
		dingTalk('Recall', {
			resource: 'robotMessage',
			operation: 'recall',
			processQueryKeys: "={{ $('Robot message to users').item.json.processQueryKey }}",
		}),
		dingTalk('Robot message to group', {
			resource: 'robotMessage',
			operation: 'sendToGroup',
			openConversationId: 'cidSandboxGroup0001==',
			messageType: 'markdown',
			title: 'Deploy',
			text: 'Deployed **v2**',
		}),
		dingTalk('Work notification', {
			resource: 'workNotification',
			operation: 'send',
			recipientType: 'users',
			userIds: 'staff0002, staff0003',
			messageType: 'text',
			text: '={{ "Your payslip is ready (" + $now.toISO() + ")" }}',
		}),
	]);
}

/** The DingTalk Trigger in one of its modes, with a fixed webhook ID (its URL is /webhook/<webhookId>/callback). */
export function dingTalkTrigger(name: string, parameters: Json, webhookId: string): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: `${PACKAGE}.dingTalkTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials: { dingTalkApi: { id: CREDENTIAL_IDS.dingTalk, name: 'DingTalk sandbox' } },
	};
}

/**
 * The DingTalk robot that answers (`npm run dev`): the DingTalk Trigger over Stream mode (no public URL
 * needed), replying to each robot message through its session webhook. Active from the start; send it a
 * message with POST /__fake/events {"to": "dingtalkStream", "text": "hello"}.
 */
export function dingTalkRobotWorkflow(): Json {
	return {
		...chain('SandboxDingBot01', 'DingTalk robot that answers (sandbox)', [
			dingTalkTrigger(
				'DingTalk Trigger',
				{ connection: 'stream', triggerOn: ['robotMessage'] },
				'5d1f2c3b-0000-4000-8000-0000000dev02',
			),
			dingTalk('Reply', {
				resource: 'robotMessage',
				operation: 'reply',
				messageType: 'text',
				text: '={{ $json.downloadCode ? "Got your file " + $json.fileName : "You said: " + $json.text }}',
			}),
		]),
		active: true,
	};
}

/** The Feishu Trigger in one of its modes, with a fixed webhook ID (its URL is /webhook/<webhookId>/webhook). */
export function feishuTrigger(name: string, parameters: Json, webhookId: string): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: `${PACKAGE}.feishuTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters,
		credentials: { feishuApi: { id: CREDENTIAL_IDS.feishu, name: 'Feishu sandbox' } },
	};
}

/** The Feishu Trigger sandbox tour's webhook ID: Wait for Decision registers with that trigger. */
const SANDBOX_TRIGGER_WEBHOOK_ID = '5d1f2c3b-0000-4000-8000-0000000dev01';

/**
 * The trigger tour of `npm run dev`: the Feishu Trigger over the long connection (so the sandbox needs no
 * public URL), replying to each message it receives. Active from the start; send it a sample event with
 * POST /__fake/events {"to": "longConnection"} and the execution appears in n8n's executions list.
 */
export function triggerWorkflow(): Json {
	return {
		...chain('SandboxTrigger01', 'Feishu Trigger sandbox tour', [
			feishuTrigger(
				'Feishu Trigger',
				{ connection: 'longConnection', events: ['im.message.receive_v1', 'card.action.trigger'] },
				SANDBOX_TRIGGER_WEBHOOK_ID,
			),
			feishu('Reply', {
				resource: 'message',
				operation: 'send',
				receiveIdType: 'chat_id',
				receiveId: byId('={{ $json.chat_id ?? "oc_sandbox_general" }}'),
				messageType: 'text',
				text: '={{ "You said: " + ($json.text ?? "(a card action)") }}',
			}),
		]),
		active: true,
	};
}

/** The HR onboarding tour's webhook: its Feishu Trigger listens at /webhook/<this>/webhook. */
export const SANDBOX_HR_WEBHOOK_ID = '5d1f2c3b-0000-4000-8000-0000000dev03';

/**
 * The HR onboarding tour of `npm run dev` (HR sync, issue 27): the Feishu Trigger in Webhook mode on new
 * users (contact.user.created_v3, sent by POST /__fake/events {"kind": "userCreated"}) → the new user's
 * department (Department › Get) → a welcome meeting with them tomorrow at 10:00 Shanghai time on the app's
 * calendar (Calendar Event › Create) → an onboarding task assigned to them, due in four days (Task ›
 * Create) → a welcome message in oc_sandbox_ops. Active from the start.
 */
export function hrWorkflow(): Json {
	const day = (days: number, hour: number) =>
		`={{ $now.setZone('Asia/Shanghai').plus({ days: ${days} }).startOf('day').set({ hour: ${hour} }).toISO() }}`;
	return {
		...chain(
			'SandboxHrOnboard',
			'HR onboarding sandbox tour (Feishu, active)',
			hrOnboarding({
				webhookId: SANDBOX_HR_WEBHOOK_ID,
				start: day(1, 10),
				end: day(1, 11),
				due: day(4, 18),
				text: `={{ 'Welcome, ' + $('Feishu Trigger').item.json.name + ' (' + $('Their department').item.json.name + '): meeting at ' + $('Welcome meeting').item.json.start + ', onboarding task due ' + $json.dueAt }}`,
			}),
		),
		active: true,
	};
}

/**
 * HR sync on Feishu (issue 27's chain, the sandbox tour's and the e2e suite's): the Feishu Trigger in Webhook
 * mode on new users → their department → a welcome meeting with them on the app's primary calendar (times
 * in Shanghai) → an onboarding task assigned to them → a message in oc_sandbox_ops.
 */
export function hrOnboarding(o: {
	webhookId: string;
	start: string;
	end: string;
	due: string;
	text: string;
}): WorkflowNode[] {
	const trigger = "$('Feishu Trigger').item.json";
	return [
		feishuTrigger(
			'Feishu Trigger',
			{ connection: 'webhook', events: ['contact.user.created_v3'] },
			o.webhookId,
		),
		feishu('Their department', {
			resource: 'department',
			operation: 'get',
			departmentId: { __rl: true, mode: 'id', value: '={{ $json.department_ids[0] }}' },
		}),
		feishu('Welcome meeting', {
			resource: 'calendarEvent',
			operation: 'create',
			calendarId: { __rl: true, mode: 'list', value: 'primary' },
			summary: `={{ 'Welcome, ' + ${trigger}.name }}`,
			start: o.start,
			end: o.end,
			timeZone: 'Asia/Shanghai',
			userIds: `={{ ${trigger}.open_id }}`,
		}),
		feishu('Onboarding task', {
			resource: 'task',
			operation: 'create',
			summary: `={{ 'Onboard ' + ${trigger}.name }}`,
			due: o.due,
			timeZone: 'Asia/Shanghai',
			assigneeIds: `={{ ${trigger}.open_id }}`,
		}),
		feishu('Welcome', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_ops'),
			messageType: 'text',
			text: o.text,
		}),
	];
}

/** A 1×1 PNG, the tour's attachment. */
export const SAMPLE_PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** The sandbox's sample base (多维表格) and its Tasks table, as a user would paste its link. */
export const SAMPLE_BASE_LINK =
	'https://sandbox.feishu.cn/base/bascnSandboxBase0001?table=tblSandboxTasks01&view=vewSandboxGrid01';

/**
 * The sample base's Tasks columns as n8n's column mapper shows them (what getBitableColumns answers for the
 * sandbox's seed table), so that the editor opens a tour node as saved, with nothing to update.
 */
function tasksSchema(forUpsert: boolean): Json[] {
	// The seed needs nothing of the server around it.
	const table = new FeishuBitable({} as never).bases.get(SANDBOX_BASE)!.tables.get(TASKS_TABLE)!;
	return table.fields.map((field) => ({
		...mapperField(field as unknown as Parameters<typeof mapperField>[0], forUpsert),
	}));
}

/** A column mapper value as the editor saves it. */
const columns = (
	value: Json | null,
	matchingColumns: string[] = [],
	mappingMode = 'defineBelow',
) => ({
	mappingMode,
	value,
	matchingColumns,
	schema: tasksSchema(matchingColumns.length > 0),
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

/**
 * The Bitable tour shown by `npm run dev`, over the sandbox's sample base (Tasks: text, number, select, date,
 * person, attachment … columns): a record with an image attachment from binary data, three records from
 * items by Create Many, a filtered search, an upsert that updates one, every record read back, and all
 * deleted by Delete Many. It resets the sandbox first.
 */
export function bitableWorkflow(sandboxUrl: string): Json {
	const at = {
		base: { __rl: true, mode: 'url', value: SAMPLE_BASE_LINK },
		table: { __rl: true, mode: 'url', value: SAMPLE_BASE_LINK },
	};
	return chain('SandboxBitable01', 'Feishu Bitable sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		{
			id: nodeId(),
			name: 'Logo (base64)',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: JSON.stringify({ png: SAMPLE_PNG_BASE64 }),
				options: {},
			},
		},
		{
			id: nodeId(),
			name: 'Logo file',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [0, 0],
			parameters: {
				operation: 'toBinary',
				sourceProperty: 'png',
				binaryPropertyName: 'data',
				options: { dataIsBase64: true, fileName: 'logo.png', mimeType: 'image/png' },
			},
		},
		feishu('Create with attachment', {
			resource: 'bitableRecord',
			operation: 'create',
			...at,
			columns: columns({ Name: 'Design the logo', Status: 'Doing', Owner: 'ou_1', Files: 'data' }),
		}),
		...itemsOf('Rows', [
			{ Name: 'Write the README', Count: 3, Status: 'Todo', Due: '2026-12-15T09:00:00Z' },
			{ Name: 'Ship v2', Count: 5, Status: 'Doing', Due: '2026-12-20T09:00:00Z' },
			{ Name: 'Plan Q1', Count: 8, Status: 'Todo', Due: '2027-01-05T09:00:00Z' },
		]),
		feishu('Create many', {
			resource: 'bitableRecord',
			operation: 'createMany',
			...at,
			columns: columns(null, [], 'autoMapInputData'),
		}),
		feishu(
			'Search Doing',
			{
				resource: 'bitableRecord',
				operation: 'search',
				...at,
				filter: { conditions: [{ field: 'Status', operator: 'is', value: 'Doing' }] },
				sort: { rules: [{ field: 'Count', desc: true }] },
				returnAll: true,
			},
			{ executeOnce: true },
		),
		feishu(
			'Upsert Ship v2',
			{
				resource: 'bitableRecord',
				operation: 'upsert',
				...at,
				columns: columns({ Name: 'Ship v2', Count: 13, Status: 'Done' }, ['Name']),
			},
			{ executeOnce: true },
		),
		feishu(
			'Read all',
			{
				resource: 'bitableRecord',
				operation: 'search',
				...at,
				returnAll: true,
				options: { downloadAttachments: true },
			},
			{ executeOnce: true },
		),
		feishu('Delete many', {
			resource: 'bitableRecord',
			operation: 'deleteMany',
			...at,
			recordId: '={{ $json.id }}',
		}),
	]);
}

/** The sandbox's AI table (AI表格) and the operator who is its collaborator. */
export const SANDBOX_AI_TABLE =
	'https://alidocs.dingtalk.com/i/nodes/QG53mjyd80eaqaLZSnYdoqb0W6zbX04v';

/**
 * The AI-table tour of `npm run dev`, over the sandbox's AI table (sheet Tasks: text, number, currency,
 * selects, date, person, department, link and URL fields): its sheets and fields listed, three records from
 * items by Create Many (auto-mapped), a search of those in Doing, an upsert that updates one by its Name,
 * and the three found again and deleted by Delete Many. It resets the sandbox first.
 */
export function notableWorkflow(sandboxUrl: string): Json {
	const at = {
		unionId: SANDBOX_UNION_ID,
		base: { __rl: true, mode: 'url', value: SANDBOX_AI_TABLE },
		sheet: { __rl: true, mode: 'name', value: 'Tasks' },
	};
	const auto = { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] };
	return chain('SandboxAiTable01', 'DingTalk AI table sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		dingTalk(
			'Sheets',
			{ resource: 'notableSheet', operation: 'getAll', unionId: at.unionId, base: at.base },
			{ executeOnce: true },
		),
		dingTalk(
			'Fields of Tasks',
			{ resource: 'notableField', operation: 'getAll', ...at },
			{ executeOnce: true },
		),
		// Once, not once per field listed above.
		...itemsOf('Rows', [
			{ Name: 'Write the README', Count: 3, Status: 'Todo', Due: '2026-12-15T09:00:00Z' },
			{ Name: 'Ship v2', Count: 5, Status: 'Doing', Due: '2026-12-20T09:00:00Z' },
			{ Name: 'Plan Q1', Count: 8, Status: 'Doing', Budget: 1200 },
		]).map((node, i) => (i === 0 ? { ...node, executeOnce: true } : node)),
		dingTalk('Create many', {
			resource: 'notableRecord',
			operation: 'createMany',
			...at,
			columns: auto,
		}),
		dingTalk(
			'Search Doing',
			{
				resource: 'notableRecord',
				operation: 'search',
				...at,
				filters: { condition: [{ field: 'Status', operator: 'equal', value: 'Doing' }] },
				returnAll: true,
			},
			{ executeOnce: true },
		),
		dingTalk(
			'Upsert Ship v2',
			{
				resource: 'notableRecord',
				operation: 'upsert',
				...at,
				columns: {
					mappingMode: 'defineBelow',
					value: { Name: 'Ship v2', Count: 13, Status: 'Done' },
					matchingColumns: ['Name'],
					schema: [],
				},
			},
			{ executeOnce: true },
		),
		dingTalk(
			'Find the three',
			{
				resource: 'notableRecord',
				operation: 'search',
				...at,
				combination: 'or',
				filters: {
					condition: ['Write the README', 'Ship v2', 'Plan Q1'].map((value) => ({
						field: 'Name',
						operator: 'equal',
						value,
					})),
				},
				returnAll: true,
			},
			{ executeOnce: true },
		),
		dingTalk('Delete many', {
			resource: 'notableRecord',
			operation: 'deleteMany',
			...at,
			recordId: '={{ $json.id }}',
		}),
	]);
}

/** The report the Drive tour files: Markdown, uploaded as a file and written as a document. */
export const SAMPLE_REPORT_MARKDOWN = [
	'# Weekly report',
	'',
	'Revenue is **up 12%**; see the [dashboard](https://example.com/dash).',
	'',
	'## Done',
	'',
	'- [x] Ship the Drive nodes',
	'- [ ] Write the release notes',
	'',
	'| Team | Tickets |',
	'| --- | --- |',
	'| Core | 14 |',
	'| Apps | 9 |',
	'',
].join('\n');
export const SANDBOX_REPORTS_FOLDER =
	'https://sandbox.feishu.cn/drive/folder/fldcnSandboxReports000001';

/**
 * The Drive and documents tour of `npm run dev`: a Markdown report as a file, uploaded into a folder, written
 * as a document from the same Markdown, read back as Markdown, exported to PDF and downloaded, and the PDF
 * sent to a chat as a file message. It resets the sandbox first.
 */
export function driveWorkflow(sandboxUrl: string): Json {
	return chain('SandboxDrive0001', 'Feishu Drive and documents sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		{
			id: nodeId(),
			name: 'Report (Markdown)',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: JSON.stringify({
					markdown: SAMPLE_REPORT_MARKDOWN,
					base64: Buffer.from(SAMPLE_REPORT_MARKDOWN).toString('base64'),
				}),
				options: {},
			},
		},
		{
			id: nodeId(),
			name: 'Report file',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [0, 0],
			parameters: {
				operation: 'toBinary',
				sourceProperty: 'base64',
				binaryPropertyName: 'data',
				options: { dataIsBase64: true, fileName: 'weekly-report.md', mimeType: 'text/markdown' },
			},
		},
		feishu('Upload to Reports', {
			resource: 'drive',
			operation: 'upload',
			folder: { __rl: true, mode: 'url', value: SANDBOX_REPORTS_FOLDER },
		}),
		feishu('Create document', {
			resource: 'document',
			operation: 'create',
			title: 'Weekly report',
			folder: { __rl: true, mode: 'url', value: SANDBOX_REPORTS_FOLDER },
			content: "={{ $('Report (Markdown)').item.json.markdown }}",
		}),
		feishu('Read as Markdown', {
			resource: 'document',
			operation: 'getMarkdown',
			document: { __rl: true, mode: 'id', value: '={{ $json.documentId }}' },
		}),
		feishu('Export to PDF', {
			resource: 'drive',
			operation: 'export',
			file: { __rl: true, mode: 'id', value: '={{ $json.documentId }}' },
			fileType: 'docx',
			format: 'pdf',
		}),
		feishu('Send PDF', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_general'),
			messageType: 'file',
			fileSource: 'binary',
			binaryPropertyName: 'data',
		}),
	]);
}

/** The sandbox spreadsheet (the Drive file Budget) and the DingTalk workbook the Sheets tour writes to. */
export const SANDBOX_SPREADSHEET = 'https://sandbox.feishu.cn/sheets/shtcnSandboxSheet00000001';
export const SANDBOX_WORKBOOK =
	'https://alidocs.dingtalk.com/i/nodes/Zr2Zx7DwTb0RWnDgyXq3mqNLOGGE1L5k';
/** The sandbox's DingTalk user who is a collaborator of the sample workbook. */
export const SANDBOX_UNION_ID = 'union-member-002';

/** Map Automatically, as the editor saves it (the columns come from each item). */
const autoColumns = (matchingColumns: string[] = []) => ({
	mappingMode: 'autoMapInputData',
	value: null,
	matchingColumns,
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

/**
 * The Sheets tour of `npm run dev`: the sample base's tasks (Bitable › Search) as rows, appended to the sample
 * spreadsheet's empty sheet (its header made from the first row), read back, and written into the DingTalk
 * sample workbook's empty sheet by Append or Update on the Task column (twice: the second pass updates, adds
 * nothing). It resets the sandbox first.
 */
export function sheetsWorkflow(sandboxUrl: string): Json {
	const at = {
		base: { __rl: true, mode: 'url', value: SAMPLE_BASE_LINK },
		table: { __rl: true, mode: 'url', value: SAMPLE_BASE_LINK },
	};
	const sheet = { __rl: true, mode: 'name', value: 'Empty' };
	const workbookRows = (name: string) =>
		dingTalk(name, {
			resource: 'workbookSheet',
			operation: 'appendOrUpdate',
			unionId: SANDBOX_UNION_ID,
			workbook: { __rl: true, mode: 'url', value: SANDBOX_WORKBOOK },
			sheet,
			columns: autoColumns(['Task']),
		});
	return chain('SandboxSheets001', 'Sheets sandbox tour (Feishu and DingTalk)', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		feishu(
			'Tasks from Bitable',
			{ resource: 'bitableRecord', operation: 'search', ...at, returnAll: true },
			{ executeOnce: true },
		),
		{
			id: nodeId(),
			name: 'As rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: {
				mode: 'raw',
				jsonOutput:
					'={{ { "Task": $json.Name, "Count": $json.Count ?? 0, "Status": $json.Status ?? "" } }}',
				options: {},
			},
		},
		feishu('Append to sheet', {
			resource: 'sheet',
			operation: 'append',
			spreadsheet: { __rl: true, mode: 'url', value: SANDBOX_SPREADSHEET },
			sheet,
			columns: autoColumns(),
		}),
		feishu(
			'Read the sheet',
			{
				resource: 'sheet',
				operation: 'read',
				spreadsheet: { __rl: true, mode: 'url', value: SANDBOX_SPREADSHEET },
				sheet,
				returnAll: true,
			},
			{ executeOnce: true },
		),
		workbookRows('Into the DingTalk workbook'),
		workbookRows('Again: updates only'),
	]);
}

/**
 * Webhook → Feishu › Send and Wait (a card with Ship it / Hold to oc_sandbox_general) → Send "approved: …" to
 * oc_sandbox_ops, with the card update's error when there is one. The e2e suite and the queue-mode suite run it.
 */
export function sendAndWaitWorkflow(id: string, name: string, webhookPath: string): Json {
	return chain(id, name, [
		webhookTrigger('Webhook', webhookPath),
		feishu('Ask', {
			resource: 'message',
			operation: 'sendAndWait',
			receiveIdType: 'chat_id',
			receiveId: 'oc_sandbox_general',
			subject: 'Release',
			message: 'Ship **v2**?',
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Hold' },
			},
		}),
		feishu('Tell', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: 'oc_sandbox_ops',
			messageType: 'text',
			text: '={{ "approved: " + $json.data.approved + ($json.cardUpdateError ? " (" + $json.cardUpdateError + ")" : "") }}',
		}),
	]);
}

/**
 * The Send and Wait tour of `npm run dev`: a Feishu card and a DingTalk action card, each waiting for a click,
 * then a Feishu card asking for release notes (Free Text). The sandbox's page (its address, /) shows the cards
 * with their buttons; clicking one answers it as a person in Feishu or DingTalk would (the notes' button opens
 * n8n's form page), and the execution goes on to the next question, then reports the answers.
 */
export function sendAndWaitTour(sandboxUrl: string): Json {
	return chain('SandboxWait00001', 'Send and Wait sandbox tour', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		feishu('Ask in Feishu', {
			resource: 'message',
			operation: 'sendAndWait',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_general'),
			subject: 'Release',
			message: 'Ship **v2** to production? (open the sandbox page and click a button)',
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Hold' },
			},
		}),
		dingTalk('Ask in DingTalk', {
			resource: 'robotMessage',
			operation: 'sendAndWait',
			sendTo: 'users',
			userIds: 'manager4220',
			subject: 'Release',
			message: 'Feishu said yes. Ship **v2**? (the sandbox page has this card too)',
			approvalOptions: {
				values: { approvalType: 'double', approveLabel: 'Ship it', disapproveLabel: 'Hold' },
			},
		}),
		feishu('Ask for release notes', {
			resource: 'message',
			operation: 'sendAndWait',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_general'),
			subject: 'Release notes',
			message: "What goes into the release notes? (the button opens n8n's form page)",
			responseType: 'freeText',
			options: { messageButtonLabel: 'Write notes' },
		}),
		feishu('Report', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_ops'),
			messageType: 'text',
			text: '={{ "Feishu: " + ($(\'Ask in Feishu\').item.json.data.approved ? "approved" : "declined") + ", DingTalk: " + ($(\'Ask in DingTalk\').item.json.data.approved ? "approved" : "declined") + ", notes: " + $json.data.text }}',
		}),
	]);
}

/**
 * The approval tour of `npm run dev`. DingTalk: an expense claim started from a 10-field form, approved by
 * its two approvers in turn (as a bot acting on tasks would), and read back. Feishu: the app subscribes to the Expense
 * claim's events, starts one with Wait for Decision, and waits; the sandbox page's Approve or Reject button
 * decides it, its event reaches the active Feishu Trigger sandbox tour over the long connection, and the
 * execution resumes with the decision and reports both outcomes.
 */
export function approvalTour(sandboxUrl: string): Json {
	const expense = { __rl: true, mode: 'id', value: '7C468A54-8745-2245-9675-08B7C63E7A85' };
	return chain('SandboxApproval1', 'Approval sandbox tour (Feishu and DingTalk)', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		dingTalk('Start a DingTalk expense claim', {
			resource: 'approval',
			operation: 'createInstance',
			processCode: { __rl: true, mode: 'id', value: 'PROC-SANDBOX-EXPENSE-0001' },
			originatorUserId: 'staff0003',
			deptId: '-1',
			form: {
				mappingMode: 'defineBelow',
				value: {
					Title: 'Client visit to Hangzhou',
					Reason: 'Quarterly review with the client',
					Nights: 2,
					'Amount (CNY)': 1280.5,
					Category: 'Travel',
					Tags: ['Client', 'Urgent'],
					'Expense date': '2026-12-01',
					'["Start","End"]': { start: '2026-12-01', end: '2026-12-03' },
					'Travel companions': 'manager4220',
					Items: [
						{ Item: 'Train', Cost: 560 },
						{ Item: 'Hotel', Cost: 720.5 },
					],
				},
			},
		}),
		dingTalk('Approve as the manager', {
			resource: 'approval',
			operation: 'approveTask',
			instanceId: '={{ $json.instanceId }}',
			userId: 'manager4220',
			remark: 'Approved by the n8n bot',
		}),
		dingTalk('Approve as finance', {
			resource: 'approval',
			operation: 'approveTask',
			instanceId: '={{ $json.instanceId }}',
			userId: 'staff0002',
			remark: 'Within budget',
		}),
		dingTalk('Read it back', {
			resource: 'approval',
			operation: 'getInstance',
			instanceId: "={{ $('Start a DingTalk expense claim').item.json.instanceId }}",
		}),
		feishu('Subscribe to approval events', {
			resource: 'approval',
			operation: 'subscribe',
			approvalCode: expense,
		}),
		feishu('Start a Feishu expense claim and wait', {
			resource: 'approval',
			operation: 'createInstance',
			approvalCode: expense,
			userId: 'ou_1',
			form: {
				mappingMode: 'defineBelow',
				value: {
					Title: 'Team dinner',
					Reason: 'Release party (open the sandbox page and click Approve or Reject)',
					Nights: 0,
					'Total amount': '86.5 USD',
					'Expense date': '2026-12-01',
					'Trip period': { start: '2026-12-01', end: '2026-12-01' },
					Category: 'Meals',
					Tags: 'Client related',
					Attendees: 'ou_2, ou_3',
					Items: [{ Item: 'Dinner', Cost: 86.5 }],
				},
			},
			waitForDecision: true,
			triggerUrl: `={{ $execution.resumeUrl.split('/webhook-waiting/')[0] + '/webhook/${SANDBOX_TRIGGER_WEBHOOK_ID}/webhook' }}`,
		}),
		feishu('Report', {
			resource: 'message',
			operation: 'send',
			receiveIdType: 'chat_id',
			receiveId: byId('oc_sandbox_ops'),
			messageType: 'text',
			text: '={{ "DingTalk: " + $(\'Read it back\').item.json.result + ", Feishu: " + $json.decision }}',
		}),
	]);
}

/**
 * Feishu › Approval › Create Instance of the sandbox's Expense claim with its 5 required widgets and Wait for
 * Decision, resumed through the Feishu Trigger whose webhook ID is given (at the resume URL's n8n). The e2e
 * suite and the queue-mode suite run it.
 */
export function approvalWaitNode(
	name: string,
	title: string,
	triggerWebhookId: string,
): WorkflowNode {
	return feishu(name, {
		resource: 'approval',
		operation: 'createInstance',
		approvalCode: { __rl: true, mode: 'id', value: '7C468A54-8745-2245-9675-08B7C63E7A85' },
		userId: 'ou_1',
		form: {
			mappingMode: 'defineBelow',
			value: {
				Title: title,
				Reason: 'Wait for Decision',
				'Total amount': 42,
				'Expense date': '2026-12-01',
				Category: 'Meals',
			},
		},
		waitForDecision: true,
		triggerUrl: `={{ $execution.resumeUrl.split('/webhook-waiting/')[0] + '/webhook/${triggerWebhookId}/webhook' }}`,
	});
}

/**
 * The contacts tour of `npm run dev`, over both sandbox organisations (a root, Engineering with Backend
 * below it, and Sales): every department below the root, every user of the organisation each once (one
 * is in two departments), and the parents of Backend, on Feishu and on DingTalk. It resets the sandbox
 * first.
 */
export function contactsTour(sandboxUrl: string): Json {
	const once = { executeOnce: true };
	const root = (value: string) => ({ __rl: true, mode: 'list', value });
	return chain('SandboxContacts1', 'Contacts sandbox tour (Feishu and DingTalk)', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		feishu(
			'Feishu departments',
			{
				resource: 'department',
				operation: 'getChildren',
				departmentId: root('0'),
				allLevels: true,
				returnAll: true,
			},
			once,
		),
		feishu(
			'Feishu everyone',
			{
				resource: 'user',
				operation: 'getAll',
				departmentId: root('0'),
				includeSubDepartments: true,
				returnAll: true,
			},
			once,
		),
		feishu(
			'Feishu above Backend',
			{
				resource: 'department',
				operation: 'getParents',
				departmentId: { __rl: true, mode: 'id', value: 'od-backend' },
				returnAll: true,
			},
			once,
		),
		dingTalk(
			'DingTalk departments',
			{
				resource: 'department',
				operation: 'getChildren',
				departmentId: root('1'),
				allLevels: true,
				returnAll: true,
			},
			once,
		),
		dingTalk(
			'DingTalk everyone',
			{
				resource: 'user',
				operation: 'getAll',
				departmentId: root('1'),
				includeSubDepartments: true,
				returnAll: true,
			},
			once,
		),
		dingTalk(
			'DingTalk above Backend',
			{
				resource: 'department',
				operation: 'getParents',
				departmentId: { __rl: true, mode: 'id', value: '110' },
			},
			once,
		),
	]);
}

/**
 * The calendar tour of `npm run dev` (Feishu): the app's calendars, a weekly stand-up with two attendees
 * and a Feishu video meeting on the app's primary calendar, its first four instances listed, and the
 * series deleted. It resets the sandbox first.
 */
export function calendarTour(sandboxUrl: string): Json {
	const primary = { __rl: true, mode: 'list', value: 'primary' };
	return chain('SandboxCalendar1', 'Calendar sandbox tour (Feishu)', [
		trigger('Click "Execute workflow"'),
		resetSandbox(sandboxUrl),
		feishu(
			'Calendars',
			{ resource: 'calendar', operation: 'getAll', returnAll: true },
			{ executeOnce: true },
		),
		feishu(
			'Weekly stand-up',
			{
				resource: 'calendarEvent',
				operation: 'create',
				calendarId: primary,
				summary: 'Weekly stand-up',
				start: '2027-01-04T09:30:00',
				end: '2027-01-04T09:45:00',
				timeZone: 'Asia/Shanghai',
				userIds: 'ou_2, ou_3',
				additionalFields: { recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4', reminders: '10' },
			},
			{ executeOnce: true },
		),
		feishu(
			'January',
			{
				resource: 'calendarEvent',
				operation: 'getAll',
				calendarId: primary,
				after: '2027-01-01T00:00:00',
				before: '2027-02-01T00:00:00',
				timeZone: 'Asia/Shanghai',
				returnAll: true,
			},
			{ executeOnce: true },
		),
		feishu(
			'Cancel the series',
			{
				resource: 'calendarEvent',
				operation: 'delete',
				calendarId: primary,
				eventId: "={{ $('Weekly stand-up').item.json.event_id }}",
			},
			{ executeOnce: true },
		),
	]);
}

/** The owner account `npm run dev` creates on a user folder's first run. */
export const SANDBOX_OWNER = {
	email: 'owner@example.com',
	firstName: 'Sandbox',
	lastName: 'Owner',
	password: 'SandboxPassw0rd',
};

/** Every workflow `npm run dev` imports: the tours to click, and the two active trigger workflows. */
export function sandboxWorkflows(sandboxUrl: string): Json[] {
	return [
		exampleWorkflow(sandboxUrl),
		messagingWorkflow(sandboxUrl),
		dingTalkMessagingWorkflow(sandboxUrl),
		bitableWorkflow(sandboxUrl),
		driveWorkflow(sandboxUrl),
		sheetsWorkflow(sandboxUrl),
		notableWorkflow(sandboxUrl),
		contactsTour(sandboxUrl),
		calendarTour(sandboxUrl),
		sendAndWaitTour(sandboxUrl),
		approvalTour(sandboxUrl),
		triggerWorkflow(),
		dingTalkRobotWorkflow(),
		hrWorkflow(),
	];
}

/** The sandbox's workflows by ID, name and whether they are active (trigger workflows) or clicked (tours). */
export const SANDBOX_TOURS = sandboxWorkflows('http://127.0.0.1:5680').map((w) => ({
	id: String(w.id),
	name: String(w.name),
	active: w.active === true,
}));
