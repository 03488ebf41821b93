import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { formatMinor } from '../../kernel/money.js';
import { type PageWindow, pageMeta } from '../../kernel/pagination.js';
import { csvStream, inBatches, xlsxStream } from '../../kernel/spreadsheet.js';
import { firstRow, iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import * as ledger from './finance.repo.js';
import { toSummary } from './finance-mappers.js';
import { notifyMoneyEvent } from './finance-notify.service.js';
import {
  type ReportFilters,
  type ReportKind,
  type ReportRow,
  type ReportTotalsRow,
  report,
  reportIds,
  reportRowsIn,
} from './finance-reports.repo.js';
import type { StatusRowT, StudentBalanceT } from './finance-reports.schemas.js';

function toBalance(r: ReportRow): StudentBalanceT {
  return {
    student_id: r.student_id,
    student_number: r.student_number,
    student_name: `${r.first_name} ${r.last_name}`,
    organization_id: r.organization_id,
    ...toSummary(r, r.currency),
    days_overdue: Number(r.days_overdue ?? 0),
    last_contacted_at: iso(r.last_contacted_at),
  };
}

function toStatusRow(r: ReportRow): StatusRowT {
  const paid = Number(r.balance) <= 0;
  return { ...toBalance(r), status: paid ? 'paid' : 'unpaid', result: paid ? 'pass' : 'fail' };
}

function toTotals(t: ReportTotalsRow) {
  const c = t.currency;
  return {
    currency: c,
    students: Number(t.students),
    paid_in_full: Number(t.paid_in_full),
    total_charged: formatMinor(Number(t.charged), c),
    total_paid: formatMinor(Number(t.paid), c),
    total_refunded: formatMinor(Number(t.refunded), c),
    total_credited: formatMinor(Number(t.credited), c),
    balance: formatMinor(Number(t.balance), c),
    overdue_amount: formatMinor(Number(t.overdue), c),
  };
}

type ReportPage<Row> = {
  data: Row[];
  meta: ReturnType<typeof pageMeta> & { totals: Array<ReturnType<typeof toTotals>> };
};

/** One of the finance-desk reports, paginated, with totals (per currency) over every matching student. */
export async function financeReport(
  db: Db,
  ctx: RequestContext,
  kind: 'status',
  f: ReportFilters,
  w: PageWindow,
): Promise<ReportPage<StatusRowT>>;
export async function financeReport(
  db: Db,
  ctx: RequestContext,
  kind: Exclude<ReportKind, 'status'>,
  f: ReportFilters,
  w: PageWindow,
): Promise<ReportPage<StudentBalanceT>>;
export async function financeReport(
  db: Db,
  ctx: RequestContext,
  kind: ReportKind,
  f: ReportFilters,
  w: PageWindow,
): Promise<ReportPage<StudentBalanceT | StatusRowT>> {
  const { rows, totals } = await report(db, ctx.actor, kind, f, w);
  const total = totals.reduce((a, t) => a + Number(t.students), 0);
  return {
    data: rows.map(kind === 'status' ? toStatusRow : toBalance),
    meta: { ...pageMeta(total, w), totals: totals.map(toTotals) },
  };
}

/**
 * The organization and class a finance-desk list is filtered by must be in the actor's finance-desk scope
 * (decided in SQL): 404 otherwise, for the JSON list and its file alike.
 */
export async function checkReportScope(
  db: Db,
  ctx: RequestContext,
  f: { organization_id?: string; class_id?: string },
) {
  if (f.organization_id && !(await ledger.orgInScope(db, ctx.actor, 'finance:manage', f.organization_id))) {
    throw notFound('Organization');
  }
  if (f.class_id) {
    const row = firstRow<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from classes c
        where c.id = ${f.class_id} and ${orgScope(ctx.actor, 'finance:manage', sql`c.organization_id`)}) as ok`),
    );
    if (!row?.ok) throw notFound('Class');
  }
}

/** The columns of a finance-desk list's file: the JSON row's fields, in the same order. */
export const BALANCE_COLUMNS = [
  'student_id',
  'student_number',
  'student_name',
  'organization_id',
  'currency',
  'total_charged',
  'total_paid',
  'total_refunded',
  'total_credited',
  'balance',
  'overdue_amount',
  'oldest_due_date',
  'dues_status',
  'days_overdue',
  'last_contacted_at',
] as const satisfies ReadonlyArray<keyof StudentBalanceT>;

/** Students per query of a file export: bounds the rows held at once. */
export const FILE_BATCH = 1_000;

/** The JSON rows as file cells (the kernel's CSV and XLSX writers make every text cell formula-safe). */
async function* balanceCells(
  db: Db,
  ctx: RequestContext,
  kind: Exclude<ReportKind, 'status'>,
  f: ReportFilters,
  batch: number,
): AsyncGenerator<unknown[]> {
  const ids = await reportIds(db, ctx.actor, kind, f);
  for (let i = 0; i < ids.length; i += batch) {
    for (const r of await reportRowsIn(db, ctx.actor, kind, f, ids.slice(i, i + batch))) {
      const b = toBalance(r);
      yield BALANCE_COLUMNS.map((c) => b[c]);
    }
  }
}

/**
 * Every row of a finance-desk list (the JSON list's rows, in its order, without paging) as a CSV or XLSX
 * stream: the ordered ids first, then the rows a batch of students at a time, as the client reads.
 */
export function financeReportFile(
  db: Db,
  ctx: RequestContext,
  kind: Exclude<ReportKind, 'status'>,
  f: ReportFilters,
  format: 'csv' | 'xlsx',
  batch = FILE_BATCH,
): Readable {
  const headers = [...BALANCE_COLUMNS];
  const cells = balanceCells(db, ctx, kind, f, batch);
  return format === 'xlsx'
    ? xlsxStream(kind === 'pending' ? 'Pending dues' : 'Defaulters', headers, cells)
    : csvStream(headers, inBatches(cells, 500));
}

/**
 * Logs that the finance desk contacted a student about their dues (audit action `contact`) and notifies the
 * student (and guardians) in the same transaction.
 */
export async function contactStudent(
  db: Db,
  ctx: RequestContext,
  studentId: string,
  input: { channel?: string; note?: string; message?: string },
) {
  return withTx(db, async (tx) => {
    const s = await ledger.findStudentWhere(
      tx,
      sql`s.id = ${studentId} and ${orgScope(ctx.actor, 'finance:manage', sql`s.organization_id`)}`,
    );
    if (!s) throw notFound('Student');
    const sum = toSummary(await ledger.summaryOf(tx, s.id), s.currency);
    const channel = input.channel ?? 'notification';
    await recordAudit(tx, ctx, {
      action: 'contact',
      entityType: 'student',
      entityId: s.id,
      organizationId: s.organization_id,
      after: { channel, note: input.note ?? null, balance: sum.balance, currency: s.currency },
    });
    const n = await notifyMoneyEvent(
      tx,
      s.id,
      'contact_request',
      'Please contact the finance office',
      input.message ??
        `Your outstanding balance is ${sum.balance} ${s.currency}. Please pay or contact the finance office.`,
      { balance: sum.balance, channel },
    );
    return {
      student_id: s.id,
      action: 'contact' as const,
      channel,
      note: input.note ?? null,
      contacted_by: ctx.actor.userId,
      contacted_at: new Date().toISOString(),
      notification_id: n?.id ?? null,
      summary: sum,
    };
  });
}
