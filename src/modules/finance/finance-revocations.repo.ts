import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { ledgerEntries } from './finance.table.js';

/**
 * A ledger entry of a student the actor may act on (`scope` over the entry's organization), locked for the
 * rest of the transaction so two revocations of it serialize; with the id of its revocation, if any.
 */
export async function lockEntryForRevocation(db: DbOrTx, entryId: string, scope: SQL) {
  const l = ledgerEntries;
  const [row] = await db
    .select()
    .from(l)
    .where(and(eq(l.id, entryId), scope))
    .for('update');
  if (!row) return null;
  const [rev] = await db.select({ id: l.id }).from(l).where(eq(l.reversesEntryId, entryId)).limit(1);
  return { row, revokedBy: rev?.id ?? null };
}

export const entryOrg = sql`${ledgerEntries.organizationId}`;
