import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';

type Num = number | string;

/** Advisory-lock namespace of exam timetable writes (the second key is the UTC day). */
const DAY_LOCK = 727274012;

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

/**
 * Student clashes of a schedule's entries as the rosters stand now (enrollments change after entries are
 * placed): each student enrolled in two overlapping papers, one of them in this schedule, the other of a
 * schedule that is not cancelled. Each pair once; the first `limit`, with the total.
 */
export async function scheduleStudentClashes(db: DbOrTx, scheduleId: string, limit: number) {
  return rowsOf<
    StudentClashRow & { entry_id_a: string; class_id_a: string; class_name_a: string; start_time_a: string }
  >(
    await db.execute(sql`
      select st.id as student_id, st.student_number, st.first_name || ' ' || st.last_name as student_name,
             a.id as entry_id_a, a.class_id as class_id_a, ca.name as class_name_a,
             to_char(a.start_time, 'HH24:MI') as start_time_a,
             b.id as entry_id, b.class_id, cb.name as class_name, b.exam_schedule_id, sb.name as exam_name,
             b.exam_date::text as date, to_char(b.start_time, 'HH24:MI') as start_time,
             to_char(b.end_time, 'HH24:MI') as end_time, count(*) over () as total
        from exam_timetable_entries a
        join exam_timetable_entries b on b.id <> a.id and b.starts_at < a.ends_at and b.ends_at > a.starts_at
                                     and b.starts_at > a.starts_at - interval '12 hours'
        join exam_schedules sb on sb.id = b.exam_schedule_id and sb.status <> 'cancelled'
        join enrollments e1 on e1.class_id = a.class_id and e1.status = 'enrolled'
        join enrollments e2 on e2.class_id = b.class_id and e2.student_id = e1.student_id and e2.status = 'enrolled'
        join students st on st.id = e1.student_id
        join classes ca on ca.id = a.class_id join classes cb on cb.id = b.class_id
       where a.exam_schedule_id = ${scheduleId} and (b.exam_schedule_id <> ${scheduleId} or a.id < b.id)
       order by a.starts_at, st.last_name, st.first_name, st.id, b.id
       limit ${limit}`),
  );
}

/**
 * Venues of a schedule's entries seated over capacity as the rosters stand now: at every start of an exam
 * in the venue during one of the schedule's papers, the candidates of every exam under way there.
 */
export async function scheduleVenueOverloads(db: DbOrTx, scheduleId: string, limit: number) {
  const rows = rowsOf<{
    venue_id: string;
    venue: string;
    capacity: Num;
    seats: Num;
    at: string;
    entries: unknown;
  }>(
    await db.execute(sql`
      with mine as (select venue_id, starts_at, ends_at from exam_timetable_entries where exam_schedule_id = ${scheduleId}),
      live as (
        select x.id, x.venue_id, x.starts_at, x.ends_at,
               (select count(*) from enrollments e where e.class_id = x.class_id and e.status = 'enrolled') as seats
          from exam_timetable_entries x join exam_schedules es on es.id = x.exam_schedule_id
         where es.status <> 'cancelled' and x.venue_id in (select venue_id from mine)
      ),
      pts as (
        select distinct l.venue_id, l.starts_at as at from live l
         where exists (select 1 from mine m where m.venue_id = l.venue_id and m.starts_at <= l.starts_at
                                              and m.ends_at > l.starts_at)
      ),
      loads as (
        select p.venue_id, p.at, sum(l.seats) as seats, jsonb_agg(l.id order by l.starts_at, l.id) as entries
          from pts p join live l on l.venue_id = p.venue_id and l.starts_at <= p.at and l.ends_at > p.at
         group by p.venue_id, p.at
      )
      select v.id as venue_id, v.name as venue, v.capacity, loads.seats,
             to_char(loads.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, loads.entries
        from loads join exam_venues v on v.id = loads.venue_id
       where loads.seats > v.capacity
       order by loads.at, v.name limit ${limit}`),
  );
  return rows.map((r) => ({
    venue_id: r.venue_id,
    venue: r.venue,
    capacity: Number(r.capacity),
    seats_required: Number(r.seats),
    at: r.at,
    entries: ((typeof r.entries === 'string' ? JSON.parse(r.entries) : r.entries) as string[] | null) ?? [],
  }));
}
