import { type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { slotScope } from './timetable.policy.js';
import type { SlotType } from './timetable.schemas.js';
import type { Placement } from './timetable-conflicts.js';
import { isoWeekday } from './timetable-ical.js';

type Num = number | string;
type SlotTypeT = Static<typeof SlotType>;

/** A row of `scheduleCols`. */
export type ScheduleRow = {
  id: string;
  organization_id: string;
  class_id: string;
  class_name: string;
  course_code: string | null;
  course_name: string | null;
  slot_id: string;
  day_of_week: Num;
  start_time: string;
  end_time: string;
  slot_type: SlotTypeT;
  room_no: string | null;
  effective_from: string;
  effective_to: string | null;
  is_active: boolean;
  timezone: string | null;
  total_count: Num;
};

/** Schedule columns for views; `cs` = class_schedules, `ts` = slots, `c` = classes, `co` = courses. */
export const scheduleCols = sql`cs.id, cs.organization_id, cs.class_id, c.name as class_name, co.code as course_code,
  co.name as course_name, cs.slot_id, ts.day_of_week, to_char(ts.start_time, 'HH24:MI') as start_time,
  to_char(ts.end_time, 'HH24:MI') as end_time, ts.slot_type, cs.room_no, cs.effective_from::text as effective_from,
  cs.effective_to::text as effective_to, cs.is_active, o.timezone`;
export const scheduleFrom = sql`class_schedules cs join timetable_slots ts on ts.id = cs.slot_id
  join classes c on c.id = cs.class_id left join courses co on co.id = c.course_id
  join organizations o on o.id = cs.organization_id`;

export function toSchedule(r: ScheduleRow) {
  return {
    id: r.id,
    organization_id: r.organization_id,
    class_id: r.class_id,
    class_name: r.class_name,
    course_code: r.course_code ?? null,
    course_name: r.course_name ?? null,
    slot_id: r.slot_id,
    day_of_week: Number(r.day_of_week),
    start_time: r.start_time,
    end_time: r.end_time,
    slot_type: r.slot_type,
    room_no: r.room_no ?? null,
    effective_from: r.effective_from,
    effective_to: r.effective_to ?? null,
    is_active: r.is_active === true,
  };
}

export async function selectSchedules(db: DbOrTx, where: SQL, limit = 1000, offset = 0) {
  return rowsOf<ScheduleRow>(
    await db.execute(sql`select ${scheduleCols}, count(*) over () as total_count from ${scheduleFrom}
                          where ${where}
                          order by ts.day_of_week, ts.start_time, c.name, cs.id limit ${limit} offset ${offset}`),
  );
}

/** Teachers and enrolled students of each class (two set-based queries for any number of classes). */
export async function peopleOf(db: DbOrTx, classIds: string[]) {
  const ids = sql.param([...new Set(classIds)]);
  const t = rowsOf<{ class_id: string; ids: unknown }>(
    await db.execute(sql`select class_id, array_agg(distinct faculty_id::text) as ids from teaching_assignments
                          where class_id = any(${ids}::uuid[]) group by class_id`),
  );
  const s = rowsOf<{ class_id: string; ids: unknown }>(
    await db.execute(sql`select class_id, array_agg(student_id::text) as ids from enrollments
                          where class_id = any(${ids}::uuid[]) and status = 'enrolled' group by class_id`),
  );
  const arr = (v: unknown): string[] =>
    Array.isArray(v) ? v.map(String) : String(v).replace(/[{}]/g, '').split(',').filter(Boolean);
  return {
    teachers: new Map<string, string[]>(t.map((r) => [r.class_id, arr(r.ids)])),
    students: new Map<string, string[]>(s.map((r) => [r.class_id, arr(r.ids)])),
  };
}

/**
 * Active schedules that could clash with placements on `days` between the dates: same organizations, or
 * classes sharing a teacher or an enrolled student with the batch classes.
 */
export async function candidateClashes(
  db: DbOrTx,
  q: {
    days: number[];
    orgIds: string[];
    classIds: string[];
    from: string;
    to: string | null;
    excludeIds: string[];
  },
): Promise<Array<Omit<Placement, 'teacherIds' | 'studentIds'>>> {
  const classIds = sql.param([...new Set(q.classIds)]);
  const rows = rowsOf<{
    id: string;
    class_id: string;
    slot_id: string;
    organization_id: string;
    room_no: string | null;
    day_of_week: Num;
    start_time: string;
    end_time: string;
    effective_from: string;
    effective_to: string | null;
  }>(
    await db.execute(sql`
      select cs.id, cs.class_id, cs.slot_id, cs.organization_id, cs.room_no, ts.day_of_week,
             to_char(ts.start_time, 'HH24:MI') as start_time, to_char(ts.end_time, 'HH24:MI') as end_time,
             cs.effective_from::text as effective_from, cs.effective_to::text as effective_to
        from class_schedules cs join timetable_slots ts on ts.id = cs.slot_id
       where cs.is_active and ts.day_of_week = any(${sql.param(q.days)}::int[])
         and cs.id <> all(${sql.param(q.excludeIds)}::uuid[])
         and (cs.effective_to is null or cs.effective_to >= ${q.from}::date)
         and (${q.to}::date is null or cs.effective_from <= ${q.to}::date)
         and (cs.organization_id = any(${sql.param(q.orgIds)}::uuid[])
              or cs.class_id = any(${classIds}::uuid[])
              or exists (select 1 from teaching_assignments a join teaching_assignments b on b.faculty_id = a.faculty_id
                          where a.class_id = cs.class_id and b.class_id = any(${classIds}::uuid[]))
              or exists (select 1 from enrollments a join enrollments b on b.student_id = a.student_id
                          where a.class_id = cs.class_id and a.status = 'enrolled' and b.status = 'enrolled'
                            and b.class_id = any(${classIds}::uuid[])))`),
  );
  return rows.map((r) => ({
    ref: { source: 'existing' as const, schedule_id: r.id },
    classId: r.class_id,
    slotId: r.slot_id,
    organizationId: r.organization_id,
    roomNo: r.room_no ?? null,
    day: Number(r.day_of_week),
    start: r.start_time,
    end: r.end_time,
    from: r.effective_from,
    to: r.effective_to ?? null,
  }));
}

/**
 * Meetings moved (one-time) onto `date` that might clash: same organizations, the same classes, or classes
 * sharing a teacher or an enrolled student with `classIds` (as `candidateClashes` for weekly schedules).
 */
export async function movedMeetingsOn(
  db: DbOrTx,
  q: { date: string; orgIds: string[]; classIds: string[]; excludeId?: string },
): Promise<Array<Omit<Placement, 'teacherIds' | 'studentIds'>>> {
  const classIds = sql.param([...new Set(q.classIds)]);
  const rows = rowsOf<{
    id: string;
    class_id: string;
    slot_id: string;
    organization_id: string;
    room_no: string | null;
    start_time: string;
    end_time: string;
  }>(
    await db.execute(sql`
      select r.id, r.class_id, cs.slot_id, r.organization_id, coalesce(r.new_room_no, cs.room_no) as room_no,
             to_char(r.new_start_time, 'HH24:MI') as start_time, to_char(r.new_end_time, 'HH24:MI') as end_time
        from class_reschedules r join class_schedules cs on cs.id = r.schedule_id
       where r.action = 'move' and r.new_date = ${q.date}::date and cs.is_active
         and r.id <> coalesce(${q.excludeId ?? null}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
         and (r.organization_id = any(${sql.param(q.orgIds)}::uuid[])
              or r.class_id = any(${classIds}::uuid[])
              or exists (select 1 from teaching_assignments a join teaching_assignments b on b.faculty_id = a.faculty_id
                          where a.class_id = r.class_id and b.class_id = any(${classIds}::uuid[]))
              or exists (select 1 from enrollments a join enrollments b on b.student_id = a.student_id
                          where a.class_id = r.class_id and a.status = 'enrolled' and b.status = 'enrolled'
                            and b.class_id = any(${classIds}::uuid[])))`),
  );
  const day = isoWeekday(q.date);
  return rows.map((r) => ({
    ref: { source: 'moved' as const, reschedule_id: r.id },
    classId: r.class_id,
    slotId: r.slot_id,
    organizationId: r.organization_id,
    roomNo: r.room_no ?? null,
    day,
    start: r.start_time,
    end: r.end_time,
    from: q.date,
    to: q.date,
  }));
}

/** Weekly schedules (of those ids) whose meeting on `date` was cancelled or moved away. */
export async function changedMeetingsOn(db: DbOrTx, scheduleIds: string[], date: string) {
  if (!scheduleIds.length) return new Set<string>();
  const rows = rowsOf<{ schedule_id: string }>(
    await db.execute(sql`select r.schedule_id from class_reschedules r
                          where r.schedule_id = any(${sql.param(scheduleIds)}::uuid[]) and r.original_date = ${date}::date`),
  );
  return new Set(rows.map((r) => r.schedule_id));
}

/** Serializes schedule generation and changes per deployment (two batches cannot both pass the clash check). */
export async function lockSchedules(db: DbOrTx) {
  await db.execute(sql`select pg_advisory_xact_lock(727274005)`);
}

/** The classes (of those ids) in organizations where the actor holds `timetable:write`. */
export async function classesForScheduling(db: DbOrTx, actor: Actor, classIds: string[]) {
  return rowsOf<{ id: string; organization_id: string }>(
    await db.execute(sql`select c.id, c.organization_id from classes c where c.id = any(${sql.param(classIds)}::uuid[])
                           and ${orgScope(actor, 'timetable:write', sql`c.organization_id`)}`),
  );
}

/** The slots (of those ids) where the actor holds `timetable:write`, times as HH:MM. */
export async function slotsForScheduling(db: DbOrTx, actor: Actor, slotIds: string[]) {
  return rowsOf<{ id: string; day_of_week: Num; start_time: string; end_time: string }>(
    await db.execute(sql`select s.id, s.day_of_week, to_char(s.start_time, 'HH24:MI') as start_time,
                                to_char(s.end_time, 'HH24:MI') as end_time from timetable_slots s
                          where s.id = any(${sql.param(slotIds)}::uuid[]) and ${slotScope(actor, 'timetable:write')}`),
  );
}

export async function updateScheduleRow(
  db: DbOrTx,
  id: string,
  next: {
    slot_id: string;
    room_no: string | null;
    effective_from: string;
    effective_to: string | null;
    is_active: boolean;
  },
) {
  await db.execute(sql`update class_schedules set slot_id = ${next.slot_id}, room_no = ${next.room_no},
      effective_from = ${next.effective_from}::date, effective_to = ${next.effective_to}::date,
      is_active = ${next.is_active}, updated_at = now() where id = ${id}`);
}

/** Whether the statement returns a row. */
async function exists(db: DbOrTx, q: SQL) {
  return rowsOf(await db.execute(q)).length > 0;
}

/** The student is visible to the actor through `scope` (the students module's read predicate over `s`). */
export function studentVisible(db: DbOrTx, id: string, scope: SQL) {
  return exists(db, sql`select s.id from students s where s.id = ${id} and ${scope}`);
}

/** The faculty member is in the actor's `timetable:write` organizations, or is the actor. */
export function facultyVisible(db: DbOrTx, actor: Actor, id: string) {
  return exists(
    db,
    sql`select f.id from faculty f where f.id = ${id}
          and (${orgScope(actor, 'timetable:write', sql`f.organization_id`)} or f.user_id = ${actor.userId})`,
  );
}

/** The class is visible through `scope` (a classes-module predicate over `c`). */
export function classVisible(db: DbOrTx, id: string, scope: SQL) {
  return exists(db, sql`select c.id from classes c where c.id = ${id} and ${scope}`);
}

/** Schedules a student is enrolled in (`cs` = class_schedules). */
export const enrolledStudentSchedules = (studentId: string) =>
  sql`exists (select 1 from enrollments e where e.class_id = cs.class_id and e.student_id = ${studentId}
                and e.status = 'enrolled')`;

/** A row of `reschedCols`. */
export type RescheduleRow = {
  id: string;
  class_id: string;
  schedule_id: string;
  original_date: string;
  action: 'cancel' | 'move';
  new_date: string | null;
  new_start_time: string | null;
  new_end_time: string | null;
  new_room_no: string | null;
  reason: string | null;
  created_by: string | null;
  created_at: Date | string;
};

const reschedCols = sql`r.id, r.class_id, r.schedule_id, r.original_date::text as original_date, r.action,
  r.new_date::text as new_date, r.new_start_time, r.new_end_time, r.new_room_no, r.reason, r.created_by, r.created_at`;

export async function reschedulesOfClass(db: DbOrTx, classId: string) {
  return rowsOf<RescheduleRow>(
    await db.execute(sql`select ${reschedCols} from class_reschedules r where r.class_id = ${classId}
                          order by r.original_date desc, r.id`),
  );
}

export async function reschedulesOfSchedules(db: DbOrTx, scheduleIds: string[]) {
  if (!scheduleIds.length) return [];
  return rowsOf<RescheduleRow>(
    await db.execute(sql`select ${reschedCols} from class_reschedules r
                          where r.schedule_id = any(${sql.param(scheduleIds)}::uuid[]) order by r.original_date`),
  );
}

/** The weekly schedule of the class, if the class is in `scope` (`c` = classes): its dates and weekday. */
export async function scheduleOfClass(db: DbOrTx, classId: string, scheduleId: string, scope: SQL) {
  return firstRow<{
    id: string;
    organization_id: string;
    f: string;
    t: string | null;
    day_of_week: Num;
    room_no: string | null;
  }>(
    await db.execute(sql`select cs.id, cs.organization_id, cs.effective_from::text as f, cs.effective_to::text as t,
                                ts.day_of_week, cs.room_no from class_schedules cs join classes c on c.id = cs.class_id
                                join timetable_slots ts on ts.id = cs.slot_id
                          where c.id = ${classId} and ${scope} and cs.id = ${scheduleId}`),
  );
}

export async function insertReschedule(
  db: DbOrTx,
  v: {
    id: string;
    organizationId: string;
    classId: string;
    scheduleId: string;
    originalDate: string;
    action: 'cancel' | 'move';
    newDate: string | null;
    newStartTime: string | null;
    newEndTime: string | null;
    newRoomNo: string | null;
    reason: string | null;
    createdBy: string;
  },
) {
  const [row] = rowsOf<RescheduleRow>(
    await db.execute(sql`insert into class_reschedules as r (id, organization_id, class_id, schedule_id, original_date,
        action, new_date, new_start_time, new_end_time, new_room_no, reason, created_by)
      values (${v.id}, ${v.organizationId}, ${v.classId}, ${v.scheduleId}, ${v.originalDate}, ${v.action},
        ${v.newDate}::date, ${v.newStartTime}::time, ${v.newEndTime}::time, ${v.newRoomNo},
        ${v.reason}, ${v.createdBy})
      returning ${reschedCols}`),
  );
  return row;
}
