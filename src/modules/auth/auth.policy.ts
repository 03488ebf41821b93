/**
 * The auth module declares no permissions: its routes are `public` (sign-in, registration, codes) or
 * `authenticated` (the signed-in user's own account and sessions), checked by the kernel's auth plugin.
 * Its data is always the signed-in user's own, so it needs no SQL access predicate either.
 */
export {};
