import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { Role } from '../../kernel/auth/permissions.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { notifications } from './notifications.table.js';

/** Who receives a notification; every source is unioned into one fan-out INSERT ... SELECT. */
export interface Recipients {
  /** Organization the notification belongs to; role-based audiences are taken from its subtree. */
  organizationId: string;
  /** Explicit users. With `restrictToOrg`, only those holding a role in the organization's subtree. */
  userIds?: string[];
  restrictToOrg?: boolean;
  /** Users holding one of these roles anywhere in the organization's subtree (`[]` or undefined = none). */
  roles?: Role[];
  /** Every role (audience `all`). */
  everyone?: boolean;
  /** The finance desk: admin/staff holding a role on the organization or one of its ancestors. */
  financeDesk?: boolean;
  /** Linked guardians (with notifications on) of these students. */
  guardiansOf?: string[];
}

/** Rows written by a statement: `rowCount` (node-postgres) or `affectedRows` (PGlite). */
function affected(res: unknown): number {
  const r = res as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

const jsonIds = (ids: string[]) =>
  sql`(select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

function recipientSelects(r: Recipients): SQL[] {
  const orgPath = sql`(select path from organizations where id = ${r.organizationId})`;
  const inSubtree = (userCol: SQL) =>
    sql`exists (select 1 from role_assignments xra join organizations xo on xo.id = xra.organization_id
                 where xra.user_id = ${userCol} and xo.path like ${orgPath} || '%')`;
  const parts: SQL[] = [];
  if (r.userIds?.length) {
    parts.push(
      r.restrictToOrg
        ? sql`select t.id as user_id from ${jsonIds(r.userIds)} as t(id) where ${inSubtree(sql`t.id`)}`
        : sql`select t.id as user_id from ${jsonIds(r.userIds)} as t(id)`,
    );
  }
  if (r.everyone || r.roles?.length) {
    const roleCond = r.everyone
      ? sql`true`
      : sql`ra.role::text in (select value from jsonb_array_elements_text(${JSON.stringify(r.roles)}::jsonb))`;
    parts.push(sql`select ra.user_id from role_assignments ra join organizations o on o.id = ra.organization_id
                    where o.path like ${orgPath} || '%' and ${roleCond}`);
  }
  if (r.financeDesk) {
    parts.push(sql`select ra.user_id from role_assignments ra join organizations o on o.id = ra.organization_id
                    where ${orgPath} like o.path || '%' and ra.role in ('admin', 'staff')`);
  }
  if (r.guardiansOf?.length) {
    parts.push(sql`select g.user_id from student_guardians sg join guardians g on g.id = sg.guardian_id
                    where sg.student_id in ${jsonIds(r.guardiansOf)} and sg.receives_notifications
                      and g.user_id is not null`);
  }
  return parts;
}

export async function insertNotification(db: DbOrTx, values: typeof notifications.$inferInsert) {
  const [row] = await db.insert(notifications).values(values).returning();
  return row;
}

/** Fans a notification out to its recipients in ONE set-based statement; returns how many were reached. */
export async function fanOut(db: DbOrTx, notificationId: string, r: Recipients): Promise<number> {
  const parts = recipientSelects(r);
  if (parts.length === 0) return 0;
  const res = await db.execute(sql`
    insert into user_notifications (notification_id, user_id)
    select ${notificationId}::uuid, x.user_id
      from (${sql.join(parts, sql` union `)}) x
      join users u on u.id = x.user_id and u.is_active
    on conflict do nothing`);
  return affected(res);
}

/** A notification as a recipient sees it (`mineCols`). */
export interface MineRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  title: string;
  body: string;
  target_audience: string;
  kind: string;
  data: unknown;
  created_by: string | null;
  created_at: Date | string;
  read_at: Date | string | null;
}

const mineCols = sql`n.id, n.organization_id, n.title, n.body, n.target_audience, n.kind, n.data, n.created_by,
  n.created_at, un.read_at`;

export async function listMine(db: DbOrTx, userId: string, unreadOnly: boolean, w: PageWindow) {
  const where = sql`un.user_id = ${userId} ${unreadOnly ? sql`and un.read_at is null` : sql``}`;
  const [rows, total] = await Promise.all([
    db.execute(sql`select ${mineCols} from user_notifications un join notifications n on n.id = un.notification_id
                    where ${where} order by un.created_at desc, n.id desc limit ${w.limit} offset ${w.offset}`),
    db.execute(sql`select count(*)::int as total from user_notifications un where ${where}`),
  ]);
  return { rows: rowsOf<MineRow>(rows), total: Number(firstRow<{ total: number }>(total)?.total ?? 0) };
}

export async function unreadCount(db: DbOrTx, userId: string) {
  const res = await db.execute(
    sql`select count(*)::int as n from user_notifications where user_id = ${userId} and read_at is null`,
  );
  return Number(firstRow<{ n: number }>(res)?.n ?? 0);
}

/** A notification the actor received, or (for senders) one in their organization scope. */
export async function findVisible(db: DbOrTx, actor: Actor, id: string) {
  const res = await db.execute(sql`
    select ${mineCols}, (select count(*)::int from user_notifications c where c.notification_id = n.id) as recipient_count
      from notifications n
      left join user_notifications un on un.notification_id = n.id and un.user_id = ${actor.userId}
     where n.id = ${id} and (un.id is not null or ${orgScope(actor, 'notifications:send', sql`n.organization_id`)})`);
  return firstRow<MineRow & { recipient_count: number }>(res) ?? null;
}

export async function markRead(db: DbOrTx, userId: string, id: string) {
  const res = await db.execute(sql`
    update user_notifications set read_at = coalesce(read_at, now())
     where notification_id = ${id} and user_id = ${userId} returning read_at`);
  return firstRow<{ read_at: Date | string }>(res) ?? null;
}

export async function findManageable(db: DbOrTx, actor: Actor, id: string) {
  const res = await db.execute(sql`
    select n.id, n.organization_id, n.title, n.body, n.target_audience from notifications n
     where n.id = ${id} and ${orgScope(actor, 'notifications:send', sql`n.organization_id`)}`);
  return (
    firstRow<{ id: string; organization_id: string; title: string; body: string; target_audience: string }>(
      res,
    ) ?? null
  );
}

export async function remove(db: DbOrTx, id: string) {
  await db.execute(sql`delete from notifications where id = ${id}`);
}

/** One per-student message of a bulk notification (see `notifyStudentsBulk`). */
export interface StudentMessage {
  studentId: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/**
 * Many per-student notifications in two statements whatever their number: one INSERT of the notifications,
 * one INSERT fanning each out to its student's login and linked guardians (with notifications on).
 */
export async function insertStudentMessages(
  db: DbOrTx,
  organizationId: string,
  kind: string,
  createdBy: string | null,
  messages: Array<StudentMessage & { id: string }>,
): Promise<number> {
  if (messages.length === 0) return 0;
  const payload = JSON.stringify(
    messages.map((m) => ({ id: m.id, student_id: m.studentId, title: m.title, body: m.body, data: m.data })),
  );
  await db.execute(sql`
    insert into notifications (id, organization_id, title, body, target_audience, target_ids, kind, data, created_by)
    select m.id, ${organizationId}::uuid, m.title, m.body, 'event', array[m.student_id], ${kind}, m.data, ${createdBy}::uuid
      from jsonb_to_recordset(${payload}::jsonb) as m(id uuid, student_id uuid, title text, body text, data jsonb)`);
  const res = await db.execute(sql`
    insert into user_notifications (notification_id, user_id)
    select x.id, x.user_id
      from (select m.id, s.user_id
              from jsonb_to_recordset(${payload}::jsonb) as m(id uuid, student_id uuid)
              join students s on s.id = m.student_id
             where s.user_id is not null
            union
            select m.id, g.user_id
              from jsonb_to_recordset(${payload}::jsonb) as m(id uuid, student_id uuid)
              join student_guardians sg on sg.student_id = m.student_id and sg.receives_notifications
              join guardians g on g.id = sg.guardian_id
             where g.user_id is not null) x
      join users u on u.id = x.user_id and u.is_active
    on conflict do nothing`);
  return affected(res);
}

/** A delivery as the live stream sends it: the notification, its recipient and its sequence number. */
export interface DeliveryRow extends MineRow {
  seq: number | string;
  user_id: string;
}

/** The user's deliveries after `afterSeq`, oldest first (the replay of a reconnecting stream). */
export async function deliveriesAfter(db: DbOrTx, userId: string, afterSeq: number, limit: number) {
  const res = await db.execute(sql`
    select un.seq, un.user_id, ${mineCols} from user_notifications un join notifications n on n.id = un.notification_id
     where un.user_id = ${userId} and un.seq > ${afterSeq} order by un.seq limit ${limit}`);
  return rowsOf<DeliveryRow>(res);
}

/** The user's latest delivery number (0 for none): where a stream without `Last-Event-ID` starts. */
export async function lastSeq(db: DbOrTx, userId: string): Promise<number> {
  const res = await db.execute(
    sql`select coalesce(max(seq), 0) as seq from user_notifications where user_id = ${userId}`,
  );
  return Number(firstRow<{ seq: number | string }>(res)?.seq ?? 0);
}

/** The deliveries of these notifications to these users (the connected ones), in one query. */
export async function deliveriesOf(db: DbOrTx, notificationIds: string[], userIds: string[]) {
  if (notificationIds.length === 0 || userIds.length === 0) return [];
  const res = await db.execute(sql`
    select un.seq, un.user_id, ${mineCols} from user_notifications un join notifications n on n.id = un.notification_id
     where un.notification_id in ${jsonIds(notificationIds)} and un.user_id in ${jsonIds(userIds)}
     order by un.seq`);
  return rowsOf<DeliveryRow>(res);
}
