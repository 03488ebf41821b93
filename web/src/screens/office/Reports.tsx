import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, authFetch, download, toApiError, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { ClassSelect, ExportButtons, OrgSelect, qs } from '../../ui-office';
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

/**
 * Each report's job route (`POST /reports/{report}/jobs`, docs/jobs.md). Typed against the generated client:
 * a report the API stops offering as a job fails `npm run check` here.
 */
const JOB_PATHS = {
  'student-performance': '/api/v1/reports/student-performance/jobs',
  attendance: '/api/v1/reports/attendance/jobs',
  'fee-collection': '/api/v1/reports/fee-collection/jobs',
  'exam-results': '/api/v1/reports/exam-results/jobs',
  'library-stats': '/api/v1/reports/library-stats/jobs',
  'hostel-occupancy': '/api/v1/reports/hostel-occupancy/jobs',
  'department-wise': '/api/v1/reports/department-wise/jobs',
} as const satisfies Record<ReportKey, keyof paths>;
type Job = paths['/api/v1/jobs/{id}']['get']['responses'][200]['content']['application/json']['data'];

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
      <ReportJob report={key} filters={active} />
    </Page>
  );
}

/**
 * The report's file as a background job: started with the filters shown, followed through `GET /jobs/{id}`
 * (progress) until it is ready, then downloaded; the live notification says so on every screen.
 */
function ReportJob({ report, filters }: { report: ReportKey; filters: Record<string, string> }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async (format: 'csv' | 'xlsx'): Promise<Job> => {
      const res = await authFetch(
        new Request(JOB_PATHS[report], {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...filters, format }),
        }),
      );
      const body = await res.json().catch(() => null);
      if (res.status !== 202) throw toApiError(res.status, body);
      return (body as { data: Job }).data;
    },
    onSuccess: (job) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: ['job', jobId],
    enabled: jobId !== null,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/jobs/{id}', { params: { path: { id: jobId ?? '' } } })).data,
    refetchInterval: (q) => {
      const state = q.state.data?.state;
      return state === 'succeeded' || state === 'failed' ? false : 1000;
    },
  });
  const [dlError, setDlError] = useState<unknown>(null);
  const j = job.data;
  const running = j && (j.state === 'queued' || j.state === 'running');
  return (
    <section className="card" aria-labelledby="report-job-h">
      <h2 id="report-job-h">{t.office.reports.job.title}</h2>
      <p className="hint">{t.office.reports.job.hint}</p>
      <div className="actions">
        {(['csv', 'xlsx'] as const).map((f) => (
          <Button
            key={f}
            variant="secondary"
            busy={start.isPending && start.variables === f}
            disabled={start.isPending || Boolean(running)}
            onClick={() => start.mutate(f)}
          >
            {t.office.reports.job.start(f.toUpperCase())}
          </Button>
        ))}
      </div>
      <ErrorAlert error={start.error ?? job.error ?? dlError} />
      {j && (
        <div data-testid="report-job">
          {running && (
            <p role="status">
              <progress max={100} value={j.progress} aria-label={t.office.reports.job.progress}>
                {j.progress}
              </progress>{' '}
              {j.state === 'queued' ? t.office.reports.job.queued : t.office.reports.job.running(j.progress)}
            </p>
          )}
          {j.state === 'succeeded' && j.result && (
            <>
              <Notice>{t.office.reports.job.ready(j.result.file_name)}</Notice>
              <Button
                onClick={() => {
                  setDlError(null);
                  if (j.result) download(j.result.download_url, j.result.file_name).catch(setDlError);
                }}
              >
                {t.office.reports.job.download(j.result.file_name)}
              </Button>
            </>
          )}
          {j.state === 'failed' && (
            <div className="alert alert-error" role="alert">
              {t.office.reports.job.failed(j.error ?? '')}
            </div>
          )}
        </div>
      )}
    </section>
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
      return <InputField label={l} type="date" value={value} onValue={(v) => onChange(v)} />;
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
      return <InputField label={l} value={value} onValue={(v) => onChange(v)} />;
  }
}
