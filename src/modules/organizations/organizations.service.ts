import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { grantsFor } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './organizations.repo.js';
import type {
  CreateOrganizationT,
  ListOrganizationsQueryT,
  MoveOrganizationT,
  OrganizationT,
  UpdateOrganizationT,
} from './organizations.schemas.js';

type Kind = OrganizationT['kind'];

/** Which kinds may sit under which parent kind (null = may be a root). */
const ALLOWED_PARENTS: Record<Kind, Array<Kind | null>> = {
  district: [null, 'office'],
  university: [null, 'office'],
  office: [null, 'office', 'district', 'university'],
  school: [null, 'district', 'office'],
  campus: ['university'],
};

function checkParentKind(kind: Kind, parentKind: Kind) {
  if (!ALLOWED_PARENTS[kind].includes(parentKind)) {
    throw businessRule('invalid_parent_kind', `A ${kind} cannot be placed under a ${parentKind}`, [
      {
        field: 'parent_id',
        message: `must be one of: ${ALLOWED_PARENTS[kind].filter(Boolean).join(', ')}`,
      },
    ]);
  }
}

export function toOrganization(r: repo.OrganizationRow): OrganizationT {
  return {
    id: r.id,
    parent_id: r.parentId,
    kind: r.kind,
    name: r.name,
    code: r.code,
    currency: r.currency,
    timezone: r.timezone,
    allow_self_registration: r.allowSelfRegistration,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export async function createOrganization(db: Db, ctx: RequestContext, input: CreateOrganizationT) {
  let parentId = input.parent_id;
  if (!parentId) {
    const adminOrgs = grantsFor(ctx.actor, 'organizations:write');
    if (adminOrgs.length !== 1) {
      throw badRequest('parent_id is required', [{ field: 'parent_id', message: 'is required' }]);
    }
    parentId = adminOrgs[0].organizationId;
  }
  return withTx(db, async (tx) => {
    const parent = await repo.findInScope(tx, ctx.actor, 'organizations:write', parentId!, 'share');
    if (!parent) throw notFound('Parent organization');
    checkParentKind(input.kind, parent.kind);
    const id = uuidv7();
    const row = await repo.insert(tx, {
      id,
      parentId: parent.id,
      kind: input.kind,
      name: input.name,
      code: input.code ?? null,
      path: `${parent.path}${id}/`,
      currency: input.currency ?? parent.currency,
      timezone: input.timezone ?? parent.timezone,
      allowSelfRegistration: input.allow_self_registration ?? false,
    });
    const out = toOrganization(row);
    await publish(tx, ctx, 'organizations.tree_changed', { organizationId: id, change: 'created' });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'organization',
      entityId: id,
      organizationId: id,
      after: out,
    });
    return out;
  });
}

/** Creates a root organization (no parent); used by bootstrap and the demo seed, never over HTTP. */
export async function createRootOrganization(
  db: DbOrTx,
  input: { name: string; kind: Kind; code?: string; currency?: string; timezone?: string },
) {
  const id = uuidv7();
  return repo.insert(db, {
    id,
    parentId: null,
    kind: input.kind,
    name: input.name,
    code: input.code ?? null,
    path: `/${id}/`,
    currency: input.currency ?? 'USD',
    timezone: input.timezone ?? 'UTC',
  });
}

export async function getOrganization(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, ctx.actor, 'organizations:read', id);
  if (!row) throw notFound('Organization');
  return toOrganization(row);
}

export async function listOrganizations(
  db: Db,
  ctx: RequestContext,
  q: ListOrganizationsQueryT,
  w: PageWindow,
) {
  const { rows, total } = await repo.list(db, ctx.actor, q, w);
  return page(rows.map(toOrganization), total, w);
}

export async function listChildren(db: Db, ctx: RequestContext, id: string, w: PageWindow) {
  const parent = await repo.findInScope(db, ctx.actor, 'organizations:read', id);
  if (!parent) throw notFound('Organization');
  return listOrganizations(db, ctx, { parent_id: id }, w);
}

export async function updateOrganization(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: UpdateOrganizationT,
) {
  return withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, ctx.actor, 'organizations:write', id);
    if (!before) throw notFound('Organization');
    const row = await repo.update(tx, id, {
      name: input.name,
      code: input.code === undefined ? undefined : input.code,
      currency: input.currency,
      timezone: input.timezone,
      allowSelfRegistration: input.allow_self_registration,
    });
    const out = toOrganization(row);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'organization',
      entityId: id,
      organizationId: id,
      before: toOrganization(before),
      after: out,
    });
    return out;
  });
}

/**
 * Moves an organization, with everything under it, to another parent (a school changing district). The
 * actor must administer the organization and the new parent; the new parent's kind must allow it; a root
 * stays a root and nothing moves under itself. Records keep their organization; what changes is which
 * subtrees hold them, so every cached actor is forgotten on commit and scopes follow at once.
 */
export async function moveOrganization(db: Db, ctx: RequestContext, id: string, input: MoveOrganizationT) {
  return withTx(db, async (tx) => {
    await repo.lockTreeMoves(tx);
    const before = await repo.findInScope(tx, ctx.actor, 'organizations:write', id);
    if (!before) throw notFound('Organization');
    const parent = await repo.findInScope(tx, ctx.actor, 'organizations:write', input.parent_id);
    if (!parent) throw notFound('Parent organization');
    if (!before.parentId) {
      throw businessRule('cannot_move_root', 'A root organization cannot be moved', [
        { field: 'parent_id', message: 'the organization is a root of the tree' },
      ]);
    }
    if (parent.path.startsWith(before.path)) {
      throw businessRule(
        'move_into_own_subtree',
        'An organization cannot be moved under itself or one of its own descendants',
        [{ field: 'parent_id', message: 'is the organization itself or lies inside it' }],
      );
    }
    if (parent.id === before.parentId) return toOrganization(before);
    checkParentKind(before.kind, parent.kind);
    const toPath = `${parent.path}${id}/`;
    const row = await repo.moveSubtree(tx, {
      id,
      parentId: parent.id,
      oldParentId: before.parentId,
      fromPath: before.path,
      toPath,
    });
    const out = toOrganization(row!);
    await publish(tx, ctx, 'organizations.tree_changed', {
      organizationId: id,
      change: 'moved',
      fromPath: before.path,
      toPath,
    });
    await recordAudit(tx, ctx, {
      action: 'move',
      entityType: 'organization',
      entityId: id,
      organizationId: id,
      before: toOrganization(before),
      after: out,
    });
    return out;
  });
}

export async function deleteOrganization(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, ctx.actor, 'organizations:write', id);
    if (!before) throw notFound('Organization');
    // An admin cannot delete the organization their own grant hangs from (it would lock them out).
    if (ctx.actor.roles.some((g) => g.organizationId === id)) {
      throw businessRule(
        'cannot_delete_own_organization',
        'You cannot delete an organization you hold a role in',
      );
    }
    if (await repo.hasChildren(tx, id)) {
      throw conflict('The organization still has child organizations', 'still_referenced');
    }
    await repo.remove(tx, id);
    await publish(tx, ctx, 'organizations.tree_changed', { organizationId: id, change: 'deleted' });
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'organization',
      entityId: id,
      organizationId: before.parentId,
      before: toOrganization(before),
    });
  });
}
