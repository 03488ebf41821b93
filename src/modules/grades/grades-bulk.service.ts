import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudits } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, type ErrorDetail, notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './grades.repo.js';
import type { GradeInputT } from './grades.schemas.js';
import { computedValues, type GradeValue, gradeRowValues, gradeValue, toGrade } from './grades.service.js';
import { grades } from './grades.table.js';
import { scaleKey, scalesFor } from './grades-scales.repo.js';

const cols = getTableColumns(grades);
const key = (r: { studentId: string; classId: string; attemptType: string }) =>
  `${r.studentId}|${r.classId}|${r.attemptType}`;

/**
 * Creates or replaces many draft grades set-based: one statement resolves every input's enrollment, one
 * the grading scales, one read of the gradebooks computes the values not given, ONE INSERT … ON CONFLICT
 * writes every grade (a posted grade is left alone and reported, 409) and one INSERT writes the audit rows.
 * The statement count does not grow with the number of grades; all or nothing.
 */
export function bulkGrades(db: Db, ctx: RequestContext, list: GradeInputT[]) {
  list.forEach((g, i) => {
    if (!g.enrollment_id && !(g.student_id && g.class_id)) {
      throw badRequest('Give enrollment_id, or student_id and class_id', [
        { field: `grades/${i}/enrollment_id`, message: 'or student_id + class_id is required' },
      ]);
    }
  });
  return withTx(db, async (tx) => {
    const targets = await repo.gradeTargets(tx, ctx.actor, list);
    if (targets.size < list.length) throw notFound('Enrollment');
    const t = (i: number) => targets.get(i)!;
    const scales = await scalesFor(
      tx,
      list.map((_, i) => ({ courseId: t(i).course_id, orgId: t(i).organization_id })),
    );
    const scaleOf = (i: number) => scales.get(scaleKey(t(i).course_id, t(i).organization_id))!;
    const given = list.map((g, i) => gradeValue(scaleOf(i), g, `grades/${i}/`));
    const open = given.flatMap((v, i) => (v ? [] : [i]));
    const computed = await computedValues(
      tx,
      open.map((i) => ({ classId: t(i).class_id, studentId: t(i).student_id, scale: scaleOf(i) })),
    );
    const values: GradeValue[] = given.map((v) => v!);
    open.forEach((i, k) => {
      const v = computed[k];
      if (!v) {
        throw businessRule(
          'no_marks',
          'The student has no counted marks in this class; give percent or letter',
          [{ field: `grades/${i}/percent`, message: 'is required: nothing to compute from' }],
        );
      }
      values[i] = v;
    });
    const rows = list.map((g, i) => gradeRowValues(t(i), g, values[i], scaleOf(i).id, ctx.actor.userId));
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      const first = seen.get(key(r));
      if (first !== undefined) {
        throw badRequest('The same student, class and attempt appear twice in the batch', [
          { field: `grades/${i}/student_id`, message: `repeats grades/${first}` },
        ]);
      }
      seen.set(key(r), i);
    });
    // Every written column takes the proposed row's value; a posted grade is never overwritten.
    const set: Partial<Record<keyof typeof cols, SQL>> = {};
    for (const k of Object.keys(rows[0]) as Array<keyof typeof cols>) {
      set[k] = sql.raw(`excluded.${cols[k].name}`);
    }
    const written = await tx
      .insert(grades)
      .values(rows)
      .onConflictDoUpdate({
        target: [grades.studentId, grades.classId, grades.attemptType],
        set: { ...set, version: sql`${grades.version} + 1`, updatedAt: sql`now()` },
        setWhere: sql`${grades.status} = 'draft'`,
      })
      .returning();
    const byKey = new Map(written.map((r) => [key(r), r]));
    const posted: ErrorDetail[] = rows.flatMap((r, i) =>
      byKey.has(key(r))
        ? []
        : [{ field: `grades/${i}/student_id`, message: 'has a posted grade for this class and attempt' }],
    );
    if (posted.length) {
      throw conflict(
        'A grade in the batch is already posted; change it with PUT /grades/{id} and a reason',
        'grade_posted',
        posted,
      );
    }
    const out = rows.map((r) => byKey.get(key(r))!);
    await recordAudits(
      tx,
      ctx,
      out.map((row) => ({
        action: 'grade.save',
        entityType: 'grade',
        entityId: row.id,
        organizationId: row.organizationId,
        after: row,
      })),
    );
    return out.map(toGrade);
  });
}
