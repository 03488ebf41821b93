import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { IMPORT_MODES, IMPORT_STATES, IMPORT_TARGETS } from './imports.table.js';

const Values = Type.Record(Type.String(), Nullable(Type.String()), { description: 'Field → value' });

const FileName = Type.Optional(
  Type.String({ description: 'oneroster: the file of the zip the row is in', examples: ['users.csv'] }),
);

export const RowError = Type.Object({
  file: FileName,
  row: Type.Integer({
    description: 'Row number as a spreadsheet shows it (header = 1); JSON: element number',
  }),
  column: Nullable(Type.String({ description: 'The file column (or field) at fault' })),
  value: Nullable(Type.String({ description: 'The offending value (cut at 200 characters)' })),
  message: Type.String(),
});

export const ImportSummary = Type.Object({
  create: Type.Integer({ description: 'Rows that create a record' }),
  update: Type.Integer({ description: 'Rows that change a record' }),
  unchanged: Type.Integer({ description: 'Rows equal to the stored record' }),
  error: Type.Integer({ description: 'Rows with errors' }),
  deactivate: Type.Integer({ description: 'Complete imports: live records missing from the file' }),
  existing: Type.Integer({ description: 'Live records in the scope before the import' }),
  ignored_columns: Type.Array(Type.String(), { description: 'File columns that match no field' }),
  files: Type.Optional(
    Type.Array(Type.String(), { description: 'oneroster: the files of the zip that were read, in order' }),
  ),
  skipped_rows: Type.Optional(
    Type.Record(Type.String(), Type.Integer(), {
      description: 'oneroster: rows not imported, by `file:role` (e.g. parents in users.csv)',
      examples: [{ 'users.csv:parent': 2 }],
    }),
  ),
  result: Nullable(
    Type.Object(
      {
        created: Type.Integer(),
        updated: Type.Integer(),
        deactivated: Type.Integer(),
      },
      { description: 'What the commit wrote' },
    ),
  ),
});

const importProps = {
  id: Uuid(),
  target: StringEnum(IMPORT_TARGETS),
  mode: StringEnum(IMPORT_MODES),
  state: StringEnum(IMPORT_STATES, {
    description:
      'validating → validated (dry run) → committing (a large commit running as a job) → committed; ' +
      'rejected (all-or-nothing with errors); failed',
  }),
  organization_id: Uuid(),
  scope_id: Uuid(
    'The register (personnel), the school (students, faculty, guardians, class_rosters) or the organization (oneroster) imported into',
  ),
  complete: Type.Boolean({
    description: 'The file is the complete roster (missing records are deactivated)',
  }),
  file: Type.Object({
    name: Type.String(),
    format: Type.String({ examples: ['csv'] }),
    size: Type.Integer({ description: 'Bytes' }),
    sha256: Type.String({ description: 'SHA-256 of the file, hex' }),
  }),
  progress: Type.Object({
    rows_read: Type.Integer(),
    rows_validated: Type.Integer(),
    rows_invalid: Type.Integer(),
    rows_written: Type.Integer(),
  }),
  job_id: Nullable(
    Uuid('The background job of a large commit (GET /jobs/{id}); null when the commit ran in the request'),
  ),
  summary: Nullable(ImportSummary),
  failure: Nullable(Type.String({ description: 'Why the import failed' })),
  created_by: Nullable(Type.Object({ id: Nullable(Uuid()), username: Nullable(Type.String()) })),
  created_at: Timestamp(),
  committed_at: Nullable(Timestamp()),
  finished_at: Nullable(Timestamp()),
};
export const Import = Type.Object(importProps, { $id: 'Import' });
export type ImportT = Static<typeof Import>;

export const ImportDetail = Type.Object({
  ...importProps,
  errors: Type.Array(RowError, { description: 'The first 100 row errors (all of them: errors.csv)' }),
  diff: Type.Object(
    {
      create: Type.Array(
        Type.Object({ file: FileName, row: Type.Integer(), key: Nullable(Type.String()), values: Values }),
      ),
      update: Type.Array(
        Type.Object({
          file: FileName,
          row: Type.Integer(),
          key: Nullable(Type.String()),
          id: Nullable(Uuid()),
          changed_fields: Type.Array(Type.String()),
          values: Values,
        }),
      ),
      unchanged: Type.Integer(),
      deactivate: Type.Integer(),
    },
    { description: 'The first 100 rows to create and to update; counts of the others' },
  ),
});
export type ImportDetailT = Static<typeof ImportDetail>;

/** Documents the multipart form of POST /imports (fields are read from the stream). */
export const ImportForm = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        description: 'Required. CSV, XLSX (first sheet) or JSON (array of objects, or JSON lines)',
        contentMediaType: 'application/octet-stream',
      }),
    ),
    target: Type.Optional(
      StringEnum(IMPORT_TARGETS, { description: 'What the rows are (required on POST /imports)' }),
    ),
    register_id: Type.Optional(Uuid('personnel: the register imported into')),
    organization_id: Type.Optional(
      Uuid(
        'students, faculty, guardians, class_rosters: the school imported into; oneroster: the organization ' +
          'whose subtree receives the zip',
      ),
    ),
    mode: Type.Optional(
      StringEnum(IMPORT_MODES, { description: 'dry_run (default on /imports) writes nothing' }),
    ),
    mapping: Type.Optional(
      Type.String({
        description: 'JSON object: file column → field',
        examples: ['{"Army No":"service_number"}'],
      }),
    ),
    complete: Type.Optional(Type.String({ description: '"true": the file is the complete roster' })),
    confirm_deactivate: Type.Optional(
      Type.String({ description: '"true": allow deactivating more than the configured share' }),
    ),
  },
  { description: 'multipart/form-data' },
);

export const CommitBody = Type.Object(
  {
    mode: Type.Optional(StringEnum(['all_or_nothing', 'valid_only'] as const, { default: 'all_or_nothing' })),
    confirm_deactivate: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Allow deactivating more than the configured share of records',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ListImportsQuery = Type.Object(
  { ...PageQueryProps, target: Type.Optional(StringEnum(IMPORT_TARGETS)) },
  { additionalProperties: false },
);

export const UploadResult = Type.Object({
  import_id: Uuid(),
  state: StringEnum(IMPORT_STATES),
  total: Type.Integer({ description: 'Rows read' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer({ description: 'Rows with errors (not written)' }),
  errors: Type.Array(RowError),
});

/** Targets of one CSV/XLSX/JSON file (a OneRoster zip has the binding's fixed headers). */
export const SINGLE_FILE_TARGETS = IMPORT_TARGETS.filter((t) => t !== 'oneroster');

export const ImportColumnsBody = Type.Object(
  {
    target: StringEnum(SINGLE_FILE_TARGETS),
    headers: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      minItems: 1,
      maxItems: 200,
      description: "The file's header row, as written in the file",
    }),
  },
  { additionalProperties: false },
);
export type ImportColumnsBodyT = Static<typeof ImportColumnsBody>;

export const ImportColumns = Type.Object({
  target: StringEnum(SINGLE_FILE_TARGETS),
  key_field: Type.String({ description: "The field that is the rows' natural key" }),
  fields: Type.Array(
    Type.Object({
      field: Type.String(),
      required: Type.Boolean({ description: 'A header must map to it (else the import is refused)' }),
      type: StringEnum(['text', 'date', 'enum'] as const),
      aliases: Type.Array(Type.String(), { description: 'Normalized headers that map to it by default' }),
    }),
  ),
  columns: Type.Array(
    Type.Object({
      header: Type.String(),
      field: Nullable(Type.String({ description: 'The field it maps to by default; null: ignored' })),
    }),
  ),
  missing: Type.Array(Type.String(), { description: 'Required fields no header maps to' }),
});
export type ImportColumnsT = Static<typeof ImportColumns>;
