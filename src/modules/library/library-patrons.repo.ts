import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { deskScope } from './library.policy.js';

export type PatronType = 'student' | 'faculty' | 'staff';

/** A borrower: a student, faculty or staff member, with the login that is notified. */
export interface Patron {
  type: PatronType;
  id: string;
  organizationId: string;
  orgPath: string;
  userId: string | null;
  name: string;
}

/** The patron ids of a request body: exactly one of the three. */
export interface PatronInput {
  student_id?: string;
  faculty_id?: string;
  staff_id?: string;
}

const TABLE: Record<PatronType, string> = { student: 'students', faculty: 'faculty', staff: 'staff' };

type PatronRow = {
  id: string;
  organization_id: string;
  path: string;
  user_id: string | null;
  first_name: string;
  last_name: string;
};

async function findPatron(db: DbOrTx, type: PatronType, cond: SQL): Promise<Patron | null> {
  const r = firstRow<PatronRow>(
    await db.execute(sql`
      select p.id, p.organization_id, o.path, p.user_id, p.first_name, p.last_name
        from ${sql.raw(TABLE[type])} p join organizations o on o.id = p.organization_id
       where p.deleted_at is null and ${cond} limit 1`),
  );
  if (!r) return null;
  return {
    type,
    id: r.id,
    organizationId: r.organization_id,
    orgPath: r.path,
    userId: r.user_id,
    name: `${r.first_name} ${r.last_name}`,
  };
}

/** Which patron a body names; 400 unless exactly one of student_id, faculty_id, staff_id is given. */
export function patronOf(input: PatronInput): { type: PatronType; id: string } {
  const given = (['student', 'faculty', 'staff'] as const).filter((t) => input[`${t}_id`]);
  if (given.length !== 1) {
    throw badRequest('Name exactly one patron', [
      { field: 'student_id', message: 'give exactly one of student_id, faculty_id or staff_id' },
    ]);
  }
  const type = given[0];
  return { type, id: input[`${type}_id`] as string };
}

/** A patron the desk may serve (in the actor's desk scope); 404 otherwise. */
export async function patronForDesk(db: DbOrTx, actor: Actor, input: PatronInput): Promise<Patron> {
  const { type, id } = patronOf(input);
  const p = await findPatron(db, type, sql`p.id = ${id} and ${deskScope(actor, sql`p.organization_id`)}`);
  if (!p)
    throw notFound(type === 'student' ? 'Student' : type === 'faculty' ? 'Faculty member' : 'Staff member');
  return p;
}

/** The signed-in user's own patron profile (student first, then faculty, then staff), or null. */
export async function selfPatron(db: DbOrTx, actor: Actor): Promise<Patron | null> {
  for (const type of ['student', 'faculty', 'staff'] as const) {
    const p = await findPatron(db, type, sql`p.user_id = ${actor.userId}`);
    if (p) return p;
  }
  return null;
}

/** The patron of a loan/hold/fine row, loaded by type and id (no scope: the row was already scoped). */
export function patronById(db: DbOrTx, type: PatronType, id: string) {
  return findPatron(db, type, sql`p.id = ${id}`);
}

/** Column values of a patron for inserts. */
export function patronValues(p: Patron) {
  return {
    patronType: p.type,
    studentId: p.type === 'student' ? p.id : null,
    facultyId: p.type === 'faculty' ? p.id : null,
    staffId: p.type === 'staff' ? p.id : null,
  };
}

/** Serializes a patron's circulation (loan limit checks) for the rest of the transaction. */
export async function lockPatron(db: DbOrTx, p: Patron) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`library-patron:${p.id}`}))`);
}
