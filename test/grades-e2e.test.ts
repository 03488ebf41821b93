import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeGradesWorld } from './helpers/grades.js';

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
      body: { class_id: w.cls.id, name: 'Mid-year exam', assessment_type: 'exam', max_marks: 50, date: '2026-10-01' },
    });
    expectStatus(exam, 201);
    const id = exam.data.data.id;
    const [a, b, c] = w.students;
    const sub = await call(app, 'POST', `${V}/exams/marks`, {
      token: t,
      body: { exam_id: id, marks: [{ student_id: a.id, marks: 45 }, { student_id: b.id, marks: 30, comment: 'Revise ch. 4' }, { student_id: c.id, state: 'absent' }] },
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
    assert.deepEqual(mine.data.data.map((x: any) => x.id), [id]);
    // One mark through the seed's single-mark endpoint.
    const one = await call(app, 'POST', `${V}/students/marks`, { token: t, body: { student_id: c.id, assessment_id: id, marks: 20 } });
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
