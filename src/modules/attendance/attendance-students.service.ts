import type { Static } from 'typebox';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { toRecord } from './attendance.service.js';
import * as repo from './attendance-students.repo.js';
import type { StudentAttendance, StudentAttendanceQueryT } from './attendance-students.schemas.js';

type StudentAttendanceT = Static<typeof StudentAttendance>;

/** Summaries (one query for all students) and each student's newest records, only rows the actor may read. */
async function attendanceOf(
  db: Db,
  ctx: RequestContext,
  heads: repo.StudentHead[],
  q: StudentAttendanceQueryT,
): Promise<StudentAttendanceT[]> {
  if (heads.length === 0) return [];
  const limit = q.limit ?? 50;
  const tallies = await repo.summaries(
    db,
    ctx.actor,
    heads.map((h) => h.id),
    q.class_id,
  );
  const out: StudentAttendanceT[] = [];
  // One records query per student: a parent has a handful of children, a student one.
  for (const h of heads) {
    const rows = await repo.studentRecords(db, ctx.actor, h.id, q, limit);
    out.push({
      student_id: h.id,
      student_number: h.student_number,
      student_name: h.student_name,
      summary: tallies
        .filter((t) => t.student_id === h.id)
        .map((t) => ({
          class_id: t.class_id,
          class_name: t.class_name,
          present: Number(t.present),
          absent: Number(t.absent),
          late: Number(t.late),
          excused: Number(t.excused),
          percentage: t.percentage === null ? null : Number(t.percentage),
        })),
      records: rows.map(toRecord),
      records_total: rows.length ? Number(rows[0].total_count) : 0,
    });
  }
  return out;
}

/**
 * GET /students/{id}/attendance: the student must be in the actor's student read scope (else 404); the
 * records and summaries are those the actor may read (a teacher: only the classes they teach).
 */
export async function studentAttendance(
  db: Db,
  ctx: RequestContext,
  studentId: string,
  q: StudentAttendanceQueryT,
) {
  const h = await repo.readableStudent(db, ctx.actor, studentId);
  if (!h) throw notFound('Student');
  const [one] = await attendanceOf(db, ctx, [h], q);
  return one;
}

/** GET /students/me/attendance: the signed-in student's own, or each linked child's for a parent. */
export async function myAttendance(db: Db, ctx: RequestContext, q: StudentAttendanceQueryT) {
  const heads = await repo.ownStudents(db, ctx.actor);
  if (heads.length === 0) throw notFound('Student profile');
  return attendanceOf(db, ctx, heads, q);
}
