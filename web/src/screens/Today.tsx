import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Empty, ErrorAlert, Loading } from '../ui';

/**
 * Teacher: today's classes from the timetable. There is no /faculty/me: the teacher's faculty record is
 * found by their email among the faculty they may read, and matched on user_id.
 */
export function TodayClasses() {
  const { user } = useAuth();
  const today = useQuery({
    queryKey: ['today', user?.id],
    enabled: Boolean(user),
    queryFn: async () => {
      const found = unwrap(
        await api.GET('/api/v1/faculty', { params: { query: { search: user?.email ?? '', page_size: 10 } } }),
      ).data.find((f) => f.user_id === user?.id);
      if (!found) return [];
      const slots = unwrap(
        await api.GET('/api/v1/timetable/faculty/{id}', { params: { path: { id: found.id } } }),
      ).data;
      const iso = new Date().getDay() || 7; // the timetable uses ISO days: 1 = Monday … 7 = Sunday
      return slots
        .filter((s) => s.is_active && s.day_of_week === iso)
        .sort((a, b) => a.start_time.localeCompare(b.start_time));
    },
  });
  return (
    <section className="card" aria-labelledby="today-h">
      <h2 id="today-h">
        {t.today.title}: {t.today.days[new Date().getDay()]}
      </h2>
      {today.isPending ? (
        <Loading />
      ) : today.error ? (
        <ErrorAlert error={today.error} />
      ) : today.data.length === 0 ? (
        <Empty>{t.today.none}</Empty>
      ) : (
        <ul className="roster">
          {today.data.map((s) => (
            <li key={s.id}>
              {s.start_time.slice(0, 5)}–{s.end_time.slice(0, 5)} · {s.class_name} · {s.room_no ?? ''}{' '}
              <Link to={`/teach/${s.class_id}/attendance`}>{t.teach.attendance}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
