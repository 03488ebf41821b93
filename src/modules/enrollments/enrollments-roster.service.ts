import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { isoText } from '../../kernel/sql.js';
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
  // One statement: the class's scope is a predicate of the page (and of its count); only an empty page asks
  // whether the class itself is out of scope (404) or simply has no one enrolled. Name order is the
  // enrollments' copy of the names (enrollments.custom.sql): enrollments_roster_idx serves it, stopping at
  // the page.
  const inScope = sql`exists (select 1 from ${classes} where ${classes.id} = ${enrollments.classId} and ${classTeachScope(ctx.actor, classes)})`;
  const where = and(
    eq(enrollments.classId, classId),
    eq(enrollments.status, q.status ?? 'enrolled'),
    inScope,
  );
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({
          enrollment_id: enrollments.id,
          student_id: students.id,
          student_number: students.studentNumber,
          first_name: students.firstName,
          last_name: students.lastName,
          email: students.email,
          status: enrollments.status,
          enrolled_at: isoText(enrollments.enrolledAt),
          dropped_at: sql<string | null>`${isoText(enrollments.droppedAt)}`,
          _total,
        })
        .from(enrollments)
        .innerJoin(students, eq(students.id, enrollments.studentId))
        .where(where)
        .orderBy(asc(enrollments.studentLastName), asc(enrollments.studentFirstName), asc(enrollments.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(enrollments).where(where),
    w,
  );
  if (rows.length === 0) {
    const [cls] = await db
      .select({ id: classes.id })
      .from(classes)
      .where(and(eq(classes.id, classId), classTeachScope(ctx.actor, classes)));
    if (!cls) throw notFound('Class');
  }
  // The select shapes the row (timestamps included): no per-row mapping; `_total` is not in the schema.
  return page(rows, total, w);
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

/** A roster body names its students by id, by student number or by roll number (exactly one). */
export interface RosterStudents {
  student_ids?: string[];
  student_numbers?: string[];
  roll_numbers?: string[];
}

/**
 * The student ids a roster body names, in its order. Numbers are looked up in ONE query among the live
 * students of the class's own organization (where student numbers are unique); a number that matches no one,
 * or a roll number that matches several, is 422 naming each. The class must be in the actor's scope (404).
 */
export async function rosterStudentIds(db: Db, ctx: RequestContext, classId: string, body: RosterStudents) {
  const lists = (['student_ids', 'student_numbers', 'roll_numbers'] as const).filter((k) => body[k]);
  if (lists.length !== 1) {
    throw badRequest('Give exactly one of student_ids, student_numbers or roll_numbers', [
      { field: lists[1] ?? 'student_ids', message: 'give exactly one of the three lists' },
    ]);
  }
  if (body.student_ids) return body.student_ids;
  const [cls] = await db
    .select({ organizationId: classes.organizationId })
    .from(classes)
    .where(and(eq(classes.id, classId), classTeachScope(ctx.actor, classes)));
  if (!cls) throw notFound('Class');
  const byNumber = Boolean(body.student_numbers);
  const values = (body.student_numbers ?? body.roll_numbers)!;
  const column = byNumber ? students.studentNumber : students.rollNo;
  const found = await db
    .select({ id: students.id, key: column })
    .from(students)
    .where(
      and(
        eq(students.organizationId, cls.organizationId),
        isNull(students.deletedAt),
        inArray(column, values),
      ),
    );
  const ids = new Map<string, string[]>();
  for (const r of found) if (r.key !== null) ids.set(r.key, [...(ids.get(r.key) ?? []), r.id]);
  const field = byNumber ? 'student_numbers' : 'roll_numbers';
  const unknown = values.filter((v) => !ids.has(v));
  const ambiguous = values.filter((v) => (ids.get(v)?.length ?? 0) > 1);
  if (unknown.length || ambiguous.length) {
    throw businessRule(
      unknown.length ? 'unknown_students' : 'ambiguous_roll_numbers',
      unknown.length
        ? `No student of the class's organization has ${byNumber ? 'student' : 'roll'} number ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ' …' : ''}`
        : `Several students share roll number ${ambiguous.slice(0, 5).join(', ')}: use student numbers`,
      [
        ...unknown.map((v) => ({ field, value: v, message: 'matches no student of this organization' })),
        ...ambiguous.map((v) => ({ field, value: v, message: 'matches several students' })),
      ],
    );
  }
  return values.map((v) => ids.get(v)![0]);
}
