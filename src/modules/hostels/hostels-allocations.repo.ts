import { and, asc, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { firstRow } from '../../kernel/sql.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { hostelAllocations, hostelFees, hostelRooms, hostelSettings, hostels } from './hostels.table.js';

type AllocationStatus = (typeof hostelAllocations.$inferSelect)['status'];

const columns = {
  a: hostelAllocations,
  studentName: sql<string>`${students.firstName} || ' ' || ${students.lastName}`,
  studentNumber: students.studentNumber,
  hostelName: hostels.name,
  roomNumber: hostelRooms.roomNumber,
  currency: organizations.currency,
};
export type AllocationRow = {
  a: typeof hostelAllocations.$inferSelect;
  studentName: string;
  studentNumber: string;
  hostelName: string;
  roomNumber: string;
  currency: string;
};

function query<Extra extends Record<string, SQL>>(db: DbOrTx, extra?: Extra) {
  return db
    .select({ ...columns, ...(extra ?? ({} as Extra)) })
    .from(hostelAllocations)
    .innerJoin(students, eq(students.id, hostelAllocations.studentId))
    .innerJoin(hostels, eq(hostels.id, hostelAllocations.hostelId))
    .innerJoin(hostelRooms, eq(hostelRooms.id, hostelAllocations.roomId))
    .innerJoin(organizations, eq(organizations.id, students.organizationId));
}

export async function findAllocation(db: DbOrTx, scope: SQL, id: string): Promise<AllocationRow | null> {
  const [row] = await query(db).where(and(eq(hostelAllocations.id, id), scope));
  return row ?? null;
}

/** The allocation row locked FOR UPDATE (a transfer and a vacate of one allocation serialize), or null. */
export async function lockAllocation(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(hostelAllocations)
    .where(and(eq(hostelAllocations.id, id), scope))
    .for('update');
  return row ?? null;
}

export interface AllocationFilters {
  studentId?: string;
  hostelId?: string;
  roomId?: string;
  status?: AllocationStatus;
  academicYear?: string;
}

export async function listAllocations(db: DbOrTx, scope: SQL, f: AllocationFilters, w: PageWindow) {
  const conds: SQL[] = [scope];
  if (f.studentId) conds.push(eq(hostelAllocations.studentId, f.studentId));
  if (f.hostelId) conds.push(eq(hostelAllocations.hostelId, f.hostelId));
  if (f.roomId) conds.push(eq(hostelAllocations.roomId, f.roomId));
  if (f.status) conds.push(eq(hostelAllocations.status, f.status));
  if (f.academicYear) conds.push(eq(hostelAllocations.academicYear, f.academicYear));
  const where = and(...conds);
  // The page and its count in one statement (kernel/pagination.ts `listPage`).
  return listPage(
    db,
    (_total) =>
      query(db, { _total })
        .where(where)
        .orderBy(desc(hostelAllocations.startDate), desc(hostelAllocations.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(hostelAllocations).where(where),
    w,
  );
}

/** Every allocation of a student, oldest first (a transfer's new row follows the row it ended). */
export function history(db: DbOrTx, scope: SQL, studentId: string) {
  return query(db)
    .where(and(eq(hostelAllocations.studentId, studentId), scope))
    .orderBy(asc(hostelAllocations.startDate), asc(hostelAllocations.createdAt), asc(hostelAllocations.id));
}

export async function insertAllocation(db: DbOrTx, values: typeof hostelAllocations.$inferInsert) {
  const [row] = await db.insert(hostelAllocations).values(values).returning();
  return row;
}

export async function endAllocation(
  db: DbOrTx,
  id: string,
  v: { status: 'vacated' | 'transferred'; endDate: string; endedBy: string; remarks?: string | null },
) {
  const [row] = await db
    .update(hostelAllocations)
    .set({
      status: v.status,
      endDate: v.endDate,
      endedBy: v.endedBy,
      ...(v.remarks !== undefined ? { remarks: v.remarks } : {}),
      updatedAt: new Date(),
    })
    .where(eq(hostelAllocations.id, id))
    .returning();
  return row;
}

/** A live student inside `scope`, with the organization path and billing currency. */
export async function findStudent(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select({
      id: students.id,
      organizationId: students.organizationId,
      gender: students.gender,
      path: organizations.path,
      currency: organizations.currency,
    })
    .from(students)
    .innerJoin(organizations, eq(organizations.id, students.organizationId))
    .where(and(eq(students.id, id), sql`${students.deletedAt} is null`, scope));
  return row ?? null;
}

export async function activeAllocationOf(db: DbOrTx, studentId: string) {
  const [row] = await db
    .select({ id: hostelAllocations.id })
    .from(hostelAllocations)
    .where(and(eq(hostelAllocations.studentId, studentId), eq(hostelAllocations.status, 'active')));
  return row ?? null;
}

/** The fee for a room type of a hostel and year: the room-type fee, else the hostel-wide fee. */
export async function feeFor(
  db: DbOrTx,
  hostelId: string,
  academicYear: string,
  roomType: (typeof hostelRooms.$inferSelect)['roomType'],
) {
  const [row] = await db
    .select()
    .from(hostelFees)
    .where(
      and(
        eq(hostelFees.hostelId, hostelId),
        eq(hostelFees.academicYear, academicYear),
        sql`(${hostelFees.roomType} = ${roomType} or ${hostelFees.roomType} is null)`,
      ),
    )
    .orderBy(sql`${hostelFees.roomType} nulls last`)
    .limit(1);
  return row ?? null;
}

/** The settings of the nearest organization (self, then ancestors) that has a row, or null. */
export async function settingsFor(db: DbOrTx, orgId: string) {
  return (
    firstRow<{ organization_id: string; prorate_fees: boolean; fee_due_days: number }>(
      await db.execute(sql`
        select hs.organization_id, hs.prorate_fees, hs.fee_due_days
          from hostel_settings hs join organizations ho on ho.id = hs.organization_id
         where (select path from organizations where id = ${orgId}) like ho.path || '%'
         order by length(ho.path) desc limit 1`),
    ) ?? null
  );
}

export async function upsertSettings(db: DbOrTx, v: typeof hostelSettings.$inferInsert) {
  await db
    .insert(hostelSettings)
    .values(v)
    .onConflictDoUpdate({
      target: hostelSettings.organizationId,
      set: {
        prorateFees: v.prorateFees,
        feeDueDays: v.feeDueDays,
        updatedBy: v.updatedBy,
        updatedAt: new Date(),
      },
    });
}

export async function insertFee(db: DbOrTx, v: typeof hostelFees.$inferInsert) {
  const [row] = await db.insert(hostelFees).values(v).returning();
  return row;
}

export async function findFee(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(hostelFees)
    .where(and(eq(hostelFees.id, id), scope));
  return row ?? null;
}

export async function deleteFee(db: DbOrTx, id: string) {
  await db.delete(hostelFees).where(eq(hostelFees.id, id));
}

export async function listFees(
  db: DbOrTx,
  scope: SQL,
  f: { hostelId?: string; academicYear?: string },
  w: PageWindow,
) {
  const conds: SQL[] = [scope];
  if (f.hostelId) conds.push(eq(hostelFees.hostelId, f.hostelId));
  if (f.academicYear) conds.push(eq(hostelFees.academicYear, f.academicYear));
  const where = and(...conds);
  return listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(hostelFees), _total })
        .from(hostelFees)
        .where(where)
        .orderBy(desc(hostelFees.academicYear), asc(hostelFees.hostelId), asc(hostelFees.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(hostelFees).where(where),
    w,
  );
}
