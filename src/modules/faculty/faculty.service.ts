import type { Readable } from 'node:stream';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { readPhoto, replacePhoto } from '../students/index.js';
import { deactivateLogin, provisionPerson, rethrowUnique } from '../users/index.js';
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
  faculty_org_employee_id_uq: 'employee_id',
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

/** Creates the login user (faculty role in the organization) and the profile in one transaction. */
export async function createFaculty(deps: AppDeps, ctx: RequestContext, input: CreateFacultyT) {
  return provisionPerson(deps, ctx, {
    permission: 'faculty:write',
    organizationId: input.organization_id,
    login: {
      username: loginName(input.username, input.employee_id),
      email: input.email,
      fullName: `${input.first_name} ${input.last_name}`,
      password: input.password,
      role: 'faculty',
    },
    entityType: 'faculty',
    uniqueFields: UNIQUE_FIELDS,
    check: (tx) => assertDepartment(tx, ctx.actor, 'faculty:write', input.department_id),
    profile: async (tx, user) =>
      toFaculty(
        await repo.insert(tx, {
          ...values(input),
          id: uuidv7(),
          organizationId: input.organization_id,
          userId: user.id,
          firstName: input.first_name,
          lastName: input.last_name,
          email: input.email.toLowerCase(),
          employeeId: input.employee_id,
        }),
      ),
  });
}

export async function listFaculty(db: Db, ctx: RequestContext, q: ListFacultyQueryT, w: PageWindow) {
  const { rows, total } = await repo.list(db, facultyReadScope(ctx.actor), q, w);
  return page(rows.map(toFaculty), total, w);
}

export async function getFaculty(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, facultyReadScope(ctx.actor), id);
  if (!row) throw notFound('Faculty member');
  return toFaculty(row);
}

export async function updateFaculty(db: Db, ctx: RequestContext, id: string, input: UpdateFacultyT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findInScope(tx, facultyWriteScope(ctx.actor), id);
      if (!before) throw notFound('Faculty member');
      await assertDepartment(tx, ctx.actor, 'faculty:write', input.department_id);
      const row = await repo.update(tx, id, values(input));
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
