import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, authFetch, toApiError, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { t, word } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, Page } from '../ui';
import { OrgSelect } from '../ui-office';
import { ImportMapping, type MappableTarget } from './office/ImportMapping';
import { type ImportOut, ImportReview } from './office/ImportReview';
import { readHeaders } from './office/import-headers';

type Register = components['schemas']['PersonnelRegister'];
type Target = MappableTarget | 'oneroster';
const TARGETS: Target[] = ['personnel', 'students', 'faculty', 'guardians', 'class_rosters', 'oneroster'];
const targetName = (x: string) =>
  x === 'oneroster' ? t.office.imports.oneroster : word(t.imports.targets, x);

/**
 * The import wizard: target and scope, file, column mapping (defaults by header, editable), dry run
 * (summary, row errors, diff), then the confirm step (all-or-nothing or valid rows only, deactivation
 * guard), a large commit's progress and the final summary. The file goes up as multipart.
 */
export function Imports() {
  const qc = useQueryClient();
  const [target, setTarget] = useState<Target>('personnel');
  const [registerId, setRegisterId] = useState('');
  const [orgId, setOrgId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // undefined: being read; null: unknown (mapped after the dry run).
  const [headers, setHeaders] = useState<string[] | null | undefined>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [complete, setComplete] = useState(false);
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
  const zip = target === 'oneroster';

  // The header row of a CSV/JSON file, for the mapping editor (XLSX: the dry run's ignored columns instead).
  useEffect(() => {
    setMapping({});
    setHeaders(file && !zip ? undefined : null);
    if (file && !zip) void readHeaders(file).then(setHeaders, () => setHeaders(null));
  }, [file, zip]);

  const dryRun = useMutation({
    mutationFn: async (): Promise<ImportOut> => {
      const form = new FormData();
      form.set('target', target);
      form.set('mode', 'dry_run');
      if (target === 'personnel') form.set('register_id', register);
      else form.set('organization_id', orgId);
      if (Object.keys(mapping).length) form.set('mapping', JSON.stringify(mapping));
      if (complete && !zip) form.set('complete', 'true');
      if (file) form.set('file', file, file.name);
      const res = await authFetch(new Request('/api/v1/imports', { method: 'POST', body: form }));
      const body = await res.json().catch(() => null);
      if (!res.ok) throw toApiError(res.status, body);
      return (body as { data: ImportOut }).data;
    },
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ['imports'] });
      // An XLSX file's headers are known once checked: its ignored columns can then be mapped.
      if (!headers && !zip && d.summary?.ignored_columns.length) setHeaders(d.summary.ignored_columns);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    dryRun.mutate();
  };
  const restart = () => {
    dryRun.reset();
    setFile(null);
    setMapping({});
    setComplete(false);
  };
  const scopeMissing = target === 'personnel' ? !register : !orgId;

  return (
    <Page title={t.imports.title}>
      <form className="card form-grid" onSubmit={submit} aria-label={t.office.imports.upload}>
        <Field label={t.imports.target}>
          {(id) => (
            <select
              id={id}
              value={target}
              onChange={(e) => {
                dryRun.reset();
                setMapping({});
                setTarget(e.target.value as Target);
              }}
            >
              {TARGETS.map((x) => (
                <option key={x} value={x}>
                  {targetName(x)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {target === 'personnel' ? (
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
        ) : (
          <OrgSelect
            label={zip ? t.office.imports.intoSubtree : t.office.imports.school}
            value={orgId}
            onChange={setOrgId}
          />
        )}
        <Field label={zip ? t.office.imports.zipFile : t.imports.file}>
          {(id) => (
            <input
              id={id}
              type="file"
              accept={zip ? '.zip,application/zip' : '.csv,.xlsx,.json,text/csv,application/json'}
              onChange={(e) => {
                dryRun.reset();
                setFile(e.target.files?.[0] ?? null);
              }}
            />
          )}
        </Field>
        {!zip && (
          <label className="check">
            <input type="checkbox" checked={complete} onChange={(e) => setComplete(e.target.checked)} />{' '}
            {t.office.imports.complete}
          </label>
        )}
        {!zip && file && headers && (
          <ImportMapping
            target={target as MappableTarget}
            headers={headers}
            value={mapping}
            onChange={setMapping}
          />
        )}
        {!zip && file && headers === null && <p className="hint">{t.office.imports.xlsxHint}</p>}
        <Button type="submit" busy={dryRun.isPending} disabled={!file || scopeMissing || dryRun.isPending}>
          {dryRun.isPending
            ? t.imports.checking
            : dryRun.data
              ? t.office.imports.checkAgain
              : t.imports.dryRun}
        </Button>
      </form>
      <ErrorAlert error={dryRun.error} />
      {dryRun.data && <ImportReview key={dryRun.data.id} dry={dryRun.data} onDone={restart} />}
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
                {new Date(h.created_at).toLocaleString()}: {h.file.name} ({targetName(h.target)}) ·{' '}
                {word(t.values.importState, h.state)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
