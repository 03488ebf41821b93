import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, InputField, Loading, Notice, Page } from '../../ui';

const A = t.roles.account;

/** Everyone: their own account (GET /auth/me) and changing their password. */
export function Account() {
  const me = useQuery({
    queryKey: ['auth-me'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/me')).data,
  });
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/auth/change-password', {
          body: { current_password: current, new_password: next },
        }),
      ),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next === repeat) change.mutate();
  };
  return (
    <Page title={A.title}>
      <section className="card" aria-labelledby="profile-h">
        <h2 id="profile-h">{A.profile}</h2>
        <ErrorAlert error={me.error} />
        {me.isPending && !me.error ? (
          <Loading />
        ) : (
          me.data && (
            <dl className="stats">
              <div>
                <dt>{t.students.name}</dt>
                <dd>{me.data.full_name}</dd>
              </div>
              <div>
                <dt>{A.username}</dt>
                <dd data-testid="account-username">{me.data.username}</dd>
              </div>
              <div>
                <dt>{A.email}</dt>
                <dd>{me.data.email ?? '—'}</dd>
              </div>
              <div>
                <dt>{A.roles}</dt>
                <dd>{[...new Set(me.data.roles.map((r) => r.role))].join(', ')}</dd>
              </div>
              <div>
                <dt>{A.lastLogin}</dt>
                <dd>{me.data.last_login_at ? new Date(me.data.last_login_at).toLocaleString() : '—'}</dd>
              </div>
            </dl>
          )
        )}
      </section>
      <form className="card form-grid" onSubmit={submit} aria-labelledby="pw-h">
        <h2 id="pw-h">{A.change}</h2>
        <InputField
          label={A.current}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={(v) => setCurrent(v)}
        />
        <InputField
          label={A.next}
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onValue={(v) => setNext(v)}
        />
        <InputField
          label={A.repeat}
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onValue={(v) => setRepeat(v)}
        />
        {mismatch && (
          <div className="alert alert-error" role="alert">
            {A.mismatch}
          </div>
        )}
        <ErrorAlert error={change.error} />
        {change.isSuccess && <Notice>{A.changed}</Notice>}
        <Button type="submit" busy={change.isPending} disabled={change.isPending}>
          {A.change}
        </Button>
      </form>
    </Page>
  );
}
