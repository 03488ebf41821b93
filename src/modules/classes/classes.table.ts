import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { academicSessions, courses, subjects } from '../academics/index.js';
import { faculty } from '../faculty/index.js';
import { organizations } from '../organizations/index.js';

/** A course offering / section / K-12 class: the unit students enroll in and teachers teach. */
export const classes = pgTable(
  'classes',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'restrict' }),
    subjectId: uuid('subject_id').references(() => subjects.id, { onDelete: 'restrict' }),
    gradeLevel: text('grade_level'),
    section: text('section'),
    academicSessionId: uuid('academic_session_id').references(() => academicSessions.id, {
      onDelete: 'restrict',
    }),
    /** Maximum active enrollments; null = unlimited. */
    capacity: integer('capacity'),
    room: text('room'),
    allowSelfEnrollment: boolean('allow_self_enrollment').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('classes_org_name_idx').on(t.organizationId, t.name),
    index('classes_course_idx').on(t.courseId),
    index('classes_subject_idx').on(t.subjectId),
    index('classes_session_idx').on(t.academicSessionId),
    check('classes_capacity_check', sql`${t.capacity} is null or ${t.capacity} >= 0`),
  ],
);

/** The faculty member teaches the class (optionally a subject within it). */
export const teachingAssignments = pgTable(
  'teaching_assignments',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    facultyId: uuid('faculty_id')
      .notNull()
      .references(() => faculty.id, { onDelete: 'cascade' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    subjectId: uuid('subject_id').references(() => subjects.id, { onDelete: 'set null' }),
    role: text('role').notNull().default('teacher'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One assignment per class, faculty member and subject: a teacher may teach several subjects in a class
    // (and at most one assignment without a subject: nulls are not distinct).
    unique('teaching_assignments_class_faculty_subject_uq')
      .on(t.classId, t.facultyId, t.subjectId)
      .nullsNotDistinct(),
    index('teaching_assignments_faculty_idx').on(t.facultyId),
    index('teaching_assignments_subject_idx').on(t.subjectId),
  ],
);
