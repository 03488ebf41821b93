import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import { registerScope } from './personnel.policy.js';
import type { PersonnelRow } from './personnel.repo.js';
import { toPersonnel } from './personnel.service.js';
import { PERSONNEL_STATUSES, personnelRegisters } from './personnel.table.js';
import * as repo from './personnel-import.repo.js';
import * as registers from './personnel-registers.repo.js';

/** A column an import may fill: its field name, header aliases, and how its cells are checked. */
export interface ImportField {
  field: string;
  required?: boolean;
  /** A column that is present may not be left empty (the stored value cannot be blank). */
  nonEmpty?: boolean;
  aliases: string[];
  type: 'text' | 'date' | 'enum';
  max?: number;
  values?: readonly string[];
  /** Stored lower-cased (emails): the file's value is lower-cased before it is compared. */
  lower?: boolean;
  /** A list separated by `;` or `,` (e.g. student numbers): kept sorted, unique, joined by `;`. */
  list?: boolean;
}

/** The personnel columns of an import; headers match a field or one of its aliases (normalized). */
export const PERSONNEL_IMPORT_FIELDS: ImportField[] = [
  {
    field: 'service_number',
    required: true,
    type: 'text',
    max: 50,
    aliases: ['service_no', 'army_number', 'army_no', 'svc_no', 'number'],
  },
  {
    field: 'first_name',
    required: true,
    type: 'text',
    max: 100,
    aliases: ['firstname', 'first', 'given_name'],
  },
  { field: 'middle_name', type: 'text', max: 100, aliases: ['middlename', 'middle'] },
  {
    field: 'last_name',
    required: true,
    type: 'text',
    max: 100,
    aliases: ['lastname', 'surname', 'last', 'family_name'],
  },
  { field: 'rank', type: 'text', max: 100, aliases: [] },
  { field: 'unit', type: 'text', max: 200, aliases: [] },
  { field: 'status', type: 'enum', values: PERSONNEL_STATUSES, aliases: [] },
  { field: 'status_date', type: 'date', aliases: [] },
  { field: 'phone', type: 'text', max: 40, aliases: ['phone_number', 'mobile', 'telephone'] },
  { field: 'date_of_birth', type: 'date', aliases: ['dob', 'birth_date'] },
  { field: 'joining_date', type: 'date', aliases: ['date_of_joining', 'doj', 'join_date'] },
  { field: 'remarks', type: 'text', max: 2000, aliases: ['remark', 'notes', 'comment'] },
];

const FIELDS = PERSONNEL_IMPORT_FIELDS.map((f) => f.field);
type Values = Record<string, string | null>;

/** A record as import text (what a file's cells normalize to), for the diff. */
export function personnelImportValues(r: PersonnelRow): Values {
  const p = toPersonnel(r);
  return Object.fromEntries(FIELDS.map((f) => [f, (p as Record<string, unknown>)[f] as string | null]));
}

/** The register an import writes into, if the actor may change its personnel; else null (404). */
export async function importRegister(db: DbOrTx, ctx: RequestContext, registerId: string) {
  const reg = await registers.find(db, registerScope(ctx.actor, personnelRegisters.id), registerId);
  return reg ? { id: reg.id, organizationId: reg.organizationId, shortCode: reg.shortCode } : null;
}

/** Live records with these service numbers, by service number. */
export async function personnelByKeys(db: DbOrTx, registerId: string, keys: string[], lock: boolean) {
  const rows = await repo.byServiceNumbers(db, registerId, keys, lock);
  return new Map(rows.map((r) => [r.serviceNumber, { id: r.id, values: personnelImportValues(r) }]));
}

export interface ImportWrite {
  creates: Values[];
  /** `values`: the complete new record (file values over the current ones). */
  updates: Array<{ id: string; before: Values; values: Values }>;
  importId: string;
}

/**
 * Writes one batch set-based: one INSERT for the new records, one UPDATE for the changed ones, one INSERT
 * for their status history. Returns the audit entries for the caller to write in the same transaction.
 */
export async function applyPersonnelImport(
  tx: DbOrTx,
  ctx: RequestContext,
  registerId: string,
  orgId: string,
  w: ImportWrite,
) {
  const reason = `import ${w.importId}`;
  const created = await repo.insertMany(
    tx,
    w.creates.map((v) => ({
      id: uuidv7(),
      registerId,
      serviceNumber: v.service_number!,
      firstName: v.first_name!,
      middleName: v.middle_name ?? null,
      lastName: v.last_name!,
      rank: v.rank ?? null,
      unit: v.unit ?? null,
      status: (v.status ?? 'active') as PersonnelRow['status'],
      statusDate: v.status_date ?? null,
      phone: v.phone ?? null,
      dateOfBirth: v.date_of_birth ?? null,
      joiningDate: v.joining_date ?? null,
      remarks: v.remarks ?? null,
      createdBy: ctx.actor.userId,
    })),
  );
  const updated = await repo.updateMany(
    tx,
    registerScope(ctx.actor, sql`p.register_id`),
    w.updates.map((u) => ({ id: u.id, ...u.values })),
  );
  await repo.insertHistoryMany(tx, [
    ...created.map((r) => ({
      personnelId: r.id,
      registerId,
      fromStatus: null,
      toStatus: r.status,
      statusDate: r.statusDate,
      changedBy: ctx.actor.userId,
      reason,
    })),
    ...w.updates
      .filter((u) => u.values.status !== u.before.status)
      .map((u) => ({
        personnelId: u.id,
        registerId,
        fromStatus: u.before.status as PersonnelRow['status'],
        toStatus: u.values.status as PersonnelRow['status'],
        statusDate: u.values.status_date,
        changedBy: ctx.actor.userId,
        reason,
      })),
  ]);
  const audit: AuditEntry[] = [
    ...created.map((r) => ({
      action: 'import.create',
      entityType: 'personnel',
      entityId: r.id,
      organizationId: orgId,
      after: toPersonnel(r),
    })),
    ...w.updates.map((u) => ({
      action: 'import.update',
      entityType: 'personnel',
      entityId: u.id,
      organizationId: orgId,
      before: u.before,
      after: u.values,
    })),
  ];
  return { created: created.length, updated, audit };
}

/** How many live records a complete import would deactivate, and how many live records there are. */
export function missingPersonnel(db: DbOrTx, registerId: string, presentKeys: SQL) {
  return repo.missingCounts(db, registerId, presentKeys);
}

/** Sets the records missing from a complete import inactive, with their history and audit entries. */
export async function deactivateMissingPersonnel(
  tx: DbOrTx,
  ctx: RequestContext,
  registerId: string,
  orgId: string,
  presentKeys: SQL,
  importId: string,
) {
  const rows = await repo.deactivateMissing(
    tx,
    registerId,
    presentKeys,
    registerScope(ctx.actor, sql`p.register_id`),
  );
  const today = new Date().toISOString().slice(0, 10);
  await repo.insertHistoryMany(
    tx,
    rows.map((r) => ({
      personnelId: r.id,
      registerId,
      fromStatus: r.from_status,
      toStatus: 'inactive' as const,
      statusDate: today,
      changedBy: ctx.actor.userId,
      reason: `missing from complete import ${importId}`,
    })),
  );
  const audit: AuditEntry[] = rows.map((r) => ({
    action: 'import.deactivate',
    entityType: 'personnel',
    entityId: r.id,
    organizationId: orgId,
    before: { status: r.from_status },
    after: { status: 'inactive' },
  }));
  return { deactivated: rows.length, audit };
}
