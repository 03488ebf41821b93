// Dataset steps for the finance (and, once merged, attendance) tables; the core builder is data.ts.
export interface StepCtx {
  N: number;
  DAYS: number;
  CLASSES: number;
}
export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

export const extraSteps: Array<{ label: string; run: (q: Query, ctx: StepCtx) => Promise<unknown> }> = [
  {
    label: 'ledgers: a course-fee charge per enrollment',
    run: (q) =>
      q(`
        insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                    enrollment_id, due_date, reason, occurred_at)
        select gen_random_uuid(), e.organization_id, e.student_id, 'charge', c.fee_minor, 'USD', e.id,
               date '2026-09-30', 'Course fee', e.enrolled_at
          from enrollments e join classes cl on cl.id = e.class_id join courses c on c.id = cl.course_id
         where c.fee_minor > 0`),
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
