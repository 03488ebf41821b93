import { and, asc, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern, isoText } from '../../kernel/sql.js';
import { staff } from './faculty.table.js';
import type { ListStaffQueryT } from './faculty-staff.schemas.js';

export type StaffRow = typeof staff.$inferSelect;

/** A staff member as the API answers it (StaffT), shaped by the select: the fields `toStaff` builds. */
export const staffOut = {
  id: staff.id,
  organization_id: staff.organizationId,
  user_id: staff.userId,
  employee_id: staff.employeeId,
  first_name: staff.firstName,
  last_name: staff.lastName,
  email: staff.email,
  phone: staff.phone,
  department_id: staff.departmentId,
  job_title: staff.jobTitle,
  staff_status: staff.staffStatus,
  created_at: isoText(staff.createdAt),
  updated_at: isoText(staff.updatedAt),
};

export async function findInScope(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, id), isNull(staff.deletedAt), scope));
  return row ?? null;
}

export async function list(db: DbOrTx, scope: SQL, q: ListStaffQueryT, w: PageWindow) {
  const conds: SQL[] = [scope, isNull(staff.deletedAt)];
  if (q.staff_status) conds.push(eq(staff.staffStatus, q.staff_status));
  if (q.department_id) conds.push(eq(staff.departmentId, q.department_id));
  if (q.search) {
    const p = containsPattern(q.search);
    conds.push(
      or(
        ilike(sql`${staff.firstName} || ' ' || ${staff.lastName}`, p),
        ilike(staff.email, p),
        ilike(staff.employeeId, p),
        ilike(staff.jobTitle, p),
      )!,
    );
  }
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...staffOut, _total })
        .from(staff)
        .where(where)
        .orderBy(asc(staff.lastName), asc(staff.firstName), asc(staff.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(staff).where(where),
    w,
  );
  return { rows, total };
}

export async function insert(db: DbOrTx, values: typeof staff.$inferInsert) {
  const [row] = await db.insert(staff).values(values).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof staff.$inferInsert>) {
  const [row] = await db
    .update(staff)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(staff.id, id))
    .returning();
  return row;
}
