import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeCourse,
  makeGradesWorld,
  makeSession,
} from './helpers/grades.js';

const V = '/api/v1';

describe('grades: seed walk-throughs', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, 3);
  });
  after(() => app.close());

  it('seed 002: a teacher creates an exam, submits marks for the class, reads them and a student performance', async () => {
    const t = w.teacher.token;
    const exam = await call(app, 'POST', `${V}/assessments`, {
      token: t,
      body: {
        class_id: w.cls.id,
        name: 'Mid-year exam',
        assessment_type: 'exam',
        max_marks: 50,
        date: '2026-10-01',
      },
    });
    expectStatus(exam, 201);
    const id = exam.data.data.id;
    const [a, b, c] = w.students;
    const sub = await call(app, 'POST', `${V}/exams/marks`, {
      token: t,
      body: {
        exam_id: id,
        marks: [
          { student_id: a.id, marks: 45 },
          { student_id: b.id, marks: 30, comment: 'Revise ch. 4' },
          { student_id: c.id, state: 'absent' },
        ],
      },
    });
    expectStatus(sub, 200);
    assert.deepEqual(sub.data.data, { assessment_id: id, received: 3, created: 3, updated: 0, unchanged: 0 });
    const marks = await call(app, 'GET', `${V}/exams/${id}/marks`, { token: t });
    expectStatus(marks, 200);
    const byId = Object.fromEntries(marks.data.data.map((m: any) => [m.student_id, m]));
    assert.equal(byId[a.id].marks, 45);
    assert.equal(byId[a.id].percent, 90);
    assert.equal(byId[b.id].comment, 'Revise ch. 4');
    assert.equal(byId[c.id].state, 'absent');
    assert.equal(byId[c.id].marks, null);
    const mine = await call(app, 'GET', `${V}/exams/teacher/${w.teacher.id}`, { token: t });
    expectStatus(mine, 200);
    assert.deepEqual(
      mine.data.data.map((x: any) => x.id),
      [id],
    );
    // One mark through the seed's single-mark endpoint.
    const one = await call(app, 'POST', `${V}/students/marks`, {
      token: t,
      body: { student_id: c.id, assessment_id: id, marks: 20 },
    });
    expectStatus(one, 200);
    assert.equal(one.data.data.marks, 20);
    assert.equal(one.data.data.version, 2);
    const perf = await call(app, 'GET', `${V}/students/${a.id}/performance`, { token: t });
    expectStatus(perf, 200);
    const row = perf.data.data.courses.find((x: any) => x.class_id === w.cls.id);
    assert.equal(row.percent, 90);
    assert.equal(row.letter, 'O');
    assert.equal(row.rank, 1);
    assert.equal(row.class_size, 3);
    assert.equal(row.assessments[0].marks, 45);
  });
});

describe('grades: seed 004 flow (assessments → grades → publish → SGPA → CGPA)', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, 3);
  });
  after(() => app.close());

  it('posts frozen grades that only then reach students and parents; changes need a reason; GPAs follow the policy', async () => {
    const t = w.teacher.token;
    const [s0, s1, s2] = w.students;
    const cat = async (name: string, weight: number) => {
      const r = await call(app, 'POST', `${V}/assessment-categories`, {
        token: t,
        body: { class_id: w.cls.id, name, weight },
      });
      expectStatus(r, 201);
      return r.data.data.id;
    };
    const hw = await cat('Homework', 30);
    const tests = await cat('Tests', 70);
    const mk = async (body: Record<string, unknown>) => {
      const r = await call(app, 'POST', `${V}/assessments`, {
        token: t,
        body: { class_id: w.cls.id, ...body },
      });
      expectStatus(r, 201);
      return r.data.data.id;
    };
    const a1 = await mk({ name: 'HW 1', assessment_type: 'assignment', max_marks: 10, category_id: hw });
    const fin = await mk({ name: 'Final', assessment_type: 'final', max_marks: 100, category_id: tests });
    expectStatus(
      await call(app, 'POST', `${V}/assessments/${a1}/marks`, {
        token: t,
        body: {
          marks: [
            { student_id: s0.id, marks: 9 },
            { student_id: s1.id, state: 'excused' },
            { student_id: s2.id, marks: 5 },
          ],
        },
      }),
      200,
    );
    expectStatus(
      await call(app, 'POST', `${V}/assessments/${fin}/marks`, {
        token: t,
        body: {
          marks: [
            { student_id: s0.id, marks: 85 },
            { student_id: s1.id, marks: 72 },
            { student_id: s2.id, state: 'missing' },
          ],
        },
      }),
      200,
    );

    // Live gradebook: s0 (30·90 + 70·85)/100 = 86.5 → 87 (10-point scale rounds to whole %) → A+ (9);
    // s1 Homework excused → Tests only → 72 → A (8); s2 30·50/100 = 15 → F.
    const gb = await call(app, 'GET', `${V}/classes/${w.cls.id}/gradebook`, { token: t });
    expectStatus(gb, 200);
    const live = Object.fromEntries(gb.data.data.students.map((r: any) => [r.student_id, r]));
    assert.deepEqual([live[s0.id].percent, live[s0.id].letter, live[s0.id].rank], [87, 'A+', 1]);
    assert.deepEqual([live[s1.id].percent, live[s1.id].letter, live[s1.id].excused], [72, 'A', 1]);
    assert.deepEqual([live[s2.id].percent, live[s2.id].letter], [15, 'F']);

    // Draft grades: s0 computed from the gradebook, s2 given a letter by the teacher.
    const g0 = await call(app, 'POST', `${V}/grades`, {
      token: t,
      body: { student_id: s0.id, class_id: w.cls.id },
    });
    expectStatus(g0, 201);
    assert.deepEqual(
      [g0.data.data.letter, g0.data.data.grade_points, g0.data.data.credits_earned, g0.data.data.status],
      ['A+', 9, 4, 'draft'],
    );
    const g2 = await call(app, 'POST', `${V}/grades/bulk`, {
      token: t,
      body: { grades: [{ student_id: s2.id, class_id: w.cls.id, letter: 'B', remarks: 'Moderated' }] },
    });
    expectStatus(g2, 200);
    assert.equal(g2.data.data[0].grade_points, 6);

    // Unposted: invisible to the student and the parent (lists lack it, its id is 404).
    const mineBefore = await call(app, 'GET', `${V}/students/me/grades`, { token: s0.token });
    expectStatus(mineBefore, 200);
    assert.equal(mineBefore.data.data.length, 0);
    expectError(await call(app, 'GET', `${V}/grades/${g0.data.data.id}`, { token: s0.token }), 404);
    expectError(await call(app, 'GET', `${V}/grades/${g0.data.data.id}`, { token: w.parent.token }), 404);
    assert.equal((await call(app, 'GET', `${V}/grades`, { token: w.parent.token })).data.data.length, 0);
    const sgpaBefore = await call(app, 'GET', `${V}/grades/calculate-sgpa`, {
      token: s0.token,
      query: { student_id: s0.id, semester: w.term.id },
    });
    expectStatus(sgpaBefore, 200);
    assert.equal(sgpaBefore.data.data.sgpa, null);

    // Teachers cannot publish; managers can.
    expectError(
      await call(app, 'POST', `${V}/grades/publish`, { token: t, body: { class_id: w.cls.id } }),
      403,
    );
    const pub = await call(app, 'POST', `${V}/grades/publish`, {
      token: w.admin.token,
      body: { class_id: w.cls.id },
    });
    expectStatus(pub, 200);
    assert.deepEqual(
      [pub.data.data.computed, pub.data.data.posted, pub.data.data.semester_results],
      [1, 3, 3],
    );

    // Frozen: a later mark change does not move the posted grade.
    expectStatus(
      await call(app, 'PUT', `${V}/assessments/${fin}/marks/${s0.id}`, { token: t, body: { marks: 20 } }),
      200,
    );
    const mine = await call(app, 'GET', `${V}/students/me/grades`, { token: s0.token });
    assert.deepEqual(
      mine.data.data.map((g: any) => [g.letter, g.status, g.percent]),
      [['A+', 'posted', 87]],
    );
    const child = await call(app, 'GET', `${V}/students/${s0.id}/grades`, { token: w.parent.token });
    assert.equal(child.data.data.length, 1);
    expectError(await call(app, 'GET', `${V}/students/${s1.id}/grades`, { token: w.parent.token }), 404);

    // SGPA by term id and by the student's semester number: one 4-credit course at 9 points.
    for (const semester of [w.term.id, '3']) {
      const r = await call(app, 'GET', `${V}/grades/calculate-sgpa`, {
        token: s0.token,
        query: { student_id: s0.id, semester },
      });
      expectStatus(r, 200);
      assert.deepEqual([r.data.data.sgpa, r.data.data.credits_earned], [9, 4]);
    }

    // A posted grade changes only with a reason; the change log keeps old and new.
    const gid = g0.data.data.id;
    expectError(
      await call(app, 'PUT', `${V}/grades/${gid}`, { token: t, body: { letter: 'O' } }),
      422,
      'reason_required',
    );
    const ch = await call(app, 'PUT', `${V}/grades/${gid}`, {
      token: t,
      body: { letter: 'O', reason: 'Re-marked final paper' },
    });
    expectStatus(ch, 200);
    assert.equal(ch.data.data.grade_points, 10);
    const log = await call(app, 'GET', `${V}/grades/changes`, {
      token: w.admin.token,
      query: { grade_id: gid },
    });
    expectStatus(log, 200);
    assert.equal(log.data.data.length, 1);
    assert.equal(log.data.data[0].old_value.letter, 'A+');
    assert.equal(log.data.data[0].new_value.letter, 'O');
    assert.equal(log.data.data[0].reason, 'Re-marked final paper');
    expectError(await call(app, 'GET', `${V}/grades/changes`, { token: t }), 403);

    // Honor roll reads the stored semester results (recomputed after the change).
    const hr = await call(app, 'GET', `${V}/reports/honor-roll`, {
      token: w.admin.token,
      query: { academic_session_id: w.term.id, min_gpa: 9 },
    });
    expectStatus(hr, 200);
    assert.deepEqual(
      hr.data.data.map((r: any) => [r.student_id, r.sgpa, r.rank]),
      [[s0.id, 10, 1]],
    );

    // A second term: s0 repeats Algorithms (B, 6) and takes a 3-credit course (A, 8); a transfer grade
    // (3 credits, 9 points) counts in the GPA.
    const spring = await makeSession(app, w.org, 'Spring 2027', '2027-01-10', '2027-05-30');
    const rep = await makeClass(app, w.org, {
      name: 'ALG-R',
      courseId: w.course.id,
      academicSessionId: spring.id,
    });
    const dbCourse = await makeCourse(app, w.org, { name: 'Databases', credits: '3' });
    const dbc = await makeClass(app, w.org, {
      name: 'DB-A',
      courseId: dbCourse.id,
      academicSessionId: spring.id,
    });
    for (const c of [rep, dbc]) {
      await assignTeacher(app, w.teacher.id, c.id);
      await enrollDirect(app, s0.id, c);
    }
    expectStatus(
      await call(app, 'POST', `${V}/grades/bulk`, {
        token: t,
        body: {
          grades: [
            { student_id: s0.id, class_id: rep.id, letter: 'B', attempt_type: 'repeat', semester_no: 4 },
            { student_id: s0.id, class_id: dbc.id, letter: 'A', semester_no: 4 },
          ],
        },
      }),
      200,
    );
    expectStatus(
      await call(app, 'POST', `${V}/grades/publish`, {
        token: w.staff.token,
        body: { academic_session_id: spring.id },
      }),
      200,
    );
    const tr = await call(app, 'POST', `${V}/transfer-grades`, {
      token: w.staff.token,
      body: {
        student_id: s0.id,
        institution_name: 'Old College',
        course_title: 'Statistics',
        credits: 3,
        letter: 'A+',
        grade_points: 9,
        counts_in_gpa: true,
      },
    });
    expectStatus(tr, 201);

    // best: (4·10 + 3·8 + 3·9) / 10 = 9.1; latest: (4·6 + 3·8 + 3·9) / 10 = 7.5.
    const best = await call(app, 'GET', `${V}/grades/calculate-cgpa`, {
      token: s0.token,
      query: { student_id: s0.id },
    });
    expectStatus(best, 200);
    assert.deepEqual(
      [
        best.data.data.cgpa,
        best.data.data.credits_earned,
        best.data.data.transfer_credits,
        best.data.data.repeat_policy,
      ],
      [9.1, 10, 3, 'best'],
    );
    assert.equal(best.data.data.semesters.length, 2);
    expectStatus(
      await call(app, 'PUT', `${V}/grade-settings/${w.org.id}`, {
        token: w.admin.token,
        body: { repeat_policy: 'latest' },
      }),
      200,
    );
    const latest = await call(app, 'GET', `${V}/grades/calculate-cgpa`, {
      token: w.parent.token,
      query: { student_id: s0.id },
    });
    expectStatus(latest, 200);
    assert.equal(latest.data.data.cgpa, 7.5);
    const sem4 = await call(app, 'GET', `${V}/grades/calculate-sgpa`, {
      token: s0.token,
      query: { student_id: s0.id, semester: '4' },
    });
    assert.equal(sem4.data.data.sgpa, roundTwo((4 * 6 + 3 * 8) / 7));
  });

  it("shows a weighted 82.5 % as 83 under the default scale's whole-percent rounding, and as 82.5 under 2 decimals", async () => {
    // Quiz 18/20 = 90 % (weight 1), midterm 40/50 = 80 % (weight 3): (90 + 3 × 80) / 4 = 82.5 exactly.
    const t = w.teacher.token;
    const course = await makeCourse(app, w.org, { name: 'Rounding', credits: '3' });
    const cls = await makeClass(app, w.org, {
      name: 'RND-A',
      courseId: course.id,
      academicSessionId: w.term.id,
    });
    await assignTeacher(app, w.teacher.id, cls.id);
    const s = w.students[2];
    await enrollDirect(app, s.id, cls);
    const mk = async (name: string, max: number, weight: number, marks: number) => {
      const a = await call(app, 'POST', `${V}/assessments`, {
        token: t,
        body: { class_id: cls.id, name, assessment_type: 'quiz', max_marks: max, weight },
      });
      expectStatus(a, 201);
      const m = await call(app, 'POST', `${V}/assessments/${a.data.data.id}/marks`, {
        token: t,
        body: { marks: [{ student_id: s.id, marks }] },
      });
      expectStatus(m, 200);
    };
    await mk('Quiz', 20, 1, 18);
    await mk('Midterm', 50, 3, 40);
    const row = async () => {
      const b = await call(app, 'GET', `${V}/classes/${cls.id}/gradebook`, { token: t });
      expectStatus(b, 200);
      return {
        scale: b.data.data.grading_scale_id,
        ...b.data.data.students.find((x: any) => x.student_id === s.id),
      };
    };
    // The built-in ten_point scale rounds half-up to whole percent: 82.5 → 83 (a rule, not a bug).
    const builtin = await row();
    assert.equal(builtin.scale, '00000000-0000-7000-8000-00000000a001');
    assert.equal(builtin.percent, 83);
    assert.equal(builtin.letter, 'A+');
    // The percentage scale keeps 2 decimals: the same marks show 82.5.
    expectStatus(
      await call(app, 'PUT', `${V}/courses/${course.id}/grading-scale`, {
        token: w.admin.token,
        body: { grading_scale_id: '00000000-0000-7000-8000-00000000a003' },
      }),
      200,
    );
    const precise = await row();
    assert.equal(precise.percent, 82.5);
    // A grade computed from that gradebook keeps 82.5, and grade lists name its class, course and term.
    const g = await call(app, 'POST', `${V}/grades`, {
      token: t,
      body: { student_id: s.id, class_id: cls.id },
    });
    expectStatus(g, 201);
    assert.equal(g.data.data.percent, 82.5);
    const list = await call(app, 'GET', `${V}/grades`, { token: t, query: { class_id: cls.id } });
    expectStatus(list, 200);
    const mine = list.data.data.find((x: any) => x.id === g.data.data.id);
    assert.equal(mine.class_name, 'RND-A');
    assert.equal(mine.course_name, 'Rounding');
    assert.equal(mine.course_code, course.code);
    assert.equal(mine.academic_session_name, 'Fall 2026');
    assert.equal(mine.percent, 82.5);
  });
});

const roundTwo = (v: number) => Math.round(v * 100) / 100;
