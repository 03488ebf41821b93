import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assertRef, departments } from '../academics/index.js';
import { orgScope } from '../organizations/index.js';
import { rethrowUnique } from '../users/index.js';
import { deskScope } from './library.policy.js';
import { libraryBooks } from './library.table.js';
import * as repo from './library-books.repo.js';
import type {
  BookT,
  CopyT,
  CreateBookT,
  ListBooksQueryT,
  SearchBooksQueryT,
  UpdateBookT,
} from './library-books.schemas.js';
import { isbnProblem, normalizeIsbn } from './library-isbn.js';
import { orgInScope } from './library-rules.repo.js';

export const UNIQUE_FIELDS = {
  library_books_org_isbn_uq: 'isbn',
  library_copies_org_barcode_uq: 'barcode',
};

export function toBook(r: repo.BookWithCounts): BookT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    isbn: r.isbn,
    title: r.title,
    author: r.author,
    category: r.category,
    department_id: r.departmentId,
    is_reference: r.isReference,
    publisher: r.publisher,
    publication_year: r.publicationYear,
    copies_total: Number(r.copiesTotal),
    copies_available: Number(r.copiesAvailable),
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export function toCopy(r: repo.CopyRow): CopyT {
  return {
    id: r.id,
    book_id: r.bookId,
    organization_id: r.organizationId,
    barcode: r.barcode,
    state: r.state,
    shelf_location: r.shelfLocation,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Books the actor may read: the catalogues of the organizations (subtrees) they hold any role in. */
export const bookReadScope = (actor: Actor) => orgScope(actor, 'library:read', libraryBooks.organizationId);
export const bookDeskScope = (actor: Actor) => deskScope(actor, libraryBooks.organizationId);

/** The normalised ISBN, or a 400 naming the checksum problem. */
export function checkedIsbn(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const problem = isbnProblem(raw);
  if (problem) throw badRequest(`Invalid ISBN: ${problem}`, [{ field: 'isbn', message: problem }]);
  return normalizeIsbn(raw);
}

/** Generated accession numbers: the book id's random tail and a running number, unique per book. */
export function generatedBarcodes(bookId: string, from: number, count: number): string[] {
  const tail = bookId.replace(/-/g, '').slice(-10).toUpperCase();
  return Array.from({ length: count }, (_, i) => `B${tail}-${String(from + i).padStart(3, '0')}`);
}

export async function listBooks(db: Db, ctx: RequestContext, q: ListBooksQueryT, w: PageWindow) {
  const { rows, total } = await repo.list(db, repo.filterConds(bookReadScope(ctx.actor), q), w);
  return page(rows.map(toBook), total, w);
}

/** Search by title, author or ISBN (an ISBN typed with hyphens matches too), best trigram match first. */
export async function searchBooks(db: Db, ctx: RequestContext, q: SearchBooksQueryT, w: PageWindow) {
  const raw = q.q.trim().toLowerCase();
  const term = /^[0-9x -]+$/.test(raw) && /\d/.test(raw) ? raw.replace(/[\s-]/g, '') : raw;
  const { rows, total } = await repo.list(db, repo.filterConds(bookReadScope(ctx.actor), q), w, term);
  return page(rows.map(toBook), total, w);
}

export async function getBook(db: DbOrTx, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, bookReadScope(ctx.actor), id);
  if (!row) throw notFound('Book');
  return toBook(row);
}

async function assertDepartment(tx: DbOrTx, orgId: string, departmentId: string | null | undefined) {
  if (!departmentId) return;
  const path = await repo.orgPath(tx, orgId);
  await assertRef(tx, departments, departmentId, path ?? '', 'department_id', 'Department', {
    alsoSubtree: true,
  });
}

export async function createBook(db: Db, ctx: RequestContext, input: CreateBookT) {
  const isbn = checkedIsbn(input.isbn);
  if (input.copies !== undefined && input.barcodes !== undefined) {
    throw badRequest('Give copies or barcodes, not both', [
      { field: 'copies', message: 'or barcodes, not both' },
    ]);
  }
  try {
    return await withTx(db, async (tx) => {
      if (
        !(await repo.orgPath(tx, input.organization_id)) ||
        !(await inDesk(tx, ctx, input.organization_id))
      ) {
        throw notFound('Organization');
      }
      await assertDepartment(tx, input.organization_id, input.department_id);
      const id = uuidv7();
      await repo.insertBook(tx, {
        id,
        organizationId: input.organization_id,
        isbn: isbn ?? null,
        title: input.title,
        author: input.author,
        category: input.category ?? null,
        departmentId: input.department_id ?? null,
        isReference: input.is_reference ?? false,
        publisher: input.publisher ?? null,
        publicationYear: input.publication_year ?? null,
      });
      const barcodes = input.barcodes ?? generatedBarcodes(id, 1, input.copies ?? 0);
      await repo.insertCopies(
        tx,
        barcodes.map((barcode) => ({ organizationId: input.organization_id, bookId: id, barcode })),
      );
      const out = toBook((await repo.findInScope(tx, bookDeskScope(ctx.actor), id))!);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'library_book',
        entityId: id,
        organizationId: input.organization_id,
        after: { ...out, barcodes },
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

function inDesk(tx: DbOrTx, ctx: RequestContext, orgId: string) {
  return orgInScope(tx, orgId, deskScope(ctx.actor, sql`o.id`));
}

export async function updateBook(db: Db, ctx: RequestContext, id: string, input: UpdateBookT) {
  const isbn = checkedIsbn(input.isbn);
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findInScope(tx, bookDeskScope(ctx.actor), id);
      if (!before) throw notFound('Book');
      await assertDepartment(tx, before.organizationId, input.department_id);
      await repo.updateBook(tx, id, {
        isbn,
        title: input.title,
        author: input.author,
        category: input.category,
        departmentId: input.department_id,
        isReference: input.is_reference,
        publisher: input.publisher,
        publicationYear: input.publication_year,
      });
      const out = toBook((await repo.findInScope(tx, bookDeskScope(ctx.actor), id))!);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'library_book',
        entityId: id,
        organizationId: before.organizationId,
        before: toBook(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

/** Soft delete (loan history keeps its book); refused while a copy is on loan or set aside for a hold. */
export async function deleteBook(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, bookDeskScope(ctx.actor), id);
    if (!before) throw notFound('Book');
    if ((await repo.busyCopies(tx, id)) > 0) {
      throw conflict('The book has copies on loan or on hold; return them first', 'book_in_circulation');
    }
    await repo.updateBook(tx, id, { deletedAt: new Date() });
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'library_book',
      entityId: id,
      organizationId: before.organizationId,
      before: toBook(before),
    });
  });
}
