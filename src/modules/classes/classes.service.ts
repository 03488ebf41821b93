import { and, asc, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db, DbOrTx, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { type Actor, canInOrgPath, type RequestContext } from '../../kernel/auth/actor.js';
import { type CrudSpec, crudService } from '../../kernel/crud.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso, isoText } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { academicSessions, assertRef, courses, crudOrgs, subjects } from '../academics/index.js';
import { faculty, facultySelfScope } from '../faculty/index.js';
import { findOrganizationById, orgScope } from '../organizations/index.js';
import { classEditScope, classReadScope, classTeachScope } from './classes.policy.js';
import * as repo from './classes.repo.js';
import * as S from './classes.schemas.js';
import { classes, teachingAssignments } from './classes.table.js';

type ClassRow = repo.ClassRow;

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

type ClassInput = Static<typeof S.CreateClass> | Static<typeof S.UpdateClass>;

async function classValues(tx: Tx, i: ClassInput, org: { path: string }) {
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

export const classSpec: CrudSpec<
  ClassRow,
  ReturnType<typeof toClass>,
  typeof S.CreateClass,
  typeof S.UpdateClass,
  typeof S.ListClassesQuery
> = {
  path: '/classes',
  tag: 'classes',
  entity: 'class',
  label: 'Class',
  table: classes,
  orgs: crudOrgs,
  readPermission: 'classes:read',
  writePermission: 'classes:write',
  readScope: (a: Actor) => classReadScope(a, classes),
  writeScope: (a: Actor) => orgScope(a, 'classes:write', classes.organizationId),
  schemas: {
    out: S.Class,
    create: S.CreateClass,
    update: S.UpdateClass,
    listQuery: S.ListClassesQuery,
  },
  toOut: toClass,
  listColumns: {
    id: classes.id,
    organization_id: classes.organizationId,
    name: classes.name,
    course_id: classes.courseId,
    subject_id: classes.subjectId,
    grade_level: classes.gradeLevel,
    section: classes.section,
    academic_session_id: classes.academicSessionId,
    capacity: classes.capacity,
    room: classes.room,
    allow_self_enrollment: classes.allowSelfEnrollment,
    is_active: classes.isActive,
    enrolled_count: sql<number>`(${repo.enrolledCount})::int`,
    created_at: isoText(classes.createdAt),
    updated_at: isoText(classes.updatedAt),
  },
  createPermission: 'classes:create',
  updatePermission: 'classes:edit',
  updateScope: (a: Actor) => classEditScope(a, classes),
  prepareCreate: (tx, _c, i, org) => classValues(tx, i, org),
  afterCreate: async (tx, ctx, row, org) => {
    // A teacher (not a manager there) creating a class teaches it; without that they could not reach it.
    if (canInOrgPath(ctx.actor, 'classes:write', org.path)) return;
    const me = await repo.findOwnFacultyId(tx, ctx.actor.userId);
    if (!me) {
      throw businessRule(
        'faculty_profile_required',
        'Only a faculty member with a profile can create a class',
      );
    }
    await repo.insertAssignment(tx, { facultyId: me, classId: row.id, role: 'owner' });
  },
  prepareUpdate: async (tx, _c, i, before, org) => {
    const v = await classValues(tx, i, org);
    if (i.capacity !== undefined && i.capacity !== null) {
      const n = await repo.activeEnrollmentCount(tx, before.id);
      if (n > i.capacity) {
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
  selectExtra: { enrolledCount: repo.enrolledCount },
};
export const classesSvc = crudService(classSpec);

// Teaching assignments

function toAssignment(r: repo.TeachingAssignmentRow) {
  return {
    id: r.id,
    faculty_id: r.facultyId,
    class_id: r.classId,
    subject_id: r.subjectId,
    role: r.role,
    created_at: iso(r.createdAt)!,
  };
}

export async function createAssignment(
  db: Db,
  ctx: RequestContext,
  input: Static<typeof S.CreateTeachingAssignment>,
) {
  return withTx(db, async (tx) => {
    const cls = await classesSvc.findWritable(tx, ctx.actor, input.class_id);
    const org = (await findOrganizationById(tx, cls.organizationId))!;
    const f = await assertRef(tx, faculty, input.faculty_id, org.path, 'faculty_id', 'Faculty member', {
      alsoSubtree: true,
    });
    if (f.deletedAt) throw notFound('Faculty member');
    await assertRef(tx, subjects, input.subject_id, org.path, 'subject_id', 'Subject');
    const row = await repo.insertAssignment(tx, {
      facultyId: input.faculty_id,
      classId: cls.id,
      subjectId: input.subject_id ?? null,
      role: input.role ?? 'teacher',
    });
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

export async function listAssignments(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof S.ListTeachingAssignmentsQuery>,
  w: PageWindow,
) {
  const conds: SQL[] = [
    classReadScope(ctx.actor, { id: teachingAssignments.classId, organizationId: classes.organizationId }),
  ];
  if (q.faculty_id) conds.push(eq(teachingAssignments.facultyId, q.faculty_id));
  if (q.class_id) conds.push(eq(teachingAssignments.classId, q.class_id));
  const { rows, total } = await repo.listAssignments(db, and(...conds), w);
  return page(rows.map(toAssignment), total, w);
}

export async function deleteAssignment(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const row = await repo.lockAssignment(
      tx,
      id,
      orgScope(ctx.actor, 'classes:write', classes.organizationId),
    );
    if (!row) throw notFound('Teaching assignment');
    await repo.deleteAssignment(tx, id);
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
  const { rows, total } = await repo.classTeachers(db, classId, w);
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
  const f = await repo.findLiveFaculty(
    db,
    facultyId,
    or(orgScope(ctx.actor, 'classes:write', faculty.organizationId), eq(faculty.userId, ctx.actor.userId))!,
  );
  if (!f) throw notFound('Faculty member');
  const { rows, total } = await repo.classesTaughtBy(db, facultyId, classTeachScope(ctx.actor, classes), w);
  return page(rows.map(toClass), total, w);
}

// A faculty member's teaching data (GET /faculty/{id}/courses here, /faculty/{id}/students in enrollments)

/**
 * The faculty member, if the actor may see their teaching data (managers in their subtree, or the member
 * themself — not their colleagues); else 404.
 */
export async function teachingFacultyInScope(db: DbOrTx, ctx: RequestContext, facultyId: string) {
  const f = await repo.findLiveFaculty(db, facultyId, facultySelfScope(ctx.actor));
  if (!f) throw notFound('Faculty member');
  return f;
}

/** Courses of the classes a faculty member teaches. */
export async function facultyCourses(db: Db, ctx: RequestContext, facultyId: string) {
  await teachingFacultyInScope(db, ctx, facultyId);
  const rows = await repo.coursesTaught(db, facultyId);
  return rows.map((r) => ({ ...r, credits: Number(r.credits), class_count: Number(r.class_count) }));
}
