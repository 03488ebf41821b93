import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import { rethrowUnique } from '../users/index.js';
import { deskScope } from './library.policy.js';
import { libraryCopies } from './library.table.js';
import * as repo from './library-books.repo.js';
import type { AddCopiesT, UpdateCopyT } from './library-books.schemas.js';
import {
  bookDeskScope,
  bookReadScope,
  generatedBarcodes,
  toCopy,
  UNIQUE_FIELDS,
} from './library-books.service.js';
import { routeReturnedCopy } from './library-holds.service.js';

export async function listCopies(db: Db, ctx: RequestContext, bookId: string) {
  const book = await repo.findInScope(db, bookReadScope(ctx.actor), bookId);
  if (!book) throw notFound('Book');
  return (await repo.listCopies(db, bookId)).map(toCopy);
}

/** Adds copies to a book (given barcodes, or `count` generated ones); a waiting hold gets the first. */
export async function addCopies(db: Db, ctx: RequestContext, bookId: string, input: AddCopiesT) {
  try {
    return await withTx(db, async (tx) => {
      const book = await repo.findInScope(tx, bookDeskScope(ctx.actor), bookId);
      if (!book) throw notFound('Book');
      const existing = await repo.listCopies(tx, bookId);
      const barcodes = input.barcodes ?? generatedBarcodes(bookId, existing.length + 1, input.count ?? 1);
      const rows = await repo.insertCopies(
        tx,
        barcodes.map((barcode) => ({
          organizationId: book.organizationId,
          bookId,
          barcode,
          state: 'withdrawn' as const,
          shelfLocation: input.shelf_location ?? null,
        })),
      );
      // New copies go through the same routing as a returned one: the hold queue first, else the shelf.
      const out = [];
      for (const r of rows) out.push(toCopy(await routeReturnedCopy(tx, ctx, r.id)));
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'library_copies',
        entityId: bookId,
        organizationId: book.organizationId,
        after: { book_id: bookId, barcodes },
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

/** Marks a copy lost/withdrawn or back on the shelf, or changes its barcode or shelf location. */
export async function updateCopy(db: Db, ctx: RequestContext, copyId: string, input: UpdateCopyT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.lockCopyInScope(
        tx,
        deskScope(ctx.actor, libraryCopies.organizationId),
        copyId,
      );
      if (!before) throw notFound('Copy');
      if (input.state && input.state !== before.state) {
        if (before.state === 'on_loan' || before.state === 'on_hold') {
          throw conflict(
            `The copy is ${before.state === 'on_loan' ? 'on loan' : 'set aside for a hold'}; return or release it first`,
            'copy_in_circulation',
          );
        }
      }
      let row = await repo.updateCopy(tx, copyId, {
        barcode: input.barcode,
        shelfLocation: input.shelf_location,
        state: input.state === 'available' ? before.state : input.state,
      });
      if (input.state === 'available' && before.state !== 'available') {
        await repo.updateCopy(tx, copyId, { state: 'withdrawn' });
        row = await routeReturnedCopy(tx, ctx, copyId);
      }
      const out = toCopy(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'library_copy',
        entityId: copyId,
        organizationId: before.organizationId,
        before: toCopy(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}
