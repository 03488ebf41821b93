// Dataset steps for the attendance and finance tables; the core builder is data.ts.
export interface StepCtx {
  N: number;
  DAYS: number;
  CLASSES: number;
}
export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * Loads a big table with its secondary indexes dropped and rebuilt afterwards (one sorted build instead of
 * maintaining them row by row), and its primary key too when no foreign key references it. Indexes that
 * back other constraints stay.
 */
export async function withIndexesDropped(q: Query, table: string, load: () => Promise<unknown>) {
  const res: any = await q(
    `select indexname, indexdef from pg_indexes i
      where tablename = $1 and schemaname = 'public'
        and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [table],
  );
  const pk: any = await q(
    `select conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
      where c.conrelid = $1::regclass and c.contype = 'p'
        and not exists (select 1 from pg_constraint f where f.confrelid = c.conrelid and f.contype = 'f')`,
    [table],
  );
  for (const r of res.rows) await q(`drop index "${r.indexname}"`);
  for (const r of pk.rows) await q(`alter table "${table}" drop constraint "${r.conname}"`);
  await load();
  for (const r of pk.rows) await q(`alter table "${table}" add constraint "${r.conname}" ${r.def}`);
  for (const r of res.rows) await q(r.indexdef);
}

export const extraSteps: Array<{ label: string; run: (q: Query, ctx: StepCtx) => Promise<unknown> }> = [
  {
    label: 'attendance: a session per class and school day',
    run: async (q, { DAYS }) => {
      await q(
        `create temp table bench_days as
         select d::date as day from generate_series(date '2025-09-01', date '2026-06-30', interval '1 day') d
          where extract(isodow from d) < 6 order by d limit $1`,
        [DAYS],
      );
      await withIndexesDropped(q, 'attendance_sessions', () =>
        q(`insert into attendance_sessions (id, organization_id, class_id, session_date, created_at, updated_at)
           select gen_random_uuid(), c.organization_id, c.id, d.day, d.day + time '09:00', d.day + time '09:00'
             from classes c cross join bench_days d where c.name <> 'BIG-ROSTER'`),
      );
    },
  },
  {
    label: 'attendance: every student, every day (homeroom)',
    run: async (q, { CLASSES }) => {
      await q(`create temp table bench_st as
               select id, organization_id, (row_number() over (order by student_number) - 1) % ${CLASSES} as crn,
                      row_number() over (order by student_number) as rn
                 from students`);
      // About 1 in 20 students attends ~60% of days (the defaulters); the rest ~90%.
      await withIndexesDropped(q, 'attendance_records', () =>
        q(`insert into attendance_records (id, session_id, student_id, class_id, organization_id, attendance_date,
                                          status, minutes_late, created_at, updated_at)
           select gen_random_uuid(), s.id, st.id, s.class_id, st.organization_id, s.session_date,
                  (case when h < (case when st.rn % 20 = 0 then 60 else 88 end) then 'present'
                        when h < 93 then 'absent' when h < 97 then 'late' else 'excused' end)::attendance_status,
                  case when h >= 93 and h < 97 then 5 + h % 20 end,
                  s.created_at, s.created_at
             from bench_st st
             join cls on cls.rn = st.crn
             join attendance_sessions s on s.class_id = cls.id
             cross join lateral (select abs(hashtext(st.id::text || s.session_date::text)) % 100 as h) hh`),
      );
    },
  },
  {
    // The load runs with triggers off (session_replication_role = replica), so the running tallies the
    // attendance triggers would keep are built here in one aggregate, as migration 0006 backfills them.
    label: 'attendance: running tallies per student and class',
    run: (q) =>
      withIndexesDropped(q, 'attendance_tallies', () =>
        q(`insert into attendance_tallies (class_id, student_id, organization_id, present, absent, late, excused)
           select class_id, student_id, (array_agg(organization_id))[1],
                  count(*) filter (where status = 'present'), count(*) filter (where status = 'absent'),
                  count(*) filter (where status = 'late'), count(*) filter (where status = 'excused')
             from attendance_records group by class_id, student_id`),
      ),
  },
  {
    label: 'ledgers: a course-fee charge per enrollment',
    run: (q) =>
      withIndexesDropped(q, 'ledger_entries', () =>
        q(`
          insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                      enrollment_id, due_date, reason, occurred_at)
          select gen_random_uuid(), e.organization_id, e.student_id, 'charge', c.fee_minor, 'USD', e.id,
                 date '2026-09-30', 'Course fee', e.enrolled_at
            from enrollments e join classes cl on cl.id = e.class_id join courses c on c.id = cl.course_id
           where c.fee_minor > 0`),
      ),
  },
  {
    label: 'payments: 70% of students pay (half in full)',
    run: async (q) => {
      await q(`
        create temp table bench_pay as
        select gen_random_uuid() as id, s.organization_id, s.id as student_id,
               (case when s.rn % 10 < 4 then owed else owed / 2 end)::bigint as amount,
               row_number() over (order by s.rn) as receipt_seq
          from (select st.id, st.organization_id, row_number() over (order by st.student_number) as rn,
                       (select sum(amount_minor) from ledger_entries l where l.student_id = st.id) as owed
                  from students st) s
         where s.rn % 10 < 7 and s.owed > 0`);
      await q(`
        insert into fee_payments (id, organization_id, student_id, amount_minor, currency, method, source,
                                  receipt_no, receipt_year, paid_at)
        select id, organization_id, student_id, amount, 'USD',
               (array['cash','card','bank_transfer','online']::payment_method[])[1 + receipt_seq % 4], 'desk',
               'RCPT-2026-' || lpad(receipt_seq::text, 7, '0'), 2026,
               timestamptz '2026-09-01' + (receipt_seq % 60) * interval '1 day'
          from bench_pay`);
      await q(`
        insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                    payment_id, reason, occurred_at)
        select gen_random_uuid(), organization_id, student_id, 'payment', -amount, 'USD', id, 'Payment',
               timestamptz '2026-09-01' + (receipt_seq % 60) * interval '1 day'
          from bench_pay`);
      await q(`
        insert into receipt_counters (organization_id, year, last_no)
        select organization_id, 2026, count(*) from bench_pay group by organization_id`);
    },
  },
];
