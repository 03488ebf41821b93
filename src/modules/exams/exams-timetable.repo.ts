import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, iso, rowsOf } from '../../kernel/sql.js';
import { entryReadScope, managesExams } from './exams.policy.js';
import type { ExamStatusT } from './exams.schemas.js';
import type { ExamEntryFilters, ExamEntryT } from './exams-timetable.schemas.js';

type Num = number | string;

/** Advisory-lock namespace of exam timetable writes (the second key is the UTC day). */
const DAY_LOCK = 727274012;

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
  if (f.date_from) out.push(sql`x.exam_date >= ${f.date_from}::date`);
  if (f.date_to) out.push(sql`x.exam_date <= ${f.date_to}::date`);
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

export interface Instants {
  starts_at: string;
  ends_at: string;
  end_time: string;
  /** UTC days (since 1970-01-01) the exam touches: one or two. */
  days: number[];
}

/** The local date and time in `tz` as instants, and the local end time. */
export async function instants(
  db: DbOrTx,
  v: { date: string; start: string; duration: number; tz: string },
): Promise<Instants> {
  const r = firstRow<{ s: string; e: string; end_time: string; d1: number; d2: number }>(
    await db.execute(sql`
      with t as (select (${v.date}::date + ${v.start}::time) at time zone ${v.tz} as s)
      select to_char(s at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as s,
             to_char((s + make_interval(mins => ${v.duration}::int)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as e,
             to_char(${v.start}::time + make_interval(mins => ${v.duration}::int), 'HH24:MI') as end_time,
             floor(extract(epoch from s) / 86400)::int as d1,
             floor(extract(epoch from s + make_interval(mins => ${v.duration}::int)) / 86400)::int as d2
        from t`),
  )!;
  return {
    starts_at: r.s,
    ends_at: r.e,
    end_time: r.end_time,
    days: [...new Set([Number(r.d1), Number(r.d2)])].sort((a, b) => a - b),
  };
}

/**
 * Serializes timetable writes per UTC day: two exams that overlap share a day they both touch (an exam
 * lasts at most 12 hours, so it touches at most two), so two writes that could clash never check at once.
 * Days are locked in ascending order, so two writers cannot deadlock.
 */
export async function lockDays(db: DbOrTx, days: number[]) {
  for (const d of days) await db.execute(sql`select pg_advisory_xact_lock(${DAY_LOCK}::int, ${d}::int)`);
}

/** Entries of schedules that are not cancelled overlapping [starts, ends), other than `excludeId`. */
const overlapping = (i: { startsAt: string; endsAt: string; excludeId: string | null }) =>
  sql`select x.id, x.class_id, x.exam_schedule_id, x.venue_id, x.exam_date, x.start_time, x.end_time, x.starts_at,
             x.ends_at, es.name as exam_name
        from exam_timetable_entries x join exam_schedules es on es.id = x.exam_schedule_id
       where es.status <> 'cancelled' and x.id is distinct from ${i.excludeId}::uuid
         and x.starts_at < ${i.endsAt}::timestamptz and x.ends_at > ${i.startsAt}::timestamptz
         and x.starts_at > ${i.startsAt}::timestamptz - interval '12 hours'`;

export interface StudentClashRow extends Record<string, unknown> {
  student_id: string;
  student_number: string;
  student_name: string;
  entry_id: string;
  class_id: string;
  class_name: string;
  exam_schedule_id: string;
  exam_name: string;
  date: string;
  start_time: string;
  end_time: string;
  total: Num;
}

/**
 * Students enrolled in `classId` who already sit another exam overlapping the time, each with the entry
 * they clash with (the first `limit`, and how many there are in all).
 */
export async function studentClashes(
  db: DbOrTx,
  i: { classId: string; startsAt: string; endsAt: string; excludeId: string | null },
  limit = 50,
) {
  return rowsOf<StudentClashRow>(
    await db.execute(sql`
      with h as (${overlapping(i)})
      select st.id as student_id, st.student_number, st.first_name || ' ' || st.last_name as student_name,
             h.id as entry_id, h.class_id, c.name as class_name, h.exam_schedule_id, h.exam_name,
             h.exam_date::text as date, to_char(h.start_time, 'HH24:MI') as start_time,
             to_char(h.end_time, 'HH24:MI') as end_time, count(*) over () as total
        from h join enrollments e on e.class_id = h.class_id and e.status = 'enrolled'
        join enrollments mine on mine.student_id = e.student_id and mine.class_id = ${i.classId}
                             and mine.status = 'enrolled'
        join students st on st.id = e.student_id join classes c on c.id = h.class_id
       order by st.last_name, st.first_name, st.id, h.starts_at, h.id
       limit ${limit}`),
  );
}

/**
 * The venue's load if the class sits there at that time: at the start of the exam and at each start of
 * another exam in the venue during it, the class's candidates plus those of every exam under way. Returns
 * the busiest moment and the entries sharing the venue then.
 */
export async function venueLoad(
  db: DbOrTx,
  i: { venueId: string; classId: string; startsAt: string; endsAt: string; excludeId: string | null },
) {
  const r = firstRow<{ seats: Num; others: Num; at: string; entries: unknown }>(
    await db.execute(sql`
      with o as (
        select h.id, h.starts_at, h.ends_at,
               (select count(*) from enrollments e where e.class_id = h.class_id and e.status = 'enrolled') as seats
          from (${overlapping(i)}) h where h.venue_id = ${i.venueId}
      ),
      p as (select ${i.startsAt}::timestamptz as at union select starts_at from o
             where starts_at > ${i.startsAt}::timestamptz),
      l as (
        select p.at, coalesce(sum(o.seats), 0) as others,
               coalesce(jsonb_agg(o.id order by o.starts_at, o.id) filter (where o.id is not null), '[]'::jsonb) as entries
          from p left join o on o.starts_at <= p.at and o.ends_at > p.at group by p.at
      )
      select (select count(*) from enrollments e where e.class_id = ${i.classId} and e.status = 'enrolled') as seats,
             l.others, to_char(l.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, l.entries
        from l order by l.others desc, l.at limit 1`),
  )!;
  const entries = typeof r.entries === 'string' ? JSON.parse(r.entries) : r.entries;
  return {
    seats: Number(r.seats),
    others: Number(r.others),
    at: r.at,
    entries: (entries as string[] | null) ?? [],
  };
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
