import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t, word } from '../i18n/en';
import { Empty, ErrorAlert, Loading, Page } from '../ui';
import { ChildPay, ExamResults, GradesTable, Loans, ReportCard } from './roles/Records';
import { WeekTimetable } from './StudentHome';

/** Parent: the linked children, each with their attendance percentage per class. */
export function Family() {
  const children = useQuery({
    queryKey: ['my-children'],
    queryFn: async () => {
      const mine = unwrap(await api.GET('/api/v1/guardians', { params: { query: { page_size: 10 } } })).data;
      const lists = await Promise.all(
        mine.map(
          async (g) =>
            unwrap(await api.GET('/api/v1/guardians/{id}/students', { params: { path: { id: g.id } } })).data,
        ),
      );
      const seen = new Map<string, (typeof lists)[number][number]>();
      for (const s of lists.flat()) seen.set(s.id, s);
      return [...seen.values()];
    },
  });
  return (
    <Page title={t.family.title}>
      {children.isPending ? (
        <Loading />
      ) : children.error ? (
        <ErrorAlert error={children.error} />
      ) : children.data.length === 0 ? (
        <Empty>{t.family.none}</Empty>
      ) : (
        children.data.map((c) => (
          <div key={c.id}>
            <ChildAttendance id={c.id} name={`${c.first_name} ${c.last_name}`} />
            <ChildFees id={c.id} name={`${c.first_name} ${c.last_name}`} />
            <ChildPay id={c.id} name={`${c.first_name} ${c.last_name}`} />
            <WeekTimetable studentId={c.id} title={t.family.timetable(`${c.first_name} ${c.last_name}`)} />
            <GradesTable studentId={c.id} title={t.roles.family.grades(`${c.first_name} ${c.last_name}`)} />
            <ReportCard
              studentId={c.id}
              label={t.roles.family.reportCard(`${c.first_name} ${c.last_name}`)}
            />
            <ExamResults studentId={c.id} title={t.roles.family.exams(`${c.first_name} ${c.last_name}`)} />
            <Loans studentId={c.id} title={t.roles.family.loans(`${c.first_name} ${c.last_name}`)} />
          </div>
        ))
      )}
    </Page>
  );
}

export function ChildAttendance({ id, name }: { id: string; name: string }) {
  const summary = useQuery({
    queryKey: ['attendance-summary', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/attendance/summary', { params: { query: { student_id: id } } })).data,
  });
  const headingId = `child-${id}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.family.attendance(name)}</h2>
      {summary.isPending ? (
        <Loading />
      ) : summary.error ? (
        <ErrorAlert error={summary.error} />
      ) : summary.data.total === 0 ? (
        <Empty>{t.attendance.noRecords}</Empty>
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt>{t.attendance.summary}</dt>
              <dd data-testid={`pct-${id}`}>
                {summary.data.percentage === null ? '—' : `${summary.data.percentage}%`}
              </dd>
            </div>
            <div>
              <dt>{t.attendance.status.present}</dt>
              <dd>{summary.data.present}</dd>
            </div>
            <div>
              <dt>{t.attendance.status.absent}</dt>
              <dd>{summary.data.absent}</dd>
            </div>
            <div>
              <dt>{t.attendance.status.late}</dt>
              <dd>{summary.data.late}</dd>
            </div>
          </dl>
          <div className="table-wrap">
            <table>
              <caption>{t.attendance.byClass}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.classes.name}</th>
                  <th scope="col">{t.attendance.summary}</th>
                  <th scope="col">{t.attendance.status.absent}</th>
                </tr>
              </thead>
              <tbody>
                {summary.data.by_class.map((b) => (
                  <tr key={b.class_id}>
                    <td>{b.class_name}</td>
                    <td>{b.percentage === null ? '—' : `${b.percentage}%`}</td>
                    <td>{b.absent}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** A parent's view of a child's dues (the API scopes it to linked children). */
function ChildFees({ id, name }: { id: string; name: string }) {
  const fees = useQuery({
    queryKey: ['child-fees', id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/students/{id}/fees', { params: { path: { id }, query: { page_size: 10 } } }),
      ).meta.summary,
  });
  return (
    <section className="card" aria-label={t.family.fees(name)}>
      <h2>{t.family.fees(name)}</h2>
      {fees.isPending ? (
        <Loading />
      ) : fees.error ? (
        <ErrorAlert error={fees.error} />
      ) : (
        <dl className="stats">
          <div>
            <dt>{t.fees.balance}</dt>
            <dd>
              {fees.data.balance} {fees.data.currency}
            </dd>
          </div>
          <div>
            <dt>{t.fees.status}</dt>
            <dd>{word(t.values.dues, fees.data.dues_status)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
