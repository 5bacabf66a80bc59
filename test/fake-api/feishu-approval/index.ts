/**
 * The fake Feishu Approval (审批 v4): seeded definitions (one with a widget of every create-supported
 * type that matters here, an inactive one, a free-process one, one with a submitter-chosen node),
 * per-definition event subscription, instances with a strict form check, their tasks, timeline and
 * comments, task approve / reject / transfer, cancel, the time-window listing, and the approval file
 * upload whose codes the attachment and image widgets take. Every status change is recorded as the v1
 * event Feishu would push (only for subscribed definitions). Source: docs/research/feishu-approval.md.
 *
 * Errors are `{code, msg}` with HTTP 400, except 1390009 (403) (§0). Where the research says "not
 * found", the behaviour chosen is marked "Undocumented:".
 */

import { randomBytes, randomUUID } from 'crypto';

import type { Answer, FakeApi, FeishuUser, Handler } from '../server';
import { fail, isObject, ok } from '../feishu-bitable/model';

// ---------------------------------------------------------------------------------------------
// Seeded IDs.

/** "Expense claim": active, a widget of every type below, two approval nodes (Manager AND, Finance OR). */
export const APPROVAL_EXPENSE = '7C468A54-8745-2245-9675-08B7C63E7A85';
/** "Legacy travel request": INACTIVE (create answers 1390015). */
export const APPROVAL_INACTIVE = '4202AD96-9EC1-4284-9C48-B923CDC4F30B';
/** "Free-form request": a free process (create answers 1390013). */
export const APPROVAL_FREE = 'E1A5F0C2-3B7D-4E8A-9C61-2D4F8B0A7E13';
/** "Purchase request": one node whose approvers the submitter picks (`need_approver: true`). */
export const APPROVAL_PICK = '9B3D61F4-5C2E-4A7B-8D10-6E4F2A9C1B57';

/** The Expense claim's nodes: Manager (AND, ou_2 Liu Yang), then Finance (OR, ou_3 Chen Jing or ou_1 Zhang Wei). */
export const EXPENSE_NODE_MANAGER = '46e6d96cfa756980907209209ec03b64';
export const EXPENSE_NODE_FINANCE = '8f1c2a7b3d4e5f60718293a4b5c6d7e8';
/** The Purchase request's node (custom_node_id "chosen_approver"). */
export const PICK_NODE = 'c0ffee00112233445566778899aabbcc';

/** The Expense claim's widget IDs. */
export const EXPENSE_WIDGETS = {
	title: 'widget_title', // input, required, custom_id "claim_title"
	reason: 'widget_reason', // textarea, required
	nights: 'widget_nights', // number
	amount: 'widget_amount', // amount, required, CNY default, currencyRange CNY / USD
	date: 'widget_date', // date, required
	trip: 'widget_trip', // dateInterval
	category: 'widget_category', // radioV2, required: travel/Travel, meals/Meals, office/Office supplies
	tags: 'widget_tags', // checkboxV2: urgent/Urgent, client/Client related, recurring/Recurring
	attendees: 'widget_attendees', // contact (multi)
	department: 'widget_department', // department
	receipts: 'widget_receipts', // attachmentV2
	photos: 'widget_photos', // image
	items: 'widget_items', // fieldList: widget_item_name (input, required), widget_item_cost (amount, required)
	itemName: 'widget_item_name',
	itemCost: 'widget_item_cost',
	phone: 'widget_phone', // telephone
	note: 'widget_note', // text (说明), not accepted by create
	serial: 'widget_serial', // serialNumber, not accepted by create
} as const;

/** Event envelopes name the sandbox app and tenant (as feishu-events.ts does). */
const APP_ID = 'cli_test_app';
const TENANT_KEY = 'tenant-sandbox';
const TEN_HOURS = 10 * 3600_000;
const MAX_IMAGE = 10 * 1024 * 1024;
const MAX_ATTACHMENT = 50 * 1024 * 1024;
const IMAGE_EXTENSIONS = new Set([
	'png',
	'jpg',
	'jpeg',
	'gif',
	'bmp',
	'webp',
	'heic',
	'tif',
	'tiff',
]);
/** Types the instance form page lists as not supported by create (§4.3), plus the two others it does not document. */
const UNSUPPORTED = new Set([
	'text',
	'mutableGroup',
	'account',
	'serialNumber',
	'tripGroup',
	'apaascorehrOnboardingGroup',
	'apaascorehrRegularateGroup',
	'remedyGroupV2',
	'apaascorehrJobAdjustGroup',
	'apaascorehrOffboardingGroup',
	// Undocumented for create (§4.3): treated as unsupported.
	'location',
	'attachment',
]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// ---------------------------------------------------------------------------------------------
// State.

export type IdType = 'open_id' | 'union_id' | 'user_id';

export interface ApprovalOption {
	value: string;
	text: string;
}

/** A widget of a definition, in getDefinition's shape (§4.5). */
export interface ApprovalWidget {
	id: string;
	custom_id?: string;
	name: string;
	type: string;
	required: boolean;
	printable?: boolean;
	/** Type-specific configuration (amount: default currency; date: format; contact: {ignore, multi}; text: the text). */
	value?: unknown;
	/** radioV2 / checkboxV2: the options; amount: {currencyRange, …}; telephone: {availableType}; fieldList: {input_type, …}. */
	option?: unknown;
	/** fieldList: the child widgets. */
	children?: ApprovalWidget[];
}

export interface ApprovalNode {
	node_id: string;
	custom_node_id?: string;
	name: string;
	node_type: 'AND' | 'OR';
	/** 「是否为发起人自选节点」: the submitter names the approvers in node_approver_*_list. */
	need_approver: boolean;
	/** Fixed approvers (open_ids); empty for need_approver nodes. */
	approvers: string[];
}

export interface ApprovalDefinition {
	approval_code: string;
	approval_name: string;
	status: 'ACTIVE' | 'INACTIVE' | 'DELETED';
	/** A free process (自定义审批流程): create answers 1390013. */
	free: boolean;
	form: ApprovalWidget[];
	nodes: ApprovalNode[];
	/** approval_admin_ids (open_ids). */
	admins: string[];
	/** Whether the app called subscribe for this code (v1 events are pushed only then). */
	subscribed: boolean;
}

/** One widget value as accepted by create: the widget's own id, its type, the value normalised (numbers as numbers). */
export interface FormValue {
	id: string;
	type: string;
	value: unknown;
	/** amount only. */
	currency?: string;
	/** contact only: the open_ids the caller gave. */
	open_ids?: string[];
}

export type TaskStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'TRANSFERRED' | 'DONE';

export interface ApprovalTask {
	id: string;
	node_id: string;
	/** '' for auto-approved tasks. */
	open_id: string;
	user_id: string;
	status: TaskStatus;
	type: 'AND' | 'OR' | 'AUTO_PASS';
	start_time: number;
	/** 0 until decided. */
	end_time: number;
}

export interface TimelineEntry {
	type: 'START' | 'PASS' | 'REJECT' | 'AUTO_PASS' | 'TRANSFER' | 'CANCEL' | 'CC';
	create_time: number;
	user_id: string;
	open_id: string;
	user_id_list?: string[];
	open_id_list?: string[];
	task_id?: string;
	comment?: string;
	cc_user_list?: Array<{ user_id: string; cc_id: string; open_id: string }>;
	node_key?: string;
}

export interface CommentFile {
	url: string;
	file_size: number;
	title: string;
	type: string;
}

export interface ApprovalComment {
	id: string;
	user_id: string;
	open_id: string;
	comment: string;
	create_time: number;
	files: CommentFile[];
	parent_comment_id?: string;
	at_info_list?: unknown[];
	extra?: string;
	disable_bot?: boolean;
}

export interface ApprovalInstance {
	approval_code: string;
	instance_code: string;
	uuid?: string;
	user_id: string;
	open_id: string;
	department_id: string;
	status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELED' | 'DELETED';
	start_time: number;
	/** 0 while pending (「审批未完成时该参数值为 0」). */
	end_time: number;
	serial_number: string;
	/** The form as given (validated, ids made canonical). */
	form: FormValue[];
	/** The approvers of each node (open_ids), fixed or chosen by the submitter. */
	approvers: Record<string, string[]>;
	/** Nodes to pass automatically (node_auto_approval_list), by node_id. */
	autoNodes: string[];
	/** The index in the definition's nodes of the node now pending. */
	nodeIndex: number;
	tasks: ApprovalTask[];
	timeline: TimelineEntry[];
	comments: ApprovalComment[];
	/** The default locale's i18n texts (i18n_resources), for @i18n@ keys. */
	texts: Record<string, string>;
	title?: string;
	options: Record<string, unknown>;
}

/** A file uploaded through the approval upload API: its code goes into attachmentV2 / image values. */
export interface ApprovalFile {
	code: string;
	name: string;
	type: 'image' | 'attachment';
	size: number;
	bytes: Buffer;
	url: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const invalid = (detail?: string): Answer =>
	fail(1390001, detail ? `param is invalid: ${detail}` : 'param is invalid', 400);
/** The FAQ's widget error: the message names the widget (「控件=xxx」). */
const badWidget = (id: string, reason: string): Answer => invalid(`控件=${id} ${reason}`);
const approvalNotFound = () => fail(1390002, 'approval code not found', 400);
const instanceNotFound = () => fail(1390003, 'instance code not found', 400);
const userNotFound = () => fail(1390004, 'user_id or open_id not found', 400);
const noPermission = () => fail(1390009, 'no operation permission', 403);
const taskNotFound = () => fail(1390010, 'task not found', 400);
const isAnswer = (x: unknown): x is Answer =>
	typeof (x as Answer)?.status === 'number' && 'body' in (x as object);
const isEmpty = (v: unknown) =>
	v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const isStringArray = (v: unknown): v is string[] =>
	Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);
const isRfc3339 = (v: unknown): v is string =>
	typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v));

const option = (value: string, text: string): ApprovalOption => ({ value, text });
/** A widget as getDefinition shows it (the S1 example carries `printable`). */
const viewWidget = (w: ApprovalWidget): Record<string, unknown> => ({
	...w,
	printable: w.printable ?? true,
	...(w.children ? { children: w.children.map(viewWidget) } : {}),
});

// ---------------------------------------------------------------------------------------------

export class FeishuApprovals {
	readonly definitions = new Map<string, ApprovalDefinition>();
	/** By instance_code. */
	readonly instances = new Map<string, ApprovalInstance>();
	/** Uploaded files by code. */
	readonly files = new Map<string, ApprovalFile>();
	/** The v1 event bodies Feishu would push (§5.1), in order; only for subscribed definitions. */
	readonly events: Array<Record<string, unknown>> = [];
	/** The fake's clock (ms); tests may replace it to place instances in time. */
	clock: () => number = () => Date.now();
	private seq = 0;
	private serials = new Map<string, number>();

	constructor(private readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.definitions.clear();
		this.instances.clear();
		this.files.clear();
		this.events.length = 0;
		this.serials.clear();
		this.seq = 0;
		this.clock = () => Date.now();
		const W = EXPENSE_WIDGETS;
		const amountOption = {
			currencyRange: ['CNY', 'USD'],
			isCapital: false,
			isThousandSeparator: true,
		};
		this.define({
			approval_code: APPROVAL_EXPENSE,
			approval_name: 'Expense claim',
			status: 'ACTIVE',
			free: false,
			admins: ['ou_1'],
			form: [
				{ id: W.title, custom_id: 'claim_title', name: 'Title', type: 'input', required: true },
				{ id: W.reason, name: 'Reason', type: 'textarea', required: true },
				{ id: W.nights, name: 'Nights', type: 'number', required: false },
				{
					id: W.amount,
					name: 'Total amount',
					type: 'amount',
					required: true,
					value: 'CNY',
					option: amountOption,
				},
				{ id: W.date, name: 'Expense date', type: 'date', required: true, value: 'YYYY-MM-DD' },
				{
					id: W.trip,
					name: 'Trip period',
					type: 'dateInterval',
					required: false,
					value: { format: 'YYYY-MM-DD', intervalAllowModify: false },
				},
				// Undocumented: no example shows a plain top-level radioV2 / checkboxV2 in a get answer (§4.5,
				// §7.5); the fake uses `option: [{value, text}]`, as the control groups' children do (S15).
				{
					id: W.category,
					name: 'Category',
					type: 'radioV2',
					required: true,
					option: [
						option('travel', 'Travel'),
						option('meals', 'Meals'),
						option('office', 'Office supplies'),
					],
				},
				{
					id: W.tags,
					name: 'Tags',
					type: 'checkboxV2',
					required: false,
					option: [
						option('urgent', 'Urgent'),
						option('client', 'Client related'),
						option('recurring', 'Recurring'),
					],
				},
				{
					id: W.attendees,
					name: 'Attendees',
					type: 'contact',
					required: false,
					value: { ignore: false, multi: true },
				},
				{ id: W.department, name: 'Cost center', type: 'department', required: false },
				{ id: W.receipts, name: 'Receipts', type: 'attachmentV2', required: false },
				{ id: W.photos, name: 'Photos', type: 'image', required: false },
				{
					id: W.items,
					name: 'Items',
					type: 'fieldList',
					required: false,
					option: { input_type: 'LIST', mobile_detail_type: 'CARD', print_type: 'LIST' },
					children: [
						{ id: W.itemName, name: 'Item', type: 'input', required: true },
						{
							id: W.itemCost,
							name: 'Cost',
							type: 'amount',
							required: true,
							value: 'CNY',
							option: amountOption,
						},
					],
				},
				{
					id: W.phone,
					name: 'Contact phone',
					type: 'telephone',
					required: false,
					option: { availableType: 'MOBILE' },
				},
				{
					id: W.note,
					name: 'Note',
					type: 'text',
					required: false,
					value: 'Claims over 5,000 CNY need a receipt.',
				},
				{ id: W.serial, name: 'Serial number', type: 'serialNumber', required: false },
			],
			nodes: [
				{
					node_id: EXPENSE_NODE_MANAGER,
					custom_node_id: 'manager',
					name: 'Manager',
					node_type: 'AND',
					need_approver: false,
					approvers: ['ou_2'],
				},
				{
					node_id: EXPENSE_NODE_FINANCE,
					name: 'Finance',
					node_type: 'OR',
					need_approver: false,
					approvers: ['ou_3', 'ou_1'],
				},
			],
		});
		this.define({
			approval_code: APPROVAL_INACTIVE,
			approval_name: 'Legacy travel request',
			status: 'INACTIVE',
			free: false,
			admins: ['ou_1'],
			form: [{ id: 'widget_destination', name: 'Destination', type: 'input', required: true }],
			nodes: [
				{
					node_id: 'd41d8cd98f00b204e9800998ecf8427e',
					name: 'Manager',
					node_type: 'AND',
					need_approver: false,
					approvers: ['ou_2'],
				},
			],
		});
		this.define({
			approval_code: APPROVAL_FREE,
			approval_name: 'Free-form request',
			status: 'ACTIVE',
			free: true,
			admins: ['ou_1'],
			form: [{ id: 'widget_request', name: 'Request', type: 'textarea', required: true }],
			nodes: [],
		});
		this.define({
			approval_code: APPROVAL_PICK,
			approval_name: 'Purchase request',
			status: 'ACTIVE',
			free: false,
			admins: ['ou_1'],
			form: [
				{ id: 'widget_item', name: 'Item', type: 'input', required: true },
				{ id: 'widget_quantity', name: 'Quantity', type: 'number', required: false },
			],
			nodes: [
				{
					node_id: PICK_NODE,
					custom_node_id: 'chosen_approver',
					name: 'Approver',
					node_type: 'OR',
					need_approver: true,
					approvers: [],
				},
			],
		});
	}

	private define(definition: Omit<ApprovalDefinition, 'subscribed'>): void {
		this.definitions.set(definition.approval_code, { ...definition, subscribed: false });
	}

	// -------------------------------------------------------------------------------------------
	// Test controls.

	/** An instance by its code or the uuid given at create. */
	instance(code: string): ApprovalInstance | undefined {
		return (
			this.instances.get(code) ??
			[...this.instances.values()].find(
				(i) => i.uuid !== undefined && i.uuid.toLowerCase() === code.toLowerCase(),
			)
		);
	}

	/**
	 * Plays the approvers: acts on the pending task(s), as their users, until the instance ends with this
	 * outcome (APPROVED: every pending task is approved, node after node; REJECTED: the first pending task
	 * is rejected).
	 */
	decide(instanceCode: string, decision: 'APPROVED' | 'REJECTED'): void {
		const instance = this.instance(instanceCode);
		if (!instance) throw new Error(`No approval instance ${instanceCode}`);
		if (instance.status !== 'PENDING')
			throw new Error(`Approval instance ${instanceCode} is ${instance.status}, not PENDING`);
		while (instance.status === 'PENDING') {
			const task = instance.tasks.find((t) => t.status === 'PENDING');
			if (!task) throw new Error(`Approval instance ${instanceCode} has no pending task`);
			if (decision === 'REJECTED') this.reject(instance, task, '');
			else this.approve(instance, task, '');
		}
	}

	// -------------------------------------------------------------------------------------------
	// Users.

	private user(id: string, type: IdType = 'open_id'): FeishuUser | undefined {
		return this.fake.state.feishuUsers.find((u) => u[type] === id);
	}

	private byOpenId(openId: string): FeishuUser | undefined {
		return this.user(openId, 'open_id');
	}

	private idType(query: Record<string, string>): IdType {
		return (query.user_id_type as IdType | undefined) ?? 'open_id';
	}

	// -------------------------------------------------------------------------------------------
	// Events (§5.1): only for definitions the app subscribed to.

	private emit(definition: ApprovalDefinition, event: Record<string, unknown>): void {
		if (!definition.subscribed) return;
		const now = this.clock();
		this.events.push({
			uuid: randomBytes(16).toString('hex'),
			// 「包含小数的秒级时间戳」.
			ts: (now / 1000).toFixed(7),
			// The Verification Token; the delivering side fills it in.
			token: '',
			type: 'event_callback',
			event: { app_id: APP_ID, tenant_key: TENANT_KEY, ...event },
		});
	}

	private instanceEvent(instance: ApprovalInstance, at: number): void {
		const definition = this.definitions.get(instance.approval_code)!;
		this.emit(definition, {
			type: 'approval_instance',
			approval_code: instance.approval_code,
			instance_code: instance.instance_code,
			status: instance.status,
			operate_time: String(at),
			instance_operate_time: String(at),
			...(instance.uuid !== undefined ? { uuid: instance.uuid } : {}),
		});
	}

	private taskEvent(instance: ApprovalInstance, task: ApprovalTask, at: number): void {
		const definition = this.definitions.get(instance.approval_code)!;
		const node = definition.nodes.find((n) => n.node_id === task.node_id);
		this.emit(definition, {
			type: 'approval_task',
			approval_code: instance.approval_code,
			instance_code: instance.instance_code,
			task_id: task.id,
			status: task.status,
			operate_time: String(at),
			// 「审批任务操作人」: both empty for auto-approved tasks.
			open_id: task.open_id,
			user_id: task.user_id,
			def_key: task.node_id,
			...(node?.custom_node_id ? { custom_key: node.custom_node_id } : {}),
		});
	}

	// -------------------------------------------------------------------------------------------
	// The flow.

	private nextId(): string {
		return String(7_311_000_000_000_000_000n + BigInt(++this.seq));
	}

	private setTask(instance: ApprovalInstance, task: ApprovalTask, status: TaskStatus, at: number) {
		task.status = status;
		if (status !== 'PENDING') task.end_time = at;
		this.taskEvent(instance, task, at);
	}

	private nodeKey(definition: ApprovalDefinition, nodeId: string): string {
		const node = definition.nodes.find((n) => n.node_id === nodeId);
		return node?.custom_node_id ?? nodeId;
	}

	/** Opens the node at `index` (its tasks become PENDING), or ends the instance APPROVED past the last node. */
	private openNode(instance: ApprovalInstance, index: number, at: number): void {
		const definition = this.definitions.get(instance.approval_code)!;
		instance.nodeIndex = index;
		if (index >= definition.nodes.length) {
			instance.status = 'APPROVED';
			instance.end_time = at;
			this.instanceEvent(instance, at);
			return;
		}
		const node = definition.nodes[index];
		if (instance.autoNodes.includes(node.node_id)) {
			const task: ApprovalTask = {
				id: this.nextId(),
				node_id: node.node_id,
				open_id: '',
				user_id: '',
				status: 'APPROVED',
				type: 'AUTO_PASS',
				start_time: at,
				end_time: at,
			};
			instance.tasks.push(task);
			instance.timeline.push({
				type: 'AUTO_PASS',
				create_time: at,
				user_id: '',
				open_id: '',
				task_id: task.id,
				node_key: this.nodeKey(definition, node.node_id),
			});
			this.taskEvent(instance, task, at);
			this.openNode(instance, index + 1, at);
			return;
		}
		for (const openId of instance.approvers[node.node_id] ?? []) {
			const user = this.byOpenId(openId);
			const task: ApprovalTask = {
				id: this.nextId(),
				node_id: node.node_id,
				open_id: openId,
				user_id: user?.user_id ?? '',
				status: 'PENDING',
				type: node.node_type,
				start_time: at,
				end_time: 0,
			};
			instance.tasks.push(task);
			this.taskEvent(instance, task, at);
		}
	}

	private approve(instance: ApprovalInstance, task: ApprovalTask, comment: string): void {
		const definition = this.definitions.get(instance.approval_code)!;
		const at = this.clock();
		this.setTask(instance, task, 'APPROVED', at);
		instance.timeline.push({
			type: 'PASS',
			create_time: at,
			user_id: task.user_id,
			open_id: task.open_id,
			task_id: task.id,
			comment,
			node_key: this.nodeKey(definition, task.node_id),
		});
		const node = definition.nodes.find((n) => n.node_id === task.node_id)!;
		const rest = instance.tasks.filter((t) => t.node_id === node.node_id && t.status === 'PENDING');
		// 或签: one approval settles the node, the others are DONE; 会签: every task must be approved.
		if (node.node_type === 'OR')
			for (const other of rest) this.setTask(instance, other, 'DONE', at);
		else if (rest.length > 0) return;
		this.openNode(instance, instance.nodeIndex + 1, at);
	}

	private reject(instance: ApprovalInstance, task: ApprovalTask, comment: string): void {
		const definition = this.definitions.get(instance.approval_code)!;
		const at = this.clock();
		this.setTask(instance, task, 'REJECTED', at);
		instance.timeline.push({
			type: 'REJECT',
			create_time: at,
			user_id: task.user_id,
			open_id: task.open_id,
			task_id: task.id,
			comment,
			node_key: this.nodeKey(definition, task.node_id),
		});
		// 「拒绝后审批流程结束」: the other pending tasks are DONE.
		for (const other of instance.tasks.filter((t) => t.status === 'PENDING'))
			this.setTask(instance, other, 'DONE', at);
		instance.status = 'REJECTED';
		instance.end_time = at;
		this.instanceEvent(instance, at);
	}

	// -------------------------------------------------------------------------------------------
	// Lookups with the documented refusals.

	private definitionOf(code: string): ApprovalDefinition | Answer {
		const definition = this.definitions.get(code);
		if (!definition) return approvalNotFound();
		if (definition.status === 'DELETED') return fail(1390016, 'approval is deleted', 400);
		return definition;
	}

	/**
	 * The instance a cancel or task call names: 1390002 for an unknown approval_code, 1390003 for an
	 * unknown instance_code. Undocumented: an instance of another (known) definition answers 1390002 (the
	 * approval_code is the wrong one for it).
	 */
	private instanceFor(approvalCode: string, instanceCode: string): ApprovalInstance | Answer {
		const definition = this.definitionOf(approvalCode);
		if (isAnswer(definition)) return definition;
		const instance = this.instances.get(instanceCode);
		if (!instance) return instanceNotFound();
		if (instance.approval_code !== approvalCode) return approvalNotFound();
		return instance;
	}

	// -------------------------------------------------------------------------------------------
	// The form (§4.1, §4.2).

	private findWidget(widgets: ApprovalWidget[], id: string): ApprovalWidget | undefined {
		// 「设置控件 ID 时是否可以使用控件的自定义 ID？可以」.
		return widgets.find((w) => w.id === id) ?? widgets.find((w) => w.custom_id === id);
	}

	/** Parses and checks a `form` string against a definition; the values in canonical form, or 1390001. */
	parseForm(form: unknown, definition: ApprovalDefinition): FormValue[] | Answer {
		if (typeof form !== 'string') return invalid('form must be a JSON string');
		let parsed: unknown;
		try {
			parsed = JSON.parse(form);
		} catch {
			return invalid('form is not valid JSON');
		}
		if (!Array.isArray(parsed)) return invalid('form must be a JSON array');
		return this.checkWidgets(parsed, definition.form, '');
	}

	private checkWidgets(
		elements: unknown[],
		widgets: ApprovalWidget[],
		where: string,
	): FormValue[] | Answer {
		const values: FormValue[] = [];
		for (const element of elements) {
			if (!isObject(element) || typeof element.id !== 'string' || element.id === '')
				return invalid(`every form widget needs a string id${where}`);
			const id = element.id;
			const widget = this.findWidget(widgets, id);
			if (!widget) return badWidget(id, `is not a widget of the approval form${where}`);
			if (typeof element.type !== 'string' || element.type !== widget.type)
				return badWidget(
					id,
					`type ${JSON.stringify(element.type)} does not match the widget's type ${widget.type}${where}`,
				);
			if (UNSUPPORTED.has(widget.type))
				return badWidget(id, `type ${widget.type} is not supported by the API${where}`);
			if (values.some((v) => v.id === widget.id))
				return badWidget(id, `is given more than once${where}`);
			const value = this.checkValue(widget, element, id, where);
			if (isAnswer(value)) return value;
			values.push(value);
		}
		return values;
	}

	/**
	 * One widget's value (§4.2). Undocumented: an empty value ('', [], null) is refused like a missing one
	 * (the FAQ's 「控件值不合法或者为空」); required widgets left out of the form are not refused (FAQ).
	 */
	private checkValue(
		widget: ApprovalWidget,
		element: Record<string, unknown>,
		id: string,
		where: string,
	): FormValue | Answer {
		const value = element.value;
		const bad = (reason: string) => badWidget(id, `${reason}${where}`);
		const base = { id: widget.id, type: widget.type };
		// contact: 「value: user_id[] and/or open_ids: open_id[]」 (which one is required is not stated), so
		// either suffices; every other widget must carry a value.
		if (widget.type === 'contact') return this.checkContact(widget, element, bad, base);
		if (isEmpty(value)) return bad('控件值不合法或者为空 (value is missing or empty)');
		switch (widget.type) {
			case 'input':
			case 'textarea':
				if (typeof value !== 'string') return bad('value must be a string');
				return { ...base, value };
			case 'number': {
				// S14 says float; the create page's own example sends "value":"4", so numeric strings pass too.
				const n = this.numeric(value, true);
				if (n === undefined) return bad('value must be a number');
				return { ...base, value: n };
			}
			case 'amount': {
				const n = this.numeric(value, false);
				if (n === undefined) return bad('value must be a number');
				const range = (
					(widget.option as { currencyRange?: string[] })?.currencyRange ?? []
				).slice();
				// Undocumented: the currency is required (the page shows it beside every amount value).
				if (typeof element.currency !== 'string' || element.currency === '')
					return bad(`needs a currency (one of ${range.join(', ')})`);
				if (!range.includes(element.currency))
					return bad(
						`currency ${element.currency} is not allowed (currencyRange ${range.join(', ')})`,
					);
				return { ...base, value: n, currency: element.currency };
			}
			case 'date':
				if (!isRfc3339(value)) return bad('value must be an RFC3339 date-time with an offset');
				return { ...base, value };
			case 'dateInterval': {
				if (!isObject(value)) return bad('value must be an object {start, end, interval}');
				if (!isRfc3339(value.start) || !isRfc3339(value.end))
					return bad('start and end must be RFC3339 date-times with an offset');
				if (typeof value.interval !== 'number' || !Number.isFinite(value.interval))
					return bad('interval must be a number (days)');
				if (Date.parse(value.start) > Date.parse(value.end)) return bad('start is after end');
				return {
					...base,
					value: { start: value.start, end: value.end, interval: value.interval },
				};
			}
			case 'radioV2': {
				const options = (widget.option as ApprovalOption[]) ?? [];
				if (typeof value !== 'string') return bad('value must be an option value (string)');
				if (!options.some((o) => o.value === value))
					return bad(
						`value ${JSON.stringify(value)} is not an option value (${options.map((o) => o.value).join(', ')})`,
					);
				return { ...base, value };
			}
			case 'checkboxV2': {
				const options = (widget.option as ApprovalOption[]) ?? [];
				if (!isStringArray(value)) return bad('value must be an array of option values');
				const unknown = value.find((v) => !options.some((o) => o.value === v));
				if (unknown !== undefined)
					return bad(
						`value ${JSON.stringify(unknown)} is not an option value (${options.map((o) => o.value).join(', ')})`,
					);
				return { ...base, value: [...value] };
			}
			case 'department':
				// 「通过 open_id 设置部门的 open_department_id」; the fake has no department list, so any od- ID passes.
				if (
					!Array.isArray(value) ||
					!value.every(
						(d) => isObject(d) && typeof d.open_id === 'string' && d.open_id.startsWith('od-'),
					)
				)
					return bad('value must be [{open_id: "od-…"}]');
				return {
					...base,
					value: value.map((d) => ({ open_id: (d as { open_id: string }).open_id })),
				};
			case 'attachmentV2':
			case 'image': {
				const kind = widget.type === 'image' ? 'image' : 'attachment';
				if (!isStringArray(value)) return bad('value must be an array of file codes');
				for (const code of value) {
					const file = this.files.get(code);
					if (!file) return bad(`file code ${code} was not issued by the upload API`);
					if (file.type !== kind)
						return bad(`file code ${code} was uploaded as ${file.type}, not ${kind}`);
				}
				return { ...base, value: [...value] };
			}
			case 'telephone': {
				if (!isObject(value)) return bad('value must be an object {countryCode, nationalNumber}');
				const { countryCode, nationalNumber } = value;
				if (typeof countryCode !== 'string' || !/^\+\d{1,4}$/.test(countryCode))
					return bad('countryCode must be a string like "+86"');
				if (typeof nationalNumber !== 'string' || !/^\d{3,15}$/.test(nationalNumber))
					return bad('nationalNumber must be a string of digits');
				return { ...base, value: { countryCode, nationalNumber } };
			}
			case 'fieldList': {
				// 「value 是二维数组」: rows, each an array of the child widgets' JSON.
				if (!Array.isArray(value) || !value.every((row) => Array.isArray(row) && row.length > 0))
					return bad('value must be an array of rows, each an array of child widgets');
				const rows: FormValue[][] = [];
				for (const [i, row] of (value as unknown[][]).entries()) {
					const children = this.checkWidgets(
						row,
						widget.children ?? [],
						` (${widget.id} row ${i + 1})${where}`,
					);
					if (isAnswer(children)) return children;
					rows.push(children);
				}
				return { ...base, value: rows };
			}
			default:
				return bad(`type ${widget.type} is not modelled by the fake`);
		}
	}

	private checkContact(
		widget: ApprovalWidget,
		element: Record<string, unknown>,
		bad: (reason: string) => Answer,
		base: { id: string; type: string },
	): FormValue | Answer {
		const userIds = element.value ?? [];
		const openIds = element.open_ids ?? [];
		if (!Array.isArray(userIds) || !userIds.every((x) => typeof x === 'string'))
			return bad('value must be an array of user_ids');
		if (!Array.isArray(openIds) || !openIds.every((x) => typeof x === 'string'))
			return bad('open_ids must be an array of open_ids');
		if (userIds.length === 0 && openIds.length === 0)
			return bad('控件值不合法或者为空 (value / open_ids are missing or empty)');
		const people = new Set<string>();
		for (const id of userIds as string[]) {
			const user = this.user(id, 'user_id');
			if (!user) return bad(`user_id ${id} not found`);
			people.add(user.open_id);
		}
		for (const id of openIds as string[]) {
			if (!this.byOpenId(id)) return bad(`open_id ${id} not found`);
			people.add(id);
		}
		if ((widget.value as { multi?: boolean })?.multi === false && people.size > 1)
			return bad('takes one contact only');
		return {
			...base,
			value: [...(userIds as string[])],
			open_ids: [...(openIds as string[])],
		};
	}

	private numeric(value: unknown, strings: boolean): number | undefined {
		if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
		if (strings && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
			return Number(value);
		return undefined;
	}

	/** The form as getInstance returns it (§4.6): option texts, file URLs and names, snake_case phones. */
	private readForm(instance: ApprovalInstance): Array<Record<string, unknown>> {
		const definition = this.definitions.get(instance.approval_code)!;
		// Undocumented: only the widgets the form carried, in the definition's order.
		const order = definition.form.map((w) => w.id);
		const values = [...instance.form].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
		return values.map((v) => this.readValue(v, definition.form, instance, true));
	}

	private readValue(
		v: FormValue,
		widgets: ApprovalWidget[],
		instance: ApprovalInstance,
		top: boolean,
	): Record<string, unknown> {
		const widget = widgets.find((w) => w.id === v.id)!;
		const head: Record<string, unknown> = {
			id: widget.id,
			// The page's top-level examples carry custom_id and name; its fieldList child example only id, type, value.
			...(top && widget.custom_id ? { custom_id: widget.custom_id } : {}),
			...(top ? { name: widget.name } : {}),
			type: widget.type,
		};
		const text = (value: string) =>
			((widget.option as ApprovalOption[]) ?? []).find((o) => o.value === value)?.text ?? value;
		switch (widget.type) {
			case 'input':
			case 'textarea': {
				// i18n_resources 「目前只支持为表单的单行、多行文本控件赋值」: a key reads as the default text.
				const s = v.value as string;
				return { ...head, value: s.startsWith('@i18n@') ? (instance.texts[s] ?? s) : s };
			}
			case 'radioV2':
				return { ...head, value: text(v.value as string) };
			case 'checkboxV2':
				return { ...head, value: (v.value as string[]).map(text) };
			case 'amount':
				// Undocumented: the read examples show only the number; the fake keeps the currency beside it.
				return { ...head, value: v.value, currency: v.currency };
			case 'contact': {
				const people = [
					...(v.value as string[]).map((id) => this.user(id, 'user_id')!),
					...(v.open_ids ?? []).map((id) => this.byOpenId(id)!),
				].filter((u, i, all) => all.findIndex((x) => x.open_id === u.open_id) === i);
				return {
					...head,
					value: people.map((u) => u.user_id),
					open_ids: people.map((u) => u.open_id),
				};
			}
			case 'attachmentV2':
			case 'image': {
				const files = (v.value as string[]).map((code) => this.files.get(code)!);
				return {
					...head,
					ext: files.map((f) => `'${f.name}'`).join(','),
					value: files.map((f) => this.fileUrl(f)),
				};
			}
			case 'telephone': {
				const phone = v.value as { countryCode: string; nationalNumber: string };
				return {
					...head,
					value: { country_code: phone.countryCode, national_number: phone.nationalNumber },
				};
			}
			case 'fieldList':
				return {
					...head,
					value: (v.value as FormValue[][]).map((row) =>
						row.map((child) => this.readValue(child, widget.children ?? [], instance, false)),
					),
				};
			default:
				return { ...head, value: v.value };
		}
	}

	/** A file's URL: 「有效期为 12 小时」, a new one on every read. */
	private fileUrl(file: ApprovalFile): string {
		const expires = Math.floor(this.clock() / 1000) + 12 * 3600;
		const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? 'bin';
		return `https://sandbox-approval.feishu.cn/lark-approval-attachment/${file.type}/${file.code.toLowerCase()}.${extension}?x-expires=${expires}&x-signature=sandbox#.${extension}`;
	}

	// -------------------------------------------------------------------------------------------
	// Create (§1.2).

	private create(body: Record<string, unknown>): Answer {
		const definition = this.definitionOf(String(body.approval_code));
		if (isAnswer(definition)) return definition;
		if (definition.status !== 'ACTIVE') return fail(1390015, 'approval is not active', 400);
		if (definition.free) return fail(1390013, 'unsupported approval for free process', 400);
		// 「与 open_id 必须传入其中一个。如果传入了 user_id 则优先使用 user_id」.
		let initiator: FeishuUser | undefined;
		if (typeof body.user_id === 'string' && body.user_id !== '')
			initiator = this.user(body.user_id, 'user_id');
		else if (typeof body.open_id === 'string' && body.open_id !== '')
			initiator = this.byOpenId(body.open_id);
		else return invalid('user_id or open_id is required');
		if (!initiator) return userNotFound();
		// 「不支持填写根部门」.
		if (body.department_id === '0') return invalid('department_id cannot be the root department');
		const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
		if (uuid !== undefined && (uuid.length < 1 || uuid.length > 64))
			return invalid('uuid must be 1 to 64 characters');
		// 「单个企业内的唯一 key…如果冲突则创建失败并返回错误码 60012…不区分大小写」. Undocumented: its HTTP status
		// and message; the body does not carry the existing instance_code.
		if (
			uuid !== undefined &&
			[...this.instances.values()].some((i) => i.uuid?.toLowerCase() === uuid.toLowerCase())
		)
			return fail(60012, 'uuid conflict', 400);
		const approvers = this.chooseApprovers(definition, body);
		if (isAnswer(approvers)) return approvers;
		const cc = this.chooseCc(definition, body);
		if (isAnswer(cc)) return cc;
		const autoNodes = this.autoNodes(definition, body.node_auto_approval_list);
		if (isAnswer(autoNodes)) return autoNodes;
		const form = this.parseForm(body.form, definition);
		if (isAnswer(form)) return form;
		const texts = this.i18nTexts(body, form);
		if (isAnswer(texts)) return texts;

		const at = this.clock();
		const instance: ApprovalInstance = {
			approval_code: definition.approval_code,
			instance_code: randomUUID().toUpperCase(),
			uuid,
			user_id: initiator.user_id,
			open_id: initiator.open_id,
			// Undocumented: the fake has no departments, so an omitted department_id reads as ''.
			department_id: typeof body.department_id === 'string' ? body.department_id : '',
			status: 'PENDING',
			start_time: at,
			end_time: 0,
			serial_number: this.serialNumber(at),
			form,
			approvers,
			autoNodes,
			nodeIndex: 0,
			tasks: [],
			timeline: [
				{ type: 'START', create_time: at, user_id: initiator.user_id, open_id: initiator.open_id },
			],
			comments: [],
			texts,
			title: typeof body.title === 'string' ? body.title : undefined,
			options: Object.fromEntries(
				[
					'allow_resubmit',
					'allow_submit_again',
					'cancel_bot_notification',
					'forbid_revoke',
					'title_display_method',
				]
					.filter((k) => body[k] !== undefined)
					.map((k) => [k, body[k]]),
			),
		};
		if (cc.length > 0)
			instance.timeline.push({
				type: 'CC',
				create_time: at,
				user_id: initiator.user_id,
				open_id: initiator.open_id,
				user_id_list: cc.map((u) => u.user_id),
				open_id_list: cc.map((u) => u.open_id),
				cc_user_list: cc.map((u) => ({
					user_id: u.user_id,
					cc_id: this.nextId(),
					open_id: u.open_id,
				})),
			});
		this.instances.set(instance.instance_code, instance);
		// S20's order: the instance first, then its tasks.
		this.instanceEvent(instance, at);
		this.openNode(instance, 0, at);
		return ok({ instance_code: instance.instance_code });
	}

	/** The nodes' approvers: fixed ones, and for need_approver nodes the union of the two lists (§1.2). */
	private chooseApprovers(
		definition: ApprovalDefinition,
		body: Record<string, unknown>,
	): Record<string, string[]> | Answer {
		const chosen = this.nodeUsers(
			definition,
			body.node_approver_user_id_list,
			body.node_approver_open_id_list,
			'node_approver',
		);
		if (isAnswer(chosen)) return chosen;
		const approvers: Record<string, string[]> = {};
		for (const node of definition.nodes) {
			if (!node.need_approver) {
				// Undocumented: choices for a node with fixed approvers are ignored.
				approvers[node.node_id] = [...node.approvers];
				continue;
			}
			const people = chosen.get(node.node_id) ?? [];
			// Undocumented: a submitter-chosen node left without approvers is refused.
			if (people.length === 0)
				return invalid(
					`node ${node.custom_node_id ?? node.node_id} needs approvers (node_approver_user_id_list or node_approver_open_id_list)`,
				);
			approvers[node.node_id] = people.map((u) => u.open_id);
		}
		return approvers;
	}

	private chooseCc(
		definition: ApprovalDefinition,
		body: Record<string, unknown>,
	): FeishuUser[] | Answer {
		for (const list of [body.node_cc_user_id_list, body.node_cc_open_id_list])
			if (Array.isArray(list) && list.length > 20)
				return invalid('node_cc lists hold at most 20 entries');
		const chosen = this.nodeUsers(
			definition,
			body.node_cc_user_id_list,
			body.node_cc_open_id_list,
			'node_cc',
		);
		if (isAnswer(chosen)) return chosen;
		const all = [...chosen.values()].flat();
		return all.filter((u, i) => all.findIndex((x) => x.open_id === u.open_id) === i);
	}

	/** `{key: node_id or custom_node_id, value[]}` lists by user_id and by open_id, unioned per node. */
	private nodeUsers(
		definition: ApprovalDefinition,
		byUserId: unknown,
		byOpenId: unknown,
		name: string,
	): Map<string, FeishuUser[]> | Answer {
		const result = new Map<string, FeishuUser[]>();
		const lists: Array<[unknown, IdType]> = [
			[byUserId, 'user_id'],
			[byOpenId, 'open_id'],
		];
		for (const [list, type] of lists) {
			if (list === undefined) continue;
			for (const entry of list as Array<{ key?: string; value?: string[] }>) {
				const node = definition.nodes.find(
					(n) => n.node_id === entry.key || (n.custom_node_id ?? '') === entry.key,
				);
				// Undocumented: a key naming no node of the definition is refused.
				if (!node) return invalid(`${name} key ${JSON.stringify(entry.key)} is not a node`);
				const people = result.get(node.node_id) ?? [];
				for (const id of entry.value ?? []) {
					const user = this.user(id, type);
					if (!user) return userNotFound();
					if (!people.some((p) => p.open_id === user.open_id)) people.push(user);
				}
				result.set(node.node_id, people);
			}
		}
		return result;
	}

	private autoNodes(definition: ApprovalDefinition, list: unknown): string[] | Answer {
		if (list === undefined) return [];
		const entries = list as Array<{ node_id_type?: string; node_id?: string }>;
		// 「最大长度：10」.
		if (entries.length > 10) return invalid('node_auto_approval_list holds at most 10 entries');
		const nodes: string[] = [];
		for (const entry of entries) {
			const node = definition.nodes.find((n) =>
				entry.node_id_type === 'CUSTOM'
					? n.custom_node_id === entry.node_id
					: n.node_id === entry.node_id,
			);
			if (!node) return invalid(`node_auto_approval_list node ${entry.node_id} not found`);
			nodes.push(node.node_id);
		}
		return nodes;
	}

	/**
	 * i18n_resources and title: keys start with @i18n@; the default language must hold every key the
	 * title and the text widgets use ("默认语言需要包含所有所需的文案 Key").
	 */
	private i18nTexts(
		body: Record<string, unknown>,
		form: FormValue[],
	): Record<string, string> | Answer {
		const resources = (body.i18n_resources ?? []) as Array<{
			texts: Array<{ key: string; value: string }>;
			is_default: boolean;
		}>;
		for (const resource of resources)
			for (const text of resource.texts)
				if (!text.key.startsWith('@i18n@'))
					return invalid(`i18n_resources key ${text.key} must start with @i18n@`);
		const defaults = resources.filter((r) => r.is_default);
		if (resources.length > 0 && defaults.length !== 1)
			return invalid('i18n_resources needs exactly one default language');
		const texts = Object.fromEntries((defaults[0]?.texts ?? []).map((t) => [t.key, t.value]));
		const used = form
			.filter(
				(v) =>
					(v.type === 'input' || v.type === 'textarea') && String(v.value).startsWith('@i18n@'),
			)
			.map((v) => String(v.value));
		if (body.title !== undefined) {
			if (!String(body.title).startsWith('@i18n@'))
				return invalid('title must be an @i18n@ key of i18n_resources');
			used.push(String(body.title));
		}
		const missing = used.find((key) => !(key in texts));
		if (missing) return invalid(`i18n key ${missing} is not in the default i18n_resources`);
		return texts;
	}

	/** 「202102060002」: the date (UTC+8) and a counter of that day. */
	private serialNumber(at: number): string {
		const day = new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
		const n = (this.serials.get(day) ?? 0) + 1;
		this.serials.set(day, n);
		return `${day}${String(n).padStart(4, '0')}`;
	}

	// -------------------------------------------------------------------------------------------
	// Reads.

	private definitionAnswer(definition: ApprovalDefinition, withAdmins: boolean): Answer {
		return ok({
			approval_name: definition.approval_name,
			status: definition.status,
			form: JSON.stringify(definition.form.map(viewWidget)),
			node_list: definition.nodes.map((n) => ({
				name: n.name,
				need_approver: n.need_approver,
				node_id: n.node_id,
				...(n.custom_node_id ? { custom_node_id: n.custom_node_id } : {}),
				node_type: n.node_type,
				approver_chosen_multi: n.need_approver,
				// Submitter-chosen nodes: anyone in the company (type 0); fixed nodes offer no choice.
				approver_chosen_range: n.need_approver
					? [{ approver_range_type: 0, approver_range_ids: [] }]
					: [],
				require_signature: false,
			})),
			viewers: [{ type: 'TENANT' }],
			...(withAdmins ? { approval_admin_ids: [...definition.admins] } : {}),
			form_widget_relation: '{}',
		});
	}

	private instanceAnswer(instance: ApprovalInstance): Answer {
		const definition = this.definitions.get(instance.approval_code)!;
		const nodeName = (id: string) => definition.nodes.find((n) => n.node_id === id);
		return ok({
			approval_name: definition.approval_name,
			approval_code: instance.approval_code,
			instance_code: instance.instance_code,
			start_time: String(instance.start_time),
			end_time: String(instance.end_time),
			user_id: instance.user_id,
			open_id: instance.open_id,
			serial_number: instance.serial_number,
			department_id: instance.department_id,
			status: instance.status,
			uuid: instance.uuid ?? '',
			form: JSON.stringify(this.readForm(instance)),
			// 「返回全部审批任务」.
			task_list: instance.tasks.map((t) => {
				const node = nodeName(t.node_id);
				return {
					id: t.id,
					user_id: t.user_id,
					open_id: t.open_id,
					status: t.status,
					node_id: t.node_id,
					node_name: node?.name ?? '',
					...(node?.custom_node_id ? { custom_node_id: node.custom_node_id } : {}),
					type: t.type,
					start_time: String(t.start_time),
					end_time: String(t.end_time),
				};
			}),
			comment_list: instance.comments.map((c) => ({
				id: c.id,
				user_id: c.user_id,
				open_id: c.open_id,
				comment: c.comment,
				create_time: String(c.create_time),
				files: c.files.map((f) => ({ ...f })),
			})),
			timeline: instance.timeline.map((e) => ({
				...e,
				create_time: String(e.create_time),
				// Undocumented: entries whose ext 「不会返回值」 carry "{}".
				ext: JSON.stringify(
					e.type === 'TRANSFER'
						? { user_id_list: e.user_id_list, open_id_list: e.open_id_list }
						: e.type === 'CC'
							? { user_id: e.user_id_list?.[0] ?? '', open_id: e.open_id_list?.[0] ?? '' }
							: {},
				),
			})),
			reverted: false,
		});
	}

	// -------------------------------------------------------------------------------------------
	// Handlers.

	handlers(): Record<string, Handler> {
		return {
			'feishu.approval.getDefinition': ({ params, query }) => {
				const definition = this.definitionOf(params.approval_code);
				if (isAnswer(definition)) return definition;
				// Undocumented: what `user_id` does; an unknown one is refused (1390004 is not in this page's table).
				if (query.user_id !== undefined && !this.user(query.user_id, this.idType(query)))
					return invalid('user_id not found');
				// locale, with_option and nested_mutable_group change nothing here: names are plain text and
				// there are no external options or Bitable widgets.
				return this.definitionAnswer(definition, query.with_admin_id === 'true');
			},
			'feishu.approval.subscribe': ({ params }) => {
				const definition = this.definitionOf(params.approval_code);
				if (isAnswer(definition)) return definition;
				if (definition.subscribed) return fail(1390007, 'subscription existed', 400);
				definition.subscribed = true;
				return ok({});
			},
			'feishu.approval.unsubscribe': ({ params }) => {
				const definition = this.definitionOf(params.approval_code);
				if (isAnswer(definition)) return definition;
				// 「当前审批定义已完成订阅或已取消订阅，无需重复操作」: the same code when there is nothing to remove.
				if (!definition.subscribed) return fail(1390007, 'subscription existed', 400);
				definition.subscribed = false;
				return ok({});
			},
			'feishu.approval.createInstance': ({ body }) => this.create(body),
			'feishu.approval.getInstance': ({ params, query }) => {
				const instance = this.instance(params.instance_id);
				if (!instance) return instanceNotFound();
				if (query.user_id !== undefined) {
					const user = this.user(query.user_id, this.idType(query));
					if (!user) return userNotFound();
					// 「发起审批的用户 ID」. Undocumented: the initiator and the instance's approvers may read it;
					// anyone else answers 1390009 (in this page's table).
					if (
						user.open_id !== instance.open_id &&
						!instance.tasks.some((t) => t.open_id === user.open_id)
					)
						return noPermission();
				}
				return this.instanceAnswer(instance);
			},
			'feishu.approval.listInstances': ({ query }) => {
				const definition = this.definitionOf(query.approval_code);
				if (isAnswer(definition)) return definition;
				const start = Number(query.start_time);
				const end = Number(query.end_time);
				if (start > end) return invalid('start_time is after end_time');
				// 「单次查询时间范围不要超过10小时」 is only a warning on the page; the fake's choice is to refuse.
				if (end - start > TEN_HOURS) return invalid('time range exceeds 10 hours');
				const pageSize = query.page_size === undefined ? 100 : Number(query.page_size);
				if (pageSize < 1 || pageSize > 100) return invalid('page_size must be 1 to 100');
				let offset = 0;
				if (query.page_token !== undefined && query.page_token !== '') {
					const m = /^p(\d+)$/.exec(Buffer.from(query.page_token, 'base64url').toString());
					if (!m) return invalid('page_token is invalid');
					offset = Number(m[1]);
				}
				// Undocumented: both ends of the range are inclusive.
				const codes = [...this.instances.values()]
					.filter(
						(i) =>
							i.approval_code === definition.approval_code &&
							i.start_time >= start &&
							i.start_time <= end,
					)
					.sort((a, b) => a.start_time - b.start_time)
					.map((i) => i.instance_code);
				const page = codes.slice(offset, offset + pageSize);
				const hasMore = offset + pageSize < codes.length;
				return ok({
					instance_code_list: page,
					has_more: hasMore,
					// 「当 has_more 为 true 时，会同时返回新的 page_token，否则不返回 page_token」.
					...(hasMore
						? { page_token: Buffer.from(`p${offset + pageSize}`).toString('base64url') }
						: {}),
				});
			},
			'feishu.approval.cancelInstance': ({ query, body }) => {
				const instance = this.instanceFor(String(body.approval_code), String(body.instance_code));
				if (isAnswer(instance)) return instance;
				const user = this.user(String(body.user_id), this.idType(query));
				// 「是否只有发起人可以撤回审批实例…是的」.
				if (!user || user.open_id !== instance.open_id) return noPermission();
				// Undocumented: cancelling an instance that already ended (revoking an approved one needs an
				// admin setting the fake does not model).
				if (instance.status !== 'PENDING')
					return invalid(`instance already ended (${instance.status}), it cannot be canceled`);
				const at = this.clock();
				instance.timeline.push({
					type: 'CANCEL',
					create_time: at,
					user_id: user.user_id,
					open_id: user.open_id,
				});
				// Withdraw pushes DONE for every remaining task (§5.1).
				for (const task of instance.tasks.filter((t) => t.status === 'PENDING'))
					this.setTask(instance, task, 'DONE', at);
				instance.status = 'CANCELED';
				instance.end_time = at;
				this.instanceEvent(instance, at);
				return ok({});
			},
			'feishu.approval.addComment': ({ params, query, body }) => this.comment(params, query, body),
			'feishu.approval.approveTask': ({ query, body }) => this.taskCall('approve', query, body),
			'feishu.approval.rejectTask': ({ query, body }) => this.taskCall('reject', query, body),
			'feishu.approval.transferTask': ({ query, body }) => this.taskCall('transfer', query, body),
			'feishu.approval.uploadFile': ({ body }) => {
				const content = body.content as { bytes: Buffer; filename?: string };
				const name = String(body.name);
				const type = body.type as 'image' | 'attachment';
				// Undocumented: the upload API has no error table; the fake answers 1390001 to what the page rules out.
				const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
				// 「文件名，需包含文件扩展名」.
				if (!extension) return invalid('name must include the file extension');
				if (type === 'image' && !IMAGE_EXTENSIONS.has(extension))
					return invalid(`name ${name} is not an image`);
				if (content.bytes.length === 0) return invalid('content is empty');
				// 「附件上传大小限制为 50 M，图片上传大小为 10 M」.
				if (content.bytes.length > (type === 'image' ? MAX_IMAGE : MAX_ATTACHMENT))
					return invalid(`file is larger than ${type === 'image' ? '10' : '50'} MB`);
				const file: ApprovalFile = {
					code: randomUUID().toUpperCase(),
					name,
					type,
					size: content.bytes.length,
					bytes: content.bytes,
					url: '',
				};
				file.url = this.fileUrl(file);
				this.files.set(file.code, file);
				return ok({ code: file.code, url: file.url });
			},
		};
	}

	private comment(
		params: Record<string, string>,
		query: Record<string, string>,
		body: Record<string, unknown>,
	): Answer {
		// The page lists only 1390001, so every refusal here is 1390001. 「支持传入自定义审批实例 ID」: the uuid too.
		const instance = this.instance(params.instance_id);
		if (!instance) return invalid('instance_id not found');
		const type = this.idType(query);
		const user = this.user(query.user_id, type);
		if (!user) return invalid('user_id not found');
		let text = '';
		let files: CommentFile[] = [];
		if (body.content !== undefined) {
			let content: unknown;
			try {
				content = JSON.parse(String(body.content));
			} catch {
				return invalid('content must be a JSON string {text, files}');
			}
			if (!isObject(content)) return invalid('content must be a JSON object {text, files}');
			if (content.text !== undefined && typeof content.text !== 'string')
				return invalid('content.text must be a string');
			if (content.files !== undefined && !Array.isArray(content.files))
				return invalid('content.files must be an array');
			text = (content.text as string | undefined) ?? '';
			const given = (content.files ?? []) as unknown[];
			if (!given.every((f) => isObject(f) && typeof f.url === 'string' && f.url !== ''))
				return invalid('content.files entries need a url');
			files = (given as Array<Record<string, unknown>>).map((f) => ({
				url: String(f.url),
				file_size: typeof f.fileSize === 'number' ? f.fileSize : 0,
				title: typeof f.title === 'string' ? f.title : '',
				type: typeof f.type === 'string' ? f.type : 'image',
			}));
		}
		for (const at of (body.at_info_list ?? []) as Array<{ user_id: string; offset: string }>) {
			if (!this.user(at.user_id, type)) return invalid(`at_info_list user ${at.user_id} not found`);
			if (!/^\d+$/.test(at.offset)) return invalid('at_info_list offset must be a digit string');
		}
		if (
			body.parent_comment_id !== undefined &&
			!instance.comments.some((c) => c.id === body.parent_comment_id)
		)
			return invalid('parent_comment_id not found');
		if (body.comment_id !== undefined) {
			// 「如果需要编辑、删除一条评论，则需要将该评论的 ID 传入当前参数」. Undocumented: with content the comment
			// is edited, without it deleted.
			const at = instance.comments.findIndex((c) => c.id === body.comment_id);
			if (at < 0) return invalid('comment_id not found');
			const existing = instance.comments[at];
			if (body.content === undefined) instance.comments.splice(at, 1);
			else Object.assign(existing, { comment: text, files });
			return ok({ comment_id: existing.id });
		}
		const comment: ApprovalComment = {
			id: this.nextId(),
			user_id: user.user_id,
			open_id: user.open_id,
			comment: text,
			create_time: this.clock(),
			files,
			...(body.parent_comment_id !== undefined
				? { parent_comment_id: String(body.parent_comment_id) }
				: {}),
			...(body.at_info_list !== undefined ? { at_info_list: body.at_info_list as unknown[] } : {}),
			...(body.extra !== undefined ? { extra: String(body.extra) } : {}),
			...(body.disable_bot !== undefined ? { disable_bot: Boolean(body.disable_bot) } : {}),
		};
		instance.comments.push(comment);
		return ok({ comment_id: comment.id });
	}

	private taskCall(
		action: 'approve' | 'reject' | 'transfer',
		query: Record<string, string>,
		body: Record<string, unknown>,
	): Answer {
		const instance = this.instanceFor(String(body.approval_code), String(body.instance_code));
		if (isAnswer(instance)) return instance;
		const task = instance.tasks.find((t) => t.id === body.task_id);
		// A task already decided answers as not found: 「如果是已通过的任务，重复同意会报错」 sits under 1390010
		// (for reject and transfer the repeat is undocumented; the fake does the same).
		if (!task || task.status !== 'PENDING') return taskNotFound();
		const type = this.idType(query);
		const user = this.user(String(body.user_id), type);
		// 「审批任务对应固定的审批人，因此需要检查接口传入的审批任务 ID 与审批人 ID 是否相匹配」.
		if (!user || user.open_id !== task.open_id) return noPermission();
		// Branch data (「条件分支所需的控件数据」) is checked like create's form; the fake has no branches to use it.
		if (body.form !== undefined) {
			const form = this.parseForm(body.form, this.definitions.get(instance.approval_code)!);
			if (isAnswer(form)) return form;
		}
		const comment = typeof body.comment === 'string' ? body.comment : '';
		if (action === 'approve') this.approve(instance, task, comment);
		else if (action === 'reject') this.reject(instance, task, comment);
		else {
			const to = this.user(String(body.transfer_user_id), type);
			// Undocumented: an unknown transferee answers 1390004, a transfer to oneself 1390001.
			if (!to) return userNotFound();
			if (to.open_id === task.open_id) return invalid('transfer_user_id is the current approver');
			this.transfer(instance, task, to, comment);
		}
		return ok({});
	}

	private transfer(
		instance: ApprovalInstance,
		task: ApprovalTask,
		to: FeishuUser,
		comment: string,
	): void {
		const definition = this.definitions.get(instance.approval_code)!;
		const at = this.clock();
		this.setTask(instance, task, 'TRANSFERRED', at);
		instance.timeline.push({
			type: 'TRANSFER',
			create_time: at,
			user_id: task.user_id,
			open_id: task.open_id,
			user_id_list: [to.user_id],
			open_id_list: [to.open_id],
			task_id: task.id,
			comment,
			node_key: this.nodeKey(definition, task.node_id),
		});
		const next: ApprovalTask = {
			id: this.nextId(),
			node_id: task.node_id,
			open_id: to.open_id,
			user_id: to.user_id,
			status: 'PENDING',
			type: task.type,
			start_time: at,
			end_time: 0,
		};
		instance.tasks.push(next);
		this.taskEvent(instance, next, at);
	}
}
