import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { firstRow } from '../../kernel/sql.js';
import { libraryRules } from './library.table.js';
import type { PatronType } from './library-patrons.repo.js';

/** A circulation rule in minor units, as the services use it. */
export interface Rule {
  organizationId: string;
  sourceOrganizationId: string | null;
  patronType: PatronType;
  loanDays: number;
  maxLoans: number;
  maxRenewals: number;
  finePerDayMinor: number;
  graceDays: number;
  maxFineMinor: number | null;
  holdPickupDays: number;
  currency: string;
  updatedAt: Date | string | null;
}

/** Built-in rule of an organization (and its tree) without any row: lend, but fine nothing. */
export const DEFAULT_RULE = {
  loanDays: 14,
  maxLoans: 5,
  maxRenewals: 2,
  finePerDayMinor: 0,
  graceDays: 0,
  maxFineMinor: null,
  holdPickupDays: 7,
};

type RuleRow = {
  source_org: string | null;
  loan_days: number | null;
  max_loans: number | null;
  max_renewals: number | null;
  fine_per_day_minor: number | string | null;
  grace_days: number | null;
  max_fine_minor: number | string | null;
  hold_pickup_days: number | null;
  updated_at: string | Date | null;
  currency: string;
};

/** The effective rule: the nearest organization (self, then ancestors) with a row for the category. */
export async function effectiveRule(db: DbOrTx, orgId: string, type: PatronType): Promise<Rule | null> {
  const r = firstRow<RuleRow>(
    await db.execute(sql`
      select o.currency, lr.organization_id as source_org, lr.loan_days, lr.max_loans, lr.max_renewals,
             lr.fine_per_day_minor, lr.grace_days, lr.max_fine_minor, lr.hold_pickup_days, lr.updated_at
        from organizations o
        left join lateral (
          select r.* from library_rules r join organizations ro on ro.id = r.organization_id
           where r.patron_type = ${type} and o.path like ro.path || '%'
           order by length(ro.path) desc limit 1) lr on true
       where o.id = ${orgId}`),
  );
  if (!r) return null;
  const base = {
    organizationId: orgId,
    patronType: type,
    currency: r.currency,
  };
  if (!r.source_org) return { ...base, ...DEFAULT_RULE, sourceOrganizationId: null, updatedAt: null };
  return {
    ...base,
    sourceOrganizationId: r.source_org,
    loanDays: Number(r.loan_days),
    maxLoans: Number(r.max_loans),
    maxRenewals: Number(r.max_renewals),
    finePerDayMinor: Number(r.fine_per_day_minor),
    graceDays: Number(r.grace_days),
    maxFineMinor: r.max_fine_minor === null ? null : Number(r.max_fine_minor),
    holdPickupDays: Number(r.hold_pickup_days),
    updatedAt: r.updated_at,
  };
}

export async function upsertRule(db: DbOrTx, v: typeof libraryRules.$inferInsert) {
  const { organizationId: _o, patronType: _p, ...set } = v;
  const [row] = await db
    .insert(libraryRules)
    .values(v)
    .onConflictDoUpdate({
      target: [libraryRules.organizationId, libraryRules.patronType],
      set: { ...set, updatedAt: new Date() },
    })
    .returning();
  return row;
}

export async function currencyOf(db: DbOrTx, orgId: string): Promise<string | null> {
  const r = firstRow<{ currency: string }>(
    await db.execute(sql`select currency from organizations where id = ${orgId}`),
  );
  return r?.currency ?? null;
}

/** True when the organization exists and satisfies `scope` (alias `o`). */
export async function orgInScope(db: DbOrTx, orgId: string, scope: SQL): Promise<boolean> {
  const { rows } = await db.execute(sql`select 1 from organizations o where o.id = ${orgId} and ${scope}`);
  return rows.length > 0;
}
