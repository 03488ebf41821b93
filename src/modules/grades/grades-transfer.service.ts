import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { manages, recordReadScope } from './grades.policy.js';
import type { CreateTransferGradeT } from './grades.schemas.js';
import { transferGrades } from './grades.table.js';
import { recordStudent } from './grades-results.service.js';

const toTransfer = (r: typeof transferGrades.$inferSelect) => ({
  id: r.id,
  organization_id: r.organizationId,
  student_id: r.studentId,
  institution_name: r.institutionName,
  course_code: r.courseCode,
  course_title: r.courseTitle,
  equivalent_course_id: r.equivalentCourseId,
  term_label: r.termLabel,
  credits: Number(r.credits),
  letter: r.letter,
  grade_points: Number(r.gradePoints),
  is_passing: r.isPassing,
  counts_in_gpa: r.countsInGpa,
  completed_on: r.completedOn,
  created_at: iso(r.createdAt)!,
});

/** Records credits from a prior school (registrar: managers of the student's organization). */
export async function createTransfer(db: Db, ctx: RequestContext, input: CreateTransferGradeT) {
  return withTx(db, async (tx) => {
    const [st] = (
      await tx.execute(sql`select s.id, s.organization_id from students s where s.id = ${input.student_id}
                            and s.deleted_at is null and ${manages(ctx.actor, sql`s.organization_id`)}`)
    ).rows as Array<{ id: string; organization_id: string }>;
    if (!st) throw notFound('Student');
    const [row] = await tx
      .insert(transferGrades)
      .values({
        organizationId: st.organization_id,
        studentId: st.id,
        institutionName: input.institution_name,
        courseCode: input.course_code ?? null,
        courseTitle: input.course_title,
        equivalentCourseId: input.equivalent_course_id ?? null,
        termLabel: input.term_label ?? null,
        credits: String(input.credits),
        letter: input.letter,
        gradePoints: String(input.grade_points),
        isPassing: input.is_passing ?? true,
        countsInGpa: input.counts_in_gpa ?? false,
        completedOn: input.completed_on ?? null,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'transfer_grade',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return toTransfer(row);
  });
}

const readable = (ctx: RequestContext) =>
  sql`exists (select 1 from students ts where ts.id = ${transferGrades.studentId}
               and ${recordReadScope(ctx.actor, { id: sql`ts.id`, organizationId: sql`ts.organization_id` })})`;

export async function listTransfers(db: Db, ctx: RequestContext, q: { student_id?: string }, w: PageWindow) {
  if (q.student_id) await recordStudent(db, ctx, q.student_id);
  const where = and(readable(ctx), q.student_id ? eq(transferGrades.studentId, q.student_id) : undefined);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(transferGrades), _total })
        .from(transferGrades)
        .where(where)
        .orderBy(desc(transferGrades.createdAt), desc(transferGrades.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(transferGrades).where(where),
    w,
  );
  return page(rows.map(toTransfer), total, w);
}

export async function deleteTransfer(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(transferGrades)
      .where(and(eq(transferGrades.id, id), manages(ctx.actor, transferGrades.organizationId)))
      .for('update');
    if (!before) throw notFound('Transfer grade');
    await tx.delete(transferGrades).where(eq(transferGrades.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'transfer_grade',
      entityId: id,
      organizationId: before.organizationId,
      before,
    });
  });
}
