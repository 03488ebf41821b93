import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { firstRow } from '../../kernel/sql.js';
import { examSchedules } from './exams.table.js';

/** Timetable entries of a schedule, computed by the (exam_schedule_id, class_id) index. */
export const entryCount = sql<number>`(select count(*)::int from exam_timetable_entries xc
                                        where xc.exam_schedule_id = ${examSchedules.id})`;

/** How many entries of the schedule fall outside the dates, or belong to classes of another course. */
export async function entriesOutside(
  db: DbOrTx,
  scheduleId: string,
  r: { startDate: string; endDate: string; courseId: string | null },
) {
  const row = firstRow<{ dates: number; course: number }>(
    await db.execute(sql`
      select count(*) filter (where x.exam_date < ${r.startDate}::date or x.exam_date > ${r.endDate}::date)::int as dates,
             count(*) filter (where ${r.courseId}::uuid is not null
                                and c.course_id is distinct from ${r.courseId}::uuid)::int as course
        from exam_timetable_entries x join classes c on c.id = x.class_id
       where x.exam_schedule_id = ${scheduleId}`),
  );
  return { dates: row?.dates ?? 0, course: row?.course ?? 0 };
}

/** Whether another venue of the organization has this name (case-insensitive). */
export async function venueNameTaken(db: DbOrTx, orgId: string, name: string, exceptId: string | null) {
  const row = firstRow<{ id: string }>(
    await db.execute(sql`select id from exam_venues where organization_id = ${orgId}
                           and upper(name) = upper(${name}) and id is distinct from ${exceptId}::uuid limit 1`),
  );
  return Boolean(row);
}

/**
 * The most candidates the venue seats at once over the entries of its schedules that are neither cancelled
 * nor completed: at each entry's start, the enrolled students of every entry under way there.
 */
export async function venuePeakLoad(db: DbOrTx, venueId: string) {
  const row = firstRow<{ peak: number | null }>(
    await db.execute(sql`
      with x as (
        select x.starts_at, x.ends_at,
               (select count(*) from enrollments e where e.class_id = x.class_id and e.status = 'enrolled') as seats
          from exam_timetable_entries x join exam_schedules es on es.id = x.exam_schedule_id
         where x.venue_id = ${venueId} and es.status not in ('cancelled', 'completed')
      )
      select max(load)::int as peak
        from (select p.starts_at, sum(o.seats) as load from x p join x o
                on o.starts_at <= p.starts_at and o.ends_at > p.starts_at group by p.starts_at) l`),
  );
  return row?.peak ?? 0;
}
