import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { makeClass } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { captureQueries, makeAttendanceWorld } from './helpers/attendance.js';
import { makeUser } from './helpers/factories.js';

const A = '/api/v1/attendance';
type W = Awaited<ReturnType<typeof makeAttendanceWorld>>;

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  url: (w: W, ids: Ids) => string;
  /** A valid request in the actor's scope. */
  ok: (w: W, ids: Ids) => { token: string; body?: unknown; query?: Record<string, any>; status: number };
  bad: (w: W, ids: Ids) => { body?: unknown; query?: Record<string, any>; url?: string };
  forbidden: (w: W, noRole: string) => string;
  /** The same request on a record outside the actor's scope (answers 404, or an empty list for feeds). */
  outOfScope: (
    w: W,
    ids: Ids,
  ) => { url?: string; body?: unknown; query?: Record<string, any>; token: string; empty?: boolean };
}

interface Ids {
  sessionId: string;
  otherSessionId: string;
  recordId: string;
  otherRecordId: string;
}

const cases: Case[] = [
  {
    name: 'POST /attendance/sessions',
    method: 'POST',
    url: () => `${A}/sessions`,
    ok: (w) => ({
      token: w.teacher.token,
      body: { class_id: w.cls.id, session_date: '2026-02-02', period: 3 },
      status: 201,
    }),
    bad: (w) => ({
      body: { class_id: w.cls.id, session_date: '02/02/2026', evidence_url: 'javascript:alert(1)', bogus: 1 },
    }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w) => ({
      token: w.teacher.token,
      body: { class_id: w.otherCls.id, session_date: '2026-02-02' },
    }),
  },
  {
    name: 'GET /attendance/sessions',
    method: 'GET',
    url: () => `${A}/sessions`,
    ok: (w) => ({ token: w.teacher.token, query: { class_id: w.cls.id }, status: 200 }),
    bad: () => ({ query: { from: 'yesterday' } }),
    forbidden: (w) => w.parent.token,
    outOfScope: (w) => ({ token: w.teacher.token, query: { class_id: w.otherCls.id }, empty: true }),
  },
  {
    name: 'GET /attendance/sessions/{id}',
    method: 'GET',
    url: (_w, ids) => `${A}/sessions/${ids.sessionId}`,
    ok: (w) => ({ token: w.staff.token, status: 200 }),
    bad: () => ({ url: `${A}/sessions/not-a-uuid` }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w, ids) => ({ token: w.teacher.token, url: `${A}/sessions/${ids.otherSessionId}` }),
  },
  {
    name: 'PUT /attendance/sessions/{id}/records',
    method: 'PUT',
    url: (_w, ids) => `${A}/sessions/${ids.sessionId}/records`,
    ok: (w) => ({
      token: w.teacher.token,
      body: { records: [{ roll_no: '23/CS/102', status: 'late', minutes_late: 2 }] },
      status: 200,
    }),
    bad: () => ({ body: { records: [{ roll_no: '23/CS/102', status: 'sleeping' }] } }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w, ids) => ({
      token: w.teacher.token,
      url: `${A}/sessions/${ids.otherSessionId}/records`,
      body: { records: [{ roll_no: '23/CS/999', status: 'absent' }] },
    }),
  },
  {
    name: 'POST /attendance',
    method: 'POST',
    url: () => A,
    ok: (w) => ({
      token: w.teacher.token,
      body: { class_id: w.cls.id, date: '2026-02-03', roll_no: '23/CS/101', status: 'present' },
      status: 201,
    }),
    bad: (w) => ({ body: { class_id: w.cls.id, date: '2026-02-03', roll_no: '23/CS/101' } }),
    forbidden: (w) => w.parent.token,
    outOfScope: (w) => ({
      token: w.teacher.token,
      body: { class_id: w.otherCls.id, date: '2026-02-03', roll_no: '23/CS/999', status: 'absent' },
    }),
  },
  {
    name: 'POST /attendance/bulk',
    method: 'POST',
    url: () => `${A}/bulk`,
    ok: (w) => ({
      token: w.staff.token,
      body: { class_id: w.cls.id, date: '2026-02-04', records: [{ roll_no: '23/CS/101', status: 'absent' }] },
      status: 200,
    }),
    bad: (w) => ({ body: { class_id: w.cls.id, date: '2026-02-04', records: [] } }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w) => ({
      token: w.otherAdmin.token,
      body: { class_id: w.cls.id, date: '2026-02-04', records: [{ roll_no: '23/CS/101', status: 'absent' }] },
    }),
  },
  {
    name: 'PUT /attendance/{id}',
    method: 'PUT',
    url: (_w, ids) => `${A}/${ids.recordId}`,
    ok: (w) => ({
      token: w.teacher.token,
      body: { status: 'excused', remarks: 'Note from home' },
      status: 200,
    }),
    bad: () => ({ body: {} }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w, ids) => ({
      token: w.teacher.token,
      url: `${A}/${ids.otherRecordId}`,
      body: { status: 'present' },
    }),
  },
  {
    name: 'GET /attendance',
    method: 'GET',
    url: () => A,
    ok: (w) => ({ token: w.students[0].token, status: 200 }),
    bad: () => ({ query: { attendance_status: 'asleep' } }),
    forbidden: (_w, noRole) => noRole,
    outOfScope: (w) => ({ token: w.teacher.token, query: { class_id: w.otherCls.id }, empty: true }),
  },
  {
    name: 'GET /classes/{id}/attendance',
    method: 'GET',
    url: (w) => `/api/v1/classes/${w.cls.id}/attendance`,
    ok: (w) => ({ token: w.teacher.token, query: { date: '2026-02-01' }, status: 200 }),
    bad: () => ({ query: {} }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w) => ({
      token: w.teacher.token,
      url: `/api/v1/classes/${w.otherCls.id}/attendance`,
      query: { date: '2026-02-01' },
    }),
  },
  {
    name: 'GET /attendance/summary',
    method: 'GET',
    url: () => `${A}/summary`,
    ok: (w) => ({ token: w.parent.token, query: { student_id: w.students[0].id }, status: 200 }),
    bad: (w) => ({ query: { student_id: w.students[0].id, class_id: w.cls.id } }),
    forbidden: (_w, noRole) => noRole,
    outOfScope: (w) => ({ token: w.students[0].token, query: { student_id: w.students[1].id } }),
  },
  {
    name: 'GET /attendance/reports',
    method: 'GET',
    url: () => `${A}/reports`,
    ok: (w) => ({ token: w.admin.token, query: { group_by: 'class' }, status: 200 }),
    bad: () => ({ query: { group_by: 'planet' } }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w) => ({ token: w.otherAdmin.token, query: { class_id: w.cls.id }, empty: true }),
  },
  {
    name: 'GET /attendance/defaulters',
    method: 'GET',
    url: () => `${A}/defaulters`,
    ok: (w) => ({ token: w.teacher.token, query: { threshold: 90 }, status: 200 }),
    bad: () => ({ query: { threshold: 120 } }),
    forbidden: (w) => w.parent.token,
    outOfScope: (w) => ({
      token: w.otherTeacher.token,
      query: { class_id: w.cls.id, threshold: 100 },
      empty: true,
    }),
  },
  {
    name: 'GET /classes/{id}/attendance-summary',
    method: 'GET',
    url: (w) => `/api/v1/classes/${w.cls.id}/attendance-summary`,
    ok: (w) => ({ token: w.teacher.token, status: 200 }),
    bad: () => ({ query: { date_from: 'soon' } }),
    forbidden: (w) => w.students[0].token,
    outOfScope: (w) => ({ token: w.otherTeacher.token }),
  },
  {
    name: 'GET /attendance/settings/{organization_id}',
    method: 'GET',
    url: (w) => `${A}/settings/${w.org.id}`,
    ok: (w) => ({ token: w.admin.token, status: 200 }),
    bad: () => ({ url: `${A}/settings/123` }),
    forbidden: (w) => w.teacher.token,
    outOfScope: (w) => ({ token: w.otherAdmin.token }),
  },
  {
    name: 'PUT /attendance/settings/{organization_id}',
    method: 'PUT',
    url: (w) => `${A}/settings/${w.org.id}`,
    ok: (w) => ({ token: w.admin.token, body: { alert_threshold: 80 }, status: 200 }),
    bad: () => ({ body: { alert_threshold: 101 } }),
    forbidden: (w) => w.staff.token,
    outOfScope: (w) => ({ token: w.otherAdmin.token, body: { alert_threshold: 80 } }),
  },
  {
    name: 'POST /attendance/settings/{organization_id}/unlock',
    method: 'POST',
    url: (w) => `${A}/settings/${w.org.id}/unlock`,
    ok: (w) => ({ token: w.admin.token, body: { minutes: 1 }, status: 200 }),
    bad: () => ({ body: { minutes: 0 } }),
    forbidden: (w) => w.teacher.token,
    outOfScope: (w) => ({ token: w.otherAdmin.token, body: { minutes: 1 } }),
  },
  {
    name: 'POST /attendance/settings/{organization_id}/lock',
    method: 'POST',
    url: (w) => `${A}/settings/${w.org.id}/lock`,
    ok: (w) => ({ token: w.admin.token, status: 200 }),
    bad: () => ({ url: `${A}/settings/nope/lock` }),
    forbidden: (w) => w.teacher.token,
    outOfScope: (w) => ({ token: w.otherAdmin.token }),
  },
];

describe('attendance: access and validation for every endpoint', () => {
  let app: App;
  let w: W;
  let ids: Ids;
  let noRole: string;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 3);
    noRole = (await makeUser(app, w.org, null)).token;
    const s1 = await call(app, 'POST', `${A}/sessions`, {
      token: w.teacher.token,
      body: { class_id: w.cls.id, session_date: '2026-02-01' },
    });
    const s2 = await call(app, 'POST', `${A}/sessions`, {
      token: w.otherTeacher.token,
      body: { class_id: w.otherCls.id, session_date: '2026-02-01' },
    });
    await call(app, 'PUT', `${A}/sessions/${s1.data.data.id}/records`, {
      token: w.teacher.token,
      body: {
        records: [
          { roll_no: '23/CS/101', status: 'present' },
          { roll_no: '23/CS/102', status: 'absent' },
        ],
      },
    });
    await call(app, 'PUT', `${A}/sessions/${s2.data.data.id}/records`, {
      token: w.otherTeacher.token,
      body: { records: [{ roll_no: '23/CS/999', status: 'present' }] },
    });
    const r1 = await call(app, 'GET', A, { token: w.teacher.token, query: { class_id: w.cls.id } });
    const r2 = await call(app, 'GET', A, { token: w.otherTeacher.token, query: { class_id: w.otherCls.id } });
    ids = {
      sessionId: s1.data.data.id,
      otherSessionId: s2.data.data.id,
      recordId: r1.data.data[0].id,
      otherRecordId: r2.data.data[0].id,
    };
  });
  after(() => app.close());

  for (const c of cases) {
    it(`${c.name}: happy path`, async () => {
      const ok = c.ok(w, ids);
      expectStatus(await call(app, c.method, c.url(w, ids), ok), ok.status);
    });
    it(`${c.name}: 400 with field details`, async () => {
      const bad = c.bad(w, ids);
      const res = await call(app, c.method, bad.url ?? c.url(w, ids), { token: w.admin.token, ...bad });
      expectError(res, 400);
      assert.ok(res.data.error.details.length > 0, res.body);
    });
    it(`${c.name}: 401 without a token`, async () => {
      const ok = c.ok(w, ids);
      expectError(await call(app, c.method, c.url(w, ids), { body: ok.body, query: ok.query }), 401);
    });
    it(`${c.name}: 403 for a role that may not`, async () => {
      const ok = c.ok(w, ids);
      const res = await call(app, c.method, c.url(w, ids), { ...ok, token: c.forbidden(w, noRole) });
      expectError(res, 403, 'forbidden');
    });
    it(`${c.name}: out of scope answers 404 (or nothing) and changes nothing`, async () => {
      const o = c.outOfScope(w, ids);
      const before = await snapshot(app);
      const res = await call(app, c.method, o.url ?? c.url(w, ids), o);
      if (o.empty) {
        expectStatus(res, 200);
        assert.equal(res.data.data.length, 0, res.body);
      } else {
        expectError(res, 404, 'not_found');
      }
      assert.equal(await snapshot(app), before);
    });
  }

  it("a teacher cannot read or change another teacher's class data in any way", async () => {
    const before = await snapshot(app);
    const t = w.teacher.token;
    for (const [m, url, body] of [
      ['GET', `${A}/sessions/${ids.otherSessionId}`, undefined],
      [
        'PUT',
        `${A}/sessions/${ids.otherSessionId}/records`,
        { records: [{ student_id: w.outsider.id, status: 'absent' }] },
      ],
      [
        'POST',
        `${A}/bulk`,
        {
          class_id: w.otherCls.id,
          date: '2026-02-01',
          records: [{ student_id: w.outsider.id, status: 'absent' }],
        },
      ],
      ['PUT', `${A}/${ids.otherRecordId}`, { status: 'absent' }],
      ['GET', `/api/v1/classes/${w.otherCls.id}/attendance-summary`, undefined],
    ] as const) {
      expectError(await call(app, m, url, { token: t, body }), 404);
    }
    const sum = await call(app, 'GET', `${A}/summary`, { token: t, query: { class_id: w.otherCls.id } });
    expectError(sum, 404);
    assert.equal(await snapshot(app), before);
  });

  it('marks a 60-student class in one request with ONE SQL statement (constant in class size)', async () => {
    const counts: Record<number, { total: number; records: number }> = {};
    for (const n of [5, 60]) {
      const cls = await makeClass(app, w.org, { name: `Big ${n}` });
      await bulkStudents(app, w.org.id, cls.id, n);
      const roster = await app.deps.db.execute(
        sql`select student_id from enrollments where class_id = ${cls.id} order by student_id`,
      );
      const records = (roster as any).rows.map((r: any, i: number) => ({
        student_id: r.student_id,
        status: i % 7 === 0 ? 'absent' : 'present',
      }));
      let res: any;
      const queries = await captureQueries(app, async () => {
        res = await call(app, 'POST', `${A}/bulk`, {
          token: w.admin.token,
          body: { class_id: cls.id, date: '2026-03-02', records },
        });
      });
      expectStatus(res, 200);
      assert.equal(res.data.data.created, n);
      // Exactly one statement writes the records; the guardian alerts wired on main add a constant number of
      // set-based statements after it (threshold check, one lookup, two notification inserts).
      const touching = queries.filter((q) => /(insert into|update|delete from) attendance_records/.test(q));
      assert.equal(touching.length, 1, `statements writing attendance_records: ${touching.length}`);
      assert.match(touching[0], /insert into attendance_records/);
      assert.match(touching[0], /unnest\(/);
      assert.match(touching[0], /on conflict \(session_id, student_id\) do update/);
      counts[n] = { total: queries.length, records: touching.length };
    }
    // Auth lookup + the one marking statement (+ the constant alert statements); none per student.
    assert.equal(counts[5].total, counts[60].total);
    assert.ok(counts[60].total <= 6, `total statements: ${counts[60].total}`);
  });

  it('resolves roll numbers only to live, enrolled students of the class: ambiguous and unknown rolls refuse all', async () => {
    const cls = await makeClass(app, w.org, { name: 'Rolls' });
    await bulkStudents(app, w.org.id, cls.id, 4);
    const roster = (await app.deps.db.execute(sql`
      select st.id, st.roll_no from enrollments e join students st on st.id = e.student_id
       where e.class_id = ${cls.id} order by st.roll_no`)) as any;
    const [s1, s2, s3, s4] = roster.rows as Array<{ id: string; roll_no: string }>;
    const tag = uniq('R');
    // Two enrolled students share a roll number; one roll belongs to a student of the organization who is
    // not in this class; one to an enrolled student who was deleted.
    await app.deps.db.execute(sql`update students set roll_no = ${s1.roll_no} where id = ${s2.id}`);
    await app.deps.db.execute(sql`
      insert into students (id, organization_id, student_number, first_name, last_name, email, roll_no)
      values (gen_random_uuid(), ${w.org.id}, ${`${tag}-NE`}, 'Not', 'Enrolled', ${`${tag}ne@example.test`},
              ${`${tag}/NE`})`);
    await app.deps.db.execute(sql`
      with s as (
        insert into students (id, organization_id, student_number, first_name, last_name, email, roll_no,
                              deleted_at)
        values (gen_random_uuid(), ${w.org.id}, ${`${tag}-DEL`}, 'Gone', 'Student', ${`${tag}del@example.test`},
                ${`${tag}/DEL`}, now())
        returning id)
      insert into enrollments (id, organization_id, student_id, class_id)
      select gen_random_uuid(), ${w.org.id}, s.id, ${cls.id} from s`);
    const before = await snapshot(app);
    const refused = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: {
        class_id: cls.id,
        date: '2026-03-05',
        records: [
          { roll_no: s1.roll_no, status: 'present' },
          { roll_no: `${tag}/NE`, status: 'present' },
          { roll_no: `${tag}/DEL`, status: 'present' },
          { roll_no: s3.roll_no, status: 'present' },
          { student_id: s4.id, status: 'absent' },
        ],
      },
    });
    expectError(refused, 422, 'unknown_students');
    assert.deepEqual(
      refused.data.error.details.map((d: any) => [d.field, d.message]),
      [
        ['records.0', 'matches several students'],
        ['records.1', 'is not an enrolled student of this class'],
        ['records.2', 'is not an enrolled student of this class'],
      ],
    );
    assert.equal(await snapshot(app), before, 'nothing written');
    // The same student by roll number and by id is a duplicate.
    const dup = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: {
        class_id: cls.id,
        date: '2026-03-05',
        records: [
          { roll_no: s3.roll_no, status: 'present' },
          { student_id: s3.id, status: 'absent' },
        ],
      },
    });
    expectError(dup, 422, 'duplicate_students');
    assert.equal(await snapshot(app), before, 'nothing written');
    const ok = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: {
        class_id: cls.id,
        date: '2026-03-05',
        records: [
          { roll_no: s3.roll_no, status: 'late', minutes_late: 3 },
          { student_id: s4.id, status: 'absent' },
        ],
      },
    });
    expectStatus(ok, 200);
    assert.equal(ok.data.data.created, 2);
    const written = (await app.deps.db.execute(sql`
      select student_id, status::text from attendance_records
       where class_id = ${cls.id} and attendance_date = '2026-03-05' order by status`)) as any;
    assert.deepEqual(
      written.rows.map((r: any) => [r.student_id, r.status]),
      [
        [s4.id, 'absent'],
        [s3.id, 'late'],
      ],
    );
  });

  it('marks 10,000 records in one bulk request', { timeout: 120_000 }, async () => {
    const n = Number(process.env.BULK_N ?? 10_000);
    const cls = await makeClass(app, w.org, { name: 'Stadium' });
    await bulkStudents(app, w.org.id, cls.id, n);
    const roster = await app.deps.db.execute(
      sql`select st.roll_no from enrollments e join students st on st.id = e.student_id where e.class_id = ${cls.id}`,
    );
    const records = (roster as any).rows.map((r: any, i: number) => ({
      roll_no: r.roll_no,
      status: i % 10 === 0 ? 'late' : 'present',
      ...(i % 10 === 0 ? { minutes_late: 5 } : {}),
    }));
    assert.equal(records.length, n);
    const t0 = performance.now();
    const res = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: { class_id: cls.id, date: '2026-03-03', records },
    });
    const ms = performance.now() - t0;
    expectStatus(res, 200);
    assert.equal(res.data.data.created, n);
    // Re-marking the same class is an upsert: nothing new, only the changed rows count as updated.
    records[0].status = 'absent';
    delete records[0].minutes_late;
    const again = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: { class_id: cls.id, date: '2026-03-03', records },
    });
    expectStatus(again, 200);
    assert.deepEqual([again.data.data.created, again.data.data.updated], [0, 1]);
    const over = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: { class_id: cls.id, date: '2026-03-04', records: [...records, records[0]] },
    });
    expectError(over, 400);
    console.log(`# 10,000-record bulk marking took ${ms.toFixed(0)} ms`);
  });
});

/** Counts and a checksum of attendance rows, to prove a refused request changed nothing. */
async function snapshot(app: App): Promise<string> {
  const res = await app.deps.db.execute(sql`
    select (select count(*) from attendance_records)::int as n,
           (select count(*) from attendance_sessions)::int as s,
           (select coalesce(string_agg(id::text || status::text || coalesce(remarks, ''), ',' order by id), '')
              from attendance_records) as sig`);
  return JSON.stringify((res as any).rows[0]);
}

/** `n` students (no logins) enrolled in the class, set-based, with roll numbers R-0001…. */
async function bulkStudents(app: App, orgId: string, classId: string, n: number) {
  const tag = uniq('B');
  await app.deps.db.execute(sql`
    with s as (
      insert into students (id, organization_id, student_number, first_name, last_name, email, roll_no)
      select gen_random_uuid(), ${orgId}, ${tag} || '-' || g, 'Bulk', 'Student ' || g, ${tag} || g || '@example.test',
             ${tag} || '/' || lpad(g::text, 5, '0')
        from generate_series(1, ${n}) g
      returning id
    )
    insert into enrollments (id, organization_id, student_id, class_id)
    select gen_random_uuid(), ${orgId}, s.id, ${classId} from s`);
}
