import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page } from '../ui';
import { ClassEditor, RosterRemove, type RowResult, TeacherUnassign } from './admin/ClassAdmin';

/** Admin / office: the classes of the organizations in scope, and creating one. */
export function Classes() {
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['classes', page],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes', { params: { query: { page, page_size: 25 } } })),
  });
  const [name, setName] = useState('');
  const [section, setSection] = useState('');
  const [room, setRoom] = useState('');
  const [capacity, setCapacity] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/classes', {
          body: {
            name: name.trim(),
            ...(section.trim() ? { section: section.trim() } : {}),
            ...(room.trim() ? { room: room.trim() } : {}),
            ...(capacity ? { capacity: Number(capacity) } : {}),
          },
        }),
      ).data,
    onSuccess: () => {
      setName('');
      setSection('');
      setRoom('');
      setCapacity('');
      void qc.invalidateQueries({ queryKey: ['classes'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Page title={t.classes.title}>
      <form className="card form-grid" onSubmit={submit} aria-labelledby="create-class">
        <h2 id="create-class">{t.classes.create}</h2>
        <ErrorAlert error={create.error} />
        {create.data && (
          <Notice>
            {t.classes.created(create.data.name)}{' '}
            <Link to={`/classes/${create.data.id}`}>{t.classes.open}</Link>
          </Notice>
        )}
        <InputField label={t.classes.name} required value={name} onValue={(v) => setName(v)} />
        <InputField label={t.classes.section} value={section} onValue={(v) => setSection(v)} />
        <InputField label={t.classes.room} value={room} onValue={(v) => setRoom(v)} />
        <InputField
          label={t.classes.capacity}
          type="number"
          min={0}
          inputMode="numeric"
          value={capacity}
          onValue={(v) => setCapacity(v)}
        />
        <Button type="submit" busy={create.isPending} disabled={!name.trim() || create.isPending}>
          {t.classes.create}
        </Button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorAlert error={list.error} />
      ) : list.data.data.length === 0 ? (
        <Empty />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.classes.name}</th>
                <th scope="col">{t.classes.section}</th>
                <th scope="col">{t.classes.room}</th>
                <th scope="col">{t.classes.capacity}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/classes/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.section ?? ''}</td>
                  <td>{c.room ?? ''}</td>
                  <td>{c.capacity ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />
        </div>
      )}
    </Page>
  );
}

export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (p: number) => void }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t.landmarks.pager}>
      <Button variant="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.common.previous}
      </Button>
      <span>{t.common.page(page, pages)}</span>
      <Button variant="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t.common.next}
      </Button>
    </nav>
  );
}

/** One class: its roster, and enrolling students found by name or number. */
export function ClassDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const cls = useQuery({
    queryKey: ['class', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/classes/{id}', { params: { path: { id } } })).data,
  });
  const roster = useQuery({
    queryKey: ['roster', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}/students', { params: { path: { id } } })).data,
  });
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['students-find', search],
    enabled: search.length > 0,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students', { params: { query: { search, page_size: 50 } } })).data,
  });
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const enroll = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/classes/{id}/students', {
          params: { path: { id } },
          body: { student_ids: [...picked] },
        }),
      ).data,
    onSuccess: () => {
      setPicked(new Set());
      void qc.invalidateQueries({ queryKey: ['roster', id] });
    },
  });
  const teachers = useQuery({
    queryKey: ['class-teachers', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes/{id}/teachers', { params: { path: { id } } })).data,
  });
  const faculty = useQuery({
    queryKey: ['faculty-all'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/faculty', { params: { query: { page_size: 100 } } })).data,
  });
  const [facultyId, setFacultyId] = useState('');
  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/teaching-assignments', {
          body: { class_id: id, faculty_id: facultyId || (faculty.data?.[0]?.id ?? '') },
        }),
      ).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['class-teachers', id] }),
  });
  const [rowResult, setRowResult] = useState<RowResult>({});
  const enrolledIds = new Set((roster.data ?? []).map((r) => r.student_id));
  const toggle = (sid: string) => {
    const next = new Set(picked);
    if (next.has(sid)) next.delete(sid);
    else next.add(sid);
    setPicked(next);
  };

  return (
    <Page title={cls.data?.name ?? t.classes.title} actions={<Link to="/classes">{t.common.back}</Link>}>
      <ErrorAlert error={cls.error ?? rowResult.error} />
      {rowResult.notice && <Notice>{rowResult.notice}</Notice>}
      {cls.data && <ClassEditor cls={cls.data} />}
      <section className="card" aria-labelledby="teachers-h">
        <h2 id="teachers-h">{t.classes.teachers}</h2>
        <ErrorAlert error={teachers.error ?? assign.error} />
        {assign.isSuccess && <Notice>{t.classes.assigned}</Notice>}
        {teachers.data?.length ? (
          <ul className="roster" aria-label={t.classes.teachers}>
            {teachers.data.map((x) => (
              <li key={x.assignment_id}>
                <span>
                  {x.first_name} {x.last_name} <span className="muted">{x.email}</span>
                </span>
                <TeacherUnassign
                  classId={id}
                  assignmentId={x.assignment_id}
                  name={`${x.first_name} ${x.last_name}`}
                  onResult={setRowResult}
                />
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t.classes.noTeachers}</Empty>
        )}
        {faculty.data && faculty.data.length > 0 && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              assign.mutate();
            }}
          >
            <Field label={t.classes.teacher}>
              {(fid) => (
                <select id={fid} value={facultyId} onChange={(e) => setFacultyId(e.target.value)}>
                  {faculty.data.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.first_name} {f.last_name} ({f.employee_id})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Button type="submit" variant="secondary" busy={assign.isPending}>
              {t.classes.assign}
            </Button>
          </form>
        )}
      </section>
      <div className="two-col">
        <section className="card" aria-labelledby="roster-h">
          <h2 id="roster-h">{t.classes.roster}</h2>
          {roster.isPending ? (
            <Loading />
          ) : roster.error ? (
            <ErrorAlert error={roster.error} />
          ) : roster.data.length === 0 ? (
            <Empty>{t.classes.rosterEmpty}</Empty>
          ) : (
            <ul className="roster" aria-label={t.classes.roster}>
              {roster.data.map((r) => (
                <li key={r.student_id}>
                  <span>
                    {r.first_name} {r.last_name}
                  </span>{' '}
                  <span className="muted">{r.student_number}</span>
                  <RosterRemove
                    classId={id}
                    studentId={r.student_id}
                    name={`${r.first_name} ${r.last_name}`}
                    onResult={setRowResult}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="enroll-h">
          <h2 id="enroll-h">{t.classes.enroll}</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              setSearch(q.trim());
            }}
          >
            <Field label={t.classes.findStudents}>
              {(fid) => <input id={fid} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
            </Field>
            <Button type="submit" variant="secondary">
              {t.common.search}
            </Button>
          </form>
          <ErrorAlert error={found.error ?? enroll.error} />
          {enroll.data && <Notice>{t.classes.enrolled(enroll.data.length)}</Notice>}
          {found.data && (
            <fieldset className="picklist">
              <legend className="sr-only">{t.classes.enroll}</legend>
              {found.data.length === 0 && <Empty />}
              {found.data.map((s) => (
                <label key={s.id} className="check">
                  <input
                    type="checkbox"
                    checked={picked.has(s.id) || enrolledIds.has(s.id)}
                    disabled={enrolledIds.has(s.id)}
                    onChange={() => toggle(s.id)}
                  />
                  {s.first_name} {s.last_name} <span className="muted">{s.student_number}</span>
                </label>
              ))}
            </fieldset>
          )}
          <Button
            busy={enroll.isPending}
            disabled={picked.size === 0 || enroll.isPending}
            onClick={() => enroll.mutate()}
          >
            {t.classes.enrollSelected(picked.size)}
          </Button>
        </section>
      </div>
    </Page>
  );
}
