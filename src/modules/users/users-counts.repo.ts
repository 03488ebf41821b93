import { and, count, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { orgScope } from '../organizations/index.js';
import { users } from './users.table.js';

/**
 * Users homed in the organizations where the actor holds `permission`, created at or before `at` (for
 * dashboards and their month-over-month figures; users have no status history, so a deactivated user
 * still counts for the months they existed).
 */
export async function countUsersAt(db: DbOrTx, actor: Actor, permission: string, at: Date): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(users)
    .where(and(orgScope(actor, permission, users.organizationId), lte(users.createdAt, at)));
  return n;
}
