import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { domainEvents, publish } from '../../kernel/events.js';
import { rowsOf } from '../../kernel/sql.js';
import type { BelowThresholdEvent } from './attendance.events.js';

/** Attended = present + late; counted = attended + absent (excused days are left out). */
export function percentage(attended: number, counted: number): number | null {
  return counted > 0 ? Math.round((10000 * attended) / counted) / 100 : null;
}

const ATTENDED = new Set(['present', 'late']);
const COUNTED = new Set(['present', 'late', 'absent']);

/**
 * After a marking: for each student whose record changed, compare the class percentage before and after;
 * fire `onBelowThreshold` for those who crossed under the organization's threshold. One query for all
 * students. Runs only when a hook is registered.
 */
export async function runBelowThresholdHooks(
  db: Db,
  ctx: RequestContext,
  out: {
    classId: string | null;
    organizationId: string | null;
    changes: Array<{ student_id: string; old: string | null; new: string }>;
  },
) {
  if (!domainEvents.has('attendance.below_threshold') || !out.classId || !out.changes.length) return;
  const ids = out.changes.map((c) => c.student_id);
  // The running tallies are already up to date: the triggers ran inside the marking statement.
  const res = await db.execute(sql`
    select r.student_id, (r.present + r.late)::int as attended, (r.present + r.late + r.absent)::int as counted,
           coalesce((select fs.alert_threshold from organizations fo
                       join organizations fso on fo.path like fso.path || '%'
                       join attendance_settings fs on fs.organization_id = fso.id
                      where fo.id = ${out.organizationId} order by length(fso.path) desc limit 1), 75)::float8
             as threshold
      from attendance_tallies r
     where r.class_id = ${out.classId} and r.student_id = any(${sql.param(ids)}::uuid[])`);
  const byStudent = new Map(out.changes.map((c) => [c.student_id, c]));
  const events: BelowThresholdEvent[] = [];
  type TallyRow = { student_id: string; attended: number; counted: number; threshold: number };
  for (const row of rowsOf<TallyRow>(res)) {
    const ch = byStudent.get(row.student_id)!;
    const attended = Number(row.attended);
    const counted = Number(row.counted);
    const threshold = Number(row.threshold);
    const now = percentage(attended, counted);
    const prevAttended = attended - (ATTENDED.has(ch.new) ? 1 : 0) + (ch.old && ATTENDED.has(ch.old) ? 1 : 0);
    const prevCounted = counted - (COUNTED.has(ch.new) ? 1 : 0) + (ch.old && COUNTED.has(ch.old) ? 1 : 0);
    const before = percentage(prevAttended, prevCounted);
    if (now === null || now >= threshold) continue;
    if (before !== null && before < threshold) continue;
    events.push({
      studentId: row.student_id,
      classId: out.classId,
      organizationId: out.organizationId!,
      previousPercentage: before,
      percentage: now,
      threshold,
    });
  }
  if (events.length === 0) return;
  await publish(db, ctx, 'attendance.below_threshold', events);
}
