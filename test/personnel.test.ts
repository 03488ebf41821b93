import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auditLogs } from '../src/kernel/audit.table.js';
import {
  personnel,
  personnelRegisters,
  personnelStatusHistory,
} from '../src/modules/personnel/personnel.table.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';
import { addPerson, makeRegister, makeRegisterUser } from './helpers/personnel.js';

let app: App;
let w: Awaited<ReturnType<typeof makeWorld>>;
let faculty: { token: string };
let reg: { id: string; short_code: string };
let other: { id: string };
let foreign: { id: string };
let staff: { token: string };

before(async () => {
  app = await buildTestApp();
  w = await makeWorld(app, 'office');
  faculty = await makeUser(app, w.org, 'faculty');
  reg = await makeRegister(app, w.admin.token, w.org.id);
  other = await makeRegister(app, w.admin.token, w.org.id);
  foreign = await makeRegister(app, w.otherAdmin.token, w.otherOrg.id);
  staff = await makeRegisterUser(app, w.org, 'staff', [reg.id]);
});
after(() => app.close());

describe('registers', () => {
  test('admin creates, lists with search, gets, renames; short codes are unique per organization', async () => {
    const code = uniq('HQ').toUpperCase();
    const res = await call(app, 'POST', '/api/v1/registers', {
      token: w.admin.token,
      body: { name: 'Headquarters Company', short_code: code.toLowerCase(), organization_id: w.org.id },
    });
    expectStatus(res, 201);
    assert.equal(res.data.data.short_code, code);
    assert.equal(res.data.data.personnel_count, 0);
    const dup = await call(app, 'POST', '/api/v1/registers', {
      token: w.admin.token,
      body: { name: 'Again', short_code: code, organization_id: w.org.id },
    });
    expectError(dup, 409, 'conflict');
    const list = await call(app, 'GET', '/api/v1/registers', {
      token: w.admin.token,
      query: { search: code, limit: 5 },
    });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((r: { id: string }) => r.id),
      [res.data.data.id],
    );
    assert.equal(list.data.meta.page_size, 5);
    const byName = await call(app, 'GET', '/api/v1/registers', {
      token: w.admin.token,
      query: { search: 'headquarters' },
    });
    assert.ok(byName.data.data.some((r: { id: string }) => r.id === res.data.data.id));
    const got = await call(app, 'GET', `/api/v1/registers/${res.data.data.id}`, { token: w.admin.token });
    expectStatus(got, 200);
    const renamed = await call(app, 'PATCH', `/api/v1/registers/${res.data.data.id}`, {
      token: w.admin.token,
      body: { name: 'HQ Company' },
    });
    expectStatus(renamed, 200);
    assert.equal(renamed.data.data.name, 'HQ Company');
  });

  test('a register user sees only allowed registers; others answer 404', async () => {
    const list = await call(app, 'GET', '/api/v1/registers', { token: staff.token });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((r: { id: string }) => r.id),
      [reg.id],
    );
    expectError(
      await call(app, 'GET', `/api/v1/registers/${other.id}`, { token: staff.token }),
      404,
      'not_found',
    );
    expectError(
      await call(app, 'GET', `/api/v1/registers/${foreign.id}`, { token: w.admin.token }),
      404,
      'not_found',
    );
  });

  test('400, 401, 403 and 404 on register writes', async () => {
    expectError(
      await call(app, 'POST', '/api/v1/registers', { token: w.admin.token, body: { name: 'x' } }),
      400,
      'validation_failed',
    );
    expectError(await call(app, 'POST', '/api/v1/registers', { body: { name: 'x', short_code: 'X' } }), 401);
    expectError(
      await call(app, 'POST', '/api/v1/registers', {
        token: staff.token,
        body: { name: 'x', short_code: 'X' },
      }),
      403,
      'forbidden',
    );
    expectError(await call(app, 'GET', '/api/v1/registers', { token: faculty.token }), 403, 'forbidden');
    expectError(await call(app, 'GET', '/api/v1/registers', {}), 401);
    expectError(
      await call(app, 'GET', '/api/v1/registers', { token: w.admin.token, query: { page: 0 } }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/registers/not-a-uuid', { token: w.admin.token }), 400);
    expectError(
      await call(app, 'PATCH', `/api/v1/registers/${reg.id}`, { token: w.admin.token, body: {} }),
      400,
    );
    expectError(
      await call(app, 'PATCH', `/api/v1/registers/${reg.id}`, { token: staff.token, body: { name: 'n' } }),
      403,
    );
    expectError(
      await call(app, 'PATCH', `/api/v1/registers/${foreign.id}`, {
        token: w.admin.token,
        body: { name: 'n' },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', '/api/v1/registers', {
        token: w.admin.token,
        body: { name: 'x', short_code: 'X1', organization_id: w.otherOrg.id },
      }),
      404,
    );
    expectError(await call(app, 'DELETE', `/api/v1/registers/${foreign.id}`, { token: w.admin.token }), 404);
    expectError(await call(app, 'DELETE', `/api/v1/registers/${reg.id}`, { token: staff.token }), 403);
    expectError(await call(app, 'DELETE', `/api/v1/registers/${reg.id}`, {}), 401);
    expectError(
      await call(app, 'DELETE', `/api/v1/registers/${reg.id}`, {
        token: w.admin.token,
        query: { confirm: 'maybe' },
      }),
      400,
    );
  });

  test('deleting a register that has personnel needs confirm=true and removes them', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const p = await addPerson(app, w.admin.token, r.id);
    expectError(
      await call(app, 'DELETE', `/api/v1/registers/${r.id}`, { token: w.admin.token }),
      409,
      'register_not_empty',
    );
    const ok = await call(app, 'DELETE', `/api/v1/registers/${r.id}`, {
      token: w.admin.token,
      query: { confirm: true },
    });
    expectStatus(ok, 200);
    assert.equal(ok.data.data.personnel_deleted, 1);
    assert.equal((await app.deps.db.select().from(personnel).where(eq(personnel.id, p.id))).length, 0);
    const empty = await makeRegister(app, w.admin.token, w.org.id);
    expectStatus(await call(app, 'DELETE', `/api/v1/registers/${empty.id}`, { token: w.admin.token }), 200);
  });
});

describe('personnel', () => {
  test('create, get, list by register, patch with status history, soft delete', async () => {
    const p = await addPerson(app, staff.token, reg.id, {
      first_name: 'Abena',
      middle_name: 'Serwaa',
      rank: 'Corporal',
    });
    assert.equal(p.status, 'active');
    expectStatus(await call(app, 'GET', `/api/v1/personnel/${p.id}`, { token: staff.token }), 200);
    const patched = await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, {
      token: staff.token,
      body: { status: 'awol', status_reason: 'missed muster', unit: 'C Company' },
    });
    expectStatus(patched, 200);
    assert.equal(patched.data.data.status, 'awol');
    const hist = await call(app, 'GET', `/api/v1/personnel/${p.id}/status-history`, { token: staff.token });
    expectStatus(hist, 200);
    assert.deepEqual(
      hist.data.data.map((h: { from_status: string | null; to_status: string }) => [
        h.from_status,
        h.to_status,
      ]),
      [
        ['active', 'awol'],
        [null, 'active'],
      ],
    );
    assert.equal(hist.data.data[0].reason, 'missed muster');
    // A change that keeps the status writes no history row.
    await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, { token: staff.token, body: { remarks: 'noted' } });
    const rows = await app.deps.db
      .select()
      .from(personnelStatusHistory)
      .where(eq(personnelStatusHistory.personnelId, p.id));
    assert.equal(rows.length, 2);
    const list = await call(app, 'GET', '/api/v1/personnel', {
      token: staff.token,
      query: { register_id: reg.id, search: 'serwaa' },
    });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((x: { id: string }) => x.id),
      [p.id],
    );
    expectStatus(await call(app, 'DELETE', `/api/v1/personnel/${p.id}`, { token: staff.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/personnel/${p.id}`, { token: staff.token }), 404);
    const audits = await app.deps.db.select().from(auditLogs).where(eq(auditLogs.entityId, p.id));
    assert.deepEqual(audits.map((a) => a.action).sort(), ['create', 'delete', 'update', 'update']);
  });

  test('service numbers are unique per register (409), reusable in another register', async () => {
    const sn = uniq('SN');
    await addPerson(app, w.admin.token, reg.id, { service_number: sn });
    const dup = await call(app, 'POST', '/api/v1/personnel', {
      token: w.admin.token,
      body: { register_id: reg.id, service_number: sn, first_name: 'A', last_name: 'B' },
    });
    expectError(dup, 409, 'conflict');
    await addPerson(app, w.admin.token, other.id, { service_number: sn });
  });

  test('register list: filter by status, search by name or service number prefix, limit', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const a = await addPerson(app, w.admin.token, r.id, {
      first_name: 'Yaw',
      last_name: 'Boateng',
      service_number: 'GA-1001',
    });
    await addPerson(app, w.admin.token, r.id, {
      first_name: 'Esi',
      last_name: 'Owusu',
      service_number: 'GA-2002',
      status: 'posted',
    });
    await addPerson(app, w.admin.token, r.id, {
      first_name: 'Kofi',
      last_name: 'Boateng',
      service_number: 'GA-3003',
      status: 'cse',
    });
    const q = (query: Record<string, string | number>) =>
      call(app, 'GET', `/api/v1/personnel/register/${r.id}`, { token: w.admin.token, query });
    assert.equal((await q({ filter: 'all' })).data.meta.total, 3);
    assert.deepEqual(
      (await q({ filter: 'posted' })).data.data.map((x: { first_name: string }) => x.first_name),
      ['Esi'],
    );
    assert.equal((await q({ filter: 'awol' })).data.meta.total, 0);
    assert.equal((await q({ search: 'boateng' })).data.meta.total, 2);
    assert.deepEqual(
      (await q({ search: 'GA-10' })).data.data.map((x: { id: string }) => x.id),
      [a.id],
    );
    const paged = await q({ limit: 2, page: 2 });
    assert.equal(paged.data.data.length, 1);
    assert.equal(paged.data.meta.page_count, 2);
    expectError(await q({ filter: 'retired' }), 400, 'validation_failed');
  });

  test('bulk delete: one statement, only ids in scope, reports the count', async () => {
    const mine = await Promise.all([1, 2, 3].map(() => addPerson(app, staff.token, reg.id)));
    const notMine = await addPerson(app, w.admin.token, other.id);
    const res = await call(app, 'DELETE', '/api/v1/personnel/bulk-delete', {
      token: staff.token,
      body: { ids: [...mine.map((m) => m.id), notMine.id] },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.requested, 4);
    assert.equal(res.data.data.deleted, 3);
    assert.deepEqual(res.data.data.deleted_ids.sort(), mine.map((m) => m.id).sort());
    expectStatus(await call(app, 'GET', `/api/v1/personnel/${notMine.id}`, { token: w.admin.token }), 200);
    const again = await call(app, 'DELETE', '/api/v1/personnel/bulk-delete', {
      token: staff.token,
      body: { ids: [mine[0].id] },
    });
    assert.equal(again.data.data.deleted, 0);
    expectError(
      await call(app, 'DELETE', '/api/v1/personnel/bulk-delete', { token: staff.token, body: { ids: [] } }),
      400,
    );
    expectError(
      await call(app, 'DELETE', '/api/v1/personnel/bulk-delete', { body: { ids: [mine[0].id] } }),
      401,
    );
    expectError(
      await call(app, 'DELETE', '/api/v1/personnel/bulk-delete', {
        token: faculty.token,
        body: { ids: [mine[0].id] },
      }),
      403,
    );
  });

  test('400, 401, 403 and out-of-scope 404 on every personnel endpoint', async () => {
    const p = await addPerson(app, w.admin.token, other.id);
    const f = await addPerson(app, w.otherAdmin.token, foreign.id);
    const body = { register_id: other.id, service_number: uniq('S'), first_name: 'A', last_name: 'B' };
    expectError(await call(app, 'POST', '/api/v1/personnel', { token: staff.token, body }), 404);
    expectError(
      await call(app, 'POST', '/api/v1/personnel', {
        token: w.admin.token,
        body: { ...body, register_id: foreign.id },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', '/api/v1/personnel', { token: staff.token, body: { ...body, status: 'gone' } }),
      400,
    );
    expectError(await call(app, 'POST', '/api/v1/personnel', { body }), 401);
    expectError(await call(app, 'POST', '/api/v1/personnel', { token: faculty.token, body }), 403);
    for (const url of [`/api/v1/personnel/${p.id}`, `/api/v1/personnel/${p.id}/status-history`]) {
      expectError(await call(app, 'GET', url, { token: staff.token }), 404);
      expectError(await call(app, 'GET', url, {}), 401);
      expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
    }
    expectError(await call(app, 'GET', `/api/v1/personnel/${f.id}`, { token: w.admin.token }), 404);
    expectError(await call(app, 'GET', '/api/v1/personnel/x', { token: staff.token }), 400);
    expectError(
      await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, { token: staff.token, body: { rank: 'x' } }),
      404,
    );
    expectError(
      await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, { token: w.admin.token, body: { bogus: 1 } }),
      400,
    );
    expectError(await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, { body: { rank: 'x' } }), 401);
    expectError(
      await call(app, 'PATCH', `/api/v1/personnel/${p.id}`, { token: faculty.token, body: { rank: 'x' } }),
      403,
    );
    expectError(await call(app, 'DELETE', `/api/v1/personnel/${p.id}`, { token: staff.token }), 404);
    expectError(await call(app, 'DELETE', '/api/v1/personnel/x', { token: staff.token }), 400);
    expectError(await call(app, 'DELETE', `/api/v1/personnel/${p.id}`, {}), 401);
    expectError(await call(app, 'DELETE', `/api/v1/personnel/${p.id}`, { token: faculty.token }), 403);
    expectError(
      await call(app, 'GET', `/api/v1/personnel/register/${other.id}`, { token: staff.token }),
      404,
    );
    expectError(
      await call(app, 'GET', `/api/v1/personnel/register/${foreign.id}`, { token: w.admin.token }),
      404,
    );
    expectError(
      await call(app, 'GET', '/api/v1/personnel', { token: staff.token, query: { register_id: other.id } }),
      404,
    );
    expectError(
      await call(app, 'GET', '/api/v1/personnel', { token: staff.token, query: { page_size: 1000 } }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/personnel', {}), 401);
    expectError(await call(app, 'GET', '/api/v1/personnel', { token: faculty.token }), 403);
    const all = await call(app, 'GET', '/api/v1/personnel', {
      token: staff.token,
      query: { page_size: 100 },
    });
    expectStatus(all, 200);
    assert.ok(all.data.data.every((x: { register_id: string }) => x.register_id === reg.id));
  });
});

describe('analytics', () => {
  /**
   * A hand-built history over January–March 2025 (see docs/personnel.md):
   * P1 active 01-10 → awol 02-15 → active 03-05; P2 active 01-20 → death 03-10; P3 active 02-05 → posted
   * 02-20; P4 active 02-10, deleted 03-12; P5 active 03-01; P6 active 04-02 (after the window).
   */
  test('month-over-month figures come from the status history and deletions', async () => {
    const world = await makeWorld(app, 'office');
    const r = await makeRegister(app, world.admin.token, world.org.id);
    const db = app.deps.db;
    await db
      .update(personnelRegisters)
      .set({ createdAt: new Date('2025-01-01T00:00:00Z') })
      .where(eq(personnelRegisters.id, r.id));
    const t = (d: string) => new Date(`${d}T12:00:00Z`);
    const people: Array<{
      key: string;
      status: 'active' | 'death' | 'posted';
      created: string;
      deleted?: string;
      steps: Array<[string | null, string, string]>;
    }> = [
      {
        key: 'P1',
        status: 'active',
        created: '2025-01-10',
        steps: [
          [null, 'active', '2025-01-10'],
          ['active', 'awol', '2025-02-15'],
          ['awol', 'active', '2025-03-05'],
        ],
      },
      {
        key: 'P2',
        status: 'death',
        created: '2025-01-20',
        steps: [
          [null, 'active', '2025-01-20'],
          ['active', 'death', '2025-03-10'],
        ],
      },
      {
        key: 'P3',
        status: 'posted',
        created: '2025-02-05',
        steps: [
          [null, 'active', '2025-02-05'],
          ['active', 'posted', '2025-02-20'],
        ],
      },
      {
        key: 'P4',
        status: 'active',
        created: '2025-02-10',
        deleted: '2025-03-12',
        steps: [[null, 'active', '2025-02-10']],
      },
      { key: 'P5', status: 'active', created: '2025-03-01', steps: [[null, 'active', '2025-03-01']] },
      { key: 'P6', status: 'active', created: '2025-04-02', steps: [[null, 'active', '2025-04-02']] },
    ];
    for (const p of people) {
      const [row] = await db
        .insert(personnel)
        .values({
          registerId: r.id,
          serviceNumber: `${p.key}-${uniq()}`,
          firstName: p.key,
          lastName: 'History',
          status: p.status,
          createdAt: t(p.created),
          deletedAt: p.deleted ? t(p.deleted) : null,
        })
        .returning();
      await db.insert(personnelStatusHistory).values(
        p.steps.map(([from, to, at]) => ({
          personnelId: row.id,
          registerId: r.id,
          fromStatus: from as 'active' | null,
          toStatus: to as 'active',
          changedAt: t(at),
        })),
      );
    }
    const get = async (asOf: string) => {
      const res = await call(app, 'GET', `/api/v1/analytics/personnel/register/${r.id}`, {
        token: world.admin.token,
        query: { as_of: asOf },
      });
      expectStatus(res, 200);
      return res.data.data;
    };
    const feb = await get('2025-02-28');
    assert.equal(feb.previous_as_of, '2025-01-31T23:59:59.999Z');
    assert.deepEqual(feb.personnel, { value: 4, previous: 2, change: 2, change_percent: 100 });
    assert.deepEqual(feb.by_status.active, { value: 2, previous: 2, change: 0, change_percent: 0 });
    assert.deepEqual(feb.by_status.awol, { value: 1, previous: 0, change: 1, change_percent: null });
    assert.deepEqual(feb.by_status.posted, { value: 1, previous: 0, change: 1, change_percent: null });
    const mar = await get('2025-03-31');
    assert.deepEqual(mar.personnel, { value: 4, previous: 4, change: 0, change_percent: 0 });
    assert.deepEqual(mar.by_status.active, { value: 2, previous: 2, change: 0, change_percent: 0 });
    assert.deepEqual(mar.by_status.awol, { value: 0, previous: 1, change: -1, change_percent: -100 });
    assert.deepEqual(mar.by_status.death, { value: 1, previous: 0, change: 1, change_percent: null });
    assert.deepEqual(mar.by_status.posted, { value: 1, previous: 1, change: 0, change_percent: 0 });
    const jan = await get('2025-01-31');
    assert.deepEqual(jan.personnel, { value: 2, previous: 0, change: 2, change_percent: null });
    const now = await get(new Date().toISOString().slice(0, 10));
    assert.equal(now.personnel.value, 5);
    assert.equal(now.by_status.active.value, 3);

    const dash = await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', {
      token: world.admin.token,
      query: { as_of: '2025-03-31' },
    });
    expectStatus(dash, 200);
    assert.deepEqual(dash.data.data.registers, { value: 1, previous: 1, change: 0, change_percent: 0 });
    assert.deepEqual(dash.data.data.personnel, mar.personnel);
    assert.deepEqual(dash.data.data.by_status, mar.by_status);
    assert.equal(dash.data.data.users.value, 0);
    const today = await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', {
      token: world.admin.token,
    });
    assert.deepEqual(today.data.data.users, { value: 1, previous: 0, change: 1, change_percent: null });
  });

  test('analytics: 400, 401, 403 and out-of-scope 404; register users get null users', async () => {
    const url = `/api/v1/analytics/personnel/register/${reg.id}`;
    expectStatus(await call(app, 'GET', url, { token: staff.token }), 200);
    expectError(
      await call(app, 'GET', `/api/v1/analytics/personnel/register/${other.id}`, { token: staff.token }),
      404,
    );
    expectError(
      await call(app, 'GET', `/api/v1/analytics/personnel/register/${foreign.id}`, { token: w.admin.token }),
      404,
    );
    expectError(await call(app, 'GET', url, { token: staff.token, query: { as_of: 'March' } }), 400);
    expectError(await call(app, 'GET', url, {}), 401);
    expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
    const dash = await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', { token: staff.token });
    expectStatus(dash, 200);
    assert.equal(dash.data.data.users, null);
    assert.equal(dash.data.data.registers.value, 1);
    expectError(
      await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', {
        token: staff.token,
        query: { as_of: 'x' },
      }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', {}), 401);
    expectError(
      await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', { token: faculty.token }),
      403,
    );
  });
});
