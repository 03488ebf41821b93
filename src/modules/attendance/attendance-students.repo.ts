import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { rowsOf } from '../../kernel/sql.js';

type Num = number | string;

import { studentReadScope } from '../students/index.js';
import { recordReadScope } from './attendance.policy.js';
import type { RecordSqlRow } from './attendance.repo.js';
import type { StudentAttendanceQueryT } from './attendance-students.schemas.js';

export type StudentHead = {
  id: string;
  student_number: string;
  student_name: string;
};

const head = sql`st.id, st.student_number, (st.first_name || ' ' || st.last_name) as student_name`;

/** The live student if the actor may read them (the students module's read scope); else null. */
export async function readableStudent(db: DbOrTx, actor: Actor, id: string) {
  const scope = studentReadScope(actor, {
    id: sql`st.id`,
    organizationId: sql`st.organization_id`,
    userId: sql`st.user_id`,
  });
  const rows = rowsOf<StudentHead>(
    await db.execute(sql`select ${head} from students st
                          where st.id = ${id} and st.deleted_at is null and ${scope}`),
  );
  return rows[0] ?? null;
}

/** The signed-in student's own profile and, for a parent, each linked child (live students only). */
export async function ownStudents(db: DbOrTx, actor: Actor) {
  return rowsOf<StudentHead>(
    await db.execute(sql`select ${head} from students st
                          where st.deleted_at is null
                            and (st.user_id = ${actor.userId}
                                 or exists (select 1 from student_guardians sg join guardians g on g.id = sg.guardian_id
                                             where sg.student_id = st.id and g.user_id = ${actor.userId}))
                          order by st.last_name, st.first_name, st.id`),
  );
}

const readable = (actor: Actor, alias: 'r' | 't') =>
  recordReadScope(actor, {
    studentId: sql.raw(`${alias}.student_id`),
    classId: sql.raw(`${alias}.class_id`),
    organizationId: sql.raw(`${alias}.organization_id`),
  });

/** Per-class tallies of the students (those of classes the actor may read), one query for all of them. */
export async function summaries(db: DbOrTx, actor: Actor, studentIds: string[], classId?: string) {
  const conds: SQL[] = [sql`t.student_id = any(${sql.param(studentIds)}::uuid[])`, readable(actor, 't')];
  if (classId) conds.push(sql`t.class_id = ${classId}`);
  return rowsOf<{
    student_id: string;
    class_id: string;
    class_name: string;
    present: Num;
    absent: Num;
    late: Num;
    excused: Num;
    percentage: Num | null;
  }>(
    await db.execute(sql`select t.student_id, t.class_id, c.name as class_name, t.present, t.absent, t.late,
                                t.excused, round(t.percentage, 2) as percentage
                           from attendance_tallies t join classes c on c.id = t.class_id
                          where ${sql.join(conds, sql` and `)}
                          order by c.name, c.id`),
  );
}

/** The newest `limit` readable records of one student matching the filters, and how many match. */
export async function studentRecords(
  db: DbOrTx,
  actor: Actor,
  studentId: string,
  q: StudentAttendanceQueryT,
  limit: number,
) {
  const conds: SQL[] = [sql`r.student_id = ${studentId}`, readable(actor, 'r')];
  if (q.class_id) conds.push(sql`r.class_id = ${q.class_id}`);
  if (q.attendance_status) conds.push(sql`r.status = ${q.attendance_status}`);
  if (q.from) conds.push(sql`r.attendance_date >= ${q.from}::date`);
  if (q.to) conds.push(sql`r.attendance_date <= ${q.to}::date`);
  const where = sql.join(conds, sql` and `);
  const rows = rowsOf<RecordSqlRow & { total_count: Num }>(
    await db.execute(sql`select r.id, r.session_id, r.student_id, r.class_id, r.organization_id,
                                r.attendance_date::text as attendance_date, ss.period, r.status, r.minutes_late,
                                r.remarks, r.recognized_by_ai, r.similarity_score, r.marked_by, st.student_number,
                                st.roll_no, (st.first_name || ' ' || st.last_name) as student_name, r.created_at,
                                r.updated_at, count(*) over () as total_count
                           from attendance_records r
                           join attendance_sessions ss on ss.id = r.session_id
                           join students st on st.id = r.student_id
                          where ${where}
                          order by r.attendance_date desc, r.id desc limit ${limit}`),
  );
  return rows;
}
