import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import type { ScaleBand } from './grades.table.js';
import type { Scale } from './grades-gpa.js';

/** The built-in 10-point scale: the default when neither the course nor the organization names one. */
export const DEFAULT_SCALE_ID = '00000000-0000-7000-8000-00000000a001';

export interface ScaleRow extends Record<string, unknown> {
  id: string;
  organization_id: string | null;
  code: string;
  name: string;
  bands: ScaleBand[] | string;
  rounding_mode: Scale['rounding_mode'];
  rounding_decimals: number;
  count_failed_in_gpa: boolean;
  is_builtin: boolean;
  created_at: string | Date;
  updated_at: string | Date;
}

export const toScale = (r: ScaleRow): Scale & { id: string } => ({
  id: r.id,
  bands: typeof r.bands === 'string' ? JSON.parse(r.bands) : r.bands,
  rounding_mode: r.rounding_mode,
  rounding_decimals: r.rounding_decimals,
  count_failed_in_gpa: r.count_failed_in_gpa,
});

/** The nearest organization on the path (itself, then its ancestors) that has grade settings. */
const nearestSettings = (orgId: unknown) => sql`
  select s.* from grade_settings s join organizations so on so.id = s.organization_id
   where exists (select 1 from organizations o where o.id = ${orgId} and o.path like so.path || '%')
   order by length(so.path) desc limit 1`;

/** Effective settings of an organization (defaults when none on its path). */
export async function effectiveSettings(db: DbOrTx, orgId: string) {
  const r = firstRow<{
    organization_id: string;
    default_grading_scale_id: string | null;
    repeat_policy: 'best' | 'latest';
    honor_roll_min_gpa: string;
    honor_roll_min_credits: string;
  }>(await db.execute(nearestSettings(orgId)));
  return {
    from_organization_id: r?.organization_id ?? null,
    default_grading_scale_id: r?.default_grading_scale_id ?? null,
    repeat_policy: r?.repeat_policy ?? ('best' as const),
    honor_roll_min_gpa: Number(r?.honor_roll_min_gpa ?? 3.5),
    honor_roll_min_credits: Number(r?.honor_roll_min_credits ?? 0),
  };
}

/**
 * The scale that grades a class: the course's override, else the organization's default (nearest on its
 * path), else the built-in 10-point scale.
 */
export async function scaleFor(db: DbOrTx, courseId: string | null, orgId: string) {
  const row = firstRow<ScaleRow>(
    await db.execute(sql`
      select gs.* from grading_scales gs
       where gs.id = coalesce(
         (select cgs.grading_scale_id from course_grading_scales cgs where cgs.course_id = ${courseId}),
         (select ns.default_grading_scale_id from (${nearestSettings(orgId)}) ns),
         ${DEFAULT_SCALE_ID}::uuid)`),
  );
  if (!row) throw new Error('built-in grading scale missing: migration 0008 not applied');
  return toScale(row);
}

/** The key of a (course, organization) pair in `scalesFor`'s map. */
export const scaleKey = (courseId: string | null, orgId: string) => `${courseId ?? ''}|${orgId}`;

/** `scaleFor` of many (course, organization) pairs in ONE statement, keyed by `scaleKey`. */
export async function scalesFor(db: DbOrTx, pairs: Array<{ courseId: string | null; orgId: string }>) {
  const list = [...new Map(pairs.map((p) => [scaleKey(p.courseId, p.orgId), p])).values()];
  if (list.length === 0) return new Map<string, Scale & { id: string }>();
  const rows = rowsOf<ScaleRow & { p_course_id: string | null; p_org_id: string }>(
    await db.execute(sql`
      select p.course_id as p_course_id, p.org_id as p_org_id, gs.*
        from unnest(${sql.param(list.map((p) => p.courseId))}::uuid[], ${sql.param(list.map((p) => p.orgId))}::uuid[])
             as p(course_id, org_id)
        join grading_scales gs on gs.id = coalesce(
          (select cgs.grading_scale_id from course_grading_scales cgs where cgs.course_id = p.course_id),
          (select ns.default_grading_scale_id from (${nearestSettings(sql`p.org_id`)}) ns),
          ${DEFAULT_SCALE_ID}::uuid)`),
  );
  return new Map(rows.map((r) => [scaleKey(r.p_course_id, r.p_org_id), toScale(r)]));
}

/** Scales by id (for grades that name their scale). */
export async function scalesByIds(db: DbOrTx, ids: string[]) {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return new Map<string, Scale & { id: string }>();
  const rows = rowsOf<ScaleRow>(
    await db.execute(
      sql`select * from grading_scales where id in (${sql.join(
        uniq.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    ),
  );
  return new Map(rows.map((r) => [r.id, toScale(r)]));
}
