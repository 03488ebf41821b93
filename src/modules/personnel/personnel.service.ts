import type { Db, DbOrTx } from '../../db/client.js';
import { type AuditEntry, recordAudit, recordAudits } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { rethrowUnique } from '../../kernel/error-handler.js';
import { notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { registerScope } from './personnel.policy.js';
import * as repo from './personnel.repo.js';
import type {
  CreatePersonnelT,
  ListPersonnelQueryT,
  PersonnelStatusT,
  PersonnelT,
  UpdatePersonnelT,
} from './personnel.schemas.js';
import { personnel, personnelRegisters } from './personnel.table.js';
import * as registers from './personnel-registers.repo.js';

const UNIQUE = { personnel_register_service_number_uq: 'service_number' };

export function toPersonnel(r: repo.PersonnelRow): PersonnelT {
  return {
    id: r.id,
    register_id: r.registerId,
    service_number: r.serviceNumber,
    first_name: r.firstName,
    middle_name: r.middleName,
    last_name: r.lastName,
    rank: r.rank,
    unit: r.unit,
    status: r.status,
    status_date: r.statusDate,
    phone: r.phone,
    date_of_birth: r.dateOfBirth,
    joining_date: r.joiningDate,
    remarks: r.remarks,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** The personnel rows the actor may read and change: those of the registers in `registerScope`. */
export const personnelScope = (ctx: RequestContext) => registerScope(ctx.actor, personnel.registerId);

const trimOrNull = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null ? null : v.trim() || null;

function values(input: Partial<CreatePersonnelT & UpdatePersonnelT>) {
  return {
    serviceNumber: input.service_number?.trim(),
    firstName: input.first_name?.trim(),
    middleName: trimOrNull(input.middle_name),
    lastName: input.last_name?.trim(),
    rank: trimOrNull(input.rank),
    unit: trimOrNull(input.unit),
    status: input.status,
    statusDate: input.status_date,
    phone: trimOrNull(input.phone),
    dateOfBirth: input.date_of_birth,
    joiningDate: input.joining_date,
    remarks: trimOrNull(input.remarks),
  };
}

async function organizationOf(db: DbOrTx, ctx: RequestContext, registerId: string) {
  const reg = await registers.find(db, registerScope(ctx.actor, personnelRegisters.id), registerId);
  if (!reg) throw notFound('Register');
  return reg.organizationId;
}

export async function createPersonnel(db: Db, ctx: RequestContext, input: CreatePersonnelT) {
  try {
    return await withTx(db, async (tx) => {
      const orgId = await organizationOf(tx, ctx, input.register_id);
      const status: PersonnelStatusT = input.status ?? 'active';
      const row = await repo.insert(tx, {
        ...values(input),
        registerId: input.register_id,
        serviceNumber: input.service_number.trim(),
        firstName: input.first_name.trim(),
        lastName: input.last_name.trim(),
        status,
        createdBy: ctx.actor.userId,
      });
      await repo.insertHistory(tx, [
        {
          personnelId: row.id,
          registerId: row.registerId,
          fromStatus: null,
          toStatus: status,
          statusDate: row.statusDate,
          changedBy: ctx.actor.userId,
          reason: input.status_reason ?? 'created',
        },
      ]);
      const out = toPersonnel(row);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: 'personnel',
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

export interface ListArgs {
  registerId?: string;
  search?: string;
  filter?: ListPersonnelQueryT['filter'];
}

export async function listPersonnel(db: Db, ctx: RequestContext, a: ListArgs, w: PageWindow) {
  if (a.registerId) await organizationOf(db, ctx, a.registerId);
  const { rows, total } = await repo.list(
    db,
    personnelScope(ctx),
    {
      registerId: a.registerId,
      search: a.search,
      status: a.filter && a.filter !== 'all' ? a.filter : undefined,
    },
    w,
  );
  // The rows are shaped by the select (repo.personnelOut): no per-row mapping.
  const data: PersonnelT[] = rows;
  return page(data, total, w);
}

export async function getPersonnel(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.find(db, personnelScope(ctx), id);
  if (!row) throw notFound('Personnel');
  return toPersonnel(row);
}

export async function personnelHistory(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.find(db, personnelScope(ctx), id);
  if (!row) throw notFound('Personnel');
  return (await repo.history(db, id)).map((h) => ({
    id: h.id,
    from_status: h.fromStatus,
    to_status: h.toStatus,
    status_date: h.statusDate,
    changed_at: iso(h.changedAt)!,
    changed_by: h.changedBy,
    reason: h.reason,
  }));
}

/** Updates the given fields; a status change is written to the status history in the same transaction. */
export async function updatePersonnel(db: Db, ctx: RequestContext, id: string, input: UpdatePersonnelT) {
  try {
    return await withTx(db, async (tx) => {
      const before = await repo.find(tx, personnelScope(ctx), id, true);
      if (!before) throw notFound('Personnel');
      const statusChanged = input.status !== undefined && input.status !== before.status;
      const v = values(input);
      // A new status without a date takes today's: status_date is the date of the current status.
      if (statusChanged && input.status_date === undefined)
        v.statusDate = new Date().toISOString().slice(0, 10);
      const row = await repo.update(tx, id, v);
      if (statusChanged) {
        await repo.insertHistory(tx, [
          {
            personnelId: id,
            registerId: row.registerId,
            fromStatus: before.status,
            toStatus: row.status,
            statusDate: row.statusDate,
            changedBy: ctx.actor.userId,
            reason: input.status_reason ?? null,
          },
        ]);
      }
      const out = toPersonnel(row);
      await recordAudit(tx, ctx, {
        action: 'update',
        entityType: 'personnel',
        entityId: id,
        organizationId: await organizationOf(tx, ctx, row.registerId),
        before: toPersonnel(before),
        after: out,
      });
      return out;
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE);
  }
}

export async function deletePersonnel(db: Db, ctx: RequestContext, id: string) {
  const r = await bulkDeletePersonnel(db, ctx, [id]);
  if (r.deleted === 0) throw notFound('Personnel');
}

/**
 * Soft-deletes, in one statement, the ids that are live and in the actor's registers; the others are
 * ignored and the answer says how many were deleted. One audit row per deleted record, in one insert.
 */
export async function bulkDeletePersonnel(db: Db, ctx: RequestContext, ids: string[]) {
  return withTx(db, async (tx) => {
    const deleted = await repo.softDeleteMany(tx, personnelScope(ctx), ids);
    const orgs = new Map<string, string>();
    for (const regId of new Set(deleted.map((d) => d.registerId))) {
      orgs.set(regId, await organizationOf(tx, ctx, regId));
    }
    const entries: AuditEntry[] = deleted.map((d) => ({
      action: 'delete',
      entityType: 'personnel',
      entityId: d.id,
      organizationId: orgs.get(d.registerId) ?? null,
      before: { id: d.id, register_id: d.registerId, service_number: d.serviceNumber },
    }));
    for (let i = 0; i < entries.length; i += 500) await recordAudits(tx, ctx, entries.slice(i, i + 500));
    return { requested: ids.length, deleted: deleted.length, deleted_ids: deleted.map((d) => d.id) };
  });
}
