import { sql } from 'drizzle-orm';
import type { EventHandler } from '../../kernel/events.js';
import { rowsOf } from '../../kernel/sql.js';
import { notifyStudentsBulk } from '../notifications/index.js';
import type { BelowThresholdEvent } from './attendance.events.js';

/**
 * When students' attendance in a class crosses under the threshold, each student and their linked guardians
 * (those who receive notifications) get one notification. Set-based: one lookup and two inserts per
 * marking, however many students crossed.
 */
export const alertGuardians: EventHandler<'attendance.below_threshold'> = async (
  db,
  ctx,
  events: BelowThresholdEvent[],
) => {
  if (!ctx) return;
  const first = events[0];
  if (!first) return;
  const res = await db.execute(sql`
    select s.id, s.first_name, s.last_name, c.name as class_name
      from students s, classes c
     where c.id = ${first.classId}
       and s.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(events.map((e) => e.studentId))}::jsonb))`);
  type NameRow = { id: string; first_name: string; last_name: string; class_name: string };
  const names = new Map(rowsOf<NameRow>(res).map((r) => [r.id, r]));
  await notifyStudentsBulk(
    db,
    first.organizationId,
    'attendance_alert',
    ctx.actor.userId,
    events
      .filter((e) => names.has(e.studentId))
      .map((e) => {
        const r = names.get(e.studentId)!;
        return {
          studentId: e.studentId,
          title: `Attendance below ${e.threshold}%`,
          body:
            `${r.first_name} ${r.last_name}'s attendance in ${r.class_name} is now ${e.percentage}% ` +
            `(the minimum is ${e.threshold}%).`,
          data: {
            student_id: e.studentId,
            class_id: e.classId,
            percentage: e.percentage,
            previous_percentage: e.previousPercentage,
            threshold: e.threshold,
          },
        };
      }),
  );
};
