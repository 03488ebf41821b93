import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { uuidv7 } from '../../kernel/ids.js';
import { firstRow } from '../../kernel/sql.js';

/** Settings of the nearest organization (self, then ancestors) that has a finance_settings row. */
const setting = (
  col: 'refund_deadline_days' | 'payment_due_days',
  orgId: SQL | string,
  dflt: number,
) => sql`coalesce(
  (select fs.${sql.raw(col)} from finance_settings fs join organizations fo on fo.id = fs.organization_id
    where (select path from organizations where id = ${orgId}) like fo.path || '%'
    order by length(fo.path) desc limit 1), ${dflt})`;

/** The course fee of an enrollment's class and the currency the student's organization bills in. */
export async function enrollmentFee(db: DbOrTx, enrollmentId: string) {
  const info = await db.execute(sql`
    select c.fee_minor, c.currency as course_currency, c.code, c.name, o.currency, s.organization_id
      from enrollments en
      join students s on s.id = en.student_id
      join organizations o on o.id = s.organization_id
      join classes cl on cl.id = en.class_id
      join courses c on c.id = cl.course_id
     where en.id = ${enrollmentId}`);
  return firstRow<{
    fee_minor: number | string;
    course_currency: string | null;
    code: string;
    name: string;
    currency: string;
    organization_id: string;
  }>(info);
}

/** Inserts the enrollment's fee charge once (false when it was already charged). */
export async function insertEnrollmentCharge(
  db: DbOrTx,
  v: {
    organizationId: string;
    studentId: string;
    enrollmentId: string;
    amountMinor: number;
    currency: string;
    reason: string;
    createdBy: string | null;
    at: Date;
  },
) {
  const res = await db.execute(sql`
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                enrollment_id, due_date, reason, created_by, occurred_at)
    values (${uuidv7()}, ${v.organizationId}, ${v.studentId}, 'charge', ${v.amountMinor}, ${v.currency},
            ${v.enrollmentId}, current_date + ${setting('payment_due_days', v.organizationId, 30)}::int,
            ${v.reason}, ${v.createdBy}, ${v.at.toISOString()})
    on conflict do nothing
    returning id`);
  return res.rows.length > 0;
}

/**
 * Reverses the enrollment's fee charge when `at` is on or before the refund deadline: the class's academic
 * session start (else the enrollment date) plus `refund_deadline_days`. Returns the reversal, or undefined.
 */
export async function insertEnrollmentReversal(
  db: DbOrTx,
  v: { enrollmentId: string; createdBy: string | null; at: Date },
) {
  const res = await db.execute(sql`
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                enrollment_id, reason, created_by, occurred_at)
    select ${uuidv7()}, l.organization_id, l.student_id, 'reversal', -l.amount_minor, l.currency, l.enrollment_id,
           'Course fee reversed: dropped before the refund deadline', ${v.createdBy},
           ${v.at.toISOString()}
      from ledger_entries l
      join enrollments en on en.id = l.enrollment_id
      join classes cl on cl.id = en.class_id
      left join academic_sessions a on a.id = cl.academic_session_id
     where l.enrollment_id = ${v.enrollmentId} and l.entry_type = 'charge'
       and ${v.at.toISOString()}::timestamptz <
           coalesce(a.start_date::timestamptz, en.enrolled_at)
           + make_interval(days => ${setting('refund_deadline_days', sql`l.organization_id`, 14)}::int + 1)
    on conflict do nothing
    returning amount_minor, currency`);
  return firstRow<{ amount_minor: number | string; currency: string }>(res);
}
