/**
 * The fake DingTalk OA approval platform (OA审批, `/v1.0/workflow/…`): form definitions with a schema
 * (getDefinition, the user-visible list), approval instances started from a form with strictly checked
 * formComponentValues (every value text, in the shape of its component, §1.1), run through the admin flow
 * or the approvers given, their tasks approved, refused and transferred, instances revoked (the 15-second
 * rule), comments, the ID list with its time windows, and the `bpms_instance_change` / `bpms_task_change`
 * events each change would push over Stream (§2).
 * Source: docs/research/dingtalk-approval.md. Where the pages are silent or conflict, the choice is
 * commented where it is made.
 */
import { randomBytes } from 'crypto';

import type { Answer, FakeApi, Handler } from './server';
import { AGENT_ID } from './dingtalk-im';

// ---------------------------------------------------------------------------------------------
// Seeded records.

/** The published expense form: one component of each type of §1.1 (and a TextNote). */
export const DING_PROCESS_EXPENSE = 'PROC-SANDBOX-EXPENSE-0001';
/** A disabled form (status INVALID): readable, but create answers processGetFailed. */
export const DING_PROCESS_DISABLED = 'PROC-SANDBOX-RETIRED-0002';
/** The sandbox organisation (the Stream envelope's eventCorpId, as dingtalk-events.ts sends). */
export const DING_CORP_ID = 'dingcorp0001';
/** The admin flow of the seeded forms: two single-approver nodes, in this order. */
export const DING_DEFAULT_APPROVERS = ['manager4220', 'staff0002'];

/** The expense form's component IDs (props.id). */
export const DING_EXPENSE_IDS = {
	title: 'TextField-TITLE01',
	reason: 'TextareaField-REASON01',
	nights: 'NumberField-NIGHTS01',
	amount: 'MoneyField-AMOUNT01',
	category: 'DDSelectField-CATEGORY01',
	tags: 'DDMultiSelectField-TAGS01',
	date: 'DDDateField-DATE01',
	trip: 'DDDateRangeField-TRIP01',
	companions: 'InnerContactField-WITH01',
	costCenter: 'DepartmentField-DEPT01',
	receipts: 'DDAttachment-FILES01',
	photos: 'DDPhotoField-PHOTOS01',
	items: 'TableField-ITEMS01',
	item: 'TextField-ITEM01',
	cost: 'MoneyField-COST01',
	phone: 'PhoneField-PHONE01',
	note: 'TextNote-NOTE01',
} as const;

/**
 * The organisation's departments. FakeState has none, so they live here. DepartmentField values must name
 * these IDs; createInstance's deptId must be one the originator is in, or the root (-1, see deptOf).
 */
export const DING_DEPARTMENTS = [
	{ deptId: 1, name: 'Sandbox Corp', parentId: 0 },
	{ deptId: 100, name: 'Finance', parentId: 1 },
	{ deptId: 200, name: 'Sales', parentId: 1 },
];
/** The departments each user is in directly (everyone is in the root). */
export const DING_DEPT_MEMBERS: Record<string, number[]> = {
	manager4220: [100, 200],
	staff0002: [100],
	staff0003: [200],
};

// ---------------------------------------------------------------------------------------------
// Records.

export interface DingComponentProps {
	id: string;
	label: string;
	required?: boolean;
	bizAlias?: string;
	placeholder?: string;
	/** "Array of String" (S3): the options' texts, which is also what a value names (§1.2, §4 item 5). */
	options?: string[];
	format?: string;
	unit?: string;
	/** InnerContactField: 1 multiple, 0 single (an Integer in the SDK). */
	choice?: number;
	[prop: string]: unknown;
}

/** One item of schemaContent.items (§1.2): the key is componentName, not componentType. */
export interface DingComponent {
	componentName: string;
	props: DingComponentProps;
	children?: DingComponent[];
}

export interface DingForm {
	processCode: string;
	formUuid: string;
	name: string;
	memo: string;
	status: 'PUBLISHED' | 'INVALID' | 'SAVED';
	items: DingComponent[];
	dirId: string;
	dirName: string;
	iconUrl: string;
	bizCategoryId: string;
	listOrder: number;
	gmtCreate: number;
	gmtModified: number;
}

export type DingTaskStatus = 'NEW' | 'RUNNING' | 'PAUSED' | 'CANCELED' | 'COMPLETED' | 'TERMINATED';
export type DingTaskResult = 'AGREE' | 'REFUSE' | 'REDIRECTED' | 'NONE';

export interface DingTask {
	taskId: number;
	userId: string;
	status: DingTaskStatus;
	result: DingTaskResult;
	createTime: number;
	finishTime?: number;
	activityId: string;
	/** The index of its node in the instance's flow. */
	node: number;
}

export interface DingFlowNode {
	activityId: string;
	actionType: 'AND' | 'OR' | 'NONE';
	userIds: string[];
	showName: string;
}

export interface DingOperationRecord {
	userId: string;
	/** ms; shown as "2022-08-31T11:52Z". */
	date: number;
	type: string;
	result: 'AGREE' | 'REFUSE' | 'NONE';
	remark?: string;
	attachments?: unknown[];
	images?: string[];
	ccUserIds?: string[];
	activityId?: string;
	showName?: string;
}

export interface DingInstance {
	processInstanceId: string;
	processCode: string;
	title: string;
	businessId: string;
	originatorUserId: string;
	originatorDeptId: string;
	originatorDeptName: string;
	status: 'RUNNING' | 'TERMINATED' | 'COMPLETED';
	result?: 'agree' | 'refuse';
	createTime: number;
	finishTime?: number;
	formComponentValues: Array<Record<string, string>>;
	operationRecords: DingOperationRecord[];
	tasks: DingTask[];
	flow: DingFlowNode[];
	approverUserIds: string[];
	ccUserIds: string[];
	ccPosition?: 'START' | 'FINISH' | 'START_FINISH';
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const DAY = 86_400_000;

const fail = (status: number, code: string, message: string): Answer => ({
	status,
	body: { code, message, requestid: randomBytes(6).toString('hex') },
});
const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body });
const isAnswer = (x: unknown): x is Answer =>
	typeof (x as Answer)?.status === 'number' && 'body' in (x as object);

/** The example's time format: ISO-8601 to the minute, UTC ("2022-08-31T11:52Z"). */
const minutes = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (n: number) =>
	Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');
const activityId = () => `${randomBytes(2).toString('hex')}_${randomBytes(2).toString('hex')}`;

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** yyyy-MM-dd, or yyyy-MM-dd HH:mm when `withTime`; a real calendar date. */
function isDate(text: unknown, withTime: boolean): boolean {
	if (typeof text !== 'string') return false;
	const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
	if (!m || (m[4] !== undefined && !withTime)) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
		return false;
	return m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60);
}

/**
 * "+86 加不加均可，国际手机号需加国际区号…固话区号加不加均可" (S7): a mainland mobile (11 digits from 1), a
 * landline with or without its area code, either after an optional +86; or +<country code> and the number.
 * The template's phone `mode` (S2) is not in the schema (§1.2), so every mode is accepted.
 */
function isPhone(text: string): boolean {
	const t = text.replace(/^\+86[ -]?/, '');
	return (
		/^1\d{10}$/.test(t) || /^(0\d{2,3}-?)?\d{7,8}$/.test(t) || /^\+\d{1,3}[ -]?\d{4,14}$/.test(t)
	);
}

const isStringArray = (v: unknown): v is string[] =>
	Array.isArray(v) && v.every((x) => typeof x === 'string');

const tooManyFiles = (file: unknown) => {
	const attachments = (file as { attachments?: unknown } | undefined)?.attachments;
	return Array.isArray(attachments) && attachments.length > 20;
};

const textField = (
	id: string,
	label: string,
	extra: Partial<DingComponentProps> = {},
): DingComponent => ({
	componentName: id.split('-')[0],
	props: { id, label, required: false, ...extra },
});

// ---------------------------------------------------------------------------------------------

export class DingTalkApprovals {
	readonly forms = new Map<string, DingForm>();
	/** By processInstanceId, in creation order. */
	readonly instances = new Map<string, DingInstance>();
	/**
	 * The Stream events each change would push (§2), in order: `{eventType, eventId, eventBornTime,
	 * eventCorpId, data}`, `data` as the E1/E2 Stream examples show it.
	 */
	readonly events: Array<Record<string, unknown>> = [];
	/** "审批发起15秒内不能撤销审批流程" (S9); tests may set it to 0. */
	terminateGraceMs = 15_000;
	/** Whether the organisation has OA高级版 (bizDetailPageUrl is premium-only: benefitStatusInvalid otherwise). */
	premium = false;
	/** The fake's clock (ms); tests may replace it to place instances in time. */
	clock: () => number = () => Date.now();
	private nextTaskId = 67583405630;
	private nextBusiness = 1;

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.forms.clear();
		this.instances.clear();
		this.events.length = 0;
		this.terminateGraceMs = 15_000;
		this.premium = false;
		this.clock = () => Date.now();
		this.nextTaskId = 67583405630;
		this.nextBusiness = 1;
		const I = DING_EXPENSE_IDS;
		const created = Date.UTC(2024, 2, 1, 2, 0);
		this.forms.set(DING_PROCESS_EXPENSE, {
			processCode: DING_PROCESS_EXPENSE,
			formUuid: 'FORM-SANDBOX-EXPENSE-0001',
			name: 'Expense claim',
			memo: 'Claim back what you spent on company business.',
			status: 'PUBLISHED',
			dirId: '12347899',
			dirName: 'Finance',
			iconUrl: 'https://gw.alicdn.com/tfs/TB1t695CFYqK1RjSZLeXXbXppXa-102-102.png',
			// The E1 example, a custom form ("自测-1016"), carries bizCategoryId "20230xxx"; a made-up value alike.
			bizCategoryId: '20230001',
			listOrder: 1,
			gmtCreate: created,
			gmtModified: created + DAY,
			items: [
				textField(I.title, 'Title', { required: true, bizAlias: 'title', placeholder: '请输入' }),
				textField(I.reason, 'Reason', { required: true, placeholder: '请输入多行文本内容' }),
				textField(I.nights, 'Nights', { placeholder: '请输入数字', unit: 'nights' }),
				textField(I.amount, 'Amount (CNY)', {
					required: true,
					bizAlias: 'amount',
					placeholder: '请输入金额',
					notUpper: '0',
				}),
				textField(I.category, 'Category', {
					required: true,
					placeholder: '请选择',
					options: ['Travel', 'Meals', 'Office'],
				}),
				textField(I.tags, 'Tags', {
					placeholder: '请选择',
					options: ['Client', 'Internal', 'Urgent'],
				}),
				textField(I.date, 'Expense date', {
					required: true,
					placeholder: '请选择',
					format: 'yyyy-MM-dd',
					unit: '天',
				}),
				// S2's template gives a range's label as the JSON text of its two labels, and S7 names the value
				// with that same text; the schema's props.label is taken to be that text too (S3 shows no range).
				textField(I.trip, '["Start","End"]', {
					placeholder: '请选择',
					format: 'yyyy-MM-dd',
					unit: '天',
					duration: true,
				}),
				textField(I.companions, 'Travel companions', { placeholder: '请选择', choice: 1 }),
				textField(I.costCenter, 'Cost center', { placeholder: '请选择' }),
				textField(I.receipts, 'Receipts'),
				textField(I.photos, 'Photos'),
				{
					componentName: 'TableField',
					props: {
						id: I.items,
						label: 'Items',
						required: false,
						tableViewMode: 'table',
						verticalPrint: false,
						statField: [{ id: I.cost, label: 'Cost', upper: false }],
					},
					// S21's FAQ allows text and photo children only, S2's table example has a MoneyField child: S2 is
					// followed (a MoneyField child is accepted). children[].props carry only id, label, bizAlias,
					// required and options (§1.2).
					children: [
						{ componentName: 'TextField', props: { id: I.item, label: 'Item', required: true } },
						{ componentName: 'MoneyField', props: { id: I.cost, label: 'Cost', required: true } },
					],
				},
				textField(I.phone, 'Phone', { placeholder: '请输入电话' }),
				// S3 lists no text prop for a TextNote (S2's template calls it `content`); it is given as placeholder.
				{
					componentName: 'TextNote',
					props: {
						id: I.note,
						label: 'Note',
						placeholder: 'Receipts over 500 CNY need a photo.',
						align: 'top',
						hiddenInApprovalDetail: false,
					},
				},
			],
		});
		this.forms.set(DING_PROCESS_DISABLED, {
			processCode: DING_PROCESS_DISABLED,
			formUuid: 'FORM-SANDBOX-RETIRED-0002',
			name: 'Travel request (old)',
			memo: 'Replaced by Expense claim.',
			status: 'INVALID',
			dirId: '12347900',
			dirName: 'HR',
			iconUrl: 'https://gw.alicdn.com/tfs/TB1bHOWCSzqK1RjSZFjXXblCFXa-102-102.png',
			bizCategoryId: '20230002',
			listOrder: 2,
			gmtCreate: created - 30 * DAY,
			gmtModified: created,
			items: [
				textField('TextField-DEST01', 'Destination', { required: true, placeholder: '请输入' }),
			],
		});
	}

	/** An instance's state, for tests. */
	instance(id: string): DingInstance | undefined {
		return this.instances.get(id);
	}

	/**
	 * Tests: act on the running tasks (in the order they were created) until the instance completes with
	 * `result`: each agrees, or the first refuses.
	 */
	decide(instanceId: string, result: 'agree' | 'refuse'): void {
		const instance = this.instances.get(instanceId);
		if (!instance) throw new Error(`no DingTalk approval instance ${instanceId}`);
		if (instance.status !== 'RUNNING')
			throw new Error(`DingTalk approval instance ${instanceId} is ${instance.status}`);
		while (instance.status === 'RUNNING') {
			const task = instance.tasks.find((t) => t.status === 'RUNNING');
			if (!task) throw new Error(`DingTalk approval instance ${instanceId} has no running task`);
			this.execute(instance, task, result);
		}
	}

	private user(id: unknown) {
		return this.fake.state.dingUsers.find((u) => u.userid === id);
	}

	// -------------------------------------------------------------------------------------------
	// Events (§2: the Stream form).

	private emit(eventType: string, data: Record<string, unknown>): void {
		this.events.push({
			eventType,
			eventId: randomBytes(16).toString('hex'),
			eventBornTime: this.clock(),
			eventCorpId: DING_CORP_ID,
			data,
		});
	}

	private url(instance: DingInstance, taskId?: number, pc = false): string {
		const task = taskId === undefined ? '' : `&taskId=${taskId}`;
		return pc
			? `https://aflow.dingtalk.com/dingtalk/pc/query/pchomepage.htm?corpid=${DING_CORP_ID}&procInstId=${instance.processInstanceId}${task}`
			: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=${DING_CORP_ID}&dd_share=false&procInstId=${instance.processInstanceId}${task}#approval`;
	}

	/**
	 * bpms_instance_change: staffId is the originator; finishTime from finish on; result only on finish
	 * ("审批终止时没这个值"). Not sent: corpId (the Stream examples have it in the envelope only) and
	 * businessType (in E1's example, with no meaning documented anywhere).
	 */
	private instanceEvent(instance: DingInstance, type: 'start' | 'finish' | 'terminate'): void {
		const form = this.forms.get(instance.processCode);
		const data: Record<string, unknown> = {
			processInstanceId: instance.processInstanceId,
			processCode: instance.processCode,
			bizCategoryId: form?.bizCategoryId,
			businessId: instance.businessId,
			type,
			title: instance.title,
			url: this.url(instance),
			staffId: instance.originatorUserId,
			createTime: instance.createTime,
		};
		if (type !== 'start') data.finishTime = instance.finishTime;
		if (type === 'finish') data.result = instance.result;
		this.emit('bpms_instance_change', data);
	}

	/**
	 * bpms_task_change: staffId is the task's assignee (for a transfer, the user who transferred: E4);
	 * createTime / finishTime are the task's (E4, and the E2 example's 20 s apart), not the instance's.
	 * `cancel` (the other approvers of an OR node) carries no result.
	 */
	private taskEvent(
		instance: DingInstance,
		task: DingTask,
		type: 'start' | 'finish' | 'cancel',
		result?: 'agree' | 'refuse' | 'redirect',
		remark?: string,
	): void {
		const data: Record<string, unknown> = {
			processInstanceId: instance.processInstanceId,
			processCode: instance.processCode,
			bizCategoryId: this.forms.get(instance.processCode)?.bizCategoryId,
			businessId: instance.businessId,
			type,
			title: instance.title,
			taskId: task.taskId,
			staffId: task.userId,
			createTime: task.createTime,
		};
		if (type !== 'start') data.finishTime = task.finishTime;
		if (result) data.result = result;
		if (remark) data.remark = remark;
		this.emit('bpms_task_change', data);
	}

	// -------------------------------------------------------------------------------------------
	// The flow.

	private startNode(instance: DingInstance, index: number): void {
		const now = this.clock();
		for (const task of instance.tasks.filter((t) => t.node === index && t.status === 'NEW')) {
			task.status = 'RUNNING';
			task.createTime = now;
			this.taskEvent(instance, task, 'start');
		}
	}

	private cancel(instance: DingInstance, tasks: DingTask[]): void {
		const now = this.clock();
		for (const task of tasks) {
			const wasRunning = task.status === 'RUNNING';
			task.status = 'CANCELED';
			task.finishTime = now;
			if (wasRunning) this.taskEvent(instance, task, 'cancel');
		}
	}

	private complete(instance: DingInstance, result: 'agree' | 'refuse'): void {
		instance.status = 'COMPLETED';
		instance.result = result;
		instance.finishTime = this.clock();
		if (instance.ccPosition === 'FINISH' || instance.ccPosition === 'START_FINISH')
			this.ccRecord(instance);
		this.instanceEvent(instance, 'finish');
	}

	private ccRecord(instance: DingInstance): void {
		if (instance.ccUserIds.length === 0) return;
		instance.operationRecords.push({
			userId: instance.originatorUserId,
			date: this.clock(),
			type: 'PROCESS_CC',
			result: 'NONE',
			ccUserIds: [...instance.ccUserIds],
			showName: '抄送人',
		});
	}

	/**
	 * One approver's decision. A refusal ends the instance (COMPLETED, refuse) and cancels every other open
	 * task; an agreement closes the node when it is a single approver, an OR node (the others are cancelled)
	 * or the last open task of an AND node, and then starts the next node or completes the instance.
	 */
	private execute(
		instance: DingInstance,
		task: DingTask,
		result: 'agree' | 'refuse',
		remark?: string,
		file?: { photos?: string[]; attachments?: unknown[] },
	): void {
		const now = this.clock();
		const node = instance.flow[task.node];
		task.status = 'COMPLETED';
		task.result = result === 'agree' ? 'AGREE' : 'REFUSE';
		task.finishTime = now;
		instance.operationRecords.push({
			userId: task.userId,
			date: now,
			type: 'EXECUTE_TASK_NORMAL',
			result: task.result,
			...(remark ? { remark } : {}),
			...(file?.attachments?.length ? { attachments: file.attachments } : {}),
			...(file?.photos?.length ? { images: file.photos } : {}),
			activityId: task.activityId,
			showName: node.showName,
		});
		this.taskEvent(instance, task, 'finish', result, remark);
		const open = (t: DingTask) => t.status === 'RUNNING' || t.status === 'NEW';
		if (result === 'refuse') {
			this.cancel(instance, instance.tasks.filter(open));
			this.complete(instance, 'refuse');
			return;
		}
		if (node.actionType === 'OR')
			this.cancel(
				instance,
				instance.tasks.filter((t) => t.node === task.node && open(t)),
			);
		if (instance.tasks.some((t) => t.node === task.node && open(t))) return;
		const next = task.node + 1;
		if (next < instance.flow.length) this.startNode(instance, next);
		else this.complete(instance, 'agree');
	}

	// -------------------------------------------------------------------------------------------
	// formComponentValues (§1.1).

	/** The label of the component whose value fails its type's format, or undefined when it is fine. */
	private badValue(component: DingComponent, value: string): string | undefined {
		const { props } = component;
		const label = props.label;
		if (value === '') return props.required ? label : undefined;
		if (value.length > 65535) return label;
		const json = () => parseJson(value);
		switch (component.componentName) {
			case 'TextField':
			case 'TextareaField':
				return undefined;
			case 'NumberField':
			case 'MoneyField':
				return /^-?\d+(\.\d+)?$/.test(value) ? undefined : label;
			case 'DDSelectField':
				// "必须是配置的选项列表中的值" (S7): the option's text (S2's "1" is not an option of ours).
				return (props.options ?? []).includes(value) ? undefined : label;
			case 'DDMultiSelectField': {
				// "即使只有一个选项也需要是数组形式".
				const list = json();
				return isStringArray(list) &&
					list.length > 0 &&
					list.every((o) => (props.options ?? []).includes(o))
					? undefined
					: label;
			}
			case 'DDDateField':
				return isDate(value, this.withTime(props)) ? undefined : label;
			case 'DDDateRangeField': {
				// Two dates, the start not after the end (the order is the fake's assumption).
				const range = json();
				const withTime = this.withTime(props);
				return Array.isArray(range) &&
					range.length === 2 &&
					isDate(range[0], withTime) &&
					isDate(range[1], withTime) &&
					String(range[0]) <= String(range[1])
					? undefined
					: label;
			}
			case 'InnerContactField': {
				// userIds of the organisation's (serving) members; choice 0 takes one.
				const ids = json();
				return isStringArray(ids) &&
					ids.length > 0 &&
					(props.choice !== 0 || ids.length === 1) &&
					ids.every((id) => this.user(id))
					? undefined
					: label;
			}
			case 'DepartmentField': {
				// "部门ID1,部门ID2": comma-separated, not JSON (spaces around the commas are forgiven).
				const ids = value.split(',').map((s) => s.trim());
				return ids.every(
					(id) => /^\d+$/.test(id) && DING_DEPARTMENTS.some((d) => String(d.deptId) === id),
				)
					? undefined
					: label;
			}
			case 'DDAttachment': {
				const files = json();
				const keys = ['spaceId', 'fileName', 'fileSize', 'fileType', 'fileId'];
				return Array.isArray(files) &&
					files.length > 0 &&
					files.every(
						(f) =>
							typeof f === 'object' &&
							f !== null &&
							!Array.isArray(f) &&
							keys.every((k) => {
								const v = (f as Record<string, unknown>)[k];
								return typeof v === 'string' && v.length > 0;
							}),
					)
					? undefined
					: label;
			}
			case 'DDPhotoField': {
				const urls = json();
				return isStringArray(urls) &&
					urls.length > 0 &&
					urls.every((u) => /^https?:\/\/\S+$/.test(u))
					? undefined
					: label;
			}
			case 'TableField':
				return this.badTable(component, value);
			case 'PhoneField':
				return isPhone(value) ? undefined : label;
			case 'TextNote':
				// "审批模板上设置好的场景，不支持发起审批实例时修改".
				return label;
			default:
				return undefined;
		}
	}

	/**
	 * S7 says a date takes yyyy-MM-dd only; S2's example gives "2025-05-27 10:00" for a component whose unit is
	 * 小时 (format yyyy-MM-dd HH:mm). Both are accepted where the component counts in hours; yyyy-MM-dd only
	 * where it counts in days (the seeded form's).
	 */
	private withTime(props: DingComponentProps): boolean {
		return props.unit === '小时' || /HH/.test(String(props.format ?? ''));
	}

	/**
	 * A table: "json 对象的二维数组", each row a list of {name, value} whose names are the child labels, each
	 * value checked as its child's; every required child in every row. A row's failing child is named by its
	 * own label (the table's label names a value that is not such a 2-D array). The structured `details[]`
	 * alternative has no example anywhere (§1.1) and is not read.
	 */
	private badTable(component: DingComponent, value: string): string | undefined {
		const label = component.props.label;
		const children = component.children ?? [];
		const rows = parseJson(value);
		if (!Array.isArray(rows)) return label;
		if (rows.length === 0) return component.props.required ? label : undefined;
		for (const row of rows) {
			if (!Array.isArray(row)) return label;
			const seen = new Set<string>();
			for (const cell of row) {
				if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) return label;
				const { name, value: text } = cell as Record<string, unknown>;
				if (typeof name !== 'string' || typeof text !== 'string') return label;
				const child = children.find((c) => c.props.label === name);
				if (!child) return name;
				const bad = this.badValue(child, text);
				if (bad !== undefined) return bad;
				if (text !== '') seen.add(name);
			}
			const missing = children.find((c) => c.props.required && !seen.has(c.props.label));
			if (missing) return missing.props.label;
		}
		return undefined;
	}

	/** The stored values (getInstance's formComponentValues), or the error. */
	private formValues(form: DingForm, given: unknown): Array<Record<string, string>> | Answer {
		const values = Array.isArray(given) ? (given as Array<Record<string, unknown>>) : [];
		const converterError = (label: string) =>
			fail(400, 'formConverterError', `表单数据校验失败，失败控件：${label}`);
		if (values.length > 150)
			return fail(
				400,
				'invalidParameter',
				'发起审批参数错误。具体可能为：企业ID、审批模板code等参数错误，或发起人已离职',
			);
		const byComponent = new Map<DingComponent, Record<string, string>>();
		for (const entry of values) {
			const name = entry?.name;
			if (typeof name !== 'string') return converterError(String(name));
			const component = form.items.find((c) => c.props.label === name);
			if (!component) return converterError(name);
			// An id, componentType or bizAlias that is not this component's: "表单组件入参错误".
			if (
				(entry.id !== undefined && entry.id !== component.props.id) ||
				(entry.componentType !== undefined && entry.componentType !== component.componentName) ||
				(entry.bizAlias !== undefined &&
					entry.bizAlias !== '' &&
					entry.bizAlias !== component.props.bizAlias)
			)
				return fail(400, 'illegalComponent', '表单组件入参错误');
			if (typeof entry.value !== 'string') return converterError(name);
			const bad = this.badValue(component, entry.value);
			if (bad !== undefined) return converterError(bad);
			const stored: Record<string, string> = {
				id: component.props.id,
				name,
				value: entry.value,
				componentType: component.componentName,
			};
			if (component.props.bizAlias) stored.bizAlias = component.props.bizAlias;
			if (typeof entry.extValue === 'string') {
				if (entry.extValue.length > 65535) return converterError(name);
				stored.extValue = entry.extValue;
			}
			// A component named twice: the last value counts (undocumented).
			byComponent.set(component, stored);
		}
		for (const component of form.items) {
			if (component.props.required && !byComponent.has(component))
				return converterError(component.props.label);
		}
		// In the form's order; components without a value are left out (the page does not say).
		return form.items.flatMap((c) => {
			const stored = byComponent.get(c);
			return stored ? [stored] : [];
		});
	}

	// -------------------------------------------------------------------------------------------
	// createInstance (§A2).

	/**
	 * The originator's department: -1 is the root ("若为根部门ID需填-1"); 1, the root's ID in the contacts
	 * (S7's own example sends "deptId": 1), is taken as the root too. Otherwise one the originator is in.
	 */
	private deptOf(userId: string, deptId: number): { id: string; name: string } | undefined {
		const root = DING_DEPARTMENTS[0];
		if (deptId === -1 || deptId === root.deptId) return { id: '-1', name: root.name };
		const dept = DING_DEPARTMENTS.find((d) => d.deptId === deptId);
		if (!dept || !(DING_DEPT_MEMBERS[userId] ?? []).includes(deptId)) return undefined;
		return { id: String(dept.deptId), name: dept.name };
	}

	private createInstance(body: Record<string, unknown>): Answer {
		const invalid = () =>
			fail(
				400,
				'invalidParameter',
				'发起审批参数错误。具体可能为：企业ID、审批模板code等参数错误，或发起人已离职',
			);
		const badInstance = () =>
			fail(
				400,
				'processInstanceInvalidParameter',
				'审批实例参数错误，具体可能为:发起人、审批人、抄送人的userid错误，发起部门id错误，发起人不在发起部门中',
			);
		const form = this.forms.get(String(body.processCode ?? ''));
		if (!form) return fail(400, 'processCodeError', '获取审批模板失败或者模板已被删除');
		if (form.status !== 'PUBLISHED')
			return fail(400, 'processGetFailed', '获取审批流失败或审批单状态为非启用状态');
		const originator = this.user(body.originatorUserId);
		if (!originator) return badInstance();
		if (body.microappAgentId !== undefined && Number(body.microappAgentId) !== AGENT_ID)
			return fail(400, 'invalidAgentId', '无效的微应用ID');
		if (body.bizDetailPageUrl !== undefined) {
			if (String(body.bizDetailPageUrl).length > 1024) return invalid();
			if (!this.premium)
				return fail(
					400,
					'benefitStatusInvalid',
					'权益校验失败。指定bizDetailPageUrl为OA高级版专享功能，请开通高级版后再重试。',
				);
		}

		// The flow: approvers[] when given (an empty list counts as not given), else the admin flow.
		const approvers = Array.isArray(body.approvers)
			? (body.approvers as Array<{ actionType?: string; userIds?: unknown }>)
			: [];
		const custom = approvers.length > 0;
		let flow: DingFlowNode[];
		if (custom) {
			if (approvers.length > 20) return invalid();
			flow = [];
			for (const [i, approver] of approvers.entries()) {
				const userIds = approver?.userIds;
				if (!isStringArray(userIds) || userIds.length === 0) return invalid();
				if (!userIds.every((u) => this.user(u))) return badInstance();
				// actionType is optional in the table: without it one user is a single approver; several are
				// ambiguous (AND or OR) and refused.
				const actionType = approver.actionType ?? (userIds.length === 1 ? 'NONE' : undefined);
				if (actionType !== 'AND' && actionType !== 'OR' && actionType !== 'NONE') return invalid();
				if (actionType === 'NONE' && userIds.length !== 1) return invalid();
				flow.push({ activityId: activityId(), actionType, userIds, showName: `审批人${i + 1}` });
			}
		} else {
			flow = DING_DEFAULT_APPROVERS.map((userId, i) => ({
				activityId: activityId(),
				actionType: 'NONE' as const,
				userIds: [userId],
				showName: `审批人${i + 1}`,
			}));
		}

		// "若approvers未传值时…deptId需必填": missing → invalidParameter. With approvers it may be left out, and
		// the originator's first department is reported.
		let dept: { id: string; name: string } | undefined;
		if (body.deptId === undefined || body.deptId === null) {
			if (!custom) return invalid();
			const first = DING_DEPARTMENTS.find(
				(d) => d.deptId === (DING_DEPT_MEMBERS[originator.userid] ?? [])[0],
			);
			dept = first
				? { id: String(first.deptId), name: first.name }
				: { id: '-1', name: DING_DEPARTMENTS[0].name };
		} else {
			dept = this.deptOf(originator.userid, Number(body.deptId));
			if (!dept) return badInstance();
		}

		// ccList and ccPosition: "不生效" with the admin flow (neither checked nor kept then). Without a
		// ccPosition the copy goes at the start (the fake's default).
		let ccUserIds: string[] = [];
		let ccPosition: DingInstance['ccPosition'];
		if (body.ccList !== undefined) {
			if (!isStringArray(body.ccList) || body.ccList.length > 50) return invalid();
			if (custom) {
				if (!body.ccList.every((u) => this.user(u))) return badInstance();
				ccUserIds = [...body.ccList];
				ccPosition = (body.ccPosition as DingInstance['ccPosition']) ?? 'START';
			}
		}
		// targetSelectActioners: the seeded admin flows have no 发起人自选 node, so they are only counted.
		if (Array.isArray(body.targetSelectActioners) && body.targetSelectActioners.length > 20)
			return invalid();

		const values = this.formValues(form, body.formComponentValues);
		if (isAnswer(values)) return values;

		const now = this.clock();
		const id =
			randomText(22) + String(randomBytes(2).readUInt16BE(0) % 10000).padStart(4, '0') + now;
		// 审批实例业务编号: the Beijing date and minute, then a sequence number.
		const beijing = new Date(now + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 12);
		const instance: DingInstance = {
			processInstanceId: id,
			processCode: form.processCode,
			title: `${originator.name}提交的${form.name}`,
			businessId: beijing + String(this.nextBusiness++).padStart(6, '0'),
			originatorUserId: originator.userid,
			originatorDeptId: dept.id,
			originatorDeptName: dept.name,
			status: 'RUNNING',
			createTime: now,
			formComponentValues: values,
			operationRecords: [
				{
					userId: originator.userid,
					date: now,
					type: 'START_PROCESS_INSTANCE',
					result: 'NONE',
					showName: '发起人',
				},
			],
			// Every node's tasks exist from the start: the first node's RUNNING, the later ones NEW ("未启动").
			tasks: flow.flatMap((node, index) =>
				node.userIds.map((userId) => ({
					taskId: this.nextTaskId++,
					userId,
					status: 'NEW' as const,
					result: 'NONE' as const,
					createTime: now,
					activityId: node.activityId,
					node: index,
				})),
			),
			flow,
			approverUserIds: [...new Set(flow.flatMap((n) => n.userIds))],
			ccUserIds,
			ccPosition,
		};
		this.instances.set(id, instance);
		if (ccPosition === 'START' || ccPosition === 'START_FINISH') this.ccRecord(instance);
		this.instanceEvent(instance, 'start');
		this.startNode(instance, 0);
		return ok({ instanceId: id });
	}

	// -------------------------------------------------------------------------------------------
	// Reading.

	private render(instance: DingInstance): Record<string, unknown> {
		const at = (ms: number | undefined) => (ms === undefined ? {} : { finishTime: minutes(ms) });
		return {
			title: instance.title,
			createTime: minutes(instance.createTime),
			...at(instance.finishTime),
			originatorUserId: instance.originatorUserId,
			originatorDeptId: instance.originatorDeptId,
			originatorDeptName: instance.originatorDeptName,
			status: instance.status,
			// Left out while running and when revoked (the page does not say; events send none on terminate).
			...(instance.result ? { result: instance.result } : {}),
			businessId: instance.businessId,
			// "使用接口发起的审批单返回该参数": every instance here was started through the API.
			approverUserIds: [...instance.approverUserIds],
			ccUserIds: [...instance.ccUserIds],
			// MODIFY / REVOKE name instances started from an earlier one; none are here.
			bizAction: 'NONE',
			attachedProcessInstanceIds: [],
			formComponentValues: instance.formComponentValues.map((v) => ({ ...v })),
			operationRecords: instance.operationRecords.map((r) => ({ ...r, date: minutes(r.date) })),
			tasks: instance.tasks.map((t) => ({
				taskId: t.taskId,
				userId: t.userId,
				status: t.status,
				result: t.result,
				createTime: minutes(t.createTime),
				...at(t.finishTime),
				mobileUrl: this.url(instance, t.taskId),
				pcUrl: this.url(instance, t.taskId, true),
				processInstanceId: instance.processInstanceId,
				activityId: t.activityId,
			})),
		};
	}

	private definition(form: DingForm): Record<string, unknown> {
		// No processCode in S3's answer: formCode holds it (the example's formCode is a PROC-… code).
		return {
			creatorUserId: DING_DEFAULT_APPROVERS[0],
			appUuid: DING_CORP_ID,
			formCode: form.processCode,
			formUuid: form.formUuid,
			name: form.name,
			memo: form.memo,
			ownerIdType: 'orgId',
			schemaContent: {
				title: form.name,
				icon: 'common',
				items: JSON.parse(JSON.stringify(form.items)) as unknown,
			},
			icon: 'common',
			appType: 0,
			engineType: 0,
			status: form.status,
			listOrder: form.listOrder,
			procType: 'inner',
			visibleRange: 'PUBLIC',
			gmtCreate: String(form.gmtCreate),
			gmtModified: String(form.gmtModified),
		};
	}

	// -------------------------------------------------------------------------------------------

	handlers(): Record<string, Handler> {
		return {
			'dingtalk.approval.getDefinition': ({ query }) => {
				// appUuid ("应用搭建隔离信息") does not change which form is found.
				const form = this.forms.get(query.processCode ?? '');
				if (!form) return fail(400, 'formNotExist', '审批表单模板不存在');
				return ok({ result: this.definition(form) });
			},
			'dingtalk.approval.listDefinitions': ({ query }) => {
				if (query.nextToken === undefined || query.nextToken === '')
					return fail(
						400,
						'invalidNextToken',
						'获取指定用户可见的审批表单列表，分页查询的游标不能为空',
					);
				const size = Number(query.maxResults);
				if (!Number.isInteger(size) || size < 1 || size > 100)
					return fail(
						400,
						'invalidMaxResults',
						'获取指定用户可见的审批表单列表，分页参数非法，每页大小，最多传100。',
					);
				const from = Number(query.nextToken);
				if (!Number.isInteger(from) || from < 0)
					return fail(400, 'invalidParameter', '获取指定用户可见的审批表单列表参数错误');
				// "不传表示查询企业下所有审批表单"; a user sees the enabled forms (a disabled one is hidden from
				// users: the fake's reading).
				if (query.userId !== undefined && !this.user(query.userId))
					return fail(400, 'invalidParameter', '获取指定用户可见的审批表单列表参数错误');
				const forms = [...this.forms.values()].filter(
					(f) => query.userId === undefined || f.status === 'PUBLISHED',
				);
				const page = forms.slice(from, from + size);
				const result: Record<string, unknown> = {
					processList: page.map((f) => ({
						name: f.name,
						processCode: f.processCode,
						url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=${DING_CORP_ID}&dd_share=false&showmenu=true&back=native&swfrom=isv&dinghash=approval#/custom?processCode=${f.processCode}`,
						iconUrl: f.iconUrl,
						dirId: f.dirId,
						dirName: f.dirName,
					})),
				};
				// "不为空表示有更多数据": a number, as in the example.
				if (from + size < forms.length) result.nextToken = from + size;
				return ok({ result });
			},
			'dingtalk.approval.createInstance': ({ body }) => this.createInstance(body),
			'dingtalk.approval.getInstance': ({ query }) => {
				if (!query.processInstanceId)
					return fail(400, 'processInstanceIdError', 'processInstanceId参数无效');
				const instance = this.instances.get(query.processInstanceId);
				if (!instance) return fail(400, 'processInstanceNotExist', '审批实例不存在');
				return ok({ result: this.render(instance), success: 'true' });
			},
			'dingtalk.approval.listInstanceIds': ({ body }) => this.listInstanceIds(body),
			'dingtalk.approval.terminateInstance': ({ body }) => this.terminate(body),
			'dingtalk.approval.addComment': ({ body }) => this.comment(body),
			'dingtalk.approval.executeTask': ({ body }) => this.executeTask(body),
			'dingtalk.approval.redirectTask': ({ body }) => this.redirect(body),
		};
	}

	// -------------------------------------------------------------------------------------------
	// listInstanceIds (§A4).

	private listInstanceIds(body: Record<string, unknown>): Answer {
		const prefix = '获取审批实例ID列表，';
		if (typeof body.processCode !== 'string' || body.processCode === '')
			return fail(400, 'invalidProcessCode', '审批模板processCode不能为空');
		if (body.startTime === undefined || body.startTime === null)
			return fail(400, 'invalidInstanceListIdsStartTime', `${prefix}审批实例开始时间不能为空`);
		if (body.nextToken === undefined || body.nextToken === null)
			return fail(400, 'invalidNextToken', `${prefix}分页查询的游标不能为空`);
		const size = Number(body.maxResults);
		if (!Number.isInteger(size) || size < 1 || size > 20)
			return fail(400, 'invalidMaxResults', `${prefix}分页参数非法，每页大小，最多传20。`);
		const userIds = body.userIds;
		if (userIds !== undefined && (!isStringArray(userIds) || userIds.length > 10))
			return fail(400, 'invalidUserIds', `${prefix}发起userid列表参数非法，最大列表长度为10。`);
		const statuses = body.statuses;
		if (
			statuses !== undefined &&
			(!isStringArray(statuses) ||
				!statuses.every((s) => ['RUNNING', 'TERMINATED', 'COMPLETED'].includes(s)))
		)
			// No code of this page names the statuses; internalError carries a message ("%s").
			return fail(400, 'internalError', 'statuses参数非法，取值为RUNNING、TERMINATED、COMPLETED');
		const now = this.clock();
		const start = Number(body.startTime);
		const hasEnd = body.endTime !== undefined && body.endTime !== null;
		// "endTime不传则默认取当前时间"; either way the span is at most 120 days and not backwards.
		const end = hasEnd ? Number(body.endTime) : now;
		if (end < start || end - start > 120 * DAY)
			return fail(
				400,
				'invalidEndTime',
				`${prefix}审批实例结束时间不能小于开始时间；且查询时间范围不能超过120天。`,
			);
		// "同时startTime时间距当前时间不能超过365天": no code names it; the start-time code is used.
		if (hasEnd && now - start > 365 * DAY)
			return fail(
				400,
				'invalidInstanceListIdsStartTime',
				`${prefix}审批实例开始时间距当前时间不能超过365天`,
			);
		// An unknown processCode (no code for it on this page) simply has no instances.
		const matching = [...this.instances.values()]
			.filter(
				(i) =>
					i.processCode === body.processCode &&
					i.createTime >= start &&
					i.createTime <= end &&
					(userIds === undefined || userIds.length === 0 || userIds.includes(i.originatorUserId)) &&
					(statuses === undefined || statuses.length === 0 || statuses.includes(i.status)),
			)
			.sort((a, b) => a.createTime - b.createTime)
			// "最多不能超过10000个".
			.slice(0, 10_000);
		const from = Number(body.nextToken);
		if (!Number.isInteger(from) || from < 0)
			return fail(400, 'invalidNextToken', `${prefix}分页查询的游标不能为空`);
		const page = matching.slice(from, from + size);
		const result: Record<string, unknown> = { list: page.map((i) => i.processInstanceId) };
		// A String in the answer (a Long in the request); left out on the last page.
		if (from + size < matching.length) result.nextToken = String(from + size);
		return ok({ result, success: true });
	}

	// -------------------------------------------------------------------------------------------
	// terminateInstance (§A5).

	private terminate(body: Record<string, unknown>): Answer {
		const statusError = (message: string) => fail(400, 'aflowProcessInstStatusException', message);
		if (!body.processInstanceId) return fail(400, 'invalidInstanceId', '审批实例ID不能为空');
		const instance = this.instances.get(String(body.processInstanceId));
		if (!instance) return fail(400, 'aflowProcessInstNotExist', '审批实例不存在');
		// Optional in the table, yet "是否通过系统操作参数不能为空" is an error of this page: the error wins.
		if (typeof body.isSystem !== 'boolean')
			return fail(
				400,
				'invalidInstanceTerminateIsSystem',
				'撤销审批实例，是否通过系统操作参数不能为空',
			);
		if (body.remark !== undefined && String(body.remark).length > 1024)
			return fail(400, 'invalidParameter', '撤销审批实例参数错误');
		const operator = body.operatingUserId;
		if (body.isSystem === false && (operator === undefined || operator === ''))
			return fail(
				400,
				'invalidInstanceTerminateOperatingUserId',
				'撤销审批实例，当isSystem为false时，操作人的userId不能为空',
			);
		if (operator !== undefined && operator !== '' && !this.user(operator))
			return fail(400, 'userNotExist', '用户不存在');
		// "需要传发起人才能撤销": anyone else lacks the right. The page names that reason under internalError
		// ("导致您没有任务处理的权限").
		if (body.isSystem === false && operator !== instance.originatorUserId)
			return fail(400, 'internalError', '您没有任务处理的权限');
		if (instance.status !== 'RUNNING') return statusError('审批单已结束，不能撤销');
		if (this.clock() - instance.createTime < this.terminateGraceMs)
			return statusError('提交审批单后15秒内不能进行撤回');
		const now = this.clock();
		for (const task of instance.tasks)
			if (task.status === 'RUNNING' || task.status === 'NEW') {
				task.status = 'TERMINATED';
				task.finishTime = now;
			}
		instance.status = 'TERMINATED';
		instance.finishTime = now;
		instance.operationRecords.push({
			userId:
				typeof operator === 'string' && operator !== '' ? operator : instance.originatorUserId,
			date: now,
			type: 'TERMINATE_PROCESS_INSTANCE',
			result: 'NONE',
			...(body.remark ? { remark: String(body.remark) } : {}),
		});
		// Only the instance's terminate event: no page says the open tasks send events then.
		this.instanceEvent(instance, 'terminate');
		return ok({ result: true, success: true });
	}

	// -------------------------------------------------------------------------------------------
	// addComment (§A6).

	private comment(body: Record<string, unknown>): Answer {
		if (!body.processInstanceId) return fail(400, 'invalidInstanceId', '审批实例ID不能为空');
		if (typeof body.text !== 'string' || body.text === '')
			return fail(400, 'invalidInstanceCommentText', '审批实例评论内容不能为空');
		if (!body.commentUserId)
			return fail(400, 'invalidInstanceCommentUserId', '审批实例评论人userId不能为空');
		const instance = this.instances.get(String(body.processInstanceId));
		if (!instance) return fail(400, 'aflowProcessInstNotExist', '审批实例不存在');
		if (!this.user(body.commentUserId)) return fail(400, 'userNotExist', '用户不存在');
		if (body.text.length > 1024 || tooManyFiles(body.file))
			return fail(400, 'invalidParameter', '添加审批评论参数错误');
		// Comments go on running and completed instances; a revoked one answers "审批状态异常，无法执行" (the page
		// says which statuses refuse comments nowhere). Any member may comment (participation is not checked).
		if (instance.status === 'TERMINATED')
			return fail(400, 'aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行');
		const file = body.file as { photos?: string[]; attachments?: unknown[] } | undefined;
		instance.operationRecords.push({
			userId: String(body.commentUserId),
			date: this.clock(),
			type: 'ADD_REMARK',
			result: 'NONE',
			remark: body.text,
			...(file?.attachments?.length ? { attachments: file.attachments } : {}),
			...(file?.photos?.length ? { images: file.photos } : {}),
		});
		return ok({ result: true, success: true });
	}

	// -------------------------------------------------------------------------------------------
	// executeTask (§A7).

	private executeTask(body: Record<string, unknown>): Answer {
		const prefix = '同意拒绝审批任务，';
		if (!body.processInstanceId) return fail(400, 'invalidInstanceId', '审批实例ID不能为空');
		if (!body.actionerUserId)
			return fail(400, 'invalidInstanceExecuteActionerUserId', `${prefix}操作人的userId不能为空`);
		if (body.taskId === undefined || body.taskId === null)
			return fail(400, 'invalidInstanceExecuteTaskId', `${prefix}任务节点id不能为空`);
		if (body.result !== 'agree' && body.result !== 'refuse')
			return fail(
				400,
				'invalidInstanceExecuteResult',
				`${prefix}审批操作取值必填 且值必须为agree/refuse`,
			);
		if ((body.remark !== undefined && String(body.remark).length > 1024) || tooManyFiles(body.file))
			return fail(400, 'invalidParameter', '同意或拒绝审批任务参数错误');
		// No "instance not found" code on this page: an unknown instance is "审批流不存在".
		const instance = this.instances.get(String(body.processInstanceId));
		if (!instance) return fail(400, 'aflowProcessNotExist', '审批流不存在');
		if (!this.user(body.actionerUserId)) return fail(400, 'userNotExist', '用户不存在');
		if (instance.status !== 'RUNNING')
			return fail(400, 'aflowProcessInstStatusException', '审批单状态异常');
		// A task of another instance (or none): the request's parameters do not fit.
		const task = instance.tasks.find((t) => t.taskId === Number(body.taskId));
		if (!task) return fail(400, 'invalidParameter', '同意或拒绝审批任务参数错误');
		// The page names no assignee check (§4 item 9): the fake keeps one, as needAuth.
		if (task.userId !== body.actionerUserId) return fail(400, 'needAuth', '没有同意拒绝审批的权限');
		// Already executed, transferred, cancelled, or a later node's task not yet started.
		if (task.status !== 'RUNNING')
			return fail(400, 'aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行');
		this.execute(
			instance,
			task,
			body.result,
			typeof body.remark === 'string' && body.remark !== '' ? body.remark : undefined,
			body.file as { photos?: string[]; attachments?: unknown[] } | undefined,
		);
		return ok({ result: true, success: true });
	}

	// -------------------------------------------------------------------------------------------
	// redirectTask (§A8): dotted codes.

	private redirect(body: Record<string, unknown>): Answer {
		const illegal = (name: string) => fail(400, 'param.illegal', `不合法的参数${name}`);
		for (const name of ['taskId', 'toUserId', 'operateUserId'])
			if (body[name] === undefined || body[name] === null || body[name] === '')
				return fail(400, 'param.blank', `${name}参数不能为空`);
		let instance: DingInstance | undefined;
		let task: DingTask | undefined;
		for (const i of this.instances.values()) {
			task = i.tasks.find((t) => t.taskId === Number(body.taskId));
			if (task) {
				instance = i;
				break;
			}
		}
		if (!instance || !task) return illegal('taskId');
		if (instance.status !== 'RUNNING')
			return fail(400, 'instance.status.error', '当前流程实例状态不是运行中不支持转交操作');
		if (task.status !== 'RUNNING')
			return fail(400, 'task.status.error', '当前任务状态不是运行中不支持转交操作');
		// "需要跟任务的当前执行人保持一致".
		if (body.operateUserId !== task.userId)
			return fail(400, 'param.illegal.operator', '不合法的参数operateUserId');
		// An unknown user, or the assignee themself, cannot receive it (the latter is the fake's choice).
		if (!this.user(body.toUserId) || body.toUserId === task.userId) return illegal('toUserId');
		if (body.remark !== undefined && String(body.remark).length > 256) return illegal('remark');
		if (body.actionName !== undefined && String(body.actionName).length > 128)
			return illegal('actionName');
		if (tooManyFiles(body.file)) return illegal('file');
		const now = this.clock();
		const remark = typeof body.remark === 'string' && body.remark !== '' ? body.remark : undefined;
		const file = body.file as { photos?: string[]; attachments?: unknown[] } | undefined;
		task.status = 'COMPLETED';
		task.result = 'REDIRECTED';
		task.finishTime = now;
		instance.operationRecords.push({
			userId: task.userId,
			date: now,
			type: 'REDIRECT_TASK',
			result: 'NONE',
			...(remark ? { remark } : {}),
			...(file?.attachments?.length ? { attachments: file.attachments } : {}),
			...(file?.photos?.length ? { images: file.photos } : {}),
			activityId: task.activityId,
			showName:
				typeof body.actionName === 'string' && body.actionName !== ''
					? body.actionName
					: instance.flow[task.node].showName,
		});
		// "转交 = type finish + result redirect", staffId the user who transferred (E4).
		this.taskEvent(instance, task, 'finish', 'redirect', remark);
		const toUserId = String(body.toUserId);
		const moved: DingTask = {
			taskId: this.nextTaskId++,
			userId: toUserId,
			status: 'RUNNING',
			result: 'NONE',
			createTime: now,
			activityId: task.activityId,
			node: task.node,
		};
		instance.tasks.splice(instance.tasks.indexOf(task) + 1, 0, moved);
		if (!instance.approverUserIds.includes(toUserId)) instance.approverUserIds.push(toUserId);
		this.taskEvent(instance, moved, 'start');
		return ok({ result: true });
	}
}
