import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, authFetch, download, toApiError, unwrap } from '../api/client';
import type { components, paths } from '../api/schema';
import { t, word } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, Notice, Page } from '../ui';

type ImportOut =
  paths['/api/v1/imports/{id}']['get']['responses'][200]['content']['application/json']['data'];
type Register = components['schemas']['PersonnelRegister'];

/** Upload → dry run (diff and row errors) → commit. The file goes up as multipart, as the API takes it. */
export function Imports() {
  const qc = useQueryClient();
  const [target, setTarget] = useState<'personnel' | 'students'>('personnel');
  const [registerId, setRegisterId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const registers = useQuery({
    queryKey: ['registers'],
    enabled: target === 'personnel',
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/registers', { params: { query: { page_size: 100 } } }))
        .data as Register[],
  });
  const history = useQuery({
    queryKey: ['imports'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/imports', { params: { query: { page_size: 10 } } })).data,
  });
  const register = registerId || registers.data?.[0]?.id || '';

  const dryRun = useMutation({
    mutationFn: async (): Promise<ImportOut> => {
      const form = new FormData();
      form.set('target', target);
      form.set('mode', 'dry_run');
      if (target === 'personnel') form.set('register_id', register);
      if (file) form.set('file', file, file.name);
      const res = await authFetch(new Request('/api/v1/imports', { method: 'POST', body: form }));
      const body = await res.json().catch(() => null);
      if (!res.ok) throw toApiError(res.status, body);
      return (body as { data: ImportOut }).data;
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['imports'] }),
  });
  const commit = useMutation({
    mutationFn: async (mode: 'valid_only' | 'all_or_nothing') =>
      unwrap(
        await api.POST('/api/v1/imports/{id}/commit', {
          params: { path: { id: dryRun.data?.id ?? '' } },
          body: { mode },
        }),
      ).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['imports'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    commit.reset();
    dryRun.mutate();
  };
  const [dlError, setDlError] = useState<unknown>(null);
  // A large commit runs as a job (202, state committing): follow the import until it settles.
  const following = useQuery({
    queryKey: ['import', commit.data?.id],
    enabled: commit.data?.state === 'committing',
    refetchInterval: (q) => (q.state.data?.state === 'committing' ? 1000 : false),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/imports/{id}', { params: { path: { id: commit.data?.id ?? '' } } })).data,
  });
  const done = following.data ?? commit.data;
  const d = dryRun.data;
  const s = d?.summary;

  return (
    <Page title={t.imports.title}>
      <form className="card form-grid" onSubmit={submit}>
        <Field label={t.imports.target}>
          {(id) => (
            <select id={id} value={target} onChange={(e) => setTarget(e.target.value as typeof target)}>
              <option value="personnel">{t.imports.targets.personnel}</option>
              <option value="students">{t.imports.targets.students}</option>
            </select>
          )}
        </Field>
        {target === 'personnel' && (
          <Field label={t.imports.register}>
            {(id) => (
              <select id={id} value={register} onChange={(e) => setRegisterId(e.target.value)}>
                {(registers.data ?? []).map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.short_code})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t.imports.file}>
          {(id) => (
            <input
              id={id}
              type="file"
              accept=".csv,.xlsx,.json,text/csv,application/json"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <Button type="submit" busy={dryRun.isPending} disabled={!file || dryRun.isPending}>
          {dryRun.isPending ? t.imports.checking : t.imports.dryRun}
        </Button>
      </form>
      <ErrorAlert error={dryRun.error ?? commit.error ?? dlError} />
      {d && s && (
        <section className="card" aria-labelledby="dry-h">
          <h2 id="dry-h">{t.imports.diff}</h2>
          <p data-testid="import-summary">{t.imports.summary(s.create, s.update, s.unchanged, s.error)}</p>
          {d.errors.length > 0 && (
            <Button
              variant="ghost"
              onClick={() =>
                download(`/api/v1/imports/${d.id}/errors.csv`, 'import-errors.csv').catch(setDlError)
              }
            >
              {t.imports.errorsCsv}
            </Button>
          )}
          {d.errors.length > 0 && (
            <div className="table-wrap">
              <table data-testid="import-errors">
                <caption>{t.imports.errors}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.imports.row}</th>
                    <th scope="col">{t.imports.column}</th>
                    <th scope="col">{t.imports.value}</th>
                    <th scope="col">{t.imports.message}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.errors.map((e) => (
                    <tr key={`${e.row}:${e.column ?? ''}:${e.message}`}>
                      <td>{e.row}</td>
                      <td>{e.column ?? ''}</td>
                      <td>{e.value ?? ''}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {d.diff.create.length > 0 && (
            <details>
              <summary>{t.imports.toCreate(d.diff.create.length)}</summary>
              <ul>
                {d.diff.create.slice(0, 50).map((c) => (
                  <li key={c.row}>
                    {t.imports.row} {c.row}: {c.key}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {done ? (
            done.state === 'committed' ? (
              <Notice>{t.imports.committed(done.progress.rows_written)}</Notice>
            ) : done.state === 'committing' ? (
              <p role="status">{t.imports.committing}</p>
            ) : (
              <div className="alert alert-error" role="alert">
                {t.imports.commitFailed(done.failure ?? word(t.values.importState, done.state))}
              </div>
            )
          ) : (
            d.state === 'validated' && (
              <div className="actions">
                <Button busy={commit.isPending} onClick={() => commit.mutate('valid_only')}>
                  {t.imports.commit}
                </Button>
                {s.error === 0 && (
                  <Button variant="secondary" onClick={() => commit.mutate('all_or_nothing')}>
                    {t.imports.commitAll}
                  </Button>
                )}
              </div>
            )
          )}
        </section>
      )}
      <section aria-labelledby="hist-h">
        <h2 id="hist-h">{t.imports.history}</h2>
        {history.isPending ? (
          <Loading />
        ) : history.error ? (
          <ErrorAlert error={history.error} />
        ) : history.data.length === 0 ? (
          <Empty />
        ) : (
          <ul>
            {history.data.map((h) => (
              <li key={h.id}>
                {new Date(h.created_at).toLocaleString()}: {h.file.name} ({t.imports.targets[h.target]}) ·{' '}
                {word(t.values.importState, h.state)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
