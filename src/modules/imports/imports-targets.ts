import type { SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import {
  applyRosterImport,
  CLASS_ROSTER_IMPORT_FIELDS,
  dropMissingRosterRows,
  importRosterSchool,
  missingRosterRows,
  rosterBatchErrors,
  rosterCurrent,
  rosterKey,
} from '../enrollments/index.js';
import {
  applyFacultyImport,
  deactivateMissingFaculty,
  FACULTY_IMPORT_FIELDS,
  facultyByEmployeeIds,
  facultyCreateConflicts,
  facultyRowError,
  importFacultySchool,
  missingFaculty,
} from '../faculty/index.js';
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
  applyGuardianImport,
  applyStagedStudents,
  applyStudentImport,
  deactivateMissingStudents,
  GUARDIAN_IMPORT_FIELDS,
  guardianCounts,
  guardianRowError,
  guardiansByExternalIds,
  importGuardianSchool,
  importSchool,
  missingStudents,
  STUDENT_IMPORT_FIELDS,
  studentRowError,
  studentsByNumbers,
  unknownChildren,
} from '../students/index.js';
import { oneRosterScope } from './imports-oneroster.js';
import type { CellError, Values } from './imports-validate.js';

/** Where an import writes: the register (personnel) or the school (students), checked against the actor. */
export interface TargetScope {
  id: string;
  organizationId: string;
  /** The register's short code, for rows that name their register by code. */
  code?: string;
  /** The organization's materialized path (multi-file targets: everything lands in its subtree). */
  path?: string;
}

export interface Current {
  id: string;
  values: Values;
  /** Facts about the record the target's `rowError` needs (e.g. the student has a login). */
  extra?: Record<string, unknown>;
}

/** What the pipeline needs from a target module; every function applies the actor's scope in SQL. */
export interface ImportTargetAdapter {
  /** A zip of several files staged and committed by its own functions (OneRoster CSV); see imports-oneroster.ts. */
  multiFile?: boolean;
  fields: ImportField[];
  keyField: string;
  /** The form field naming the scope (`register_id` or `organization_id`). */
  scopeField: 'register_id' | 'organization_id';
  /** The natural key of a row when it is not one field (class rosters: class + student); null: none. */
  keyOf?(data: Values): string | null;
  /** The message of a row without a key, when `keyOf` is given. */
  keyError?: string;
  /** False: rows for unknown keys are errors (the target can only update). */
  canCreate: boolean;
  /** Why a row for an unknown key is an error when `canCreate` is false. */
  createRefusal?: string;
  resolveScope(db: DbOrTx, ctx: RequestContext, scopeId: string): Promise<TargetScope | null>;
  /** A valid row's error against the record it would touch (checked at staging and again at commit). */
  rowError?(data: Values, current: Current | undefined): CellError | null;
  /**
   * Errors only a query finds (a login name already taken, an unknown student number), for a batch of valid
   * rows with their current records; by natural key. Checked at staging.
   */
  batchErrors?(
    db: DbOrTx,
    scope: TargetScope,
    rows: Array<{ key: string; data: Values; current: Current | undefined }>,
  ): Promise<Map<string, CellError>>;
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
    tx: Tx,
    ctx: RequestContext,
    scope: TargetScope,
    w: {
      creates: Values[];
      updates: Array<{ id: string; before: Values; values: Values }>;
      importId: string;
    },
  ): Promise<{ created: number; updated: number; audit: AuditEntry[] }>;
  /**
   * Optional set-based commit: writes one range of staged rows (`staged`: a query of `row_number, key,
   * data`, file order) in SQL, with the same re-check against the locked records as `current` + `rowError`
   * + `apply`, so no row passes through the process. Returns the last row number read (null: none left).
   */
  applyStaged?(
    tx: Tx,
    ctx: RequestContext,
    scope: TargetScope,
    staged: SQL,
  ): Promise<{ last: number | null; created: number; updated: number }>;
  missing(db: DbOrTx, scope: TargetScope, presentKeys: SQL): Promise<{ missing: number; existing: number }>;
  deactivate(
    tx: Tx,
    ctx: RequestContext,
    scope: TargetScope,
    presentKeys: SQL,
    importId: string,
  ): Promise<{ deactivated: number; audit: AuditEntry[] }>;
}

/** A row naming another school (`organization_id` / `school_id` column) than the one imported into. */
function schoolRowScopeError(cells: Values, scope: TargetScope) {
  const org = cells.organization_id ?? cells.school_id ?? null;
  return org && org.toLowerCase() !== scope.id
    ? 'the row belongs to another school than the one imported into'
    : null;
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

/** Students: new numbers create students without a login; existing ones are updated (docs/imports.md). */
const studentsTarget: ImportTargetAdapter = {
  fields: STUDENT_IMPORT_FIELDS,
  keyField: 'student_number',
  scopeField: 'organization_id',
  canCreate: true,
  rowError: studentRowError,
  resolveScope: (db, ctx, id) => importSchool(db, ctx, id),
  rowScopeError: schoolRowScopeError,
  current: (db, ctx, scope, keys, lock) => studentsByNumbers(db, ctx, scope.id, keys, lock),
  apply: (tx, ctx, scope, w) => applyStudentImport(tx, ctx, scope.id, w.creates, w.updates),
  applyStaged: (tx, ctx, scope, staged) => applyStagedStudents(tx, ctx, scope.id, staged),
  missing: (db, scope, keys) => missingStudents(db, scope.id, keys),
  deactivate: (tx, ctx, scope, keys) => deactivateMissingStudents(tx, ctx, scope.id, keys),
};

/** Faculty: new employee ids create the faculty member with a login (no password); see docs/imports.md. */
const facultyTarget: ImportTargetAdapter = {
  fields: FACULTY_IMPORT_FIELDS,
  keyField: 'employee_id',
  scopeField: 'organization_id',
  canCreate: true,
  rowError: facultyRowError,
  batchErrors: (db, scope, rows) =>
    facultyCreateConflicts(
      db,
      { id: scope.organizationId, code: scope.code },
      rows.filter((r) => !r.current),
    ),
  resolveScope: (db, ctx, id) => importFacultySchool(db, ctx, id),
  rowScopeError: schoolRowScopeError,
  current: (db, ctx, scope, keys, lock) => facultyByEmployeeIds(db, ctx, scope.id, keys, lock),
  apply: (tx, ctx, scope, w) =>
    applyFacultyImport(tx, ctx, { id: scope.organizationId, code: scope.code }, w.creates, w.updates),
  missing: (db, scope, keys) => missingFaculty(db, scope.id, keys),
  deactivate: (tx, ctx, scope, keys) => deactivateMissingFaculty(tx, ctx, scope.id, keys),
};

/**
 * Guardians, keyed by `external_id` (their id in the previous system); `student_numbers` sets their children
 * in the school. Guardians have no status, so a complete file deactivates nobody.
 */
const guardiansTarget: ImportTargetAdapter = {
  fields: GUARDIAN_IMPORT_FIELDS,
  keyField: 'external_id',
  scopeField: 'organization_id',
  canCreate: true,
  rowError: guardianRowError,
  batchErrors: (db, scope, rows) => unknownChildren(db, scope.id, rows),
  resolveScope: (db, ctx, id) => importGuardianSchool(db, ctx, id),
  rowScopeError: schoolRowScopeError,
  current: (db, ctx, scope, keys, lock) => guardiansByExternalIds(db, ctx, scope.id, keys, lock),
  apply: (tx, ctx, scope, w) => applyGuardianImport(tx, ctx, scope.id, w.creates, w.updates),
  missing: (db, scope) => guardianCounts(db, scope.id),
  deactivate: async () => ({ deactivated: 0, audit: [] }),
};

/** Class rosters: one row = a student (by student or roll number) in a class of the school. */
const classRostersTarget: ImportTargetAdapter = {
  fields: CLASS_ROSTER_IMPORT_FIELDS,
  keyField: 'class_id',
  keyOf: rosterKey,
  keyError: 'student_number or roll_no is required',
  scopeField: 'organization_id',
  canCreate: true,
  batchErrors: (db, scope, rows) => rosterBatchErrors(db, scope.id, rows),
  resolveScope: (db, ctx, id) => importRosterSchool(db, ctx, id),
  rowScopeError: schoolRowScopeError,
  current: (db, _ctx, scope, keys) => rosterCurrent(db, scope.id, keys),
  apply: (tx, ctx, scope, w) => applyRosterImport(tx, ctx, scope.id, w.creates),
  missing: (db, scope, keys) => missingRosterRows(db, scope.id, keys),
  deactivate: (tx, ctx, scope, keys, importId) => dropMissingRosterRows(tx, ctx, scope.id, keys, importId),
};

/**
 * OneRoster 1.2 CSV zip: staged and committed by imports-oneroster.ts (several files, in dependency order);
 * this entry gives the pipeline its scope. A complete import deactivates nothing.
 */
const oneRosterTarget: ImportTargetAdapter = {
  multiFile: true,
  fields: [],
  keyField: 'sourcedId',
  scopeField: 'organization_id',
  canCreate: true,
  resolveScope: oneRosterScope,
  current: async () => new Map(),
  apply: async () => ({ created: 0, updated: 0, audit: [] }),
  missing: async () => ({ missing: 0, existing: 0 }),
  deactivate: async () => ({ deactivated: 0, audit: [] }),
};

export const TARGETS: Record<string, ImportTargetAdapter> = {
  personnel: personnelTarget,
  students: studentsTarget,
  faculty: facultyTarget,
  guardians: guardiansTarget,
  class_rosters: classRostersTarget,
  oneroster: oneRosterTarget,
};
