import { courses, subjects } from '../../src/modules/academics/academics.table.js';
import { classes, teachingAssignments } from '../../src/modules/classes/classes.table.js';
import { enrollments } from '../../src/modules/enrollments/enrollments.table.js';
import { faculty } from '../../src/modules/faculty/faculty.table.js';
import { guardians, studentGuardians, students } from '../../src/modules/students/students.table.js';
import { insertLoginUser } from '../../src/modules/users/index.js';
import { type App, uniq } from './app.js';
import { login, PASSWORD } from './factories.js';

/**
 * Database-level factories for the academic core, for tests of modules that build on it (attendance,
 * finance …). They bypass the API on purpose: fast, and independent of the modules under test.
 */

export async function makeStudent(
  app: App,
  org: { id: string },
  overrides: Partial<typeof students.$inferInsert> = {},
  opts: { login?: boolean } = {},
) {
  const n = uniq('S');
  const username = n.toLowerCase();
  const first = overrides.firstName ?? 'Ava';
  const last = overrides.lastName ?? `Student${n.slice(1, 5)}`;
  const row = await app.deps.db.transaction(async (tx) => {
    const u = await insertLoginUser(tx, {
      username,
      email: `${username}@example.test`,
      fullName: `${first} ${last}`,
      password: PASSWORD,
      organizationId: org.id,
      roles: [{ role: 'student', organization_id: org.id }],
    });
    const [s] = await tx
      .insert(students)
      .values({
        organizationId: org.id,
        userId: u.id,
        studentNumber: n,
        firstName: first,
        lastName: last,
        email: u.email,
        ...overrides,
      })
      .returning();
    return s;
  });
  const token = opts.login ? (await login(app, username, PASSWORD)).token : '';
  return { ...row, username, token };
}

export async function makeFaculty(
  app: App,
  org: { id: string },
  overrides: Partial<typeof faculty.$inferInsert> = {},
) {
  const username = uniq('t.');
  const row = await app.deps.db.transaction(async (tx) => {
    const u = await insertLoginUser(tx, {
      username,
      email: `${username}@example.test`,
      fullName: 'Test Teacher',
      password: PASSWORD,
      organizationId: org.id,
      roles: [{ role: 'faculty', organization_id: org.id }],
    });
    const [f] = await tx
      .insert(faculty)
      .values({
        organizationId: org.id,
        userId: u.id,
        employeeId: uniq('E'),
        firstName: 'Test',
        lastName: 'Teacher',
        email: u.email,
        ...overrides,
      })
      .returning();
    return f;
  });
  const { token } = await login(app, username, PASSWORD);
  return { ...row, username, token };
}

export async function makeCourse(
  app: App,
  org: { id: string },
  overrides: Partial<typeof courses.$inferInsert> = {},
) {
  const [row] = await app.deps.db
    .insert(courses)
    .values({ organizationId: org.id, code: uniq('C'), name: 'Test Course', credits: '3', ...overrides })
    .returning();
  return row;
}

export async function makeSubject(app: App, org: { id: string }) {
  const [row] = await app.deps.db
    .insert(subjects)
    .values({ organizationId: org.id, code: uniq('SUB'), name: 'Mathematics' })
    .returning();
  return row;
}

export async function makeClass(
  app: App,
  org: { id: string },
  overrides: Partial<typeof classes.$inferInsert> = {},
) {
  const [row] = await app.deps.db
    .insert(classes)
    .values({ organizationId: org.id, name: `Class ${uniq()}`, ...overrides })
    .returning();
  return row;
}

export async function assignTeacher(app: App, facultyId: string, classId: string) {
  await app.deps.db.insert(teachingAssignments).values({ facultyId, classId });
}

/** Direct active enrollment (no fee, no rules): for tests of modules that only need a roster. */
export async function enrollDirect(app: App, studentId: string, cls: { id: string; organizationId: string }) {
  const [row] = await app.deps.db
    .insert(enrollments)
    .values({ studentId, classId: cls.id, organizationId: cls.organizationId })
    .returning();
  return row;
}

/** A parent login linked to the given students. */
export async function makeParent(app: App, org: { id: string }, studentIds: string[]) {
  const username = uniq('p.');
  const g = await app.deps.db.transaction(async (tx) => {
    const u = await insertLoginUser(tx, {
      username,
      email: `${username}@example.test`,
      fullName: 'Test Parent',
      password: PASSWORD,
      organizationId: org.id,
      roles: [{ role: 'parent', organization_id: org.id }],
    });
    const [gr] = await tx
      .insert(guardians)
      .values({ organizationId: org.id, userId: u.id, firstName: 'Test', lastName: 'Parent', email: u.email })
      .returning();
    if (studentIds.length) {
      await tx
        .insert(studentGuardians)
        .values(studentIds.map((studentId) => ({ studentId, guardianId: gr.id })));
    }
    return gr;
  });
  const { token } = await login(app, username, PASSWORD);
  return { ...g, username, token };
}
