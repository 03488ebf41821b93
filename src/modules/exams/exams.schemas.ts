import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

const opt = Type.Optional;
const strict = { additionalProperties: false } as const;
const patch = { additionalProperties: false, minProperties: 1 } as const;
const stamps = { created_at: Timestamp(), updated_at: Timestamp() };
const OrgId = Uuid('Owning organization (in your scope); defaults to your only organization');
const listProps = {
  ...PageQueryProps,
  organization_id: opt(Uuid('Only this organization')),
  search: opt(Type.String({ minLength: 1, maxLength: 100, description: 'Matches the name' })),
};

export const EXAM_TYPES = ['midterm', 'final', 'supplementary', 'improvement'] as const;
export const EXAM_STATUSES = ['draft', 'scheduled', 'ongoing', 'completed', 'cancelled'] as const;
export const ExamType = StringEnum(EXAM_TYPES, {
  description: 'midterm | final | supplementary | improvement',
  examples: ['final'],
});
export const ExamStatus = StringEnum(EXAM_STATUSES, {
  description:
    'draft → scheduled | cancelled; scheduled → draft | ongoing | cancelled; ongoing → completed | cancelled; ' +
    'completed and cancelled are final. Drafts are visible to managers only.',
  examples: ['scheduled'],
});
export type ExamStatusT = Static<typeof ExamStatus>;
const AcademicYear = Type.String({
  pattern: '^[0-9]{4}(-[0-9]{4})?$',
  description: 'Academic year, `YYYY` or `YYYY-YYYY`',
  examples: ['2026-2027'],
});
const Semester = Type.Integer({ minimum: 1, maximum: 12, description: 'Semester number', examples: [3] });
const Name = Type.String({ minLength: 1, maxLength: 200, examples: ['Fall 2026 final examinations'] });
const Description = Type.String({ maxLength: 2000, description: 'Instructions or notes (free text)' });

export const ExamSchedule = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    name: Type.String({ examples: ['Fall 2026 final examinations'] }),
    exam_type: ExamType,
    status: ExamStatus,
    course_id: Nullable(Uuid('The one course this schedule is for, if any')),
    academic_session_id: Nullable(Uuid('Term or semester (academic session)')),
    academic_year: Type.String({ examples: ['2026-2027'] }),
    semester: Nullable(Type.Integer({ examples: [3] })),
    start_date: DateStr('First exam day'),
    end_date: DateStr('Last exam day'),
    description: Nullable(Type.String()),
    entry_count: Type.Integer({ description: 'Timetable entries (papers) in the schedule' }),
    created_by: Nullable(Uuid('User who created it')),
    ...stamps,
  },
  { $id: 'ExamSchedule' },
);
export type ExamScheduleT = Static<typeof ExamSchedule>;

export const CreateExamSchedule = Type.Object(
  {
    organization_id: opt(OrgId),
    name: Name,
    exam_type: ExamType,
    status: opt(
      StringEnum(['draft', 'scheduled'] as const, {
        default: 'draft',
        description: 'A new schedule starts as a draft (default) or scheduled',
      }),
    ),
    course_id: opt(Nullable(Uuid('Restrict the schedule to one course (of the organization or above)'))),
    academic_session_id: opt(Nullable(Uuid('Term or semester (academic session of the organization)'))),
    academic_year: AcademicYear,
    semester: opt(Nullable(Semester)),
    start_date: DateStr('First exam day'),
    end_date: DateStr('Last exam day (on or after start_date)'),
    description: opt(Nullable(Description)),
  },
  {
    ...strict,
    examples: [
      {
        name: 'Fall 2026 final examinations',
        exam_type: 'final',
        academic_year: '2026-2027',
        semester: 1,
        start_date: '2026-12-07',
        end_date: '2026-12-18',
      },
    ],
  },
);
export type CreateExamScheduleT = Static<typeof CreateExamSchedule>;

export const UpdateExamSchedule = Type.Object(
  {
    name: opt(Name),
    exam_type: opt(ExamType),
    status: opt(ExamStatus),
    course_id: opt(Nullable(Uuid())),
    academic_session_id: opt(Nullable(Uuid())),
    academic_year: opt(AcademicYear),
    semester: opt(Nullable(Semester)),
    start_date: opt(DateStr()),
    end_date: opt(DateStr()),
    description: opt(Nullable(Description)),
  },
  { ...patch, examples: [{ status: 'scheduled' }] },
);
export type UpdateExamScheduleT = Static<typeof UpdateExamSchedule>;

export const ListExamSchedulesQuery = Type.Object(
  {
    ...listProps,
    course_id: opt(Uuid('Filter by course')),
    academic_year: opt(AcademicYear),
    semester: opt(Semester),
    status: opt(ExamStatus),
    exam_type: opt(ExamType),
    academic_session_id: opt(Uuid('Filter by academic session')),
  },
  strict,
);

export const ExamVenue = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    name: Type.String({ description: 'Unique per organization (case-insensitive)', examples: ['Main Hall'] }),
    capacity: Type.Integer({ description: 'Seats for exam candidates', examples: [120] }),
    location: Nullable(Type.String({ examples: ['Block A, ground floor'] })),
    is_active: Type.Boolean({ description: 'Inactive venues cannot be given to new entries' }),
    ...stamps,
  },
  { $id: 'ExamVenue' },
);
const VenueName = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'Venue name, unique per organization (case-insensitive)',
  examples: ['Main Hall'],
});
const Capacity = Type.Integer({ minimum: 1, maximum: 100000, description: 'Seats', examples: [120] });
const Location = Type.String({ maxLength: 200, examples: ['Block A, ground floor'] });
export const CreateExamVenue = Type.Object(
  {
    organization_id: opt(OrgId),
    name: VenueName,
    capacity: Capacity,
    location: opt(Nullable(Location)),
    is_active: opt(Type.Boolean({ default: true })),
  },
  { ...strict, examples: [{ name: 'Main Hall', capacity: 120, location: 'Block A' }] },
);
export const UpdateExamVenue = Type.Object(
  {
    name: opt(VenueName),
    capacity: opt(Capacity),
    location: opt(Nullable(Location)),
    is_active: opt(Type.Boolean()),
  },
  { ...patch, examples: [{ capacity: 150 }] },
);
export const ListExamVenuesQuery = Type.Object(
  { ...listProps, is_active: opt(Type.Boolean({ description: 'Filter by active state' })) },
  strict,
);
