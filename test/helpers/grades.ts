// Loads the app's modules in the composition root's order first: the table files import each other through
// module index files, and entering the graph at a table file would hit an import cycle half-initialized.
import '../../src/app.js';
import { academicSessions } from '../../src/modules/academics/academics.table.js';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeCourse,
  makeFaculty,
  makeParent,
  makeStudent,
} from './academic.js';
import { type App, call, uniq } from './app.js';
import { makeUser, makeWorld } from './factories.js';

export async function makeSession(
  app: App,
  org: { id: string },
  name = `Semester ${uniq()}`,
  start = '2026-01-10',
  end = '2026-05-30',
) {
  const [row] = await app.deps.db
    .insert(academicSessions)
    .values({ organizationId: org.id, type: 'semester', name, startDate: start, endDate: end })
    .returning();
  return row;
}

/**
 * A university with: admin, staff, a teacher who teaches `cls` (a 4-credit course in `term`, n enrolled
 * students, students[0] and [1] with logins), another teacher with `otherCls`, a parent of students[0], and
 * another tenant with its own class, student and admin.
 */
export async function makeGradesWorld(app: App, n = 3) {
  const w = await makeWorld(app, 'university');
  const staff = await makeUser(app, w.org, 'staff');
  const teacher = await makeFaculty(app, w.org);
  const otherTeacher = await makeFaculty(app, w.org);
  const term = await makeSession(app, w.org, 'Fall 2026', '2026-08-20', '2026-12-20');
  const course = await makeCourse(app, w.org, { name: 'Algorithms', credits: '4' });
  const cls = await makeClass(app, w.org, { name: 'ALG-A', courseId: course.id, academicSessionId: term.id });
  const otherCls = await makeClass(app, w.org, { name: 'ALG-B', academicSessionId: term.id });
  await assignTeacher(app, teacher.id, cls.id);
  await assignTeacher(app, otherTeacher.id, otherCls.id);
  const students = [];
  for (let i = 0; i < n; i++) {
    const s = await makeStudent(app, w.org, { firstName: `Stu${i}`, semester: 3 }, { login: i < 2 });
    await enrollDirect(app, s.id, cls);
    students.push(s);
  }
  const parent = await makeParent(app, w.org, [students[0].id]);
  const otherStudent = await makeStudent(app, w.otherOrg, {}, { login: true });
  const otherOrgCls = await makeClass(app, w.otherOrg, { name: 'Elsewhere' });
  await enrollDirect(app, otherStudent.id, otherOrgCls);
  return {
    ...w,
    staff,
    teacher,
    otherTeacher,
    term,
    course,
    cls,
    otherCls,
    students,
    parent,
    otherStudent,
    otherOrgCls,
  };
}

/** Creates an assessment through the API as `token`; returns its id. */
export async function makeAssessment(app: App, token: string, body: Record<string, unknown>) {
  const r = await call(app, 'POST', '/api/v1/assessments', {
    token,
    body: { name: 'Test', assessment_type: 'quiz', max_marks: 100, ...body },
  });
  if (r.statusCode !== 201) throw new Error(`assessment: ${r.statusCode} ${r.body}`);
  return r.data.data.id as string;
}

export {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeCourse,
  makeFaculty,
  makeParent,
  makeStudent,
} from './academic.js';
