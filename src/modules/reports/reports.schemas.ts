import { type TSchema, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateRangeProps, DateStr, StringEnum, Uuid } from '../../kernel/schemas.js';

/** Every filter any report takes; each report's querystring declares the ones it accepts. */
export interface ReportFilters {
  format?: 'json' | 'csv' | 'xlsx';
  page?: number;
  page_size?: number;
  organization_id?: string;
  department_id?: string;
  program_id?: string;
  class_id?: string;
  course_offering_id?: string;
  faculty_id?: string;
  academic_session_id?: string;
  academic_year?: string;
  semester?: number;
  date?: string;
  from?: string;
  to?: string;
  /** Deprecated aliases (kernel/query-aliases.ts maps them before the handler runs). */
  date_from?: string;
  date_to?: string;
  assessment_type?: string;
  pass_percent?: number;
  hostel_type?: string;
  category?: string;
  weekdays?: string;
}

/** Querystring properties every report takes. */
export const CommonReportProps = {
  format: Type.Optional(
    StringEnum(['json', 'csv', 'xlsx'], {
      default: 'json',
      description: 'json (default, paginated, with totals), or csv / xlsx: every row, streamed as a file',
      examples: ['csv'],
    }),
  ),
  ...PageQueryProps,
  organization_id: Type.Optional(
    Uuid('Only this organization and its subtree (404 when it is outside your scope)'),
  ),
};

/** The reusable filter properties, named as in seed 004 and the API conventions. */
export const F = {
  department_id: Type.Optional(Uuid('Only this department')),
  program_id: Type.Optional(Uuid('Only students of this program')),
  class_id: Type.Optional(Uuid('Only this class')),
  course_offering_id: Type.Optional(Uuid('Alias of class_id (seed 004: a course offering is a class)')),
  faculty_id: Type.Optional(Uuid('Only classes this faculty member teaches')),
  academic_session_id: Type.Optional(
    Uuid('Only this academic session (school year, term or semester) and the sessions directly under it'),
  ),
  academic_year: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 50,
      description:
        'Only this academic year, by name (an academic session or its parent session, or a fee ' +
        "structure's academic year)",
      examples: ['2026-2027'],
    }),
  ),
  semester: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 20, description: "Only this semester (fee structures' semester)" }),
  ),
  ...DateRangeProps('From this date (inclusive)', 'Up to this date (inclusive)'),
  assessment_type: Type.Optional(
    StringEnum(['quiz', 'assignment', 'midterm', 'final', 'exam', 'project', 'practical'], {
      description: 'Only this assessment type (default: exam, midterm and final)',
    }),
  ),
  pass_percent: Type.Optional(
    Type.Number({ minimum: 0, maximum: 100, default: 40, description: 'Pass mark in percent (default 40)' }),
  ),
  hostel_type: Type.Optional(
    StringEnum(['boys', 'girls', 'mixed', 'staff'], { description: 'Only this hostel type' }),
  ),
  category: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Only books of this category' }),
  ),
  date: Type.Optional(DateStr('The school day to check (default today, UTC); or give from/to')),
  weekdays: Type.Optional(
    Type.String({
      pattern: '^[1-7](,[1-7]){0,6}$',
      default: '1,2,3,4,5',
      description: 'ISO days of the week on which classes take attendance (1 = Monday), comma-separated',
      examples: ['1,2,3,4,5'],
    }),
  ),
} satisfies Record<string, TSchema>;

/** The querystring schema of one report: the common properties plus its own filters, nothing else. */
export function reportQuery(filters: Record<string, TSchema>) {
  return Type.Object({ ...CommonReportProps, ...filters }, { additionalProperties: false });
}

/** Deprecated query aliases (kernel/query-aliases.ts maps them for GET); a job's JSON body has none. */
const ALIASES = new Set(['date_from', 'date_to']);

/**
 * The JSON body of `POST /reports/{report}/jobs`: the report's filters as the GET takes them, with
 * `format` csv (default) or xlsx, and no paging (a file holds every matching row).
 */
export function reportJobBody(filters: Record<string, TSchema>) {
  const own = Object.fromEntries(Object.entries(filters).filter(([k]) => !ALIASES.has(k)));
  return Type.Object(
    {
      format: Type.Optional(
        StringEnum(['csv', 'xlsx'], { default: 'csv', description: 'The file: csv (default) or xlsx' }),
      ),
      organization_id: CommonReportProps.organization_id,
      ...own,
    },
    { additionalProperties: false },
  );
}
