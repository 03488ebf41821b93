import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { grantsFor, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assertOrgsInScope } from '../users/index.js';
import * as repo from './notifications.repo.js';
import type { CreateNotificationT, NotificationT } from './notifications.schemas.js';
import { announce } from './notifications-live.js';

export type { Recipients } from './notifications.repo.js';

export function toNotification(r: repo.MineRow): NotificationT {
  return {
    id: r.id,
    organization_id: r.organization_id,
    title: r.title,
    body: r.body,
    target_audience: r.target_audience,
    kind: r.kind,
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : (r.data ?? {})) as Record<string, unknown>,
    created_by: r.created_by ?? null,
    created_at: iso(r.created_at)!,
    is_read: Boolean(r.read_at),
    read_at: iso(r.read_at),
  };
}

/**
 * For other modules: writes one notification and fans it out to its recipients with one set-based INSERT,
 * inside the caller's transaction (so an event and its notification commit together).
 */
export async function notify(
  tx: DbOrTx,
  to: repo.Recipients,
  title: string,
  body: string,
  opts: { kind?: string; data?: Record<string, unknown>; createdBy?: string | null; audience?: string } = {},
) {
  const row = await repo.insertNotification(tx, {
    id: uuidv7(),
    organizationId: to.organizationId,
    title,
    body,
    targetAudience: opts.audience ?? 'event',
    targetIds: to.userIds ?? null,
    kind: opts.kind ?? 'announcement',
    data: opts.data ?? {},
    createdBy: opts.createdBy ?? null,
  });
  const recipients = await repo.fanOut(tx, row.id, to);
  if (recipients > 0) announce(tx, [row.id]);
  return { id: row.id, recipients };
}

/** Per-student messages to each student and their guardians, set-based (two statements for any count). */
export async function notifyStudentsBulk(
  tx: DbOrTx,
  organizationId: string,
  kind: string,
  createdBy: string | null,
  messages: repo.StudentMessage[],
) {
  const withIds = messages.map((m) => ({ ...m, id: uuidv7() }));
  const reached = await repo.insertStudentMessages(tx, organizationId, kind, createdBy, withIds);
  if (reached > 0)
    announce(
      tx,
      withIds.map((m) => m.id),
    );
  return reached;
}

const ROLE_OF = { students: 'student', faculty: 'faculty', staff: 'staff' } as const;

export async function createNotification(db: Db, ctx: RequestContext, input: CreateNotificationT) {
  const grants = grantsFor(ctx.actor, 'notifications:send');
  let orgId = input.organization_id;
  if (!orgId) {
    if (grants.length !== 1) {
      throw badRequest('organization_id is required', [{ field: 'organization_id', message: 'is required' }]);
    }
    orgId = grants[0].organizationId;
  }
  if (input.target_audience === 'specific' && !input.target_ids?.length) {
    throw badRequest('target_ids is required for a specific audience', [
      { field: 'target_ids', message: 'is required when target_audience is specific' },
    ]);
  }
  if (input.target_audience !== 'specific' && input.target_ids) {
    throw badRequest('target_ids is only for a specific audience', [
      { field: 'target_ids', message: 'must be omitted unless target_audience is specific' },
    ]);
  }
  return withTx(db, async (tx) => {
    await assertOrgsInScope(tx, ctx, 'notifications:send', [orgId!]);
    const a = input.target_audience;
    const n = await notify(
      tx,
      {
        organizationId: orgId!,
        everyone: a === 'all',
        roles: a === 'all' || a === 'specific' ? [] : [ROLE_OF[a]],
        userIds: a === 'specific' ? input.target_ids : undefined,
        restrictToOrg: true,
      },
      input.title,
      input.body,
      { kind: 'announcement', createdBy: ctx.actor.userId, audience: a },
    );
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'notification',
      entityId: n.id,
      organizationId: orgId,
      after: {
        title: input.title,
        target_audience: a,
        target_ids: input.target_ids ?? null,
        recipients: n.recipients,
      },
    });
    const row = await repo.findVisible(tx, ctx.actor, n.id);
    if (!row) throw notFound('Notification');
    return { ...toNotification(row), recipient_count: n.recipients };
  });
}

export async function listMine(db: Db, ctx: RequestContext, unread: boolean, w: PageWindow) {
  const { rows, total } = await repo.listMine(db, ctx.actor.userId, unread, w);
  return page(rows.map(toNotification), total, w);
}

export async function unreadCount(db: Db, ctx: RequestContext) {
  return { unread: await repo.unreadCount(db, ctx.actor.userId) };
}

export async function getNotification(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findVisible(db, ctx.actor, id);
  if (!row) throw notFound('Notification');
  return { ...toNotification(row), recipient_count: Number(row.recipient_count) };
}

export async function markRead(db: Db, ctx: RequestContext, id: string) {
  const res = await repo.markRead(db, ctx.actor.userId, id);
  if (!res) throw notFound('Notification');
  return getNotification(db, ctx, id);
}

export async function deleteNotification(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findManageable(tx, ctx.actor, id);
    if (!before) throw notFound('Notification');
    await repo.remove(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'notification',
      entityId: id,
      organizationId: before.organization_id,
      before,
    });
  });
}
