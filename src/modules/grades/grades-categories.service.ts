import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import { assessmentCategories } from './grades.table.js';
import * as repo from './grades-gradebook.repo.js';
import { toCategory } from './grades-gradebook.service.js';

export async function createCategory(
  db: Db,
  ctx: RequestContext,
  input: { class_id: string; name: string; weight: number },
) {
  return withTx(db, async (tx) => {
    const cls = await repo.classForGradebook(tx, ctx.actor, input.class_id);
    if (!cls) throw notFound('Class');
    const [row] = await tx
      .insert(assessmentCategories)
      .values({
        organizationId: cls.organizationId,
        classId: cls.id,
        name: input.name,
        weight: String(input.weight),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'assessment_category',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return toCategory(row);
  });
}

export async function listCategories(db: Db, ctx: RequestContext, classId: string) {
  if (!(await repo.classForRead(db, ctx.actor, classId))) throw notFound('Class');
  return (await repo.listCategories(db, classId)).map(toCategory);
}

export async function updateCategory(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { name?: string; weight?: number },
) {
  return withTx(db, async (tx) => {
    const before = await repo.categoryInScope(tx, ctx.actor, id, true);
    if (!before) throw notFound('Assessment category');
    const [row] = await tx
      .update(assessmentCategories)
      .set({
        name: input.name ?? before.name,
        weight: input.weight === undefined ? before.weight : String(input.weight),
        updatedAt: new Date(),
      })
      .where(eq(assessmentCategories.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'assessment_category',
      entityId: id,
      organizationId: row.organizationId,
      before,
      after: row,
    });
    return toCategory(row);
  });
}

export async function deleteCategory(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.categoryInScope(tx, ctx.actor, id, true);
    if (!before) throw notFound('Assessment category');
    // Its assessments stay (category_id set null): they then count as uncategorized.
    await tx.delete(assessmentCategories).where(eq(assessmentCategories.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'assessment_category',
      entityId: id,
      organizationId: before.organizationId,
      before,
    });
  });
}
