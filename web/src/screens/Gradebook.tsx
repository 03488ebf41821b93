import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useState } from 'react';
import { api, errorText, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Empty, ErrorAlert, Loading, Page } from '../ui';
import { type Assessment, AssessmentForm, PublishTerm } from './roles/GradebookTools';

type CellState = 'idle' | 'saving' | 'saved' | 'error';
type MarkState = 'scored' | 'missing' | 'excused' | 'absent';
interface Mark {
  student_id: string;
  marks: number | null;
  state: MarkState;
  version: number;
}
/** A cell holds marks, or a code for a mark that is not a score: excused, absent or missing. */
const CODES: Record<Exclude<MarkState, 'scored'>, string> = {
  excused: t.roles.codes.excused,
  absent: t.roles.codes.absent,
  missing: t.roles.codes.missing,
};
const shown = (m: Mark | undefined) =>
  !m ? '' : m.state === 'scored' ? String(m.marks ?? '') : CODES[m.state as keyof typeof CODES];
function parseCell(raw: string): { state: MarkState; marks: number | null } | 'invalid' {
  const v = raw.trim();
  if (v === '') return { state: 'missing', marks: null };
  for (const [state, code] of Object.entries(CODES)) {
    if (v.toLowerCase() === code.toLowerCase()) return { state: state as MarkState, marks: null };
  }
  const n = Number(v);
  return Number.isFinite(n) ? { state: 'scored', marks: n } : 'invalid';
}

/**
 * Teacher: the gradebook grid, students × assessments. Each cell saves on its own (Enter or leaving it),
 * shows its save state, and the weighted average (computed by the API) refreshes after every save.
 */
export function Gradebook({ classId }: { classId: string }) {
  const qc = useQueryClient();
  const cls = useQuery({
    queryKey: ['class', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}', { params: { path: { id: classId } } })).data,
  });
  const book = useQuery({
    queryKey: ['gradebook', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}/gradebook', { params: { path: { id: classId } } })).data,
  });
  const assessments: Assessment[] = book.data?.assessments ?? [];
  const marks = useQueries({
    queries: assessments.map((a) => ({
      queryKey: ['marks', a.id],
      queryFn: async () =>
        unwrap(await api.GET('/api/v1/assessments/{id}/marks', { params: { path: { id: a.id } } }))
          .data as Mark[],
    })),
  });
  const [cells, setCells] = useState<Record<string, { state: CellState; message?: string }>>({});
  const setCell = (k: string, state: CellState, message?: string) =>
    setCells((c) => ({ ...c, [k]: { state, message } }));

  const save = useMutation({
    mutationFn: async (v: {
      assessmentId: string;
      studentId: string;
      value: number | null;
      state: MarkState;
      version?: number;
    }) =>
      unwrap(
        await api.PUT('/api/v1/assessments/{id}/marks/{student_id}', {
          params: { path: { id: v.assessmentId, student_id: v.studentId } },
          body: {
            marks: v.value,
            state: v.state,
            ...(v.version !== undefined ? { expected_version: v.version } : {}),
          },
        }),
      ).data,
    // Optimistic: the cell keeps the typed value while the request is in flight.
    onMutate: async (v) => {
      setCell(`${v.assessmentId}:${v.studentId}`, 'saving');
      await qc.cancelQueries({ queryKey: ['marks', v.assessmentId] });
      const prev = qc.getQueryData<Mark[]>(['marks', v.assessmentId]);
      qc.setQueryData<Mark[]>(['marks', v.assessmentId], (old = []) => {
        const rest = old.filter((m) => m.student_id !== v.studentId);
        const was = old.find((m) => m.student_id === v.studentId);
        return [
          ...rest,
          { student_id: v.studentId, marks: v.value, state: v.state, version: was?.version ?? 0 },
        ];
      });
      return { prev };
    },
    onError: (err, v, ctx) => {
      if (ctx?.prev) qc.setQueryData(['marks', v.assessmentId], ctx.prev);
      setCell(`${v.assessmentId}:${v.studentId}`, 'error', errorText(err));
    },
    onSuccess: (m, v) => {
      qc.setQueryData<Mark[]>(['marks', v.assessmentId], (old = []) => [
        ...old.filter((x) => x.student_id !== v.studentId),
        m,
      ]);
      setCell(`${v.assessmentId}:${v.studentId}`, 'saved');
      void qc.invalidateQueries({ queryKey: ['gradebook', classId] });
    },
  });

  const markOf = (ai: number, sid: string) => marks[ai]?.data?.find((m) => m.student_id === sid);

  const commit = (a: Assessment, studentId: string, raw: string, current: Mark | undefined) => {
    const k = `${a.id}:${studentId}`;
    const parsed = parseCell(raw);
    if (parsed !== 'invalid' && parsed.state === 'missing' && !current) return;
    if (parsed !== 'invalid' && current && parsed.state === current.state && parsed.marks === current.marks) {
      return;
    }
    if (parsed === 'invalid' || (parsed.marks !== null && (parsed.marks < 0 || parsed.marks > a.max_marks))) {
      setCell(k, 'error', t.grades.invalid(a.max_marks));
      return;
    }
    save.mutate({
      assessmentId: a.id,
      studentId,
      value: parsed.marks,
      state: parsed.state,
      version: current?.version,
    });
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') e.currentTarget.blur();
    if (e.key === 'Escape') {
      e.currentTarget.value = e.currentTarget.defaultValue;
      e.currentTarget.blur();
    }
  };

  return (
    <Page title={t.grades.title(cls.data?.name ?? '')} actions={<Link to="/teach">{t.common.back}</Link>}>
      {book.isPending ? (
        <Loading />
      ) : book.error ? (
        <ErrorAlert error={book.error} />
      ) : assessments.length === 0 ? (
        <Empty>{t.grades.noAssessments}</Empty>
      ) : (
        <div className="table-wrap">
          <p id="cell-codes" className="hint">
            {t.roles.codesHint}
          </p>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t.classes.student}</th>
                {assessments.map((a) => (
                  <th scope="col" key={a.id}>
                    {a.name}
                    <br />
                    <small className="muted">{t.grades.outOf(a.max_marks)}</small>
                  </th>
                ))}
                <th scope="col">{t.grades.average}</th>
                <th scope="col">{t.grades.letter}</th>
              </tr>
            </thead>
            <tbody>
              {book.data.students.map((s) => (
                <tr key={s.student_id}>
                  <th scope="row">
                    {s.student_name}
                    <br />
                    <small className="muted">{s.student_number}</small>
                  </th>
                  {assessments.map((a, ai) => {
                    const m = markOf(ai, s.student_id);
                    const k = `${a.id}:${s.student_id}`;
                    const cell = cells[k] ?? { state: 'idle' as CellState };
                    return (
                      <td key={a.id} className={`cell cell-${cell.state}`}>
                        <input
                          key={`${k}:${m?.version ?? 0}:${marks[ai]?.isPending ? 'l' : 'r'}`}
                          type="text"
                          inputMode="decimal"
                          size={5}
                          aria-describedby="cell-codes"
                          aria-label={t.grades.cell(s.student_name, a.name)}
                          aria-invalid={cell.state === 'error' || undefined}
                          defaultValue={shown(m)}
                          onKeyDown={onKey}
                          onBlur={(e) => commit(a, s.student_id, e.currentTarget.value, m)}
                        />
                        <span className="cell-state" role="status" title={cell.message}>
                          {cell.state === 'error'
                            ? (cell.message ?? t.grades.state.error)
                            : t.grades.state[cell.state]}
                        </span>
                      </td>
                    );
                  })}
                  <td data-testid={`avg-${s.student_number}`}>
                    {s.percent === null ? '—' : `${s.percent.toFixed(1)}%`}
                  </td>
                  <td>{s.letter ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {book.data && (
        <AssessmentForm
          classId={classId}
          assessments={book.data.assessments}
          categories={book.data.categories}
        />
      )}
      <PublishTerm defaultTerm={cls.data?.academic_session_id ?? null} />
    </Page>
  );
}
