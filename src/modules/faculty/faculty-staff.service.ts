import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { deactivateLogin, rethrowUnique, syncLoginEmail } from '../users/index.js';
import { staffReadScope, staffWriteScope } from './faculty.policy.js';
import { assertDepartment, provisionEmployee } from './faculty.service.js';
import * as repo from './faculty-staff.repo.js';
import type { CreateStaffT, ListStaffQueryT, StaffT, UpdateStaffT } from './faculty-staff.schemas.js';

const UNIQUE_FIELDS = {
  // The profile's own unique keys (student/employee number) are left to the kernel error handler, which
  // names the value and the organization ("A student with student number 1024 already exists in …").
  users_username_uq: 'username',
  users_email_uq: 'email',
};

const readScope = (ctx: RequestContext) => staffReadScope(ctx.actor);
const writeScope = (ctx: RequestContext) => staffWriteScope(ctx.actor);

export function toStaff(r: repo.StaffRow): StaffT {
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
    job_title: r.jobTitle,
    staff_status: r.staffStatus,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

function values(input: Partial<CreateStaffT & UpdateStaffT>) {
  return {
    firstName: input.first_name,
    lastName: input.last_name,
    email: input.email?.toLowerCase(),
    employeeId: input.employee_id,
    phone: input.phone,
    departmentId: input.department_id,
    jobTitle: input.job_title,
    staffStatus: input.staff_status,
  };
}

/** Creates the login user (staff role in the organization) and the profile in one transaction. */
export function createStaff(deps: AppDeps, ctx: RequestContext, input: CreateStaffT) {
  return provisionEmployee(deps, ctx, 'staff', input, UNIQUE_FIELDS, async (tx, columns) =>
    toStaff(await repo.insert(tx, { ...values(input), ...columns })),
  );
}

export async function listStaff(db: Db, ctx: RequestContext, q: ListStaffQueryT, w: PageWindow) {
  // The rows are shaped by the select (repo.staffOut): no per-row mapping.
  const { rows, total } = await repo.list(db, readScope(ctx), q, w);
  const data: StaffT[] = rows;
  return page(data, total, w);
}

export async function getStaff(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, readScope(ctx), id);
  if (!row) throw notFound('Staff member');
  return toStaff(row);
}

export async function updateStaff(db: Db, ctx: RequestContext, id: string, input: UpdateStaffT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findInScope(tx, writeScope(ctx), id);
      if (!before) throw notFound('Staff member');
      await assertDepartment(tx, ctx.actor, 'staff:write', input.department_id);
      const row = await repo.update(tx, id, values(input));
      // One email per person: the staff member's login follows the profile.
      await syncLoginEmail(tx, before.userId, input.email);
      const out = toStaff(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'staff',
        entityId: id,
        organizationId: row.organizationId,
        before: toStaff(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

/** Soft delete (status inactive); the record stays for history. */
export async function deleteStaff(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, writeScope(ctx), id);
    if (!before) throw notFound('Staff member');
    await repo.update(tx, id, { deletedAt: new Date(), staffStatus: 'inactive' });
    await deactivateLogin(tx, before.userId, 'staff_deleted');
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'staff',
      entityId: id,
      organizationId: before.organizationId,
      before: toStaff(before),
    });
  });
}
