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
import { taughtBy } from './timetable.policy.js';
import * as repo from './timetable.repo.js';
import type { CreateRescheduleT } from './timetable.schemas.js';
import { checkMove } from './timetable.service.js';
import { type CalendarEvent, firstOnOrAfter, isoWeekday, renderCalendar } from './timetable-ical.js';

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
    if (!(await repo.studentVisible(db, who.id, studentReadScope(ctx.actor, st)))) throw notFound('Student');
    where = repo.enrolledStudentSchedules(who.id);
  } else if (who.kind === 'faculty') {
    if (!(await repo.facultyVisible(db, ctx.actor, who.id))) throw notFound('Faculty member');
    where = taughtBy(who.id, sql`cs.class_id`);
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

function toReschedule(r: repo.RescheduleRow) {
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

export async function listReschedules(db: Db, ctx: RequestContext, classId: string) {
  if (!(await repo.classVisible(db, classId, classReadScope(ctx.actor, cls)))) throw notFound('Class');
  const rows = await repo.reschedulesOfClass(db, classId);
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
    const missing = (['new_date', 'new_start_time', 'new_end_time'] as const).filter((f) => !input[f]);
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
    const s = await repo.scheduleOfClass(tx, classId, input.schedule_id, classTeachScope(ctx.actor, cls));
    if (!s) throw notFound('Class schedule');
    const d = input.original_date;
    if (isoWeekday(d) !== Number(s.day_of_week) || d < s.f || (s.t && d > s.t)) {
      throw businessRule('not_a_meeting_date', `The class does not meet on ${d} in that schedule`, [
        { field: 'original_date', message: 'is not a meeting of the schedule' },
      ]);
    }
    if (input.action === 'move') {
      await repo.lockSchedules(tx);
      await checkMove(tx, {
        classId,
        organizationId: s.organization_id,
        scheduleId: s.id,
        originalDate: d,
        date: input.new_date!,
        start: input.new_start_time!.slice(0, 5),
        end: input.new_end_time!.slice(0, 5),
        roomNo: input.new_room_no ?? s.room_no ?? null,
      });
    }
    const id = uuidv7();
    const row = await repo.insertReschedule(tx, {
      id,
      organizationId: s.organization_id,
      classId,
      scheduleId: s.id,
      originalDate: d,
      action: input.action,
      newDate: input.new_date ?? null,
      newStartTime: input.new_start_time ?? null,
      newEndTime: input.new_end_time ?? null,
      newRoomNo: input.new_room_no ?? null,
      reason: input.reason ?? null,
      createdBy: ctx.actor.userId,
    });
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
  const res = await repo.reschedulesOfSchedules(db, ids);
  const bySchedule = new Map<string, repo.RescheduleRow[]>();
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
