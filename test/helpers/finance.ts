import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { publish } from '../../src/kernel/events.js';
import { enrollments } from '../../src/modules/enrollments/enrollments.table.js';
import { makeClass, makeCourse, makeStudent } from './academic.js';
import { type App, call } from './app.js';
import { makeUser, makeWorld } from './factories.js';

/**
 * Stands in for the enrollment endpoint until it is merged: inserts an active enrollment and publishes
 * enrollments.enrolled in ONE transaction, exactly as the real endpoint will.
 */
export async function enrollWithHooks(
  app: App,
  studentId: string,
  cls: { id: string; organizationId: string },
  at = new Date(),
) {
  return app.deps.db.transaction(async (tx) => {
    const [e] = await tx
      .insert(enrollments)
      .values({ studentId, classId: cls.id, organizationId: cls.organizationId, enrolledAt: at })
      .returning();
    await publish(tx, null, 'enrollments.enrolled', {
      enrollmentId: e.id,
      studentId,
      classId: cls.id,
      organizationId: cls.organizationId,
      courseId: null,
      at,
    });
    return e;
  });
}

/** Drops an enrollment and publishes enrollments.dropped in one transaction. */
export async function dropWithHooks(app: App, e: typeof enrollments.$inferSelect, at = new Date()) {
  await app.deps.db.transaction(async (tx) => {
    await tx.update(enrollments).set({ status: 'dropped', droppedAt: at }).where(eq(enrollments.id, e.id));
    await publish(tx, null, 'enrollments.dropped', {
      enrollmentId: e.id,
      studentId: e.studentId,
      classId: e.classId,
      organizationId: e.organizationId,
      courseId: null,
      at,
    });
  });
}

export const key = () => `k-${randomUUID()}`;

/** A tenant with a finance desk (admin, staff), a priced course and class, and a signed-in student. */
export async function makeFinanceWorld(app: App, feeMinor = 50000) {
  const w = await makeWorld(app, 'school' as any);
  const staff = await makeUser(app, w.org, 'staff');
  const course = await makeCourse(app, w.org, { feeMinor, code: `FIN${Math.floor(Math.random() * 1e6)}` });
  const cls = await makeClass(app, w.org, { courseId: course.id });
  const student = await makeStudent(app, w.org, {}, { login: true });
  return { ...w, staff, course, cls, student };
}

/** POST a desk payment with a fresh Idempotency-Key. */
export function deskPay(app: App, token: string, studentId: string, amount: string, k = key(), extra = {}) {
  return call(app, 'POST', '/api/v1/fee-payments', {
    token,
    headers: { 'idempotency-key': k },
    body: { student_id: studentId, amount, method: 'cash', ...extra },
  });
}
