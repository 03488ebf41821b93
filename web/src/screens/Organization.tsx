import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Role, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page } from '../ui';
import { type OrgOption, useOrgs } from '../ui-admin';
import { AllowedEmails } from './admin/AllowedEmails';
import { OrgTree } from './admin/OrgTree';
import { Pager } from './Classes';

type Org = OrgOption;

const ROLES: Role[] = ['admin', 'staff', 'principal', 'faculty', 'student', 'parent', 'auditor'];

/** Admin: the organization tree, users with their roles (grant and revoke), and the sign-in allow-list. */
export function Organization() {
  const orgs = useOrgs();
  return (
    <Page title={t.org.title}>
      <OrgTree />
      <CreateUser orgs={orgs.data ?? []} />
      <Users orgs={orgs.data ?? []} />
      <AllowedEmails orgs={orgs.data ?? []} />
    </Page>
  );
}

function Users({ orgs }: { orgs: Org[] }) {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [page, setPage] = useState(1);
  const query = {
    page,
    page_size: 25,
    ...(search ? { search } : {}),
    ...(role ? { role } : {}),
    ...(active ? { is_active: active === 'true' } : {}),
  };
  const users = useQuery({
    queryKey: ['users', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query } })),
    placeholderData: (prev) => prev,
  });
  const [grant, setGrant] = useState<{ userId: string; role: Role; org: string } | null>(null);
  const change = useMutation({
    mutationFn: async (v: { userId: string; role: Role; org: string; revoke?: boolean }) => {
      const opts = { params: { path: { id: v.userId } }, body: { role: v.role, organization_id: v.org } };
      return unwrap(
        v.revoke
          ? await api.DELETE('/api/v1/users/{id}/roles', opts)
          : await api.POST('/api/v1/users/{id}/roles', opts),
      ).data;
    },
    onSuccess: () => {
      setGrant(null);
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const orgName = (id: string) => orgs.find((o) => o.id === id)?.name ?? id.slice(0, 8);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setSearch(q.trim());
  };
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">{t.org.users}</h2>
      <form className="inline-form card" onSubmit={submit}>
        <InputField label={t.org.searchUsers} type="search" value={q} onValue={(v) => setQ(v)} />
        <Field label={t.org.role}>
          {(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">{t.students.any}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t.org.roles[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.admin.users.status}>
          {(id) => (
            <select
              id={id}
              value={active}
              onChange={(e) => {
                setPage(1);
                setActive(e.target.value as '' | 'true' | 'false');
              }}
            >
              <option value="">{t.admin.users.anyStatus}</option>
              <option value="true">{t.admin.users.active}</option>
              <option value="false">{t.admin.users.inactive}</option>
            </select>
          )}
        </Field>
        <Button type="submit">{t.common.search}</Button>
      </form>
      <ErrorAlert error={users.error ?? change.error} />
      {change.isSuccess && <Notice>{t.org.changed}</Notice>}
      {users.isPending ? (
        <Loading />
      ) : !users.data?.data.length ? (
        <Empty />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.org.user}</th>
                <th scope="col">{t.org.roleList}</th>
                <th scope="col">{t.org.grant}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.data.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/users/${u.id}`}>{u.full_name}</Link>{' '}
                    <span className="muted">{u.username}</span>
                    {!u.is_active && <span className="muted"> · {t.admin.users.inactive}</span>}
                  </td>
                  <td>
                    <ul className="chips">
                      {u.roles.map((r) => (
                        <li key={`${r.role}:${r.organization_id}`}>
                          {t.org.roles[r.role]} · {orgName(r.organization_id)}{' '}
                          <Button
                            variant="ghost"
                            aria-label={t.org.revoke(t.org.roles[r.role], u.full_name)}
                            onClick={() =>
                              change.mutate({
                                userId: u.id,
                                role: r.role,
                                org: r.organization_id,
                                revoke: true,
                              })
                            }
                          >
                            ×
                          </Button>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {grant?.userId === u.id ? (
                      <form
                        className="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          change.mutate(grant);
                        }}
                      >
                        <Field label={t.org.role}>
                          {(id) => (
                            <select
                              id={id}
                              value={grant.role}
                              onChange={(e) => setGrant({ ...grant, role: e.target.value as Role })}
                            >
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
                            <select
                              id={id}
                              value={grant.org}
                              onChange={(e) => setGrant({ ...grant, org: e.target.value })}
                            >
                              {orgs.map((o) => (
                                <option key={o.id} value={o.id}>
                                  {o.name}
                                </option>
                              ))}
                            </select>
                          )}
                        </Field>
                        <Button type="submit" busy={change.isPending}>
                          {t.org.grant}
                        </Button>
                      </form>
                    ) : (
                      <Button
                        variant="secondary"
                        onClick={() => setGrant({ userId: u.id, role: 'staff', org: orgs[0]?.id ?? '' })}
                      >
                        {t.org.grant}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={users.data.meta.page_count} onPage={setPage} />
        </div>
      )}
    </section>
  );
}

/** Admin: a new login user with one role (without a password the API emails a code to set one). */
function CreateUser({ orgs }: { orgs: Org[] }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({
    username: '',
    email: '',
    full_name: '',
    role: 'staff' as Role,
    org: '',
  });
  const org = form.org || orgs[0]?.id || '';
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/users', {
          body: {
            username: form.username.trim(),
            email: form.email.trim(),
            full_name: form.full_name.trim(),
            organization_id: org,
            roles: [{ role: form.role, organization_id: org }],
          },
        }),
      ).data,
    onSuccess: () => {
      setForm({ ...form, username: '', email: '', full_name: '' });
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <form
      className="card form-grid"
      aria-labelledby="new-user-h"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2 id="new-user-h">{t.org.newUser}</h2>
      <ErrorAlert error={create.error} />
      {create.data && <Notice>{t.org.created(create.data.username)}</Notice>}
      <Field label={t.org.fullName}>
        {(id) => <input id={id} required value={form.full_name} onChange={set('full_name')} />}
      </Field>
      <Field label={t.org.username}>
        {(id) => (
          <input id={id} required autoComplete="off" value={form.username} onChange={set('username')} />
        )}
      </Field>
      <Field label={t.org.email}>
        {(id) => <input id={id} type="email" required value={form.email} onChange={set('email')} />}
      </Field>
      <Field label={t.org.role}>
        {(id) => (
          <select id={id} value={form.role} onChange={set('role')}>
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
          <select id={id} value={org} onChange={set('org')}>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Button type="submit" busy={create.isPending} disabled={create.isPending}>
        {t.org.newUser}
      </Button>
    </form>
  );
}
