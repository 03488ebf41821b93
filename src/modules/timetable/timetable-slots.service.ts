import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import { rowsOf } from './timetable.repo.js';
import type { CreateSlotT } from './timetable.schemas.js';
import { timetableSlots } from './timetable.table.js';

/** Weekly time slots: CRUD, scoped to the organizations where the actor holds the permission. */

function toSlot(r: any) {
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

export const slotScope = (ctx: RequestContext, perm: string) =>
  orgScope(ctx.actor, perm, sql`s.organization_id`);

async function findSlot(db: DbOrTx, ctx: RequestContext, id: string, perm = 'timetable:write') {
  const [r] = rowsOf(
    await db.execute(sql`select s.* from timetable_slots s where s.id = ${id} and ${slotScope(ctx, perm)}`),
  );
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
    const org = rowsOf(
      await tx.execute(sql`select o.id from organizations o where o.id = ${input.organization_id}
                             and ${orgScope(ctx.actor, 'timetable:write', sql`o.id`)}`),
    );
    if (!org.length) throw notFound('Organization');
    const [row] = await tx
      .insert(timetableSlots)
      .values({
        id: uuidv7(),
        organizationId: input.organization_id,
        name: input.name ?? null,
        dayOfWeek: input.day_of_week,
        startTime: input.start_time,
        endTime: input.end_time,
        slotType: input.slot_type ?? 'lecture',
      })
      .returning();
    const out = toSlot({
      ...row,
      organization_id: row.organizationId,
      day_of_week: row.dayOfWeek,
      start_time: row.startTime,
      end_time: row.endTime,
      slot_type: row.slotType,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'timetable_slot',
      entityId: row.id,
      organizationId: row.organizationId,
      after: out,
    });
    return out;
  });
}

export async function listSlots(db: Db, ctx: RequestContext, q: any, w: PageWindow) {
  const conds = [slotScope(ctx, 'timetable:read')];
  if (q.organization_id) conds.push(sql`s.organization_id = ${q.organization_id}`);
  if (q.day_of_week) conds.push(sql`s.day_of_week = ${q.day_of_week}`);
  const rows = rowsOf(
    await db.execute(sql`select s.*, count(*) over () as total_count from timetable_slots s
                          where ${sql.join(conds, sql` and `)}
                          order by s.day_of_week, s.start_time, s.id limit ${w.limit} offset ${w.offset}`),
  );
  return page(rows.map(toSlot), rows.length ? Number(rows[0].total_count) : 0, w);
}

export async function getSlot(db: Db, ctx: RequestContext, id: string) {
  return toSlot(await findSlot(db, ctx, id, 'timetable:read'));
}

export async function updateSlot(db: Db, ctx: RequestContext, id: string, input: any) {
  return withTx(db, async (tx) => {
    const before = toSlot(await findSlot(tx, ctx, id));
    checkTimes(input.start_time ?? before.start_time, input.end_time ?? before.end_time);
    const [r] = rowsOf(
      await tx.execute(sql`update timetable_slots set
          name = ${input.name === undefined ? before.name : input.name},
          day_of_week = ${input.day_of_week ?? before.day_of_week},
          start_time = ${input.start_time ?? before.start_time}::time,
          end_time = ${input.end_time ?? before.end_time}::time,
          slot_type = ${input.slot_type ?? before.slot_type}, updated_at = now()
        where id = ${id} returning *`),
    );
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
    const used = rowsOf(await tx.execute(sql`select 1 from class_schedules where slot_id = ${id} limit 1`));
    if (used.length) throw conflict('The slot is used by class schedules', 'still_referenced');
    await tx.execute(sql`delete from timetable_slots where id = ${id}`);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'timetable_slot',
      entityId: id,
      organizationId: before.organization_id,
      before,
    });
  });
}
