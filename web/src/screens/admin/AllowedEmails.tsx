import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Role, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, RowsTable } from '../../ui';
import { ConfirmButton, noContent, type OrgOption } from '../../ui-admin';
import { Pager } from '../Classes';

type Allowed = components['schemas']['AllowedEmail'];
const ROLES: Role[] = ['admin', 'staff', 'principal', 'faculty', 'student', 'parent', 'auditor'];

/** Admin: the Google sign-in allow-list (search, add with a role in an organization, remove). */
export function AllowedEmails({ orgs }: { orgs: OrgOption[] }) {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const query = { page, page_size: 25, ...(search ? { search } : {}) };
  const list = useQuery({
    queryKey: ['allowed-emails', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/allowed-emails', { params: { query } })),
    placeholderData: (prev) => prev,
  });
  const [f, setF] = useState({ email: '', role: 'faculty' as Role, org: '' });
  const org = f.org || orgs[0]?.id || '';
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/allowed-emails', {
          body: { email: f.email.trim(), role: f.role, organization_id: org },
        }),
      ).data,
    onSuccess: () => {
      setF({ ...f, email: '' });
      void qc.invalidateQueries({ queryKey: ['allowed-emails'] });
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) =>
      noContent(await api.DELETE('/api/v1/allowed-emails/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['allowed-emails'] }),
  });
  const orgName = (id: string) => orgs.find((o) => o.id === id)?.name ?? id.slice(0, 8);
  return (
    <section className="card" aria-labelledby="allowed-h">
      <h2 id="allowed-h">{t.admin.allowed.title}</h2>
      <p className="muted">{t.admin.allowed.hint}</p>
      <form
        className="inline-form"
        aria-label={t.admin.allowed.add}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <InputField
          label={t.admin.allowed.email}
          type="email"
          required
          value={f.email}
          onValue={(v) => setF({ ...f, email: v })}
        />
        <Field label={t.admin.allowed.role}>
          {(id) => (
            <select id={id} value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t.org.roles[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.org.in}>
          {(id) => (
            <select id={id} value={org} onChange={(e) => setF({ ...f, org: e.target.value })}>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit" busy={add.isPending} disabled={add.isPending}>
          {t.admin.allowed.add}
        </Button>
      </form>
      <ErrorAlert error={add.error ?? remove.error ?? list.error} />
      {add.data && <Notice>{t.admin.allowed.added(add.data.email)}</Notice>}
      {remove.isSuccess && <Notice>{t.admin.allowed.removed}</Notice>}
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setPage(1);
          setSearch(q.trim());
        }}
      >
        <InputField label={t.admin.allowed.search} type="search" value={q} onValue={(v) => setQ(v)} />
        <Button type="submit" variant="secondary" aria-label={t.admin.allowed.search}>
          {t.common.search}
        </Button>
      </form>
      <RowsTable
        rows={list.data?.data}
        pending={list.isPending}
        columns={[t.admin.allowed.email, t.admin.allowed.role, t.org.in, '']}
        row={(a: Allowed) => (
          <tr key={a.id}>
            <td>{a.email}</td>
            <td>{t.org.roles[a.role]}</td>
            <td>{orgName(a.organization_id)}</td>
            <td>
              <ConfirmButton
                label={t.admin.allowed.remove(a.email)}
                text={t.admin.removeShort}
                question={t.admin.allowed.removeQ}
                busy={remove.isPending}
                onConfirm={() => remove.mutate(a.id)}
              />
            </td>
          </tr>
        )}
      />
      {list.data && <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />}
    </section>
  );
}
