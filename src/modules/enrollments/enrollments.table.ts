import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { programs } from '../academics/index.js';
import { classes } from '../classes/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

export const enrollmentStatus = pgEnum('enrollment_status', ['enrolled', 'dropped', 'completed']);

/** A student in a class. Dropping keeps the row (history); at most one active row per student and class. */
export const enrollments = pgTable(
  'enrollments',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    status: enrollmentStatus('status').notNull().default('enrolled'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    droppedAt: timestamp('dropped_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    dropReason: text('drop_reason'),
    /** Final result once known: letter grade, grade points and pass/fail (prerequisite checks use `passed`). */
    finalGrade: text('final_grade'),
    gradePoints: numeric('grade_points', { precision: 4, scale: 2 }),
    passed: boolean('passed'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The student's last and first name, copied by triggers (enrollments.custom.sql: set on insert and on a
     * change of student, followed when the student is renamed), never written by the application: the class
     * roster walks `enrollments_roster_idx` in name order and stops at the page, whatever the school's size.
     */
    studentLastName: text('student_last_name').notNull().default(''),
    studentFirstName: text('student_first_name').notNull().default(''),
  },
  (t) => [
    index('enrollments_roster_idx').on(t.classId, t.status, t.studentLastName, t.studentFirstName, t.id),
    uniqueIndex('enrollments_active_uq').on(t.studentId, t.classId).where(sql`${t.status} = 'enrolled'`),
    index('enrollments_class_status_idx').on(t.classId, t.status),
    index('enrollments_student_status_idx').on(t.studentId, t.status),
    index('enrollments_org_idx').on(t.organizationId, t.createdAt),
    index('enrollments_created_by_idx').on(t.createdBy),
  ],
);

export const programEnrollmentStatus = pgEnum('program_enrollment_status', [
  'active',
  'completed',
  'withdrawn',
  'suspended',
]);

/** Admission of a student to a program. */
export const programEnrollments = pgTable(
  'program_enrollments',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'restrict' }),
    status: programEnrollmentStatus('status').notNull().default('active'),
    admissionDate: date('admission_date').notNull().defaultNow(),
    batchYear: integer('batch_year'),
    /** Entry score presented at admission (checked against the program's min_entry_score). */
    entryScore: numeric('entry_score', { precision: 6, scale: 2 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('program_enrollments_active_uq')
      .on(t.studentId, t.programId)
      .where(sql`${t.status} = 'active'`),
    index('program_enrollments_program_idx').on(t.programId, t.status),
    index('program_enrollments_student_idx').on(t.studentId),
    index('program_enrollments_org_idx').on(t.organizationId, t.createdAt),
  ],
);
