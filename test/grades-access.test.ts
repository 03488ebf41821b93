import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';
import { type EndpointCase, runEndpointCases } from './helpers/endpoint-cases.js';
import { makeUser } from './helpers/factories.js';
import {
  assignTeacher,
  enrollDirect,
  makeAssessment,
  makeClass,
  makeCourse,
  makeFaculty,
  makeGradesWorld,
  makeSession,
} from './helpers/grades.js';

const V = '/api/v1';
const idOf = (r: { statusCode: number; body: string; data: any }): string => {
  if (r.statusCode >= 300) throw new Error(`setup: ${r.statusCode} ${r.body}`);
  return r.data.data.id;
};
describe('grades: every endpoint answers 200/201/204, 400, 401, 403 and out-of-scope 404', () => {
  let app: App;
  let cases: EndpointCase[] = [];
  before(async () => {
    app = await buildTestApp();
    const w = await makeGradesWorld(app, 2);
    const norole = (await makeUser(app, w.org, null)).token;
    const bareStudent = (await makeUser(app, w.org, 'student')).token;
    const [s0, s1] = w.students;
    const T = w.teacher.token;
    const A = w.admin.token;
    const st = s0.token;
    // The other organization: its teacher, class, assessment, category, grade, scale, course, term.
    const oTeacher = await makeFaculty(app, w.otherOrg);
    await assignTeacher(app, oTeacher.id, w.otherOrgCls.id);
    const oCourse = await makeCourse(app, w.otherOrg);
    const oTerm = await makeSession(app, w.otherOrg);
    const oA = await makeAssessment(app, w.otherAdmin.token, {
      class_id: w.otherOrgCls.id,
      assessment_type: 'exam',
    });
    const oCat = idOf(
      await call(app, 'POST', `${V}/assessment-categories`, {
        token: w.otherAdmin.token,
        body: { class_id: w.otherOrgCls.id, name: 'X', weight: 1 },
      }),
    );
    const oGrade = idOf(
      await call(app, 'POST', `${V}/grades`, {
        token: w.otherAdmin.token,
        body: { student_id: w.otherStudent.id, class_id: w.otherOrgCls.id, percent: 70 },
      }),
    );
    const oScale = idOf(
      await call(app, 'POST', `${V}/grading-scales`, {
        token: w.otherAdmin.token,
        body: {
          organization_id: w.otherOrg.id,
          code: 'pf',
          name: 'PF',
          bands: [
            { letter: 'P', min_percent: 50, grade_points: 1, is_passing: true },
            { letter: 'F', min_percent: 0, grade_points: 0, is_passing: false },
          ],
        },
      }),
    );
    const oTransfer = idOf(
      await call(app, 'POST', `${V}/transfer-grades`, {
        token: w.otherAdmin.token,
        body: {
          student_id: w.otherStudent.id,
          institution_name: 'X',
          course_title: 'Y',
          credits: 1,
          letter: 'A',
          grade_points: 4,
        },
      }),
    );
    // This organization's records.
    const a = await makeAssessment(app, T, { class_id: w.cls.id, assessment_type: 'exam', max_marks: 20 });
    const cat = idOf(
      await call(app, 'POST', `${V}/assessment-categories`, {
        token: T,
        body: { class_id: w.cls.id, name: 'Quizzes', weight: 30 },
      }),
    );
    const tmpCat = idOf(
      await call(app, 'POST', `${V}/assessment-categories`, {
        token: T,
        body: { class_id: w.cls.id, name: 'Tmp', weight: 1 },
      }),
    );
    const tmpA = await makeAssessment(app, T, { class_id: w.cls.id });
    await call(app, 'POST', `${V}/assessments/${a}/marks`, {
      token: T,
      body: {
        marks: [
          { student_id: s0.id, marks: 15 },
          { student_id: s1.id, marks: 10 },
        ],
      },
    });
    const grade = idOf(
      await call(app, 'POST', `${V}/grades`, { token: T, body: { student_id: s0.id, class_id: w.cls.id } }),
    );
    const scale = idOf(
      await call(app, 'POST', `${V}/grading-scales`, {
        token: A,
        body: {
          organization_id: w.org.id,
          code: 'mine',
          name: 'Mine',
          bands: [
            { letter: 'P', min_percent: 40, grade_points: 1, is_passing: true },
            { letter: 'F', min_percent: 0, grade_points: 0, is_passing: false },
          ],
        },
      }),
    );
    const tmpScale = idOf(
      await call(app, 'POST', `${V}/grading-scales`, {
        token: A,
        body: {
          organization_id: w.org.id,
          code: 'tmp',
          name: 'Tmp',
          bands: [{ letter: 'F', min_percent: 0, grade_points: 0, is_passing: false }],
        },
      }),
    );
    const transfer = idOf(
      await call(app, 'POST', `${V}/transfer-grades`, {
        token: w.staff.token,
        body: {
          student_id: s0.id,
          institution_name: 'X',
          course_title: 'Y',
          credits: 1,
          letter: 'A',
          grade_points: 4,
        },
      }),
    );
    const emptyCls = await makeClass(app, w.org, { name: 'Empty' });
    await enrollDirect(app, s1.id, emptyCls);
    const builtin = '00000000-0000-7000-8000-00000000a002';
    const mark = { student_id: s0.id, marks: 12 };

    cases = [
      {
        name: 'create category',
        method: 'POST',
        url: '/assessment-categories',
        ok: { token: T, body: { class_id: w.cls.id, name: 'Labs', weight: 10 }, status: 201 },
        bad: { body: { class_id: w.cls.id, name: '', weight: 1 } },
        forbidden: st,
        out: { body: { class_id: w.otherOrgCls.id, name: 'Z', weight: 1 } },
      },
      {
        name: 'list categories',
        method: 'GET',
        url: '/assessment-categories',
        ok: { token: st, query: { class_id: w.cls.id }, status: 200 },
        bad: { query: {} },
        forbidden: norole,
        out: { query: { class_id: w.otherOrgCls.id } },
      },
      {
        name: 'update category',
        method: 'PUT',
        url: `/assessment-categories/${cat}`,
        outUrl: `/assessment-categories/${oCat}`,
        ok: { token: T, body: { weight: 35 }, status: 200 },
        bad: { body: { weight: -1 } },
        forbidden: st,
        out: { body: { weight: 2 } },
      },
      {
        name: 'delete category',
        method: 'DELETE',
        url: `/assessment-categories/${tmpCat}`,
        outUrl: `/assessment-categories/${oCat}`,
        ok: { token: T, status: 204 },
        bad: { url: '/assessment-categories/nope' },
        forbidden: st,
      },
      {
        name: 'create assessment',
        method: 'POST',
        url: '/assessments',
        ok: {
          token: T,
          body: { class_id: w.cls.id, name: 'Q', assessment_type: 'quiz', max_marks: 5 },
          status: 201,
        },
        bad: { body: { class_id: w.cls.id, name: 'Q', assessment_type: 'quiz' } },
        forbidden: st,
        out: { body: { class_id: w.otherOrgCls.id, name: 'Q', assessment_type: 'quiz', max_marks: 5 } },
      },
      {
        name: 'list assessments',
        method: 'GET',
        url: '/assessments',
        ok: { token: st, status: 200 },
        bad: { query: { page: '0' } },
        forbidden: norole,
      },
      {
        name: 'get assessment',
        method: 'GET',
        url: `/assessments/${a}`,
        outUrl: `/assessments/${oA}`,
        ok: { token: st, status: 200 },
        bad: { url: '/assessments/nope' },
        forbidden: norole,
      },
      {
        name: 'update assessment',
        method: 'PUT',
        url: `/assessments/${a}`,
        outUrl: `/assessments/${oA}`,
        ok: { token: T, body: { name: 'Exam 1' }, status: 200 },
        bad: { body: {} },
        forbidden: st,
        out: { body: { name: 'Z' } },
      },
      {
        name: 'delete assessment',
        method: 'DELETE',
        url: `/assessments/${tmpA}`,
        outUrl: `/assessments/${oA}`,
        ok: { token: A, status: 204 },
        bad: { url: '/assessments/nope' },
        forbidden: T,
      },
      {
        name: 'bulk marks',
        method: 'POST',
        url: `/assessments/${a}/marks`,
        outUrl: `/assessments/${oA}/marks`,
        ok: { token: T, body: { marks: [mark] }, status: 200 },
        bad: { body: { marks: [] } },
        forbidden: st,
        out: { body: { marks: [{ student_id: w.otherStudent.id, marks: 1 }] } },
      },
      {
        name: 'list marks',
        method: 'GET',
        url: `/assessments/${a}/marks`,
        outUrl: `/assessments/${oA}/marks`,
        ok: { token: T, status: 200 },
        bad: { url: '/assessments/nope/marks' },
        forbidden: st,
      },
      {
        name: 'one mark',
        method: 'PUT',
        url: `/assessments/${a}/marks/${s0.id}`,
        outUrl: `/assessments/${oA}/marks/${w.otherStudent.id}`,
        ok: { token: T, body: { marks: 13 }, status: 200 },
        bad: { body: { marks: -1 } },
        forbidden: st,
        out: { body: { marks: 1 } },
      },
      {
        name: 'class gradebook',
        method: 'GET',
        url: `/classes/${w.cls.id}/gradebook`,
        outUrl: `/classes/${w.otherOrgCls.id}/gradebook`,
        ok: { token: T, status: 200 },
        bad: { url: '/classes/nope/gradebook' },
        forbidden: st,
      },
      {
        name: 'exam marks (seed 002)',
        method: 'POST',
        url: '/exams/marks',
        ok: { token: T, body: { exam_id: a, marks: [mark] }, status: 200 },
        bad: { body: { marks: [mark] } },
        forbidden: st,
        out: { body: { exam_id: oA, marks: [{ student_id: w.otherStudent.id, marks: 1 }] } },
      },
      {
        name: 'exam marks list (seed 002)',
        method: 'GET',
        url: `/exams/${a}/marks`,
        outUrl: `/exams/${oA}/marks`,
        ok: { token: T, status: 200 },
        bad: { url: '/exams/nope/marks' },
        forbidden: st,
      },
      {
        name: 'teacher exams (seed 002)',
        method: 'GET',
        url: `/exams/teacher/${w.teacher.id}`,
        outUrl: `/exams/teacher/${oTeacher.id}`,
        ok: { token: A, status: 200 },
        bad: { url: '/exams/teacher/nope' },
        forbidden: st,
      },
      {
        name: 'student mark (seed 002)',
        method: 'POST',
        url: '/students/marks',
        ok: { token: T, body: { ...mark, assessment_id: a }, status: 200 },
        bad: { body: { assessment_id: a, marks: 3 } },
        forbidden: st,
        out: { body: { student_id: w.otherStudent.id, assessment_id: oA, marks: 1 } },
      },
      {
        name: 'list grades',
        method: 'GET',
        url: '/grades',
        ok: { token: T, status: 200 },
        bad: { query: { page_size: '1000' } },
        forbidden: norole,
      },
      {
        name: 'create grade',
        method: 'POST',
        url: '/grades',
        ok: { token: T, body: { student_id: s1.id, class_id: w.cls.id, percent: 66 }, status: 201 },
        bad: { body: { percent: 50 } },
        forbidden: st,
        out: {
          body: {
            student_id: w.otherStudent.id,
            class_id: w.otherOrgCls.id,
            percent: 50,
            attempt_type: 'repeat',
          },
        },
      },
      {
        name: 'get grade',
        method: 'GET',
        url: `/grades/${grade}`,
        outUrl: `/grades/${oGrade}`,
        ok: { token: T, status: 200 },
        bad: { url: '/grades/nope' },
        forbidden: norole,
      },
      {
        name: 'update grade',
        method: 'PUT',
        url: `/grades/${grade}`,
        outUrl: `/grades/${oGrade}`,
        ok: { token: T, body: { remarks: 'ok' }, status: 200 },
        bad: { body: {} },
        forbidden: st,
        out: { body: { remarks: 'x' } },
      },
      {
        name: 'bulk grades',
        method: 'POST',
        url: '/grades/bulk',
        ok: {
          token: T,
          body: { grades: [{ student_id: s1.id, class_id: w.cls.id, letter: 'B' }] },
          status: 200,
        },
        bad: { body: { grades: [] } },
        forbidden: st,
        out: {
          body: { grades: [{ student_id: w.otherStudent.id, class_id: w.otherOrgCls.id, letter: 'B' }] },
        },
      },
      {
        name: 'publish',
        method: 'POST',
        url: '/grades/publish',
        ok: { token: A, body: { class_id: emptyCls.id }, status: 200 },
        bad: { body: {} },
        forbidden: T,
        out: { body: { class_id: w.otherOrgCls.id } },
      },
      {
        name: 'change log',
        method: 'GET',
        url: '/grades/changes',
        ok: { token: A, status: 200 },
        bad: { query: { date_from: 'yesterday' } },
        forbidden: T,
      },
      {
        name: 'sgpa',
        method: 'GET',
        url: '/grades/calculate-sgpa',
        ok: { token: st, query: { student_id: s0.id, semester: w.term.id }, status: 200 },
        bad: { query: { student_id: s0.id, semester: 'abc' } },
        forbidden: norole,
        out: { query: { student_id: w.otherStudent.id, semester: '1' } },
      },
      {
        name: 'cgpa',
        method: 'GET',
        url: '/grades/calculate-cgpa',
        ok: { token: w.parent.token, query: { student_id: s0.id }, status: 200 },
        bad: { query: {} },
        forbidden: norole,
        out: { query: { student_id: w.otherStudent.id } },
      },
      {
        name: 'create transfer grade',
        method: 'POST',
        url: '/transfer-grades',
        ok: {
          token: w.staff.token,
          body: {
            student_id: s0.id,
            institution_name: 'P',
            course_title: 'Q',
            credits: 2,
            letter: 'B',
            grade_points: 3,
          },
          status: 201,
        },
        bad: {
          body: {
            student_id: s0.id,
            institution_name: 'P',
            course_title: 'Q',
            credits: -2,
            letter: 'B',
            grade_points: 3,
          },
        },
        forbidden: T,
        out: {
          body: {
            student_id: w.otherStudent.id,
            institution_name: 'P',
            course_title: 'Q',
            credits: 2,
            letter: 'B',
            grade_points: 3,
          },
        },
      },
      {
        name: 'list transfer grades',
        method: 'GET',
        url: '/transfer-grades',
        ok: { token: st, query: { student_id: s0.id }, status: 200 },
        bad: { query: { student_id: 'x' } },
        forbidden: norole,
        out: { query: { student_id: w.otherStudent.id } },
      },
      {
        name: 'delete transfer grade',
        method: 'DELETE',
        url: `/transfer-grades/${transfer}`,
        outUrl: `/transfer-grades/${oTransfer}`,
        ok: { token: w.staff.token, status: 204 },
        bad: { url: '/transfer-grades/nope' },
        forbidden: T,
      },
      {
        name: 'my grades',
        method: 'GET',
        url: '/students/me/grades',
        ok: { token: st, status: 200 },
        bad: { query: { page: '0' } },
        forbidden: T,
        out: { token: bareStudent },
      },
      {
        name: 'student grades',
        method: 'GET',
        url: `/students/${s0.id}/grades`,
        outUrl: `/students/${w.otherStudent.id}/grades`,
        ok: { token: w.parent.token, status: 200 },
        bad: { url: '/students/nope/grades' },
        forbidden: norole,
      },
      {
        name: 'performance',
        method: 'GET',
        url: `/students/${s0.id}/performance`,
        outUrl: `/students/${w.otherStudent.id}/performance`,
        ok: { token: st, status: 200 },
        bad: { url: '/students/nope/performance' },
        forbidden: norole,
      },
      {
        name: 'report card',
        method: 'GET',
        url: `/students/${s0.id}/report-card`,
        outUrl: `/students/${w.otherStudent.id}/report-card`,
        ok: { token: A, query: { academic_session_id: w.term.id }, status: 200 },
        bad: { query: {} },
        forbidden: norole,
        out: { query: { academic_session_id: oTerm.id } },
      },
      {
        name: 'transcript',
        method: 'GET',
        url: `/students/${s0.id}/transcript`,
        outUrl: `/students/${w.otherStudent.id}/transcript`,
        ok: { token: st, status: 200 },
        bad: { url: '/students/nope/transcript' },
        forbidden: norole,
      },
      {
        name: 'honor roll',
        method: 'GET',
        url: '/reports/honor-roll',
        ok: { token: A, query: { academic_session_id: w.term.id }, status: 200 },
        bad: { query: {} },
        forbidden: st,
        out: { query: { academic_session_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' } },
      },
      {
        name: 'list scales',
        method: 'GET',
        url: '/grading-scales',
        ok: { token: st, status: 200 },
        bad: { query: { organization_id: 'x' } },
        forbidden: norole,
      },
      {
        name: 'create scale',
        method: 'POST',
        url: '/grading-scales',
        ok: {
          token: A,
          body: {
            organization_id: w.org.id,
            code: 'new',
            name: 'N',
            bands: [{ letter: 'F', min_percent: 0, grade_points: 0, is_passing: false }],
          },
          status: 201,
        },
        bad: {
          body: {
            organization_id: w.org.id,
            code: 'bad',
            name: 'N',
            bands: [{ letter: 'A', min_percent: 50, grade_points: 4, is_passing: true }],
          },
        },
        forbidden: T,
        out: {
          body: {
            organization_id: w.otherOrg.id,
            code: 'z',
            name: 'Z',
            bands: [{ letter: 'F', min_percent: 0, grade_points: 0, is_passing: false }],
          },
        },
      },
      {
        name: 'get scale',
        method: 'GET',
        url: `/grading-scales/${builtin}`,
        outUrl: `/grading-scales/${oScale}`,
        ok: { token: st, status: 200 },
        bad: { url: '/grading-scales/nope' },
        forbidden: norole,
      },
      {
        name: 'update scale',
        method: 'PUT',
        url: `/grading-scales/${scale}`,
        outUrl: `/grading-scales/${oScale}`,
        ok: { token: A, body: { name: 'Renamed' }, status: 200 },
        bad: { body: {} },
        forbidden: T,
        out: { body: { name: 'x' } },
      },
      {
        name: 'delete scale',
        method: 'DELETE',
        url: `/grading-scales/${tmpScale}`,
        outUrl: `/grading-scales/${oScale}`,
        ok: { token: A, status: 204 },
        bad: { url: '/grading-scales/nope' },
        forbidden: T,
      },
      {
        name: 'course scale',
        method: 'GET',
        url: `/courses/${w.course.id}/grading-scale`,
        outUrl: `/courses/${oCourse.id}/grading-scale`,
        ok: { token: T, status: 200 },
        bad: { url: '/courses/nope/grading-scale' },
        forbidden: norole,
      },
      {
        name: 'set course scale',
        method: 'PUT',
        url: `/courses/${w.course.id}/grading-scale`,
        outUrl: `/courses/${oCourse.id}/grading-scale`,
        ok: { token: A, body: { grading_scale_id: builtin }, status: 200 },
        bad: { body: { grading_scale_id: oScale } },
        forbidden: T,
        out: { body: { grading_scale_id: builtin } },
      },
      {
        name: 'clear course scale',
        method: 'DELETE',
        url: `/courses/${w.course.id}/grading-scale`,
        outUrl: `/courses/${oCourse.id}/grading-scale`,
        ok: { token: A, status: 200 },
        bad: { url: '/courses/nope/grading-scale' },
        forbidden: T,
      },
      {
        name: 'get settings',
        method: 'GET',
        url: `/grade-settings/${w.org.id}`,
        outUrl: `/grade-settings/${w.otherOrg.id}`,
        ok: { token: T, status: 200 },
        bad: { url: '/grade-settings/nope' },
        forbidden: norole,
      },
      {
        name: 'put settings',
        method: 'PUT',
        url: `/grade-settings/${w.org.id}`,
        outUrl: `/grade-settings/${w.otherOrg.id}`,
        ok: { token: A, body: { honor_roll_min_gpa: 8 }, status: 200 },
        bad: { body: { repeat_policy: 'sometimes' } },
        forbidden: w.staff.token,
        out: { body: { honor_roll_min_gpa: 8 } },
      },
    ];
  });
  after(() => app.close());

  it('answers each case', async () => {
    assert.ok(cases.length >= 44);
    await runEndpointCases(app, cases);
  });
});
