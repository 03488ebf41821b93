import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { ErrorAlert, Loading } from '../../ui';

export type MappableTarget = 'personnel' | 'students' | 'faculty' | 'guardians' | 'class_rosters';

/**
 * The column-mapping editor: each header of the file with the field a dry run maps it to by default
 * (`POST /imports/columns`), changeable to any field of the target. `value` holds the user's changes
 * (header → field); only those are sent as `mapping`.
 */
export function ImportMapping({
  target,
  headers,
  value,
  onChange,
}: {
  target: MappableTarget;
  headers: string[];
  value: Record<string, string>;
  onChange: (m: Record<string, string>) => void;
}) {
  const cols = useQuery({
    queryKey: ['import-columns', target, headers],
    queryFn: async () =>
      unwrap(await api.POST('/api/v1/imports/columns', { body: { target, headers } })).data,
  });
  if (cols.isPending) return <Loading />;
  if (cols.error) return <ErrorAlert error={cols.error} />;
  const d = cols.data;
  const chosen = (h: string) => value[h] ?? d.columns.find((c) => c.header === h)?.field ?? '';
  const covered = new Set(headers.map(chosen).filter(Boolean));
  const missing = d.fields.filter((f) => f.required && !covered.has(f.field)).map((f) => f.field);
  return (
    <fieldset className="card" aria-describedby="map-hint">
      <legend>{t.office.imports.mapping}</legend>
      <p id="map-hint" className="hint">
        {t.office.imports.mappingHint(d.key_field)}
      </p>
      {missing.length > 0 && (
        <div className="alert alert-error" role="alert">
          {t.office.imports.missing(missing.join(', '))}
        </div>
      )}
      <div className="table-wrap">
        <table data-testid="import-mapping">
          <thead>
            <tr>
              <th scope="col">{t.office.imports.fileColumn}</th>
              <th scope="col">{t.office.imports.field}</th>
            </tr>
          </thead>
          <tbody>
            {d.columns.map((c) => (
              <tr key={c.header}>
                <th scope="row">{c.header}</th>
                <td>
                  <select
                    aria-label={t.office.imports.fieldFor(c.header)}
                    value={chosen(c.header)}
                    onChange={(e) => {
                      const next = { ...value };
                      if (e.target.value === (c.field ?? '')) delete next[c.header];
                      else next[c.header] = e.target.value;
                      onChange(next);
                    }}
                  >
                    {/* A header that matches a field by default can only be remapped, not dropped. */}
                    {c.field === null && <option value="">{t.office.imports.ignored}</option>}
                    {d.fields.map((f) => (
                      <option key={f.field} value={f.field}>
                        {f.field}
                        {f.required ? ` (${t.office.imports.required})` : ''}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
