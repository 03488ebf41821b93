import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { containsPattern, firstRow, rowsOf } from '../../kernel/sql.js';
import { libraryBooks, libraryCopies } from './library.table.js';
import type { ListBooksQueryT } from './library-books.schemas.js';

export type BookRow = typeof libraryBooks.$inferSelect;
export type CopyRow = typeof libraryCopies.$inferSelect;
export type BookWithCounts = BookRow & { copiesTotal: number; copiesAvailable: number };

/** The exact expression of `library_books_search_trgm_idx` (repeated verbatim so the GIN index is used). */
export const searchExpr = sql`lower(${libraryBooks.title} || ' ' || ${libraryBooks.author} || ' ' || coalesce(${libraryBooks.isbn}, ''))`;

const counts = {
  copiesTotal: sql<number>`(select count(*)::int from library_copies c
                             where c.book_id = library_books.id and c.state <> 'withdrawn')`,
  copiesAvailable: sql<number>`(select count(*)::int from library_copies c
                                 where c.book_id = library_books.id and c.state = 'available')`,
};

/** WHERE conditions of the list and the search: scope, live, filters. */
export function filterConds(scope: SQL, f: ListBooksQueryT): SQL[] {
  const conds: SQL[] = [scope, isNull(libraryBooks.deletedAt)];
  if (f.organization_id) conds.push(eq(libraryBooks.organizationId, f.organization_id));
  if (f.category) conds.push(sql`lower(${libraryBooks.category}) = ${f.category.toLowerCase()}`);
  if (f.department_id) conds.push(eq(libraryBooks.departmentId, f.department_id));
  if (f.is_reference !== undefined) conds.push(eq(libraryBooks.isReference, f.is_reference));
  if (f.available_only) {
    conds.push(
      sql`exists (select 1 from library_copies c where c.book_id = library_books.id and c.state = 'available')`,
    );
  }
  return conds;
}

export async function list(db: DbOrTx, conds: SQL[], w: PageWindow, term?: string) {
  const all = term ? [...conds, sql`${searchExpr} like ${containsPattern(term)}`] : conds;
  const where = and(...all);
  const order = term
    ? [sql`similarity(${searchExpr}, ${term}) desc`, libraryBooks.title, libraryBooks.id]
    : [libraryBooks.title, libraryBooks.id];
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ ...bookCols, ...counts })
      .from(libraryBooks)
      .where(where)
      .orderBy(...order)
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(libraryBooks).where(where),
  ]);
  return { rows: rows as BookWithCounts[], total: Number(total) };
}

const bookCols = {
  id: libraryBooks.id,
  organizationId: libraryBooks.organizationId,
  isbn: libraryBooks.isbn,
  title: libraryBooks.title,
  author: libraryBooks.author,
  category: libraryBooks.category,
  departmentId: libraryBooks.departmentId,
  isReference: libraryBooks.isReference,
  publisher: libraryBooks.publisher,
  publicationYear: libraryBooks.publicationYear,
  deletedAt: libraryBooks.deletedAt,
  createdAt: libraryBooks.createdAt,
  updatedAt: libraryBooks.updatedAt,
};

/** One live book in scope, with its copy counts. */
export async function findInScope(db: DbOrTx, scope: SQL, id: string): Promise<BookWithCounts | null> {
  const [row] = await db
    .select({ ...bookCols, ...counts })
    .from(libraryBooks)
    .where(and(eq(libraryBooks.id, id), isNull(libraryBooks.deletedAt), scope));
  return (row as BookWithCounts | undefined) ?? null;
}

export async function insertBook(db: DbOrTx, v: typeof libraryBooks.$inferInsert) {
  const [row] = await db.insert(libraryBooks).values(v).returning();
  return row;
}

export async function updateBook(db: DbOrTx, id: string, v: Partial<typeof libraryBooks.$inferInsert>) {
  await db
    .update(libraryBooks)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(libraryBooks.id, id));
}

export async function insertCopies(db: DbOrTx, rows: Array<typeof libraryCopies.$inferInsert>) {
  if (rows.length === 0) return [];
  return db.insert(libraryCopies).values(rows).returning();
}

export function listCopies(db: DbOrTx, bookId: string) {
  return db
    .select()
    .from(libraryCopies)
    .where(eq(libraryCopies.bookId, bookId))
    .orderBy(libraryCopies.barcode);
}

/** A copy in scope (through its book's organization), locked for the rest of the transaction. */
export async function lockCopyInScope(db: DbOrTx, scope: SQL, id: string): Promise<CopyRow | null> {
  const [row] = await db
    .select()
    .from(libraryCopies)
    .where(and(eq(libraryCopies.id, id), scope))
    .for('update');
  return row ?? null;
}

export async function updateCopy(db: DbOrTx, id: string, v: Partial<typeof libraryCopies.$inferInsert>) {
  const [row] = await db
    .update(libraryCopies)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(libraryCopies.id, id))
    .returning();
  return row;
}

/** Copies of a book that are lent or set aside (a book with such copies cannot be deleted). */
export async function busyCopies(db: DbOrTx, bookId: string): Promise<number> {
  const r = firstRow<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from library_copies
                          where book_id = ${bookId} and state in ('on_loan', 'on_hold')`),
  );
  return Number(r?.n ?? 0);
}

/** Organization path (for reference checks). */
export async function orgPath(db: DbOrTx, orgId: string): Promise<string | null> {
  const rows = rowsOf<{ path: string }>(
    await db.execute(sql`select path from organizations where id = ${orgId}`),
  );
  return rows[0]?.path ?? null;
}
