import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { gradebookClassScope, recordReadScope } from './grades.policy.js';

/** The classes a student is (or was) enrolled in, and whether the actor sees their live gradebook. */
export async function studentClasses(db: DbOrTx, actor: Actor, studentId: string) {
  return rowsOf<{
    class_id: string;
    class_name: string;
    course_id: string | null;
    subject_id: string | null;
    organization_id: string;
    live: boolean;
  }>(
    await db.execute(sql`
      select distinct c.id as class_id, c.name as class_name, c.course_id, c.subject_id, c.organization_id,
             ${gradebookClassScope(actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })} as live
        from enrollments e join classes c on c.id = e.class_id
       where e.student_id = ${studentId} and e.status in ('enrolled', 'completed')
       order by c.name`),
  );
}

/** Posted grades of whole classes (for ranks): student, percent, letter, points. */
export async function postedOfClasses(db: DbOrTx, classIds: string[]) {
  if (classIds.length === 0) return [];
  return rowsOf<{
    class_id: string;
    student_id: string;
    percent: string | null;
    letter: string;
    grade_points: string;
  }>(
    await db.execute(sql`
      select distinct on (g.class_id, g.student_id) g.class_id, g.student_id, g.percent, g.letter, g.grade_points
        from grades g
       where g.class_id in (${sql.join(
         classIds.map((i) => sql`${i}`),
         sql`, `,
       )}) and g.status = 'posted'
       order by g.class_id, g.student_id, g.posted_at desc`),
  );
}

export async function sessionName(db: DbOrTx, id: string, orgId: string) {
  return firstRow<{ id: string; name: string }>(
    await db.execute(sql`select s.id, s.name from academic_sessions s
                          where s.id = ${id} and exists (select 1 from organizations o join organizations so on o.path like so.path || '%'
                                                          where o.id = ${orgId} and so.id = s.organization_id)`),
  );
}

export async function honorRoll(
  db: DbOrTx,
  actor: Actor,
  sessionId: string,
  minGpa: number,
  minCredits: number,
  w: PageWindow,
) {
  const where = sql`r.academic_session_id = ${sessionId} and r.sgpa >= ${minGpa} and r.credits_earned >= ${minCredits}
                    and s.deleted_at is null and ${recordReadScope(actor, { id: sql`s.id`, organizationId: sql`s.organization_id` })}`;
  const [rows, total] = await Promise.all([
    db.execute(sql`
      select rank() over (order by r.sgpa desc)::int as rank, s.id as student_id, s.student_number,
             s.first_name || ' ' || s.last_name as student_name, r.sgpa::float8 as sgpa, r.credits_earned::float8 as credits_earned
        from semester_results r join students s on s.id = r.student_id
       where ${where}
       order by r.sgpa desc, s.last_name, s.first_name, s.id
       limit ${w.limit} offset ${w.offset}`),
    db.execute(
      sql`select count(*)::int as n from semester_results r join students s on s.id = r.student_id where ${where}`,
    ),
  ]);
  return {
    rows: rowsOf<{
      rank: number;
      student_id: string;
      student_number: string;
      student_name: string;
      sgpa: number;
      credits_earned: number;
    }>(rows),
    total: firstRow<{ n: number }>(total)?.n ?? 0,
  };
}

export const ownStudentId = async (db: DbOrTx, actor: Actor) =>
  firstRow<{ id: string }>(
    await db.execute(sql`select id from students where user_id = ${actor.userId} and deleted_at is null`),
  )?.id;

export const sessionOrg = async (db: DbOrTx, id: string) =>
  firstRow<{ organization_id: string }>(
    await db.execute(sql`select organization_id from academic_sessions where id = ${id}`),
  )?.organization_id;
