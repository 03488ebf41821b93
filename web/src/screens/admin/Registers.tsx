import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, Notice, RowsTable } from '../../ui';
import { ConfirmButton, orNull, useOrgs } from '../../ui-admin';

type Register = components['schemas']['PersonnelRegister'];

/** Admin: personnel registers: create, rename (name, short code, description), delete (confirmed when not empty). */
export function RegistersAdmin({
  registers,
  pending,
  onDeleted,
}: {
  registers: Register[] | undefined;
  pending: boolean;
  /** The screen stops showing a register that is gone. */
  onDeleted: (id: string) => void;
}) {
  const qc = useQueryClient();
  const orgs = useOrgs();
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['registers'] });
    void qc.invalidateQueries({ queryKey: ['personnel'] });
  };
  const [f, setF] = useState({ name: '', short_code: '', description: '', org: '' });
  const org = f.org || orgs.data?.[0]?.id || '';
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/registers', {
          body: {
            name: f.name.trim(),
            short_code: f.short_code.trim(),
            ...(f.description.trim() ? { description: f.description.trim() } : {}),
            ...(org ? { organization_id: org } : {}),
          },
        }),
      ).data,
    onSuccess: (r) => {
      setF({ ...f, name: '', short_code: '', description: '' });
      setNotice(t.admin.registers.created(r.name));
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async (v: { id: string; confirm: boolean }) =>
      unwrap(
        await api.DELETE('/api/v1/registers/{id}', {
          params: { path: { id: v.id }, query: { confirm: v.confirm } },
        }),
      ).data,
    onSuccess: (r) => {
      setNotice(t.admin.registers.deleted(r.personnel_deleted));
      onDeleted(r.id);
      refresh();
    },
    // Someone added personnel since the list was read: the 409 says so; the list shows the new count.
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) refresh();
    },
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  // Folded by default: the page is the register's personnel; managing the registers is occasional.
  if (!open) {
    return (
      <div className="actions">
        <Button variant="secondary" aria-expanded={false} onClick={() => setOpen(true)}>
          {t.admin.registers.manage}
        </Button>
        {notice && <Notice>{notice}</Notice>}
      </div>
    );
  }
  return (
    <section className="card" aria-labelledby="registers-h">
      <h2 id="registers-h">{t.admin.registers.manage}</h2>
      <Button variant="ghost" aria-expanded onClick={() => setOpen(false)}>
        {t.admin.registers.close}
      </Button>
      <ErrorAlert error={create.error ?? remove.error} />
      {notice && <Notice>{notice}</Notice>}
      <RowsTable
        rows={registers}
        pending={pending}
        columns={[t.admin.registers.name, t.admin.registers.code, t.admin.registers.count, '']}
        row={(r: Register) =>
          editing === r.id ? (
            <tr key={r.id}>
              <td colSpan={4}>
                <RegisterForm
                  register={r}
                  onDone={(msg) => {
                    setEditing(null);
                    if (msg) setNotice(msg);
                    refresh();
                  }}
                />
              </td>
            </tr>
          ) : (
            <tr key={r.id}>
              <td>
                {r.name}
                {r.description ? <span className="muted"> · {r.description}</span> : null}
              </td>
              <td>{r.short_code}</td>
              <td>{r.personnel_count}</td>
              <td className="actions">
                <Button
                  variant="secondary"
                  aria-label={t.admin.registers.rename(r.name)}
                  onClick={() => setEditing(r.id)}
                >
                  ✎
                </Button>
                <ConfirmButton
                  label={t.admin.registers.delete(r.name)}
                  text={t.admin.deleteShort}
                  question={
                    r.personnel_count > 0
                      ? t.admin.registers.deleteNotEmptyQ(r.personnel_count)
                      : t.admin.registers.deleteQ
                  }
                  busy={remove.isPending}
                  onConfirm={() => remove.mutate({ id: r.id, confirm: r.personnel_count > 0 })}
                />
              </td>
            </tr>
          )
        }
      />
      <form
        className="inline-form"
        aria-label={t.admin.registers.create}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label={t.admin.registers.name}>
          {(id) => <input id={id} required value={f.name} onChange={set('name')} />}
        </Field>
        <Field label={t.admin.registers.code}>
          {(id) => (
            <input
              id={id}
              required
              pattern="[A-Za-z0-9._\-]+"
              value={f.short_code}
              onChange={set('short_code')}
            />
          )}
        </Field>
        <Field label={t.admin.registers.description}>
          {(id) => <input id={id} value={f.description} onChange={set('description')} />}
        </Field>
        {(orgs.data?.length ?? 0) > 1 && (
          <Field label={t.admin.organization}>
            {(id) => (
              <select id={id} value={org} onChange={set('org')}>
                {(orgs.data ?? []).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Button type="submit" busy={create.isPending} disabled={create.isPending}>
          {t.admin.registers.create}
        </Button>
      </form>
    </section>
  );
}

function RegisterForm({ register, onDone }: { register: Register; onDone: (msg?: string) => void }) {
  const [f, setF] = useState({
    name: register.name,
    short_code: register.short_code,
    description: register.description ?? '',
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/registers/{id}', {
          params: { path: { id: register.id } },
          body: {
            ...(f.name.trim() !== register.name ? { name: f.name.trim() } : {}),
            ...(f.short_code.trim().toUpperCase() !== register.short_code
              ? { short_code: f.short_code.trim() }
              : {}),
            ...(f.description.trim() !== (register.description ?? '')
              ? { description: orNull(f.description) }
              : {}),
          },
        }),
      ).data,
    onSuccess: () => onDone(t.admin.registers.saved),
  });
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  return (
    <form
      className="inline-form"
      aria-label={t.admin.registers.rename(register.name)}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <ErrorAlert error={save.error} />
      <Field label={t.admin.registers.name}>
        {(id) => <input id={id} required value={f.name} onChange={set('name')} />}
      </Field>
      <Field label={t.admin.registers.code}>
        {(id) => <input id={id} required value={f.short_code} onChange={set('short_code')} />}
      </Field>
      <Field label={t.admin.registers.description}>
        {(id) => <input id={id} value={f.description} onChange={set('description')} />}
      </Field>
      <Button type="submit" busy={save.isPending} disabled={save.isPending}>
        {t.common.save}
      </Button>
      <Button variant="ghost" onClick={() => onDone()}>
        {t.common.cancel}
      </Button>
    </form>
  );
}
