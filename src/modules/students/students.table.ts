import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { departments, programs } from '../academics/index.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

export const studentStatus = pgEnum('student_status', [
  'active',
  'inactive',
  'graduated',
  'suspended',
  'withdrawn',
]);

/** Numbers of self-registered students (`REG-<year>-<n>`). */
export const studentRegistrationSeq = pgSequence('student_registration_seq', { startWith: 1 });

/**
 * A student profile. The login user (student role scoped to the organization) is optional: young children
 * and families sharing one email have none, and `POST /students/{id}/account` adds one later. Email is
 * optional too (the login's email when there is one).
 */
export const students = pgTable(
  'students',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    studentNumber: text('student_number').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    dateOfBirth: date('date_of_birth'),
    gender: text('gender'),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    batchYear: integer('batch_year'),
    semester: integer('semester'),
    gradeLevel: text('grade_level'),
    category: text('category'),
    rollNo: text('roll_no'),
    address: text('address'),
    admissionDate: date('admission_date'),
    studentStatus: studentStatus('student_status').notNull().default('active'),
    /** Storage key of the photo; never returned by the API. */
    photoKey: text('photo_key'),
    photoContentType: text('photo_content_type'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('students_org_student_number_uq').on(t.organizationId, t.studentNumber),
    uniqueIndex('students_user_uq').on(t.userId),
    // The list's default order and its filters: each filter is an equality prefix before the sort keys.
    // Partial (live rows only): every list excludes soft-deleted students, and the count of a page can then
    // be answered from the index alone.
    index('students_org_name_idx')
      .on(t.organizationId, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('students_org_status_name_idx')
      .on(t.organizationId, t.studentStatus, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    // Department and program stay full (not partial): they also serve the foreign keys' ON DELETE SET NULL.
    index('students_department_idx').on(t.departmentId, t.lastName, t.firstName, t.id),
    index('students_program_idx').on(t.programId, t.lastName, t.firstName, t.id),
    index('students_org_batch_idx')
      .on(t.organizationId, t.batchYear, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('students_org_semester_idx')
      .on(t.organizationId, t.semester, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('students_org_category_idx')
      .on(t.organizationId, t.category, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    // Name order without the organization: a scope over several organizations (a district admin over its
    // schools) walks this in list order and stops after one page instead of sorting the whole district.
    index('students_name_idx').on(t.lastName, t.firstName, t.id).where(sql`${t.deletedAt} is null`),
    // Narrow and heavily deduplicated: answers the list's count(*) for a whole tenant (or one status) from
    // the index alone, where the wide sort indexes would lose to a sequential scan.
    index('students_org_status_idx').on(t.organizationId, t.studentStatus).where(sql`${t.deletedAt} is null`),
    index('students_org_roll_idx').on(t.organizationId, t.rollNo),
    // Trigram index for `search` (name, number, email) with ILIKE '%term%'; the email may be null.
    index('students_search_trgm_idx').using(
      'gin',
      sql`(lower(${t.firstName} || ' ' || ${t.lastName} || ' ' || ${t.studentNumber} || ' ' || coalesce(${t.email}, ''))) gin_trgm_ops`,
    ),
  ],
);

/** Parents / guardians; `user_id` is their login (parent role) when they have one. */
export const guardians = pgTable(
  'guardians',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    occupation: text('occupation'),
    /** The guardian's id in the school's previous system: the natural key of guardian imports. */
    externalId: text('external_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('guardians_org_name_idx').on(t.organizationId, t.lastName, t.firstName),
    uniqueIndex('guardians_org_external_id_uq')
      .on(t.organizationId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    uniqueIndex('guardians_user_uq').on(t.userId),
  ],
);

export const studentGuardians = pgTable(
  'student_guardians',
  {
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    guardianId: uuid('guardian_id')
      .notNull()
      .references(() => guardians.id, { onDelete: 'cascade' }),
    relationship: text('relationship').notNull().default('guardian'),
    isPrimary: boolean('is_primary').notNull().default(false),
    receivesNotifications: boolean('receives_notifications').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.studentId, t.guardianId] }),
    index('student_guardians_guardian_idx').on(t.guardianId),
  ],
);
