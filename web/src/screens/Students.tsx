import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, download, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { t, word } from '../i18n/en';
import { Link } from '../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Page } from '../ui';
import { NewStudent, StudentAdmin } from './admin/StudentForms';
import { StudentDocuments, StudentGuardians, StudentPhoto } from './admin/StudentPanels';
import { Pager } from './Classes';
import { ChildAttendance } from './Family';

const STATUSES = ['active', 'inactive', 'graduated', 'suspended', 'withdrawn'] as const;
type Status = (typeof STATUSES)[number];

/** Admin / office: students with search, a status filter, paging, and CSV/XLSX export of the same filter. */
export function Students() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [batch, setBatch] = useState('');
  const [page, setPage] = useState(1);
  const filters = {
    ...(search ? { search } : {}),
    ...(status ? { student_status: status } : {}),
    ...(/^\d{4}$/.test(batch) ? { batch_year: Number(batch) } : {}),
  };
  const query = { page, page_size: 25, ...filters };
  const list = useQuery({
    queryKey: ['students', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/students', { params: { query } })),
    placeholderData: (prev) => prev,
  });
  const [exportError, setExportError] = useState<unknown>(null);
  const exportAs = (format: 'csv' | 'xlsx') => {
    const qs = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(filters)) qs.set(k, String(v));
    download(`/api/v1/students/export?${qs}`, `students.${format}`).catch(setExportError);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setSearch(q.trim());
  };
  return (
    <Page
      title={t.students.title}
      actions={
        <div className="actions">
          <Button variant="secondary" onClick={() => exportAs('csv')}>
            {t.students.export('CSV')}
          </Button>
          <Button variant="secondary" onClick={() => exportAs('xlsx')}>
            {t.students.export('XLSX')}
          </Button>
        </div>
      }
    >
      <form className="inline-form card" onSubmit={submit}>
        <InputField label={t.students.search} type="search" value={q} onValue={(v) => setQ(v)} />
        <Field label={t.students.status}>
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => {
                setPage(1);
                setStatus(e.target.value as Status | '');
              }}
            >
              <option value="">{t.students.any}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {word(t.values.student, s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          label={t.students.batch}
          inputMode="numeric"
          pattern="[0-9]{4}"
          value={batch}
          onValue={(v) => {
            setPage(1);
            setBatch(v.trim());
          }}
        />
        <Button type="submit">{t.common.search}</Button>
      </form>
      <NewStudent />
      <ErrorAlert error={list.error ?? exportError} />
      {list.isPending ? (
        <Loading />
      ) : list.data && list.data.data.length === 0 ? (
        <Empty />
      ) : (
        list.data && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.classes.number}</th>
                  <th scope="col">{t.students.name}</th>
                  <th scope="col">{t.students.email}</th>
                  <th scope="col">{t.students.status}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((s) => (
                  <tr key={s.id}>
                    <td>{s.student_number}</td>
                    <td>
                      <Link to={`/students/${s.id}`}>
                        {s.first_name} {s.last_name}
                      </Link>
                    </td>
                    <td>{s.email ?? ''}</td>
                    <td>{word(t.values.student, s.student_status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />
          </div>
        )
      )}
    </Page>
  );
}

/** One student: profile, enrollments, attendance, grades, fees, guardians and documents. */
export function StudentProfile({ id }: { id: string }) {
  const p = { params: { path: { id } } };
  const student = useQuery({
    queryKey: ['student', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/students/{id}', p)).data,
  });
  const enrollments = useQuery({
    queryKey: ['student-enrollments', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/students/{id}/enrollments', p)).data,
  });
  const fees = useQuery({
    queryKey: ['student-fees', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/students/{id}/fees', p)).meta,
  });
  const perf = useQuery({
    queryKey: ['student-performance', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/students/{id}/performance', p)).data,
  });
  const { has } = useAuth();
  const canEdit = has('admin', 'staff', 'principal');
  const s = student.data;
  const name = s ? `${s.first_name} ${s.last_name}` : t.students.profile;
  return (
    <Page title={name} actions={<Link to="/students">{t.common.back}</Link>}>
      <ErrorAlert error={student.error} />
      {s && (
        <dl className="stats">
          <div>
            <dt>{t.classes.number}</dt>
            <dd>{s.student_number}</dd>
          </div>
          <div>
            <dt>{t.students.status}</dt>
            <dd>{word(t.values.student, s.student_status)}</dd>
          </div>
          <div>
            <dt>{t.profile.fees}</dt>
            <dd>
              {fees.data?.summary.balance ?? '—'} {fees.data?.summary.currency ?? ''}
            </dd>
          </div>
        </dl>
      )}
      {s && (
        <div className="two-col">
          <StudentPhoto student={s} canEdit={canEdit} />
          {canEdit && <StudentAdmin student={s} />}
        </div>
      )}
      <div className="two-col">
        <section className="card" aria-labelledby="enr-h">
          <h2 id="enr-h">{t.profile.enrollments}</h2>
          {enrollments.data?.length ? (
            <ul>
              {enrollments.data.map((e) => (
                <li key={e.id}>
                  <Link to={`/classes/${e.class_id}`}>
                    <ClassName id={e.class_id} />
                  </Link>{' '}
                  · {word(t.values.enrollment, e.status)} · {new Date(e.enrolled_at).toLocaleDateString()}
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </section>
        {s && <StudentGuardians student={s} canEdit={canEdit} />}
      </div>
      <ChildAttendance id={id} name={name} />
      <section className="card" aria-labelledby="perf-h">
        <h2 id="perf-h">{t.profile.performance}</h2>
        {perf.data?.courses?.length ? (
          <ul>
            {perf.data.courses.map((c) => (
              <li key={c.class_id}>
                {c.class_name}: {c.percent === null ? '—' : `${c.percent}%`} {c.letter ?? ''}
              </li>
            ))}
          </ul>
        ) : (
          <Empty />
        )}
      </section>
      {s && <StudentDocuments student={s} canEdit={canEdit} />}
    </Page>
  );
}

/** A class's name (enrollments carry only the class id; the class itself is cached by id). */
function ClassName({ id }: { id: string }) {
  const cls = useQuery({
    queryKey: ['class', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/classes/{id}', { params: { path: { id } } })).data,
  });
  return <>{cls.data?.name ?? id.slice(0, 8)}</>;
}
