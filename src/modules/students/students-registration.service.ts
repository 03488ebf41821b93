import { sql } from 'drizzle-orm';
import type { EventHandler } from '../../kernel/events.js';
import { uuidv7 } from '../../kernel/ids.js';
import { students } from './students.table.js';
import { splitFullName } from './unique.js';

/**
 * Self-registration (POST /auth/register) creates a student profile in the same transaction, so the new
 * student can enroll at once. The number comes from a database sequence: `REG-<year>-<n>`, unique without
 * any read-then-write race.
 */
export const createRegisteredStudent: EventHandler<'auth.registered'> = async (tx, _ctx, u) => {
  const { firstName, lastName } = splitFullName(u.fullName);
  await tx.insert(students).values({
    id: uuidv7(),
    organizationId: u.organizationId,
    userId: u.userId,
    studentNumber: sql`'REG-' || extract(year from now())::int || '-' || lpad(nextval('student_registration_seq')::text, 6, '0')`,
    firstName,
    lastName,
    email: u.email,
    admissionDate: sql`current_date`,
  });
};
