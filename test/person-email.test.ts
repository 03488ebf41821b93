import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { staff } from '../src/modules/faculty/index.js';
import { insertLoginUser } from '../src/modules/users/index.js';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld, PASSWORD } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

/** One email per person: a profile's email and its login's email change together, from either side. */
describe('person and login share one email', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'school');
  });
  after(() => app.close());

  const userEmail = async (userId: string) => {
    const u = await call(app, 'GET', api(`/users/${userId}`), { token: w.admin.token });
    expectStatus(u, 200);
    return { email: u.data.data.email, verified: u.data.data.email_verified };
  };

  it('changing a student’s, guardian’s or faculty member’s email changes the login’s', async () => {
    const s = await makeStudent(app, w.org);
    const next = `${uniq('new.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/students/${s.id}`), {
        token: w.admin.token,
        body: { email: next.toUpperCase() },
      }),
      200,
    );
    assert.deepEqual(await userEmail(s.userId!), { email: next, verified: false });

    const f = await makeFaculty(app, w.org);
    const fNext = `${uniq('t.new.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/faculty/${f.id}`), { token: w.admin.token, body: { email: fNext } }),
      200,
    );
    assert.equal((await userEmail(f.userId!)).email, fNext);

    const p = await makeParent(app, w.org, [s.id]);
    const pNext = `${uniq('p.new.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/guardians/${p.id}`), { token: w.admin.token, body: { email: pNext } }),
      200,
    );
    assert.equal((await userEmail(p.userId!)).email, pNext);
  });

  it('changing the login’s email changes the profiles’ (student, faculty, staff)', async () => {
    const s = await makeStudent(app, w.org);
    const next = `${uniq('u.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/users/${s.userId}`), { token: w.admin.token, body: { email: next } }),
      200,
    );
    const got = await call(app, 'GET', api(`/students/${s.id}`), { token: w.admin.token });
    assert.equal(got.data.data.email, next);

    const f = await makeFaculty(app, w.org);
    const fNext = `${uniq('fu.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/users/${f.userId}`), { token: w.admin.token, body: { email: fNext } }),
      200,
    );
    assert.equal(
      (await call(app, 'GET', api(`/faculty/${f.id}`), { token: w.admin.token })).data.data.email,
      fNext,
    );

    const name = uniq('st.');
    const st = await app.deps.db.transaction(async (tx) => {
      const u = await insertLoginUser(tx, {
        username: name,
        email: `${name}@example.test`,
        fullName: 'Desk Clerk',
        password: PASSWORD,
        organizationId: w.org.id,
        roles: [{ role: 'staff', organization_id: w.org.id }],
      });
      const [row] = await tx
        .insert(staff)
        .values({
          organizationId: w.org.id,
          userId: u.id,
          employeeId: uniq('E'),
          firstName: 'Desk',
          lastName: 'Clerk',
          email: u.email,
        })
        .returning();
      return row;
    });
    const sNext = `${uniq('su.')}@example.test`;
    expectStatus(
      await call(app, 'PATCH', api(`/users/${st.userId}`), { token: w.admin.token, body: { email: sNext } }),
      200,
    );
    assert.equal(
      (await call(app, 'GET', api(`/staff/${st.id}`), { token: w.admin.token })).data.data.email,
      sNext,
    );
    // And back from the staff profile to the login.
    const sBack = `${uniq('sb.')}@example.test`;
    expectStatus(
      await call(app, 'PUT', api(`/staff/${st.id}`), { token: w.admin.token, body: { email: sBack } }),
      200,
    );
    assert.equal((await userEmail(st.userId)).email, sBack);
  });

  it('an email another login already has is 409 on the profile and nothing changes', async () => {
    const [a, b] = [await makeStudent(app, w.org), await makeStudent(app, w.org)];
    const res = await call(app, 'PATCH', api(`/students/${a.id}`), {
      token: w.admin.token,
      body: { email: b.email },
    });
    expectError(res, 409, 'conflict');
    assert.equal(res.data.error.details[0].field, 'email');
    const still = await call(app, 'GET', api(`/students/${a.id}`), { token: w.admin.token });
    assert.equal(still.data.data.email, a.email);
    assert.equal((await userEmail(a.userId!)).email, a.email);
  });
});
