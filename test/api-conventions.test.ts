import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QUERY_ALIASES } from '../src/kernel/query-aliases.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';
import { makeWorld } from './helpers/factories.js';

/** docs/api-conventions.md, checked over /openapi.json: every operation, including ones added later. */
describe('API conventions in the OpenAPI document', () => {
  let app: App;
  let doc: any;
  before(async () => {
    app = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  });
  after(() => app.close());

  const queryParams = () => {
    const out: Array<{ op: string; name: string; deprecated: boolean; format?: string }> = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      if (path.startsWith('/ims/')) continue; // OneRoster keeps its standard's names
      for (const [method, op] of Object.entries<any>(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.in !== 'query') continue;
          out.push({
            op: `${method.toUpperCase()} ${path}`,
            name: p.name,
            deprecated: Boolean(p.deprecated || p.schema?.deprecated),
            format: p.schema?.format,
          });
        }
      }
    }
    return out;
  };

  it('walks a real document', () => {
    assert.ok(queryParams().length > 300);
  });

  it('query parameters are snake_case', () => {
    const bad = queryParams().filter((p) => !/^[a-z][a-z0-9_]*$/.test(p.name));
    assert.deepEqual(bad, []);
  });

  it('date ranges are from/to; the old names appear only as deprecated aliases, beside the new ones', () => {
    const params = queryParams();
    const old = new Map(QUERY_ALIASES);
    const wrong = params.filter((p) => old.has(p.name) && !p.deprecated);
    assert.deepEqual(wrong, [], 'date_from/date_to must be marked deprecated');
    for (const p of params.filter((x) => old.has(x.name))) {
      assert.ok(
        params.some((x) => x.op === p.op && x.name === old.get(p.name)),
        `${p.op} has ${p.name} but not ${old.get(p.name)}`,
      );
    }
    // No other spelling of a date range creeps in (a lone date that says what it is, e.g. an allocation's
    // end_date, is not a range).
    const pairs = [
      ['start_date', 'end_date'],
      ['from_date', 'to_date'],
      ['date_start', 'date_end'],
      ['since', 'until'],
    ];
    const others = params.filter((p) =>
      pairs.some(([a, b]) => p.name === a && params.some((x) => x.op === p.op && x.name === b)),
    );
    assert.deepEqual(others, []);
    // A from/to pair is a pair of dates.
    for (const p of params.filter((x) => x.name === 'from' || x.name === 'to')) {
      assert.ok(['date', 'date-time'].includes(String(p.format)), `${p.op} ${p.name} is a date`);
    }
  });

  it('the deprecated names still work and say so; mixing both with different values is 400', async () => {
    const w = await makeWorld(app, 'school');
    const q = { from: '2026-09-01', to: '2026-09-30' };
    const now = await call(app, 'GET', '/api/v1/attendance', { token: w.admin.token, query: q });
    expectStatus(now, 200);
    assert.equal(now.headers.deprecation, undefined);
    const old = await call(app, 'GET', '/api/v1/attendance', {
      token: w.admin.token,
      query: { date_from: q.from, date_to: q.to },
    });
    expectStatus(old, 200);
    assert.equal(old.headers.deprecation, 'true');
    const bad = await call(app, 'GET', '/api/v1/attendance', {
      token: w.admin.token,
      query: { from: '2026-09-01', date_from: '2026-09-02' },
    });
    expectError(bad, 400, 'validation_failed');
  });

  it('numbers are JSON numbers: course credits', async () => {
    const w = await makeWorld(app, 'school');
    const c = await call(app, 'POST', '/api/v1/courses', {
      token: w.admin.token,
      body: { organization_id: w.org.id, code: 'BIO-1', name: 'Biology', credits: 1.5 },
    });
    expectStatus(c, 201);
    assert.equal(c.data.data.credits, 1.5);
    const listed = await call(app, 'GET', '/api/v1/courses', { token: w.admin.token });
    assert.equal(typeof listed.data.data[0].credits, 'number');
  });
  it('the attendance date is attendance_date; session_date and date still work as deprecated names', async () => {
    const w = await makeAttendanceWorld(app, 1);
    const t = w.teacher.token;
    const s0 = w.students[0].id;
    const bulk = await call(app, 'POST', '/api/v1/attendance/bulk', {
      token: t,
      body: {
        class_id: w.cls.id,
        attendance_date: '2026-09-07',
        records: [{ student_id: s0, status: 'present' }],
      },
    });
    assert.ok([200, 201].includes(bulk.statusCode), bulk.body);
    assert.equal(bulk.data.data.attendance_date, '2026-09-07');
    assert.equal(bulk.data.data.date, '2026-09-07');
    const old = await call(app, 'POST', '/api/v1/attendance/bulk', {
      token: t,
      body: { class_id: w.cls.id, date: '2026-09-08', records: [{ student_id: s0, status: 'late' }] },
    });
    assert.ok([200, 201].includes(old.statusCode), old.body);
    expectError(
      await call(app, 'POST', '/api/v1/attendance/bulk', {
        token: t,
        body: { class_id: w.cls.id, records: [{ student_id: s0, status: 'late' }] },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', '/api/v1/attendance/bulk', {
        token: t,
        body: {
          class_id: w.cls.id,
          date: '2026-09-08',
          attendance_date: '2026-09-09',
          records: [{ student_id: s0, status: 'late' }],
        },
      }),
      400,
    );
    const session = await call(app, 'POST', '/api/v1/attendance/sessions', {
      token: t,
      body: { class_id: w.cls.id, attendance_date: '2026-09-10' },
    });
    expectStatus(session, 201);
    assert.equal(session.data.data.attendance_date, '2026-09-10');
    assert.equal(session.data.data.session_date, '2026-09-10');
    expectStatus(
      await call(app, 'POST', '/api/v1/attendance/sessions', {
        token: t,
        body: { class_id: w.cls.id, session_date: '2026-09-11' },
      }),
      201,
    );
    const day = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: t,
      query: { attendance_date: '2026-09-08' },
    });
    expectStatus(day, 200);
    assert.equal(day.data.data[0].status, 'late');
    // In the document the old names are marked deprecated.
    const props = (schema: any) => schema?.properties ?? {};
    const bodyOf = (path: string) => Object.values<any>(doc.paths[path].post.requestBody.content)[0].schema;
    assert.equal(props(bodyOf('/api/v1/attendance/bulk')).date.deprecated, true);
    assert.equal(props(bodyOf('/api/v1/attendance/sessions')).session_date.deprecated, true);
    const dateParam = doc.paths['/api/v1/classes/{id}/attendance'].get.parameters.find(
      (p: any) => p.name === 'date',
    );
    assert.ok(dateParam.deprecated || dateParam.schema?.deprecated);
  });
  it('people records take PATCH; their partial PUT is marked deprecated', () => {
    for (const path of [
      '/api/v1/students/{id}',
      '/api/v1/faculty/{id}',
      '/api/v1/staff/{id}',
      '/api/v1/guardians/{id}',
    ]) {
      assert.ok(doc.paths[path].patch, `PATCH ${path}`);
      assert.equal(doc.paths[path].put.deprecated, true, `PUT ${path} is deprecated`);
      assert.notEqual(doc.paths[path].patch.deprecated, true);
    }
  });
  it('wherever PATCH and PUT share a path, PATCH is the method and PUT is marked deprecated', () => {
    const both = Object.entries<any>(doc.paths).filter(([, ops]) => ops.put && ops.patch);
    assert.ok(
      both.some(([path]) => path === '/api/v1/departments/{id}'),
      'the CRUD factory resources are among them',
    );
    const bad = both.filter(([, ops]) => ops.put.deprecated !== true || ops.patch.deprecated === true);
    assert.deepEqual(
      bad.map(([path]) => path),
      [],
    );
  });
});
