import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { containsPattern, rowsOf } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { AGG_COLUMNS, type AggRow } from './finance.repo.js';

type Num = number | string;

/** A row of a report: the student, their ledger aggregates, overdue amount and days, last contact. */
export type ReportRow = AggRow & {
  student_id: string;
  student_number: string;
  first_name: string;
  last_name: string;
  organization_id: string;
  currency: string;
  overdue: Num;
  days_overdue: Num | null;
  last_contacted_at: Date | string | null;
};

/** Report totals of one currency. */
export type ReportTotalsRow = {
  currency: string;
  students: Num;
  charged: Num;
  paid: Num;
  refunded: Num;
  credited: Num;
  balance: Num;
  overdue: Num;
  paid_in_full: Num;
};

export type ReportKind = 'dues' | 'unpaid' | 'status' | 'pending' | 'defaulters';

export interface ReportFilters {
  organization_id?: string;
  search?: string;
  program_id?: string;
  class_id?: string;
  fee_structure_id?: string;
  status?: 'paid' | 'unpaid';
  dues_status?: 'unpaid' | 'partial';
  min_days_overdue?: number;
  /** Only these students (a file export's batch: see `reportRowsIn`). */
  student_ids?: readonly string[];
}

/**
 * Per-student balances from the ledger, for every student of the actor's finance-desk scope that matches
 * the filters. Everything is computed in SQL from ledger_entries, so report totals are ledger totals.
 */
function rowsQuery(actor: Actor, kind: ReportKind, f: ReportFilters): SQL {
  const conds: SQL[] = [sql`s.deleted_at is null`, orgScope(actor, 'finance:manage', sql`s.organization_id`)];
  if (f.organization_id) {
    conds.push(sql`o.path like (select path from organizations where id = ${f.organization_id}) || '%'`);
  }
  if (f.search) {
    conds.push(
      sql`lower(s.first_name || ' ' || s.last_name || ' ' || s.student_number || ' ' || coalesce(s.email, '')) like lower(${containsPattern(f.search)})`,
    );
  }
  if (f.program_id) conds.push(sql`s.program_id = ${f.program_id}`);
  if (f.student_ids) conds.push(sql`s.id = any(${sql.param(f.student_ids)}::uuid[])`);
  if (f.class_id) {
    conds.push(
      sql`exists (select 1 from enrollments fe where fe.student_id = s.id and fe.class_id = ${f.class_id})`,
    );
  }
  if (f.fee_structure_id) {
    conds.push(
      sql`exists (select 1 from ledger_entries fl where fl.student_id = s.id and fl.fee_structure_id = ${f.fee_structure_id})`,
    );
  }
  const outer: SQL[] = [];
  if (kind === 'dues' || kind === 'unpaid' || kind === 'pending') outer.push(sql`r.balance > 0`);
  if (kind === 'defaulters') outer.push(sql`r.overdue > 0`);
  if (f.status === 'paid') outer.push(sql`r.balance <= 0`);
  if (f.status === 'unpaid') outer.push(sql`r.balance > 0`);
  if (f.dues_status === 'unpaid')
    outer.push(sql`r.balance > 0 and r.paid - r.refunded = 0 and r.credited = 0`);
  if (f.dues_status === 'partial')
    outer.push(sql`r.balance > 0 and (r.paid - r.refunded > 0 or r.credited > 0)`);
  if (f.min_days_overdue !== undefined) {
    outer.push(sql`r.overdue > 0 and current_date - r.oldest_due_date >= ${f.min_days_overdue}`);
  }
  return sql`
    select r.*, case when r.overdue > 0 then current_date - r.oldest_due_date else 0 end as days_overdue from (
      select s.id as student_id, s.student_number, s.first_name, s.last_name, s.organization_id, o.currency,
             a.*, greatest(0, a.due_before_today - (a.paid - a.refunded + a.credited))::bigint as overdue,
             (select max(al.occurred_at) from audit_logs al
               where al.entity_type = 'student' and al.entity_id = s.id::text and al.action = 'contact') as last_contacted_at
        from students s
        join organizations o on o.id = s.organization_id
        cross join lateral (select ${AGG_COLUMNS} from ledger_entries l where l.student_id = s.id) a
       where ${sql.join(conds, sql` and `)}) r
    ${outer.length ? sql`where ${sql.join(outer, sql` and `)}` : sql``}`;
}

const ORDER: Record<ReportKind, SQL> = {
  dues: sql`balance desc, student_id`,
  unpaid: sql`overdue desc, balance desc, student_id`,
  status: sql`last_name, first_name, student_id`,
  pending: sql`balance desc, student_id`,
  defaulters: sql`days_overdue desc, overdue desc, student_id`,
};

export async function report(db: DbOrTx, actor: Actor, kind: ReportKind, f: ReportFilters, w: PageWindow) {
  const q = rowsQuery(actor, kind, f);
  const [rows, totals] = await Promise.all([
    db.execute(sql`select * from (${q}) x order by ${ORDER[kind]} limit ${w.limit} offset ${w.offset}`),
    db.execute(sql`
      select currency, count(*)::int as students, sum(charged)::bigint as charged, sum(paid)::bigint as paid,
             sum(refunded)::bigint as refunded, sum(credited)::bigint as credited, sum(balance)::bigint as balance,
             sum(overdue)::bigint as overdue,
             count(*) filter (where balance <= 0)::int as paid_in_full
        from (${q}) x group by currency order by currency`),
  ]);
  return { rows: rowsOf<ReportRow>(rows), totals: rowsOf<ReportTotalsRow>(totals) };
}

/**
 * The ids of every matching student in the report's order: the first pass of a file export, which then
 * reads the rows a batch of ids at a time (`reportRowsIn`), so a file never holds more than one batch of
 * rows, and each batch aggregates the ledger of its own students only.
 */
export async function reportIds(db: DbOrTx, actor: Actor, kind: ReportKind, f: ReportFilters) {
  const q = rowsQuery(actor, kind, f);
  const res = await db.execute(sql`select student_id from (${q}) x order by ${ORDER[kind]}`);
  return rowsOf<{ student_id: string }>(res).map((r) => r.student_id);
}

/** The report's rows of these students (those that still match), in the report's order. */
export async function reportRowsIn(
  db: DbOrTx,
  actor: Actor,
  kind: ReportKind,
  f: ReportFilters,
  ids: readonly string[],
) {
  if (ids.length === 0) return [];
  const q = rowsQuery(actor, kind, { ...f, student_ids: ids });
  return rowsOf<ReportRow>(await db.execute(sql`select * from (${q}) x order by ${ORDER[kind]}`));
}
