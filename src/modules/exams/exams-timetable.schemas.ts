import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateRangeProps, DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { ExamStatus, ExamType } from './exams.schemas.js';

const opt = Type.Optional;

const Time = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: "Local start time (HH:MM) in the organization's time zone",
  examples: ['09:30'],
});
const Duration = Type.Integer({
  minimum: 15,
  maximum: 720,
  description: 'Length in minutes (15–720); the exam must end before midnight',
  examples: [180],
});
const MaxMarks = Type.Number({
  exclusiveMinimum: 0,
  maximum: 10000,
  description: 'Maximum marks of the paper (stored with two decimals)',
  examples: [100],
});
const VenueName = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'Name of one of the organization’s exam venues (`/exam-venues`), case-insensitive',
  examples: ['Main Hall'],
});

export const ExamEntry = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization of the exam schedule'),
    exam_schedule_id: Uuid(),
    exam_name: Type.String({ description: 'Name of the exam schedule', examples: ['Fall 2026 finals'] }),
    exam_type: ExamType,
    exam_status: ExamStatus,
    academic_year: Type.String({ examples: ['2026-2027'] }),
    semester: Nullable(Type.Integer({ examples: [1] })),
    class_id: Uuid('Class (course offering) that writes the paper'),
    class_name: Type.String({ examples: ['ALG-A'] }),
    course_id: Nullable(Uuid()),
    course_code: Nullable(Type.String({ examples: ['CS301'] })),
    course_name: Nullable(Type.String({ examples: ['Algorithms'] })),
    date: DateStr('Exam day'),
    start_time: Type.String({ description: 'Local start (HH:MM)', examples: ['09:30'] }),
    end_time: Type.String({ description: 'Local end (HH:MM)', examples: ['12:30'] }),
    duration: Type.Integer({ description: 'Minutes', examples: [180] }),
    venue: Type.String({ examples: ['Main Hall'] }),
    venue_id: Uuid(),
    venue_capacity: Type.Integer({ description: 'Seats of the venue', examples: [120] }),
    max_marks: Type.Number({ examples: [100] }),
    student_count: Type.Integer({ description: 'Students enrolled in the class (candidates)' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'ExamTimetableEntry' },
);
export type ExamEntryT = Static<typeof ExamEntry>;

export const CreateExamEntry = Type.Object(
  {
    exam_schedule_id: Uuid('Exam schedule (draft or scheduled) the paper belongs to'),
    class_id: Uuid('Class in the schedule’s organization (or below); one entry per class and schedule'),
    date: DateStr('Exam day, within the schedule’s dates'),
    start_time: Time,
    duration: Duration,
    venue: VenueName,
    max_marks: MaxMarks,
  },
  {
    additionalProperties: false,
    examples: [
      {
        exam_schedule_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        class_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5e',
        date: '2026-12-08',
        start_time: '09:30',
        duration: 180,
        venue: 'Main Hall',
        max_marks: 100,
      },
    ],
  },
);
export type CreateExamEntryT = Static<typeof CreateExamEntry>;

export const UpdateExamEntry = Type.Object(
  {
    class_id: opt(Uuid()),
    date: opt(DateStr()),
    start_time: opt(Time),
    duration: opt(Duration),
    venue: opt(VenueName),
    max_marks: opt(MaxMarks),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ start_time: '14:00', venue: 'Hall B' }] },
);
export type UpdateExamEntryT = Static<typeof UpdateExamEntry>;

const filterProps = {
  exam_schedule_id: opt(Uuid('Filter by exam schedule')),
  class_id: opt(Uuid('Filter by class')),
  course_offering_id: opt(Uuid('Seed 004 name of class_id (a class is a course offering)')),
  academic_year: opt(Type.String({ pattern: '^[0-9]{4}(-[0-9]{4})?$', examples: ['2026-2027'] })),
  semester: opt(Type.Integer({ minimum: 1, maximum: 12 })),
  venue: opt(VenueName),
  ...DateRangeProps('Entries on or after this day', 'Entries on or before this day'),
};
export const ListExamEntriesQuery = Type.Object(
  { ...PageQueryProps, ...filterProps },
  { additionalProperties: false },
);
export type ExamEntryFilters = Omit<Static<typeof ListExamEntriesQuery>, 'page' | 'page_size'>;

export const ExportExamEntriesQuery = Type.Object(
  {
    format: opt(StringEnum(['csv', 'xlsx'] as const, { default: 'csv', description: 'File format' })),
    ...filterProps,
  },
  { additionalProperties: false },
);

/** Calendar feeds: optionally one exam schedule only. */
export const ExamFeedQuery = Type.Object(
  { exam_schedule_id: filterProps.exam_schedule_id },
  { additionalProperties: false },
);

const ClashEntry = Type.Object({
  entry_id: Uuid(),
  exam_schedule_id: Uuid(),
  exam_name: Type.String(),
  class_id: Uuid(),
  class_name: Type.String(),
  date: DateStr(),
  start_time: Type.String({ examples: ['09:00'] }),
  end_time: Type.String({ examples: ['11:00'] }),
});

/** `GET /exams/{id}/clashes`: the schedule's clashes as the rosters stand now. */
export const ScheduleClashes = Type.Object({
  exam_schedule_id: Uuid(),
  student_clash_total: Type.Integer({ description: 'All student clashes (the list holds the first 200)' }),
  student_clashes: Type.Array(
    Type.Object({
      student_id: Uuid(),
      student_number: Type.String(),
      student_name: Type.String(),
      entry: Type.Object(
        {
          entry_id: Uuid(),
          class_id: Uuid(),
          class_name: Type.String(),
          start_time: Type.String({ examples: ['09:00'] }),
        },
        { description: 'The paper of this schedule' },
      ),
      clashes_with: ClashEntry,
    }),
    { description: 'A student enrolled in two overlapping papers, one of them in this schedule' },
  ),
  venue_overloads: Type.Array(
    Type.Object({
      venue_id: Uuid(),
      venue: Type.String(),
      capacity: Type.Integer(),
      seats_required: Type.Integer({ description: 'Candidates under way in the venue at `at`' }),
      at: Timestamp('The moment (an exam start) the venue is over capacity'),
      entries: Type.Array(Uuid(), { description: 'Entries under way in the venue then' }),
    }),
    { description: 'Venues over capacity during one of the schedule’s papers (first 200 moments)' },
  ),
});
export type ScheduleClashesT = Static<typeof ScheduleClashes>;
