import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Empty, ErrorAlert, Loading, Page } from '../ui';
import { TodayClasses } from './Today';

/** Teacher: the classes they teach, each with attendance and gradebook. */
export function Teach() {
  const list = useQuery({
    queryKey: ['classes', 'mine'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes', { params: { query: { page_size: 100 } } })).data,
  });
  return (
    <Page title={t.teach.title}>
      <TodayClasses />
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorAlert error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty>{t.teach.noClasses}</Empty>
      ) : (
        <ul className="cards">
          {list.data.map((c) => (
            <li key={c.id} className="card">
              <h2>{c.name}</h2>
              <p className="muted">
                {[c.section, c.room].filter(Boolean).join(' · ')}
                {c.enrolled_count !== undefined ? ` · ${c.enrolled_count}` : ''}
              </p>
              <div className="actions">
                <Link className="btn btn-primary" to={`/teach/${c.id}/attendance`}>
                  {t.teach.attendance}
                </Link>
                <Link className="btn btn-secondary" to={`/teach/${c.id}/gradebook`}>
                  {t.teach.gradebook}
                </Link>
                <Link className="btn btn-ghost" to={`/teach/${c.id}/summary`}>
                  {t.summary.link}
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
