import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { t, word } from '../../i18n/en';
import { Button, ErrorAlert, Notice } from '../../ui';

export type ImportOut =
  paths['/api/v1/imports/{id}']['get']['responses'][200]['content']['application/json']['data'];

/**
 * A dry run's result and the confirm step: the summary, row errors and diff; then the commit mode
 * (all-or-nothing or valid rows only), the deactivation confirmation of a complete file, the job's
 * progress for a large import, and the final summary.
 */
export function ImportReview({ dry, onDone }: { dry: ImportOut; onDone: () => void }) {
  const qc = useQueryClient();
  const s = dry.summary;
  const [mode, setMode] = useState<'all_or_nothing' | 'valid_only'>(
    s?.error ? 'valid_only' : 'all_or_nothing',
  );
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const [dlError, setDlError] = useState<unknown>(null);
  const commit = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/imports/{id}/commit', {
          params: { path: { id: dry.id } },
          body: { mode, confirm_deactivate: confirmDeactivate },
        }),
      ).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['imports'] }),
  });
  // A large commit runs as a job (202, state committing): follow the import until it settles.
  const following = useQuery({
    queryKey: ['import', dry.id],
    enabled: commit.data?.state === 'committing',
    refetchInterval: (q) => ((q.state.data?.state ?? 'committing') === 'committing' ? 1000 : false),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/imports/{id}', { params: { path: { id: dry.id } } })).data,
  });
  const done = following.data ?? commit.data;
  if (!s) return null;
  const toWrite = s.create + s.update;

  return (
    <section className="card" aria-labelledby="dry-h">
      <h2 id="dry-h">{t.imports.diff}</h2>
      <p data-testid="import-summary">{t.imports.summary(s.create, s.update, s.unchanged, s.error)}</p>
      {dry.complete && <p>{t.office.imports.willDeactivate(s.deactivate, s.existing)}</p>}
      {s.ignored_columns.length > 0 && (
        <p className="muted">{t.office.imports.ignoredColumns(s.ignored_columns.join(', '))}</p>
      )}
      <ErrorAlert error={dlError} />
      {dry.errors.length > 0 && (
        <>
          <Button
            variant="ghost"
            onClick={() =>
              download(`/api/v1/imports/${dry.id}/errors.csv`, 'import-errors.csv').catch(setDlError)
            }
          >
            {t.imports.errorsCsv}
          </Button>
          <div className="table-wrap">
            <table data-testid="import-errors">
              <caption>{t.imports.errors}</caption>
              <thead>
                <tr>
                  {dry.target === 'oneroster' && <th scope="col">{t.office.imports.file}</th>}
                  <th scope="col">{t.imports.row}</th>
                  <th scope="col">{t.imports.column}</th>
                  <th scope="col">{t.imports.value}</th>
                  <th scope="col">{t.imports.message}</th>
                </tr>
              </thead>
              <tbody>
                {dry.errors.map((e) => (
                  <tr key={`${e.file ?? ''}:${e.row}:${e.column ?? ''}:${e.message}`}>
                    {dry.target === 'oneroster' && <td>{e.file}</td>}
                    <td>{e.row}</td>
                    <td>{e.column ?? ''}</td>
                    <td>{e.value ?? ''}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {dry.diff.create.length > 0 && (
        <details>
          <summary>{t.imports.toCreate(s.create)}</summary>
          <ul>
            {dry.diff.create.slice(0, 50).map((c) => (
              <li key={`${c.file ?? ''}:${c.row}`}>
                {c.file ? `${c.file} ` : ''}
                {t.imports.row} {c.row}: {c.key}
              </li>
            ))}
          </ul>
        </details>
      )}
      {dry.diff.update.length > 0 && (
        <details>
          <summary>{t.office.imports.toUpdate(s.update)}</summary>
          <ul>
            {dry.diff.update.slice(0, 50).map((c) => (
              <li key={`${c.file ?? ''}:${c.row}`}>
                {t.imports.row} {c.row}: {c.key} ({c.changed_fields.join(', ')})
              </li>
            ))}
          </ul>
        </details>
      )}
      <ErrorAlert error={commit.error} />
      {done ? (
        <ImportOutcome imp={done} toWrite={toWrite} onDone={onDone} />
      ) : (
        dry.state === 'validated' && (
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              commit.mutate();
            }}
          >
            <fieldset>
              <legend>{t.office.imports.commitMode}</legend>
              <label className="check">
                <input
                  type="radio"
                  name="mode"
                  value="all_or_nothing"
                  checked={mode === 'all_or_nothing'}
                  disabled={s.error > 0}
                  onChange={() => setMode('all_or_nothing')}
                />{' '}
                {t.office.imports.allOrNothing}
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="mode"
                  value="valid_only"
                  checked={mode === 'valid_only'}
                  onChange={() => setMode('valid_only')}
                />{' '}
                {t.office.imports.validOnly(s.create + s.update)}
              </label>
              {s.error > 0 && <small className="hint">{t.office.imports.allOrNothingRefused(s.error)}</small>}
            </fieldset>
            {dry.complete && s.deactivate > 0 && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={confirmDeactivate}
                  onChange={(e) => setConfirmDeactivate(e.target.checked)}
                />{' '}
                {t.office.imports.confirmDeactivate(s.deactivate)}
              </label>
            )}
            <Button type="submit" busy={commit.isPending} disabled={commit.isPending}>
              {mode === 'valid_only' ? t.imports.commit : t.imports.commitAll}
            </Button>
          </form>
        )
      )}
    </section>
  );
}

function ImportOutcome({ imp, toWrite, onDone }: { imp: ImportOut; toWrite: number; onDone: () => void }) {
  if (imp.state === 'committing') {
    return (
      <div role="status" data-testid="import-progress">
        <p>{t.imports.committing}</p>
        <progress max={Math.max(toWrite, 1)} value={imp.progress.rows_written}>
          {imp.progress.rows_written}
        </progress>{' '}
        {t.office.imports.written(imp.progress.rows_written, toWrite)}
      </div>
    );
  }
  if (imp.state === 'committed') {
    const r = imp.summary?.result;
    return (
      <div>
        <Notice>{t.imports.committed(imp.progress.rows_written)}</Notice>
        {r && (
          <dl className="stats" data-testid="import-result">
            <div>
              <dt>{t.office.imports.created}</dt>
              <dd>{r.created}</dd>
            </div>
            <div>
              <dt>{t.office.imports.updated}</dt>
              <dd>{r.updated}</dd>
            </div>
            <div>
              <dt>{t.office.imports.deactivated}</dt>
              <dd>{r.deactivated}</dd>
            </div>
          </dl>
        )}
        <Button variant="secondary" onClick={onDone}>
          {t.office.imports.another}
        </Button>
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert">
      {t.imports.commitFailed(imp.failure ?? word(t.values.importState, imp.state))}
    </div>
  );
}
