import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';
import { upload } from './helpers/personnel.js';

/** Seed 003's walk-through, on Registrar's paths. */
test('office personnel registers: from registers to analytics', async () => {
  const app = await buildTestApp();
  try {
    const { org, admin } = await makeWorld(app, 'office');
    const api = '/api/v1';

    // 1. The admin creates two registers ("databases").
    const mk = async (name: string) => {
      const res = await call(app, 'POST', `${api}/registers`, {
        token: admin.token,
        body: { name, short_code: uniq('D').toUpperCase(), organization_id: org.id },
      });
      expectStatus(res, 201);
      return res.data.data.id as string;
    };
    const alpha = await mk('Alpha Company');
    const bravo = await mk('Bravo Company');

    // 2. … and a user allowed on Alpha only, who signs in with a service number.
    const serviceNumber = uniq('NA/');
    const created = await call(app, 'POST', `${api}/users`, {
      token: admin.token,
      body: {
        username: uniq('clerk.'),
        email: `${uniq('clerk')}@office.test`,
        full_name: 'Alpha Clerk',
        password: 'Clerk-Password-1',
        organization_id: org.id,
        service_number: serviceNumber,
        roles: [{ role: 'staff', organization_id: org.id }],
        allowed_register_ids: [alpha],
      },
    });
    expectStatus(created, 201);
    assert.deepEqual(created.data.data.allowed_register_ids, [alpha]);
    const signIn = await call(app, 'POST', `${api}/auth/login`, {
      body: { username: serviceNumber, password: 'Clerk-Password-1' },
    });
    expectStatus(signIn, 200);
    const token = signIn.data.data.access_token as string;

    // 3. The clerk sees Alpha only.
    const regs = await call(app, 'GET', `${api}/registers`, { token });
    assert.deepEqual(
      regs.data.data.map((r: { id: string }) => r.id),
      [alpha],
    );
    expectError(await call(app, 'GET', `${api}/personnel/register/${bravo}`, { token }), 404);

    // 4. Adds one person by hand …
    const one = await call(app, 'POST', `${api}/personnel`, {
      token,
      body: {
        register_id: alpha,
        service_number: 'A-0001',
        first_name: 'Kwabena',
        last_name: 'Osei',
        rank: 'Lieutenant',
      },
    });
    expectStatus(one, 201);

    // 5. … and bulk-uploads the rest (one bad row is reported, the valid rows are written).
    const csv = [
      'army_number,first_name,middle_name,last_name,rank,status',
      'A-0002,Ama,,Owusu,Private,active',
      'A-0003,Kojo,Mensah,Addo,Corporal,awol',
      'A-0004,Akosua,,Badu,Sergeant,posted',
      'A-0005,Yaw,,Darko,Private,unknown',
      'A-0006,Esi,,Quaye,Private,active',
    ].join('\n');
    const up = await upload(
      app,
      `${api}/personnel/upload`,
      token,
      { register_id: alpha },
      { name: 'alpha.csv', content: csv },
    );
    expectStatus(up, 200);
    assert.equal(up.data.data.total, 5);
    assert.equal(up.data.data.inserted, 4);
    assert.equal(up.data.data.failed, 1);
    assert.deepEqual(
      up.data.data.errors.map((e: { row: number }) => e.row),
      [5],
    );

    // 6. Filters by status and searches.
    const list = (query: Record<string, string | number>) =>
      call(app, 'GET', `${api}/personnel/register/${alpha}`, { token, query });
    assert.equal((await list({ filter: 'all' })).data.meta.total, 5);
    assert.deepEqual(
      (await list({ filter: 'awol' })).data.data.map((p: { service_number: string }) => p.service_number),
      ['A-0003'],
    );
    assert.equal((await list({ filter: 'active' })).data.meta.total, 3);
    assert.deepEqual(
      (await list({ search: 'mensah' })).data.data.map((p: { service_number: string }) => p.service_number),
      ['A-0003'],
    );

    // 7. A status change, then a bulk delete of two records.
    const ama = (await list({ search: 'A-0002' })).data.data[0];
    expectStatus(
      await call(app, 'PATCH', `${api}/personnel/${ama.id}`, {
        token,
        body: { status: 'rtu', status_reason: 'returned' },
      }),
      200,
    );
    const toDelete = (await list({ filter: 'active', limit: 2 })).data.data.map((p: { id: string }) => p.id);
    const del = await call(app, 'DELETE', `${api}/personnel/bulk-delete`, { token, body: { ids: toDelete } });
    expectStatus(del, 200);
    assert.equal(del.data.data.deleted, 2);
    assert.equal((await list({})).data.meta.total, 3);

    // 8. Analytics: everything happened this month, so last month's figures are 0.
    const a = await call(app, 'GET', `${api}/analytics/personnel/register/${alpha}`, { token });
    expectStatus(a, 200);
    assert.deepEqual(a.data.data.personnel, { value: 3, previous: 0, change: 3, change_percent: null });
    assert.equal(a.data.data.by_status.awol.value, 1);
    assert.equal(a.data.data.by_status.rtu.value, 1);
    assert.equal(a.data.data.by_status.posted.value, 1);
    assert.equal(a.data.data.by_status.active.value, 0);
    const dash = await call(app, 'GET', `${api}/analytics/personnel/dashboard`, { token: admin.token });
    expectStatus(dash, 200);
    assert.equal(dash.data.data.registers.value, 2);
    assert.equal(dash.data.data.users.value, 2);
    assert.equal(dash.data.data.personnel.value, 3);
    assert.equal(dash.data.data.personnel.previous, 0);

    // 9. The admin deletes Bravo (empty) at once, Alpha only with confirmation.
    expectStatus(await call(app, 'DELETE', `${api}/registers/${bravo}`, { token: admin.token }), 200);
    expectError(
      await call(app, 'DELETE', `${api}/registers/${alpha}`, { token: admin.token }),
      409,
      'register_not_empty',
    );
    expectStatus(
      await call(app, 'DELETE', `${api}/registers/${alpha}`, {
        token: admin.token,
        query: { confirm: true },
      }),
      200,
    );
  } finally {
    await app.close();
  }
});
