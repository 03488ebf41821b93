/** The six roles; each assignment is scoped to an organization and everything below it. */
export const ROLES = ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route requires: `public` (no token), `authenticated` (any signed-in user; the service applies
 * record-level rules), or a named permission granted to roles through `definePermissions`.
 */
export type RoutePermission = 'public' | 'authenticated' | string;

const grants = new Map<string, Set<Role>>();

/** Modules declare which roles hold each of their permissions (call at import time from the module). */
export function definePermissions(map: Record<string, readonly Role[]>): void {
  for (const [perm, roles] of Object.entries(map)) {
    const set = grants.get(perm) ?? new Set<Role>();
    for (const r of roles) set.add(r);
    grants.set(perm, set);
  }
}

export function rolesGranting(permission: string): ReadonlySet<Role> {
  const set = grants.get(permission);
  if (!set) throw new Error(`Unknown permission "${permission}": declare it with definePermissions()`);
  return set;
}

export function isKnownPermission(permission: string): boolean {
  return permission === 'public' || permission === 'authenticated' || grants.has(permission);
}

// Platform-wide permissions owned by the kernel modules (users, organizations, audit).
definePermissions({
  'organizations:read': ['admin', 'staff', 'principal', 'faculty'],
  'organizations:write': ['admin'],
  'users:read': ['admin', 'staff', 'principal'],
  'users:write': ['admin'],
  'roles:write': ['admin'],
  'allowed_emails:manage': ['admin'],
  'audit:read': ['admin'],
});
