import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';

describe('allowed-emails', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
  });
  after(() => app.close());

  const create = (token: string, body: Record<string, unknown>) =>
    call(app, 'POST', '/api/v1/allowed-emails', { token, body });

  it('should create, list (with search) and delete entries, with audit rows', async () => {
    const campus = await makeChildOrg(app, w.org, 'campus');
    const tag = uniq('ae');
    const email = `Dean.${tag}@Northfield.example.edu`;
    const res = await create(w.admin.token, { email, role: 'principal', organization_id: campus.id });
    expectStatus(res, 201);
    assert.equal(res.data.data.email, email.toLowerCase());
    assert.equal(res.data.data.role, 'principal');
    const dflt = await create(w.admin.token, {
      email: `prof.${tag}@northfield.example.edu`,
      organization_id: w.org.id,
    });
    expectStatus(dflt, 201);
    assert.equal(dflt.data.data.role, 'faculty');

    const list = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: tag },
    });
    expectStatus(list, 200);
    assert.equal(list.data.meta.total, 2);
    const one = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: `dean.${tag}` },
    });
    assert.deepEqual(
      one.data.data.map((e: any) => e.id),
      [res.data.data.id],
    );

    expectStatus(
      await call(app, 'DELETE', `/api/v1/allowed-emails/${res.data.data.id}`, { token: w.admin.token }),
      204,
    );
    const after = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: tag },
    });
    assert.equal(after.data.meta.total, 1);
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'allowed_email', entity_id: res.data.data.id },
    });
    assert.deepEqual(audit.data.data.map((r: any) => r.action).sort(), ['create', 'delete']);
  });

  it('should answer 409 for a duplicate email and 400 with field details for a bad body', async () => {
    const email = `${uniq('dup.')}@example.test`;
    expectStatus(await create(w.admin.token, { email, organization_id: w.org.id }), 201);
    expectError(await create(w.admin.token, { email: email.toUpperCase(), organization_id: w.org.id }), 409);
    const bad = await create(w.admin.token, {
      email: 'nope',
      role: 'emperor',
      organization_id: 'x',
      note: 1,
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    for (const f of ['email', 'role', 'organization_id', 'note']) assert.ok(fields.includes(f), f);
    const q = await call(app, 'GET', '/api/v1/allowed-emails', { token: w.admin.token, query: { page: 0 } });
    expectError(q, 400, 'validation_failed');
    expectError(await call(app, 'DELETE', '/api/v1/allowed-emails/xyz', { token: w.admin.token }), 400);
  });

  it('should answer 401 without a token and 403 for staff', async () => {
    expectError(await call(app, 'GET', '/api/v1/allowed-emails'), 401);
    expectError(await create('', { email: 'a@example.test', organization_id: w.org.id }), 401);
    const staff = await makeUser(app, w.org, 'staff');
    expectError(await call(app, 'GET', '/api/v1/allowed-emails', { token: staff.token }), 403, 'forbidden');
    expectError(await create(staff.token, { email: 'a@example.test', organization_id: w.org.id }), 403);
  });

  it("should keep tenants apart: another tenant's entries are invisible and answer 404", async () => {
    const theirs = await create(w.otherAdmin.token, {
      email: `${uniq('theirs.')}@example.test`,
      organization_id: w.otherOrg.id,
    });
    expectStatus(theirs, 201);
    const list = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: theirs.data.data.email },
    });
    assert.equal(list.data.meta.total, 0);
    expectError(
      await call(app, 'DELETE', `/api/v1/allowed-emails/${theirs.data.data.id}`, { token: w.admin.token }),
      404,
    );
    expectError(
      await create(w.admin.token, { email: `${uniq('x.')}@example.test`, organization_id: w.otherOrg.id }),
      404,
    );
  });
});
