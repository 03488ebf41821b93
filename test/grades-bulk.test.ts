import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type App, buildTestApp, call } from './helpers/app.js';
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

describe('grades: POST /grades/bulk is set-based', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, 2);
  });
  after(() => app.close());

  async function classOf(n: number) {
    const cls = await makeClass(app, w.org, { name: `Bulk ${n}`, courseId: w.course.id });
    await assignTeacher(app, w.teacher.id, cls.id);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = await makeStudent(app, w.org, { firstName: `G${i}` });
      await enrollDirect(app, s.id, cls);
      ids.push(s.id);
    }
    const aid = await makeAssessment(app, w.teacher.token, { class_id: cls.id, max_marks: 50 });
    const marks = await call(app, 'POST', `${V}/assessments/${aid}/marks`, {
      token: w.teacher.token,
      body: { marks: ids.map((id, i) => ({ student_id: id, marks: 20 + (i % 30) })) },
    });
    expectStatus(marks, 200);
    return { cls, ids };
  }

  it('should take the same number of statements for 5 and 60 grades (given and computed values)', async () => {
    const counts: Record<number, number> = {};
    for (const n of [5, 60]) {
      const { cls, ids } = await classOf(n);
      const body = {
        grades: ids.map((id, i) =>
          i % 3 === 0
            ? { student_id: id, class_id: cls.id }
            : i % 3 === 1
              ? { student_id: id, class_id: cls.id, percent: 71 }
              : { student_id: id, class_id: cls.id, letter: 'A' },
        ),
      };
      let res: Awaited<ReturnType<typeof call>> | undefined;
      const queries = await captureQueries(app, async () => {
        res = await call(app, 'POST', `${V}/grades/bulk`, { token: w.teacher.token, body });
      });
      expectStatus(res!, 200);
      assert.equal(res!.data.data.length, n);
      // In input order, each value given or computed from the gradebook (marks 20 + i of 50).
      res!.data.data.forEach(
        (g: { student_id: string; percent: number | null; letter: string }, i: number) => {
          assert.equal(g.student_id, ids[i]);
          if (i % 3 === 0) assert.equal(g.percent, Math.round(((20 + (i % 30)) / 50) * 100));
          if (i % 3 === 1) assert.equal(g.percent, 71);
          if (i % 3 === 2) assert.equal(g.letter, 'A');
        },
      );
      const writes = queries.filter((q) => /insert into "grades"/i.test(q));
      assert.equal(writes.length, 1, `statements writing grades: ${writes.length}`);
      assert.match(writes[0], /on conflict/i);
      const audits = queries.filter((q) => /insert into "?audit_logs"?/i.test(q));
      assert.equal(audits.length, 1);
      counts[n] = queries.length;
      const [{ c }] = (
        await app.deps.db.execute(sql`select count(*)::int as c from grades where class_id = ${cls.id}`)
      ).rows as Array<{ c: number }>;
      assert.equal(c, n);
    }
    assert.equal(counts[5], counts[60], JSON.stringify(counts));
  });

  it('should refuse a repeated student, a posted grade and an out-of-scope enrollment, writing nothing', async () => {
    const { cls, ids } = await classOf(2);
    // A third student without marks: publishing leaves them without a grade.
    const late = await makeStudent(app, w.org, { firstName: 'Late' });
    await enrollDirect(app, late.id, cls);
    const dup = await call(app, 'POST', `${V}/grades/bulk`, {
      token: w.teacher.token,
      body: {
        grades: [
          { student_id: ids[0], class_id: cls.id, percent: 50 },
          { student_id: ids[0], class_id: cls.id, percent: 60 },
        ],
      },
    });
    expectError(dup, 400);
    assert.equal(dup.data.error.details[0].field, 'grades/1/student_id');
    const first = await call(app, 'POST', `${V}/grades/bulk`, {
      token: w.teacher.token,
      body: { grades: [{ student_id: ids[0], class_id: cls.id, percent: 80 }] },
    });
    expectStatus(first, 200);
    expectStatus(
      await call(app, 'POST', `${V}/grades/publish`, { token: w.admin.token, body: { class_id: cls.id } }),
      200,
    );
    const again = await call(app, 'POST', `${V}/grades/bulk`, {
      token: w.teacher.token,
      body: {
        grades: [
          { student_id: late.id, class_id: cls.id, percent: 90 },
          { student_id: ids[1], class_id: cls.id, percent: 90 },
          { student_id: ids[0], class_id: cls.id, percent: 10 },
        ],
      },
    });
    expectError(again, 409, 'grade_posted');
    // Publishing posted ids[0]'s grade and computed ids[1]'s from the gradebook: both are named.
    assert.deepEqual(
      again.data.error.details.map((d: { field: string }) => d.field),
      ['grades/1/student_id', 'grades/2/student_id'],
    );
    const { rows } = await app.deps.db.execute(
      sql`select student_id, percent::float8 as p, status from grades where class_id = ${cls.id} order by percent`,
    );
    assert.equal(rows.length, 2, "the late student's draft was rolled back with the batch");
    assert.ok(
      rows.every((r: any) => r.status === 'posted' && r.p !== 90 && r.p !== 10),
      JSON.stringify(rows),
    );
    assert.equal(rows.find((r: any) => r.student_id === ids[0])?.p, 80, 'the posted grade is untouched');
    const out = await call(app, 'POST', `${V}/grades/bulk`, {
      token: w.teacher.token,
      body: {
        grades: [
          { student_id: ids[1], class_id: cls.id, percent: 90 },
          { student_id: w.otherStudent.id, class_id: w.otherOrgCls.id, percent: 90 },
        ],
      },
    });
    expectError(out, 404);
  });
});
