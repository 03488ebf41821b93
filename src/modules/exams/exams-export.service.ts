import type { Readable } from 'node:stream';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { csvStream, xlsxStream } from '../../kernel/spreadsheet.js';
import { renderCalendar } from '../timetable/index.js';
import * as repo from './exams-timetable.repo.js';
import type { ExamEntryFilters, ExamEntryT } from './exams-timetable.schemas.js';
import { type StudentRef, studentFeedRows } from './exams-timetable.service.js';

/** Rows per keyset query of an export: bounds its memory whatever the timetable's size. */
export const EXPORT_BATCH = 500;

/** The export's columns, in file order: the fields of the JSON list a spreadsheet reader needs. */
export const EXPORT_COLUMNS = [
  'id',
  'exam_name',
  'exam_type',
  'exam_status',
  'academic_year',
  'semester',
  'class_name',
  'course_code',
  'course_name',
  'date',
  'start_time',
  'end_time',
  'duration',
  'venue',
  'max_marks',
  'student_count',
] as const satisfies ReadonlyArray<keyof ExamEntryT>;

/** Every entry the actor may read that matches, in list order, one keyset batch at a time. */
async function* batches(db: Db, ctx: RequestContext, f: ExamEntryFilters) {
  const conds = [repo.readScope(ctx.actor), ...repo.filterConds(f)];
  let after: { date: string; start: string; id: string } | null = null;
  for (;;) {
    const rows = await repo.entriesAfter(db, conds, after, EXPORT_BATCH);
    yield rows.map((r) => {
      const e = repo.toEntry(r);
      return EXPORT_COLUMNS.map((c) => e[c]);
    });
    if (rows.length < EXPORT_BATCH) return;
    const last = rows[rows.length - 1];
    after = { date: last.date, start: last.start_time, id: last.id };
  }
}

async function* rows(db: Db, ctx: RequestContext, f: ExamEntryFilters) {
  for await (const b of batches(db, ctx, f)) yield* b;
}

/** The filtered exam timetable as a streamed CSV or XLSX file (formula-looking cells neutralized). */
export function exportEntries(
  db: Db,
  ctx: RequestContext,
  f: ExamEntryFilters,
  format: 'csv' | 'xlsx',
): Readable {
  const header = [...EXPORT_COLUMNS];
  return format === 'xlsx'
    ? xlsxStream('Exam timetable', header, rows(db, ctx, f))
    : csvStream(header, batches(db, ctx, f));
}

/** A student's exams as an iCalendar feed: one VEVENT per paper, in the organization's time zone. */
export async function studentCalendar(db: Db, ctx: RequestContext, who: StudentRef, f: ExamEntryFilters) {
  const list = await studentFeedRows(db, ctx, who, f);
  return renderCalendar({
    name: 'Exam timetable',
    events: list.map((r) => {
      const e = repo.toEntry(r);
      const title = e.course_code ? `${e.course_code} ${e.class_name}` : e.class_name;
      return {
        uid: `exam-entry-${e.id}@registrar`,
        summary: `${e.exam_name}: ${title}`,
        location: e.venue,
        description: `${e.exam_type} exam · ${e.duration} minutes · max marks ${e.max_marks}`,
        timezone: r.timezone || 'UTC',
        date: e.date,
        start: e.start_time,
        end: e.end_time,
      };
    }),
  });
}
