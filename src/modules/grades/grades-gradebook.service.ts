import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assessmentCategories, assessments } from './grades.table.js';
import { bandFor, courseAverage, rankWithTies, roundBy } from './grades-gpa.js';
import * as repo from './grades-gradebook.repo.js';
import type {
  AssessmentT,
  CategoryT,
  CreateAssessmentT,
  GradebookT,
  ListAssessmentsQueryT,
  MarkInputT,
  MarksResultT,
  MarkT,
  UpdateAssessmentT,
} from './grades-gradebook.schemas.js';
import { type MarkRow, writeMarks } from './grades-marks.repo.js';
import { scaleFor } from './grades-scales.repo.js';

const num = (v: string | number | null) => (v === null ? null : Number(v));

export function toCategory(r: typeof assessmentCategories.$inferSelect): CategoryT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    class_id: r.classId,
    name: r.name,
    weight: Number(r.weight),
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export function toAssessment(r: typeof assessments.$inferSelect): AssessmentT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    class_id: r.classId,
    category_id: r.categoryId,
    academic_session_id: r.academicSessionId,
    name: r.name,
    assessment_type: r.assessmentType,
    max_marks: Number(r.maxMarks),
    weight: num(r.weight),
    date: r.assessmentDate,
    description: r.description,
    created_by: r.createdBy,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

// ---- assessments

async function checkCategory(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  categoryId: string | null | undefined,
  classId: string,
) {
  if (!categoryId) return;
  const [c] = await tx
    .select({ classId: assessmentCategories.classId })
    .from(assessmentCategories)
    .where(eq(assessmentCategories.id, categoryId));
  if (!c || c.classId !== classId) {
    throw badRequest('The category belongs to another class', [
      { field: 'category_id', message: 'is not a category of this class' },
    ]);
  }
}

export async function createAssessment(db: Db, ctx: RequestContext, input: CreateAssessmentT) {
  return withTx(db, async (tx) => {
    const cls = await repo.classForGradebook(tx, ctx.actor, input.class_id);
    if (!cls) throw notFound('Class');
    await checkCategory(tx, input.category_id, cls.id);
    const [row] = await tx
      .insert(assessments)
      .values({
        organizationId: cls.organizationId,
        classId: cls.id,
        categoryId: input.category_id ?? null,
        academicSessionId: input.academic_session_id ?? cls.academicSessionId,
        name: input.name,
        assessmentType: input.assessment_type,
        maxMarks: String(input.max_marks),
        weight: input.weight === undefined || input.weight === null ? null : String(input.weight),
        assessmentDate: input.date ?? null,
        description: input.description ?? null,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'assessment',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return toAssessment(row);
  });
}

export async function getAssessment(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.assessmentInScope(db, ctx.actor, id, 'read');
  if (!row) throw notFound('Assessment');
  return toAssessment(row);
}

export async function listAssessments(
  db: Db,
  ctx: RequestContext,
  q: ListAssessmentsQueryT,
  w: PageWindow,
  extra: SQL[] = [],
) {
  const f: SQL[] = [...extra];
  const classId = q.class_id ?? q.course_offering_id;
  if (classId) f.push(eq(assessments.classId, classId));
  if (q.assessment_type) f.push(eq(assessments.assessmentType, q.assessment_type));
  if (q.academic_session_id) f.push(eq(assessments.academicSessionId, q.academic_session_id));
  if (q.category_id) f.push(eq(assessments.categoryId, q.category_id));
  const { rows, total } = await repo.listAssessments(db, ctx.actor, f, w);
  return page(rows.map(toAssessment), total, w);
}

/** Seed 002: exam-type assessments (exam, midterm, final) created by a teacher, within the actor's scope. */
export async function examsOfTeacher(
  db: Db,
  ctx: RequestContext,
  facultyId: string,
  q: ListAssessmentsQueryT,
  w: PageWindow,
) {
  const f = await repo.facultyUser(db, ctx.actor, facultyId);
  if (!f) throw notFound('Faculty member');
  return listAssessments(db, ctx, q, w, [
    inArray(assessments.assessmentType, ['exam', 'midterm', 'final']),
    f.userId ? eq(assessments.createdBy, f.userId) : sql`false`,
  ]);
}

export async function updateAssessment(db: Db, ctx: RequestContext, id: string, input: UpdateAssessmentT) {
  return withTx(db, async (tx) => {
    const before = await repo.assessmentInScope(tx, ctx.actor, id, 'write', true);
    if (!before) throw notFound('Assessment');
    if (input.category_id !== undefined) await checkCategory(tx, input.category_id, before.classId);
    if (input.max_marks !== undefined) {
      const [over] = (
        await tx.execute(
          sql`select 1 from assessment_marks where assessment_id = ${id} and marks > ${input.max_marks} limit 1`,
        )
      ).rows;
      if (over)
        throw businessRule('marks_over_max', 'Some marks exceed the new max_marks; change them first', [
          { field: 'max_marks', message: 'is below existing marks' },
        ]);
    }
    const opt = (v: number | null | undefined, old: string | null) =>
      v === undefined ? old : v === null ? null : String(v);
    const [row] = await tx
      .update(assessments)
      .set({
        categoryId: input.category_id === undefined ? before.categoryId : input.category_id,
        academicSessionId:
          input.academic_session_id === undefined ? before.academicSessionId : input.academic_session_id,
        name: input.name ?? before.name,
        assessmentType: input.assessment_type ?? before.assessmentType,
        maxMarks: input.max_marks === undefined ? before.maxMarks : String(input.max_marks),
        weight: opt(input.weight, before.weight),
        assessmentDate: input.date === undefined ? before.assessmentDate : input.date,
        description: input.description === undefined ? before.description : input.description,
        updatedAt: new Date(),
      })
      .where(eq(assessments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'assessment',
      entityId: id,
      organizationId: row.organizationId,
      before,
      after: row,
    });
    return toAssessment(row);
  });
}

export async function deleteAssessment(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.assessmentInScope(tx, ctx.actor, id, 'write', true);
    if (!before) throw notFound('Assessment');
    const marks = await repo.countMarks(tx, id);
    await tx.delete(assessments).where(eq(assessments.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'assessment',
      entityId: id,
      organizationId: before.organizationId,
      before: { ...before, marks_deleted: marks },
    });
  });
}

// ---- marks

/** Validates state/marks pairs: scored needs marks; the other states carry none. */
export function toMarkRows(input: MarkInputT[], prefix = 'marks/'): MarkRow[] {
  const bad: Array<{ field: string; message: string }> = [];
  const rows = input.map((m, i) => {
    const state = m.state ?? (m.marks === null || m.marks === undefined ? 'missing' : 'scored');
    const marks = m.marks ?? null;
    if (state === 'scored' && marks === null)
      bad.push({ field: `${prefix}${i}/marks`, message: 'is required when state is scored' });
    if (state !== 'scored' && marks !== null)
      bad.push({ field: `${prefix}${i}/marks`, message: `must be empty when state is ${state}` });
    return { student_id: m.student_id, marks, state, comment: m.comment ?? null };
  });
  if (bad.length) throw badRequest('Invalid marks', bad.slice(0, 100));
  return rows;
}

/** Writes marks (one statement, see writeMarks) and turns its outcome into the result or the right error. */
export async function saveMarks(
  db: Db,
  ctx: RequestContext,
  assessmentId: string,
  rows: MarkRow[],
  prefix = 'marks/',
): Promise<MarksResultT> {
  const out = await writeMarks(db, ctx, assessmentId, rows);
  if (!out.found) throw notFound('Assessment');
  if (out.problems.length) {
    throw businessRule(
      'invalid_marks',
      `${out.problems.length} mark(s) refused; nothing was saved`,
      out.problems.map((p) => ({
        field: `${prefix}${p.index}`,
        message:
          p.reason === 'not_enrolled'
            ? 'is not an enrolled student of the class'
            : `exceeds max marks (${out.maxMarks})`,
        student_id: p.student_id,
      })),
    );
  }
  if (out.duplicates.length) {
    throw businessRule(
      'duplicate_students',
      'A student appears more than once; nothing was saved',
      out.duplicates.map((id) => ({ field: 'marks', message: 'appears more than once', student_id: id })),
    );
  }
  if (out.stale.length) {
    throw conflict(
      'The mark changed since you read it; reload and try again',
      'stale_mark',
      out.stale.map((s) => ({
        field: 'expected_version',
        message: `current version is ${s.version ?? 0}`,
        student_id: s.student_id,
      })),
    );
  }
  const received = rows.length;
  return {
    assessment_id: assessmentId,
    received,
    created: out.created,
    updated: out.updated,
    unchanged: received - out.created - out.updated,
  };
}

export function toMark(r: repo.MarkListRow): MarkT {
  const marks = num(r.marks);
  return {
    id: r.id,
    assessment_id: r.assessment_id,
    student_id: r.student_id,
    student_number: r.student_number,
    student_name: `${r.first_name} ${r.last_name}`,
    marks,
    state: r.state,
    percent: marks === null ? null : roundBy((marks / Number(r.max_marks)) * 100, 'half_up', 2),
    comment: r.comment,
    graded_by: r.graded_by,
    version: Number(r.version),
    updated_at: iso(r.updated_at)!,
  };
}

export async function listMarks(db: Db, ctx: RequestContext, assessmentId: string) {
  const a = await repo.assessmentInScope(db, ctx.actor, assessmentId, 'write');
  if (!a) throw notFound('Assessment');
  return (await repo.marksOf(db, assessmentId)).map(toMark);
}

/** One mark, read after the caller wrote it (so already in scope). */
export async function getMark(db: Db, assessmentId: string, studentId: string) {
  const [m] = (await repo.marksOf(db, assessmentId, studentId)).map(toMark);
  if (!m) throw notFound('Mark');
  return m;
}

// ---- the running gradebook of a class

export async function gradebook(db: Db, ctx: RequestContext, classId: string): Promise<GradebookT> {
  const cls = await repo.classForGradebook(db, ctx.actor, classId);
  if (!cls) throw notFound('Class');
  const [data, scale] = await Promise.all([
    repo.gradebookData(db, [classId]),
    scaleFor(db, cls.courseId, cls.organizationId),
  ]);
  const as = data.assessments.map((a) => ({
    id: a.id,
    max_marks: Number(a.maxMarks),
    weight: num(a.weight),
    category_id: a.categoryId,
  }));
  const cats = data.categories.map((c) => ({ id: c.id, weight: Number(c.weight) }));
  const rows = data.roster.map((s) => {
    const avg = courseAverage(
      as,
      cats,
      data.marks.filter((m) => m.student_id === s.student_id).map((m) => ({ ...m, marks: num(m.marks) })),
    );
    const b = avg.percent === null ? null : bandFor(avg.percent, scale);
    return {
      student_id: s.student_id,
      student_number: s.student_number,
      student_name: `${s.first_name} ${s.last_name}`,
      percent: b ? b.rounded : null,
      letter: b ? b.band.letter : null,
      grade_points: b ? b.band.grade_points : null,
      counted: avg.counted,
      excused: avg.excused,
      rank: null as number | null,
    };
  });
  for (const r of rankWithTies(rows, (x) => x.percent)) r.item.rank = r.rank;
  return {
    class_id: classId,
    grading_scale_id: scale.id,
    categories: data.categories.map(toCategory),
    assessments: data.assessments.map(toAssessment),
    students: rows,
  };
}
