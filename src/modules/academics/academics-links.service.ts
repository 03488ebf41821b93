import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { findOrganizationById, organizations } from '../organizations/index.js';
import { catalogReadScope } from './academics.policy.js';
import { assertRef, lockPrerequisiteGraph, requiresTransitively } from './academics.repo.js';
import { coursesSvc, departmentsSvc, programsSvc, toCourse } from './academics.service.js';
import { coursePrerequisites, courses, programCourses } from './academics.table.js';

/** Courses with their organization's currency (for rendering the fee), one query. */
const courseWithCurrency = { course: courses, currency: organizations.currency };

// Prerequisites

export async function listPrerequisites(db: Db, ctx: RequestContext, courseId: string) {
  await coursesSvc.findReadable(db, ctx.actor, courseId);
  const rows = await db
    .select(courseWithCurrency)
    .from(coursePrerequisites)
    .innerJoin(courses, eq(courses.id, coursePrerequisites.prerequisiteCourseId))
    .innerJoin(organizations, eq(organizations.id, courses.organizationId))
    .where(
      and(eq(coursePrerequisites.courseId, courseId), catalogReadScope(ctx.actor, courses.organizationId)),
    )
    .orderBy(asc(courses.code));
  return rows.map((r) => toCourse(r.course, { currency: r.currency }));
}

export async function addPrerequisite(db: Db, ctx: RequestContext, courseId: string, prereqId: string) {
  return withTx(db, async (tx) => {
    const course = await coursesSvc.findWritable(tx, ctx.actor, courseId);
    const org = (await findOrganizationById(tx, course.organizationId))!;
    await assertRef(tx, courses, prereqId, org.path, 'prerequisite_course_id', 'Prerequisite course');
    await lockPrerequisiteGraph(tx, org.id);
    if (prereqId === courseId || (await requiresTransitively(tx, prereqId, courseId))) {
      throw businessRule('prerequisite_cycle', 'The prerequisite would make the course require itself', [
        { field: 'prerequisite_course_id', message: 'already requires this course' },
      ]);
    }
    const [row] = await tx
      .insert(coursePrerequisites)
      .values({ courseId, prerequisiteCourseId: prereqId })
      .returning();
    const out = {
      course_id: row.courseId,
      prerequisite_course_id: row.prerequisiteCourseId,
      created_at: iso(row.createdAt)!,
    };
    await recordAudit(tx, ctx, {
      action: 'add_prerequisite',
      entityType: 'course',
      entityId: courseId,
      organizationId: org.id,
      after: out,
    });
    return out;
  });
}

export async function removePrerequisite(db: Db, ctx: RequestContext, courseId: string, prereqId: string) {
  await withTx(db, async (tx) => {
    const course = await coursesSvc.findWritable(tx, ctx.actor, courseId);
    const gone = await tx
      .delete(coursePrerequisites)
      .where(
        and(
          eq(coursePrerequisites.courseId, courseId),
          eq(coursePrerequisites.prerequisiteCourseId, prereqId),
        ),
      )
      .returning();
    if (gone.length === 0) throw notFound('Prerequisite');
    await recordAudit(tx, ctx, {
      action: 'remove_prerequisite',
      entityType: 'course',
      entityId: courseId,
      organizationId: course.organizationId,
      before: { prerequisite_course_id: prereqId },
    });
  });
}

// Program courses

function toProgramCourse(r: {
  pc: typeof programCourses.$inferSelect;
  course: typeof courses.$inferSelect;
  currency: string;
}) {
  return {
    program_id: r.pc.programId,
    course_id: r.pc.courseId,
    semester: r.pc.semester,
    is_required: r.pc.isRequired,
    course: toCourse(r.course, { currency: r.currency }),
  };
}

export async function listProgramCourses(db: Db, ctx: RequestContext, programId: string, w: PageWindow) {
  await programsSvc.findReadable(db, ctx.actor, programId);
  const where = eq(programCourses.programId, programId);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ pc: programCourses, ...courseWithCurrency, _total })
        .from(programCourses)
        .innerJoin(courses, eq(courses.id, programCourses.courseId))
        .innerJoin(organizations, eq(organizations.id, courses.organizationId))
        .where(where)
        .orderBy(sql`${programCourses.semester} asc nulls last`, asc(courses.code))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(programCourses).where(where),
    w,
  );
  return page(rows.map(toProgramCourse), total, w);
}

export async function attachProgramCourse(
  db: Db,
  ctx: RequestContext,
  programId: string,
  input: { course_id: string; semester?: number | null; is_required?: boolean },
) {
  return withTx(db, async (tx) => {
    const program = await programsSvc.findWritable(tx, ctx.actor, programId);
    const org = (await findOrganizationById(tx, program.organizationId))!;
    const course = await assertRef(tx, courses, input.course_id, org.path, 'course_id', 'Course');
    const [pc] = await tx
      .insert(programCourses)
      .values({
        programId,
        courseId: input.course_id,
        semester: input.semester ?? null,
        isRequired: input.is_required ?? true,
      })
      .returning();
    const courseOrg = (await findOrganizationById(tx, course.organizationId))!;
    const out = toProgramCourse({ pc, course, currency: courseOrg.currency });
    await recordAudit(tx, ctx, {
      action: 'attach_course',
      entityType: 'program',
      entityId: programId,
      organizationId: org.id,
      after: { course_id: pc.courseId, semester: pc.semester, is_required: pc.isRequired },
    });
    return out;
  });
}

export async function detachProgramCourse(db: Db, ctx: RequestContext, programId: string, courseId: string) {
  await withTx(db, async (tx) => {
    const program = await programsSvc.findWritable(tx, ctx.actor, programId);
    const gone = await tx
      .delete(programCourses)
      .where(and(eq(programCourses.programId, programId), eq(programCourses.courseId, courseId)))
      .returning();
    if (gone.length === 0) throw notFound('Program course');
    await recordAudit(tx, ctx, {
      action: 'detach_course',
      entityType: 'program',
      entityId: programId,
      organizationId: program.organizationId,
      before: { course_id: courseId, semester: gone[0].semester },
    });
  });
}

// Department sub-resources

export async function departmentCourses(db: Db, ctx: RequestContext, id: string, w: PageWindow) {
  await departmentsSvc.findReadable(db, ctx.actor, id);
  return coursesSvc.list(db, ctx, { department_id: id }, w);
}
