import { sql } from 'drizzle-orm';
import { notify } from '../notifications/index.js';
import { attendanceHooks, type BelowThresholdEvent } from './attendance.hooks.js';

/**
 * When a student's attendance in a class crosses under the threshold, the student and their linked guardians
 * (those who receive notifications) get one notification, in one set-based fan-out.
 */
attendanceHooks.onBelowThreshold.push(async (db, ctx, e: BelowThresholdEvent) => {
  const res = await db.execute(sql`
    select s.user_id, s.first_name, s.last_name, c.name as class_name
      from students s, classes c where s.id = ${e.studentId} and c.id = ${e.classId}`);
  const r = res.rows[0] as {
    user_id: string | null;
    first_name: string;
    last_name: string;
    class_name: string;
  };
  if (!r) return;
  await notify(
    db,
    { organizationId: e.organizationId, userIds: r.user_id ? [r.user_id] : [], guardiansOf: [e.studentId] },
    `Attendance below ${e.threshold}%`,
    `${r.first_name} ${r.last_name}'s attendance in ${r.class_name} is now ${e.percentage}% ` +
      `(the minimum is ${e.threshold}%).`,
    {
      kind: 'attendance_alert',
      createdBy: ctx.actor.userId,
      data: {
        student_id: e.studentId,
        class_id: e.classId,
        percentage: e.percentage,
        previous_percentage: e.previousPercentage,
        threshold: e.threshold,
      },
    },
  );
});
