import { type TObject, type TProperties, type TSchema, Type } from 'typebox';
import { Nullable } from '../../kernel/schemas.js';

/** Every field optional: `fields=` may select any subset. */
const Partial = <P extends TProperties>(props: P, id: string, description: string) =>
  Type.Partial(Type.Object(props), { $id: id, description });

export const GUIDRef = Type.Object(
  {
    href: Type.String({
      description: 'URL of the referenced record',
      examples: [
        'https://sis.example/ims/oneroster/rostering/v1p2/orgs/0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
      ],
    }),
    sourcedId: Type.String({ description: 'sourcedId of the referenced record' }),
    type: Type.String({ description: 'Type of the referenced record', examples: ['org'] }),
  },
  { description: 'A GUID reference' },
);
const Ref = (description: string) => Type.Union([GUIDRef, Type.Null()], { description });
const Refs = (description: string) => Type.Array(GUIDRef, { description });

const base = {
  sourcedId: Type.String({ description: 'Identifier of the record (a Registrar UUID)' }),
  status: Type.String({
    description: 'active, or tobedeleted (deleted, dropped or deactivated)',
    examples: ['active'],
  }),
  dateLastModified: Type.String({ format: 'date-time', description: 'When the record last changed (UTC)' }),
};
const Str = (description: string) => Nullable(Type.String({ description }));
const Strs = (description: string) => Type.Array(Type.String(), { description });

export const Org = Partial(
  {
    ...base,
    name: Str('Organization name'),
    type: Str(
      'district, school or department (Registrar kinds: university → district, campus → school, office → department)',
    ),
    identifier: Str('Organization code'),
    parent: Ref('Parent organization'),
    children: Refs('Child organizations'),
  },
  'OneRosterOrg',
  'An organization (district, school …)',
);

export const AcademicSession = Partial(
  {
    ...base,
    title: Str('Name of the session'),
    type: Str('schoolYear, term, semester or gradingPeriod'),
    startDate: Str('First day (YYYY-MM-DD)'),
    endDate: Str('Last day (YYYY-MM-DD)'),
    parent: Ref('Parent session'),
    children: Refs('Child sessions'),
    schoolYear: Str('The school year (year of the end date)'),
    org: Ref('Organization the session belongs to'),
  },
  'OneRosterAcademicSession',
  'An academic session: school year, term, semester or grading period',
);

export const Course = Partial(
  {
    ...base,
    title: Str('Course name'),
    courseCode: Str('Course code'),
    grades: Strs('Grade levels'),
    subjects: Strs('Subjects'),
    org: Ref('Organization offering the course'),
  },
  'OneRosterCourse',
  'A course',
);

export const Class = Partial(
  {
    ...base,
    title: Str('Class name'),
    classCode: Str('Section'),
    classType: Str('scheduled (has a course) or homeroom'),
    location: Str('Room'),
    grades: Strs('Grade levels'),
    subjects: Strs('Subject names'),
    subjectCodes: Strs('Subject codes'),
    course: Ref('The course of the class'),
    school: Ref('The school of the class'),
    terms: Refs('The academic session of the class'),
    periods: Strs('Periods (not tracked: empty)'),
  },
  'OneRosterClass',
  'A class (course offering, section or K-12 class)',
);

const UserId = Type.Object({ type: Type.String(), identifier: Type.String() });
const Role = Type.Object({ roleType: Type.String(), role: Type.String(), org: GUIDRef });

export const User = Partial(
  {
    ...base,
    enabledUser: Str("'true' when the person may use the systems, else 'false'"),
    username: Str('Login username (the student number for students without a login)'),
    userIds: Type.Array(UserId, { description: 'Other identifiers (student number, employee id)' }),
    givenName: Str('Given name'),
    familyName: Str('Family name'),
    middleName: Str('Middle name (not tracked)'),
    roles: Type.Array(Role, { description: "student, teacher or parent, in the person's organization" }),
    identifier: Str('Student number or employee id'),
    email: Str('Email'),
    phone: Str('Phone'),
    agents: Refs('Guardians of a student; students of a guardian'),
    grades: Strs('Grade level of a student'),
  },
  'OneRosterUser',
  'A person: student, teacher or guardian',
);

export const Enrollment = Partial(
  {
    ...base,
    user: Ref('The student or teacher'),
    class: Ref('The class'),
    school: Ref('The school of the class'),
    role: Str('student or teacher'),
    primary: Str("'true' for a class's teacher of record"),
    beginDate: Str('Start (YYYY-MM-DD)'),
    endDate: Str('End (YYYY-MM-DD)'),
  },
  'OneRosterEnrollment',
  'A student enrolled in a class, or a teacher assigned to it',
);

export const Demographics = Partial(
  {
    ...base,
    birthDate: Str('Date of birth (YYYY-MM-DD)'),
    sex: Str('male, female, other or unspecified'),
  },
  'OneRosterDemographics',
  "A student's demographics (needs the roster-demographics scope)",
);

/** `{ <plural>: T[] }` */
export const ListOf = (plural: string, item: TObject | TSchema) =>
  Type.Object({ [plural]: Type.Array(item) });
/** `{ <singular>: T }` */
export const OneOf = (singular: string, item: TObject | TSchema) => Type.Object({ [singular]: item });

/** The binding's error payload (imsx_StatusInfo) beside Registrar's error envelope. */
export const ImsxError = Type.Object(
  {
    imsx_codeMajor: Type.String({ description: 'failure', examples: ['failure'] }),
    imsx_severity: Type.String({ description: 'error', examples: ['error'] }),
    imsx_description: Type.String({ description: 'What went wrong' }),
    imsx_CodeMinor: Type.Object({
      imsx_codeMinorField: Type.Array(
        Type.Object({
          imsx_codeMinorFieldName: Type.String({ examples: ['TargetEndSystem'] }),
          imsx_codeMinorFieldValue: Type.String({ examples: ['invalid_filter_field'] }),
        }),
      ),
    }),
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Array(Type.Object({}, { additionalProperties: true })),
      request_id: Type.String(),
    }),
  },
  { description: 'The OneRoster error payload (imsx fields) with the Registrar envelope' },
);

/** The binding's error responses for a route's `response` schema. */
export function orErrors(...codes: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const code of codes) out[code] = ImsxError;
  return out;
}
