import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import { gradeSettings } from './grades.table.js';
import { effectiveSettings } from './grades-scales.repo.js';
import { onBranch, usableScale } from './grades-scales.service.js';

export async function getSettings(db: Db, ctx: RequestContext, orgId: string) {
  const o = firstRow<{ id: string }>(
    await db.execute(
      sql`select id from organizations o where o.id = ${orgId} and ${onBranch(ctx.actor, 'grading_scales:read', sql`o.id`)}`,
    ),
  );
  if (!o) throw notFound('Organization');
  return { organization_id: orgId, ...(await effectiveSettings(db, orgId)) };
}

export async function putSettings(
  db: Db,
  ctx: RequestContext,
  orgId: string,
  input: {
    default_grading_scale_id?: string | null;
    repeat_policy?: 'best' | 'latest';
    honor_roll_min_gpa?: number;
    honor_roll_min_credits?: number;
  },
) {
  await withTx(db, async (tx) => {
    const o = firstRow<{ id: string }>(
      await tx.execute(
        sql`select id from organizations o where o.id = ${orgId} and ${orgScope(ctx.actor, 'grades:settings', sql`o.id`)}`,
      ),
    );
    if (!o) throw notFound('Organization');
    if (input.default_grading_scale_id) await usableScale(tx, input.default_grading_scale_id, orgId);
    const cur = await effectiveSettings(tx, orgId);
    const values = {
      organizationId: orgId,
      defaultGradingScaleId:
        input.default_grading_scale_id === undefined
          ? cur.default_grading_scale_id
          : input.default_grading_scale_id,
      repeatPolicy: input.repeat_policy ?? cur.repeat_policy,
      honorRollMinGpa: String(input.honor_roll_min_gpa ?? cur.honor_roll_min_gpa),
      honorRollMinCredits: String(input.honor_roll_min_credits ?? cur.honor_roll_min_credits),
      updatedAt: new Date(),
    };
    await tx
      .insert(gradeSettings)
      .values(values)
      .onConflictDoUpdate({ target: gradeSettings.organizationId, set: values });
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'grade_settings',
      entityId: orgId,
      organizationId: orgId,
      before: cur,
      after: input,
    });
  });
  return getSettings(db, ctx, orgId);
}
