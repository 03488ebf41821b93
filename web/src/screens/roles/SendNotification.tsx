import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice } from '../../ui';

const S = t.roles.send;
type Audience = 'class' | 'all' | 'students' | 'faculty' | 'staff' | 'user';
const SCHOOL: Audience[] = ['class', 'all', 'students', 'faculty', 'staff', 'user'];

/**
 * A notification, received live: admin and staff (notifications:send) to everyone in their school, one
 * role there, one person or a class; teachers and principals to a class (classes:notify, the class's
 * students and their guardians).
 */
export function SendNotification() {
  const { has } = useAuth();
  const qc = useQueryClient();
  const office = has('admin', 'staff');
  const audiences: Audience[] = office ? SCHOOL : ['class'];
  const [audience, setAudience] = useState<Audience>('class');
  const [classId, setClassId] = useState('');
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
  const classes = useQuery({
    queryKey: ['classes', 'mine'],
    enabled: audience === 'class',
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/classes', { params: { query: { page_size: 100 } } })).data,
  });
  const send = useMutation({
    mutationFn: async () =>
      audience === 'class'
        ? unwrap(
            await api.POST('/api/v1/classes/{id}/notifications', {
              params: { path: { id: classId } },
              body: { title: title.trim(), body: body.trim() },
            }),
          ).data
        : unwrap(
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
  if (!has('admin', 'staff', 'principal', 'faculty')) return null;
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
            {audiences.map((a) => (
              <option key={a} value={a}>
                {S.audiences[a]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {audience === 'class' && (
        <Field label={S.pickClass}>
          {(id) => (
            <select id={id} value={classId} onChange={(e) => setClassId(e.target.value)}>
              <option value="">—</option>
              {(classes.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.section ? ` (${c.section})` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {audience === 'user' && (
        <>
          <InputField label={S.pickUser} type="search" value={q} onValue={(v) => setQ(v)} />
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
      <InputField label={S.subject} required maxLength={200} value={title} onValue={(v) => setTitle(v)} />
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
      <ErrorAlert error={send.error ?? users.error ?? classes.error} />
      {send.data && <Notice>{S.sent(send.data.recipient_count)}</Notice>}
      <Button
        type="submit"
        busy={send.isPending}
        disabled={send.isPending || (audience === 'user' && !userId) || (audience === 'class' && !classId)}
      >
        {S.send}
      </Button>
    </form>
  );
}
