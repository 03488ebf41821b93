import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';

const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'restrict' });
const stamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const departments = pgTable(
  'departments',
  {
    id: id(),
    organizationId: orgId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /**
     * Head of department (a faculty member). The foreign key to faculty (ON DELETE SET NULL) is declared by
     * the faculty module in faculty.custom.sql, so that faculty → academics is the only table dependency.
     */
    headFacultyId: uuid('head_faculty_id'),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('departments_org_code_uq').on(t.organizationId, t.code),
    index('departments_head_idx').on(t.headFacultyId),
  ],
);

export const programs = pgTable(
  'programs',
  {
    id: id(),
    organizationId: orgId(),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'restrict' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    degreeType: text('degree_type'),
    /** Length of the program in semesters. */
    duration: integer('duration'),
    totalCredits: integer('total_credits'),
    minEntryScore: numeric('min_entry_score', { precision: 6, scale: 2 }),
    isActive: boolean('is_active').notNull().default(true),
    description: text('description'),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('programs_org_code_uq').on(t.organizationId, t.code),
    index('programs_department_idx').on(t.departmentId),
  ],
);

export const courses = pgTable(
  'courses',
  {
    id: id(),
    organizationId: orgId(),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    credits: numeric('credits', { precision: 4, scale: 1 }).notNull().default('0'),
    /** Course fee in minor units (cents) of `currency` (the organization's when null). */
    feeMinor: bigint('fee_minor', { mode: 'number' }).notNull().default(0),
    currency: text('currency'),
    courseType: text('course_type'),
    level: text('level'),
    isActive: boolean('is_active').notNull().default(true),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('courses_org_code_uq').on(t.organizationId, t.code),
    index('courses_department_idx').on(t.departmentId),
    check('courses_fee_check', sql`${t.feeMinor} >= 0`),
  ],
);

/** Courses that make up a program (optionally by semester). */
export const programCourses = pgTable(
  'program_courses',
  {
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    semester: integer('semester'),
    isRequired: boolean('is_required').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.programId, t.courseId] }),
    index('program_courses_course_idx').on(t.courseId),
  ],
);

export const coursePrerequisites = pgTable(
  'course_prerequisites',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    prerequisiteCourseId: uuid('prerequisite_course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.prerequisiteCourseId] }),
    index('course_prerequisites_prereq_idx').on(t.prerequisiteCourseId),
    check('course_prerequisites_not_self', sql`${t.courseId} <> ${t.prerequisiteCourseId}`),
  ],
);

/** K-12 subjects (Mathematics, English …). */
export const subjects = pgTable(
  'subjects',
  {
    id: id(),
    organizationId: orgId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    ...stamps(),
  },
  (t) => [uniqueIndex('subjects_org_code_uq').on(t.organizationId, t.code)],
);

export const academicSessionType = pgEnum('academic_session_type', [
  'school_year',
  'term',
  'semester',
  'grading_period',
]);

/** School year ▸ term / semester ▸ grading period. */
export const academicSessions = pgTable(
  'academic_sessions',
  {
    id: id(),
    organizationId: orgId(),
    parentId: uuid('parent_id').references((): AnyPgColumn => academicSessions.id, { onDelete: 'restrict' }),
    type: academicSessionType('type').notNull(),
    name: text('name').notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    ...stamps(),
  },
  (t) => [
    index('academic_sessions_org_idx').on(t.organizationId, t.startDate),
    index('academic_sessions_parent_idx').on(t.parentId),
    check('academic_sessions_dates_check', sql`${t.endDate} >= ${t.startDate}`),
  ],
);
