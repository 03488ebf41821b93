import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { AppError, badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { domainEvents } from '../../kernel/events.js';
import { uuidv7 } from '../../kernel/ids.js';
import { cursorPage, decodeCursor, type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './attendance.repo.js';
import type {
  AttendanceRecordT,
  AttendanceSessionT,
  CreateSessionT,
  ListRecordsQueryT,
  ListSessionsQueryT,
  MarkBulkT,
  MarkOneT,
  MarkResultT,
  RecordInputT,
  UpdateRecordT,
} from './attendance.schemas.js';
import { runBelowThresholdHooks } from './attendance-alerts.service.js';
import { type MarkOutcome, type MarkTarget, markRecords } from './attendance-mark.repo.js';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export function toSession(r: repo.SessionSqlRow): AttendanceSessionT {
  const counts = (json(r.counts) ?? {}) as Partial<
    Record<'total' | 'present' | 'absent' | 'late' | 'excused', unknown>
  >;
  return {
    id: r.id,
    organization_id: r.organization_id,
    class_id: r.class_id,
    attendance_date: r.session_date,
    session_date: r.session_date,
    period: num(r.period),
    evidence_url: r.evidence_url ?? null,
    taken_by: r.taken_by ?? null,
    counts: {
      total: Number(counts.total ?? 0),
      present: Number(counts.present ?? 0),
      absent: Number(counts.absent ?? 0),
      late: Number(counts.late ?? 0),
      excused: Number(counts.excused ?? 0),
    },
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

export function toRecord(r: repo.RecordSqlRow): AttendanceRecordT {
  return {
    id: r.id,
    session_id: r.session_id,
    student_id: r.student_id,
    class_id: r.class_id,
    organization_id: r.organization_id,
    attendance_date: r.attendance_date,
    period: num(r.period),
    status: r.status,
    minutes_late: num(r.minutes_late),
    remarks: r.remarks ?? null,
    recognized_by_ai: r.recognized_by_ai === true,
    similarity_score: num(r.similarity_score),
    marked_by: r.marked_by ?? null,
    student_number: r.student_number,
    roll_no: r.roll_no ?? null,
    student_name: r.student_name,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

function frozenError(date: string) {
  return businessRule(
    'attendance_frozen',
    `Attendance dated ${date} is frozen; an administrator must unlock it first`,
    [{ field: 'date', message: 'is before the organization freeze date' }],
  );
}

/** Every input names exactly one of student_id / roll_no (JSON Schema cannot say it readably). */
function checkIdentifiers(records: RecordInputT[], prefix: string) {
  const bad = records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => (r.student_id === undefined) === (r.roll_no === undefined))
    .map(({ i }) => ({ field: `${prefix}${i}`, message: 'give exactly one of student_id or roll_no' }));
  if (bad.length) throw badRequest('Each record needs student_id or roll_no', bad.slice(0, 100));
}

/** Turns a failed one-statement marking into the right error; nothing was written in these cases. */
function assertMarked(out: MarkOutcome, what: string, prefix: string, received: number): MarkResultT {
  if (!out.found) throw notFound(what);
  if (out.problems.length) {
    throw businessRule(
      'unknown_students',
      `${out.problems.length} record(s) match no enrolled student of the class (or several); nothing was saved`,
      out.problems.map((p) => ({
        field: `${prefix}${p.index}`,
        message: p.matches === 0 ? 'is not an enrolled student of this class' : 'matches several students',
        student_id: p.student_id,
        roll_no: p.roll_no,
      })),
    );
  }
  if (out.duplicates.length) {
    throw businessRule(
      'duplicate_students',
      'A student appears more than once in the request; nothing was saved',
      out.duplicates.map((id) => ({ field: 'records', message: 'appears more than once', student_id: id })),
    );
  }
  if (out.frozen) throw frozenError(out.date!);
  return {
    session_id: out.sessionId!,
    class_id: out.classId!,
    attendance_date: out.date!,
    date: out.date!,
    period: out.period,
    received,
    created: out.created,
    updated: out.updated,
    unchanged: received - out.created - out.updated,
  };
}

async function mark(
  db: Db,
  ctx: RequestContext,
  target: MarkTarget,
  records: RecordInputT[],
  what: string,
  prefix: string,
) {
  checkIdentifiers(records, prefix);
  const withChanges = domainEvents.has('attendance.below_threshold');
  const out = await markRecords(db, ctx, target, records, { withChanges });
  const result = assertMarked(out, what, prefix, records.length);
  if (withChanges) {
    // The attendance is committed; an alerting failure must not turn the request into an error.
    await runBelowThresholdHooks(db, ctx, out).catch((err) =>
      process.emitWarning(`attendance onBelowThreshold hook failed: ${String(err)}`),
    );
  }
  return { result, out };
}

/**
 * The attendance date of a request: `attendance_date`, or its deprecated name (`session_date`, `date`); the
 * schema requires one of them; both with different values is a 400.
 */
export function attendanceDateOf(
  input: { attendance_date?: string } & Record<string, unknown>,
  old: 'session_date' | 'date',
): string {
  const legacy = input[old] as string | undefined;
  if (input.attendance_date && legacy && input.attendance_date !== legacy) {
    throw badRequest(`Give attendance_date only (${old} is its deprecated name)`, [
      { field: old, message: 'conflicts with attendance_date' },
    ]);
  }
  const date = input.attendance_date ?? legacy;
  if (!date)
    throw badRequest('attendance_date is required', [{ field: 'attendance_date', message: 'is required' }]);
  return date;
}

export async function createSession(db: Db, ctx: RequestContext, input: CreateSessionT) {
  return withTx(db, async (tx) => {
    const cls = await repo.findTeachableClass(tx, ctx.actor, input.class_id);
    if (!cls) throw notFound('Class');
    const row = await repo.insertSession(tx, {
      id: uuidv7(),
      organizationId: cls.organization_id,
      classId: cls.id,
      sessionDate: attendanceDateOf(input, 'session_date'),
      period: input.period ?? null,
      evidenceUrl: input.evidence_url ?? null,
      takenBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'attendance_session',
      entityId: row.id,
      organizationId: row.organizationId,
      after: {
        class_id: row.classId,
        session_date: row.sessionDate,
        period: row.period,
        evidence_url: row.evidenceUrl,
      },
    });
    const full = await repo.findSession(tx, ctx.actor, row.id);
    return toSession(full);
  });
}

export async function listSessions(db: Db, ctx: RequestContext, q: ListSessionsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listSessions(db, ctx.actor, q, w);
  return page(rows.map(toSession), total, w);
}

export async function getSession(db: Db, ctx: RequestContext, id: string) {
  const s = await repo.findSession(db, ctx.actor, id);
  if (!s) throw notFound('Attendance session');
  const records = await repo.sessionRecords(db, id);
  return { ...toSession(s), records: records.map(toRecord) };
}

export async function upsertSessionRecords(db: Db, ctx: RequestContext, id: string, records: RecordInputT[]) {
  return (await mark(db, ctx, { sessionId: id }, records, 'Attendance session', 'records.')).result;
}

export async function markBulk(db: Db, ctx: RequestContext, input: MarkBulkT) {
  const target = {
    classId: input.class_id,
    date: attendanceDateOf(input, 'date'),
    period: input.period ?? null,
  };
  return (await mark(db, ctx, target, input.records, 'Class', 'records.')).result;
}

export async function markOne(db: Db, ctx: RequestContext, input: MarkOneT) {
  const { class_id, date: _old, attendance_date: _new, period, ...record } = input;
  const target = { classId: class_id, date: attendanceDateOf(input, 'date'), period: period ?? null };
  const { result } = await mark(db, ctx, target, [record], 'Class', '');
  const rows = await repo.sessionRecords(db, result.session_id);
  const row = rows.find((r) =>
    record.student_id ? r.student_id === record.student_id : r.roll_no === record.roll_no,
  );
  if (!row) throw new AppError(500, 'internal_error', 'Marked record not found');
  return { created: result.created === 1, record: toRecord(row) };
}

export async function updateRecord(db: Db, ctx: RequestContext, id: string, input: UpdateRecordT) {
  const out = await updateRecordTx(db, ctx, id, input);
  if (domainEvents.has('attendance.below_threshold') && out.previousStatus !== out.record.status) {
    const r = out.record;
    await runBelowThresholdHooks(db, ctx, {
      classId: r.class_id,
      organizationId: r.organization_id,
      changes: [{ student_id: r.student_id, old: out.previousStatus, new: r.status }],
    }).catch((err) => process.emitWarning(`attendance onBelowThreshold hook failed: ${String(err)}`));
  }
  return out;
}

function updateRecordTx(db: Db, ctx: RequestContext, id: string, input: UpdateRecordT) {
  return withTx(db, async (tx) => {
    const before = await repo.findRecord(tx, ctx.actor, id, 'take');
    if (!before) throw notFound('Attendance record');
    if (await repo.isFrozen(tx, before.organization_id, before.attendance_date)) {
      throw frozenError(before.attendance_date);
    }
    await repo.updateRecord(tx, id, ctx.actor.userId, input);
    const after = await repo.findRecord(tx, ctx.actor, id, 'take');
    const a = toRecord(after);
    const b = toRecord(before);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'attendance_record',
      entityId: id,
      organizationId: a.organization_id,
      before: { status: b.status, minutes_late: b.minutes_late, remarks: b.remarks },
      after: { status: a.status, minutes_late: a.minutes_late, remarks: a.remarks },
    });
    return { record: a, previousStatus: b.status };
  });
}

export async function listRecords(db: Db, ctx: RequestContext, q: ListRecordsQueryT) {
  const pageSize = q.page_size ?? 20;
  const cursor = decodeCursor(q.cursor);
  if (cursor && !/^\d{4}-\d{2}-\d{2}$/.test(String(cursor.sortKey))) {
    throw badRequest('Invalid cursor', [{ field: 'cursor', message: 'is not a cursor issued by this API' }]);
  }
  const rows = await repo.listRecords(db, ctx.actor, q, pageSize + 1, cursor);
  return cursorPage(rows.map(toRecord), pageSize, (r) => [r.attendance_date, r.id]);
}

export async function classDay(db: Db, ctx: RequestContext, classId: string, date: string, period?: number) {
  const cls = await repo.findTeachableClass(db, ctx.actor, classId);
  if (!cls) throw notFound('Class');
  const rows = await repo.classDay(db, classId, date, period);
  return rows.map((r) => ({
    student_id: r.student_id,
    student_number: r.student_number,
    roll_no: r.roll_no ?? null,
    student_name: r.student_name,
    record_id: r.record_id ?? null,
    session_id: r.session_id ?? null,
    period: num(r.period),
    status: r.status ?? null,
    minutes_late: num(r.minutes_late),
    remarks: r.remarks ?? null,
    recognized_by_ai: r.recognized_by_ai ?? null,
    similarity_score: num(r.similarity_score),
  }));
}
