import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld, type TestUser } from './helpers/factories.js';

interface Resource {
  path: string;
  create: () => Record<string, unknown>;
  update: Record<string, unknown>;
  bad: Record<string, unknown>;
  badFields: string[];
  check?: (created: any, updated: any) => void;
}

const RESOURCES: Resource[] = [
  {
    path: '/departments',
    create: () => ({ code: uniq('D'), name: 'Computer Science', description: 'CS' }),
    update: { name: 'Computing' },
    bad: { code: 'has space', extra: 1 },
    badFields: ['code', 'extra', 'name'],
  },
  {
    path: '/programs',
    create: () => ({
      code: uniq('P'),
      name: 'BSc CS',
      degree_type: 'bachelor',
      duration: 8,
      total_credits: 120,
    }),
    update: { total_credits: 130, min_entry_score: '55.5' },
    bad: { code: 'OK', name: '', duration: 0 },
    badFields: ['name', 'duration'],
    check: (c, u) => {
      assert.equal(c.duration, 8);
      assert.equal(u.total_credits, 130);
      assert.equal(u.min_entry_score, '55.50');
    },
  },
  {
    path: '/courses',
    create: () => ({
      code: uniq('C'),
      name: 'Intro to Programming',
      credits: 3,
      fee: '1250.00',
      level: 'undergraduate',
    }),
    update: { fee: '99.5' },
    bad: { code: 'C1', name: 'x', fee: '12.345x', credits: -1 },
    badFields: ['fee', 'credits'],
    check: (c, u) => {
      assert.equal(c.fee, '1250.00');
      assert.equal(c.currency, 'USD');
      assert.equal(c.credits, 3); // a JSON number (docs/api-conventions.md)
      assert.equal(u.fee, '99.50');
    },
  },
  {
    path: '/subjects',
    create: () => ({ code: uniq('S'), name: 'Mathematics' }),
    update: { name: 'Maths' },
    bad: { code: 'S', name: 'x', colour: 'red' },
    badFields: ['colour'],
  },
  {
    path: '/academic-sessions',
    create: () => ({
      type: 'school_year',
      name: '2026/27',
      start_date: '2026-09-01',
      end_date: '2027-06-30',
    }),
    update: { is_current: true },
    bad: { type: 'decade', name: 'x', start_date: 'nope', end_date: '2026-01-01' },
    badFields: ['type', 'start_date'],
  },
  {
    path: '/classes',
    create: () => ({ name: `Grade 9 ${uniq()}`, grade_level: '9', section: 'A', capacity: 30 }),
    update: { room: 'B-204', capacity: 25 },
    bad: { name: 'x', capacity: -1 },
    badFields: ['capacity'],
    check: (c, u) => {
      assert.equal(c.enrolled_count, 0);
      assert.equal(u.capacity, 25);
    },
  },
];

describe('academic structure CRUD', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let student: TestUser;
  let nobody: TestUser;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
    student = await makeUser(app, w.org, 'student');
    nobody = await makeUser(app, w.org, null);
  });
  after(() => app.close());

  for (const r of RESOURCES) {
    const url = `/api/v1${r.path}`;
    it(`${r.path}: create, list, get, PUT/PATCH, delete with audit`, async () => {
      const c = await call(app, 'POST', url, { token: w.admin.token, body: r.create() });
      expectStatus(c, 201);
      assert.equal(c.data.data.organization_id, w.org.id);
      const id = c.data.data.id;
      const list = await call(app, 'GET', url, { token: w.admin.token, query: { page_size: 100 } });
      expectStatus(list, 200);
      assert.ok(list.data.data.some((x: any) => x.id === id));
      assert.equal(list.data.meta.page_size, 100);
      const one = await call(app, 'GET', `${url}/${id}`, { token: student.token });
      expectStatus(one, r.path === '/classes' ? 404 : 200); // a student sees only classes they are in
      const u = await call(app, 'PUT', `${url}/${id}`, { token: w.admin.token, body: r.update });
      expectStatus(u, 200);
      const p = await call(app, 'PATCH', `${url}/${id}`, { token: w.admin.token, body: r.update });
      expectStatus(p, 200);
      r.check?.(c.data.data, u.data.data);
      const audit = await call(app, 'GET', '/api/v1/audit-logs', {
        token: w.admin.token,
        query: { entity_id: id },
      });
      assert.ok(audit.data.data.some((a: any) => a.action === 'create'));
      expectStatus(await call(app, 'DELETE', `${url}/${id}`, { token: w.admin.token }), 204);
      expectError(await call(app, 'GET', `${url}/${id}`, { token: w.admin.token }), 404);
    });

    it(`${r.path}: 400 with field details`, async () => {
      const res = await call(app, 'POST', url, { token: w.admin.token, body: r.bad });
      expectError(res, 400, 'validation_failed');
      const fields = res.data.error.details.map((d: any) => d.field);
      for (const f of r.badFields) assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
      const c = await call(app, 'POST', url, { token: w.admin.token, body: r.create() });
      expectError(
        await call(app, 'PATCH', `${url}/${c.data.data.id}`, { token: w.admin.token, body: {} }),
        400,
      );
      expectError(await call(app, 'GET', `${url}/not-a-uuid`, { token: w.admin.token }), 400);
      expectError(await call(app, 'GET', url, { token: w.admin.token, query: { page_size: 1000 } }), 400);
    });

    it(`${r.path}: 401 without a token, 403 for a role that may not`, async () => {
      expectError(await call(app, 'GET', url), 401, 'unauthenticated');
      expectError(await call(app, 'POST', url, { body: r.create() }), 401);
      expectError(await call(app, 'GET', url, { token: nobody.token }), 403, 'forbidden');
      expectError(await call(app, 'POST', url, { token: student.token, body: r.create() }), 403, 'forbidden');
      const c = await call(app, 'POST', url, { token: w.admin.token, body: r.create() });
      const id = c.data.data.id;
      expectError(await call(app, 'PUT', `${url}/${id}`, { token: student.token, body: r.update }), 403);
      expectError(await call(app, 'DELETE', `${url}/${id}`, { token: student.token }), 403);
    });

    it(`${r.path}: another tenant's record answers 404 and is never listed`, async () => {
      const c = await call(app, 'POST', url, { token: w.admin.token, body: r.create() });
      const id = c.data.data.id;
      const t = w.otherAdmin.token;
      expectError(await call(app, 'GET', `${url}/${id}`, { token: t }), 404, 'not_found');
      expectError(await call(app, 'PUT', `${url}/${id}`, { token: t, body: r.update }), 404);
      expectError(await call(app, 'PATCH', `${url}/${id}`, { token: t, body: r.update }), 404);
      expectError(await call(app, 'DELETE', `${url}/${id}`, { token: t }), 404);
      const list = await call(app, 'GET', url, { token: t, query: { page_size: 100 } });
      assert.ok(list.data.data.every((x: any) => x.id !== id));
      // Creating into an organization outside one's scope is a 404 too.
      expectError(
        await call(app, 'POST', url, { token: t, body: { ...r.create(), organization_id: w.org.id } }),
        404,
      );
    });
  }
});
