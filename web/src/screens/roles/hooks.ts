import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';

/** The signed-in teacher's own faculty record (GET /faculty/me); undefined for other roles. */
export function useMyFaculty() {
  const { user, has } = useAuth();
  return useQuery({
    queryKey: ['faculty-me', user?.id],
    enabled: Boolean(user) && has('faculty'),
    // A faculty login without a faculty record (404) simply has no classes or timetable: null.
    queryFn: async () => {
      const res = await api.GET('/api/v1/faculty/me');
      return res.response.status === 404 ? null : unwrap(res).data;
    },
  });
}

/** The ISO day of week (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date, as the timetable counts days. */
export function isoDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d).getDay() || 7;
}

export interface Meeting {
  start_time: string;
  end_time: string;
  period: number;
}

/**
 * The meetings of a class on a date from its timetable (in force that day), each with its lesson period: the
 * place of its slot among that day's lesson slots of the class's organization (breaks do not count).
 */
export function useClassMeetings(classId: string, organizationId: string | undefined, date: string) {
  const day = isoDay(date);
  return useQuery({
    queryKey: ['class-meetings', classId, date],
    enabled: Boolean(organizationId),
    queryFn: async (): Promise<Meeting[]> => {
      const [schedule, slots] = await Promise.all([
        api.GET('/api/v1/timetable', {
          params: { query: { class_id: classId, is_active: true, page_size: 100 } },
        }),
        api.GET('/api/v1/timetable-slots', {
          params: { query: { organization_id: organizationId, day_of_week: day, page_size: 100 } },
        }),
      ]);
      const lessons = unwrap(slots)
        .data.filter((s) => s.slot_type !== 'break')
        .sort((a, b) => a.start_time.localeCompare(b.start_time));
      const mine = unwrap(schedule)
        .data.filter(
          (s) =>
            s.day_of_week === day &&
            (!s.effective_from || s.effective_from <= date) &&
            (!s.effective_to || s.effective_to >= date),
        )
        .sort((a, b) => a.start_time.localeCompare(b.start_time));
      return mine.map((s, i) => {
        const at = lessons.findIndex((l) => l.id === s.slot_id);
        return { start_time: s.start_time, end_time: s.end_time, period: at >= 0 ? at + 1 : i + 1 };
      });
    },
  });
}
