import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { rethrowUnique } from '../../kernel/error-handler.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assertOrgsInScope } from '../users/index.js';
import { registerManageScope } from './personnel.policy.js';
import { personnelRegisters } from './personnel.table.js';
import * as repo from './personnel-registers.repo.js';
import type { CreateRegisterT, RegisterT, UpdateRegisterT } from './personnel-registers.schemas.js';

const UNIQUE = { personnel_registers_org_code_uq: 'short_code' };

export function toRegister(r: repo.RegisterRow): RegisterT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    name: r.name,
    short_code: r.shortCode,
    description: r.description,
    personnel_count: r.personnelCount,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Registers an admin manages (their organization subtree); the others are invisible to writes. */
const manageScope = (ctx: RequestContext) =>
  registerManageScope(ctx.actor, personnelRegisters.organizationId);

export async function createRegister(db: Db, ctx: RequestContext, input: CreateRegisterT) {
  const orgId = input.organization_id ?? ctx.actor.organizationId;
  if (!orgId) {
    throw badRequest('organization_id is required (you have no home organization)', [
      { field: 'organization_id', message: 'is required' },
    ]);
  }
  try {
    return await withTx(db, async (tx) => {
      await assertOrgsInScope(tx, ctx, 'registers:manage', [orgId]);
      const row = await repo.insert(tx, {
        organizationId: orgId,
        name: input.name.trim(),
        shortCode: input.short_code.toUpperCase(),
        description: input.description ?? null,
        createdBy: ctx.actor.userId,
      });
      const out = toRegister(row);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'personnel_register',
        entityId: row.id,
        organizationId: orgId,
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE);
  }
}

export async function listRegisters(db: Db, ctx: RequestContext, search: string | undefined, w: PageWindow) {
  const { rows, total } = await repo.list(db, repo.inScope(ctx.actor), search, w);
  return page(rows.map(toRegister), total, w);
}

export async function getRegister(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.find(db, repo.inScope(ctx.actor), id);
  if (!row) throw notFound('Register');
  return toRegister(row);
}

export async function updateRegister(db: Db, ctx: RequestContext, id: string, input: UpdateRegisterT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.findForUpdate(tx, manageScope(ctx), id);
      if (!before) throw notFound('Register');
      const row = await repo.update(tx, id, {
        name: input.name?.trim(),
        shortCode: input.short_code?.toUpperCase(),
        description: input.description,
      });
      const out = toRegister(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'personnel_register',
        entityId: id,
        organizationId: row.organizationId,
        before: toRegister(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE);
  }
}

/**
 * Deletes a register and, by cascade, its personnel (deleted ones too) and their status history. A register
 * that still has live personnel is deleted only with `confirm=true` (409 `register_not_empty` otherwise).
 */
export async function deleteRegister(db: Db, ctx: RequestContext, id: string, confirm: boolean) {
  return withTx(db, async (tx) => {
    const before = await repo.findForUpdate(tx, manageScope(ctx), id);
    if (!before) throw notFound('Register');
    if (before.personnelCount > 0 && !confirm) {
      throw conflict(
        `The register still has ${before.personnelCount} personnel; deleting it deletes them too. Repeat with confirm=true.`,
        'register_not_empty',
        [{ field: 'confirm', message: 'must be true to delete a register that has personnel' }],
      );
    }
    const removed = await repo.countAllPersonnel(tx, id);
    await repo.remove(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'personnel_register',
      entityId: id,
      organizationId: before.organizationId,
      before: { ...toRegister(before), personnel_deleted: removed },
    });
    return { id, personnel_deleted: removed };
  });
}
