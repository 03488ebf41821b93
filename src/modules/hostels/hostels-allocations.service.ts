import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { formatMinor } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { studentReadScope, students } from '../students/index.js';
import { allocationReadScope, hostelManageScope } from './hostels.policy.js';
import * as repo from './hostels.repo.js';
import { hostelAllocations, hostelRooms } from './hostels.table.js';
import * as arepo from './hostels-allocations.repo.js';
import type {
  AllocationT,
  CreateAllocationT,
  ListAllocationsQueryT,
  TransferAllocationT,
  VacateQueryT,
} from './hostels-allocations.schemas.js';
import { chargeAllocation } from './hostels-fees.service.js';

export function toAllocation(r: arepo.AllocationRow): AllocationT {
  const a = r.a;
  return {
    id: a.id,
    organization_id: a.organizationId,
    student_id: a.studentId,
    student_name: r.studentName,
    student_number: r.studentNumber,
    hostel_id: a.hostelId,
    hostel_name: r.hostelName,
    room_id: a.roomId,
    room_number: r.roomNumber,
    academic_year: a.academicYear,
    status: a.status,
    start_date: a.startDate,
    end_date: a.endDate,
    transferred_from_id: a.transferredFromId,
    remarks: a.remarks,
    charge: a.chargeMinor === null ? null : formatMinor(a.chargeMinor, r.currency),
    currency: a.chargeMinor === null ? null : r.currency,
    created_at: iso(a.createdAt) ?? '',
    updated_at: iso(a.updatedAt) ?? '',
  };
}

const today = () => new Date().toISOString().slice(0, 10);
const readScope = (ctx: RequestContext) =>
  allocationReadScope(ctx.actor, {
    organizationId: hostelAllocations.organizationId,
    studentId: hostelAllocations.studentId,
  });
const manageScope = (ctx: RequestContext) => hostelManageScope(ctx.actor, hostelAllocations.organizationId);

const MALE = new Set(['male', 'm', 'boy', 'man']);
const FEMALE = new Set(['female', 'f', 'girl', 'woman']);

/**
 * Locks the target room and checks that it can take one more student now: bookable, a free bed, a hostel
 * that houses students of this gender. The lock makes concurrent allocations count beds one at a time.
 */
async function claimBed(tx: Tx, ctx: RequestContext, roomId: string, student: { gender: string | null }) {
  const locked = await repo.lockRoom(tx, hostelManageScope(ctx.actor, hostelRooms.organizationId), roomId);
  if (!locked) throw notFound('Room');
  const { room } = locked;
  if (room.roomStatus !== 'available' || !room.isActive || !locked.hostelActive) {
    throw businessRule(
      'room_unavailable',
      `Room ${room.roomNumber} is not open for allocation (${room.roomStatus})`,
      [{ field: 'room_id', message: 'is not available' }],
    );
  }
  const hostel = await repo.findHostel(tx, repo.trueScope, room.hostelId);
  if (!hostel) throw notFound('Room');
  const g = student.gender?.toLowerCase() ?? '';
  const type = hostel.hostel.hostelType;
  if (type === 'staff' || (type === 'boys' && FEMALE.has(g)) || (type === 'girls' && MALE.has(g))) {
    throw businessRule('hostel_type_mismatch', `${hostel.hostel.name} is a ${type} hostel`, [
      { field: 'room_id', message: `is in a ${type} hostel` },
    ]);
  }
  const occupied = await repo.occupancy(tx, room.id);
  if (occupied >= room.capacity) {
    throw businessRule(
      'room_full',
      `Room ${room.roomNumber} has no free bed (${occupied}/${room.capacity})`,
      [{ field: 'room_id', message: 'is full' }],
    );
  }
  return {
    room,
    hostelName: hostel.hostel.name,
    hostelPath: (await repo.orgPath(tx, room.organizationId)) ?? '',
  };
}

/** A second active allocation of the student (a race past the pre-check) answers 409, not a 500. */
async function insertActive(tx: Tx, values: typeof hostelAllocations.$inferInsert) {
  try {
    return await arepo.insertAllocation(tx, values);
  } catch (err) {
    if (isUnique(err, 'hostel_allocations_student_active_uq')) throw alreadyAllocated();
    throw err;
  }
}

const alreadyAllocated = () =>
  conflict(
    'The student already has an active hostel allocation; transfer or vacate it first',
    'already_allocated',
    [{ field: 'student_id', message: 'already has an active allocation' }],
  );

function isUnique(err: unknown, constraint: string): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const x = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (x.code === '23505' && x.constraint === constraint) return true;
    e = x.cause;
  }
  return false;
}

async function reload(tx: Tx, id: string) {
  const row = await arepo.findAllocation(tx, repo.trueScope, id);
  if (!row) throw notFound('Allocation');
  return toAllocation(row);
}

/** Allocates a bed: room locked, capacity counted, one active allocation per student, fee charged. */
export async function allocate(db: Db, ctx: RequestContext, i: CreateAllocationT) {
  return withTx(db, async (tx) => {
    const student = await arepo.findStudent(
      tx,
      hostelManageScope(ctx.actor, students.organizationId),
      i.student_id,
    );
    if (!student) throw notFound('Student');
    if (await arepo.activeAllocationOf(tx, student.id)) throw alreadyAllocated();
    const { room, hostelName, hostelPath } = await claimBed(tx, ctx, i.room_id, student);
    if (!student.path.startsWith(hostelPath)) {
      throw businessRule(
        'hostel_out_of_organization',
        "The hostel does not serve the student's organization",
        [{ field: 'room_id', message: 'is in a hostel of another organization' }],
      );
    }
    const id = uuidv7();
    const startDate = i.start_date ?? today();
    const charge = await chargeAllocation(tx, ctx, {
      allocationId: id,
      academicYear: i.academic_year,
      startDate,
      student,
      room,
      hostelName,
    });
    const row = await insertActive(tx, {
      id,
      organizationId: room.organizationId,
      studentId: student.id,
      hostelId: room.hostelId,
      roomId: room.id,
      academicYear: i.academic_year ?? null,
      startDate,
      remarks: i.remarks ?? null,
      chargeEntryId: charge?.entryId ?? null,
      chargeMinor: charge?.amountMinor ?? null,
      allocatedBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'allocate',
      entityType: 'hostel_allocation',
      entityId: id,
      organizationId: row.organizationId,
      after: row,
    });
    return reload(tx, id);
  });
}

/**
 * Transfers an active allocation: the old row becomes transferred (ended on the transfer date) and a new
 * active row starts in the target room, capacity checked under the target room's lock, in one transaction.
 */
export async function transfer(db: Db, ctx: RequestContext, id: string, i: TransferAllocationT) {
  return withTx(db, async (tx) => {
    const old = await arepo.lockAllocation(tx, manageScope(ctx), id);
    if (!old) throw notFound('Allocation');
    if (old.status !== 'active') {
      throw businessRule('allocation_not_active', `The allocation is already ${old.status}`);
    }
    if (old.roomId === i.room_id) {
      throw badRequest('The student already lives in this room', [
        { field: 'room_id', message: 'is the current room' },
      ]);
    }
    const date = i.transfer_date ?? today();
    if (date < old.startDate) {
      throw badRequest('The transfer cannot precede the stay', [
        { field: 'transfer_date', message: `must be on or after ${old.startDate}` },
      ]);
    }
    const student = await arepo.findStudent(tx, repo.trueScope, old.studentId);
    if (!student) throw notFound('Student');
    const { room, hostelPath } = await claimBed(tx, ctx, i.room_id, student);
    if (!student.path.startsWith(hostelPath)) {
      throw businessRule(
        'hostel_out_of_organization',
        "The hostel does not serve the student's organization",
        [{ field: 'room_id', message: 'is in a hostel of another organization' }],
      );
    }
    const ended = await arepo.endAllocation(tx, old.id, {
      status: 'transferred',
      endDate: date,
      endedBy: ctx.actor.userId,
    });
    const row = await insertActive(tx, {
      organizationId: room.organizationId,
      studentId: old.studentId,
      hostelId: room.hostelId,
      roomId: room.id,
      academicYear: old.academicYear,
      startDate: date,
      transferredFromId: old.id,
      remarks: i.remarks ?? null,
      allocatedBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'transfer',
      entityType: 'hostel_allocation',
      entityId: old.id,
      organizationId: old.organizationId,
      before: old,
      after: ended,
    });
    await recordAudit(tx, ctx, {
      action: 'allocate',
      entityType: 'hostel_allocation',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return reload(tx, row.id);
  });
}

/** Vacates an active allocation: the row stays, as vacated with its end date. */
export async function vacate(db: Db, ctx: RequestContext, id: string, q: VacateQueryT) {
  return withTx(db, async (tx) => {
    const old = await arepo.lockAllocation(tx, manageScope(ctx), id);
    if (!old) throw notFound('Allocation');
    if (old.status !== 'active')
      throw businessRule('allocation_not_active', `The allocation is already ${old.status}`);
    const date = q.end_date ?? today();
    if (date < old.startDate) {
      throw badRequest('The stay cannot end before it started', [
        { field: 'end_date', message: `must be on or after ${old.startDate}` },
      ]);
    }
    const ended = await arepo.endAllocation(tx, id, {
      status: 'vacated',
      endDate: date,
      endedBy: ctx.actor.userId,
      ...(q.remarks ? { remarks: q.remarks } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'vacate',
      entityType: 'hostel_allocation',
      entityId: id,
      organizationId: old.organizationId,
      before: old,
      after: ended,
    });
    return reload(tx, id);
  });
}

export async function listAllocations(db: Db, ctx: RequestContext, q: ListAllocationsQueryT, w: PageWindow) {
  const status = (q.status ?? q.allocation_status)?.toLowerCase() as AllocationT['status'] | undefined;
  const { rows, total } = await arepo.listAllocations(
    db,
    readScope(ctx),
    {
      studentId: q.student_id,
      hostelId: q.hostel_id,
      roomId: q.room_id,
      status,
      academicYear: q.academic_year,
    },
    w,
  );
  return page(rows.map(toAllocation), total, w);
}

/** A student's whole hostel timeline, oldest first (404 when the student is out of the actor's scope). */
export async function history(db: Db, ctx: RequestContext, studentId: string) {
  const readable = await arepo.findStudent(db, studentReadScope(ctx.actor, students), studentId);
  if (!readable) throw notFound('Student');
  const rows = await arepo.history(db, readScope(ctx), studentId);
  return rows.map(toAllocation);
}
