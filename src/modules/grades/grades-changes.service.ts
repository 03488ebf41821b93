import { eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import * as repo from './grades.repo.js';
import type { ListChangesQueryT } from './grades.schemas.js';
import { gradeChanges } from './grades.table.js';

/** The grade change log an auditor lists: every change of a posted grade, newest first. */
export async function listChanges(db: Db, ctx: RequestContext, q: ListChangesQueryT, w: PageWindow) {
  const f: SQL[] = [];
  if (q.grade_id) f.push(eq(gradeChanges.gradeId, q.grade_id));
  if (q.student_id) f.push(eq(gradeChanges.studentId, q.student_id));
  if (q.changed_by) f.push(eq(gradeChanges.changedBy, q.changed_by));
  if (q.from) f.push(sql`${gradeChanges.changedAt} >= ${q.from}::date`);
  if (q.to) f.push(sql`${gradeChanges.changedAt} < ${q.to}::date + 1`);
  const { rows, total } = await repo.listChanges(db, ctx.actor, f, w);
  return page(
    rows.map((r) => ({
      id: r.id,
      grade_id: r.gradeId,
      student_id: r.studentId,
      organization_id: r.organizationId,
      old_value: r.oldValue as Record<string, unknown>,
      new_value: r.newValue as Record<string, unknown>,
      reason: r.reason,
      changed_by: r.changedBy,
      changed_at: iso(r.changedAt)!,
    })),
    total,
    w,
  );
}
