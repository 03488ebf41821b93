import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, Notice } from '../../ui';

const S = t.roles.send;
type Audience = 'all' | 'students' | 'faculty' | 'staff' | 'user';
const AUDIENCES: Audience[] = ['all', 'students', 'faculty', 'staff', 'user'];

/**
 * Admin and staff (notifications:send): a notification to everyone in their school, one role there, or
 * one person; recipients get it live. A class audience is not in the API yet (see docs/console.md).
 */
export function SendNotification() {
  const { has } = useAuth();
  const qc = useQueryClient();
  const [audience, setAudience] = useState<Audience>('all');
  const [q, setQ] = useState('');
  const [userId, setUserId] = useState('');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const users = useQuery({
    queryKey: ['user-search', q],
    enabled: audience === 'user' && q.trim().length >= 2,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/users', { params: { query: { search: q.trim(), page_size: 10 } } })).data,
  });
  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/notifications', {
          body: {
            title: title.trim(),
            body: body.trim(),
            ...(audience === 'user'
              ? { target_audience: 'specific' as const, target_ids: [userId] }
              : { target_audience: audience }),
          },
        }),
      ).data,
    onSuccess: () => {
      setTitle('');
      setBody('');
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
  if (!has('admin', 'staff')) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="send-h">
      <h2 id="send-h">{S.title}</h2>
      <Field label={S.audience}>
        {(id) => (
          <select id={id} value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {S.audiences[a]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {audience === 'user' && (
        <>
          <Field label={S.pickUser}>
            {(id) => <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
          </Field>
          <Field label={S.person}>
            {(id) => (
              <select id={id} value={userId} onChange={(e) => setUserId(e.target.value)}>
                <option value="">—</option>
                {(users.data ?? []).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.full_name} ({u.username})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      <Field label={S.subject}>
        {(id) => (
          <input id={id} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        )}
      </Field>
      <Field label={S.body}>
        {(id) => (
          <textarea
            id={id}
            required
            maxLength={5000}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <ErrorAlert error={send.error ?? users.error} />
      {send.data && <Notice>{S.sent(send.data.recipient_count)}</Notice>}
      <Button
        type="submit"
        busy={send.isPending}
        disabled={send.isPending || (audience === 'user' && !userId)}
      >
        {S.send}
      </Button>
    </form>
  );
}
