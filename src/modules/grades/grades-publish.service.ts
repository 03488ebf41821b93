import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { rowsOf } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { manages } from './grades.policy.js';
import { gradeValue } from './grades.service.js';
import { grades } from './grades.table.js';
import { courseAverage } from './grades-gpa.js';
import { gradebookData } from './grades-gradebook.repo.js';
import { storeSemesterResults } from './grades-results.service.js';
import { scaleFor } from './grades-scales.repo.js';

const num = (v: string | null) => (v === null ? null : Number(v));

/**
 * Publishes (posts) the final grades of one class or of every class of a term in the actor's scope, in one
 * transaction: enrolled students without a grade get one computed from the live gradebook; every draft
 * grade is then frozen (status posted, posted_by, posted_at, version + 1) — later mark changes no longer
 * touch it — and the students' semester results (SGPA, credits) are stored.
 */
export async function publish(
  db: Db,
  ctx: RequestContext,
  input: { class_id?: string; academic_session_id?: string },
) {
  if (Boolean(input.class_id) === Boolean(input.academic_session_id)) {
    throw badRequest('Give exactly one of class_id, academic_session_id', [
      { field: 'class_id', message: 'exactly one of class_id, academic_session_id' },
    ]);
  }
  return withTx(db, async (tx) => {
    const where = input.class_id
      ? sql`c.id = ${input.class_id}`
      : sql`c.academic_session_id = ${input.academic_session_id}`;
    // Lock the classes: two publications of one class serialize instead of racing on the same drafts.
    const cls = rowsOf<{
      id: string;
      organization_id: string;
      course_id: string | null;
      academic_session_id: string | null;
      credits: string | null;
    }>(
      await tx.execute(sql`
        select c.id, c.organization_id, c.course_id, c.academic_session_id, co.credits
          from classes c left join courses co on co.id = c.course_id
         where ${where} and ${manages(ctx.actor, sql`c.organization_id`)}
         order by c.id for update of c`),
    );
    if (cls.length === 0) throw notFound(input.class_id ? 'Class' : 'Academic session');
    const data = await gradebookData(
      tx,
      cls.map((c) => c.id),
    );
    const existing = rowsOf<{ student_id: string; class_id: string }>(
      await tx.execute(sql`select student_id, class_id from grades
                            where class_id in (${sql.join(
                              cls.map((c) => sql`${c.id}`),
                              sql`, `,
                            )}) and attempt_type = 'regular'`),
    );
    const has = new Set(existing.map((g) => `${g.student_id}|${g.class_id}`));
    const without: string[] = [];
    const inserts: Array<typeof grades.$inferInsert> = [];
    for (const c of cls) {
      const scale = await scaleFor(tx, c.course_id, c.organization_id);
      const as = data.assessments
        .filter((a) => a.classId === c.id)
        .map((a) => ({
          id: a.id,
          max_marks: Number(a.maxMarks),
          weight: num(a.weight),
          category_id: a.categoryId,
        }));
      const cats = data.categories
        .filter((x) => x.classId === c.id)
        .map((x) => ({ id: x.id, weight: Number(x.weight) }));
      const credits = Number(c.credits ?? 0);
      for (const s of data.roster.filter((r) => r.class_id === c.id)) {
        if (has.has(`${s.student_id}|${c.id}`)) continue;
        const avg = courseAverage(
          as,
          cats,
          data.marks
            .filter((m) => m.class_id === c.id && m.student_id === s.student_id)
            .map((m) => ({ ...m, marks: num(m.marks) })),
        );
        const v = avg.percent === null ? null : gradeValue(scale, { percent: avg.percent });
        if (!v) {
          without.push(s.student_id);
          continue;
        }
        inserts.push({
          organizationId: c.organization_id,
          studentId: s.student_id,
          classId: c.id,
          enrollmentId: s.enrollment_id,
          courseId: c.course_id,
          academicSessionId: c.academic_session_id,
          gradingScaleId: scale.id,
          semesterNo: s.semester,
          percent: v.percent === null ? null : String(v.percent),
          letter: v.letter,
          gradePoints: String(v.grade_points),
          isPassing: v.is_passing,
          creditsAttempted: String(credits),
          creditsEarned: String(v.is_passing ? credits : 0),
          gradedBy: ctx.actor.userId,
        });
      }
    }
    if (inserts.length) await tx.insert(grades).values(inserts);
    const posted = rowsOf<{
      student_id: string;
      academic_session_id: string | null;
      organization_id: string;
      posted_at: string | Date;
    }>(
      await tx.execute(sql`
        update grades set status = 'posted', posted_by = ${ctx.actor.userId}, posted_at = now(), version = version + 1,
                          updated_at = now()
         where class_id in (${sql.join(
           cls.map((c) => sql`${c.id}`),
           sql`, `,
         )}) and status = 'draft'
        returning student_id, academic_session_id, organization_id, posted_at`),
    );
    const pairs = posted
      .filter((p) => p.academic_session_id)
      .map((p) => ({
        studentId: p.student_id,
        sessionId: p.academic_session_id!,
        organizationId: p.organization_id,
      }));
    const stored = await storeSemesterResults(tx, pairs);
    const postedAt = posted[0] ? new Date(posted[0].posted_at) : new Date();
    await recordAudit(tx, ctx, {
      action: 'grades.publish',
      entityType: input.class_id ? 'class' : 'academic_session',
      entityId: input.class_id ?? input.academic_session_id!,
      organizationId: cls[0].organization_id,
      after: {
        classes: cls.length,
        computed: inserts.length,
        posted: posted.length,
        without_marks: without.length,
      },
    });
    return {
      classes: cls.length,
      computed: inserts.length,
      posted: posted.length,
      without_marks: without,
      semester_results: stored,
      posted_at: postedAt.toISOString(),
    };
  });
}
