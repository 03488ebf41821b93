import { type Static, Type } from 'typebox';
import { DateStr, Nullable, Uuid } from '../../kernel/schemas.js';
import { AttendanceRecord, AttendanceStatus } from './attendance.schemas.js';

/** Most recent records returned per student (older ones: GET /attendance?student_id=…&cursor=…). */
export const MAX_STUDENT_RECORDS = 200;

export const StudentAttendanceQuery = Type.Object(
  {
    class_id: Type.Optional(Uuid('Only this class')),
    attendance_status: Type.Optional(AttendanceStatus),
    from: Type.Optional(DateStr('Inclusive first attendance date of the records')),
    to: Type.Optional(DateStr('Inclusive last attendance date of the records')),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_STUDENT_RECORDS,
        default: 50,
        description: `Most recent records per student (1–${MAX_STUDENT_RECORDS})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type StudentAttendanceQueryT = Static<typeof StudentAttendanceQuery>;

export const ClassAttendanceSummary = Type.Object(
  {
    class_id: Uuid(),
    class_name: Type.String({ examples: ['Grade 5 Mathematics'] }),
    present: Type.Integer(),
    absent: Type.Integer(),
    late: Type.Integer(),
    excused: Type.Integer(),
    percentage: Nullable(
      Type.Number({
        description: 'Attended (present + late) over counted (present + late + absent), 0–100, 2 decimals',
        examples: [92.31],
      }),
    ),
  },
  { description: 'The whole-term tally of one class (not narrowed by from/to)' },
);

export const StudentAttendance = Type.Object(
  {
    student_id: Uuid(),
    student_number: Type.String({ examples: ['1024'] }),
    student_name: Type.String({ examples: ['Ada Lovelace'] }),
    summary: Type.Array(ClassAttendanceSummary, { description: 'One entry per class with a record' }),
    records: Type.Array(AttendanceRecord, { description: 'Newest first, at most `limit`' }),
    records_total: Type.Integer({ description: 'Records matching the filters (records holds the newest)' }),
  },
  { $id: 'StudentAttendance' },
);
