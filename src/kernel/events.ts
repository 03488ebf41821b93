import type { DbOrTx } from '../db/client.js';
import type { RequestContext } from './auth/actor.js';

/**
 * The domain events that modules publish, by name (`<module>.<what happened>`). The publishing module
 * declares its events by declaration merging, next to the code that publishes them, and says in the
 * event's doc comment whether it is published inside the change's transaction (a failing handler rolls
 * the change back) or after commit (handlers must not undo it; the publisher logs their failures):
 *
 * ```ts
 * declare module '../../kernel/events.js' {
 *   interface DomainEvents { 'enrollments.created': EnrollmentEvent }
 * }
 * ```
 *
 * A subscriber is a higher module: it lists its handlers in its module definition (`events`), and the
 * composition root subscribes them once at start-up. Nothing is registered by an import's side effect.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules through declaration merging
export interface DomainEvents {}

export type EventName = keyof DomainEvents;

/** Handles one event: `db` is the publisher's transaction for in-transaction events, else the database. */
export type EventHandler<K extends EventName> = (
  db: DbOrTx,
  ctx: RequestContext | null,
  payload: DomainEvents[K],
) => Promise<void>;

/** A module's subscriptions: event name → handler(s), run in the order the modules are listed. */
export type Subscriptions = { [K in EventName]?: EventHandler<K> | Array<EventHandler<K>> };

type AnyHandler = (db: DbOrTx, ctx: RequestContext | null, payload: never) => Promise<void>;

/** The one event mechanism: synchronous fan-out (awaited in order) to the subscribed handlers. */
export class EventBus {
  private readonly handlers = new Map<string, AnyHandler[]>();

  /**
   * Adds a module's handlers; subscribing the same handler twice (a second app in one process) is a no-op.
   * Returns a function that removes the handlers this call added (tests use it).
   */
  subscribe(subs: Subscriptions): () => void {
    const added: Array<[string, AnyHandler]> = [];
    for (const [name, value] of Object.entries(subs) as Array<[string, AnyHandler | AnyHandler[]]>) {
      const list = this.handlers.get(name) ?? [];
      for (const h of Array.isArray(value) ? value : [value]) {
        if (list.includes(h)) continue;
        list.push(h);
        added.push([name, h]);
      }
      this.handlers.set(name, list);
    }
    return () => {
      for (const [name, h] of added) {
        const list = this.handlers.get(name);
        const i = list?.indexOf(h) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      }
    };
  }

  /** Runs every handler of `name` in order; the first failure propagates to the publisher. */
  async publish<K extends EventName>(
    db: DbOrTx,
    ctx: RequestContext | null,
    name: K,
    payload: DomainEvents[K],
  ): Promise<void> {
    const list = (this.handlers.get(name) ?? []) as Array<EventHandler<K>>;
    for (const h of list) await h(db, ctx, payload);
  }

  /** Whether anything listens (lets a publisher skip building an expensive payload). */
  has(name: EventName): boolean {
    return (this.handlers.get(name)?.length ?? 0) > 0;
  }
}

/** The process's event bus; the composition root (src/modules/index.ts via buildApp) fills it. */
export const domainEvents = new EventBus();

/** Publishes a domain event to its subscribers (see `DomainEvents`). */
export function publish<K extends EventName>(
  db: DbOrTx,
  ctx: RequestContext | null,
  name: K,
  payload: DomainEvents[K],
): Promise<void> {
  return domainEvents.publish(db, ctx, name, payload);
}
