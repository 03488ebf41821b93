import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t, word } from '../../i18n/en';
import { Link, navigate } from '../../router';
import { Button, ErrorAlert, Field, Notice } from '../../ui';
import { ConfirmButton, changed, noContent, orNull, useOrgs } from '../../ui-admin';

type Student = components['schemas']['Student'];
const STATUSES = ['active', 'inactive', 'graduated', 'suspended', 'withdrawn'] as const;

const blank = {
  organization_id: '',
  first_name: '',
  last_name: '',
  student_number: '',
  email: '',
  create_login: true,
  username: '',
  date_of_birth: '',
  gender: '',
  batch_year: '',
  grade_level: '',
  roll_no: '',
};

/** Office: register a student, with a login (emailed a code to set a password) or without one. */
export function NewStudent() {
  const qc = useQueryClient();
  const orgs = useOrgs();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(blank);
  const org = f.organization_id || orgs.data?.[0]?.id || '';
  const email = f.email.trim();
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/students', {
          body: {
            organization_id: org,
            first_name: f.first_name.trim(),
            last_name: f.last_name.trim(),
            student_number: f.student_number.trim(),
            ...(email ? { email } : {}),
            create_login: Boolean(email) && f.create_login,
            ...(email && f.create_login && f.username.trim() ? { username: f.username.trim() } : {}),
            ...(f.date_of_birth ? { date_of_birth: f.date_of_birth } : {}),
            ...(f.gender.trim() ? { gender: f.gender.trim() } : {}),
            ...(/^\d{4}$/.test(f.batch_year) ? { batch_year: Number(f.batch_year) } : {}),
            ...(f.grade_level.trim() ? { grade_level: f.grade_level.trim() } : {}),
            ...(f.roll_no.trim() ? { roll_no: f.roll_no.trim() } : {}),
          },
        }),
      ).data,
    onSuccess: () => {
      setF({ ...blank, organization_id: f.organization_id });
      void qc.invalidateQueries({ queryKey: ['students'] });
    },
  });
  const set = (k: keyof typeof blank) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  if (!open) {
    return (
      <div className="actions">
        <Button onClick={() => setOpen(true)}>{t.admin.student.add}</Button>
        {create.data && (
          <Notice>
            {t.admin.student.created(`${create.data.first_name} ${create.data.last_name}`)}{' '}
            <Link to={`/students/${create.data.id}`}>{t.classes.open}</Link>
          </Notice>
        )}
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined, { onSuccess: () => setOpen(false) });
  };
  return (
    <form className="card form-grid" aria-labelledby="new-student-h" onSubmit={submit}>
      <h2 id="new-student-h">{t.admin.student.add}</h2>
      <ErrorAlert error={create.error ?? orgs.error} />
      <Field label={t.admin.organization}>
        {(id) => (
          <select id={id} value={org} onChange={set('organization_id')}>
            {(orgs.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.admin.student.firstName}>
        {(id) => <input id={id} required value={f.first_name} onChange={set('first_name')} />}
      </Field>
      <Field label={t.admin.student.lastName}>
        {(id) => <input id={id} required value={f.last_name} onChange={set('last_name')} />}
      </Field>
      <Field label={t.classes.number}>
        {(id) => <input id={id} required value={f.student_number} onChange={set('student_number')} />}
      </Field>
      <Field label={t.students.email} hint={t.admin.student.emailHint}>
        {(id, hint) => (
          <input id={id} type="email" aria-describedby={hint} value={f.email} onChange={set('email')} />
        )}
      </Field>
      <label className="check">
        <input
          type="checkbox"
          checked={Boolean(email) && f.create_login}
          disabled={!email}
          onChange={(e) => setF({ ...f, create_login: e.target.checked })}
        />
        {t.admin.student.createLogin}
      </label>
      {email && f.create_login && (
        <Field label={t.org.username} hint={t.admin.student.usernameHint}>
          {(id, hint) => (
            <input
              id={id}
              autoComplete="off"
              aria-describedby={hint}
              value={f.username}
              onChange={set('username')}
            />
          )}
        </Field>
      )}
      <Field label={t.admin.student.dob}>
        {(id) => <input id={id} type="date" value={f.date_of_birth} onChange={set('date_of_birth')} />}
      </Field>
      <Field label={t.admin.student.gender}>
        {(id) => <input id={id} value={f.gender} onChange={set('gender')} />}
      </Field>
      <Field label={t.students.batch}>
        {(id) => (
          <input
            id={id}
            inputMode="numeric"
            pattern="[0-9]{4}"
            value={f.batch_year}
            onChange={set('batch_year')}
          />
        )}
      </Field>
      <Field label={t.admin.student.gradeLevel}>
        {(id) => <input id={id} value={f.grade_level} onChange={set('grade_level')} />}
      </Field>
      <Field label={t.classes.roll}>
        {(id) => <input id={id} value={f.roll_no} onChange={set('roll_no')} />}
      </Field>
      <div className="actions">
        <Button type="submit" busy={create.isPending} disabled={create.isPending}>
          {t.admin.student.create}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

const editable = (s: Student) => ({
  first_name: s.first_name,
  last_name: s.last_name,
  student_number: s.student_number,
  email: s.email ?? '',
  phone: s.phone ?? '',
  date_of_birth: s.date_of_birth ?? '',
  gender: s.gender ?? '',
  grade_level: s.grade_level ?? '',
  roll_no: s.roll_no ?? '',
  batch_year: s.batch_year === null ? '' : String(s.batch_year),
  address: s.address ?? '',
});

/** Office: edit a student's profile (only what changed is sent), change the status, add a login, remove. */
export function StudentAdmin({ student }: { student: Student }) {
  const qc = useQueryClient();
  const [f, setF] = useState(() => editable(student));
  const [editing, setEditing] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['student', student.id] });
    void qc.invalidateQueries({ queryKey: ['students'] });
  };
  const save = useMutation({
    mutationFn: async () => {
      const before = editable(student);
      const diff = changed(before, f);
      const body = {
        ...(diff.first_name !== undefined ? { first_name: f.first_name.trim() } : {}),
        ...(diff.last_name !== undefined ? { last_name: f.last_name.trim() } : {}),
        ...(diff.student_number !== undefined ? { student_number: f.student_number.trim() } : {}),
        ...(diff.email !== undefined ? { email: orNull(f.email) } : {}),
        ...(diff.phone !== undefined ? { phone: orNull(f.phone) } : {}),
        ...(diff.date_of_birth !== undefined ? { date_of_birth: orNull(f.date_of_birth) } : {}),
        ...(diff.gender !== undefined ? { gender: orNull(f.gender) } : {}),
        ...(diff.grade_level !== undefined ? { grade_level: orNull(f.grade_level) } : {}),
        ...(diff.roll_no !== undefined ? { roll_no: orNull(f.roll_no) } : {}),
        ...(diff.address !== undefined ? { address: orNull(f.address) } : {}),
        ...(diff.batch_year !== undefined ? { batch_year: f.batch_year ? Number(f.batch_year) : null } : {}),
      };
      return unwrap(await api.PATCH('/api/v1/students/{id}', { params: { path: { id: student.id } }, body }))
        .data;
    },
    onSuccess: (s) => {
      setF(editable(s));
      setEditing(false);
      qc.setQueryData(['student', student.id], s);
      refresh();
    },
  });
  const setStatus = useMutation({
    mutationFn: async (student_status: (typeof STATUSES)[number]) =>
      unwrap(
        await api.PATCH('/api/v1/students/{id}', {
          params: { path: { id: student.id } },
          body: { student_status },
        }),
      ).data,
    onSuccess: (s) => {
      qc.setQueryData(['student', student.id], s);
      refresh();
    },
  });
  const addLogin = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/students/{id}/account', { params: { path: { id: student.id } }, body: {} }),
      ).data,
    onSuccess: (s) => {
      qc.setQueryData(['student', student.id], s);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async () =>
      noContent(await api.DELETE('/api/v1/students/{id}', { params: { path: { id: student.id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['students'] });
      navigate('/students');
    },
  });
  const set = (k: keyof ReturnType<typeof editable>) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const active = student.student_status === 'active';
  const name = `${student.first_name} ${student.last_name}`;

  return (
    <section className="card" aria-labelledby="student-admin-h">
      <h2 id="student-admin-h">{t.admin.student.manage}</h2>
      <ErrorAlert error={save.error ?? setStatus.error ?? addLogin.error ?? remove.error} />
      {save.isSuccess && <Notice>{t.common.saved}</Notice>}
      {setStatus.isSuccess && (
        <Notice>{t.admin.student.statusNow(word(t.values.student, student.student_status))}</Notice>
      )}
      {addLogin.isSuccess && <Notice>{t.admin.student.loginAdded}</Notice>}
      <div className="actions">
        {!editing && (
          <Button
            variant="secondary"
            onClick={() => {
              setF(editable(student));
              setEditing(true);
            }}
          >
            {t.admin.student.edit}
          </Button>
        )}
        {active ? (
          <ConfirmButton
            label={t.admin.student.deactivate}
            question={t.admin.student.deactivateQ(name)}
            busy={setStatus.isPending}
            onConfirm={() => setStatus.mutate('inactive')}
          />
        ) : (
          <Button variant="secondary" busy={setStatus.isPending} onClick={() => setStatus.mutate('active')}>
            {t.admin.student.reactivate}
          </Button>
        )}
        {student.user_id === null && student.email && (
          <Button variant="secondary" busy={addLogin.isPending} onClick={() => addLogin.mutate()}>
            {t.admin.student.addLogin}
          </Button>
        )}
        <ConfirmButton
          label={t.admin.student.remove}
          question={t.admin.student.removeQ(name)}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </div>
      <p className="muted">{student.user_id ? t.admin.student.hasLogin : t.admin.student.noLogin}</p>
      {editing && (
        <form
          className="form-grid"
          aria-label={t.admin.student.edit}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field label={t.admin.student.firstName}>
            {(id) => <input id={id} required value={f.first_name} onChange={set('first_name')} />}
          </Field>
          <Field label={t.admin.student.lastName}>
            {(id) => <input id={id} required value={f.last_name} onChange={set('last_name')} />}
          </Field>
          <Field label={t.classes.number}>
            {(id) => <input id={id} required value={f.student_number} onChange={set('student_number')} />}
          </Field>
          <Field label={t.students.email}>
            {(id) => <input id={id} type="email" value={f.email} onChange={set('email')} />}
          </Field>
          <Field label={t.admin.student.phone}>
            {(id) => <input id={id} type="tel" value={f.phone} onChange={set('phone')} />}
          </Field>
          <Field label={t.admin.student.dob}>
            {(id) => <input id={id} type="date" value={f.date_of_birth} onChange={set('date_of_birth')} />}
          </Field>
          <Field label={t.admin.student.gender}>
            {(id) => <input id={id} value={f.gender} onChange={set('gender')} />}
          </Field>
          <Field label={t.admin.student.gradeLevel}>
            {(id) => <input id={id} value={f.grade_level} onChange={set('grade_level')} />}
          </Field>
          <Field label={t.classes.roll}>
            {(id) => <input id={id} value={f.roll_no} onChange={set('roll_no')} />}
          </Field>
          <Field label={t.students.batch}>
            {(id) => (
              <input
                id={id}
                inputMode="numeric"
                pattern="[0-9]{4}"
                value={f.batch_year}
                onChange={set('batch_year')}
              />
            )}
          </Field>
          <Field label={t.admin.student.address}>
            {(id) => <textarea id={id} rows={2} value={f.address} onChange={set('address')} />}
          </Field>
          <div className="actions">
            <Button type="submit" busy={save.isPending} disabled={save.isPending}>
              {t.common.save}
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setF(editable(student));
                setEditing(false);
              }}
            >
              {t.common.cancel}
            </Button>
          </div>
        </form>
      )}
      <p>
        <label className="inline-label">
          {t.students.status}{' '}
          <select
            value={student.student_status}
            disabled={setStatus.isPending}
            onChange={(e) => setStatus.mutate(e.target.value as (typeof STATUSES)[number])}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {word(t.values.student, s)}
              </option>
            ))}
          </select>
        </label>
      </p>
    </section>
  );
}
