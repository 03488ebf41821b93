import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, iso, rowsOf } from '../../kernel/sql.js';
import { entryReadScope, managesExams } from './exams.policy.js';
import type { ExamStatusT } from './exams.schemas.js';
import type { ExamEntryFilters, ExamEntryT } from './exams-timetable.schemas.js';

type Num = number | string;

/** A row of `entryCols`. */
export interface EntryRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  exam_schedule_id: string;
  exam_name: string;
  exam_type: ExamEntryT['exam_type'];
  exam_status: ExamEntryT['exam_status'];
  academic_year: string;
  semester: Num | null;
  class_id: string;
  class_name: string;
  course_id: string | null;
  course_code: string | null;
  course_name: string | null;
  date: string;
  start_time: string;
  end_time: string;
  duration: Num;
  venue: string;
  venue_id: string;
  venue_capacity: Num;
  max_marks: Num;
  student_count: Num;
  timezone: string;
  created_at: Date | string;
  updated_at: Date | string;
}

/** Entry columns; `x` = entries, `es` = schedules, `c` = classes, `co` = courses, `v` = venues, `o` = orgs. */
const entryCols = sql`x.id, x.organization_id, x.exam_schedule_id, es.name as exam_name, es.exam_type,
  es.status as exam_status, es.academic_year, es.semester, x.class_id, c.name as class_name, c.course_id,
  co.code as course_code, co.name as course_name, x.exam_date::text as date,
  to_char(x.start_time, 'HH24:MI') as start_time, to_char(x.end_time, 'HH24:MI') as end_time,
  x.duration_minutes as duration, v.name as venue, x.venue_id, v.capacity as venue_capacity, x.max_marks,
  (select count(*) from enrollments ce where ce.class_id = x.class_id and ce.status = 'enrolled') as student_count,
  o.timezone, x.created_at, x.updated_at`;
const entryFrom = sql`exam_timetable_entries x join exam_schedules es on es.id = x.exam_schedule_id
  join classes c on c.id = x.class_id left join courses co on co.id = c.course_id
  join exam_venues v on v.id = x.venue_id join organizations o on o.id = x.organization_id`;
/** List, export and calendar order: by day and start, then id (the keyset of the export). */
const entryOrder = sql`x.exam_date, x.start_time, x.id`;

export function toEntry(r: EntryRow): ExamEntryT {
  return {
    id: r.id,
    organization_id: r.organization_id,
    exam_schedule_id: r.exam_schedule_id,
    exam_name: r.exam_name,
    exam_type: r.exam_type,
    exam_status: r.exam_status,
    academic_year: r.academic_year,
    semester: r.semester === null ? null : Number(r.semester),
    class_id: r.class_id,
    class_name: r.class_name,
    course_id: r.course_id ?? null,
    course_code: r.course_code ?? null,
    course_name: r.course_name ?? null,
    date: r.date,
    start_time: r.start_time,
    end_time: r.end_time,
    duration: Number(r.duration),
    venue: r.venue,
    venue_id: r.venue_id,
    venue_capacity: Number(r.venue_capacity),
    max_marks: Number(r.max_marks),
    student_count: Number(r.student_count),
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

/** The actor's read scope over the aliased entry columns. */
export const readScope = (actor: Actor): SQL =>
  entryReadScope(actor, {
    organizationId: sql`x.organization_id`,
    classId: sql`x.class_id`,
    scheduleStatus: sql`es.status`,
  });

/** The list filters as SQL conditions over the aliases. */
export function filterConds(f: ExamEntryFilters): SQL[] {
  const out: SQL[] = [];
  const classId = f.class_id ?? f.course_offering_id;
  if (f.exam_schedule_id) out.push(sql`x.exam_schedule_id = ${f.exam_schedule_id}`);
  if (classId) out.push(sql`x.class_id = ${classId}`);
  if (f.academic_year) out.push(sql`es.academic_year = ${f.academic_year}`);
  if (f.semester) out.push(sql`es.semester = ${f.semester}`);
  if (f.venue) out.push(sql`upper(v.name) = upper(${f.venue})`);
  if (f.from) out.push(sql`x.exam_date >= ${f.from}::date`);
  if (f.to) out.push(sql`x.exam_date <= ${f.to}::date`);
  return out;
}

const whereOf = (conds: SQL[]) => sql.join(conds, sql` and `);

/** One page of entries and the total count, in one statement. */
export async function listEntries(db: DbOrTx, conds: SQL[], w: PageWindow) {
  const rows = rowsOf<EntryRow & { total_count: Num }>(
    await db.execute(sql`select ${entryCols}, count(*) over () as total_count from ${entryFrom}
                          where ${whereOf(conds)} order by ${entryOrder} limit ${w.limit} offset ${w.offset}`),
  );
  return { rows, total: rows.length ? Number(rows[0].total_count) : 0 };
}

export async function findEntry(db: DbOrTx, conds: SQL[]) {
  return firstRow<EntryRow>(
    await db.execute(sql`select ${entryCols} from ${entryFrom} where ${whereOf(conds)}`),
  );
}

/** Up to `limit` entries after the keyset `after` (export batches and calendar feeds). */
export async function entriesAfter(
  db: DbOrTx,
  conds: SQL[],
  after: { date: string; start: string; id: string } | null,
  limit: number,
) {
  const key = after
    ? [
        sql`(x.exam_date, x.start_time, x.id) > (${after.date}::date, ${after.start}::time, ${after.id}::uuid)`,
      ]
    : [];
  return rowsOf<EntryRow>(
    await db.execute(sql`select ${entryCols} from ${entryFrom} where ${whereOf([...conds, ...key])}
                          order by ${entryOrder} limit ${limit}`),
  );
}

/** The schedule an entry is written to, if the actor manages it; share-locked so its status holds. */
export async function scheduleForWrite(db: DbOrTx, actor: Actor, id: string) {
  return firstRow<{
    id: string;
    organization_id: string;
    status: ExamStatusT;
    start_date: string;
    end_date: string;
    course_id: string | null;
    path: string;
    timezone: string;
  }>(
    await db.execute(sql`select es.id, es.organization_id, es.status, es.start_date::text as start_date,
                                es.end_date::text as end_date, es.course_id, o.path, o.timezone
                           from exam_schedules es join organizations o on o.id = es.organization_id
                          where es.id = ${id} and ${managesExams(actor, sql`es.organization_id`)}
                            for share of es`),
  );
}

/** The entry's own columns, if the actor manages it; locked for the update. */
export async function entryForWrite(db: DbOrTx, actor: Actor, id: string) {
  return firstRow<{
    id: string;
    exam_schedule_id: string;
    class_id: string;
    date: string;
    start_time: string;
    duration: number;
    venue: string;
    max_marks: string;
  }>(
    await db.execute(sql`select x.id, x.exam_schedule_id, x.class_id, x.exam_date::text as date,
                                to_char(x.start_time, 'HH24:MI') as start_time, x.duration_minutes as duration,
                                v.name as venue, x.max_marks::text as max_marks
                           from exam_timetable_entries x join exam_venues v on v.id = x.venue_id
                          where x.id = ${id} and ${managesExams(actor, sql`x.organization_id`)}
                            for update of x`),
  );
}

/** The class, if it lies in the organization subtree with this path. */
export async function classInSubtree(db: DbOrTx, classId: string, orgPath: string) {
  return firstRow<{ id: string; course_id: string | null }>(
    await db.execute(sql`select c.id, c.course_id from classes c join organizations o on o.id = c.organization_id
                          where c.id = ${classId} and o.path like ${`${orgPath}%`}`),
  );
}

/** The organization's active venue of this name (case-insensitive), share-locked (capacity holds). */
export async function venueByName(db: DbOrTx, orgId: string, name: string) {
  return firstRow<{ id: string; name: string; capacity: number }>(
    await db.execute(sql`select id, name, capacity from exam_venues
                          where organization_id = ${orgId} and upper(name) = upper(${name}) and is_active
                            for share`),
  );
}

/** Whether the class already has an entry in the schedule (other than `excludeId`). */
export async function classScheduled(
  db: DbOrTx,
  scheduleId: string,
  classId: string,
  excludeId: string | null,
) {
  const row = firstRow<{ id: string }>(
    await db.execute(sql`select id from exam_timetable_entries where exam_schedule_id = ${scheduleId}
                           and class_id = ${classId} and id is distinct from ${excludeId}::uuid limit 1`),
  );
  return row?.id ?? null;
}
