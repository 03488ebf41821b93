import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule } from '../../kernel/errors.js';
import { formatMinor } from '../../kernel/money.js';
import type { EnrollmentEvent } from '../enrollments/index.js';
import * as repo from './finance-enrollment-fees.repo.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';

/**
 * Charges the course fee of the enrollment's class to the student's ledger. Idempotent per enrollment (a
 * unique index on the charge), so a retried hook never charges twice.
 */
export async function chargeEnrollment(tx: DbOrTx, ctx: RequestContext | null, e: EnrollmentEvent) {
  const r = await repo.enrollmentFee(tx, e.enrollmentId);
  if (!r || Number(r.fee_minor) <= 0) return;
  if (r.course_currency && r.course_currency !== r.currency) {
    throw businessRule(
      'currency_mismatch',
      `The course fee is in ${r.course_currency} but the student's organization bills in ${r.currency}`,
    );
  }
  const charged = await repo.insertEnrollmentCharge(tx, {
    organizationId: r.organization_id,
    studentId: e.studentId,
    enrollmentId: e.enrollmentId,
    amountMinor: Number(r.fee_minor),
    currency: r.currency,
    reason: `Course fee: ${r.code} ${r.name}`,
    createdBy: ctx?.actor.userId ?? null,
    at: e.at,
  });
  if (!charged) return;
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
  const r = await repo.insertEnrollmentReversal(tx, {
    enrollmentId: e.enrollmentId,
    createdBy: ctx?.actor.userId ?? null,
    at: e.at,
  });
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
