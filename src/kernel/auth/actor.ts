import type { FastifyRequest } from 'fastify';
import { forbidden, unauthenticated } from '../errors.js';
import { type Role, rolesGranting } from './permissions.js';

export interface RoleGrant {
  role: Role;
  organizationId: string;
  /** Materialized path of the organization (`/root/…/self/`); a prefix match is its subtree. */
  path: string;
  /**
   * The ids of every organization in that subtree, loaded with the actor (so a list's scope needs no query
   * of its own); absent on actors built elsewhere (API clients), where callers query instead.
   */
  subtreeIds?: string[];
}

/** The signed-in user as every service sees it. */
export interface Actor {
  userId: string;
  username: string;
  email: string;
  fullName: string;
  organizationId: string | null;
  roles: RoleGrant[];
  allowedRegisterIds: string[];
  sessionId: string;
  tokenId: string;
  tokenExpiresAt: number;
}

/** What services need from a request to act and to audit, without importing Fastify types. */
export interface RequestContext {
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw unauthenticated();
  return {
    actor: request.actor,
    ip: request.ip ?? null,
    userAgent: (request.headers['user-agent'] as string | undefined)?.slice(0, 500) ?? null,
    requestId: String(request.id),
  };
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((g) => roles.includes(g.role));
}

/** The grants through which the actor holds `permission` (empty = no access anywhere). */
export function grantsFor(actor: Actor, permission: string): RoleGrant[] {
  const roles = rolesGranting(permission);
  return actor.roles.filter((g) => roles.has(g.role));
}

/**
 * The ids of the organizations in whose subtrees the actor holds `permission`, from the grants loaded with
 * the actor; null when a grant lacks them (the caller resolves the subtree in SQL instead).
 */
export function managedOrgIds(actor: Actor, permission: string): string[] | null {
  const grants = grantsFor(actor, permission);
  if (grants.length === 0) return [];
  if (grants.some((g) => !g.subtreeIds)) return null;
  if (grants.length === 1) return grants[0].subtreeIds ?? [];
  return [...new Set(grants.flatMap((g) => g.subtreeIds ?? []))];
}

export function can(actor: Actor, permission: string): boolean {
  return grantsFor(actor, permission).length > 0;
}

/** True when `orgPath` lies in the subtree of an organization where the actor holds `permission`. */
export function canInOrgPath(actor: Actor, permission: string, orgPath: string): boolean {
  return grantsFor(actor, permission).some((g) => orgPath.startsWith(g.path));
}

export function assertCan(actor: Actor, permission: string): void {
  if (!can(actor, permission)) throw forbidden();
}
