import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import {
  applyPersonnelImport,
  deactivateMissingPersonnel,
  type ImportField,
  importRegister,
  missingPersonnel,
  PERSONNEL_IMPORT_FIELDS,
  personnelByKeys,
} from '../personnel/index.js';
import {
  applyStudentImport,
  deactivateMissingStudents,
  importSchool,
  missingStudents,
  STUDENT_IMPORT_FIELDS,
  studentsByNumbers,
} from '../students/index.js';
import type { Values } from './imports-validate.js';

/** Where an import writes: the register (personnel) or the school (students), checked against the actor. */
export interface TargetScope {
  id: string;
  organizationId: string;
  /** The register's short code, for rows that name their register by code. */
  code?: string;
}

export interface Current {
  id: string;
  values: Values;
}

/** What the pipeline needs from a target module; every function applies the actor's scope in SQL. */
export interface ImportTargetAdapter {
  fields: ImportField[];
  keyField: string;
  /** The form field naming the scope (`register_id` or `organization_id`). */
  scopeField: 'register_id' | 'organization_id';
  /** False: rows for unknown keys are errors (the target can only update). */
  canCreate: boolean;
  /** Why a row for an unknown key is an error when `canCreate` is false. */
  createRefusal?: string;
  resolveScope(db: DbOrTx, ctx: RequestContext, scopeId: string): Promise<TargetScope | null>;
  /** Optional per-row check of columns that name a scope (a row for another register is an error). */
  rowScopeError?(normalizedCells: Values, scope: TargetScope): string | null;
  current(
    db: DbOrTx,
    ctx: RequestContext,
    scope: TargetScope,
    keys: string[],
    lock: boolean,
  ): Promise<Map<string, Current>>;
  apply(
    tx: DbOrTx,
    ctx: RequestContext,
    scope: TargetScope,
    w: {
      creates: Values[];
      updates: Array<{ id: string; before: Values; values: Values }>;
      importId: string;
    },
  ): Promise<{ created: number; updated: number; audit: AuditEntry[] }>;
  missing(db: DbOrTx, scope: TargetScope, presentKeys: SQL): Promise<{ missing: number; existing: number }>;
  deactivate(
    tx: DbOrTx,
    ctx: RequestContext,
    scope: TargetScope,
    presentKeys: SQL,
    importId: string,
  ): Promise<{ deactivated: number; audit: AuditEntry[] }>;
}

const personnelTarget: ImportTargetAdapter = {
  fields: PERSONNEL_IMPORT_FIELDS,
  keyField: 'service_number',
  scopeField: 'register_id',
  canCreate: true,
  async resolveScope(db, ctx, id) {
    const r = await importRegister(db, ctx, id);
    return r ? { id: r.id, organizationId: r.organizationId, code: r.shortCode } : null;
  },
  rowScopeError(cells, scope) {
    const id = cells.register_id ?? null;
    const code = cells.register_code ?? cells.register ?? null;
    if ((id && id.toLowerCase() !== scope.id) || (code && code.toUpperCase() !== scope.code)) {
      return 'the row belongs to another register than the one imported into';
    }
    return null;
  },
  current: (db, _ctx, scope, keys, lock) => personnelByKeys(db, scope.id, keys, lock),
  apply: (tx, ctx, scope, w) => applyPersonnelImport(tx, ctx, scope.id, scope.organizationId, w),
  missing: (db, scope, keys) => missingPersonnel(db, scope.id, keys),
  deactivate: (tx, ctx, scope, keys, importId) =>
    deactivateMissingPersonnel(tx, ctx, scope.id, scope.organizationId, keys, importId),
};

/** Students: updates of existing students only (a new student needs a login; see docs/imports.md). */
const studentsTarget: ImportTargetAdapter = {
  fields: STUDENT_IMPORT_FIELDS,
  keyField: 'student_number',
  scopeField: 'organization_id',
  canCreate: false,
  createRefusal:
    'no student with this student_number in the school; imports update existing students only until students without a login exist (issue 11)',
  resolveScope: (db, ctx, id) => importSchool(db, ctx, id),
  rowScopeError(cells, scope) {
    const org = cells.organization_id ?? cells.school_id ?? null;
    return org && org.toLowerCase() !== scope.id
      ? 'the row belongs to another school than the one imported into'
      : null;
  },
  current: (db, ctx, scope, keys, lock) => studentsByNumbers(db, ctx, scope.id, keys, lock),
  apply: (tx, ctx, scope, w) => applyStudentImport(tx, ctx, scope.id, w.updates),
  missing: (db, scope, keys) => missingStudents(db, scope.id, keys),
  deactivate: (tx, ctx, scope, keys) => deactivateMissingStudents(tx, ctx, scope.id, keys),
};

export const TARGETS: Record<string, ImportTargetAdapter> = {
  personnel: personnelTarget,
  students: studentsTarget,
};
