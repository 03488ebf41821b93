import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { rowsOf } from '../../kernel/sql.js';
import { classReadScope } from '../classes/index.js';
import { attendanceClassScope, recordReadScope } from './attendance.policy.js';
import type { ListRecordsQueryT, ListSessionsQueryT, UpdateRecordT } from './attendance.schemas.js';
import { attendanceRecords, attendanceSessions } from './attendance.table.js';
import { frozenPredicate } from './attendance-mark.repo.js';

const c = { id: sql`c.id`, organizationId: sql`c.organization_id` };

/** A session row as `sessionCols` selects it (numbers and jsonb may arrive as strings from some drivers). */
export interface SessionSqlRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  class_id: string;
  session_date: string;
  period: number | string | null;
  evidence_url: string | null;
  taken_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  counts: unknown;
  total_count?: number | string;
}

/** A record row as `recordCols` selects it. */
export interface RecordSqlRow extends Record<string, unknown> {
  id: string;
  session_id: string;
  student_id: string;
  class_id: string;
  organization_id: string;
  attendance_date: string;
  period: number | string | null;
  status: 'present' | 'absent' | 'late' | 'excused';
  minutes_late: number | string | null;
  remarks: string | null;
  recognized_by_ai: boolean | null;
  similarity_score: number | string | null;
  marked_by: string | null;
  student_number: string;
  roll_no: string | null;
  student_name: string;
  created_at: Date | string;
  updated_at: Date | string;
}

/** One roster line of `classDay` (the record columns are null when the student is not marked yet). */
export interface ClassDaySqlRow extends Record<string, unknown> {
  student_id: string;
  student_number: string;
  roll_no: string | null;
  student_name: string;
  record_id: string | null;
  session_id: string | null;
  period: number | string | null;
  status: RecordSqlRow['status'] | null;
  minutes_late: number | string | null;
  remarks: string | null;
  recognized_by_ai: boolean | null;
  similarity_score: number | string | null;
}

type ClassSqlRow = { id: string; organization_id: string; name: string };

/** The class, if the actor may take its attendance. */
export async function findTeachableClass(db: DbOrTx, actor: Actor, classId: string) {
  const r = rowsOf<ClassSqlRow>(
    await db.execute(sql`select c.id, c.organization_id, c.name from classes c
                          where c.id = ${classId} and ${attendanceClassScope(actor, c)}`),
  );
  return r[0] ?? null;
}

/** The class, if the actor may see it at all (students and parents included). */
export async function findReadableClass(db: DbOrTx, actor: Actor, classId: string) {
  const r = rowsOf<ClassSqlRow>(
    await db.execute(sql`select c.id, c.organization_id, c.name from classes c
                          where c.id = ${classId} and ${classReadScope(actor, c)}`),
  );
  return r[0] ?? null;
}

export async function isFrozen(db: DbOrTx, organizationId: string, date: string): Promise<boolean> {
  const r = rowsOf<{ f: boolean }>(
    await db.execute(sql`select ${frozenPredicate(sql`${organizationId}::uuid`, sql`${date}::date`)} as f`),
  );
  return r[0]?.f === true;
}

export async function insertSession(db: DbOrTx, values: typeof attendanceSessions.$inferInsert) {
  const [row] = await db.insert(attendanceSessions).values(values).returning();
  return row;
}

const sessionCols = sql`s.id, s.organization_id, s.class_id, s.session_date::text as session_date, s.period,
  s.evidence_url, s.taken_by, s.created_at, s.updated_at,
  (select jsonb_build_object('total', count(*), 'present', count(*) filter (where r.status = 'present'),
          'absent', count(*) filter (where r.status = 'absent'), 'late', count(*) filter (where r.status = 'late'),
          'excused', count(*) filter (where r.status = 'excused'))
     from attendance_records r where r.session_id = s.id) as counts`;

/** Sessions in the actor's teaching scope, newest first, with per-status counts (one query, no N+1). */
export async function listSessions(
  db: DbOrTx,
  actor: Actor,
  q: ListSessionsQueryT,
  w: { limit: number; offset: number },
) {
  const conds: SQL[] = [attendanceClassScope(actor, c)];
  if (q.class_id) conds.push(sql`s.class_id = ${q.class_id}`);
  if (q.from) conds.push(sql`s.session_date >= ${q.from}`);
  if (q.to) conds.push(sql`s.session_date <= ${q.to}`);
  const where = sql.join(conds, sql` and `);
  const list = rowsOf<SessionSqlRow>(
    await db.execute(sql`select ${sessionCols}, count(*) over () as total_count
                           from attendance_sessions s join classes c on c.id = s.class_id
                          where ${where}
                          order by s.session_date desc, coalesce(s.period, 0) desc, s.id desc
                          limit ${w.limit} offset ${w.offset}`),
  );
  let total = list.length ? Number(list[0].total_count) : 0;
  if (!list.length && w.offset > 0) {
    const t = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from attendance_sessions s join classes c on c.id = s.class_id where ${where}`,
      ),
    );
    total = t[0].n;
  }
  return { rows: list, total };
}

export async function findSession(db: DbOrTx, actor: Actor, id: string) {
  const r = rowsOf<SessionSqlRow>(
    await db.execute(sql`select ${sessionCols} from attendance_sessions s join classes c on c.id = s.class_id
                          where s.id = ${id} and ${attendanceClassScope(actor, c)}`),
  );
  return r[0] ?? null;
}

const recordCols = sql`r.id, r.session_id, r.student_id, r.class_id, r.organization_id,
  r.attendance_date::text as attendance_date, ss.period, r.status, r.minutes_late, r.remarks, r.recognized_by_ai,
  r.similarity_score, r.marked_by, st.student_number, st.roll_no,
  (st.first_name || ' ' || st.last_name) as student_name, r.created_at, r.updated_at`;

export async function sessionRecords(db: DbOrTx, sessionId: string) {
  return rowsOf<RecordSqlRow>(
    await db.execute(sql`select ${recordCols} from attendance_records r
                           join attendance_sessions ss on ss.id = r.session_id
                           join students st on st.id = r.student_id
                          where r.session_id = ${sessionId}
                          order by st.roll_no nulls last, st.last_name, st.first_name, r.id`),
  );
}

/** One record if the actor may read it (`mode` read) or change it (`mode` take). */
export async function findRecord(db: DbOrTx, actor: Actor, id: string, mode: 'read' | 'take') {
  const scope =
    mode === 'take'
      ? sql`exists (select 1 from classes c where c.id = r.class_id and ${attendanceClassScope(actor, c)})`
      : recordReadScope(actor, {
          studentId: sql`r.student_id`,
          classId: sql`r.class_id`,
          organizationId: sql`r.organization_id`,
        });
  const r = rowsOf<RecordSqlRow>(
    await db.execute(sql`select ${recordCols} from attendance_records r
                           join attendance_sessions ss on ss.id = r.session_id
                           join students st on st.id = r.student_id
                          where r.id = ${id} and ${scope}`),
  );
  return r[0] ?? null;
}

export async function updateRecord(db: DbOrTx, id: string, actorId: string, input: UpdateRecordT) {
  await db
    .update(attendanceRecords)
    .set({
      status: input.status,
      minutesLate: input.minutes_late,
      remarks: input.remarks,
      recognizedByAi: input.recognized_by_ai,
      similarityScore:
        input.similarity_score === undefined
          ? undefined
          : input.similarity_score === null
            ? null
            : String(input.similarity_score),
      markedBy: actorId,
      updatedAt: new Date(),
    })
    .where(eq(attendanceRecords.id, id));
}

/**
 * Keyset-paginated feed, newest date first: (attendance_date, id) < cursor, served by the
 * (class_id|student_id|organization_id, attendance_date, id) indexes without OFFSET scans.
 */
export async function listRecords(
  db: DbOrTx,
  actor: Actor,
  q: ListRecordsQueryT,
  limit: number,
  cursor: { sortKey: string | number; id: string } | null,
) {
  const conds: SQL[] = [
    recordReadScope(actor, {
      studentId: sql`r.student_id`,
      classId: sql`r.class_id`,
      organizationId: sql`r.organization_id`,
    }),
  ];
  if (q.class_id) conds.push(sql`r.class_id = ${q.class_id}`);
  if (q.student_id) conds.push(sql`r.student_id = ${q.student_id}`);
  if (q.attendance_status) conds.push(sql`r.status = ${q.attendance_status}`);
  if (q.from) conds.push(sql`r.attendance_date >= ${q.from}`);
  if (q.to) conds.push(sql`r.attendance_date <= ${q.to}`);
  if (cursor)
    conds.push(sql`(r.attendance_date, r.id) < (${String(cursor.sortKey)}::date, ${cursor.id}::uuid)`);
  return rowsOf<RecordSqlRow>(
    await db.execute(sql`select ${recordCols} from attendance_records r
                           join attendance_sessions ss on ss.id = r.session_id
                           join students st on st.id = r.student_id
                          where ${sql.join(conds, sql` and `)}
                          order by r.attendance_date desc, r.id desc limit ${limit}`),
  );
}

/** The roster of a class with each student's record(s) on a day (null status = not marked yet). */
export async function classDay(db: DbOrTx, classId: string, date: string, period: number | undefined) {
  const periodCond = period === undefined ? sql`true` : sql`coalesce(ss.period, 0) = ${period}`;
  return rowsOf<ClassDaySqlRow>(
    await db.execute(sql`
      select st.id as student_id, st.student_number, st.roll_no, (st.first_name || ' ' || st.last_name) as student_name,
             x.id as record_id, x.session_id, x.period, x.status, x.minutes_late, x.remarks, x.recognized_by_ai,
             x.similarity_score
        from enrollments e join students st on st.id = e.student_id
        left join lateral (
          select r.id, r.session_id, ss.period, r.status, r.minutes_late, r.remarks, r.recognized_by_ai,
                 r.similarity_score
            from attendance_records r join attendance_sessions ss on ss.id = r.session_id
           where r.class_id = ${classId} and r.attendance_date = ${date} and r.student_id = st.id and ${periodCond}
        ) x on true
       where e.class_id = ${classId} and e.status = 'enrolled' and st.deleted_at is null
       order by st.roll_no nulls last, st.last_name, st.first_name, st.id, x.period nulls first`),
  );
}
