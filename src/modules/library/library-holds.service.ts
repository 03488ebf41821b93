import { type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { notify } from '../notifications/index.js';
import { rethrowUnique } from '../users/index.js';
import { deskScope, patronActScope, patronReadScope } from './library.policy.js';
import { libraryHolds } from './library.table.js';
import * as books from './library-books.repo.js';
import * as repo from './library-holds.repo.js';
import type { HoldT, ListHoldsQueryT, PlaceHoldT } from './library-holds.schemas.js';
import { type Patron, patronById, patronForDesk, patronValues, selfPatron } from './library-patrons.repo.js';
import { ruleFor } from './library-rules.service.js';

export function toHold(r: repo.HoldRow): HoldT {
  return {
    id: r.id,
    organization_id: r.organization_id,
    book_id: r.book_id,
    book_title: r.book_title,
    patron_type: r.patron_type,
    student_id: r.student_id,
    faculty_id: r.faculty_id,
    staff_id: r.staff_id,
    patron_name: r.patron_name,
    status: r.status,
    queue_position: r.queue_position === null ? null : Number(r.queue_position),
    copy_id: r.copy_id,
    barcode: r.barcode,
    placed_at: iso(r.placed_at)!,
    ready_at: iso(r.ready_at),
    pickup_by: r.pickup_by,
    closed_at: iso(r.closed_at),
    loan_id: r.loan_id,
  };
}

async function notifyPatron(
  tx: DbOrTx,
  p: Patron | null,
  orgId: string,
  title: string,
  body: string,
  data: Record<string, unknown>,
) {
  if (!p?.userId) return;
  await notify(
    tx,
    { organizationId: orgId, userIds: [p.userId], guardiansOf: p.type === 'student' ? [p.id] : [] },
    title,
    body,
    {
      kind: String(data.kind),
      data,
    },
  );
}

/**
 * Puts a copy back into circulation (a return, a new copy, a copy found again, a released hold): the first
 * waiting hold of its book gets it (state on_hold, the hold ready, the patron notified), else the shelf.
 * The book row is locked so a hold placed at the same moment either sees the copy or is served by it.
 */
export async function routeReturnedCopy(tx: DbOrTx, _ctx: RequestContext | null, copyId: string) {
  const copy = await repo.copyBook(tx, copyId);
  await repo.lockBook(tx, copy.book_id);
  const hold = await repo.firstWaiting(tx, copy.book_id);
  if (!hold) return books.updateCopy(tx, copyId, { state: 'available' });
  const rule = await ruleFor(tx, hold.organization_id, hold.patron_type);
  await repo.markReady(tx, hold.id, copyId, rule.holdPickupDays);
  const row = await books.updateCopy(tx, copyId, { state: 'on_hold' });
  const h = await repo.findHold(tx, sql`h.id = ${hold.id}`);
  const patron = await patronById(tx, hold.patron_type, hold.patron_id);
  await notifyPatron(
    tx,
    patron,
    hold.organization_id,
    'Your reserved book is ready',
    `"${h?.book_title}" is waiting for you at the library desk until ${h?.pickup_by}.`,
    { kind: 'library_hold_ready', hold_id: hold.id, book_id: copy.book_id, pickup_by: h?.pickup_by },
  );
  return row;
}

/**
 * Expires the ready holds of one book whose pickup date has passed: each is closed as `expired`, its
 * patron told, and the copy it had set aside goes to the next waiting hold or back to the shelf. Runs
 * inside circulation (issue, hold placement) before a decision about the book's copies, and in the desk's
 * sweep, so an unclaimed copy never stays set aside past its date. Returns how many expired.
 */
export async function expireDueHolds(tx: DbOrTx, ctx: RequestContext | null, bookId: string) {
  const expired = await repo.expireDue(tx, bookId);
  for (const h of expired) {
    if (h.copy_id) await routeReturnedCopy(tx, ctx, h.copy_id);
    const patron = await patronById(tx, h.patron_type, h.patron_id);
    await notifyPatron(
      tx,
      patron,
      h.organization_id,
      'Your reserved book was not collected',
      'The copy set aside for you was passed on because its pickup date has passed. Place a new hold if you still need it.',
      { kind: 'library_hold_expired', hold_id: h.id, book_id: bookId },
    );
    if (ctx) {
      await recordAudit(tx, ctx, {
        action: 'expire',
        entityType: 'library_hold',
        entityId: h.id,
        organizationId: h.organization_id,
        before: { status: 'ready' },
        after: { status: 'expired' },
      });
    }
  }
  return expired.length;
}

/** Most books one sweep handles; the response says when more remain. */
export const SWEEP_BOOKS = 200;

/** The desk's sweep: expires every overdue ready hold in its scope (up to SWEEP_BOOKS books a call). */
export async function sweepExpiredHolds(db: Db, ctx: RequestContext) {
  return withTx(db, async (tx) => {
    const bookIds = await repo.booksWithDueHolds(
      tx,
      deskScope(ctx.actor, sql`h.organization_id`),
      SWEEP_BOOKS + 1,
    );
    let expired = 0;
    for (const bookId of bookIds.slice(0, SWEEP_BOOKS)) {
      await repo.lockBook(tx, bookId);
      expired += await expireDueHolds(tx, ctx, bookId);
    }
    return { expired, books: Math.min(bookIds.length, SWEEP_BOOKS), more: bookIds.length > SWEEP_BOOKS };
  });
}

/** Reserves a book that has no copy on the shelf, for oneself or (desk) for a named patron. */
export async function placeHold(db: Db, ctx: RequestContext, input: PlaceHoldT) {
  const forOther = Boolean(input.student_id || input.faculty_id || input.staff_id);
  try {
    return await withTx(db, async (tx) => {
      const patron = forOther ? await patronForDesk(tx, ctx.actor, input) : await selfPatron(tx, ctx.actor);
      if (!patron) throw notFound('Patron profile');
      const book = await books.findInScope(
        tx,
        forOther
          ? deskScope(ctx.actor, sql`library_books.organization_id`)
          : sql`${patron.orgPath} like (select o.path from organizations o where o.id = library_books.organization_id) || '%'`,
        input.book_id,
      );
      if (!book) throw notFound('Book');
      const libraryPath = await books.orgPath(tx, book.organizationId);
      if (!libraryPath || !patron.orgPath.startsWith(libraryPath)) {
        throw businessRule('patron_not_served', "The patron does not belong to this library's organization");
      }
      if (book.isReference) {
        throw businessRule(
          'reference_not_loanable',
          'Reference books are not lent, so they cannot be reserved',
        );
      }
      await repo.lockBook(tx, book.id);
      await expireDueHolds(tx, ctx, book.id);
      if ((await repo.availableCount(tx, book.id)) > 0) {
        throw businessRule('copies_available', 'A copy is on the shelf: ask the desk to issue it instead');
      }
      const id = uuidv7();
      await tx.insert(libraryHolds).values({
        id,
        organizationId: book.organizationId,
        bookId: book.id,
        ...patronValues(patron),
        createdBy: ctx.actor.userId,
      });
      const out = toHold((await repo.findHold(tx, sql`h.id = ${id}`))!);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'library_hold',
        entityId: id,
        organizationId: book.organizationId,
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, { library_holds_open_patron_uq: 'book_id' });
  }
}

/** Cancels a waiting or ready hold; a copy that was set aside goes to the next hold or back to the shelf. */
export async function cancelHold(db: Db, ctx: RequestContext, id: string) {
  return withTx(db, async (tx) => {
    const h = await repo.lockHold(tx, sql`h.id = ${id} and ${patronActScope(ctx.actor, repo.holdCols)}`);
    if (!h) throw notFound('Hold');
    if (h.status !== 'waiting' && h.status !== 'ready') {
      throw conflict(`The hold is already ${h.status}`, 'hold_closed');
    }
    await repo.markCancelled(tx, id);
    if (h.status === 'ready' && h.copy_id) await routeReturnedCopy(tx, ctx, h.copy_id);
    const out = toHold((await repo.findHold(tx, sql`h.id = ${id}`))!);
    await recordAudit(tx, ctx, {
      action: 'cancel',
      entityType: 'library_hold',
      entityId: id,
      organizationId: h.organization_id,
      before: { status: h.status },
      after: { status: out.status },
    });
    return out;
  });
}

export async function listHolds(db: Db, ctx: RequestContext, q: ListHoldsQueryT, w: PageWindow) {
  const conds: SQL[] = [patronReadScope(ctx.actor, repo.holdCols)];
  if (q.book_id) conds.push(sql`h.book_id = ${q.book_id}`);
  if (q.status) conds.push(sql`h.status = ${q.status}`);
  if (q.patron_type) conds.push(sql`h.patron_type = ${q.patron_type}`);
  if (q.student_id) conds.push(sql`h.student_id = ${q.student_id}`);
  if (q.faculty_id) conds.push(sql`h.faculty_id = ${q.faculty_id}`);
  if (q.staff_id) conds.push(sql`h.staff_id = ${q.staff_id}`);
  const { rows, total } = await repo.listHolds(db, conds, w);
  return page(rows.map(toHold), total, w);
}
