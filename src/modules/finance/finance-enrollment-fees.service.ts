import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { formatMinor } from '../../kernel/money.js';
import type { EnrollmentEvent } from '../enrollments/index.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';

/** Settings of the nearest organization (self, then ancestors) that has a finance_settings row. */
const setting = (col: 'refund_deadline_days' | 'payment_due_days', orgId: any, dflt: number) => sql`coalesce(
  (select fs.${sql.raw(col)} from finance_settings fs join organizations fo on fo.id = fs.organization_id
    where (select path from organizations where id = ${orgId}) like fo.path || '%'
    order by length(fo.path) desc limit 1), ${dflt})`;

/**
 * Charges the course fee of the enrollment's class to the student's ledger. Idempotent per enrollment (a
 * unique index on the charge), so a retried hook never charges twice.
 */
export async function chargeEnrollment(tx: DbOrTx, ctx: RequestContext | null, e: EnrollmentEvent) {
  const info = await tx.execute(sql`
    select c.fee_minor, c.currency as course_currency, c.code, c.name, o.currency, s.organization_id
      from enrollments en
      join students s on s.id = en.student_id
      join organizations o on o.id = s.organization_id
      join classes cl on cl.id = en.class_id
      join courses c on c.id = cl.course_id
     where en.id = ${e.enrollmentId}`);
  const r = info.rows[0] as any;
  if (!r || Number(r.fee_minor) <= 0) return;
  if (r.course_currency && r.course_currency !== r.currency) {
    throw businessRule(
      'currency_mismatch',
      `The course fee is in ${r.course_currency} but the student's organization bills in ${r.currency}`,
    );
  }
  const res = await tx.execute(sql`
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                enrollment_id, due_date, reason, created_by, occurred_at)
    values (${uuidv7()}, ${r.organization_id}, ${e.studentId}, 'charge', ${Number(r.fee_minor)}, ${r.currency},
            ${e.enrollmentId}, current_date + ${setting('payment_due_days', r.organization_id, 30)}::int,
            ${`Course fee: ${r.code} ${r.name}`}, ${ctx?.actor.userId ?? null}, ${e.at.toISOString()})
    on conflict do nothing
    returning id`);
  if (res.rows.length === 0) return;
  const fee = money(Number(r.fee_minor), r.currency);
  await notifyMoneyEvent(
    tx,
    e.studentId,
    'enrollment_charged',
    'Course fee charged',
    `Enrolling in ${r.code} ${r.name} added ${fee} to your dues.`,
    {
      enrollment_id: e.enrollmentId,
      amount: formatMinor(Number(r.fee_minor), r.currency),
      currency: r.currency,
    },
  );
}

/**
 * Reverses the enrollment's fee charge when the drop happens on or before the refund deadline: the class's
 * academic session start (else the enrollment date) plus `refund_deadline_days`.
 */
export async function reverseEnrollment(tx: DbOrTx, ctx: RequestContext | null, e: EnrollmentEvent) {
  const res = await tx.execute(sql`
    insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                enrollment_id, reason, created_by, occurred_at)
    select ${uuidv7()}, l.organization_id, l.student_id, 'reversal', -l.amount_minor, l.currency, l.enrollment_id,
           'Course fee reversed: dropped before the refund deadline', ${ctx?.actor.userId ?? null},
           ${e.at.toISOString()}
      from ledger_entries l
      join enrollments en on en.id = l.enrollment_id
      join classes cl on cl.id = en.class_id
      left join academic_sessions a on a.id = cl.academic_session_id
     where l.enrollment_id = ${e.enrollmentId} and l.entry_type = 'charge'
       and ${e.at.toISOString()}::timestamptz <
           coalesce(a.start_date::timestamptz, en.enrolled_at)
           + make_interval(days => ${setting('refund_deadline_days', sql`l.organization_id`, 14)}::int + 1)
    on conflict do nothing
    returning amount_minor, currency`);
  const r = res.rows[0] as any;
  if (!r) return;
  const amt = money(-Number(r.amount_minor), r.currency);
  await notifyMoneyEvent(
    tx,
    e.studentId,
    'enrollment_fee_reversed',
    'Course fee reversed',
    `Dropping the class before the deadline removed ${amt} from your dues.`,
    {
      enrollment_id: e.enrollmentId,
      amount: formatMinor(-Number(r.amount_minor), r.currency),
      currency: r.currency,
    },
  );
}
