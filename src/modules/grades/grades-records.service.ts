import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { listGrades } from './grades.service.js';
import { grades } from './grades.table.js';
import { bandFor, courseAverage, rankWithTies } from './grades-gpa.js';
import { gradebookData } from './grades-gradebook.repo.js';
import * as repo from './grades-records.repo.js';
import type { PerformanceT } from './grades-records.schemas.js';
import { cgpa, recordStudent, sgpa } from './grades-results.service.js';
import { effectiveSettings, scaleFor } from './grades-scales.repo.js';

const num = (v: string | null) => (v === null ? null : Number(v));

/**
 * Per class of the student: percentage, letter and rank in class (ties share a rank). Classes whose
 * gradebook the actor may see (their teachers, managers) come from the live marks; every other class
 * (a student, a parent) only from posted grades — an unposted result is not shown.
 */
export async function performance(db: Db, ctx: RequestContext, studentId: string): Promise<PerformanceT> {
  const st = await recordStudent(db, ctx, studentId);
  const classes = await repo.studentClasses(db, ctx.actor, studentId);
  const live = classes.filter((c) => c.live);
  const [data, posted] = await Promise.all([
    gradebookData(
      db,
      live.map((c) => c.class_id),
    ),
    repo.postedOfClasses(
      db,
      classes.filter((c) => !c.live).map((c) => c.class_id),
    ),
  ]);
  const courses: PerformanceT['courses'] = [];
  for (const c of classes) {
    if (c.live) {
      const scale = await scaleFor(db, c.course_id, c.organization_id);
      const as = data.assessments.filter((a) => a.classId === c.class_id);
      const asIn = as.map((a) => ({
        id: a.id,
        max_marks: Number(a.maxMarks),
        weight: num(a.weight),
        category_id: a.categoryId,
      }));
      const cats = data.categories
        .filter((x) => x.classId === c.class_id)
        .map((x) => ({ id: x.id, weight: Number(x.weight) }));
      const roster = data.roster.filter((r) => r.class_id === c.class_id);
      const rows = roster.map((r) => {
        const avg = courseAverage(
          asIn,
          cats,
          data.marks
            .filter((m) => m.class_id === c.class_id && m.student_id === r.student_id)
            .map((m) => ({ ...m, marks: num(m.marks) })),
        );
        return { student_id: r.student_id, b: avg.percent === null ? null : bandFor(avg.percent, scale) };
      });
      const ranked = rankWithTies(rows, (x) => (x.b ? x.b.rounded : null));
      const me = ranked.find((x) => x.item.student_id === studentId);
      const marks = new Map(
        data.marks
          .filter((m) => m.class_id === c.class_id && m.student_id === studentId)
          .map((m) => [m.assessment_id, m]),
      );
      courses.push({
        class_id: c.class_id,
        class_name: c.class_name,
        course_id: c.course_id,
        subject_id: c.subject_id,
        source: 'gradebook',
        percent: me?.item.b?.rounded ?? null,
        letter: me?.item.b?.band.letter ?? null,
        grade_points: me?.item.b?.band.grade_points ?? null,
        rank: me?.rank ?? null,
        class_size: ranked.filter((x) => x.rank !== null).length,
        assessments: as.map((a) => ({
          assessment_id: a.id,
          name: a.name,
          assessment_type: a.assessmentType,
          max_marks: Number(a.maxMarks),
          marks: num(marks.get(a.id)?.marks ?? null),
          state: marks.get(a.id)?.state ?? null,
        })),
      });
    } else {
      const inClass = posted.filter((p) => p.class_id === c.class_id);
      const mine = inClass.find((p) => p.student_id === studentId);
      if (!mine) continue;
      const ranked = rankWithTies(inClass, (p) =>
        p.percent === null ? Number(p.grade_points) : Number(p.percent),
      );
      courses.push({
        class_id: c.class_id,
        class_name: c.class_name,
        course_id: c.course_id,
        subject_id: c.subject_id,
        source: 'posted',
        percent: num(mine.percent),
        letter: mine.letter,
        grade_points: Number(mine.grade_points),
        rank: ranked.find((x) => x.item === mine)?.rank ?? null,
        class_size: inClass.length,
        assessments: [],
      });
    }
  }
  return { student_id: studentId, student_name: `${st.first_name} ${st.last_name}`, courses };
}

export async function studentGrades(
  db: Db,
  ctx: RequestContext,
  studentId: string,
  q: { academic_session_id?: string; course_id?: string },
  w: PageWindow,
) {
  await recordStudent(db, ctx, studentId);
  return listGrades(db, ctx, { student_id: studentId, ...q }, w);
}

export async function myGrades(
  db: Db,
  ctx: RequestContext,
  q: { academic_session_id?: string; course_id?: string },
  w: PageWindow,
) {
  const id = await repo.ownStudentId(db, ctx.actor);
  if (!id) throw notFound('Student profile');
  // Only posted grades, whatever other roles the user holds.
  return listGrades(db, ctx, { student_id: id, ...q }, w, [eq(grades.status, 'posted')]);
}

const head = (st: Awaited<ReturnType<typeof recordStudent>>) => ({
  id: st.id,
  name: `${st.first_name} ${st.last_name}`,
  student_number: st.student_number,
  program: st.program_name,
});

export async function reportCard(db: Db, ctx: RequestContext, studentId: string, sessionId: string) {
  const all = await cgpa(db, ctx, studentId);
  const term = await repo.sessionName(db, sessionId, all.student.organization_id);
  if (!term) throw notFound('Academic session');
  const s = await sgpa(db, ctx, studentId, sessionId);
  return {
    institution: all.student.org_name,
    student: head(all.student),
    term,
    sgpa: s.sgpa,
    credits_attempted: s.credits_attempted,
    credits_earned: s.credits_earned,
    cgpa: all.cgpa,
    courses: s.courses,
  };
}

export async function transcript(db: Db, ctx: RequestContext, studentId: string) {
  const all = await cgpa(db, ctx, studentId);
  return {
    institution: all.student.org_name,
    student: head(all.student),
    cgpa: all.cgpa,
    credits_attempted: all.credits_attempted,
    credits_earned: all.credits_earned,
    transfer_credits: all.transfer_credits,
    repeat_policy: all.repeat_policy,
    terms: all.semesters.map((t) => ({
      ...t,
      courses: all.courses.filter((c) => c.grade_id && c.academic_session_id === t.academic_session_id),
    })),
    transfer: all.courses.filter((c) => c.transfer_grade_id),
  };
}

export async function honorRoll(
  db: Db,
  ctx: RequestContext,
  q: { academic_session_id: string; min_gpa?: number },
  w: PageWindow,
) {
  // The threshold is the term's organization's (nearest setting on its path), unless the query overrides it.
  const orgId = await repo.sessionOrg(db, q.academic_session_id);
  if (!orgId) throw notFound('Academic session');
  const settings = await effectiveSettings(db, orgId);
  const { rows, total } = await repo.honorRoll(
    db,
    ctx.actor,
    q.academic_session_id,
    q.min_gpa ?? settings.honor_roll_min_gpa,
    settings.honor_roll_min_credits,
    w,
  );
  return { ...page(rows, total, w), threshold: q.min_gpa ?? settings.honor_roll_min_gpa };
}
