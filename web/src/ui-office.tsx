import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap } from './api/client';
import { t } from './i18n/en';
import { Button, ErrorAlert, Field } from './ui';
import { useOrgs } from './ui-admin';

/** Pickers and download buttons of the office screens (fees, imports, reports, exams setup). */

/** A query string of the set values only (empty strings and undefined are left out). */
export function qs(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function OrgSelect({
  label,
  value,
  onChange,
  any,
}: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  /** Offer "any" (no filter) as the first option. */
  any?: boolean;
}) {
  const orgs = useOrgs();
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {any ? <option value="">{t.office.any}</option> : <option value="">{t.office.choose}</option>}
          {(orgs.data ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({t.org.kinds[o.kind]})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Classes of an organization (or every class in scope), for a select. */
export function ClassSelect({
  label,
  value,
  onChange,
  organizationId,
  any,
}: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  organizationId?: string;
  any?: boolean;
}) {
  const classes = useQuery({
    queryKey: ['classes-pick', organizationId ?? ''],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/classes', {
          params: {
            query: { page_size: 100, ...(organizationId ? { organization_id: organizationId } : {}) },
          },
        }),
      ).data,
  });
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{any ? t.office.any : t.office.choose}</option>
          {(classes.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
              {c.section ? ` ${c.section}` : ''}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** CSV and XLSX downloads of an endpoint that takes `format` (the same filters as the table shown). */
export function ExportButtons({
  path,
  query,
  name,
}: {
  path: string;
  query: Record<string, string | number | undefined>;
  name: string;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const get = (format: 'csv' | 'xlsx') => {
    setError(null);
    setBusy(format);
    download(`${path}${qs({ ...query, format })}`, `${name}.${format}`)
      .catch(setError)
      .finally(() => setBusy(null));
  };
  return (
    <div className="actions">
      <Button variant="secondary" busy={busy === 'csv'} onClick={() => get('csv')}>
        {t.office.exportCsv}
      </Button>
      <Button variant="secondary" busy={busy === 'xlsx'} onClick={() => get('xlsx')}>
        {t.office.exportXlsx}
      </Button>
      <ErrorAlert error={error} />
    </div>
  );
}

/** Money totals per currency (`meta.totals` of the finance reports). */
export function Totals({ items }: { items: Array<{ label: string; value: string }> }) {
  return (
    <dl className="stats">
      {items.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A report endpoint also answers CSV/XLSX (a string body): the JSON page it answers without `format`. */
export function jsonPage<T extends object>(body: T | string): T {
  if (typeof body === 'string') throw new Error('expected JSON');
  return body;
}
