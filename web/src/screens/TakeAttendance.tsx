import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page } from '../ui';
import { useClassMeetings } from './roles/hooks';

type Status = 'present' | 'absent' | 'late' | 'excused';
const CYCLE: Status[] = ['present', 'absent', 'late', 'excused'];

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Marks not yet saved are kept on this device, per class, date (and period when the class meets more than
 * once that day), so a lost connection loses nothing.
 */
const draftKey = (classId: string, date: string, period?: number) =>
  `registrar.attendance.${classId}.${date}${period ? `.p${period}` : ''}`;

function loadDraft(key: string): Record<string, Status> | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Record<string, Status>) : null;
  } catch {
    return null;
  }
}

/**
 * Teacher: one screen to take a class's attendance on a phone. Everyone starts present (or as already
 * recorded); a tap moves a student through absent, late, excused and back to present.
 */
export function TakeAttendance({ classId }: { classId: string }) {
  const qc = useQueryClient();
  const [date, setDate] = useState(today());
  const cls = useQuery({
    queryKey: ['class', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}', { params: { path: { id: classId } } })).data,
  });
  // A class that meets more than once on the date is marked per period (the teacher picks which).
  const meetings = useClassMeetings(classId, cls.data?.organization_id, date);
  const multi = (meetings.data?.length ?? 0) > 1;
  const [chosen, setChosen] = useState<{ date: string; period: number } | null>(null);
  const period = multi ? (chosen?.date === date ? chosen.period : meetings.data?.[0]?.period) : undefined;
  const key = draftKey(classId, date, period);
  const sheet = useQuery({
    queryKey: ['class-attendance', classId, date, period ?? null],
    enabled: !meetings.isFetching,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/classes/{id}/attendance', {
          params: { path: { id: classId }, query: { date, ...(period ? { period } : {}) } },
        }),
      ).data,
  });
  const [draft, setDraft] = useState<Record<string, Status> | null>(() => loadDraft(key));
  useEffect(() => setDraft(loadDraft(key)), [key]);

  const marks = useMemo(() => {
    const out: Record<string, Status> = {};
    for (const r of sheet.data ?? []) out[r.student_id] = draft?.[r.student_id] ?? r.status ?? 'present';
    return out;
  }, [sheet.data, draft]);

  const tap = (studentId: string) => {
    const next = CYCLE[(CYCLE.indexOf(marks[studentId]) + 1) % CYCLE.length];
    const d = { ...marks, [studentId]: next };
    localStorage.setItem(key, JSON.stringify(d));
    setDraft(d);
  };

  const save = useMutation({
    // Fail at once when offline (rather than wait paused): the marks stay in localStorage, and the screen
    // says so; the teacher saves again when the connection is back.
    networkMode: 'always',
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/attendance/bulk', {
          body: {
            class_id: classId,
            date,
            ...(period ? { period } : {}),
            records: Object.entries(marks).map(([student_id, status]) => ({ student_id, status })),
          },
        }),
      ),
    onSuccess: () => {
      localStorage.removeItem(key);
      setDraft(null);
      void qc.invalidateQueries({ queryKey: ['class-attendance', classId, date, period ?? null] });
    },
  });

  const counts = CYCLE.map((s) => Object.values(marks).filter((m) => m === s).length);
  const offline = save.error && !(save.error instanceof ApiError);

  return (
    <Page title={t.attendance.title(cls.data?.name ?? '')} actions={<Link to="/teach">{t.common.back}</Link>}>
      <div className="toolbar">
        <InputField
          label={t.attendance.date}
          type="date"
          value={date}
          max={today()}
          onValue={(v) => setDate(v)}
        />
        {multi && (
          <Field label={t.roles.period}>
            {(id) => (
              <select
                id={id}
                value={period}
                onChange={(e) => setChosen({ date, period: Number(e.target.value) })}
              >
                {meetings.data?.map((m) => (
                  <option key={m.period} value={m.period}>
                    {t.roles.periodOption(m.period, m.start_time.slice(0, 5), m.end_time.slice(0, 5))}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <p className="muted" aria-live="polite" data-testid="attendance-counts">
          {t.attendance.counts(counts[0], counts[1], counts[2], counts[3])}
        </p>
      </div>
      <p className="hint">{t.attendance.hint}</p>
      {sheet.isPending ? (
        <Loading />
      ) : sheet.error ? (
        <ErrorAlert error={sheet.error} />
      ) : sheet.data.length === 0 ? (
        <Empty>{t.classes.rosterEmpty}</Empty>
      ) : (
        <ul className="mark-list">
          {sheet.data.map((r) => {
            const s = marks[r.student_id];
            return (
              <li key={r.student_id}>
                <button
                  type="button"
                  className={`mark mark-${s}`}
                  aria-label={`${r.student_name}${r.roll_no ? `, ${r.roll_no}` : ''}: ${t.attendance.status[s]}`}
                  onClick={() => tap(r.student_id)}
                >
                  <span className="roll">{r.roll_no ?? r.student_number}</span>
                  <span className="name">{r.student_name}</span>
                  <span className="status">{t.attendance.status[s]}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {draft && !save.isPending && (
        <p className="hint">{offline ? t.attendance.offline : t.attendance.kept}</p>
      )}
      {!offline && <ErrorAlert error={save.error} />}
      {save.isSuccess && !draft && <Notice>{t.attendance.saved(Object.keys(marks).length)}</Notice>}
      <div className="sticky-actions">
        <Button
          busy={save.isPending}
          disabled={save.isPending || !sheet.data?.length}
          onClick={() => save.mutate()}
        >
          {save.isPending ? t.common.saving : t.attendance.save}
        </Button>
      </div>
    </Page>
  );
}
