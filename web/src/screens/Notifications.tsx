import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, refreshSession, session, unwrap } from '../api/client';
import { t } from '../i18n/en';

interface Live {
  id: string;
  title: string;
}

/**
 * Reads GET /notifications/stream (server-sent events) with fetch, since EventSource cannot send the
 * Authorization header. Reconnects with Last-Event-ID after a drop, refreshing the session first when
 * the server ended the stream because the access token expired.
 */
async function follow(onNotification: (n: Live) => void, signal: AbortSignal) {
  let lastId: string | null = null;
  while (!signal.aborted) {
    let reason = 'dropped';
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (session.access) headers.authorization = `Bearer ${session.access}`;
      if (lastId) headers['last-event-id'] = lastId;
      const res = await fetch('/api/v1/notifications/stream', { headers, signal });
      if (res.status === 401 && (await refreshSession())) continue;
      if (!res.ok || !res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let cut = buf.indexOf('\n\n');
        while (cut >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          cut = buf.indexOf('\n\n');
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) lastId = line.slice(3).trim();
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (event === 'notification' && data) onNotification(JSON.parse(data) as Live);
          if (event === 'close')
            reason = (JSON.parse(data || '{}') as { reason?: string }).reason ?? 'closed';
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    if (reason === 'session_revoked') return;
    if (reason === 'token_expired' && !(await refreshSession())) return;
    await new Promise((r) => setTimeout(r, 3000));
  }
}

/** The unread count in the top bar, raised live as notifications arrive (announced to screen readers). */
export function NotificationsBell() {
  const qc = useQueryClient();
  const unread = useQuery({
    queryKey: ['notifications-unread'],
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread')).data.unread,
  });
  const [latest, setLatest] = useState<string | null>(null);
  // The toast goes after a few seconds (the count stays; the list is on the notifications page).
  useEffect(() => {
    if (!latest) return;
    const timer = setTimeout(() => setLatest(null), 8000);
    return () => clearTimeout(timer);
  }, [latest]);
  useEffect(() => {
    const ctl = new AbortController();
    void follow((n) => {
      setLatest(n.title);
      // The count rises at once, then both it and the list are re-read: a count fetched just after the
      // notification was stored already includes it (the +1 alone would count it twice), and the
      // notifications page shows the new one without a reload.
      qc.setQueryData<number>(['notifications-unread'], (c) => (c ?? 0) + 1);
      void qc.invalidateQueries({ queryKey: ['notifications-unread'] });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    }, ctl.signal);
    return () => ctl.abort();
  }, [qc]);
  return (
    <span className="bell">
      <span className="badge" aria-hidden="true">
        {unread.data ?? 0}
      </span>
      <span className="sr-only">{t.notifications.unread(unread.data ?? 0)}</span>
      <span className="sr-only" aria-live="polite">
        {latest ? `${t.notifications.live}: ${latest}` : ''}
      </span>
      {latest && <span className="toast">{latest}</span>}
    </span>
  );
}
