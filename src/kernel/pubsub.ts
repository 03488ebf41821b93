import type { PGlite } from '@electric-sql/pglite';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { Database, Db, DbOrTx } from '../db/client.js';
import { afterCommit } from './tx.js';

/**
 * Messages between API processes: one channel name, one string message, delivered to every process that
 * subscribed (at most once, and only while subscribed: a subscriber that needs what it missed reads it
 * from the database, see `onResync`). Redis pub/sub when REDIS_URL is set; otherwise PostgreSQL
 * LISTEN/NOTIFY (PGlite runs LISTEN/NOTIFY in process). The live notification stream uses it, and so does
 * the broadcast of revoked sessions; a cache of actors can use it for invalidation.
 */
export interface PubSub {
  readonly kind: 'redis' | 'postgres' | 'pglite';
  /** Sends `message` (≤ 7,000 bytes: PostgreSQL's NOTIFY payload limit is 8,000) to `channel`. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel`; resolves once the subscription is active. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  /** Called after the transport reconnected: messages may have been lost meanwhile. */
  onResync(handler: () => void): () => void;
  close(): Promise<void>;
}

/** Channel names: lower-case identifiers, so they are valid LISTEN names and Redis keys alike. */
const CHANNEL = /^[a-z][a-z0-9_]{0,40}$/;
export const MAX_MESSAGE_BYTES = 7000;

function check(channel: string, message?: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`Invalid pub/sub channel "${channel}"`);
  if (message !== undefined && Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    throw new Error(`Pub/sub message on "${channel}" exceeds ${MAX_MESSAGE_BYTES} bytes`);
  }
}

/** Handlers by channel, shared by the transports. */
class Handlers {
  private readonly byChannel = new Map<string, Set<(m: string) => void>>();
  private readonly resync = new Set<() => void>();

  add(channel: string, h: (m: string) => void): boolean {
    const set = this.byChannel.get(channel) ?? new Set();
    const first = set.size === 0;
    set.add(h);
    this.byChannel.set(channel, set);
    return first;
  }
  /** True when the channel has no handler left. */
  remove(channel: string, h: (m: string) => void): boolean {
    const set = this.byChannel.get(channel);
    set?.delete(h);
    return !set || set.size === 0;
  }
  channels(): string[] {
    return [...this.byChannel.entries()].filter(([, s]) => s.size > 0).map(([c]) => c);
  }
  dispatch(channel: string, message: string): void {
    for (const h of this.byChannel.get(channel) ?? []) {
      try {
        h(message);
      } catch {
        // A failing subscriber must not stop the others; subscribers handle their own errors.
      }
    }
  }
  onResync(h: () => void): () => void {
    this.resync.add(h);
    return () => this.resync.delete(h);
  }
  resynced(): void {
    for (const h of this.resync) h();
  }
}

const REDIS_PREFIX = 'registrar:ps:';

/** Redis pub/sub: publishes on the app's client, subscribes on a duplicate opened at the first subscribe. */
export class RedisPubSub implements PubSub {
  readonly kind = 'redis' as const;
  private readonly handlers = new Handlers();
  private sub: Redis | null = null;
  private ready = false;

  constructor(private readonly redis: Redis) {}

  async publish(channel: string, message: string) {
    check(channel, message);
    await this.redis.publish(REDIS_PREFIX + channel, message);
  }

  private subscriber(): Redis {
    if (this.sub) return this.sub;
    const sub = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    sub.on('message', (ch: string, message: string) => {
      if (ch.startsWith(REDIS_PREFIX)) this.handlers.dispatch(ch.slice(REDIS_PREFIX.length), message);
    });
    // ioredis resubscribes by itself after a reconnect; what was published meanwhile is lost.
    sub.on('ready', () => {
      if (this.ready) this.handlers.resynced();
      this.ready = true;
    });
    sub.on('error', () => {});
    this.sub = sub;
    return sub;
  }

  async subscribe(channel: string, handler: (message: string) => void) {
    check(channel);
    if (this.handlers.add(channel, handler)) await this.subscriber().subscribe(REDIS_PREFIX + channel);
    return async () => {
      if (this.handlers.remove(channel, handler) && this.sub) {
        await this.sub.unsubscribe(REDIS_PREFIX + channel).catch(() => {});
      }
    };
  }

  onResync(handler: () => void) {
    return this.handlers.onResync(handler);
  }

  async close() {
    const sub = this.sub;
    this.sub = null;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}

const pgChannel = (channel: string) => `registrar_${channel}`;

/**
 * PostgreSQL LISTEN/NOTIFY: NOTIFY through the pool; LISTEN on one dedicated connection (outside the pool,
 * opened at the first subscribe), reconnected with backoff when it drops.
 */
export class PostgresPubSub implements PubSub {
  readonly kind = 'postgres' as const;
  private readonly handlers = new Handlers();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
  ) {}

  async publish(channel: string, message: string) {
    check(channel, message);
    await this.pool.query('select pg_notify($1, $2)', [pgChannel(channel), message]);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
      client.on('notification', (m) => {
        if (m.channel.startsWith('registrar_') && m.payload !== undefined) {
          this.handlers.dispatch(m.channel.slice('registrar_'.length), m.payload);
        }
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        for (const ch of this.handlers.channels()) await client.query(`listen "${pgChannel(ch)}"`);
      } catch (err) {
        await client.end().catch(() => {});
        throw err;
      }
      this.client = client;
      this.retryMs = 250;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** The listening connection dropped: reconnect with backoff, then tell subscribers to catch up. */
  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => {});
    const retry = () => {
      if (this.closed) return;
      this.connect().then(
        () => this.handlers.resynced(),
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          setTimeout(retry, this.retryMs).unref();
        },
      );
    };
    setTimeout(retry, this.retryMs).unref();
  }

  async subscribe(channel: string, handler: (message: string) => void) {
    check(channel);
    const first = this.handlers.add(channel, handler);
    const client = await this.connect();
    if (first) await client.query(`listen "${pgChannel(channel)}"`);
    return async () => {
      if (this.handlers.remove(channel, handler) && this.client) {
        await this.client.query(`unlisten "${pgChannel(channel)}"`).catch(() => {});
      }
    };
  }

  onResync(handler: () => void) {
    return this.handlers.onResync(handler);
  }

  async close() {
    this.closed = true;
    const client = this.client ?? (this.connecting ? await this.connecting.catch(() => null) : null);
    this.client = null;
    if (client) await client.end().catch(() => {});
  }
}

/** PGlite: LISTEN/NOTIFY inside the one embedded instance (a DATA_DIR has one process by design). */
export class PglitePubSub implements PubSub {
  readonly kind = 'pglite' as const;
  private readonly handlers = new Handlers();
  private readonly unlisten = new Map<string, () => Promise<void>>();

  constructor(private readonly pglite: PGlite) {}

  async publish(channel: string, message: string) {
    check(channel, message);
    if (this.pglite.closed) return;
    await this.pglite.query('select pg_notify($1, $2)', [pgChannel(channel), message]);
  }

  async subscribe(channel: string, handler: (message: string) => void) {
    check(channel);
    if (this.handlers.add(channel, handler)) {
      const off = await this.pglite.listen(pgChannel(channel), (payload) =>
        this.handlers.dispatch(channel, payload),
      );
      this.unlisten.set(channel, () => off());
    }
    return async () => {
      if (this.handlers.remove(channel, handler)) {
        const off = this.unlisten.get(channel);
        this.unlisten.delete(channel);
        if (off && !this.pglite.closed) await off().catch(() => {});
      }
    };
  }

  onResync(handler: () => void) {
    return this.handlers.onResync(handler);
  }

  async close() {
    const offs = [...this.unlisten.values()];
    this.unlisten.clear();
    if (!this.pglite.closed) for (const off of offs) await off().catch(() => {});
  }
}

/** The transport for an app: Redis when configured, else the database's own LISTEN/NOTIFY. */
export function openPubSub(database: Database, redis: Redis | null, databaseUrl: string | null): PubSub {
  if (redis) return new RedisPubSub(redis);
  if (database.pool && databaseUrl) return new PostgresPubSub(database.pool, databaseUrl);
  if (database.pglite) return new PglitePubSub(database.pglite);
  throw new Error('No pub/sub transport for this database');
}

const byDatabase = new WeakMap<object, PubSub>();

/** Makes `pubsub` the one `publishAfterCommit` uses for this database handle (buildApp, once). */
export function attachPubSub(db: Db, pubsub: PubSub): void {
  byDatabase.set(db, pubsub);
}

/**
 * Publishes once the caller's transaction has committed (at once outside a transaction, never after a
 * rollback), so a subscriber that reads the database on a message sees what the message announces.
 * `onError` gets a failed publish (the change itself is already committed).
 */
export function publishAfterCommit(
  db: DbOrTx,
  channel: string,
  message: string,
  onError: (err: unknown) => void = () => {},
): void {
  afterCommit(db, (root) => {
    const pubsub = byDatabase.get(root);
    pubsub?.publish(channel, message).catch(onError);
  });
}
