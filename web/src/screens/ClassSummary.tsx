import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Empty, ErrorAlert, InputField, Loading, Page } from '../ui';

/** Teacher: a class's attendance summary (per student) and its defaulters under a threshold. */
export function ClassSummary({ classId }: { classId: string }) {
  const [threshold, setThreshold] = useState(75);
  const cls = useQuery({
    queryKey: ['class', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}', { params: { path: { id: classId } } })).data,
  });
  const summary = useQuery({
    queryKey: ['class-summary', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}/attendance-summary', { params: { path: { id: classId } } }))
        .data,
  });
  const defaulters = useQuery({
    queryKey: ['defaulters', classId, threshold],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/attendance/defaulters', {
          params: { query: { class_id: classId, threshold, page_size: 100 } },
        }),
      ).data,
  });
  return (
    <Page title={t.summary.title(cls.data?.name ?? '')} actions={<Link to="/teach">{t.common.back}</Link>}>
      <ErrorAlert error={summary.error ?? defaulters.error} />
      {summary.isPending ? (
        <Loading />
      ) : !summary.data?.length ? (
        <Empty>{t.attendance.noRecords}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.classes.roll}</th>
                <th scope="col">{t.classes.student}</th>
                <th scope="col">{t.attendance.summary}</th>
                <th scope="col">{t.attendance.status.absent}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.map((r) => (
                <tr key={r.student_id}>
                  <td>{r.roll_no ?? r.student_number}</td>
                  <td>{r.student_name}</td>
                  <td>{r.percentage === null ? '—' : `${r.percentage}%`}</td>
                  <td>{r.absent}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card" aria-labelledby="def-h">
        <h2 id="def-h">{t.summary.defaulters}</h2>
        <InputField
          label={t.summary.threshold}
          type="number"
          min={1}
          max={100}
          value={threshold}
          onValue={(v) => setThreshold(Math.min(100, Math.max(1, Number(v) || 75)))}
        />
        {!defaulters.data?.length ? (
          <Empty>{t.summary.noDefaulters}</Empty>
        ) : (
          <ul className="roster">
            {defaulters.data.map((r) => (
              <li key={r.student_id}>
                {r.student_name} · {r.percentage}%
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
