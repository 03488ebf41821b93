import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { can, type RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, conflict, forbidden, notFound } from '../../kernel/errors.js';
import { formatMinor } from '../../kernel/money.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import * as ledger from './finance.repo.js';
import { toLedgerEntry } from './finance-mappers.js';
import { notifyMoneyEvent } from './finance-notify.service.js';
import { entryOrg, lockEntryForRevocation } from './finance-revocations.repo.js';

/**
 * Revokes a concession or waiver (admin): the ledger is append-only, so a `revocation` entry of the same
 * amount with the opposite sign cancels it (`reverses_entry_id`), with a reason, an audit row and a
 * notification in the same transaction. Once per entry (409 `already_revoked`; a unique index guards the
 * race); other entry types are 422 `not_revocable`; entries out of scope are 404.
 */
export async function revokeAdjustment(db: Db, ctx: RequestContext, entryId: string, reason: string) {
  if (!can(ctx.actor, 'finance:approve'))
    throw forbidden('Revoking a concession or waiver needs an administrator');
  return withTx(db, async (tx) => {
    const found = await lockEntryForRevocation(tx, entryId, orgScope(ctx.actor, 'finance:approve', entryOrg));
    if (!found) throw notFound('Ledger entry');
    const { row } = found;
    if (row.entryType !== 'concession' && row.entryType !== 'waiver') {
      throw businessRule(
        'not_revocable',
        `A ${row.entryType} cannot be revoked; only concessions and waivers`,
        [{ field: 'id', message: 'must be a concession or waiver' }],
      );
    }
    if (found.revokedBy) {
      throw conflict(`This ${row.entryType} was already revoked`, 'already_revoked', [
        { field: 'id', message: `revoked by ledger entry ${found.revokedBy}` },
      ]);
    }
    const rev = await ledger.insertEntry(tx, {
      organizationId: row.organizationId,
      studentId: row.studentId,
      entryType: 'revocation',
      amountMinor: -Number(row.amountMinor),
      currency: row.currency,
      reversesEntryId: row.id,
      reason,
      approvedBy: ctx.actor.userId,
      createdBy: ctx.actor.userId,
    });
    const out = toLedgerEntry(rev);
    await recordAudit(tx, ctx, {
      action: 'revoke',
      entityType: 'ledger_entry',
      entityId: row.id,
      organizationId: row.organizationId,
      before: toLedgerEntry(row),
      after: out,
    });
    await notifyMoneyEvent(
      tx,
      row.studentId,
      'ledger_revocation',
      `A ${row.entryType} was revoked`,
      `${formatMinor(-Number(row.amountMinor), row.currency)} ${row.currency}: ${reason}`,
      { ledger_entry_id: rev.id, revoked_entry_id: row.id },
    );
    return out;
  });
}
