import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { recordAudits } from '../src/kernel/audit.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';

describe('audit-logs', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app);
  });
  after(() => app.close());

  const get = (query: Record<string, string | number>, token = w.admin.token) =>
    call(app, 'GET', '/api/v1/audit-logs', { token, query });

  it('should write a row for each admin mutation, with actor, ip and request id', async () => {
    const org = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: `Audit School ${uniq()}`, kind: 'school', parent_id: w.org.id },
    });
    expectStatus(org, 201);
    const username = uniq('audited.');
    const u = await call(app, 'POST', '/api/v1/users', {
      token: w.admin.token,
      headers: { 'x-request-id': `req-${username}` },
      body: {
        username,
        email: `${username}@example.test`,
        full_name: 'Audited Person',
        password: 'Audited-Person-1',
        organization_id: w.org.id,
      },
    });
    expectStatus(u, 201);
    const id = u.data.data.id;
    await call(app, 'PATCH', `/api/v1/users/${id}`, {
      token: w.admin.token,
      body: { full_name: 'Audited P.' },
    });
    await call(app, 'POST', `/api/v1/users/${id}/roles`, {
      token: w.admin.token,
      body: { role: 'staff', organization_id: org.data.data.id },
    });
    await call(app, 'DELETE', `/api/v1/users/${id}`, { token: w.admin.token });
    const res = await get({ entity_type: 'user', entity_id: id });
    expectStatus(res, 200);
    // Newest first.
    assert.deepEqual(
      res.data.data.map((r: any) => r.action),
      ['update', 'grant_role', 'update', 'create'],
    );
    const created = res.data.data[3];
    assert.equal(created.actor_id, w.admin.id);
    assert.equal(created.actor_username, w.admin.username);
    assert.equal(created.request_id, `req-${username}`);
    assert.equal(created.ip, '127.0.0.1');
    assert.equal(created.organization_id, w.org.id);
    const orgRows = await get({ entity_type: 'organization', entity_id: org.data.data.id });
    assert.equal(orgRows.data.data[0].action, 'create');
  });

  it('should filter by actor, action, organization and time window', async () => {
    const other = await makeUser(app, w.org, 'admin');
    await call(app, 'PATCH', `/api/v1/users/${other.id}`, {
      token: other.token,
      body: { full_name: 'Renamed Admin' },
    });
    const byActor = await get({ actor_id: other.id });
    assert.ok(byActor.data.data.length >= 1);
    assert.ok(byActor.data.data.every((r: any) => r.actor_id === other.id));
    const byAction = await get({ action: 'update', actor_id: other.id });
    assert.ok(byAction.data.data.every((r: any) => r.action === 'update'));
    const byOrg = await get({ organization_id: w.org.id, page_size: 5 });
    assert.ok(byOrg.data.data.every((r: any) => r.organization_id === w.org.id));
    const future = await get({ actor_id: other.id, from: new Date(Date.now() + 3600_000).toISOString() });
    assert.equal(future.data.data.length, 0);
    const past = await get({ actor_id: other.id, to: new Date(Date.now() - 3600_000).toISOString() });
    assert.equal(past.data.data.length, 0);
  });

  it('should page with a keyset cursor without skipping rows written in the same transaction', async () => {
    const entityId = uniq('bulk-');
    // 7 rows in one transaction share one timestamp: the cursor must still walk all of them.
    await app.deps.db.transaction((tx) =>
      recordAudits(
        tx,
        null,
        Array.from({ length: 7 }, (_, i) => ({
          action: `bulk_${i}`,
          entityType: 'test_entity',
          entityId,
          organizationId: w.org.id,
        })),
      ),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await get({ entity_id: entityId, page_size: 3, ...(cursor ? { cursor } : {}) });
      expectStatus(res, 200);
      seen.push(...res.data.data.map((r: any) => r.id));
      assert.equal(res.data.meta.page_size, 3);
      cursor = res.data.meta.next_cursor ?? undefined;
      if (!res.data.meta.has_next_page) break;
    }
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
  });

  it('should answer 400 for a garbage cursor and bad filters', async () => {
    for (const cursor of ['garbage', Buffer.from('["x","y"]').toString('base64url')]) {
      const res = await get({ cursor });
      expectError(res, 400);
      assert.equal(res.data.error.details[0].field, 'cursor');
    }
    const bad = await get({ actor_id: 'me', from: 'yesterday', page_size: 500 });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    for (const f of ['actor_id', 'from', 'page_size']) assert.ok(fields.includes(f), f);
  });

  it('should answer 401 without a token and 403 for staff and principals', async () => {
    expectError(await call(app, 'GET', '/api/v1/audit-logs'), 401);
    const staff = await makeUser(app, w.org, 'staff');
    expectError(await get({}, staff.token), 403, 'forbidden');
    const principal = await makeUser(app, w.org, 'principal');
    expectError(await get({}, principal.token), 403, 'forbidden');
  });

  it("should never show another tenant's rows", async () => {
    const name = `Foreign ${uniq()}`;
    const o = await call(app, 'POST', '/api/v1/organizations', {
      token: w.otherAdmin.token,
      body: { name, kind: 'school', parent_id: w.otherOrg.id },
    });
    expectStatus(o, 201);
    const mine = await get({ entity_type: 'organization', entity_id: o.data.data.id });
    assert.equal(mine.data.data.length, 0);
    const byOrg = await get({ organization_id: w.otherOrg.id });
    assert.equal(byOrg.data.data.length, 0);
    const theirs = await get({ entity_type: 'organization', entity_id: o.data.data.id }, w.otherAdmin.token);
    assert.equal(theirs.data.data.length, 1);
  });

  it('should be append-only: UPDATE and DELETE on audit_logs raise', async () => {
    await recordAudits(app.deps.db, null, [
      { action: 'probe', entityType: 'test_entity', organizationId: w.org.id },
    ]);
    await assert.rejects(
      app.deps.db.execute(sql`update audit_logs set action = 'tampered' where organization_id = ${w.org.id}`),
      (err: any) => /append-only/.test(String(err?.message) + String(err?.cause?.message)),
    );
    await assert.rejects(
      app.deps.db.execute(sql`delete from audit_logs where organization_id = ${w.org.id}`),
      (err: any) => /append-only/.test(String(err?.message) + String(err?.cause?.message)),
    );
  });
});
