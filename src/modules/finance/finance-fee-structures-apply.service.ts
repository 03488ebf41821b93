import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './finance-fee-structures.repo.js';

/**
 * Charges every targeted student once per installment (one set-based statement, see `applyCharges`); a
 * repeated apply is a no-op.
 */
export async function applyFeeStructure(db: Db, ctx: RequestContext, id: string) {
  return withTx(db, async (tx) => {
    const fs = await repo.findWritable(tx, ctx.actor, id);
    if (!fs) throw notFound('Fee structure');
    const r = await repo.applyCharges(tx, id, ctx.actor.userId);
    const out = {
      fee_structure_id: id,
      students_targeted: r.targeted,
      students_charged: r.charged,
      entries_created: r.entries,
      already_charged: r.targeted - r.charged,
    };
    await recordAudit(tx, ctx, {
      action: 'apply',
      entityType: 'fee_structure',
      entityId: id,
      organizationId: fs.organizationId,
      after: out,
    });
    return out;
  });
}
