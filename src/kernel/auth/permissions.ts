/** Each role assignment is scoped to an organization and everything below it. */
/** The roles; `auditor` only reads (reports and dashboards of its subtree) and changes nothing. */
export const ROLES = ['admin', 'staff', 'principal', 'faculty', 'student', 'parent', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route requires: `public` (no token), `authenticated` (any signed-in user; the service applies
 * record-level rules), or a named permission granted to roles through `definePermissions`.
 */
export type RoutePermission = 'public' | 'authenticated' | string;

const grants = new Map<string, Set<Role>>();

/** A module's permissions: name → the roles that hold it (anywhere in their organization subtree). */
export type PermissionMap = Readonly<Record<string, readonly Role[]>>;

/**
 * Declares a module's permissions, returning the map for the module definition's `permissions`; the
 * composition root registers them (`registerPermissions`) before any route is added.
 */
export function definePermissions<M extends PermissionMap>(map: M): M {
  return map;
}

/** Registers permissions so routes may name them (buildApp, for every module definition). */
export function registerPermissions(map: PermissionMap): void {
  for (const [perm, roles] of Object.entries(map)) {
    const set = grants.get(perm) ?? new Set<Role>();
    for (const r of roles) set.add(r);
    grants.set(perm, set);
  }
}

export function rolesGranting(permission: string): ReadonlySet<Role> {
  const set = grants.get(permission);
  if (!set)
    throw new Error(`Unknown permission "${permission}": declare it in a module definition's permissions`);
  return set;
}

export function isKnownPermission(permission: string): boolean {
  return permission === 'public' || permission === 'authenticated' || grants.has(permission);
}
