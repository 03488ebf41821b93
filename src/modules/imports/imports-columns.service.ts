import type { ImportColumnsBodyT, ImportColumnsT } from './imports.schemas.js';
import { TARGETS } from './imports-targets.js';
import { ColumnResolver } from './imports-validate.js';

/**
 * The default mapping of a file's headers for a target, as a dry run would apply it (a header equal to a
 * field name or alias after normalization), with every field the target takes and the required fields no
 * header covers. The console's column-mapping editor starts from this; nothing is stored.
 */
export function resolveColumns(body: ImportColumnsBodyT): ImportColumnsT {
  const adapter = TARGETS[body.target];
  const resolver = new ColumnResolver(adapter.fields, {});
  const columns = body.headers.map((header) => ({ header, field: resolver.field(header) }));
  const covered = resolver.covered(body.headers);
  return {
    target: body.target,
    key_field: adapter.keyField,
    fields: adapter.fields.map((f) => ({
      field: f.field,
      required: f.required === true,
      type: f.type,
      aliases: f.aliases,
    })),
    columns,
    missing: adapter.fields.filter((f) => f.required && !covered.has(f.field)).map((f) => f.field),
  };
}
