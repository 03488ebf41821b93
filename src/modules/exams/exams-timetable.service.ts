import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { rowsOf } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { studentReadScope } from '../students/index.js';
import { rethrowUnique } from '../users/index.js';
import { EDITABLE } from './exams.service.js';
import { examTimetableEntries } from './exams.table.js';
import * as clashes from './exams-clashes.repo.js';
import { assertNoClash } from './exams-clashes.service.js';
import * as repo from './exams-timetable.repo.js';
import type {
  CreateExamEntryT,
  ExamEntryFilters,
  ExamEntryT,
  UpdateExamEntryT,
} from './exams-timetable.schemas.js';

const UNIQUE = { exam_timetable_entries_schedule_class_uq: 'class_id' };

export async function listEntries(db: Db, ctx: RequestContext, q: ExamEntryFilters, w: PageWindow) {
  const { rows, total } = await repo.listEntries(db, [repo.readScope(ctx.actor), ...repo.filterConds(q)], w);
  return page(rows.map(repo.toEntry), total, w);
}

export async function getEntry(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findEntry(db, [sql`x.id = ${id}`, repo.readScope(ctx.actor)]);
  if (!row) throw notFound('Exam timetable entry');
  return repo.toEntry(row);
}

/** Who a student view is for: a student id (checked against the students module's read scope) or "me". */
export type StudentRef = { id: string } | { me: true };

/** Entries of a student's enrolled classes that the actor may read, schedules not cancelled. */
async function studentConds(db: Db, ctx: RequestContext, who: StudentRef): Promise<SQL[]> {
  let enrolled: SQL;
  if ('id' in who) {
    const st = { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` };
    const visible = rowsOf(
      await db.execute(
        sql`select 1 from students s where s.id = ${who.id} and ${studentReadScope(ctx.actor, st)}`,
      ),
    );
    if (!visible.length) throw notFound('Student');
    enrolled = sql`se.student_id = ${who.id}`;
  } else {
    enrolled = sql`se.student_id in (select ms.id from students ms where ms.user_id = ${ctx.actor.userId})`;
  }
  return [
    sql`x.class_id in (select se.class_id from enrollments se where ${enrolled} and se.status = 'enrolled')`,
    sql`es.status <> 'cancelled'`,
    repo.readScope(ctx.actor),
  ];
}

export async function studentEntries(
  db: Db,
  ctx: RequestContext,
  who: StudentRef,
  q: ExamEntryFilters,
  w: PageWindow,
) {
  const conds = [...(await studentConds(db, ctx, who)), ...repo.filterConds(q)];
  const { rows, total } = await repo.listEntries(db, conds, w);
  return page(rows.map(repo.toEntry), total, w);
}

/** The feed's window: exams from 180 days back, at most this many (a calendar shows what is current). */
export const FEED_LIMIT = 1000;

/** The rows of a student's calendar feed (with each organization's time zone). */
export async function studentFeedRows(db: Db, ctx: RequestContext, who: StudentRef, f: ExamEntryFilters) {
  const conds = [
    ...(await studentConds(db, ctx, who)),
    ...repo.filterConds(f),
    sql`x.exam_date >= current_date - 180`,
  ];
  return repo.entriesAfter(db, conds, null, FEED_LIMIT);
}

/** The entry as it would be written, with everything checked that does not need the clash queries. */
interface Placement {
  scheduleId: string;
  organizationId: string;
  classId: string;
  date: string;
  start: string;
  duration: number;
  venueId: string;
  venueName: string;
  capacity: number;
  maxMarks: number;
  at: clashes.Instants;
}

async function place(
  tx: Tx,
  ctx: RequestContext,
  v: Omit<CreateExamEntryT, 'max_marks'> & { max_marks: number },
  excludeId: string | null,
): Promise<Placement> {
  const sch = await repo.scheduleForWrite(tx, ctx.actor, v.exam_schedule_id);
  if (!sch) throw notFound('Exam schedule');
  if (!EDITABLE.includes(sch.status)) {
    throw businessRule('exam_schedule_locked', `The exam schedule is ${sch.status}; its timetable is fixed`, [
      { field: 'exam_schedule_id', message: 'must be a draft or scheduled exam schedule' },
    ]);
  }
  if (v.date < sch.start_date || v.date > sch.end_date) {
    throw businessRule('date_outside_schedule', `The exam schedule runs ${sch.start_date}..${sch.end_date}`, [
      { field: 'date', message: `must be within ${sch.start_date}..${sch.end_date}` },
    ]);
  }
  const [h, m] = v.start_time.split(':').map(Number);
  if (h * 60 + m + v.duration >= 24 * 60) {
    throw businessRule('exam_crosses_midnight', 'An exam must end before midnight of the day it starts', [
      { field: 'duration', message: 'ends after midnight' },
    ]);
  }
  const cls = await repo.classInSubtree(tx, v.class_id, sch.path);
  if (!cls) throw notFound('Class');
  if (sch.course_id && cls.course_id !== sch.course_id) {
    throw businessRule('class_not_of_course', 'The exam schedule is for another course', [
      { field: 'class_id', message: "must be a class of the schedule's course" },
    ]);
  }
  if (await repo.classScheduled(tx, sch.id, v.class_id, excludeId)) {
    throw conflict('The class already has an entry in this exam schedule', 'conflict', [
      { field: 'class_id', message: 'has an entry in this exam schedule' },
    ]);
  }
  const venue = await repo.venueByName(tx, sch.organization_id, v.venue);
  if (!venue) {
    throw businessRule('unknown_venue', `No active exam venue named "${v.venue}" in the organization`, [
      { field: 'venue', message: 'must name an active venue of /exam-venues' },
    ]);
  }
  const at = await clashes.instants(tx, {
    date: v.date,
    start: v.start_time,
    duration: v.duration,
    tz: sch.timezone,
  });
  return {
    scheduleId: sch.id,
    organizationId: sch.organization_id,
    classId: v.class_id,
    date: v.date,
    start: v.start_time,
    duration: v.duration,
    venueId: venue.id,
    venueName: venue.name,
    capacity: venue.capacity,
    maxMarks: v.max_marks,
    at,
  };
}

const values = (p: Placement) => ({
  classId: p.classId,
  venueId: p.venueId,
  examDate: p.date,
  startTime: p.start,
  endTime: p.at.end_time,
  durationMinutes: p.duration,
  startsAt: new Date(p.at.starts_at),
  endsAt: new Date(p.at.ends_at),
  maxMarks: String(p.maxMarks),
});

async function reread(tx: Tx, id: string): Promise<ExamEntryT> {
  return repo.toEntry((await repo.findEntry(tx, [sql`x.id = ${id}`]))!);
}

export async function createEntry(db: Db, ctx: RequestContext, input: CreateExamEntryT) {
  try {
    return await withTx(db, async (tx) => {
      const p = await place(tx, ctx, input, null);
      await assertNoClash(tx, p, null);
      const id = uuidv7();
      await tx.insert(examTimetableEntries).values({
        id,
        organizationId: p.organizationId,
        examScheduleId: p.scheduleId,
        createdBy: ctx.actor.userId,
        ...values(p),
      });
      const out = await reread(tx, id);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'exam_timetable_entry',
        entityId: id,
        organizationId: p.organizationId,
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE);
  }
}

export async function updateEntry(db: Db, ctx: RequestContext, id: string, input: UpdateExamEntryT) {
  try {
    return await withTx(db, async (tx) => {
      const cur = await repo.entryForWrite(tx, ctx.actor, id);
      if (!cur) throw notFound('Exam timetable entry');
      const before = await reread(tx, id);
      const p = await place(
        tx,
        ctx,
        {
          exam_schedule_id: cur.exam_schedule_id,
          class_id: input.class_id ?? cur.class_id,
          date: input.date ?? cur.date,
          start_time: input.start_time ?? cur.start_time,
          duration: input.duration ?? Number(cur.duration),
          venue: input.venue ?? cur.venue,
          max_marks: input.max_marks ?? Number(cur.max_marks),
        },
        id,
      );
      await assertNoClash(tx, p, id);
      await tx
        .update(examTimetableEntries)
        .set({ ...values(p), updatedAt: new Date() })
        .where(sql`${examTimetableEntries.id} = ${id}`);
      const out = await reread(tx, id);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'exam_timetable_entry',
        entityId: id,
        organizationId: p.organizationId,
        before,
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE);
  }
}

export async function deleteEntry(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const cur = await repo.entryForWrite(tx, ctx.actor, id);
    if (!cur) throw notFound('Exam timetable entry');
    const sch = await repo.scheduleForWrite(tx, ctx.actor, cur.exam_schedule_id);
    if (!sch || !EDITABLE.includes(sch.status)) {
      throw businessRule('exam_schedule_locked', 'The exam schedule is no longer a draft or scheduled', [
        { field: 'exam_schedule_id', message: 'must be a draft or scheduled exam schedule' },
      ]);
    }
    const before = await reread(tx, id);
    await tx.delete(examTimetableEntries).where(sql`${examTimetableEntries.id} = ${id}`);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'exam_timetable_entry',
      entityId: id,
      organizationId: before.organization_id,
      before,
    });
  });
}
