import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeRootOrg, makeUser } from './helpers/factories.js';

/** Issue 11: a district admin lists one school's students with `GET /students?organization_id=`. */
describe('students: the organization_id filter', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  it("should list one school's students (and its campuses'), within the actor's scope", async () => {
    const district = await makeRootOrg(app, 'district');
    const north = await makeChildOrg(app, district, 'school');
    const south = await makeChildOrg(app, district, 'school');
    const campus = await makeChildOrg(app, north, 'campus');
    const admin = await makeUser(app, district, 'admin');
    const southAdmin = await makeUser(app, south, 'admin');
    const n1 = await makeStudent(app, north);
    const n2 = await makeStudent(app, campus);
    const s1 = await makeStudent(app, south);

    const list = (token: string, query: Record<string, string>) =>
      call(app, 'GET', '/api/v1/students', { token, query: { page_size: '100', ...query } });
    const ids = (res: { data: { data: { id: string }[] } }) => res.data.data.map((s) => s.id).sort();

    const all = await list(admin.token, {});
    expectStatus(all, 200);
    assert.deepEqual(ids(all), [n1.id, n2.id, s1.id].sort());
    const northOnly = await list(admin.token, { organization_id: north.id });
    expectStatus(northOnly, 200);
    assert.deepEqual(ids(northOnly), [n1.id, n2.id].sort());
    assert.equal(northOnly.data.meta.total, 2);
    const southOnly = await list(admin.token, { organization_id: south.id });
    assert.deepEqual(ids(southOnly), [s1.id]);
    // Another school's admin filtering on a school outside their scope sees nothing of it.
    const foreign = await list(southAdmin.token, { organization_id: north.id });
    expectStatus(foreign, 200);
    assert.deepEqual(ids(foreign), []);
    // The export takes the same filter.
    const csv = await call(app, 'GET', '/api/v1/students/export', {
      token: admin.token,
      query: { organization_id: south.id, format: 'csv' },
    });
    expectStatus(csv, 200);
    assert.equal(csv.body.trim().split(/\r?\n/).length, 2, csv.body);
    expectError(await list(admin.token, { organization_id: 'not-a-uuid' }), 400);
  });
});
