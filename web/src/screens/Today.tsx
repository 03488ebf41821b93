import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Empty, ErrorAlert, Loading } from '../ui';
import { useMyFaculty } from './roles/hooks';

/** Teacher: today's classes from their own timetable (their faculty record from GET /faculty/me). */
export function TodayClasses() {
  const me = useMyFaculty();
  const today = useQuery({
    queryKey: ['today', me.data?.id],
    enabled: Boolean(me.data?.id),
    queryFn: async () => {
      const slots = unwrap(
        await api.GET('/api/v1/timetable/faculty/{id}', { params: { path: { id: me.data?.id ?? '' } } }),
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
      {me.error || today.error ? (
        <ErrorAlert error={me.error ?? today.error} />
      ) : me.data === null ? (
        <Empty>{t.today.none}</Empty>
      ) : today.isPending ? (
        <Loading />
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
