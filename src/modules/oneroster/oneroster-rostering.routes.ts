import { type SQL, sql } from 'drizzle-orm';
import type { TSchema } from 'typebox';
import type { RoutePlugin } from '../../kernel/module.js';
import { SCOPES } from './oneroster.policy.js';
import * as S from './oneroster.schemas.js';
import * as C from './oneroster-collections.js';
import { type Parent, readers } from './oneroster-kit.js';
import * as P from './oneroster-people.js';

const enrolledIn = (classId: string) =>
  sql`exists (select 1 from enrollments e where e.student_id = t.sourced_id and e.class_id = ${classId}::uuid
               and e.status <> 'dropped')`;
const teachesIn = (classId: string) =>
  sql`exists (select 1 from teaching_assignments ta where ta.faculty_id = t.sourced_id and ta.class_id = ${classId}::uuid)`;
const classesOfStudent = (id: string) =>
  sql`exists (select 1 from enrollments e where e.class_id = t.sourced_id and e.student_id = ${id}::uuid
               and e.status <> 'dropped')`;
const classesOfTeacher = (id: string) =>
  sql`exists (select 1 from teaching_assignments ta where ta.class_id = t.sourced_id and ta.faculty_id = ${id}::uuid)`;

/** The rostering service: every collection, its records and the nested collections of the binding. */
export const onerosterRosteringRoutes: RoutePlugin = async (app) => {
  const { list, one } = readers(app);

  const core = SCOPES.core;
  const roster = SCOPES.roster;
  const collections: Array<[string, C.Collection, TSchema, readonly string[], string]> = [
    ['orgs', C.orgs, S.Org, core, 'organizations'],
    ['schools', C.schools, S.Org, core, 'schools'],
    ['academicSessions', C.academicSessions, S.AcademicSession, core, 'academic sessions'],
    ['terms', C.terms, S.AcademicSession, core, 'terms (terms and semesters)'],
    ['gradingPeriods', C.gradingPeriods, S.AcademicSession, core, 'grading periods'],
    ['courses', C.courses, S.Course, core, 'courses'],
    ['classes', C.classes, S.Class, core, 'classes'],
    ['users', P.users, S.User, roster, 'users (students, teachers, guardians)'],
    ['students', P.students, S.User, roster, 'students'],
    ['teachers', P.teachers, S.User, roster, 'teachers'],
    ['enrollments', P.enrollments, S.Enrollment, roster, 'enrollments (students and teachers in classes)'],
    ['demographics', P.demographics, S.Demographics, SCOPES.demographics, "students' demographics"],
  ];
  for (const [path, c, schema, scopes, what] of collections) {
    list({ path: `/${path}`, c, schema, scopes, summary: `All ${what}` });
    one(`/${path}/:id`, c, schema, scopes, `One of the ${what}`);
  }

  const school: Parent = { c: C.schools, param: 'id' };
  const klass: Parent = { c: C.classes, param: 'id' };
  const schoolClass: Parent[] = [school, { c: C.classes, param: 'classId' }];
  const classOfSchool = (id: string, classId: string) =>
    sql`exists (select 1 from classes k where k.id = ${classId}::uuid and k.organization_id = ${id}::uuid)`;
  const column = (name: string) => (id: string) => [sql`${sql.raw(`t.${name}`)} = ${id}::uuid`];
  type Extra = (p: { id: string; classId?: string }) => SQL[];
  const nested: Array<[string, C.Collection, TSchema, readonly string[], string, Parent[], Extra]> = [
    [
      '/schools/:id/classes',
      C.classes,
      S.Class,
      core,
      'Classes of a school',
      [school],
      ({ id }) => column('school_id')(id),
    ],
    [
      '/schools/:id/courses',
      C.courses,
      S.Course,
      core,
      'Courses of a school',
      [school],
      ({ id }) => column('org_id')(id),
    ],
    [
      '/schools/:id/terms',
      C.terms,
      S.AcademicSession,
      core,
      'Terms of a school',
      [school],
      ({ id }) => column('org_id')(id),
    ],
    [
      '/schools/:id/enrollments',
      P.enrollments,
      S.Enrollment,
      roster,
      'Enrollments in the classes of a school',
      [school],
      ({ id }) => column('school_id')(id),
    ],
    [
      '/schools/:id/students',
      P.students,
      S.User,
      roster,
      'Students of a school',
      [school],
      ({ id }) => column('org_id')(id),
    ],
    [
      '/schools/:id/teachers',
      P.teachers,
      S.User,
      roster,
      'Teachers of a school',
      [school],
      ({ id }) => column('org_id')(id),
    ],
    [
      '/schools/:id/classes/:classId/enrollments',
      P.enrollments,
      S.Enrollment,
      roster,
      'Enrollments of a class of a school',
      schoolClass,
      ({ id, classId }) => [...column('class_id')(classId!), classOfSchool(id, classId!)],
    ],
    [
      '/schools/:id/classes/:classId/students',
      P.students,
      S.User,
      roster,
      'Students of a class of a school',
      schoolClass,
      ({ id, classId }) => [enrolledIn(classId!), classOfSchool(id, classId!)],
    ],
    [
      '/schools/:id/classes/:classId/teachers',
      P.teachers,
      S.User,
      roster,
      'Teachers of a class of a school',
      schoolClass,
      ({ id, classId }) => [teachesIn(classId!), classOfSchool(id, classId!)],
    ],
    [
      '/classes/:id/students',
      P.students,
      S.User,
      roster,
      'Students enrolled in a class',
      [klass],
      ({ id }) => [enrolledIn(id)],
    ],
    [
      '/classes/:id/teachers',
      P.teachers,
      S.User,
      roster,
      'Teachers of a class',
      [klass],
      ({ id }) => [teachesIn(id)],
    ],
    [
      '/courses/:id/classes',
      C.classes,
      S.Class,
      core,
      'Classes of a course',
      [{ c: C.courses, param: 'id' }],
      ({ id }) => column('course_id')(id),
    ],
    [
      '/terms/:id/classes',
      C.classes,
      S.Class,
      core,
      'Classes of a term',
      [{ c: C.terms, param: 'id' }],
      ({ id }) => column('term_id')(id),
    ],
    [
      '/terms/:id/gradingPeriods',
      C.gradingPeriods,
      S.AcademicSession,
      core,
      'Grading periods of a term',
      [{ c: C.terms, param: 'id' }],
      ({ id }) => column('parent_id')(id),
    ],
    [
      '/users/:id/classes',
      C.classes,
      S.Class,
      roster,
      'Classes of a user (enrolled or teaching)',
      [{ c: P.users, param: 'id' }],
      ({ id }) => [sql`(${classesOfStudent(id)} or ${classesOfTeacher(id)})`],
    ],
    [
      '/students/:id/classes',
      C.classes,
      S.Class,
      roster,
      'Classes a student is enrolled in',
      [{ c: P.students, param: 'id' }],
      ({ id }) => [classesOfStudent(id)],
    ],
    [
      '/teachers/:id/classes',
      C.classes,
      S.Class,
      roster,
      'Classes a teacher teaches',
      [{ c: P.teachers, param: 'id' }],
      ({ id }) => [classesOfTeacher(id)],
    ],
  ];
  for (const [path, c, schema, scopes, summary, parents, extra] of nested) {
    list({ path, c, schema, scopes, summary, parents, extra });
  }
};
