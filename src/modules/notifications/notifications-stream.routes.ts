import { Type } from 'typebox';
import { AppError, unavailable } from '../../kernel/errors.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { errorResponses } from '../../kernel/schemas.js';
import { NotificationStreams } from './notifications-stream.service.js';

const EVENT_STREAM = 'text/event-stream';
/**
 * A client that does not read its stream is dropped once this much waits unsent; it reconnects with
 * Last-Event-ID and is replayed what it missed, so memory per stream stays bounded.
 */
const MAX_UNSENT_BYTES = 1024 * 1024;

/** Whether an Accept header admits text/event-stream (absent, `*\/*`, `text/*` and q>0 entries do). */
export function acceptsEventStream(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return type === EVENT_STREAM || type === 'text/*' || type === '*/*';
  });
}

const StreamHeaders = Type.Object(
  {
    'last-event-id': Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}$',
        description: 'The `id` of the last event received: the stream first replays what came after it',
        examples: ['1042'],
      }),
    ),
  },
  { additionalProperties: true },
);

export const notificationsStreamRoutes: RoutePlugin = async (app) => {
  const streams = new NotificationStreams(app.deps, app.log);
  // Before the server stops accepting: every stream ends, so closing does not wait for them.
  app.addHook('preClose', async () => streams.close());

  app.get(
    '/notifications/stream',
    {
      config: { permission: 'notifications:stream' },
      schema: {
        tags: ['notifications'],
        summary: 'Your new notifications, live (server-sent events)',
        description:
          'A `text/event-stream`: each new notification you receive is an `event: notification` whose ' +
          '`data` is the notification (as in GET /notifications) and whose `id` increases. Reconnect with ' +
          '`Last-Event-ID` to get what you missed first. Comment lines (`: heartbeat`) keep the connection ' +
          'alive. The server ends the stream with an `event: close` (data `{"reason": …}`: session_revoked ' +
          'on logout, token_expired, session_ended, server_shutdown); reconnect with a fresh token. ' +
          '`event: reload` means more was missed than is replayed: reload GET /notifications. Wrong ' +
          '`Accept` → 406; too many open streams for your user → 429. See docs/notifications.md.',
        headers: StreamHeaders,
        response: {
          200: {
            description: 'The event stream (never ends by itself)',
            content: { [EVENT_STREAM]: { schema: { type: 'string' } } },
          },
          ...errorResponses(400, 401, 403, 406, 429, 503),
        },
      },
    },
    async (request, reply) => {
      if (!acceptsEventStream(request.headers.accept)) {
        throw new AppError(406, 'not_acceptable', `This endpoint only produces ${EVENT_STREAM}`, [
          { field: 'accept', message: `must accept ${EVENT_STREAM}` },
        ]);
      }
      const actor = request.actor!;
      const lastId = request.headers['last-event-id'];
      // Checked before the stream starts, so they still answer the error envelope (429, 503).
      streams.assertCapacity(actor.userId);
      await streams.prepare().catch((err: unknown) => {
        request.log.error({ err }, 'notification stream: pub/sub unavailable');
        throw unavailable('Live notifications are unavailable right now; retry shortly');
      });
      streams.assertCapacity(actor.userId);
      reply.hijack();
      const raw = reply.raw;
      // Headers hooks set so far (CORS, security, rate limit) go out with the stream.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) raw.setHeader(name, value);
      }
      raw.writeHead(200, {
        'content-type': `${EVENT_STREAM}; charset=utf-8`,
        'cache-control': 'no-cache, no-store, no-transform',
        connection: 'keep-alive',
        // Proxies (nginx) must not buffer the stream.
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      raw.flushHeaders();
      const opened = streams.open(actor, lastId === undefined ? null : Number(lastId), {
        write: (chunk) => {
          if (raw.destroyed || raw.writableEnded) return;
          raw.write(chunk);
          if (raw.writableLength > MAX_UNSENT_BYTES) raw.destroy();
        },
        end: () => {
          if (!raw.destroyed && !raw.writableEnded) raw.end();
        },
      });
      // The client went away (or the stream ended): forget it.
      raw.on('close', () => opened.gone());
      await opened.replayed.catch((err: unknown) => {
        request.log.warn({ err }, 'notification stream: replay failed');
        opened.close('server_error');
      });
    },
  );
};
