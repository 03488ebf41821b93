import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { EmailChangedEvent } from '../users/index.js';
import { guardians, students } from './students.table.js';

/**
 * `users.email_changed` (in the change's transaction): the student and guardian profiles of that login take
 * its new email, so a person has one email whichever side changed it.
 */
export async function followLoginEmail(tx: DbOrTx, _ctx: RequestContext | null, e: EmailChangedEvent) {
  const now = new Date();
  await tx.update(students).set({ email: e.email, updatedAt: now }).where(eq(students.userId, e.userId));
  await tx.update(guardians).set({ email: e.email, updatedAt: now }).where(eq(guardians.userId, e.userId));
}
