import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { classReadScope, classTeachScope } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { studentReadScope } from '../students/index.js';
import { type CalendarEvent, firstOnOrAfter, isoWeekday, renderCalendar } from './timetable-ical.js';
import * as repo from './timetable.repo.js';
import type { CreateRescheduleT } from './timetable.schemas.js';

const { rowsOf } = repo;
const cls = { id: sql`c.id`, organizationId: sql`c.organization_id` };

export type Who =
  | { kind: 'student'; id: string }
  | { kind: 'faculty'; id: string }
  | { kind: 'room'; number: string };

/** The schedules of a student (enrolled classes), a faculty member (taught classes) or a room, in scope. */
async function schedulesOf(db: Db, ctx: RequestContext, who: Who) {
  let where: SQL;
  if (who.kind === 'student') {
    const st = { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` };
    const ok = rowsOf(
      await db.execute(
        sql`select s.id from students s where s.id = ${who.id} and ${studentReadScope(ctx.actor, st)}`,
      ),
    );
    if (!ok.length) throw notFound('Student');
    where = sql`exists (select 1 from enrollments e where e.class_id = cs.class_id and e.student_id = ${who.id}
                          and e.status = 'enrolled')`;
  } else if (who.kind === 'faculty') {
    const ok = rowsOf(
      await db.execute(sql`select f.id from faculty f where f.id = ${who.id}
        and (${orgScope(ctx.actor, 'timetable:write', sql`f.organization_id`)} or f.user_id = ${ctx.actor.userId})`),
    );
    if (!ok.length) throw notFound('Faculty member');
    where = sql`exists (select 1 from teaching_assignments ta where ta.class_id = cs.class_id and ta.faculty_id = ${who.id})`;
  } else {
    where = sql`upper(cs.room_no) = upper(${who.number})
                and ${orgScope(ctx.actor, 'timetable:rooms', sql`cs.organization_id`)}`;
  }
  const rows = await repo.selectSchedules(db, sql`cs.is_active and ${where}`, 1000);
  if (who.kind === 'room' && !rows.length) throw notFound('Room');
  return rows;
}

export async function weekly(db: Db, ctx: RequestContext, who: Who) {
  return (await schedulesOf(db, ctx, who)).map(repo.toSchedule);
}

function toReschedule(r: any) {
  return {
    id: r.id,
    class_id: r.class_id,
    schedule_id: r.schedule_id,
    original_date: r.original_date,
    action: r.action,
    new_date: r.new_date ?? null,
    new_start_time: r.new_start_time ? String(r.new_start_time).slice(0, 5) : null,
    new_end_time: r.new_end_time ? String(r.new_end_time).slice(0, 5) : null,
    new_room_no: r.new_room_no ?? null,
    reason: r.reason ?? null,
    created_by: r.created_by ?? null,
    created_at: iso(r.created_at)!,
  };
}

const reschedCols = sql`r.id, r.class_id, r.schedule_id, r.original_date::text as original_date, r.action,
  r.new_date::text as new_date, r.new_start_time, r.new_end_time, r.new_room_no, r.reason, r.created_by, r.created_at`;

export async function listReschedules(db: Db, ctx: RequestContext, classId: string) {
  const ok = rowsOf(
    await db.execute(
      sql`select c.id from classes c where c.id = ${classId} and ${classReadScope(ctx.actor, cls)}`,
    ),
  );
  if (!ok.length) throw notFound('Class');
  const rows = rowsOf(
    await db.execute(sql`select ${reschedCols} from class_reschedules r where r.class_id = ${classId}
                          order by r.original_date desc, r.id`),
  );
  return rows.map(toReschedule);
}

/** Cancel or move one meeting: the date must be a real meeting of that weekly schedule. */
export async function createReschedule(
  db: Db,
  ctx: RequestContext,
  classId: string,
  input: CreateRescheduleT,
) {
  if (input.action === 'move' && !(input.new_date && input.new_start_time && input.new_end_time)) {
    const missing = ['new_date', 'new_start_time', 'new_end_time'].filter((f) => !(input as any)[f]);
    throw businessRule(
      'move_needs_new_time',
      'A move needs new_date, new_start_time and new_end_time',
      missing.map((field) => ({ field, message: 'is required for a move' })),
    );
  }
  if (input.action === 'move' && input.new_end_time! <= input.new_start_time!) {
    throw businessRule('invalid_time_range', 'new_end_time must be after new_start_time', [
      { field: 'new_end_time', message: 'must be after new_start_time' },
    ]);
  }
  return withTx(db, async (tx) => {
    const [s] = rowsOf(
      await tx.execute(sql`select cs.id, cs.organization_id, cs.effective_from::text as f, cs.effective_to::text as t,
                                  ts.day_of_week from class_schedules cs join classes c on c.id = cs.class_id
                                  join timetable_slots ts on ts.id = cs.slot_id
                            where c.id = ${classId} and ${classTeachScope(ctx.actor, cls)}
                              and cs.id = ${input.schedule_id}`),
    );
    if (!s) throw notFound('Class schedule');
    const d = input.original_date;
    if (isoWeekday(d) !== Number(s.day_of_week) || d < s.f || (s.t && d > s.t)) {
      throw businessRule('not_a_meeting_date', `The class does not meet on ${d} in that schedule`, [
        { field: 'original_date', message: 'is not a meeting of the schedule' },
      ]);
    }
    const id = uuidv7();
    const [row] = rowsOf(
      await tx.execute(sql`insert into class_reschedules as r (id, organization_id, class_id, schedule_id, original_date,
          action, new_date, new_start_time, new_end_time, new_room_no, reason, created_by)
        values (${id}, ${s.organization_id}, ${classId}, ${s.id}, ${d}, ${input.action}, ${input.new_date ?? null}::date,
          ${input.new_start_time ?? null}::time, ${input.new_end_time ?? null}::time, ${input.new_room_no ?? null},
          ${input.reason ?? null}, ${ctx.actor.userId})
        returning ${reschedCols}`),
    );
    const out = toReschedule(row);
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'class_reschedule',
      entityId: id,
      organizationId: s.organization_id,
      after: out,
    });
    return out;
  });
}

/** iCalendar feed: one weekly VEVENT per schedule (EXDATE for changed meetings) plus a VEVENT per move. */
export async function calendar(db: Db, ctx: RequestContext, who: Who, name: string) {
  const rows = await schedulesOf(db, ctx, who);
  const ids = rows.map((r) => r.id);
  const res = ids.length
    ? rowsOf(
        await db.execute(sql`select ${reschedCols} from class_reschedules r
                              where r.schedule_id = any(${sql.param(ids)}::uuid[]) order by r.original_date`),
      )
    : [];
  const bySchedule = new Map<string, any[]>();
  for (const r of res) bySchedule.set(r.schedule_id, [...(bySchedule.get(r.schedule_id) ?? []), r]);
  const events: CalendarEvent[] = [];
  for (const r of rows) {
    const s = repo.toSchedule(r);
    const title = s.course_code ? `${s.course_code} ${s.class_name}` : s.class_name;
    const first = firstOnOrAfter(s.effective_from, s.day_of_week);
    if (s.effective_to && first > s.effective_to) continue;
    const changes = bySchedule.get(s.id) ?? [];
    events.push({
      uid: `schedule-${s.id}@registrar`,
      summary: title,
      location: s.room_no,
      description: `${s.slot_type}${s.course_name ? ` · ${s.course_name}` : ''}`,
      timezone: r.timezone || 'UTC',
      date: first,
      start: s.start_time,
      end: s.end_time,
      weeklyUntil: s.effective_to,
      exdates: changes.map((c) => c.original_date),
    });
    for (const c of changes.filter((x) => x.action === 'move')) {
      const m = toReschedule(c);
      events.push({
        uid: `reschedule-${m.id}@registrar`,
        summary: `${title} (moved from ${m.original_date})`,
        location: m.new_room_no ?? s.room_no,
        description: m.reason,
        timezone: r.timezone || 'UTC',
        date: m.new_date!,
        start: m.new_start_time!,
        end: m.new_end_time!,
      });
    }
  }
  return renderCalendar({ name, events });
}
