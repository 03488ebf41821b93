import { and, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { type Actor, grantsFor, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import type { Column } from '../../kernel/scopes.js';
import { firstRow, iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import { courseGradingScales, gradingScales, type ScaleBand } from './grades.table.js';
import { DEFAULT_SCALE_ID, effectiveSettings } from './grades-scales.repo.js';
import type { CreateScaleT, GradingScaleT, UpdateScaleT } from './grades-scales.schemas.js';

export function toGradingScale(r: typeof gradingScales.$inferSelect): GradingScaleT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    code: r.code,
    name: r.name,
    bands: [...r.bands].sort((a, b) => b.min_percent - a.min_percent),
    rounding_mode: r.roundingMode,
    rounding_decimals: r.roundingDecimals,
    count_failed_in_gpa: r.countFailedInGpa,
    is_builtin: r.isBuiltin,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Organizations on the branch of the actor's grants: their subtrees and their ancestors. */
export function onBranch(actor: Actor, permission: string, col: Column): SQL {
  const grants = grantsFor(actor, permission);
  if (grants.length === 0) return sql`false`;
  const likes = sql.join(
    grants.map((g) => sql`(bo.path like ${`${g.path}%`} or ${g.path} like bo.path || '%')`),
    sql` or `,
  );
  return sql`${col} in (select bo.id from organizations bo where ${likes})`;
}

/** Bands must have unique letters and one must start at 0 %, so every percentage has a letter. */
function checkBands(bands: ScaleBand[]) {
  const letters = new Set<string>();
  for (const [i, b] of bands.entries()) {
    if (letters.has(b.letter.toUpperCase()))
      throw badRequest('Duplicate letter in bands', [
        { field: `bands/${i}/letter`, message: 'appears twice' },
      ]);
    letters.add(b.letter.toUpperCase());
  }
  if (!bands.some((b) => b.min_percent === 0))
    throw badRequest('One band must start at 0 %', [
      { field: 'bands', message: 'needs a band with min_percent 0' },
    ]);
  if (new Set(bands.map((b) => b.min_percent)).size !== bands.length)
    throw badRequest('Two bands start at the same percentage', [
      { field: 'bands', message: 'min_percent values must differ' },
    ]);
}

export async function listScales(db: Db, ctx: RequestContext, organizationId?: string) {
  const rows = await db
    .select()
    .from(gradingScales)
    .where(
      or(
        isNull(gradingScales.organizationId),
        and(
          onBranch(ctx.actor, 'grading_scales:read', gradingScales.organizationId),
          organizationId ? eq(gradingScales.organizationId, organizationId) : undefined,
        ),
      ),
    )
    .orderBy(gradingScales.isBuiltin, gradingScales.code);
  return rows.map(toGradingScale);
}

export async function getScale(db: DbOrTx, ctx: RequestContext, id: string) {
  const [row] = await db
    .select()
    .from(gradingScales)
    .where(
      and(
        eq(gradingScales.id, id),
        or(
          isNull(gradingScales.organizationId),
          onBranch(ctx.actor, 'grading_scales:read', gradingScales.organizationId),
        ),
      ),
    );
  if (!row) throw notFound('Grading scale');
  return row;
}

export async function createScale(db: Db, ctx: RequestContext, input: CreateScaleT) {
  checkBands(input.bands);
  return withTx(db, async (tx) => {
    const org = firstRow<{ id: string }>(
      await tx.execute(
        sql`select id from organizations o where o.id = ${input.organization_id} and ${orgScope(ctx.actor, 'grading_scales:write', sql`o.id`)}`,
      ),
    );
    if (!org) throw notFound('Organization');
    const [row] = await tx
      .insert(gradingScales)
      .values({
        organizationId: org.id,
        code: input.code,
        name: input.name,
        bands: input.bands,
        roundingMode: input.rounding_mode ?? 'half_up',
        roundingDecimals: input.rounding_decimals ?? 2,
        countFailedInGpa: input.count_failed_in_gpa ?? true,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'grading_scale',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return toGradingScale(row);
  });
}

async function writable(tx: DbOrTx, ctx: RequestContext, id: string) {
  const row = await getScale(tx, ctx, id);
  if (row.isBuiltin)
    throw businessRule('builtin_scale', 'Built-in scales cannot be changed; create your own scale instead');
  const [mine] = await tx
    .select({ id: gradingScales.id })
    .from(gradingScales)
    .where(
      and(
        eq(gradingScales.id, id),
        orgScope(ctx.actor, 'grading_scales:write', gradingScales.organizationId),
      ),
    )
    .for('update');
  if (!mine) throw notFound('Grading scale');
  return row;
}

/** Changing a scale affects grades given from now on; posted grades keep their frozen letter and points. */
export async function updateScale(db: Db, ctx: RequestContext, id: string, input: UpdateScaleT) {
  if (input.bands) checkBands(input.bands);
  return withTx(db, async (tx) => {
    const before = await writable(tx, ctx, id);
    const [row] = await tx
      .update(gradingScales)
      .set({
        name: input.name ?? before.name,
        bands: input.bands ?? before.bands,
        roundingMode: input.rounding_mode ?? before.roundingMode,
        roundingDecimals: input.rounding_decimals ?? before.roundingDecimals,
        countFailedInGpa: input.count_failed_in_gpa ?? before.countFailedInGpa,
        updatedAt: new Date(),
      })
      .where(eq(gradingScales.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'grading_scale',
      entityId: id,
      organizationId: row.organizationId,
      before,
      after: row,
    });
    return toGradingScale(row);
  });
}

export async function deleteScale(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await writable(tx, ctx, id);
    // Grades and course overrides reference it with ON DELETE RESTRICT: a scale in use answers 409.
    await tx.delete(gradingScales).where(eq(gradingScales.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'grading_scale',
      entityId: id,
      organizationId: before.organizationId,
      before,
    });
  });
}

async function courseInScope(tx: DbOrTx, ctx: RequestContext, courseId: string, permission: string) {
  const c = firstRow<{ id: string; organization_id: string }>(
    await tx.execute(
      sql`select id, organization_id from courses c where c.id = ${courseId} and ${permission === 'write' ? orgScope(ctx.actor, 'grading_scales:write', sql`c.organization_id`) : onBranch(ctx.actor, 'grading_scales:read', sql`c.organization_id`)}`,
    ),
  );
  if (!c) throw notFound('Course');
  return c;
}

export async function courseScale(db: Db, ctx: RequestContext, courseId: string) {
  const c = await courseInScope(db, ctx, courseId, 'read');
  const [own] = await db.select().from(courseGradingScales).where(eq(courseGradingScales.courseId, courseId));
  if (own) return { course_id: courseId, grading_scale_id: own.gradingScaleId, source: 'course' as const };
  const s = await effectiveSettings(db, c.organization_id);
  if (s.default_grading_scale_id)
    return {
      course_id: courseId,
      grading_scale_id: s.default_grading_scale_id,
      source: 'organization' as const,
    };
  return { course_id: courseId, grading_scale_id: DEFAULT_SCALE_ID, source: 'builtin' as const };
}

/** A scale the organization may use: built-in, or owned by the organization or one of its ancestors. */
export async function usableScale(tx: DbOrTx, scaleId: string, orgId: string) {
  const ok = firstRow<{ id: string }>(
    await tx.execute(sql`select gs.id from grading_scales gs where gs.id = ${scaleId} and (gs.organization_id is null or exists (
      select 1 from organizations o join organizations so on o.path like so.path || '%' where o.id = ${orgId} and so.id = gs.organization_id))`),
  );
  if (!ok)
    throw badRequest('Unknown grading scale for this organization', [
      { field: 'grading_scale_id', message: 'is not a built-in scale or one of the organization’s' },
    ]);
}

export async function setCourseScale(db: Db, ctx: RequestContext, courseId: string, scaleId: string) {
  await withTx(db, async (tx) => {
    const c = await courseInScope(tx, ctx, courseId, 'write');
    await usableScale(tx, scaleId, c.organization_id);
    const [before] = await tx
      .select()
      .from(courseGradingScales)
      .where(eq(courseGradingScales.courseId, courseId));
    await tx
      .insert(courseGradingScales)
      .values({ courseId, gradingScaleId: scaleId, organizationId: c.organization_id })
      .onConflictDoUpdate({
        target: courseGradingScales.courseId,
        set: { gradingScaleId: scaleId, updatedAt: new Date() },
      });
    await recordAudit(tx, ctx, {
      action: 'set_grading_scale',
      entityType: 'course',
      entityId: courseId,
      organizationId: c.organization_id,
      before: before ? { grading_scale_id: before.gradingScaleId } : null,
      after: { grading_scale_id: scaleId },
    });
  });
  return courseScale(db, ctx, courseId);
}

export async function clearCourseScale(db: Db, ctx: RequestContext, courseId: string) {
  await withTx(db, async (tx) => {
    const c = await courseInScope(tx, ctx, courseId, 'write');
    const [before] = await tx
      .delete(courseGradingScales)
      .where(eq(courseGradingScales.courseId, courseId))
      .returning();
    if (before)
      await recordAudit(tx, ctx, {
        action: 'clear_grading_scale',
        entityType: 'course',
        entityId: courseId,
        organizationId: c.organization_id,
        before: { grading_scale_id: before.gradingScaleId },
      });
  });
  return courseScale(db, ctx, courseId);
}
