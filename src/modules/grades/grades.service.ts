import { eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './grades.repo.js';
import type { GradeInputT, GradeT, ListGradesQueryT, UpdateGradeT } from './grades.schemas.js';
import { gradeChanges, grades } from './grades.table.js';
import { bandFor, courseAverage, type Scale } from './grades-gpa.js';
import { gradebookData } from './grades-gradebook.repo.js';
import { storeSemesterResults } from './grades-results.service.js';
import { scaleFor, scalesByIds } from './grades-scales.repo.js';

const num = (v: string | null) => (v === null ? null : Number(v));

export function toGrade(r: repo.GradeRow): GradeT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    student_id: r.studentId,
    class_id: r.classId,
    enrollment_id: r.enrollmentId,
    course_id: r.courseId,
    academic_session_id: r.academicSessionId,
    assessment_id: r.assessmentId,
    grading_scale_id: r.gradingScaleId,
    semester_no: r.semesterNo,
    attempt_type: r.attemptType,
    percent: num(r.percent),
    letter: r.letter,
    grade_points: Number(r.gradePoints),
    is_passing: r.isPassing,
    credits_attempted: Number(r.creditsAttempted),
    credits_earned: Number(r.creditsEarned),
    remarks: r.remarks,
    status: r.status,
    graded_by: r.gradedBy,
    posted_by: r.postedBy,
    posted_at: iso(r.postedAt),
    version: r.version,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export interface GradeValue {
  percent: number | null;
  letter: string;
  grade_points: number;
  is_passing: boolean;
}

/** A percent → its band; a letter → the band of that letter; neither → null (compute from the gradebook). */
export function gradeValue(
  scale: Scale,
  input: { percent?: number; letter?: string },
  field = '',
): GradeValue | null {
  if (input.percent !== undefined && input.letter !== undefined) {
    throw badRequest('Give percent or letter, not both', [
      { field: `${field}letter`, message: 'give percent or letter, not both' },
    ]);
  }
  if (input.percent !== undefined) {
    const b = bandFor(input.percent, scale);
    return {
      percent: b.rounded,
      letter: b.band.letter,
      grade_points: b.band.grade_points,
      is_passing: b.band.is_passing,
    };
  }
  if (input.letter !== undefined) {
    const band = scale.bands.find((b) => b.letter.toUpperCase() === input.letter!.toUpperCase());
    if (!band) {
      throw badRequest('Unknown letter for this grading scale', [
        { field: `${field}letter`, message: `must be one of ${scale.bands.map((b) => b.letter).join(', ')}` },
      ]);
    }
    return {
      percent: null,
      letter: band.letter,
      grade_points: band.grade_points,
      is_passing: band.is_passing,
    };
  }
  return null;
}

/** The student's running gradebook percentage in the class, as a grade value (null without counted marks). */
export async function computedValue(
  tx: Db | Tx,
  classId: string,
  studentId: string,
  scale: Scale,
): Promise<GradeValue | null> {
  return (await computedValues(tx, [{ classId, studentId, scale }]))[0];
}

/**
 * `computedValue` of many (class, student) pairs from one read of the classes' gradebooks (a fixed number
 * of statements whatever the number of pairs).
 */
export async function computedValues(
  tx: Db | Tx,
  items: Array<{ classId: string; studentId: string; scale: Scale }>,
): Promise<Array<GradeValue | null>> {
  if (items.length === 0) return [];
  const students = new Set(items.map((i) => i.studentId));
  const d = await gradebookData(
    tx,
    [...new Set(items.map((i) => i.classId))],
    students.size === 1 ? items[0].studentId : undefined,
  );
  return items.map(({ classId, studentId, scale }) => {
    const avg = courseAverage(
      d.assessments
        .filter((a) => a.classId === classId)
        .map((a) => ({
          id: a.id,
          max_marks: Number(a.maxMarks),
          weight: num(a.weight),
          category_id: a.categoryId,
        })),
      d.categories.filter((c) => c.classId === classId).map((c) => ({ id: c.id, weight: Number(c.weight) })),
      d.marks
        .filter((m) => m.class_id === classId && m.student_id === studentId)
        .map((m) => ({ assessment_id: m.assessment_id, state: m.state, marks: num(m.marks) })),
    );
    return avg.percent === null ? null : gradeValue(scale, { percent: avg.percent });
  });
}

/** The grades row of an input for its enrollment target, with the value it was given or computed. */
export function gradeRowValues(
  t: repo.GradeTarget,
  input: GradeInputT,
  value: GradeValue,
  scaleId: string,
  gradedBy: string,
) {
  const credits = Number(t.credits ?? 0);
  return {
    organizationId: t.organization_id,
    studentId: t.student_id,
    classId: t.class_id,
    enrollmentId: t.enrollment_id,
    courseId: t.course_id,
    academicSessionId: t.academic_session_id,
    assessmentId: input.assessment_id ?? null,
    gradingScaleId: scaleId,
    semesterNo: input.semester_no ?? t.semester,
    attemptType: input.attempt_type ?? 'regular',
    percent: value.percent === null ? null : String(value.percent),
    letter: value.letter,
    gradePoints: String(value.grade_points),
    isPassing: value.is_passing,
    creditsAttempted: String(credits),
    creditsEarned: String(value.is_passing ? credits : 0),
    remarks: input.remarks ?? null,
    gradedBy,
  };
}

/** Creates (or, with `replaceDraft`, replaces a draft of) one grade inside the caller's transaction. */
export async function saveGrade(
  tx: Tx,
  ctx: RequestContext,
  input: GradeInputT,
  opts: { replaceDraft: boolean; field?: string },
) {
  const field = opts.field ?? '';
  if (!input.enrollment_id && !(input.student_id && input.class_id)) {
    throw badRequest('Give enrollment_id, or student_id and class_id', [
      { field: `${field}enrollment_id`, message: 'or student_id + class_id is required' },
    ]);
  }
  const t = await repo.gradeTarget(tx, ctx.actor, input);
  if (!t) throw notFound('Enrollment');
  const scale = await scaleFor(tx, t.course_id, t.organization_id);
  const value = gradeValue(scale, input, field) ?? (await computedValue(tx, t.class_id, t.student_id, scale));
  if (!value) {
    throw businessRule('no_marks', 'The student has no counted marks in this class; give percent or letter', [
      { field: `${field}percent`, message: 'is required: nothing to compute from' },
    ]);
  }
  const values = gradeRowValues(t, input, value, scale.id, ctx.actor.userId);
  const q = tx.insert(grades).values(values);
  const [row] = opts.replaceDraft
    ? await q
        .onConflictDoUpdate({
          target: [grades.studentId, grades.classId, grades.attemptType],
          set: { ...values, version: sql`${grades.version} + 1`, updatedAt: new Date() },
          setWhere: sql`${grades.status} = 'draft'`,
        })
        .returning()
    : await q.returning();
  if (!row) {
    throw conflict(
      'This grade is already posted; change it with PUT /grades/{id} and a reason',
      'grade_posted',
      [{ field: `${field}student_id`, message: 'has a posted grade for this class and attempt' }],
    );
  }
  await recordAudit(tx, ctx, {
    action: 'grade.save',
    entityType: 'grade',
    entityId: row.id,
    organizationId: row.organizationId,
    after: row,
  });
  return toGrade(row);
}

export const createGrade = (db: Db, ctx: RequestContext, input: GradeInputT) =>
  withTx(db, (tx) => saveGrade(tx, ctx, input, { replaceDraft: false }));

export async function getGrade(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findGrade(db, ctx.actor, id, 'read');
  if (!row) throw notFound('Grade');
  return toGrade(row);
}

export function gradeFilters(q: Omit<ListGradesQueryT, 'page' | 'page_size'>): SQL[] {
  const f: SQL[] = [];
  if (q.enrollment_id) f.push(eq(grades.enrollmentId, q.enrollment_id));
  if (q.course_id) f.push(eq(grades.courseId, q.course_id));
  if (q.assessment_id) f.push(eq(grades.assessmentId, q.assessment_id));
  if (q.student_id) f.push(eq(grades.studentId, q.student_id));
  if (q.class_id) f.push(eq(grades.classId, q.class_id));
  if (q.academic_session_id) f.push(eq(grades.academicSessionId, q.academic_session_id));
  if (q.status) f.push(eq(grades.status, q.status));
  return f;
}

export async function listGrades(
  db: Db,
  ctx: RequestContext,
  q: ListGradesQueryT,
  w: PageWindow,
  extra: SQL[] = [],
) {
  const { rows, total } = await repo.listGrades(db, ctx.actor, [...gradeFilters(q), ...extra], w);
  const items = rows.map((r) => ({
    ...toGrade(r),
    class_name: r.className,
    course_code: r.courseCode,
    course_name: r.courseName,
    academic_session_name: r.sessionName,
  }));
  return page(items, total, w);
}

const snapshot = (g: repo.GradeRow) => ({
  percent: num(g.percent),
  letter: g.letter,
  grade_points: Number(g.gradePoints),
  is_passing: g.isPassing,
  credits_earned: Number(g.creditsEarned),
  remarks: g.remarks,
});

/**
 * Changes a grade. A draft changes freely; a posted grade needs a `reason` (422 without): the old and new
 * values go to the grade change log and the audit trail in the same transaction, and the student's stored
 * semester result is recomputed.
 */
export async function updateGrade(db: Db, ctx: RequestContext, id: string, input: UpdateGradeT) {
  return withTx(db, async (tx) => {
    const before = await repo.findGrade(tx, ctx.actor, id, 'write', true);
    if (!before) throw notFound('Grade');
    if (input.expected_version !== undefined && input.expected_version !== before.version) {
      throw conflict('The grade changed since you read it; reload and try again', 'stale_grade', [
        { field: 'expected_version', message: `current version is ${before.version}` },
      ]);
    }
    const posted = before.status === 'posted';
    if (posted && !input.reason?.trim()) {
      throw businessRule('reason_required', 'A posted grade changes only with a reason', [
        { field: 'reason', message: 'is required once the grade is posted' },
      ]);
    }
    // A grade keeps the scale it was given under, even if the course's scale changed since.
    const own = before.gradingScaleId
      ? (await scalesByIds(tx, [before.gradingScaleId])).get(before.gradingScaleId)
      : undefined;
    const scale = own ?? (await scaleFor(tx, before.courseId, before.organizationId));
    const value = gradeValue(scale, input);
    const credits = Number(before.creditsAttempted);
    const [row] = await tx
      .update(grades)
      .set({
        ...(value
          ? {
              percent: value.percent === null ? null : String(value.percent),
              letter: value.letter,
              gradePoints: String(value.grade_points),
              isPassing: value.is_passing,
              creditsEarned: String(value.is_passing ? credits : 0),
            }
          : {}),
        remarks: input.remarks === undefined ? before.remarks : input.remarks,
        gradedBy: ctx.actor.userId,
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(grades.id, id))
      .returning();
    if (posted) {
      await tx.insert(gradeChanges).values({
        organizationId: row.organizationId,
        gradeId: id,
        studentId: row.studentId,
        oldValue: snapshot(before),
        newValue: snapshot(row),
        reason: input.reason!.trim(),
        changedBy: ctx.actor.userId,
      });
      if (row.academicSessionId)
        await storeSemesterResults(tx, [
          { studentId: row.studentId, sessionId: row.academicSessionId, organizationId: row.organizationId },
        ]);
    }
    await recordAudit(tx, ctx, {
      action: posted ? 'grade.change_posted' : 'grade.update',
      entityType: 'grade',
      entityId: id,
      organizationId: row.organizationId,
      before: { ...snapshot(before), reason: null },
      after: { ...snapshot(row), reason: input.reason ?? null },
    });
    return toGrade(row);
  });
}
