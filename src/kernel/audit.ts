import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { RequestContext } from './auth/actor.js';
import { uuidv7 } from './ids.js';

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

/**
 * Set-based variant for bulk operations: one INSERT for all entries, the entries as ONE jsonb parameter
 * (`jsonb_to_recordset`) rather than a VALUES list of 9 parameters per row, which the query builder spent
 * more time assembling than the database spent inserting (an import audits every row it writes).
 */
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
      id: uuidv7(),
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId ?? null,
      organization_id: e.organizationId ?? null,
      before,
      after,
      changed_fields: changed,
    };
  });
  await db.execute(sql`
    insert into audit_logs (id, actor_id, actor_username, action, entity_type, entity_id, organization_id,
                            before, after, changed_fields, ip, user_agent, request_id)
    select x.id, ${ctx?.actor.userId ?? null}::uuid, ${ctx?.actor.username ?? null}::text, x.action,
           x.entity_type, x.entity_id, x.organization_id, x.before, x.after, x.changed_fields,
           ${ctx?.ip ?? null}::text, ${ctx?.userAgent ?? null}::text, ${ctx?.requestId ?? null}::text
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, action text, entity_type text,
           entity_id text, organization_id uuid, before jsonb, after jsonb, changed_fields text[])`);
}

/**
 * An `INSERT INTO audit_logs … SELECT` of one `after`-only row per row of `rows` (a CTE name whose rows have
 * an `id`), for a set-based write that audits what it inserted in the same statement:
 * `with ins as (insert … returning …), audited as (${auditRowsOf(ctx, 'import.create', 'student', orgId, sql`ins`)}) …`.
 * The rows must hold no secrets (their whole row becomes `after`).
 */
export function auditRowsOf(
  ctx: RequestContext | null,
  action: string,
  entityType: string,
  organizationId: string,
  rows: SQL,
): SQL {
  return sql`
    insert into audit_logs (id, actor_id, actor_username, action, entity_type, entity_id, organization_id,
                            after, ip, user_agent, request_id)
    select gen_random_uuid(), ${ctx?.actor.userId ?? null}::uuid, ${ctx?.actor.username ?? null}::text,
           ${action}, ${entityType}, r.id::text, ${organizationId}::uuid, to_jsonb(r),
           ${ctx?.ip ?? null}::text, ${ctx?.userAgent ?? null}::text, ${ctx?.requestId ?? null}::text
      from ${rows} r`;
}
