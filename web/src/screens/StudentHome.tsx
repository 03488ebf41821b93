import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, Page } from '../ui';
import { ChildAttendance } from './Family';
import { ExamResults, GradesTable, Loans, ReportCard } from './roles/Records';

/** Student: timetable (with the calendar feed), attendance per class, posted grades and library loans. */
export function StudentHome() {
  const me = useQuery({
    queryKey: ['student-me'],
    queryFn: async () => unwrap(await api.GET('/api/v1/students/me')).data,
  });
  const id = me.data?.id ?? '';
  const [dlError, setDlError] = useState<unknown>(null);
  return (
    <Page title={t.student.home}>
      <ErrorAlert error={me.error ?? dlError} />
      {id && <WeekTimetable studentId={id} title={t.student.timetable} />}
      {id && <ReportCard studentId={id} label={t.student.reportCard} />}
      {id && (
        <p>
          <Button
            variant="secondary"
            onClick={() => download(`/api/v1/students/${id}/transcript`, 'transcript.pdf').catch(setDlError)}
          >
            {t.student.transcript}
          </Button>
        </p>
      )}
      {me.data && <ChildAttendance id={me.data.id} name={`${me.data.first_name} ${me.data.last_name}`} />}
      <GradesTable studentId="me" title={t.student.grades} />
      {id && <ExamResults studentId={id} title={t.roles.grades.examResults} />}
      {id && <Loans studentId={id} title={t.student.loans} />}
    </Page>
  );
}

/** A student's week from the timetable, with the calendar file (students, and parents for a child). */
export function WeekTimetable({ studentId, title }: { studentId: string; title: string }) {
  const timetable = useQuery({
    queryKey: ['timetable-student', studentId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/timetable/student/{id}', { params: { path: { id: studentId } } })).data,
  });
  const [dlError, setDlError] = useState<unknown>(null);
  // A secret link a phone's calendar can subscribe to (it cannot send a bearer token).
  const feed = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/timetable/feeds', { body: { kind: 'student', target: studentId } }))
        .data,
  });
  const days = [...new Set((timetable.data ?? []).map((s) => s.day_of_week))].sort();
  const headingId = `tt-${studentId}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <ErrorAlert error={timetable.error ?? dlError} />
      {timetable.isPending ? (
        <Loading />
      ) : !timetable.data?.length ? (
        <Empty>{t.student.noTimetable}</Empty>
      ) : (
        days.map((d) => (
          <div key={d}>
            <h3>{t.today.days[d % 7]}</h3>
            <ul className="roster">
              {timetable.data
                .filter((s) => s.day_of_week === d)
                .sort((a, b) => a.start_time.localeCompare(b.start_time))
                .map((s) => (
                  <li key={s.id}>
                    {s.start_time.slice(0, 5)}–{s.end_time.slice(0, 5)} · {s.class_name} · {s.room_no ?? ''}
                  </li>
                ))}
            </ul>
          </div>
        ))
      )}
      <Button
        variant="secondary"
        onClick={() =>
          download(`/api/v1/timetable/student/${studentId}.ics`, 'timetable.ics').catch(setDlError)
        }
      >
        {t.student.calendar}
      </Button>{' '}
      <Button variant="secondary" busy={feed.isPending} onClick={() => feed.mutate()}>
        {t.student.feedLink}
      </Button>
      <ErrorAlert error={feed.error} />
      {feed.data && (
        <div className="field">
          <Field label={t.student.feedUrl} hint={t.student.feedHint}>
            {(id, hint) => <input id={id} aria-describedby={hint} readOnly value={feed.data.url} />}
          </Field>
          <a href={feed.data.webcal_url}>{t.student.subscribe}</a>
        </div>
      )}
    </section>
  );
}
