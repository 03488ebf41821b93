import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { iso } from '../../kernel/sql.js';
import { bandFor, courseAverage, rankWithTies, roundBy } from './grades-gpa.js';
import * as repo from './grades-gradebook.repo.js';
import type { GradebookT, MarkInputT, MarksResultT, MarkT } from './grades-gradebook.schemas.js';
import { toAssessment, toCategory } from './grades-gradebook.service.js';
import { type MarkRow, writeMarks } from './grades-marks.repo.js';
import { scaleFor } from './grades-scales.repo.js';

const num = (v: string | number | null) => (v === null ? null : Number(v));

// ---- marks

/** Validates state/marks pairs: scored needs marks; the other states carry none. */
export function toMarkRows(input: MarkInputT[], prefix = 'marks/'): MarkRow[] {
  const bad: Array<{ field: string; message: string }> = [];
  const rows = input.map((m, i) => {
    const state = m.state ?? (m.marks === null || m.marks === undefined ? 'missing' : 'scored');
    const marks = m.marks ?? null;
    if (state === 'scored' && marks === null)
      bad.push({ field: `${prefix}${i}/marks`, message: 'is required when state is scored' });
    if (state !== 'scored' && marks !== null)
      bad.push({ field: `${prefix}${i}/marks`, message: `must be empty when state is ${state}` });
    return { student_id: m.student_id, marks, state, comment: m.comment ?? null };
  });
  if (bad.length) throw badRequest('Invalid marks', bad.slice(0, 100));
  return rows;
}

/** Writes marks (one statement, see writeMarks) and turns its outcome into the result or the right error. */
export async function saveMarks(
  db: Db,
  ctx: RequestContext,
  assessmentId: string,
  rows: MarkRow[],
  prefix = 'marks/',
): Promise<MarksResultT> {
  const out = await writeMarks(db, ctx, assessmentId, rows);
  if (!out.found) throw notFound('Assessment');
  if (out.problems.length) {
    throw businessRule(
      'invalid_marks',
      `${out.problems.length} mark(s) refused; nothing was saved`,
      out.problems.map((p) => ({
        field: `${prefix}${p.index}`,
        message:
          p.reason === 'not_enrolled'
            ? 'is not an enrolled student of the class'
            : `exceeds max marks (${out.maxMarks})`,
        student_id: p.student_id,
      })),
    );
  }
  if (out.duplicates.length) {
    throw businessRule(
      'duplicate_students',
      'A student appears more than once; nothing was saved',
      out.duplicates.map((id) => ({ field: 'marks', message: 'appears more than once', student_id: id })),
    );
  }
  if (out.stale.length) {
    throw conflict(
      'The mark changed since you read it; reload and try again',
      'stale_mark',
      out.stale.map((s) => ({
        field: 'expected_version',
        message: `current version is ${s.version ?? 0}`,
        student_id: s.student_id,
      })),
    );
  }
  const received = rows.length;
  return {
    assessment_id: assessmentId,
    received,
    created: out.created,
    updated: out.updated,
    unchanged: received - out.created - out.updated,
  };
}

export function toMark(r: repo.MarkListRow): MarkT {
  const marks = num(r.marks);
  return {
    id: r.id,
    assessment_id: r.assessment_id,
    student_id: r.student_id,
    student_number: r.student_number,
    student_name: `${r.first_name} ${r.last_name}`,
    marks,
    state: r.state,
    percent: marks === null ? null : roundBy((marks / Number(r.max_marks)) * 100, 'half_up', 2),
    comment: r.comment,
    graded_by: r.graded_by,
    version: Number(r.version),
    updated_at: iso(r.updated_at)!,
  };
}

export async function listMarks(db: Db, ctx: RequestContext, assessmentId: string) {
  const a = await repo.assessmentInScope(db, ctx.actor, assessmentId, 'write');
  if (!a) throw notFound('Assessment');
  return (await repo.marksOf(db, assessmentId)).map(toMark);
}

/** One mark, read after the caller wrote it (so already in scope). */
export async function getMark(db: Db, assessmentId: string, studentId: string) {
  const [m] = (await repo.marksOf(db, assessmentId, studentId)).map(toMark);
  if (!m) throw notFound('Mark');
  return m;
}

// ---- the running gradebook of a class

export async function gradebook(db: Db, ctx: RequestContext, classId: string): Promise<GradebookT> {
  const cls = await repo.classForGradebook(db, ctx.actor, classId);
  if (!cls) throw notFound('Class');
  const [data, scale] = await Promise.all([
    repo.gradebookData(db, [classId]),
    scaleFor(db, cls.courseId, cls.organizationId),
  ]);
  const as = data.assessments.map((a) => ({
    id: a.id,
    max_marks: Number(a.maxMarks),
    weight: num(a.weight),
    category_id: a.categoryId,
  }));
  const cats = data.categories.map((c) => ({ id: c.id, weight: Number(c.weight) }));
  const rows = data.roster.map((s) => {
    const avg = courseAverage(
      as,
      cats,
      data.marks.filter((m) => m.student_id === s.student_id).map((m) => ({ ...m, marks: num(m.marks) })),
    );
    const b = avg.percent === null ? null : bandFor(avg.percent, scale);
    return {
      student_id: s.student_id,
      student_number: s.student_number,
      student_name: `${s.first_name} ${s.last_name}`,
      percent: b ? b.rounded : null,
      letter: b ? b.band.letter : null,
      grade_points: b ? b.band.grade_points : null,
      counted: avg.counted,
      excused: avg.excused,
      rank: null as number | null,
    };
  });
  for (const r of rankWithTies(rows, (x) => x.percent)) r.item.rank = r.rank;
  return {
    class_id: classId,
    grading_scale_id: scale.id,
    categories: data.categories.map(toCategory),
    assessments: data.assessments.map(toAssessment),
    students: rows,
  };
}
