import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components, paths } from '../../api/schema';
import { t } from '../../i18n/en';
import { Link, navigate } from '../../router';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { ConfirmButton, noContent, orNull } from '../../ui-admin';

type Person = components['schemas']['Personnel'];
type PersonPatch = NonNullable<
  paths['/api/v1/personnel/{id}']['patch']['requestBody']
>['content']['application/json'];
export const PERSON_STATUSES = ['active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export const fullName = (p: { first_name: string; middle_name: string | null; last_name: string }) =>
  [p.first_name, p.middle_name, p.last_name].filter(Boolean).join(' ');

const statusWord = (s: string | null) => (s ? (t.personnel.statuses[s as PersonStatus] ?? s) : '');

const blank = {
  service_number: '',
  first_name: '',
  middle_name: '',
  last_name: '',
  rank: '',
  unit: '',
  phone: '',
  date_of_birth: '',
  joining_date: '',
  remarks: '',
};
type Fields = typeof blank;
const fieldsOf = (p: Person): Fields => ({
  service_number: p.service_number,
  first_name: p.first_name,
  middle_name: p.middle_name ?? '',
  last_name: p.last_name,
  rank: p.rank ?? '',
  unit: p.unit ?? '',
  phone: p.phone ?? '',
  date_of_birth: p.date_of_birth ?? '',
  joining_date: p.joining_date ?? '',
  remarks: p.remarks ?? '',
});
const REQUIRED = new Set<keyof Fields>(['service_number', 'first_name', 'last_name']);

function PersonFields({ f, setF }: { f: Fields; setF: (f: Fields) => void }) {
  const input = (k: keyof Fields, label: string, type = 'text') => (
    <InputField
      label={label}
      type={type}
      required={REQUIRED.has(k)}
      value={f[k]}
      onValue={(v) => setF({ ...f, [k]: v })}
    />
  );
  return (
    <>
      {input('service_number', t.personnel.serviceNumber)}
      {input('first_name', t.admin.personnel.firstName)}
      {input('middle_name', t.admin.personnel.middleName)}
      {input('last_name', t.admin.personnel.lastName)}
      {input('rank', t.personnel.rank)}
      {input('unit', t.personnel.unit)}
      {input('phone', t.admin.personnel.phone, 'tel')}
      {input('date_of_birth', t.admin.personnel.dob, 'date')}
      {input('joining_date', t.admin.personnel.joiningDate, 'date')}
      {input('remarks', t.admin.personnel.remarks)}
    </>
  );
}

/** Adds a person to a register (the creation is the first entry of the status history). */
export function AddPerson({ registerId }: { registerId: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(blank);
  const [status, setStatus] = useState<PersonStatus>('active');
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/personnel', {
          body: {
            register_id: registerId,
            service_number: f.service_number.trim(),
            first_name: f.first_name.trim(),
            last_name: f.last_name.trim(),
            middle_name: orNull(f.middle_name),
            rank: orNull(f.rank),
            unit: orNull(f.unit),
            phone: orNull(f.phone),
            date_of_birth: orNull(f.date_of_birth),
            joining_date: orNull(f.joining_date),
            remarks: orNull(f.remarks),
            status,
          },
        }),
      ).data,
    onSuccess: () => {
      setF(blank);
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['personnel'] });
      void qc.invalidateQueries({ queryKey: ['registers'] });
    },
  });
  if (!open) {
    return (
      <div className="actions">
        <Button onClick={() => setOpen(true)} disabled={!registerId}>
          {t.admin.personnel.add}
        </Button>
        {add.data && <Notice>{t.admin.personnel.added(fullName(add.data))}</Notice>}
      </div>
    );
  }
  return (
    <form
      className="card form-grid"
      aria-labelledby="add-person-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h2 id="add-person-h">{t.admin.personnel.add}</h2>
      <ErrorAlert error={add.error} />
      <PersonFields f={f} setF={setF} />
      <Field label={t.personnel.filter}>
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as PersonStatus)}>
            {PERSON_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWord(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <Button type="submit" busy={add.isPending} disabled={add.isPending}>
          {t.admin.personnel.add}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

/** One person of a register: edit the record, change the status (with its reason and history), delete (soft). */
export function PersonDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const person = useQuery({
    queryKey: ['person', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/personnel/{id}', { params: { path: { id } } })).data,
  });
  const history = useQuery({
    queryKey: ['person-history', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/personnel/{id}/status-history', { params: { path: { id } } })).data,
  });
  const applied = (p: Person) => {
    qc.setQueryData(['person', id], p);
    void qc.invalidateQueries({ queryKey: ['person-history', id] });
    void qc.invalidateQueries({ queryKey: ['personnel'] });
  };
  const p = person.data;
  const remove = useMutation({
    mutationFn: async () =>
      noContent(await api.DELETE('/api/v1/personnel/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['personnel'] });
      void qc.invalidateQueries({ queryKey: ['registers'] });
      navigate('/personnel');
    },
  });
  return (
    <Page
      title={p ? fullName(p) : t.personnel.title}
      actions={<Link to="/personnel">{t.admin.personnel.back}</Link>}
    >
      <ErrorAlert error={person.error ?? remove.error} />
      {p && (
        <>
          <dl className="stats">
            <div>
              <dt>{t.personnel.serviceNumber}</dt>
              <dd>{p.service_number}</dd>
            </div>
            <div>
              <dt>{t.personnel.filter}</dt>
              <dd>{statusWord(p.status)}</dd>
            </div>
            <div>
              <dt>{t.personnel.rank}</dt>
              <dd>{p.rank ?? '—'}</dd>
            </div>
          </dl>
          <div className="two-col">
            <StatusChange person={p} onSaved={applied} />
            <section className="card" aria-labelledby="hist-h">
              <h2 id="hist-h">{t.admin.personnel.history}</h2>
              <ErrorAlert error={history.error} />
              <RowsTable
                rows={history.data}
                pending={history.isPending}
                columns={[
                  t.admin.personnel.when,
                  t.admin.personnel.from,
                  t.admin.personnel.to,
                  t.admin.personnel.why,
                ]}
                row={(h) => (
                  <tr key={h.id}>
                    <td>{h.status_date ?? new Date(h.changed_at).toLocaleDateString()}</td>
                    <td>{h.from_status ? statusWord(h.from_status) : t.admin.personnel.created}</td>
                    <td>{statusWord(h.to_status)}</td>
                    <td>{h.reason ?? ''}</td>
                  </tr>
                )}
              />
            </section>
          </div>
          <EditPerson person={p} onSaved={applied} />
          <div className="actions">
            <ConfirmButton
              label={t.admin.personnel.delete}
              question={t.admin.personnel.deleteQ}
              busy={remove.isPending}
              onConfirm={() => remove.mutate()}
            />
          </div>
        </>
      )}
    </Page>
  );
}

function StatusChange({ person, onSaved }: { person: Person; onSaved: (p: Person) => void }) {
  const [status, setStatus] = useState<PersonStatus>(person.status);
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const change = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/personnel/{id}', {
          params: { path: { id: person.id } },
          body: {
            status,
            ...(date ? { status_date: date } : {}),
            ...(reason.trim() ? { status_reason: reason.trim() } : {}),
          },
        }),
      ).data,
    onSuccess: (p) => {
      setReason('');
      setDate('');
      onSaved(p);
    },
  });
  return (
    <form
      className="card form-grid"
      aria-labelledby="status-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        change.mutate();
      }}
    >
      <h2 id="status-h">{t.admin.personnel.changeStatus}</h2>
      <ErrorAlert error={change.error} />
      {change.isSuccess && <Notice>{t.admin.personnel.statusChanged}</Notice>}
      <Field label={t.admin.personnel.newStatus}>
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as PersonStatus)}>
            {PERSON_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusWord(s)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <InputField label={t.admin.personnel.statusDate} type="date" value={date} onValue={(v) => setDate(v)} />
      <InputField label={t.admin.personnel.reason} value={reason} onValue={(v) => setReason(v)} />
      <Button type="submit" busy={change.isPending} disabled={change.isPending || status === person.status}>
        {t.admin.personnel.changeStatus}
      </Button>
    </form>
  );
}

function EditPerson({ person, onSaved }: { person: Person; onSaved: (p: Person) => void }) {
  const [f, setF] = useState(() => fieldsOf(person));
  const save = useMutation({
    mutationFn: async () => {
      const before = fieldsOf(person);
      // Only what changed (a PATCH changes only the fields given); every field here is a string or null.
      const changes: Record<string, string | null> = {};
      for (const k of Object.keys(f) as Array<keyof Fields>) {
        if (f[k] !== before[k]) changes[k] = REQUIRED.has(k) ? f[k].trim() : orNull(f[k]);
      }
      const body = changes as PersonPatch;
      return unwrap(await api.PATCH('/api/v1/personnel/{id}', { params: { path: { id: person.id } }, body }))
        .data;
    },
    onSuccess: (p) => {
      setF(fieldsOf(p));
      onSaved(p);
    },
  });
  return (
    <form
      className="card form-grid"
      aria-labelledby="edit-person-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="edit-person-h">{t.admin.personnel.edit}</h2>
      <ErrorAlert error={save.error} />
      {save.isSuccess && <Notice>{t.admin.personnel.saved}</Notice>}
      <PersonFields f={f} setF={setF} />
      <Button type="submit" busy={save.isPending} disabled={save.isPending}>
        {t.common.save}
      </Button>
    </form>
  );
}
