import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Placement } from './timetable-conflicts.js';

export const rowsOf = (res: unknown) => (res as { rows: any[] }).rows;

/** Schedule columns for views; `cs` = class_schedules, `ts` = slots, `c` = classes, `co` = courses. */
export const scheduleCols = sql`cs.id, cs.organization_id, cs.class_id, c.name as class_name, co.code as course_code,
  co.name as course_name, cs.slot_id, ts.day_of_week, to_char(ts.start_time, 'HH24:MI') as start_time,
  to_char(ts.end_time, 'HH24:MI') as end_time, ts.slot_type, cs.room_no, cs.effective_from::text as effective_from,
  cs.effective_to::text as effective_to, cs.is_active, o.timezone`;
export const scheduleFrom = sql`class_schedules cs join timetable_slots ts on ts.id = cs.slot_id
  join classes c on c.id = cs.class_id left join courses co on co.id = c.course_id
  join organizations o on o.id = cs.organization_id`;

export function toSchedule(r: any) {
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
  return rowsOf(
    await db.execute(sql`select ${scheduleCols}, count(*) over () as total_count from ${scheduleFrom}
                          where ${where}
                          order by ts.day_of_week, ts.start_time, c.name, cs.id limit ${limit} offset ${offset}`),
  );
}

/** Teachers and enrolled students of each class (two set-based queries for any number of classes). */
export async function peopleOf(db: DbOrTx, classIds: string[]) {
  const ids = sql.param([...new Set(classIds)]);
  const t = rowsOf(
    await db.execute(sql`select class_id, array_agg(faculty_id::text) as ids from teaching_assignments
                          where class_id = any(${ids}::uuid[]) group by class_id`),
  );
  const s = rowsOf(
    await db.execute(sql`select class_id, array_agg(student_id::text) as ids from enrollments
                          where class_id = any(${ids}::uuid[]) and status = 'enrolled' group by class_id`),
  );
  const arr = (v: any): string[] =>
    Array.isArray(v) ? v : String(v).replace(/[{}]/g, '').split(',').filter(Boolean);
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
  const rows = rowsOf(
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
