import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type User, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { Link } from '../../router';
import { Button, Empty, ErrorAlert, Field, InputField, Notice, Page } from '../../ui';
import { ConfirmButton, useOrgs } from '../../ui-admin';

/** Admin: one user: account details, deactivate / reactivate, password reset, personnel register access. */
export function UserDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const user = useQuery({
    queryKey: ['user', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } } })).data,
  });
  const orgs = useOrgs();
  const applied = (u: User) => {
    qc.setQueryData(['user', id], u);
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const toggle = useMutation({
    mutationFn: async (is_active: boolean) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { is_active } })).data,
    onSuccess: applied,
  });
  const u = user.data;
  const orgName = (oid: string | null) =>
    oid ? (orgs.data?.find((o) => o.id === oid)?.name ?? oid.slice(0, 8)) : '';
  return (
    <Page title={u?.full_name ?? t.org.user} actions={<Link to="/organization">{t.admin.users.back}</Link>}>
      <ErrorAlert error={user.error ?? toggle.error} />
      {u && (
        <>
          <dl className="stats">
            <div>
              <dt>{t.org.username}</dt>
              <dd>{u.username}</dd>
            </div>
            <div>
              <dt>{t.admin.users.status}</dt>
              <dd>{u.is_active ? t.admin.users.active : t.admin.users.inactive}</dd>
            </div>
            <div>
              <dt>{t.admin.users.lastLogin}</dt>
              <dd>{u.last_login_at ? new Date(u.last_login_at).toLocaleString() : t.admin.users.never}</dd>
            </div>
          </dl>
          <section className="card" aria-labelledby="acct-h">
            <h2 id="acct-h">{t.admin.users.details}</h2>
            {toggle.isSuccess && (
              <Notice>{u.is_active ? t.admin.users.reactivated : t.admin.users.deactivated}</Notice>
            )}
            <ul className="chips" aria-label={t.org.roleList}>
              {u.roles.map((r) => (
                <li key={`${r.role}:${r.organization_id}`}>
                  {t.org.roles[r.role]} · {orgName(r.organization_id)}
                </li>
              ))}
            </ul>
            <AccountForm user={u} onSaved={applied} />
            <div className="actions">
              {u.is_active ? (
                <ConfirmButton
                  label={t.admin.users.deactivate}
                  question={t.admin.users.deactivateQ}
                  busy={toggle.isPending}
                  onConfirm={() => toggle.mutate(false)}
                />
              ) : (
                <Button variant="secondary" busy={toggle.isPending} onClick={() => toggle.mutate(true)}>
                  {t.admin.users.reactivate}
                </Button>
              )}
            </div>
          </section>
          <div className="two-col">
            <ResetPassword id={id} />
            <RegisterAccess user={u} onSaved={applied} />
          </div>
        </>
      )}
    </Page>
  );
}

function AccountForm({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const [f, setF] = useState({
    full_name: user.full_name,
    email: user.email,
    service_number: user.service_number ?? '',
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: {
            ...(f.full_name.trim() !== user.full_name ? { full_name: f.full_name.trim() } : {}),
            ...(f.email.trim() !== user.email ? { email: f.email.trim() } : {}),
            ...(f.service_number.trim() !== (user.service_number ?? '')
              ? { service_number: f.service_number.trim() || null }
              : {}),
          },
        }),
      ).data,
    onSuccess: (u) => {
      setF({ full_name: u.full_name, email: u.email, service_number: u.service_number ?? '' });
      onSaved(u);
    },
  });
  return (
    <form
      className="form-grid"
      aria-label={t.admin.users.details}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <ErrorAlert error={save.error} />
      {save.isSuccess && <Notice>{t.common.saved}</Notice>}
      <InputField
        label={t.org.fullName}
        required
        value={f.full_name}
        onValue={(v) => setF({ ...f, full_name: v })}
      />
      <InputField
        label={t.org.email}
        type="email"
        required
        value={f.email}
        onValue={(v) => setF({ ...f, email: v })}
      />
      <InputField
        label={t.admin.users.serviceNumber}
        value={f.service_number}
        onValue={(v) => setF({ ...f, service_number: v })}
      />
      <Button type="submit" variant="secondary" busy={save.isPending} disabled={save.isPending}>
        {t.common.save}
      </Button>
    </form>
  );
}

function ResetPassword({ id }: { id: string }) {
  const [pw, setPw] = useState('');
  const reset = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/users/{id}/reset-password', {
          params: { path: { id } },
          body: pw ? { new_password: pw } : {},
        }),
      ).data,
    onSuccess: () => setPw(''),
  });
  return (
    <form
      className="card form-grid"
      aria-labelledby="reset-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        reset.mutate();
      }}
    >
      <h2 id="reset-h">{t.admin.users.reset}</h2>
      <ErrorAlert error={reset.error} />
      {reset.data && (
        <Notice>
          {reset.data.result === 'password_set' ? t.admin.users.passwordSet : t.admin.users.codeSent}
        </Notice>
      )}
      <Field label={t.admin.users.newPassword} hint={t.admin.users.newPasswordHint}>
        {(fid, hint) => (
          <input
            id={fid}
            type="password"
            autoComplete="new-password"
            minLength={8}
            aria-describedby={hint}
            value={pw}
            onChange={(e) => setPw(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit" variant="secondary" busy={reset.isPending} disabled={reset.isPending}>
        {t.admin.users.reset}
      </Button>
    </form>
  );
}

function RegisterAccess({ user, onSaved }: { user: User; onSaved: (u: User) => void }) {
  const registers = useQuery({
    queryKey: ['registers'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/registers', { params: { query: { page_size: 100 } } })).data,
  });
  const [picked, setPicked] = useState<Set<string>>(() => new Set(user.allowed_register_ids));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { allowed_register_ids: [...picked] },
        }),
      ).data,
    onSuccess: onSaved,
  });
  const toggle = (rid: string) => {
    const next = new Set(picked);
    if (next.has(rid)) next.delete(rid);
    else next.add(rid);
    setPicked(next);
  };
  return (
    <form
      className="card"
      aria-labelledby="regs-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="regs-h">{t.admin.users.registers}</h2>
      <p className="muted">{t.admin.users.registersHint}</p>
      <ErrorAlert error={registers.error ?? save.error} />
      {save.isSuccess && <Notice>{t.admin.users.registersSaved}</Notice>}
      {registers.data && registers.data.length === 0 ? (
        <Empty>{t.admin.users.noRegisters}</Empty>
      ) : (
        <fieldset className="picklist">
          <legend className="sr-only">{t.admin.users.registers}</legend>
          {(registers.data ?? []).map((r) => (
            <label key={r.id} className="check">
              <input type="checkbox" checked={picked.has(r.id)} onChange={() => toggle(r.id)} />
              {r.name} <span className="muted">{r.short_code}</span>
            </label>
          ))}
        </fieldset>
      )}
      <Button type="submit" variant="secondary" busy={save.isPending} disabled={save.isPending}>
        {t.admin.users.saveRegisters}
      </Button>
    </form>
  );
}
