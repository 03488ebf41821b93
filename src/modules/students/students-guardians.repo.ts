import { and, asc, eq, getTableColumns, ilike, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { guardians, studentGuardians, students } from './students.table.js';

export type GuardianRow = typeof guardians.$inferSelect;

/** Guardians the actor may read: managers in their subtree; a parent their own guardian record. */
export function guardianReadScope(actor: Actor): SQL {
  const parts: SQL[] = [orgScope(actor, 'guardians:write', guardians.organizationId)];
  if (hasRole(actor, 'parent')) parts.push(sql`${guardians.userId} = ${actor.userId}`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

export const guardianWriteScope = (actor: Actor) =>
  orgScope(actor, 'guardians:write', guardians.organizationId);

export async function findInScope(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(guardians)
    .where(and(eq(guardians.id, id), scope));
  return row ?? null;
}

export async function list(db: DbOrTx, scope: SQL, q: { search?: string }, w: PageWindow) {
  const conds: SQL[] = [scope];
  // Every word must match the first name, the last name or the email: "Maria Lopez" (first + last, in
  // either order) finds her, as "maria" or "lopez" alone does.
  for (const word of (q.search ?? '').split(/\s+/).filter(Boolean)) {
    const p = containsPattern(word);
    conds.push(or(ilike(guardians.firstName, p), ilike(guardians.lastName, p), ilike(guardians.email, p))!);
  }
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(guardians), _total })
        .from(guardians)
        .where(where)
        .orderBy(asc(guardians.lastName), asc(guardians.firstName), asc(guardians.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(guardians).where(where),
    w,
  );
  return { rows, total };
}

export async function insert(db: DbOrTx, values: typeof guardians.$inferInsert) {
  const [row] = await db.insert(guardians).values(values).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof guardians.$inferInsert>) {
  const [row] = await db
    .update(guardians)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(guardians.id, id))
    .returning();
  return row;
}

export async function remove(db: DbOrTx, id: string) {
  await db.delete(guardians).where(eq(guardians.id, id));
}

/** Guardians of one student with the link's relationship, primary first. */
export function guardiansOfStudent(db: DbOrTx, studentId: string) {
  return db
    .select({
      g: guardians,
      relationship: studentGuardians.relationship,
      isPrimary: studentGuardians.isPrimary,
    })
    .from(studentGuardians)
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(eq(studentGuardians.studentId, studentId))
    .orderBy(sql`${studentGuardians.isPrimary} desc`, asc(guardians.lastName), asc(guardians.firstName));
}

/** Live students linked to one guardian. */
export function studentsOfGuardian(db: DbOrTx, guardianId: string) {
  return db
    .select({
      id: students.id,
      organization_id: students.organizationId,
      student_number: students.studentNumber,
      first_name: students.firstName,
      last_name: students.lastName,
      student_status: students.studentStatus,
      relationship: studentGuardians.relationship,
      is_primary: studentGuardians.isPrimary,
    })
    .from(studentGuardians)
    .innerJoin(students, eq(students.id, studentGuardians.studentId))
    .where(and(eq(studentGuardians.guardianId, guardianId), isNull(students.deletedAt)))
    .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id));
}

export async function insertLink(db: DbOrTx, v: typeof studentGuardians.$inferInsert) {
  const [row] = await db.insert(studentGuardians).values(v).returning();
  return row;
}

/** Keeps a single primary guardian per student: clears the flag on the student's other links. */
export async function clearOtherPrimaries(db: DbOrTx, studentId: string, keepGuardianId: string) {
  await db
    .update(studentGuardians)
    .set({ isPrimary: false })
    .where(
      and(
        eq(studentGuardians.studentId, studentId),
        ne(studentGuardians.guardianId, keepGuardianId),
        eq(studentGuardians.isPrimary, true),
      ),
    );
}

export async function deleteLink(db: DbOrTx, studentId: string, guardianId: string) {
  const rows = await db
    .delete(studentGuardians)
    .where(and(eq(studentGuardians.studentId, studentId), eq(studentGuardians.guardianId, guardianId)))
    .returning();
  return rows[0] ?? null;
}
