import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
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
import { academicSessions, courses } from '../academics/index.js';
import { classes } from '../classes/index.js';
import { enrollments } from '../enrollments/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

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

/** One band of a grading scale: from `min_percent` up to the next band, this letter and these points. */
export interface ScaleBand {
  letter: string;
  min_percent: number;
  grade_points: number;
  is_passing: boolean;
}

export const roundingMode = pgEnum('grade_rounding_mode', ['half_up', 'half_even', 'floor', 'ceil']);

/**
 * A grading scale: bands and a rounding rule. Built-in scales (organization_id null, is_builtin) are shared by
 * every organization; an organization defines its own beside them.
 */
export const gradingScales = pgTable(
  'grading_scales',
  {
    id: id(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    bands: jsonb('bands').$type<ScaleBand[]>().notNull(),
    roundingMode: roundingMode('rounding_mode').notNull().default('half_up'),
    roundingDecimals: integer('rounding_decimals').notNull().default(2),
    /** Failed attempts count in the GPA (zero points over their credits); false leaves them out of it. */
    countFailedInGpa: boolean('count_failed_in_gpa').notNull().default(true),
    isBuiltin: boolean('is_builtin').notNull().default(false),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('grading_scales_org_code_uq').on(t.organizationId, t.code),
    check('grading_scales_decimals_check', sql`${t.roundingDecimals} between 0 and 4`),
  ],
);

/** The per-course override of the grading scale (the courses table belongs to academics). */
export const courseGradingScales = pgTable(
  'course_grading_scales',
  {
    courseId: uuid('course_id')
      .primaryKey()
      .references(() => courses.id, { onDelete: 'cascade' }),
    gradingScaleId: uuid('grading_scale_id')
      .notNull()
      .references(() => gradingScales.id, { onDelete: 'restrict' }),
    organizationId: orgId(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('course_grading_scales_scale_idx').on(t.gradingScaleId)],
);

export const repeatPolicy = pgEnum('grade_repeat_policy', ['best', 'latest']);

/** Grading settings of an organization; the nearest organization on the path that has a row applies. */
export const gradeSettings = pgTable('grade_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  defaultGradingScaleId: uuid('default_grading_scale_id').references(() => gradingScales.id, {
    onDelete: 'set null',
  }),
  repeatPolicy: repeatPolicy('repeat_policy').notNull().default('best'),
  /** Minimum term GPA for the honor roll. */
  honorRollMinGpa: numeric('honor_roll_min_gpa', { precision: 5, scale: 2 }).notNull().default('3.50'),
  /** Minimum credits earned in the term for the honor roll. */
  honorRollMinCredits: numeric('honor_roll_min_credits', { precision: 6, scale: 1 }).notNull().default('0'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Gradebook categories of a class with their weights (Homework 30, Quizzes 30, Tests 40). */
export const assessmentCategories = pgTable(
  'assessment_categories',
  {
    id: id(),
    organizationId: orgId(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    weight: numeric('weight', { precision: 6, scale: 2 }).notNull(),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('assessment_categories_class_name_uq').on(t.classId, t.name),
    index('assessment_categories_org_idx').on(t.organizationId),
    check('assessment_categories_weight_check', sql`${t.weight} >= 0`),
  ],
);

export const assessmentType = pgEnum('assessment_type', [
  'quiz',
  'assignment',
  'midterm',
  'final',
  'exam',
  'project',
  'practical',
]);

/** One graded piece of work in a class: a quiz, an assignment, an exam. */
export const assessments = pgTable(
  'assessments',
  {
    id: id(),
    organizationId: orgId(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    categoryId: uuid('category_id').references(() => assessmentCategories.id, { onDelete: 'set null' }),
    academicSessionId: uuid('academic_session_id').references(() => academicSessions.id, {
      onDelete: 'restrict',
    }),
    name: text('name').notNull(),
    assessmentType: assessmentType('assessment_type').notNull(),
    maxMarks: numeric('max_marks', { precision: 8, scale: 2 }).notNull(),
    weight: numeric('weight', { precision: 6, scale: 2 }),
    assessmentDate: date('assessment_date'),
    description: text('description'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    index('assessments_class_date_idx').on(t.classId, t.assessmentDate),
    index('assessments_org_type_idx').on(t.organizationId, t.assessmentType),
    index('assessments_category_idx').on(t.categoryId),
    index('assessments_session_idx').on(t.academicSessionId),
    index('assessments_created_by_idx').on(t.createdBy),
    check('assessments_max_marks_check', sql`${t.maxMarks} > 0`),
    check('assessments_weight_check', sql`${t.weight} is null or ${t.weight} >= 0`),
  ],
);

export const markState = pgEnum('mark_state', ['scored', 'missing', 'excused', 'absent']);

/** A student's mark on one assessment; `version` grows with every change (optimistic concurrency). */
export const assessmentMarks = pgTable(
  'assessment_marks',
  {
    id: id(),
    organizationId: orgId(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    marks: numeric('marks', { precision: 8, scale: 2 }),
    state: markState('state').notNull().default('scored'),
    comment: text('comment'),
    gradedBy: uuid('graded_by').references(() => users.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('assessment_marks_assessment_student_uq').on(t.assessmentId, t.studentId),
    index('assessment_marks_student_idx').on(t.studentId, t.classId),
    index('assessment_marks_class_idx').on(t.classId),
    index('assessment_marks_graded_by_idx').on(t.gradedBy),
    check(
      'assessment_marks_state_check',
      sql`(${t.state} = 'scored' and ${t.marks} is not null and ${t.marks} >= 0) or (${t.state} <> 'scored' and ${t.marks} is null)`,
    ),
  ],
);

export const gradeStatus = pgEnum('grade_status', ['draft', 'posted']);
export const attemptType = pgEnum('grade_attempt_type', [
  'regular',
  'repeat',
  'improvement',
  'supplementary',
]);

/**
 * A student's course grade in a class. Draft grades are the teacher's; publishing freezes the values
 * (percent, letter, points, credits) as posted copies, independent of later gradebook changes.
 */
export const grades = pgTable(
  'grades',
  {
    id: id(),
    organizationId: orgId(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    enrollmentId: uuid('enrollment_id').references(() => enrollments.id, { onDelete: 'set null' }),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'restrict' }),
    academicSessionId: uuid('academic_session_id').references(() => academicSessions.id, {
      onDelete: 'restrict',
    }),
    assessmentId: uuid('assessment_id').references(() => assessments.id, { onDelete: 'set null' }),
    gradingScaleId: uuid('grading_scale_id').references(() => gradingScales.id, { onDelete: 'restrict' }),
    /** The student's semester number when the grade was given (seed 004's `semester`). */
    semesterNo: integer('semester_no'),
    attemptType: attemptType('attempt_type').notNull().default('regular'),
    percent: numeric('percent', { precision: 7, scale: 3 }),
    letter: text('letter').notNull(),
    gradePoints: numeric('grade_points', { precision: 5, scale: 2 }).notNull(),
    isPassing: boolean('is_passing').notNull(),
    creditsAttempted: numeric('credits_attempted', { precision: 5, scale: 1 }).notNull(),
    creditsEarned: numeric('credits_earned', { precision: 5, scale: 1 }).notNull(),
    remarks: text('remarks'),
    status: gradeStatus('status').notNull().default('draft'),
    gradedBy: uuid('graded_by').references(() => users.id, { onDelete: 'set null' }),
    postedBy: uuid('posted_by').references(() => users.id, { onDelete: 'set null' }),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('grades_student_class_attempt_uq').on(t.studentId, t.classId, t.attemptType),
    index('grades_class_status_idx').on(t.classId, t.status),
    index('grades_student_status_idx').on(t.studentId, t.status),
    index('grades_session_idx').on(t.academicSessionId, t.status),
    index('grades_course_idx').on(t.courseId),
    index('grades_enrollment_idx').on(t.enrollmentId),
    index('grades_assessment_idx').on(t.assessmentId),
    index('grades_scale_idx').on(t.gradingScaleId),
    index('grades_org_idx').on(t.organizationId, t.createdAt),
  ],
);

/** The change log of posted grades: who changed what, from which value to which, and why. */
export const gradeChanges = pgTable(
  'grade_changes',
  {
    id: id(),
    organizationId: orgId(),
    gradeId: uuid('grade_id')
      .notNull()
      .references(() => grades.id, { onDelete: 'restrict' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    oldValue: jsonb('old_value').notNull(),
    newValue: jsonb('new_value').notNull(),
    reason: text('reason').notNull(),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grade_changes_org_idx').on(t.organizationId, t.changedAt),
    index('grade_changes_grade_idx').on(t.gradeId, t.changedAt),
    index('grade_changes_student_idx').on(t.studentId),
    index('grade_changes_changed_by_idx').on(t.changedBy),
  ],
);

/** A student's stored result of one term/semester, written when its grades are published. */
export const semesterResults = pgTable(
  'semester_results',
  {
    organizationId: orgId(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    academicSessionId: uuid('academic_session_id')
      .notNull()
      .references(() => academicSessions.id, { onDelete: 'restrict' }),
    sgpa: numeric('sgpa', { precision: 5, scale: 2 }),
    creditsAttempted: numeric('credits_attempted', { precision: 6, scale: 1 }).notNull(),
    creditsEarned: numeric('credits_earned', { precision: 6, scale: 1 }).notNull(),
    qualityPoints: numeric('quality_points', { precision: 8, scale: 2 }).notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.studentId, t.academicSessionId] }),
    index('semester_results_session_idx').on(t.academicSessionId, t.sgpa),
    index('semester_results_org_idx').on(t.organizationId),
  ],
);

/** Credits and grades from a prior school, counting toward the CGPA where `counts_in_gpa`. */
export const transferGrades = pgTable(
  'transfer_grades',
  {
    id: id(),
    organizationId: orgId(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    institutionName: text('institution_name').notNull(),
    courseCode: text('course_code'),
    courseTitle: text('course_title').notNull(),
    /** An equivalent local course, when one was granted (repeat rules then treat both as one course). */
    equivalentCourseId: uuid('equivalent_course_id').references(() => courses.id, { onDelete: 'set null' }),
    termLabel: text('term_label'),
    credits: numeric('credits', { precision: 5, scale: 1 }).notNull(),
    letter: text('letter').notNull(),
    gradePoints: numeric('grade_points', { precision: 5, scale: 2 }).notNull(),
    isPassing: boolean('is_passing').notNull().default(true),
    countsInGpa: boolean('counts_in_gpa').notNull().default(false),
    completedOn: date('completed_on'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    index('transfer_grades_student_idx').on(t.studentId),
    index('transfer_grades_org_idx').on(t.organizationId, t.createdAt),
    index('transfer_grades_course_idx').on(t.equivalentCourseId),
    index('transfer_grades_created_by_idx').on(t.createdBy),
    check('transfer_grades_credits_check', sql`${t.credits} >= 0`),
  ],
);
