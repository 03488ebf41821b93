import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { iso, rowsOf } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';

/** An attendance_settings row as `load` selects it. */
interface SettingsRow extends Record<string, unknown> {
  freeze_before: string | null;
  unlocked_until: Date | string | null;
  alert_threshold: number | string;
  updated_at: Date | string | null;
}

function toSettings(orgId: string, r: SettingsRow | undefined) {
  return {
    organization_id: orgId,
    freeze_before: r?.freeze_before ?? null,
    unlocked_until: iso(r?.unlocked_until ?? null),
    alert_threshold: r ? Number(r.alert_threshold) : 75,
    updated_at: iso(r?.updated_at ?? null),
  };
}

async function load(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const org = rowsOf<{ id: string }>(
    await db.execute(sql`select o.id from organizations o
                          where o.id = ${orgId} and ${orgScope(ctx.actor, 'attendance:manage', sql`o.id`)}`),
  );
  if (!org.length) throw notFound('Organization');
  const [r] = rowsOf<SettingsRow>(
    await db.execute(sql`select freeze_before::text as freeze_before, unlocked_until, alert_threshold, updated_at
                           from attendance_settings where organization_id = ${orgId}`),
  );
  return toSettings(orgId, r);
}

export const getSettings = (db: Db, ctx: RequestContext, orgId: string) => load(db, ctx, orgId);

async function change(
  db: Db,
  ctx: RequestContext,
  orgId: string,
  action: string,
  set: { freeze_before?: string | null; alert_threshold?: number; unlocked_until?: Date | null },
) {
  return withTx(db, async (tx) => {
    const before = await load(tx, ctx, orgId);
    const freeze = set.freeze_before === undefined ? before.freeze_before : set.freeze_before;
    const threshold = set.alert_threshold ?? before.alert_threshold;
    const unlocked =
      set.unlocked_until === undefined
        ? before.unlocked_until
        : set.unlocked_until === null
          ? null
          : set.unlocked_until.toISOString();
    await tx.execute(sql`
      insert into attendance_settings (organization_id, freeze_before, unlocked_until, alert_threshold, updated_by,
                                       updated_at)
      values (${orgId}, ${freeze}::date, ${unlocked}::timestamptz, ${threshold}, ${ctx.actor.userId}, now())
      on conflict (organization_id) do update
        set freeze_before = excluded.freeze_before, unlocked_until = excluded.unlocked_until,
            alert_threshold = excluded.alert_threshold, updated_by = excluded.updated_by, updated_at = now()`);
    const after = await load(tx, ctx, orgId);
    await recordAudit(tx, ctx, {
      action,
      entityType: 'attendance_settings',
      entityId: orgId,
      organizationId: orgId,
      before: { ...before, updated_at: undefined },
      after: { ...after, updated_at: undefined },
    });
    return after;
  });
}

export const putSettings = (
  db: Db,
  ctx: RequestContext,
  orgId: string,
  input: { freeze_before?: string | null; alert_threshold?: number },
) => change(db, ctx, orgId, 'update', input);

/** Lets records before the freeze date be changed for `minutes` (audited). */
export const unlock = (db: Db, ctx: RequestContext, orgId: string, minutes: number) =>
  change(db, ctx, orgId, 'unlock', { unlocked_until: new Date(Date.now() + minutes * 60_000) });

/** Ends an unlock early. */
export const lock = (db: Db, ctx: RequestContext, orgId: string) =>
  change(db, ctx, orgId, 'lock', { unlocked_until: null });
