import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeChildOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';

describe('guardians', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
  });
  after(() => app.close());

  const create = (token: string, extra: Record<string, unknown> = {}) =>
    call(app, 'POST', '/api/v1/guardians', {
      token,
      body: { organization_id: w.org.id, first_name: 'Rosa', last_name: 'Lopez', ...extra },
    });

  it('should create a guardian with a parent login, link it, and let the parent read the child', async () => {
    const child = await makeStudent(app, w.org);
    const other = await makeStudent(app, w.org);
    const username = uniq('rosa.');
    const g = await create(w.admin.token, {
      email: `${username}@example.test`,
      phone: '+1 555 0101',
      login: { username, password: PASSWORD },
    });
    expectStatus(g, 201);
    assert.ok(g.data.data.user_id);
    const link = await call(app, 'POST', `/api/v1/students/${child.id}/guardians`, {
      token: w.admin.token,
      body: { guardian_id: g.data.data.id, relationship: 'mother', is_primary: true },
    });
    expectStatus(link, 201);
    assert.equal(link.data.data.relationship, 'mother');

    const { token } = await login(app, username, PASSWORD);
    expectStatus(await call(app, 'GET', `/api/v1/students/${child.id}`, { token }), 200);
    expectError(await call(app, 'GET', `/api/v1/students/${other.id}`, { token }), 404);
    const kids = await call(app, 'GET', `/api/v1/guardians/${g.data.data.id}/students`, { token });
    expectStatus(kids, 200);
    assert.deepEqual(
      kids.data.data.map((s: any) => [s.id, s.relationship, s.is_primary]),
      [[child.id, 'mother', true]],
    );
    const own = await call(app, 'GET', '/api/v1/guardians', { token });
    assert.deepEqual(
      own.data.data.map((x: any) => x.id),
      [g.data.data.id],
    );
    const list = await call(app, 'GET', `/api/v1/students/${child.id}/guardians`, { token });
    expectStatus(list, 200);
    assert.equal(list.data.data[0].id, g.data.data.id);
    assert.equal(list.data.data[0].is_primary, true);
  });

  it('should keep one primary guardian per student and unlink', async () => {
    const child = await makeStudent(app, w.org);
    const g1 = (await create(w.admin.token)).data.data;
    const g2 = (await create(w.admin.token, { first_name: 'Juan' })).data.data;
    for (const g of [g1, g2]) {
      expectStatus(
        await call(app, 'POST', `/api/v1/students/${child.id}/guardians`, {
          token: w.admin.token,
          body: { guardian_id: g.id, relationship: 'parent', is_primary: true },
        }),
        201,
      );
    }
    const list = await call(app, 'GET', `/api/v1/students/${child.id}/guardians`, { token: w.admin.token });
    assert.deepEqual(
      list.data.data.map((g: any) => [g.id, g.is_primary]),
      [
        [g2.id, true],
        [g1.id, false],
      ],
    );
    const dup = await call(app, 'POST', `/api/v1/students/${child.id}/guardians`, {
      token: w.admin.token,
      body: { guardian_id: g1.id, relationship: 'parent' },
    });
    expectError(dup, 409, 'conflict');
    assert.equal(dup.data.error.details[0].field, 'guardian_id');
    expectStatus(
      await call(app, 'DELETE', `/api/v1/students/${child.id}/guardians/${g1.id}`, { token: w.admin.token }),
      204,
    );
    expectError(
      await call(app, 'DELETE', `/api/v1/students/${child.id}/guardians/${g1.id}`, { token: w.admin.token }),
      404,
    );
  });

  it('should update, list with search and delete guardians', async () => {
    const g = (await create(w.admin.token, { last_name: 'Featherstonehaugh' })).data.data;
    const up = await call(app, 'PUT', `/api/v1/guardians/${g.id}`, {
      token: w.admin.token,
      body: { occupation: 'Nurse' },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.occupation, 'Nurse');
    const found = await call(app, 'GET', '/api/v1/guardians', {
      token: w.admin.token,
      query: { search: 'featherstone' },
    });
    assert.deepEqual(
      found.data.data.map((x: any) => x.id),
      [g.id],
    );
    expectStatus(await call(app, 'GET', `/api/v1/guardians/${g.id}`, { token: w.admin.token }), 200);
    expectStatus(await call(app, 'DELETE', `/api/v1/guardians/${g.id}`, { token: w.admin.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/guardians/${g.id}`, { token: w.admin.token }), 404);
  });

  it('should find a guardian by first and last name together, in either order', async () => {
    const last = uniq('Lopez');
    const maria = (await create(w.admin.token, { first_name: 'Maria', last_name: last })).data.data;
    const mario = (await create(w.admin.token, { first_name: 'Mario', last_name: last })).data.data;
    const other = (await create(w.admin.token, { first_name: 'Maria', last_name: uniq('Garcia') })).data.data;
    const search = async (s: string) => {
      const r = await call(app, 'GET', '/api/v1/guardians', { token: w.admin.token, query: { search: s } });
      expectStatus(r, 200);
      return { ids: r.data.data.map((x: any) => x.id), total: r.data.meta.total };
    };
    // Before: "Maria Lopez…" matched no single column, so nobody was found.
    assert.deepEqual(await search(`Maria ${last}`), { ids: [maria.id], total: 1 });
    assert.deepEqual(await search(`  ${last.toLowerCase()}   maria `), { ids: [maria.id], total: 1 });
    const both = await search(`Mari ${last}`);
    assert.deepEqual(new Set(both.ids), new Set([maria.id, mario.id]));
    assert.equal(both.total, 2);
    assert.ok(!both.ids.includes(other.id));
    assert.deepEqual(await search(`Maria ${last} nobody`), { ids: [], total: 0 });
  });

  it('should reject bad input with 400 and a login without email', async () => {
    const bad = await call(app, 'POST', '/api/v1/guardians', {
      token: w.admin.token,
      body: { organization_id: 'x', first_name: '', extra: true },
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('organization_id') && fields.includes('extra') && fields.includes('last_name'));
    const noEmail = await create(w.admin.token, { login: { username: uniq('p.') } });
    expectError(noEmail, 400);
    assert.equal(noEmail.data.error.details[0].field, 'email');
    const child = await makeStudent(app, w.org);
    expectError(
      await call(app, 'POST', `/api/v1/students/${child.id}/guardians`, {
        token: w.admin.token,
        body: { guardian_id: child.id },
      }),
      400,
    );
    expectError(
      await call(app, 'PUT', `/api/v1/guardians/${child.id}`, { token: w.admin.token, body: {} }),
      400,
    );
  });

  it('should answer 401 without a token and 403 for roles that may not', async () => {
    expectError(await call(app, 'GET', '/api/v1/guardians'), 401);
    expectError(await call(app, 'POST', '/api/v1/guardians', { body: {} }), 401);
    const teacher = await makeFaculty(app, w.org);
    expectError(await call(app, 'GET', '/api/v1/guardians', { token: teacher.token }), 403);
    expectError(await create(teacher.token), 403);
    const child = await makeStudent(app, w.org, {}, { login: true });
    const g = (await create(w.admin.token)).data.data;
    expectError(
      await call(app, 'POST', `/api/v1/students/${child.id}/guardians`, {
        token: child.token,
        body: { guardian_id: g.id, relationship: 'mother' },
      }),
      403,
    );
    expectError(
      await call(app, 'DELETE', `/api/v1/students/${child.id}/guardians/${g.id}`, { token: teacher.token }),
      403,
    );
    const parent = await makeParent(app, w.org, [child.id]);
    expectError(
      await call(app, 'PUT', `/api/v1/guardians/${parent.id}`, {
        token: parent.token,
        body: { phone: '12345' },
      }),
      403,
    );
  });

  it('should answer 404 across tenants and schools', async () => {
    const foreignChild = await makeStudent(app, w.otherOrg);
    const foreignG = (
      await call(app, 'POST', '/api/v1/guardians', {
        token: w.otherAdmin.token,
        body: { organization_id: w.otherOrg.id, first_name: 'Other', last_name: 'Parent' },
      })
    ).data.data;
    const mine = (await create(w.admin.token)).data.data;
    const myChild = await makeStudent(app, w.org);
    expectError(await call(app, 'GET', `/api/v1/guardians/${foreignG.id}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'PUT', `/api/v1/guardians/${foreignG.id}`, {
        token: w.admin.token,
        body: { phone: '12345' },
      }),
      404,
    );
    expectError(await call(app, 'DELETE', `/api/v1/guardians/${foreignG.id}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'GET', `/api/v1/guardians/${foreignG.id}/students`, { token: w.admin.token }),
      404,
    );
    expectError(
      await call(app, 'GET', `/api/v1/students/${foreignChild.id}/guardians`, { token: w.admin.token }),
      404,
    );
    // A guardian of another tenant cannot be linked to my student, nor mine to theirs.
    expectError(
      await call(app, 'POST', `/api/v1/students/${myChild.id}/guardians`, {
        token: w.admin.token,
        body: { guardian_id: foreignG.id, relationship: 'father' },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', `/api/v1/students/${foreignChild.id}/guardians`, {
        token: w.admin.token,
        body: { guardian_id: mine.id, relationship: 'father' },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', '/api/v1/guardians', {
        token: w.admin.token,
        body: { organization_id: w.otherOrg.id, first_name: 'X', last_name: 'Y' },
      }),
      404,
    );
    const school = await makeChildOrg(app, w.org, 'school');
    const principal = await makeUser(app, school, 'principal');
    expectError(await call(app, 'GET', `/api/v1/guardians/${mine.id}`, { token: principal.token }), 404);
    const parent = await makeParent(app, w.org, []);
    expectError(await call(app, 'GET', `/api/v1/guardians/${mine.id}`, { token: parent.token }), 404);
  });
});
