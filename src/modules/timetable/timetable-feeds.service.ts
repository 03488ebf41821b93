import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { can, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { loadUserActor } from '../auth/index.js';
import * as repo from './timetable-feeds.repo.js';
import { type CreateFeedT, MAX_FEEDS_PER_USER } from './timetable-feeds.schemas.js';
import { calendar, type Who, weekly } from './timetable-views.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URL secret (shown once) and the hash that is stored. */
function newSecret() {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOf(token) };
}
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

function whoOf(kind: string, target: string): Who {
  return kind === 'room'
    ? { kind: 'room', number: target }
    : { kind: kind as 'student' | 'faculty', id: target };
}
const permissionOf = (kind: string) => (kind === 'room' ? 'timetable:rooms' : 'timetable:read');
const feedName = (w: Who) => (w.kind === 'room' ? `Room ${w.number}` : `Timetable ${w.kind}`);

function toFeed(r: repo.FeedRow) {
  return {
    id: r.id,
    kind: r.kind as 'student' | 'faculty' | 'room',
    target: r.target,
    created_at: iso(r.createdAt)!,
    rotated_at: iso(r.rotatedAt),
    last_used_at: iso(r.lastUsedAt),
  };
}

/** `base` is the API's public origin and prefix, e.g. `https://registrar.example.edu/api/v1`. */
function withUrl(r: repo.FeedRow, token: string, base: string) {
  const url = `${base}/timetable/feeds/${token}.ics`;
  return { ...toFeed(r), url, webcal_url: url.replace(/^https?:/, 'webcal:') };
}

/** POST /timetable/feeds: a link to one feed the actor may read now (same 404s as the feed itself). */
export async function createFeed(db: Db, ctx: RequestContext, input: CreateFeedT, base: string) {
  if (input.kind !== 'room' && !UUID.test(input.target)) {
    throw badRequest('target must be a student or faculty id', [
      { field: 'target', message: 'must be a uuid' },
    ]);
  }
  if (!can(ctx.actor, permissionOf(input.kind))) throw notFound(input.kind === 'room' ? 'Room' : 'Timetable');
  const who = whoOf(input.kind, input.target);
  await weekly(db, ctx, who);
  const { token, hash } = newSecret();
  return withTx(db, async (tx) => {
    if ((await repo.countOfUser(tx, ctx.actor.userId)) >= MAX_FEEDS_PER_USER) {
      throw businessRule(
        'too_many_feeds',
        `A user may hold at most ${MAX_FEEDS_PER_USER} feed links; revoke one`,
      );
    }
    const row = await repo.insert(tx, {
      userId: ctx.actor.userId,
      kind: input.kind,
      target: input.target,
      tokenHash: hash,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'calendar_feed',
      entityId: row.id,
      organizationId: ctx.actor.organizationId,
      after: toFeed(row),
    });
    return withUrl(row, token, base);
  });
}

export async function listFeeds(db: Db, ctx: RequestContext) {
  return (await repo.listOfUser(db, ctx.actor.userId)).map(toFeed);
}

/** A new secret for the link; the old URL stops working at once. */
export async function rotateFeed(db: Db, ctx: RequestContext, id: string, base: string) {
  const { token, hash } = newSecret();
  return withTx(db, async (tx) => {
    const before = await repo.lockOwn(tx, ctx.actor.userId, id);
    if (!before) throw notFound('Calendar feed');
    const row = await repo.setHash(tx, id, hash);
    await recordAudit(tx, ctx, {
      action: 'rotate',
      entityType: 'calendar_feed',
      entityId: id,
      organizationId: ctx.actor.organizationId,
      before: toFeed(before),
      after: toFeed(row),
    });
    return withUrl(row, token, base);
  });
}

export async function revokeFeed(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.lockOwn(tx, ctx.actor.userId, id);
    if (!before) throw notFound('Calendar feed');
    await repo.remove(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'calendar_feed',
      entityId: id,
      organizationId: ctx.actor.organizationId,
      before: toFeed(before),
    });
  });
}

/**
 * GET /timetable/feeds/{token}.ics (no Bearer token): the feed as its owner would see it now. An unknown or
 * rotated secret, a deactivated owner, or a timetable the owner may no longer read all answer 404.
 */
export async function readFeed(
  db: Db,
  token: string,
  meta: { ip: string | null; userAgent: string | null; requestId: string },
) {
  const row = await repo.findByHash(db, hashOf(token));
  if (!row) throw notFound('Calendar feed');
  const actor = await loadUserActor(db, row.userId, `feed:${row.id}`);
  if (!actor || !can(actor, permissionOf(row.kind))) throw notFound('Calendar feed');
  const who = whoOf(row.kind, row.target);
  const body = await calendar(db, { actor, ...meta }, who, feedName(who));
  await repo.touch(db, row.id);
  return { body, file: who.kind === 'room' ? `room-${who.number}` : `${who.kind}-${who.id}` };
}
