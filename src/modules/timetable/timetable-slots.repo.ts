import { type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { rowsOf } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { slotScope } from './timetable.policy.js';
import type { SlotType } from './timetable.schemas.js';
import { timetableSlots } from './timetable.table.js';

/** A `timetable_slots` row as raw SQL returns it (snake_case). */
export type SlotRow = {
  id: string;
  organization_id: string;
  name: string | null;
  day_of_week: number | string;
  start_time: string;
  end_time: string;
  slot_type: Static<typeof SlotType>;
  created_at: Date | string;
  updated_at: Date | string;
};

/** The slot, if in the actor's organizations for `permission`. */
export async function findSlot(db: DbOrTx, actor: Actor, id: string, permission: string) {
  const [r] = rowsOf<SlotRow>(
    await db.execute(
      sql`select s.* from timetable_slots s where s.id = ${id} and ${slotScope(actor, permission)}`,
    ),
  );
  return r ?? null;
}

/** Whether the organization is one where the actor holds `timetable:write`. */
export async function orgWritable(db: DbOrTx, actor: Actor, orgId: string) {
  const org = rowsOf(
    await db.execute(sql`select o.id from organizations o where o.id = ${orgId}
                           and ${orgScope(actor, 'timetable:write', sql`o.id`)}`),
  );
  return org.length > 0;
}

export async function insertSlot(db: DbOrTx, values: typeof timetableSlots.$inferInsert): Promise<SlotRow> {
  const [row] = await db.insert(timetableSlots).values(values).returning();
  return {
    id: row.id,
    organization_id: row.organizationId,
    name: row.name,
    day_of_week: row.dayOfWeek,
    start_time: row.startTime,
    end_time: row.endTime,
    slot_type: row.slotType,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export async function listSlots(
  db: DbOrTx,
  scope: SQL,
  q: { organization_id?: string; day_of_week?: number },
  w: PageWindow,
) {
  const conds = [scope];
  if (q.organization_id) conds.push(sql`s.organization_id = ${q.organization_id}`);
  if (q.day_of_week) conds.push(sql`s.day_of_week = ${q.day_of_week}`);
  return rowsOf<SlotRow & { total_count: number | string }>(
    await db.execute(sql`select s.*, count(*) over () as total_count from timetable_slots s
                          where ${sql.join(conds, sql` and `)}
                          order by s.day_of_week, s.start_time, s.id limit ${w.limit} offset ${w.offset}`),
  );
}

export async function updateSlot(
  db: DbOrTx,
  id: string,
  v: { name: string | null; day_of_week: number; start_time: string; end_time: string; slot_type: string },
) {
  const [r] = rowsOf<SlotRow>(
    await db.execute(sql`update timetable_slots set
        name = ${v.name},
        day_of_week = ${v.day_of_week},
        start_time = ${v.start_time}::time,
        end_time = ${v.end_time}::time,
        slot_type = ${v.slot_type}, updated_at = now()
      where id = ${id} returning *`),
  );
  return r;
}

/** Whether a class schedule uses the slot. */
export async function slotInUse(db: DbOrTx, id: string) {
  return (
    rowsOf(await db.execute(sql`select 1 from class_schedules where slot_id = ${id} limit 1`)).length > 0
  );
}

export async function deleteSlot(db: DbOrTx, id: string) {
  await db.execute(sql`delete from timetable_slots where id = ${id}`);
}
