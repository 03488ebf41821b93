import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { Link } from '../../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page } from '../../ui';
import { useMyFaculty } from './hooks';

/**
 * Teacher: the exams they created (seed 002: exam, midterm and final assessments) and the marks of one
 * exam for its whole class, saved in one request (POST /exams/marks).
 */
export function ExamMarks() {
  const me = useMyFaculty();
  const exams = useQuery({
    queryKey: ['my-exams', me.data?.id],
    enabled: Boolean(me.data?.id),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/exams/teacher/{id}', {
          params: { path: { id: me.data?.id ?? '' }, query: { page_size: 100 } },
        }),
      ).data,
  });
  const [examId, setExamId] = useState('');
  const exam = exams.data?.find((e) => e.id === examId) ?? exams.data?.[0];
  return (
    <Page title={t.roles.exams.title} actions={<Link to="/teach">{t.common.back}</Link>}>
      <ErrorAlert error={me.error ?? exams.error} />
      {exams.isPending && me.data !== null && !me.error ? (
        <Loading />
      ) : !exams.data?.length || !exam ? (
        <Empty>{t.roles.exams.none}</Empty>
      ) : (
        <>
          <Field label={t.roles.exams.exam}>
            {(id) => (
              <select id={id} value={exam.id} onChange={(e) => setExamId(e.target.value)}>
                {exams.data.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name} · {t.roles.types[e.assessment_type] ?? e.assessment_type}
                    {e.date ? ` · ${e.date}` : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <ExamSheet key={exam.id} examId={exam.id} classId={exam.class_id} max={exam.max_marks} />
        </>
      )}
    </Page>
  );
}

function ExamSheet({ examId, classId, max }: { examId: string; classId: string; max: number }) {
  const qc = useQueryClient();
  const roster = useQuery({
    queryKey: ['gradebook', classId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}/gradebook', { params: { path: { id: classId } } })).data,
  });
  const marks = useQuery({
    queryKey: ['marks', examId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/exams/{id}/marks', { params: { path: { id: examId } } })).data,
  });
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => {
    const v: Record<string, string> = {};
    for (const m of marks.data ?? []) if (m.marks !== null) v[m.student_id] = String(m.marks);
    setValues(v);
  }, [marks.data]);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/exams/marks', {
          body: {
            exam_id: examId,
            marks: Object.entries(values)
              .filter(([, v]) => v.trim() !== '')
              .map(([student_id, v]) => ({ student_id, marks: Number(v) })),
          },
        }),
      ).data,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['marks', examId] });
      void qc.invalidateQueries({ queryKey: ['gradebook', classId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  if (roster.isPending || marks.isPending) return <Loading />;
  if (roster.error || marks.error) return <ErrorAlert error={roster.error ?? marks.error} />;
  if (!roster.data.students.length) return <Empty>{t.classes.rosterEmpty}</Empty>;
  const filled = Object.values(values).filter((v) => v.trim() !== '').length;
  return (
    <form onSubmit={submit}>
      <p className="hint">{t.roles.exams.outOf(max)}</p>
      <ul className="roster">
        {roster.data.students.map((s) => (
          <li key={s.student_id}>
            <InputField
              label={`${s.student_name} (${s.student_number})`}
              type="number"
              inputMode="decimal"
              min={0}
              max={max}
              step="any"
              value={values[s.student_id] ?? ''}
              onValue={(v) => setValues({ ...values, [s.student_id]: v })}
            />
          </li>
        ))}
      </ul>
      <ErrorAlert error={save.error} />
      {save.data && <Notice>{t.roles.exams.saved(save.data.received)}</Notice>}
      <div className="sticky-actions">
        <Button type="submit" busy={save.isPending} disabled={save.isPending || filled === 0}>
          {save.isPending ? t.common.saving : t.roles.exams.save}
        </Button>
      </div>
    </form>
  );
}
