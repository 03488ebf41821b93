import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeRootOrg, makeUser, type TestUser } from './helpers/factories.js';

const V = '/api/v1';

describe('organizations: moving a subtree under another parent', () => {
  let app: App;
  let root: { id: string; path: string };
  let rootAdmin: TestUser;
  before(async () => {
    app = await buildTestApp();
    root = await makeRootOrg(app, 'office');
    rootAdmin = await makeUser(app, root, 'admin');
  });
  after(() => app.close());

  async function org(name: string, kind: string, parentId: string) {
    const res = await call(app, 'POST', `${V}/organizations`, {
      token: rootAdmin.token,
      body: { name, kind, parent_id: parentId },
    });
    expectStatus(res, 201);
    return res.data.data as { id: string; parent_id: string; updated_at: string };
  }
  async function pathOf(id: string): Promise<string> {
    const r = await app.deps.db.execute(sql`select path from organizations where id = ${id}`);
    return (r.rows[0] as { path: string }).path;
  }
  const move = (token: string, id: string, body: unknown) =>
    call(app, 'POST', `${V}/organizations/${id}/move`, { token, body });

  it("should move a school to another district; scopes follow at once, the school's records with it", async () => {
    const d1 = await org('District One', 'district', root.id);
    const d2 = await org('District Two', 'district', root.id);
    const school = await org('Hill School', 'school', d1.id);
    const student = await makeStudent(app, school);
    const admin1 = await makeUser(app, d1, 'admin');
    const admin2 = await makeUser(app, d2, 'admin');
    // Both district admins have used their sign-in (their actors are cached) before the move.
    expectStatus(await call(app, 'GET', `${V}/students/${student.id}`, { token: admin1.token }), 200);
    expectError(await call(app, 'GET', `${V}/students/${student.id}`, { token: admin2.token }), 404);

    // District One's admin does not administer District Two: the new parent is out of scope.
    expectError(await move(admin1.token, school.id, { parent_id: d2.id }), 404, 'not_found');

    const res = await move(rootAdmin.token, school.id, { parent_id: d2.id });
    expectStatus(res, 200);
    assert.equal(res.data.data.parent_id, d2.id);
    assert.equal(await pathOf(school.id), `${await pathOf(d2.id)}${school.id}/`);

    expectError(await call(app, 'GET', `${V}/students/${student.id}`, { token: admin1.token }), 404);
    expectError(await call(app, 'GET', `${V}/organizations/${school.id}`, { token: admin1.token }), 404);
    const seen = await call(app, 'GET', `${V}/students/${student.id}`, { token: admin2.token });
    expectStatus(seen, 200);
    assert.equal(seen.data.data.organization_id, school.id);
    const kids = await call(app, 'GET', `${V}/organizations/${d2.id}/children`, { token: admin2.token });
    assert.deepEqual(
      kids.data.data.map((o: { id: string }) => o.id),
      [school.id],
    );

    const audit = await call(app, 'GET', `${V}/audit-logs`, {
      token: rootAdmin.token,
      query: { entity_type: 'organization', entity_id: school.id, action: 'move' },
    });
    expectStatus(audit, 200);
    assert.equal(audit.data.data.length, 1);
    assert.equal(audit.data.data[0].before.parent_id, d1.id);
    assert.equal(audit.data.data[0].after.parent_id, d2.id);
    assert.equal(audit.data.data[0].actor_id, rootAdmin.id);
  });

  it('should carry the whole subtree, and the tombstones of what was deleted under it', async () => {
    const d1 = await org('District A', 'district', root.id);
    const d2 = await org('District B', 'district', root.id);
    const unit = await org('Zone Office', 'office', d1.id);
    const s1 = await org('Zone School 1', 'school', unit.id);
    const gone = await org('Zone School 2', 'school', unit.id);
    expectStatus(await call(app, 'DELETE', `${V}/organizations/${gone.id}`, { token: rootAdmin.token }), 204);
    const tomb = async () =>
      (
        (
          await app.deps.db.execute(
            sql`select org_path from oneroster_tombstones where entity = 'org' and sourced_id = ${gone.id}`,
          )
        ).rows[0] as { org_path: string }
      ).org_path;
    const unitPath = await pathOf(unit.id);
    assert.ok((await tomb()).startsWith(unitPath), 'the tombstone is under the unit before the move');
    const d1Before = (await call(app, 'GET', `${V}/organizations/${d1.id}`, { token: rootAdmin.token })).data
      .data.updated_at;

    expectStatus(await move(rootAdmin.token, unit.id, { parent_id: d2.id }), 200);
    const moved = `${await pathOf(d2.id)}${unit.id}/`;
    assert.equal(await pathOf(unit.id), moved);
    assert.equal(await pathOf(s1.id), `${moved}${s1.id}/`);
    assert.ok((await tomb()).startsWith(moved), 'the tombstone followed the unit');
    // The old parent lost a child: its dateLastModified moves for delta sync.
    const d1After = (await call(app, 'GET', `${V}/organizations/${d1.id}`, { token: rootAdmin.token })).data
      .data.updated_at;
    assert.ok(new Date(d1After) > new Date(d1Before), `${d1Before} → ${d1After}`);
    // A district admin of B now administers the school two levels down.
    const adminB = await makeUser(app, d2, 'admin');
    expectStatus(await call(app, 'GET', `${V}/organizations/${s1.id}`, { token: adminB.token }), 200);
  });

  it('should refuse a move under itself or a descendant, of a root, and of the wrong kind (422), writing nothing', async () => {
    const d = await org('District C', 'district', root.id);
    const unit = await org('Office C', 'office', d.id);
    const school = await org('School C', 'school', unit.id);
    const before = await pathOf(unit.id);
    expectError(await move(rootAdmin.token, unit.id, { parent_id: unit.id }), 422, 'move_into_own_subtree');
    expectError(await move(rootAdmin.token, d.id, { parent_id: unit.id }), 422, 'move_into_own_subtree');
    expectError(await move(rootAdmin.token, root.id, { parent_id: d.id }), 422, 'cannot_move_root');
    // A district cannot sit under a school.
    const other = await org('District D', 'district', root.id);
    expectError(await move(rootAdmin.token, other.id, { parent_id: school.id }), 422, 'invalid_parent_kind');
    assert.equal(await pathOf(unit.id), before);
    // The same parent again: nothing changes, no audit row.
    const same = await move(rootAdmin.token, unit.id, { parent_id: d.id });
    expectStatus(same, 200);
    assert.equal(same.data.data.parent_id, d.id);
    const audit = await call(app, 'GET', `${V}/audit-logs`, {
      token: rootAdmin.token,
      query: { entity_type: 'organization', entity_id: unit.id, action: 'move' },
    });
    assert.equal(audit.data.data.length, 0);
  });

  it('should answer 400, 401, 403 and 404 (out of scope)', async () => {
    const d = await org('District E', 'district', root.id);
    const school = await org('School E', 'school', d.id);
    const bad = await move(rootAdmin.token, school.id, { parent_id: d.id, name: 'x' });
    expectError(bad, 400, 'validation_failed');
    expectError(await move(rootAdmin.token, school.id, { parent_id: 'nope' }), 400, 'validation_failed');
    expectError(await move(rootAdmin.token, school.id, {}), 400, 'validation_failed');
    expectError(
      await call(app, 'POST', `${V}/organizations/${school.id}/move`, { body: { parent_id: d.id } }),
      401,
    );
    const teacher = await makeUser(app, d, 'faculty');
    expectError(await move(teacher.token, school.id, { parent_id: d.id }), 403, 'forbidden');
    const elsewhere = await makeRootOrg(app, 'district');
    const otherAdmin = await makeUser(app, elsewhere, 'admin');
    expectError(await move(otherAdmin.token, school.id, { parent_id: elsewhere.id }), 404, 'not_found');
    expectError(await move(rootAdmin.token, school.id, { parent_id: elsewhere.id }), 404, 'not_found');
  });

  it('should never make a cycle from two crossing moves, and a child created during a move gets the new path', async () => {
    const d = await org('District F', 'district', root.id);
    const x = await org('Office X', 'office', d.id);
    const y = await org('Office Y', 'office', d.id);
    const [a, b] = await Promise.all([
      move(rootAdmin.token, x.id, { parent_id: y.id }),
      move(rootAdmin.token, y.id, { parent_id: x.id }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(codes, [200, 422], `${a.body} / ${b.body}`);
    // Every path is its parent's path plus its own id: the tree is still a tree.
    const broken = await app.deps.db.execute(sql`
      select c.id from organizations c join organizations p on p.id = c.parent_id
       where c.path <> p.path || c.id || '/' and c.path like ${`${root.path}%`}`);
    assert.equal(broken.rows.length, 0);

    const target = await org('District G', 'district', root.id);
    const [moved, child] = await Promise.all([
      move(rootAdmin.token, x.id, { parent_id: target.id }),
      call(app, 'POST', `${V}/organizations`, {
        token: rootAdmin.token,
        body: { name: 'New School', kind: 'school', parent_id: x.id },
      }),
    ]);
    expectStatus(moved, 200);
    expectStatus(child, 201);
    const after = await app.deps.db.execute(sql`
      select c.id from organizations c join organizations p on p.id = c.parent_id
       where c.path <> p.path || c.id || '/' and c.path like ${`${root.path}%`}`);
    assert.equal(after.rows.length, 0, 'no organization keeps a stale path');
  });
});
