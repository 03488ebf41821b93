import type { Static } from 'typebox';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { slotScope } from './timetable.policy.js';
import type { CreateSlotT, ListSlotsQuery, UpdateSlot } from './timetable.schemas.js';
import * as repo from './timetable-slots.repo.js';

/** Weekly time slots: CRUD, scoped to the organizations where the actor holds the permission. */

function toSlot(r: repo.SlotRow) {
  return {
    id: r.id,
    organization_id: r.organization_id,
    name: r.name ?? null,
    day_of_week: Number(r.day_of_week),
    start_time: String(r.start_time).slice(0, 5),
    end_time: String(r.end_time).slice(0, 5),
    slot_type: r.slot_type,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

async function findSlot(db: DbOrTx, ctx: RequestContext, id: string, perm = 'timetable:write') {
  const r = await repo.findSlot(db, ctx.actor, id, perm);
  if (!r) throw notFound('Timetable slot');
  return r;
}

function checkTimes(start?: string, end?: string) {
  if (start && end && end.slice(0, 5) <= start.slice(0, 5)) {
    throw badRequest('end_time must be after start_time', [
      { field: 'end_time', message: 'must be after start_time' },
    ]);
  }
}

export async function createSlot(db: Db, ctx: RequestContext, input: CreateSlotT) {
  checkTimes(input.start_time, input.end_time);
  return withTx(db, async (tx) => {
    if (!(await repo.orgWritable(tx, ctx.actor, input.organization_id))) throw notFound('Organization');
    const out = toSlot(
      await repo.insertSlot(tx, {
        id: uuidv7(),
        organizationId: input.organization_id,
        name: input.name ?? null,
        dayOfWeek: input.day_of_week,
        startTime: input.start_time,
        endTime: input.end_time,
        slotType: input.slot_type ?? 'lecture',
      }),
    );
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'timetable_slot',
      entityId: out.id,
      organizationId: out.organization_id,
      after: out,
    });
    return out;
  });
}

export async function listSlots(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof ListSlotsQuery>,
  w: PageWindow,
) {
  const rows = await repo.listSlots(db, slotScope(ctx.actor, 'timetable:read'), q, w);
  return page(rows.map(toSlot), rows.length ? Number(rows[0].total_count) : 0, w);
}

export async function getSlot(db: Db, ctx: RequestContext, id: string) {
  return toSlot(await findSlot(db, ctx, id, 'timetable:read'));
}

export async function updateSlot(db: Db, ctx: RequestContext, id: string, input: Static<typeof UpdateSlot>) {
  return withTx(db, async (tx) => {
    const before = toSlot(await findSlot(tx, ctx, id));
    checkTimes(input.start_time ?? before.start_time, input.end_time ?? before.end_time);
    const r = await repo.updateSlot(tx, id, {
      name: input.name === undefined ? before.name : input.name,
      day_of_week: input.day_of_week ?? before.day_of_week,
      start_time: input.start_time ?? before.start_time,
      end_time: input.end_time ?? before.end_time,
      slot_type: input.slot_type ?? before.slot_type,
    });
    const after = toSlot(r);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'timetable_slot',
      entityId: id,
      organizationId: after.organization_id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteSlot(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = toSlot(await findSlot(tx, ctx, id));
    // ON DELETE RESTRICT raises SQLSTATE 23001, which the kernel does not map; answer the 409 ourselves.
    if (await repo.slotInUse(tx, id))
      throw conflict('The slot is used by class schedules', 'still_referenced');
    await repo.deleteSlot(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'timetable_slot',
      entityId: id,
      organizationId: before.organization_id,
      before,
    });
  });
}
