import type { Db, DbOrTx } from '../../db/client.js';
import type { PubSub } from '../pubsub.js';
import { afterCommit } from '../tx.js';
import type { Actor } from './actor.js';
import { SESSION_REVOKED_CHANNEL } from './revocation.js';

/** The pub/sub channel on which every process is told to forget cached actors (see `invalidateActors`). */
export const ACTOR_INVALIDATED_CHANNEL = 'actor_invalidated';

/** What to forget: one session, every session of a user, or everything (an organization tree changed). */
export type ActorTarget = { sessionId: string } | { userId: string } | 'all';

/** A verified actor as the cache keeps it: everything but the fields of the one access token. */
export type CachedActor = Omit<Actor, 'tokenId' | 'tokenExpiresAt'>;

interface Entry {
  actor: CachedActor;
  /** Epoch ms after which the entry is a miss: the TTL, or the session's own expiry if sooner. */
  expiresAt: number;
}

function encode(t: ActorTarget): string {
  if (t === 'all') return '*';
  return 'sessionId' in t ? `s:${t.sessionId}` : `u:${t.userId}`;
}

/**
 * The verified actors of recent sessions, keyed by session id: a bounded LRU with a short lifetime, so an
 * authenticated request costs no query for its actor. Correctness does not rest on the lifetime: every
 * change of what an actor may do (logout, revocation, refresh-token reuse, password reset, deactivation,
 * role grant or removal, an organization added or removed) evicts at once in this process and, through
 * kernel/pubsub.ts, in every other one (`invalidateActors`, and the revocation broadcast). A load that
 * raced an invalidation is not stored (the epoch below), and a pub/sub reconnect (messages may have been
 * lost) clears everything. `ttlMs` 0 disables the cache.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a load that began before one must not fill the cache. */
  private epoch = 0;
  private readonly offs: Array<() => unknown> = [];

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached actor of the session, or null (absent, expired, or of another user). */
  get(sessionId: string, userId: string): CachedActor | null {
    const e = this.entries.get(sessionId);
    if (!e) return null;
    if (e.expiresAt <= this.now() || e.actor.userId !== userId) {
      this.entries.delete(sessionId);
      return null;
    }
    // Most recently used last: Map keeps insertion order, so the first key is the eviction candidate.
    this.entries.delete(sessionId);
    this.entries.set(sessionId, e);
    return e.actor;
  }

  /**
   * Loads through the cache: `load` runs on a miss, and its result is kept unless an invalidation arrived
   * while it ran. `sessionExpiresAt` (epoch ms) caps the entry's lifetime.
   */
  async load(
    sessionId: string,
    userId: string,
    load: () => Promise<{ actor: CachedActor; sessionExpiresAt: number } | null>,
  ): Promise<CachedActor | null> {
    if (!this.enabled) return (await load())?.actor ?? null;
    const hit = this.get(sessionId, userId);
    if (hit) return hit;
    const epoch = this.epoch;
    const loaded = await load();
    if (!loaded) return null;
    if (epoch === this.epoch) {
      this.entries.set(sessionId, {
        actor: loaded.actor,
        expiresAt: Math.min(this.now() + this.ttlMs, loaded.sessionExpiresAt),
      });
      if (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return loaded.actor;
  }

  /** Forgets in this process only (`invalidateActors` also tells the others). */
  evict(target: ActorTarget): void {
    this.epoch++;
    if (target === 'all') {
      this.entries.clear();
    } else if ('sessionId' in target) {
      this.entries.delete(target.sessionId);
    } else {
      for (const [sid, e] of this.entries) if (e.actor.userId === target.userId) this.entries.delete(sid);
    }
  }

  /** A message of `ACTOR_INVALIDATED_CHANNEL`; anything unreadable clears everything (safe side). */
  evictMessage(message: string): void {
    if (message.startsWith('s:')) this.evict({ sessionId: message.slice(2) });
    else if (message.startsWith('u:')) this.evict({ userId: message.slice(2) });
    else this.evict('all');
  }

  /** Listens for the other processes' invalidations and revocations; resolves once subscribed. */
  async listen(pubsub: PubSub): Promise<void> {
    if (!this.enabled) return;
    this.offs.push(await pubsub.subscribe(ACTOR_INVALIDATED_CHANNEL, (m) => this.evictMessage(m)));
    this.offs.push(await pubsub.subscribe(SESSION_REVOKED_CHANNEL, (sid) => this.evict({ sessionId: sid })));
    // Messages may have been lost while the transport was down: start from the database again.
    this.offs.push(pubsub.onResync(() => this.evict('all')));
  }

  async close(): Promise<void> {
    const offs = this.offs.splice(0);
    for (const off of offs) await Promise.resolve(off()).catch(() => {});
    this.entries.clear();
  }
}

const byDatabase = new WeakMap<object, { cache: ActorCache; pubsub: PubSub }>();

/** Makes `cache` the one `invalidateActors` evicts for this database handle (buildApp, once). */
export function attachActorCache(db: Db, cache: ActorCache, pubsub: PubSub): void {
  byDatabase.set(db, { cache, pubsub });
}

/**
 * Forgets the cached actors of `target` once the caller's transaction has committed (at once outside one,
 * never after a rollback): in this process synchronously, so its next request reads the database, and in
 * every other process through pub/sub. Call it from every change of what an actor may do.
 */
export function invalidateActors(db: DbOrTx, target: ActorTarget): void {
  afterCommit(db, (root) => {
    const attached = byDatabase.get(root);
    if (!attached) return;
    attached.cache.evict(target);
    // A lost message is bounded by the cache's lifetime (and a reconnect clears every cache).
    attached.pubsub.publish(ACTOR_INVALIDATED_CHANNEL, encode(target)).catch(() => {});
  });
}
