import { and, asc, count, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { type Actor, canInOrgPath, type RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import {
  academicSessions,
  assertRef,
  type CrudSpec,
  courses,
  crudService,
  subjects,
} from '../academics/index.js';
import { faculty } from '../faculty/index.js';
import { findOrganizationById, orgScope } from '../organizations/index.js';
import { classReadScope, classTeachScope } from './classes.policy.js';
import * as S from './classes.schemas.js';
import { classes, teachingAssignments } from './classes.table.js';

type ClassRow = typeof classes.$inferSelect & { enrolledCount?: number };

export function toClass(r: ClassRow) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    name: r.name,
    course_id: r.courseId,
    subject_id: r.subjectId,
    grade_level: r.gradeLevel,
    section: r.section,
    academic_session_id: r.academicSessionId,
    capacity: r.capacity,
    room: r.room,
    allow_self_enrollment: r.allowSelfEnrollment,
    is_active: r.isActive,
    enrolled_count: Number(r.enrolledCount ?? 0),
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

const pick = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

async function classValues(tx: any, i: any, org: { path: string }) {
  await assertRef(tx, courses, i.course_id, org.path, 'course_id', 'Course');
  await assertRef(tx, subjects, i.subject_id, org.path, 'subject_id', 'Subject');
  await assertRef(
    tx,
    academicSessions,
    i.academic_session_id,
    org.path,
    'academic_session_id',
    'Academic session',
  );
  return pick({
    name: i.name,
    courseId: i.course_id,
    subjectId: i.subject_id,
    gradeLevel: i.grade_level,
    section: i.section,
    academicSessionId: i.academic_session_id,
    capacity: i.capacity,
    room: i.room,
    allowSelfEnrollment: i.allow_self_enrollment,
    isActive: i.is_active,
  });
}

/** Active enrollments of a class, computed by the (class_id, status) index. */
const enrolledCount = sql<number>`(select count(*) from enrollments ce where ce.class_id = classes.id and ce.status = 'enrolled')`;

export const classSpec: CrudSpec<ClassRow, ReturnType<typeof toClass>> = {
  path: '/classes',
  tag: 'classes',
  entity: 'class',
  label: 'Class',
  table: classes,
  readPermission: 'classes:read',
  writePermission: 'classes:write',
  readScope: (a: Actor) => classReadScope(a, classes),
  writeScope: (a: Actor) => orgScope(a, 'classes:write', classes.organizationId),
  schemas: { out: S.Class, create: S.CreateClass, update: S.UpdateClass, listQuery: S.ListClassesQuery },
  toOut: toClass,
  createPermission: 'classes:create',
  prepareCreate: (tx, _c, i, org) => classValues(tx, i, org),
  afterCreate: async (tx, ctx, row, org) => {
    // A teacher (not a manager there) creating a class teaches it; without that they could not reach it.
    if (canInOrgPath(ctx.actor, 'classes:write', org.path)) return;
    const [me] = await tx
      .select({ id: faculty.id })
      .from(faculty)
      .where(and(eq(faculty.userId, ctx.actor.userId), isNull(faculty.deletedAt)));
    if (!me) {
      throw businessRule(
        'faculty_profile_required',
        'Only a faculty member with a profile can create a class',
      );
    }
    await tx.insert(teachingAssignments).values({ facultyId: me.id, classId: row.id, role: 'owner' });
  },
  prepareUpdate: async (tx, _c, i, before, org) => {
    const v = await classValues(tx, i, org);
    if (i.capacity !== undefined && i.capacity !== null) {
      const [{ n }] = await tx
        .select({ n: count() })
        .from(sql`enrollments`)
        .where(sql`class_id = ${before.id} and status = 'enrolled'`);
      if (Number(n) > i.capacity) {
        throw businessRule('capacity_below_enrollment', `The class already has ${n} active enrollments`, [
          { field: 'capacity', message: `must be at least ${n}` },
        ]);
      }
    }
    return v;
  },
  filters: (q) => [
    ...(q.course_id ? [eq(classes.courseId, q.course_id)] : []),
    ...(q.subject_id ? [eq(classes.subjectId, q.subject_id)] : []),
    ...(q.academic_session_id ? [eq(classes.academicSessionId, q.academic_session_id)] : []),
    ...(q.grade_level ? [eq(classes.gradeLevel, q.grade_level)] : []),
    ...(q.is_active !== undefined ? [eq(classes.isActive, q.is_active)] : []),
  ],
  searchColumns: [classes.name, classes.section, classes.room],
  orderBy: [asc(classes.name)],
  selectExtra: { enrolledCount },
};
export const classesSvc = crudService(classSpec);

// Teaching assignments

function toAssignment(r: typeof teachingAssignments.$inferSelect) {
  return {
    id: r.id,
    faculty_id: r.facultyId,
    class_id: r.classId,
    subject_id: r.subjectId,
    role: r.role,
    created_at: iso(r.createdAt)!,
  };
}

export async function createAssignment(db: Db, ctx: RequestContext, input: any) {
  return withTx(db, async (tx) => {
    const cls = await classesSvc.findWritable(tx, ctx.actor, input.class_id);
    const org = (await findOrganizationById(tx, cls.organizationId))!;
    const f = await assertRef(tx, faculty, input.faculty_id, org.path, 'faculty_id', 'Faculty member', {
      alsoSubtree: true,
    });
    if (f.deletedAt) throw notFound('Faculty member');
    await assertRef(tx, subjects, input.subject_id, org.path, 'subject_id', 'Subject');
    const [row] = await tx
      .insert(teachingAssignments)
      .values({
        facultyId: input.faculty_id,
        classId: cls.id,
        subjectId: input.subject_id ?? null,
        role: input.role ?? 'teacher',
      })
      .returning();
    const out = toAssignment(row);
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'teaching_assignment',
      entityId: row.id,
      organizationId: cls.organizationId,
      after: out,
    });
    return out;
  });
}

export async function listAssignments(db: Db, ctx: RequestContext, q: any, w: PageWindow) {
  const conds: SQL[] = [
    classReadScope(ctx.actor, { id: teachingAssignments.classId, organizationId: classes.organizationId }),
  ];
  if (q.faculty_id) conds.push(eq(teachingAssignments.facultyId, q.faculty_id));
  if (q.class_id) conds.push(eq(teachingAssignments.classId, q.class_id));
  const where = and(...conds);
  const base = () =>
    db.select().from(teachingAssignments).innerJoin(classes, eq(classes.id, teachingAssignments.classId));
  const [rows, [{ total }]] = await Promise.all([
    base()
      .where(where)
      .orderBy(asc(teachingAssignments.createdAt), asc(teachingAssignments.id))
      .limit(w.limit)
      .offset(w.offset),
    db
      .select({ total: count() })
      .from(teachingAssignments)
      .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
      .where(where),
  ]);
  return page(
    rows.map((r) => toAssignment(r.teaching_assignments)),
    total,
    w,
  );
}

export async function deleteAssignment(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const [row] = await tx
      .select({ ta: teachingAssignments, orgId: classes.organizationId })
      .from(teachingAssignments)
      .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
      .where(
        and(eq(teachingAssignments.id, id), orgScope(ctx.actor, 'classes:write', classes.organizationId)),
      )
      .for('update', { of: teachingAssignments });
    if (!row) throw notFound('Teaching assignment');
    await tx.delete(teachingAssignments).where(eq(teachingAssignments.id, id));
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'teaching_assignment',
      entityId: id,
      organizationId: row.orgId,
      before: toAssignment(row.ta),
    });
  });
}

export async function classTeachers(db: Db, ctx: RequestContext, classId: string, w: PageWindow) {
  await classesSvc.findReadable(db, ctx.actor, classId);
  const where = eq(teachingAssignments.classId, classId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ ta: teachingAssignments, f: faculty })
      .from(teachingAssignments)
      .innerJoin(faculty, eq(faculty.id, teachingAssignments.facultyId))
      .where(where)
      .orderBy(asc(faculty.lastName), asc(faculty.firstName), asc(teachingAssignments.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(teachingAssignments).where(where),
  ]);
  return page(
    rows.map(({ ta, f }) => ({
      assignment_id: ta.id,
      faculty_id: f.id,
      first_name: f.firstName,
      last_name: f.lastName,
      email: f.email,
      designation: f.designation,
      subject_id: ta.subjectId,
      role: ta.role,
    })),
    total,
    w,
  );
}

/** Classes a faculty member teaches: visible to managers of their organization and to themselves. */
export async function facultyClasses(db: Db, ctx: RequestContext, facultyId: string, w: PageWindow) {
  const [f] = await db
    .select({ id: faculty.id })
    .from(faculty)
    .where(
      and(
        eq(faculty.id, facultyId),
        isNull(faculty.deletedAt),
        or(
          orgScope(ctx.actor, 'classes:write', faculty.organizationId),
          eq(faculty.userId, ctx.actor.userId),
        ),
      ),
    );
  if (!f) throw notFound('Faculty member');
  const where = and(
    sql`${classes.id} in (select fta.class_id from teaching_assignments fta where fta.faculty_id = ${facultyId})`,
    classTeachScope(ctx.actor, classes),
  );
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ c: classes, enrolledCount })
      .from(classes)
      .where(where)
      .orderBy(asc(classes.name), asc(classes.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(classes).where(where),
  ]);
  return page(
    rows.map((r) => toClass({ ...r.c, enrolledCount: r.enrolledCount })),
    total,
    w,
  );
}
