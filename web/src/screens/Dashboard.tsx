import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { t } from '../i18n/en';
import { Link } from '../router';
import { BarChart, ErrorAlert, Loading, Page } from '../ui';

const sumAmounts = (xs: Array<{ amount: string }>) => xs.reduce((a, x) => a + Number(x.amount), 0);

/** Admin / office: counts, 12-month trends (attendance rate, fees collected) and per-school figures. */
export function Dashboard() {
  const { user } = useAuth();
  const dash = useQuery({
    queryKey: ['dashboard'],
    queryFn: async () => unwrap(await api.GET('/api/v1/analytics/dashboard')).data,
  });
  const trends = useQuery({
    queryKey: ['trends'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/analytics/trends', { params: { query: { months: 12 } } })).data,
  });
  const totals = dash.data?.totals;
  // The district view of the organization asked for, else of the user's first management role.
  const districtId =
    dash.data?.organization_id ??
    user?.roles.find((r) => ['admin', 'staff', 'principal', 'auditor'].includes(r.role))?.organization_id;
  return (
    <Page title={t.dashboard.title}>
      <ErrorAlert error={dash.error ?? trends.error} />
      {dash.isPending ? (
        <Loading />
      ) : (
        totals && (
          <section aria-labelledby="counts-h">
            <h2 id="counts-h">{t.dashboard.counts}</h2>
            <dl className="stats">
              {(
                [
                  [t.dashboard.students, totals.students],
                  [t.dashboard.faculty, totals.faculty],
                  [t.dashboard.courses, totals.courses],
                  [t.dashboard.enrollments, totals.active_enrollments],
                  [
                    t.dashboard.attendanceRate,
                    totals.attendance_rate === null ? '—' : `${totals.attendance_rate}%`,
                  ],
                  [
                    t.dashboard.fees,
                    totals.fees_collected.map((f) => `${f.amount} ${f.currency}`).join(', ') || '0',
                  ],
                ] as const
              ).map(([label, v]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
        )
      )}
      {trends.data && (
        <section aria-labelledby="trends-h" className="charts">
          <h2 id="trends-h">{t.dashboard.trends}</h2>
          <BarChart
            title={t.dashboard.attendanceTrend}
            points={trends.data.series.map((s) => ({
              label: s.month.slice(2, 7),
              value: s.attendance_rate ?? 0,
            }))}
            format={(v) => `${v}%`}
          />
          <BarChart
            title={t.dashboard.feeTrend}
            points={trends.data.series.map((s) => ({
              label: s.month.slice(2, 7),
              value: sumAmounts(s.fees_collected),
            }))}
          />
        </section>
      )}
      {dash.data && dash.data.schools.length > 0 && (
        <section aria-labelledby="schools-h">
          <h2 id="schools-h">{t.dashboard.perSchool}</h2>
          {districtId && (
            <p>
              <Link to={`/dashboard/org/${districtId}`}>{t.office.district.open}</Link>
            </p>
          )}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.dashboard.school}</th>
                  <th scope="col">{t.dashboard.students}</th>
                  <th scope="col">{t.dashboard.faculty}</th>
                  <th scope="col">{t.dashboard.attendanceRate}</th>
                </tr>
              </thead>
              <tbody>
                {dash.data.schools.map((s) => (
                  <tr key={s.organization_id}>
                    <td>
                      <Link to={`/dashboard/org/${s.organization_id}`}>{s.name}</Link>
                    </td>
                    <td>{s.students}</td>
                    <td>{s.faculty}</td>
                    <td>{s.attendance_rate === null ? '—' : `${s.attendance_rate}%`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Page>
  );
}
