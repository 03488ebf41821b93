import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PermissionMap } from './auth/permissions.js';
import type { TableLabel, UniqueDescription } from './error-handler.js';
import type { Subscriptions } from './events.js';
import type { JobKind } from './jobs.js';
import type { ScopeContribution } from './scopes.js';

/**
 * A route plugin: TypeBox-typed, so `request.params/query/body` and the reply carry the types of the
 * route's schemas. Every `*.routes.ts` exports its plugins with this type.
 */
export type RoutePlugin = FastifyPluginAsyncTypebox;

/**
 * What a module contributes to the app. Each module has one, in `<module>.module.ts`; the composition root
 * (`src/modules/index.ts`) lists them, and `buildApp` registers the routes under /api/v1, subscribes the
 * event handlers, applies the scope contributions and registers the job kinds, in that order, once.
 */
export interface ModuleDefinition {
  /** The module's folder name, e.g. `students`. */
  name: string;
  /** The permissions its routes name, and the roles that hold each. */
  permissions?: PermissionMap;
  /** Route plugins, registered under `prefix` in this order. */
  routes: RoutePlugin[];
  /**
   * Where the routes are mounted: `/api/v1` unless a standard fixes other paths (OneRoster's `/ims/oneroster`).
   */
  prefix?: string;
  /** Handlers of other modules' domain events. */
  events?: Subscriptions;
  /** Predicates this module adds to lower modules' access rules. */
  scopes?: ScopeContribution[];
  /** Kinds of background job this module defines (run by the jobs module's worker, see docs/jobs.md). */
  jobs?: JobKind[];
  /**
   * What its constraints mean to a user (kernel/error-handler.ts): unique constraints by name, and how to
   * name the rows of its tables in "still used by" messages.
   */
  errors?: { unique?: Record<string, UniqueDescription>; tables?: Record<string, TableLabel> };
}

/** Identity helper that checks a module definition's shape. */
export const defineModule = (m: ModuleDefinition): ModuleDefinition => m;
