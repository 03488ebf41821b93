import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { Link } from '../../router';
import { BarChart, ErrorAlert, Loading, Page } from '../../ui';
import { MissingRolls } from './Compliance';

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
const fees = (xs: Array<{ amount: string; currency: string }>) =>
  xs.map((f) => `${f.amount} ${f.currency}`).join(', ') || '0';

/**
 * District drill-down (`/analytics/district/{id}`): every school below an organization with its students,
 * teachers, attendance rate, average marks and fees, as a table and charts; a school opens the same view of
 * its own subtree, with its missing rolls today.
 */
export function District({ id }: { id: string }) {
  const d = useQuery({
    queryKey: ['district', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/analytics/district/{id}', { params: { path: { id } } })).data,
  });
  if (d.isPending) return <Loading />;
  if (d.error) return <ErrorAlert error={d.error} />;
  const x = d.data;
  return (
    <Page title={x.name} actions={<Link to="/dashboard">{t.common.back}</Link>}>
      <dl className="stats" aria-label={t.office.district.total}>
        <div>
          <dt>{t.dashboard.students}</dt>
          <dd>{x.total.students}</dd>
        </div>
        <div>
          <dt>{t.office.district.teachers}</dt>
          <dd>{x.total.teachers}</dd>
        </div>
        <div>
          <dt>{t.dashboard.attendanceRate}</dt>
          <dd>{pct(x.total.attendance_rate)}</dd>
        </div>
        <div>
          <dt>{t.office.district.averageMarks}</dt>
          <dd>{pct(x.total.average_marks)}</dd>
        </div>
        <div>
          <dt>{t.dashboard.fees}</dt>
          <dd>{fees(x.total.fees_collected)}</dd>
        </div>
      </dl>
      {x.schools.length > 0 ? (
        <>
          <section className="charts" aria-labelledby="dchart-h">
            <h2 id="dchart-h">{t.dashboard.perSchool}</h2>
            <BarChart
              title={t.office.district.attendanceBySchool}
              points={x.schools.map((s) => ({ label: s.name, value: s.attendance_rate ?? 0 }))}
              format={(v) => `${v}%`}
            />
            <BarChart
              title={t.office.district.studentsBySchool}
              points={x.schools.map((s) => ({ label: s.name, value: s.students }))}
            />
          </section>
          <div className="table-wrap">
            <table data-testid="district-schools">
              <thead>
                <tr>
                  <th scope="col">{t.dashboard.school}</th>
                  <th scope="col">{t.dashboard.students}</th>
                  <th scope="col">{t.office.district.teachers}</th>
                  <th scope="col">{t.dashboard.attendanceRate}</th>
                  <th scope="col">{t.office.district.averageMarks}</th>
                  <th scope="col">{t.dashboard.fees}</th>
                </tr>
              </thead>
              <tbody>
                {x.schools.map((s) => (
                  <tr key={s.organization_id}>
                    <td>
                      <Link to={`/dashboard/org/${s.organization_id}`}>{s.name}</Link>
                    </td>
                    <td>{s.students}</td>
                    <td>{s.teachers}</td>
                    <td>{pct(s.attendance_rate)}</td>
                    <td>{pct(s.average_marks)}</td>
                    <td>{fees(s.fees_collected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <MissingRolls organizationId={x.organization_id} />
      )}
    </Page>
  );
}
