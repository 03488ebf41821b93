import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { useAuth } from '../../auth';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, Notice } from '../../ui';

type Book =
  paths['/api/v1/classes/{id}/gradebook']['get']['responses'][200]['content']['application/json']['data'];
export type Assessment = Book['assessments'][number];
type AssessmentType = Assessment['assessment_type'];
const TYPES: AssessmentType[] = ['quiz', 'assignment', 'midterm', 'final', 'exam', 'project', 'practical'];

export function useTerms() {
  return useQuery({
    queryKey: ['academic-sessions'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/academic-sessions', { params: { query: { page_size: 50 } } })).data,
  });
}

interface Draft {
  name: string;
  assessment_type: AssessmentType;
  category_id: string;
  max_marks: string;
  weight: string;
  date: string;
  academic_session_id: string;
}
const EMPTY: Draft = {
  name: '',
  assessment_type: 'quiz',
  category_id: '',
  max_marks: '100',
  weight: '',
  date: '',
  academic_session_id: '',
};

/** Teacher: create an assessment in a class, or edit one (category, max marks, weight, date, term). */
export function AssessmentForm({
  classId,
  assessments,
  categories,
}: {
  classId: string;
  assessments: Assessment[];
  categories: Array<{ id: string; name: string }>;
}) {
  const qc = useQueryClient();
  const terms = useTerms();
  const [editing, setEditing] = useState('');
  const [d, setD] = useState<Draft>(EMPTY);
  useEffect(() => {
    const a = assessments.find((x) => x.id === editing);
    setD(
      a
        ? {
            name: a.name,
            assessment_type: a.assessment_type,
            category_id: a.category_id ?? '',
            max_marks: String(a.max_marks),
            weight: a.weight === null ? '' : String(a.weight),
            date: a.date ?? '',
            academic_session_id: a.academic_session_id ?? '',
          }
        : EMPTY,
    );
  }, [editing, assessments]);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD({ ...d, [k]: e.target.value });
  const save = useMutation({
    mutationFn: async () => {
      const fields = {
        name: d.name.trim(),
        assessment_type: d.assessment_type,
        category_id: d.category_id || null,
        max_marks: Number(d.max_marks),
        weight: d.weight === '' ? null : Number(d.weight),
        date: d.date || null,
        ...(d.academic_session_id ? { academic_session_id: d.academic_session_id } : {}),
      };
      return editing
        ? unwrap(
            await api.PUT('/api/v1/assessments/{id}', { params: { path: { id: editing } }, body: fields }),
          ).data
        : unwrap(await api.POST('/api/v1/assessments', { body: { class_id: classId, ...fields } })).data;
    },
    onSuccess: () => {
      if (!editing) setD(EMPTY);
      void qc.invalidateQueries({ queryKey: ['gradebook', classId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="assessment-h">
      <h2 id="assessment-h">{editing ? t.roles.editAssessment : t.roles.newAssessment}</h2>
      <Field label={t.roles.assessmentToEdit}>
        {(id) => (
          <select id={id} value={editing} onChange={(e) => setEditing(e.target.value)}>
            <option value="">{t.roles.newAssessment}</option>
            {assessments.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.roles.assessmentName}>
        {(id) => <input id={id} required maxLength={200} value={d.name} onChange={set('name')} />}
      </Field>
      <Field label={t.roles.assessmentType}>
        {(id) => (
          <select id={id} value={d.assessment_type} onChange={set('assessment_type')}>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {t.roles.types[x]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.roles.category}>
        {(id) => (
          <select id={id} value={d.category_id} onChange={set('category_id')}>
            <option value="">{t.roles.noCategory}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.roles.maxMarks}>
        {(id) => (
          <input
            id={id}
            required
            inputMode="decimal"
            type="number"
            min={0.01}
            step="any"
            value={d.max_marks}
            onChange={set('max_marks')}
          />
        )}
      </Field>
      <Field label={t.roles.weight} hint={t.roles.weightHint}>
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            inputMode="decimal"
            type="number"
            min={0}
            step="any"
            value={d.weight}
            onChange={set('weight')}
          />
        )}
      </Field>
      <Field label={t.roles.date}>
        {(id) => <input id={id} type="date" value={d.date} onChange={set('date')} />}
      </Field>
      <Field label={t.student.term}>
        {(id) => (
          <select id={id} value={d.academic_session_id} onChange={set('academic_session_id')}>
            <option value="">{t.roles.classTerm}</option>
            {(terms.data ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorAlert error={save.error} />
      {save.isSuccess && <Notice>{t.roles.assessmentSaved(save.data.name)}</Notice>}
      <Button type="submit" busy={save.isPending} disabled={save.isPending}>
        {save.isPending ? t.common.saving : editing ? t.common.save : t.roles.addAssessment}
      </Button>
    </form>
  );
}

/**
 * Publishing a term's grades (admin, staff, principal: the API's grades:publish): computes the missing
 * grades from the gradebook and freezes them for students and parents, after a confirmation.
 */
export function PublishTerm({ defaultTerm }: { defaultTerm: string | null }) {
  const { has } = useAuth();
  const terms = useTerms();
  const [term, setTerm] = useState('');
  const [confirming, setConfirming] = useState(false);
  const chosen = term || defaultTerm || terms.data?.[0]?.id || '';
  const name = terms.data?.find((x) => x.id === chosen)?.name ?? '';
  const publish = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/grades/publish', { body: { academic_session_id: chosen } })).data,
    onSettled: () => setConfirming(false),
  });
  if (!has('admin', 'staff', 'principal')) return null;
  return (
    <section className="card" aria-labelledby="publish-h">
      <h2 id="publish-h">{t.roles.publishTitle}</h2>
      <Field label={t.student.term}>
        {(id) => (
          <select id={id} value={chosen} onChange={(e) => setTerm(e.target.value)}>
            {(terms.data ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {confirming ? (
        <div role="alertdialog" aria-labelledby="publish-confirm" className="alert">
          <p id="publish-confirm">{t.roles.publishConfirm(name)}</p>
          <Button busy={publish.isPending} disabled={publish.isPending} onClick={() => publish.mutate()}>
            {t.roles.publishYes}
          </Button>{' '}
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            {t.common.cancel}
          </Button>
        </div>
      ) : (
        <Button variant="secondary" disabled={!chosen} onClick={() => setConfirming(true)}>
          {t.roles.publish}
        </Button>
      )}
      <ErrorAlert error={publish.error} />
      {publish.data && (
        <Notice>
          {t.roles.published(publish.data.posted, publish.data.classes, publish.data.without_marks.length)}
        </Notice>
      )}
    </section>
  );
}
