import type { Actor } from '../../kernel/auth/actor.js';
import { SESSION_REVOKED_CHANNEL } from '../../kernel/auth/revocation.js';
import type { AppDeps } from '../../kernel/deps.js';
import { tooManyRequests } from '../../kernel/errors.js';
import { liveSessionIds } from '../auth/index.js';
import * as repo from './notifications.repo.js';
import { toNotification } from './notifications.service.js';
import { type Announcement, NOTIFICATIONS_CHANNEL } from './notifications-live.js';

/** Deliveries read per replay query, and at most in one replay (beyond it the client is told to reload). */
const REPLAY_PAGE = 200;
const REPLAY_MAX = 1000;
/** Sequence numbers remembered per stream to drop a delivery seen twice (replay and live). */
const RECENT_MAX = 1000;

/** Where a stream writes: the HTTP response, seen without Fastify. */
export interface StreamSink {
  write(chunk: string): void;
  end(): void;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

/** Why the server closes a stream; sent as the data of a final `close` event. */
export type CloseReason =
  | 'session_revoked'
  | 'token_expired'
  | 'session_ended'
  | 'server_shutdown'
  | 'server_error';

/** One connected stream. */
class Stream {
  /** Replay still running: live deliveries wait in `pending`. */
  ready = false;
  pending: repo.DeliveryRow[] = [];
  /** Deliveries at or below this were there before the stream asked (Last-Event-ID or the latest at connect). */
  floor = 0;
  /** The highest sequence sent: the `id:` of every event, hence the next `Last-Event-ID`. */
  maxSent = 0;
  readonly recent = new Set<number>();
  closed = false;
  /** Settles once the replay (or the start position) is done and live deliveries flow. */
  replayed: Promise<void> = Promise.resolve();

  constructor(
    readonly actor: Actor,
    private readonly sink: StreamSink,
    private readonly onClosed: (s: Stream) => void,
  ) {}

  send(row: repo.DeliveryRow): void {
    const seq = Number(row.seq);
    if (this.closed || seq <= this.floor || this.recent.has(seq)) return;
    this.recent.add(seq);
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.values().next().value as number);
    this.maxSent = Math.max(this.maxSent, seq);
    // A late commit (a lower sequence after a higher one) keeps the highest id, so a reconnect does not
    // replay what was already sent.
    this.sink.write(
      `id: ${this.maxSent}\nevent: notification\ndata: ${JSON.stringify(toNotification(row))}\n\n`,
    );
  }

  raw(chunk: string): void {
    if (!this.closed) this.sink.write(chunk);
  }

  /** Ends the stream from the server side, telling the client why. */
  close(reason: CloseReason): void {
    if (this.closed) return;
    this.raw(`event: close\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.closed = true;
    this.sink.end();
    this.onClosed(this);
  }

  /** The client went away. */
  gone(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
  }
}

/**
 * The live notification streams of one app: it subscribes (once, at the first stream) to the
 * announcements of new notifications and of revoked sessions, and sends each connected user their
 * deliveries. Streams end on logout/revocation (at once), token expiry and session end (checked
 * periodically), and server shutdown.
 */
export class NotificationStreams {
  private readonly byUser = new Map<string, Set<Stream>>();
  private started: Promise<void> | null = null;
  private readonly stops: Array<() => Promise<void> | void> = [];
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'pubsub' | 'config'>,
    private readonly log: Logger,
  ) {}

  private start(): Promise<void> {
    this.started ??= (async () => {
      const { pubsub, config } = this.deps;
      this.stops.push(await pubsub.subscribe(NOTIFICATIONS_CHANNEL, (m) => this.onAnnouncement(m)));
      this.stops.push(await pubsub.subscribe(SESSION_REVOKED_CHANNEL, (sid) => this.onRevoked(sid)));
      // After a transport reconnect announcements may be lost: every stream reads what it missed.
      this.stops.push(pubsub.onResync(() => this.catchUpAll()));
      const beat = setInterval(() => this.heartbeat(), config.notificationStream.heartbeatSeconds * 1000);
      const check = setInterval(() => void this.recheck(), config.notificationStream.recheckSeconds * 1000);
      beat.unref();
      check.unref();
      this.timers = [beat, check];
    })().catch((err) => {
      this.started = null;
      throw err;
    });
    return this.started;
  }

  /** 429 when the user already has the maximum of open streams in this process. */
  assertCapacity(userId: string): void {
    const max = this.deps.config.notificationStream.maxPerUser;
    if ((this.byUser.get(userId)?.size ?? 0) >= max) {
      throw tooManyRequests(`At most ${max} notification streams per user; close one first`, 5);
    }
  }

  /** Subscribes to the announcements (once per app, at the first stream). */
  prepare(): Promise<void> {
    return this.start();
  }

  /**
   * Opens a stream for the actor (after `assertCapacity` and `prepare`): replays the deliveries after
   * `lastEventId` (if given), then sends new ones as they are announced. The stream is registered at
   * once, so nothing announced during the replay is lost (it waits, then is sent unless replayed).
   */
  open(actor: Actor, lastEventId: number | null, sink: StreamSink): Stream {
    const stream = new Stream(actor, sink, (s) => this.remove(s));
    const set = this.byUser.get(actor.userId) ?? new Set();
    set.add(stream);
    this.byUser.set(actor.userId, set);
    sink.write(`retry: 3000\n: connected\n\n`);
    stream.replayed = (async () => {
      if (lastEventId === null) {
        stream.floor = await repo.lastSeq(this.deps.db, actor.userId);
        stream.maxSent = stream.floor;
      } else {
        stream.floor = lastEventId;
        stream.maxSent = lastEventId;
        await this.replay(stream, lastEventId);
      }
      stream.ready = true;
      for (const row of stream.pending.sort((a, b) => Number(a.seq) - Number(b.seq))) stream.send(row);
      stream.pending = [];
    })();
    return stream;
  }

  private async replay(stream: Stream, after: number): Promise<void> {
    let cursor = after;
    let sent = 0;
    while (!stream.closed && sent < REPLAY_MAX) {
      const rows = await repo.deliveriesAfter(this.deps.db, stream.actor.userId, cursor, REPLAY_PAGE);
      for (const row of rows) stream.send(row);
      sent += rows.length;
      if (rows.length < REPLAY_PAGE) return;
      cursor = Number(rows[rows.length - 1].seq);
    }
    if (stream.closed) return;
    // Too much missed to replay: the client reloads its list (GET /notifications) and continues live.
    const latest = await repo.lastSeq(this.deps.db, stream.actor.userId);
    stream.floor = Math.max(stream.floor, latest);
    stream.maxSent = Math.max(stream.maxSent, latest);
    stream.raw(`id: ${stream.maxSent}\nevent: reload\ndata: {"reason":"too_many_missed"}\n\n`);
  }

  private remove(stream: Stream): void {
    const set = this.byUser.get(stream.actor.userId);
    set?.delete(stream);
    if (set && set.size === 0) this.byUser.delete(stream.actor.userId);
  }

  private deliver(rows: repo.DeliveryRow[]): void {
    for (const row of rows) {
      for (const s of this.byUser.get(row.user_id) ?? []) {
        if (s.ready) s.send(row);
        else s.pending.push(row);
      }
    }
  }

  private onAnnouncement(message: string): void {
    let ids: string[];
    try {
      ids = (JSON.parse(message) as Announcement).ids.filter((id) => typeof id === 'string');
    } catch {
      return;
    }
    const users = [...this.byUser.keys()];
    if (users.length === 0 || ids.length === 0) return;
    repo.deliveriesOf(this.deps.db, ids, users).then(
      (rows) => this.deliver(rows),
      (err: unknown) => this.log.warn({ err }, 'notification stream: reading deliveries failed'),
    );
  }

  private onRevoked(sessionId: string): void {
    for (const set of [...this.byUser.values()]) {
      for (const s of [...set]) if (s.actor.sessionId === sessionId) s.close('session_revoked');
    }
  }

  private all(): Stream[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  /** Comment lines keep proxies from timing the connection out; an expired token ends the stream. */
  private heartbeat(): void {
    const now = Date.now() / 1000;
    for (const s of this.all()) {
      if (s.actor.tokenExpiresAt <= now) s.close('token_expired');
      else s.raw(': heartbeat\n\n');
    }
  }

  /** The safety net behind the revocation broadcast: streams of ended sessions or inactive users close. */
  private async recheck(): Promise<void> {
    const streams = this.all();
    if (streams.length === 0) return;
    const live = await liveSessionIds(this.deps.db, [
      ...new Set(streams.map((s) => s.actor.sessionId)),
    ]).catch(() => null);
    if (!live) return; // the database is unreachable: check again next time
    for (const s of streams) if (!live.has(s.actor.sessionId)) s.close('session_ended');
  }

  /** After a lost connection of the transport: each stream reads its deliveries after its last one. */
  private catchUpAll(): void {
    for (const s of this.all()) {
      if (!s.ready) continue;
      repo.deliveriesAfter(this.deps.db, s.actor.userId, s.maxSent, REPLAY_PAGE).then(
        (rows) => {
          for (const row of rows) s.send(row);
        },
        () => {},
      );
    }
  }

  /** Server shutdown: every stream gets a `close` event and ends; subscriptions and timers stop. */
  async close(): Promise<void> {
    for (const s of this.all()) s.close('server_shutdown');
    if (this.started) await this.started.catch(() => {});
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const stop of this.stops.splice(0)) await stop();
    this.started = null;
  }
}
