import { asc, eq } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { type CrudSpec, crudService, type OrgRef } from '../../kernel/crud.js';
import { businessRule, conflict } from '../../kernel/errors.js';
import { iso, isoText } from '../../kernel/sql.js';
import { academicSessions, assertRef, courses, crudOrgs } from '../academics/index.js';
import { orgScope } from '../organizations/index.js';
import { managesExams, scheduleReadScope } from './exams.policy.js';
import * as repo from './exams.repo.js';
import * as S from './exams.schemas.js';
import { examSchedules, examVenues } from './exams.table.js';

type ScheduleRow = typeof examSchedules.$inferSelect & { entryCount?: number };
type VenueRow = typeof examVenues.$inferSelect;

/** Only the keys the client sent (undefined = keep). */
const pick = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The status changes a schedule may make; completed and cancelled are final. */
export const TRANSITIONS: Record<S.ExamStatusT, readonly S.ExamStatusT[]> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['draft', 'ongoing', 'cancelled'],
  ongoing: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Entries of a schedule in these states can still be added, moved or removed. */
export const EDITABLE: readonly S.ExamStatusT[] = ['draft', 'scheduled'];

export function toSchedule(r: ScheduleRow): S.ExamScheduleT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    name: r.name,
    exam_type: r.examType,
    status: r.status,
    course_id: r.courseId,
    academic_session_id: r.academicSessionId,
    academic_year: r.academicYear,
    semester: r.semester,
    start_date: r.startDate,
    end_date: r.endDate,
    description: r.description,
    entry_count: Number(r.entryCount ?? 0),
    created_by: r.createdBy,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

type ScheduleInput = Static<typeof S.CreateExamSchedule> | Static<typeof S.UpdateExamSchedule>;

async function scheduleValues(tx: Tx, i: ScheduleInput, org: OrgRef, before?: ScheduleRow) {
  const start = i.start_date ?? before!.startDate;
  const end = i.end_date ?? before!.endDate;
  if (end < start) {
    throw businessRule('invalid_date_range', 'end_date must be on or after start_date', [
      { field: 'end_date', message: 'must be on or after start_date' },
    ]);
  }
  await assertRef(tx, courses, i.course_id, org.path, 'course_id', 'Course');
  await assertRef(tx, academicSessions, i.academic_session_id, org.path, 'academic_session_id', 'Session');
  if (before) {
    if (i.status && i.status !== before.status && !TRANSITIONS[before.status].includes(i.status)) {
      const allowed = TRANSITIONS[before.status];
      throw businessRule(
        'invalid_status_transition',
        `A ${before.status} exam schedule cannot become ${i.status}`,
        [{ field: 'status', message: allowed.length ? `may become ${allowed.join(', ')}` : 'is final' }],
      );
    }
    const courseId = i.course_id === undefined ? before.courseId : i.course_id;
    const out = await repo.entriesOutside(tx, before.id, { startDate: start, endDate: end, courseId });
    if (out.dates) {
      throw businessRule(
        'entries_outside_dates',
        `${out.dates} timetable entries fall outside the new dates`,
        [{ field: 'start_date', message: 'must still contain every timetable entry' }],
      );
    }
    if (out.course) {
      throw businessRule('entries_of_other_course', `${out.course} timetable entries are of another course`, [
        { field: 'course_id', message: 'every entry must be a class of this course' },
      ]);
    }
  }
  return pick({
    name: i.name,
    examType: i.exam_type,
    status: i.status,
    courseId: i.course_id,
    academicSessionId: i.academic_session_id,
    academicYear: i.academic_year,
    semester: i.semester,
    startDate: i.start_date,
    endDate: i.end_date,
    description: i.description,
  });
}

export const scheduleSpec: CrudSpec<
  ScheduleRow,
  S.ExamScheduleT,
  typeof S.CreateExamSchedule,
  typeof S.UpdateExamSchedule,
  typeof S.ListExamSchedulesQuery
> = {
  path: '/exams',
  tag: 'exams',
  entity: 'exam_schedule',
  label: 'Exam schedule',
  table: examSchedules,
  orgs: crudOrgs,
  readPermission: 'exams:read',
  writePermission: 'exams:write',
  readScope: (a: Actor) => scheduleReadScope(a, examSchedules),
  writeScope: (a: Actor) => managesExams(a, examSchedules.organizationId),
  schemas: {
    out: S.ExamSchedule,
    create: S.CreateExamSchedule,
    update: S.UpdateExamSchedule,
    listQuery: S.ListExamSchedulesQuery,
  },
  toOut: toSchedule,
  listColumns: {
    id: examSchedules.id,
    organization_id: examSchedules.organizationId,
    name: examSchedules.name,
    exam_type: examSchedules.examType,
    status: examSchedules.status,
    course_id: examSchedules.courseId,
    academic_session_id: examSchedules.academicSessionId,
    academic_year: examSchedules.academicYear,
    semester: examSchedules.semester,
    start_date: examSchedules.startDate,
    end_date: examSchedules.endDate,
    description: examSchedules.description,
    entry_count: repo.entryCount,
    created_by: examSchedules.createdBy,
    created_at: isoText(examSchedules.createdAt),
    updated_at: isoText(examSchedules.updatedAt),
  },
  prepareCreate: async (tx, ctx, i, org) => ({
    ...(await scheduleValues(tx, i, org)),
    status: i.status ?? 'draft',
    createdBy: ctx.actor.userId,
  }),
  prepareUpdate: (tx, _c, i, before, org) => scheduleValues(tx, i, org, before),
  filters: (q) => [
    ...(q.course_id ? [eq(examSchedules.courseId, q.course_id)] : []),
    ...(q.academic_year ? [eq(examSchedules.academicYear, q.academic_year)] : []),
    ...(q.semester ? [eq(examSchedules.semester, q.semester)] : []),
    ...(q.status ? [eq(examSchedules.status, q.status)] : []),
    ...(q.exam_type ? [eq(examSchedules.examType, q.exam_type)] : []),
    ...(q.academic_session_id ? [eq(examSchedules.academicSessionId, q.academic_session_id)] : []),
  ],
  searchColumns: [examSchedules.name],
  orderBy: [asc(examSchedules.startDate), asc(examSchedules.name)],
  selectExtra: { entryCount: repo.entryCount },
};
export const schedulesSvc = crudService(scheduleSpec);

export function toVenue(r: VenueRow) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    name: r.name,
    capacity: r.capacity,
    location: r.location,
    is_active: r.isActive,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

async function assertVenueName(tx: Tx, orgId: string, name: string | undefined, exceptId: string | null) {
  if (name !== undefined && (await repo.venueNameTaken(tx, orgId, name, exceptId))) {
    throw conflict('A venue with this name already exists', 'conflict', [
      { field: 'name', message: 'must be unique in the organization' },
    ]);
  }
}

export const venueSpec: CrudSpec<
  VenueRow,
  ReturnType<typeof toVenue>,
  typeof S.CreateExamVenue,
  typeof S.UpdateExamVenue,
  typeof S.ListExamVenuesQuery
> = {
  path: '/exam-venues',
  tag: 'exams',
  entity: 'exam_venue',
  label: 'Exam venue',
  table: examVenues,
  orgs: crudOrgs,
  readPermission: 'exam_venues:read',
  writePermission: 'exams:write',
  readScope: (a: Actor) => orgScope(a, 'exam_venues:read', examVenues.organizationId),
  writeScope: (a: Actor) => managesExams(a, examVenues.organizationId),
  schemas: {
    out: S.ExamVenue,
    create: S.CreateExamVenue,
    update: S.UpdateExamVenue,
    listQuery: S.ListExamVenuesQuery,
  },
  toOut: toVenue,
  listColumns: {
    id: examVenues.id,
    organization_id: examVenues.organizationId,
    name: examVenues.name,
    capacity: examVenues.capacity,
    location: examVenues.location,
    is_active: examVenues.isActive,
    created_at: isoText(examVenues.createdAt),
    updated_at: isoText(examVenues.updatedAt),
  },
  prepareCreate: async (tx, _c, i, org) => {
    await assertVenueName(tx, org.id, i.name, null);
    return pick({ name: i.name, capacity: i.capacity, location: i.location, isActive: i.is_active });
  },
  prepareUpdate: async (tx, _c, i, before) => {
    await assertVenueName(tx, before.organizationId, i.name, before.id);
    if (i.capacity !== undefined && i.capacity < before.capacity) {
      const peak = await repo.venuePeakLoad(tx, before.id);
      if (peak > i.capacity) {
        throw businessRule('capacity_below_seated', `Upcoming exams seat ${peak} candidates at once here`, [
          { field: 'capacity', message: `must be at least ${peak}` },
        ]);
      }
    }
    return pick({ name: i.name, capacity: i.capacity, location: i.location, isActive: i.is_active });
  },
  filters: (q) => (q.is_active !== undefined ? [eq(examVenues.isActive, q.is_active)] : []),
  searchColumns: [examVenues.name, examVenues.location],
  orderBy: [asc(examVenues.name)],
};
export const venuesSvc = crudService(venueSpec);
