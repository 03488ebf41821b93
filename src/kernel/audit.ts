import type { DbOrTx } from '../db/client.js';
import { auditLogs } from './audit.table.js';
import type { RequestContext } from './auth/actor.js';

/** Fields never written to the audit trail, whatever entity they belong to. */
const REDACTED = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'code_hash',
  'secret',
]);

type Row = Record<string, unknown> | null | undefined;

function clean(row: Row): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (REDACTED.has(k)) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  organizationId?: string | null;
  before?: Row;
  after?: Row;
}

/**
 * Writes one audit row in the caller's transaction, so the change and its record commit together. For
 * updates only the changed fields are kept in before/after.
 */
export async function recordAudit(db: DbOrTx, ctx: RequestContext | null, entry: AuditEntry): Promise<void> {
  await recordAudits(db, ctx, [entry]);
}

/** Set-based variant for bulk operations: one INSERT for all entries. */
export async function recordAudits(
  db: DbOrTx,
  ctx: RequestContext | null,
  entries: AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => {
    let before = clean(e.before);
    let after = clean(e.after);
    let changed: string[] | null = null;
    if (before && after) {
      changed = Object.keys(after).filter((k) => !same(before![k], after![k]));
      before = Object.fromEntries(changed.map((k) => [k, before![k]]));
      after = Object.fromEntries(changed.map((k) => [k, after![k]]));
    }
    return {
      actorId: ctx?.actor.userId ?? null,
      actorUsername: ctx?.actor.username ?? null,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      organizationId: e.organizationId ?? null,
      before,
      after,
      changedFields: changed,
      ip: ctx?.ip ?? null,
      userAgent: ctx?.userAgent ?? null,
      requestId: ctx?.requestId ?? null,
    };
  });
  await db.insert(auditLogs).values(rows);
}
