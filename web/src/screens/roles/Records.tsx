import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap } from '../../api/client';
import { t, word } from '../../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, RowsTable } from '../../ui';
import { type PayBody, PayForm, ReceiptsTable } from '../Payments';
import { useTerms } from './GradebookTools';

const EXAM_TYPES = new Set(['exam', 'midterm', 'final']);

/** Posted grades of a student (or the signed-in student's own), with their class, course and term. */
export function GradesTable({ studentId, title }: { studentId: string | 'me'; title: string }) {
  const grades = useQuery({
    queryKey: ['grades-of', studentId],
    queryFn: async () =>
      studentId === 'me'
        ? unwrap(await api.GET('/api/v1/students/me/grades', { params: { query: { page_size: 50 } } })).data
        : unwrap(
            await api.GET('/api/v1/students/{id}/grades', {
              params: { path: { id: studentId }, query: { page_size: 50 } },
            }),
          ).data,
  });
  const h = `grades-${studentId}`;
  return (
    <section className="card" aria-labelledby={h}>
      <h2 id={h}>{title}</h2>
      <ErrorAlert error={grades.error} />
      <RowsTable
        rows={grades.data}
        pending={grades.isPending && !grades.error}
        columns={[t.roles.grades.course, t.roles.grades.term, t.roles.grades.letter, t.roles.grades.percent]}
        row={(g) => (
          <tr key={g.id}>
            <td>
              {g.course_name ? `${g.course_code} ${g.course_name}` : g.class_name}
              <br />
              <small className="muted">{g.class_name}</small>
            </td>
            <td>{g.academic_session_name ?? '—'}</td>
            <td>{g.letter}</td>
            <td>{g.percent === null ? '—' : `${g.percent}%`}</td>
          </tr>
        )}
      />
    </section>
  );
}

/** A student's exam results: the marks of exam, midterm and final assessments, per class. */
export function ExamResults({ studentId, title }: { studentId: string; title: string }) {
  const perf = useQuery({
    queryKey: ['performance', studentId],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students/{id}/performance', { params: { path: { id: studentId } } }))
        .data,
  });
  const rows = (perf.data?.courses ?? []).flatMap((c) =>
    c.assessments
      .filter((a) => EXAM_TYPES.has(a.assessment_type))
      .map((a) => ({ ...a, class_name: c.class_name, key: `${c.class_id}:${a.assessment_id}` })),
  );
  const h = `exams-${studentId}`;
  return (
    <section className="card" aria-labelledby={h}>
      <h2 id={h}>{title}</h2>
      <ErrorAlert error={perf.error} />
      <RowsTable
        rows={perf.data ? rows : undefined}
        pending={perf.isPending && !perf.error}
        columns={[t.roles.grades.course, t.roles.exams.exam, t.roles.grades.marks]}
        row={(a) => (
          <tr key={a.key}>
            <td>{a.class_name}</td>
            <td>{a.name}</td>
            <td>
              {a.marks === null ? word(t.roles.values.mark, a.state) || '—' : `${a.marks} / ${a.max_marks}`}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

/** A student's library loans (the API scopes them: the student's own, a parent's children's). */
export function Loans({ studentId, title }: { studentId: string; title: string }) {
  const loans = useQuery({
    queryKey: ['loans-of', studentId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/library/issued', {
          params: { query: { student_id: studentId, status: 'all', page_size: 50 } },
        }),
      ).data,
  });
  const h = `loans-${studentId}`;
  return (
    <section className="card" aria-labelledby={h}>
      <h2 id={h}>{title}</h2>
      <ErrorAlert error={loans.error} />
      {loans.isPending && !loans.error ? (
        <Loading />
      ) : !loans.data?.length ? (
        <Empty />
      ) : (
        <ul className="roster">
          {loans.data.map((l) => (
            <li key={l.id}>
              {l.book_title} · {t.student.due} {l.due_date}
              {l.return_date ? ` · ${t.student.returned} ${l.return_date}` : ''}
              {!l.return_date && l.days_overdue > 0 ? ` · ${t.roles.library.overdue(l.days_overdue)}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Downloads a student's report card of one term as a PDF. */
export function ReportCard({ studentId, label }: { studentId: string; label: string }) {
  const terms = useTerms();
  const [term, setTerm] = useState('');
  const chosen = term || terms.data?.[0]?.id || '';
  const [error, setError] = useState<unknown>(null);
  if (!chosen) return null;
  return (
    <form
      className="inline-form card"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        download(
          `/api/v1/students/${studentId}/report-card?academic_session_id=${chosen}`,
          'report-card.pdf',
        ).catch(setError);
      }}
    >
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
      <Button type="submit" variant="secondary">
        {label}
      </Button>
      <ErrorAlert error={error} />
    </form>
  );
}

/** A parent pays a linked child's dues (POST /students/{id}/payments) and downloads the receipts. */
export function ChildPay({ id, name }: { id: string; name: string }) {
  const qc = useQueryClient();
  const fees = useQuery({
    queryKey: ['child-fees', id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/students/{id}/fees', { params: { path: { id }, query: { page_size: 10 } } }),
      ).meta.summary,
  });
  const payments = useQuery({
    queryKey: ['child-payments', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/fee-payments', { params: { query: { student_id: id, page_size: 50 } } }))
        .data,
  });
  const [dlError, setDlError] = useState<unknown>(null);
  const send = async (key: string, body: PayBody) =>
    unwrap(
      await api.POST('/api/v1/students/{id}/payments', {
        params: { path: { id }, header: { 'idempotency-key': key } },
        body,
      }),
    ).data;
  const onPaid = () => {
    void qc.invalidateQueries({ queryKey: ['child-fees', id] });
    void qc.invalidateQueries({ queryKey: ['child-payments', id] });
  };
  const h = `pay-${id}`;
  return (
    <section className="card" aria-labelledby={h}>
      <h2 id={h}>{t.roles.family.pay(name)}</h2>
      <ErrorAlert error={fees.error ?? dlError} />
      {fees.data && (
        <PayForm
          balance={fees.data.balance}
          currency={fees.data.currency}
          className="form-grid"
          send={send}
          onPaid={onPaid}
        />
      )}
      <h3>{t.roles.family.receipts(name)}</h3>
      <ReceiptsTable
        rows={payments.data}
        pending={payments.isPending && !payments.error}
        onError={setDlError}
      />
    </section>
  );
}
