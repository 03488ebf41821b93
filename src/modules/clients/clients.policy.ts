import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const clientsPermissions = definePermissions({
  /** Register, list, rotate and revoke API clients of one's organization subtree. */
  'api_clients:manage': ['admin'],
});

/** API clients the actor manages: those bound to an organization in the actor's admin subtree. */
export const clientScope = (actor: Actor, orgCol: Column): SQL =>
  orgScope(actor, 'api_clients:manage', orgCol);

const BASE = 'https://purl.imsglobal.org/spec/or/v1p2/scope/';

/** The OneRoster 1.2 scopes a client may be granted (the binding's scope URIs). */
export const ONEROSTER_SCOPES = [
  `${BASE}roster-core.readonly`,
  `${BASE}roster.readonly`,
  `${BASE}roster-demographics.readonly`,
  `${BASE}gradebook.readonly`,
  `${BASE}gradebook.createput`,
] as const;
export type OneRosterScope = (typeof ONEROSTER_SCOPES)[number];

export const SCOPE = {
  rosterCore: `${BASE}roster-core.readonly`,
  roster: `${BASE}roster.readonly`,
  demographics: `${BASE}roster-demographics.readonly`,
  gradebookRead: `${BASE}gradebook.readonly`,
  gradebookWrite: `${BASE}gradebook.createput`,
} as const satisfies Record<string, OneRosterScope>;
