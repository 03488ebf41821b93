import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Button, Empty, ErrorAlert, Loading, Page } from '../ui';
import { SendNotification } from './roles/SendNotification';

/** Everyone: their notifications (new ones also arrive live in the top bar), marking them read. */
export function NotificationsPage() {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['notifications'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/notifications', { params: { query: { page_size: 50 } } })).data,
  });
  type Item = NonNullable<typeof list.data>[number];
  const read = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.PUT('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    // Optimistic: the button goes and the unread count drops at once; the item says "Saving…" until the
    // server has recorded it, and "Read" only then (a failed save puts the button back, with the error).
    onMutate: async (id) => {
      // A list fetch still in flight would overwrite the optimistic item with the old one.
      await qc.cancelQueries({ queryKey: ['notifications'] });
      qc.setQueryData<Item[]>(['notifications'], (old) =>
        old?.map((n) => (n.id === id ? { ...n, is_read: true } : n)),
      );
      qc.setQueryData<number>(['notifications-unread'], (c) => Math.max(0, (c ?? 1) - 1));
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['notifications'] });
      void qc.invalidateQueries({ queryKey: ['notifications-unread'] });
    },
  });
  return (
    <Page title={t.notifications.title}>
      <SendNotification />
      <ErrorAlert error={list.error ?? read.error} />
      {list.isPending ? (
        <Loading />
      ) : !list.data?.length ? (
        <Empty />
      ) : (
        <ul className="roster">
          {list.data.map((n) => (
            <li key={n.id}>
              <strong>{n.title}</strong>{' '}
              <span className="muted">{new Date(n.created_at).toLocaleString()}</span>
              <p>{n.body}</p>
              {read.isPending && read.variables === n.id ? (
                <span className="muted" role="status">
                  {t.common.saving}
                </span>
              ) : n.is_read ? (
                <span className="muted">{t.notifications.read}</span>
              ) : (
                <Button variant="secondary" onClick={() => read.mutate(n.id)}>
                  {t.notifications.markRead}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
