import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { departments } from '../academics/index.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

export const facultyStatus = pgEnum('faculty_status', [
  'active',
  'on_leave',
  'retired',
  'terminated',
  'inactive',
]);
export const employmentType = pgEnum('employment_type', ['full_time', 'part_time', 'contract', 'visiting']);

/** Teachers / faculty members; each has a login user with the faculty role. */
export const faculty = pgTable(
  'faculty',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    employeeId: text('employee_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    departmentId: uuid('department_id').references((): AnyPgColumn => departments.id, {
      onDelete: 'set null',
    }),
    designation: text('designation'),
    facultyStatus: facultyStatus('faculty_status').notNull().default('active'),
    employmentType: employmentType('employment_type').notNull().default('full_time'),
    isHod: boolean('is_hod').notNull().default(false),
    joiningDate: date('joining_date'),
    qualification: text('qualification'),
    specialization: text('specialization'),
    /** Storage key of the photo; never returned by the API. */
    photoKey: text('photo_key'),
    photoContentType: text('photo_content_type'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('faculty_org_employee_id_uq').on(t.organizationId, t.employeeId),
    uniqueIndex('faculty_user_uq').on(t.userId),
    index('faculty_department_idx').on(t.departmentId),
    index('faculty_org_name_idx').on(t.organizationId, t.lastName, t.firstName),
    // GET /faculty?search=: ILIKE '%term%' on each searched expression is served by its trigram index
    // (a BitmapOr), the expressions exactly as faculty.repo.ts list writes them.
    index('faculty_name_trgm_idx').using('gin', sql`(${t.firstName} || ' ' || ${t.lastName}) gin_trgm_ops`),
    index('faculty_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
    index('faculty_employee_id_trgm_idx').using('gin', sql`${t.employeeId} gin_trgm_ops`),
    index('faculty_designation_trgm_idx').using('gin', sql`${t.designation} gin_trgm_ops`),
  ],
);

export const staffStatus = pgEnum('staff_status', ['active', 'on_leave', 'inactive', 'terminated']);

/** Non-teaching staff (registrar's office, finance desk …); login user with the staff role. */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    employeeId: text('employee_id').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    departmentId: uuid('department_id').references((): AnyPgColumn => departments.id, {
      onDelete: 'set null',
    }),
    jobTitle: text('job_title'),
    staffStatus: staffStatus('staff_status').notNull().default('active'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('staff_org_employee_id_uq').on(t.organizationId, t.employeeId),
    uniqueIndex('staff_user_uq').on(t.userId),
    index('staff_org_name_idx').on(t.organizationId, t.lastName, t.firstName),
    // GET /staff?search=: as for faculty, one trigram index per searched expression (faculty-staff.repo.ts).
    index('staff_name_trgm_idx').using('gin', sql`(${t.firstName} || ' ' || ${t.lastName}) gin_trgm_ops`),
    index('staff_email_trgm_idx').using('gin', sql`${t.email} gin_trgm_ops`),
    index('staff_employee_id_trgm_idx').using('gin', sql`${t.employeeId} gin_trgm_ops`),
    index('staff_job_title_trgm_idx').using('gin', sql`${t.jobTitle} gin_trgm_ops`),
  ],
);
