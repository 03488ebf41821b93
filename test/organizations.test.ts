import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';

describe('organizations', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'office');
  });
  after(() => app.close());

  it('should create a district and a school under it, with audit rows', async () => {
    const d = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: 'Springfield Public Schools', kind: 'district', parent_id: w.org.id, code: 'SPS' },
    });
    expectStatus(d, 201);
    assert.equal(d.data.data.kind, 'district');
    const s = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: 'Lincoln Elementary', kind: 'school', parent_id: d.data.data.id },
    });
    expectStatus(s, 201);
    const children = await call(app, 'GET', `/api/v1/organizations/${d.data.data.id}/children`, {
      token: w.admin.token,
    });
    expectStatus(children, 200);
    assert.deepEqual(
      children.data.data.map((o: any) => o.name),
      ['Lincoln Elementary'],
    );
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'organization', entity_id: s.data.data.id },
    });
    expectStatus(audit, 200);
    assert.equal(audit.data.data.length, 1);
    assert.equal(audit.data.data[0].action, 'create');
    assert.equal(audit.data.data[0].actor_id, w.admin.id);
  });

  it('should default parent_id to the only organization the admin administers', async () => {
    const res = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: 'Northfield University', kind: 'university' },
    });
    expectStatus(res, 201);
    assert.equal(res.data.data.parent_id, w.org.id);
  });

  it('should reject a campus under a district with 422 invalid_parent_kind', async () => {
    const d = await makeChildOrg(app, w.org, 'district');
    const res = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: 'Bad campus', kind: 'campus', parent_id: d.id },
    });
    expectError(res, 422, 'invalid_parent_kind');
  });

  it('should return 400 with field details for unknown fields and bad kinds', async () => {
    const res = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: '', kind: 'galaxy', extra: true },
    });
    expectError(res, 400, 'validation_failed');
    const fields = res.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('extra'));
    assert.ok(fields.includes('kind'));
    assert.ok(fields.includes('name'));
  });

  it('should return 401 without a token and 403 for a role that may not', async () => {
    expectError(await call(app, 'GET', '/api/v1/organizations'), 401, 'unauthenticated');
    const student = await makeUser(app, w.org, 'student');
    expectError(await call(app, 'GET', '/api/v1/organizations', { token: student.token }), 403, 'forbidden');
    const faculty = await makeUser(app, w.org, 'faculty');
    expectError(
      await call(app, 'POST', '/api/v1/organizations', {
        token: faculty.token,
        body: { name: 'X', kind: 'office' },
      }),
      403,
      'forbidden',
    );
  });

  it("should answer 404 for another tenant's organization, and never list it", async () => {
    expectError(
      await call(app, 'GET', `/api/v1/organizations/${w.otherOrg.id}`, { token: w.admin.token }),
      404,
    );
    expectError(
      await call(app, 'PATCH', `/api/v1/organizations/${w.otherOrg.id}`, {
        token: w.admin.token,
        body: { name: 'Mine' },
      }),
      404,
    );
    const list = await call(app, 'GET', '/api/v1/organizations', {
      token: w.admin.token,
      query: { page_size: 100 },
    });
    assert.ok(list.data.data.every((o: any) => o.id !== w.otherOrg.id));
  });

  it('should update and then delete a leaf organization; deleting a parent is a 409', async () => {
    const d = await makeChildOrg(app, w.org, 'district');
    await makeChildOrg(app, d, 'school');
    expectError(
      await call(app, 'DELETE', `/api/v1/organizations/${d.id}`, { token: w.admin.token }),
      409,
      'still_referenced',
    );
    const leaf = await makeChildOrg(app, w.org, 'office');
    const up = await call(app, 'PATCH', `/api/v1/organizations/${leaf.id}`, {
      token: w.admin.token,
      body: { name: 'Records Office', currency: 'EUR' },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.currency, 'EUR');
    expectStatus(
      await call(app, 'DELETE', `/api/v1/organizations/${leaf.id}`, { token: w.admin.token }),
      204,
    );
    expectError(await call(app, 'GET', `/api/v1/organizations/${leaf.id}`, { token: w.admin.token }), 404);
  });

  it('should filter by kind and search and paginate', async () => {
    const res = await call(app, 'GET', '/api/v1/organizations', {
      token: w.admin.token,
      query: { kind: 'district', search: 'Springfield', page_size: 1 },
    });
    expectStatus(res, 200);
    assert.equal(res.data.meta.page_size, 1);
    assert.ok(res.data.data.every((o: any) => o.kind === 'district'));
    expectError(
      await call(app, 'GET', '/api/v1/organizations', { token: w.admin.token, query: { page_size: 1000 } }),
      400,
    );
  });
});
