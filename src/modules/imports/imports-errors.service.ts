import { Readable } from 'node:stream';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { notFound } from '../../kernel/errors.js';
import { csvCell } from '../../kernel/spreadsheet.js';
import * as repo from './imports.repo.js';
import { rowOf, scopeOf } from './imports.service.js';
import { TARGETS } from './imports-targets.js';

export { csvCell };

/** The error report of an import as CSV (row, column, value, message), streamed in batches. */
export async function errorsCsv(deps: AppDeps, ctx: RequestContext, id: string): Promise<Readable> {
  const imp = await repo.find(deps.db, scopeOf(ctx), id);
  if (!imp) throw notFound('Import');
  const target = imp.target;
  async function* lines() {
    const multi = Boolean(TARGETS[target]?.multiFile);
    yield multi ? 'file,row,column,value,message\r\n' : 'row,column,value,message\r\n';
    let after = 0;
    for (;;) {
      const rows = await repo.staged(deps.db, id, 'error', after, 1000);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].rowNumber;
      let out = '';
      for (const r of rows) {
        for (const e of r.errors ?? []) {
          const at = rowOf(target, r.rowNumber);
          const cells = [at.row, e.column, e.value, e.message];
          out += `${(multi ? [at.file ?? null, ...cells] : cells).map(csvCell).join(',')}\r\n`;
        }
      }
      yield out;
    }
  }
  return Readable.from(lines());
}
