import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assessmentCategories, assessments } from './grades.table.js';
import * as repo from './grades-gradebook.repo.js';
import type {
  AssessmentT,
  CategoryT,
  CreateAssessmentT,
  ListAssessmentsQueryT,
  UpdateAssessmentT,
} from './grades-gradebook.schemas.js';

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

/** Creates an assessment; `id` names it (OneRoster passback creates line items under the LMS's id). */
export async function createAssessment(db: Db, ctx: RequestContext, input: CreateAssessmentT, id?: string) {
  return withTx(db, async (tx) => {
    const cls = await repo.classForGradebook(tx, ctx.actor, input.class_id);
    if (!cls) throw notFound('Class');
    await checkCategory(tx, input.category_id, cls.id);
    const [row] = await tx
      .insert(assessments)
      .values({
        ...(id ? { id } : {}),
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
