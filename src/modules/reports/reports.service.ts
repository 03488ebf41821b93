import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { pageMeta, pageWindow } from '../../kernel/pagination.js';
import { csvStream, inBatches, xlsxStream } from '../../kernel/spreadsheet.js';
import { firstRow } from '../../kernel/sql.js';
import { reportClassScope } from './reports.policy.js';
import { orgInScope } from './reports.repo.js';
import type { ReportFilters } from './reports.schemas.js';
import { type ReportDef, reportCells, reportPage } from './reports-engine.js';

/**
 * Checks a report request before anything is read: filter combinations (400), and the organization and
 * class named by the filters, which must be in the actor's scope (404, decided in SQL).
 */
export async function checkReport(db: Db, ctx: RequestContext, def: ReportDef, f: ReportFilters) {
  def.validate?.(f);
  if (f.organization_id && !(await orgInScope(db, ctx.actor, def.permission, f.organization_id))) {
    throw notFound('Organization');
  }
  const classId = f.class_id ?? f.course_offering_id;
  if (classId) {
    const row = firstRow<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from classes c where c.id = ${classId}
        and ${reportClassScope(ctx.actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })}) as ok`),
    );
    if (!row?.ok) throw notFound('Class');
  }
}

/** The JSON form: one page of rows in key order, with the totals over every matching record. */
export async function reportJson(db: Db, ctx: RequestContext, def: ReportDef, f: ReportFilters) {
  const w = pageWindow(f);
  const { rows, total, totals } = await reportPage(db, ctx.actor, def, f, w);
  return { data: rows, meta: { ...pageMeta(total, w), totals } };
}

/**
 * Every row as a CSV or XLSX stream, read in keyset batches as the client reads; `onRows` hears of every
 * hundred rows read (a job's progress).
 */
export function reportFile(
  db: Db,
  ctx: RequestContext,
  def: ReportDef,
  f: ReportFilters,
  format: 'csv' | 'xlsx',
  onRows?: (n: number) => void,
): Readable {
  const headers = def.columns.map((c) => c.key);
  const cells = counted(reportCells(db, ctx.actor, def, f), onRows);
  return format === 'xlsx'
    ? xlsxStream(def.sheet, headers, cells)
    : csvStream(headers, inBatches(cells, 500));
}

/** Passes rows through, telling `onRows` of every hundred (and of the rest at the end). */
async function* counted<T>(rows: AsyncIterable<T>, onRows?: (n: number) => void): AsyncGenerator<T> {
  let n = 0;
  for await (const row of rows) {
    yield row;
    if (onRows && ++n % 100 === 0) onRows(100);
  }
  if (onRows && n % 100) onRows(n % 100);
}
