import { invalidateActors } from '../../src/kernel/auth/actor-cache.js';
import type { Role } from '../../src/kernel/auth/permissions.js';
import { uuidv7 } from '../../src/kernel/ids.js';
import { createRootOrganization } from '../../src/modules/organizations/index.js';
import { organizations } from '../../src/modules/organizations/organizations.table.js';
import { insertLoginUser } from '../../src/modules/users/index.js';
import { type App, call, uniq } from './app.js';

export const PASSWORD = 'Correct-Horse-42';

export type Kind = 'district' | 'school' | 'university' | 'campus' | 'office';

/** A new root organization of its own, so each test is isolated from every other. */
export async function makeRootOrg(app: App, kind: Kind = 'district', name = `Org ${uniq()}`) {
  return createRootOrganization(app.deps.db, { name, kind });
}

/** A child organization directly in the database (no actor needed). */
export async function makeChildOrg(
  app: App,
  parent: { id: string; path: string },
  kind: Kind,
  name = `Org ${uniq()}`,
) {
  const id = uuidv7();
  const [row] = await app.deps.db
    .insert(organizations)
    .values({ id, parentId: parent.id, kind, name, path: `${parent.path}${id}/` })
    .returning();
  // What the organizations service does on create (organizations.tree_changed): cached actors' subtrees go.
  invalidateActors(app.deps.db, 'all');
  return row;
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

/** A user holding `role` over `org` (plus extra grants), already signed in. */
export async function makeUser(
  app: App,
  org: { id: string },
  role: Role | null,
  opts: {
    extraRoles?: Array<{ role: Role; organization_id: string }>;
    fullName?: string;
    password?: string;
  } = {},
): Promise<TestUser> {
  const username = uniq(`${role ?? 'user'}.`);
  const password = opts.password ?? PASSWORD;
  const roles = [...(role ? [{ role, organization_id: org.id }] : []), ...(opts.extraRoles ?? [])];
  const u = await app.deps.db.transaction((tx) =>
    insertLoginUser(tx, {
      username,
      email: `${username}@example.test`,
      fullName: opts.fullName ?? `Test ${role ?? 'User'}`,
      password,
      organizationId: org.id,
      roles,
    }),
  );
  const { token, refreshToken } = await login(app, username, password);
  return { id: u.id, username, email: u.email, password, token, refreshToken };
}

export async function login(app: App, username: string, password: string) {
  const res = await call(app, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${username}: ${res.statusCode} ${res.body}`);
  return { token: res.data.data.access_token as string, refreshToken: res.data.data.refresh_token as string };
}

/** An isolated world: a root org with an admin, for tests that need a place to stand. */
export async function makeWorld(app: App, kind: Kind = 'district') {
  const org = await makeRootOrg(app, kind);
  const admin = await makeUser(app, org, 'admin');
  const otherOrg = await makeRootOrg(app, kind);
  const otherAdmin = await makeUser(app, otherOrg, 'admin');
  return { org, admin, otherOrg, otherAdmin };
}
