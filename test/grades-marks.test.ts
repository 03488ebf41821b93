import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { captureQueries } from './helpers/attendance.js';
import {
  assignTeacher,
  enrollDirect,
  makeAssessment,
  makeClass,
  makeGradesWorld,
  makeStudent,
} from './helpers/grades.js';

const V = '/api/v1';

describe('grades: marks entry', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, 3);
  });
  after(() => app.close());

  it("writes a class's marks for one assessment in ONE statement, the same for 5 and 60 students", async () => {
    const counts: Record<number, number> = {};
    for (const n of [5, 60]) {
      const cls = await makeClass(app, w.org, { name: `Big ${n}` });
      await assignTeacher(app, w.teacher.id, cls.id);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const s = await makeStudent(app, w.org, { firstName: `B${i}` });
        await enrollDirect(app, s.id, cls);
        ids.push(s.id);
      }
      const aid = await makeAssessment(app, w.teacher.token, { class_id: cls.id, max_marks: 50 });
      let res: Awaited<ReturnType<typeof call>> | undefined;
      const queries = await captureQueries(app, async () => {
        res = await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
          token: w.teacher.token,
          body: {
            marks: ids.map((id, i) =>
              i % 9 === 0 ? { student_id: id, state: 'excused' } : { student_id: id, marks: i % 50 },
            ),
          },
        });
      });
      expectStatus(res!, 200);
      assert.equal(res!.data.data.created, n);
      const touching = queries.filter((q) => /(insert into|update|delete from) "?assessment_marks/i.test(q));
      assert.equal(touching.length, 1, `statements writing assessment_marks: ${touching.length}`);
      assert.match(touching[0], /unnest\(/);
      assert.match(touching[0], /on conflict \(assessment_id, student_id\) do update/);
      assert.match(touching[0], /insert into audit_logs/);
      counts[n] = queries.length;
      const [{ c }] = (
        await app.deps.db.execute(
          sql`select count(*)::int as c from assessment_marks where assessment_id = ${aid}`,
        )
      ).rows as Array<{ c: number }>;
      assert.equal(c, n);
    }
    assert.equal(counts[5], counts[60], JSON.stringify(counts));
    assert.ok(counts[60] <= 3, `total statements: ${counts[60]}`);
  });

  it('refuses the whole batch when one student is not enrolled or over max marks, naming each', async () => {
    const aid = await makeAssessment(app, w.teacher.token, { class_id: w.cls.id, max_marks: 10 });
    const r = await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
      token: w.teacher.token,
      body: {
        marks: [
          { student_id: w.students[0].id, marks: 8 },
          { student_id: w.otherStudent.id, marks: 5 },
          { student_id: w.students[1].id, marks: 11 },
        ],
      },
    });
    expectError(r, 422, 'invalid_marks');
    assert.deepEqual(
      r.data.error.details.map((d: any) => d.field),
      ['marks/1', 'marks/2'],
    );
    const list = await call(app, 'GET', `${V}/assessments/${aid}/marks`, { token: w.teacher.token });
    assert.equal(list.data.data.length, 0);
    expectError(
      await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
        token: w.teacher.token,
        body: {
          marks: [
            { student_id: w.students[0].id, marks: 1 },
            { student_id: w.students[0].id, marks: 2 },
          ],
        },
      }),
      422,
      'duplicate_students',
    );
    expectError(
      await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
        token: w.teacher.token,
        body: { marks: [{ student_id: w.students[0].id, state: 'scored' }] },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
        token: w.teacher.token,
        body: { marks: [{ student_id: w.students[0].id, state: 'excused', marks: 3 }] },
      }),
      400,
    );
  });

  it('single-cell edits: versions grow, a stale expected_version is 409, unchanged values are not rewritten', async () => {
    const aid = await makeAssessment(app, w.teacher.token, { class_id: w.cls.id, max_marks: 20 });
    const s = w.students[0].id;
    const one = await call(app, 'PUT', `${V}/assessments/${aid}/marks/${s}`, {
      token: w.teacher.token,
      body: { marks: 12, comment: 'Good', expected_version: 0 },
    });
    expectStatus(one, 200);
    assert.deepEqual([one.data.data.marks, one.data.data.version, one.data.data.comment], [12, 1, 'Good']);
    const two = await call(app, 'PUT', `${V}/assessments/${aid}/marks/${s}`, {
      token: w.admin.token,
      body: { marks: 14, expected_version: 1 },
    });
    assert.equal(two.data.data.version, 2);
    expectError(
      await call(app, 'PUT', `${V}/assessments/${aid}/marks/${s}`, {
        token: w.teacher.token,
        body: { marks: 15, expected_version: 1 },
      }),
      409,
      'stale_mark',
    );
    const same = await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
      token: w.teacher.token,
      body: { marks: [{ student_id: s, marks: 14 }] },
    });
    assert.deepEqual([same.data.data.updated, same.data.data.unchanged], [0, 1]);
  });

  it('two teachers of one class editing the same mark concurrently lose no write and leave an audit trail', async () => {
    const t2 = w.otherTeacher;
    await assignTeacher(app, t2.id, w.cls.id);
    const aid = await makeAssessment(app, w.teacher.token, { class_id: w.cls.id, max_marks: 100 });
    const s = w.students[1].id;
    const n = isPostgres() ? 10 : 4;
    const results = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        call(app, 'PUT', `${V}/assessments/${aid}/marks/${s}`, {
          token: k % 2 ? t2.token : w.teacher.token,
          body: { marks: 50 + k },
        }),
      ),
    );
    for (const r of results) expectStatus(r, 200);
    const rows = (
      await app.deps.db.execute(
        sql`select marks::float8 as marks, version from assessment_marks where assessment_id = ${aid}`,
      )
    ).rows as Array<{ marks: number; version: number }>;
    assert.equal(rows.length, 1);
    // Every write applied once, in some order: one insert plus n - 1 updates.
    assert.equal(rows[0].version, n);
    const audits = (
      await app.deps.db.execute(
        sql`select actor_id, after from audit_logs where entity_type = 'assessment' and entity_id = ${aid} and action = 'marks.write'`,
      )
    ).rows as Array<{ actor_id: string; after: unknown }>;
    assert.equal(audits.length, n);
    assert.equal(new Set(audits.map((a) => a.actor_id)).size, 2);
    // The last audited "to" value is the value the row holds.
    const tos = audits.map(
      (a) =>
        (typeof a.after === 'string' ? JSON.parse(a.after) : a.after) as {
          changes: Array<{ to: { marks: number } }>;
        },
    );
    assert.ok(tos.some((a) => Number(a.changes[0]?.to.marks) === rows[0].marks));
  });
});
