import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import type { PatronType } from './library-patrons.repo.js';
import * as repo from './library-rules.repo.js';
import type { LibraryRuleT, PutRuleT } from './library-rules.schemas.js';

export function toRule(r: repo.Rule): LibraryRuleT {
  return {
    organization_id: r.organizationId,
    source_organization_id: r.sourceOrganizationId,
    patron_type: r.patronType,
    loan_days: r.loanDays,
    max_loans: r.maxLoans,
    max_renewals: r.maxRenewals,
    fine_per_day: formatMinor(r.finePerDayMinor, r.currency),
    grace_days: r.graceDays,
    max_fine: r.maxFineMinor === null ? null : formatMinor(r.maxFineMinor, r.currency),
    hold_pickup_days: r.holdPickupDays,
    currency: r.currency,
    updated_at: iso(r.updatedAt),
  };
}

/** The rule in force for a patron category at an organization (never null for an existing org). */
export async function ruleFor(db: DbOrTx, orgId: string, type: PatronType): Promise<repo.Rule> {
  const r = await repo.effectiveRule(db, orgId, type);
  if (!r) throw notFound('Organization');
  return r;
}

async function assertOrg(db: DbOrTx, ctx: RequestContext, permission: string, orgId: string) {
  if (!(await repo.orgInScope(db, orgId, orgScope(ctx.actor, permission, sql`o.id`))))
    throw notFound('Organization');
}

/** The three effective rules (student, faculty, staff) of an organization. */
export async function listRules(db: Db, ctx: RequestContext, orgId: string) {
  await assertOrg(db, ctx, 'library:oversee', orgId);
  const out: LibraryRuleT[] = [];
  for (const t of ['student', 'faculty', 'staff'] as const) out.push(toRule(await ruleFor(db, orgId, t)));
  return out;
}

/** Sets an organization's rule for one patron category (admin), audited. */
export async function putRule(db: Db, ctx: RequestContext, input: PutRuleT) {
  return withTx(db, async (tx) => {
    await assertOrg(tx, ctx, 'library:configure', input.organization_id);
    const currency = (await repo.currencyOf(tx, input.organization_id)) ?? 'USD';
    const before = await repo.effectiveRule(tx, input.organization_id, input.patron_type);
    await repo.upsertRule(tx, {
      organizationId: input.organization_id,
      patronType: input.patron_type,
      loanDays: input.loan_days,
      maxLoans: input.max_loans,
      maxRenewals: input.max_renewals,
      finePerDayMinor: parseAmount(input.fine_per_day, currency, 'fine_per_day'),
      graceDays: input.grace_days,
      maxFineMinor:
        input.max_fine === undefined || input.max_fine === null
          ? null
          : parseAmount(input.max_fine, currency, 'max_fine'),
      holdPickupDays: input.hold_pickup_days ?? 7,
      updatedBy: ctx.actor.userId,
    });
    const out = toRule(await ruleFor(tx, input.organization_id, input.patron_type));
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'library_rule',
      entityId: null,
      organizationId: input.organization_id,
      before: before ? toRule(before) : null,
      after: out,
    });
    return out;
  });
}
