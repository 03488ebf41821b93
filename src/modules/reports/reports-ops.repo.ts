import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { and, checkRange, instantFilter, orgConds } from './reports.repo.js';
import { F, type ReportFilters } from './reports.schemas.js';
import type { ReportDef } from './reports-engine.js';

/**
 * Payment and refund entries of the finance ledger in range (ledger_entries_org_occurred_idx), with the
 * fee structure they were paid against (a refund's through its payment) for the year/semester filters.
 */
function feeBase(actor: Actor, f: ReportFilters): SQL {
  const conds = [
    ...orgConds(actor, f, sql`l.organization_id`),
    sql`l.entry_type in ('payment', 'refund')`,
    instantFilter(f, sql`l.occurred_at`),
  ];
  if (f.department_id) {
    conds.push(
      sql`l.student_id in (select ds.id from students ds where ds.department_id = ${f.department_id})`,
    );
  }
  if (f.academic_year || f.semester !== undefined) {
    const fs: SQL[] = [];
    if (f.academic_year) fs.push(sql`fs.academic_year = ${f.academic_year}`);
    if (f.semester !== undefined) fs.push(sql`fs.semester = ${f.semester}`);
    conds.push(sql`coalesce(l.fee_structure_id, p.fee_structure_id) in
      (select fs.id from fee_structures fs where ${and(fs)})`);
  }
  return sql`from ledger_entries l left join fee_payments p on p.id = l.payment_id where ${and(conds)}`;
}

const feeAggregates = sql`
  count(*) filter (where l.entry_type = 'payment')::int as payments,
  count(*) filter (where l.entry_type = 'refund')::int as refunds,
  coalesce(sum(-l.amount_minor) filter (where l.entry_type = 'payment'), 0) as collected,
  coalesce(sum(l.amount_minor) filter (where l.entry_type = 'refund'), 0) as refunded,
  coalesce(sum(-l.amount_minor), 0) as net`;

const feeFigures = [
  { key: 'currency', kind: 'text', description: 'ISO 4217 currency of the amounts' },
  { key: 'payments', kind: 'int', description: 'Payments in the period' },
  { key: 'refunds', kind: 'int', description: 'Refunds in the period' },
  { key: 'collected', kind: 'money', description: 'Sum of the payments' },
  { key: 'refunded', kind: 'money', description: 'Sum of the refunds' },
  { key: 'net', kind: 'money', description: 'Fee collection: payments minus refunds' },
] as const;

export const feeCollection: ReportDef = {
  path: 'fee-collection',
  sheet: 'Fee collection',
  summary: 'Fee collection per organization: ledger payments minus refunds',
  description:
    'Per organization and currency: payments and refunds posted to the finance ledger in the period ' +
    '(from/to, UTC days, on the entry date), and the net collection = payments − refunds.',
  permission: 'reports:org',
  filters: {
    academic_year: F.academic_year,
    semester: F.semester,
    department_id: F.department_id,
    from: F.from,
    to: F.to,
    date_from: F.date_from,
    date_to: F.date_to,
  },
  validate: checkRange,
  columns: [
    { key: 'organization_id', kind: 'id', description: 'Organization' },
    { key: 'organization_name', kind: 'text', description: 'Organization name' },
    ...feeFigures,
  ],
  totals: feeFigures,
  rows: (actor, f) => sql`
    select l.organization_id::text || '/' || l.currency as k, l.organization_id,
           (select o.name from organizations o where o.id = l.organization_id) as organization_name,
           l.currency, ${feeAggregates}
      ${feeBase(actor, f)}
     group by l.organization_id, l.currency`,
  totalsQuery: (actor, f) =>
    sql`select l.currency, ${feeAggregates} ${feeBase(actor, f)} group by l.currency order by l.currency`,
};

const departmentFigures = [
  { key: 'students', kind: 'int', description: 'Students of the department (not deleted)' },
  { key: 'faculty', kind: 'int', description: 'Faculty members of the department (not deleted)' },
  { key: 'programs', kind: 'int', description: 'Programs of the department' },
  { key: 'courses', kind: 'int', description: 'Courses of the department' },
  {
    key: 'active_enrollments',
    kind: 'int',
    description: "Active enrollments in classes of the department's courses",
  },
] as const;

function departmentRows(actor: Actor, f: ReportFilters): SQL {
  const conds = orgConds(actor, f, sql`d.organization_id`);
  if (f.department_id) conds.push(sql`d.id = ${f.department_id}`);
  return sql`
    select d.id as k, d.id as department_id, d.code as department_code, d.name as department_name,
           d.organization_id,
           (select count(*) from students s where s.department_id = d.id and s.deleted_at is null)::int as students,
           (select count(*) from faculty fa where fa.department_id = d.id and fa.deleted_at is null)::int as faculty,
           (select count(*) from programs p where p.department_id = d.id)::int as programs,
           (select count(*) from courses co where co.department_id = d.id)::int as courses,
           (select count(*) from courses co join classes c on c.course_id = co.id
              join enrollments e on e.class_id = c.id and e.status = 'enrolled'
             where co.department_id = d.id)::int as active_enrollments
      from departments d
     where ${and(conds)}`;
}

export const departmentWise: ReportDef = {
  path: 'department-wise',
  sheet: 'Departments',
  summary: 'Department-wise statistics',
  description:
    'Per department: students, faculty, programs, courses and active enrollments in classes of its courses.',
  permission: 'reports:org',
  filters: { department_id: F.department_id },
  columns: [
    { key: 'department_id', kind: 'id', description: 'Department' },
    { key: 'department_code', kind: 'text', description: 'Department code' },
    { key: 'department_name', kind: 'text', description: 'Department name' },
    { key: 'organization_id', kind: 'id', description: "The department's organization" },
    ...departmentFigures,
  ],
  totals: [{ key: 'departments', kind: 'int', description: 'Departments' }, ...departmentFigures],
  rows: departmentRows,
  totalsQuery: (actor, f) => sql`
    select count(*)::int as departments, coalesce(sum(students), 0)::int as students,
           coalesce(sum(faculty), 0)::int as faculty, coalesce(sum(programs), 0)::int as programs,
           coalesce(sum(courses), 0)::int as courses, coalesce(sum(active_enrollments), 0)::int as active_enrollments
      from (${departmentRows(actor, f)}) x`,
};
