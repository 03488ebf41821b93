import type { EventHandler } from '../../kernel/events.js';
import * as repo from './students.repo.js';

/** "Maria del Carmen Lopez" → first "Maria del Carmen", last "Lopez" (one word: last name empty). */
export function splitFullName(full: string): { firstName: string; lastName: string } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return { firstName: words[0] ?? full.trim(), lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1] };
}

/**
 * Self-registration (POST /auth/register) creates a student profile in the same transaction, so the new
 * student can enroll at once (the number comes from a database sequence, see `insertRegistered`).
 */
export const createRegisteredStudent: EventHandler<'auth.registered'> = async (tx, _ctx, u) => {
  const { firstName, lastName } = splitFullName(u.fullName);
  await repo.insertRegistered(tx, {
    organizationId: u.organizationId,
    userId: u.userId,
    firstName,
    lastName,
    email: u.email,
  });
};
