import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { postCharge } from '../finance/index.js';
import { deskScope, patronActScope, patronReadScope } from './library.policy.js';
import { updateCopy as markCopy } from './library-books.repo.js';
import { chargeOverdue, fineFor } from './library-fines.service.js';
import { expireDueHolds, routeReturnedCopy } from './library-holds.service.js';
import * as repo from './library-loans.repo.js';
import type {
  IssueBodyT,
  ListLoansQueryT,
  LoanT,
  LostBodyT,
  OverdueLoanT,
  OverdueQueryT,
  RenewBodyT,
  ReturnBodyT,
} from './library-loans.schemas.js';
import { lockPatron, patronForDesk, patronValues } from './library-patrons.repo.js';
import { ruleFor } from './library-rules.service.js';

export function toLoan(r: repo.LoanRow, today: string): LoanT {
  return {
    id: r.id,
    organization_id: r.organization_id,
    book_id: r.book_id,
    book_title: r.book_title,
    isbn: r.isbn,
    copy_id: r.copy_id,
    barcode: r.barcode,
    patron_type: r.patron_type,
    student_id: r.student_id,
    faculty_id: r.faculty_id,
    staff_id: r.staff_id,
    patron_name: r.patron_name,
    issue_date: r.issue_date,
    due_date: r.due_date,
    return_date: r.return_date,
    renewals: Number(r.renewals),
    status: r.lost_at ? 'lost' : r.return_date ? 'returned' : r.due_date < today ? 'overdue' : 'active',
    days_overdue: Number(r.days_overdue),
    fine: r.fine_id
      ? {
          id: r.fine_id,
          amount: formatMinor(Number(r.fine_amount_minor), r.fine_currency!),
          paid: formatMinor(Number(r.fine_paid_minor), r.fine_currency!),
          currency: r.fine_currency!,
          status: r.fine_status!,
        }
      : null,
    lost_at: iso(r.lost_at),
    replacement_charge:
      r.replacement_minor === null ? null : formatMinor(Number(r.replacement_minor), r.replacement_currency!),
    created_at: iso(r.created_at)!,
  };
}

const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

function oneOf(a: string | undefined, b: string | undefined, names: [string, string]) {
  if (Boolean(a) === Boolean(b)) {
    throw badRequest(`Give ${names[0]} or ${names[1]}`, [
      { field: names[0], message: `give exactly one of ${names.join(' or ')}` },
    ]);
  }
}

/** Loans the actor may act on by id or barcode (open loans only for a barcode). */
function loanTarget(input: { loan_id?: string; barcode?: string }): SQL {
  return input.loan_id
    ? sql`l.id = ${input.loan_id}`
    : sql`c.barcode = ${input.barcode} and l.return_date is null`;
}

/**
 * Lends a copy. Inside one transaction: the patron's circulation is serialized (loan limit), a ready hold
 * of the patron is honoured with its set-aside copy, otherwise one available copy is taken with
 * FOR UPDATE SKIP LOCKED and a conditional update, so concurrent issues never lend one copy twice and
 * never lend more copies than exist; the unique open-loan index on the copy is the last guard.
 */
export async function issue(db: Db, ctx: RequestContext, input: IssueBodyT) {
  oneOf(input.book_id, input.barcode, ['book_id', 'barcode']);
  return withTx(db, async (tx) => {
    const today = await repo.today(tx);
    const scope = deskScope(ctx.actor, sql`b.organization_id`);
    const patron = await patronForDesk(tx, ctx.actor, input);
    let bookId: string;
    let barcodeCopy: repo.CopyLookup | null = null;
    if (input.barcode) {
      const copies = await repo.copiesByBarcode(tx, scope, input.barcode);
      if (copies.length === 0) throw notFound('Copy');
      if (copies.length > 1) {
        throw badRequest('This barcode exists in several of your libraries; give book_id', [
          { field: 'barcode', message: 'is ambiguous in your scope' },
        ]);
      }
      barcodeCopy = copies[0];
      bookId = barcodeCopy.book_id;
    } else bookId = input.book_id!;
    const book = await repo.bookForIssue(tx, scope, bookId);
    if (!book) throw notFound('Book');
    if (!patron.orgPath.startsWith(book.org_path)) {
      throw businessRule('patron_not_served', "The patron does not belong to this library's organization");
    }
    if (book.is_reference) throw businessRule('reference_not_loanable', 'Reference books are not issued');
    const issueDate = input.issue_date ?? today;
    if (issueDate > today) {
      throw badRequest('issue_date cannot be in the future', [
        { field: 'issue_date', message: 'is after today' },
      ]);
    }
    const rule = await ruleFor(tx, book.organization_id, patron.type);
    const dueDate = input.due_date ?? addDays(issueDate, rule.loanDays);
    if (dueDate < issueDate) {
      throw badRequest('due_date is before issue_date', [
        { field: 'due_date', message: 'must be on or after issue_date' },
      ]);
    }
    await lockPatron(tx, patron);
    if ((await repo.openLoanCount(tx, patron.type, patron.id)) >= rule.maxLoans) {
      throw businessRule(
        'loan_limit_reached',
        `The patron already has ${rule.maxLoans} open loans, the limit`,
        [{ field: `${patron.type}_id`, message: `at most ${rule.maxLoans} loans at once` }],
      );
    }
    await expireDueHolds(tx, ctx, book.id);
    const hold = await repo.readyHoldOf(tx, book.id, patron.type, patron.id);
    let copyId: string | null = null;
    if (hold && (!barcodeCopy || barcodeCopy.id === hold.copy_id)) {
      copyId = (await repo.takeCopy(tx, hold.copy_id, 'on_hold'))?.id ?? null;
    } else if (barcodeCopy) {
      copyId = (await repo.takeCopy(tx, barcodeCopy.id, 'available'))?.id ?? null;
      if (!copyId) {
        throw conflict(
          `This copy is not available (${barcodeCopy.state.replace('_', ' ')})`,
          'copy_not_available',
        );
      }
    } else {
      copyId = (await repo.takeAvailableCopy(tx, book.id))?.id ?? null;
    }
    if (!copyId) {
      throw conflict('No copy of this book is available; place a hold instead', 'no_copy_available');
    }
    const id = uuidv7();
    await repo.insertLoan(tx, {
      id,
      organizationId: book.organization_id,
      copyId,
      bookId: book.id,
      ...patronValues(patron),
      issueDate,
      dueDate,
      issuedBy: ctx.actor.userId,
    });
    if (hold) await repo.closeHold(tx, hold.id, id);
    const out = toLoan((await repo.findLoan(tx, sql`l.id = ${id}`))!, today);
    await recordAudit(tx, ctx, {
      action: 'issue',
      entityType: 'library_loan',
      entityId: id,
      organizationId: book.organization_id,
      after: out,
    });
    return out;
  });
}

/**
 * Takes a copy back: closes the loan (locked, so a racing renewal waits and then sees it closed), charges
 * an overdue fine per the patron category's rule, and routes the copy to the first waiting hold.
 */
export async function returnLoan(db: Db, ctx: RequestContext, input: ReturnBodyT) {
  oneOf(input.loan_id, input.barcode, ['loan_id', 'barcode']);
  return withTx(db, async (tx) => {
    const today = await repo.today(tx);
    const locked = await repo.lockLoan(
      tx,
      sql`${loanTarget(input)} and ${deskScope(ctx.actor, sql`l.organization_id`)}`,
    );
    if (!locked) throw notFound(input.loan_id ? 'Loan' : 'Open loan of this copy');
    if (locked.return_date) throw conflict('The loan was already returned', 'already_returned');
    const loan = (await repo.findLoan(tx, sql`l.id = ${locked.id}`))!;
    const returnDate = input.return_date ?? today;
    if (returnDate > today || returnDate < loan.issue_date) {
      throw badRequest('return_date must lie between the issue date and today', [
        { field: 'return_date', message: `must be between ${loan.issue_date} and ${today}` },
      ]);
    }
    await repo.markReturned(tx, loan.id, returnDate, ctx.actor.userId);
    await routeReturnedCopy(tx, ctx, loan.copy_id);
    await chargeOverdue(tx, ctx, loan, returnDate);
    const out = toLoan((await repo.findLoan(tx, sql`l.id = ${loan.id}`))!, today);
    await recordAudit(tx, ctx, {
      action: 'return',
      entityType: 'library_loan',
      entityId: loan.id,
      organizationId: loan.organization_id,
      before: { return_date: null },
      after: { return_date: out.return_date, fine: out.fine },
    });
    return out;
  });
}

/**
 * The desk declares the copy of an open loan lost: the loan closes today (it no longer counts toward the
 * patron's limit), the copy is marked lost (never routed to a hold), the overdue fine up to today is charged
 * as on a return, and an optional replacement charge is recorded — for a student as a `charge` on the
 * finance ledger in the same transaction. A copy found later is put back with PUT /library/copies/{id}.
 */
export async function declareLost(db: Db, ctx: RequestContext, input: LostBodyT) {
  oneOf(input.loan_id, input.barcode, ['loan_id', 'barcode']);
  return withTx(db, async (tx) => {
    const today = await repo.today(tx);
    const locked = await repo.lockLoan(
      tx,
      sql`${loanTarget(input)} and ${deskScope(ctx.actor, sql`l.organization_id`)}`,
    );
    if (!locked) throw notFound(input.loan_id ? 'Loan' : 'Open loan of this copy');
    if (locked.return_date) throw conflict('The loan is already closed', 'already_returned');
    const loan = (await repo.findLoan(tx, sql`l.id = ${locked.id}`))!;
    const currency = (await ruleFor(tx, loan.organization_id, loan.patron_type)).currency;
    const minor =
      input.replacement_charge === undefined
        ? null
        : parseAmount(input.replacement_charge, currency, 'replacement_charge');
    let ledgerEntryId: string | null = null;
    if (minor !== null && minor > 0 && loan.patron_type === 'student' && loan.student_id) {
      const charge = `${formatMinor(minor, currency)} ${currency}`;
      ledgerEntryId = (
        await postCharge(tx, {
          organizationId: loan.organization_id,
          studentId: loan.student_id,
          entryType: 'charge',
          amountMinor: minor,
          currency,
          dueDate: today,
          reason: `Library: replacement of lost "${loan.book_title}" (${loan.barcode})`,
          createdBy: ctx.actor.userId,
          notice: {
            kind: 'library_copy_lost',
            title: 'Library book declared lost',
            body: `"${loan.book_title}" was declared lost: a replacement charge of ${charge} was added to your dues.`,
            data: { loan_id: loan.id, amount: formatMinor(minor, currency), currency },
          },
        })
      ).id;
    }
    await repo.markLost(tx, loan.id, {
      returnDate: today,
      by: ctx.actor.userId,
      minor,
      currency,
      ledgerEntryId,
    });
    await markCopy(tx, loan.copy_id, { state: 'lost' });
    await chargeOverdue(tx, ctx, loan, today);
    const out = toLoan((await repo.findLoan(tx, sql`l.id = ${loan.id}`))!, today);
    await recordAudit(tx, ctx, {
      action: 'declare_lost',
      entityType: 'library_loan',
      entityId: loan.id,
      organizationId: loan.organization_id,
      before: { return_date: null },
      after: {
        return_date: out.return_date,
        replacement_charge: out.replacement_charge,
        note: input.note ?? null,
      },
    });
    return out;
  });
}

/** Extends an open loan by the rule's loan days: not when overdue, over the limit or a hold is waiting. */
export async function renew(db: Db, ctx: RequestContext, input: RenewBodyT) {
  oneOf(input.loan_id, input.barcode, ['loan_id', 'barcode']);
  return withTx(db, async (tx) => {
    const today = await repo.today(tx);
    const locked = await repo.lockLoan(
      tx,
      sql`${loanTarget(input)} and ${patronActScope(ctx.actor, repo.loanCols)}`,
    );
    if (!locked) throw notFound('Loan');
    if (locked.return_date) throw conflict('The loan was already returned', 'loan_closed');
    const loan = (await repo.findLoan(tx, sql`l.id = ${locked.id}`))!;
    const rule = await ruleFor(tx, loan.organization_id, loan.patron_type);
    if (loan.due_date < today) {
      throw businessRule('loan_overdue', 'An overdue loan cannot be renewed; return it first');
    }
    if (Number(loan.renewals) >= rule.maxRenewals) {
      throw businessRule(
        'renewal_limit_reached',
        `This loan was already renewed ${loan.renewals} times, the limit`,
      );
    }
    if (await repo.hasWaitingHold(tx, loan.book_id)) {
      throw businessRule('hold_waiting', 'Another patron is waiting for this book; it cannot be renewed');
    }
    await repo.extendDue(tx, loan.id, rule.loanDays);
    const out = toLoan((await repo.findLoan(tx, sql`l.id = ${loan.id}`))!, today);
    await recordAudit(tx, ctx, {
      action: 'renew',
      entityType: 'library_loan',
      entityId: loan.id,
      organizationId: loan.organization_id,
      before: { due_date: loan.due_date, renewals: Number(loan.renewals) },
      after: { due_date: out.due_date, renewals: out.renewals },
    });
    return out;
  });
}

function patronFilters(q: {
  patron_type?: string;
  student_id?: string;
  faculty_id?: string;
  staff_id?: string;
  organization_id?: string;
}) {
  const conds: SQL[] = [];
  if (q.patron_type) conds.push(sql`l.patron_type = ${q.patron_type}`);
  if (q.student_id) conds.push(sql`l.student_id = ${q.student_id}`);
  if (q.faculty_id) conds.push(sql`l.faculty_id = ${q.faculty_id}`);
  if (q.staff_id) conds.push(sql`l.staff_id = ${q.staff_id}`);
  if (q.organization_id) conds.push(sql`l.organization_id = ${q.organization_id}`);
  return conds;
}

export async function listIssued(db: Db, ctx: RequestContext, q: ListLoansQueryT, w: PageWindow) {
  const conds: SQL[] = [patronReadScope(ctx.actor, repo.loanCols), ...patronFilters(q)];
  const status = q.status ?? 'active';
  if (status === 'active') conds.push(sql`l.return_date is null`);
  if (status === 'returned') conds.push(sql`l.return_date is not null`);
  if (q.book_id) conds.push(sql`l.book_id = ${q.book_id}`);
  if (q.due_before) conds.push(sql`l.due_date < ${q.due_before}::date`);
  const today = await repo.today(db);
  const { rows, total } = await repo.listLoans(db, conds, w, sql`l.due_date, l.id`);
  return page(
    rows.map((r) => toLoan(r, today)),
    total,
    w,
  );
}

/** Open loans past their due date, most overdue first, with days overdue and the fine accrued so far. */
export async function listOverdue(db: Db, ctx: RequestContext, q: OverdueQueryT, w: PageWindow) {
  const conds: SQL[] = [
    patronReadScope(ctx.actor, repo.loanCols),
    ...patronFilters(q),
    sql`l.return_date is null`,
    sql`l.due_date < current_date`,
  ];
  if (q.min_days) conds.push(sql`current_date - l.due_date >= ${q.min_days}::int`);
  const today = await repo.today(db);
  const { rows, total } = await repo.listLoans(db, conds, w, sql`l.due_date, l.id`);
  const out: OverdueLoanT[] = [];
  for (const r of rows) {
    const rule = await ruleFor(db, r.organization_id, r.patron_type);
    const accrued = fineFor(rule, Number(r.days_overdue));
    out.push({
      ...toLoan(r, today),
      accrued_fine: formatMinor(accrued, rule.currency),
      currency: rule.currency,
    });
  }
  return page(out, total, w);
}
