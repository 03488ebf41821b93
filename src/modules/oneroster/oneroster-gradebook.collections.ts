import { sql } from 'drizzle-orm';
import { iso } from '../../kernel/sql.js';
import { type Collection, ref } from './oneroster-collections.js';

/**
 * The gradebook collections over the grades module's tables: categories (assessment categories), line items
 * (assessments), results (marks) and score scales (grading scales; the built-in ones are shared by all).
 */
const c = (name: string) => sql.raw(`t.${name}`);
const common = {
  sourcedId: { expr: sql`t.sourced_id::text`, kind: 'string' as const },
  status: { expr: c('status'), kind: 'enum' as const, values: ['active', 'tobedeleted'] as const },
  dateLastModified: { expr: c('date_last_modified'), kind: 'datetime' as const },
};
const head = (r: Record<string, unknown>) => ({
  sourcedId: String(r.sourced_id),
  status: r.status,
  dateLastModified: iso(r.date_last_modified as Date | string)!,
});
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Registrar mark states → OneRoster score status. */
const scoreStatus = sql`(case am.state when 'scored' then 'fully graded' when 'excused' then 'exempt'
                          else 'not submitted' end)`;

export const categories: Collection = {
  plural: 'categories',
  singular: 'category',
  source: sql`
    select ac.id as sourced_id, 'active'::text as status, ac.updated_at as date_last_modified, o.path as org_path,
           ac.name as title, ac.weight, ac.class_id
      from assessment_categories ac join classes k on k.id = ac.class_id join organizations o on o.id = k.organization_id`,
  fields: {
    ...common,
    title: { expr: c('title'), kind: 'string' },
    classSourcedId: { expr: sql`t.class_id::text`, kind: 'string' },
  },
  selectable: ['sourcedId', 'status', 'dateLastModified', 'title', 'weight'],
  toJson: (r) => ({ ...head(r), title: r.title, weight: num(r.weight) }),
};

export const lineItems: Collection = {
  plural: 'lineItems',
  singular: 'lineItem',
  source: sql`
    select a.id as sourced_id, 'active'::text as status, a.updated_at as date_last_modified, o.path as org_path,
           a.name as title, a.description, a.assessment_date::text as assign_date, a.class_id,
           k.organization_id as school_id, a.category_id, a.academic_session_id, a.max_marks
      from assessments a join classes k on k.id = a.class_id join organizations o on o.id = k.organization_id`,
  fields: {
    ...common,
    title: { expr: c('title'), kind: 'string' },
    assignDate: { expr: sql`t.assign_date::date`, kind: 'date' },
    classSourcedId: { expr: sql`t.class_id::text`, kind: 'string' },
    categorySourcedId: { expr: sql`t.category_id::text`, kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'description',
    'assignDate',
    'dueDate',
    'class',
    'school',
    'category',
    'gradingPeriod',
    'resultValueMin',
    'resultValueMax',
  ],
  toJson: (r, base) => ({
    ...head(r),
    title: r.title,
    description: r.description,
    assignDate: r.assign_date,
    dueDate: r.assign_date,
    class: ref(base, 'class', r.class_id),
    school: ref(base, 'org', r.school_id),
    category: ref(base, 'category', r.category_id),
    gradingPeriod: ref(base, 'academicSession', r.academic_session_id),
    resultValueMin: 0,
    resultValueMax: num(r.max_marks),
  }),
};

export const results: Collection = {
  plural: 'results',
  singular: 'result',
  source: sql`
    select am.id as sourced_id, 'active'::text as status, am.updated_at as date_last_modified, o.path as org_path,
           am.assessment_id as line_item_id, am.student_id, am.class_id, am.marks as score,
           ${scoreStatus}::text as score_status, (am.updated_at at time zone 'UTC')::date::text as score_date,
           am.comment
      from assessment_marks am join classes k on k.id = am.class_id join organizations o on o.id = k.organization_id`,
  fields: {
    ...common,
    scoreStatus: {
      expr: c('score_status'),
      kind: 'enum',
      values: ['exempt', 'fully graded', 'not submitted', 'partially graded', 'submitted'],
    },
    scoreDate: { expr: sql`t.score_date::date`, kind: 'date' },
    lineItemSourcedId: { expr: sql`t.line_item_id::text`, kind: 'string' },
    studentSourcedId: { expr: sql`t.student_id::text`, kind: 'string' },
    classSourcedId: { expr: sql`t.class_id::text`, kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'lineItem',
    'student',
    'class',
    'score',
    'scoreStatus',
    'scoreDate',
    'comment',
  ],
  toJson: (r, base) => ({
    ...head(r),
    lineItem: ref(base, 'lineItem', r.line_item_id),
    student: ref(base, 'user', r.student_id),
    class: ref(base, 'class', r.class_id),
    score: num(r.score),
    scoreStatus: r.score_status,
    scoreDate: r.score_date,
    comment: r.comment,
  }),
};

export const scoreScales: Collection = {
  plural: 'scoreScales',
  singular: 'scoreScale',
  source: sql`
    select gs.id as sourced_id, 'active'::text as status, gs.updated_at as date_last_modified, o.path as org_path,
           gs.name as title, gs.bands
      from grading_scales gs left join organizations o on o.id = gs.organization_id`,
  shared: sql`t.org_path is null`,
  fields: { ...common, title: { expr: c('title'), kind: 'string' } },
  selectable: ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'scoreScaleValue'],
  toJson: (r) => {
    const bands = (typeof r.bands === 'string' ? JSON.parse(r.bands) : r.bands) as Array<{
      letter: string;
      min_percent: number;
    }>;
    return {
      ...head(r),
      title: r.title,
      type: 'letter',
      scoreScaleValue: (bands ?? []).map((b) => ({
        itemValueLHS: b.letter,
        itemValueRHS: String(b.min_percent),
        description: `${b.letter} from ${b.min_percent} %`,
      })),
    };
  },
};
