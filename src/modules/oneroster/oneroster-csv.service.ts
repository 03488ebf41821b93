import { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';
import type { ClientPrincipal } from '../clients/index.js';
import { CSV_FILES, type CsvFile, type CsvMode, line, type Row } from './oneroster-csv-files.js';

/**
 * The OneRoster 1.2 CSV binding: one zip of manifest.csv and the rostering files, bulk (every active record,
 * status and dateLastModified blank) or delta (every record changed since a time, deletions as
 * tobedeleted). Rows are read in keyset batches and written as they come, so memory stays flat whatever the
 * size of the district.
 */

const BATCH = 2000;

/** The manifest's file.* entries a provider writes absent (not served). */
const ABSENT = [
  'file.categories',
  'file.classResources',
  'file.courseResources',
  'file.lineItems',
  'file.resources',
  'file.results',
  'file.scoreScales',
  'file.userProfiles',
  'file.userResources',
];

export function manifest(mode: CsvMode, files: CsvFile[]): string {
  const entries: Array<[string, string]> = [
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.2'],
    ...files.map((f) => [f.manifestKey, mode] as [string, string]),
    ...CSV_FILES.filter((f) => !files.includes(f)).map((f) => [f.manifestKey, 'absent'] as [string, string]),
    ...ABSENT.map((k) => [k, 'absent'] as [string, string]),
    ['source.systemName', 'Registrar'],
    ['source.systemCode', 'registrar'],
  ];
  return line(['propertyName', 'value']) + entries.map((e) => line(e)).join('');
}

/** The lines of one file, read in keyset batches in the client's subtree. */
export async function* fileLines(
  db: DbOrTx,
  p: ClientPrincipal,
  f: CsvFile,
  mode: CsvMode,
  since: string | null,
): AsyncGenerator<string> {
  yield line(f.header);
  const cond: SQL[] = [sql`t.org_path like ${`${p.orgPath}%`}`];
  if (f.c.where) cond.push(f.c.where);
  cond.push(
    mode === 'bulk' || !since ? sql`t.status = 'active'` : sql`t.date_last_modified > ${since}::timestamptz`,
  );
  let last: string | null = null;
  for (;;) {
    const after: SQL = last === null ? sql`true` : sql`t.sourced_id > ${last}::uuid`;
    const batch: Row[] = rowsOf<Row>(
      await db.execute(
        sql`select t.* from (${f.c.source}) t where ${sql.join(cond, sql` and `)} and ${after}
             order by t.sourced_id limit ${BATCH}`,
      ),
    );
    if (batch.length === 0) return;
    let out = '';
    for (const r of batch) for (const cells of f.rows(r, mode)) out += line(cells);
    yield out;
    if (batch.length < BATCH) return;
    last = String(batch[batch.length - 1].sourced_id);
  }
}

/** The files a client may receive: demographics only with the demographics scope. */
export function filesFor(canDemographics: boolean): CsvFile[] {
  return CSV_FILES.filter((f) => canDemographics || f.name !== 'demographics.csv');
}

export const streamOf = (lines: AsyncGenerator<string>) => Readable.from(lines);
