import type { Readable } from 'node:stream';
import type { Db, DbOrTx, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { readPhoto, replacePhoto } from '../students/index.js';
import {
  deactivateLogin,
  type PersonColumns,
  provisionPerson,
  rethrowUnique,
  syncLoginEmail,
} from '../users/index.js';
import { facultyReadScope, facultySelfScope, facultyWriteScope } from './faculty.policy.js';
import * as repo from './faculty.repo.js';
import type {
  CreateFacultyT,
  DepartmentFacultyT,
  FacultyT,
  ListFacultyQueryT,
  UpdateFacultyT,
} from './faculty.schemas.js';

const UNIQUE_FIELDS = {
  // The profile's own unique keys (student/employee number) are left to the kernel error handler, which
  // names the value and the organization ("A student with student number 1024 already exists in …").
  users_username_uq: 'username',
  users_email_uq: 'email',
};

export function toFaculty(r: repo.FacultyRow): FacultyT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    user_id: r.userId,
    employee_id: r.employeeId,
    first_name: r.firstName,
    last_name: r.lastName,
    email: r.email,
    phone: r.phone,
    department_id: r.departmentId,
    designation: r.designation,
    faculty_status: r.facultyStatus,
    employment_type: r.employmentType,
    is_hod: r.isHod,
    joining_date: r.joiningDate,
    qualification: r.qualification,
    specialization: r.specialization,
    has_photo: r.photoKey !== null,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** 422 unless the department lies in the actor's organizations (never another tenant's). */
export async function assertDepartment(tx: DbOrTx, actor: Actor, permission: string, id?: string | null) {
  if (id && !(await repo.departmentInScope(tx, actor, permission, id))) {
    throw businessRule('invalid_reference', 'A referenced record does not exist', [
      { field: 'department_id', message: 'does not exist in your organizations' },
    ]);
  }
}

export function loginName(username: string | undefined, code: string) {
  const name = username ?? code.toLowerCase();
  if (name.length < 3) {
    throw badRequest('username is required when the employee id is shorter than 3 characters', [
      { field: 'username', message: 'is required (the employee id is too short to be one)' },
    ]);
  }
  return name;
}

function values(input: Partial<CreateFacultyT & UpdateFacultyT>) {
  return {
    firstName: input.first_name,
    lastName: input.last_name,
    email: input.email?.toLowerCase(),
    employeeId: input.employee_id,
    phone: input.phone,
    departmentId: input.department_id,
    designation: input.designation,
    facultyStatus: input.faculty_status,
    employmentType: input.employment_type,
    isHod: input.is_hod,
    joiningDate: input.joining_date,
    qualification: input.qualification,
    specialization: input.specialization,
  };
}

/** What faculty and staff create bodies share: the login, the names, the employee id and the department. */
interface EmployeeInput {
  organization_id: string;
  username?: string;
  password?: string;
  email: string;
  first_name: string;
  last_name: string;
  employee_id: string;
  department_id?: string | null;
}

/** The columns of a new faculty or staff row the pipeline and the input determine. */
export interface EmployeeColumns extends PersonColumns<string> {
  email: string;
  employeeId: string;
}

/**
 * Creates an employee (faculty member or staff member): their login with the role, the department check
 * and the profile row, through the users module's provisioning pipeline.
 */
export function provisionEmployee<Out extends { id: string; organization_id: string }>(
  deps: AppDeps,
  ctx: RequestContext,
  role: 'faculty' | 'staff',
  input: EmployeeInput,
  uniqueFields: Record<string, string>,
  insert: (tx: Tx, columns: EmployeeColumns) => Promise<Out>,
): Promise<Out> {
  const permission = `${role}:write`;
  return provisionPerson(deps, ctx, {
    permission,
    organizationId: input.organization_id,
    person: input,
    login: {
      username: loginName(input.username, input.employee_id),
      email: input.email,
      password: input.password,
      role,
    },
    entityType: role,
    uniqueFields,
    check: (tx) => assertDepartment(tx, ctx.actor, permission, input.department_id),
    profile: (tx, person) =>
      insert(tx, { ...person, email: input.email.toLowerCase(), employeeId: input.employee_id }),
  });
}

/** Creates the login user (faculty role in the organization) and the profile in one transaction. */
export function createFaculty(deps: AppDeps, ctx: RequestContext, input: CreateFacultyT) {
  return provisionEmployee(deps, ctx, 'faculty', input, UNIQUE_FIELDS, async (tx, columns) =>
    toFaculty(await repo.insert(tx, { ...values(input), ...columns })),
  );
}

export async function listFaculty(db: Db, ctx: RequestContext, q: ListFacultyQueryT, w: PageWindow) {
  // The rows are shaped by the select (repo.facultyOut): no per-row mapping.
  const { rows, total } = await repo.list(db, facultyReadScope(ctx.actor), q, w);
  const data: FacultyT[] = rows;
  return page(data, total, w);
}

export async function getFaculty(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, facultyReadScope(ctx.actor), id);
  if (!row) throw notFound('Faculty member');
  return toFaculty(row);
}

/** The signed-in teacher's own faculty record (404 when the login has none). */
export async function getOwnFaculty(db: Db, ctx: RequestContext) {
  const row = await repo.findByUser(db, ctx.actor.userId);
  if (!row) throw notFound('Faculty profile');
  return toFaculty(row);
}

export async function updateFaculty(db: Db, ctx: RequestContext, id: string, input: UpdateFacultyT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findInScope(tx, facultyWriteScope(ctx.actor), id);
      if (!before) throw notFound('Faculty member');
      await assertDepartment(tx, ctx.actor, 'faculty:write', input.department_id);
      const row = await repo.update(tx, id, values(input));
      // One email per person: the faculty member's login follows the profile.
      await syncLoginEmail(tx, before.userId, input.email);
      const out = toFaculty(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'faculty',
        entityId: id,
        organizationId: row.organizationId,
        before: toFaculty(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

/** Soft delete (status inactive): teaching history, grades and attendance keep pointing at the profile. */
export async function deleteFaculty(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, facultyWriteScope(ctx.actor), id);
    if (!before) throw notFound('Faculty member');
    await repo.update(tx, id, { deletedAt: new Date(), facultyStatus: 'inactive' });
    await deactivateLogin(tx, before.userId, 'faculty_deleted');
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'faculty',
      entityId: id,
      organizationId: before.organizationId,
      before: toFaculty(before),
    });
  });
}

/** GET /departments/{id}/faculty: the department's faculty, for anyone who may read the department. */
export async function listDepartmentFaculty(
  db: Db,
  ctx: RequestContext,
  departmentId: string,
  w: PageWindow,
) {
  if (!(await repo.departmentReadable(db, ctx.actor, departmentId))) throw notFound('Department');
  const { rows, total } = await repo.listByDepartment(db, departmentId, w);
  return page(
    rows.map(
      (f): DepartmentFacultyT => ({
        id: f.id,
        organization_id: f.organizationId,
        employee_id: f.employeeId,
        first_name: f.firstName,
        last_name: f.lastName,
        email: f.email,
        designation: f.designation,
        faculty_status: f.facultyStatus,
        is_hod: f.isHod,
      }),
    ),
    total,
    w,
  );
}

/** Replaces a faculty member's photo (managers in scope, or the member their own). */
export function setFacultyPhoto(deps: AppDeps, ctx: RequestContext, id: string, file: Readable) {
  const scope = facultySelfScope(ctx.actor);
  return replacePhoto(
    deps,
    ctx,
    {
      prefix: `faculty/${id}`,
      entityType: 'faculty',
      entityId: id,
      notFound: 'Faculty member',
      find: (db) => repo.findInScope(db, scope, id),
      save: async (tx, key, contentType) => {
        await repo.update(tx, id, { photoKey: key, photoContentType: contentType });
      },
    },
    file,
  );
}

export async function getFacultyPhoto(deps: AppDeps, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(deps.db, facultyReadScope(ctx.actor), id);
  if (!row) throw notFound('Faculty member');
  return readPhoto(deps, row);
}
