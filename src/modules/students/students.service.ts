import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import {
  COUNT_CAP,
  cappedPage,
  countLimit,
  type PageWindow,
  page,
  SEARCH_COUNT_CAP,
} from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { deactivateLogin, provisionPerson, rethrowUnique, syncLoginEmail } from '../users/index.js';
import { studentListScope, studentReadScope, studentWriteScope } from './students.policy.js';
import * as repo from './students.repo.js';
import type {
  CreateStudentT,
  DepartmentStudentT,
  ListStudentsQueryT,
  StudentFilters,
  StudentT,
  UpdateStudentT,
} from './students.schemas.js';
import { students } from './students.table.js';
import { defaultStudentUsername, rethrowStudentUnique, studentOrg } from './students-accounts.service.js';

const UNIQUE_FIELDS = {
  // The profile's own unique keys (student/employee number) are left to the kernel error handler, which
  // names the value and the organization ("A student with student number 1024 already exists in …").
  users_username_uq: 'username',
  users_email_uq: 'email',
};

export function toStudent(r: repo.StudentRow): StudentT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    user_id: r.userId,
    student_number: r.studentNumber,
    first_name: r.firstName,
    last_name: r.lastName,
    email: r.email,
    phone: r.phone,
    date_of_birth: r.dateOfBirth,
    gender: r.gender,
    department_id: r.departmentId,
    program_id: r.programId,
    batch_year: r.batchYear,
    semester: r.semester,
    grade_level: r.gradeLevel,
    category: r.category,
    roll_no: r.rollNo,
    address: r.address,
    admission_date: r.admissionDate,
    student_status: r.studentStatus,
    has_photo: r.photoKey !== null,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** The read scope bound to the students table (for other modules' queries too). */
export const readScope = (actor: Actor) => studentReadScope(actor, students);
export const writeScope = (actor: Actor) => studentWriteScope(actor, students);

/** The read scope for lists, search and export, with the managed organizations resolved to ids first. */
export async function listScope(db: DbOrTx, actor: Actor) {
  return studentListScope(actor, students, await repo.managedOrgIds(db, actor));
}

async function assertReferences(
  tx: DbOrTx,
  actor: Actor,
  refs: { department_id?: string | null; program_id?: string | null },
) {
  const ok = await repo.referencesInScope(tx, actor, {
    departmentId: refs.department_id,
    programId: refs.program_id,
  });
  const details = [
    ...(ok.department ? [] : [{ field: 'department_id', message: 'does not exist in your organizations' }]),
    ...(ok.program ? [] : [{ field: 'program_id', message: 'does not exist in your organizations' }]),
  ];
  if (details.length) throw businessRule('invalid_reference', 'A referenced record does not exist', details);
}

function profileValues(input: Partial<CreateStudentT & UpdateStudentT>) {
  return {
    firstName: input.first_name,
    lastName: input.last_name,
    email: input.email === undefined ? undefined : (input.email?.toLowerCase() ?? null),
    studentNumber: input.student_number,
    studentStatus: input.student_status,
    phone: input.phone,
    dateOfBirth: input.date_of_birth,
    gender: input.gender,
    departmentId: input.department_id,
    programId: input.program_id,
    batchYear: input.batch_year,
    semester: input.semester,
    gradeLevel: input.grade_level,
    category: input.category,
    rollNo: input.roll_no,
    address: input.address,
    admissionDate: input.admission_date,
  };
}

/**
 * Creates the student and, when asked (by default: when an email is given), its login user (student role in
 * the organization) in one transaction. The default username is `<organization code>.<student number>`.
 */
export async function createStudent(deps: AppDeps, ctx: RequestContext, input: CreateStudentT) {
  const email = input.email?.toLowerCase() ?? null;
  const withLogin = input.create_login ?? email !== null;
  if (withLogin && !email) {
    throw badRequest('email is required to create a login', [
      { field: 'email', message: 'is required when create_login is true' },
    ]);
  }
  if (!withLogin && (input.username || input.password)) {
    throw badRequest('username and password need a login', [
      { field: input.username ? 'username' : 'password', message: 'is only allowed with create_login' },
    ]);
  }
  const org = await studentOrg(deps.db, input.organization_id);
  const username = withLogin
    ? (input.username ?? (org ? defaultStudentUsername(org, input.student_number) : input.student_number))
    : null;
  try {
    return await provisionPerson(deps, ctx, {
      permission: 'students:write',
      organizationId: input.organization_id,
      person: input,
      login:
        withLogin && email && username
          ? { username, email, password: input.password, role: 'student' as const }
          : null,
      entityType: 'student',
      uniqueFields: UNIQUE_FIELDS,
      check: (tx) => assertReferences(tx, ctx.actor, input),
      profile: async (tx, person) =>
        toStudent(
          await repo.insert(tx, {
            ...profileValues(input),
            ...person,
            email,
            studentNumber: input.student_number,
          }),
        ),
    });
  } catch (err) {
    rethrowStudentUnique(err, {
      org,
      studentNumber: input.student_number,
      username,
      defaulted: !input.username,
      email,
    });
  }
}

export async function listStudents(db: Db, ctx: RequestContext, q: ListStudentsQueryT, w: PageWindow) {
  // A substring search counts up to SEARCH_COUNT_CAP: its page stays flat however large the district, and so
  // does its count (docs/performance.md, "Search that stays flat").
  const limit = countLimit(w, q.count, q.search ? SEARCH_COUNT_CAP : COUNT_CAP);
  const { rows, total } =
    (await repo.listOut(db, ctx.actor, q, w, limit)) ??
    (await repo.list(db, await listScope(db, ctx.actor), q, w, limit));
  // The rows are shaped by the select (repo.studentOut): no per-row mapping.
  return cappedPage(rows, total, limit, w);
}

export async function searchStudents(db: Db, ctx: RequestContext, q: string, limit: number) {
  return repo.search(db, await listScope(db, ctx.actor), q, limit);
}

export async function getStudent(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findOutInScope(db, ctx.actor, id);
  if (!row) throw notFound('Student');
  return row;
}

export async function getOwnStudent(db: Db, ctx: RequestContext) {
  const row = await repo.findByUser(db, ctx.actor.userId);
  if (!row) throw notFound('Student profile');
  return toStudent(row);
}

export async function updateStudent(db: Db, ctx: RequestContext, id: string, input: UpdateStudentT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findInScope(tx, writeScope(ctx.actor), id);
      if (!before) throw notFound('Student');
      await assertReferences(tx, ctx.actor, input);
      const row = await repo.update(tx, id, profileValues(input));
      // One email per person: the student's login follows the profile.
      await syncLoginEmail(tx, before.userId, input.email);
      const out = toStudent(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'student',
        entityId: id,
        organizationId: row.organizationId,
        before: toStudent(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

/** Soft delete: the row stays (enrollments, grades, ledger keep their history) but leaves every list. */
export async function deleteStudent(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, writeScope(ctx.actor), id);
    if (!before) throw notFound('Student');
    await repo.update(tx, id, { deletedAt: new Date(), studentStatus: 'inactive' });
    await deactivateLogin(tx, before.userId, 'student_deleted');
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'student',
      entityId: id,
      organizationId: before.organizationId,
      before: toStudent(before),
    });
  });
}

/** GET /departments/{id}/students: the department's students the actor may read. */
export async function listDepartmentStudents(
  db: Db,
  ctx: RequestContext,
  departmentId: string,
  w: PageWindow,
) {
  if (!(await repo.departmentReadable(db, ctx.actor, departmentId))) throw notFound('Department');
  const { rows, total } = await repo.list(db, readScope(ctx.actor), { department_id: departmentId }, w, null);
  // A subset of the list's rows: the route's compiled serializer writes only DepartmentStudent's fields.
  const data: DepartmentStudentT[] = rows;
  return page(data, total, w);
}

export type { StudentFilters };
