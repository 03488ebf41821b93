import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { classes, classTeachScope } from '../classes/index.js';
import { students } from '../students/index.js';
import type { EnrollmentRow } from './enrollments.repo.js';
import * as repo from './enrollments.repo.js';
import { dropRows, enrollPairs, toEnrollment } from './enrollments.service.js';
import { enrollments } from './enrollments.table.js';

/** The roster: the class's enrollments (active by default) with the students' names. */
export async function getRoster(
  db: Db,
  ctx: RequestContext,
  classId: string,
  q: { status?: EnrollmentRow['status'] },
  w: PageWindow,
) {
  const [cls] = await db
    .select({ id: classes.id })
    .from(classes)
    .where(and(eq(classes.id, classId), classTeachScope(ctx.actor, classes)));
  if (!cls) throw notFound('Class');
  const conds: SQL[] = [eq(enrollments.classId, classId)];
  conds.push(eq(enrollments.status, q.status ?? 'enrolled'));
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ e: enrollments, s: students })
      .from(enrollments)
      .innerJoin(students, eq(students.id, enrollments.studentId))
      .where(where)
      .orderBy(asc(students.lastName), asc(students.firstName), asc(enrollments.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(enrollments).where(where),
  ]);
  return page(
    rows.map(({ e, s }) => ({
      enrollment_id: e.id,
      student_id: s.id,
      student_number: s.studentNumber,
      first_name: s.firstName,
      last_name: s.lastName,
      email: s.email,
      status: e.status,
      enrolled_at: iso(e.enrolledAt)!,
      dropped_at: iso(e.droppedAt),
    })),
    total,
    w,
  );
}

/**
 * Replaces the roster in one call: active enrollments of students not in the list are dropped (history kept),
 * new students are enrolled with every rule checked, all set-based in one transaction.
 */
export async function replaceRoster(db: Db, ctx: RequestContext, classId: string, studentIds: string[]) {
  return withTx(db, async (tx) => {
    const [cls] = await repo.lockClasses(tx, [classId], classTeachScope(ctx.actor, classes));
    if (!cls) throw notFound('Class');
    const current = await tx
      .select({ id: enrollments.id, studentId: enrollments.studentId })
      .from(enrollments)
      .where(and(eq(enrollments.classId, classId), eq(enrollments.status, 'enrolled')));
    const wanted = new Set(studentIds);
    const have = new Set(current.map((c) => c.studentId));
    const dropped = await dropRows(
      tx,
      ctx,
      current.filter((c) => !wanted.has(c.studentId)).map((c) => c.id),
      'removed from roster',
      'teach',
    );
    const added = await enrollPairs(
      tx,
      ctx,
      [...wanted].filter((s) => !have.has(s)).map((studentId) => ({ studentId, classId })),
      'teach',
    );
    return {
      class_id: classId,
      student_ids: [...wanted],
      added: added.map(toEnrollment),
      dropped: dropped.map(toEnrollment),
    };
  });
}

export async function addToRoster(db: Db, ctx: RequestContext, classId: string, studentIds: string[]) {
  return withTx(db, async (tx) => {
    const rows = await enrollPairs(
      tx,
      ctx,
      studentIds.map((studentId) => ({ studentId, classId })),
      'teach',
    );
    return rows.map(toEnrollment);
  });
}

export async function removeFromRoster(db: Db, ctx: RequestContext, classId: string, studentId: string) {
  await withTx(db, async (tx) => {
    const [cls] = await repo.lockClasses(tx, [classId], classTeachScope(ctx.actor, classes));
    if (!cls) throw notFound('Class');
    const [e] = await tx
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(
        and(
          eq(enrollments.classId, classId),
          eq(enrollments.studentId, studentId),
          eq(enrollments.status, 'enrolled'),
        ),
      );
    if (!e) throw notFound('Enrollment');
    await dropRows(tx, ctx, [e.id], 'removed from roster', 'teach');
  });
}
