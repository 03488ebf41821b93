import { type Static, Type } from 'typebox';
import { CountQueryProps, CursorQueryProps, PageQueryProps } from '../../kernel/pagination.js';
import { DateRangeProps, DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

/** Largest number of records one marking request may carry (a whole school's day at once). */
export const MAX_BATCH = 10_000;

export const AttendanceStatus = StringEnum(['present', 'absent', 'late', 'excused'], {
  description: 'present and late count as attended; excused is left out of the percentage',
  examples: ['present'],
});
export type AttendanceStatusT = Static<typeof AttendanceStatus>;

const Period = Type.Integer({ minimum: 1, maximum: 24, description: 'Lesson period of the day (1–24)' });
const RollNo = Type.String({
  minLength: 1,
  maxLength: 50,
  description: 'Roll number',
  examples: ['23/CS/107'],
});
const Remarks = Type.String({ maxLength: 500, examples: ['Bus was late'] });
const MinutesLate = Type.Integer({ minimum: 0, maximum: 1440, description: 'Minutes late (status late)' });
const Similarity = Type.Number({
  minimum: 0,
  maximum: 100,
  description: 'Face-match similarity (0–100) reported by the recognition model',
  examples: [92.5],
});

/** The attendance date: one name everywhere (docs/api-conventions.md). */
const AttendanceDate = (description = 'The attendance date (day of the roll call)') => DateStr(description);
/** An older name of the attendance date, still accepted (and answered) for existing clients. */
const DeprecatedDate = () =>
  Type.String({ format: 'date', description: 'Deprecated: use attendance_date', deprecated: true });
/** Either attendance_date or its deprecated name must be given. */
const oneDate = (old: string) => ({ anyOf: [{ required: ['attendance_date'] }, { required: [old] }] });

export const AttendanceSession = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    class_id: Uuid(),
    attendance_date: AttendanceDate(),
    session_date: DeprecatedDate(),
    period: Nullable(Type.Integer()),
    evidence_url: Nullable(Type.String({ description: 'Processed classroom photo the AI ran on' })),
    taken_by: Nullable(Uuid('User who created the session')),
    counts: Type.Object(
      {
        total: Type.Integer(),
        present: Type.Integer(),
        absent: Type.Integer(),
        late: Type.Integer(),
        excused: Type.Integer(),
      },
      { description: 'Records in the session by status' },
    ),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'AttendanceSession' },
);
export type AttendanceSessionT = Static<typeof AttendanceSession>;

export const AttendanceRecord = Type.Object(
  {
    id: Uuid(),
    session_id: Uuid(),
    student_id: Uuid(),
    class_id: Uuid(),
    organization_id: Uuid(),
    attendance_date: DateStr(),
    period: Nullable(Type.Integer()),
    status: AttendanceStatus,
    minutes_late: Nullable(Type.Integer()),
    remarks: Nullable(Type.String()),
    recognized_by_ai: Type.Boolean({ description: 'Marked by face recognition' }),
    similarity_score: Nullable(Type.Number()),
    marked_by: Nullable(Uuid()),
    student_number: Type.String(),
    roll_no: Nullable(Type.String()),
    student_name: Type.String(),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'AttendanceRecord' },
);
export type AttendanceRecordT = Static<typeof AttendanceRecord>;

export const SessionWithRecords = Type.Object({
  ...AttendanceSession.properties,
  records: Type.Array(AttendanceRecord),
});

export const RecordInput = Type.Object(
  {
    student_id: Type.Optional(Uuid('The student; or give roll_no')),
    roll_no: Type.Optional(RollNo),
    status: AttendanceStatus,
    minutes_late: Type.Optional(Nullable(MinutesLate)),
    remarks: Type.Optional(Nullable(Remarks)),
    recognized_by_ai: Type.Optional(Type.Boolean({ default: false })),
    similarity_score: Type.Optional(Nullable(Similarity)),
  },
  {
    additionalProperties: false,
    description: 'One student status; identify the student by student_id or roll_no',
  },
);
export type RecordInputT = Static<typeof RecordInput>;

const Records = Type.Array(RecordInput, { minItems: 1, maxItems: MAX_BATCH });

export const CreateSession = Type.Object(
  {
    class_id: Uuid(),
    attendance_date: Type.Optional(AttendanceDate()),
    session_date: Type.Optional(DeprecatedDate()),
    period: Type.Optional(Period),
    evidence_url: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https?://',
        maxLength: 2000,
        description: 'http(s) URL of the processed classroom photo',
        examples: ['https://storage.example.com/evidence.jpg'],
      }),
    ),
  },
  { additionalProperties: false, ...oneDate('session_date') },
);
export type CreateSessionT = Static<typeof CreateSession>;

export const ListSessionsQuery = Type.Object(
  {
    ...PageQueryProps,
    class_id: Type.Optional(Uuid()),
    from: Type.Optional(DateStr('Inclusive first date')),
    to: Type.Optional(DateStr('Inclusive last date')),
  },
  { additionalProperties: false },
);
export type ListSessionsQueryT = Static<typeof ListSessionsQuery>;

export const UpsertRecords = Type.Object({ records: Records }, { additionalProperties: false });
export type UpsertRecordsT = Static<typeof UpsertRecords>;

export const MarkOne = Type.Object(
  {
    class_id: Uuid(),
    attendance_date: Type.Optional(AttendanceDate()),
    date: Type.Optional(DeprecatedDate()),
    period: Type.Optional(Period),
    ...RecordInput.properties,
  },
  { additionalProperties: false, ...oneDate('date') },
);
export type MarkOneT = Static<typeof MarkOne>;

export const MarkBulk = Type.Object(
  {
    class_id: Uuid(),
    attendance_date: Type.Optional(AttendanceDate()),
    date: Type.Optional(DeprecatedDate()),
    period: Type.Optional(Period),
    records: Records,
  },
  { additionalProperties: false, ...oneDate('date') },
);
export type MarkBulkT = Static<typeof MarkBulk>;

export const MarkResult = Type.Object({
  session_id: Uuid(),
  class_id: Uuid(),
  attendance_date: AttendanceDate(),
  date: DeprecatedDate(),
  period: Nullable(Type.Integer()),
  received: Type.Integer({ description: 'Records in the request' }),
  created: Type.Integer({ description: 'New records' }),
  updated: Type.Integer({ description: 'Existing records whose values changed' }),
  unchanged: Type.Integer({ description: 'Existing records sent with the same values' }),
});
export type MarkResultT = Static<typeof MarkResult>;

export const UpdateRecord = Type.Object(
  {
    status: Type.Optional(AttendanceStatus),
    minutes_late: Type.Optional(Nullable(MinutesLate)),
    remarks: Type.Optional(Nullable(Remarks)),
    recognized_by_ai: Type.Optional(Type.Boolean()),
    similarity_score: Type.Optional(Nullable(Similarity)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRecordT = Static<typeof UpdateRecord>;

export const ListRecordsQuery = Type.Object(
  {
    ...CursorQueryProps,
    class_id: Type.Optional(Uuid()),
    student_id: Type.Optional(Uuid()),
    attendance_status: Type.Optional(AttendanceStatus),
    ...DateRangeProps(),
  },
  { additionalProperties: false },
);
export type ListRecordsQueryT = Static<typeof ListRecordsQuery>;

export const ClassDateQuery = Type.Object(
  {
    attendance_date: Type.Optional(AttendanceDate('The day to show')),
    date: Type.Optional(DeprecatedDate()),
    period: Type.Optional(Period),
  },
  { additionalProperties: false, ...oneDate('date') },
);

export const ClassDayEntry = Type.Object({
  student_id: Uuid(),
  student_number: Type.String(),
  roll_no: Nullable(Type.String()),
  student_name: Type.String(),
  record_id: Nullable(Uuid()),
  session_id: Nullable(Uuid()),
  period: Nullable(Type.Integer()),
  status: Nullable(AttendanceStatus),
  minutes_late: Nullable(Type.Integer()),
  remarks: Nullable(Type.String()),
  recognized_by_ai: Nullable(Type.Boolean()),
  similarity_score: Nullable(Type.Number()),
});

export const Counts = {
  total: Type.Integer({ description: 'Records counted' }),
  present: Type.Integer(),
  absent: Type.Integer(),
  late: Type.Integer(),
  excused: Type.Integer(),
  percentage: Nullable(
    Type.Number({ description: '(present + late) / (total − excused) × 100, 2 decimals; null = no data' }),
  ),
};

export const DateRange = DateRangeProps();

export const SummaryQuery = Type.Object(
  {
    student_id: Type.Optional(Uuid('Summarize one student (give student_id or class_id)')),
    class_id: Type.Optional(Uuid('Summarize one class')),
    ...DateRange,
  },
  { additionalProperties: false },
);
export type SummaryQueryT = Static<typeof SummaryQuery>;

export const Summary = Type.Object({
  scope: StringEnum(['student', 'class']),
  student_id: Nullable(Uuid()),
  class_id: Nullable(Uuid()),
  ...Counts,
  by_class: Type.Array(Type.Object({ class_id: Uuid(), class_name: Type.String(), ...Counts }), {
    description: 'Per class (student summaries)',
  }),
});

export const ReportsQuery = Type.Object(
  {
    ...PageQueryProps,
    group_by: StringEnum(['class', 'department', 'day'], { default: 'class' }),
    organization_id: Type.Optional(Uuid('Limit to this organization and its subtree')),
    class_id: Type.Optional(Uuid()),
    ...DateRange,
  },
  { additionalProperties: false },
);
export type ReportsQueryT = Static<typeof ReportsQuery>;

export const ReportRow = Type.Object({
  key: Nullable(Type.String({ description: 'class id, department id or date' })),
  label: Type.String(),
  ...Counts,
});

export const DefaultersQuery = Type.Object(
  {
    ...PageQueryProps,
    ...CountQueryProps,
    threshold: Type.Number({ minimum: 0, maximum: 100, default: 75, description: 'Percentage threshold' }),
    organization_id: Type.Optional(Uuid()),
    class_id: Type.Optional(Uuid()),
    ...DateRange,
  },
  { additionalProperties: false },
);
export type DefaultersQueryT = Static<typeof DefaultersQuery>;

export const StudentStats = Type.Object({
  student_id: Uuid(),
  student_number: Type.String(),
  roll_no: Nullable(Type.String()),
  student_name: Type.String(),
  class_id: Uuid(),
  class_name: Type.String(),
  ...Counts,
});

export const ClassSummaryQuery = Type.Object({ ...DateRange }, { additionalProperties: false });

export const AttendanceSettings = Type.Object({
  organization_id: Uuid(),
  freeze_before: Nullable(DateStr('Records dated before this day are locked')),
  unlocked_until: Nullable(Timestamp('Records are editable despite the freeze until then')),
  alert_threshold: Type.Number({ description: 'Guardians are alerted when a student falls under it' }),
  updated_at: Nullable(Timestamp()),
});

export const OrgParams = Type.Object({ organization_id: Uuid() }, { additionalProperties: false });

export const PutSettings = Type.Object(
  {
    freeze_before: Type.Optional(Nullable(DateStr())),
    alert_threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Unlock = Type.Object(
  { minutes: Type.Integer({ minimum: 1, maximum: 10080, default: 60, description: 'How long to unlock' }) },
  { additionalProperties: false },
);
