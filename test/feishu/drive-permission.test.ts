/**
 * Feishu Drive permissions (权限) through n8n's engine against the fake: collaborators added, listed and
 * removed, the public link settings, and the owner transferred; the documented query and body of each page.
 */
import type { IDataObject } from 'n8n-workflow';

import { DRIVE_DOC, DRIVE_REPORTS, DRIVE_SHEET } from '../fake-api/feishu-drive';
import { WIKI_DOC_NODE } from '../fake-api/feishu-bitable/model';
import { feishu, useFakeApi } from '../helpers';

const env = useFakeApi();
const docLink = { __rl: true, mode: 'url', value: `https://sandbox.feishu.cn/docx/${DRIVE_DOC}` };
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Feishu › Drive Permission', () => {
	it('adds a collaborator to a document given by its link; a lower permission than one held is 1063003', async () => {
		const run = await env.bench.run(
			feishu('drivePermission', 'add', {
				file: docLink,
				memberType: 'email',
				memberId: 'liu.yang@example.com',
				perm: 'edit',
			}),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.drivePermission.add');
		expect(call.path).toBe(`/open-apis/drive/v1/permissions/${DRIVE_DOC}/members`);
		expect(call.query).toEqual({ type: 'docx' });
		expect(call.body).toEqual({
			member_type: 'email',
			member_id: 'liu.yang@example.com',
			perm: 'edit',
			type: 'user',
		});
		expect(run.json).toEqual([
			{ member_type: 'email', member_id: 'liu.yang@example.com', perm: 'edit', type: 'user' },
		]);
		const lower = await env.bench.run(
			feishu('drivePermission', 'add', {
				file: docLink,
				memberType: 'email',
				memberId: 'liu.yang@example.com',
				perm: 'view',
			}),
		);
		expect(lower.error?.message).toBe('Feishu error 1063003: Invalid operation');
		expect(lower.error?.description).toMatch(/already has a higher permission/);
	});

	it('a wiki link is the wiki page itself (type wiki, its scope); a group chat goes as a chat; a department needs the user', async () => {
		const run = await env.bench.run(
			feishu('drivePermission', 'add', {
				file: { __rl: true, mode: 'url', value: `https://sandbox.feishu.cn/wiki/${WIKI_DOC_NODE}` },
				memberType: 'openchat',
				memberId: 'oc_sandbox_general',
				perm: 'view',
				options: { permType: 'single_page', notify: true },
			}),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.drivePermission.add');
		expect(call.path).toBe(`/open-apis/drive/v1/permissions/${WIKI_DOC_NODE}/members`);
		expect(call.query).toEqual({ type: 'wiki', need_notification: 'true' });
		expect(call.body).toMatchObject({
			member_type: 'openchat',
			type: 'chat',
			perm_type: 'single_page',
		});
		expect(env.fake.calls('feishu.wiki.getNode')).toHaveLength(0);

		const department = await env.bench.run(
			feishu('drivePermission', 'add', {
				file: docLink,
				memberType: 'opendepartmentid',
				memberId: 'od-1',
			}),
		);
		expect(department.error?.message).toMatch(
			/Invalid "Member Type" \(memberType\) in item 0: a department can be added only as the connected user/,
		);
		expect(env.fake.calls('feishu.drivePermission.add')).toHaveLength(1);
	});

	it('lists collaborators with the details asked for, and removes one (type and member type in the query)', async () => {
		for (const memberId of ['ou_2', 'ou_3'])
			await env.bench.run(
				feishu('drivePermission', 'add', { file: docLink, memberId, perm: 'view' }),
			);
		const list = await env.bench.run(
			feishu('drivePermission', 'getAll', { file: docLink, fields: ['name', 'type'] }),
		);
		expect(env.fake.calls('feishu.drivePermission.getAll')[0].query).toEqual({
			type: 'docx',
			fields: 'name,type',
		});
		expect(list.json).toEqual([
			{ member_type: 'openid', member_id: 'ou_2', perm: 'view', type: 'user', name: 'Liu Yang' },
			{ member_type: 'openid', member_id: 'ou_3', perm: 'view', type: 'user', name: 'Chen Jing' },
		]);
		const removed = await env.bench.run(
			feishu('drivePermission', 'remove', { file: docLink, memberId: 'ou_2' }),
		);
		const [call] = env.fake.calls('feishu.drivePermission.remove');
		expect(call.path).toBe(`/open-apis/drive/v1/permissions/${DRIVE_DOC}/members/ou_2`);
		expect(call.query).toEqual({ type: 'docx', member_type: 'openid' });
		expect(call.headers['content-type']).toMatch(/^application\/json/);
		expect(removed.json).toEqual([
			{ token: DRIVE_DOC, type: 'docx', memberType: 'openid', memberId: 'ou_2', removed: true },
		]);
		expect(env.fake.drive.permissions.get(DRIVE_DOC)?.members.map((m) => m.member_id)).toEqual([
			'ou_3',
		]);
		const again = await env.bench.run(
			feishu('drivePermission', 'remove', { file: docLink, memberId: 'ou_2' }),
		);
		expect(again.error?.message).toBe('Feishu error 1063001: Invalid parameter');
	});

	it('a member ID cannot change the path; a folder has no collaborator list (bad input)', async () => {
		const run = await env.bench.run(
			feishu('drivePermission', 'remove', { file: docLink, memberId: '={{ "ou_1/../x" }}' }),
		);
		expect(run.error?.message).toMatch(/\(memberId\) in item 0: must not contain "\/"/);
		const folder = await env.bench.run(
			feishu('drivePermission', 'getAll', {
				file: {
					__rl: true,
					mode: 'url',
					value: `https://sandbox.feishu.cn/drive/folder/${DRIVE_REPORTS}`,
				},
			}),
		);
		expect(folder.error?.message).toMatch(/names a Folder; this operation takes/);
		expect(
			env.fake.requests.filter((r) => r.key.startsWith('feishu.drivePermission')),
		).toHaveLength(0);
	});

	it('updates only the settings given; sharing with anyone needs external access open', async () => {
		const run = await env.bench.run(
			feishu('drivePermission', 'update', {
				file: byId(DRIVE_SHEET),
				fileType: 'sheet',
				settings: { link_share_entity: 'anyone_readable', external_access_entity: 'open' },
			}),
		);
		expect(run.error?.message).toBeUndefined();
		const [call] = env.fake.calls('feishu.drivePermission.update');
		expect(call.method).toBe('PATCH');
		expect(call.path).toBe(`/open-apis/drive/v2/permissions/${DRIVE_SHEET}/public`);
		expect(call.query).toEqual({ type: 'sheet' });
		expect(call.body).toEqual({
			link_share_entity: 'anyone_readable',
			external_access_entity: 'open',
		});
		expect(run.json[0]).toMatchObject({
			link_share_entity: 'anyone_readable',
			external_access_entity: 'open',
			comment_entity: 'anyone_can_view',
		});
		const bad = await env.bench.run(
			feishu('drivePermission', 'update', {
				file: docLink,
				settings: { link_share_entity: 'anyone_editable', external_access_entity: 'closed' },
			}),
		);
		expect(bad.error?.message).toMatch(
			/\(settings\) in item 0: link sharing with anyone needs External Access open/,
		);
		const none = await env.bench.run(feishu('drivePermission', 'update', { file: docLink }));
		expect(none.error?.message).toMatch(/\(settings\) in item 0: add at least one setting/);
		// Without External Access in the request, Feishu checks the document's current setting.
		const refused = await env.bench.run(
			feishu('drivePermission', 'update', {
				file: docLink,
				settings: { link_share_entity: 'anyone_editable' },
			}),
		);
		expect(refused.error?.message).toBe('Feishu error 1063003: Invalid operation');
	});

	it('transfers the owner: the old owner keeps what is asked, or nothing', async () => {
		const run = await env.bench.run(
			feishu('drivePermission', 'transferOwner', {
				file: docLink,
				memberId: 'ou_2',
				oldOwnerPerm: 'edit',
			}),
		);
		expect(run.error).toBeUndefined();
		const [call] = env.fake.calls('feishu.drivePermission.transferOwner');
		expect(call.query).toEqual({
			type: 'docx',
			need_notification: 'true',
			remove_old_owner: 'false',
			stay_put: 'false',
			old_owner_perm: 'edit',
		});
		expect(call.body).toEqual({ member_type: 'openid', member_id: 'ou_2' });
		expect(env.fake.drive.permissions.get(DRIVE_DOC)).toMatchObject({
			owner: 'ou_2',
			members: [{ member_id: 'ou_1', perm: 'edit' }],
		});
		const back = await env.bench.run(
			feishu('drivePermission', 'transferOwner', {
				file: docLink,
				memberId: 'ou_1',
				oldOwnerPerm: 'remove',
				options: { notify: false },
			}),
		);
		expect(env.fake.calls('feishu.drivePermission.transferOwner')[1].query).toEqual({
			type: 'docx',
			need_notification: 'false',
			remove_old_owner: 'true',
			stay_put: 'false',
		});
		expect(back.error).toBeUndefined();
		const same = await env.bench.run(
			feishu('drivePermission', 'transferOwner', { file: docLink, memberId: 'ou_1' }),
		);
		expect((same.error as IDataObject | undefined)?.message).toBe(
			'Feishu error 1063003: Invalid operation',
		);
	});
});
