import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { DomainEvents } from '../../kernel/events.js';

/**
 * An organization moved (`organizations.tree_changed`, in its transaction): the tombstones of records
 * deleted under it carry the path they had, so they are rewritten to the new one, and an API client of the
 * new subtree is told of those deletions while a client of the old one no longer is.
 */
export async function moveTombstonePaths(
  tx: DbOrTx,
  _ctx: RequestContext | null,
  e: DomainEvents['organizations.tree_changed'],
): Promise<void> {
  if (e.change !== 'moved') return;
  await tx.execute(sql`
    update oneroster_tombstones
       set org_path = ${e.toPath} || substr(org_path, ${e.fromPath.length + 1})
     where org_path like ${`${e.fromPath}%`}`);
}
