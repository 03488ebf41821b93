import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { payInTransaction, postCharge, postCredit } from '../finance/index.js';
import { deskScope, ownPatron, patronReadScope } from './library.policy.js';
import * as repo from './library-fines.repo.js';
import type { FineT, ListFinesQueryT, PayFineBodyT, WaiveFineBodyT } from './library-fines.schemas.js';
import type { LoanRow } from './library-loans.repo.js';
import { patronById } from './library-patrons.repo.js';
import type { Rule } from './library-rules.repo.js';
import { ruleFor } from './library-rules.service.js';

/** The fine of a loan `daysLate` days late: days beyond the grace days × fine per day, capped. */
export function fineFor(
  rule: Pick<Rule, 'graceDays' | 'finePerDayMinor' | 'maxFineMinor'>,
  daysLate: number,
) {
  const fined = Math.max(0, daysLate - rule.graceDays) * rule.finePerDayMinor;
  return rule.maxFineMinor === null ? fined : Math.min(fined, rule.maxFineMinor);
}

export function toFine(r: repo.FineRow): FineT {
  const amount = Number(r.amount_minor);
  const paid = Number(r.paid_minor);
  const waived = Number(r.waived_minor);
  return {
    id: r.id,
    organization_id: r.organization_id,
    loan_id: r.loan_id,
    book_title: r.book_title,
    patron_type: r.patron_type,
    student_id: r.student_id,
    faculty_id: r.faculty_id,
    staff_id: r.staff_id,
    patron_name: r.patron_name,
    days_late: Number(r.days_late),
    amount: formatMinor(amount, r.currency),
    paid: formatMinor(paid, r.currency),
    waived: formatMinor(waived, r.currency),
    waive_reason: r.waive_reason,
    waived_at: iso(r.waived_at),
    outstanding: formatMinor(amount - paid - waived, r.currency),
    currency: r.currency,
    status: r.status,
    on_ledger: r.ledger_entry_id !== null,
    ledger_entry_id: r.ledger_entry_id,
    payment_id: r.payment_id,
    settlement_method: r.settlement_method,
    paid_at: iso(r.paid_at),
    created_at: iso(r.created_at)!,
  };
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86400_000);

/**
 * On a late return: records the loan's fine and, for a student, posts it as a `late_fine` charge on the
 * student's finance ledger in the same transaction (the fee desk sees it in the dues). Faculty and staff
 * fines are recorded on the loan only. One fine per loan (unique index).
 */
export async function chargeOverdue(tx: Tx, ctx: RequestContext, loan: LoanRow, returnDate: string) {
  const daysLate = daysBetween(loan.due_date, returnDate);
  if (daysLate <= 0) return;
  const rule = await ruleFor(tx, loan.organization_id, loan.patron_type);
  const amount = fineFor(rule, daysLate);
  if (amount <= 0) return;
  let ledgerEntryId: string | null = null;
  if (loan.patron_type === 'student' && loan.student_id) {
    const student = await patronById(tx, 'student', loan.student_id);
    const fine = `${formatMinor(amount, rule.currency)} ${rule.currency}`;
    const entry = await postCharge(tx, {
      organizationId: student?.organizationId ?? loan.organization_id,
      studentId: loan.student_id,
      entryType: 'late_fine',
      amountMinor: amount,
      currency: rule.currency,
      dueDate: returnDate,
      reason: `Library fine: "${loan.book_title}" (${loan.barcode}) returned ${daysLate} days late`,
      createdBy: ctx.actor.userId,
      notice: {
        kind: 'library_fine_charged',
        title: 'Library fine',
        body: `"${loan.book_title}" came back ${daysLate} days late: a fine of ${fine} was added to your dues.`,
        data: { loan_id: loan.id, amount: formatMinor(amount, rule.currency), currency: rule.currency },
      },
    });
    ledgerEntryId = entry.id;
  }
  await repo.insertFine(tx, {
    id: uuidv7(),
    organizationId: loan.organization_id,
    loanId: loan.id,
    patronType: loan.patron_type,
    studentId: loan.student_id,
    facultyId: loan.faculty_id,
    staffId: loan.staff_id,
    daysLate,
    amountMinor: amount,
    currency: rule.currency,
    ledgerEntryId,
  });
}

export async function listFines(db: Db, ctx: RequestContext, q: ListFinesQueryT, w: PageWindow) {
  const conds: SQL[] = [patronReadScope(ctx.actor, repo.fineCols)];
  if (q.status) conds.push(sql`f.status = ${q.status}`);
  if (q.patron_type) conds.push(sql`f.patron_type = ${q.patron_type}`);
  if (q.student_id) conds.push(sql`f.student_id = ${q.student_id}`);
  if (q.organization_id) conds.push(sql`f.organization_id = ${q.organization_id}`);
  const { rows, total } = await repo.listFines(db, conds, w);
  return page(rows.map(toFine), total, w);
}

export interface PayFineResult {
  status: number;
  replayed: boolean;
  body: {
    data: {
      fine: FineT;
      payment: {
        id: string;
        receipt_no: string;
        amount: string;
        currency: string;
        method: string;
        paid_at: string;
      } | null;
    };
  };
}

/**
 * Pays a fine. A student's fine goes through the finance payment path (Idempotency-Key, receipt, ledger
 * payment entry) as a savepoint of this transaction, and the fine records what was paid in the same
 * commit; the fine row is locked first, so two payments of one fine serialize and a replay of the same
 * key returns the first result. Faculty/staff fines are settled on the fine itself (desk only).
 */
export async function payFine(
  db: Db,
  ctx: RequestContext,
  input: PayFineBodyT,
  key: string,
): Promise<PayFineResult> {
  if (Boolean(input.fine_id) === Boolean(input.loan_id)) {
    throw badRequest('Give fine_id or loan_id', [
      { field: 'fine_id', message: 'give exactly one of fine_id or loan_id' },
    ]);
  }
  return withTx(db, async (tx) => {
    const target = input.fine_id ? sql`f.id = ${input.fine_id}` : sql`f.loan_id = ${input.loan_id}`;
    const desk = deskScope(ctx.actor, sql`f.organization_id`);
    const locked = await repo.lockFine(
      tx,
      sql`${target} and (${desk} or ${ownPatron(ctx.actor, repo.fineCols)})`,
    );
    if (!locked) throw notFound('Fine');
    const before = (await repo.findFine(tx, sql`f.id = ${locked.id}`))!;
    const atDesk = await repo.fineMatches(tx, locked.id, desk);
    const outstanding = outstandingOf(before);
    // Without an amount: what is outstanding, or (once paid in full) what was paid, so a replay of the
    // paying request carries the same amount and the payment path recognises it.
    const minor =
      input.amount !== undefined
        ? parseAmount(input.amount, before.currency)
        : outstanding > 0
          ? outstanding
          : Number(before.paid_minor);
    if (minor <= 0 && outstanding <= 0) {
      // Nothing outstanding and nothing paid (waived in full): no payment can be meant, nor replayed.
      throw conflict(`The fine is already ${before.status}`, 'fine_settled');
    }
    const fineNow = async () => toFine((await repo.findFine(tx, sql`f.id = ${locked.id}`))!);

    if (!before.student_id) {
      if (!atDesk) throw notFound('Fine');
      if (before.settlement_key === key) {
        return { status: 201, replayed: true, body: { data: { fine: await fineNow(), payment: null } } };
      }
      if (outstanding <= 0) throw conflict('The fine is already paid', 'fine_already_paid');
      if (minor <= 0 || minor > outstanding) throw amountError(outstanding, before.currency);
      await repo.applyPayment(tx, locked.id, {
        minor,
        paymentId: null,
        method: input.method ?? 'cash',
        reference: input.reference ?? null,
        key,
        by: ctx.actor.userId,
      });
    } else {
      const r = await payInTransaction(
        tx,
        ctx,
        atDesk ? 'desk' : 'self',
        {
          student_id: before.student_id,
          amount: formatMinor(minor, before.currency),
          method: input.method ?? (atDesk ? 'cash' : 'online'),
          reference: `library-fine:${locked.id}${input.reference ? ` ${input.reference}` : ''}`,
        },
        key,
      );
      const p = r.body.data;
      const payment = {
        id: p.id,
        receipt_no: p.receipt_no,
        amount: p.amount,
        currency: p.currency,
        method: p.method,
        paid_at: p.paid_at,
      };
      if (r.replayed)
        return { status: r.status, replayed: true, body: { data: { fine: await fineNow(), payment } } };
      if (outstanding <= 0) throw conflict('The fine is already paid', 'fine_already_paid');
      if (minor <= 0 || minor > outstanding) throw amountError(outstanding, before.currency);
      await repo.applyPayment(tx, locked.id, { minor, paymentId: p.id, by: ctx.actor.userId });
      const fine = await fineNow();
      await recordAudit(tx, ctx, {
        action: 'pay_fine',
        entityType: 'library_fine',
        entityId: locked.id,
        organizationId: before.organization_id,
        before: toFine(before),
        after: fine,
      });
      return { status: 201, replayed: false, body: { data: { fine, payment } } };
    }
    const fine = await fineNow();
    await recordAudit(tx, ctx, {
      action: 'settle_fine',
      entityType: 'library_fine',
      entityId: locked.id,
      organizationId: before.organization_id,
      before: toFine(before),
      after: fine,
    });
    return { status: 201, replayed: false, body: { data: { fine, payment: null } } };
  });
}

const outstandingOf = (f: repo.FineRow) =>
  Number(f.amount_minor) - Number(f.paid_minor) - Number(f.waived_minor);

/**
 * The desk waives all or part of what is outstanding on a fine, with a reason. A student's fine that is on
 * the ledger gets a `waiver` credit entry of the same amount in the same transaction, so the dues drop by
 * exactly what was waived; the fine row is locked, so a waiver and a payment of one fine serialize and
 * together never exceed the fine.
 */
export async function waiveFine(db: Db, ctx: RequestContext, id: string, input: WaiveFineBodyT) {
  return withTx(db, async (tx) => {
    const locked = await repo.lockFine(
      tx,
      sql`f.id = ${id} and ${deskScope(ctx.actor, sql`f.organization_id`)}`,
    );
    if (!locked) throw notFound('Fine');
    const before = (await repo.findFine(tx, sql`f.id = ${id}`))!;
    const outstanding = outstandingOf(before);
    if (outstanding <= 0) throw conflict(`The fine is already ${before.status}`, 'fine_settled');
    const minor = input.amount !== undefined ? parseAmount(input.amount, before.currency) : outstanding;
    if (minor <= 0 || minor > outstanding) throw amountError(outstanding, before.currency);
    if (before.student_id && before.ledger_entry_id) {
      const waived = `${formatMinor(minor, before.currency)} ${before.currency}`;
      await postCredit(tx, {
        organizationId: before.organization_id,
        studentId: before.student_id,
        entryType: 'waiver',
        amountMinor: minor,
        currency: before.currency,
        reason: `Library fine waived: "${before.book_title}" (${input.reason})`,
        createdBy: ctx.actor.userId,
        notice: {
          kind: 'library_fine_waived',
          title: 'Library fine waived',
          body: `${waived} of the library fine for "${before.book_title}" was waived: ${input.reason}.`,
          data: { fine_id: id, amount: formatMinor(minor, before.currency), currency: before.currency },
        },
      });
    }
    await repo.applyWaiver(tx, id, { minor, reason: input.reason, by: ctx.actor.userId });
    const after = toFine((await repo.findFine(tx, sql`f.id = ${id}`))!);
    await recordAudit(tx, ctx, {
      action: 'waive',
      entityType: 'library_fine',
      entityId: id,
      organizationId: before.organization_id,
      before: toFine(before),
      after: { ...after, reason: input.reason },
    });
    return after;
  });
}

function amountError(outstanding: number, currency: string) {
  return businessRule('amount_exceeds_fine', 'The amount must be positive and at most what is outstanding', [
    { field: 'amount', message: `must be between 0.01 and ${formatMinor(outstanding, currency)}` },
  ]);
}
