import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { conflict, type ErrorDetail, notFound } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { managesExams } from './exams.policy.js';
import * as clashes from './exams-clashes.repo.js';
import type { ScheduleClashesT } from './exams-timetable.schemas.js';

/** What the clash checks need of a placement. */
export interface ClashCheck {
  classId: string;
  venueId: string;
  venueName: string;
  capacity: number;
  at: clashes.Instants;
}

/** A student clash as `error.details` and the clash report name it. */
const clashesWith = (s: clashes.StudentClashRow) => ({
  entry_id: s.entry_id,
  exam_schedule_id: s.exam_schedule_id,
  exam_name: s.exam_name,
  class_id: s.class_id,
  class_name: s.class_name,
  date: s.date,
  start_time: s.start_time,
  end_time: s.end_time,
});

/**
 * Refuses the placement (409 `exam_clash`) if a student of the class would sit two exams at once or the
 * venue would seat more candidates than it has seats, naming every clash. Runs under the day locks, inside
 * the write's transaction, so a concurrent write that could clash waits and then sees this one.
 */
export async function assertNoClash(tx: Tx, p: ClashCheck, excludeId: string | null) {
  await clashes.lockDays(tx, p.at.days);
  const span = { startsAt: p.at.starts_at, endsAt: p.at.ends_at, excludeId };
  const [students, load] = [
    await clashes.studentClashes(tx, { ...span, classId: p.classId }),
    await clashes.venueLoad(tx, { ...span, venueId: p.venueId, classId: p.classId }),
  ];
  const details: ErrorDetail[] = students.map((s) => ({
    type: 'student',
    field: 'start_time',
    message: `${s.student_name} (${s.student_number}) already sits ${s.exam_name}: ${s.class_name} on ${s.date} ${s.start_time}–${s.end_time}`,
    student_id: s.student_id,
    student_number: s.student_number,
    student_name: s.student_name,
    clashes_with: clashesWith(s),
  }));
  const required = load.seats + load.others;
  if (required > p.capacity) {
    details.push({
      type: 'venue',
      field: 'venue',
      message: `${p.venueName} seats ${p.capacity}; ${required} candidates would sit there at ${load.at}`,
      venue: p.venueName,
      venue_id: p.venueId,
      capacity: p.capacity,
      seats_required: required,
      class_seats: load.seats,
      at: load.at,
      shared_with: load.entries,
    });
  }
  if (!details.length) return;
  const studentTotal = students.length ? Number(students[0].total) : 0;
  const parts = [
    ...(studentTotal ? [`${studentTotal} student clash${studentTotal === 1 ? '' : 'es'}`] : []),
    ...(required > p.capacity ? [`venue ${p.venueName} over capacity (${required} > ${p.capacity})`] : []),
  ];
  throw conflict(`The exam clashes: ${parts.join('; ')}`, 'exam_clash', details);
}

/** Rows the clash report lists at most, per kind. */
export const REPORT_LIMIT = 200;

/**
 * The clashes of a schedule's entries as the rosters stand now: enrollments can change after the entries
 * were placed (and checked), so managers re-check a schedule here before publishing it.
 */
export async function scheduleClashes(
  db: Db,
  ctx: RequestContext,
  scheduleId: string,
): Promise<ScheduleClashesT> {
  const found = firstRow<{ id: string }>(
    await db.execute(sql`select es.id from exam_schedules es
                          where es.id = ${scheduleId} and ${managesExams(ctx.actor, sql`es.organization_id`)}`),
  );
  if (!found) throw notFound('Exam schedule');
  const [students, venues] = await Promise.all([
    clashes.scheduleStudentClashes(db, scheduleId, REPORT_LIMIT),
    clashes.scheduleVenueOverloads(db, scheduleId, REPORT_LIMIT),
  ]);
  return {
    exam_schedule_id: scheduleId,
    student_clash_total: students.length ? Number(students[0].total) : 0,
    student_clashes: students.map((s) => ({
      student_id: s.student_id,
      student_number: s.student_number,
      student_name: s.student_name,
      entry: {
        entry_id: s.entry_id_a,
        class_id: s.class_id_a,
        class_name: s.class_name_a,
        start_time: s.start_time_a,
      },
      clashes_with: clashesWith(s),
    })),
    venue_overloads: venues,
  };
}
