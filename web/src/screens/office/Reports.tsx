import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { authFetch, toApiError } from '../../api/client';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, Page, RowsTable } from '../../ui';
import { ClassSelect, ExportButtons, OrgSelect, qs } from '../../ui-consoffice';
import { Pager } from '../Classes';

type Filter =
  | 'organization_id'
  | 'class_id'
  | 'academic_year'
  | 'from'
  | 'to'
  | 'assessment_type'
  | 'hostel_type'
  | 'category';

/** The seven reports of `/reports/*` and the filters each takes (as the API documents them). */
const REPORTS = [
  { key: 'student-performance', filters: ['organization_id', 'class_id', 'academic_year'] },
  { key: 'attendance', filters: ['organization_id', 'class_id', 'from', 'to'] },
  { key: 'fee-collection', filters: ['organization_id', 'academic_year', 'from', 'to'] },
  {
    key: 'exam-results',
    filters: ['organization_id', 'class_id', 'academic_year', 'assessment_type', 'from', 'to'],
  },
  { key: 'library-stats', filters: ['organization_id', 'category', 'from', 'to'] },
  { key: 'hostel-occupancy', filters: ['organization_id', 'hostel_type'] },
  { key: 'department-wise', filters: ['organization_id'] },
] as const satisfies ReadonlyArray<{ key: string; filters: readonly Filter[] }>;
type ReportKey = (typeof REPORTS)[number]['key'];

type Cell = string | number | boolean | null;
interface ReportPage {
  data: Array<Record<string, Cell>>;
  meta: { page_count: number; total: number; totals: Array<Record<string, Cell>> };
}

const ASSESSMENT_TYPES = ['quiz', 'assignment', 'midterm', 'final', 'exam', 'project', 'practical'];
const HOSTEL_TYPES = ['boys', 'girls', 'mixed', 'staff'];
/** Ids are for links, not for reading. */
const shown = (k: string) => !k.endsWith('_id') && k !== 'teacher_ids';
const label = (k: string) => t.office.reports.columns[k] ?? k.replace(/_/g, ' ');
const cell = (v: Cell) => (v === null ? '—' : typeof v === 'boolean' ? (v ? '✓' : '✗') : String(v));

/**
 * Reports: pick one, set its filters, read the page (with totals over every matching row), download CSV/XLSX.
 * The seven paths answer one page shape (rows and `meta.totals`), so one table renders any of them: they are
 * fetched by path with the session's fetch rather than through seven typed calls.
 */
export function Reports() {
  const [key, setKey] = useState<ReportKey>('student-performance');
  const [filters, setFilters] = useState<Partial<Record<Filter, string>>>({});
  const [page, setPage] = useState(1);
  const def = REPORTS.find((r) => r.key === key) ?? REPORTS[0];
  const active = Object.fromEntries(def.filters.map((f) => [f, filters[f]]).filter(([, v]) => v)) as Record<
    string,
    string
  >;
  const path = `/api/v1/reports/${key}`;
  const report = useQuery({
    queryKey: ['report', key, active, page],
    queryFn: async (): Promise<ReportPage> => {
      const res = await authFetch(new Request(`${path}${qs({ ...active, page, page_size: 25 })}`));
      const body = await res.json().catch(() => null);
      if (!res.ok) throw toApiError(res.status, body);
      return body as ReportPage;
    },
  });
  const set = (f: Filter, v: string) => {
    setPage(1);
    setFilters({ ...filters, [f]: v });
  };
  const columns = Object.keys(report.data?.data[0] ?? {}).filter(shown);
  const totals = report.data?.meta.totals ?? [];

  return (
    <Page title={t.office.reports.title}>
      <div className="card form-grid">
        <Field label={t.office.reports.report}>
          {(id) => (
            <select
              id={id}
              value={key}
              onChange={(e) => {
                setPage(1);
                setKey(e.target.value as ReportKey);
              }}
            >
              {REPORTS.map((r) => (
                <option key={r.key} value={r.key}>
                  {t.office.reports.names[r.key]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {def.filters.map((f: Filter) => (
          <ReportFilter
            key={f}
            filter={f}
            value={filters[f] ?? ''}
            orgId={filters.organization_id}
            onChange={(v) => set(f, v)}
          />
        ))}
        <Button variant="ghost" onClick={() => setFilters({})}>
          {t.office.reports.clear}
        </Button>
      </div>
      <p className="hint">{t.office.reports.hint}</p>
      <ErrorAlert error={report.error} />
      {totals.map((tot) => (
        <dl className="stats" key={JSON.stringify(tot)} aria-label={t.office.reports.totals}>
          {Object.entries(tot).map(([k, v]) => (
            <div key={k}>
              <dt>{label(k)}</dt>
              <dd>{cell(v)}</dd>
            </div>
          ))}
        </dl>
      ))}
      <RowsTable
        rows={report.data?.data}
        pending={report.isPending}
        columns={columns.map(label)}
        row={(r) => (
          <tr key={JSON.stringify(r)}>
            {columns.map((c) => (
              <td key={c}>{cell(r[c])}</td>
            ))}
          </tr>
        )}
      />
      {report.data && <Pager page={page} pages={report.data.meta.page_count} onPage={setPage} />}
      <ExportButtons path={path} query={active} name={key} />
    </Page>
  );
}

function ReportFilter({
  filter,
  value,
  orgId,
  onChange,
}: {
  filter: Filter;
  value: string;
  orgId?: string;
  onChange: (v: string) => void;
}) {
  const l = t.office.reports.filters[filter];
  switch (filter) {
    case 'organization_id':
      return <OrgSelect label={l} any value={value} onChange={onChange} />;
    case 'class_id':
      return <ClassSelect label={l} any value={value} organizationId={orgId} onChange={onChange} />;
    case 'from':
    case 'to':
      return (
        <Field label={l}>
          {(id) => <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      );
    case 'assessment_type':
    case 'hostel_type':
      return (
        <Field label={l}>
          {(id) => (
            <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
              <option value="">{t.office.any}</option>
              {(filter === 'assessment_type' ? ASSESSMENT_TYPES : HOSTEL_TYPES).map((v) => (
                <option key={v} value={v}>
                  {t.office.reports.enumValues[v] ?? v}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    default:
      return (
        <Field label={l}>
          {(id) => <input id={id} value={value} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      );
  }
}
