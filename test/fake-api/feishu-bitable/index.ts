/**
 * The fake Feishu Bitable (多维表格) platform: bases, tables, views, fields and records with the
 * documented value shapes and checks of record writes, record search (filter, sort, paging), drive
 * media upload and download for attachments, and the wiki node lookup that yields a base's app_token.
 * Sources: docs/research/feishu-bitable.md (the bitable-v1, drive-v1 media and wiki-v2 pages).
 *
 * This file holds the routes' handlers; the layers below it hold the state and seed (store.ts), the cell
 * values (cells.ts), search (search.ts) and writes (writes.ts), each class extending the one before.
 */

import type { Handler } from '../server';
import {
	BitableField,
	BitableView,
	MAX_MEDIA,
	alnum,
	ok,
	fail,
	isAnswer,
	isObject,
	adler32,
	MIME_BY_EXTENSION,
	FieldDefinition,
} from './model';
import { BitableWrites } from './writes';

export class FeishuBitable extends BitableWrites {
	handlers(): Record<string, Handler> {
		const idTypeOf = (v: unknown) => (typeof v === 'string' ? v : 'open_id');
		return {
			'feishu.bitableRecord.search': ({ params, query, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				const idType = idTypeOf(query.user_id_type);
				const size = query.page_size === undefined ? 20 : Number(query.page_size);
				if (size < 1 || size > 500) return fail(1254011, 'Page size must greater than 0.', 400);
				if (body.view_id !== undefined && !table.views.some((v) => v.view_id === body.view_id))
					return fail(1254042, 'ViewIdNotFound');
				const names = body.field_names as string[] | undefined;
				if (names && !names.every((n) => this.byName(table, n)))
					return fail(1254045, 'FieldNameNotFound');
				let all = [...table.records.values()];
				if (body.filter !== undefined) {
					const test = this.filter(table, body.filter as Record<string, unknown>, idType);
					if (isAnswer(test)) return test;
					all = all.filter(test);
				}
				const sort =
					(body.sort as Array<{ field_name?: string; desc?: boolean }> | undefined) ?? [];
				if (sort.length > 100) return fail(1254016, 'InvalidSort');
				if (JSON.stringify(sort).length > 1000)
					return fail(1254108, 'Sort长度超限, 限制1,000个字符');
				const keys: Array<{ field: BitableField; desc: boolean }> = [];
				for (const s of sort) {
					if (typeof s.field_name !== 'string') return fail(1254016, 'InvalidSort');
					const field = this.byName(table, s.field_name);
					if (!field) return fail(1254045, 'FieldNameNotFound');
					keys.push({ field, desc: s.desc === true });
				}
				if (keys.length > 0) {
					all = all
						.map((r, i) => ({ r, i }))
						.sort((a, b) => {
							for (const { field, desc } of keys) {
								const x = this.sortKey(table, field, a.r);
								const y = this.sortKey(table, field, b.r);
								if (x === y) continue;
								if (x === undefined) return 1; // empty cells last
								if (y === undefined) return -1;
								const order =
									typeof x === 'number' && typeof y === 'number'
										? x - y
										: String(x).localeCompare(String(y));
								if (order !== 0) return desc ? -order : order;
							}
							return a.i - b.i;
						})
						.map(({ r }) => r);
				}
				const p = this.page(all, query, 20, 500);
				if (isAnswer(p)) return p;
				const fieldNames = names ? new Set(names) : undefined;
				return ok({
					...p,
					items: p.items.map((r) =>
						this.readRecord(table, r, {
							idType,
							fieldNames,
							automatic: body.automatic_fields === true,
						}),
					),
				});
			},
			'feishu.bitableRecord.batchGet': ({ params, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				const ids = body.record_ids as string[];
				if (ids.length > 100) {
					this.fake.violations.push(
						`feishu.bitableRecord.batchGet: at most 100 record_ids per call, got ${ids.length}`,
					);
					return fail(1254001, 'WrongRequestBody');
				}
				const idType = idTypeOf(body.user_id_type);
				const records = ids
					.filter((id) => table.records.has(id))
					.map((id) =>
						this.readRecord(table, table.records.get(id)!, {
							idType,
							automatic: body.automatic_fields === true,
							sharedUrl: body.with_shared_url === true,
						}),
					);
				return ok({
					records,
					forbidden_record_ids: [],
					absent_record_ids: ids.filter((id) => !table.records.has(id)),
				});
			},
			'feishu.bitableRecord.create': (request) =>
				this.write('feishu.bitableRecord.create', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const created = this.createRecords(base, table, [request.body.fields], idType);
					if (isAnswer(created)) return created;
					return ok({ record: this.readRecord(table, created[0], { idType }) });
				}),
			'feishu.bitableRecord.batchCreate': (request) =>
				this.write('feishu.bitableRecord.batchCreate', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const created = this.createRecords(
						base,
						table,
						(request.body.records as Array<{ fields: unknown }>).map((r) => r.fields),
						idType,
					);
					if (isAnswer(created)) return created;
					return ok({ records: created.map((r) => this.readRecord(table, r, { idType })) });
				}),
			'feishu.bitableRecord.update': (request) =>
				this.write('feishu.bitableRecord.update', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const updated = this.updateRecords(
						base,
						table,
						[{ record_id: request.params.record_id, fields: request.body.fields }],
						idType,
					);
					if (isAnswer(updated)) return updated;
					return ok({ record: this.readRecord(table, updated[0], { idType }) });
				}),
			'feishu.bitableRecord.batchUpdate': (request) =>
				this.write('feishu.bitableRecord.batchUpdate', request, (base, table) => {
					const idType = idTypeOf(request.query.user_id_type);
					const updated = this.updateRecords(
						base,
						table,
						request.body.records as Array<{ record_id: unknown; fields: unknown }>,
						idType,
					);
					if (isAnswer(updated)) return updated;
					return ok({ records: updated.map((r) => this.readRecord(table, r, { idType })) });
				}),
			'feishu.bitableRecord.delete': (request) =>
				this.write('feishu.bitableRecord.delete', request, (base, table) => {
					const bad = this.deleteRecords(base, table, [request.params.record_id]);
					return bad ?? ok({ deleted: true, record_id: request.params.record_id });
				}),
			'feishu.bitableRecord.batchDelete': (request) =>
				this.write('feishu.bitableRecord.batchDelete', request, (base, table) => {
					const ids = request.body.records as string[];
					const bad = this.deleteRecords(base, table, ids);
					return bad ?? ok({ records: ids.map((id) => ({ deleted: true, record_id: id })) });
				}),
			'feishu.bitableTable.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const p = this.page(
					[...found.base.tables.values()].map((t) => ({
						table_id: t.table_id,
						revision: t.revision,
						name: t.name,
					})),
					query,
					20,
					100,
				);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableTable.create': ({ params, body }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const { base } = found;
				const t = body.table as {
					name: string;
					default_view_name?: string;
					fields?: FieldDefinition[];
				};
				const name = t.name.trim();
				if ([...base.tables.values()].some((x) => x.name === name))
					return fail(1254013, 'TableNameDuplicated');
				// "数据表与仪表盘的总数量上限为 100".
				if (base.tables.size >= 100) return fail(1254100, 'TableExceedLimit');
				if (t.default_view_name !== undefined && t.default_view_name.trim() === '')
					return fail(1254021, 'EmptyViewName');
				const definitions =
					t.fields && t.fields.length > 0 ? t.fields : [{ field_name: 'Text', type: 1 }];
				const taken = new Set<string>();
				for (const d of definitions) {
					const bad = this.checkDefinition(base, d, taken);
					if (bad) return bad;
					taken.add(d.field_name.trim());
				}
				const view: BitableView = {
					view_id: `vew${alnum(7)}`,
					view_name: t.default_view_name ?? 'Grid',
					view_type: 'grid',
				};
				const table = this.addTable(
					base.app_token,
					name,
					definitions.map(({ field_name, type, ui_type, property, description }) => ({
						field_name,
						type,
						ui_type,
						property,
						description,
					})),
					{ views: [view] },
				);
				return ok({
					table_id: table.table_id,
					default_view_id: view.view_id,
					field_id_list: table.fields.map((f) => f.field_id),
				});
			},
			'feishu.bitableTable.delete': ({ params }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				if (found.base.tables.size <= 1) return fail(1254034, 'The last table cannot be deleted.');
				found.base.tables.delete(params.table_id);
				return ok({});
			},
			'feishu.bitableView.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const views = found.table!.views.map((v) => ({
					view_id: v.view_id,
					view_name: v.view_name,
					view_type: v.view_type,
					view_public_level: 'Public',
				}));
				const p = this.page(views, query, 20, 100);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableField.list': ({ params, query }) => {
				const found = this.locate(params);
				if (isAnswer(found)) return found;
				const table = found.table!;
				if (query.view_id !== undefined && !table.views.some((v) => v.view_id === query.view_id))
					return fail(1254042, 'ViewIdNotFound');
				const p = this.page(
					table.fields.map((f) => this.fieldItem(f)),
					query,
					20,
					100,
				);
				return isAnswer(p) ? p : ok(p);
			},
			'feishu.bitableField.create': (request) =>
				this.write('feishu.bitableField.create', request, (base, table) => {
					const d = request.body as unknown as FieldDefinition;
					const bad = this.checkDefinition(base, d, new Set(table.fields.map((f) => f.field_name)));
					if (bad) return bad;
					const field = this.newField(table, d, false);
					table.fields.push(field);
					return ok({ field: this.fieldItem(field) });
				}),
			'feishu.bitableMedia.upload': ({ body }) => {
				const file = body.file as { filename?: string; contentType?: string; bytes: Buffer };
				const fileName = String(body.file_name);
				const size = Number(body.size);
				if (fileName.length > 250) return fail(1061002, 'params error.');
				if (size > MAX_MEDIA) return fail(1061043, 'file size beyond limit.');
				if (size !== file.bytes.length) return fail(1062009, 'size mismatch.');
				if (body.checksum !== undefined && String(body.checksum) !== String(adler32(file.bytes)))
					return fail(1062008, 'checksum invalid.');
				if (body.extra !== undefined) {
					try {
						if (!isObject(JSON.parse(String(body.extra)))) return fail(1061002, 'params error.');
					} catch {
						return fail(1061002, 'params error.');
					}
				}
				const parentType = String(body.parent_type);
				if (parentType !== 'ccm_import_open' && !body.parent_node) {
					this.fake.violations.push(`medias/upload_all: parent_node is required for ${parentType}`);
					return fail(1061002, 'params error.', 400);
				}
				const parentNode = String(body.parent_node ?? '');
				if (parentType === 'docx_image' || parentType === 'docx_file') {
					const refused = this.fake.docx.checkMedia(parentType, parentNode, body.extra);
					if (refused) return refused;
				}
				if (parentType.startsWith('bitable_')) {
					// "传入多维表格的唯一标识 app_token".
					const base = this.bases.get(parentNode);
					if (!base) return fail(1061044, 'parent node not exist.');
					if (!base.collaborator) return fail(1061004, 'forbidden.', 403);
				}
				const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
				const partType =
					file.contentType && file.contentType !== 'application/octet-stream'
						? file.contentType
						: undefined;
				const token = `box${alnum(24)}`;
				this.media.set(token, {
					bytes: file.bytes,
					fileName,
					mimeType: partType ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
					appToken: parentNode,
					parentType,
				});
				return ok({ file_token: token });
			},
			'feishu.bitableMedia.download': ({ params, query }) => {
				const media = this.media.get(params.file_token);
				// Not documented in the research file: an unknown token answers 404 (not a 200 that a client would save as the file).
				if (!media) return fail(1061003, 'not found.', 404);
				if (this.bases.get(media.appToken)?.collaborator === false)
					return fail(1061004, 'forbidden.', 403);
				if (query.extra !== undefined) {
					try {
						JSON.parse(query.extra);
					} catch {
						return fail(1061002, 'params error.', 400);
					}
				}
				const ascii = /^[\x20-\x7e]*$/.test(media.fileName) && !media.fileName.includes('"');
				const disposition = ascii
					? `attachment; filename="${media.fileName}"`
					: `attachment; filename="${encodeURIComponent(media.fileName)}"; filename*=UTF-8''${encodeURIComponent(media.fileName)}`;
				return {
					status: 200,
					bytes: media.bytes,
					headers: { 'Content-Type': media.mimeType, 'Content-Disposition': disposition },
					body: undefined,
				};
			},
			'feishu.wiki.getNode': ({ query }) => {
				const objType = query.obj_type ?? 'wiki';
				const node =
					objType === 'wiki'
						? this.wikiNodes.get(query.token)
						: [...this.wikiNodes.values()].find(
								(n) => n.obj_token === query.token && n.obj_type === objType,
							);
				if (!node) return fail(131005, 'not found');
				return ok({
					node: {
						space_id: node.space_id,
						node_token: node.node_token,
						obj_token: node.obj_token,
						obj_type: node.obj_type,
						parent_node_token: node.parent_node_token ?? '',
						node_type: node.node_type ?? 'origin',
						origin_node_token: node.origin_node_token ?? node.node_token,
						origin_space_id: node.space_id,
						has_child: [...this.wikiNodes.values()].some(
							(n) => n.parent_node_token === node.node_token,
						),
						title: node.title,
						obj_create_time: '1735693200',
						obj_edit_time: '1735693200',
						node_create_time: '1735693200',
						creator: 'ou_1',
						owner: 'ou_1',
						node_creator: 'ou_1',
					},
				});
			},
		};
	}
}

export type {
	BitableBase,
	BitableField,
	BitableMedia,
	BitableRecord,
	BitableTable,
	BitableView,
	FieldDefinition,
} from './model';
export {
	BENCH_BASE,
	BENCH_TABLE,
	NO_ACCESS_BASE,
	PEOPLE_TABLE,
	SANDBOX_BASE,
	TASKS_TABLE,
	WIKI_BASE_NODE,
	WIKI_DOC_NODE,
} from './model';
export { BITABLE_ROUTES } from './routes';
