import { and, asc, eq, getTableColumns, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern, isoText } from '../../kernel/sql.js';
import { catalogReadScope, departments, orgInSubtree, orgIsSelfOrAncestor } from '../academics/index.js';
import { orgScope } from '../organizations/index.js';
import type { ListFacultyQueryT } from './faculty.schemas.js';
import { faculty } from './faculty.table.js';

export type FacultyRow = typeof faculty.$inferSelect;

/**
 * A faculty member as the API answers it (FacultyT), shaped by the select itself, so the list maps no row in
 * JavaScript: the same fields `toFaculty` builds from a full row (timestamps as `Date.toISOString()` text).
 */
export const facultyOut = {
  id: faculty.id,
  organization_id: faculty.organizationId,
  user_id: faculty.userId,
  employee_id: faculty.employeeId,
  first_name: faculty.firstName,
  last_name: faculty.lastName,
  email: faculty.email,
  phone: faculty.phone,
  department_id: faculty.departmentId,
  designation: faculty.designation,
  faculty_status: faculty.facultyStatus,
  employment_type: faculty.employmentType,
  is_hod: faculty.isHod,
  joining_date: faculty.joiningDate,
  qualification: faculty.qualification,
  specialization: faculty.specialization,
  has_photo: sql<boolean>`(${faculty.photoKey} is not null)`,
  created_at: isoText(faculty.createdAt),
  updated_at: isoText(faculty.updatedAt),
};

export async function findInScope(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(faculty)
    .where(and(eq(faculty.id, id), isNull(faculty.deletedAt), scope));
  return row ?? null;
}

/** The live faculty record whose login is `userId`. */
export async function findByUser(db: DbOrTx, userId: string) {
  const [row] = await db
    .select()
    .from(faculty)
    .where(and(eq(faculty.userId, userId), isNull(faculty.deletedAt)));
  return row ?? null;
}

export async function list(db: DbOrTx, scope: SQL, q: ListFacultyQueryT, w: PageWindow) {
  const conds: SQL[] = [scope, isNull(faculty.deletedAt)];
  if (q.faculty_status) conds.push(eq(faculty.facultyStatus, q.faculty_status));
  if (q.department_id) conds.push(eq(faculty.departmentId, q.department_id));
  if (q.employment_type) conds.push(eq(faculty.employmentType, q.employment_type));
  if (q.is_hod !== undefined) conds.push(eq(faculty.isHod, q.is_hod));
  if (q.search) {
    const p = containsPattern(q.search);
    conds.push(
      or(
        ilike(sql`${faculty.firstName} || ' ' || ${faculty.lastName}`, p),
        ilike(faculty.email, p),
        ilike(faculty.employeeId, p),
        ilike(faculty.designation, p),
      )!,
    );
  }
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...facultyOut, _total })
        .from(faculty)
        .where(where)
        .orderBy(asc(faculty.lastName), asc(faculty.firstName), asc(faculty.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(faculty).where(where),
    w,
  );
  return { rows, total };
}

export async function insert(db: DbOrTx, values: typeof faculty.$inferInsert) {
  const [row] = await db.insert(faculty).values(values).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof faculty.$inferInsert>) {
  const [row] = await db
    .update(faculty)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(faculty.id, id))
    .returning();
  return row;
}

/** True when the department exists in an organization where the actor holds `permission`. */
export async function departmentInScope(db: DbOrTx, actor: Actor, permission: string, id: string) {
  const [r] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, id), orgScope(actor, permission, departments.organizationId)));
  return Boolean(r);
}

/** True when the department is in the actor's catalog read scope (its organizations and their ancestors). */
export async function departmentReadable(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, id), catalogReadScope(actor, departments.organizationId)));
  return Boolean(r);
}

/** A department's live faculty, by name. */
export async function listByDepartment(db: DbOrTx, departmentId: string, w: PageWindow) {
  const where = and(eq(faculty.departmentId, departmentId), isNull(faculty.deletedAt));
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(faculty), _total })
        .from(faculty)
        .where(where)
        .orderBy(asc(faculty.lastName), asc(faculty.firstName), asc(faculty.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(faculty).where(where),
    w,
  );
  return { rows, total };
}

/**
 * True when the faculty record exists in the organization with path `orgPath`, one of its ancestors or its
 * subtree (where a department's head may come from; deleted records count, as they always did).
 */
export async function existsInOrgTree(db: DbOrTx, facultyId: string, orgPath: string) {
  const [row] = await db
    .select({ id: faculty.id })
    .from(faculty)
    .where(
      and(
        eq(faculty.id, facultyId),
        or(
          orgIsSelfOrAncestor(faculty.organizationId, orgPath),
          orgInSubtree(faculty.organizationId, orgPath),
        ),
      ),
    );
  return Boolean(row);
}
