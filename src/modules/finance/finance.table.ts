import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { courses, programs } from '../academics/index.js';
import { classes } from '../classes/index.js';
import { enrollments } from '../enrollments/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

/**
 * Signs: charge, late_fine and refund raise what the student owes (positive); payment, concession, waiver and
 * reversal lower it (negative). A revocation cancels a concession or waiver (`reverses_entry_id`), so it
 * raises what is owed again (positive). The balance is SUM(amount_minor); nothing stores or edits a balance.
 */
export const ledgerEntryType = pgEnum('ledger_entry_type', [
  'charge',
  'payment',
  'refund',
  'concession',
  'waiver',
  'late_fine',
  'reversal',
  'revocation',
]);

export const paymentMethod = pgEnum('payment_method', [
  'cash',
  'card',
  'bank_transfer',
  'cheque',
  'online',
  'other',
]);

const orgRef = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'restrict' });

/** Fee structure: components, a due date and optional installments for a program, class or course. */
export const feeStructures = pgTable(
  'fee_structures',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    name: text('name').notNull(),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'restrict' }),
    classId: uuid('class_id').references(() => classes.id, { onDelete: 'restrict' }),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'restrict' }),
    academicYear: text('academic_year').notNull(),
    semester: integer('semester'),
    /** [{ name, amount_minor }] */
    components: jsonb('components').notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    dueDate: date('due_date').notNull(),
    /** [{ due_date, amount_minor }] as given, or null. */
    installments: jsonb('installments'),
    /** What `apply` charges: [{ no, due_date, amount_minor }] (one item when there are no installments). */
    schedule: jsonb('schedule').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('fee_structures_org_year_idx').on(t.organizationId, t.academicYear, t.semester),
    index('fee_structures_program_idx').on(t.programId),
    index('fee_structures_class_idx').on(t.classId),
    index('fee_structures_course_idx').on(t.courseId),
    check(
      'fee_structures_one_target_check',
      sql`num_nonnulls(${t.programId}, ${t.classId}, ${t.courseId}) = 1`,
    ),
    check('fee_structures_total_check', sql`${t.totalMinor} >= 0`),
  ],
);

/** Money received. Its ledger entry (type payment) and refunds (type refund) reference it. */
export const feePayments = pgTable(
  'fee_payments',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    method: paymentMethod('method').notNull(),
    reference: text('reference'),
    feeStructureId: uuid('fee_structure_id').references(() => feeStructures.id, { onDelete: 'restrict' }),
    /** desk (staff), external (finance/record-payment), self (student). */
    source: text('source').notNull(),
    receiptNo: text('receipt_no').notNull(),
    receiptYear: integer('receipt_year').notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('fee_payments_org_receipt_no_uq').on(t.organizationId, t.receiptNo),
    index('fee_payments_org_paid_idx').on(t.organizationId, t.paidAt, t.id),
    index('fee_payments_student_idx').on(t.studentId, t.paidAt),
    index('fee_payments_fee_structure_idx').on(t.feeStructureId),
    check('fee_payments_amount_check', sql`${t.amountMinor} > 0`),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`)
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    entryType: ledgerEntryType('entry_type').notNull(),
    /** Signed minor units (see ledgerEntryType). */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    enrollmentId: uuid('enrollment_id').references(() => enrollments.id, { onDelete: 'restrict' }),
    feeStructureId: uuid('fee_structure_id').references(() => feeStructures.id, { onDelete: 'restrict' }),
    installmentNo: integer('installment_no'),
    paymentId: uuid('payment_id').references(() => feePayments.id, { onDelete: 'restrict' }),
    dueDate: date('due_date'),
    reason: text('reason'),
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** A revocation: the concession or waiver it cancels. */
    reversesEntryId: uuid('reverses_entry_id').references((): AnyPgColumn => ledgerEntries.id, {
      onDelete: 'restrict',
    }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Idempotency of automatic charges: one fee charge and at most one reversal per enrollment; a fee
    // structure charges each student once per installment; a payment has one payment entry.
    uniqueIndex('ledger_entries_enrollment_charge_uq')
      .on(t.enrollmentId)
      .where(sql`${t.entryType} = 'charge' and ${t.enrollmentId} is not null`),
    uniqueIndex('ledger_entries_enrollment_reversal_uq')
      .on(t.enrollmentId)
      .where(sql`${t.entryType} = 'reversal' and ${t.enrollmentId} is not null`),
    uniqueIndex('ledger_entries_fee_structure_charge_uq')
      .on(t.studentId, t.feeStructureId, t.installmentNo)
      .where(sql`${t.entryType} = 'charge' and ${t.feeStructureId} is not null`),
    uniqueIndex('ledger_entries_payment_uq').on(t.paymentId).where(sql`${t.entryType} = 'payment'`),
    // A concession or waiver is revoked at most once.
    uniqueIndex('ledger_entries_revocation_uq')
      .on(t.reversesEntryId)
      .where(sql`${t.reversesEntryId} is not null`),
    index('ledger_entries_student_occurred_idx').on(t.studentId, t.occurredAt, t.id),
    index('ledger_entries_org_student_idx').on(t.organizationId, t.studentId),
    // Fee collection reports: an organization's payments and refunds over a period.
    index('ledger_entries_org_occurred_idx').on(t.organizationId, t.occurredAt),
    index('ledger_entries_payment_idx').on(t.paymentId),
    index('ledger_entries_fee_structure_idx').on(t.feeStructureId),
    check(
      'ledger_entries_sign_check',
      // Compared as text: the migration that adds 'revocation' to the enum may not use the new value itself.
      sql`(${t.entryType}::text in ('charge', 'late_fine', 'refund', 'revocation') and ${t.amountMinor} > 0)
       or (${t.entryType}::text in ('payment', 'concession', 'waiver', 'reversal') and ${t.amountMinor} < 0)`,
    ),
    check(
      'ledger_entries_revocation_check',
      sql`(${t.entryType}::text = 'revocation') = (${t.reversesEntryId} is not null)`,
    ),
  ],
);

/** A repeated `Idempotency-Key` returns the stored first response instead of paying twice. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    endpoint: text('endpoint').notNull(),
    key: text('key').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_org_endpoint_key_uq').on(t.organizationId, t.endpoint, t.key),
    // The retention purge (finance-housekeeping.ts) deletes the oldest first.
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

/** Gapless receipt numbers: one counter row per organization and year, bumped inside the payment tx. */
export const receiptCounters = pgTable(
  'receipt_counters',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    lastNo: integer('last_no').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.year] })],
);

/** Per-organization finance rules (an organization without a row uses the defaults). */
export const financeSettings = pgTable('finance_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** A drop within this many days of the class start (session start, else enrollment) reverses the fee. */
  refundDeadlineDays: integer('refund_deadline_days').notNull().default(14),
  /** Enrollment charges fall due this many days after enrolling. */
  paymentDueDays: integer('payment_due_days').notNull().default(30),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
