import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import { type CrudOrgs, type CrudSpec, type CrudTable, crudService, type OrgRef } from '../../kernel/crud.js';
import { badRequest, businessRule } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { iso, isoText } from '../../kernel/sql.js';
import { findOrganizationById, findOrganizationInScope } from '../organizations/index.js';
import { catalogReadScope, catalogWriteScope } from './academics.policy.js';
import { assertRef } from './academics.repo.js';
import * as S from './academics.schemas.js';
import { academicSessions, courses, departments, programs, subjects } from './academics.table.js';

type Dept = typeof departments.$inferSelect;
type Prog = typeof programs.$inferSelect;
type CourseRow = typeof courses.$inferSelect;
type Subj = typeof subjects.$inferSelect;
type Sess = typeof academicSessions.$inferSelect;

/** The organization lookups the CRUD factory needs (the kernel may not import the organizations module). */
export const crudOrgs: CrudOrgs = { findInScope: findOrganizationInScope, findById: findOrganizationById };

const catalog = (table: CrudTable) => ({
  orgs: crudOrgs,
  readPermission: 'academics:read',
  writePermission: 'academics:write',
  readScope: (a: Actor) => catalogReadScope(a, table.organizationId),
  writeScope: (a: Actor) => catalogWriteScope(a, table.organizationId),
});
/** `stamps` in SQL, for a spec's `listColumns` (kernel/crud.ts): the same RFC 3339 text. */
const stampCols = (t: { createdAt: AnyPgColumn; updatedAt: AnyPgColumn }) => ({
  created_at: isoText(t.createdAt),
  updated_at: isoText(t.updatedAt),
});
const stamps = (r: { createdAt: Date; updatedAt: Date }) => ({
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});
/** Only the keys the client sent (undefined = keep). */
const pick = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function toDepartment(r: Dept) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    code: r.code,
    name: r.name,
    description: r.description,
    head_faculty_id: r.headFacultyId,
    ...stamps(r),
  };
}
type DeptInput = Static<typeof S.CreateDepartment> | Static<typeof S.UpdateDepartment>;
/**
 * The head must be a faculty member of the department's organization or of one in its tree: the faculty
 * module (which owns faculty records) checks it on the in-transaction event and throws the field error.
 */
const deptValues = async (tx: Tx, ctx: RequestContext, i: DeptInput, org: OrgRef, before?: Dept) => {
  if (i.head_faculty_id) {
    await publish(tx, ctx, 'academics.department_head_assigned', {
      departmentId: before?.id ?? null,
      organizationId: org.id,
      organizationPath: org.path,
      facultyId: i.head_faculty_id,
    });
  }
  return pick({ code: i.code, name: i.name, description: i.description, headFacultyId: i.head_faculty_id });
};
export const departmentSpec: CrudSpec<
  Dept,
  ReturnType<typeof toDepartment>,
  typeof S.CreateDepartment,
  typeof S.UpdateDepartment,
  typeof S.ListDepartmentsQuery
> = {
  path: '/departments',
  tag: 'departments',
  entity: 'department',
  label: 'Department',
  table: departments,
  ...catalog(departments),
  schemas: {
    out: S.Department,
    create: S.CreateDepartment,
    update: S.UpdateDepartment,
    listQuery: S.ListDepartmentsQuery,
  },
  toOut: toDepartment,
  listColumns: {
    id: departments.id,
    organization_id: departments.organizationId,
    code: departments.code,
    name: departments.name,
    description: departments.description,
    head_faculty_id: departments.headFacultyId,
    ...stampCols(departments),
  },
  prepareCreate: (tx, ctx, i, org) => deptValues(tx, ctx, i, org),
  prepareUpdate: (tx, ctx, i, b, org) => deptValues(tx, ctx, i, org, b),
  searchColumns: [departments.name, departments.code],
  orderBy: [asc(departments.name)],
};

export function toProgram(r: Prog) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    department_id: r.departmentId,
    code: r.code,
    name: r.name,
    degree_type: r.degreeType,
    duration: r.duration,
    total_credits: r.totalCredits,
    min_entry_score: r.minEntryScore,
    is_active: r.isActive,
    description: r.description,
    ...stamps(r),
  };
}
type ProgInput = Static<typeof S.CreateProgram> | Static<typeof S.UpdateProgram>;
const progValues = async (tx: Tx, i: ProgInput, org: { path: string }) => {
  await assertRef(tx, departments, i.department_id, org.path, 'department_id', 'Department');
  return pick({
    code: i.code,
    name: i.name,
    departmentId: i.department_id,
    degreeType: i.degree_type,
    duration: i.duration,
    totalCredits: i.total_credits,
    minEntryScore: i.min_entry_score,
    isActive: i.is_active,
    description: i.description,
  });
};
export const programSpec: CrudSpec<
  Prog,
  ReturnType<typeof toProgram>,
  typeof S.CreateProgram,
  typeof S.UpdateProgram,
  typeof S.ListProgramsQuery
> = {
  path: '/programs',
  tag: 'programs',
  entity: 'program',
  label: 'Program',
  table: programs,
  ...catalog(programs),
  schemas: {
    out: S.Program,
    create: S.CreateProgram,
    update: S.UpdateProgram,
    listQuery: S.ListProgramsQuery,
  },
  toOut: toProgram,
  listColumns: {
    id: programs.id,
    organization_id: programs.organizationId,
    department_id: programs.departmentId,
    code: programs.code,
    name: programs.name,
    degree_type: programs.degreeType,
    duration: programs.duration,
    total_credits: programs.totalCredits,
    min_entry_score: programs.minEntryScore,
    is_active: programs.isActive,
    description: programs.description,
    ...stampCols(programs),
  },
  prepareCreate: (tx, _c, i, org) => progValues(tx, i, org),
  prepareUpdate: (tx, _c, i, _b, org) => progValues(tx, i, org),
  filters: (q) => [
    ...(q.department_id ? [eq(programs.departmentId, q.department_id)] : []),
    ...(q.degree_type ? [eq(programs.degreeType, q.degree_type)] : []),
    ...(q.is_active !== undefined ? [eq(programs.isActive, q.is_active)] : []),
  ],
  searchColumns: [programs.name, programs.code],
  orderBy: [asc(programs.name)],
};

export function toCourse(r: CourseRow, org?: { currency: string }) {
  const currency = r.currency ?? org?.currency ?? 'USD';
  return {
    id: r.id,
    organization_id: r.organizationId,
    department_id: r.departmentId,
    code: r.code,
    name: r.name,
    description: r.description,
    credits: Number(r.credits),
    fee: formatMinor(r.feeMinor, currency),
    currency,
    course_type: r.courseType,
    level: r.level,
    is_active: r.isActive,
    ...stamps(r),
  };
}
type CourseInput = Static<typeof S.CreateCourse> | Static<typeof S.UpdateCourse>;
const courseValues = async (
  tx: Tx,
  i: CourseInput,
  org: { path: string; currency: string },
  before?: CourseRow,
) => {
  await assertRef(tx, departments, i.department_id, org.path, 'department_id', 'Department');
  const currency = (i.currency === undefined ? before?.currency : i.currency) ?? org.currency;
  let feeMinor: number | undefined;
  if (i.fee !== undefined) feeMinor = parseAmount(i.fee, currency, 'fee');
  else if (before && i.currency !== undefined) {
    // Changing the currency alone would silently re-denominate the stored fee.
    throw badRequest('Send fee together with currency', [
      { field: 'fee', message: 'is required with currency' },
    ]);
  }
  return pick({
    code: i.code,
    name: i.name,
    departmentId: i.department_id,
    description: i.description,
    credits: i.credits === undefined ? undefined : String(i.credits),
    feeMinor,
    currency: i.currency,
    courseType: i.course_type,
    level: i.level,
    isActive: i.is_active,
  });
};
export const courseSpec: CrudSpec<
  CourseRow,
  ReturnType<typeof toCourse>,
  typeof S.CreateCourse,
  typeof S.UpdateCourse,
  typeof S.ListCoursesQuery
> = {
  path: '/courses',
  tag: 'courses',
  entity: 'course',
  label: 'Course',
  table: courses,
  ...catalog(courses),
  schemas: { out: S.Course, create: S.CreateCourse, update: S.UpdateCourse, listQuery: S.ListCoursesQuery },
  toOut: toCourse,
  needsOrg: true,
  prepareCreate: (tx, _c, i, org) => courseValues(tx, i, org),
  prepareUpdate: (tx, _c, i, b, org) => courseValues(tx, i, org, b),
  filters: (q) => [
    ...(q.department_id ? [eq(courses.departmentId, q.department_id)] : []),
    ...(q.course_type ? [eq(courses.courseType, q.course_type)] : []),
    ...(q.level ? [eq(courses.level, q.level)] : []),
    ...(q.is_active !== undefined ? [eq(courses.isActive, q.is_active)] : []),
  ],
  searchColumns: [courses.name, courses.code],
  orderBy: [asc(courses.code)],
};

export function toSubject(r: Subj) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    code: r.code,
    name: r.name,
    description: r.description,
    ...stamps(r),
  };
}
export const subjectSpec: CrudSpec<
  Subj,
  ReturnType<typeof toSubject>,
  typeof S.CreateSubject,
  typeof S.UpdateSubject,
  typeof S.ListSubjectsQuery
> = {
  path: '/subjects',
  tag: 'subjects',
  entity: 'subject',
  label: 'Subject',
  table: subjects,
  ...catalog(subjects),
  schemas: {
    out: S.Subject,
    create: S.CreateSubject,
    update: S.UpdateSubject,
    listQuery: S.ListSubjectsQuery,
  },
  toOut: toSubject,
  listColumns: {
    id: subjects.id,
    organization_id: subjects.organizationId,
    code: subjects.code,
    name: subjects.name,
    description: subjects.description,
    ...stampCols(subjects),
  },
  prepareCreate: async (_t, _c, i) => pick({ code: i.code, name: i.name, description: i.description }),
  prepareUpdate: async (_t, _c, i) => pick({ code: i.code, name: i.name, description: i.description }),
  searchColumns: [subjects.name, subjects.code],
  orderBy: [asc(subjects.name)],
};

export function toAcademicSession(r: Sess) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    parent_id: r.parentId,
    type: r.type,
    name: r.name,
    start_date: r.startDate,
    end_date: r.endDate,
    is_current: r.isCurrent,
    ...stamps(r),
  };
}
const RANK = { school_year: 0, term: 1, semester: 1, grading_period: 2 } as const;
type SessInput = Static<typeof S.CreateAcademicSession> | Static<typeof S.UpdateAcademicSession>;
/** Dates ordered, the parent one level up and enclosing, existing children still enclosed. */
async function sessionValues(tx: Tx, i: SessInput, org: { path: string }, before?: Sess) {
  const type = (i.type ?? before?.type) as keyof typeof RANK;
  // A create sends both dates (the schema requires them); an update falls back to the stored ones.
  const start = (i.start_date ?? before?.startDate)!;
  const end = (i.end_date ?? before?.endDate)!;
  const parentId = i.parent_id === undefined ? before?.parentId : i.parent_id;
  if (end < start) {
    throw badRequest('end_date is before start_date', [
      { field: 'end_date', message: 'must be on or after start_date' },
    ]);
  }
  if (parentId) {
    if (parentId === before?.id)
      throw businessRule('invalid_parent', 'A session cannot be its own parent', [
        { field: 'parent_id', message: 'is this session' },
      ]);
    const parent: Sess = await assertRef(
      tx,
      academicSessions,
      parentId,
      org.path,
      'parent_id',
      'Parent session',
    );
    if (RANK[parent.type] >= RANK[type]) {
      throw businessRule('invalid_parent', `A ${type} cannot sit under a ${parent.type}`, [
        { field: 'parent_id', message: 'must be a session of a higher level' },
      ]);
    }
    if (start < parent.startDate || end > parent.endDate) {
      throw businessRule('session_outside_parent', "The session's dates must lie within its parent's", [
        { field: 'start_date', message: `must be within ${parent.startDate}..${parent.endDate}` },
      ]);
    }
  }
  if (before) {
    const [child] = await tx
      .select({ id: academicSessions.id })
      .from(academicSessions)
      .where(
        and(
          eq(academicSessions.parentId, before.id),
          or(lt(academicSessions.startDate, start), gt(academicSessions.endDate, end)),
        ),
      )
      .limit(1);
    if (child) {
      throw businessRule('session_children_outside', 'A child session would fall outside the new dates', [
        { field: 'start_date', message: 'must still contain every child session' },
      ]);
    }
  }
  return pick({
    parentId: i.parent_id,
    type: i.type,
    name: i.name,
    startDate: i.start_date,
    endDate: i.end_date,
    isCurrent: i.is_current,
  });
}
export const academicSessionSpec: CrudSpec<
  Sess,
  ReturnType<typeof toAcademicSession>,
  typeof S.CreateAcademicSession,
  typeof S.UpdateAcademicSession,
  typeof S.ListAcademicSessionsQuery
> = {
  path: '/academic-sessions',
  tag: 'academic-sessions',
  entity: 'academic_session',
  label: 'Academic session',
  table: academicSessions,
  ...catalog(academicSessions),
  schemas: {
    out: S.AcademicSession,
    create: S.CreateAcademicSession,
    update: S.UpdateAcademicSession,
    listQuery: S.ListAcademicSessionsQuery,
  },
  toOut: toAcademicSession,
  listColumns: {
    id: academicSessions.id,
    organization_id: academicSessions.organizationId,
    parent_id: academicSessions.parentId,
    type: academicSessions.type,
    name: academicSessions.name,
    start_date: academicSessions.startDate,
    end_date: academicSessions.endDate,
    is_current: academicSessions.isCurrent,
    ...stampCols(academicSessions),
  },
  prepareCreate: (tx, _c, i, org) => sessionValues(tx, i, org),
  prepareUpdate: (tx, _c, i, b, org) => sessionValues(tx, i, org, b),
  filters: (q) => [
    ...(q.type ? [eq(academicSessions.type, q.type)] : []),
    ...(q.parent_id ? [eq(academicSessions.parentId, q.parent_id)] : []),
    ...(q.is_current !== undefined ? [eq(academicSessions.isCurrent, q.is_current)] : []),
    ...(q.on_date
      ? [sql`${q.on_date}::date between ${academicSessions.startDate} and ${academicSessions.endDate}`]
      : []),
  ],
  searchColumns: [academicSessions.name],
  orderBy: [asc(academicSessions.startDate)],
};

export const departmentsSvc = crudService(departmentSpec);
export const programsSvc = crudService(programSpec);
export const coursesSvc = crudService(courseSpec);
export const subjectsSvc = crudService(subjectSpec);
export const academicSessionsSvc = crudService(academicSessionSpec);
