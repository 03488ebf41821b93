/**
 * The demo's activity, after the people and classes exist (scripts/seed-demo.ts calls it in its transaction):
 * every enrollment in a class with a course fee is charged as the API would charge it; about two thirds of
 * the charged students have paid (half or all, with gapless receipts); the past three weeks of school days
 * have an attendance roll call per class (mostly present, some late/absent/excused) with the per-class
 * tallies the attendance module keeps. Set-based SQL only; deterministic (hashes of the ids, not random).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../src/db/client.js';

export interface ActivityCounts {
  charges: number;
  payments: number;
  attendanceSessions: number;
  attendanceRecords: number;
}

const count = (r: { rows?: unknown[]; affectedRows?: number; rowCount?: number | null }) =>
  Number(r.affectedRows ?? r.rowCount ?? r.rows?.length ?? 0);

/** `today` (YYYY-MM-DD) anchors the three weeks of attendance and the payment dates. */
export async function seedActivity(tx: DbOrTx, today: string): Promise<ActivityCounts> {
  // 1. Course fees: one charge per active enrollment, as finance's enrollments.enrolled handler does.
  const charges = await tx.execute(sql`
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency, enrollment_id,
                                due_date, reason, occurred_at)
    select gen_random_uuid(), s.organization_id, e.student_id, 'charge', c.fee_minor, o.currency, e.id,
           (${today}::date + 30), 'Course fee: ' || c.code || ' ' || c.name, e.enrolled_at
      from enrollments e
      join students s on s.id = e.student_id
      join organizations o on o.id = s.organization_id
      join classes k on k.id = e.class_id
      join courses c on c.id = k.course_id
     where e.status = 'enrolled' and c.fee_minor > 0 and (c.currency is null or c.currency = o.currency)`);

  // 2. Payments: two of three charged students paid (every other one in full, the rest half), at the desk,
  // spread over the past two weeks; receipt numbers per organization and year, counters set to match.
  const year = Number(today.slice(0, 4));
  const payments = await tx.execute(sql`
    with owed as (
      select l.organization_id, l.student_id, l.currency, sum(l.amount_minor) as due,
             row_number() over (order by l.student_id) as n
        from ledger_entries l where l.entry_type = 'charge' and l.enrollment_id is not null
       group by l.organization_id, l.student_id, l.currency),
    chosen as (
      select o.*, case when o.n % 2 = 0 then o.due else (o.due / 2) end as amount,
             row_number() over (partition by o.organization_id order by o.student_id) as receipt
        from owed o where o.n % 3 <> 0),
    paid as (
      insert into fee_payments (id, organization_id, student_id, amount_minor, currency, method, source, receipt_no,
                                receipt_year, paid_at)
      select gen_random_uuid(), organization_id, student_id, amount, currency,
             (case when receipt % 3 = 0 then 'cash' when receipt % 3 = 1 then 'card' else 'bank_transfer' end)::payment_method,
             'desk', 'RCPT-' || ${year} || '-' || lpad(receipt::text, 6, '0'), ${year},
             (${today}::date - (receipt % 14)::int + time '10:00')
        from chosen where amount > 0
      returning id, organization_id, student_id, amount_minor, currency, receipt_no, method, paid_at)
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency, payment_id,
                                reason, occurred_at)
    select gen_random_uuid(), organization_id, student_id, 'payment', -amount_minor, currency, id,
           'Payment ' || receipt_no || ' (' || method || ')', paid_at
      from paid`);
  await tx.execute(sql`
    insert into receipt_counters (organization_id, year, last_no)
    select organization_id, receipt_year, count(*) from fee_payments where receipt_year = ${year}
     group by organization_id, receipt_year
    on conflict (organization_id, year) do update set last_no = excluded.last_no`);

  // 3. Attendance: a roll call per class on each school day of the past three weeks (not today).
  const sessions = await tx.execute(sql`
    insert into attendance_sessions (id, organization_id, class_id, session_date, taken_by)
    select gen_random_uuid(), k.organization_id, k.id, d::date,
           (select f.user_id from teaching_assignments ta join faculty f on f.id = ta.faculty_id
             where ta.class_id = k.id order by ta.created_at, ta.id limit 1)
      from classes k
     cross join generate_series(${today}::date - 21, ${today}::date - 1, interval '1 day') d
     where extract(isodow from d) between 1 and 5
       and exists (select 1 from enrollments e where e.class_id = k.id and e.status = 'enrolled')`);
  const records = await tx.execute(sql`
    insert into attendance_records (id, session_id, student_id, class_id, organization_id, attendance_date, status,
                                    minutes_late, marked_by)
    select gen_random_uuid(), ss.id, e.student_id, ss.class_id, ss.organization_id, ss.session_date, x.status,
           case when x.status = 'late' then 5 + (x.h % 20) end, ss.taken_by
      from attendance_sessions ss
      join enrollments e on e.class_id = ss.class_id and e.status = 'enrolled'
     cross join lateral (
       select h, (case when h % 100 < 6 then 'absent' when h % 100 < 11 then 'late'
                       when h % 100 < 13 then 'excused' else 'present' end)::attendance_status as status
         from (select abs(hashtext(e.student_id::text || ss.session_date::text)) as h) q) x`);
  await tx.execute(sql`
    insert into attendance_tallies (class_id, student_id, organization_id, present, absent, late, excused)
    select class_id, student_id, organization_id,
           count(*) filter (where status = 'present'), count(*) filter (where status = 'absent'),
           count(*) filter (where status = 'late'), count(*) filter (where status = 'excused')
      from attendance_records group by class_id, student_id, organization_id
    on conflict (class_id, student_id) do update
       set present = excluded.present, absent = excluded.absent, late = excluded.late, excused = excluded.excused`);

  return {
    charges: count(charges as never),
    payments: count(payments as never),
    attendanceSessions: count(sessions as never),
    attendanceRecords: count(records as never),
  };
}
