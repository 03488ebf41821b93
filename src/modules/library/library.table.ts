import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { departments } from '../academics/index.js';
import { faculty, staff } from '../faculty/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

/** Who borrows: each category has its own circulation rule. */
export const libraryPatronType = pgEnum('library_patron_type', ['student', 'faculty', 'staff']);
/** on_hold: set aside for the first waiting hold (ready for pickup). */
export const libraryCopyState = pgEnum('library_copy_state', [
  'available',
  'on_loan',
  'on_hold',
  'lost',
  'withdrawn',
]);
export const libraryHoldStatus = pgEnum('library_hold_status', [
  'waiting',
  'ready',
  'fulfilled',
  'cancelled',
  /** A ready hold not picked up by its pickup date; its copy went to the next hold or the shelf. */
  'expired',
]);
/** waived: nothing outstanding and part or all of it was waived by the desk (with a reason). */
export const libraryFineStatus = pgEnum('library_fine_status', ['outstanding', 'paid', 'waived']);

const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());
const orgRef = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'restrict' });
const created = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updated = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** The patron columns shared by loans, holds and fines: exactly one of the three is set. */
const patronCols = () => ({
  patronType: libraryPatronType('patron_type').notNull(),
  studentId: uuid('student_id').references(() => students.id, { onDelete: 'restrict' }),
  facultyId: uuid('faculty_id').references(() => faculty.id, { onDelete: 'restrict' }),
  staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'restrict' }),
});
const patronCheck = (name: string) =>
  check(
    name,
    sql`(patron_type = 'student' and student_id is not null and faculty_id is null and staff_id is null)
     or (patron_type = 'faculty' and faculty_id is not null and student_id is null and staff_id is null)
     or (patron_type = 'staff' and staff_id is not null and student_id is null and faculty_id is null)`,
  );

/** A title in an organization's catalogue; its copies are the physical items. */
export const libraryBooks = pgTable(
  'library_books',
  {
    id: id(),
    organizationId: orgRef(),
    /** Normalised ISBN-10 or ISBN-13 (digits, final X for ISBN-10), checksum-validated; null for old books. */
    isbn: text('isbn'),
    title: text('title').notNull(),
    author: text('author').notNull(),
    category: text('category'),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    isReference: boolean('is_reference').notNull().default(false),
    publisher: text('publisher'),
    publicationYear: integer('publication_year'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('library_books_org_isbn_uq').on(t.organizationId, t.isbn).where(sql`${t.deletedAt} is null`),
    index('library_books_org_title_idx')
      .on(t.organizationId, t.title, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('library_books_org_category_idx')
      .on(t.organizationId, t.category, t.title)
      .where(sql`${t.deletedAt} is null`),
    index('library_books_department_idx').on(t.departmentId),
    // Trigram index for search by title, author or ISBN (the query repeats this expression verbatim).
    index('library_books_search_trgm_idx').using(
      'gin',
      sql`(lower(${t.title} || ' ' || ${t.author} || ' ' || coalesce(${t.isbn}, ''))) gin_trgm_ops`,
    ),
  ],
);

/** One physical item: its own barcode (accession number), unique per organization. */
export const libraryCopies = pgTable(
  'library_copies',
  {
    id: id(),
    organizationId: orgRef(),
    bookId: uuid('book_id')
      .notNull()
      .references(() => libraryBooks.id, { onDelete: 'restrict' }),
    barcode: text('barcode').notNull(),
    state: libraryCopyState('state').notNull().default('available'),
    shelfLocation: text('shelf_location'),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('library_copies_org_barcode_uq').on(t.organizationId, t.barcode),
    // Issue picks an available copy of a book; counts of available copies per book.
    index('library_copies_book_state_idx').on(t.bookId, t.state),
  ],
);

/** Circulation rule of an organization for one patron category; sub-organizations inherit the nearest. */
export const libraryRules = pgTable(
  'library_rules',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    patronType: libraryPatronType('patron_type').notNull(),
    loanDays: integer('loan_days').notNull(),
    maxLoans: integer('max_loans').notNull(),
    maxRenewals: integer('max_renewals').notNull(),
    finePerDayMinor: bigint('fine_per_day_minor', { mode: 'number' }).notNull(),
    graceDays: integer('grace_days').notNull(),
    /** Cap of one loan's fine; null = no cap. */
    maxFineMinor: bigint('max_fine_minor', { mode: 'number' }),
    holdPickupDays: integer('hold_pickup_days').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('library_rules_org_patron_uq').on(t.organizationId, t.patronType),
    check(
      'library_rules_values_check',
      sql`${t.loanDays} > 0 and ${t.maxLoans} >= 0 and ${t.maxRenewals} >= 0 and ${t.finePerDayMinor} >= 0
          and ${t.graceDays} >= 0 and (${t.maxFineMinor} is null or ${t.maxFineMinor} >= 0)
          and ${t.holdPickupDays} > 0`,
    ),
  ],
);

/** A loan of one copy to one patron. At most one open loan per copy (unique partial index). */
export const libraryLoans = pgTable(
  'library_loans',
  {
    id: id(),
    organizationId: orgRef(),
    copyId: uuid('copy_id')
      .notNull()
      .references(() => libraryCopies.id, { onDelete: 'restrict' }),
    bookId: uuid('book_id')
      .notNull()
      .references(() => libraryBooks.id, { onDelete: 'restrict' }),
    ...patronCols(),
    issueDate: date('issue_date').notNull(),
    dueDate: date('due_date').notNull(),
    returnDate: date('return_date'),
    renewals: integer('renewals').notNull().default(0),
    /** Declared lost by the desk (the loan is closed that day and the copy marked lost). */
    lostAt: timestamp('lost_at', { withTimezone: true }),
    /** Replacement charge of a lost copy (minor units, in `replacement_currency`); students: on the ledger. */
    replacementMinor: bigint('replacement_minor', { mode: 'number' }),
    replacementCurrency: text('replacement_currency'),
    replacementLedgerEntryId: uuid('replacement_ledger_entry_id'),
    issuedBy: uuid('issued_by').references(() => users.id, { onDelete: 'set null' }),
    returnedBy: uuid('returned_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('library_loans_open_copy_uq').on(t.copyId).where(sql`${t.returnDate} is null`),
    index('library_loans_org_due_open_idx')
      .on(t.organizationId, t.dueDate)
      .where(sql`${t.returnDate} is null`),
    index('library_loans_org_issue_idx').on(t.organizationId, t.issueDate),
    index('library_loans_student_idx').on(t.studentId, t.returnDate),
    index('library_loans_faculty_idx').on(t.facultyId, t.returnDate),
    index('library_loans_staff_idx').on(t.staffId, t.returnDate),
    index('library_loans_book_idx').on(t.bookId),
    check('library_loans_dates_check', sql`${t.dueDate} >= ${t.issueDate}`),
    patronCheck('library_loans_patron_check'),
  ],
);

/** A reservation of a title; the queue is the waiting holds of a book in placed_at order. */
export const libraryHolds = pgTable(
  'library_holds',
  {
    id: id(),
    organizationId: orgRef(),
    bookId: uuid('book_id')
      .notNull()
      .references(() => libraryBooks.id, { onDelete: 'restrict' }),
    ...patronCols(),
    status: libraryHoldStatus('status').notNull().default('waiting'),
    /** The copy set aside when the hold became ready. */
    copyId: uuid('copy_id').references(() => libraryCopies.id, { onDelete: 'set null' }),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    pickupBy: date('pickup_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    loanId: uuid('loan_id').references(() => libraryLoans.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('library_holds_book_queue_idx').on(t.bookId, t.status, t.placedAt),
    index('library_holds_org_status_idx').on(t.organizationId, t.status, t.placedAt),
    index('library_holds_ready_pickup_idx').on(t.pickupBy).where(sql`${t.status} = 'ready'`),
    index('library_holds_student_idx').on(t.studentId),
    index('library_holds_faculty_idx').on(t.facultyId),
    index('library_holds_staff_idx').on(t.staffId),
    index('library_holds_copy_idx').on(t.copyId),
    // One open hold per patron and book.
    uniqueIndex('library_holds_open_patron_uq')
      .on(t.bookId, sql`coalesce(${t.studentId}, ${t.facultyId}, ${t.staffId})`)
      .where(sql`${t.status} in ('waiting', 'ready')`),
    patronCheck('library_holds_patron_check'),
  ],
);

/**
 * The overdue fine of one loan. For a student it is also a `late_fine` charge on the finance ledger
 * (`ledger_entry_id`) and is paid through the finance payment path; faculty/staff fines live here only.
 */
export const libraryFines = pgTable(
  'library_fines',
  {
    id: id(),
    organizationId: orgRef(),
    loanId: uuid('loan_id')
      .notNull()
      .references(() => libraryLoans.id, { onDelete: 'restrict' }),
    ...patronCols(),
    daysLate: integer('days_late').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    paidMinor: bigint('paid_minor', { mode: 'number' }).notNull().default(0),
    /** What the desk waived (a reason is required); outstanding = amount − paid − waived. */
    waivedMinor: bigint('waived_minor', { mode: 'number' }).notNull().default(0),
    waiveReason: text('waive_reason'),
    waivedBy: uuid('waived_by').references(() => users.id, { onDelete: 'set null' }),
    waivedAt: timestamp('waived_at', { withTimezone: true }),
    currency: text('currency').notNull(),
    status: libraryFineStatus('status').notNull().default('outstanding'),
    ledgerEntryId: uuid('ledger_entry_id'),
    /** Last finance payment (students) that went to this fine. */
    paymentId: uuid('payment_id'),
    /** Faculty/staff: the desk's settlement (method, reference, Idempotency-Key). */
    settlementMethod: text('settlement_method'),
    settlementReference: text('settlement_reference'),
    settlementKey: text('settlement_key'),
    settledBy: uuid('settled_by').references(() => users.id, { onDelete: 'set null' }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('library_fines_loan_uq').on(t.loanId),
    index('library_fines_org_status_idx').on(t.organizationId, t.status, t.createdAt),
    index('library_fines_student_idx').on(t.studentId),
    index('library_fines_faculty_idx').on(t.facultyId),
    index('library_fines_staff_idx').on(t.staffId),
    check(
      'library_fines_amount_check',
      sql`${t.amountMinor} > 0 and ${t.paidMinor} >= 0 and ${t.waivedMinor} >= 0
          and ${t.paidMinor} + ${t.waivedMinor} <= ${t.amountMinor}`,
    ),
    patronCheck('library_fines_patron_check'),
  ],
);
