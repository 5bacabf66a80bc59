/** The fake Bitable's state and its seed (the sandbox's bases), the tests' helpers and the look-ups. */

import type { Answer, FakeApi, FeishuUser } from '../server';
import {
	BitableField,
	BitableView,
	BitableRecord,
	BitableTable,
	BitableBase,
	BitableMedia,
	WikiNode,
	SANDBOX_BASE,
	NO_ACCESS_BASE,
	BENCH_BASE,
	TASKS_TABLE,
	PEOPLE_TABLE,
	BENCH_TABLE,
	WIKI_BASE_NODE,
	WIKI_DOC_NODE,
	UI_TYPE_OF,
	ZONE_OFFSET,
	alnum,
	fail,
	forbidden,
	FieldDefinition,
} from './model';

export class BitableStore {
	readonly bases = new Map<string, BitableBase>();
	/** Uploaded media by file_token. */
	readonly media = new Map<string, BitableMedia>();
	readonly wikiNodes = new Map<string, WikiNode>();
	/** Requests with a repeated client_token that were answered with the first answer (nothing created). */
	duplicatesAbsorbed = 0;
	/** Writes answered 1254291 because another write to the same table was still in flight. */
	writeConflicts = 0;
	protected readonly clientTokens = new Map<string, { signature: string; answer: Answer }>();

	constructor(protected readonly fake: FakeApi) {
		this.seed();
	}

	seed(): void {
		this.bases.clear();
		this.media.clear();
		this.wikiNodes.clear();
		this.clientTokens.clear();
		this.duplicatesAbsorbed = 0;
		this.writeConflicts = 0;

		this.addBase(SANDBOX_BASE, 'Sandbox base');
		const tasks = this.addTable(
			SANDBOX_BASE,
			'Tasks',
			[
				{ field_id: 'fldSbxName001', field_name: 'Name', type: 1 },
				{ field_id: 'fldSbxCount01', field_name: 'Count', type: 2, property: { formatter: '0' } },
				{
					field_id: 'fldSbxStatus1',
					field_name: 'Status',
					type: 3,
					property: {
						options: [
							{ id: 'optTodo001', name: 'Todo', color: 0 },
							{ id: 'optDoing01', name: 'Doing', color: 1 },
							{ id: 'optDone001', name: 'Done', color: 2 },
						],
					},
				},
				{
					field_id: 'fldSbxTags001',
					field_name: 'Tags',
					type: 4,
					property: {
						options: [
							{ id: 'optRed0001', name: 'red', color: 3 },
							{ id: 'optGreen01', name: 'green', color: 4 },
							{ id: 'optBlue001', name: 'blue', color: 5 },
						],
					},
				},
				{
					field_id: 'fldSbxDue0001',
					field_name: 'Due',
					type: 5,
					property: { date_formatter: 'yyyy/MM/dd', auto_fill: false },
				},
				{ field_id: 'fldSbxDone001', field_name: 'Done', type: 7 },
				{ field_id: 'fldSbxOwner01', field_name: 'Owner', type: 11, property: { multiple: true } },
				{ field_id: 'fldSbxPhone01', field_name: 'Phone', type: 13 },
				{ field_id: 'fldSbxWebsit1', field_name: 'Website', type: 15 },
				{ field_id: 'fldSbxFiles01', field_name: 'Files', type: 17 },
				{
					field_id: 'fldSbxRelate1',
					field_name: 'Related',
					type: 18,
					property: { table_id: TASKS_TABLE, table_name: 'Tasks', multiple: true },
				},
				{
					field_id: 'fldSbxPlace01',
					field_name: 'Place',
					type: 22,
					property: { location: { input_type: 'not_limit' } },
				},
				{
					field_id: 'fldSbxCreate1',
					field_name: 'Created',
					type: 1001,
					property: { date_formatter: 'yyyy/MM/dd HH:mm' },
				},
				{
					field_id: 'fldSbxTotal01',
					field_name: 'Total',
					type: 20,
					property: {
						formula_expression: `bitable::$table[${TASKS_TABLE}].$field[fldSbxCount01]*2`,
						formatter: '0',
					},
				},
				{
					field_id: 'fldSbxAutoNo1',
					field_name: 'No.',
					type: 1005,
					property: { auto_serial: { type: 'auto_increment_number' } },
				},
			],
			{
				tableId: TASKS_TABLE,
				views: [
					{ view_id: 'vewSandboxGrid01', view_name: 'Grid', view_type: 'grid' },
					{ view_id: 'vewSandboxKanban1', view_name: 'Board', view_type: 'kanban' },
				],
			},
		);
		const at = (day: number) => Date.UTC(2026, 0, day) - ZONE_OFFSET; // midnight in UTC+8
		const created = Date.UTC(2025, 0, 1, 1);
		this.seedRecord(tasks, 'recSbxTask001', created, {
			Name: 'Write the report',
			Count: 3,
			Status: 'Doing',
			Tags: ['red', 'blue'],
			Due: at(15),
			Owner: [{ id: 'ou_1' }],
			Phone: '+8613900000001',
			Website: { text: 'Feishu Open Platform', link: 'https://open.feishu.cn' },
			Place: '116.397755,39.903179',
		});
		this.seedRecord(tasks, 'recSbxTask002', created + 60_000, {
			Name: 'Review the draft',
			Count: 5,
			Status: 'Todo',
			Tags: ['green'],
			Due: at(20),
			Done: true,
			Owner: [{ id: 'ou_2' }],
			Related: ['recSbxTask001'],
		});
		this.seedRecord(tasks, 'recSbxTask003', created + 120_000, {
			Name: 'Ship it',
			Count: 8,
			Status: 'Done',
			Done: true,
		});
		const people = this.addTable(
			SANDBOX_BASE,
			'People',
			[
				{ field_id: 'fldPplName001', field_name: 'Name', type: 1 },
				{ field_id: 'fldPplEmail01', field_name: 'Email', type: 1, ui_type: 'Email' },
			],
			{
				tableId: PEOPLE_TABLE,
				views: [{ view_id: 'vewSandboxPpl01', view_name: 'Grid', view_type: 'grid' }],
			},
		);
		this.seedRecord(people, 'recSbxPpl0001', created, {
			Name: 'Zhang Wei',
			Email: 'zhang.wei@example.com',
		});
		this.seedRecord(people, 'recSbxPpl0002', created + 60_000, {
			Name: 'Liu Yang',
			Email: 'liu.yang@example.com',
		});

		const noAccess = this.addBase(NO_ACCESS_BASE, 'Not shared with the app');
		noAccess.collaborator = false;
		this.addTable(NO_ACCESS_BASE, 'Secret', [{ field_name: 'Name', type: 1 }], {
			tableId: 'tblNoAccess000001',
		});

		this.addBase(BENCH_BASE, 'Bench base');
		this.addTable(
			BENCH_BASE,
			'Bench',
			[
				{ field_id: 'fldBenchName1', field_name: 'Name', type: 1 },
				{ field_id: 'fldBenchN0001', field_name: 'N', type: 2 },
			],
			{
				tableId: BENCH_TABLE,
				views: [{ view_id: 'vewBenchGrid01', view_name: 'Grid', view_type: 'grid' }],
			},
		);

		this.wikiNodes.set(WIKI_BASE_NODE, {
			space_id: '7300000000000000001',
			node_token: WIKI_BASE_NODE,
			obj_token: SANDBOX_BASE,
			obj_type: 'bitable',
			title: 'Sandbox base',
		});
		this.wikiNodes.set(WIKI_DOC_NODE, {
			space_id: '7300000000000000001',
			node_token: WIKI_DOC_NODE,
			obj_token: 'doxcnSandboxDoc001',
			obj_type: 'docx',
			title: 'Sandbox doc',
		});
	}

	// ----- Test helpers.

	/** The stored records of a table, in creation order (values in the write shape). */
	records(appToken: string, tableId: string): BitableRecord[] {
		return [...(this.table(appToken, tableId)?.records.values() ?? [])];
	}

	table(appToken: string, tableId: string): BitableTable | undefined {
		return this.bases.get(appToken)?.tables.get(tableId);
	}

	/** Adds a table (and the base, if new) with these fields (the first is the primary field) and one grid view. */
	addTable(
		appToken: string,
		name: string,
		fields: FieldDefinition[],
		options: { tableId?: string; views?: BitableView[] } = {},
	): BitableTable {
		const base = this.bases.get(appToken) ?? this.addBase(appToken, appToken);
		const table: BitableTable = {
			table_id: options.tableId ?? `tbl${alnum(13)}`,
			name,
			revision: 1,
			fields: [],
			views: options.views ?? [{ view_id: `vew${alnum(7)}`, view_name: 'Grid', view_type: 'grid' }],
			records: new Map(),
			nextAutoNumber: 1,
			busyUntil: 0,
		};
		base.tables.set(table.table_id, table);
		for (const definition of fields)
			table.fields.push(this.newField(table, definition, table.fields.length === 0));
		return table;
	}

	/** What /__fake/messages shows: per base and table, the record count and the records. */
	summary(): Record<
		string,
		Record<string, { name: string; count: number; records: BitableRecord[] }>
	> {
		const out: Record<
			string,
			Record<string, { name: string; count: number; records: BitableRecord[] }>
		> = {};
		for (const base of this.bases.values()) {
			out[base.app_token] = {};
			for (const table of base.tables.values())
				out[base.app_token][table.table_id] = {
					name: table.name,
					count: table.records.size,
					records: [...table.records.values()],
				};
		}
		return out;
	}

	protected addBase(appToken: string, name: string): BitableBase {
		const base: BitableBase = { app_token: appToken, name, collaborator: true, tables: new Map() };
		this.bases.set(appToken, base);
		return base;
	}

	protected newField(table: BitableTable, d: FieldDefinition, primary: boolean): BitableField {
		let property = d.property ? structuredClone(d.property) : undefined;
		if ((d.type === 3 || d.type === 4) && Array.isArray(property?.options)) {
			property = {
				...property,
				options: (property.options as Array<Record<string, unknown>>).map((o, i) => ({
					id: o.id ?? `opt${alnum(7)}`,
					name: o.name,
					color: o.color ?? i % 55,
				})),
			};
		}
		if ((d.type === 3 || d.type === 4) && !property) property = { options: [] };
		return {
			field_id: d.field_id ?? `fld${alnum(10)}`,
			field_name: d.field_name.trim(),
			type: d.type,
			ui_type: d.ui_type ?? UI_TYPE_OF[d.type]?.[0] ?? 'Text',
			is_primary: primary,
			is_hidden: false,
			...(property ? { property } : {}),
			...(d.description ? { description: d.description } : {}),
		};
	}

	protected seedRecord(
		table: BitableTable,
		recordId: string,
		createdTime: number,
		fields: Record<string, unknown>,
	): void {
		table.records.set(recordId, {
			record_id: recordId,
			fields,
			created_time: createdTime,
			last_modified_time: createdTime,
			auto_number: table.nextAutoNumber++,
			created_by: 'ou_1',
		});
	}

	// ----- Lookups.

	protected locate(
		params: Record<string, string>,
	):
		{ base: BitableBase; table: BitableTable } | { base: BitableBase; table?: undefined } | Answer {
		const base = this.bases.get(params.app_token);
		if (!base) return fail(1254040, 'BaseTokenNotFound');
		// The app is not a collaborator: "当前调用身份没有云文档的阅读或编辑等权限" (FAQ), HTTP 403.
		if (!base.collaborator) return forbidden();
		if (params.table_id === undefined) return { base };
		const table = base.tables.get(params.table_id);
		if (!table) return fail(1254041, 'TableIdNotFound');
		return { base, table };
	}

	protected user(id: string, idType: string): FeishuUser | undefined {
		return this.fake.state.feishuUsers.find(
			(u) => (u as unknown as Record<string, string>)[idType] === id,
		);
	}

	protected byName(table: BitableTable, name: unknown): BitableField | undefined {
		return table.fields.find((f) => f.field_name === name);
	}

	protected page<T>(
		all: T[],
		query: Record<string, string>,
		defaultSize: number,
		maxSize: number,
	): { items: T[]; has_more: boolean; page_token?: string; total: number } | Answer {
		const size = query.page_size === undefined ? defaultSize : Number(query.page_size);
		if (size < 1 || size > maxSize) {
			this.fake.violations.push(`page_size ${size} outside 1..${maxSize}`);
			return fail(1254011, 'Page size must greater than 0.', 400);
		}
		let start = 0;
		if (query.page_token !== undefined) {
			const decoded = /^offset:(\d+)$/.exec(
				Buffer.from(query.page_token, 'base64url').toString('utf8'),
			);
			if (!decoded) return fail(1254002, 'Fail');
			start = Number(decoded[1]);
		}
		const end = start + size;
		const more = end < all.length;
		return {
			items: all.slice(start, end),
			has_more: more,
			...(more ? { page_token: Buffer.from(`offset:${end}`).toString('base64url') } : {}),
			total: all.length,
		};
	}
}
