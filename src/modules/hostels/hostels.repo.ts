import { and, asc, count, eq, ilike, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { faculty, staff } from '../faculty/index.js';
import { organizations } from '../organizations/index.js';
import { hostelRooms, hostels } from './hostels.table.js';

/** Active allocations of a room (served by hostel_allocations_room_status_idx). */
const roomOccupied = sql<number>`(select count(*)::int from hostel_allocations ha
  where ha.room_id = ${hostelRooms.id} and ha.status = 'active')`;

const hostelColumns = {
  hostel: hostels,
  wardenFacultyName: sql<string | null>`${faculty.firstName} || ' ' || ${faculty.lastName}`,
  wardenStaffName: sql<string | null>`${staff.firstName} || ' ' || ${staff.lastName}`,
  roomCount: sql<number>`(select count(*)::int from hostel_rooms hr where hr.hostel_id = ${hostels.id})`,
  capacity: sql<number>`(select coalesce(sum(hr.capacity), 0)::int from hostel_rooms hr where hr.hostel_id = ${hostels.id})`,
  occupied: sql<number>`(select count(*)::int from hostel_allocations ha where ha.hostel_id = ${hostels.id} and ha.status = 'active')`,
};

export type HostelRow = {
  hostel: typeof hostels.$inferSelect;
  wardenFacultyName: string | null;
  wardenStaffName: string | null;
  roomCount: number;
  capacity: number;
  occupied: number;
};

function hostelQuery<Extra extends Record<string, SQL>>(db: DbOrTx, extra?: Extra) {
  return db
    .select({ ...hostelColumns, ...(extra ?? ({} as Extra)) })
    .from(hostels)
    .leftJoin(faculty, eq(faculty.id, hostels.wardenFacultyId))
    .leftJoin(staff, eq(staff.id, hostels.wardenStaffId));
}

/** No restriction: for reads inside a transaction that already checked the actor's scope. */
export const trueScope = sql`true`;

/** One hostel inside `scope`, or null. */
export async function findHostel(db: DbOrTx, scope: SQL, id: string): Promise<HostelRow | null> {
  const [row] = await hostelQuery(db).where(and(eq(hostels.id, id), scope));
  return row ?? null;
}

export interface HostelFilters {
  organizationId?: string;
  hostelType?: (typeof hostels.$inferSelect)['hostelType'];
  isActive?: boolean;
  search?: string;
}

export async function listHostels(db: DbOrTx, scope: SQL, f: HostelFilters, w: PageWindow) {
  const conds: SQL[] = [scope];
  if (f.organizationId) conds.push(eq(hostels.organizationId, f.organizationId));
  if (f.hostelType) conds.push(eq(hostels.hostelType, f.hostelType));
  if (f.isActive !== undefined) conds.push(eq(hostels.isActive, f.isActive));
  if (f.search) conds.push(ilike(hostels.name, containsPattern(f.search)));
  const where = and(...conds);
  // The page and its count in one statement (kernel/pagination.ts `listPage`).
  return listPage(
    db,
    (_total) =>
      hostelQuery(db, { _total })
        .where(where)
        .orderBy(asc(hostels.name), asc(hostels.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(hostels).where(where),
    w,
  );
}

export async function insertHostel(db: DbOrTx, values: typeof hostels.$inferInsert) {
  const [row] = await db.insert(hostels).values(values).returning();
  return row;
}

export async function updateHostel(db: DbOrTx, id: string, values: Partial<typeof hostels.$inferInsert>) {
  await db
    .update(hostels)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(hostels.id, id));
}

/** The hostel row locked for update (room creation and capacity changes serialize on it), or null. */
export async function lockHostel(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(hostels)
    .where(and(eq(hostels.id, id), scope))
    .for('update');
  return row ?? null;
}

/** The organization's materialized path when it lies in `scope`, else null. */
export async function orgPathInScope(db: DbOrTx, scope: SQL, orgId: string) {
  const [row] = await db
    .select({ id: organizations.id, path: organizations.path })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), scope));
  return row ?? null;
}

/** The organizations id column, for scoping organization lookups with a module predicate. */
export const organizationIdColumn = organizations.id;

/** The billing currency of an organization. */
export const currencyOf = (orgId: string) => sql`select currency from organizations where id = ${orgId}`;

export async function orgPath(db: DbOrTx, orgId: string) {
  const [row] = await db
    .select({ path: organizations.path })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row?.path ?? null;
}

/** A live faculty or staff member whose organization is `orgPath`'s organization or one of its ancestors. */
export async function wardenExists(db: DbOrTx, kind: 'faculty' | 'staff', id: string, path: string) {
  const t = kind === 'faculty' ? faculty : staff;
  const [row] = await db
    .select({ id: t.id })
    .from(t)
    .innerJoin(organizations, eq(organizations.id, t.organizationId))
    .where(and(eq(t.id, id), sql`${t.deletedAt} is null`, sql`${path} like ${organizations.path} || '%'`));
  return Boolean(row);
}

const roomColumns = { room: hostelRooms, hostelName: hostels.name, occupied: roomOccupied };
export type RoomRow = { room: typeof hostelRooms.$inferSelect; hostelName: string; occupied: number };

function roomQuery(db: DbOrTx) {
  return db.select(roomColumns).from(hostelRooms).innerJoin(hostels, eq(hostels.id, hostelRooms.hostelId));
}

export async function findRoom(db: DbOrTx, scope: SQL, id: string): Promise<RoomRow | null> {
  const [row] = await roomQuery(db).where(and(eq(hostelRooms.id, id), scope));
  return row ?? null;
}

/**
 * The room row locked FOR UPDATE with its hostel: every allocation into a room takes this lock first, so
 * concurrent allocations count the beds one after the other and never overfill it.
 */
export async function lockRoom(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select({ room: hostelRooms, hostelActive: hostels.isActive })
    .from(hostelRooms)
    .innerJoin(hostels, eq(hostels.id, hostelRooms.hostelId))
    .where(and(eq(hostelRooms.id, id), scope))
    .for('update', { of: hostelRooms });
  return row ?? null;
}

/** Active allocations of a room, read after its lock is held. */
export async function occupancy(db: DbOrTx, roomId: string) {
  const [row] = await db
    .execute<{ n: number }>(
      sql`select count(*)::int as n from hostel_allocations where room_id = ${roomId} and status = 'active'`,
    )
    .then((r) => r.rows);
  return Number(row?.n ?? 0);
}

export interface RoomFilters {
  hostelId?: string;
  roomType?: (typeof hostelRooms.$inferSelect)['roomType'];
  roomStatus?: (typeof hostelRooms.$inferSelect)['roomStatus'];
  isActive?: boolean;
  hostelType?: (typeof hostels.$inferSelect)['hostelType'];
  /** Only bookable rooms (available, active, in an active hostel) with at least this many free beds. */
  minFreeBeds?: number;
}

export async function listRooms(db: DbOrTx, scope: SQL, f: RoomFilters, w: PageWindow) {
  const conds: SQL[] = [scope];
  if (f.hostelId) conds.push(eq(hostelRooms.hostelId, f.hostelId));
  if (f.roomType) conds.push(eq(hostelRooms.roomType, f.roomType));
  if (f.roomStatus) conds.push(eq(hostelRooms.roomStatus, f.roomStatus));
  if (f.isActive !== undefined) conds.push(eq(hostelRooms.isActive, f.isActive));
  if (f.hostelType) conds.push(eq(hostels.hostelType, f.hostelType));
  if (f.minFreeBeds !== undefined) {
    conds.push(
      eq(hostelRooms.roomStatus, 'available'),
      eq(hostelRooms.isActive, true),
      eq(hostels.isActive, true),
      sql`${hostelRooms.capacity} - ${roomOccupied} >= ${f.minFreeBeds}`,
    );
  }
  const where = and(...conds);
  const rows = await roomQuery(db)
    .where(where)
    .orderBy(asc(hostels.name), asc(hostelRooms.roomNumber), asc(hostelRooms.id))
    .limit(w.limit)
    .offset(w.offset);
  const [{ n }] = await db
    .select({ n: count() })
    .from(hostelRooms)
    .innerJoin(hostels, eq(hostels.id, hostelRooms.hostelId))
    .where(where);
  return { rows, total: Number(n) };
}

export async function insertRoom(db: DbOrTx, values: typeof hostelRooms.$inferInsert) {
  const [row] = await db.insert(hostelRooms).values(values).returning();
  return row;
}

export async function updateRoom(db: DbOrTx, id: string, values: Partial<typeof hostelRooms.$inferInsert>) {
  await db
    .update(hostelRooms)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(hostelRooms.id, id));
}
