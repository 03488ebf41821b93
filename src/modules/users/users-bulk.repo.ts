import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';
import type { roleName } from './users.table.js';

type RoleName = (typeof roleName.enumValues)[number];

/**
 * The default login name of a person of a school: `<organization code>.<number>` (student number, employee
 * id), lower-cased, characters outside `a-z 0-9 . _ -` replaced by `-`, at most 50 characters. Usernames are
 * global, and two schools of a district may both have student number 1024: the code keeps them apart. An
 * organization without a code uses the last 8 hex digits of its id instead (`3f9a01bc.1024`).
 */
export function defaultUsername(org: { id: string; code: string | null }, number: string) {
  const code = org.code?.trim() ? org.code.trim() : org.id.replace(/-/g, '').slice(-8);
  return `${code}.${number}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 50);
}

/** A login user created in bulk (imports): no password, one role in one organization. */
export interface BulkLogin {
  id: string;
  username: string;
  email: string;
  fullName: string;
  organizationId: string;
  role: RoleName;
}

/**
 * Inserts many logins set-based: one INSERT of the users (a username or email taken meanwhile is skipped,
 * not an error) and one of their role grants. Returns the ids actually inserted. The users have no password:
 * they set one with the password-reset flow (`POST /auth/forgot-password`).
 */
export async function insertLoginUsers(tx: DbOrTx, rows: BulkLogin[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const payload = rows.map((r) => ({
    id: r.id,
    username: r.username.toLowerCase(),
    email: r.email.toLowerCase(),
    full_name: r.fullName,
    organization_id: r.organizationId,
    role: r.role,
  }));
  const res = await tx.execute(sql`
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        as x(id uuid, username text, email text, full_name text, organization_id uuid, role text)
    ), ins as (
      insert into users (id, username, email, full_name, organization_id)
      select id, username, email, full_name, organization_id from x
      on conflict do nothing
      returning id
    ), roles as (
      insert into role_assignments (id, user_id, role, organization_id)
      select gen_random_uuid(), x.id, x.role::role_name, x.organization_id from x join ins on ins.id = x.id
    )
    select id from ins`);
  return new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
}

/** Which of these usernames and emails already belong to a login (for an import's dry run). */
export async function takenLogins(db: DbOrTx, usernames: string[], emails: string[]) {
  if (usernames.length === 0 && emails.length === 0) {
    return { usernames: new Set<string>(), emails: new Set<string>() };
  }
  const res = await db.execute(sql`
    select username, email from users
     where username in (select jsonb_array_elements_text(${JSON.stringify(usernames)}::jsonb))
        or email in (select jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb))`);
  const rows = rowsOf<{ username: string; email: string }>(res);
  const u = new Set(usernames);
  const e = new Set(emails);
  return {
    usernames: new Set(rows.map((r) => r.username).filter((x) => u.has(x))),
    emails: new Set(rows.map((r) => r.email).filter((x) => e.has(x))),
  };
}
