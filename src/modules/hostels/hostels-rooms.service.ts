import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { hostelManageScope, hostelReadScope } from './hostels.policy.js';
import * as repo from './hostels.repo.js';
import type {
  AvailableRoomsQueryT,
  CreateRoomT,
  HostelRoomsQueryT,
  ListRoomsQueryT,
  RoomT,
  UpdateRoomT,
} from './hostels.schemas.js';
import { hostelRooms, hostels } from './hostels.table.js';

export function toRoom(r: repo.RoomRow): RoomT {
  const m = r.room;
  const occupied = Number(r.occupied);
  return {
    id: m.id,
    organization_id: m.organizationId,
    hostel_id: m.hostelId,
    hostel_name: r.hostelName,
    room_number: m.roomNumber,
    room_type: m.roomType,
    capacity: m.capacity,
    floor: m.floor,
    room_status: m.roomStatus,
    is_active: m.isActive,
    occupied,
    free_beds: Math.max(0, m.capacity - occupied),
    created_at: iso(m.createdAt) ?? '',
    updated_at: iso(m.updatedAt) ?? '',
  };
}

const readScope = (ctx: RequestContext) => hostelReadScope(ctx.actor, hostelRooms.organizationId);
const manageScope = (ctx: RequestContext) => hostelManageScope(ctx.actor, hostelRooms.organizationId);

export async function createRoom(db: Db, ctx: RequestContext, i: CreateRoomT) {
  return withTx(db, async (tx) => {
    const hostel = await repo.lockHostel(
      tx,
      hostelManageScope(ctx.actor, hostels.organizationId),
      i.hostel_id,
    );
    if (!hostel) throw notFound('Hostel');
    const row = await repo.insertRoom(tx, {
      organizationId: hostel.organizationId,
      hostelId: hostel.id,
      roomNumber: i.room_number,
      roomType: i.room_type,
      capacity: i.capacity,
      floor: i.floor ?? null,
      roomStatus: i.room_status ?? 'available',
      isActive: i.is_active ?? true,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'hostel_room',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    const out = await repo.findRoom(tx, manageScope(ctx), row.id);
    if (!out) throw notFound('Room');
    return toRoom(out);
  });
}

/** Changes a room; the room is locked so a capacity cut cannot race an allocation. */
export async function updateRoom(db: Db, ctx: RequestContext, id: string, i: UpdateRoomT) {
  return withTx(db, async (tx) => {
    const locked = await repo.lockRoom(tx, manageScope(ctx), id);
    if (!locked) throw notFound('Room');
    const before = locked.room;
    if (i.capacity !== undefined) {
      const occupied = await repo.occupancy(tx, id);
      if (i.capacity < occupied) {
        throw businessRule('capacity_below_occupancy', `The room has ${occupied} active allocations`, [
          { field: 'capacity', message: `must be at least ${occupied}` },
        ]);
      }
    }
    const values = {
      roomNumber: i.room_number ?? before.roomNumber,
      roomType: i.room_type ?? before.roomType,
      capacity: i.capacity ?? before.capacity,
      floor: i.floor !== undefined ? i.floor : before.floor,
      roomStatus: i.room_status ?? before.roomStatus,
      isActive: i.is_active ?? before.isActive,
    };
    await repo.updateRoom(tx, id, values);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'hostel_room',
      entityId: id,
      organizationId: before.organizationId,
      before,
      after: { ...before, ...values },
    });
    const out = await repo.findRoom(tx, manageScope(ctx), id);
    if (!out) throw notFound('Room');
    return toRoom(out);
  });
}

export async function getRoom(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findRoom(db, readScope(ctx), id);
  if (!row) throw notFound('Room');
  return toRoom(row);
}

export async function listRooms(db: Db, ctx: RequestContext, q: ListRoomsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listRooms(
    db,
    readScope(ctx),
    { hostelId: q.hostel_id, roomType: q.room_type, roomStatus: q.room_status, isActive: q.is_active },
    w,
  );
  return page(rows.map(toRoom), total, w);
}

/** Rooms that can take an allocation now: available, active, in an active hostel, with free beds. */
export async function availableRooms(db: Db, ctx: RequestContext, q: AvailableRoomsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listRooms(
    db,
    readScope(ctx),
    {
      hostelId: q.hostel_id,
      roomType: q.room_type,
      hostelType: q.hostel_type,
      minFreeBeds: q.min_free_beds ?? 1,
    },
    w,
  );
  return page(rows.map(toRoom), total, w);
}

/** The rooms of one hostel (404 when the hostel is out of scope). */
export async function roomsOfHostel(
  db: Db,
  ctx: RequestContext,
  hostelId: string,
  q: HostelRoomsQueryT,
  w: PageWindow,
) {
  const hostel = await repo.findHostel(db, hostelReadScope(ctx.actor, hostels.organizationId), hostelId);
  if (!hostel) throw notFound('Hostel');
  const { rows, total } = await repo.listRooms(
    db,
    eq(hostelRooms.hostelId, hostelId),
    { roomStatus: q.room_status, roomType: q.room_type },
    w,
  );
  return page(rows.map(toRoom), total, w);
}
