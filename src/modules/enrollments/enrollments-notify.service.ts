import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { classes, classTeachScope } from '../classes/index.js';
import { notify } from '../notifications/index.js';
import type { ClassNotificationT, NotifyClassT } from './enrollments.schemas.js';

/**
 * A notification to a class: its enrolled students (with a login) and, unless `include_guardians` is false,
 * their linked guardians who receive notifications. Managers of the class's organization and the class's
 * teachers may send it (classTeachScope, in SQL: another class answers 404). The class and its roster are
 * read in one statement; the notification, its fan-out and the audit row commit together.
 */
export async function notifyClass(
  db: Db,
  ctx: RequestContext,
  classId: string,
  input: NotifyClassT,
): Promise<ClassNotificationT> {
  return withTx(db, async (tx) => {
    const cls = firstRow<{ id: string; organization_id: string; student_ids: string[]; user_ids: string[] }>(
      await tx.execute(sql`
        select c.id, c.organization_id,
               coalesce(jsonb_agg(s.id) filter (where s.id is not null), '[]') as student_ids,
               coalesce(jsonb_agg(s.user_id) filter (where s.user_id is not null), '[]') as user_ids
          from ${classes} c
          left join enrollments e on e.class_id = c.id and e.status = 'enrolled'
          left join students s on s.id = e.student_id and s.deleted_at is null
         where c.id = ${classId} and ${classTeachScope(ctx.actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })}
         group by c.id, c.organization_id`),
    );
    if (!cls) throw notFound('Class');
    const studentIds = cls.student_ids;
    const n = await notify(
      tx,
      {
        organizationId: cls.organization_id,
        userIds: cls.user_ids,
        guardiansOf: input.include_guardians === false ? [] : studentIds,
      },
      input.title,
      input.body,
      { kind: 'announcement', audience: 'class', createdBy: ctx.actor.userId, data: { class_id: classId } },
    );
    const out = {
      id: n.id,
      class_id: classId,
      title: input.title,
      body: input.body,
      include_guardians: input.include_guardians !== false,
      recipient_count: n.recipients,
    };
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'notification',
      entityId: n.id,
      organizationId: cls.organization_id,
      after: { ...out, target_audience: 'class' },
    });
    return out;
  });
}
