import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { recordReadScope } from './grades.policy.js';
import { type AttemptRow, postedAttempts, type TransferRow, transfersOf } from './grades.repo.js';
import { semesterResults } from './grades.table.js';
import { type Attempt, computeGpa, type RepeatPolicy } from './grades-gpa.js';
import { effectiveSettings } from './grades-scales.repo.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fromGrade = (g: AttemptRow): Attempt => ({
  id: g.grade_id,
  course_key: g.course_id ?? `class:${g.class_id}`,
  credits: Number(g.credits_attempted),
  grade_points: Number(g.grade_points),
  is_passing: g.is_passing,
  taken_at: `${g.session_start ?? ''}|${g.posted_at ? new Date(g.posted_at).toISOString() : ''}`,
  in_gpa: true,
  count_failed_in_gpa: g.count_failed_in_gpa ?? true,
});

const fromTransfer = (t: TransferRow): Attempt => ({
  id: t.id,
  course_key: t.equivalent_course_id ?? `transfer:${t.id}`,
  credits: Number(t.credits),
  grade_points: Number(t.grade_points),
  is_passing: t.is_passing,
  // Transfer work predates the student's terms here: it sorts first, so "latest" prefers a local attempt.
  taken_at: `0000|${t.completed_on ?? ''}`,
  in_gpa: t.counts_in_gpa,
  count_failed_in_gpa: true,
});

/** The student, if the actor may read their academic record (404 otherwise). */
export async function recordStudent(db: DbOrTx, ctx: RequestContext, studentId: string) {
  const st = firstRow<{
    id: string;
    organization_id: string;
    first_name: string;
    last_name: string;
    student_number: string;
    org_name: string;
    semester: number | null;
    program_name: string | null;
  }>(
    await db.execute(sql`
      select s.id, s.organization_id, s.first_name, s.last_name, s.student_number, s.semester, o.name as org_name,
             p.name as program_name
        from students s join organizations o on o.id = s.organization_id left join programs p on p.id = s.program_id
       where s.id = ${studentId} and s.deleted_at is null
         and ${recordReadScope(ctx.actor, { id: sql`s.id`, organizationId: sql`s.organization_id` })}`),
  );
  if (!st) throw notFound('Student');
  return st;
}

function courseLines(
  rows: AttemptRow[],
  transfers: TransferRow[],
  counted: Set<string>,
  attempts: Attempt[],
) {
  const byId = new Map(attempts.map((a) => [a.id, a]));
  const inGpa = (id: string) => {
    const a = byId.get(id)!;
    return a.in_gpa && (a.is_passing || a.count_failed_in_gpa);
  };
  return [
    ...transfers.map((t) => ({
      grade_id: null,
      transfer_grade_id: t.id,
      course_id: t.equivalent_course_id,
      class_id: null,
      title: `${t.course_title} (${t.institution_name})`,
      academic_session_id: null,
      attempt_type: 'transfer',
      letter: t.letter,
      grade_points: Number(t.grade_points),
      credits: Number(t.credits),
      is_passing: t.is_passing,
      counted: counted.has(t.id),
      in_gpa: inGpa(t.id),
    })),
    ...rows.map((g) => ({
      grade_id: g.grade_id,
      transfer_grade_id: null,
      course_id: g.course_id,
      class_id: g.class_id,
      title: g.title,
      academic_session_id: g.academic_session_id,
      attempt_type: g.attempt_type,
      letter: g.letter,
      grade_points: Number(g.grade_points),
      credits: Number(g.credits_attempted),
      is_passing: g.is_passing,
      counted: counted.has(g.grade_id),
      in_gpa: inGpa(g.grade_id),
    })),
  ];
}

/** SGPA of one term: `semester` is an academic_session_id, or the semester number recorded on the grades. */
export async function sgpa(db: DbOrTx, ctx: RequestContext, studentId: string, semester: string) {
  let only: SQL;
  if (UUID.test(semester)) only = sql`g.academic_session_id = ${semester}`;
  else if (/^[1-9][0-9]?$/.test(semester)) only = sql`g.semester_no = ${Number(semester)}`;
  else
    throw badRequest('semester must be an academic_session_id or a semester number', [
      { field: 'semester', message: 'is neither a UUID nor a semester number' },
    ]);
  const st = await recordStudent(db, ctx, studentId);
  const [rows, settings] = await Promise.all([
    postedAttempts(db, studentId, only),
    effectiveSettings(db, st.organization_id),
  ]);
  const attempts = rows.map(fromGrade);
  const r = computeGpa(attempts, settings.repeat_policy);
  return {
    student_id: studentId,
    semester,
    sgpa: r.gpa,
    credits_attempted: r.credits_attempted,
    credits_earned: r.credits_earned,
    gpa_credits: r.gpa_credits,
    quality_points: r.quality_points,
    repeat_policy: settings.repeat_policy,
    courses: courseLines(rows, [], new Set(r.counted), attempts),
  };
}

/** CGPA over every posted grade and the transfer grades, with the organization's repeat policy. */
export async function cgpa(db: DbOrTx, ctx: RequestContext, studentId: string) {
  const st = await recordStudent(db, ctx, studentId);
  const [rows, transfers, settings] = await Promise.all([
    postedAttempts(db, studentId),
    transfersOf(db, studentId),
    effectiveSettings(db, st.organization_id),
  ]);
  return { student: st, ...cgpaOf(rows, transfers, settings.repeat_policy), student_id: studentId };
}

export function cgpaOf(rows: AttemptRow[], transfers: TransferRow[], policy: RepeatPolicy) {
  const attempts = [...transfers.map(fromTransfer), ...rows.map(fromGrade)];
  const r = computeGpa(attempts, policy);
  const sessions = new Map<string, AttemptRow[]>();
  for (const g of rows) {
    const k = g.academic_session_id ?? '';
    sessions.set(k, [...(sessions.get(k) ?? []), g]);
  }
  const counted = new Set(r.counted);
  return {
    cgpa: r.gpa,
    credits_attempted: r.credits_attempted,
    credits_earned: r.credits_earned,
    gpa_credits: r.gpa_credits,
    quality_points: r.quality_points,
    repeat_policy: policy,
    transfer_credits: transfers
      .filter((t) => counted.has(t.id) && t.is_passing)
      .reduce((s, t) => s + Number(t.credits), 0),
    semesters: [...sessions.entries()].map(([k, list]) => {
      const s = computeGpa(list.map(fromGrade), policy);
      return {
        academic_session_id: k || null,
        name: list[0].session_name,
        sgpa: s.gpa,
        credits_attempted: s.credits_attempted,
        credits_earned: s.credits_earned,
      };
    }),
    courses: courseLines(rows, transfers, counted, attempts),
  };
}

/** Recomputes and stores the semester results (SGPA, credits) of the given student × term pairs. */
export async function storeSemesterResults(
  db: DbOrTx,
  pairs: Array<{ studentId: string; sessionId: string; organizationId: string }>,
) {
  const seen = new Set<string>();
  const policies = new Map<string, RepeatPolicy>();
  let stored = 0;
  for (const p of pairs) {
    const k = `${p.studentId}|${p.sessionId}`;
    if (seen.has(k)) continue;
    seen.add(k);
    let policy = policies.get(p.organizationId);
    if (!policy) {
      policy = (await effectiveSettings(db, p.organizationId)).repeat_policy;
      policies.set(p.organizationId, policy);
    }
    const r = computeGpa(
      (await postedAttempts(db, p.studentId, sql`g.academic_session_id = ${p.sessionId}`)).map(fromGrade),
      policy,
    );
    const values = {
      organizationId: p.organizationId,
      studentId: p.studentId,
      academicSessionId: p.sessionId,
      sgpa: r.gpa === null ? null : String(r.gpa),
      creditsAttempted: String(r.credits_attempted),
      creditsEarned: String(r.credits_earned),
      qualityPoints: String(r.quality_points),
      computedAt: new Date(),
    };
    await db
      .insert(semesterResults)
      .values(values)
      .onConflictDoUpdate({
        target: [semesterResults.studentId, semesterResults.academicSessionId],
        set: values,
      });
    stored++;
  }
  return stored;
}
